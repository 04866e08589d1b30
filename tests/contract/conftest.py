"""Fixtures for the contract suites: the test Redis, shared with the Redis integration tests."""

from tests.contract.redis_support import redis_space

__all__ = ["redis_space"]
