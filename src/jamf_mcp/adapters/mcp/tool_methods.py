"""The `tools/list` and `tools/call` methods."""

from __future__ import annotations

import base64
import binascii
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.catalogue import ToolCatalogue
from jamf_mcp.adapters.mcp.errors import (
    access_denied_result,
    domain_error_result,
    internal_error_result,
    invalid_arguments_result,
)
from jamf_mcp.adapters.mcp.jsonrpc import ErrorCode, Request, RpcError, encode_json, encode_result
from jamf_mcp.adapters.mcp.methods import CacheHint, complete_result, result_reply
from jamf_mcp.adapters.mcp.observers import NO_CORE_OBSERVER, CoreObserver, ToolOutcome
from jamf_mcp.adapters.mcp.progress import (
    ProgressEmitter,
    RequestChannel,
    no_progress,
    progress_token,
)
from jamf_mcp.adapters.mcp.replies import RequestScope, RequestSink
from jamf_mcp.adapters.mcp.signals import SignalRouter, cancel_key
from jamf_mcp.adapters.mcp.tools import (
    CancelSignal,
    ProgressReporter,
    ToolContext,
    ToolDefinition,
    ToolResult,
)
from jamf_mcp.application.deadlines import CallDeadline
from jamf_mcp.domain.errors import JamfMcpError

ScopeChallenge = Callable[[frozenset[str], tuple[str, ...]], str]
"""Builds the `WWW-Authenticate` challenge for a caller holding these scopes and missing those."""
SECURITY_SCHEMES = "securitySchemes"

_CURSOR_PREFIX = "tools:"
_MAX_LISTINGS = 64
DEFAULT_DEADLINE_SECONDS = 25.0
"""Below the 30 to 60 s after which common MCP clients give up on a call."""
TOOLS_CACHE = CacheHint(ttl_ms=60_000, scope="private")
"""The tool list changes only with a new release; per sign-in in case that ever differs."""


def encode_cursor(offset: int) -> str:
    """An opaque cursor for the page starting at `offset`."""
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: object, limit: int) -> int:
    """The offset a cursor from `encode_cursor` stands for, if it is still in range.

    Raises:
        ValueError: for anything that is not such a cursor.
    """
    if not isinstance(cursor, str):
        raise ValueError("cursor must be a string")
    try:
        decoded = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError):
        raise ValueError("cursor is not one this server issued") from None
    digits = decoded.removeprefix(_CURSOR_PREFIX)
    if decoded == digits or not digits.isdigit() or not 0 < int(digits) < limit:
        raise ValueError("cursor is not one this server issued")
    return int(digits)


def tool_to_wire(tool: ToolDefinition, version: str) -> dict[str, Any]:
    """The MCP `Tool` object for a definition, limited to what `version` knows."""
    wire: dict[str, Any] = {
        "name": tool.name,
        "description": tool.description,
        "inputSchema": tool.input_schema,
    }
    if revisions.has_titles(version):
        wire["title"] = tool.title
    if revisions.has_structured_output(version) and tool.output_schema is not None:
        wire["outputSchema"] = tool.output_schema
    if revisions.has_tool_annotations(version):
        wire["annotations"] = tool.annotations.to_wire()
    if tool.meta is not None:
        wire["_meta"] = tool.meta
        if SECURITY_SCHEMES in tool.meta:
            # Where OpenAI's Apps SDK examples declare it: on the tool itself, as well as in
            # `_meta` (openai/openai-apps-sdk-examples `authenticated_server_python/main.py`).
            wire[SECURITY_SCHEMES] = tool.meta[SECURITY_SCHEMES]
    return wire


def result_to_wire(result: ToolResult, version: str) -> dict[str, Any]:
    """The MCP `CallToolResult` (or 2026-07-28 `InputRequiredResult`) for a tool's result."""
    if result.input_required is not None and revisions.is_modern(version):
        return result.input_required.to_wire()
    content: list[dict[str, Any]] = []
    if result.text is not None:
        content.append({"type": "text", "text": result.text})
    if result.structured is not None:
        content.append({"type": "text", "text": encode_json(result.structured)})
    wire: dict[str, Any] = {"content": content, "isError": result.is_error}
    if result.structured is not None:
        # Every revision gets it: a client that never echoes `Mcp-Session-Id` and sends no
        # `MCP-Protocol-Version` (ChatGPT) is served as 2025-03-26 but reads `structuredContent`;
        # an older client ignores a member it does not know, and has the same JSON as text.
        wire["structuredContent"] = result.structured
    if result.meta is not None:
        wire["_meta"] = dict(result.meta)
    return wire


class ToolCall:
    """A `tools/call` past every check: the work that remains, run by `McpServer.dispatch`.

    Attributes:
        request: the call.
        scope: the request's session and revision.
        wants_stream: the client asked for progress, or the tool may ask the client something,
            so streaming the answer is worth it.
        primes_stream: the client's revision expects an SSE stream to open with a priming event.
        cancellation: set when the client cancels or goes away; the tool winds down.
    """

    __slots__ = (
        "_arguments",
        "_methods",
        "_token",
        "_tool",
        "cancellation",
        "primes_stream",
        "request",
        "scope",
        "wants_stream",
    )

    def __init__(
        self,
        methods: ToolMethods,
        tool: ToolDefinition,
        arguments: Mapping[str, Any],
        request: Request,
        scope: RequestScope,
        token: str | int | None,
        asks_client: bool,
    ) -> None:
        self._methods = methods
        self._tool = tool
        self._arguments = arguments
        self._token = token
        self.request = request
        self.scope = scope
        self.wants_stream = token is not None or asks_client
        self.primes_stream = revisions.has_sse_priming(scope.protocol_version)
        self.cancellation = CancelSignal()

    async def run(self, sink: RequestSink) -> bytes:
        """Run the tool, sending interim messages to `sink`; the encoded response."""
        return await self._methods.run(
            self._tool,
            self._arguments,
            self.request,
            self.scope,
            self._token,
            sink,
            self.cancellation,
        )


class ToolMethods:
    """Serves `tools/list` (paged) and `tools/call` from a catalogue.

    Args:
        catalogue: the tools.
        page_size: tools per `tools/list` page.
        logger: where call outcomes and failures are logged.
        router: delivers client responses and cancellations to running calls.
        observer: told of every call's start and outcome.
        success_log_level: the level of the line a successful call writes.
        deadline_seconds: each call's time budget (`CallDeadline`); running out cancels what it
            waits for and answers `CallTimedOut`.
        scope_challenge: when given, a call refused for missing scopes carries the challenge it
            builds in `_meta["mcp/www_authenticate"]`.
    """

    def __init__(
        self,
        catalogue: ToolCatalogue,
        page_size: int,
        logger: logging.Logger,
        router: SignalRouter,
        observer: CoreObserver = NO_CORE_OBSERVER,
        success_log_level: int = logging.INFO,
        deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
        scope_challenge: ScopeChallenge | None = None,
    ) -> None:
        self._deadline_seconds = deadline_seconds
        self._scope_challenge = scope_challenge
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        self._catalogue = catalogue
        self._page_size = page_size
        self._logger = logger
        self._router = router
        self._observer = observer
        self._listings: dict[tuple[int, str], dict[str, Any]] = {}
        self._success_log_level = success_log_level

    async def list_tools(self, request: Request, scope: RequestScope) -> bytes:
        """Answer `tools/list`."""
        cursor = request.params.get("cursor")
        offset = 0
        if cursor is not None:
            try:
                offset = decode_cursor(cursor, len(self._catalogue))
            except ValueError as exc:
                raise RpcError(
                    ErrorCode.INVALID_PARAMS, f"Invalid cursor: {exc}", request.id
                ) from None
        result = self._listing(offset, scope.protocol_version)
        return result_reply(request, scope, result, TOOLS_CACHE)

    def _listing(self, offset: int, protocol_version: str) -> dict[str, Any]:
        """One page of the listing: the tools already encoded, since the catalogue never changes
        (a listing is most of the bytes a client fetches, and they would be the same every time)."""
        key = (offset, protocol_version)
        listing = self._listings.get(key)
        if listing is None:
            page = self._catalogue.page(offset, self._page_size)
            tools = [tool_to_wire(tool, protocol_version) for tool in page]
            listing = {"tools": msgspec.Raw(msgspec.json.encode(tools))}
            if offset + len(page) < len(self._catalogue):
                listing["nextCursor"] = encode_cursor(offset + len(page))
            if len(self._listings) < _MAX_LISTINGS:
                self._listings[key] = listing
        return dict(listing)

    def call_tool(
        self, request: Request, scope: RequestScope, denied: tuple[str, ...]
    ) -> bytes | ToolCall:
        """Check a `tools/call`: the encoded refusal, or the call ready to run.

        Args:
            request: the call.
            scope: the request's session and revision.
            denied: the tool's scopes the caller lacks (`authorization.py` found them): the
                call is refused as a tool result carrying the sign-in challenge.
        """
        name = request.params.get("name")
        if not isinstance(name, str):
            raise RpcError(ErrorCode.INVALID_PARAMS, "tools/call needs a string 'name'", request.id)
        tool = self._catalogue.get(name)
        if tool is None:
            raise RpcError(ErrorCode.INVALID_PARAMS, f"Unknown tool: {name!r}", request.id)
        arguments = request.params.get("arguments")
        if arguments is None:
            arguments = {}
        elif not isinstance(arguments, dict):
            raise RpcError(ErrorCode.INVALID_PARAMS, "'arguments' must be an object", request.id)

        refusal: ToolResult | None = None
        validator = self._catalogue.validator(tool.name)
        if denied:
            challenge = self._scope_challenge
            held = scope.principal.scopes
            refusal = access_denied_result(denied, challenge and challenge(held, denied))
            self._log_outcome(tool.name, request.id, "denied", 0.0)
            self._observer.tool_finished(tool.name, ToolOutcome.DENIED, 0.0)
        elif problems := validator.problems(arguments):
            refusal = invalid_arguments_result(problems)
            self._log_outcome(tool.name, request.id, "invalid arguments", 0.0)
            self._observer.tool_finished(tool.name, ToolOutcome.INVALID_ARGUMENTS, 0.0)
        else:
            # 25.0 in an integer slot becomes 25; absent properties get the schema's defaults.
            arguments = validator.completed(arguments)
        if refusal is not None:
            wire = result_to_wire(refusal, scope.protocol_version)
            return encode_result(request.id, complete_result(scope, wire))
        token = progress_token(request.params)
        asks_client = tool.may_elicit and (
            revisions.supports_form_elicitation(scope.protocol_version, scope.client_capabilities)
            or revisions.supports_url_elicitation(scope.protocol_version, scope.client_capabilities)
        )
        return ToolCall(self, tool, arguments, request, scope, token, asks_client)

    async def run(
        self,
        tool: ToolDefinition,
        arguments: Mapping[str, Any],
        request: Request,
        scope: RequestScope,
        token: str | int | None,
        sink: RequestSink,
        cancellation: CancelSignal,
    ) -> bytes:
        """Run one checked call (`ToolCall.run`): the encoded response, whatever happens."""
        principal_key = scope.principal.key
        channel = RequestChannel(sink, self._router, principal_key, scope.session_id)
        progress: ProgressReporter = no_progress
        if token is not None:
            progress = ProgressEmitter(token, channel, scope.protocol_version)
        context = ToolContext(
            principal=scope.principal,
            request_id=request.id,
            session_id=scope.session_id,
            protocol_version=scope.protocol_version,
            client_capabilities=scope.client_capabilities,
            progress=progress,
            channel=channel,
            cancellation=cancellation,
            input_responses=_object(request.params.get("inputResponses")),
            request_state=_text(request.params.get("requestState")),
            log_level=scope.log_level,
            client_info=scope.client_info,
        )
        stop_listening = self._router.listen(
            cancel_key(principal_key, scope.session_id, request.id),
            lambda _payload: cancellation.cancel(),
        )
        started = time.perf_counter()
        self._observer.tool_started(tool.name)
        kind = ToolOutcome.CANCELLED
        try:
            async with CallDeadline(self._deadline_seconds).running():
                result = await tool.handler(arguments, context)
            if not isinstance(result, ToolResult):
                raise TypeError(f"handler returned {type(result).__name__}, not ToolResult")
            outcome = "error result" if result.is_error else "ok"
            kind = ToolOutcome.ERROR_RESULT if result.is_error else ToolOutcome.OK
            response = encode_result(request.id, self._wire(result, scope))
        except RpcError as exc:  # a tool may answer with a protocol error (URL elicitation, -32042)
            outcome = f"protocol error {int(exc.code)}"
            kind = ToolOutcome.DOMAIN_ERROR
            response = exc.encode()
        except JamfMcpError as exc:
            outcome = f"domain error {type(exc).__name__}"
            kind = ToolOutcome.DOMAIN_ERROR
            result = domain_error_result(exc, tool.error_advice)
            response = encode_result(request.id, self._wire(result, scope))
        except Exception:
            outcome = "internal error"
            kind = ToolOutcome.INTERNAL_ERROR
            self._logger.exception(
                "Tool %s failed unexpectedly",
                tool.name,
                extra={"fields": {"rpc_id": request.id}},
            )
            result = internal_error_result(tool.name, request.id)
            response = encode_result(request.id, self._wire(result, scope))
        finally:
            stop_listening()
            if cancellation.cancelled:
                kind = ToolOutcome.CANCELLED
            self._observer.tool_finished(tool.name, kind, time.perf_counter() - started)
        if cancellation.cancelled:
            outcome += " (cancelled by the client)"
        elapsed = time.perf_counter() - started
        self._log_outcome(tool.name, request.id, outcome, elapsed)
        level = "info" if outcome == "ok" else "warning"
        await context.log(
            level, {"tool": tool.name, "outcome": outcome, "durationMs": round(elapsed * 1000)}
        )
        return response

    @staticmethod
    def _wire(result: ToolResult, scope: RequestScope) -> dict[str, Any]:
        return complete_result(scope, result_to_wire(result, scope.protocol_version))

    def _log_outcome(self, tool: str, request_id: object, outcome: str, seconds: float) -> None:
        level = self._success_log_level if outcome == "ok" else logging.INFO
        # The tool name is one of the catalogue's; the request id is the client's: a field.
        self._logger.log(
            level,
            "tools/call %s: %s in %.1f ms",
            tool,
            outcome,
            seconds * 1000,
            extra={"fields": {"rpc_id": request_id}},
        )


def _object(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
