"""JSON-RPC 2.0 framing: parse one incoming message, encode responses, errors and notifications.

Batches (JSON arrays) are refused for every revision. Only 2025-03-26 ever allowed them, it was
removed again in 2025-06-18, no client we target sends them, and refusing keeps one POST = one
message, which the HTTP layer and the streaming replies rely on.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from typing import Any, NamedTuple, TypeAlias

import attrs
import msgspec

RequestId: TypeAlias = str | int

MAX_DEPTH = 64
"""The deepest nesting of arrays and objects a message may have (no MCP message needs more)."""


class ErrorCode(IntEnum):
    """JSON-RPC and MCP error codes this server emits."""

    PARSE_ERROR = -32700
    INVALID_REQUEST = -32600
    METHOD_NOT_FOUND = -32601
    INVALID_PARAMS = -32602
    INTERNAL_ERROR = -32603
    SESSION_NOT_FOUND = -32001
    RESOURCE_NOT_FOUND = -32002
    HEADER_MISMATCH = -32020
    MISSING_REQUIRED_CLIENT_CAPABILITY = -32021
    UNSUPPORTED_PROTOCOL_VERSION = -32022
    URL_ELICITATION_REQUIRED = -32042


class _Envelope(msgspec.Struct):
    """Every member a JSON-RPC message may carry; validation happens in `parse_message`."""

    jsonrpc: Any = msgspec.UNSET
    id: Any = msgspec.UNSET
    method: Any = msgspec.UNSET
    params: Any = msgspec.UNSET
    result: Any = msgspec.UNSET
    error: Any = msgspec.UNSET


_decoder = msgspec.json.Decoder(_Envelope)
_encoder = msgspec.json.Encoder()


class Request(NamedTuple):
    """A JSON-RPC request: it has an id and expects exactly one response.

    Messages are `NamedTuple`s: one is built for every message received (ADR 0040).
    """

    id: RequestId
    method: str
    params: Mapping[str, Any]


class Notification(NamedTuple):
    """A JSON-RPC notification: no id, no response."""

    method: str
    params: Mapping[str, Any]


class ClientResponse(NamedTuple):
    """A response the client sent to a server-initiated request (e.g. `elicitation/create`).

    Attributes:
        id: the id of the server's request it answers.
        result: the result object, when the client succeeded.
        error: the error object, when it failed.
    """

    id: RequestId | None
    result: Mapping[str, Any] | None = None
    error: Mapping[str, Any] | None = None


@attrs.frozen
class RpcError(Exception):
    """A JSON-RPC error to send back instead of a result.

    Attributes:
        code: the JSON-RPC error code.
        message: a short, client-safe description.
        request_id: the id of the request it answers (None when unknown).
        data: optional structured detail.
    """

    code: ErrorCode
    message: str
    request_id: RequestId | None = None
    data: Mapping[str, Any] | None = None

    def encode(self) -> bytes:
        """Serialise as a JSON-RPC error response."""
        error: dict[str, Any] = {"code": int(self.code), "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return _encoder.encode({"jsonrpc": "2.0", "id": self.request_id, "error": error})


Message: TypeAlias = Request | Notification | ClientResponse


def _is_id(value: object) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


_TOO_DEEP = f"Parse error: the JSON nests deeper than {MAX_DEPTH} levels"


def _depth_exceeds(value: object, limit: int) -> bool:
    """Whether arrays and objects in `value` nest deeper than `limit` (iterative: no recursion)."""
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _explain_undecodable(raw: bytes) -> RpcError:
    """Tell a parse error from a body that is JSON but not a JSON-RPC object."""
    try:
        value = msgspec.json.decode(raw)
    except RecursionError:
        return RpcError(ErrorCode.PARSE_ERROR, _TOO_DEEP)
    except msgspec.DecodeError:
        return RpcError(ErrorCode.PARSE_ERROR, "Parse error: the body is not valid JSON")
    if isinstance(value, list):
        return RpcError(
            ErrorCode.INVALID_REQUEST,
            "JSON-RPC batches are not supported; send one message per HTTP request",
        )
    return RpcError(ErrorCode.INVALID_REQUEST, "Invalid request: expected a JSON-RPC object")


def parse_message(raw: bytes) -> Message:
    """Parse and validate one JSON-RPC message.

    Raises:
        RpcError: -32700 for malformed JSON or JSON nested deeper than `MAX_DEPTH`, -32600 for
            anything that is not a single valid JSON-RPC 2.0 message (the error carries the
            request id when one could be read).
    """
    try:
        envelope = _decoder.decode(raw)
    except RecursionError:  # msgspec gives up around 1,000 levels
        raise RpcError(ErrorCode.PARSE_ERROR, _TOO_DEEP) from None
    except msgspec.DecodeError:  # includes msgspec.ValidationError (a non-object body)
        raise _explain_undecodable(raw) from None
    # Fewer brackets than the limit cannot nest deeper (a C-speed count spares the walk).
    if raw.count(b"[") + raw.count(b"{") > MAX_DEPTH and _depth_exceeds(
        [envelope.params, envelope.result, envelope.error, envelope.id], MAX_DEPTH - 1
    ):
        raise RpcError(ErrorCode.PARSE_ERROR, _TOO_DEEP)
    has_id = envelope.id is not msgspec.UNSET
    request_id: RequestId | None = envelope.id if _is_id(envelope.id) else None

    def invalid(why: str) -> RpcError:
        return RpcError(ErrorCode.INVALID_REQUEST, f"Invalid request: {why}", request_id)

    if envelope.jsonrpc != "2.0":
        raise invalid('"jsonrpc" must be "2.0"')
    if has_id and request_id is None:
        raise invalid('"id" must be a string or an integer')
    if envelope.method is msgspec.UNSET:
        if envelope.result is not msgspec.UNSET or envelope.error is not msgspec.UNSET:
            result = envelope.result if isinstance(envelope.result, dict) else None
            error = envelope.error if isinstance(envelope.error, dict) else None
            if result is None and error is None:
                raise invalid('"result" or "error" must be an object')
            return ClientResponse(request_id, result, error)
        raise invalid('"method" is missing')
    if not isinstance(envelope.method, str) or not envelope.method:
        raise invalid('"method" must be a non-empty string')
    params = envelope.params
    if params is msgspec.UNSET or params is None:
        params = {}
    elif not isinstance(params, dict):
        raise RpcError(ErrorCode.INVALID_PARAMS, '"params" must be an object', request_id)
    if request_id is None:
        return Notification(envelope.method, params)
    return Request(request_id, envelope.method, params)


def encode_result(request_id: RequestId, result: Mapping[str, Any]) -> bytes:
    """Serialise a successful JSON-RPC response."""
    return _encoder.encode({"jsonrpc": "2.0", "id": request_id, "result": result})


def encode_request(request_id: RequestId, method: str, params: Mapping[str, Any]) -> bytes:
    """Serialise a server-to-client request."""
    return _encoder.encode({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})


def decode_response(raw: bytes) -> ClientResponse:
    """The client response in `raw` (as relayed between processes by a `SignalRouter`).

    Raises:
        RpcError: `raw` is not a JSON-RPC response.
    """
    message = parse_message(raw)
    if not isinstance(message, ClientResponse):
        raise RpcError(ErrorCode.INVALID_REQUEST, "Invalid request: not a response")
    return message


def encode_notification(method: str, params: Mapping[str, Any]) -> bytes:
    """Serialise a server-to-client notification."""
    return _encoder.encode({"jsonrpc": "2.0", "method": method, "params": params})


def encode_json(value: Any) -> str:
    """Compact JSON text for a value (used for the text twin of structured content)."""
    return _encoder.encode(value).decode()
