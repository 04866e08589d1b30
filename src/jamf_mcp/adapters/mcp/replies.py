"""What a transport hands the core (`Incoming`, `RequestContext`) and what it gets back.

The core answers every message with a transport-neutral value: a `Result` (a complete answer,
with an `Outcome` saying what kind of answer it is) or a `Stream` (messages as they happen, the
response last). A transport maps the `Outcome` to its own framing — HTTP statuses live in
`adapters/asgi_mcp/framing.py`, not here.

The values built for every request (`Incoming`, `RequestContext`, `RequestScope`, `Result`) are
`NamedTuple`s rather than frozen attrs classes: as immutable, and several times cheaper to
build (a frozen attrs `__init__` sets each field through `object.__setattr__`; ADR 0040).
"""

from __future__ import annotations

import enum
from collections.abc import AsyncGenerator, Mapping
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

import attrs

from jamf_mcp.adapters.mcp.jsonrpc import Message, RpcError
from jamf_mcp.adapters.mcp.streams import StreamEvent
from jamf_mcp.domain.principal import Principal


class RequestSink(Protocol):
    """Where a request's interim messages go (notifications, and server-to-client requests)."""

    @property
    def streaming(self) -> bool:
        """True when messages reach the client as they are sent."""
        ...

    async def send(self, message: bytes) -> None:
        """Send one encoded JSON-RPC message ahead of the response (dropped when not streaming)."""
        ...


class Incoming(NamedTuple):
    """One message as the core parsed it: the message, or the error that refuses it.

    Attributes:
        raw: the bytes as received (a client's response is relayed as it came).
        message: the parsed JSON-RPC message, or the parse error to answer with.
    """

    raw: bytes
    message: Message | RpcError


class RequestContext(NamedTuple):
    """Transport facts about one incoming message, and what the transport can frame.

    Attributes:
        principal: the authenticated caller.
        session_id: the `Mcp-Session-Id` header, if sent.
        protocol_version: the `MCP-Protocol-Version` header, if sent.
        method_header: the `Mcp-Method` header (2026-07-28), if sent.
        name_header: the `Mcp-Name` header (2026-07-28), if sent.
        has_headers: False for transports without HTTP headers (stdio): the 2026-07-28 header
            checks are skipped there.
        legacy_sse: the message came through the 2024-11-05 HTTP+SSE transport, whose session
            (`session_id`) exists before `initialize`.
        can_stream: the transport can send interim messages ahead of the response (the client
            accepts `text/event-stream`): work that reports progress or asks the client
            something is answered as a `Stream`.
        only_stream: the client accepts nothing but a stream: every piece of work is streamed.
        resumable: a dropped stream can be resumed (Streamable HTTP `GET` + `Last-Event-ID`):
            the work of a request in a handshake-era session then runs detached from the
            connection.
        sink: the transport writes interim messages the moment they are sent (stdio): the
            work runs in the caller's task and the response comes back as a `Result`.
    """

    principal: Principal
    session_id: str | None = None
    protocol_version: str | None = None
    method_header: str | None = None
    name_header: str | None = None
    has_headers: bool = True
    legacy_sse: bool = False
    can_stream: bool = False
    only_stream: bool = False
    resumable: bool = False
    sink: RequestSink | None = None


_NOTHING: Mapping[str, Any] = MappingProxyType({})


class RequestScope(NamedTuple):
    """A request after the core resolved its session and protocol revision.

    Attributes:
        principal: the authenticated caller.
        session_id: the live session, or None for a stateless request.
        protocol_version: the revision the request is served under.
        client_capabilities: from `initialize`, or the request's `_meta` (2026-07-28); empty
            for stateless handshake-era requests.
        log_level: the least severe `notifications/message` level the client wants (None:
            none at all).
        server_info: `serverInfo`, repeated in the `_meta` of every 2026-07-28 result.
        client_info: the client's `clientInfo` (from `initialize`, or the request's `_meta`);
            empty when it did not say.
    """

    principal: Principal
    session_id: str | None
    protocol_version: str
    client_capabilities: Mapping[str, Any]
    log_level: str | None = None
    server_info: Mapping[str, Any] | None = None
    client_info: Mapping[str, Any] = _NOTHING


class Outcome(enum.StrEnum):
    """What kind of answer the core gave; each transport frames each kind its own way.

    A `StrEnum`: transports look kinds up in a table on every answer, and `str` hashes in C.
    """

    ANSWERED = "answered"
    """A response to a readable request (a result, or a JSON-RPC error answering it)."""
    ACCEPTED = "accepted"
    """A notification or a client's response taken in: nothing to answer."""
    ENDED = "ended"
    """The session was ended on the client's request."""
    MALFORMED = "malformed"
    """A message the server cannot accept at all (unparseable, not JSON-RPC, no request id)."""
    UNSUPPORTED_VERSION = "unsupported_version"
    """A protocol revision this server does not speak."""
    UNKNOWN_SESSION = "unknown_session"
    """A session that does not exist (any more), or belongs to someone else."""
    UNKNOWN_METHOD = "unknown_method"
    """A 2026-07-28 request for a method this server does not have."""
    UNKNOWN_STREAM = "unknown_stream"
    """A resumption of no stream the caller may resume."""
    NO_STREAM = "no_stream"
    """A standalone stream asked of a revision that has none (2026-07-28)."""
    UNAVAILABLE = "unavailable"
    """The server cannot take the request now (its session limit is reached)."""


class Result(NamedTuple):
    """A complete answer.

    Attributes:
        kind: what kind of answer it is.
        message: the encoded JSON-RPC message to send (None: nothing to send).
        session_id: a session created by this request, to announce (`Mcp-Session-Id`).
    """

    kind: Outcome
    message: bytes | None = None
    session_id: str | None = None


@attrs.frozen
class Stream:
    """An answer that arrives as it happens: interim messages, then the response.

    Closing `events` early (the client went away) winds the work down: plain streams tell it
    to stop and cancel it after a grace period; resumable ones keep it running for a while in
    case the client resumes (`delivery.py`).

    Attributes:
        events: the messages, each with its event id when the stream can be resumed.
        stream_id: the resumable stream's id (None: not resumable).
        primes: the client's revision expects the stream to open with an event that has an id
            and empty data (older clients cannot parse one).
    """

    events: AsyncGenerator[StreamEvent, None]
    stream_id: str | None = None
    primes: bool = False


ANSWERED_NOTHING = Result(Outcome.ACCEPTED)
"""The answer to a notification or a client's response."""


def refused(kind: Outcome, error: RpcError) -> Result:
    """A `Result` refusing a message with `error`."""
    return Result(kind, error.encode())
