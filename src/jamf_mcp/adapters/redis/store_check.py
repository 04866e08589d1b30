"""`RedisStoreCheck`: Redis answers, for `jamf-mcp doctor` (never prints the URL: it may carry
the password)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from redis.asyncio import Redis
from redis.exceptions import AuthenticationError, RedisError

from jamf_mcp.domain.diagnostics import StoreProblem


class RedisStoreCheck:
    """Implements `StoreCheck`: `PING`, then the server's version from `INFO server`.

    Args:
        redis: The client (built with `open_redis`, so each reply is awaited briefly).
    """

    name = "Redis"

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def check(self) -> str:
        """`Redis 7.2.4 answers`, or `StoreProblem` naming the kind of failure."""
        try:
            await self._redis.ping()
            info = await self._redis.info("server")
        except AuthenticationError:
            raise StoreProblem("Redis refused the credentials in REDIS_URL") from None
        except (RedisError, OSError) as error:
            raise StoreProblem(f"Redis does not answer ({type(error).__name__})") from None
        version = info.get("redis_version") if isinstance(info, dict) else None
        return f"Redis {version} answers" if version else "Redis answers"


if TYPE_CHECKING:
    from jamf_mcp.application.doctor_ports import StoreCheck

    _implements: type[StoreCheck] = RedisStoreCheck
