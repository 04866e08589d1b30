"""Ports: the capabilities use cases need from the outside world, as `typing.Protocol`s.

Adapters implement them (`adapters/jamf_rest` for a real Jamf Pro, `adapters/memory` for tests);
use cases depend only on these.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Generic, Protocol, TypeVar

import attrs

from jamf_mcp.domain.action_digests import DigestKey
from jamf_mcp.domain.audit import AuditAction
from jamf_mcp.domain.audit_records import AuditEvent, AuditQuery, AuditRecord
from jamf_mcp.domain.confirmations import PendingConfirmation
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.jamf_operations import (
    CheckInSettings,
    CommandRef,
    CommandStatus,
    PolicyRun,
    ScopeChange,
    ScopeGroup,
)
from jamf_mcp.domain.policies import Policy, PolicyRef
from jamf_mcp.domain.policy_runs import TrackedPolicyRun
from jamf_mcp.domain.principal import Principal
from jamf_mcp.domain.queries import DeviceQuery, InventoryAspect, SortKey

T = TypeVar("T")


@attrs.frozen
class Page(Generic[T]):
    """One page of a larger result: `items` from position `offset`, out of `total` matches."""

    items: tuple[T, ...]
    total: int
    offset: int = 0
    next_position: int | None = None

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, or None when this is the last one.

        `next_position` overrides the default (offset + items) when a use case skipped entries.
        """
        end = self.offset + len(self.items) if self.next_position is None else self.next_position
        return end if end < self.total and (self.items or self.next_position) else None


class Clock(Protocol):
    """The current time, so tests can fix it."""

    def now(self) -> datetime:
        """An aware UTC datetime."""
        ...


class DeviceInventory(Protocol):
    """Read access to computers and mobile devices.

    Implementations push `DeviceQuery` criteria and sorting down to the inventory server wherever
    possible and fetch only the requested `aspects`. Every method may raise `JamfUnavailable`,
    `JamfCredentialsRejected` or `JamfPermissionDenied`; all are idempotent reads.
    """

    async def count(self, kind: DeviceKind, query: DeviceQuery) -> int:
        """How many devices of `kind` match `query`, counted by the server (no records fetched).

        Raises:
            UnknownDepartment / UnknownBuilding: when the query names one that does not exist.
        """
        ...

    async def search(
        self,
        kind: DeviceKind,
        query: DeviceQuery,
        *,
        aspects: frozenset[InventoryAspect],
        offset: int,
        limit: int,
        sort: SortKey = SortKey.NAME,
    ) -> Page[Device]:
        """One page of matching devices with the total number of matches.

        Raises:
            UnknownDepartment / UnknownBuilding: when the query names one that does not exist.
        """
        ...

    def stream(
        self,
        kind: DeviceKind,
        query: DeviceQuery,
        *,
        aspects: frozenset[InventoryAspect],
        sort: SortKey = SortKey.NAME,
    ) -> AsyncIterator[Device]:
        """Every matching device, fetched page by page; memory stays bounded by the page size."""
        ...

    async def get(self, kind: DeviceKind, jamf_id: str) -> Device:
        """One device with every aspect.

        Raises:
            DeviceNotFound: no device of `kind` has this Jamf id.
        """
        ...

    async def find(
        self, kind: DeviceKind, identifier: str, *, aspects: frozenset[InventoryAspect]
    ) -> Sequence[Device]:
        """Devices whose Jamf id, serial number, asset tag, UDID or exact name equals `identifier`.

        Name comparison is case-insensitive. Returns an empty sequence when nothing matches.
        """
        ...


class Directory(Protocol):
    """Organisation data that devices refer to: departments and buildings."""

    async def departments(self) -> Sequence[str]:
        """Every department name."""
        ...

    async def buildings(self) -> Sequence[str]:
        """Every building name."""
        ...


class PolicyCatalogue(Protocol):
    """Read access to Jamf Pro policies (idempotent; same errors as `DeviceInventory`)."""

    async def list_policies(self) -> Sequence[PolicyRef]:
        """Every policy's id and name."""
        ...

    async def get_policy(self, policy_id: int) -> Policy:
        """One policy in full.

        Raises:
            PolicyNotFound: no policy has this id.
        """
        ...

    async def policy_named(self, name: str) -> Policy | None:
        """The policy whose name is exactly `name`, in full (one request), or None."""
        ...


class TokenVerifier(Protocol):
    """Turns a bearer token into the principal it was issued to.

    Implementations check the signature against the issuer's published keys, the issuer, the
    audience, expiry and not-before, and read the granted scopes. They never log the token.
    """

    async def verify(self, token: str) -> Principal:
        """The principal of a valid token.

        Raises:
            InvalidToken: for any token that must not be trusted (with a reason code).
        """
        ...


class ConfirmationStore(Protocol):
    """Pending confirmations, each redeemable exactly once.

    Tokens are secrets: implementations never log them.
    """

    async def put(self, confirmation: PendingConfirmation) -> None:
        """Keep `confirmation` at least until it expires.

        Raises:
            ValueError: a confirmation with this token is already stored.
        """
        ...

    async def redeem(
        self, token: str, principal: Principal, digest: str, now: datetime
    ) -> PendingConfirmation:
        """Check the confirmation and mark it used in one atomic step; return the redeemed copy.

        Of any number of concurrent calls for one token, at most one succeeds. A refused attempt
        leaves the confirmation as it was.

        Raises:
            ConfirmationUnknown: no confirmation has this token.
            ConfirmationNotYours / ConfirmationAlreadyUsed / ConfirmationExpired /
            ConfirmationMismatch: as `PendingConfirmation.check_redeem`.
        """
        ...


class DigestKeys(Protocol):
    """The server's secret key for action digests (`DigestKey`), the same in every replica.

    Confirmations issued by one replica are redeemed by another, so every replica must compute
    the same digests. Implementations load or create the key once and keep it in memory (at
    most an occasional re-check, never I/O on every call); they never log it.
    """

    async def key(self) -> DigestKey:
        """The current key.

        Raises:
            StateUnavailable: a shared implementation cannot reach its store (and has no key yet).
        """
        ...


class AuditLog(Protocol):
    """The append-only audit trail, write side: events of records, never changed or removed.

    Entries carry identifiers, device names and results, never tokens, scopes, email addresses
    or command secrets. Every method may raise `AuditUnavailable` when the store cannot be
    written; callers that must not act without a record (the confirmation gate) stop there.
    """

    async def record(self, action: AuditAction, event: AuditEvent) -> None:
        """Append `event` to the record of `action`, creating the record with its first event.

        Durable before it returns: committed to disk, or to the database with synchronous
        commit, so it survives this process (and the store's host) crashing. Idempotent on
        `event.event_id`: recording an event again stores nothing new, so a write whose reply
        was lost may be retried. When the record exists, `action` is not written again.

        Raises:
            AuditUnavailable: the store cannot be reached or refused the write.
        """
        ...

    async def expire_overdue(self, now: datetime, grace: timedelta) -> int:
        """Append `expired` to every record whose last request's deadline is more than `grace`
        before `now` and that has no approval, decline, cancellation or expiry; return how many.

        Idempotent and safe to run from every replica at once: a record expires at most once.
        Looks back a bounded window (a week), so the work does not grow with the trail.

        Raises:
            AuditUnavailable: the store cannot be reached or refused the write.
        """
        ...


class AuditTrail(Protocol):
    """The audit trail, read side (idempotent reads)."""

    async def get(self, record_id: str) -> AuditRecord | None:
        """One record with all its events, or None when no record has this id.

        Raises:
            AuditUnavailable: the store cannot be reached.
        """
        ...

    async def search(self, query: AuditQuery) -> Sequence[AuditRecord]:
        """At most `query.limit` matching records with all their events, in `query`'s order,
        continuing after `query.cursor` (a previous page's last `position`).

        Raises:
            AuditUnavailable: the store cannot be reached.
        """
        ...


class PolicyRunner(Protocol):
    """Jamf's real way of running a policy on chosen computers (Jamf has no "run now" API).

    The computers join a static group dedicated to this server and the policy; the group is in
    the policy's scope, so the policy runs at their next check-in when its frequency allows.
    Nothing is retried once sent: an unknown outcome raises `JamfOutcomeUnknown` and stays
    unknown.
    """

    async def scope_group(self, policy_id: int) -> ScopeGroup:
        """The policy's dedicated group, created and added to its scope if missing.

        Idempotent: the group is created once and added to the scope once; the policy's other
        scope entries are kept as they are. The result carries the group's current members.

        Raises:
            PolicyNotFound: no policy has this id.
            JamfRequestRejected: Jamf refused a change, with its reason.
        """
        ...

    async def add_to_group(self, group: ScopeGroup, computer_ids: Sequence[str]) -> ScopeChange:
        """Add the computers that are not members yet (one request; none if all are members).

        Raises:
            InvalidRequest: a computer id is not a Jamf id.
            JamfRequestRejected: Jamf refused the change (e.g. an unknown computer).
            JamfOutcomeUnknown: the change was sent but no definite answer came back.
        """
        ...

    async def remove_from_group(self, group_id: str, computer_ids: Sequence[str]) -> None:
        """Take the computers out of the group (one request; removing a non-member is a no-op).

        Raises:
            JamfRequestRejected / JamfOutcomeUnknown: as `add_to_group`.
        """
        ...

    async def group_members(self, group_id: str) -> frozenset[str]:
        """The computer ids in a group now (an idempotent read)."""
        ...

    async def release_scope(self, policy_id: int, group_id: str) -> None:
        """Take the (empty) dedicated group out of the policy's scope; the rest stays as it is.

        Idempotent: nothing is sent when the group is not in the scope.

        Raises:
            PolicyNotFound: no policy has this id.
            JamfRequestRejected / JamfOutcomeUnknown: as `add_to_group`.
        """
        ...

    async def flush_computer_logs(self, computer_ids: Sequence[str]) -> None:
        """Flush ALL policy logs of these computers (Jamf's documented computer form).

        Every "Once per …" policy in their scope runs again at their next check-in: Jamf cannot
        flush one policy's logs on one computer. The caller must have had that confirmed.

        Raises:
            InvalidRequest: a computer id is not a Jamf id.
            JamfRequestRejected: Jamf refused the flush (e.g. an unknown computer).
            JamfOutcomeUnknown: the flush was sent but no definite answer came back.
        """
        ...


class CheckInSchedule(Protocol):
    """The tenant's recurring check-in settings (an idempotent read; may be cached briefly)."""

    async def settings(self) -> CheckInSettings:
        """The check-in frequency; Jamf's default (15 minutes, `known` False) when unreadable."""
        ...


class PolicyHistory(Protocol):
    """What computers report about the policies they ran (idempotent reads)."""

    async def history(self, computer_id: str) -> Sequence[PolicyRun]:
        """Every readable entry of the computer's policy log, oldest first (one request).

        Raises:
            DeviceNotFound: no computer has this id.
        """
        ...

    async def runs(self, computer_id: str, policy_id: int, since: datetime) -> Sequence[PolicyRun]:
        """The runs of `policy_id` on the computer that completed at or after `since`, oldest first.

        Raises:
            DeviceNotFound: no computer has this id.
        """
        ...


class PolicyRunTracker(Protocol):
    """Confirmed policy runs being followed until each computer ran or expired.

    Shared between replicas when backed by Redis. Bounded: finished runs are kept for a limited
    time (or number), then forgotten.
    """

    async def track(self, run: TrackedPolicyRun) -> None:
        """Start following `run` (replaces a run with the same record id)."""
        ...

    async def get(self, record_id: str) -> TrackedPolicyRun | None:
        """The run of this audit record, if it is (still) known."""
        ...

    async def open_runs(self) -> Sequence[TrackedPolicyRun]:
        """Every run with a computer still queued."""
        ...

    async def save(self, run: TrackedPolicyRun) -> None:
        """Store the run's new device states (an open run stays listed until it is not open)."""
        ...

    async def lead(self, owner: str, seconds: float) -> bool:
        """Claim (or renew) the reconciler's lease for `seconds`; True when `owner` holds it.

        Raises:
            StateUnavailable: a shared store cannot be reached.
        """
        ...


class MobileInventoryUpdates(Protocol):
    """Asking mobile devices to send an inventory update through MDM (never retried)."""

    async def request_update(self, mobile_device_id: str) -> None:
        """Queue the inventory update for one mobile device (by Jamf id).

        Raises:
            DeviceNotFound: no mobile device has this id.
            JamfRequestRejected: Jamf refused the command.
            JamfOutcomeUnknown: it was sent but no definite answer came back.
        """
        ...


class ManagementCommands(Protocol):
    """MDM commands addressed by `managementId`; sending is never retried."""

    async def send(
        self, command_type: str, management_ids: Sequence[str], fields: Mapping[str, object]
    ) -> tuple[CommandRef, ...]:
        """Queue `command_type` (e.g. `RESTART_DEVICE`) with its `fields` for each device.

        Raises:
            JamfRequestRejected: Jamf refused the command (unknown type, unknown device, a
                field it requires), with Jamf's message.
        """
        ...

    async def status(self, uuid: str) -> CommandStatus | None:
        """Where the command stands, or None when Jamf knows no command with this uuid."""
        ...


class ConfirmationAnswer(StrEnum):
    """What the person said when asked to confirm an action through their client."""

    ACCEPTED = "accepted"
    DECLINED = "declined"
    DISMISSED = "dismissed"
    TIMED_OUT = "timed_out"
    """The question was shown but no answer came before the deadline."""
    UNAVAILABLE = "unavailable"
    """The client could not ask (it failed, or has no way back to the user)."""


class Confirmer(Protocol):
    """Asks the person behind the current request to confirm, through their client's own UI.

    The question and the answer travel outside the model's reach (MCP elicitation), which is what
    makes the answer trustworthy. Implementations never raise for a client that cannot ask: they
    answer `UNAVAILABLE`.
    """

    async def ask(self, summary: str) -> ConfirmationAnswer:
        """Show `summary` and return the person's answer."""
        ...


class ProgressSink(Protocol):
    """Receives progress of a long-running use case (devices done out of total)."""

    async def __call__(self, done: float, total: float, message: str, /) -> None:
        """Report that `done` of `total` units are finished; `done` only ever increases."""
        ...


class Cancellation(Protocol):
    """Tells a running use case that its caller gave up; checked between units of work."""

    @property
    def cancelled(self) -> bool:
        """True once the caller cancelled."""
        ...


@attrs.frozen
class RateDecision:
    """The answer of a rate limiter for one request.

    Attributes:
        allowed: the request may proceed (a token was taken).
        retry_after_seconds: when refused, how long until a token is available again.
        remaining: whole tokens left after this request.
    """

    allowed: bool
    retry_after_seconds: float = 0.0
    remaining: int = 0


class RateLimiter(Protocol):
    """Token buckets, one per key (a principal, or a client IP on the sign-in endpoints).

    A bucket holds at most `capacity` tokens and regains `capacity` per period, continuously (a
    minute, unless the implementation was built with another period).
    Implementations shared between replicas make the whole fleet share one bucket per key.
    """

    async def take(self, key: str, capacity: int) -> RateDecision:
        """Take one token from the key's bucket, or say how long to wait for one.

        Raises:
            StateUnavailable: a shared implementation cannot reach its store.
        """
        ...
