"""Turning what a person calls a device ("MAC-123", a serial, an id) into exactly one device."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence

from jamf_mcp.application.ports.jamf_inventory import DeviceInventory
from jamf_mcp.domain.devices import Device, DeviceKind
from jamf_mcp.domain.errors import AmbiguousDevice, DeviceNotFound, InvalidRequest
from jamf_mcp.domain.queries import InventoryAspect

IDENTITY_ASPECTS = frozenset(
    {InventoryAspect.GENERAL, InventoryAspect.HARDWARE, InventoryAspect.USER_AND_LOCATION}
)
"""Enough of a record to name a device to a person and to address it (ids, serial, user)."""


def _candidate(device: Device) -> str:
    return f"{device.identity.kind.value} {device.identity.jamf_id}: {device.identity.label}"


async def resolve_device(
    inventory: DeviceInventory,
    identifier: str,
    kinds: Iterable[DeviceKind],
    aspects: frozenset[InventoryAspect] = IDENTITY_ASPECTS,
) -> Device:
    """The one device of `kinds` whose Jamf id, serial, asset tag, UDID or exact name is `identifier`.

    When several devices match, one whose Jamf id equals the identifier exactly wins; otherwise
    the candidates are listed so the person can pick.

    Raises:
        InvalidRequest: the identifier is empty.
        DeviceNotFound: nothing matches.
        AmbiguousDevice: several devices match.
    """
    identifier = identifier.strip()
    if not identifier:
        raise InvalidRequest("A device identifier must not be empty.")
    found = await asyncio.gather(
        *(inventory.find(kind, identifier, aspects=aspects) for kind in kinds)
    )
    matches = [device for devices in found for device in devices]
    if not matches:
        raise DeviceNotFound(identifier)
    if len(matches) > 1:
        exact = [d for d in matches if d.identity.jamf_id == identifier]
        if len(exact) != 1:
            raise AmbiguousDevice(identifier, [_candidate(d) for d in matches])
        matches = exact
    return matches[0]


async def resolve_devices(
    inventory: DeviceInventory, identifiers: Sequence[str], kinds: Iterable[DeviceKind]
) -> list[Device]:
    """Resolve every identifier (see `resolve_device`); the same device named twice counts once.

    Raises:
        InvalidRequest: no identifiers, or more than one identifier fails — the message lists
            every failure, so the person can fix them all at once.
        DeviceNotFound / AmbiguousDevice: exactly one identifier fails.
    """
    if not identifiers:
        raise InvalidRequest("Name at least one device.")
    kinds = tuple(kinds)
    outcomes = await asyncio.gather(
        *(resolve_device(inventory, identifier, kinds) for identifier in identifiers),
        return_exceptions=True,
    )
    failures = [o for o in outcomes if isinstance(o, DeviceNotFound | AmbiguousDevice)]
    for outcome in outcomes:
        if isinstance(outcome, BaseException) and outcome not in failures:
            raise outcome
    if len(failures) == 1:
        raise failures[0]
    if failures:
        raise InvalidRequest(
            f"{len(failures)} of the devices could not be identified: "
            + " ".join(failure.message for failure in failures)
        )
    unique: dict[tuple[DeviceKind, str], Device] = {}
    for device in outcomes:
        assert isinstance(device, Device)
        unique.setdefault((device.kind, device.identity.jamf_id), device)
    return list(unique.values())
