"""Computer fields that are derived from id and seed on demand (or PATCHed into ``extras``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import attrs

from jamf_mcp.simulator.catalog import JAMF_BINARY_VERSIONS, MAC_MODELS, MACOS_BUILDS
from jamf_mcp.simulator.clock import MS_PER_DAY, date_only
from jamf_mcp.simulator.records import ComputerRecord, stable_ip, stable_mac, stable_uuid

_VENDORS = ("Apple Store for Business", "CDW", "Insight")


@attrs.frozen
class ComputerFacts:
    """Derives the rarely stored fields of a computer deterministically from ``seed``."""

    seed: int

    def udid(self, rec: ComputerRecord) -> str:
        override = rec.get_extra("udid")
        return str(override) if override else _derived(self.seed, "udid", rec.id).upper()

    def management_id(self, rec: ComputerRecord) -> str:
        return _derived(self.seed, "management", rec.id)

    def mac_address(self, rec: ComputerRecord) -> str:
        return str(rec.get_extra("macAddress") or stable_mac(self.seed, "mac", rec.id))

    def alt_mac_address(self, rec: ComputerRecord) -> str:
        return str(rec.get_extra("altMacAddress") or stable_mac(self.seed, "altmac", rec.id))

    def ip_address(self, rec: ComputerRecord) -> str:
        return str(rec.get_extra("lastIpAddress") or stable_ip(self.seed, rec.id))

    def reported_ip(self, rec: ComputerRecord) -> str:
        return stable_ip(self.seed, rec.id + 7)

    def jamf_binary_version(self, rec: ComputerRecord) -> str:
        return JAMF_BINARY_VERSIONS[rec.jamf_version]

    def os_version(self, rec: ComputerRecord) -> str:
        return MACOS_BUILDS[rec.os].version

    def os_build(self, rec: ComputerRecord) -> str:
        return MACOS_BUILDS[rec.os].build

    def warranty_ms(self, rec: ComputerRecord) -> int:
        return rec.initial_entry + 3 * 365 * MS_PER_DAY

    def purchasing(self, rec: ComputerRecord) -> dict[str, Any]:
        """The PURCHASING section, PATCHed values winning over derived ones."""
        price = 1299 + (rec.model * 200) + (rec.ram_mb // 8192) * 200
        derived: dict[str, Any] = {
            "leased": False,
            "purchased": True,
            "poNumber": f"PO-{100000 + rec.id}",
            "poDate": date_only(rec.initial_entry),
            "vendor": _VENDORS[rec.id % len(_VENDORS)],
            "warrantyDate": date_only(self.warranty_ms(rec)),
            "appleCareId": "",
            "leaseDate": None,
            "purchasePrice": f"{price}.00",
            "lifeExpectancy": 4,
            "purchasingAccount": "",
            "purchasingContact": "",
            "extensionAttributes": [],
        }
        overrides = rec.get_extra("purchasing")
        if overrides:
            derived.update(overrides)
        return derived

    def model_name(self, rec: ComputerRecord) -> str:
        return MAC_MODELS[rec.model].model


@lru_cache(maxsize=400_000)
def _derived(seed: int, kind: str, record_id: int) -> str:
    """A derived uuid, computed once (filters read it for every record they scan)."""
    return stable_uuid(seed, kind, record_id)
