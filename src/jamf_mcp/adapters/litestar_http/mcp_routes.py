"""The Streamable HTTP endpoint (`POST`/`GET`/`DELETE` on `/mcp`) as Litestar route handlers.

This layer only moves bytes and headers; every protocol decision is made by `McpServer`.

Response format rule for POST: answer `application/json` whenever the client accepts it
(simplest for ChatGPT and proxies), except when the request asked for progress
(`_meta.progressToken`) and the client also accepts `text/event-stream`: then stream, so
progress notifications arrive as they happen. Clients that accept only SSE always get SSE.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from litestar import Request, Response, Router, delete, get, post
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.response import Stream
from litestar.types import ControllerRouterHandler

from jamf_mcp.adapters.litestar_http.bearer_auth import ScopeRequired
from jamf_mcp.adapters.litestar_http.config import HttpTransportConfig
from jamf_mcp.adapters.litestar_http.endpoint import McpEndpoint
from jamf_mcp.adapters.litestar_http.request_checks import (
    AcceptedTypes,
    host_allowed,
    is_json_content_type,
    origin_allowed,
)
from jamf_mcp.adapters.litestar_http.sse import sse_frames, with_keepalive
from jamf_mcp.adapters.mcp import ErrorCode, McpServer, Reply, RequestContext, RpcError, revisions
from jamf_mcp.domain.principal import Principal

SESSION_HEADER = "Mcp-Session-Id"
LAST_EVENT_ID = "Last-Event-ID"
VERSION_HEADER = "MCP-Protocol-Version"
METHOD_HEADER = "Mcp-Method"
NAME_HEADER = "Mcp-Name"
JSON = "application/json"
EVENT_STREAM = "text/event-stream"


def refusal_response(
    status: int, message: str, headers: dict[str, str] | None = None
) -> Response[bytes]:
    body = RpcError(ErrorCode.INVALID_REQUEST, message).encode()
    return Response(body, status_code=status, media_type=JSON, headers=headers)


def envelope_refusal(
    request: Request[Any, Any, Any], config: HttpTransportConfig
) -> Response[bytes] | None:
    if not origin_allowed(request.headers.get("origin"), config.allowed_origins):
        return refusal_response(403, "Forbidden: this Origin is not allowed")
    if not host_allowed(request.headers.get("host"), config.allowed_hosts):
        return refusal_response(403, "Forbidden: this Host is not allowed")
    return None


def _context(request: Request[Any, Any, Any], principal: Principal) -> RequestContext:
    headers = request.headers
    return RequestContext(
        principal=principal,
        session_id=headers.get(SESSION_HEADER),
        protocol_version=headers.get(VERSION_HEADER),
        method_header=headers.get(METHOD_HEADER),
        name_header=headers.get(NAME_HEADER),
    )


SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def event_stream(
    frames: AsyncGenerator[bytes, None],
    config: HttpTransportConfig,
    headers: dict[str, str],
    *,
    idle: bool = False,
) -> Stream:
    """An SSE response with keep-alive comments; `idle` streams end when the server drains."""
    return Stream(
        with_keepalive(frames, config.keepalive_seconds, config.draining if idle else None),
        status_code=200,
        media_type=EVENT_STREAM,
        headers=SSE_HEADERS | headers,
    )


async def _respond(
    server: McpServer, reply: Reply, accepted: AcceptedTypes, config: HttpTransportConfig
) -> Response[Any]:
    headers = {SESSION_HEADER: reply.session_id} if reply.session_id is not None else {}
    if not reply.has_body:
        return Response(b"", status_code=reply.status, headers=headers)
    streaming = accepted.event_stream and (not accepted.json or reply.wants_stream)
    if reply.status == 200 and streaming:
        stream_id, events = server.stream(reply)
        frames = sse_frames(events, prime=reply.primes_stream, stream_id=stream_id)
        return event_stream(frames, config, headers)
    return Response(await reply.body(), status_code=reply.status, media_type=JSON, headers=headers)


async def read_message(
    request: Request[Any, Any, Any],
    config: HttpTransportConfig,
    server: McpServer,
    principal: Principal,
) -> bytes | Response[bytes]:
    """The body of a POSTed JSON-RPC message, or the refusal to answer with instead.

    Raises:
        ScopeRequired: the message is a call the principal's scopes do not allow (403).
    """
    if refusal := envelope_refusal(request, config):
        return refusal
    if not is_json_content_type(request.headers.get("content-type")):
        return refusal_response(415, "Unsupported Media Type: send Content-Type: application/json")
    try:
        body = await request.body()
    except RequestEntityTooLarge:
        return refusal_response(
            413, f"Payload Too Large: the limit is {config.max_body_bytes} bytes"
        )
    missing = tuple(sorted(server.scopes_needed(body) - principal.scopes))
    if missing:
        raise ScopeRequired(missing, principal.scopes)
    return body


def mcp_route_handlers(
    config: HttpTransportConfig, endpoint: McpEndpoint
) -> list[ControllerRouterHandler]:
    """Route handlers for the MCP endpoint at `config.path`, serving `endpoint`."""

    @post(
        "/",
        status_code=200,
        request_max_body_size=config.max_body_bytes,
        include_in_schema=False,
    )
    async def post_message(request: Request[Any, Any, Any]) -> Response[Any]:
        mcp_server = endpoint.server()
        principal = await endpoint.authenticate(request)
        accepted = AcceptedTypes.parse(request.headers.get("accept"))
        if not (accepted.json or accepted.event_stream):
            return refusal_response(406, f"Not Acceptable: accept {JSON} or {EVENT_STREAM}")
        body = await read_message(request, config, mcp_server, principal)
        if isinstance(body, Response):
            return body
        reply = await mcp_server.handle(body, _context(request, principal))
        return await _respond(mcp_server, reply, accepted, config)

    @get("/", include_in_schema=False)
    async def open_stream(request: Request[Any, Any, Any]) -> Response[Any]:
        if refusal := envelope_refusal(request, config):
            return refusal
        if not AcceptedTypes.parse(request.headers.get("accept")).event_stream:
            return refusal_response(406, f"Not Acceptable: the GET stream is {EVENT_STREAM}")
        mcp_server = endpoint.server()
        principal = await endpoint.authenticate(request)
        context = _context(request, principal)
        opened = await mcp_server.open_stream(context, request.headers.get(LAST_EVENT_ID))
        if isinstance(opened, Reply):
            allow = {"Allow": "POST"} if opened.status == 405 else None
            return Response(
                opened.message or b"", status_code=opened.status, media_type=JSON, headers=allow
            )
        version = context.protocol_version or revisions.DEFAULT_STATELESS_VERSION
        prime = revisions.has_sse_priming(version) and not opened.resumed
        return event_stream(
            sse_frames(opened.events, prime=prime), config, {}, idle=not opened.resumed
        )

    @delete("/", status_code=200, include_in_schema=False)
    async def end_session(request: Request[Any, Any, Any]) -> Response[bytes]:
        if refusal := envelope_refusal(request, config):
            return refusal
        mcp_server = endpoint.server()
        principal = await endpoint.authenticate(request)
        reply = await mcp_server.terminate(_context(request, principal))
        return Response(reply.message or b"", status_code=reply.status, media_type=JSON)

    return [Router(config.path, route_handlers=[post_message, open_stream, end_session])]
