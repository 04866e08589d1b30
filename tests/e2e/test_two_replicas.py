"""Two replicas sharing Redis behave as one server, with no sticky routing between them.

Both `jamf-mcp serve` processes share one public URL, one data directory (the signing key) and one
Redis key prefix, and talk to one standalone Jamf Pro simulator; each request below goes to
whichever replica the test picks, as a load balancer without stickiness would.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import httpx
import pytest

from tests.e2e.conftest import RunningServer, free_port, start_server, stop_server
from tests.integration.mcp.stream_support import frames
from tests.support.web_forms import follow_until, submit

pytestmark = pytest.mark.e2e

REDIS_URL = os.environ.get("JAMF_MCP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
VERSION = "2025-11-25"
BASE_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
# Ongoing: due on every computer (a daily policy may already have run today on MAC-123)
RUN_MAC_123 = {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}
CALLBACK = "http://127.0.0.1:9/callback"


@attrs.frozen
class Pair:
    """Two replicas, and what they share."""

    a: RunningServer
    b: RunningServer
    public_url: str
    data_dir: Path

    def token(self, subject: str) -> str:
        completed = subprocess.run(
            [sys.executable, "-m", "jamf_mcp", "dev-token", "--data-dir", str(self.data_dir),
             "--server", self.public_url, "--subject", subject],
            capture_output=True, text=True, check=True, env=_clean_env(),
        )  # fmt: skip
        return completed.stdout.strip()


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "OIDC_", "REDIS"))}


def _start_simulator(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = (tmp / "simulator.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "jamf_mcp", "simulator", "--port", str(port),
         "--computers", "300", "--latency-ms", "60"],
        stdout=log, stderr=subprocess.STDOUT, env=_clean_env(),
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthCheck.html", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the simulator did not start")


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    from jamf_mcp.simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    tmp = tmp_path_factory.mktemp("replicas")
    simulator, jamf_url = _start_simulator(tmp)
    port_a, port_b = free_port(), free_port()
    public_url = f"http://127.0.0.1:{port_a}"
    prefix = f"jamf-mcp-test:{uuid.uuid4().hex}:"
    env = {
        "JAMF_MCP_AUTH": "dev",
        "JAMF_MCP_PUBLIC_URL": public_url,
        "REDIS_URL": REDIS_URL,
        "JAMF_MCP_REDIS_PREFIX": prefix,
        "JAMF_URL": jamf_url,
        "JAMF_CLIENT_ID": DEMO_CLIENT_ID,
        "JAMF_CLIENT_SECRET": DEMO_CLIENT_SECRET,
        "JAMF_MCP_RATE_LIMIT_PER_MINUTE": "40",
        "JAMF_MCP_INVENTORY_POLICY": "Inventory on Request",  # Ongoing: due on every Mac
        "JAMF_MCP_LOG_FORMAT": "json",
        # The token tests below opt in to the model-held token (ADR 0034); erase and lock still
        # go through the approval page, where a call made again waits for the person.
        "JAMF_MCP_CONFIRMATION_FALLBACK": "token",
        "JAMF_MCP_APPROVAL_WAIT_SECONDS": "30",
        "JAMF_MCP_DEV_USERS": "alice=read:jamf write:jamf;carol=read:jamf write:jamf;"
        "bob=read:jamf;dave=read:jamf",
    }
    a = start_server(tmp, env, port=port_a)  # creates the shared keys in tmp/data first
    b = start_server(tmp, env, port=port_b)
    try:
        yield Pair(a, b, public_url, a.data_dir)
    finally:
        stop_server(a)
        stop_server(b)
        simulator.terminate()
        simulator.wait(timeout=15)
        _forget_keys(prefix)


def _forget_keys(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _rpc(id: int, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": id, "method": method, "params": params or {}}


def _call(id: int, tool: str, arguments: dict[str, Any], **meta: Any) -> dict[str, Any]:
    params: dict[str, Any] = {"name": tool, "arguments": arguments}
    if meta:
        params["_meta"] = meta
    return _rpc(id, "tools/call", params)


def _client(token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        headers={
            **BASE_HEADERS,
            "Authorization": f"Bearer {token}",
            "MCP-Protocol-Version": VERSION,
        },
        timeout=60,
    )


async def refused_within(token: str, url: str, seconds: float = 5.0) -> httpx.Response:
    """Ping `url` with `token` until it is refused (401) or `seconds` pass; the last answer."""
    deadline = time.monotonic() + seconds
    async with _client(token) as http:
        while True:
            answer = await http.post(url, json=_rpc(10, "ping"))
            if answer.status_code == 401 or time.monotonic() > deadline:
                return answer
            await asyncio.sleep(0.05)


def _result(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert "result" in body, body
    result: dict[str, Any] = body["result"]
    return result


async def test_a_confirmation_issued_by_one_replica_is_redeemed_exactly_once_across_both(
    pair: Pair,
) -> None:
    async with _client(pair.token("alice")) as http:
        first = await http.post(pair.a.mcp_url, json=_call(1, "executePolicy", RUN_MAC_123))
        token = _result(first)["structuredContent"]["confirmationToken"]
        confirmed = {**RUN_MAC_123, "confirmationToken": token}
        racing = await asyncio.gather(
            http.post(pair.b.mcp_url, json=_call(2, "executePolicy", confirmed)),
            http.post(pair.a.mcp_url, json=_call(3, "executePolicy", confirmed)),
            http.post(pair.b.mcp_url, json=_call(4, "executePolicy", confirmed)),
        )

    results = [_result(response) for response in racing]
    queued = [r for r in results if not r["isError"]]
    refused = [r for r in results if r["isError"]]
    assert len(queued) == 1
    assert queued[0]["structuredContent"]["status"] == "queued"
    assert len(refused) == 2
    assert all("already been used" in r["content"][0]["text"] for r in refused)


LOCK_MAC_123 = {"command": "DEVICE_LOCK", "deviceIdentifier": "MAC-123", "pin": "123456"}


async def test_an_approval_on_replica_a_runs_the_call_waiting_on_replica_b_once(
    pair: Pair,
) -> None:
    from tests.support.browser import browser_page

    async with _client(pair.token("alice")) as http:
        first = await http.post(pair.a.mcp_url, json=_call(1, "sendMdmCommand", LOCK_MAC_123))
        asked = _result(first)["structuredContent"]
        assert asked["status"] == "approval_required"
        url = asked["approvalUrl"]
        assert url.startswith(f"{pair.public_url}/confirm/")  # replica A's address
        waiting = asyncio.create_task(
            http.post(pair.b.mcp_url, json=_call(2, "sendMdmCommand", LOCK_MAC_123))
        )
        async with browser_page() as page:
            await page.goto(url)
            await page.get_by_label("Username").fill("alice")
            await page.get_by_label("Password").fill("alice")
            await page.get_by_role("button", name="Sign in").click()
            await page.wait_for_load_state()
            assert "DEVICE_LOCK" in await page.inner_text("body")
            assert not waiting.done()
            await page.get_by_role("button", name="Approve").click()
            await page.wait_for_load_state()
            assert "Approved" in await page.inner_text("h1")
        done = _result(await waiting)["structuredContent"]
        assert done["status"] == "queued"
        assert done["confirmedVia"] == "approval_page"
        again = await http.post(pair.a.mcp_url, json=_call(3, "sendMdmCommand", LOCK_MAC_123))
        assert _result(again)["structuredContent"]["status"] == "approval_required"


async def test_a_stream_broken_on_one_replica_resumes_on_the_other(pair: Pair) -> None:
    async with _client(pair.token("alice")) as http:
        init = await http.post(
            pair.a.mcp_url,
            json=_rpc(1, "initialize", {"protocolVersion": VERSION, "capabilities": {}}),
        )
        session = init.headers["mcp-session-id"]
        ask = await http.post(
            pair.b.mcp_url, json=_call(2, "updateInventory", {"allDevices": True})
        )
        token = _result(ask)["structuredContent"]["confirmationToken"]
        call = _call(
            3, "updateInventory", {"allDevices": True, "confirmationToken": token},
            progressToken="bulk",
        )  # fmt: skip
        headers = {"mcp-session-id": session}
        seen: list[Any] = []
        async with http.stream("POST", pair.a.mcp_url, json=call, headers=headers) as stream:
            async for frame in frames(stream):
                if frame.data:
                    seen.append(frame)
                if len(seen) >= 3:
                    break
        last = seen[-1].id
        resume = {"mcp-session-id": session, "last-event-id": last, "accept": "text/event-stream"}
        rest = []
        async with http.stream("GET", pair.b.mcp_url, headers=resume) as stream:
            assert stream.status_code == 200
            async for frame in frames(stream):
                if frame.data:
                    rest.append(frame.json())

    progress = [f.json()["params"]["progress"] for f in seen] + [
        m["params"]["progress"] for m in rest if m.get("method") == "notifications/progress"
    ]
    assert progress == sorted(progress) and len(set(progress)) == len(progress)
    final = rest[-1]
    assert final["id"] == 3
    assert final["result"]["structuredContent"]["status"] == "queued"
    assert progress[-1] == final["result"]["structuredContent"]["totalDevices"]


async def test_an_oauth_code_issued_by_one_replica_is_redeemed_on_the_other(pair: Pair) -> None:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    async with httpx.AsyncClient(timeout=30) as browser:
        registered = await browser.post(
            f"{pair.a.base_url}/auth/register",
            json={
                "client_name": "replica test",
                "redirect_uris": [CALLBACK],
                "token_endpoint_auth_method": "none",
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
            },
        )
        client_id = registered.json()["client_id"]
        consent = await browser.get(
            f"{pair.a.base_url}/auth/authorize",
            params={
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": CALLBACK,
                "code_challenge": challenge.decode(),
                "code_challenge_method": "S256",
                "state": "s1",
                "scope": "read:jamf write:jamf",
                "resource": f"{pair.public_url}/mcp",
            },
        )
        approved = await submit(browser, consent, button=("decision", "approve"))
        login = await follow_until(browser, approved, CALLBACK)
        assert isinstance(login, httpx.Response), login
        signed_in = await submit(browser, login, fill={"username": "alice", "password": "alice"})
        final = await follow_until(browser, signed_in, CALLBACK)
        assert isinstance(final, str), final
        code = parse_qs(urlsplit(final).query)["code"][0]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": CALLBACK,
            "client_id": client_id,
            "code_verifier": verifier,
            "resource": f"{pair.public_url}/mcp",
        }
        tokens = await browser.post(f"{pair.b.base_url}/auth/token", data=form)
        assert tokens.status_code == 200, tokens.text
        access = tokens.json()["access_token"]
        async with _client(access) as http:
            pings = [
                await http.post(url, json=_rpc(9, "ping"))
                for url in (pair.a.mcp_url, pair.b.mcp_url)
            ]
        refresh = {
            "grant_type": "refresh_token",
            "refresh_token": tokens.json()["refresh_token"],
            "client_id": client_id,
        }
        rotated = await browser.post(f"{pair.a.base_url}/auth/token", data=refresh)
        # A retry (its answer was lost) reaching the other replica gets the same answer there.
        retried = await browser.post(f"{pair.b.base_url}/auth/token", data=refresh)
        replayed = await browser.post(f"{pair.a.base_url}/auth/token", data=form)
    # The code's replay ended the grant on both replicas: its access tokens are refused
    # everywhere (the shared denylist reaches each replica within a second).
    after = [
        await refused_within(rotated.json()["access_token"], url)
        for url in (pair.a.mcp_url, pair.b.mcp_url)
    ]

    secrets_seen = [
        code,
        verifier,
        access,
        tokens.json()["refresh_token"],
        rotated.json()["refresh_token"],
        pair.token("alice"),
    ]
    logs = pair.a.output() + pair.b.output()
    assert not [secret for secret in secrets_seen if secret in logs]
    assert "Bearer " not in logs
    access_lines = [json.loads(line) for line in logs.splitlines() if '"request finished"' in line]
    assert access_lines and all(line.get("request_id") for line in access_lines)
    assert any(line.get("route") == "/auth/token" for line in access_lines)
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"
    assert rotated.status_code == 200
    assert (retried.status_code, retried.json()) == (200, rotated.json())
    assert [p.status_code for p in pings] == [200, 200]
    assert [p.status_code for p in after] == [401, 401]


async def test_rate_limits_are_shared_by_both_replicas(pair: Pair) -> None:
    async with _client(pair.token("dave")) as http:
        on_a = [await http.post(pair.a.mcp_url, json=_rpc(n, "ping")) for n in range(25)]
        on_b = [await http.post(pair.b.mcp_url, json=_rpc(n, "ping")) for n in range(25)]
        again_a = await http.post(pair.a.mcp_url, json=_rpc(99, "ping"))

    assert [r.status_code for r in on_a] == [200] * 25
    allowed_on_b = sum(1 for r in on_b if r.status_code == 200)
    assert 15 <= allowed_on_b <= 17  # what A left of the shared 40 (plus a token of refill)
    assert on_b[-1].status_code == 429
    assert on_b[-1].json()["error"] == "Rate limit exceeded"
    assert again_a.status_code == 429


async def test_an_elicitation_answer_can_reach_the_replica_that_asked(pair: Pair) -> None:
    async with _client(pair.token("carol")) as http:
        init = await http.post(
            pair.a.mcp_url,
            json=_rpc(
                1,
                "initialize",
                {"protocolVersion": VERSION, "capabilities": {"elicitation": {"form": {}}}},
            ),
        )
        session = {"mcp-session-id": init.headers["mcp-session-id"]}
        call = _call(2, "executePolicy", RUN_MAC_123)
        async with http.stream("POST", pair.a.mcp_url, json=call, headers=session) as stream:
            messages = frames(stream)
            asked = None
            async for frame in messages:
                if frame.data:
                    asked = frame.json()
                    break
            assert asked is not None and asked["method"] == "elicitation/create"
            answer = {
                "jsonrpc": "2.0",
                "id": asked["id"],
                "result": {"action": "accept", "content": {"confirm": True}},
            }
            posted = await http.post(pair.b.mcp_url, json=answer, headers=session)
            final = None
            async for frame in messages:
                if frame.data:
                    final = frame.json()
    assert posted.status_code == 202
    assert final is not None
    assert final["result"]["structuredContent"]["status"] == "queued"
    assert final["result"]["structuredContent"]["confirmedVia"] == "elicitation"
