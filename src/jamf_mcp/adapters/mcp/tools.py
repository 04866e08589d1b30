"""What a tool is: its definition, the context its handler receives, and what it returns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

import attrs

from jamf_mcp.adapters.mcp.logging_notices import log_params, wants
from jamf_mcp.domain.principal import Principal


class ProgressReporter(Protocol):
    """Reports progress of the running tool call to the client.

    A no-op when the request carried no `_meta.progressToken`. Values that do not increase are
    dropped, because the protocol requires progress to be monotonic.
    """

    async def __call__(
        self, progress: float, total: float | None = None, message: str | None = None
    ) -> None:
        """Send (or drop) one progress update."""


class NoBackChannel(Exception):
    """The client cannot be asked anything during this request (its reply is not streamed)."""


class ClientRequestFailed(Exception):
    """The client answered a server-to-client request with a JSON-RPC error."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class ClientChannel(Protocol):
    """The way back to the client for messages related to the current request."""

    @property
    def can_request(self) -> bool:
        """True when `request` can reach the client (the reply is an SSE stream)."""
        ...

    async def notify(self, method: str, params: Mapping[str, Any]) -> None:
        """Send a notification on this request's stream (dropped if the reply is not streamed)."""

    async def request(
        self, method: str, params: Mapping[str, Any], *, answer_within: float
    ) -> Mapping[str, Any]:
        """Send a request to the client on this request's stream and return its result.

        Raises:
            NoBackChannel: the reply is not streamed.
            ClientRequestFailed: the client answered with an error.
            TimeoutError: no answer within `answer_within` seconds.
        """
        ...


class CancelSignal:
    """Set when the client cancels the request (or goes away); long tools check it between steps."""

    def __init__(self) -> None:
        self._cancelled = False

    @property
    def cancelled(self) -> bool:
        """True once the request was cancelled."""
        return self._cancelled

    def cancel(self) -> None:
        """Mark the request cancelled."""
        self._cancelled = True


@attrs.frozen
class ToolAnnotations:
    """Behaviour hints shown to clients; serialised as `title` and the four `…Hint` fields.

    Set all of them explicitly: omitted hints default to the most alarming value on the client.
    """

    title: str | None
    read_only: bool
    destructive: bool
    idempotent: bool
    open_world: bool

    def to_wire(self) -> dict[str, Any]:
        """The MCP `ToolAnnotations` object."""
        wire: dict[str, Any] = {
            "readOnlyHint": self.read_only,
            "destructiveHint": self.destructive,
            "idempotentHint": self.idempotent,
            "openWorldHint": self.open_world,
        }
        if self.title is not None:
            wire["title"] = self.title
        return wire


@attrs.frozen
class ToolContext:
    """Everything a tool handler gets besides its arguments.

    Attributes:
        principal: who is calling; scopes were already checked against the tool.
        request_id: the JSON-RPC id of the `tools/call` request.
        session_id: the MCP session, or None for a stateless request.
        protocol_version: the revision this request is served under.
        client_capabilities: what the client declared at `initialize` (empty when stateless).
        progress: reports progress; a no-op without a progress token.
        channel: the way back to the client for this request.
        cancellation: set when the client cancels (tools that run long stop between steps).
        input_responses: the client's answers to an earlier `input_required` result (2026-07-28
            multi-round-trip requests), by input request key.
        request_state: the opaque state the server handed out with that `input_required` result.
        log_level: the least severe log notification the client wants (None: none).
        client_info: the client's `clientInfo` (name, version), empty when unknown.
    """

    principal: Principal
    request_id: str | int | None
    session_id: str | None
    protocol_version: str
    client_capabilities: Mapping[str, Any]
    progress: ProgressReporter
    channel: ClientChannel
    cancellation: CancelSignal = attrs.field(factory=CancelSignal)
    input_responses: Mapping[str, Any] = attrs.field(factory=dict)
    request_state: str | None = None
    log_level: str | None = None
    client_info: Mapping[str, Any] = attrs.field(factory=dict)

    async def log(self, level: str, data: Mapping[str, Any] | str) -> None:
        """Send a `notifications/message` if the client asked for this level (never secrets)."""
        if wants(self.log_level, level):
            await self.channel.notify("notifications/message", log_params(level, data))


@attrs.frozen
class InputRequired:
    """A 2026-07-28 `input_required` result: what the client must ask, and the state to echo.

    Attributes:
        input_requests: server-to-client requests (`{"method": …, "params": …}`) by key.
        request_state: opaque state the client sends back with its answers.
    """

    input_requests: Mapping[str, Mapping[str, Any]]
    request_state: str = attrs.field(repr=False)

    def to_wire(self) -> dict[str, Any]:
        """The `InputRequiredResult` object."""
        return {
            "resultType": "input_required",
            "inputRequests": dict(self.input_requests),
            "requestState": self.request_state,
        }


@attrs.frozen
class ToolResult:
    """What a tool handler returns.

    Attributes:
        structured: JSON-ready data; sent as `structuredContent` (2025-06-18+) and always also
            as a compact JSON text block for older clients.
        text: optional human-readable text, placed before the JSON text block.
        is_error: marks a tool execution error the model should see and may recover from.
        input_required: instead of a result, ask the client for input first (2026-07-28).
        meta: the result's `_meta` (e.g. `mcp/www_authenticate` on a refusal for scopes).
    """

    structured: Mapping[str, Any] | None
    text: str | None = None
    is_error: bool = False
    input_required: InputRequired | None = None
    meta: Mapping[str, Any] | None = None

    @classmethod
    def error(cls, message: str) -> ToolResult:
        """A tool execution error carrying only an explanation."""
        return cls(structured=None, text=message, is_error=True)


ToolHandler = Callable[[Mapping[str, Any], ToolContext], Awaitable[ToolResult]]


@attrs.frozen
class ToolDefinition:
    """One tool as the catalogue holds it.

    Attributes:
        name: unique, 1-64 characters of `A-Za-z0-9_.-`.
        title: human-friendly name.
        description: what the tool does, written for the model.
        input_schema: JSON Schema 2020-12 object schema; arguments are validated against it
            before the handler runs, and each absent property that declares a `default` is
            given it (the handler never restates a default).
        output_schema: schema of `structured`, advertised to 2025-06-18+ clients.
        annotations: behaviour hints.
        required_scopes: scopes the principal must hold; checked before the handler runs.
        handler: the coroutine that does the work.
        meta: extra `_meta` published in `tools/list`.
        may_elicit: the handler may ask the user something (a confirmation) through the
            client; its reply is then streamed to clients that can be asked.
        error_advice: a sentence appended to the message of a domain error of one of these
            types (a subclass counts): what the model can do next, in the catalogue's own
            terms, such as which tool finds a device (the domain names no tool).
    """

    name: str
    title: str
    description: str
    input_schema: Mapping[str, Any]
    output_schema: Mapping[str, Any] | None
    annotations: ToolAnnotations
    required_scopes: frozenset[str]
    handler: ToolHandler = attrs.field(eq=False)
    meta: Mapping[str, Any] | None = None
    may_elicit: bool = False
    error_advice: Mapping[type[Exception], str] = attrs.field(factory=dict, eq=False)
