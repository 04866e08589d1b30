"""Demo users: default passwords, configured passwords, and what each may do."""

from __future__ import annotations

from jamf_mcp.adapters.dev_idp import DemoDirectory

USERS = (
    ("alice", frozenset({"read:jamf", "write:jamf"})),
    ("bob", frozenset({"read:jamf"})),
    ("carol", frozenset()),
)


def test_each_users_password_is_their_username_by_default() -> None:
    directory = DemoDirectory(USERS)
    alice = directory.authenticate("alice", "alice")
    assert alice is not None and alice.username == "alice"
    assert directory.authenticate("alice", "bob") is None
    assert directory.authenticate("alice", "") is None
    assert directory.authenticate("mallory", "mallory") is None


def test_a_configured_password_replaces_the_username() -> None:
    directory = DemoDirectory(USERS, passwords={"alice": "correct horse"})
    assert directory.authenticate("alice", "alice") is None
    alice = directory.authenticate("alice", "correct horse")
    assert alice is not None and not alice.password_is_default
    assert "correct horse" not in repr(alice)


def test_users_describe_their_access_name_and_email() -> None:
    summaries = {user.username: user.access_summary for user in DemoDirectory(USERS)}
    assert summaries == {"alice": "read and write", "bob": "read only", "carol": "no Jamf access"}
    alice = DemoDirectory(USERS).find("alice")
    assert alice is not None
    assert (alice.display_name, alice.email) == ("Alice Example", "alice@example.com")
