"""Key names on one server and on a cluster, the one-slot rule, and signal frames."""

from __future__ import annotations

import pytest
from redis.crc import key_slot

from jamf_mcp.adapters.redis.keys import KeySpace, hashed
from jamf_mcp.adapters.redis.once import once
from jamf_mcp.adapters.redis.signal_frames import RecentIds, frame, key_digest, unframe

ONE = KeySpace("jamf-mcp:")
CLUSTER = KeySpace("jamf-mcp:", cluster=True)


def test_one_server_keeps_the_key_names_of_earlier_versions() -> None:
    assert ONE.of("rate", "k") == f"jamf-mcp:rate:{hashed('k')}"
    assert ONE.given("stream", "abc", ":meta") == "jamf-mcp:stream:abc:meta"
    assert ONE.grouped("session", "s:all") == "jamf-mcp:sessions:all"
    assert ONE.grouped("oauth:client", "s:by-lease") == "jamf-mcp:oauth:clients:by-lease"
    assert ONE.grouped("oauth", ":refresh:d") == "jamf-mcp:oauth:refresh:d"


def test_a_cluster_key_is_the_one_server_name_with_its_anchor_in_braces() -> None:
    assert CLUSTER.of("rate", "k") == f"jamf-mcp:rate:{{{hashed('k')}}}"
    assert CLUSTER.grouped("session", "s:all") == "jamf-mcp:{session}s:all"
    for one, cluster in [
        (ONE.given("oauth:code", "d"), CLUSTER.given("oauth:code", "d")),
        (ONE.grouped("policy-run", ":r1"), CLUSTER.grouped("policy-run", ":r1")),
    ]:
        assert cluster.replace("{", "").replace("}", "") == one


def test_keys_that_meet_in_a_script_share_a_slot_on_a_cluster() -> None:
    together = [
        [CLUSTER.given("stream", "p", ":meta"), CLUSTER.given("stream", "p", ":events")],
        [CLUSTER.given("oauth:code", "d"), CLUSTER.given("oauth:spent-code", "d")],
        [CLUSTER.grouped("session", ":a"), CLUSTER.grouped("session", "s-of:b")],
        [CLUSTER.grouped("oauth", ":refresh:t"), CLUSTER.grouped("oauth", ":family:f")],
        [CLUSTER.of("rate", "k"), CLUSTER.of("rate", "k") + ":once:0123"],
        [CLUSTER.grouped("session", "s:all") + ":once:1", CLUSTER.grouped("session", "s:all")],
    ]
    for keys in together:
        assert len({key_slot(key.encode()) for key in keys}) == 1, keys
    apart = {key_slot(CLUSTER.of("rate", str(n)).encode()) for n in range(50)}
    assert len(apart) > 40  # per-entity keys spread over the cluster


@pytest.mark.parametrize("prefix", ["jamf{mcp}:", "with space:", ""])
def test_a_prefix_with_braces_or_whitespace_is_refused(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        KeySpace(prefix)


def test_a_once_script_checks_its_result_key_before_running_the_body() -> None:
    lua = once("return redis.call('INCR', KEYS[1])")
    assert lua.index("GET', done") < lua.index("local result = body()")
    assert "cmsgpack.pack(result), 'PX', ARGV[#ARGV]" in lua


def test_a_frame_carries_its_key_digest_and_payload() -> None:
    parts = unframe(frame("response|alice|s|7", b"{}"))
    assert parts is not None
    frame_id, digest, payload = parts
    assert (len(frame_id), digest, payload) == (16, key_digest("response|alice|s|7"), b"{}")
    assert unframe(b"short") is None


def test_a_frame_id_is_seen_once_within_the_window() -> None:
    recent = RecentIds(seconds=30, capacity=3)
    assert recent.first(b"a", 0.0)
    assert not recent.first(b"a", 10.0)
    assert recent.first(b"a", 41.0)  # forgotten after the window


def test_recent_frame_ids_stay_bounded() -> None:
    recent = RecentIds(seconds=30, capacity=3)
    for n in range(10):
        recent.first(bytes([n]), 0.0)
    assert len(recent) == 3
