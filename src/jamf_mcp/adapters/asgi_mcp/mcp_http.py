"""The MCP endpoints as a raw ASGI application, served ahead of Litestar's router (ADR 0012).

- Streamable HTTP at `config.path`: `POST` a JSON-RPC message, `GET` the server's stream (or
  resume one with `Last-Event-ID`), `DELETE` the session.
- The 2024-11-05 HTTP+SSE transport: `GET {legacy_sse_path}` opens the stream, whose first event
  (`endpoint`) names `{messages_path}?session_id=…`; the client POSTs each message there (answered
  202) and every response and notification arrives on the stream as a `message` event. The
  session belongs to whoever opened the stream: another principal's session id is answered 404,
  like an unknown one.

A POST reads straight through the core: `parse` → `authorize` (a `Forbidden` message is
answered 403 with a challenge) → `dispatch` → frame what came back (`framing.py` maps each
`Outcome` to its status). This layer only moves bytes and headers; every protocol decision is
made by `McpServer`. Authentication, Origin/Host checks and body limits are the same on every
endpoint.

Response format rule for POST: the transport tells the core what the client accepts
(`RequestContext.can_stream`, `only_stream`). The core answers as one JSON document whenever
the client accepts it (simplest for ChatGPT and proxies), except when the request asked for
progress (`_meta.progressToken`) or the tool may ask the client something and the client also
accepts `text/event-stream`: then it streams, so notifications arrive as they happen. Clients
that accept only SSE always get SSE.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import secrets
from collections.abc import AsyncGenerator, Awaitable, Callable

from jamf_mcp.adapters.asgi_mcp.asgi_exchange import (
    JSON,
    Answer,
    BodyTooLarge,
    ClientGone,
    HttpExchange,
    Receive,
    Scope,
    Send,
)
from jamf_mcp.adapters.asgi_mcp.bearer_auth import ScopeRequired
from jamf_mcp.adapters.asgi_mcp.config import HttpTransportConfig
from jamf_mcp.adapters.asgi_mcp.endpoint import McpEndpoint
from jamf_mcp.adapters.asgi_mcp.framing import HTTP_STATUS, one_event, refusal, whole_answer
from jamf_mcp.adapters.asgi_mcp.rate_limits import RateLimited
from jamf_mcp.adapters.asgi_mcp.request_checks import (
    AcceptedTypes,
    host_allowed,
    is_message_content_type,
    origin_allowed,
)
from jamf_mcp.adapters.asgi_mcp.sse import sse_event, sse_frames, with_keepalive
from jamf_mcp.adapters.asgi_mcp.stream_limits import StreamLimits, StreamSlot
from jamf_mcp.adapters.mcp import (
    Authorized,
    ErrorCode,
    Forbidden,
    McpServer,
    Outcome,
    RequestContext,
    Result,
    RpcError,
    Stream,
    revisions,
)
from jamf_mcp.adapters.structured_logs import current_request
from jamf_mcp.domain.principal import Principal

logger = logging.getLogger(__name__)

SESSION_HEADER = "Mcp-Session-Id"
LAST_EVENT_ID = "last-event-id"
VERSION_HEADER = "mcp-protocol-version"
METHOD_HEADER = "mcp-method"
NAME_HEADER = "mcp-name"
EVENT_STREAM = "text/event-stream"
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
_STREAMABLE_METHODS = "GET, POST, DELETE"


@functools.lru_cache(maxsize=256)
def _accepted_cached(accept: str | None) -> AcceptedTypes:
    return AcceptedTypes.parse(accept)


def _accepted(accept: str | None) -> AcceptedTypes:
    """`Accept` parsed; the usual short values from a small cache, odd long ones each time."""
    if accept is not None and len(accept) > 256:
        return AcceptedTypes.parse(accept)
    return _accepted_cached(accept)


def _context(
    exchange: HttpExchange, principal: Principal, accepted: AcceptedTypes | None = None
) -> RequestContext:
    headers = exchange.headers
    return RequestContext(
        principal=principal,
        session_id=headers.get("mcp-session-id"),
        protocol_version=headers.get(VERSION_HEADER),
        method_header=headers.get(METHOD_HEADER),
        name_header=headers.get(NAME_HEADER),
        can_stream=accepted is not None and accepted.event_stream,
        only_stream=accepted is not None and not accepted.json,
        resumable=True,
    )


def _require_stream_scopes(server: McpServer, principal: Principal) -> None:
    """Raise `ScopeRequired` (403) unless the principal may open a stream that lasts."""
    if (forbidden := server.authorize_stream(principal)) is not None:
        raise ScopeRequired(forbidden.missing, forbidden.granted)


def _opened_stream(server: McpServer, principal: Principal, transport: str, version: str) -> str:
    """Tell the connection log a stream opened; the id its end is told with."""
    stream_id = secrets.token_hex(8)
    server.connections.opened(
        stream_id,
        kind="stream",
        subject=principal.subject,
        client="",
        oauth_client=principal.client_id,
        transport=transport,
        protocol_version=version,
    )
    return stream_id


Route = Callable[[HttpExchange], Awaitable[None]]


class McpHttpApp:
    """Serves the MCP endpoints of `config` for `endpoint`; `serves(path)` says which paths.

    Errors raised while answering become the endpoint's answers for them (401, 403, 429, 503);
    anything else is logged and answered 500, unless the response had begun.
    """

    def __init__(self, config: HttpTransportConfig, endpoint: McpEndpoint) -> None:
        self._config = config
        self._endpoint = endpoint
        self._routes: dict[str, dict[str, Route]] = {
            config.path: {"POST": self._post, "GET": self._open_stream, "DELETE": self._end},
            config.legacy_sse_path: {"GET": self._open_legacy_stream},
            config.messages_path: {"POST": self._post_legacy_message},
        }
        self._background: set[asyncio.Task[None]] = set()
        self.streams = StreamLimits(config.max_streams_per_principal, config.max_streams)

    def serves(self, path: str) -> bool:
        """Whether `path` is one of the MCP endpoints (a trailing slash is ignored)."""
        return path in self._routes or path.rstrip("/") in self._routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one HTTP request to an MCP endpoint."""
        exchange = HttpExchange(scope, receive, send)
        path = exchange.path if exchange.path in self._routes else exchange.path.rstrip("/")
        scope["path_template"] = path  # the route the metrics and access log name
        methods = self._routes[path]
        route = methods.get(exchange.method)
        allow = ", ".join(methods)
        try:
            if route is not None:
                await route(exchange)
            elif exchange.method == "OPTIONS":
                await exchange.answer(Answer(204, headers={"Allow": allow}, media_type=None))
            else:
                await exchange.answer(refusal(405, "Method Not Allowed", {"Allow": allow}))
        except ClientGone:
            return
        except Exception as error:
            if exchange.started:
                raise
            answer = self._endpoint.answer_error(error)
            if answer is None:
                logger.error("Unexpected failure serving an MCP request", exc_info=error)
                context = current_request()
                reference = f" (request {context.request_id})" if context is not None else ""
                answer = Answer(
                    500,
                    RpcError(
                        ErrorCode.INTERNAL_ERROR,
                        f"Internal error; the incident was logged{reference}",
                    ).encode(),
                )
            await exchange.answer(answer)

    # --- checks shared by every endpoint --------------------------------------------------

    def _envelope_refusal(self, exchange: HttpExchange) -> Answer | None:
        headers = exchange.headers
        if not origin_allowed(headers.get("origin"), self._config.allowed_origins):
            return refusal(403, "Forbidden: this Origin is not allowed")
        if not host_allowed(headers.get("host"), self._config.allowed_hosts):
            return refusal(403, "Forbidden: this Host is not allowed")
        return None

    async def _read_message(
        self, exchange: HttpExchange, server: McpServer, principal: Principal
    ) -> Authorized | Answer:
        """A POSTed JSON-RPC message parsed and authorized, or the refusal to answer with.

        Raises:
            ScopeRequired: the principal's scopes do not allow the message (403).
        """
        if answer := self._envelope_refusal(exchange):
            return answer
        if not is_message_content_type(exchange.headers.get("content-type")):
            return refusal(415, "Unsupported Media Type: send Content-Type: application/json")
        try:
            body = await exchange.body(self._config.max_body_bytes)
        except BodyTooLarge:
            limit = self._config.max_body_bytes
            return refusal(413, f"Payload Too Large: the limit is {limit} bytes")
        verdict = server.authorize(server.parse(body), principal)
        if isinstance(verdict, Forbidden):
            raise ScopeRequired(verdict.missing, verdict.granted)
        return verdict

    def _event_stream(
        self,
        exchange: HttpExchange,
        frames: AsyncGenerator[bytes, None],
        headers: dict[str, str],
        *,
        idle: bool = False,
        slot: StreamSlot | None = None,
    ) -> Awaitable[None]:
        """An SSE response with keep-alives; `idle` streams end when the server drains, and a
        stream with a `slot` when a newer one of the same user evicts it."""
        config = self._config
        draining = config.draining if idle else None
        return exchange.stream(
            200,
            {**SSE_HEADERS, **headers, "content-type": EVENT_STREAM},
            with_keepalive(frames, config.keepalive_seconds, draining, slot),
        )

    # --- Streamable HTTP ------------------------------------------------------------------

    async def _post(self, exchange: HttpExchange) -> None:
        server = self._endpoint.server()
        principal = await self._endpoint.authenticate(exchange)
        accepted = _accepted(exchange.headers.get("accept"))
        if not (accepted.json or accepted.event_stream):
            await exchange.answer(refusal(406, f"Not Acceptable: accept {JSON} or {EVENT_STREAM}"))
            return
        message = await self._read_message(exchange, server, principal)
        if isinstance(message, Answer):
            await exchange.answer(message)
            return
        answer = await server.dispatch(message, _context(exchange, principal, accepted))
        if isinstance(answer, Stream):
            frames = sse_frames(answer.events, prime=answer.primes, stream_id=answer.stream_id)
            await self._event_stream(exchange, frames, {})
            return
        headers = {SESSION_HEADER: answer.session_id} if answer.session_id is not None else {}
        if answer.message is not None and answer.kind is Outcome.ANSWERED and not accepted.json:
            frames = sse_frames(one_event(answer.message), prime=False)
            await self._event_stream(exchange, frames, headers)
            return
        await exchange.answer(whole_answer(answer, headers))

    async def _open_stream(self, exchange: HttpExchange) -> None:
        if answer := self._envelope_refusal(exchange):
            await exchange.answer(answer)
            return
        if not _accepted(exchange.headers.get("accept")).event_stream:
            await exchange.answer(refusal(406, f"Not Acceptable: the GET stream is {EVENT_STREAM}"))
            return
        server = self._endpoint.server()
        principal = await self._endpoint.authenticate(exchange)
        _require_stream_scopes(server, principal)
        context = _context(exchange, principal)
        slot = self.streams.admit(principal.key)  # TooManyStreams: 503
        stream_id = ""
        try:
            opened = await server.open_stream(context, exchange.headers.get(LAST_EVENT_ID))
            if isinstance(opened, Result):
                allow = {"Allow": "POST"} if opened.kind is Outcome.NO_STREAM else {}
                status = HTTP_STATUS[opened.kind]
                await exchange.answer(Answer(status, opened.message or b"", allow))
                return
            version = context.protocol_version or revisions.DEFAULT_STATELESS_VERSION
            stream_id = _opened_stream(server, principal, "streamable-http", version)
            prime = revisions.has_sse_priming(version) and not opened.resumed
            frames = sse_frames(opened.events, prime=prime)
            await self._event_stream(exchange, frames, {}, idle=not opened.resumed, slot=slot)
        finally:
            slot.release()
            if stream_id:
                server.connections.closed(stream_id, "closed")

    async def _end(self, exchange: HttpExchange) -> None:
        if answer := self._envelope_refusal(exchange):
            await exchange.answer(answer)
            return
        server = self._endpoint.server()
        principal = await self._endpoint.authenticate(exchange)
        ended = await server.terminate(_context(exchange, principal))
        await exchange.answer(Answer(HTTP_STATUS[ended.kind], ended.message or b""))

    # --- 2024-11-05 HTTP+SSE --------------------------------------------------------------

    async def _open_legacy_stream(self, exchange: HttpExchange) -> None:
        if answer := self._envelope_refusal(exchange):
            await exchange.answer(answer)
            return
        server = self._endpoint.server()
        principal = await self._endpoint.authenticate(exchange)
        _require_stream_scopes(server, principal)
        if not _accepted(exchange.headers.get("accept") or EVENT_STREAM).event_stream:
            await exchange.answer(refusal(406, f"Not Acceptable: this stream is {EVENT_STREAM}"))
            return
        slot = self.streams.admit(principal.key)  # TooManyStreams: 503
        stream_id = session_id = ""
        try:
            session_id, messages = await server.open_legacy_sse(principal)
            stream_id = _opened_stream(server, principal, "legacy-sse", "2024-11-05")
            post_to = f"{self._config.messages_path}?session_id={session_id}"

            async def frames() -> AsyncGenerator[bytes, None]:
                yield sse_event(None, post_to.encode(), event="endpoint")
                async for message in messages:
                    yield sse_event(None, message, event="message")

            await self._event_stream(exchange, frames(), {}, idle=True, slot=slot)
        finally:
            slot.release()
            if stream_id:
                server.connections.closed(stream_id, "closed")
                server.connections.closed(session_id, "closed")  # its session ends with it

    async def _post_legacy_message(self, exchange: HttpExchange) -> None:
        server = self._endpoint.server()
        query = exchange.query_params
        session_id = query.get("session_id") or query.get("sessionId")
        try:
            principal = await self._endpoint.authenticate(exchange)
        except RateLimited as refused:
            if session_id and refused.principal is not None:
                # A legacy SSE client reads answers on its stream: tell it there too.
                self._tell_stream(server, refused.principal, session_id, refused.jsonrpc_error())
            raise
        if not session_id:
            await exchange.answer(refusal(400, "session_id is required (from the endpoint event)"))
            return
        message = await self._read_message(exchange, server, principal)
        if isinstance(message, Answer):
            await exchange.answer(message)
            return
        posted = await server.post_legacy_sse(message, principal, session_id)
        if posted.kind is Outcome.ACCEPTED:
            await exchange.answer(Answer(202, b"Accepted", media_type="text/plain"))
        else:
            await exchange.answer(Answer(HTTP_STATUS[posted.kind], posted.message or b""))

    def _tell_stream(
        self, server: McpServer, principal: Principal, session_id: str, message: bytes
    ) -> None:
        task = asyncio.get_running_loop().create_task(
            server.send_to_session(principal, session_id, message)
        )
        self._background.add(task)
        task.add_done_callback(self._background.discard)
