"""Signals on a Redis Cluster: sharded Pub/Sub on the primary of one slot, and what happens when
that subscription ends (its connection killed, or its slot moved to another primary)."""

from __future__ import annotations

import contextlib
import uuid

from redis.asyncio.cluster import RedisCluster
from redis.crc import key_slot

from jamf_mcp.adapters.mcp.signals import response_key
from jamf_mcp.adapters.redis import RedisSignalRouter
from tests.contract.redis_support import RedisSpace, eventually

KEY = response_key("https://idp.example#alice", "session-1", 1)


async def _delivered_again(publisher: RedisSignalRouter, got: list[bytes]) -> None:
    """Publish until one arrives (signals sent while subscribing again are lost)."""
    for attempt in range(400):
        await publisher.publish(KEY, b"%d" % attempt)
        with contextlib.suppress(AssertionError):
            await eventually(lambda: bool(got), within=0.05)
            return
    raise AssertionError("no signal arrived after the subscription was lost")


def _channel(space: RedisSpace) -> bytes:
    return f"{space.prefix}{{signals}}".encode()


async def _subscribers(cluster: RedisCluster, name: str) -> list[tuple[str, str]]:
    """(node, client id) of the connections named `name` holding a shard subscription."""
    found = []
    for node in cluster.get_primaries():
        for client in await cluster.client_list(target_nodes=node):
            if client.get("name") == name and client.get("ssub") == "1":
                found.append((node.name, client["id"]))
    return found


async def test_the_subscription_is_held_on_the_primary_of_the_signal_channels_slot(
    redis_cluster_space: RedisSpace,
) -> None:
    name = f"jamf-mcp-test-{uuid.uuid4().hex}"
    client = redis_cluster_space.connect()
    assert isinstance(client, RedisCluster)
    client.nodes_manager.connection_kwargs["client_name"] = name
    router = RedisSignalRouter(client, prefix=redis_cluster_space.prefix)
    await router.start()
    try:
        owner = client.get_node_from_key(_channel(redis_cluster_space).decode())
        assert owner is not None
        assert [node for node, _ in await _subscribers(client, name)] == [owner.name]
    finally:
        await router.aclose()


async def test_a_killed_shard_subscription_is_replaced_and_delivers_again(
    redis_cluster_space: RedisSpace,
) -> None:
    name = f"jamf-mcp-test-{uuid.uuid4().hex}"
    client = redis_cluster_space.connect()
    assert isinstance(client, RedisCluster)
    client.nodes_manager.connection_kwargs["client_name"] = name
    router = RedisSignalRouter(client, prefix=redis_cluster_space.prefix)
    publisher = RedisSignalRouter(redis_cluster_space.connect(), prefix=redis_cluster_space.prefix)
    await router.start()
    got: list[bytes] = []
    stop = router.listen(KEY, got.append)
    try:
        [(node_name, client_id)] = await _subscribers(client, name)
        node = client.get_node(node_name=node_name)
        await client.execute_command("CLIENT", "KILL", "ID", client_id, target_nodes=node)
        await _delivered_again(publisher, got)
        assert router.subscribed
        [(_, again)] = await _subscribers(client, name)
        assert again != client_id
    finally:
        stop()
        await router.aclose()


async def test_when_the_channels_slot_moves_the_router_follows_it_to_the_new_primary(
    redis_cluster_space: RedisSpace,
) -> None:
    name = f"jamf-mcp-test-{uuid.uuid4().hex}"
    client = redis_cluster_space.connect()
    assert isinstance(client, RedisCluster)
    client.nodes_manager.connection_kwargs["client_name"] = name
    router = RedisSignalRouter(client, prefix=redis_cluster_space.prefix)
    publisher = RedisSignalRouter(redis_cluster_space.connect(), prefix=redis_cluster_space.prefix)
    await router.start()
    got: list[bytes] = []
    stop = router.listen(KEY, got.append)
    try:
        slot = key_slot(_channel(redis_cluster_space))
        owner = client.get_node_from_key(_channel(redis_cluster_space).decode())
        assert owner is not None
        target = next(n for n in client.get_primaries() if n.name != owner.name)
        target_id = await client.execute_command("CLUSTER", "MYID", target_nodes=target)
        # No key lives in the slot of `{signals}`, so the slot can be handed over directly
        # (https://redis.io/docs/latest/commands/cluster-setslot/): the new owner first.
        for node in [target, *(n for n in client.get_primaries() if n.name != target.name)]:
            await client.execute_command(
                "CLUSTER", "SETSLOT", slot, "NODE", target_id, target_nodes=node
            )
        await _delivered_again(publisher, got)
        assert [node for node, _ in await _subscribers(client, name)] == [target.name]
    finally:
        stop()
        await router.aclose()
