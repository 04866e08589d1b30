"""A session flood leaves the server's memory flat; sessions and streams are bounded per user and
in all; a token with only `openid` opens nothing.

The review's attack: 150 `initialize` requests, each with a ~1 MB `clientInfo`, grew the server by
130 MB — sessions kept `clientInfo` and `capabilities` as sent, without any limit. Here against the
real `jamf-mcp serve` (embedded development IdP), with tokens signed by its own key.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from jamf_mcp.adapters.oidc.signing import SigningKey, access_token_claims
from tests.e2e.conftest import RunningServer, start_server, stop_server

VERSION = "2025-11-25"
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
CLIENT_INFO_BYTES = 900_000  # just under the 1 MB body limit
FLOOD = 150
STREAM_LIMIT = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = start_server(
        Path(tmp_path_factory.mktemp("flood")),
        {
            "JAMF_MCP_AUTH": "dev",
            "JAMF_MCP_MAX_STREAMS_PER_USER": str(STREAM_LIMIT),
            "JAMF_MCP_MAX_STREAMS": "5",
            "JAMF_MCP_RATE_LIMIT_PER_MINUTE": "100000",
        },
    )
    yield running
    stop_server(running)


def token(server: RunningServer, subject: str, scopes: str = "read:jamf write:jamf") -> str:
    key = SigningKey.load_or_create(server.data_dir / "signing-key.json")
    claims = access_token_claims(
        issuer=server.base_url,
        audience=server.mcp_url,
        subject=subject,
        scopes=frozenset(scopes.split()),
        ttl_seconds=600,
    )
    return key.sign(claims)


def rss_kib(server: RunningServer) -> int:
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def initialize(client_info: object) -> dict[str, object]:
    return {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": VERSION,
            "capabilities": {"elicitation": {}, "experimental": {"x": "y" * 1000}},
            "clientInfo": client_info,
        },
    }


async def flood(server: RunningServer, subjects: list[str]) -> list[str]:
    """One huge `initialize` per subject; the session ids the server handed out."""
    huge = {"name": "flood", "version": "1", "padding": "x" * CLIENT_INFO_BYTES}
    sessions = []
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        for subject in subjects:
            headers = HEADERS | {"Authorization": f"Bearer {token(server, subject)}"}
            answer = await http.post("/mcp", json=initialize(huge), headers=headers)
            assert answer.status_code == 200, answer.text
            sessions.append(answer.headers["mcp-session-id"])
    return sessions


async def test_a_flood_of_huge_initialize_requests_leaves_memory_flat(
    server: RunningServer,
) -> None:
    await flood(server, [f"warm-up-{n}" for n in range(20)])  # allocator and caches settle
    before = rss_kib(server)
    await flood(server, [f"attacker-{n}" for n in range(FLOOD)])
    grown_mib = (rss_kib(server) - before) / 1024
    # Keeping 150 x 0.9 MB would be 135 MB; what is kept is a name and a version per session.
    assert grown_mib < 25, f"the server grew by {grown_mib:.0f} MiB"


async def test_one_user_flooding_sessions_keeps_only_their_newest(server: RunningServer) -> None:
    sessions = await flood(server, ["mallory"] * 40)
    headers = HEADERS | {
        "Authorization": f"Bearer {token(server, 'mallory')}",
        "MCP-Protocol-Version": VERSION,
    }
    ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        oldest = await http.post(
            "/mcp", json=ping, headers=headers | {"Mcp-Session-Id": sessions[0]}
        )
        newest = await http.post(
            "/mcp", json=ping, headers=headers | {"Mcp-Session-Id": sessions[-1]}
        )
    assert oldest.status_code == 404  # ended to make room (32 per user by default)
    assert newest.status_code == 200


async def test_a_token_with_only_openid_opens_no_session_and_no_stream(
    server: RunningServer,
) -> None:
    headers = HEADERS | {"Authorization": f"Bearer {token(server, 'eve', 'openid')}"}
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as http:
        init = await http.post("/mcp", json=initialize({"name": "x"}), headers=headers)
        stream = await http.get("/mcp", headers=headers | {"Accept": "text/event-stream"})
        legacy = await http.get("/sse", headers=headers | {"Accept": "text/event-stream"})
    assert [init.status_code, stream.status_code, legacy.status_code] == [403, 403, 403]
    assert "read:jamf" in init.headers["www-authenticate"]
    assert "mcp-session-id" not in init.headers


async def _open_stream(http: httpx.AsyncClient, bearer: str) -> httpx.Response:
    request = http.build_request(
        "GET", "/mcp", headers={"Accept": "text/event-stream", "Authorization": f"Bearer {bearer}"}
    )
    return await http.send(request, stream=True)


async def test_streams_are_bounded_per_user_oldest_first_and_in_all(server: RunningServer) -> None:
    alice, bob = token(server, "alice"), token(server, "bob")
    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as http:
        first = await _open_stream(http, alice)
        assert first.status_code == 200
        others = [await _open_stream(http, alice) for _ in range(STREAM_LIMIT)]
        assert [r.status_code for r in others] == [200] * STREAM_LIMIT
        # alice's oldest stream was ended to make room for her newest: it reaches its end.
        async with asyncio.timeout(10):
            async for _ in first.aiter_bytes():
                pass
        bobs = [await _open_stream(http, bob) for _ in range(2)]  # 3 + 2: the process is full
        assert [r.status_code for r in bobs] == [200, 200]
        refused = await _open_stream(http, token(server, "carol"))
        assert refused.status_code == 503
        assert refused.headers["retry-after"]
        await refused.aread()
        assert b"too many open streams" in refused.content
        for response in [*others, *bobs]:
            await response.aclose()
