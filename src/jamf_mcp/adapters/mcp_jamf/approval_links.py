"""Sending the person to the approval page: URL-mode elicitation, -32042, or a link in the result.

Wire shapes from MCP 2025-11-25 (client/elicitation, "URL Mode"): `elicitation/create` with
`mode: "url"`, `url`, `elicitationId` and `message`; the client answers `accept` (the person
agreed to open it), `decline` or `cancel`; the server may send `notifications/elicitation/complete`
with the `elicitationId` when the out-of-band interaction is done; and a request that cannot go on
until the person has been to the URL may be answered with the `URLElicitationRequiredError`
(-32042) whose `data.elicitations` lists the URL-mode requests.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import attrs

from jamf_mcp.adapters.mcp.jsonrpc import ErrorCode, RpcError
from jamf_mcp.adapters.mcp.tools import (
    ClientChannel,
    ClientRequestFailed,
    InputRequired,
    NoBackChannel,
    ProgressReporter,
    ToolResult,
)
from jamf_mcp.adapters.mcp_jamf.jamf_tools_present import timestamp
from jamf_mcp.application.approval_path import ApprovalRequired
from jamf_mcp.application.ports import ConfirmationAnswer
from jamf_mcp.domain.approvals import Approval
from jamf_mcp.domain.confirmations import audit_record_id

if TYPE_CHECKING:
    from jamf_mcp.application.approval_path import ApprovalPrompt

_log = logging.getLogger(__name__)

CONFIRMATION_MODES = ("form", "url")
"""`JAMF_MCP_CONFIRMATION_MODE`: which elicitation a client that declares both gets."""


def _no_trailing_slash(url: str) -> str:
    return url.rstrip("/")


@attrs.frozen
class ApprovalLinks:
    """How this server sends people to its approval page.

    Attributes:
        base_url: the public URL of the server (the page is `<base_url>/confirm/<id>`).
        mode: `form` (clients with form elicitation get the form) or `url` (clients that declare
            URL elicitation are sent to the page even when they could show a form).
        repeat_wait: seconds a call that finds its approval still open waits for the person
            (the same call made again while they are on the page).
        url_wait: seconds a call that sent a URL elicitation waits for the page (the TTL).
    """

    base_url: str = attrs.field(converter=_no_trailing_slash)
    mode: str = attrs.field(default="form", validator=attrs.validators.in_(CONFIRMATION_MODES))
    repeat_wait: float = 0.0
    url_wait: float = 300.0

    def link(self, approval_id: str) -> str:
        """The approval page of `approval_id`."""
        return f"{self.base_url}/confirm/{approval_id}"


def url_message(summary: str) -> str:
    """What the client shows with the link (the page shows the full summary again)."""
    return (
        f"Approve or decline in your browser: {summary}\n\nThe page asks you to sign in as "
        "yourself; nothing happens unless you approve there."
    )


def url_elicitation_params(link: str, elicitation_id: str, summary: str) -> dict[str, Any]:
    """The `elicitation/create` params of a URL-mode request (2025-11-25)."""
    return {
        "mode": "url",
        "message": url_message(summary),
        "url": link,
        "elicitationId": elicitation_id,
    }


class UrlElicitationPrompt:
    """An `ApprovalPrompt` that shows the page's link through the client's URL-mode elicitation.

    Args:
        channel: the tool call's way back to the client.
        progress: progress of the tool call (a no-op without a progress token).
        links: the page's address.
        answer_within: how long the client may take to show the link.
    """

    def __init__(
        self,
        channel: ClientChannel,
        progress: ProgressReporter,
        links: ApprovalLinks,
        answer_within: float,
    ) -> None:
        self._channel = channel
        self._progress = progress
        self._links = links
        self._answer_within = answer_within

    async def show(self, approval: Approval) -> ConfirmationAnswer:
        """Send `elicitation/create` (URL mode) and read whether the person went to the page."""
        params = url_elicitation_params(
            self._links.link(approval.approval_id), approval.record_id, approval.message
        )
        try:
            result = await self._channel.request(
                "elicitation/create", params, answer_within=self._answer_within
            )
        except (NoBackChannel, ClientRequestFailed, TimeoutError) as failure:
            _log.info("The client could not show the approval link (%s)", type(failure).__name__)
            return ConfirmationAnswer.UNAVAILABLE
        action = result.get("action")
        if action == "accept":
            return ConfirmationAnswer.ACCEPTED
        if action == "decline":
            return ConfirmationAnswer.DECLINED
        return ConfirmationAnswer.DISMISSED

    async def waiting(self, elapsed: float, total: float) -> None:
        """Progress: "Waiting for approval in the browser"."""
        await self._progress(round(elapsed, 1), total, "Waiting for approval in the browser")

    async def done(self, approval: Approval) -> None:
        """`notifications/elicitation/complete` for this approval's elicitation."""
        await self._channel.notify(
            "notifications/elicitation/complete", {"elicitationId": approval.record_id}
        )


def url_elicitation_required(
    outcome: ApprovalRequired, links: ApprovalLinks, request_id: str | int | None
) -> RpcError:
    """The -32042 error for a client with URL elicitation that cannot be asked in this call."""
    link = links.link(outcome.approval_id)
    elicitation = url_elicitation_params(
        link, audit_record_id(outcome.approval_id), outcome.prepared.message
    )
    return RpcError(
        ErrorCode.URL_ELICITATION_REQUIRED,
        "Approval in the browser is required before this action can run.",
        request_id,
        {"elicitations": [elicitation]},
    )


APPROVAL_KEY = "approve"
"""The key of the URL-mode input request in a 2026-07-28 input-required result."""
STATE_PREFIX = "approval:"
"""`requestState` of a URL-mode round trip: it names the approval (it approves nothing)."""


def url_answer(response: object) -> ConfirmationAnswer:
    """The person's answer to a URL-mode elicitation (`accept`: they went to the page)."""
    action = response.get("action") if isinstance(response, dict) else None
    if action == "accept":
        return ConfirmationAnswer.ACCEPTED
    if action == "decline":
        return ConfirmationAnswer.DECLINED
    return ConfirmationAnswer.DISMISSED


def url_input_required(outcome: ApprovalRequired, links: ApprovalLinks) -> ToolResult:
    """A 2026-07-28 input-required result asking the client to open the approval page."""
    request = {
        "method": "elicitation/create",
        "params": url_elicitation_params(
            links.link(outcome.approval_id),
            audit_record_id(outcome.approval_id),
            outcome.prepared.message,
        ),
    }
    return ToolResult(
        structured=None,
        input_required=InputRequired({APPROVAL_KEY: request}, STATE_PREFIX + outcome.approval_id),
    )


def approval_required_result(
    outcome: ApprovalRequired, tool: str, link: Callable[[str], str]
) -> ToolResult:
    """`status: approval_required`: the summary and the link for the person, nothing to redeem."""
    message = outcome.prepared.message
    url = link(outcome.approval_id)
    expires = timestamp(outcome.expires_at)
    lead = (
        "Still waiting: the user has not approved this yet."
        if outcome.waiting
        else "Nothing has been done yet."
    )
    text = (
        f"{lead} The user must approve it themselves in their browser. Show the user this "
        f"summary and this link, and ask them to open it, sign in and approve or decline:\n\n"
        f"{message}\n\nApproval link: {url}\n\nThe link works until {expires}. Once they say they "
        f"approved, call {tool} again with exactly the same arguments to run it and get the "
        "result. You cannot approve it yourself."
    )
    return ToolResult(
        structured={
            "status": "approval_required",
            "approvalUrl": url,
            "approvalId": outcome.approval_id,
            "waiting": outcome.waiting,
            "summary": message,
            "expiresAt": expires,
            "totalDevices": len(outcome.prepared.action.targets),
        },
        text=text,
    )


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_prompt: type[ApprovalPrompt] = UrlElicitationPrompt
