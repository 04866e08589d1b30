"""The tenant's people: a deterministic, Smith-free name pool plus the one John Smith."""

from __future__ import annotations

import attrs

from jamf_mcp.simulator.catalog import FIRST_NAMES, LAST_NAMES, POSITIONS

POOL_SIZE = len(FIRST_NAMES) * len(LAST_NAMES)


@attrs.frozen
class Person:
    """A device user as inventory shows them."""

    username: str
    realname: str
    email: str
    position: str
    phone: str


JOHN_SMITH = Person(
    username="jsmith",
    realname="John Smith",
    email="john.smith@example.com",
    position="Software Engineer",
    phone="+1 612-555-0177",
)


def _initial_ranks() -> list[int]:
    seen: dict[str, int] = {}
    ranks = []
    for first in FIRST_NAMES:
        ranks.append(seen.get(first[0], 0))
        seen[first[0]] = seen.get(first[0], 0) + 1
    return ranks


@attrs.define
class PeoplePool:
    """Maps a pool index to a person; the same index always gives the same (shared) object."""

    _cache: dict[int, Person] = attrs.field(factory=dict)
    _ranks: list[int] = attrs.field(factory=_initial_ranks)

    def person(self, index: int) -> Person:
        """The person at ``index`` (taken modulo the pool size; every index below it is distinct)."""
        k = index % POOL_SIZE
        found = self._cache.get(k)
        if found is not None:
            return found
        n = len(FIRST_NAMES)
        first_index = k % n
        first = FIRST_NAMES[first_index]
        last = LAST_NAMES[(k // n + k) % len(LAST_NAMES)]
        rank = self._ranks[first_index]
        username = f"{first[0]}{last}".lower() + (str(rank + 1) if rank else "")
        person = Person(
            username=username,
            realname=f"{first} {last}",
            email=f"{first.lower()}.{last.lower()}@example.com",
            position=POSITIONS[k % len(POSITIONS)],
            phone=f"+1 612-555-01{k % 100:02d}",
        )
        self._cache[k] = person
        return person
