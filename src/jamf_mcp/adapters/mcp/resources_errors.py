"""JSON-RPC errors of the resource, prompt and completion methods: "not found" and domain errors.

Their scopes are checked before they run, where the providers declare them (`authorization.py`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.jsonrpc import ErrorCode, Request, RpcError, encode_json
from jamf_mcp.adapters.mcp.methods import MethodHandler
from jamf_mcp.adapters.mcp.replies import RequestScope
from jamf_mcp.domain.errors import (
    AccessDenied,
    AmbiguousDevice,
    AmbiguousPolicy,
    DeviceNotFound,
    InvalidRequest,
    JamfMcpError,
    PolicyNotFound,
    UnknownBuilding,
    UnknownDepartment,
)

LEGACY_RESOURCE_NOT_FOUND = -32002
""""Resource not found" before 2026-07-28, which uses -32602 instead."""

MAX_SHOWN_CHARS = 200

_BAD_PARAMS = (InvalidRequest, AmbiguousDevice, AmbiguousPolicy, UnknownDepartment, UnknownBuilding)


def shown(value: str) -> str:
    """`value` quoted for an error message, cut short if long (it may be hostile)."""
    return repr(value if len(value) <= MAX_SHOWN_CHARS else value[:MAX_SHOWN_CHARS] + "…")


def error_reply(
    request: Request, code: int, message: str, data: Mapping[str, Any] | None = None
) -> bytes:
    """A JSON-RPC error answering `request`, encoded."""
    error: dict[str, Any] = {"code": code, "message": message}
    if data is not None:
        error["data"] = dict(data)
    body = {"jsonrpc": "2.0", "id": request.id, "error": error}
    return encode_json(body).encode()


def not_found_reply(request: Request, scope: RequestScope, uri: str, message: str) -> bytes:
    """ "Resource not found" in the code of the request's era, with the URI as data."""
    modern = revisions.is_modern(scope.protocol_version)
    code = int(ErrorCode.INVALID_PARAMS) if modern else LEGACY_RESOURCE_NOT_FOUND
    return error_reply(request, code, message, {"uri": uri[: MAX_SHOWN_CHARS * 4]})


def invalid_params(request: Request, message: str) -> RpcError:
    """The -32602 error to raise for parameters that cannot be served."""
    return RpcError(ErrorCode.INVALID_PARAMS, message, request.id)


def domain_error_reply(request: Request, error: JamfMcpError) -> bytes:
    """A domain error as a JSON-RPC error: its message is safe to show to the user.

    Tools report failures inside their results; these methods have no such place. Errors answer
    a readable request, so they are ordinary responses.
    """
    if isinstance(error, AccessDenied):
        code = ErrorCode.INVALID_REQUEST
    elif isinstance(error, _BAD_PARAMS | DeviceNotFound | PolicyNotFound):
        code = ErrorCode.INVALID_PARAMS
    else:
        code = ErrorCode.INTERNAL_ERROR
    return error_reply(request, int(code), error.message)


def guarded(handler: MethodHandler) -> MethodHandler:
    """`handler` with domain errors answered as JSON-RPC errors."""

    async def run(request: Request, scope: RequestScope) -> bytes:
        try:
            return await handler(request, scope)
        except JamfMcpError as error:
            return domain_error_reply(request, error)

    return run
