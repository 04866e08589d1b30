"""The inbound scope check, in one place: what each message needs, from where it is declared.

- `initialize`, and every stream that lasts (`GET`, legacy SSE): the session scopes.
- Provided methods (resources, prompts, completions): the scopes their provider declares.
- `tools/call`: the scopes of the tool's `ToolDefinition`. A tool refused for scopes is not a
  protocol failure: it is answered as a tool result carrying the sign-in challenge (`_meta
  ["mcp/www_authenticate"]`, how ChatGPT offers to sign in again), so the shortfall travels on
  with the `Authorized` message into `dispatch`.

Anything else (and anything unparseable) needs no scope here. Use cases check their own scopes
again (`application/authorization.py`): that is the application's rule for every caller (the
CLI too), not a second inbound check (ADR 0040).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import attrs

from jamf_mcp.adapters.mcp.catalogue import ToolCatalogue
from jamf_mcp.adapters.mcp.jsonrpc import ErrorCode, Request, RpcError
from jamf_mcp.adapters.mcp.replies import Incoming
from jamf_mcp.domain.principal import Principal

_NO_SCOPES: frozenset[str] = frozenset()


class Authorized(NamedTuple):
    """A message the caller may send, ready for `McpServer.dispatch`.

    Attributes:
        incoming: the parsed message.
        denied: the scopes of the called tool the caller lacks (empty unless `tools/call`):
            the call is answered with a tool result refusing it.
    """

    incoming: Incoming
    denied: tuple[str, ...] = ()


@attrs.frozen
class Forbidden:
    """A message or stream the caller's scopes do not allow.

    Attributes:
        missing: the scopes lacking, sorted.
        granted: the scopes the caller holds (a challenge names those it should keep).
        error: the JSON-RPC error for transports that refuse inside the protocol (stdio);
            HTTP answers 403 with a `WWW-Authenticate` challenge instead.
    """

    missing: tuple[str, ...]
    granted: frozenset[str]
    error: RpcError


class InboundScopes:
    """Decides whether a caller may send a message, from the scopes declared for it.

    Args:
        catalogue: the tools, each declaring its scopes.
        session_scopes: what opening a session or a stream needs.
        method_scopes: what each provided method needs.
    """

    def __init__(
        self,
        catalogue: ToolCatalogue,
        session_scopes: frozenset[str],
        method_scopes: Mapping[str, frozenset[str]],
    ) -> None:
        self._catalogue = catalogue
        self._session_scopes = session_scopes
        self._needs = {**method_scopes, "initialize": session_scopes}

    def authorize(self, incoming: Incoming, principal: Principal) -> Authorized | Forbidden:
        """`incoming` authorized for `principal`, or the refusal."""
        message = incoming.message
        if not isinstance(message, Request):
            return Authorized(incoming)
        method = message.method
        if method == "tools/call":
            name = message.params.get("name")
            tool = self._catalogue.get(name) if isinstance(name, str) else None
            if tool is None:
                return Authorized(incoming)  # dispatch refuses the call
            return Authorized(incoming, principal.missing(tool.required_scopes))
        needed = self._needs.get(method, _NO_SCOPES)
        if needed and (missing := principal.missing(needed)):
            return _forbidden(principal, needed, missing, method, message.id)
        return Authorized(incoming)

    def authorize_stream(self, principal: Principal) -> Forbidden | None:
        """None when `principal` may open a stream that lasts (GET, legacy SSE), else why not."""
        missing = principal.missing(self._session_scopes)
        if not missing:
            return None
        return _forbidden(principal, self._session_scopes, missing, "A stream", None)


def _forbidden(
    principal: Principal,
    needed: frozenset[str],
    missing: tuple[str, ...],
    what: str,
    request_id: str | int | None,
) -> Forbidden:
    error = RpcError(
        ErrorCode.INVALID_REQUEST,
        f"{what} needs scope {' '.join(missing)}, which your sign-in does not grant.",
        request_id,
        {"requiredScopes": sorted(needed), "missingScopes": list(missing)},
    )
    return Forbidden(missing, principal.scopes, error)
