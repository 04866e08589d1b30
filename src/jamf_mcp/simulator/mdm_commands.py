"""Validate, queue and acknowledge MDM commands; record blank pushes (Jamf Pro 11.30.1 behaviour).

Wire quirks reproduced (see the Jamf reference, §5.2): a body without ``clientData``/``commandData``
(e.g. ``{}``) answers 500 with an empty ``errors`` list; an empty ``clientData`` answers 400
``INVALID_FIELD``; an unknown ``commandType`` answers 400 with Jackson's type-resolution message
listing the known type ids (the exact status/code Jamf uses there is uncertain).
"""

from __future__ import annotations

import re
from typing import Any

import attrs

from jamf_mcp.simulator.clock import MS_PER_DAY
from jamf_mcp.simulator.errors import JamfHttpError
from jamf_mcp.simulator.mdm_state import (
    ACKNOWLEDGED,
    COMMAND_TYPES,
    COMPUTER,
    LOST_MODE_TYPES,
    MOBILE_DEVICE,
    PENDING,
    BlankPush,
    MdmCommand,
)
from jamf_mcp.simulator.mobile_views import MobileRenderer
from jamf_mcp.simulator.records import ComputerRecord, MobileRecord, stable_uuid
from jamf_mcp.simulator.tenant import Tenant

_PIN = re.compile(r"\d{6}")


@attrs.frozen
class Target:
    """A device a managementId resolved to."""

    management_id: str
    client_type: str
    record: ComputerRecord | MobileRecord


def resolve(tenant: Tenant, management_id: str) -> Target | None:
    """The computer or mobile device holding ``management_id``, if any."""
    cache = tenant.management_index
    if cache is None:
        renderer = MobileRenderer(tenant)
        cache = {tenant.facts.management_id(rec): (COMPUTER, rec.id) for rec in tenant.computers}
        cache.update({renderer.management_id(m): (MOBILE_DEVICE, m.id) for m in tenant.mobiles})
        tenant.management_index = cache
    found = cache.get(management_id)
    if found is None:
        return None
    kind, device_id = found
    record: ComputerRecord | MobileRecord | None = (
        tenant.computers_by_id.get(device_id)
        if kind == COMPUTER
        else tenant.mobiles_by_id.get(device_id)
    )
    return None if record is None else Target(management_id, kind, record)


def _invalid(description: str, field: str) -> JamfHttpError:
    return JamfHttpError(400, "INVALID_FIELD", description, field)


def _targets(tenant: Tenant, client_data: Any) -> list[Target]:
    if not isinstance(client_data, list) or not client_data:
        raise _invalid("clientData must contain at least one client", "clientData")
    targets: list[Target] = []
    for index, item in enumerate(client_data):
        raw = item.get("managementId") if isinstance(item, dict) else None
        target = resolve(tenant, raw) if isinstance(raw, str) else None
        if target is None:
            raise _invalid(
                f"Unable to find a device with managementId {raw}",
                f"clientData[{index}].managementId",
            )
        targets.append(target)
    return targets


def _command_type(command_data: Any) -> str:
    raw = command_data.get("commandType") if isinstance(command_data, dict) else None
    if not isinstance(raw, str) or not raw:
        raise _invalid(
            "Missing type id when trying to resolve subtype of commandData: missing type id "
            "property 'commandType'",
            "commandData.commandType",
        )
    if raw not in COMMAND_TYPES:
        known = ", ".join(COMMAND_TYPES)
        raise _invalid(
            f"Could not resolve type id '{raw}' as a subtype of commandData: "
            f"known type ids = [{known}]",
            "commandData.commandType",
        )
    return raw


def _check_fits(command_type: str, data: dict[str, Any], targets: list[Target]) -> None:
    kinds = {target.client_type for target in targets}
    if command_type in LOST_MODE_TYPES and COMPUTER in kinds:
        raise _invalid(f"{command_type} is only supported on mobile devices", "commandData")
    if command_type == "ENABLE_LOST_MODE" and not (
        data.get("lostModeMessage") or data.get("lostModePhone")
    ):
        raise _invalid("lostModeMessage or lostModePhone is required", "commandData")
    if command_type == "DEVICE_LOCK" and COMPUTER in kinds:
        pin = data.get("pin")
        if not isinstance(pin, str) or not _PIN.fullmatch(pin):
            raise _invalid("A 6-digit pin is required to lock a computer", "commandData.pin")


def queue_commands(tenant: Tenant, body: Any) -> list[MdmCommand]:
    """Validate a ``MdmCommandRequest`` body and queue one PENDING command per client."""
    if not isinstance(body, dict) or "clientData" not in body or "commandData" not in body:
        raise JamfHttpError(500)  # Jamf's NullPointerException: 500 with an empty errors list
    targets = _targets(tenant, body["clientData"])
    command_type = _command_type(body["commandData"])
    data = {k: v for k, v in body["commandData"].items() if k != "commandType"}
    _check_fits(command_type, data, targets)
    now = tenant.now_ms()
    queue = tenant.mdm.commands
    created = []
    for target in targets:
        uuid = stable_uuid(tenant.seed, "mdm-command", len(queue) + 1)
        command = MdmCommand(
            uuid, target.management_id, target.client_type, target.record.id, command_type,
            data, now,
        )  # fmt: skip
        queue.append(command)
        created.append(command)
    return created


def is_reachable(tenant: Tenant, command: MdmCommand) -> bool:
    """Online, managed devices answer APNs; stale or offline ones leave commands PENDING."""
    return device_reachable(tenant, command.client_type, command.device_id)


def device_reachable(tenant: Tenant, client_type: str, device_id: int) -> bool:
    """Whether a device answers APNs: managed and online (a mobile seen within a day of start)."""
    if client_type == COMPUTER:
        rec = tenant.computers_by_id.get(device_id)
        return rec is not None and rec.online and rec.managed
    mobile = tenant.mobiles_by_id.get(device_id)
    return (
        mobile is not None and mobile.managed and tenant.start_ms - mobile.last_contact < MS_PER_DAY
    )


def acknowledge_pending(tenant: Tenant, now_ms: int) -> int:
    """PENDING → ACKNOWLEDGED for every reachable device; ``SETTINGS.deviceName`` renames."""
    done = 0
    for command in tenant.mdm.commands:
        if command.state != PENDING or not is_reachable(tenant, command):
            continue
        command.state = ACKNOWLEDGED
        command.completed_ms = now_ms
        done += 1
        if command.client_type == MOBILE_DEVICE:
            mobile = tenant.mobiles_by_id[command.device_id]
            mobile.last_contact = max(mobile.last_contact, now_ms)
        name = command.data.get("deviceName")
        if command.command_type == "SETTINGS" and isinstance(name, str) and name.strip():
            _record(tenant, command).name = name.strip()
    if done:
        tenant.touch()
    return done


def _record(tenant: Tenant, command: MdmCommand) -> ComputerRecord | MobileRecord:
    if command.client_type == COMPUTER:
        return tenant.computers_by_id[command.device_id]
    return tenant.mobiles_by_id[command.device_id]


def blank_push(tenant: Tenant, body: Any) -> list[str]:
    """Record a blank push; returns the unknown ids.

    A blank push only wakes a device's MDM channel (it then fetches queued MDM commands, which
    ``acknowledge_pending`` answers at the next tick anyway); it does not start the jamf
    binary's policy check-in, so nothing else changes.
    """
    ids = body.get("clientManagementIds") if isinstance(body, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise _invalid(
            "clientManagementIds must be a list of management ids", "clientManagementIds"
        )
    unknown: list[str] = []
    for management_id in ids:
        target = resolve(tenant, management_id)
        if target is None:
            unknown.append(management_id)
    tenant.mdm.blank_pushes.append(BlankPush(tenant.now_ms(), tuple(ids), tuple(unknown)))
    return unknown
