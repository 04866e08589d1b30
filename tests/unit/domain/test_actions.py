"""Confirmation-gated actions: digests, summaries and single-use confirmations bound to one user."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamf_mcp.domain.action_digests import DigestKey
from jamf_mcp.domain.actions import (
    CHECK_IN_MINUTES,
    FLUSH_LOGS_OF,
    ActionKind,
    ActionTarget,
    GatedAction,
)
from jamf_mcp.domain.audit import AuditAction, AuditActor
from jamf_mcp.domain.confirmations import DEFAULT_TTL, PendingConfirmation, new_confirmation
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import (
    ConfirmationAlreadyUsed,
    ConfirmationExpired,
    ConfirmationMismatch,
    ConfirmationNotYours,
    JamfMcpError,
)
from jamf_mcp.domain.policies import PolicyRef
from jamf_mcp.domain.principal import Principal
from tests.builders import NOW, computer
from tests.strategies import action_targets, gated_actions, instants, principals

ALICE = Principal("https://idp.example", "alice", display_name="Alice", email="alice@example.com")
MAC_123 = ActionTarget(
    DeviceKind.COMPUTER, "123", "MAC-123", "C02XXXX", "mgmt-1", user_name="John Smith"
)
SOFTWARE_UPDATE = PolicyRef(45, "Software Update")
KEY = DigestKey(b"k" * 32)


def digest(action: GatedAction) -> str:
    return KEY.audit_digest(action)


def bound(action: GatedAction) -> str:
    return KEY.binding(action, "token")


def run_policy(*targets: ActionTarget) -> GatedAction:
    return GatedAction(ActionKind.EXECUTE_POLICY, targets, policy=SOFTWARE_UPDATE)


def fleet(count: int) -> tuple[ActionTarget, ...]:
    return tuple(
        ActionTarget(DeviceKind.COMPUTER, str(n), f"MAC-{n:03d}", f"C02{n:05d}")
        for n in range(1, count + 1)
    )


# --- digest -------------------------------------------------------------------------------------


@given(gated_actions(), st.randoms(use_true_random=False))
def test_the_digest_is_stable_under_target_reordering(
    action: GatedAction, rnd: random.Random
) -> None:
    shuffled = list(action.targets)
    rnd.shuffle(shuffled)
    reordered = GatedAction(action.kind, shuffled, reversed(action.parameters), action.policy)
    assert reordered == action
    assert digest(reordered) == digest(action)
    assert bound(reordered) == bound(action)


@given(gated_actions(), st.data())
def test_the_digest_changes_when_any_target_field_changes(
    action: GatedAction, data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(action.targets) - 1))
    old = action.targets[index]
    field = data.draw(
        st.sampled_from(["jamf_id", "name", "serial_number", "management_id", "user_name"])
    )
    # Generated Jamf ids are numeric, so a prefixed value never collides with another target.
    new_value = data.draw(
        st.text(max_size=8).map("x".__add__).filter(lambda v: v != getattr(old, field))
    )
    changes: dict[str, Any] = {field: new_value}
    changed = list(action.targets)
    changed[index] = attrs.evolve(old, **changes)
    assert digest(attrs.evolve(action, targets=changed)) != digest(action)


@given(gated_actions(), action_targets)
def test_the_digest_changes_when_a_target_is_added(
    action: GatedAction, extra: ActionTarget
) -> None:
    if any((t.kind, t.jamf_id) == (extra.kind, extra.jamf_id) for t in action.targets):
        return
    assert digest(attrs.evolve(action, targets=(*action.targets, extra))) != digest(action)


@given(gated_actions(), st.text(min_size=1, max_size=8), st.text(max_size=8))
def test_the_digest_changes_when_a_parameter_changes(
    action: GatedAction, key: str, value: str
) -> None:
    parameters = dict(action.parameters)
    if parameters.get(key) == value:
        return
    parameters[key] = value
    assert bound(attrs.evolve(action, parameters=parameters)) != bound(action)


def test_the_digest_changes_with_the_policy_and_the_action_kind() -> None:
    action = run_policy(MAC_123)
    assert digest(attrs.evolve(action, policy=PolicyRef(46, "Software Update"))) != digest(action)
    inventory = GatedAction(ActionKind.UPDATE_INVENTORY, (MAC_123,))
    assert digest(inventory) != digest(attrs.evolve(inventory, policy=SOFTWARE_UPDATE))


def test_the_digest_is_a_sha256_hex_string() -> None:
    value = digest(run_policy(MAC_123)).removeprefix("hmac-sha256:")
    assert len(value) == 64
    assert int(value, 16) >= 0


def test_an_action_refuses_no_targets_duplicate_devices_or_missing_essentials() -> None:
    with pytest.raises(ValueError, match="at least one target"):
        run_policy()
    with pytest.raises(ValueError, match="each device once"):
        run_policy(MAC_123, attrs.evolve(MAC_123, name="other"))
    with pytest.raises(ValueError, match="needs the policy"):
        GatedAction(ActionKind.EXECUTE_POLICY, (MAC_123,))
    with pytest.raises(ValueError, match="'command'"):
        GatedAction(ActionKind.MDM_COMMAND, (MAC_123,))


# --- summaries ----------------------------------------------------------------------------------


def test_a_policy_run_on_one_computer_is_summarised_with_its_identity_and_timing() -> None:
    action = GatedAction(
        ActionKind.EXECUTE_POLICY,
        (MAC_123,),
        {CHECK_IN_MINUTES: "30"},
        policy=PolicyRef(45, "Software Update"),
    )
    assert action.summary() == (
        "Run policy 'Software Update' (id 45) on 1 computer: MAC-123 (serial C02XXXX), "
        "user John Smith — it runs at the computer's next check-in (this Jamf Pro's check-in "
        "frequency is every 30 minutes, so within about that long for a Mac that is on and "
        "online)."
    )


def test_a_summary_never_promises_a_delay_the_tenant_did_not_state() -> None:
    assert "15 minutes" not in run_policy(MAC_123).summary()


def test_a_computer_wide_log_flush_is_spelled_out_in_the_summary() -> None:
    action = GatedAction(
        ActionKind.EXECUTE_POLICY,
        (MAC_123,),
        {CHECK_IN_MINUTES: "15", FLUSH_LOGS_OF: MAC_123.jamf_id},
        policy=PolicyRef(45, "Software Update"),
    )
    summary = action.summary()
    assert "First ALL policy logs of 1 computer (MAC-123 (serial C02XXXX)) are flushed" in summary
    assert "every once-per policy in their scope runs again, not only this one" in summary


def test_a_bulk_summary_shows_the_count_the_first_five_names_and_how_many_more() -> None:
    summary = GatedAction(ActionKind.UPDATE_INVENTORY, fleet(40)).summary()
    assert "on 40 computers: MAC-001 (serial C0200001)," in summary
    assert "MAC-005 (serial C0200005) and 35 more" in summary
    assert "MAC-006" not in summary


def test_a_summary_counts_computers_and_mobile_devices_separately() -> None:
    phone = ActionTarget(DeviceKind.MOBILE, "7", "iPhone-7")
    action = GatedAction(ActionKind.MDM_COMMAND, (*fleet(2), phone), {"command": "ERASE_DEVICE"})
    summary = action.summary()
    assert "ERASE_DEVICE (erases the device) to 2 computers and 1 mobile device:" in summary
    assert "cannot be undone" in summary


@given(gated_actions())
def test_every_summary_mentions_the_count_and_the_first_names(action: GatedAction) -> None:
    summary = action.summary()
    for target in action.targets[:5]:
        assert target.name in summary
    if len(action.targets) > 5:
        assert f"and {len(action.targets) - 5} more" in summary
    assert str(len(action.targets)) in summary or " and " in summary


def test_a_target_takes_its_identity_and_user_from_a_resolved_device() -> None:
    target = ActionTarget.from_device(computer(123, name="MAC-123", real_name="John Smith"))
    assert (target.jamf_id, target.name, target.user_name) == ("123", "MAC-123", "John Smith")
    assert target.serial_number == "C02SER000123"


# --- confirmations ------------------------------------------------------------------------------


@given(gated_actions(), principals, instants)
def test_a_confirmation_authorizes_its_principal_and_digest_once_before_expiry(
    action: GatedAction, principal: Principal, now: datetime
) -> None:
    pending = new_confirmation(principal, bound(action), now)
    redeemed = pending.redeem(principal, bound(action), now + DEFAULT_TTL - timedelta(seconds=1))
    assert redeemed.redeemed
    with pytest.raises(ConfirmationAlreadyUsed):
        redeemed.check_redeem(principal, bound(action), now)


@given(gated_actions(), gated_actions(), principals, instants)
def test_a_confirmation_never_authorizes_another_digest(
    action: GatedAction, other: GatedAction, principal: Principal, now: datetime
) -> None:
    pending = new_confirmation(principal, bound(action), now)
    if bound(other) != bound(action):
        with pytest.raises(ConfirmationMismatch):
            pending.check_redeem(principal, bound(other), now)


@given(gated_actions(), principals, principals, instants)
def test_a_confirmation_never_authorizes_another_principal(
    action: GatedAction, owner: Principal, other: Principal, now: datetime
) -> None:
    pending = new_confirmation(owner, bound(action), now)
    if other.key != owner.key:
        with pytest.raises(ConfirmationNotYours):
            pending.check_redeem(other, bound(action), now)


@given(gated_actions(), principals, instants, st.integers(0, 10**7))
def test_a_confirmation_never_authorizes_after_expiry(
    action: GatedAction, principal: Principal, now: datetime, late_by: int
) -> None:
    pending = new_confirmation(principal, bound(action), now)
    with pytest.raises(ConfirmationExpired):
        pending.check_redeem(
            principal, bound(action), pending.expires_at + timedelta(seconds=late_by)
        )


def test_a_confirmation_expires_five_minutes_after_it_is_made_by_default() -> None:
    pending = new_confirmation(ALICE, "d", NOW)
    assert pending.expires_at - pending.created_at == timedelta(minutes=5)
    assert pending.principal_key == "https://idp.example#alice"


def test_confirmation_tokens_carry_at_least_128_random_bits_and_stay_out_of_repr() -> None:
    tokens = {new_confirmation(ALICE, "d", NOW).token for _ in range(200)}
    assert len(tokens) == 200
    token = tokens.pop()
    assert len(token) * 6 >= 128
    pending = PendingConfirmation(token, ALICE.key, "d", NOW, NOW + DEFAULT_TTL)
    assert token not in repr(pending)


def test_refusals_are_user_actionable_errors_that_never_say_whose_token_it_was() -> None:
    pending = new_confirmation(ALICE, "d", NOW)
    mallory = Principal("https://idp.example", "mallory")
    with pytest.raises(ConfirmationNotYours) as refused:
        pending.check_redeem(mallory, "d", NOW)
    assert isinstance(refused.value, JamfMcpError)
    assert "alice" not in refused.value.message.lower()
    assert "again without a token" in refused.value.message


def test_a_confirmation_needs_a_positive_lifetime() -> None:
    with pytest.raises(ValueError, match="positive"):
        new_confirmation(ALICE, "d", NOW, ttl=timedelta(0))


# --- audit values -------------------------------------------------------------------------------


def test_an_audit_action_and_actor_keep_identifiers_but_no_email_or_scopes() -> None:
    actor = AuditActor.from_principal(ALICE)
    action = AuditAction.of(run_policy(MAC_123), KEY)
    assert actor == AuditActor("https://idp.example", "alice", None, "Alice")
    assert action.digest == digest(run_policy(MAC_123))
    assert (action.policy_id, action.policy_name) == (45, "Software Update")
    assert "alice@example.com" not in repr((actor, action))
