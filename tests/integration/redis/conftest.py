"""Fixtures for the Redis adapter integration tests: the test Redis of the contract suites (one
server, and the local cluster)."""

from tests.contract.redis_support import (
    any_redis_space,
    redis_cluster_space,
    redis_space,
)

__all__ = ["any_redis_space", "redis_cluster_space", "redis_space"]
