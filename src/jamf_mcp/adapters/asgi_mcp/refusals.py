"""The answers to errors any endpoint may raise: sign-in (401/403), rate limits (429), shared
state down (503). Litestar's exception handlers and the raw MCP endpoints both use them."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from jamf_mcp.adapters.asgi_mcp.asgi_exchange import Answer
from jamf_mcp.adapters.asgi_mcp.bearer_auth import (
    AuthenticationFailed,
    BearerAuthenticator,
    ScopeRequired,
)
from jamf_mcp.adapters.asgi_mcp.rate_limits import RateLimited, too_many_requests
from jamf_mcp.adapters.asgi_mcp.stream_limits import TooManyStreams
from jamf_mcp.adapters.mcp import ErrorCode, RpcError
from jamf_mcp.adapters.mcp.sessions import TooManySessions
from jamf_mcp.adapters.structured_logs import current_request
from jamf_mcp.domain.errors import StateUnavailable

logger = logging.getLogger(__name__)

ANSWERED_ERRORS: tuple[type[Exception], ...] = (
    AuthenticationFailed,
    ScopeRequired,
    RateLimited,
    StateUnavailable,
    TooManySessions,
    TooManyStreams,
)


def state_unavailable(error: StateUnavailable) -> Answer:
    """503 with `Retry-After` (logged: the replica cannot serve anything meanwhile)."""
    logger.error("Shared state unavailable: %s", error.message)
    return Answer(
        503,
        json.dumps({"error": "Service unavailable", "message": error.message}).encode(),
        headers={"Retry-After": "5"},
    )


def server_full(message: str) -> Answer:
    """503 with `Retry-After`: a session or stream limit of the whole server is reached."""
    logger.warning("Refused a new session or stream: %s", message)
    return Answer(
        503,
        RpcError(ErrorCode.INTERNAL_ERROR, message).encode(),
        headers={"Retry-After": "30"},
    )


def unexpected_failure(error: BaseException) -> Answer:
    """Log `error` with its traceback (and the request id, from the log context); answer 500.

    The answer says nothing about the failure beyond the request id to quote to an operator.
    """
    logger.error("Unexpected failure serving a request", exc_info=error)
    context = current_request()
    reference = f" (request {context.request_id})" if context is not None else ""
    return Answer(
        500,
        json.dumps(
            {"error": "Internal error", "message": f"The incident was logged{reference}."}
        ).encode(),
        headers={"Cache-Control": "no-store"},
    )


def error_answers(authenticator: BearerAuthenticator) -> Callable[[Exception], Answer | None]:
    """The answer for each of `ANSWERED_ERRORS` (None for any other error)."""

    def answer(error: Exception) -> Answer | None:
        if isinstance(error, AuthenticationFailed):
            return authenticator.unauthorized(error)
        if isinstance(error, ScopeRequired):
            return authenticator.forbidden(error)
        if isinstance(error, RateLimited):
            return too_many_requests(error)
        if isinstance(error, StateUnavailable):
            return state_unavailable(error)
        if isinstance(error, TooManySessions | TooManyStreams):
            return server_full(error.message)
        return None

    return answer
