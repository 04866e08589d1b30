"""Keyed action digests: secret parameters never reach a stored digest, a repr or a summary."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamf_mcp.domain.action_digests import SHOWN_DIGEST_CHARS, DigestKey, shown
from jamf_mcp.domain.actions import SECRET_PLACEHOLDER, ActionKind, ActionTarget, GatedAction
from jamf_mcp.domain.devices import DeviceKind
from tests.strategies import gated_actions

KEY = DigestKey(b"\x01" * 32)
OTHER_KEY = DigestKey(b"\x02" * 32)
MAC = ActionTarget(DeviceKind.COMPUTER, "7", "MAC-7", "C02SER7")


def lock(pin: str) -> GatedAction:
    return GatedAction(ActionKind.MDM_COMMAND, (MAC,), {"command": "DEVICE_LOCK", "pin": pin})


def test_a_digest_key_refuses_fewer_than_32_bytes_and_never_shows_its_secret() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        DigestKey(b"short")
    assert "\\x01" not in repr(KEY)


def test_the_audit_digest_of_a_lock_is_the_same_whatever_the_pin() -> None:
    assert KEY.audit_digest(lock("123456")) == KEY.audit_digest(lock("654321"))


def test_the_binding_of_a_lock_depends_on_the_pin_and_on_the_token() -> None:
    assert KEY.binding(lock("123456"), "t") != KEY.binding(lock("654321"), "t")
    assert KEY.binding(lock("123456"), "t") != KEY.binding(lock("123456"), "u")


@given(gated_actions())
def test_digests_depend_on_the_key(action: GatedAction) -> None:
    assert KEY.audit_digest(action) != OTHER_KEY.audit_digest(action)
    assert KEY.binding(action, "t") != OTHER_KEY.binding(action, "t")


@given(gated_actions())
def test_the_audit_digest_and_the_binding_never_coincide(action: GatedAction) -> None:
    assert KEY.audit_digest(action) != KEY.binding(action, "")


@given(st.from_regex(r"[0-9]{6}", fullmatch=True))
def test_a_pin_appears_in_no_repr_summary_or_public_form_of_its_action(pin: str) -> None:
    action = lock(pin)
    public = action.canonical(with_secrets=False).decode()
    for text in (repr(action), action.summary(), public, repr(action.public_parameters)):
        assert pin not in text
    assert SECRET_PLACEHOLDER in public
    assert pin in action.canonical(with_secrets=True).decode()  # only what the binding covers
    assert action.parameter("pin") == pin  # what Jamf needs at dispatch
    assert action.has_secrets


def test_readers_see_only_a_short_prefix_of_a_keyed_digest_and_nothing_of_a_plain_one() -> None:
    digest = KEY.audit_digest(lock("123456"))
    assert digest.startswith("hmac-sha256:")
    assert shown(digest) == digest.removeprefix("hmac-sha256:")[:SHOWN_DIGEST_CHARS]
    assert len(shown(digest) or "") == 12
    assert shown("a" * 64) is None  # a plain SHA-256 from before digests were keyed
