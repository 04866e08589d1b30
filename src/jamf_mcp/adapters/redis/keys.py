"""Where each adapter keeps its state in Redis: one key prefix, digests in place of values, and
the slot anchors that keep what a command touches together on one node of a cluster.

Every key is `<prefix><kind>:<part>`. A part that could be a secret or name a person (a session
id, a confirmation token, a principal, an OAuth state) is replaced by its SHA-256, so neither
`SCAN` nor `MONITOR` output reveals one; values the callers already digested are used as given.

The one-slot rule: keys that one command, transaction or script touches together share a slot
anchor — a piece of their name that Redis Cluster hashes instead of the whole key when it is
wrapped in braces (a hash tag). With a cluster client the anchor is wrapped (`rate:{<sha>}`,
`{session}s:all`); with one server it is not, so the names are exactly those of the versions
before cluster support and nothing moves on an upgrade (ADR 0035).
"""

from __future__ import annotations

import hashlib

import attrs

from jamf_mcp.adapters.redis.connection import RedisClient, is_cluster

DEFAULT_PREFIX = "jamf-mcp:"
_GLOB_SPECIAL = str.maketrans({c: "\\" + c for c in "*?[]\\"})


def hashed(value: str) -> str:
    """The SHA-256 of `value`, in hex."""
    return hashlib.sha256(value.encode()).hexdigest()


def _valid_prefix(_: object, __: attrs.Attribute[str], value: str) -> None:
    if not value or any(c.isspace() or c in "{}" for c in value):
        raise ValueError(
            "a Redis key prefix is a non-empty string without whitespace or braces "
            "(braces would put every key in one slot of a Redis Cluster)"
        )


@attrs.frozen
class KeySpace:
    """The keys under one prefix (so several deployments, or tests, can share a Redis).

    Attributes:
        prefix: the start of every key, conventionally ending with `:`.
        cluster: wrap slot anchors in braces (the client is a Redis Cluster client).
    """

    prefix: str = attrs.field(default=DEFAULT_PREFIX, validator=_valid_prefix)
    cluster: bool = False

    def anchor(self, text: str) -> str:
        """`text` as a slot anchor: `{text}` on a cluster, `text` on one server."""
        return f"{{{text}}}" if self.cluster else text

    def of(self, kind: str, value: str, suffix: str = "") -> str:
        """The key of `value` (hashed) among the keys of `kind`; its digest is its slot anchor."""
        return self.given(kind, hashed(value), suffix)

    def given(self, kind: str, part: str, suffix: str = "") -> str:
        """The key of a part that is already a digest (or otherwise safe to show), anchored on it.

        Keys of different kinds with the same part (and any `suffix`) share a slot.
        """
        return f"{self.prefix}{kind}:{self.anchor(part)}{suffix}"

    def grouped(self, group: str, rest: str) -> str:
        """`<prefix><group><rest>`, anchored on `group`: every key of a group shares one slot."""
        return f"{self.prefix}{self.anchor(group)}{rest}"

    def single(self, kind: str, part: str) -> str:
        """A key no command touches together with another (no anchor needed)."""
        return f"{self.prefix}{kind}:{part}"

    def pattern(self, kind: str) -> str:
        """A glob matching every key of `kind` (`*` for every key under the prefix)."""
        escaped = self.prefix.translate(_GLOB_SPECIAL)
        return f"{escaped}*" if kind == "*" else f"{escaped}{kind}:*"


def key_space(redis: RedisClient, prefix: str) -> KeySpace:
    """The key space of an adapter over `redis` (anchors wrapped when it is a cluster client)."""
    return KeySpace(prefix, cluster=is_cluster(redis))
