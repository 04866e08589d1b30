"""The per-request channel back to the client (notifications, requests) and progress notifications."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import Mapping
from typing import Any

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.jsonrpc import decode_response, encode_notification, encode_request
from jamf_mcp.adapters.mcp.replies import RequestSink
from jamf_mcp.adapters.mcp.signals import SignalRouter, response_key
from jamf_mcp.adapters.mcp.tools import ClientRequestFailed, NoBackChannel
from jamf_mcp.application.deadlines import current_deadline


class RequestChannel:
    """A `ClientChannel` writing to one request's stream.

    Args:
        sink: the transport's sink for encoded messages.
        router: where the client's responses to our requests are delivered.
        principal_key: whose request this is (responses from anyone else never match).
        session_id: the request's session, if any.
    """

    def __init__(
        self,
        sink: RequestSink,
        router: SignalRouter,
        principal_key: str,
        session_id: str | None,
    ) -> None:
        self._sink = sink
        self._router = router
        self._principal_key = principal_key
        self._session_id = session_id

    @property
    def can_request(self) -> bool:
        """True when the reply is streamed, so a request can reach the client."""
        return self._sink.streaming

    async def notify(self, method: str, params: Mapping[str, Any]) -> None:
        """Send a notification related to the current request."""
        await self._sink.send(encode_notification(method, params))

    async def request(
        self, method: str, params: Mapping[str, Any], *, answer_within: float
    ) -> Mapping[str, Any]:
        """Ask the client; its response arrives as a separate POST routed through `router`."""
        if not self._sink.streaming:
            raise NoBackChannel()
        request_id = f"jamf-mcp-{secrets.token_urlsafe(12)}"
        key = response_key(self._principal_key, self._session_id, request_id)
        answer: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()

        def deliver(payload: bytes) -> None:
            if not answer.done():
                answer.set_result(payload)

        stop = self._router.listen(key, deliver)
        deadline = current_deadline()
        try:
            # Waiting on the person is not waiting on Jamf: the call's deadline pauses.
            with deadline.paused() if deadline is not None else contextlib.nullcontext():
                await self._sink.send(encode_request(request_id, method, params))
                async with asyncio.timeout(answer_within):
                    payload = await answer
        finally:
            stop()
        response = decode_response(payload)
        if response.error is not None:
            code = response.error.get("code")
            raise ClientRequestFailed(
                code if isinstance(code, int) else 0, str(response.error.get("message", ""))
            )
        return response.result or {}


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
        if (deadline := current_deadline()) is not None:
            deadline.restart()  # the client saw progress (and resets its own timeout on it)


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
