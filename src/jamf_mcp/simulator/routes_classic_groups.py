"""Classic computer groups and computer history (policy logs)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from litestar import Request, Response, get, post, put
from litestar.params import FromPath

from jamf_mcp.simulator.classic_xml import XML, classic_response, parse_list, read_xml
from jamf_mcp.simulator.clock import classic_local, classic_utc
from jamf_mcp.simulator.context import (
    CREATE_STATIC_GROUPS,
    READ_COMPUTERS,
    READ_SMART_GROUPS,
    READ_STATIC_GROUPS,
    UPDATE_STATIC_GROUPS,
    ctx,
)
from jamf_mcp.simulator.errors import JamfHttpError
from jamf_mcp.simulator.groups import ComputerGroup
from jamf_mcp.simulator.records import ComputerRecord
from jamf_mcp.simulator.tenant import PolicyLog, Tenant

_READ_GROUPS = {"privilege": (READ_STATIC_GROUPS, READ_SMART_GROUPS)}


def _group(tenant: Tenant, raw_id: FromPath[str]) -> ComputerGroup:
    group = tenant.groups.get(int(raw_id)) if raw_id.isdigit() else None
    if group is None:
        raise JamfHttpError(404)
    return group


def _group_document(tenant: Tenant, group: ComputerGroup) -> dict[str, Any]:
    facts = tenant.facts
    members = [
        tenant.computers_by_id[cid]
        for cid in tenant.group_member_ids(group)
        if cid in tenant.computers_by_id
    ]
    return {
        "id": group.id, "name": group.name, "is_smart": group.is_smart,
        "site": {"id": -1, "name": "None"}, "criteria": group.criteria(),
        "computers": [
            {"id": r.id, "name": r.name, "serial_number": r.serial, "mac_address": facts.mac_address(r),
             "alt_mac_address": facts.alt_mac_address(r)}
            for r in members
        ],
    }  # fmt: skip


def _group_id_document(group_id: int, status: int) -> Response[bytes]:
    body = f'<?xml version="1.0" encoding="UTF-8"?><computer_group><id>{group_id}</id></computer_group>'
    return Response(content=body.encode(), status_code=status, media_type=XML)


@get("/JSSResource/computergroups", opt=_READ_GROUPS)
async def classic_groups(request: Request[Any, Any, Any]) -> Response[bytes]:
    """``{"computer_groups": [{id, name, is_smart}]}``."""
    groups = sorted(ctx(request).tenant.groups.values(), key=lambda g: g.id)
    items = [{"id": g.id, "name": g.name, "is_smart": g.is_smart} for g in groups]
    return classic_response(request, "computer_groups", items)


@get("/JSSResource/computergroups/id/{group_id:str}", opt=_READ_GROUPS)
async def classic_group(
    request: Request[Any, Any, Any], group_id: FromPath[str]
) -> Response[bytes]:
    """One group with criteria and members."""
    tenant = ctx(request).tenant
    return classic_response(
        request, "computer_group", _group_document(tenant, _group(tenant, group_id))
    )


@get("/JSSResource/computergroups/name/{name:str}", opt=_READ_GROUPS)
async def classic_group_by_name(
    request: Request[Any, Any, Any], name: FromPath[str]
) -> Response[bytes]:
    """One group, by its exact name, with criteria and members; 404 when none has it."""
    tenant = ctx(request).tenant
    group = next((g for g in tenant.groups.values() if g.name == name), None)
    if group is None:
        raise JamfHttpError(404)
    return classic_response(request, "computer_group", _group_document(tenant, group))


def _resolve(tenant: Tenant, item: dict[str, Any]) -> ComputerRecord:
    rec = tenant.computers_by_id.get(int(item.get("id") or 0))
    if rec is None and (item.get("name") or item.get("serial_number")):
        key = ("name", item["name"]) if item.get("name") else ("serial", item["serial_number"])
        rec = next((r for r in tenant.computers if getattr(r, key[0]) == key[1]), None)
    if rec is None:
        raise JamfHttpError(409, description="Error: Problem with computer in group")
    return rec


def _apply_group_xml(tenant: Tenant, group: ComputerGroup, element: ET.Element) -> None:
    name = element.findtext("name")
    if name is not None and name.strip():
        group.name = name.strip()
    sections = {child.tag: child for child in element}
    touches_members = {"computers", "computer_additions", "computer_deletions"} & sections.keys()
    if touches_members and group.is_smart:
        raise JamfHttpError(
            409, description="Error: Smart group membership is defined by its criteria"
        )
    template: dict[str, Any] = {"id": 0, "name": "", "serial_number": ""}
    for key in ("computers", "computer_additions", "computer_deletions"):
        if key not in sections:
            continue
        ids = {
            _resolve(tenant, item).id
            for item in parse_list(sections[key], key, ("computer", template))
        }
        if key == "computers":
            group.members = ids
        elif key == "computer_additions":
            group.members |= ids
        else:
            group.members -= ids
    tenant.touch()


@put(
    "/JSSResource/computergroups/id/{group_id:str}",
    opt={"privilege": UPDATE_STATIC_GROUPS},
    status_code=201,
)
async def update_classic_group(
    request: Request[Any, Any, Any], group_id: FromPath[str]
) -> Response[bytes]:
    """Rename, or change static membership with ``computer_additions``/``computer_deletions``."""
    tenant = ctx(request).tenant
    group = _group(tenant, group_id)
    _apply_group_xml(tenant, group, await read_xml(request, "computer_group"))
    return _group_id_document(group.id, 201)


@post(
    "/JSSResource/computergroups/id/{group_id:str}",
    opt={"privilege": CREATE_STATIC_GROUPS},
    status_code=201,
)
async def create_classic_group(
    request: Request[Any, Any, Any], group_id: FromPath[str]
) -> Response[bytes]:
    """Create a static group (smart groups with criteria are not simulated → 409)."""
    tenant = ctx(request).tenant
    element = await read_xml(request, "computer_group")
    name = (element.findtext("name") or "").strip()
    if not name:
        raise JamfHttpError(409, description="Error: Problem with field name")
    if any(g.name == name for g in tenant.groups.values()):
        raise JamfHttpError(409, description="Error: Duplicate name")
    if (element.findtext("is_smart") or "").strip().lower() == "true":
        raise JamfHttpError(
            409, description="Error: Smart groups are not supported by the simulator"
        )
    group = ComputerGroup(max(tenant.groups, default=0) + 1, name)
    _apply_group_xml(tenant, group, element)
    tenant.groups[group.id] = group
    return _group_id_document(group.id, 201)


def _log(log: PolicyLog) -> dict[str, Any]:
    return {
        "policy_id": log.policy_id, "policy_name": log.policy_name, "username": log.username,
        "date_completed": classic_local(log.completed_ms), "date_completed_epoch": log.completed_ms,
        "date_completed_utc": classic_utc(log.completed_ms), "status": log.status,
    }  # fmt: skip


def _history(tenant: Tenant, rec: ComputerRecord) -> dict[str, Any]:
    return {
        "general": {
            "id": rec.id, "name": rec.name, "udid": tenant.facts.udid(rec), "serial_number": rec.serial,
            "mac_address": tenant.facts.mac_address(rec),
        },
        "computer_usage_logs": [], "audits": [],
        "policy_logs": [_log(log) for log in tenant.history_of(rec)],
        "casper_remote_logs": [], "screen_sharing_logs": [], "casper_imaging_logs": [],
        "commands": {"completed": [], "pending": [], "failed": []}, "user_location": [],
        "mac_app_store_applications": {"installed": [], "pending": [], "failed": []},
    }  # fmt: skip


_HISTORY_SUBSETS = {
    "general": "general", "computerusagelogs": "computer_usage_logs", "audits": "audits",
    "policylogs": "policy_logs", "casperremotelogs": "casper_remote_logs",
    "screensharinglogs": "screen_sharing_logs", "casperimaginglogs": "casper_imaging_logs",
    "commands": "commands", "userlocation": "user_location",
    "macappstoreapplications": "mac_app_store_applications",
}  # fmt: skip


def _subset_name(raw: str) -> str:
    """``PolicyLogs`` (Jamf's docs) and ``policy_logs`` (ruby-jss) name the same subset."""
    return raw.strip().replace("_", "").lower()


def _computer(tenant: Tenant, raw_id: FromPath[str]) -> ComputerRecord:
    rec = tenant.computers_by_id.get(int(raw_id)) if raw_id.isdigit() else None
    if rec is None:
        raise JamfHttpError(404)
    return rec


@get("/JSSResource/computerhistory/id/{computer_id:str}", opt={"privilege": READ_COMPUTERS})
async def computer_history(
    request: Request[Any, Any, Any], computer_id: FromPath[str]
) -> Response[bytes]:
    """A computer's history, policy logs newest first."""
    tenant = ctx(request).tenant
    return classic_response(
        request, "computer_history", _history(tenant, _computer(tenant, computer_id))
    )


@get(
    "/JSSResource/computerhistory/id/{computer_id:str}/subset/{subset:str}",
    opt={"privilege": READ_COMPUTERS},
)
async def computer_history_subset(
    request: Request[Any, Any, Any], computer_id: FromPath[str], subset: FromPath[str]
) -> Response[bytes]:
    """Some history sections, e.g. ``subset/PolicyLogs`` or ``subset/General&PolicyLogs``."""
    tenant = ctx(request).tenant
    history = _history(tenant, _computer(tenant, computer_id))
    keys = [
        _HISTORY_SUBSETS[name]
        for part in subset.split("&")
        if (name := _subset_name(part)) in _HISTORY_SUBSETS
    ]
    if not keys:
        raise JamfHttpError(400, description=f"Unknown subset {subset}")
    return classic_response(request, "computer_history", {key: history[key] for key in keys})


ROUTES = [
    classic_groups, classic_group, classic_group_by_name, update_classic_group, create_classic_group, computer_history,
    computer_history_subset,
]  # fmt: skip
