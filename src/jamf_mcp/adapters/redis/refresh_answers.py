"""Answers to refreshes, kept for the reuse interval in Redis so a retry reaching another replica
gets the same answer (implements `RefreshAnswers`).

One key per answer (`<prefix>oauth:refresh-answer:<lookup digest>`), written with SET PX (a retried
write writes the same thing) and read with GET: one key per command, Redis Cluster safe. The
answer is sealed under a key derived from the refresh token, which Redis never sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jamf_mcp.adapters.oauth_server.refresh_retries import RememberedAnswer
from jamf_mcp.adapters.redis import stored_json as f
from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, key_space

if TYPE_CHECKING:
    from jamf_mcp.adapters.oauth_server.refresh_retries import RefreshAnswers


class RedisRefreshAnswers:
    """Answers kept for retried refreshes.

    Args:
        redis: the shared client.
        prefix: the key prefix.
    """

    def __init__(self, redis: RedisClient, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._keys = key_space(redis, prefix)

    async def remember(self, key: str, answer: RememberedAnswer, ttl: float) -> None:
        """Keep `answer` for `ttl` seconds."""
        record = f.dump({"c": answer.client_id, "d": answer.request_digest, "s": answer.sealed})
        with reaching_redis():
            await self._redis.set(
                self._keys.given("oauth:refresh-answer", key), record, px=max(1, round(ttl * 1000))
            )

    async def recall(self, key: str) -> RememberedAnswer | None:
        """The answer under `key`, while it lives."""
        with reaching_redis():
            raw = await self._redis.get(self._keys.given("oauth:refresh-answer", key))
        if raw is None:
            return None
        record = f.load(raw)
        return RememberedAnswer(
            client_id=f.text(record, "c"),
            request_digest=f.text(record, "d"),
            sealed=f.text(record, "s"),
        )


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements: type[RefreshAnswers] = RedisRefreshAnswers
