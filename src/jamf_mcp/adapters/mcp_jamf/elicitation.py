"""Confirmation by MCP elicitation: the client's own UI asks the person, out of the model's reach."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.tools import ClientChannel, ClientRequestFailed, NoBackChannel
from jamf_mcp.application.ports.confirmations import ConfirmationAnswer

if TYPE_CHECKING:
    from jamf_mcp.application.ports.confirmations import Confirmer

_log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 300.0
"""How long the person has to answer (the same as a confirmation token's lifetime)."""

CONFIRM_FIELD = "confirm"


def confirmation_request(summary: str, protocol_version: str) -> dict[str, Any]:
    """The `elicitation/create` params: the summary and one required boolean `confirm`."""
    params: dict[str, Any] = {
        "message": f"{summary}\n\nConfirm to go ahead; anything else cancels and nothing is done.",
        "requestedSchema": {
            "type": "object",
            "properties": {
                CONFIRM_FIELD: {
                    "type": "boolean",
                    "title": "Confirm",
                    "description": "Do exactly what the summary says",
                    "default": False,
                }
            },
            "required": [CONFIRM_FIELD],
        },
    }
    if protocol_version >= "2025-11-25":
        params["mode"] = "form"
    return params


def read_answer(result: Mapping[str, Any]) -> ConfirmationAnswer:
    """Only `accept` with `confirm: true` confirms; `decline` declines; anything else dismisses."""
    action = result.get("action")
    content = result.get("content")
    confirmed = isinstance(content, Mapping) and content.get(CONFIRM_FIELD) is True
    if action == "accept":
        return ConfirmationAnswer.ACCEPTED if confirmed else ConfirmationAnswer.DECLINED
    if action == "decline":
        return ConfirmationAnswer.DECLINED
    return ConfirmationAnswer.DISMISSED


class ElicitationConfirmer:
    """A `Confirmer` that sends `elicitation/create` on the tool call's own response stream.

    Args:
        channel: the tool call's way back to the client.
        protocol_version: the revision the call is served under.
        timeout: how long to wait for the person; no answer in time counts as dismissed.
    """

    def __init__(
        self,
        channel: ClientChannel,
        protocol_version: str,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        self._channel = channel
        self._version = protocol_version
        self._timeout = timeout

    async def ask(self, summary: str) -> ConfirmationAnswer:
        """Ask, and map the client's answer; a client that cannot ask is `UNAVAILABLE`."""
        params = confirmation_request(summary, self._version)
        try:
            result = await self._channel.request(
                "elicitation/create", params, answer_within=self._timeout
            )
        except NoBackChannel:
            return ConfirmationAnswer.UNAVAILABLE
        except ClientRequestFailed as failure:
            _log.info(
                "The client could not show the confirmation",
                extra={"fields": {"reason": str(failure)[:200]}},
            )
            return ConfirmationAnswer.UNAVAILABLE
        except TimeoutError:
            _log.info("No answer to the confirmation within %.0f s", self._timeout)
            return ConfirmationAnswer.TIMED_OUT
        return read_answer(result)


def elicitation_confirmer(
    channel: ClientChannel,
    protocol_version: str,
    capabilities: Mapping[str, Any],
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> ElicitationConfirmer | None:
    """A confirmer when the client declared form elicitation and can be reached now, else None."""
    if not channel.can_request:
        return None
    if not revisions.supports_form_elicitation(protocol_version, capabilities):
        return None
    return ElicitationConfirmer(channel, protocol_version, timeout)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_confirmer: type[Confirmer] = ElicitationConfirmer
