"""The handshake-era lifecycle: `initialize`, sessions, `DELETE`, and the small methods.

`initialize` opens a session (its revision negotiated, the client's capabilities kept); every
later request in it is resolved to a `RequestScope` here — its revision, capabilities and log
level — or refused: an unsupported `MCP-Protocol-Version`, an unknown (or someone else's)
session. `ping`, `logging/setLevel` and `server/discover` are served here too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import attrs

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.connections import McpConnections, transport_name
from jamf_mcp.adapters.mcp.jsonrpc import ErrorCode, Request, RpcError, encode_result
from jamf_mcp.adapters.mcp.logging_notices import LOG_LEVELS
from jamf_mcp.adapters.mcp.methods import CacheHint, MethodHandler, result_reply
from jamf_mcp.adapters.mcp.replies import (
    Outcome,
    RequestContext,
    RequestScope,
    Result,
    refused,
)
from jamf_mcp.adapters.mcp.session_streams import SessionStreams
from jamf_mcp.adapters.mcp.sessions import (
    Session,
    SessionStore,
    TooManySessions,
    kept_capabilities,
    kept_client_info,
    new_session_id,
)

DISCOVERY_CACHE = CacheHint(ttl_ms=300_000, scope="public")
_ENDED = Result(Outcome.ENDED)


@attrs.frozen
class ServerInfo:
    """How the server introduces itself at `initialize`.

    Attributes:
        name: machine name (`serverInfo.name`).
        version: the product version.
        title: display name (sent to 2025-06-18+ clients).
        instructions: guidance for the model on how to use the tools.
    """

    name: str
    version: str
    title: str | None = None
    instructions: str | None = None


class Refused(Exception):
    """Carries a refusing `Result` out of nested resolution code (to `McpServer.dispatch`)."""

    def __init__(self, result: Result, code: int) -> None:
        super().__init__(result.kind.value)
        self.result = result
        self.code = code


def session_not_found(request_id: str | int | None) -> Refused:
    """The refusal of a session that does not exist (any more), or is someone else's."""
    error = RpcError(
        ErrorCode.SESSION_NOT_FOUND,
        "Session not found or expired; initialize again without Mcp-Session-Id",
        request_id,
    )
    return Refused(refused(Outcome.UNKNOWN_SESSION, error), error.code)


class Lifecycle:
    """Opens, resolves and ends sessions; answers `ping`, `logging/setLevel`, `server/discover`.

    Args:
        info: how the server introduces itself.
        sessions: where sessions live between requests.
        streams: the session streams (ended with their session).
        connections: logs sessions opening and ending.
        logger: where session starts are logged.
        capabilities: the server capabilities to announce.
    """

    def __init__(
        self,
        info: ServerInfo,
        sessions: SessionStore,
        streams: SessionStreams,
        connections: McpConnections,
        logger: logging.Logger,
        capabilities: Callable[[], Mapping[str, Any]],
    ) -> None:
        self._info = info
        self._sessions = sessions
        self._streams = streams
        self._connections = connections
        self._logger = logger
        self._capabilities = capabilities

    def methods(self) -> dict[str, MethodHandler]:
        """The small methods, by name."""
        return {
            "ping": self._ping,
            "logging/setLevel": self._set_log_level,
            "server/discover": self._discover,
        }

    def server_info(self, version: str) -> dict[str, Any]:
        """`serverInfo` as a client of `version` reads it."""
        info: dict[str, Any] = {"name": self._info.name, "version": self._info.version}
        if self._info.title is not None and revisions.has_titles(version):
            info["title"] = self._info.title
        return info

    async def initialize(self, request: Request, context: RequestContext) -> Result:
        """`initialize`: a new session, its revision negotiated; the `Mcp-Session-Id` to announce.

        Raises:
            Refused: the server's session limit is reached (UNAVAILABLE).
        """
        requested = request.params.get("protocolVersion")
        if not isinstance(requested, str):
            raise RpcError(
                ErrorCode.INVALID_PARAMS, "initialize needs a string 'protocolVersion'", request.id
            )
        version = revisions.negotiate(requested)
        now = datetime.now(UTC)
        session_id = new_session_id()
        if context.legacy_sse and context.session_id is not None:
            session_id = context.session_id  # the transport opened it at GET /sse
        session = Session(
            id=session_id,
            principal_key=context.principal.key,
            protocol_version=version,
            client_info=kept_client_info(request.params.get("clientInfo")),
            client_capabilities=kept_capabilities(request.params.get("capabilities")),
            created_at=now,
            last_seen_at=now,
        )
        try:
            await self._sessions.add(session)
        except TooManySessions as full:
            error = RpcError(ErrorCode.INTERNAL_ERROR, full.message, request.id)
            raise Refused(refused(Outcome.UNAVAILABLE, error), error.code) from None
        self._logger.info(
            "Session started, negotiated %s",
            version,  # one of ours; what the client sent are fields
            extra={
                "fields": {
                    "client": session.client_info.get("name", "unknown"),
                    "requested_version": requested[:64],
                }
            },
        )
        self._connections.opened(
            session.id,
            kind="session",
            subject=context.principal.subject,
            client=str(session.client_info.get("name", "unknown")),
            oauth_client=context.principal.client_id,
            transport=transport_name(
                legacy_sse=context.legacy_sse, has_headers=context.has_headers
            ),
            protocol_version=version,
        )
        result: dict[str, Any] = {
            "protocolVersion": version,
            "capabilities": dict(self._capabilities()),
            "serverInfo": self.server_info(version),
        }
        if self._info.instructions is not None:
            result["instructions"] = self._info.instructions
        return Result(Outcome.ANSWERED, encode_result(request.id, result), session.id)

    async def resolve(self, context: RequestContext, request_id: str | int | None) -> RequestScope:
        """The scope of a handshake-era request: its session's, or a stateless one.

        Raises:
            Refused: an unsupported `MCP-Protocol-Version`; an unknown or foreign session.
        """
        header = context.protocol_version
        if header is not None and not revisions.is_supported(header):
            error = RpcError(
                ErrorCode.INVALID_REQUEST,
                f"Unsupported MCP-Protocol-Version: {header}",
                request_id,
                {"supported": list(revisions.SUPPORTED_VERSIONS), "requested": header},
            )
            raise Refused(refused(Outcome.UNSUPPORTED_VERSION, error), error.code)
        if context.session_id is None:
            return RequestScope(
                principal=context.principal,
                session_id=None,
                protocol_version=header or revisions.DEFAULT_STATELESS_VERSION,
                client_capabilities={},
                log_level=None,
            )
        session = await self._sessions.get(context.session_id)
        # Another user's session id is answered like an unknown one, revealing nothing.
        if session is None or session.principal_key != context.principal.key:
            raise session_not_found(request_id)
        self._connections.seen(session.id)
        return RequestScope(
            principal=context.principal,
            session_id=session.id,
            protocol_version=session.protocol_version,
            client_capabilities=session.client_capabilities,
            log_level=session.log_level,
            client_info=session.client_info,
        )

    async def end(self, context: RequestContext) -> Result:
        """End the session named by the context (HTTP DELETE): ENDED, or why not (no session id:
        MALFORMED; an unknown or foreign one: UNKNOWN_SESSION)."""
        if context.session_id is None:
            error = RpcError(ErrorCode.INVALID_REQUEST, "Mcp-Session-Id header is required")
            return refused(Outcome.MALFORMED, error)
        session = await self._sessions.get(context.session_id)
        if session is None or session.principal_key != context.principal.key:
            return session_not_found(None).result
        await self._sessions.remove(session.id)
        await self._streams.close_all(session.principal_key, session.id)
        self._connections.closed(session.id, "client")
        return _ENDED

    async def _ping(self, request: Request, scope: RequestScope) -> bytes:
        return encode_result(request.id, {})

    async def _discover(self, request: Request, scope: RequestScope) -> bytes:
        """`server/discover`: the revisions, capabilities and identity of this server."""
        result: dict[str, Any] = {
            "supportedVersions": list(revisions.SUPPORTED_VERSIONS),
            "capabilities": dict(self._capabilities()),
            "serverInfo": self.server_info(scope.protocol_version),
        }
        if self._info.instructions is not None:
            result["instructions"] = self._info.instructions
        return result_reply(request, scope, result, DISCOVERY_CACHE)

    async def _set_log_level(self, request: Request, scope: RequestScope) -> bytes:
        """`logging/setLevel`: the least severe `notifications/message` this session receives."""
        level = request.params.get("level")
        if not isinstance(level, str) or level not in LOG_LEVELS:
            raise RpcError(
                ErrorCode.INVALID_PARAMS,
                f"'level' must be one of {', '.join(LOG_LEVELS)}",
                request.id,
            )
        if scope.session_id is not None:
            session = await self._sessions.get(scope.session_id)
            if session is not None:
                await self._sessions.add(attrs.evolve(session, log_level=level))
        return encode_result(request.id, {})
