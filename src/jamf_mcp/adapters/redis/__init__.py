"""Shared state in Redis: every cross-request store behind the same port as its in-memory twin.

Build one client with `open_redis` (one server, or `cluster=True` for Redis Cluster), then the
adapters over it. Only the signal router has a lifecycle of its own (`start()` / `aclose()`).
When Redis cannot be reached, every method raises `StateUnavailable` within the client's timeout.

Rules every adapter here follows (ADR 0035; check new stores against them):

1. Take a `RedisClient` (`Redis | RedisCluster`), never `Redis` alone, and build every key with
   `key_space(redis, prefix)`.
2. One slot per command: keys that one command, transaction or script touches share a slot
   anchor — `of`/`given` anchor on the entity's digest, `grouped` on a group name. On a cluster
   the anchor is wrapped in braces; on one server it is not, so names never change for existing
   deployments. A script may reach keys it was not given (a family's tokens) only within the
   group of its first key; the cluster contract suite catches a stray one.
3. Every write may run twice: the client sends a command again when the connection drops before
   the reply (the cluster client also after a timeout or a failover). So a write is either
   idempotent as sent (`SET` of a fixed value, `DEL`, `ZADD` of fixed scores, an expiry that
   only grows, a script that says why in its comment), or runs through `OnceScript` (a request
   id and a result key in the same slot: a replay answers what the first run answered). Never
   send a bare `GETDEL`, `INCR`/`HINCRBY`, `XADD`, `LPOP`/`SPOP` or `SET NX` whose answer the
   caller acts on.
4. Transactions (`pipeline(transaction=True)`) only within one slot; no `KEYS`/`SCAN` in the
   adapters (keep an index instead: a cluster scans node by node).
5. Pub/Sub only through `RedisSignalRouter` (one channel; sharded Pub/Sub on a cluster).
6. A contract suite runs each store on one server and on a real cluster: parametrize with
   `tests.contract.redis_support.STORE_BACKENDS` and take the space from `shared_space(request)`.
"""

from jamf_mcp.adapters.redis.approvals import RedisApprovalStore, RedisPageSessions
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
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, KeySpace, key_space
from jamf_mcp.adapters.redis.oauth_state import RedisOAuthStateStore
from jamf_mcp.adapters.redis.once import OnceScript
from jamf_mcp.adapters.redis.policy_runs import RedisPolicyRunTracker
from jamf_mcp.adapters.redis.rate_limits import RedisRateLimiter
from jamf_mcp.adapters.redis.sessions import RedisSessionStore
from jamf_mcp.adapters.redis.signals import RedisSignalRouter
from jamf_mcp.adapters.redis.stored_json import StoredRecordInvalid

__all__ = [
    "DEFAULT_PREFIX",
    "DEFAULT_TIMEOUT_SECONDS",
    "KeySpace",
    "OnceScript",
    "RedisAccessDenylist",
    "RedisApprovalStore",
    "RedisClient",
    "RedisConfirmationStore",
    "RedisDevIdpState",
    "RedisDigestKeys",
    "RedisEventStore",
    "RedisOAuthStateStore",
    "RedisPageSessions",
    "RedisPolicyRunTracker",
    "RedisRateLimiter",
    "RedisSessionStore",
    "RedisSignalRouter",
    "StoredRecordInvalid",
    "is_cluster",
    "key_space",
    "open_redis",
    "ping",
    "reaching_redis",
    "redis_client",
]
