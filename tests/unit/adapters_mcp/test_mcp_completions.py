"""completion/complete through the MCP core: prompt arguments, template ids, limits and errors."""

from __future__ import annotations

from typing import Any

import pytest
from mcp import types

from jamf_mcp.adapters.mcp import McpServer
from jamf_mcp.domain.devices import DeviceKind
from tests.builders import computer
from tests.unit.adapters_mcp.jamf_methods_support import (
    STRANGER,
    Fakes,
    build_server,
    fakes,
    rpc,
)


@pytest.fixture
def ports() -> Fakes:
    return fakes()


@pytest.fixture
def server(ports: Fakes) -> McpServer:
    return build_server(ports)


def prompt(name: str) -> dict[str, str]:
    return {"type": "ref/prompt", "name": name}


def template(uri: str) -> dict[str, str]:
    return {"type": "ref/resource", "uri": uri}


async def complete(
    server: McpServer, ref: dict[str, str], name: str, value: Any, **extra: Any
) -> dict[str, Any]:
    params = {"ref": ref, "argument": {"name": name, "value": value}, **extra}
    return await rpc(server, "completion/complete", params)


def completion(body: dict[str, Any]) -> types.Completion:
    return types.CompleteResult.model_validate(body["result"]).completion


async def test_completes_device_names_of_both_kinds_for_troubleshooting(
    server: McpServer,
) -> None:
    result = completion(await complete(server, prompt("troubleshoot-device"), "device", "john"))

    assert result.values == ["John-Smith-MacBook-Pro", "John-Smith-iPhone"]
    assert result.total == 2 and result.has_more is False


async def test_device_names_match_from_the_start_of_the_name_only(server: McpServer) -> None:
    # "Smith" is in both names (and in their user's name) but starts neither.
    result = completion(await complete(server, prompt("troubleshoot-device"), "device", "Smith"))

    assert result.values == [] and result.total == 0


async def test_a_long_list_is_cut_at_100_with_an_honest_total(server: McpServer) -> None:
    result = completion(await complete(server, prompt("troubleshoot-device"), "device", ""))

    assert len(result.values) == 100
    assert result.total == 103 and result.has_more is True


async def test_too_many_candidates_to_scan_leave_the_total_unknown(ports: Fakes) -> None:
    ports.inventory.devices.extend(computer(1000 + i, name=f"Lab-{i:04d}") for i in range(1100))
    server = build_server(ports)

    result = completion(await complete(server, prompt("troubleshoot-device"), "device", "Lab"))

    assert len(result.values) == 100 and result.values[0] == "Lab-0000"
    assert result.total is None and result.has_more is True


async def test_completes_policy_names_prefix_matches_first(server: McpServer) -> None:
    result = completion(await complete(server, prompt("rollout-policy"), "policy", "up"))

    assert result.values == ["Update Inventory", "Legacy Cleanup", "Software Update"]
    assert result.total == 3 and result.has_more is False


async def test_a_rollout_target_can_be_all_a_department_or_a_computer(server: McpServer) -> None:
    everything = completion(await complete(server, prompt("rollout-policy"), "target", "AL"))
    sales = completion(await complete(server, prompt("rollout-policy"), "target", "sal"))
    mac = completion(await complete(server, prompt("rollout-policy"), "target", "mac-12"))

    assert everything.values == ["all", "Sales", "Sales Engineering"]
    assert sales.values == ["Sales", "Sales Engineering"] and sales.total == 2
    assert mac.values == ["MAC-123"]


async def test_suggests_day_counts_for_the_compliance_review(server: McpServer) -> None:
    all_days = completion(await complete(server, prompt("compliance-review"), "days", ""))
    ones = completion(await complete(server, prompt("compliance-review"), "days", "1"))

    assert all_days.values == ["7", "14", "30", "60", "90"]
    assert ones.values == ["14"] and ones.total == 1 and ones.has_more is False


async def test_the_computer_template_completes_to_ids(server: McpServer) -> None:
    by_name = completion(await complete(server, template("jamf://computers/{id}"), "id", "John"))
    by_id = completion(await complete(server, template("jamf://computers/{id}"), "id", "123"))

    assert by_name.values == ["77"]
    assert by_id.values[0] == "123"  # the exact id first, then the computer named "123"
    assert "200" in by_id.values


async def test_the_policy_and_mobile_templates_complete_to_ids(server: McpServer) -> None:
    policies = completion(await complete(server, template("jamf://policies/{id}"), "id", "4"))
    mobiles = completion(
        await complete(server, template("jamf://mobile-devices/{id}"), "id", "john")
    )

    assert policies.values == ["45"]
    assert mobiles.values == ["501"]


async def test_context_arguments_are_accepted(server: McpServer) -> None:
    body = await complete(
        server,
        prompt("rollout-policy"),
        "target",
        "Mark",
        context={"arguments": {"policy": "Software Update"}},
    )

    assert completion(body).values == ["Marketing", "Marketing-MBP"]


async def test_hostile_text_is_only_ever_data(ports: Fakes, server: McpServer) -> None:
    ports.inventory.devices.append(computer(900, name="x' or name=*", kind=DeviceKind.MOBILE))

    body = await complete(server, prompt("troubleshoot-device"), "device", "x' or")

    assert completion(body).values == ["x' or name=*"]


@pytest.mark.parametrize(
    "params",
    [
        {"ref": prompt("nope"), "argument": {"name": "a", "value": ""}},
        {"ref": prompt("troubleshoot-device"), "argument": {"name": "x", "value": ""}},
        {"ref": template("jamf://reports/compliance"), "argument": {"name": "id", "value": ""}},
    ],
)
async def test_an_unknown_prompt_template_or_argument_has_nothing_to_suggest(
    server: McpServer, params: dict[str, Any]
) -> None:
    body = await rpc(server, "completion/complete", params)

    assert body["result"]["completion"]["values"] == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"ref": {"type": "ref/tool"}, "argument": {"name": "a", "value": ""}}, "'ref.type'"),
        ({"ref": prompt("compliance-review")}, "'argument' must be an object"),
        (
            {"ref": prompt("compliance-review"), "argument": {"name": "days", "value": 7}},
            "'argument' must be an object",
        ),
        (
            {
                "ref": prompt("troubleshoot-device"),
                "argument": {"name": "device", "value": "x" * 201},
            },
            "longer than 200",
        ),
        (
            {
                "ref": prompt("troubleshoot-device"),
                "argument": {"name": "device", "value": ""},
                "context": {"arguments": {"policy": 3}},
            },
            "'context.arguments'",
        ),
    ],
)
async def test_bad_completion_requests_are_invalid_params(
    server: McpServer, params: dict[str, Any], expected: str
) -> None:
    body = await rpc(server, "completion/complete", params)

    assert body["error"]["code"] == -32602
    assert expected in body["error"]["message"]


async def test_a_sign_in_without_read_jamf_gets_no_completions(server: McpServer) -> None:
    params = {"ref": prompt("compliance-review"), "argument": {"name": "days", "value": ""}}

    body = await rpc(server, "completion/complete", params, principal=STRANGER)

    assert body["error"]["code"] == -32600
    assert "needs scope read:jamf" in body["error"]["message"]
