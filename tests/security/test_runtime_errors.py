"""Every unexpected failure, on any route, is logged with its traceback and request id and
answered with a generic 500 that gives away nothing but the request id.

Before, two 500s on Litestar routes left no trace at all (Litestar's default handler, with its
logging off). Here the state store behind `/auth/register` and the token verifier behind `/mcp`
are replaced with ones that fail with a secret in the message, and the app is served as
`jamf-mcp serve` serves it: uvicorn, with the request-observability middleware outermost.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from dependency_injector import providers

from jamf_mcp.adapters.asgi_observability.config import ObservabilityConfig
from jamf_mcp.adapters.asgi_observability.middleware import RequestObservability
from jamf_mcp.adapters.structured_logs import configure_logging
from jamf_mcp.main import build_container, create_app
from jamf_mcp.settings import AuthSettings, Settings
from tests.e2e.inprocess import free_port

SECRET = "db-password-hunter2"


class BrokenStore:
    """An OAuth state store whose every method fails unexpectedly."""

    def __getattr__(self, name: str) -> Any:
        async def fail(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError(f"store exploded ({SECRET})")

        return fail


class BrokenVerifier:
    async def verify(self, token: str) -> Any:
        raise KeyError(f"verifier exploded ({SECRET})")

    async def keys_ready(self) -> bool:
        return True


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    yield stream
    root.handlers[:] = handlers
    root.setLevel(level)


@asynccontextmanager
async def broken_server(data: Path) -> AsyncIterator[str]:
    settings = Settings(port=free_port(), data_dir=data, auth=AuthSettings(mode="dev"))
    container = build_container(settings)
    container.state.oauth.override(providers.Object(BrokenStore()))
    container.identity.verifier.override(providers.Object(BrokenVerifier()))
    app = create_app(settings, container)
    observed = RequestObservability(
        None, ObservabilityConfig(mcp_paths=frozenset({"/mcp", "/messages"}))
    )(app)
    server = uvicorn.Server(
        uvicorn.Config(observed, host="127.0.0.1", port=settings.port, log_config=None)
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    try:
        yield settings.public_url
    finally:
        server.should_exit = True
        await task


def records(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/auth/register", {"redirect_uris": ["http://localhost:3000/cb"]}),  # Litestar
        ("POST", "/mcp", {"jsonrpc": "2.0", "id": 1, "method": "ping"}),  # the raw MCP edge
    ],
)
async def test_an_unexpected_failure_is_logged_with_traceback_and_request_id_and_answered_500(
    tmp_path: Path, log_lines: io.StringIO, method: str, path: str, body: object
) -> None:
    async with broken_server(tmp_path / "data") as base, httpx.AsyncClient(timeout=10) as http:
        answer = await http.request(
            method,
            f"{base}{path}",
            json=body,
            headers={"Authorization": "Bearer x.y.z", "Accept": "application/json"},
        )
    request_id = answer.headers["x-request-id"]
    assert answer.status_code == 500
    assert SECRET not in answer.text
    assert request_id in answer.text  # something to quote to the operator
    logged = [r for r in records(log_lines) if r.get("request_id") == request_id]
    failures = [r for r in logged if "exception" in r]
    assert len(failures) == 1, logged
    assert "Traceback" in failures[0]["exception"]
    assert "exploded" in failures[0]["exception"]
    assert [r["status"] for r in logged if r.get("event") == "request finished"] == [500]
