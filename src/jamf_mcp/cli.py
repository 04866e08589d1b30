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
        f"  Sign-in      : off (loopback only; every request acts as the local operator)\n"
    )


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def serve(args: argparse.Namespace) -> int:
    """Run the MCP server until interrupted."""
    import uvicorn

    from jamf_mcp.adapters.structured_logs import configure_logging
    from jamf_mcp.main import create_app

    try:
        settings = Settings.from_env(host=args.host, port=args.port, data_dir=args.data_dir)
    except SettingsError as error:
        print(f"jamf-mcp: {error}", file=sys.stderr)
        return 2
    if not settings.binds_loopback_only:
        print(
            f"jamf-mcp: refusing to listen on {settings.host}: sign-in is not available yet, so the "
            "server only binds to a loopback address (127.0.0.1, ::1 or localhost).",
            file=sys.stderr,
        )
        return 2
    configure_logging(settings.log_level, settings.log_format)
    print(_banner(settings), file=sys.stderr, flush=True)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_config=None,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=10,
    )
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

    configure_logging()
    print(
        f"Jamf Pro simulator on http://{_host_for_url(args.host)}:{args.port} "
        f"({args.computers} computers)\n"
        f"  API client : JAMF_CLIENT_ID={DEMO_CLIENT_ID} JAMF_CLIENT_SECRET={DEMO_CLIENT_SECRET}\n"
        f"  User       : JAMF_USERNAME={DEMO_USERNAME} JAMF_PASSWORD={DEMO_PASSWORD}",
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
    if args.ttl < 1:
        print("jamf-mcp: --ttl must be at least 1 second", file=sys.stderr)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `jamf-mcp` console script."""
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "dev-token":
        return dev_token(args)
    return simulator(args)
