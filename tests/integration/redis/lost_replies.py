"""A Redis connection that loses replies on purpose: the command runs, its reply never arrives.

The server has executed the command and answered; the wrapper reads the answer and then drops
the connection, raising `ConnectionError` as a connection reset after the write would. The
client then does what it does with a dropped connection — redis-py sends the command once more
on a new connection (`Retry` of the client or of the cluster client) — so each test sees exactly
the replay a real lost reply causes.
"""

from __future__ import annotations

from typing import Any

import attrs
from redis.asyncio import Redis
from redis.asyncio.cluster import RedisCluster
from redis.asyncio.connection import Connection
from redis.exceptions import ConnectionError as RedisConnectionError

from jamf_mcp.adapters.redis import RedisClient


@attrs.define
class ReplyLoss:
    """Which replies to lose: the next `count` replies to commands whose bytes hold `marker`."""

    marker: bytes = b""
    count: int = 0
    lost: list[bytes] = attrs.field(factory=list)

    def arm(self, marker: bytes, count: int = 1) -> None:
        """Lose the next `count` replies to commands containing `marker` (e.g. `b"EVALSHA"`)."""
        self.marker, self.count = marker, count

    def take(self, command: bytes) -> bool:
        if self.count > 0 and self.marker and self.marker in command:
            self.count -= 1
            self.lost.append(command[:64])
            return True
        return False


def losing_connection(loss: ReplyLoss) -> type[Connection]:
    """A connection class whose replies `loss` decides to drop."""

    class LosingConnection(Connection):
        _sent = b""

        async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
            chunks = [command] if isinstance(command, bytes | str) else list(command)
            sent = b"".join(c if isinstance(c, bytes) else str(c).encode() for c in chunks)
            # Sending may connect first (and send the handshake): remember ours after that.
            await super().send_packed_command(command, check_health)
            self._sent = sent

        async def read_response(self, *args: Any, **kwargs: Any) -> Any:
            response = await super().read_response(*args, **kwargs)
            if loss.take(self._sent):
                await self.disconnect()
                raise RedisConnectionError("the reply was lost on the way (test)")
            return response

    return LosingConnection


def lose_replies(client: RedisClient, loss: ReplyLoss) -> RedisClient:
    """Make every connection `client` opens from now on a losing one (before its first command)."""
    cls = losing_connection(loss)
    if isinstance(client, RedisCluster):
        client.nodes_manager.connection_kwargs["connection_class"] = cls
        for node in client.nodes_manager.startup_nodes.values():  # may serve slots too
            node.connection_class = cls
    else:
        assert isinstance(client, Redis)
        client.connection_pool.connection_class = cls
    return client
