"""OS version numbers compared the way people mean them (14.10 is newer than 14.9)."""

from __future__ import annotations

import re
from functools import total_ordering

import attrs

_VERSION = re.compile(r"^\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?")


@total_ordering
@attrs.frozen(order=False)
class OsVersion:
    """A dotted version number `major.minor.patch`; missing parts count as zero."""

    major: int = attrs.field(validator=attrs.validators.ge(0))
    minor: int = attrs.field(default=0, validator=attrs.validators.ge(0))
    patch: int = attrs.field(default=0, validator=attrs.validators.ge(0))

    @classmethod
    def parse(cls, text: str) -> OsVersion | None:
        """Parse `15`, `15.1` or `15.1.2` (trailing text such as ` (a)` is ignored); None if unparseable."""
        match = _VERSION.match(text)
        if match is None:
            return None
        major, minor, patch = (int(part) if part else 0 for part in match.groups())
        return cls(major, minor, patch)

    def _key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, OsVersion):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}" + (f".{self.patch}" if self.patch else "")
