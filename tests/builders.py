"""Small builders for domain objects used across tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from jamf_mcp.application.ports import AuditLog
from jamf_mcp.domain.audit import (
    AuditAction,
    AuditActor,
    AuditOutcome,
    ClientInfo,
    ConfirmationChannel,
)
from jamf_mcp.domain.audit_records import AuditEvent, AuditEventKind
from jamf_mcp.domain.devices import (
    Device,
    DeviceIdentity,
    DeviceKind,
    FileVaultState,
    OperatingSystem,
    SecurityState,
    Storage,
    Toggle,
    UserAndLocation,
)

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def computer(
    jamf_id: int,
    *,
    name: str | None = None,
    days_ago: float | None = 1,
    department: str | None = "Engineering",
    building: str | None = "HQ",
    real_name: str | None = None,
    os_version: str | None = "15.1",
    filevault: FileVaultState = FileVaultState.ENCRYPTED,
    sip: Toggle = Toggle.ENABLED,
    gatekeeper: Toggle = Toggle.UNKNOWN,
    firewall: Toggle = Toggle.ENABLED,
    free_mb: int | None = 100_000,
    kind: DeviceKind = DeviceKind.COMPUTER,
    managed: bool = True,
) -> Device:
    """A device last seen `days_ago` days before `NOW` (None: never); unmanaged ones have no
    `managementId`."""
    return Device(
        identity=DeviceIdentity(
            kind=kind,
            jamf_id=str(jamf_id),
            name=name or f"Mac-{jamf_id:03d}",
            serial_number=f"C02SER{jamf_id:06d}",
            asset_tag=f"MAC-{jamf_id:03d}",
            management_id=f"mgmt-{kind.value}-{jamf_id}" if managed else None,
        ),
        managed=managed,
        user=UserAndLocation(
            username=(real_name or "").lower().replace(" ", ".") or None,
            real_name=real_name,
            department=department,
            building=building,
        ),
        os=OperatingSystem(name="macOS", version=os_version),
        security=SecurityState(
            filevault=filevault, sip=sip, gatekeeper=gatekeeper, firewall=firewall
        ),
        storage=Storage(boot_drive_free_mb=free_mb),
        last_check_in=None if days_ago is None else NOW - timedelta(days=days_ago),
    )


async def record_approved(
    audit: AuditLog,
    action: AuditAction,
    actor: AuditActor,
    *,
    channel: ConfirmationChannel = ConfirmationChannel.ELICITATION,
    at: datetime = NOW,
    outcome: AuditOutcome | None = None,
    client: ClientInfo | None = None,
) -> str:
    """Record `action` as approved by `actor` (and its outcome, if given); its record id."""
    record_id = uuid.uuid4().hex
    client = client or ClientInfo("pytest-client", "1.0")
    await audit.record(
        action,
        AuditEvent(
            uuid.uuid4().hex, record_id, AuditEventKind.APPROVED, at, actor, channel, client
        ),
    )
    if outcome is not None:
        event = AuditEvent(
            uuid.uuid4().hex, record_id, AuditEventKind.OUTCOME, outcome.at, actor, outcome=outcome
        )
        await audit.record(action, event)
    return record_id
