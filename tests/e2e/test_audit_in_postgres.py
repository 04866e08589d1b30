"""One audit trail in PostgreSQL for two replicas, read by `jamf-mcp audit`; and with the
database gone, nothing reaches Jamf Pro without its record.

Replicas share Redis (confirmations, sessions) and one PostgreSQL database (the machine's, a
fresh database per run). The outage test runs its own PostgreSQL server on a spare port and
stops that one only.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from jamf_mcp.adapters.postgres import PoolSettings, PostgresAuditLog, open_pool
from jamf_mcp.domain.audit_records import AuditQuery
from jamf_mcp.settings import ActionSettings
from tests.e2e.conftest import free_port, start_server, stop_server
from tests.e2e.inprocess import serving
from tests.e2e.test_two_replicas import (
    REDIS_URL,
    RUN_MAC_123,
    VERSION,
    Pair,
    _call,
    _clean_env,
    _client,
    _forget_keys,
    _result,
    _rpc,
    _start_simulator,
)
from tests.integration.mcp.stream_support import frames
from tests.support.postgres import fresh_database, private_server

pytestmark = pytest.mark.e2e
RUN_MAC_124 = {"policyName": "Software Update", "deviceIdentifier": "MAC-124"}


@pytest.fixture(scope="module")
def trail_pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Pair, str]]:
    from jamf_mcp.simulator import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    tmp = tmp_path_factory.mktemp("audit-replicas")
    with fresh_database() as audit_url:
        simulator, jamf_url = _start_simulator(tmp)
        port_a, port_b = free_port(), free_port()
        public_url = f"http://127.0.0.1:{port_a}"
        prefix = f"jamf-mcp-test:{uuid.uuid4().hex}:"
        env = {
            "JAMF_MCP_AUTH": "dev",
            "JAMF_MCP_CONFIRMATION_FALLBACK": "token",  # the trail is the point here (ADR 0034)
            "JAMF_MCP_PUBLIC_URL": public_url,
            "REDIS_URL": REDIS_URL,
            "JAMF_MCP_REDIS_PREFIX": prefix,
            "JAMF_URL": jamf_url,
            "JAMF_CLIENT_ID": DEMO_CLIENT_ID,
            "JAMF_CLIENT_SECRET": DEMO_CLIENT_SECRET,
            "JAMF_MCP_AUDIT_URL": audit_url,
            "JAMF_MCP_CONFIRMATION_TTL_SECONDS": "4",
            "JAMF_MCP_AUDIT_EXPIRY_SWEEP_SECONDS": "0.3",
            "JAMF_MCP_AUDIT_EXPIRY_GRACE_SECONDS": "0.5",
        }
        a = start_server(tmp, env, port=port_a)
        b = start_server(tmp, env, port=port_b)
        try:
            yield Pair(a, b, public_url, a.data_dir), audit_url
        finally:
            stop_server(a)
            stop_server(b)
            simulator.terminate()
            simulator.wait(timeout=15)
            _forget_keys(prefix)


def _audit_cli(audit_url: str, *args: str) -> str:
    env = {**_clean_env(), "JAMF_MCP_AUDIT_URL": audit_url}
    done = subprocess.run(
        [sys.executable, "-m", "jamf_mcp", "audit", *args],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    return done.stdout


async def _declined_elicitation(pair: Pair, token: str) -> None:
    """carol is asked on A through her client's form and says no; the answer reaches B."""
    async with _client(token) as http:
        init = await http.post(
            pair.a.mcp_url,
            json=_rpc(1, "initialize", {"protocolVersion": VERSION,
                                        "capabilities": {"elicitation": {"form": {}}}}),
        )  # fmt: skip
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
            answer = {"jsonrpc": "2.0", "id": asked["id"], "result": {"action": "decline"}}
            assert (
                await http.post(pair.b.mcp_url, json=answer, headers=session)
            ).status_code == 202
            async for frame in messages:
                if frame.data:
                    assert frame.json()["result"]["structuredContent"]["status"] == "declined"


async def test_both_replicas_write_one_trail_that_audit_search_and_export_read(
    trail_pair: tuple[Pair, str],
) -> None:
    pair, audit_url = trail_pair
    async with _client(pair.token("alice")) as alice, _client(pair.token("carol")) as carol:
        asked = await alice.post(pair.a.mcp_url, json=_call(1, "executePolicy", RUN_MAC_123))
        token = _result(asked)["structuredContent"]["confirmationToken"]
        confirmed = {**RUN_MAC_123, "confirmationToken": token}
        done = await alice.post(pair.b.mcp_url, json=_call(2, "executePolicy", confirmed))
        replay = await alice.post(pair.a.mcp_url, json=_call(3, "executePolicy", confirmed))
        unanswered = await carol.post(pair.b.mcp_url, json=_call(4, "executePolicy", RUN_MAC_124))
    await _declined_elicitation(pair, pair.token("carol"))
    record_id = _result(done)["structuredContent"]["auditRecordId"]
    assert _result(replay)["isError"] is True
    assert _result(unanswered)["structuredContent"]["status"] == "confirmation_required"

    deadline = time.monotonic() + 30
    while "expired" not in (found := _audit_cli(audit_url, "search", "--user", "carol")):
        assert time.monotonic() < deadline, f"the unanswered confirmation never expired: {found}"
        await asyncio.sleep(0.3)

    alice_lines = _audit_cli(audit_url, "search", "--user", "alice").splitlines()
    carol_lines = _audit_cli(audit_url, "search", "--user", "carol", "--since", "1h")
    exported = [json.loads(line) for line in _audit_cli(audit_url, "export").splitlines()]
    table = list(csv.DictReader(io.StringIO(_audit_cli(audit_url, "export", "--format", "csv"))))

    assert len(alice_lines) == 1 and record_id in alice_lines[0] and "queued" in alice_lines[0]
    assert "declined" in carol_lines and "expired" in carol_lines
    events = [(d["recordId"] == record_id, d["event"], d.get("reason")) for d in exported]
    assert [e[1:] for e in events if e[0]] == [
        ("requested", None),  # asked on replica A
        ("approved", None),  # confirmed on replica B
        ("outcome", None),
        ("refused", "replay"),  # replayed on replica A
    ]
    assert {d["event"] for d in exported if d["user"]["subject"] == "carol"} == {
        "requested", "declined", "expired",
    }  # fmt: skip
    outcome = next(d for d in exported if d["event"] == "outcome")
    assert outcome["devices"][0]["name"] == "MAC-123"
    assert outcome["devices"][0]["status"] == "queued"
    assert {row["event"] for row in table} == {d["event"] for d in exported}
    assert {row["device_name"] for row in table} == {
        device["name"] for d in exported for device in d["devices"]
    }


async def test_with_the_database_down_nothing_reaches_jamf_and_reads_go_on(tmp_path: Path) -> None:
    with private_server() as database:
        admin = f"{database.url}/postgres"
        audit = audit_settings_for(admin)
        tokens = ActionSettings(confirmation_fallback="token")
        async with serving(tmp_path / "data", audit=audit, actions=tokens) as server, httpx.AsyncClient(
            headers={"Authorization": f"Bearer {server.token('alice')}", **_HEADERS}, timeout=60
        ) as http:  # fmt: skip
            asked = _body(
                await http.post(server.mcp_url, json=_call(1, "executePolicy", RUN_MAC_123))
            )
            token = asked["structuredContent"]["confirmationToken"]
            before = server.writes()

            database.stop("immediate")  # the database dies between the question and the answer
            refused = _body(await http.post(server.mcp_url, json=_call(
                2, "executePolicy", {**RUN_MAC_123, "confirmationToken": token})))  # fmt: skip
            again = _body(
                await http.post(server.mcp_url, json=_call(3, "executePolicy", RUN_MAC_123))
            )
            read = _body(await http.post(server.mcp_url, json=_call(
                4, "searchDevices", {"searchTerm": "MAC-123"})))  # fmt: skip
            ready = (await http.get(f"{server.settings.public_url}/health/ready")).json()

            assert refused["isError"] is True
            assert "audit trail cannot be written" in refused["content"][0]["text"]
            assert "nothing was sent to Jamf Pro" in refused["content"][0]["text"]
            assert again["isError"] is True  # not even a question is asked
            assert server.writes() == before == 0
            assert read["isError"] is False
            assert ready["status"] == "degraded"
            assert ready["components"]["audit"]["status"] == "failing"

            database.start()
            await _audit_ready_again(http, f"{server.settings.public_url}/health/ready")
            asked = _body(
                await http.post(server.mcp_url, json=_call(5, "executePolicy", RUN_MAC_123))
            )
            token = asked["structuredContent"]["confirmationToken"]
            done = _body(await http.post(server.mcp_url, json=_call(
                6, "executePolicy", {**RUN_MAC_123, "confirmationToken": token})))  # fmt: skip
            assert done["structuredContent"]["status"] == "queued"
            assert server.writes() > 0

        records = await _trail(admin)
        states = [[e.kind.value for e in r.events] for r in records]
        assert states == [["requested"], ["requested", "approved", "outcome"]]


async def _audit_ready_again(http: httpx.AsyncClient, url: str, within: float = 60.0) -> None:
    """Wait until readiness sees the audit store again (the pool reconnects with backoff)."""
    deadline = asyncio.get_running_loop().time() + within
    while asyncio.get_running_loop().time() < deadline:
        if (await http.get(url)).json()["components"]["audit"]["status"] != "failing":
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"the audit store was not ready again within {within} s")


_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json",
            "MCP-Protocol-Version": VERSION}  # fmt: skip


def _body(response: httpx.Response) -> dict[str, Any]:
    return _result(response)


def audit_settings_for(url: str) -> Any:
    from jamf_mcp.settings import AuditSettings

    return AuditSettings(url=url, timeout_seconds=2.0, expiry_sweep_seconds=0)


async def _trail(url: str) -> list[Any]:
    pool = open_pool(PoolSettings(url, max_size=1))
    await pool.open(wait=False)
    try:
        store = PostgresAuditLog(pool)
        return list(await store.search(AuditQuery(newest_first=False)))
    finally:
        await pool.close()
