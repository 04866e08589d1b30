"""Fixtures for the contract suites: the test Redis (one server and a local cluster), shared with
the Redis integration tests, and the audit stores (memory, SQLite, PostgreSQL).

A suite parametrized with the "redis" backend must also run on "redis-cluster": collection stops
with a clear error otherwise (use `STORE_BACKENDS` and `shared_space`).
"""

from __future__ import annotations

import pytest

from tests.contract.audit_stores import postgres_database, stores
from tests.contract.redis_support import (
    any_redis_space,
    redis_cluster_space,
    redis_space,
)

__all__ = [
    "any_redis_space",
    "postgres_database",
    "redis_cluster_space",
    "redis_space",
    "stores",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse a contract suite that runs a store on one Redis server but not on the cluster."""
    backends: dict[str, set[str]] = {}
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or "tests/contract/" not in item.nodeid:
            continue
        values = {v for v in callspec.params.values() if isinstance(v, str)}
        backends.setdefault(item.nodeid.split("::")[0], set()).update(values)
    missing = sorted(
        m for m, seen in backends.items() if "redis" in seen and "redis-cluster" not in seen
    )
    if missing:
        raise pytest.UsageError(
            f"{', '.join(missing)} run(s) on Redis but not on the Redis Cluster: parametrize "
            "with tests.contract.redis_support.STORE_BACKENDS and take the space from "
            "shared_space(request)"
        )
