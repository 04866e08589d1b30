"""Session-wide fixtures: the local Redis Cluster is started once, for whichever tests use it."""

from tests.contract.redis_support import redis_cluster_url

__all__ = ["redis_cluster_url"]
