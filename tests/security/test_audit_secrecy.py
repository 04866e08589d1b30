"""The PIN recovery attack: a read-only user reads the audit trail and tries every 6-digit PIN.

The review that found it: alice locks a Mac with PIN 482916; bob, who only has `read:jamf`,
reads `jamf://audit/recent`, which showed the action's plain SHA-256 digest. Everything else in
the hashed action (device, serial, user, command) is readable to bob, so hashing it with each of
the 10^6 PINs found the one that matched in half a second. Digests are now keyed (HMAC under the
server's secret), the stored one leaves secret values out entirely, and readers see 12 hex digits.
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import mcp.types as types
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from jamf_mcp.adapters.local_files import DIGEST_KEY_FILE, parse_digest_key
from jamf_mcp.adapters.sqlite import SqliteAuditLog
from jamf_mcp.domain.actions import ActionKind, ActionTarget, GatedAction
from jamf_mcp.domain.audit_records import AuditQuery
from jamf_mcp.domain.devices import DeviceKind
from tests.e2e.inprocess import InProcessServer, serving

PIN = "482916"
LOCK_MAC_123 = {"command": "DEVICE_LOCK", "deviceIdentifier": "MAC-123", "pin": PIN}
READ_ONLY = frozenset({"read:jamf"})


def client(server: InProcessServer, subject: str, scopes: frozenset[str] | None = None) -> Client:
    http = server.http(subject) if scopes is None else server.http(subject, scopes)
    return Client(streamable_http_client(server.mcp_url, http_client=http), mode="legacy")


def plain_sha256_digest(action: GatedAction) -> str:
    """What the server used to show: SHA-256 of the canonical action, PIN included."""
    return hashlib.sha256(action.canonical(with_secrets=True)).hexdigest()


def brute_force(
    lock_with: Callable[[str], GatedAction], matches: Callable[[str], bool]
) -> list[str]:
    """Every PIN whose plain digest `matches` what the attacker saw (10^6 candidates)."""
    marker = "999999"
    template = lock_with(marker).canonical(with_secrets=True)
    head, _, tail = template.partition(marker.encode())
    found = []
    for number in range(1_000_000):
        candidate = f"{number:06d}"
        digest = hashlib.sha256(head + candidate.encode() + tail).hexdigest()
        if matches(digest):
            found.append(candidate)
    return found


async def _confirm(_context: Any, _params: Any) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"confirm": True})


async def lock_mac_123(server: InProcessServer) -> None:
    """Alice locks MAC-123 with a PIN, confirming in her client's own form (a lock is never
    confirmed with a token the model holds, ADR 0034)."""
    transport = streamable_http_client(server.mcp_url, http_client=server.http("alice"))
    async with Client(transport, mode="legacy", elicitation_callback=_confirm) as alice:
        done = await alice.call_tool("sendMdmCommand", LOCK_MAC_123)
        assert done.structured_content is not None
        assert done.structured_content["status"] == "queued", done.content


def what_bob_knows(record: dict[str, Any], details: dict[str, Any]) -> Callable[[str], GatedAction]:
    """The attacker's model of the action: everything but the PIN, from what he can read."""
    assert record["targets"] == [details["name"]]
    target = ActionTarget(
        DeviceKind.COMPUTER,
        str(details["id"]),
        details["name"],
        details.get("serialNumber"),
        details.get("managementId"),
        (details.get("user") or {}).get("name") or (details.get("user") or {}).get("username"),
    )

    def lock_with(pin: str) -> GatedAction:
        return GatedAction(
            ActionKind.MDM_COMMAND, (target,), {"command": "DEVICE_LOCK", "pin": pin}
        )

    return lock_with


async def test_a_read_only_user_cannot_recover_a_lock_pin_from_the_audit_trail(
    tmp_path: Path,
) -> None:
    async with serving(tmp_path / "data") as server:
        await lock_mac_123(server)
        async with client(server, "bob", READ_ONLY) as bob:
            trail = await bob.read_resource("jamf://audit/recent")
            details = await bob.call_tool("getDeviceDetails", {"deviceIdentifier": "MAC-123"})
        text = trail.contents[0].text  # type: ignore[union-attr]
        [record] = json.loads(text)["records"]
        assert details.structured_content is not None
        device = details.structured_content
        [stored] = await SqliteAuditLog(server.settings.audit_path).search(AuditQuery(limit=1))

    assert PIN not in text
    shown = record["digest"]
    assert len(shown) == 12
    assert stored.action.digest.startswith(f"hmac-sha256:{shown}")

    lock_with = what_bob_knows(record, device)
    assert lock_with(PIN).targets == stored.action.targets  # bob knows all but the PIN
    # The attack itself works: against a plain digest of the very action alice confirmed …
    assert brute_force(lock_with, plain_sha256_digest(lock_with(PIN)).__eq__) == [PIN]
    # … but what bob is shown matches no PIN at all, not even as a prefix.
    assert brute_force(lock_with, lambda digest: digest.startswith(shown)) == []


async def test_even_with_the_server_key_the_stored_digest_says_nothing_about_the_pin(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    async with serving(data) as server:
        await lock_mac_123(server)
        [stored] = await SqliteAuditLog(server.settings.audit_path).search(AuditQuery(limit=1))
    key = parse_digest_key((data / DIGEST_KEY_FILE).read_bytes())
    entry = stored.action

    def lock_with(pin: str) -> GatedAction:
        return GatedAction(
            ActionKind.MDM_COMMAND, entry.targets, {"command": "DEVICE_LOCK", "pin": pin}
        )

    # The stored digest is the keyed digest of the action with its PIN masked: every PIN fits.
    assert key.audit_digest(lock_with(PIN)) == entry.digest
    assert key.audit_digest(lock_with("000000")) == entry.digest
    on_disk = b"".join(path.read_bytes() for path in data.iterdir() if path.is_file())
    assert PIN.encode() not in on_disk


async def test_the_data_directory_and_the_files_holding_secrets_are_private(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    async with serving(data) as server:
        await lock_mac_123(server)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    for name in ("audit.sqlite3", DIGEST_KEY_FILE, "signing-key.json"):
        assert stat.S_IMODE((data / name).stat().st_mode) == 0o600, name
