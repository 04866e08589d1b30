"""Bulk dispatch: devices in small chunks, a bounded number at once, with progress and cancellation.

A run keeps a `DispatchLedger` of what happened to every device, so whatever stops it (the work
finishing, the caller cancelling, the task being torn down) the audit trail can say exactly which
devices were sent, which failed, which are unknown and which were never sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence

import attrs

from jamf_mcp.application.ports.call_control import Cancellation, ProgressSink
from jamf_mcp.domain.actions import ActionTarget
from jamf_mcp.domain.audit import DeviceResult, OutcomeStatus
from jamf_mcp.domain.devices import DeviceKind
from jamf_mcp.domain.errors import JamfMcpError, JamfOutcomeUnknown

_log = logging.getLogger(__name__)

ChunkWork = Callable[[Sequence[ActionTarget]], Awaitable[Sequence[DeviceResult]]]
"""Does the work for one chunk of same-kind devices and says what happened to each."""

TargetKey = tuple[DeviceKind, str]


def key_of(target: ActionTarget) -> TargetKey:
    """How a target is identified in a ledger (Jamf ids repeat across device families)."""
    return (target.kind, target.jamf_id)


def result_for(
    target: ActionTarget,
    status: OutcomeStatus,
    detail: str = "",
    reference: str | None = None,
) -> DeviceResult:
    """A device result naming `target`."""
    return DeviceResult(target.jamf_id, status, detail, reference, target.kind)


def results_for_error(
    targets: Sequence[ActionTarget], error: JamfMcpError, what: str
) -> list[DeviceResult]:
    """Every target failed (or ended unknown, for `JamfOutcomeUnknown`) because `what` failed."""
    status = (
        OutcomeStatus.UNKNOWN if isinstance(error, JamfOutcomeUnknown) else OutcomeStatus.FAILED
    )
    return [result_for(target, status, f"{what}: {error.message}") for target in targets]


@attrs.frozen
class DispatchLimits:
    """How a bulk run is cut up and paced.

    Attributes:
        concurrency: chunks worked on at once; matches the Jamf adapter's requests in flight, so
            the adapter always has work and never more than it allows.
        target_chunks: a run is cut into about this many chunks (more chunks: finer progress
            and cancellation; fewer: fewer Jamf requests).
        max_chunk: the largest chunk, whatever the run's size.
        heartbeat_seconds: progress is reported at least this often while work continues.
        max_targets: the most devices one confirmed action may name.
    """

    concurrency: int = attrs.field(default=5, validator=attrs.validators.ge(1))
    target_chunks: int = attrs.field(default=40, validator=attrs.validators.ge(1))
    max_chunk: int = attrs.field(default=100, validator=attrs.validators.ge(1))
    heartbeat_seconds: float = attrs.field(default=1.0, validator=attrs.validators.gt(0))
    max_targets: int = attrs.field(default=10_000, validator=attrs.validators.ge(1))

    def chunk_size(self, count: int) -> int:
        """Devices per chunk for a run of `count` devices."""
        return max(1, min(self.max_chunk, math.ceil(count / self.target_chunks)))


class DispatchLedger:
    """What happened to each target of one run so far.

    Args:
        targets: every device the run covers, in the order results are reported.
    """

    def __init__(self, targets: Sequence[ActionTarget]) -> None:
        self._targets = tuple(targets)
        self._results: dict[TargetKey, DeviceResult] = {}
        self._in_flight: set[TargetKey] = set()

    @property
    def targets(self) -> tuple[ActionTarget, ...]:
        """Every target, in order."""
        return self._targets

    @property
    def done(self) -> int:
        """How many targets have a result."""
        return len(self._results)

    @property
    def in_flight(self) -> int:
        """How many targets are being worked on."""
        return len(self._in_flight)

    def start(self, targets: Sequence[ActionTarget]) -> None:
        """Mark `targets` as being worked on."""
        self._in_flight.update(key_of(target) for target in targets)

    def record(self, result: DeviceResult) -> None:
        """Store (or replace) one device's result."""
        key = (result.kind, result.target_id)
        self._in_flight.discard(key)
        self._results[key] = result

    def get(self, target: ActionTarget) -> DeviceResult | None:
        """The result recorded for `target`, if any."""
        return self._results.get(key_of(target))

    def results(self) -> tuple[DeviceResult, ...]:
        """A result for every target: in-flight ones are unknown, untouched ones were not sent."""
        out = []
        for target in self._targets:
            key = key_of(target)
            if key in self._results:
                out.append(self._results[key])
            elif key in self._in_flight:
                out.append(
                    result_for(target, OutcomeStatus.UNKNOWN, "interrupted while being sent")
                )
            else:
                out.append(result_for(target, OutcomeStatus.NOT_SENT, "not sent: cancelled"))
        return tuple(out)


class ProgressPacer:
    """Sends progress for a run, and a heartbeat when nothing moved for a while.

    Progress must strictly increase, so a heartbeat adds a shrinking fraction (never half a
    device in all) to the last value; the next real update is at least one whole device more.

    Args:
        sink: where progress goes.
        total: the run's total.
        interval: the longest silence allowed while work continues.
    """

    def __init__(self, sink: ProgressSink, total: float, interval: float) -> None:
        self._sink = sink
        self._total = total
        self._interval = interval
        self._value = 0.0
        self._base = 0.0
        self._beats = 0
        self._last_sent = time.monotonic()
        self._phase: str | None = None

    @property
    def value(self) -> float:
        """The last value sent (or 0)."""
        return self._value

    @property
    def phase(self) -> str | None:
        """What the run is doing now, when it is not simply working through devices."""
        return self._phase

    def enter_phase(self, description: str) -> None:
        """Say what the heartbeat should report from now on (e.g. "waiting for check-ins")."""
        self._phase = description

    async def report(self, done: float, message: str) -> None:
        """Send `done` if it moves forward."""
        if done <= self._value:
            return
        self._value = self._base = done
        self._beats = 0
        await self._send(message)

    async def beat(self, status: str) -> None:
        """Send a heartbeat now."""
        self._beats += 1
        self._value = self._base + 0.5 * (1 - 0.5**self._beats)
        await self._send(status)

    async def _send(self, message: str) -> None:
        self._last_sent = time.monotonic()
        try:
            await self._sink(self._value, self._total, message)
        except Exception:  # a broken progress channel must never stop the work
            _log.debug("progress notification failed", exc_info=True)

    async def keep_alive(self, status: Callable[[], str]) -> None:
        """Run until cancelled, sending a heartbeat after each silent `interval`."""
        while True:
            wait = self._last_sent + self._interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            await self.beat(status())


async def dispatch_in_chunks(
    ledger: DispatchLedger,
    targets: Sequence[ActionTarget],
    work: ChunkWork,
    *,
    limits: DispatchLimits,
    pacer: ProgressPacer,
    cancellation: Cancellation,
    progress_offset: float = 0.0,
) -> None:
    """Work through `targets` (one device kind) in chunks, `limits.concurrency` at a time.

    Chunks start in order; once `cancellation` says so, no further chunk starts (its devices
    stay "not sent") while chunks already started finish, so their outcome is known. Errors of
    `work` become failed (or unknown) results for its chunk; nothing is retried here.
    """
    size = limits.chunk_size(len(ledger.targets))
    chunks = [targets[i : i + size] for i in range(0, len(targets), size)]
    slots = asyncio.Semaphore(limits.concurrency)
    total = len(ledger.targets)

    async def run(chunk: Sequence[ActionTarget]) -> None:
        async with slots:
            if cancellation.cancelled:
                return
            ledger.start(chunk)
            try:
                results: Sequence[DeviceResult] = await work(chunk)
            except JamfMcpError as error:
                results = results_for_error(chunk, error, "Jamf Pro")
            except Exception:
                _log.exception("bulk dispatch: a chunk failed unexpectedly")
                results = [
                    result_for(t, OutcomeStatus.UNKNOWN, "internal error; see the server log")
                    for t in chunk
                ]
            for result in results:
                ledger.record(result)
            last = results[-1] if results else None
            name = chunk[-1].name
            status = last.status.value if last is not None else "done"
            await pacer.report(
                progress_offset + ledger.done, f"{ledger.done}/{total} {name} {status}"
            )

    await asyncio.gather(*(run(chunk) for chunk in chunks))


@contextlib.asynccontextmanager
async def heartbeat(pacer: ProgressPacer, ledger: DispatchLedger) -> AsyncIterator[None]:
    """Keep progress flowing while the body runs (a background task, stopped on exit)."""
    total = len(ledger.targets)

    def status() -> str:
        if pacer.phase is not None:
            return pacer.phase
        return f"{ledger.done}/{total} done, {ledger.in_flight} in progress"

    task = asyncio.create_task(pacer.keep_alive(status))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
