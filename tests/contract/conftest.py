"""Fixtures for the contract suites: the test Redis, shared with the Redis integration tests,
and the audit stores (memory, SQLite, PostgreSQL)."""

from tests.contract.audit_stores import postgres_database, stores
from tests.contract.redis_support import redis_space

__all__ = ["postgres_database", "redis_space", "stores"]
