"""JSON Schemas (2020-12) of the Jamf tools' arguments and results."""

from __future__ import annotations

from typing import Any

_STR = {"type": ["string", "null"]}
_INT = {"type": ["integer", "null"]}
_BOOL = {"type": ["boolean", "null"]}
_CURSOR = {
    "type": "string",
    "maxLength": 512,
    "description": "The nextCursor of a previous call with the same arguments, to get the next page.",
}
_DEVICE_TYPE = {
    "type": "string",
    "enum": ["computer", "mobile", "any"],
    "description": "computer (Macs), mobile (iPhones/iPads) or any.",
}
_COUNTS = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"value": {"type": "string"}, "count": {"type": "integer"}},
        "required": ["value", "count"],
    },
}


def object_schema(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """A closed object schema (no other properties) for tool arguments."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    if required:
        schema["required"] = required
    return schema


_obj = object_schema


def _out(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required}


DEVICE_SUMMARY = _out(
    {
        "id": {"type": "string"},
        "deviceType": {"type": "string", "enum": ["computer", "mobile"]},
        "name": {"type": "string"},
        "serialNumber": _STR,
        "assetTag": _STR,
        "model": _STR,
        "osVersion": _STR,
        "user": _STR,
        "username": _STR,
        "email": _STR,
        "department": _STR,
        "building": _STR,
        "lastCheckIn": _STR,
        "daysSinceCheckIn": _INT,
        "managed": _BOOL,
    },
    ["id", "deviceType", "name"],
)

SEARCH_INPUT = _obj(
    {
        "searchTerm": {
            "type": "string",
            "maxLength": 200,
            "description": "Text found in the device name, serial number, asset tag, or its user's "
            "name, username or email (case-insensitive substring). Empty: all devices.",
            "default": "",
        },
        "department": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Department name.",
        },
        "building": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Building name.",
        },
        "deviceType": _DEVICE_TYPE | {"default": "any"},
        "limit": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
        "cursor": _CURSOR,
    }
)
SEARCH_OUTPUT = _out(
    {
        "devices": {"type": "array", "items": DEVICE_SUMMARY},
        "total": {"type": "integer"},
        "returned": {"type": "integer"},
        "nextCursor": _STR,
        "note": _STR,
    },
    ["devices", "total", "returned"],
)

DEVICE_INPUT = _obj(
    {
        "deviceIdentifier": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Jamf id, serial number, asset tag (e.g. MAC-123), UDID or exact device name.",
        },
        "deviceType": _DEVICE_TYPE | {"default": "any"},
    },
    ["deviceIdentifier"],
)
DEVICE_OUTPUT = _out(
    {
        "id": {"type": "string"},
        "deviceType": {"type": "string"},
        "name": {"type": "string"},
        "serialNumber": _STR,
        "udid": _STR,
        "managementId": _STR,
        "assetTag": _STR,
        "managed": _BOOL,
        "user": {"type": "object"},
        "operatingSystem": {"type": "object"},
        "hardware": {"type": "object"},
        "security": {"type": "object"},
        "storage": {"type": "object"},
        "lastCheckIn": _STR,
        "daysSinceCheckIn": _INT,
        "lastInventoryUpdate": _STR,
        "daysSinceInventoryUpdate": _INT,
        "lastEnrolled": _STR,
        "ipAddress": _STR,
        "groups": {"type": "array", "items": {"type": "string"}},
    },
    ["id", "deviceType", "name", "security", "lastCheckIn"],
)

COMPLIANCE_INPUT = _obj(
    {
        "daysSinceLastCheckin": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3650,
            "default": 30,
            "description": "A computer not seen for more than this many days is non-compliant.",
        },
        "criticalAfterDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3650,
            "default": 90,
            "description": "Non-compliant computers not seen for this many days or more are critical.",
        },
        "minimumOsVersion": {
            "type": "string",
            "pattern": r"^\d{1,3}(\.\d{1,3}){0,2}$",
            "description": "e.g. 15.1",
        },
        "requireFileVault": {"type": "boolean", "default": False},
        "requireSip": {"type": "boolean", "default": False},
        "requireGatekeeper": {"type": "boolean", "default": False},
        "requireFirewall": {"type": "boolean", "default": False},
        "minimumFreeDiskGb": {"type": "number", "exclusiveMinimum": 0, "maximum": 100000},
        "department": {"type": "string", "minLength": 1, "maxLength": 200},
        "limit": {"type": "integer", "minimum": 1, "maximum": 500, "default": 100},
        "cursor": _CURSOR,
    }
)
COMPLIANCE_OUTPUT = _out(
    {
        "summary": _out(
            {
                "total": {"type": "integer"},
                "compliant": {"type": "integer"},
                "noncompliant": {"type": "integer"},
                "critical": {"type": "integer"},
                "warning": {"type": "integer"},
                "rules": {"type": "array", "items": {"type": "string"}},
                "byRule": {"type": "array"},
                "generatedAt": {"type": "string"},
            },
            ["total", "noncompliant", "critical", "warning"],
        ),
        "devices": {"type": "array", "items": {"type": "object"}},
        "returned": {"type": "integer"},
        "nextCursor": _STR,
        "note": _STR,
    },
    ["summary", "devices"],
)

LIST_POLICIES_INPUT = _obj(
    {
        "nameContains": {"type": "string", "minLength": 1, "maxLength": 200},
        "enabledOnly": {"type": "boolean", "default": False},
        "limit": {"type": "integer", "minimum": 1, "maximum": 100, "default": 25},
        "cursor": _CURSOR,
    }
)
POLICY_SUMMARY = _out(
    {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "enabled": {"type": "boolean"},
        "category": _STR,
        "frequency": _STR,
        "triggers": {"type": "array", "items": {"type": "string"}},
        "scope": {"type": "string"},
        "selfService": {"type": "boolean"},
    },
    ["id", "name", "enabled"],
)
LIST_POLICIES_OUTPUT = _out(
    {
        "policies": {"type": "array", "items": POLICY_SUMMARY},
        "total": {"type": "integer"},
        "returned": {"type": "integer"},
        "nextCursor": _STR,
        "note": _STR,
    },
    ["policies", "total", "returned"],
)

POLICY_INPUT = _obj(
    {
        "policyId": {"type": "integer", "minimum": 1},
        "policyName": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Exact name, or a part of exactly one policy's name.",
        },
    }
)
POLICY_OUTPUT = POLICY_SUMMARY | {
    "properties": POLICY_SUMMARY["properties"]
    | {
        "site": _STR,
        "collectsInventory": {"type": "boolean"},
        "packages": {"type": "array"},
        "scripts": {"type": "array"},
        "scopeDetails": {"type": "object"},
        "howItRuns": {"type": "string"},
    }
}

FLEET_INPUT = _obj(
    {
        "deviceType": _DEVICE_TYPE | {"default": "computer"},
        "department": {"type": "string", "minLength": 1, "maxLength": 200},
    }
)
FLEET_OUTPUT = _out(
    {
        "total": {"type": "integer"},
        "byOsVersion": _COUNTS,
        "byModel": _COUNTS,
        "byFileVault": _COUNTS,
        "byCheckIn": _COUNTS,
        "byDepartment": _COUNTS,
        "generatedAt": {"type": "string"},
    },
    ["total", "byOsVersion", "byModel", "byFileVault", "byCheckIn", "byDepartment"],
)
