"""An operator's pre-registered OAuth clients in Redis, shared by every replica
(implements `PreRegisteredClients`).

One hash holds them all (field: client id, value: the stored record, the secret only as its
digest). Every command touches that one key, so it is Redis Cluster safe, and each is idempotent
(HSET of the same record, HDEL of the same id), so a retried command changes nothing more.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from jamf_mcp.adapters.oauth_server.pre_registered import client_from_record, client_record
from jamf_mcp.adapters.oauth_server.records import RegisteredClient
from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, key_space
from jamf_mcp.adapters.redis.stored_json import StoredRecordInvalid, dump

if TYPE_CHECKING:
    from jamf_mcp.adapters.oauth_server.pre_registered import PreRegisteredClients


def _client(raw: bytes | str) -> RegisteredClient:
    try:
        return client_from_record(json.loads(raw))
    except ValueError as error:
        raise StoredRecordInvalid(f"a pre-registered client: {error}") from error


class RedisPreRegisteredClients:
    """Pre-registered clients in one Redis hash (`<prefix>oauth:pre-registered`).

    Args:
        redis: the shared client.
        prefix: the key prefix.
    """

    def __init__(self, redis: RedisClient, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._key = key_space(redis, prefix).given("oauth", "pre-registered")

    async def client(self, client_id: str) -> RegisteredClient | None:
        """The client with this id."""
        with reaching_redis():
            raw = await self._redis.hget(self._key, client_id)
        return None if raw is None else _client(raw)

    async def all(self) -> list[RegisteredClient]:
        """Every client, oldest first."""
        with reaching_redis():
            stored = await self._redis.hgetall(self._key)
        clients = [_client(raw) for raw in stored.values()]
        return sorted(clients, key=lambda c: (c.issued_at, c.client_id))

    async def add(self, client: RegisteredClient) -> None:
        """Keep `client` (replacing one with the same id)."""
        with reaching_redis():
            await self._redis.hset(self._key, client.client_id, dump(client_record(client)))

    async def remove(self, client_id: str) -> bool:
        """Forget a client; True when it was kept."""
        with reaching_redis():
            return bool(await self._redis.hdel(self._key, client_id))


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements: type[PreRegisteredClients] = RedisPreRegisteredClients
