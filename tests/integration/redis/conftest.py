"""Fixtures for the Redis adapter integration tests: the test Redis of the contract suites."""

from tests.contract.redis_support import redis_space

__all__ = ["redis_space"]
