"""Paging: one page of a larger result, as the inventory and audit ports return it."""

from __future__ import annotations

from typing import Generic, TypeVar

import attrs

T = TypeVar("T")


@attrs.frozen
class Page(Generic[T]):
    """One page of a larger result: `items` from position `offset`, out of `total` matches."""

    items: tuple[T, ...]
    total: int
    offset: int = 0
    next_position: int | None = None

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, or None when this is the last one.

        `next_position` overrides the default (offset + items) when a use case skipped entries.
        """
        end = self.offset + len(self.items) if self.next_position is None else self.next_position
        return end if end < self.total and (self.items or self.next_position) else None
