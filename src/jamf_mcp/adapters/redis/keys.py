"""Where each adapter keeps its state in Redis: one key prefix, and digests in place of values.

Every key is `<prefix><kind>:<part>`. A part that could be a secret or name a person (a session
id, a confirmation token, a principal, an OAuth state) is replaced by its SHA-256, so neither
`SCAN` nor `MONITOR` output reveals one; values the callers already digested are used as given.
"""

from __future__ import annotations

import hashlib

import attrs

DEFAULT_PREFIX = "jamf-mcp:"
_GLOB_SPECIAL = str.maketrans({c: "\\" + c for c in "*?[]\\"})


def hashed(value: str) -> str:
    """The SHA-256 of `value`, in hex."""
    return hashlib.sha256(value.encode()).hexdigest()


def _valid_prefix(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not value or any(c.isspace() for c in value):
        raise ValueError("a Redis key prefix is a non-empty string without whitespace")


@attrs.frozen
class KeySpace:
    """The keys under one prefix (so several deployments, or tests, can share a Redis).

    Attributes:
        prefix: the start of every key, conventionally ending with `:`.
    """

    prefix: str = attrs.field(default=DEFAULT_PREFIX, validator=_valid_prefix)

    def of(self, kind: str, value: str) -> str:
        """The key of `value` (hashed) among the keys of `kind`."""
        return f"{self.prefix}{kind}:{hashed(value)}"

    def given(self, kind: str, part: str) -> str:
        """The key of a part that is already a digest (or otherwise safe to show)."""
        return f"{self.prefix}{kind}:{part}"

    def pattern(self, kind: str) -> str:
        """A glob matching every key of `kind` (`*` for every key under the prefix)."""
        escaped = self.prefix.translate(_GLOB_SPECIAL)
        return f"{escaped}*" if kind == "*" else f"{escaped}{kind}:*"
