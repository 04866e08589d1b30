"""The 2026-07-28 ("modern") envelope: per-request `_meta`, routing headers and their checks.

A modern request carries its protocol version and the client's capabilities in
`params._meta`; over HTTP it also repeats the version, the method and (for `tools/call`,
`prompts/get`, `resources/read`) the tool/prompt name or resource URI in headers. Mismatches are
refused before anything runs (`HeaderMismatch` -32020), as are versions this server does not
speak (`UnsupportedProtocolVersion` -32022, listing the supported ones).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

import attrs

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.jsonrpc import ErrorCode, Notification, Request, RpcError

PROTOCOL_VERSION_KEY = "io.modelcontextprotocol/protocolVersion"
CLIENT_CAPABILITIES_KEY = "io.modelcontextprotocol/clientCapabilities"
CLIENT_INFO_KEY = "io.modelcontextprotocol/clientInfo"
LOG_LEVEL_KEY = "io.modelcontextprotocol/logLevel"
SERVER_INFO_KEY = "io.modelcontextprotocol/serverInfo"

NAME_BEARING_METHODS: Mapping[str, str] = {
    "tools/call": "name",
    "prompts/get": "name",
    "resources/read": "uri",
}
_BASE64_SENTINEL = re.compile(r"=\?base64\?(?P<payload>.*)\?=")


@attrs.frozen
class RoutingHeaders:
    """The HTTP headers a modern request repeats from its body (None: the transport has none).

    Attributes:
        protocol_version: `MCP-Protocol-Version`.
        method: `Mcp-Method`.
        name: `Mcp-Name`.
    """

    protocol_version: str | None = None
    method: str | None = None
    name: str | None = None


@attrs.frozen
class ModernEnvelope:
    """What a valid modern request says about itself."""

    protocol_version: str
    client_capabilities: Mapping[str, Any]
    client_info: Mapping[str, Any]
    log_level: str | None


def decode_header_value(value: str | None) -> str | None:
    """A header value, with the `=?base64?…?=` form for non-ASCII values decoded (None if corrupt)."""
    if value is None:
        return None
    match = _BASE64_SENTINEL.fullmatch(value)
    if match is None:
        return value
    try:
        return base64.b64decode(match.group("payload"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def declares_modern(message: Request | Notification, header: str | None) -> bool:
    """True when the message is to be served under the modern (stateless) rules.

    Either its version header names 2026-07-28 or later, or its `_meta` carries a protocol
    version (then a header that says otherwise is a mismatch, refused by `read_envelope`).
    """
    if header is not None and revisions.looks_modern(header):
        return True
    meta = message.params.get("_meta")
    return isinstance(meta, Mapping) and PROTOCOL_VERSION_KEY in meta


def _mismatch(message: str, request_id: str | int | None) -> RpcError:
    return RpcError(ErrorCode.HEADER_MISMATCH, message, request_id)


def read_envelope(
    message: Request | Notification, headers: RoutingHeaders | None
) -> ModernEnvelope:
    """Validate a modern message's `_meta` and routing headers.

    Args:
        message: the request or notification.
        headers: the routing headers, or None for transports without headers (stdio).

    Raises:
        RpcError: -32602 for a missing or malformed `_meta`, -32020 for a header that disagrees
            with the body, -32022 for an unsupported protocol version.
    """
    request_id = message.id if isinstance(message, Request) else None
    meta = message.params.get("_meta")
    if not isinstance(meta, Mapping) or PROTOCOL_VERSION_KEY not in meta:
        raise RpcError(
            ErrorCode.INVALID_PARAMS,
            f"params._meta must carry {PROTOCOL_VERSION_KEY!r} and {CLIENT_CAPABILITIES_KEY!r}",
            request_id,
        )
    version = meta[PROTOCOL_VERSION_KEY]
    capabilities = meta.get(CLIENT_CAPABILITIES_KEY)
    if headers is not None:
        if headers.protocol_version != version:
            raise _mismatch(
                "MCP-Protocol-Version header does not match params._meta's protocol version",
                request_id,
            )
        if headers.method != message.method:
            raise _mismatch("Mcp-Method header does not match the request's method", request_id)
        name_key = NAME_BEARING_METHODS.get(message.method)
        if name_key is not None:
            expected = message.params.get(name_key)
            if expected is not None and decode_header_value(headers.name) != expected:
                raise _mismatch(
                    f"Mcp-Name header does not match the request's {name_key!r}", request_id
                )
    if not isinstance(version, str):
        raise RpcError(
            ErrorCode.INVALID_PARAMS, "the protocol version must be a string", request_id
        )
    if not revisions.is_modern(version) or not revisions.is_supported(version):
        raise unsupported_version(version, request_id)
    if not isinstance(capabilities, Mapping):
        raise RpcError(
            ErrorCode.INVALID_PARAMS,
            f"params._meta must carry {CLIENT_CAPABILITIES_KEY!r} (an object)",
            request_id,
        )
    client_info = meta.get(CLIENT_INFO_KEY)
    level = meta.get(LOG_LEVEL_KEY)
    return ModernEnvelope(
        protocol_version=version,
        client_capabilities=capabilities,
        client_info=client_info if isinstance(client_info, Mapping) else {},
        log_level=level if isinstance(level, str) else None,
    )


def unsupported_version(requested: str, request_id: str | int | None) -> RpcError:
    """The -32022 error naming every revision this server speaks."""
    return RpcError(
        ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
        f"Unsupported protocol version: {requested}",
        request_id,
        {"supported": list(revisions.SUPPORTED_VERSIONS), "requested": requested},
    )
