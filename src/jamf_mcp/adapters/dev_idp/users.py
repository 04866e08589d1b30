"""The demo users of the development identity provider, and the constant-time password check."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Mapping, Sequence

import attrs

READ_SCOPE = "read:jamf"
WRITE_SCOPE = "write:jamf"


@attrs.frozen
class DemoUser:
    """One person who can sign in at the development IdP.

    Attributes:
        username: the login name, also the token `sub`.
        scopes: the API scopes this user may be granted.
        password: the password (the username itself unless configured).
        password_is_default: True when the password is the username (and so shown on the page).
    """

    username: str
    scopes: frozenset[str]
    password: str = attrs.field(repr=False)
    password_is_default: bool = True

    @property
    def display_name(self) -> str:
        """A friendly full name, e.g. "Alice Example"."""
        return f"{self.username[:1].upper()}{self.username[1:]} Example"

    @property
    def email(self) -> str:
        """A made-up address at the reserved example.com domain."""
        return f"{self.username}@example.com"

    @property
    def access_summary(self) -> str:
        """What this user may do with Jamf, in words ("read and write", "read only", ...)."""
        can_read, can_write = READ_SCOPE in self.scopes, WRITE_SCOPE in self.scopes
        if can_read and can_write:
            return "read and write"
        if can_read:
            return "read only"
        if can_write:
            return "write only"
        return "no Jamf access"


def _digest(secret: str) -> bytes:
    # Equal-length digests make the comparison independent of the password's length.
    return hashlib.sha256(secret.encode()).digest()


class DemoDirectory:
    """The configured demo users, with a password check that does not reveal who exists.

    Args:
        users: `(username, scopes)` pairs, as in `AuthSettings.dev_users`.
        passwords: passwords by username; a user not listed has their username as password.
    """

    def __init__(
        self,
        users: Sequence[tuple[str, frozenset[str]]],
        passwords: Mapping[str, str] | None = None,
    ) -> None:
        passwords = passwords or {}
        self._users = {
            name: DemoUser(
                username=name,
                scopes=frozenset(scopes),
                password=passwords.get(name, name),
                password_is_default=name not in passwords,
            )
            for name, scopes in users
        }
        self._decoy = _digest("\x00not-a-user\x00")

    def __iter__(self) -> Iterator[DemoUser]:
        return iter(self._users.values())

    def __len__(self) -> int:
        return len(self._users)

    def authenticate(self, username: str, password: str) -> DemoUser | None:
        """The user whose credentials these are, or None (same work for unknown users)."""
        user = self._users.get(username)
        expected = _digest(user.password) if user is not None else self._decoy
        matches = hmac.compare_digest(_digest(password), expected)
        return user if matches and user is not None else None

    def find(self, username: str) -> DemoUser | None:
        """The user called `username`, if configured (no password check)."""
        return self._users.get(username)

    def scopes_supported(self) -> frozenset[str]:
        """Every API scope some demo user holds."""
        return frozenset().union(*(user.scopes for user in self._users.values()))
