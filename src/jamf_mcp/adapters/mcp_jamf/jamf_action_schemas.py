"""JSON Schemas (2020-12) of the device-changing tools' arguments and results.

The argument schemas stay flat (no `oneOf`/`anyOf` at the root, which some clients refuse);
"give X or Y" rules are checked by the handlers with a clear message.
"""

from __future__ import annotations

from jamf_mcp.adapters.mcp_jamf.jamf_tools_schemas import object_schema as _obj
from jamf_mcp.domain.mdm import MDM_COMMANDS

_STR = {"type": ["string", "null"]}
MAX_DEVICES = 1000

_IDENTIFIER = {"type": "string", "minLength": 1, "maxLength": 255}
_DEVICE = _IDENTIFIER | {"description": "One device: Jamf id, serial number or exact name."}
_DEVICES = {
    "type": "array",
    "items": _IDENTIFIER,
    "minItems": 1,
    "maxItems": MAX_DEVICES,
    "description": "Several devices: Jamf ids, serial numbers or exact names.",
}
CONFIRMATION_TOKEN = {
    "type": "string",
    "minLength": 16,
    "maxLength": 200,
    "description": "Only after the user confirmed: the confirmationToken a previous call with "
    "exactly the same arguments returned. Never invent one.",
}
APPROVAL_ID = {
    "type": "string",
    "minLength": 16,
    "maxLength": 200,
    "description": "Optional: the approvalId a previous call with exactly the same arguments "
    "returned, to ask whether the user approved it in the browser. It cannot approve anything.",
}
_TEXT = {"type": "string", "minLength": 1, "maxLength": 500}
FLUSH_COMPUTER_POLICY_LOGS = {
    "type": "boolean",
    "description": "Only after the user chose it, for computers where the policy already ran: "
    "flush ALL policy logs of those computers so it can run again. Every once-per policy in "
    "their scope then runs again too. Default false: those computers are left out.",
    "default": False,
}

EXECUTE_POLICY_INPUT = _obj(
    {
        "policyId": {"type": "integer", "minimum": 1, "description": "The policy's Jamf id."},
        "policyName": {
            "type": "string",
            "minLength": 1,
            "maxLength": 255,
            "description": "The policy's name (exact, or a part only one policy's name has).",
        },
        "deviceIdentifier": _DEVICE,
        "deviceIdentifiers": _DEVICES,
        "waitSeconds": {
            "type": "integer",
            "minimum": 0,
            "maximum": 300,
            "description": "Wait up to this long for the computers to report the run (default "
            "0: return once queued).",
            "default": 0,
        },
        "flushComputerPolicyLogs": FLUSH_COMPUTER_POLICY_LOGS,
        "confirmationToken": CONFIRMATION_TOKEN,
        "approvalId": APPROVAL_ID,
    }
)

UPDATE_INVENTORY_INPUT = _obj(
    {
        "deviceIds": _DEVICES,
        "department": {"type": "string", "minLength": 1, "maxLength": 200},
        "building": {"type": "string", "minLength": 1, "maxLength": 200},
        "searchTerm": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200,
            "description": "Devices whose name, serial, asset tag or user contains this text.",
        },
        "deviceType": {
            "type": "string",
            "enum": ["computer", "mobile", "any"],
            "description": "Which devices criteria select: computer (default), mobile or any.",
            "default": "computer",
        },
        "allDevices": {
            "type": "boolean",
            "description": "True to select every device (when no other criterion is given).",
            "default": False,
        },
        "flushComputerPolicyLogs": FLUSH_COMPUTER_POLICY_LOGS,
        "confirmationToken": CONFIRMATION_TOKEN,
        "approvalId": APPROVAL_ID,
    }
)

SEND_MDM_COMMAND_INPUT = _obj(
    {
        "command": {"type": "string", "enum": list(MDM_COMMANDS)},
        "deviceIdentifier": _DEVICE,
        "deviceIdentifiers": _DEVICES,
        "pin": {
            "type": "string",
            "pattern": "^[0-9]{6}$",
            "description": "6-digit unlock pin: required to lock a Mac; erase of older Macs.",
        },
        "message": _TEXT | {"description": "DEVICE_LOCK: text shown on the locked screen."},
        "phoneNumber": _TEXT | {"description": "DEVICE_LOCK: a phone number to show."},
        "lostModeMessage": _TEXT,
        "lostModePhone": _TEXT,
        "lostModeFootnote": _TEXT,
        "notifyUser": {"type": "boolean", "description": "RESTART_DEVICE: warn the user first."},
        "obliterationBehavior": {
            "type": "string",
            "enum": ["Default", "DoNotObliterate", "ObliterateWithWarning", "Always"],
        },
        "preserveDataPlan": {"type": "boolean"},
        "disallowProximitySetup": {"type": "boolean"},
        "confirmationToken": CONFIRMATION_TOKEN,
        "approvalId": APPROVAL_ID,
    },
    ["command"],
)

COMMAND_STATUS_INPUT = _obj(
    {
        "commandUuid": {"type": "string", "minLength": 1, "maxLength": 100},
        "commandUuids": {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": 100},
            "minItems": 1,
            "maxItems": 50,
        },
    }
)

_DEVICE_RESULT = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "deviceType": {"type": "string", "enum": ["computer", "mobile"]},
        "name": {"type": "string"},
        "serialNumber": _STR,
        "status": {
            "type": "string",
            "enum": ["queued", "completed", "failed", "unknown", "not_sent"],
        },
        "detail": {"type": "string"},
        "commandUuid": _STR,
    },
    "required": ["id", "deviceType", "name", "status"],
}

ACTION_OUTPUT = {
    "type": "object",
    "properties": {
        "status": {
            "type": "string",
            "enum": [
                "confirmation_required",
                "approval_required",
                "declined",
                "queued",
                "completed",
                "partially_completed",
                "failed",
                "unknown",
                "cancelled",
            ],
        },
        "summary": {"type": "string"},
        "confirmationToken": {"type": "string"},
        "approvalUrl": {"type": "string"},
        "approvalId": {"type": "string"},
        "waiting": {"type": "boolean"},
        "expiresAt": {"type": "string"},
        "userResponse": {"type": "string", "enum": ["decline", "dismiss", "timeout"]},
        "confirmedVia": {
            "type": "string",
            "enum": ["elicitation", "token", "input_required", "approval_page", "url_elicitation"],
        },
        "auditRecordId": {"type": "string"},
        "totalDevices": {"type": "integer"},
        "counts": {
            "type": "object",
            "properties": {
                name: {"type": "integer"}
                for name in ("queued", "completed", "failed", "unknown", "not_sent")
            },
        },
        "devices": {"type": "array", "items": _DEVICE_RESULT},
        "devicesNote": _STR,
        "notes": {"type": "array", "items": {"type": "string"}},
        "cancelled": {"type": "boolean"},
    },
    "required": ["status", "summary"],
}

COMMAND_STATUS_OUTPUT = {
    "type": "object",
    "properties": {
        "commands": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "uuid": {"type": "string"},
                    "state": {"type": "string"},
                    "commandType": {"type": "string"},
                    "managementId": _STR,
                    "sentAt": _STR,
                    "completedAt": _STR,
                },
                "required": ["uuid", "state", "commandType"],
            },
        },
        "unknown": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["commands", "unknown"],
}

ACTION_STATUS_INPUT = _obj(
    {
        "auditRecordId": {
            "type": "string",
            "minLength": 1,
            "maxLength": 100,
            "description": "The auditRecordId executePolicy or updateInventory returned.",
        }
    },
    ["auditRecordId"],
)

ACTION_STATUS_OUTPUT = {
    "type": "object",
    "properties": {
        "auditRecordId": {"type": "string"},
        "policyId": {"type": "integer"},
        "policyName": {"type": "string"},
        "requestedAt": {"type": "string"},
        "expiresAt": {"type": "string"},
        "counts": {
            "type": "object",
            "properties": {
                name: {"type": "integer"} for name in ("queued", "ran", "failed", "expired")
            },
        },
        "devices": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "state": {"type": "string", "enum": ["queued", "ran", "failed", "expired"]},
                    "detail": {"type": "string"},
                    "at": _STR,
                },
                "required": ["id", "name", "state"],
            },
        },
    },
    "required": ["auditRecordId", "policyId", "policyName", "counts", "devices"],
}
