"""The audit stores the contract suite runs against: memory, a SQLite file, real PostgreSQL.

PostgreSQL: one fresh database per test session on the machine's server, one fresh schema per
test inside it; "another replica" is another connection pool on the same schema.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from jamf_mcp.adapters.memory import InMemoryAuditLog
from jamf_mcp.adapters.postgres import PoolSettings, PostgresAuditLog, open_pool
from jamf_mcp.adapters.sqlite import SqliteAuditLog
from tests.support.postgres import fresh_database

Store = InMemoryAuditLog | SqliteAuditLog | PostgresAuditLog


@attrs.define
class AuditStores:
    """Instances of one kind of store sharing one trail, as the replicas of a fleet do."""

    kind: str
    tmp: Path
    postgres_url: str | None
    schema: str = attrs.field(factory=lambda: f"t_{uuid.uuid4().hex[:12]}")
    pools: list[Any] = attrs.field(factory=list)
    first: Store | None = None

    async def another(self) -> Store:
        """One more replica's store (for memory, the same instance)."""
        if self.kind == "memory":
            if self.first is None:
                self.first = InMemoryAuditLog()
            return self.first
        if self.kind == "sqlite":
            return SqliteAuditLog(self.tmp / "audit.sqlite3")
        assert self.postgres_url is not None
        pool = open_pool(PoolSettings(self.postgres_url, max_size=4, timeout_seconds=10))
        await pool.open(wait=False)
        self.pools.append(pool)
        return PostgresAuditLog(pool, self.schema)

    async def aclose(self) -> None:
        for pool in self.pools:
            await pool.close()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL for this test session (dropped after)."""
    with fresh_database() as url:
        yield url


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def stores(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AuditStores]:
    """Each store kind in turn."""
    url = request.getfixturevalue("postgres_database") if request.param == "postgres" else None
    stores = AuditStores(request.param, tmp_path, url)
    try:
        yield stores
    finally:
        await stores.aclose()
