"""The `jamf-mcp` command: `serve` the MCP server, or run the Jamf Pro `simulator` alone."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from jamf_mcp import __version__
from jamf_mcp.settings import Settings, SettingsError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jamf-mcp", description=__doc__)
    parser.add_argument("--version", action="version", version=f"jamf-mcp {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the MCP server (Streamable HTTP on /mcp)")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1; env JAMF_MCP_HOST)")
    serve.add_argument("--port", type=int, help="port (default 8000; env JAMF_MCP_PORT)")
    serve.add_argument(
        "--data-dir", type=Path, help="where durable state is kept (env JAMF_MCP_DATA_DIR)"
    )
    serve.add_argument(
        "--auth",
        choices=["dev", "oidc", "none"],
        help="sign-in: dev (embedded identity provider, default), oidc (OIDC_ISSUER), "
        "none (off; loopback only)",
    )
    serve.add_argument("--public-url", help="canonical external URL, e.g. https://mcp.example.com")

    stdio = commands.add_parser(
        "stdio",
        help="serve MCP on stdin/stdout for clients that start the server (no sign-in)",
        description="Serve MCP as newline-delimited JSON-RPC on stdin/stdout, for MCP clients "
        "that start the server themselves (Claude Desktop, IDEs). There is no sign-in on stdio: "
        "every request acts as the local operator with read and write scopes, so whoever can "
        "start this process can act on the fleet. Jamf Pro credentials come from the "
        "environment (JAMF_URL with JAMF_CLIENT_ID and JAMF_CLIENT_SECRET, or JAMF_USERNAME and "
        "JAMF_PASSWORD); without JAMF_URL the embedded demo tenant is served. Logs go to stderr.",
    )
    stdio.add_argument(
        "--data-dir", type=Path, help="where durable state is kept (env JAMF_MCP_DATA_DIR)"
    )

    token = commands.add_parser(
        "dev-token", help="print an access token the server accepts (development)"
    )
    token.add_argument("--data-dir", type=Path, help="the server's data directory")
    token.add_argument("--server", help="the server's public URL (default http://127.0.0.1:8000)")
    token.add_argument("--subject", default="alice", help="the user the token names")
    token.add_argument("--scope", default="read:jamf write:jamf", help="space-separated scopes")
    token.add_argument("--ttl", type=int, default=3600, help="lifetime in seconds")

    doctor = commands.add_parser(
        "doctor",
        help="check Jamf Pro access and privileges, sign-in and storage; exit 1 on a problem",
        description="Check a configuration (the same environment `serve` reads) before users "
        "meet it: Jamf Pro reachable over TLS, credentials, version, each feature's privileges, "
        "the inventory policy and check-in frequency; the identity provider, audience, callback "
        "and public URL; Redis, the audit store, the data directory and the signing key. Prints "
        "one line per check with the fix for each problem; changes nothing.",
    )
    doctor.add_argument("--data-dir", type=Path, help="the server's data directory")
    doctor.add_argument("--auth", choices=["dev", "oidc", "none"], help="sign-in mode, as serve")
    doctor.add_argument("--public-url", help="the public URL, as serve")

    from jamf_mcp.audit_cli import add_audit_commands
    from jamf_mcp.clients_cli import add_clients_commands

    add_audit_commands(commands)
    add_clients_commands(commands)

    auth = commands.add_parser("auth", help="manage sign-in grants")
    auth_commands = auth.add_subparsers(dest="auth_command", required=True)
    revoke = auth_commands.add_parser(
        "revoke",
        help="end every grant of a user or of a client, on every replica (needs REDIS_URL)",
        description="End grants at once: their refresh tokens stop working and their access "
        "tokens are refused by every replica within a second. --subject is the user's subject "
        "at the identity provider (e.g. auth0|123, or alice with the development IdP).",
    )
    revoke.add_argument("--subject", help="every grant of this user (and every token of theirs)")
    revoke.add_argument("--client", dest="client_id", help="every grant issued to this client")

    sim = commands.add_parser("simulator", help="run the Jamf Pro simulator alone")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=9000)
    sim.add_argument("--computers", type=int, default=500, help="fleet size (default 500)")
    sim.add_argument("--latency-ms", type=float, default=0.0, help="added latency per request")
    return parser


def _banner(settings: Settings) -> str:
    if settings.jamf.embedded:
        jamf = (
            f"embedded Jamf Pro simulator (demo tenant, {settings.simulator.computers} computers) "
            "- set JAMF_URL and credentials to use your Jamf Pro"
        )
    else:
        jamf = f"{settings.jamf.url}"
    return (
        f"jamf-mcp {__version__}\n"
        f"  MCP endpoint : http://{_host_for_url(settings.host)}:{settings.port}/mcp\n"
        f"  Jamf Pro     : {jamf}\n"
        f"  Sign-in      : {_sign_in(settings)}\n"
    )


def _sign_in(settings: Settings) -> str:
    auth = settings.auth
    if auth.mode == "none":
        return "off (loopback only; every request acts as the local operator)"
    if auth.mode == "dev":
        users = ", ".join(name for name, _ in auth.dev_users)
        return (
            f"embedded development IdP at {settings.public_url}/dev-idp (users: {users}; "
            "password = user name) - set OIDC_ISSUER for Auth0/Okta"
        )
    return f"{auth.oidc_issuer} through the OAuth front door at {settings.public_url}/auth"


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _bind_refusal(settings: Settings) -> str | None:
    """Why this server must not listen where it was asked to (None: fine); prints warnings."""
    if settings.binds_loopback_only:
        return None
    if settings.auth.mode == "none":
        return (
            f"refusing to listen on {settings.host} with authentication off; "
            "use a loopback address or turn sign-in on (--auth dev or OIDC_ISSUER)."
        )
    if settings.auth.mode == "dev":
        from jamf_mcp.adapters.dev_idp import DevIdpRefused, check_bind

        try:
            warning = check_bind(settings.host, forced=settings.auth.dev_idp_allow_remote)
        except DevIdpRefused as refused:
            return str(refused)
        if warning:
            print(warning, file=sys.stderr)
    return None


def serve(args: argparse.Namespace) -> int:
    """Run the MCP server until interrupted."""
    from jamf_mcp.adapters.structured_logs import configure_logging
    from jamf_mcp.main import run_http

    try:
        settings = Settings.from_env(
            host=args.host,
            port=args.port,
            data_dir=args.data_dir,
            auth=args.auth,
            public_url=args.public_url,
        )
    except SettingsError as error:
        print(f"jamf-mcp: {error}", file=sys.stderr)
        return 2
    refusal = _bind_refusal(settings)
    if refusal:
        print(f"jamf-mcp: {refusal}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    print(_banner(settings), file=sys.stderr, flush=True)
    run_http(settings)
    return 0


def stdio(args: argparse.Namespace) -> int:
    """Serve MCP on stdin/stdout until stdin closes (no sign-in: the local operator)."""
    from jamf_mcp.adapters.structured_logs import configure_logging
    from jamf_mcp.main import run_stdio

    try:
        # No HTTP, so no sign-in: no signing key, identity provider or front door is set up.
        settings = Settings.from_env(data_dir=args.data_dir, auth="none")
    except SettingsError as error:
        print(f"jamf-mcp: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.log_format)
    run_stdio(settings)
    return 0


def simulator(args: argparse.Namespace) -> int:
    """Run the Jamf Pro simulator alone."""
    from jamf_mcp.adapters.structured_logs import configure_logging
    from jamf_mcp.simulator import (
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
        DEMO_PASSWORD,
        DEMO_USERNAME,
        SimulatorOptions,
        run_simulator,
    )
    from jamf_mcp.simulator.privileges import DEMO_CLIENTS

    configure_logging()
    print(
        f"Jamf Pro simulator on http://{_host_for_url(args.host)}:{args.port} "
        f"({args.computers} computers)\n"
        f"  API client : JAMF_CLIENT_ID={DEMO_CLIENT_ID} JAMF_CLIENT_SECRET={DEMO_CLIENT_SECRET}\n"
        + "".join(
            f"  (partial)  : JAMF_CLIENT_ID={client_id} JAMF_CLIENT_SECRET={secret}\n"
            for client_id, secret, _ in DEMO_CLIENTS
        )
        + f"  User       : JAMF_USERNAME={DEMO_USERNAME} JAMF_PASSWORD={DEMO_PASSWORD}",
        file=sys.stderr,
        flush=True,
    )
    run_simulator(
        SimulatorOptions(computers=args.computers, latency_ms=args.latency_ms),
        host=args.host,
        port=args.port,
    )
    return 0


def dev_token(args: argparse.Namespace) -> int:
    """Print (alone on stdout) an access token signed with the server's own key."""
    from jamf_mcp.adapters.oidc.signing import SigningKey, access_token_claims

    try:
        settings = Settings.from_env(data_dir=args.data_dir, public_url=args.server)
    except SettingsError as error:
        print(f"jamf-mcp: {error}", file=sys.stderr)
        return 2
    longest = settings.auth.max_token_lifetime_seconds
    if not 1 <= args.ttl <= longest:
        print(
            f"jamf-mcp: --ttl must be between 1 and {longest} seconds "
            "(the server refuses longer-lived tokens; JAMF_MCP_MAX_TOKEN_LIFETIME_SECONDS)",
            file=sys.stderr,
        )
        return 2
    key = SigningKey.load_or_create(settings.data_dir / "signing-key.json")
    claims = access_token_claims(
        issuer=settings.public_url,
        audience=settings.resource_url,
        subject=args.subject,
        scopes=frozenset(args.scope.split()),
        ttl_seconds=args.ttl,
        client_id="jamf-mcp-dev-token",
        extra={"name": args.subject},
    )
    print(key.sign(claims))
    return 0


def doctor(args: argparse.Namespace) -> int:
    """Check the configuration; 0 when nothing failed, 1 otherwise (2: unreadable settings)."""
    import asyncio

    from jamf_mcp.adapters.console import format_diagnosis
    from jamf_mcp.doctor_wiring import diagnose

    try:
        settings = Settings.from_env(
            data_dir=args.data_dir, auth=args.auth, public_url=args.public_url
        )
    except SettingsError as error:
        print(f"jamf-mcp: {error}", file=sys.stderr)
        return 2
    diagnosis = asyncio.run(diagnose(settings))
    print(format_diagnosis(diagnosis, title=f"jamf-mcp doctor (jamf-mcp {__version__})"))
    return 0 if diagnosis.healthy else 1


def audit(args: argparse.Namespace) -> int:
    """`jamf-mcp audit tail|search|export|migrate` (see `audit_cli`)."""
    from jamf_mcp.audit_cli import run_audit

    return run_audit(args)


def auth_revoke(args: argparse.Namespace) -> int:
    """End every grant of a subject and/or a client in the shared state."""
    import asyncio

    from jamf_mcp.domain.errors import StateUnavailable
    from jamf_mcp.identity_wiring import RevocationNeedsSharedState, revoke_grants

    if not (args.subject or args.client_id):
        print("jamf-mcp: name a --subject or a --client to revoke", file=sys.stderr)
        return 2
    try:
        settings = Settings.from_env()
        count = asyncio.run(
            revoke_grants(settings, subject=args.subject or None, client_id=args.client_id or None)
        )
    except (SettingsError, RevocationNeedsSharedState) as error:
        print(f"jamf-mcp: {error}", file=sys.stderr)
        return 2
    except StateUnavailable as error:
        print(f"jamf-mcp: {error.message}", file=sys.stderr)
        return 1
    whom = " and ".join(
        part
        for part in (
            f"subject {args.subject}" if args.subject else "",
            f"client {args.client_id}" if args.client_id else "",
        )
        if part
    )
    print(
        f"Revoked {count} grant(s) of {whom}. Their refresh tokens no longer work, and every "
        "replica refuses their access tokens within a second."
        + (" Tokens of this user issued before now are refused too." if args.subject else "")
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `jamf-mcp` console script."""
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "stdio":
        return stdio(args)
    if args.command == "dev-token":
        return dev_token(args)
    if args.command == "audit":
        return audit(args)
    if args.command == "auth":
        return auth_revoke(args)
    if args.command == "doctor":
        return doctor(args)
    if args.command == "clients":
        from jamf_mcp.clients_cli import run_clients

        return run_clients(args)
    return simulator(args)
