"""Jamf Pro API computer groups: the raw list, v3 static groups (read/write) and smart groups."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post, put
from litestar.params import FromPath

from jamf_mcp.simulator.computer_patch import read_json_object
from jamf_mcp.simulator.context import (
    CREATE_STATIC_GROUPS,
    READ_SMART_GROUPS,
    READ_STATIC_GROUPS,
    UPDATE_STATIC_GROUPS,
    ctx,
)
from jamf_mcp.simulator.errors import JamfHttpError, api_error_body, json_response
from jamf_mcp.simulator.groups import ComputerGroup
from jamf_mcp.simulator.query import compile_or_400, paged, parse_list_query, select, sort_records
from jamf_mcp.simulator.rsql import Field, Kind
from jamf_mcp.simulator.tenant import Tenant

_FIELDS = {
    "id": Field(Kind.NUMBER, lambda item: int(item["id"])),
    "name": Field(Kind.STRING, lambda item: item["name"]),
    "siteId": Field(Kind.STRING, lambda item: item["siteId"]),
}
_STATIC_BASE = "/api/v3/computer-groups/static-groups"


def _static_item(tenant: Tenant, group: ComputerGroup) -> dict[str, Any]:
    return {
        "id": str(group.id), "name": group.name, "description": group.description,
        "siteId": str(group.site_id), "count": len(group.members),
    }  # fmt: skip


def _static(tenant: Tenant, raw_id: FromPath[str]) -> ComputerGroup:
    if not raw_id.isdigit():
        raise JamfHttpError(400, "INVALID_ID", f"Invalid id: {raw_id}", "id")
    group = tenant.groups.get(int(raw_id))
    if group is None or group.is_smart:
        raise JamfHttpError(404, "NOT_FOUND", f"Static group with id {raw_id} not found")
    return group


def _listing(request: Request[Any, Any, Any], items: list[dict[str, Any]]) -> Response[bytes]:
    query = parse_list_query(request, _FIELDS, "id:asc")
    predicate = compile_or_400(query.filter, _FIELDS)
    total, page = select(
        sort_records(items, query.sort, _FIELDS), predicate, query.page, query.page_size
    )
    return json_response(paged(total, page))


@get("/api/v1/computer-groups", opt={"privilege": (READ_STATIC_GROUPS, READ_SMART_GROUPS)})
async def computer_groups(request: Request[Any, Any, Any]) -> Response[bytes]:
    """All groups as a raw array."""
    groups = ctx(request).tenant.groups.values()
    return json_response(
        [
            {
                "id": str(g.id),
                "name": g.name,
                "description": g.description,
                "smartGroup": g.is_smart,
            }
            for g in groups
        ]
    )


@get(_STATIC_BASE, opt={"privilege": READ_STATIC_GROUPS})
async def static_groups(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Paged static groups."""
    tenant = ctx(request).tenant
    return _listing(
        request, [_static_item(tenant, g) for g in tenant.groups.values() if not g.is_smart]
    )


@get(f"{_STATIC_BASE}/{{group_id:str}}", opt={"privilege": READ_STATIC_GROUPS})
async def static_group(request: Request[Any, Any, Any], group_id: FromPath[str]) -> Response[bytes]:
    """One static group."""
    tenant = ctx(request).tenant
    return json_response(_static_item(tenant, _static(tenant, group_id)))


def _assignments(tenant: Tenant, body: dict[str, Any]) -> set[int]:
    raw = body.get("assignments")
    if not isinstance(raw, list):
        raise JamfHttpError(
            400, "INVALID_FIELD", "assignments must be a list of computer ids", "assignments"
        )
    ids = set()
    for value in raw:
        text = str(value)
        if not text.isdigit() or int(text) not in tenant.computers_by_id:
            raise JamfHttpError(400, "INVALID_ID", f"Invalid computer id: {value}", "assignments")
        ids.add(int(text))
    return ids


def _apply(tenant: Tenant, group: ComputerGroup, body: dict[str, Any]) -> None:
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise JamfHttpError(400, "INVALID_FIELD", "name is required", "name")
    if any(g.name == name and g.id != group.id for g in tenant.groups.values()):
        raise JamfHttpError(409, "DUPLICATE_FIELD", f"A group named {name} already exists", "name")
    group.members = _assignments(tenant, body)
    group.name = name
    group.description = str(body.get("description") or "")
    if body.get("siteId") is not None:
        group.site_id = (
            int(str(body["siteId"])) if str(body["siteId"]).lstrip("-").isdigit() else -1
        )
    tenant.touch()


@put(f"{_STATIC_BASE}/{{group_id:str}}", opt={"privilege": UPDATE_STATIC_GROUPS}, status_code=202)
async def update_static_group(
    request: Request[Any, Any, Any], group_id: FromPath[str]
) -> Response[bytes]:
    """Replace name, description and membership (``assignments``); 202."""
    tenant = ctx(request).tenant
    group = _static(tenant, group_id)
    _apply(tenant, group, await read_json_object(request))
    return json_response({"id": str(group.id), "href": f"{_STATIC_BASE}/{group.id}"}, 202)


@post(_STATIC_BASE, opt={"privilege": CREATE_STATIC_GROUPS}, status_code=201)
async def create_static_group(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Create a static group; like Jamf, a body without ``assignments`` fails with a bare 500."""
    tenant = ctx(request).tenant
    body = await read_json_object(request)
    if "assignments" not in body:
        return json_response(api_error_body(500, None), 500)
    group = ComputerGroup(max(tenant.groups, default=0) + 1, "")
    _apply(tenant, group, body)
    tenant.groups[group.id] = group
    return json_response({"id": str(group.id), "href": f"{_STATIC_BASE}/{group.id}"}, 201)


@get("/api/v3/computer-groups/smart-groups", opt={"privilege": READ_SMART_GROUPS})
async def smart_groups(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Paged smart groups with their current membership counts."""
    tenant = ctx(request).tenant
    items = [
        {
            "id": str(g.id),
            "siteId": str(g.site_id),
            "name": g.name,
            "description": g.description,
            "membershipCount": len(tenant.group_member_ids(g)),
        }
        for g in tenant.groups.values()
        if g.is_smart
    ]
    return _listing(request, items)


@get(
    "/api/v3/computer-groups/smart-group-membership/{group_id:str}",
    opt={"privilege": READ_SMART_GROUPS},
)
async def smart_group_membership(
    request: Request[Any, Any, Any], group_id: FromPath[str]
) -> Response[bytes]:
    """``{"members": [computer ids]}`` of a smart group."""
    tenant = ctx(request).tenant
    group = tenant.groups.get(int(group_id)) if group_id.isdigit() else None
    if group is None or not group.is_smart:
        raise JamfHttpError(404, "NOT_FOUND", f"Smart group with id {group_id} not found")
    return json_response({"members": tenant.group_member_ids(group)})


ROUTES = [
    computer_groups, static_groups, static_group, update_static_group, create_static_group, smart_groups,
    smart_group_membership,
]  # fmt: skip
