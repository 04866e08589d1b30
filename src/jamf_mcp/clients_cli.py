"""`jamf-mcp clients add|list|remove`: the operator's pre-registered OAuth clients, for a
connector's settings form (ChatGPT's "OAuth client ID" and "OAuth client secret").

With `REDIS_URL` the clients live in Redis and every replica sees them at once; otherwise in the
data directory's `oauth-clients.json`, which a running server re-reads when it changes. The secret
is printed once, by `add`, and kept only as its SHA-256.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from jamf_mcp.adapters.oauth_server.pre_registered import (
    PreRegisteredClientError,
    PreRegisteredClients,
    new_pre_registered_client,
)
from jamf_mcp.domain.errors import StateUnavailable
from jamf_mcp.settings import CHATGPT_REDIRECT_URI, Settings, SettingsError

T = TypeVar("T")
FORM_SCOPES = "openid profile email read:jamf write:jamf"


def add_clients_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `clients add|list|remove`."""
    clients = commands.add_parser(
        "clients",
        help="manage pre-registered OAuth clients (a connector's client id and secret)",
        description=__doc__,
    )
    sub = clients.add_subparsers(dest="clients_command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        parser = sub.add_parser(name, help=help_text)
        parser.add_argument("--data-dir", type=Path, help="the server's data directory")
        return parser

    add = command("add", "create a confidential client; prints its id and secret once")
    add.add_argument("--name", required=True, help='shown on the consent page, e.g. "ChatGPT"')
    add.add_argument(
        "--redirect-uri",
        action="append",
        dest="redirect_uris",
        help=f"an allowed redirect URI (repeatable; default {CHATGPT_REDIRECT_URI})",
    )
    command("list", "list the pre-registered clients (never their secrets)")
    remove = command("remove", "remove a client; with REDIS_URL its grants end at once too")
    remove.add_argument("client_id", help="the client id `clients add` printed")


def run_clients(args: argparse.Namespace) -> int:
    """Run one `clients` command; 0 on success, 1 on a failure, 2 on unusable input."""
    try:
        settings = Settings.from_env(data_dir=args.data_dir)
    except SettingsError as error:
        print(f"jamf-mcp: {error}", file=sys.stderr)
        return 2
    try:
        if args.clients_command == "add":
            return _add(settings, args.name, args.redirect_uris or [CHATGPT_REDIRECT_URI])
        if args.clients_command == "list":
            return _list(settings)
        return _remove(settings, args.client_id)
    except PreRegisteredClientError as error:
        print(f"jamf-mcp: {error}", file=sys.stderr)
        return 2
    except StateUnavailable as error:
        print(f"jamf-mcp: {error.message}", file=sys.stderr)
        return 1


def _with_store(settings: Settings, work: Callable[[PreRegisteredClients], Awaitable[T]]) -> T:
    from jamf_mcp.identity_wiring import pre_registered_store

    async def run() -> T:
        if settings.redis_url is None:
            return await work(pre_registered_store(None, settings))
        from jamf_mcp.adapters.redis import open_redis

        redis = open_redis(settings.redis_url, cluster=settings.redis_cluster)
        try:
            return await work(pre_registered_store(redis, settings))
        finally:
            await redis.aclose()

    return asyncio.run(run())


def _where(settings: Settings) -> str:
    if settings.redis_url is not None:
        return "Redis (every replica)"
    return str(settings.data_dir / "oauth-clients.json")


def _add(settings: Settings, name: str, redirect_uris: list[str]) -> int:
    client, secret = new_pre_registered_client(name, redirect_uris, now=int(time.time()))
    _with_store(settings, lambda store: store.add(client))
    print(
        f"Created the OAuth client {client.client_name!r} in {_where(settings)}.\n"
        "Paste these into the connector's settings; the secret is shown only now:\n\n"
        f"  OAuth client ID      {client.client_id}\n"
        f"  OAuth client secret  {secret}\n"
        f"  Authorization URL    {settings.public_url}/auth/authorize\n"
        f"  Token URL            {settings.public_url}/auth/callback\n"
        f"  Scopes               {FORM_SCOPES}\n"
        f"  Redirect URIs        {' '.join(client.redirect_uris)}\n"
        f"  Token endpoint auth  client_secret_basic (client_secret_post works too)"
    )
    return 0


def _list(settings: Settings) -> int:
    stored = _with_store(settings, lambda store: store.all())
    configured = settings.auth.oauth_client_id
    if not stored and configured is None:
        print(
            f"No pre-registered clients ({_where(settings)}). Create one with `jamf-mcp clients add`."
        )
        return 0
    if configured is not None:
        print(f"{configured}  {settings.auth.oauth_client_name}  (JAMF_MCP_OAUTH_CLIENT_ID)")
    for client in stored:
        created = datetime.fromtimestamp(client.issued_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
        print(
            f"{client.client_id}  {client.client_name}  created {created}  "
            f"redirect {' '.join(client.redirect_uris)}"
        )
    return 0


def _remove(settings: Settings, client_id: str) -> int:
    removed = _with_store(settings, lambda store: store.remove(client_id))
    if not removed:
        print(
            f"jamf-mcp: no pre-registered client {client_id} in {_where(settings)}", file=sys.stderr
        )
        return 1
    if settings.redis_url is None:
        print(
            f"Removed {client_id}. Its refresh tokens stop working at once (the client is "
            "unknown now); access tokens already issued expire within "
            f"{settings.auth.access_token_ttl_seconds} seconds."
        )
        return 0
    from jamf_mcp.identity_wiring import revoke_grants

    count = asyncio.run(revoke_grants(settings, subject=None, client_id=client_id))
    print(f"Removed {client_id} and revoked its {count} grant(s) on every replica.")
    return 0
