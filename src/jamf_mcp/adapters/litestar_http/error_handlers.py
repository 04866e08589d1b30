"""Litestar's exception handlers: the errors every endpoint may raise (401, 403, 429, 503) get the
same answers the raw MCP endpoints give; any other exception is logged and answered 500."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from litestar import Request, Response
from litestar.types import ExceptionHandlersMap

from jamf_mcp.adapters.asgi_mcp.asgi_exchange import Answer
from jamf_mcp.adapters.litestar_http.answers import litestar_response


def exception_handlers(
    answered: Iterable[type[Exception]],
    answer_error: Callable[[Exception], Answer | None],
    failure: Callable[[BaseException], Answer],
) -> ExceptionHandlersMap:
    """Handlers for the `answered` errors and for status 500, which Litestar uses for every
    exception that is not an HTTP answer.

    Args:
        answered: the errors with an answer of their own (`refusals.ANSWERED_ERRORS`).
        answer_error: the answer for each of them (`refusals.error_answers`).
        failure: the answer for any other exception, which it logs (`refusals.unexpected_failure`).
    """

    def answer(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
        known = answer_error(error)
        assert known is not None  # registered for the answered errors only
        return litestar_response(known)

    def failed(_: Request[Any, Any, Any], error: Exception) -> Response[Any]:
        return litestar_response(failure(error))

    return {**dict.fromkeys(answered, answer), 500: failed}
