"""Confirmation through a 2026-07-28 multi-round-trip request (`input_required`).

A modern client that can show forms gets, instead of a result, an `InputRequiredResult` asking it
to elicit the user's confirmation, with the server's single-use confirmation token as the opaque
`requestState`. The client retries the same `tools/call` with the user's answer in
`inputResponses` and the state echoed back: only `accept` with `confirm: true` redeems the token
(bound, like every token, to the user, the exact action and a deadline); anything else runs nothing.
"""

from __future__ import annotations

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.tools import InputRequired, ToolContext, ToolResult
from jamf_mcp.adapters.mcp_jamf.elicitation import confirmation_request, read_answer
from jamf_mcp.application.confirmation_gate import ConfirmationInput, ConfirmationRequired
from jamf_mcp.application.ports.confirmations import ConfirmationAnswer
from jamf_mcp.domain.audit import ClientInfo, ConfirmationChannel

CONFIRM_KEY = "confirm"


def uses_input_required(ctx: ToolContext) -> bool:
    """True for a 2026-07-28 call from a client that can elicit a form."""
    return revisions.is_modern(ctx.protocol_version) and revisions.supports_form_elicitation(
        ctx.protocol_version, ctx.client_capabilities
    )


def input_required_confirmation(ctx: ToolContext, client: ClientInfo) -> ConfirmationInput:
    """What the call proves: nothing yet (first round), or the user's answer (the retry).

    The answer travels with the token it answers, so a "no" uses the token up and is recorded
    on the same audit record as the question.
    """
    channel = ConfirmationChannel.INPUT_REQUIRED
    if ctx.request_state is None:
        return ConfirmationInput(channel=channel, client=client)
    response = ctx.input_responses.get(CONFIRM_KEY)
    answer = read_answer(response) if isinstance(response, dict) else ConfirmationAnswer.DISMISSED
    return ConfirmationInput(token=ctx.request_state, channel=channel, answer=answer, client=client)


def input_required_result(outcome: ConfirmationRequired, protocol_version: str) -> ToolResult:
    """Ask the client to elicit the confirmation; the token travels as `requestState`."""
    request = {
        "method": "elicitation/create",
        "params": confirmation_request(outcome.prepared.message, protocol_version),
    }
    return ToolResult(
        structured=None,
        input_required=InputRequired({CONFIRM_KEY: request}, outcome.token),
    )
