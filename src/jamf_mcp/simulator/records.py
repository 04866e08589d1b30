"""Compact mutable device records; rarely used fields are derived from id and seed on demand."""

from __future__ import annotations

import hashlib
from typing import Any

import attrs


def stable_bytes(seed: int, kind: str, ident: int, size: int = 16) -> bytes:
    """Deterministic pseudo-random bytes for one field of one device."""
    return hashlib.blake2b(f"{seed}:{kind}:{ident}".encode(), digest_size=size).digest()


def stable_uuid(seed: int, kind: str, ident: int) -> str:
    """A deterministic UUID-4-shaped string (lower case)."""
    raw = bytearray(stable_bytes(seed, kind, ident))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def stable_mac(seed: int, kind: str, ident: int) -> str:
    """A deterministic, locally plausible MAC address (upper-case, colon separated)."""
    raw = stable_bytes(seed, kind, ident, 6)
    return ":".join(f"{b:02X}" for b in (0xA4, 0x83, 0xE7, raw[0], raw[1], raw[2]))


def stable_ip(seed: int, ident: int) -> str:
    """A deterministic private IPv4 address."""
    raw = stable_bytes(seed, "ip", ident, 2)
    return f"10.{ident % 200 + 10}.{raw[0]}.{raw[1] % 250 + 2}"


@attrs.define(slots=True, eq=False)
class ComputerRecord:
    """One Mac. Times are epoch milliseconds; ``extras`` holds PATCHed and rarely set fields."""

    id: int
    name: str
    asset_tag: str | None
    serial: str
    model: int
    os: int
    ram_mb: int
    department_id: int
    building_id: int
    username: str
    realname: str
    email: str
    position: str
    phone: str
    room: str
    last_contact: int | None
    report: int
    enrolled: int
    initial_entry: int
    filevault: str
    sip_enabled: bool
    gatekeeper: str
    firewall: bool
    managed: bool
    supervised: bool
    ade: bool
    disk_mb: int
    free_mb: int
    jamf_version: int
    online: bool
    extras: dict[str, Any] | None = None

    def get_extra(self, key: str, default: Any = None) -> Any:
        """A stored extra field, or ``default``."""
        if self.extras is None:
            return default
        return self.extras.get(key, default)

    def set_extra(self, key: str, value: Any) -> None:
        """Store an extra field."""
        if self.extras is None:
            self.extras = {}
        self.extras[key] = value


@attrs.define(slots=True, eq=False)
class MobileRecord:
    """One iPhone or iPad."""

    id: int
    name: str
    asset_tag: str | None
    serial: str
    model: int  # index into IPHONE_MODELS or IPAD_MODELS, by ``kind``
    kind: str
    os: int
    department_id: int
    building_id: int
    username: str
    realname: str
    email: str
    position: str
    phone: str
    room: str
    last_contact: int
    last_inventory: int
    enrolled: int
    managed: bool
    supervised: bool
    available_mb: int
    battery: int
    extras: dict[str, Any] | None = None
