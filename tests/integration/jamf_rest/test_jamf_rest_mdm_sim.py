"""MDM commands against the simulator's `/api/v2/mdm/commands`."""

from __future__ import annotations

import httpx
import pytest

from jamf_mcp.adapters.jamf_rest import JamfHttp, JamfManagementCommands, RetryPolicy
from jamf_mcp.domain.errors import JamfRequestRejected, JamfUnavailable
from jamf_mcp.simulator import JamfSimulator, SimulatorOptions
from tests.integration.jamf_rest.jamf_sim import NOW, SIM_URL, jamf_on, sim_connection


@pytest.fixture
def sim() -> JamfSimulator:
    return JamfSimulator(SimulatorOptions(computers=200, now=NOW))


def _mac(sim: JamfSimulator, computer_id: int = 123) -> str:
    return sim.tenant.facts.management_id(sim.tenant.computers_by_id[computer_id])


async def test_a_restart_is_queued_pending_and_acknowledged_after_the_next_tick(
    sim: JamfSimulator,
) -> None:
    mac = _mac(sim)
    async with jamf_on(sim) as (ports, _, _):
        (ref,) = await ports.commands.send("RESTART_DEVICE", [mac], {"notifyUser": True})
        assert ref.management_id == mac
        queued = await ports.commands.status(ref.uuid)
        sim.tick(1)
        done = await ports.commands.status(ref.uuid)
    assert queued is not None and done is not None
    assert (queued.state, queued.command_type, queued.management_id) == (
        "PENDING",
        "RESTART_DEVICE",
        mac,
    )
    assert queued.sent_at is not None and queued.completed_at is None
    assert done.state == "ACKNOWLEDGED"
    assert done.completed_at is not None and done.completed_at >= queued.sent_at
    assert sim.tenant.mdm.commands[-1].data == {"notifyUser": True}


async def test_one_command_per_device_is_paired_with_its_device(sim: JamfSimulator) -> None:
    macs = [_mac(sim, 123), _mac(sim, 124)]
    async with jamf_on(sim) as (ports, _, _):
        refs = await ports.commands.send("SHUT_DOWN_DEVICE", macs, {})
    assert [ref.management_id for ref in refs] == macs
    assert len({ref.uuid for ref in refs}) == 2


async def test_an_unknown_command_type_is_a_domain_error_with_jamfs_message(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, _):
        with pytest.raises(
            JamfRequestRejected, match="Could not resolve type id 'UPDATE_INVENTORY'"
        ):
            await ports.commands.send("UPDATE_INVENTORY", [_mac(sim)], {})
    assert sim.tenant.mdm.commands == []


async def test_a_status_for_an_unknown_uuid_is_none_even_with_rsql_characters(
    sim: JamfSimulator,
) -> None:
    async with jamf_on(sim) as (ports, _, recorder):
        assert await ports.commands.status("nope") is None
        assert await ports.commands.status('x",uuid=="*') is None
    sent = recorder.paths("/api/v2/mdm/commands")[-1]
    assert sent.params["filter"] == 'uuid=="x\\",uuid==\\"\\*"'


async def test_a_command_post_answered_with_500_is_not_sent_again() -> None:
    sent: list[httpx.Request] = []

    def failing(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500, json={"httpStatus": 500, "errors": []})

    client = httpx.AsyncClient(base_url=SIM_URL, transport=httpx.MockTransport(failing))
    async with client:
        http = JamfHttp(client, sim_connection(), retry=RetryPolicy.immediate(4))
        with pytest.raises(JamfUnavailable):
            await JamfManagementCommands(http).send("RESTART_DEVICE", ["abc"], {})
    assert [r.method for r in sent] == ["POST"]


async def test_commands_are_paired_by_management_id_even_when_jamf_answers_in_another_order() -> (
    None
):
    # Jamf documents one {id, href} per client but no order; the pairing reads each command back.
    created = [{"id": "uuid-b", "href": "x"}, {"id": "uuid-a", "href": "y"}]
    listed = {
        "totalCount": 2,
        "results": [
            {
                "uuid": "uuid-a",
                "client": {"managementId": "mgmt-a", "clientType": "COMPUTER"},
                "commandState": "PENDING",
                "commandType": "RESTART_DEVICE",
            },
            {
                "uuid": "uuid-b",
                "client": {"managementId": "mgmt-b", "clientType": "COMPUTER"},
                "commandState": "PENDING",
                "commandType": "RESTART_DEVICE",
            },
        ],
    }
    seen: list[httpx.Request] = []

    def jamf(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "POST":
            return httpx.Response(201, json=created)
        return httpx.Response(200, json=listed)

    client = httpx.AsyncClient(base_url=SIM_URL, transport=httpx.MockTransport(jamf))
    async with client:
        http = JamfHttp(client, sim_connection(), retry=RetryPolicy.immediate(1))
        refs = await JamfManagementCommands(http).send("RESTART_DEVICE", ["mgmt-a", "mgmt-b"], {})
    assert {ref.uuid: ref.management_id for ref in refs} == {"uuid-a": "mgmt-a", "uuid-b": "mgmt-b"}
    assert seen[-1].url.params["filter"] == 'uuid=in=("uuid-b","uuid-a")'
