"""The 2024-11-05 HTTP+SSE transport: `GET /sse` opens the stream, `POST /messages` feeds it.

The stream opens with an `endpoint` event naming `/messages?session_id=…`; the client POSTs each
message there (answered 202) and every response and notification arrives on the stream as a
`message` event. The session belongs to whoever opened the stream: another principal's session
id is answered 404, like an unknown one. Authentication, Origin/Host checks, body limits and
scopes are those of `/mcp`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from litestar import Request, Response, get, post
from litestar.types import ControllerRouterHandler

from jamf_mcp.adapters.litestar_http.config import HttpTransportConfig
from jamf_mcp.adapters.litestar_http.endpoint import McpEndpoint
from jamf_mcp.adapters.litestar_http.mcp_routes import (
    EVENT_STREAM,
    JSON,
    envelope_refusal,
    event_stream,
    read_message,
    refusal_response,
)
from jamf_mcp.adapters.litestar_http.request_checks import AcceptedTypes
from jamf_mcp.adapters.litestar_http.sse import sse_event


def legacy_sse_route_handlers(
    config: HttpTransportConfig, endpoint: McpEndpoint
) -> list[ControllerRouterHandler]:
    """Route handlers for `GET {legacy_sse_path}` and `POST {messages_path}`, serving `endpoint`."""

    @get(config.legacy_sse_path, include_in_schema=False)
    async def open_legacy_stream(request: Request[Any, Any, Any]) -> Response[Any]:
        if refusal := envelope_refusal(request, config):
            return refusal
        mcp_server = endpoint.server()
        principal = await endpoint.authenticate(request)
        if not AcceptedTypes.parse(request.headers.get("accept") or EVENT_STREAM).event_stream:
            return refusal_response(406, f"Not Acceptable: this stream is {EVENT_STREAM}")
        session_id, messages = await mcp_server.open_legacy_sse(principal)
        post_to = f"{config.messages_path}?session_id={session_id}"

        async def frames() -> AsyncGenerator[bytes, None]:
            yield sse_event(None, post_to.encode(), event="endpoint")
            async for message in messages:
                yield sse_event(None, message, event="message")

        return event_stream(frames(), config, {}, idle=True)

    @post(
        config.messages_path,
        status_code=202,
        request_max_body_size=config.max_body_bytes,
        include_in_schema=False,
    )
    async def post_legacy_message(request: Request[Any, Any, Any]) -> Response[bytes]:
        mcp_server = endpoint.server()
        principal = await endpoint.authenticate(request)
        session_id = request.query_params.get("session_id") or request.query_params.get("sessionId")
        if not session_id:
            return refusal_response(400, "session_id is required (from the endpoint event)")
        body = await read_message(request, config, mcp_server, principal)
        if isinstance(body, Response):
            return body
        reply = await mcp_server.post_legacy_sse(body, principal, session_id)
        content = reply.message if reply.status != 202 else b"Accepted"
        media_type = JSON if reply.status != 202 else "text/plain"
        return Response(content or b"", status_code=reply.status, media_type=media_type)

    return [open_legacy_stream, post_legacy_message]
