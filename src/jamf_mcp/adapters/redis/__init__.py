"""Shared state in Redis: every cross-request store behind the same port as its in-memory twin.

Build one client with `open_redis` (or `redis_client`), then the adapters over it. Only the
signal router has a lifecycle of its own (`start()` / `aclose()`). When Redis cannot be reached,
every method raises `StateUnavailable` within the client's timeout.
"""

from jamf_mcp.adapters.redis.confirmations import RedisConfirmationStore
from jamf_mcp.adapters.redis.connection import (
    DEFAULT_TIMEOUT_SECONDS,
    RedisClient,
    is_cluster,
    open_redis,
    ping,
    reaching_redis,
    redis_client,
)
from jamf_mcp.adapters.redis.denylist import RedisAccessDenylist
from jamf_mcp.adapters.redis.dev_idp_state import RedisDevIdpState
from jamf_mcp.adapters.redis.digest_key import RedisDigestKeys
from jamf_mcp.adapters.redis.event_store import RedisEventStore
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, KeySpace
from jamf_mcp.adapters.redis.oauth_state import RedisOAuthStateStore
from jamf_mcp.adapters.redis.policy_runs import RedisPolicyRunTracker
from jamf_mcp.adapters.redis.rate_limits import RedisRateLimiter
from jamf_mcp.adapters.redis.sessions import RedisSessionStore
from jamf_mcp.adapters.redis.signals import RedisSignalRouter
from jamf_mcp.adapters.redis.stored_json import StoredRecordInvalid

__all__ = [
    "DEFAULT_PREFIX",
    "DEFAULT_TIMEOUT_SECONDS",
    "KeySpace",
    "RedisAccessDenylist",
    "RedisClient",
    "RedisConfirmationStore",
    "RedisDevIdpState",
    "RedisDigestKeys",
    "RedisEventStore",
    "RedisOAuthStateStore",
    "RedisPolicyRunTracker",
    "RedisRateLimiter",
    "RedisSessionStore",
    "RedisSignalRouter",
    "StoredRecordInvalid",
    "is_cluster",
    "open_redis",
    "ping",
    "reaching_redis",
    "redis_client",
]
