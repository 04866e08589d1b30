"""A server with the Jamf resources, prompts, completions and ChatGPT tools over in-memory fakes."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import attrs

from jamf_mcp.adapters.mcp import (
    InMemorySessionStore,
    McpServer,
    MethodProvider,
    Request,
    RequestContext,
    RequestScope,
    ServerInfo,
    ToolCatalogue,
)
from jamf_mcp.adapters.mcp_jamf.chatgpt_tools import ChatGptTools
from jamf_mcp.adapters.mcp_jamf.completions import CompletionMethods
from jamf_mcp.adapters.mcp_jamf.jamf_prompts import jamf_prompt_methods
from jamf_mcp.adapters.mcp_jamf.jamf_resources import JamfResources
from jamf_mcp.adapters.mcp_jamf.jamf_tools import ReadTools
from jamf_mcp.adapters.memory import (
    FixedClock,
    InMemoryAuditLog,
    InMemoryDeviceInventory,
    InMemoryPolicyCatalogue,
)
from jamf_mcp.application.use_cases import (
    CheckDeviceCompliance,
    CompleteNames,
    GetDeviceDetails,
    GetFleetSummary,
    GetPolicyDetails,
    ListAuditRecords,
    ListPolicies,
    SearchDevices,
)
from jamf_mcp.domain.actions import ActionKind, ActionTarget
from jamf_mcp.domain.audit import (
    AuditAction,
    AuditActor,
    AuditOutcome,
    DeviceResult,
    OutcomeStatus,
)
from jamf_mcp.domain.devices import DeviceKind, Hardware
from jamf_mcp.domain.policies import Policy, PolicyScope
from jamf_mcp.domain.principal import Principal
from tests.builders import NOW, computer, record_approved
from tests.unit.adapters_mcp.mcp_core_support import body_of, handle, status_of

READER = Principal("https://idp.example", "alice", {"read:jamf"}, display_name="Alice Admin")
STRANGER = Principal("https://idp.example", "eve", {"openid"})
JAMF_URL = "https://acme.jamfcloud.com/"


@attrs.define
class FixedDirectory:
    """A `Directory` with fixed names."""

    department_names: list[str] = attrs.field(factory=list)
    building_names: list[str] = attrs.field(factory=list)

    async def departments(self) -> Sequence[str]:
        return list(self.department_names)

    async def buildings(self) -> Sequence[str]:
        return list(self.building_names)


@attrs.define
class Fakes:
    """The in-memory ports behind the server, inspectable by tests."""

    inventory: InMemoryDeviceInventory
    policies: InMemoryPolicyCatalogue
    audit: InMemoryAuditLog
    directory: FixedDirectory
    clock: FixedClock


def fakes() -> Fakes:
    fleet = [computer(i, days_ago=(i % 20) + 0.5) for i in range(1, 101)]
    fleet[0] = computer(1, name="Marketing-MBP", days_ago=95, department="Marketing")
    fleet[9] = computer(10, days_ago=40, department="Sales")
    fleet[76] = attrs.evolve(
        computer(77, name="John-Smith-MacBook-Pro", real_name="John Smith", days_ago=2),
        hardware=Hardware(model="MacBook Pro"),
    )
    fleet.append(computer(123, name="MAC-123", department="IT"))
    fleet.append(computer(200, name="123"))  # a name that looks like an id
    fleet.append(
        computer(501, name="John-Smith-iPhone", real_name="John Smith", kind=DeviceKind.MOBILE)
    )
    policies = [
        Policy(1, "Update Inventory", True, "Maintenance", "Once every week", ("check-in",),
               PolicyScope(all_computers=True), collects_inventory=True),
        Policy(45, "Software Update", True, "Maintenance", "Once every day", ("check-in",)),
        Policy(7, "Install Google Chrome", True, "Apps", "Once per computer", ("check-in",),
               packages=("GoogleChrome.pkg",)),
        Policy(8, "Legacy Cleanup", False, "Maintenance", "Ongoing", ()),
    ]  # fmt: skip
    return Fakes(
        InMemoryDeviceInventory(fleet),
        InMemoryPolicyCatalogue.of(policies),
        InMemoryAuditLog(),
        FixedDirectory(["Engineering", "IT", "Marketing", "Sales", "Sales Engineering"]),
        FixedClock(NOW),
    )


def jamf_resources(ports: Fakes) -> JamfResources:
    inventory, policies, clock = ports.inventory, ports.policies, ports.clock
    return JamfResources(
        GetDeviceDetails(inventory),
        GetPolicyDetails(policies),
        CheckDeviceCompliance(inventory, clock),
        GetFleetSummary(inventory, clock),
        ListAuditRecords(ports.audit),
        clock,
    )


def build_server(ports: Fakes, *, page_size: int = 50) -> McpServer:
    inventory, policies, clock = ports.inventory, ports.policies, ports.clock
    search, details = SearchDevices(inventory), GetDeviceDetails(inventory)
    list_policies, policy = ListPolicies(policies), GetPolicyDetails(policies)
    compliance = CheckDeviceCompliance(inventory, clock)
    fleet = GetFleetSummary(inventory, clock)
    read = ReadTools(search, details, compliance, list_policies, policy, fleet, clock)
    chatgpt = ChatGptTools(search, details, list_policies, policy, clock, JAMF_URL)
    providers: list[MethodProvider] = [
        jamf_resources(ports).provider(page_size=page_size),
        jamf_prompt_methods(),
        CompletionMethods(CompleteNames(inventory, policies, ports.directory)),
    ]
    return McpServer(
        ToolCatalogue([*read.definitions(), *chatgpt.definitions()]),
        ServerInfo("jamf-mcp", "test"),
        InMemorySessionStore(),
        providers=providers,
    )


async def rpc(
    server: McpServer,
    method: str,
    params: Mapping[str, Any] | None = None,
    *,
    principal: Principal = READER,
    version: str = "2025-11-25",
) -> dict[str, Any]:
    """One stateless request under `version`; the decoded JSON-RPC response."""
    body: dict[str, Any] = {"jsonrpc": "2.0", "id": 1, "method": method}
    if params is not None:
        body["params"] = params
    reply = await handle(
        server, json.dumps(body).encode(), RequestContext(principal, protocol_version=version)
    )
    raw = await body_of(reply)
    assert raw is not None
    assert status_of(reply) == 200
    decoded: dict[str, Any] = json.loads(raw)
    return decoded


def scope_of(version: str, principal: Principal = READER) -> RequestScope:
    """A resolved request scope, for calling a provider's handler directly."""
    return RequestScope(
        principal=principal, session_id=None, protocol_version=version, client_capabilities={}
    )


def request(method: str, params: Mapping[str, Any]) -> Request:
    return Request(1, method, params)


async def record_action(
    audit: InMemoryAuditLog,
    *,
    names: Sequence[str],
    results: Sequence[OutcomeStatus] = (),
    display_name: str | None = "Alice Admin",
) -> str:
    """Record a confirmed policy run on computers called `names`, with per-device results."""
    targets = tuple(
        ActionTarget(DeviceKind.COMPUTER, str(i), name, f"SER{i}")
        for i, name in enumerate(names, 1)
    )
    action = AuditAction(
        ActionKind.EXECUTE_POLICY,
        targets,
        "d" * 64,
        "Run policy 'Software Update' (id 45) …",
        policy_id=45,
        policy_name="Software Update",
    )
    outcome = None
    if results:
        outcome = AuditOutcome(
            OutcomeStatus.QUEUED,
            NOW,
            tuple(DeviceResult(t.jamf_id, s) for t, s in zip(targets, results, strict=False)),
        )
    actor = AuditActor("https://idp.example", "alice", "client-1", display_name)
    return await record_approved(
        audit, action, actor, at=NOW - timedelta(minutes=5), outcome=outcome
    )


def content_json(result: Mapping[str, Any]) -> Any:
    """The JSON inside the single content item of a resource read or tool result."""
    items = result.get("contents", result.get("content"))
    assert isinstance(items, list) and len(items) == 1
    return json.loads(items[0]["text"])
