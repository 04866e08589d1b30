"""The MCP server core: one message flows `parse` → `authorize` → `dispatch`, then back out.

A transport hands over the bytes of one message and gets each step's value back:

1. `parse(raw) -> Incoming`: the message, or the error refusing it, parsed once.
2. `authorize(incoming, principal) -> Authorized | Forbidden`: the scopes the catalogue and the
   providers declare, checked once (`authorization.py`).
3. `dispatch(authorized, context) -> Result | Stream`: lifecycle, session and revision
   resolution, the method itself — a tool runs here, to completion or as a `Stream` when the
   transport said it can frame one (`RequestContext.can_stream`).

The transport then frames what it got; the core never calls back into it, and it knows no HTTP
status: a `Result` says what kind of answer it is (`Outcome`), the transport maps that.

A dual-era server. Handshake era (2024-11-05 … 2025-11-25): a request in a session uses the
revision negotiated at `initialize`; a request without a session id is served statelessly under
its `MCP-Protocol-Version` header, or 2025-03-26 when there is none (ChatGPT does not always echo
`Mcp-Session-Id`). Modern era (2026-07-28): no `initialize`, no sessions — every request carries
its revision and the client's capabilities in `_meta`, checked against the routing headers
(`modern.py`); `server/discover` describes the server; `ping` and `logging/setLevel` are gone.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator, Sequence
from typing import Any

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.authorization import Authorized, Forbidden, InboundScopes
from jamf_mcp.adapters.mcp.catalogue import ToolCatalogue
from jamf_mcp.adapters.mcp.connections import McpConnections
from jamf_mcp.adapters.mcp.delivery import DISCARDING_SINK, RESUME_GRACE_SECONDS, ReplyDelivery
from jamf_mcp.adapters.mcp.jsonrpc import (
    ClientResponse,
    ErrorCode,
    Notification,
    Request,
    RpcError,
    parse_message,
)
from jamf_mcp.adapters.mcp.lifecycle import Lifecycle, Refused, ServerInfo, session_not_found
from jamf_mcp.adapters.mcp.methods import MethodHandler, MethodProvider
from jamf_mcp.adapters.mcp.modern import RoutingHeaders, declares_modern, read_envelope
from jamf_mcp.adapters.mcp.observers import NO_CORE_OBSERVER, CoreObserver
from jamf_mcp.adapters.mcp.replies import (
    ANSWERED_NOTHING,
    Incoming,
    Outcome,
    RequestContext,
    RequestScope,
    Result,
    Stream,
    refused,
)
from jamf_mcp.adapters.mcp.session_streams import OpenedStream, SessionStreams
from jamf_mcp.adapters.mcp.sessions import SessionStore
from jamf_mcp.adapters.mcp.signals import (
    InMemorySignalRouter,
    SignalRouter,
    cancel_key,
    response_key,
)
from jamf_mcp.adapters.mcp.streams import (
    EventStore,
    InMemoryEventStore,
    StreamBroker,
    StreamEvent,
)
from jamf_mcp.adapters.mcp.tool_methods import (
    DEFAULT_DEADLINE_SECONDS,
    ScopeChallenge,
    ToolMethods,
)
from jamf_mcp.application.deadlines import CallDeadline
from jamf_mcp.domain.errors import CallTimedOut, StateUnavailable
from jamf_mcp.domain.principal import Principal


def _error_result(error: RpcError) -> Result:
    # Errors answering a readable request are ordinary responses; a message the server cannot
    # accept at all (or whose id it cannot tell) is refused as malformed.
    malformed = error.code in (ErrorCode.PARSE_ERROR, ErrorCode.INVALID_REQUEST)
    kind = Outcome.MALFORMED if malformed or error.request_id is None else Outcome.ANSWERED
    return Result(kind, error.encode())


class McpServer:
    """Serves MCP (revisions 2024-11-05 to 2025-11-25) for one tool catalogue.

    Args:
        catalogue: the tools to offer.
        info: name, version and instructions announced at `initialize`.
        sessions: where sessions live between requests.
        page_size: tools per `tools/list` page.
        logger: defaults to this module's logger.
        router: carries client responses and cancellations to the request they concern
            (in memory by default; shared across replicas when configured).
        providers: further method groups (resources, prompts, completions, logging).
        events: where stream events are kept for resumption (in memory by default).
        resume_grace_seconds: how long work on a dropped stream waits to be resumed.
        observer: told of tool calls and JSON-RPC errors (metrics, log context).
        tool_success_log_level: the level of the line each successful tool call writes (DEBUG
            where an HTTP access log already records every call with its tool and outcome).
        session_scopes: what a caller needs to open anything that lasts — a session
            (`initialize`) or a stream (`GET`, legacy SSE): an API scope, so a token with only
            `openid` opens nothing.
        deadline_seconds: the time budget of every tool call and every method that reads Jamf
            Pro (resources, prompts, completions): `application.deadlines.CallDeadline`.
        scope_challenge: builds the sign-in challenge a tool call refused for missing scopes
            carries in `_meta["mcp/www_authenticate"]` (None: the refusal carries none).
        connections: logs sessions and streams opening and ending, and counts open sessions.
    """

    def __init__(
        self,
        catalogue: ToolCatalogue,
        info: ServerInfo,
        sessions: SessionStore,
        *,
        page_size: int = 50,
        logger: logging.Logger | None = None,
        router: SignalRouter | None = None,
        providers: Sequence[MethodProvider] = (),
        events: EventStore | None = None,
        resume_grace_seconds: float = RESUME_GRACE_SECONDS,
        observer: CoreObserver = NO_CORE_OBSERVER,
        tool_success_log_level: int = logging.INFO,
        session_scopes: frozenset[str] = frozenset(),
        deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
        scope_challenge: ScopeChallenge | None = None,
        connections: McpConnections | None = None,
    ) -> None:
        self.connections = connections or McpConnections()
        self._deadline_seconds = deadline_seconds
        self._catalogue = catalogue
        self._logger = logger or logging.getLogger(__name__)
        self._router = router if router is not None else InMemorySignalRouter()
        self._observer = observer
        broker = StreamBroker(events if events is not None else InMemoryEventStore(), self._router)
        self._delivery = ReplyDelivery(broker, self._router, resume_grace_seconds)
        self._streams = SessionStreams(sessions, broker, self._router)
        self._lifecycle = lifecycle = Lifecycle(
            info, sessions, self._streams, self.connections, self._logger, self.capabilities
        )
        self._tools = tools = ToolMethods(
            catalogue,
            page_size,
            self._logger,
            self._router,
            observer,
            tool_success_log_level,
            deadline_seconds,
            scope_challenge,
        )
        self._providers = tuple(providers)
        self._methods: dict[str, MethodHandler] = {
            **lifecycle.methods(),
            "tools/list": tools.list_tools,
        }
        method_scopes: dict[str, frozenset[str]] = {}
        for provider in self._providers:
            for name, handler in provider.methods().items():
                if name in self._methods or name == "tools/call":
                    raise ValueError(f"method {name!r} is provided twice")
                self._methods[name] = handler
            method_scopes.update(provider.scopes())
        self._scopes = InboundScopes(catalogue, session_scopes, method_scopes)

    def parse(self, raw: bytes) -> Incoming:
        """Step 1: the message in `raw`, or the error refusing it, as a value."""
        try:
            return Incoming(raw, parse_message(raw))
        except RpcError as error:
            return Incoming(raw, error)

    def authorize(self, incoming: Incoming, principal: Principal) -> Authorized | Forbidden:
        """Step 2: whether `principal` may send `incoming` (see `authorization.py`).

        A transport with a refusal of its own answers `Forbidden` with it (HTTP 403 and a
        challenge); one without sends `Forbidden.error` (stdio). A tool the caller lacks the
        scopes for is `Authorized`: the tool result refusing it comes from `dispatch`.
        """
        return self._scopes.authorize(incoming, principal)

    def authorize_stream(self, principal: Principal) -> Forbidden | None:
        """Whether `principal` may open a stream that lasts (`GET`, legacy SSE)."""
        return self._scopes.authorize_stream(principal)

    def capabilities(self) -> dict[str, Any]:
        """The server capabilities announced at `initialize` (and by `server/discover`)."""
        capabilities: dict[str, Any] = {"tools": {"listChanged": False}, "logging": {}}
        for provider in self._providers:
            capabilities.update(provider.capabilities())
        return capabilities

    async def dispatch(self, authorized: Authorized, context: RequestContext) -> Result | Stream:
        """Step 3: serve one authorized message, running its work.

        Never raises for bad input or failing tools; unexpected failures become -32603
        responses that name only the request id, with details in the server log.
        """
        message = authorized.incoming.message
        if isinstance(message, RpcError):
            self._observer.jsonrpc_error(message.code)
            return _error_result(message)
        request_id = message.id if isinstance(message, Request | ClientResponse) else None
        try:
            if isinstance(message, Request | Notification) and declares_modern(
                message, context.protocol_version
            ):
                return await self._dispatch_modern(message, authorized.denied, context)
            if isinstance(message, Request) and message.method == "initialize":
                return await self._lifecycle.initialize(message, context)
            scope = await self._lifecycle.resolve(context, request_id)
            if isinstance(message, ClientResponse):
                return await self._deliver_response(message, authorized.incoming.raw, scope)
            if isinstance(message, Notification):
                return await self._notification(message, scope)
            if message.method == "tools/call":
                return await self._call_tool(message, scope, authorized.denied, context)
            handler = self._methods.get(message.method)
            if handler is None:
                raise RpcError(
                    ErrorCode.METHOD_NOT_FOUND, f"Method not found: {message.method}", message.id
                )
            return Result(Outcome.ANSWERED, await self._answer(handler, message, scope))
        except Refused as refusal:
            self._observer.jsonrpc_error(refusal.code)
            return refusal.result
        except RpcError as error:
            self._observer.jsonrpc_error(error.code)
            return _error_result(error)
        except StateUnavailable:
            raise  # the transport answers 503: no request can be served without shared state
        except Exception:
            self._observer.jsonrpc_error(ErrorCode.INTERNAL_ERROR)
            self._logger.exception(
                "Unexpected failure handling a request", extra={"fields": {"rpc_id": request_id}}
            )
            return _error_result(
                RpcError(
                    ErrorCode.INTERNAL_ERROR,
                    f"Internal error; the incident was logged (request {request_id})",
                    request_id,
                )
            )

    async def _call_tool(
        self,
        request: Request,
        scope: RequestScope,
        denied: tuple[str, ...],
        context: RequestContext,
    ) -> Result | Stream:
        """Run a tool call: whole, or streamed when worth it and the transport can frame it."""
        call = self._tools.call_tool(request, scope, denied)
        if isinstance(call, bytes):
            return Result(Outcome.ANSWERED, call)  # refused before it ran
        if context.sink is not None:
            # Run right in the caller's task (stdio): cancelling it cancels the work itself.
            return Result(Outcome.ANSWERED, await call.run(context.sink))
        if context.can_stream and (context.only_stream or call.wants_stream):
            return self._delivery.stream(call, context.resumable)
        return Result(Outcome.ANSWERED, await call.run(DISCARDING_SINK))

    async def _dispatch_modern(
        self, message: Request | Notification, denied: tuple[str, ...], context: RequestContext
    ) -> Result | Stream:
        """A 2026-07-28 message: validate its envelope, then dispatch without any session."""
        request_id = message.id if isinstance(message, Request) else None
        routing = (
            RoutingHeaders(context.protocol_version, context.method_header, context.name_header)
            if context.has_headers
            else None
        )
        try:
            envelope = read_envelope(message, routing)
        except RpcError as bad_envelope:
            self._observer.jsonrpc_error(bad_envelope.code)
            return refused(Outcome.MALFORMED, bad_envelope)
        if isinstance(message, Notification):
            # Over HTTP, closing the response stream is the cancellation; over stdio it is this.
            scope = RequestScope(context.principal, None, envelope.protocol_version, {})
            return await self._notification(message, scope)
        scope = RequestScope(
            principal=context.principal,
            session_id=None,
            protocol_version=envelope.protocol_version,
            client_capabilities=envelope.client_capabilities,
            log_level=envelope.log_level,
            server_info=self._lifecycle.server_info(envelope.protocol_version),
            client_info=envelope.client_info,
        )
        if message.method == "tools/call":
            return await self._call_tool(message, scope, denied, context)
        handler = (
            None if message.method in _REMOVED_IN_MODERN else self._methods.get(message.method)
        )
        if handler is None:
            unknown = RpcError(
                ErrorCode.METHOD_NOT_FOUND, f"Method not found: {message.method}", request_id
            )
            self._observer.jsonrpc_error(ErrorCode.METHOD_NOT_FOUND)
            return refused(Outcome.UNKNOWN_METHOD, unknown)
        return Result(Outcome.ANSWERED, await self._answer(handler, message, scope))

    async def _answer(self, handler: MethodHandler, message: Request, scope: RequestScope) -> bytes:
        """Run a method; one that reads Jamf Pro within the call deadline (a tool call's own)."""
        if message.method not in _READS_JAMF:
            return await handler(message, scope)
        try:
            async with CallDeadline(self._deadline_seconds).running():
                return await handler(message, scope)
        except CallTimedOut as late:
            raise RpcError(ErrorCode.INTERNAL_ERROR, late.message, message.id) from None

    async def terminate(self, context: RequestContext) -> Result:
        """End the session named by the context (HTTP DELETE): ENDED, or why not (no session id:
        MALFORMED; an unknown or foreign one: UNKNOWN_SESSION)."""
        return await self._lifecycle.end(context)

    async def open_stream(
        self, context: RequestContext, last_event_id: str | None
    ) -> OpenedStream | Result:
        """`GET`: a standalone server-to-client stream, or the resumption of a dropped one.

        2026-07-28 clients have no such stream (NO_STREAM); an unknown or foreign session is
        UNKNOWN_SESSION; a `Last-Event-ID` of no stream this caller may resume UNKNOWN_STREAM.
        """
        header = context.protocol_version
        if header is not None and revisions.looks_modern(header):
            error = RpcError(
                ErrorCode.INVALID_REQUEST, "2026-07-28 has no GET stream; POST each request"
            )
            return refused(Outcome.NO_STREAM, error)
        return await self._streams.open(context.principal, context.session_id, last_event_id)

    async def drain(self, within: float) -> None:
        """Shutdown: wait up to `within` seconds for work that outlived its connection."""
        await self._delivery.drain(within)
        await self._streams.drain(within)

    async def send_to_session(
        self, principal: Principal, session_id: str | None, message: bytes
    ) -> None:
        """Deliver a server-initiated message to the session's open streams (best effort)."""
        await self._streams.send(principal.key, session_id, message)

    async def open_legacy_sse(
        self, principal: Principal
    ) -> tuple[str, AsyncGenerator[bytes, None]]:
        """The 2024-11-05 HTTP+SSE transport: a new session and the stream of its messages."""
        return await self._streams.open_legacy(principal)

    async def post_legacy_sse(
        self, authorized: Authorized, principal: Principal, session_id: str
    ) -> Result:
        """A message POSTed to a legacy SSE session: ACCEPTED, the answer follows on its stream
        (a message the server cannot accept is refused on the POST as well)."""
        if not await self._streams.legacy_session(principal, session_id):
            return session_not_found(None).result
        context = RequestContext(
            principal,
            session_id,
            None,
            has_headers=False,
            legacy_sse=True,
            can_stream=True,
            only_stream=True,
        )
        answer = await self.dispatch(authorized, context)
        if isinstance(answer, Stream):
            self._streams.forward(answer.events, principal.key, session_id)
            return ANSWERED_NOTHING
        if answer.message is None:
            return ANSWERED_NOTHING
        if answer.kind in _REFUSED_ON_POST:
            await self._streams.send(principal.key, session_id, answer.message)
            return Result(answer.kind, answer.message)
        self._streams.forward(_single(answer.message), principal.key, session_id)
        return ANSWERED_NOTHING

    async def _deliver_response(
        self, response: ClientResponse, raw: bytes, scope: RequestScope
    ) -> Result:
        """Hand the client's answer to the request that waits for it (wherever it runs)."""
        if response.id is not None:
            key = response_key(scope.principal.key, scope.session_id, response.id)
            await self._router.publish(key, raw)
        return ANSWERED_NOTHING

    async def _notification(self, notification: Notification, scope: RequestScope) -> Result:
        if notification.method == "notifications/cancelled":
            request_id = notification.params.get("requestId")
            if isinstance(request_id, str) or (
                isinstance(request_id, int) and not isinstance(request_id, bool)
            ):
                key = cancel_key(scope.principal.key, scope.session_id, request_id)
                await self._router.publish(key, b"")
                self._logger.info(
                    "Request cancelled by the client", extra={"fields": {"rpc_id": request_id}}
                )
        return ANSWERED_NOTHING


_REMOVED_IN_MODERN = frozenset({"initialize", "ping", "logging/setLevel"})
_READS_JAMF = frozenset({"resources/read", "prompts/get", "completion/complete"})
_REFUSED_ON_POST = frozenset({Outcome.MALFORMED, Outcome.UNSUPPORTED_VERSION, Outcome.UNAVAILABLE})
"""Legacy SSE: refusals answered on the POST too (the rest only travel on the stream)."""


async def _single(message: bytes) -> AsyncGenerator[StreamEvent, None]:
    yield StreamEvent(None, message)
