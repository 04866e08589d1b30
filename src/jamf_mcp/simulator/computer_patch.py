"""``PATCH computers-inventory-detail``: merge the writable fields of reference §2.5 into a record."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request

from jamf_mcp.simulator.computer_views import EXTENSION_ATTRIBUTE_IDS
from jamf_mcp.simulator.errors import JamfHttpError
from jamf_mcp.simulator.records import ComputerRecord
from jamf_mcp.simulator.tenant import Tenant

_PURCHASING = (
    "leased", "purchased", "poNumber", "poDate", "vendor", "warrantyDate", "appleCareId",
    "leaseDate", "purchasePrice", "lifeExpectancy", "purchasingAccount", "purchasingContact",
)  # fmt: skip
_USER_FIELDS = {
    "username": "username", "realname": "realname", "email": "email", "position": "position",
    "phone": "phone", "room": "room",
}  # fmt: skip


async def read_json_object(request: Request[Any, Any, Any]) -> dict[str, Any]:
    """The request body as a JSON object, or 400."""
    try:
        body = msgspec.json.decode(await request.body())
    except msgspec.DecodeError:
        raise JamfHttpError(400, "INVALID_FIELD", "Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise JamfHttpError(400, "INVALID_FIELD", "Request body must be a JSON object")
    return body


def _str(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise JamfHttpError(400, "INVALID_FIELD", f"{field} must be a string", field)
    return value


def _section(body: dict[str, Any], key: str) -> dict[str, Any]:
    section = body.get(key) or {}
    if not isinstance(section, dict):
        raise JamfHttpError(400, "INVALID_FIELD", f"{key} must be an object", key)
    return section


def _known_id(value: Any, known: dict[int, Any], field: str) -> int:
    text = str(value)
    if not text.lstrip("-").isdigit() or (int(text) not in known and int(text) != -1):
        raise JamfHttpError(400, "INVALID_FIELD", f"Invalid {field}: {value}", field)
    return int(text)


def _extension_attributes(rec: ComputerRecord, items: Any) -> None:
    if not isinstance(items, list):
        raise JamfHttpError(
            400, "INVALID_FIELD", "extensionAttributes must be a list", "extensionAttributes"
        )
    stored: dict[str, list[str]] = dict(rec.get_extra("ea") or {})
    for item in items:
        definition = str(item.get("definitionId")) if isinstance(item, dict) else ""
        if definition not in EXTENSION_ATTRIBUTE_IDS:
            raise JamfHttpError(
                400,
                "INVALID_FIELD",
                f"Invalid extension attribute definitionId: {definition}",
                "definitionId",
            )
        values = item.get("values") or []
        stored[definition] = [str(v) for v in values]
    rec.set_extra("ea", stored)


def apply_patch(tenant: Tenant, rec: ComputerRecord, body: dict[str, Any]) -> None:
    """Merge ``body`` into ``rec`` (unknown keys are ignored, as Jamf does)."""
    if "udid" in body:
        rec.set_extra("udid", _str(body["udid"], "udid"))
    general = _section(body, "general")
    if "name" in general:
        rec.name = _str(general["name"], "general.name")
    if "assetTag" in general:
        rec.asset_tag = (
            None if general["assetTag"] is None else _str(general["assetTag"], "general.assetTag")
        )
    for key in ("barcode1", "barcode2", "lastIpAddress"):
        if key in general:
            rec.set_extra(key, general[key])
    if "managed" in general:
        rec.managed = bool(general["managed"])
    if "siteId" in general:
        rec.set_extra("siteId", _known_id(general["siteId"], tenant.sites, "general.siteId"))
    purchasing = _section(body, "purchasing")
    if purchasing:
        merged = dict(rec.get_extra("purchasing") or {})
        merged.update({k: v for k, v in purchasing.items() if k in _PURCHASING})
        rec.set_extra("purchasing", merged)
    location = _section(body, "userAndLocation")
    for key, attribute in _USER_FIELDS.items():
        if key in location:
            setattr(rec, attribute, _str(location[key], f"userAndLocation.{key}"))
    if "departmentId" in location:
        rec.department_id = _known_id(location["departmentId"], tenant.departments, "departmentId")
    if "buildingId" in location:
        rec.building_id = _known_id(location["buildingId"], tenant.buildings, "buildingId")
    hardware = _section(body, "hardware")
    for key in ("networkAdapterType", "macAddress", "altNetworkAdapterType", "altMacAddress"):
        if key in hardware:
            rec.set_extra(key, _str(hardware[key], f"hardware.{key}"))
    for section in (general, location, hardware, _section(body, "operatingSystem"), body):
        if section.get("extensionAttributes"):
            _extension_attributes(rec, section["extensionAttributes"])
    tenant.touch()
