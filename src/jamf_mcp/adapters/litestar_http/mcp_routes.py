"""The Streamable HTTP endpoint (`POST`/`GET`/`DELETE` on `/mcp`) as Litestar route handlers.

This layer only moves bytes and headers; every protocol decision is made by `McpServer`.

Response format rule for POST: answer `application/json` whenever the client accepts it
(simplest for ChatGPT and proxies), except when the request asked for progress
(`_meta.progressToken`) and the client also accepts `text/event-stream`: then stream, so
progress notifications arrive as they happen. Clients that accept only SSE always get SSE.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, delete, get, post
from litestar.di import NamedDependency
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.response import Stream
from litestar.types import ControllerRouterHandler

from jamf_mcp.adapters.litestar_http.bearer_auth import ScopeRequired
from jamf_mcp.adapters.litestar_http.config import HttpTransportConfig
from jamf_mcp.adapters.litestar_http.request_checks import (
    AcceptedTypes,
    host_allowed,
    is_json_content_type,
    origin_allowed,
)
from jamf_mcp.adapters.litestar_http.sse import sse_events
from jamf_mcp.adapters.mcp import ErrorCode, McpServer, Reply, RequestContext, RpcError
from jamf_mcp.domain.principal import Principal

SESSION_HEADER = "Mcp-Session-Id"
VERSION_HEADER = "MCP-Protocol-Version"
METHOD_HEADER = "Mcp-Method"
NAME_HEADER = "Mcp-Name"
JSON = "application/json"
EVENT_STREAM = "text/event-stream"


def _refusal(status: int, message: str, headers: dict[str, str] | None = None) -> Response[bytes]:
    body = RpcError(ErrorCode.INVALID_REQUEST, message).encode()
    return Response(body, status_code=status, media_type=JSON, headers=headers)


def _envelope_refusal(
    request: Request[Any, Any, Any], config: HttpTransportConfig
) -> Response[bytes] | None:
    if not origin_allowed(request.headers.get("origin"), config.allowed_origins):
        return _refusal(403, "Forbidden: this Origin is not allowed")
    if not host_allowed(request.headers.get("host"), config.allowed_hosts):
        return _refusal(403, "Forbidden: this Host is not allowed")
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


async def _respond(reply: Reply, accepted: AcceptedTypes) -> Response[Any]:
    headers = {SESSION_HEADER: reply.session_id} if reply.session_id is not None else {}
    if not reply.has_body:
        return Response(b"", status_code=reply.status, headers=headers)
    streaming = accepted.event_stream and (not accepted.json or reply.wants_stream)
    if reply.status == 200 and streaming:
        headers |= {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        return Stream(
            sse_events(reply.stream(), prime=reply.primes_stream),
            status_code=200,
            media_type=EVENT_STREAM,
            headers=headers,
        )
    return Response(await reply.body(), status_code=reply.status, media_type=JSON, headers=headers)


def mcp_route_handlers(config: HttpTransportConfig) -> list[ControllerRouterHandler]:
    """Route handlers for the MCP endpoint at `config.path`.

    They need two Litestar dependencies from the composition root: `mcp_server` (an
    `McpServer`) and `principal` (the authenticated `Principal` of the request).
    """

    @post(
        "/",
        status_code=200,
        request_max_body_size=config.max_body_bytes,
        include_in_schema=False,
    )
    async def post_message(
        request: Request[Any, Any, Any],
        mcp_server: NamedDependency[McpServer],
        principal: NamedDependency[Principal],
    ) -> Response[Any]:
        if refusal := _envelope_refusal(request, config):
            return refusal
        if not is_json_content_type(request.headers.get("content-type")):
            return _refusal(415, "Unsupported Media Type: send Content-Type: application/json")
        accepted = AcceptedTypes.parse(request.headers.get("accept"))
        if not (accepted.json or accepted.event_stream):
            return _refusal(406, f"Not Acceptable: accept {JSON} or {EVENT_STREAM}")
        try:
            body = await request.body()
        except RequestEntityTooLarge:
            return _refusal(413, f"Payload Too Large: the limit is {config.max_body_bytes} bytes")
        missing = tuple(sorted(mcp_server.scopes_needed(body) - principal.scopes))
        if missing:
            raise ScopeRequired(missing, principal.scopes)
        reply = await mcp_server.handle(body, _context(request, principal))
        return await _respond(reply, accepted)

    @get("/", include_in_schema=False)
    async def open_stream(request: Request[Any, Any, Any]) -> Response[bytes]:
        # Seam for the server-to-client SSE stream (GET + Last-Event-ID) of a later issue.
        if refusal := _envelope_refusal(request, config):
            return refusal
        return _refusal(
            405, "Method Not Allowed: this server offers no GET stream", {"Allow": "POST, DELETE"}
        )

    @delete("/", status_code=200, include_in_schema=False)
    async def end_session(
        request: Request[Any, Any, Any],
        mcp_server: NamedDependency[McpServer],
        principal: NamedDependency[Principal],
    ) -> Response[bytes]:
        if refusal := _envelope_refusal(request, config):
            return refusal
        reply = await mcp_server.terminate(_context(request, principal))
        return Response(reply.message or b"", status_code=reply.status, media_type=JSON)

    return [Router(config.path, route_handlers=[post_message, open_stream, end_session])]
