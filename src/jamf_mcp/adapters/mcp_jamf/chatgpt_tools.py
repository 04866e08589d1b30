"""ChatGPT's `search` and `fetch` tools (deep research, company knowledge) over Jamf Pro records."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import Any

import attrs

from jamf_mcp.adapters.mcp.tools import ToolContext, ToolDefinition, ToolHandler, ToolResult
from jamf_mcp.adapters.mcp_jamf.chatgpt_present import (
    COMPUTER,
    MOBILE,
    POLICY,
    device_metadata,
    device_prefix,
    device_text,
    device_title,
    policy_metadata,
    policy_text,
    policy_title,
    record_url,
)
from jamf_mcp.adapters.mcp_jamf.jamf_tools import READ_ONLY, security_schemes
from jamf_mcp.adapters.mcp_jamf.jamf_tools_present import policy_details
from jamf_mcp.adapters.mcp_jamf.jamf_tools_schemas import object_schema
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.application.use_cases import (
    DeviceTypeFilter,
    GetDeviceDetails,
    GetDeviceRequest,
    GetPolicyDetails,
    GetPolicyRequest,
    ListPolicies,
    ListPoliciesRequest,
    SearchDevices,
    SearchDevicesRequest,
)
from jamf_mcp.domain.errors import AmbiguousDevice, DeviceNotFound, PolicyNotFound

MAX_RESULTS = 20
MAX_POLICY_RESULTS = 10
_RECORD_ID = re.compile(rf"({COMPUTER}|{MOBILE}|{POLICY}):([1-9][0-9]{{0,18}})")
_FAMILY = {COMPUTER: DeviceTypeFilter.COMPUTER, MOBILE: DeviceTypeFilter.MOBILE}
_NOUN = {COMPUTER: "computer", MOBILE: "mobile device"}

_STRING = {"type": "string"}
SEARCH_INPUT = object_schema(
    {
        "query": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Text found in a device's name, serial number, asset tag or its "
            "user's name, username or email, or in a policy's name (case-insensitive), e.g. "
            "'John Smith', 'MAC-123' or 'Chrome'.",
        }
    },
    ["query"],
)
SEARCH_OUTPUT = {
    "type": "object",
    "properties": {
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": _STRING, "title": _STRING, "url": _STRING},
                "required": ["id", "title", "url"],
            },
        }
    },
    "required": ["results"],
}
FETCH_INPUT = object_schema(
    {
        "id": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "An id that search returned: computer:123, mobile:12 or policy:45.",
        }
    },
    ["id"],
)
FETCH_OUTPUT = {
    "type": "object",
    "properties": {
        "id": _STRING,
        "title": _STRING,
        "text": _STRING,
        "url": _STRING,
        "metadata": {"type": "object"},
    },
    "required": ["id", "title", "text", "url"],
}


def _base_url(value: str) -> str:
    return value.rstrip("/")


def _shown(value: str) -> str:
    return repr(value if len(value) <= 100 else value[:100] + "…")


@attrs.frozen
class ChatGptTools:
    """The read use cases behind `search` and `fetch`, and where Jamf Pro's web pages live.

    Both tools return exactly one text item holding the JSON ChatGPT expects, and the same
    object as `structuredContent`; every `url` is the record's page in Jamf Pro, so ChatGPT can
    cite it.

    Attributes:
        jamf_base_url: the Jamf Pro address people open in a browser (e.g.
            `https://example.jamfcloud.com`); record URLs are built on it.
    """

    search_devices: SearchDevices
    get_device_details: GetDeviceDetails
    list_policies: ListPolicies
    get_policy_details: GetPolicyDetails
    clock: Clock
    jamf_base_url: str = attrs.field(converter=_base_url)

    async def search(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """search: devices of both kinds, then policies whose name contains the query."""
        query = str(args["query"]).strip()
        found, policies = await asyncio.gather(
            self.search_devices.execute(
                SearchDevicesRequest(
                    search_term=query, device_type=DeviceTypeFilter.ANY, limit=MAX_RESULTS
                ),
                ctx.principal,
            ),
            self.list_policies.execute(
                ListPoliciesRequest(
                    name_contains=query or None, enabled_only=False, limit=MAX_POLICY_RESULTS
                ),
                ctx.principal,
            ),
        )
        # Two first pages asked for at once, merged into one answer of at most MAX_RESULTS:
        # the policies keep their room, the devices fill the rest.
        devices = found.devices[: MAX_RESULTS - len(policies.items)]
        results = [
            {
                "id": f"{device_prefix(d.kind)}:{d.identity.jamf_id}",
                "title": device_title(d),
                "url": record_url(self.jamf_base_url, device_prefix(d.kind), d.identity.jamf_id),
            }
            for d in devices
        ] + [
            {
                "id": f"{POLICY}:{p.policy_id}",
                "title": policy_title(p),
                "url": record_url(self.jamf_base_url, POLICY, p.policy_id),
            }
            for p in policies.items
        ]
        return ToolResult(structured={"results": results})

    async def fetch(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """fetch: one computer, mobile device or policy in full."""
        record_id = str(args["id"]).strip()
        match = _RECORD_ID.fullmatch(record_id)
        if match is None:
            return ToolResult.error(
                f"{_shown(record_id)} is not an id that search returns; ids look like "
                "computer:123, mobile:12 or policy:45."
            )
        prefix, jamf_id = match.groups()
        if prefix == POLICY:
            return await self._policy(int(jamf_id), ctx)
        return await self._device(prefix, jamf_id, ctx)

    async def _device(self, prefix: str, jamf_id: str, ctx: ToolContext) -> ToolResult:
        missing = ToolResult.error(
            f"No {_NOUN[prefix]} has the Jamf id {jamf_id} (it may have been deleted); "
            "search again to find it."
        )
        try:
            device = await self.get_device_details.execute(
                GetDeviceRequest(jamf_id, _FAMILY[prefix]), ctx.principal
            )
        except (DeviceNotFound, AmbiguousDevice):
            return missing
        if device.identity.jamf_id != jamf_id:  # matched by name or serial, not by id
            return missing
        now = self.clock.now()
        document = {
            "id": f"{prefix}:{jamf_id}",
            "title": device_title(device),
            "text": device_text(device, now),
            "url": record_url(self.jamf_base_url, prefix, jamf_id),
            "metadata": device_metadata(device, now),
        }
        return ToolResult(structured=document)

    async def _policy(self, policy_id: int, ctx: ToolContext) -> ToolResult:
        try:
            policy = await self.get_policy_details.execute(
                GetPolicyRequest(policy_id), ctx.principal
            )
        except PolicyNotFound:
            return ToolResult.error(
                f"No policy has the Jamf id {policy_id} (it may have been deleted); "
                "search again to find it."
            )
        document = {
            "id": f"{POLICY}:{policy_id}",
            "title": policy_title(policy),
            "text": policy_text(policy, policy_details(policy)["howItRuns"]),
            "url": record_url(self.jamf_base_url, POLICY, policy_id),
            "metadata": policy_metadata(policy),
        }
        return ToolResult(structured=document)

    def definitions(self) -> list[ToolDefinition]:
        """`search` and `fetch`, in that order."""
        scopes = self.search_devices.required_scopes

        def tool(
            name: str,
            title: str,
            description: str,
            schemas: tuple[Mapping[str, Any], Mapping[str, Any]],
            handler: ToolHandler,
        ) -> ToolDefinition:
            return ToolDefinition(
                name=name,
                title=title,
                description=description,
                input_schema=schemas[0],
                output_schema=schemas[1],
                annotations=attrs.evolve(READ_ONLY, title=title),
                required_scopes=scopes,
                handler=handler,
                meta=security_schemes(scopes),
            )

        return [
            tool(
                "search",
                "Search Jamf Pro",
                "Search Jamf Pro for devices (Macs, iPhones and iPads, by name, serial number, "
                "asset tag, or their user's name, username or email) and policies (by part of "
                f"the name). Returns up to {MAX_RESULTS} results, each with an id for fetch, a "
                "title and the record's Jamf Pro URL.",
                (SEARCH_INPUT, SEARCH_OUTPUT),
                self.search,
            ),
            tool(
                "fetch",
                "Fetch a Jamf Pro record",
                "Fetch one computer, mobile device or policy that search returned (id such as "
                "computer:123, mobile:12 or policy:45) in full: user, OS, hardware, security, "
                "storage and check-in times for devices; scope, triggers, packages and scripts "
                "for policies; with the record's Jamf Pro URL.",
                (FETCH_INPUT, FETCH_OUTPUT),
                self.fetch,
            ),
        ]
