"""State's wiring: every store in process memory (one replica), or every store in Redis (many)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from dependency_injector import containers, providers

from jamf_mcp import identity_wiring
from jamf_mcp.adapters.local_files import DIGEST_KEY_FILE, FileDigestKeys, parse_digest_key
from jamf_mcp.adapters.mcp import InMemoryEventStore, InMemorySessionStore, InMemorySignalRouter
from jamf_mcp.adapters.mcp.sessions import SessionStore
from jamf_mcp.adapters.memory import (
    InMemoryApprovalStore,
    InMemoryConfirmationStore,
    InMemoryPageSessions,
    InMemoryPolicyRunTracker,
    InMemoryRateLimiter,
    StaticDigestKeys,
)
from jamf_mcp.adapters.oauth_server import InMemoryOAuthStateStore
from jamf_mcp.adapters.redis import (
    RedisApprovalStore,
    RedisClient,
    RedisConfirmationStore,
    RedisDigestKeys,
    RedisEventStore,
    RedisOAuthStateStore,
    RedisPageSessions,
    RedisPolicyRunTracker,
    RedisRateLimiter,
    RedisSessionStore,
    RedisSignalRouter,
    open_redis,
)
from jamf_mcp.adapters.system import SystemClock
from jamf_mcp.application.ports import DigestKeys
from jamf_mcp.containers.closing import closed_at_shutdown
from jamf_mcp.settings import Settings


def redis_or_none(settings: Settings) -> RedisClient | None:
    """The process's Redis client when `REDIS_URL` is set (it connects on first use)."""
    if not settings.redis_url:
        return None
    return open_redis(settings.redis_url, cluster=settings.redis_cluster)


def shared_or_local(redis: RedisClient | None, settings: Settings, shared: Any, local: Any) -> Any:
    """The Redis-backed store when Redis is configured, else the in-memory one."""
    if redis is None:
        return local()
    return shared(redis, prefix=settings.redis_prefix)


def digest_keys(redis: RedisClient | None, settings: Settings) -> DigestKeys:
    """The digest key: `JAMF_MCP_DIGEST_KEY` if set, else shared in Redis, else in the data dir."""
    if settings.digest_key is not None:
        return StaticDigestKeys(parse_digest_key(settings.digest_key))
    if redis is not None:
        return RedisDigestKeys(redis, prefix=settings.redis_prefix)
    return FileDigestKeys(settings.data_dir / DIGEST_KEY_FILE)


def session_store(redis: RedisClient | None, settings: Settings) -> SessionStore:
    """MCP sessions, in Redis when configured, with the configured limits."""
    per_user, total = settings.max_sessions_per_user, settings.max_sessions
    if redis is None:
        return InMemorySessionStore(max_per_principal=per_user, max_sessions=total)
    return RedisSessionStore(
        redis, prefix=settings.redis_prefix, max_per_principal=per_user, max_sessions=total
    )


def local_oauth_store() -> InMemoryOAuthStateStore:
    """The front door's state in this process."""
    return InMemoryOAuthStateStore(SystemClock())


async def signal_router(
    redis: RedisClient | None, settings: Settings
) -> AsyncIterator[InMemorySignalRouter | RedisSignalRouter]:
    """The signal router; the Redis one holds a subscription while the server runs."""
    if redis is None:
        yield InMemorySignalRouter()
        return
    router = RedisSignalRouter(redis, prefix=settings.redis_prefix)
    router.start_in_background()  # Redis down at boot: readiness fails, requests get 503
    try:
        yield router
    finally:
        await router.aclose()


class StateContainer(containers.DeclarativeContainer):
    """State shared by every request: in process memory (one replica), or in Redis (many).

    With `REDIS_URL` every store is in Redis and nothing falls back to memory: Redis down means
    503 for requests that need state, and a failing readiness check.
    """

    settings = providers.Dependency(instance_of=Settings)
    redis = providers.Singleton(redis_or_none, settings)
    connection = providers.Resource(closed_at_shutdown, redis)
    """The Redis client, closed at shutdown once the signal router (which depends on this
    Resource) has unsubscribed; background tasks that use the stores stop in that same round."""
    sessions = providers.Singleton(session_store, redis, settings)
    events = providers.Singleton(
        shared_or_local, redis, settings, RedisEventStore, InMemoryEventStore
    )
    confirmations = providers.Singleton(
        shared_or_local, redis, settings, RedisConfirmationStore, InMemoryConfirmationStore
    )
    approvals = providers.Singleton(
        shared_or_local, redis, settings, RedisApprovalStore, InMemoryApprovalStore
    )
    page_sessions = providers.Singleton(
        shared_or_local, redis, settings, RedisPageSessions, InMemoryPageSessions
    )
    rate_limiter = providers.Singleton(
        shared_or_local, redis, settings, RedisRateLimiter, InMemoryRateLimiter
    )
    oauth = providers.Singleton(
        shared_or_local,
        redis,
        settings,
        RedisOAuthStateStore,
        local_oauth_store,
    )
    router = providers.Resource(signal_router, connection, settings)
    denylist = providers.Singleton(identity_wiring.denylist, redis, settings)
    dev_idp = providers.Singleton(identity_wiring.dev_idp_state, redis, settings)
    registrations = providers.Singleton(identity_wiring.registration_limiter, redis, settings)
    pre_registered = providers.Singleton(identity_wiring.pre_registered_store, redis, settings)
    assertion_replays = providers.Singleton(identity_wiring.assertion_replays, redis, settings)
    refresh_answers = providers.Singleton(identity_wiring.refresh_answers, redis, settings)
    policy_runs = providers.Singleton(
        shared_or_local, redis, settings, RedisPolicyRunTracker, InMemoryPolicyRunTracker
    )
    digest_keys = providers.Singleton(digest_keys, redis, settings)
