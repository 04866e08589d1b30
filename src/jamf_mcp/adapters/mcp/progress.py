"""Progress notifications and the per-request channel back to the client."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.jsonrpc import encode_notification
from jamf_mcp.adapters.mcp.replies import Notify


class RequestChannel:
    """A `ClientChannel` writing to one request's stream.

    Args:
        notify: the transport's sink for encoded messages.
    """

    def __init__(self, notify: Notify) -> None:
        self._notify = notify

    async def notify(self, method: str, params: Mapping[str, Any]) -> None:
        """Send a notification related to the current request."""
        await self._notify(encode_notification(method, params))


class ProgressEmitter:
    """A `ProgressReporter` that sends `notifications/progress` for one progress token.

    Args:
        token: the request's `_meta.progressToken`.
        channel: where notifications go.
        protocol_version: decides whether `message` may be sent.
    """

    def __init__(self, token: str | int, channel: RequestChannel, protocol_version: str) -> None:
        self._token = token
        self._channel = channel
        self._with_message = revisions.has_progress_message(protocol_version)
        self._last: float | None = None

    async def __call__(
        self, progress: float, total: float | None = None, message: str | None = None
    ) -> None:
        """Send an update unless it does not move progress forward."""
        if self._last is not None and progress <= self._last:
            return
        self._last = progress
        params: dict[str, Any] = {"progressToken": self._token, "progress": progress}
        if total is not None:
            params["total"] = total
        if message is not None and self._with_message:
            params["message"] = message
        await self._channel.notify("notifications/progress", params)


async def no_progress(
    progress: float, total: float | None = None, message: str | None = None
) -> None:
    """The `ProgressReporter` for requests that asked for no progress."""
    return None


def progress_token(params: Mapping[str, Any]) -> str | int | None:
    """The request's `_meta.progressToken`, if it is a valid one."""
    meta = params.get("_meta")
    if not isinstance(meta, Mapping):
        return None
    token = meta.get("progressToken")
    if isinstance(token, str) or (isinstance(token, int) and not isinstance(token, bool)):
        return token
    return None
