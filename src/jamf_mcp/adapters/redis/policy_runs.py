"""`RedisPolicyRunTracker`: tracked policy runs shared by every replica, and the reconciler lease.

One JSON string per run (`policy-run:<record id>`), kept until its expiry plus `RETENTION`; the
ids of open runs in a set (`policy-runs:open`); and one lease key (`policy-runs:leader`) that a
replica takes with `SET NX PX` and renews only while it still holds it, so exactly one replica
reconciles at a time and another takes over within one lease when it stops. Every key is anchored
on the `policy-run` group (one slot of a cluster: a run and the open set change together). Every
write is safe to replay: a run is written whole, set membership is set as it should be, and the
lease is taken or renewed by its owner alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from jamf_mcp.adapters.redis import stored_json as f
from jamf_mcp.adapters.redis.connection import RedisClient, reaching_redis
from jamf_mcp.adapters.redis.keys import DEFAULT_PREFIX, key_space
from jamf_mcp.domain.policy_runs import DeviceRun, DeviceRunState, TrackedPolicyRun

if TYPE_CHECKING:
    from jamf_mcp.application.ports.policy_runs import PolicyRunTracker

RETENTION = timedelta(days=7)
"""How long a run is kept after its expiry (for getActionStatus)."""

# KEYS[1] the lease; ARGV: owner, milliseconds. Take it when free, renew it when ours.
_LEAD = """
local holder = redis.call('GET', KEYS[1])
if holder == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"""


def run_to_json(run: TrackedPolicyRun) -> bytes:
    """The stored form of a tracked run."""
    return f.dump(
        {
            "record_id": run.record_id,
            "policy_id": run.policy_id,
            "policy_name": run.policy_name,
            "group_id": run.group_id,
            "requested_at": run.requested_at.isoformat(),
            "expires_at": run.expires_at.isoformat(),
            "devices": [
                {
                    "id": d.computer_id,
                    "name": d.name,
                    "state": d.state.value,
                    "detail": d.detail,
                    "at": None if d.at is None else d.at.isoformat(),
                }
                for d in run.devices
            ],
        }
    )


def run_from_json(raw: bytes | str) -> TrackedPolicyRun:
    """A run `run_to_json` wrote.

    Raises:
        StoredRecordInvalid: the record is not in this shape.
    """
    record = f.load(raw)
    devices = record.get("devices")
    if not isinstance(devices, list):
        raise f.StoredRecordInvalid("the stored field 'devices' is not a list")
    return TrackedPolicyRun(
        record_id=f.text(record, "record_id"),
        policy_id=_int(record, "policy_id"),
        policy_name=f.text(record, "policy_name"),
        group_id=f.text(record, "group_id"),
        requested_at=f.instant(record, "requested_at"),
        expires_at=f.instant(record, "expires_at"),
        devices=tuple(_device(item) for item in devices),
    )


def _int(record: f.Json, name: str) -> int:
    value = record.get(name)
    if not isinstance(value, int):
        raise f.StoredRecordInvalid(f"the stored field {name!r} is not a number")
    return value


def _device(item: Any) -> DeviceRun:
    if not isinstance(item, dict):
        raise f.StoredRecordInvalid("a stored device is not an object")
    at = f.optional_text(item, "at")
    try:
        state = DeviceRunState(f.text(item, "state"))
    except ValueError:
        raise f.StoredRecordInvalid("the stored field 'state' is unknown") from None
    return DeviceRun(
        computer_id=f.text(item, "id"),
        name=f.text(item, "name"),
        state=state,
        detail=f.text(item, "detail"),
        at=None if at is None else datetime.fromisoformat(at),
    )


class RedisPolicyRunTracker:
    """Implements `PolicyRunTracker` in Redis (see the module docstring for the layout).

    Args:
        redis: the shared client.
        prefix: the key prefix.
    """

    def __init__(self, redis: RedisClient, *, prefix: str = DEFAULT_PREFIX) -> None:
        self._redis = redis
        self._keys = key_space(redis, prefix)
        self._open = self._keys.grouped("policy-run", "s:open")
        self._lease = self._keys.grouped("policy-run", "s:leader")
        self._lead = redis.register_script(_LEAD)

    def _key(self, record_id: str) -> str:
        return self._keys.grouped("policy-run", f":{record_id}")

    async def track(self, run: TrackedPolicyRun) -> None:
        """Store `run` and list it as open."""
        await self.save(run)

    async def get(self, record_id: str) -> TrackedPolicyRun | None:
        """The run of this audit record, if still kept."""
        with reaching_redis():
            raw = await self._redis.get(self._key(record_id))
        return None if raw is None else run_from_json(raw)

    async def open_runs(self) -> Sequence[TrackedPolicyRun]:
        """Every open run (ids whose record has gone are dropped from the open set)."""
        with reaching_redis():
            members = await self._redis.smembers(self._open)
            ids = sorted(m.decode() if isinstance(m, bytes) else str(m) for m in members)
            raws = await self._redis.mget([self._key(i) for i in ids]) if ids else []
            gone = [i for i, raw in zip(ids, raws, strict=True) if raw is None]
            if gone:
                await self._redis.srem(self._open, *gone)
        runs = [run_from_json(raw) for raw in raws if raw is not None]
        return sorted((run for run in runs if run.is_open), key=lambda r: r.requested_at)

    async def save(self, run: TrackedPolicyRun) -> None:
        """Write the run with its retention, and keep the open set in step."""
        keep = run.expires_at + RETENTION - datetime.now(UTC)
        milliseconds = max(int(keep.total_seconds() * 1000), 1000)
        with reaching_redis():
            async with self._redis.pipeline(transaction=True) as pipe:
                pipe.set(self._key(run.record_id), run_to_json(run), px=milliseconds)
                if run.is_open:
                    pipe.sadd(self._open, run.record_id)
                else:
                    pipe.srem(self._open, run.record_id)
                await pipe.execute()

    async def lead(self, owner: str, seconds: float) -> bool:
        """Take or renew the reconciler lease."""
        with reaching_redis():
            held = await self._lead(keys=[self._lease], args=[owner, int(seconds * 1000)])
        return bool(held)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_tracker: type[PolicyRunTracker] = RedisPolicyRunTracker
