"""Launch one of the three servers the protocol benchmark compares, on 127.0.0.1:PORT.

    python scripts/bench_server.py ours  --port P --auth none|dev --data-dir D --options-out F \
        [--without-observability]
    python scripts/bench_server.py sdk   --port P --options F [--auth jwt --data-dir D] [--stateful]
    python scripts/bench_server.py floor --port P --options F [--answers A]

- `ours` is `jamf-mcp serve` itself (`jamf_mcp.cli.main(["serve", ...])`: the same settings from
  the environment, logging, middleware wrapping and uvicorn options as production) with one
  change made from outside `src/`: the container's `mcp.catalogue` provider is overridden
  (dependency-injector `override`) by the real tools plus `benchEcho`, a trivial in-memory tool
  (`{text}` in, the text back). The uvicorn options `run_http` passes are written to
  `--options-out` (recorded as `uvicorn.Config` is built), so the other two servers run under
  exactly the same ones.
  With `--without-observability` (the protocol benchmark's ablation) the
  `RequestObservability` that `run_http` serves the application in is replaced by a stand-in that returns the application unwrapped: no
  request ids, request metrics or access log; settings, uvicorn options, rate limiter and auth
  unchanged.
- `sdk` is the official MCP Python SDK (`mcp` 2.x `MCPServer`) serving the same `benchEcho` with
  `streamable_http_app(json_response=True, stateless_http=True)` (`--stateful` for the session
  sequence check); with `--auth jwt` a `TokenVerifier` checks the bearer token with joserfc
  against this server's own public key (the same signature and claim checks ours makes).
- `floor` is a bare ASGI callable: read the body, `json.loads` it, answer fixed JSON bytes for
  its `method` (`--answers`: the exact bytes our server answered, captured by the benchmark).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

ECHO_NAME = "benchEcho"
ECHO_DESCRIPTION = "Returns the text it is given (benchmark tool, no I/O)."
DEFAULT_ANSWERS = {
    "ping": '{"jsonrpc":"2.0","id":1,"result":{}}',
    "tools/list": '{"jsonrpc":"2.0","id":1,"result":{"tools":[{"name":"benchEcho",'
    '"inputSchema":{"type":"object","properties":{"text":{"type":"string"}}}}]}}',
    "tools/call": '{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text",'
    '"text":"{\\"text\\":\\"hello\\"}"}],"structuredContent":{"text":"hello"},"isError":false}}',
}


# --- ours ---------------------------------------------------------------------------------


def echo_tool() -> Any:
    """`benchEcho` as a `ToolDefinition` of our MCP core."""
    from jamf_mcp.adapters.mcp import ToolAnnotations, ToolDefinition, ToolResult

    async def echo(arguments: Mapping[str, Any], _context: Any) -> ToolResult:
        return ToolResult(structured={"text": arguments["text"]})

    text = {"type": "object", "properties": {"text": {"type": "string"}}, "required": ["text"]}
    return ToolDefinition(
        name=ECHO_NAME,
        title="Echo",
        description=ECHO_DESCRIPTION,
        input_schema={**text, "additionalProperties": False},
        output_schema=text,
        annotations=ToolAnnotations(
            title="Echo", read_only=True, destructive=False, idempotent=True, open_world=False
        ),
        required_scopes=frozenset({"read:jamf"}),
        handler=echo,
    )


def add_echo_tool(container: Any) -> Any:
    """Override `mcp.catalogue` with the catalogue it builds plus `benchEcho` (same inputs)."""
    from dependency_injector import providers

    from jamf_mcp.adapters.mcp import ToolCatalogue

    original = container.mcp.catalogue
    build, echo = original.provides, echo_tool()

    def catalogue_with_echo(*args: Any, **kwargs: Any) -> ToolCatalogue:
        return ToolCatalogue([*build(*args, **kwargs), echo])

    original.override(providers.Singleton(catalogue_with_echo, *original.args, **original.kwargs))
    return container


def _record_uvicorn_options(path: Path) -> None:
    """Write the keyword options `uvicorn.Config` is built with (minus host/port) to `path`."""
    import uvicorn

    real = uvicorn.Config

    def recording(app: Any, **options: Any) -> Any:
        kept, skipped = {}, []
        for key, value in options.items():
            if key in ("host", "port"):
                continue
            try:
                json.dumps(value)
            except TypeError:
                skipped.append(key)
                continue
            kept[key] = value
        path.write_text(json.dumps({"options": kept, "not_copied": skipped}, indent=2))
        return real(app, **options)

    uvicorn.Config = recording  # type: ignore[misc]


class WithoutObservability:
    """Stands in for `RequestObservability` in `http_edge.observed_app` (what `run_http` serves):
    takes its arguments, wraps nothing.

    `RequestObservability(metrics, config)(app)` then hands uvicorn the application itself: no
    request ids, no request metrics, no access log, everything else as in production.
    """

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        pass

    def __call__(self, app: Any) -> Any:
        """The application, unchanged."""
        return app


def serve_ours(args: argparse.Namespace) -> int:
    """`jamf-mcp serve` with `benchEcho` in the catalogue (and maybe without observability)."""
    import jamf_mcp.containers.http_edge
    import jamf_mcp.main
    from jamf_mcp.cli import main

    build_container = jamf_mcp.main.build_container

    def build_with_echo(settings: Any) -> Any:
        return add_echo_tool(build_container(settings))

    jamf_mcp.main.build_container = build_with_echo
    if args.without_observability:
        jamf_mcp.containers.http_edge.RequestObservability = WithoutObservability  # type: ignore[misc,assignment]
    if args.options_out:
        _record_uvicorn_options(Path(args.options_out))
    command = ["serve", "--port", str(args.port), "--auth", args.auth]
    if args.data_dir:
        command += ["--data-dir", str(args.data_dir)]
    return main(command)


# --- the official SDK ----------------------------------------------------------------------


class JoserfcTokenVerifier:
    """The SDK's `TokenVerifier`: RS256 signature, then iss/aud/exp/nbf/sub, with joserfc."""

    def __init__(self, keys: Any, issuer: str, audience: str) -> None:
        from joserfc.jwt import JWTClaimsRegistry

        self._keys = keys
        self._audience = audience
        self._claims = JWTClaimsRegistry(
            leeway=30,
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            exp={"essential": True},
            sub={"essential": True},
        )

    async def verify_token(self, token: str) -> Any:
        """An `AccessToken` for a valid token, None otherwise."""
        from joserfc import jwt
        from joserfc.errors import JoseError
        from mcp.server.auth.provider import AccessToken

        try:
            decoded = jwt.decode(token, self._keys, algorithms=["RS256"])
            self._claims.validate(decoded.claims)
        except (JoseError, ValueError):
            return None
        claims = decoded.claims
        return AccessToken(
            token=token,
            client_id=str(claims.get("client_id", "")),
            scopes=str(claims.get("scope", "")).split(),
            expires_at=int(claims["exp"]),
            resource=self._audience,
            subject=str(claims["sub"]),
        )


def sdk_app(port: int, auth: str, data_dir: Path | None, stateful: bool) -> Any:
    """The official SDK's Streamable HTTP app serving `benchEcho`."""
    from mcp.server.mcpserver import MCPServer

    options: dict[str, Any] = {}
    if auth == "jwt":
        from mcp.server.auth.settings import AuthSettings

        from jamf_mcp.adapters.oidc import SigningKey

        if data_dir is None:
            raise SystemExit("--auth jwt needs --data-dir (where signing-key.json is)")
        issuer = f"http://127.0.0.1:{port}"
        keys = SigningKey.load_or_create(data_dir / "signing-key.json").public_key_set()
        options = {
            "token_verifier": JoserfcTokenVerifier(keys, issuer, f"{issuer}/mcp"),
            "auth": AuthSettings(
                issuer_url=issuer,
                resource_server_url=f"{issuer}/mcp",
                required_scopes=["read:jamf"],
                validate_token_resource=False,  # the verifier checks `aud` itself
            ),
        }
    server = MCPServer("bench-sdk", log_level="WARNING", **options)

    @server.tool(name=ECHO_NAME, description=ECHO_DESCRIPTION)
    async def bench_echo(text: str) -> str:
        return text

    return server.streamable_http_app(
        json_response=True, stateless_http=not stateful, host="127.0.0.1"
    )


# --- the floor -----------------------------------------------------------------------------


class FloorApp:
    """A bare ASGI app: fixed JSON bytes per JSON-RPC method, no framework, no validation."""

    def __init__(self, answers: Mapping[str, str]) -> None:
        self._answers = {method: text.encode() for method, text in answers.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection scope."""
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        if scope["method"] != "POST":
            await self._send(send, 200, b'{"status":"ok"}')
            return
        try:
            method = json.loads(body).get("method")
        except ValueError:
            method = None
        answer = self._answers.get(method) if isinstance(method, str) else None
        if answer is None:
            await self._send(send, 400, b'{"error":"unknown method"}')
            return
        await self._send(send, 200, answer)

    @staticmethod
    async def _send(send: Send, status: int, payload: bytes) -> None:
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


# --- entry point ---------------------------------------------------------------------------


def _serve(app: Any, port: int, options_file: Path | None) -> int:
    import uvicorn

    options = json.loads(options_file.read_text())["options"] if options_file else {}
    uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, **options)).run()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("kind", choices=["ours", "sdk", "floor"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--auth", default="none", help="ours: none|dev; sdk: none|jwt")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--options", type=Path, help="uvicorn options (JSON) recorded from ours")
    parser.add_argument("--options-out", type=Path, help="ours: where to record them")
    parser.add_argument("--answers", type=Path, help="floor: {method: JSON text} to answer")
    parser.add_argument("--stateful", action="store_true", help="sdk: sessions (not stateless)")
    parser.add_argument(
        "--without-observability",
        action="store_true",
        help="ours: no request-observability middleware (no request ids, metrics, access log)",
    )
    args = parser.parse_args()
    if args.kind == "ours":
        return serve_ours(args)
    if args.kind == "sdk":
        return _serve(
            sdk_app(args.port, args.auth, args.data_dir, args.stateful), args.port, args.options
        )
    answers = json.loads(args.answers.read_text()) if args.answers else DEFAULT_ANSWERS
    return _serve(FloorApp(answers), args.port, args.options)


if __name__ == "__main__":
    sys.exit(main())
