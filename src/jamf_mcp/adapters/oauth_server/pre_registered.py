"""Pre-registered confidential clients: the ones an operator creates for a connector's settings
form (ChatGPT's "OAuth client ID / secret"), with `jamf-mcp clients add` or the configuration.

They are never evicted by the dynamic-registration cap (they live in their own store), they
authenticate with `client_secret_basic` or `client_secret_post`, and their grants are like any
other: they end 30 days after sign-in, are re-checked at the identity provider and can be revoked
(`jamf-mcp auth revoke --client`). The secret is shown once and kept as its SHA-256 (ADR 0030).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from jamf_mcp.adapters.oauth_server.handles import HANDLE_BYTES, digest
from jamf_mcp.adapters.oauth_server.records import RegisteredClient
from jamf_mcp.adapters.oauth_server.redirect_uris import redirect_uri_problem

CLIENT_ID_PREFIX = "jmp_"
MIN_CONFIGURED_SECRET_LENGTH = 32
MAX_NAME_LENGTH = 200
MAX_REDIRECT_URIS = 10
PRE_REGISTERED = "pre_registered"
"""The registration mode's name (the home page and `FrontDoorConfig.registration`)."""


class PreRegisteredClientError(ValueError):
    """A pre-registered client cannot be made as asked (the message says why)."""


class PreRegisteredClients(Protocol):
    """Where an operator's clients are kept (a data-directory file, or Redis for every replica).

    Every method is idempotent; nothing expires on its own.
    """

    async def client(self, client_id: str) -> RegisteredClient | None:
        """The client with this id, or None."""
        ...

    async def all(self) -> list[RegisteredClient]:
        """Every kept client, oldest first."""
        ...

    async def add(self, client: RegisteredClient) -> None:
        """Keep `client` (replacing one with the same id)."""
        ...

    async def remove(self, client_id: str) -> bool:
        """Forget a client; True when it was kept."""
        ...


def checked_redirect_uris(uris: Sequence[str]) -> tuple[str, ...]:
    """The redirect URIs, each checked as for registration.

    Raises:
        PreRegisteredClientError: none, too many, or one that cannot be a redirect URI.
    """
    if not uris:
        raise PreRegisteredClientError("name at least one --redirect-uri")
    if len(uris) > MAX_REDIRECT_URIS:
        raise PreRegisteredClientError(f"at most {MAX_REDIRECT_URIS} redirect URIs")
    for uri in uris:
        if problem := redirect_uri_problem(uri):
            raise PreRegisteredClientError(f"{uri!r}: {problem}")
    return tuple(dict.fromkeys(uris))


def _name(name: str) -> str:
    cleaned = "".join(ch for ch in name if ch.isprintable()).strip()[:MAX_NAME_LENGTH]
    if not cleaned:
        raise PreRegisteredClientError("give the client a --name (shown on the consent page)")
    return cleaned


def new_pre_registered_client(
    name: str, redirect_uris: Sequence[str], *, now: int
) -> tuple[RegisteredClient, str]:
    """A new confidential client and its secret in the clear (shown once, never kept).

    Raises:
        PreRegisteredClientError: a bad name or redirect URI.
    """
    secret = secrets.token_urlsafe(HANDLE_BYTES)
    client = RegisteredClient(
        client_id=CLIENT_ID_PREFIX + secrets.token_urlsafe(18),
        client_name=_name(name),
        redirect_uris=checked_redirect_uris(redirect_uris),
        token_endpoint_auth_method="client_secret_basic",
        secret_digest=digest(secret),
        issued_at=now,
        pre_registered=True,
    )
    return client, secret


def configured_client(
    client_id: str, secret: str, redirect_uris: Sequence[str], name: str = "ChatGPT"
) -> RegisteredClient:
    """The client given by the configuration (`JAMF_MCP_OAUTH_CLIENT_*`).

    Raises:
        PreRegisteredClientError: a secret shorter than 32 characters, or a bad redirect URI.
    """
    if not client_id.strip() or len(client_id) > 200 or not client_id.isprintable():
        raise PreRegisteredClientError("the client id must be 1 to 200 printable characters")
    if len(secret) < MIN_CONFIGURED_SECRET_LENGTH:
        raise PreRegisteredClientError(
            f"the client secret must be at least {MIN_CONFIGURED_SECRET_LENGTH} characters "
            "(e.g. the output of `openssl rand -base64 32`)"
        )
    return RegisteredClient(
        client_id=client_id.strip(),
        client_name=_name(name),
        redirect_uris=checked_redirect_uris(redirect_uris),
        token_endpoint_auth_method="client_secret_basic",
        secret_digest=digest(secret),
        pre_registered=True,
    )


def client_record(client: RegisteredClient) -> dict[str, Any]:
    """The stored form of a pre-registered client (the secret only as its digest)."""
    return {
        "client_id": client.client_id,
        "client_name": client.client_name,
        "redirect_uris": list(client.redirect_uris),
        "secret_digest": client.secret_digest,
        "issued_at": client.issued_at,
    }


def client_from_record(record: object) -> RegisteredClient:
    """A pre-registered client from its stored form.

    Raises:
        ValueError: the record is not one `client_record` wrote.
    """
    if not isinstance(record, dict):
        raise ValueError("a stored client is a JSON object")
    client_id, name = record.get("client_id"), record.get("client_name")
    uris, secret_digest = record.get("redirect_uris"), record.get("secret_digest")
    issued_at = record.get("issued_at", 0)
    if not (
        isinstance(client_id, str)
        and isinstance(name, str | None)
        and isinstance(uris, list)
        and all(isinstance(uri, str) for uri in uris)
        and isinstance(secret_digest, str)
        and isinstance(issued_at, int)
    ):
        raise ValueError("a stored client lacks a field or has one of the wrong type")
    return RegisteredClient(
        client_id=client_id,
        client_name=name,
        redirect_uris=tuple(uris),
        token_endpoint_auth_method="client_secret_basic",
        secret_digest=secret_digest,
        issued_at=issued_at,
        pre_registered=True,
    )


class InMemoryPreRegisteredClients:
    """Implements `PreRegisteredClients` in this process (tests; a server without a data
    directory to write to)."""

    def __init__(self, clients: Iterable[RegisteredClient] = ()) -> None:
        self._clients = {client.client_id: client for client in clients}

    async def client(self, client_id: str) -> RegisteredClient | None:
        """The client with this id."""
        return self._clients.get(client_id)

    async def all(self) -> list[RegisteredClient]:
        """Every client, oldest first."""
        return sorted(self._clients.values(), key=lambda c: (c.issued_at, c.client_id))

    async def add(self, client: RegisteredClient) -> None:
        """Keep `client`."""
        self._clients[client.client_id] = client

    async def remove(self, client_id: str) -> bool:
        """Forget a client."""
        return self._clients.pop(client_id, None) is not None


class PreRegisteredDirectory:
    """The configured client (if any) and the kept ones, looked up together.

    Args:
        stored: `jamf-mcp clients add`'s store (None: none).
        configured: clients from the configuration; they win over a stored one with the same id.
    """

    def __init__(
        self, stored: PreRegisteredClients | None, configured: Sequence[RegisteredClient] = ()
    ) -> None:
        self._stored = stored
        self._configured = {client.client_id: client for client in configured}

    async def client(self, client_id: str) -> RegisteredClient | None:
        """The pre-registered client with this id, or None."""
        configured = self._configured.get(client_id)
        if configured is not None or self._stored is None:
            return configured
        return await self._stored.client(client_id)

    async def any(self) -> bool:
        """Whether at least one pre-registered client exists (the home page says so)."""
        if self._configured:
            return True
        return self._stored is not None and bool(await self._stored.all())


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements: type[PreRegisteredClients] = InMemoryPreRegisteredClients
