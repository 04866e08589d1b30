"""The device-changing tools (executePolicy, updateInventory, sendMdmCommand) and getCommandStatus.

Each handler translates arguments into a use-case request and chooses how the person can
confirm: a `confirmationToken` argument (the second step of a two-step call), or elicitation when
the client declared it and this call's reply is streamed, or — failing both — a new token. There
is no `confirm` argument: the model can relay a confirmation, never make one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.tools import ToolAnnotations, ToolContext, ToolDefinition, ToolResult
from jamf_mcp.adapters.mcp_jamf import jamf_action_schemas as schemas
from jamf_mcp.adapters.mcp_jamf.approval_links import (
    APPROVAL_KEY,
    STATE_PREFIX,
    ApprovalLinks,
    UrlElicitationPrompt,
    approval_required_result,
    url_answer,
    url_elicitation_required,
    url_input_required,
)
from jamf_mcp.adapters.mcp_jamf.elicitation import DEFAULT_TIMEOUT_SECONDS, elicitation_confirmer
from jamf_mcp.adapters.mcp_jamf.input_required import (
    input_required_confirmation,
    input_required_result,
    uses_input_required,
)
from jamf_mcp.adapters.mcp_jamf.jamf_action_present import (
    action_status_result,
    command_status_result,
    outcome_result,
)
from jamf_mcp.adapters.mcp_jamf.jamf_tools import FIND_DEVICES_ADVICE, READ_ONLY, security_schemes
from jamf_mcp.application.approval_path import ApprovalRequired, ApprovalRoute
from jamf_mcp.application.confirmation_gate import (
    ConfirmationInput,
    ConfirmationRequired,
    GatedOutcome,
)
from jamf_mcp.application.use_cases import (
    ActionStatusRequest,
    CommandStatusRequest,
    DeviceTypeFilter,
    ExecutePolicy,
    ExecutePolicyRequest,
    GetActionStatus,
    GetCommandStatus,
    SendMdmCommand,
    SendMdmCommandRequest,
    UpdateInventory,
    UpdateInventoryRequest,
)
from jamf_mcp.domain.approvals import PERSON_ONLY_COMMANDS
from jamf_mcp.domain.audit import ClientInfo, ConfirmationChannel
from jamf_mcp.domain.errors import InvalidRequest
from jamf_mcp.domain.mdm import MDM_COMMANDS

_MDM_FIELDS = sorted({field for spec in MDM_COMMANDS.values() for field in spec.fields})


def _annotations(title: str, *, destructive: bool) -> ToolAnnotations:
    return ToolAnnotations(
        title=title, read_only=False, destructive=destructive, idempotent=False, open_world=False
    )


def device_identifiers(args: Mapping[str, Any], single: str, many: str) -> tuple[str, ...]:
    """`single` and/or `many` as one tuple (at least one is required)."""
    identifiers = [args[single]] if single in args else []
    identifiers += list(args.get(many, ()))
    if not identifiers:
        raise InvalidRequest(f"Give {single} or {many}.")
    return tuple(identifiers)


def client_of(ctx: ToolContext) -> ClientInfo:
    """The calling MCP client's name and version from its `clientInfo`, for the audit trail."""
    info = ctx.client_info
    name, version = info.get("name"), info.get("version")
    return ClientInfo(
        name if isinstance(name, str) else None, version if isinstance(version, str) else None
    )


def _text_field(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@attrs.frozen
class ActionTools:
    """The use cases behind the device-changing tools.

    Attributes:
        execute_policy, update_inventory, send_mdm_command, get_command_status,
            get_action_status: the use cases.
        elicitation_timeout: how long a person has to answer an elicitation.
    """

    execute_policy: ExecutePolicy
    update_inventory: UpdateInventory
    send_mdm_command: SendMdmCommand
    get_command_status: GetCommandStatus
    get_action_status: GetActionStatus
    elicitation_timeout: float = DEFAULT_TIMEOUT_SECONDS
    links: ApprovalLinks | None = None
    tokens_allowed: bool = False

    def _url_capable(self, ctx: ToolContext) -> bool:
        if self.links is None:
            return False
        if not revisions.supports_url_elicitation(ctx.protocol_version, ctx.client_capabilities):
            return False
        form = revisions.supports_form_elicitation(ctx.protocol_version, ctx.client_capabilities)
        return self.links.mode == "url" or not form

    def _confirmation(self, args: Mapping[str, Any], ctx: ToolContext) -> ConfirmationInput:
        """How the person confirms this call, by what the client can do (ADR 0033)."""
        client = client_of(ctx)
        tokens = self.tokens_allowed
        token = args.get("confirmationToken")
        if token is not None:
            return ConfirmationInput(token=token, client=client, tokens_allowed=tokens)
        approval_id = args.get("approvalId")
        links = self.links
        modern = revisions.is_modern(ctx.protocol_version)
        if links is not None and self._url_capable(ctx) and modern:
            # 2026-07-28: the URL-mode elicitation travels in an input-required result; the
            # retry names the approval in its state and carries the person's answer (ADR 0033).
            state = ctx.request_state or ""
            retry = state.startswith(STATE_PREFIX)
            round_trip = ApprovalRoute(
                ConfirmationChannel.URL_ELICITATION,
                state.removeprefix(STATE_PREFIX) if retry else approval_id,
                None,
                links.url_wait if retry else 0.0,
                url_answer(ctx.input_responses.get(APPROVAL_KEY)) if retry else None,
            )
            return ConfirmationInput(approval=round_trip, client=client, tokens_allowed=tokens)
        if links is not None and self._url_capable(ctx):
            prompt: UrlElicitationPrompt | None = None
            if ctx.channel.can_request:
                prompt = UrlElicitationPrompt(
                    ctx.channel, ctx.progress, links, self.elicitation_timeout
                )
            by_url = ApprovalRoute(
                ConfirmationChannel.URL_ELICITATION,
                approval_id,
                prompt,
                links.url_wait if prompt is not None else 0.0,
            )
            return ConfirmationInput(approval=by_url, client=client, tokens_allowed=tokens)
        if uses_input_required(ctx):
            return input_required_confirmation(ctx, client)
        confirmer = elicitation_confirmer(
            ctx.channel, ctx.protocol_version, ctx.client_capabilities, self.elicitation_timeout
        )
        person_only = args.get("command") in PERSON_ONLY_COMMANDS
        route: ApprovalRoute | None = None
        if links is not None and (not tokens or person_only or approval_id is not None):
            route = ApprovalRoute(
                ConfirmationChannel.APPROVAL_PAGE, approval_id, None, links.repeat_wait
            )
        return ConfirmationInput(
            confirmer=confirmer, approval=route, client=client, tokens_allowed=tokens
        )

    def _present(self, outcome: GatedOutcome, tool: str, ctx: ToolContext) -> ToolResult:
        if isinstance(outcome, ConfirmationRequired) and uses_input_required(ctx):
            return input_required_result(outcome, ctx.protocol_version)
        if isinstance(outcome, ApprovalRequired):
            assert self.links is not None  # only a call with links gets an approval
            url_mode = outcome.channel is ConfirmationChannel.URL_ELICITATION
            if url_mode and revisions.is_modern(ctx.protocol_version):
                return url_input_required(outcome, self.links)
            if outcome.channel is ConfirmationChannel.URL_ELICITATION and not (
                ctx.channel.can_request
            ):
                raise url_elicitation_required(outcome, self.links, ctx.request_id)
            return approval_required_result(outcome, tool, self.links.link)
        return outcome_result(outcome, tool)

    async def policy(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """executePolicy."""
        if "policyId" not in args and "policyName" not in args:
            raise InvalidRequest("Give policyId or policyName.")
        request = ExecutePolicyRequest(
            device_identifiers=device_identifiers(args, "deviceIdentifier", "deviceIdentifiers"),
            policy_id=args.get("policyId"),
            policy_name=args.get("policyName"),
            wait_seconds=args["waitSeconds"],
            flush_computer_logs=args["flushComputerPolicyLogs"],
        )
        outcome = await self.execute_policy.execute(
            request, ctx.principal, self._confirmation(args, ctx), ctx.progress, ctx.cancellation
        )
        return self._present(outcome, "executePolicy", ctx)

    async def inventory(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """updateInventory."""
        request = UpdateInventoryRequest(
            device_identifiers=tuple(args.get("deviceIds", ())),
            search_term=args.get("searchTerm"),
            department=args.get("department"),
            building=args.get("building"),
            device_type=DeviceTypeFilter(args["deviceType"]),
            all_devices=args["allDevices"],
            flush_computer_logs=args["flushComputerPolicyLogs"],
        )
        outcome = await self.update_inventory.execute(
            request, ctx.principal, self._confirmation(args, ctx), ctx.progress, ctx.cancellation
        )
        return self._present(outcome, "updateInventory", ctx)

    async def mdm(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """sendMdmCommand."""
        fields = {name: _text_field(args[name]) for name in _MDM_FIELDS if name in args}
        request = SendMdmCommandRequest(
            command=args["command"],
            device_identifiers=device_identifiers(args, "deviceIdentifier", "deviceIdentifiers"),
            fields=fields,
        )
        outcome = await self.send_mdm_command.execute(
            request, ctx.principal, self._confirmation(args, ctx), ctx.progress, ctx.cancellation
        )
        return self._present(outcome, "sendMdmCommand", ctx)

    async def command_status(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """getCommandStatus."""
        uuids = device_identifiers(args, "commandUuid", "commandUuids")
        report = await self.get_command_status.execute(CommandStatusRequest(uuids), ctx.principal)
        return command_status_result(report)

    async def action_status(self, args: Mapping[str, Any], ctx: ToolContext) -> ToolResult:
        """getActionStatus."""
        request = ActionStatusRequest(args["auditRecordId"])
        return action_status_result(await self.get_action_status.execute(request, ctx.principal))

    def definitions(self) -> list[ToolDefinition]:
        """The five tools, in catalogue order."""
        write = self.execute_policy.required_scopes | self.get_command_status.required_scopes
        read = self.get_command_status.required_scopes

        def tool(
            name: str,
            title: str,
            description: str,
            input_schema: Mapping[str, Any],
            handler: Any,
            *,
            destructive: bool,
        ) -> ToolDefinition:
            return ToolDefinition(
                name=name,
                title=title,
                description=description,
                input_schema=input_schema,
                output_schema=schemas.ACTION_OUTPUT,
                annotations=_annotations(title, destructive=destructive),
                required_scopes=write,
                handler=handler,
                meta=security_schemes(write),
                may_elicit=True,
                error_advice=FIND_DEVICES_ADVICE,
            )

        confirm = (
            " Nothing happens until the user approves it themselves: the client asks them "
            "directly, or the call returns status approval_required with a summary and an "
            "approval link to give the user; after they approve in the browser, call again with "
            "the same arguments to run it. You cannot approve on their behalf."
        )
        if self.tokens_allowed:
            confirm += (
                " (This server also accepts status confirmation_required with a "
                "confirmationToken to pass back, same arguments, only after the user confirms.)"
            )
        return [
            tool(
                "executePolicy",
                "Run a policy",
                "Run a Jamf Pro policy (by policyName or policyId) on one or more computers "
                "(deviceIdentifier(s): id, serial or name). Jamf has no 'run now' API: the "
                "computers join the policy's scope and it runs at their next check-in (the "
                "summary gives this Jamf Pro's check-in frequency); waitSeconds waits for the "
                "result, getActionStatus follows it later. Only enabled check-in policies can "
                "be queued. Where a once-per policy already ran, the summary says when and the "
                "only way to run it again is flushComputerPolicyLogs (ALL that computer's "
                "policy logs: other once-per policies run again too) — offer it, never choose "
                "it for the user." + confirm,
                schemas.EXECUTE_POLICY_INPUT,
                self.policy,
                destructive=True,
            ),
            tool(
                "updateInventory",
                "Update inventory",
                "Make devices send Jamf Pro a fresh inventory report: named devices (deviceIds) "
                "or every device matching department, building or searchTerm (deviceType "
                "computer by default), e.g. 'all Marketing Macs'. Macs run Jamf Pro's inventory "
                "policy at their next check-in when its frequency allows (the summary says "
                "where it already ran, and flushComputerPolicyLogs is the only way to force "
                "it); iPhones/iPads get the MDM inventory request. One confirmation covers the "
                "batch; progress is reported per device and every device gets its own "
                "result." + confirm,
                schemas.UPDATE_INVENTORY_INPUT,
                self.inventory,
                destructive=False,
            ),
            tool(
                "sendMdmCommand",
                "Send an MDM command",
                "Send an MDM command to devices: lock, restart, shut down, erase, Remote Desktop "
                "on/off (Macs), Lost Mode (iPhones/iPads). Commands are queued by Jamf Pro and "
                "carried out when the device next contacts Apple; check them with "
                "getCommandStatus." + confirm,
                schemas.SEND_MDM_COMMAND_INPUT,
                self.mdm,
                destructive=True,
            ),
            ToolDefinition(
                name="getCommandStatus",
                title="Get MDM command status",
                description="Where MDM commands stand (PENDING, ACKNOWLEDGED, NOT_NOW, ERROR), "
                "by the commandUuid(s) sendMdmCommand returned.",
                input_schema=schemas.COMMAND_STATUS_INPUT,
                output_schema=schemas.COMMAND_STATUS_OUTPUT,
                annotations=attrs.evolve(READ_ONLY, title="Get MDM command status"),
                required_scopes=read,
                handler=self.command_status,
                meta=security_schemes(read),
            ),
            ToolDefinition(
                name="getActionStatus",
                title="Get policy run status",
                description="Where a confirmed policy run (executePolicy, or updateInventory's "
                "computers) stands on each computer — queued, ran, failed or expired (not run "
                "in time) — by the auditRecordId the action returned.",
                input_schema=schemas.ACTION_STATUS_INPUT,
                output_schema=schemas.ACTION_STATUS_OUTPUT,
                annotations=attrs.evolve(READ_ONLY, title="Get policy run status"),
                required_scopes=read,
                handler=self.action_status,
                meta=security_schemes(read),
            ),
        ]
