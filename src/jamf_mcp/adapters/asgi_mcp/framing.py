"""How the MCP core's answers become HTTP: the status of each `Outcome`, in one table.

The core answers in transport-neutral terms (`Result` with an `Outcome`, or `Stream`); this is
the only place that knows which HTTP status each kind of answer travels with.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping

from jamf_mcp.adapters.asgi_mcp.asgi_exchange import Answer
from jamf_mcp.adapters.mcp import ErrorCode, Outcome, Result, RpcError, StreamEvent

HTTP_STATUS: Mapping[Outcome, int] = {
    Outcome.ANSWERED: 200,
    Outcome.ACCEPTED: 202,
    Outcome.ENDED: 204,
    Outcome.MALFORMED: 400,
    Outcome.UNSUPPORTED_VERSION: 400,
    Outcome.UNKNOWN_STREAM: 400,
    Outcome.UNKNOWN_SESSION: 404,
    Outcome.UNKNOWN_METHOD: 404,
    Outcome.NO_STREAM: 405,
    Outcome.UNAVAILABLE: 503,
}
"""Every `Outcome`'s HTTP status (MCP Streamable HTTP: 202 for what needs no answer, 400 for
what the server cannot accept, 404 for a session it does not know, 405 where 2026-07-28 has no
`GET` stream)."""


def refusal(status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
    """An HTTP refusal whose body is a JSON-RPC error (what MCP clients expect to read)."""
    return Answer(status, RpcError(ErrorCode.INVALID_REQUEST, message).encode(), headers or {})


def whole_answer(result: Result, headers: Mapping[str, str]) -> Answer:
    """A complete `Result` as an HTTP answer (no body, and no `Content-Type`, without a message)."""
    status = HTTP_STATUS[result.kind]
    if result.message is None:
        return Answer(status, b"", headers, media_type=None)
    return Answer(status, result.message, headers)


async def one_event(message: bytes) -> AsyncGenerator[StreamEvent, None]:
    """A complete answer as a stream of one event (for clients that accept only streams)."""
    yield StreamEvent(None, message)
