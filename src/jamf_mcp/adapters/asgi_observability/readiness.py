"""Readiness: named probes run concurrently, each with a timeout, the answer cached briefly.

The cache matters: a load balancer asking every second must not become a request to Jamf Pro
every second. Details are short, fixed texts; anything that looks like a URL, a host name, an
address or a credential is blanked before it can reach the (unauthenticated) endpoint.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

import attrs

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S*")
_SECRETISH = re.compile(r"(?i)\b(?:bearer|basic)\s+\S+|[A-Za-z0-9_\-+/=.]{24,}")
_HOST = re.compile(
    r"(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}|\b\d{1,3}(?:\.\d{1,3}){3}\b|\[[0-9A-Fa-f:.]+\]"
)
_MAX_DETAIL = 120
_WITHHELD = "[withheld]"


@attrs.frozen
class ProbeResult:
    """One component's health.

    Attributes:
        ok: Whether the component works.
        detail: A short, public fact with no URL, host or secret in it: for a failure the
            reason, for a success what is worth knowing (`Jamf Pro 11.30.1`), or nothing.
    """

    ok: bool
    detail: str = ""


class Probe(Protocol):
    """A named, cheap check of one dependency."""

    @property
    def name(self) -> str:
        """The component's name in the readiness answer (`jamf`, `redis`, …)."""
        ...

    async def check(self) -> ProbeResult:
        """Check the dependency; may raise (counted as a failure without its message)."""
        ...


def clean_detail(detail: str) -> str:
    """`detail` cut short, with URLs, host names, IP addresses and credentials withheld."""
    for pattern in (_URL, _SECRETISH, _HOST):
        detail = pattern.sub(_WITHHELD, detail)
    return detail[:_MAX_DETAIL] or "failing"


@attrs.frozen
class ReadinessReport:
    """The result of every probe at one moment.

    Attributes:
        components: Each probe's result by name.
        degradable: Components whose failure leaves the server ready but degraded (it still
            serves what does not need them, e.g. reads while the audit trail is down).
    """

    components: Mapping[str, ProbeResult]
    degradable: frozenset[str] = frozenset()

    @property
    def ready(self) -> bool:
        """Whether every component that is not degradable is ok."""
        return all(r.ok for name, r in self.components.items() if name not in self.degradable)

    @property
    def degraded(self) -> bool:
        """Ready, but a degradable component is failing."""
        return self.ready and not all(r.ok for r in self.components.values())

    def to_json(self) -> dict[str, object]:
        """The body of `/health/ready`: failing components carry their reason, working ones
        their public detail when they have one."""
        components: dict[str, dict[str, str]] = {}
        for name, result in self.components.items():
            entry = {"status": "ok" if result.ok else "failing"}
            if result.detail or not result.ok:
                entry["detail"] = result.detail
            components[name] = entry
        status = "degraded" if self.degraded else "ready" if self.ready else "not_ready"
        return {"status": status, "components": components}


class Readiness:
    """Runs the probes and caches the report.

    Args:
        probes: The checks, with distinct names.
        degradable: Names of probes whose failure degrades the server instead of making it
            not ready (see `ReadinessReport.degradable`).
        timeout_seconds: Each probe's time limit; a slower probe fails with "timed out".
        cache_seconds: How long a report is reused.
        clock: Monotonic seconds (tests inject their own).
    """

    def __init__(
        self,
        probes: Sequence[Probe],
        *,
        degradable: frozenset[str] = frozenset(),
        timeout_seconds: float = 2.0,
        cache_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        names = [probe.name for probe in probes]
        if len(set(names)) != len(names):
            raise ValueError(f"probe names must be distinct: {names}")
        self._probes = tuple(probes)
        self._degradable = degradable
        self._timeout = timeout_seconds
        self._cache_seconds = cache_seconds
        self._clock = clock
        self._cached: tuple[float, ReadinessReport] | None = None
        self._lock = asyncio.Lock()

    async def report(self) -> ReadinessReport:
        """The current report: cached, or freshly measured (one measurement at a time)."""
        if (cached := self._fresh()) is not None:
            return cached
        async with self._lock:
            if (cached := self._fresh()) is not None:
                return cached
            results = await asyncio.gather(*(self._run(probe) for probe in self._probes))
            report = ReadinessReport(
                {probe.name: result for probe, result in zip(self._probes, results, strict=True)},
                self._degradable,
            )
            self._cached = (self._clock(), report)
            return report

    def _fresh(self) -> ReadinessReport | None:
        if self._cached is None:
            return None
        measured_at, report = self._cached
        return report if self._clock() - measured_at < self._cache_seconds else None

    async def _run(self, probe: Probe) -> ProbeResult:
        try:
            async with asyncio.timeout(self._timeout):
                result = await probe.check()
        except TimeoutError:
            return ProbeResult(False, f"timed out after {self._timeout:g} s")
        except Exception as error:  # the message may name hosts or carry secrets: drop it
            return ProbeResult(False, f"check failed ({type(error).__name__})")
        if result.ok:
            return ProbeResult(True, clean_detail(result.detail) if result.detail else "")
        return ProbeResult(False, clean_detail(result.detail))
