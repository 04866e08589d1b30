"""Lookup lists: departments, buildings, sites, categories, and the version endpoint."""

from __future__ import annotations

import httpx


async def test_departments_are_paged_and_filterable_by_name(api: httpx.AsyncClient) -> None:
    body = (await api.get("/api/v1/departments", params={"filter": 'name=="*ing"'})).json()
    assert sorted(d["name"] for d in body["results"]) == ["Engineering", "Marketing"]
    one = (await api.get("/api/v1/departments/2")).json()
    assert one == {"id": "2", "name": "Sales"}
    assert (await api.get("/api/v1/departments/99")).status_code == 404


async def test_buildings_have_addresses_and_sort_by_name(api: httpx.AsyncClient) -> None:
    body = (await api.get("/api/v1/buildings", params={"sort": "name:desc", "page-size": 2})).json()
    assert body["totalCount"] == 4
    names = [b["name"] for b in body["results"]]
    assert names == sorted(names, reverse=True)
    assert {"streetAddress1", "city", "stateProvince", "zipPostalCode", "country"} <= set(
        body["results"][0]
    )


async def test_sites_are_a_raw_array_and_categories_are_paged(api: httpx.AsyncClient) -> None:
    sites = (await api.get("/api/v1/sites")).json()
    categories = (await api.get("/api/v1/categories")).json()
    assert isinstance(sites, list) and sites[0]["id"] == "1"
    assert {"id": "1", "name": "Maintenance", "priority": 9} in categories["results"]


async def test_version_is_reported(api: httpx.AsyncClient) -> None:
    assert (await api.get("/api/v1/jamf-pro-version")).json() == {
        "version": "11.30.1-t1784555528405"
    }
