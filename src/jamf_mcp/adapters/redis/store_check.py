"""`RedisStoreCheck`: Redis answers, in the mode it is configured for, for `jamf-mcp doctor`
(never prints the URL: it may carry the password)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from redis.exceptions import AuthenticationError, RedisClusterException, RedisError

from jamf_mcp.adapters.redis.connection import RedisClient, is_cluster
from jamf_mcp.domain.diagnostics import StoreProblem


class RedisStoreCheck:
    """Implements `StoreCheck`: `PING`, then the server's version and mode from `INFO server`.

    A Redis Cluster reached with a one-server client (or the other way round) is a problem that
    names the setting to change: each would fail on the first command that meets a slot it does
    not serve.

    Args:
        redis: The client (built with `open_redis`, so each reply is awaited briefly).
    """

    name = "Redis"

    def __init__(self, redis: RedisClient) -> None:
        self._redis = redis

    async def check(self) -> str:
        """`Redis 7.2.4 answers` (`… answers, cluster mode`), or `StoreProblem` naming the failure."""
        try:
            await self._redis.ping()
            info: Any = await self._redis.info("server")
        except AuthenticationError:
            raise StoreProblem("Redis refused the credentials in REDIS_URL") from None
        except RedisClusterException as error:
            if "cluster mode is not enabled" in str(error).lower():
                raise StoreProblem(
                    "JAMF_MCP_REDIS_CLUSTER is set, but this Redis is not a cluster: unset it"
                ) from None
            raise StoreProblem(f"Redis does not answer ({type(error).__name__})") from None
        except (RedisError, OSError) as error:
            raise StoreProblem(f"Redis does not answer ({type(error).__name__})") from None
        info = info if isinstance(info, dict) else {}
        if info.get("redis_mode") == "cluster" and not is_cluster(self._redis):
            raise StoreProblem(
                "This Redis is a cluster (ElastiCache in cluster mode): set "
                "JAMF_MCP_REDIS_CLUSTER=true"
            )
        version = info.get("redis_version")
        mode = ", cluster mode" if is_cluster(self._redis) else ""
        return f"Redis {version} answers{mode}" if version else f"Redis answers{mode}"


if TYPE_CHECKING:
    from jamf_mcp.application.ports.doctor import StoreCheck

    _implements: type[StoreCheck] = RedisStoreCheck
