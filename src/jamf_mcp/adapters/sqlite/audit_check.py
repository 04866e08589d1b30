"""`SqliteAuditStoreCheck`: the SQLite audit trail can be opened, for `jamf-mcp doctor`.

The file is opened read-only and never created: a doctor run changes nothing.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from jamf_mcp.domain.diagnostics import StoreProblem


class SqliteAuditStoreCheck:
    """Implements `StoreCheck` for the audit trail file.

    Args:
        path: The audit database (`<data dir>/audit.sqlite3`).
    """

    name = "Audit store (SQLite)"

    def __init__(self, path: Path) -> None:
        self._path = path

    async def check(self) -> str:
        """How many actions the trail holds, or that it will be created at first start."""
        return await asyncio.to_thread(self._check)

    def _check(self) -> str:
        if not self._path.exists():
            return f"{self._path} will be created at first start"
        try:
            with sqlite3.connect(f"{self._path.resolve().as_uri()}?mode=ro", uri=True) as db:
                (count,) = db.execute("SELECT count(*) FROM audit_records").fetchone()
        except sqlite3.Error as error:
            raise StoreProblem(f"{self._path} cannot be read: {error}") from None
        return f"{self._path}: {count} recorded action(s)"


if TYPE_CHECKING:
    from jamf_mcp.application.ports.doctor import StoreCheck

    _implements: type[StoreCheck] = SqliteAuditStoreCheck
