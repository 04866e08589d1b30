"""How the core is extended with more JSON-RPC methods (resources, prompts, completions, …).

A `MethodProvider` contributes handlers and the capabilities that announce them. Handlers build
their answers with `result_reply`, which adds what the request's protocol era requires
(`resultType` and cache hints in 2026-07-28), so providers never branch on revisions for that.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

import attrs

from jamf_mcp.adapters.mcp import revisions
from jamf_mcp.adapters.mcp.jsonrpc import Request, encode_result
from jamf_mcp.adapters.mcp.replies import RequestScope

SERVER_INFO_KEY = "io.modelcontextprotocol/serverInfo"

MethodHandler = Callable[[Request, RequestScope], Awaitable[bytes]]
"""Answers one request: the encoded JSON-RPC response (or raises `RpcError`)."""


class MethodProvider(Protocol):
    """A group of methods the server offers, with the capabilities that announce them."""

    def methods(self) -> Mapping[str, MethodHandler]:
        """Handlers by JSON-RPC method name."""
        ...

    def capabilities(self) -> Mapping[str, Any]:
        """Entries merged into the server's `capabilities` (e.g. `{"resources": {}}`)."""
        ...

    def scopes(self) -> Mapping[str, frozenset[str]]:
        """The scopes each method needs: the core checks them before the method runs
        (`authorization.py`), so handlers never do."""
        ...


@attrs.frozen
class CacheHint:
    """How long (and for whom) a client may cache a list or read result (2026-07-28).

    Attributes:
        ttl_ms: freshness in milliseconds (0: re-fetch every time).
        scope: `private` (per sign-in) or `public`.
    """

    ttl_ms: int = 0
    scope: str = "private"


NO_CACHE = CacheHint()


def complete_result(
    scope: RequestScope, result: Mapping[str, Any], cache: CacheHint | None = None
) -> dict[str, Any]:
    """`result` with what the request's era requires of a final result."""
    if not revisions.is_modern(scope.protocol_version):
        return dict(result)
    finished = {**result, "resultType": result.get("resultType", "complete")}
    if cache is not None:
        finished |= {"ttlMs": cache.ttl_ms, "cacheScope": cache.scope}
    if scope.server_info is not None:
        meta = result.get("_meta")
        finished["_meta"] = {
            **(meta if isinstance(meta, Mapping) else {}),
            SERVER_INFO_KEY: scope.server_info,
        }
    return finished


def result_reply(
    request: Request,
    scope: RequestScope,
    result: Mapping[str, Any],
    cache: CacheHint | None = None,
) -> bytes:
    """The encoded response carrying `result` as the answer to `request`."""
    return encode_result(request.id, complete_result(scope, result, cache))
