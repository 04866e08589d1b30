"""Configuration of a simulated Jamf Pro tenant and its demo credentials."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from types import MappingProxyType

import attrs

DEMO_CLIENT_ID = "jamf-mcp-demo"
DEMO_CLIENT_SECRET = "demo-secret-not-for-production"
DEMO_USERNAME = "demo-admin"
DEMO_PASSWORD = "demo-password"


def _frozen_rates(value: Mapping[int, float]) -> Mapping[int, float]:
    return MappingProxyType(dict(value))


@attrs.frozen
class SimulatorOptions:
    """How big the fake fleet is and how the fake server behaves.

    Attributes:
        computers: Fleet size; ids run "1".."computers".
        mobile_devices: Number of iPhones/iPads; default about 30% of ``computers``, at least 20.
        seed: Seed of every pseudo-random choice; the same seed gives the same tenant.
        now: The tenant's start-up instant (UTC); ``None`` means the wall clock at construction.
        token_ttl_seconds: Lifetime of issued bearer tokens (both grant kinds).
        latency_ms: Fixed latency added to every request.
        jitter_ms: Extra uniform random latency, 0..jitter_ms.
        fault_rates: Share of requests answered with a given status instead of the real answer.
        slow_rate: Share of requests delayed by an extra ``slow_ms``.
        slow_ms: The extra delay of a slow request.
        concurrency_cap: Requests beyond this many in flight get an immediate 503.
        bad_client_status: Status for wrong client credentials (401, or 400 with ``invalid_client``).
        version: What ``GET /api/v1/jamf-pro-version`` reports.
        check_in_frequency_minutes: The tenant's recurring check-in frequency (``GET
            /api/v3/check-in`` → ``checkInFrequency``; Jamf allows 5 to 60, default 15). An
            online Mac checks in once this long has passed since its last contact, and at no
            other time: a blank push wakes the MDM channel, not the jamf binary.
    """

    computers: int = 500
    mobile_devices: int | None = None
    seed: int = 2026
    now: datetime | None = None
    token_ttl_seconds: int = 300
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    fault_rates: Mapping[int, float] = attrs.field(
        factory=dict, converter=_frozen_rates, hash=False
    )
    slow_rate: float = 0.0
    slow_ms: float = 2000.0
    concurrency_cap: int | None = None
    bad_client_status: int = 401
    version: str = "11.30.1-t1784555528405"
    check_in_frequency_minutes: int = attrs.field(
        default=15, validator=[attrs.validators.ge(5), attrs.validators.le(60)]
    )

    @property
    def check_in_interval_seconds(self) -> float:
        """The recurring check-in frequency in seconds."""
        return self.check_in_frequency_minutes * 60.0

    @property
    def mobile_device_count(self) -> int:
        """The number of mobile devices the tenant holds."""
        if self.mobile_devices is not None:
            return self.mobile_devices
        return max(20, round(self.computers * 0.3))
