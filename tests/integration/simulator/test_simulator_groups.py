"""Jamf Pro API computer groups: raw list, static groups (read and PUT), smart groups."""

from __future__ import annotations

import httpx

STATIC = "/api/v3/computer-groups/static-groups"


async def test_the_group_list_is_a_raw_array(api: httpx.AsyncClient) -> None:
    groups = (await api.get("/api/v1/computer-groups")).json()
    assert isinstance(groups, list)
    assert {
        "id": "2",
        "name": "Stale Check-in > 30 days",
        "description": "Macs that stopped checking in.",
        "smartGroup": True,
    } in groups


async def test_smart_group_counts_follow_the_tenant(api: httpx.AsyncClient) -> None:
    smart = (await api.get("/api/v3/computer-groups/smart-groups")).json()["results"]
    stale = next(g for g in smart if g["name"] == "Stale Check-in > 30 days")
    assert stale["membershipCount"] == 23
    members = (
        await api.get(f"/api/v3/computer-groups/smart-group-membership/{stale['id']}")
    ).json()
    assert 1 in members["members"] and 45 in members["members"]


async def test_static_group_put_replaces_the_membership(writer: httpx.AsyncClient) -> None:
    response = await writer.put(
        f"{STATIC}/7", json={"name": "Loaner Pool", "assignments": ["1", "2", "3"]}
    )
    assert response.status_code == 202
    group = (await writer.get(f"{STATIC}/7")).json()
    assert group["count"] == 3
    listing = (await writer.get(STATIC, params={"filter": 'name=="loaner*"'})).json()
    assert listing["totalCount"] == 1


async def test_static_group_put_rejects_unknown_computers(writer: httpx.AsyncClient) -> None:
    response = await writer.put(
        f"{STATIC}/7", json={"name": "Loaner Pool", "assignments": ["99999"]}
    )
    assert response.status_code == 400


async def test_smart_groups_are_not_static_groups(writer: httpx.AsyncClient) -> None:
    assert (await writer.get(f"{STATIC}/1")).status_code == 404


async def test_creating_a_static_group_without_assignments_fails_like_jamf(
    writer: httpx.AsyncClient,
) -> None:
    assert (await writer.post(STATIC, json={"name": "New"})).status_code == 500
    created = await writer.post(STATIC, json={"name": "New", "assignments": []})
    assert created.status_code == 201
