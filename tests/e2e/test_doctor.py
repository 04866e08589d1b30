"""`jamf-mcp doctor` against the simulator: what it predicts is what users then meet.

The simulator answers `GET /api/v1/auth` the way Jamf's OpenAPI schema describes
(`AuthorizationV1`), and its demo API clients hold the full privilege set, a read-only one, and
everything but `Update Static Computer Groups`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import httpx
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from jamf_mcp.doctor_wiring import diagnose
from jamf_mcp.domain.diagnostics import CheckStatus
from jamf_mcp.settings import ActionSettings, JamfSettings
from jamf_mcp.simulator.privileges import (
    NO_GROUPS_CLIENT_ID,
    NO_GROUPS_CLIENT_SECRET,
    READ_ONLY_CLIENT_ID,
    READ_ONLY_CLIENT_SECRET,
)
from tests.e2e.conftest import free_port
from tests.e2e.inprocess import InProcessServer, serving

pytestmark = pytest.mark.e2e

RUN_MAC_123 = {"policyName": "Inventory on Request", "deviceIdentifier": "MAC-123"}
POLICY_RUNS = "Privileges for policy runs (executePolicy, updateInventory on computers)"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAMF_", "OIDC_"))}
    return {**env, **extra}


def doctor(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jamf_mcp", "doctor", "--data-dir", str(data_dir)],
        env=_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def simulator_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = Path(tmp_path_factory.mktemp("sim")) / "simulator.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "jamf_mcp", "simulator", "--port", str(port)],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthCheck.html", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        raise AssertionError(log.read_text())
    yield url
    process.terminate()
    process.wait(timeout=15)


def test_the_command_names_every_missing_privilege_and_exits_non_zero(
    simulator_url: str, tmp_path: Path
) -> None:
    done = doctor(
        tmp_path / "data",
        JAMF_URL=simulator_url,
        JAMF_CLIENT_ID=READ_ONLY_CLIENT_ID,
        JAMF_CLIENT_SECRET=READ_ONLY_CLIENT_SECRET,
        JAMF_MCP_AUTH="none",
    )
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert f"✗ URL reachable over TLS: {simulator_url} answers over plain HTTP" in out
    assert "fix: Use the https:// address of Jamf Pro in JAMF_URL." in out
    assert f'✓ Credentials accepted: API client "{READ_ONLY_CLIENT_ID}" signed in' in out
    assert "✓ Jamf Pro version supported: Jamf Pro 11.30.1" in out
    flat = " ".join(out.split())
    assert "policy runs need Update Policies; Create Static Computer Groups; Update" in flat
    assert "mobile inventory updates need Send Inventory Requests to Mobile Devices" in flat
    assert "✓ Privileges for device search and details" in out
    assert "✓ Check-in frequency: every 15 minutes" in out
    assert READ_ONLY_CLIENT_SECRET not in out + done.stderr


def test_the_embedded_demo_tenant_with_sign_in_off_has_nothing_to_fix(tmp_path: Path) -> None:
    done = doctor(tmp_path / "data", JAMF_MCP_AUTH="none")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "✗" not in done.stdout
    assert "- URL reachable over TLS: the embedded demo tenant" in done.stdout


def test_wrong_credentials_fail_and_skip_what_needs_a_token(
    simulator_url: str, tmp_path: Path
) -> None:
    done = doctor(
        tmp_path / "data",
        JAMF_URL=simulator_url,
        JAMF_CLIENT_ID="jamf-mcp-demo",
        JAMF_CLIENT_SECRET="not-the-secret",
        JAMF_MCP_AUTH="none",
    )
    assert done.returncode == 1
    assert "✗ Credentials accepted" in done.stdout
    assert "- Check-in frequency: not checked: signing in to Jamf Pro failed" in done.stdout
    assert "not-the-secret" not in done.stdout


TOKENS = ActionSettings(confirmation_fallback="token")
"""The two-step token (the operator's opt-in, ADR 0034): the doctor's concern is the run."""


def _client(server: InProcessServer) -> Client:
    transport = streamable_http_client(server.mcp_url, http_client=server.http("alice"))
    return Client(transport, mode="legacy")


async def _run_policy(server: InProcessServer) -> str:
    async with _client(server) as alice:
        first = await alice.call_tool("executePolicy", RUN_MAC_123)
        assert first.structured_content is not None
        token = first.structured_content["confirmationToken"]
        done = await alice.call_tool("executePolicy", {**RUN_MAC_123, "confirmationToken": token})
    return str(done.structured_content) + " ".join(
        getattr(part, "text", "") for part in done.content
    )


async def test_a_client_without_update_static_groups_is_named_by_the_doctor_and_refused_by_jamf(
    tmp_path: Path,
) -> None:
    limited = JamfSettings(client_id=NO_GROUPS_CLIENT_ID, client_secret=NO_GROUPS_CLIENT_SECRET)
    async with serving(tmp_path / "data", jamf=limited, actions=TOKENS) as server:
        diagnosis = await diagnose(
            attrs.evolve(server.settings, auth=attrs.evolve(server.settings.auth, mode="none")),
            simulator=server.simulator,
        )
        outcome = await _run_policy(server)
    runs = next(r for r in diagnosis.results if r.title == POLICY_RUNS)
    assert runs.status is CheckStatus.FAILED
    assert runs.detail == "policy runs need Update Static Computer Groups: missing"
    assert [r.title for r in diagnosis.failures] == [POLICY_RUNS]
    assert "Update Static Computer Groups" in outcome  # Jamf's 403 for the same call


async def test_with_every_privilege_the_doctor_passes_and_the_policy_run_is_queued(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path / "data", actions=TOKENS) as server:
        diagnosis = await diagnose(
            attrs.evolve(server.settings, auth=attrs.evolve(server.settings.auth, mode="none")),
            simulator=server.simulator,
        )
        outcome = await _run_policy(server)
    privileges = [r for r in diagnosis.results if r.title.startswith("Privileges for")]
    assert len(privileges) == 7
    assert {r.status for r in privileges} == {CheckStatus.PASSED}
    assert "'queued'" in outcome


async def test_with_the_server_running_its_public_url_is_confirmed(tmp_path: Path) -> None:
    async with serving(tmp_path / "data") as server:
        diagnosis = await diagnose(server.settings, simulator=server.simulator)
    answered = next(
        r for r in diagnosis.results if r.title == "This server answers at its public URL"
    )
    assert answered.status is CheckStatus.PASSED
    assert answered.detail == f"clients are told {server.mcp_url}"
    assert diagnosis.healthy
