"""Classic API: policies (JSON/XML, 404 page, subsets, XML writes), computer groups, history."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx
import pytest

JSON = {"Accept": "application/json"}


async def test_policy_list_has_integer_ids_and_the_contract_policies(
    api: httpx.AsyncClient,
) -> None:
    body = (await api.get("/JSSResource/policies", headers=JSON)).json()
    by_id = {p["id"]: p["name"] for p in body["policies"]}
    assert by_id[1] == "Update Inventory" and by_id[45] == "Software Update"
    assert len(by_id) == 13


async def test_software_update_policy_has_the_classic_shape(api: httpx.AsyncClient) -> None:
    policy = (await api.get("/JSSResource/policies/id/45", headers=JSON)).json()["policy"]
    general = policy["general"]
    assert general["enabled"] is True and general["trigger_checkin"] is True
    assert general["frequency"] == "Once every day"
    assert general["category"]["name"] == "Maintenance"
    assert general["site"] == {"id": -1, "name": "None"}
    assert policy["scope"]["all_computers"] is True
    assert set(policy) >= {
        "self_service",
        "package_configuration",
        "scripts",
        "maintenance",
        "reboot",
    }


async def test_update_inventory_runs_recon_weekly(api: httpx.AsyncClient) -> None:
    policy = (await api.get("/JSSResource/policies/name/Update Inventory", headers=JSON)).json()[
        "policy"
    ]
    assert policy["maintenance"]["recon"] is True
    assert policy["general"]["frequency"] == "Once every week"


async def test_xml_is_the_default_and_unknown_policies_get_an_html_404(
    api: httpx.AsyncClient,
) -> None:
    xml = await api.get("/JSSResource/policies")
    assert xml.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(xml.content)
    assert root.tag == "policies" and root.findtext("size") == "13"
    missing = await api.get("/JSSResource/policies/id/999", headers=JSON)
    assert missing.status_code == 404 and "<html>" in missing.text


async def test_subsets_return_only_the_asked_sections(api: httpx.AsyncClient) -> None:
    body = (await api.get("/JSSResource/policies/id/1/subset/General&Scope", headers=JSON)).json()
    assert set(body["policy"]) == {"general", "scope"}


async def test_put_merges_sections_and_replaces_scope_wholesale(writer: httpx.AsyncClient) -> None:
    xml = (
        "<policy><general><enabled>false</enabled><bogus>dropped</bogus></general>"
        "<scope><computers><computer><id>77</id></computer></computers></scope></policy>"
    )
    response = await writer.put("/JSSResource/policies/id/45", content=xml)
    assert response.status_code == 201
    assert ET.fromstring(response.content).findtext("id") == "45"
    policy = (await writer.get("/JSSResource/policies/id/45", headers=JSON)).json()["policy"]
    assert policy["general"]["enabled"] is False
    assert policy["general"]["name"] == "Software Update"
    assert policy["scope"]["all_computers"] is False
    assert policy["scope"]["computers"][0]["name"] == "John-Smith-MacBook-Pro"


async def test_post_creates_a_policy_with_the_next_id(writer: httpx.AsyncClient) -> None:
    xml = "<policy><general><name>Install Firefox</name><frequency>Whenever</frequency></general></policy>"
    response = await writer.post("/JSSResource/policies/id/0", content=xml)
    assert response.status_code == 201
    new_id = ET.fromstring(response.content).findtext("id")
    assert new_id == "46"
    created = (await writer.get(f"/JSSResource/policies/id/{new_id}", headers=JSON)).json()[
        "policy"
    ]
    assert created["general"]["frequency"] == "Once per computer"


async def test_post_without_a_name_is_a_409(writer: httpx.AsyncClient) -> None:
    response = await writer.post(
        "/JSSResource/policies/id/0", content="<policy><general/></policy>"
    )
    assert response.status_code == 409


async def test_xml_with_a_doctype_is_refused(writer: httpx.AsyncClient) -> None:
    evil = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><policy><general><name>&e;</name></general></policy>'
    response = await writer.post("/JSSResource/policies/id/0", content=evil)
    assert response.status_code == 400


async def test_classic_group_additions_and_deletions(writer: httpx.AsyncClient) -> None:
    add = "<computer_group><computer_additions><computer><id>10</id></computer><computer><name>MAC-123</name></computer></computer_additions></computer_group>"
    assert (await writer.put("/JSSResource/computergroups/id/7", content=add)).status_code == 201
    remove = "<computer_group><computer_deletions><computer><id>10</id></computer></computer_deletions></computer_group>"
    assert (await writer.put("/JSSResource/computergroups/id/7", content=remove)).status_code == 201
    group = (await writer.get("/JSSResource/computergroups/id/7", headers=JSON)).json()[
        "computer_group"
    ]
    assert [c["id"] for c in group["computers"]] == [123]
    assert group["is_smart"] is False


async def test_smart_groups_refuse_manual_members(writer: httpx.AsyncClient) -> None:
    add = "<computer_group><computer_additions><computer><id>10</id></computer></computer_additions></computer_group>"
    assert (await writer.put("/JSSResource/computergroups/id/1", content=add)).status_code == 409


async def test_classic_group_list_and_create(writer: httpx.AsyncClient) -> None:
    created = await writer.post(
        "/JSSResource/computergroups/id/0",
        content="<computer_group><name>Lab</name><computers><computer><id>3</id></computer></computers></computer_group>",
    )
    assert created.status_code == 201
    groups = (await writer.get("/JSSResource/computergroups", headers=JSON)).json()[
        "computer_groups"
    ]
    assert {"id": 8, "name": "Lab", "is_smart": False} in groups


async def test_computer_history_lists_seeded_policy_logs(api: httpx.AsyncClient) -> None:
    body = (
        await api.get("/JSSResource/computerhistory/id/1/subset/PolicyLogs", headers=JSON)
    ).json()
    logs = body["computer_history"]["policy_logs"]
    assert set(body["computer_history"]) == {"policy_logs"}
    assert {"Update Inventory", "Software Update"} <= {log["policy_name"] for log in logs}
    assert logs[0]["date_completed_utc"].endswith("+0000")
    assert logs == sorted(logs, key=lambda log: -log["date_completed_epoch"])
    assert (await api.get("/JSSResource/computerhistory/id/99999", headers=JSON)).status_code == 404


@pytest.mark.parametrize(
    "subset", ["PolicyLogs", "policy_logs", "policylogs", "General&PolicyLogs"]
)
async def test_the_policy_logs_subset_answers_to_every_spelling_clients_use(
    api: httpx.AsyncClient, subset: str
) -> None:
    # Jamf's docs write subsets as `PolicyLogs`; ruby-jss's management history sends `policy_logs`.
    response = await api.get(f"/JSSResource/computerhistory/id/1/subset/{subset}", headers=JSON)
    assert response.status_code == 200
    assert "policy_logs" in response.json()["computer_history"]
