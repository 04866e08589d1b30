"""Computer inventory: ``/api/v{1,3,4}/computers-inventory[-detail]``, preview list, fleet counts."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, patch
from litestar.params import FromPath

from jamf_mcp.simulator.catalog import MAC_MODELS
from jamf_mcp.simulator.clock import iso_ms, iso_or_none
from jamf_mcp.simulator.computer_fields import computer_fields, computer_sort_fields
from jamf_mcp.simulator.computer_patch import apply_patch, read_json_object
from jamf_mcp.simulator.computer_views import SECTION_KEYS, ComputerRenderer, sections_for
from jamf_mcp.simulator.context import READ_COMPUTERS, UPDATE_COMPUTERS, ctx
from jamf_mcp.simulator.errors import JamfHttpError, json_response
from jamf_mcp.simulator.exact_index import COMPUTER_KEYS, exact_terms
from jamf_mcp.simulator.query import compile_or_400, paged, parse_list_query, select
from jamf_mcp.simulator.records import ComputerRecord
from jamf_mcp.simulator.rsql import Field, Kind
from jamf_mcp.simulator.tenant import Tenant

_READ = {"privilege": READ_COMPUTERS}
_VERSIONS = (1, 3, 4)


def _version(request: Request[Any, Any, Any]) -> int:
    return int(request.url.path.split("/")[2].lstrip("v"))


def _sections(request: Request[Any, Any, Any], version: int) -> set[str]:
    valid = sections_for(version)
    wanted = {
        part.strip()
        for value in request.query_params.getall("section", [])
        for part in value.split(",")
        if part.strip()
    }
    for section in wanted:
        if section not in valid:
            raise JamfHttpError(400, "INVALID_FIELD", f"Invalid section: {section}", "section")
    return wanted or {"GENERAL"}


def find_computer(tenant: Tenant, raw_id: FromPath[str]) -> ComputerRecord:
    """The computer with ``raw_id``; 400 ``INVALID_ID`` for a non-numeric id, 404 when unknown."""
    if not raw_id.isdigit():
        raise JamfHttpError(400, "INVALID_ID", f"Invalid id: {raw_id}", "id")
    rec = tenant.computers_by_id.get(int(raw_id))
    if rec is None:
        raise JamfHttpError(404, "NOT_FOUND", f"Computer with id {raw_id} not found")
    return rec


@get([f"/api/v{v}/computers-inventory" for v in _VERSIONS], opt=_READ)
async def list_computers(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Paged, sectioned, sorted and RSQL-filtered computer inventory."""
    tenant = ctx(request).tenant
    version = _version(request)
    sections = _sections(request, version)
    fields = computer_fields(tenant.seed, version >= 4)
    sort_fields = computer_sort_fields(tenant.seed, version >= 4)
    query = parse_list_query(request, sort_fields, "general.name:asc")
    predicate = compile_or_400(query.filter, fields)
    exact = exact_terms(query.filter, COMPUTER_KEYS)
    ordered = tenant.matching(
        "computers",
        tenant.computers,
        query.sort,
        sort_fields,
        predicate,
        exact,
        fields,
        query.filter,
    )
    total, page = select(ordered, None, query.page, query.page_size)
    renderer = ComputerRenderer(tenant, version)
    return json_response(paged(total, [renderer.render(rec, sections) for rec in page]))


@get([f"/api/v{v}/computers-inventory/{{computer_id:str}}" for v in _VERSIONS], opt=_READ)
async def computer_general(
    request: Request[Any, Any, Any], computer_id: FromPath[str]
) -> Response[bytes]:
    """The General section of one computer."""
    tenant = ctx(request).tenant
    rec = find_computer(tenant, computer_id)
    return json_response(ComputerRenderer(tenant, _version(request)).render(rec, {"GENERAL"}))


@get([f"/api/v{v}/computers-inventory-detail/{{computer_id:str}}" for v in _VERSIONS], opt=_READ)
async def computer_detail(
    request: Request[Any, Any, Any], computer_id: FromPath[str]
) -> Response[bytes]:
    """Every section of one computer."""
    tenant = ctx(request).tenant
    rec = find_computer(tenant, computer_id)
    renderer = ComputerRenderer(tenant, _version(request))
    return json_response(renderer.render(rec, set(renderer.sections)))


@patch(
    [f"/api/v{v}/computers-inventory-detail/{{computer_id:str}}" for v in _VERSIONS],
    opt={"privilege": UPDATE_COMPUTERS},
)
async def update_computer(
    request: Request[Any, Any, Any], computer_id: FromPath[str]
) -> Response[bytes]:
    """Merge the writable fields; v1 answers 200 with the record, later versions 204."""
    tenant = ctx(request).tenant
    rec = find_computer(tenant, computer_id)
    apply_patch(tenant, rec, await read_json_object(request))
    version = _version(request)
    if version == 1:
        renderer = ComputerRenderer(tenant, version)
        return json_response(renderer.render(rec, set(renderer.sections)))
    return Response(content=b"", status_code=204)


def _overview(tenant: Tenant, rec: ComputerRecord) -> dict[str, Any]:
    facts = tenant.facts
    return {
        "id": str(rec.id),
        "location": {
            "username": rec.username,
            "realName": rec.realname,
            "emailAddress": rec.email,
            "position": rec.position,
            "phoneNumber": rec.phone,
            "departmentId": str(rec.department_id),
            "buildingId": str(rec.building_id),
            "room": rec.room,
        },
        "name": rec.name,
        "udid": facts.udid(rec),
        "serialNumber": rec.serial,
        "lastContactDate": iso_or_none(rec.last_contact),
        "lastReportDate": iso_ms(rec.report),
        "lastEnrolledDate": iso_ms(rec.enrolled),
        "operatingSystemVersion": facts.os_version(rec),
        "operatingSystemBuild": facts.os_build(rec),
        "operatingSystemSupplementalBuildVersion": facts.os_build(rec),
        "operatingSystemRapidSecurityResponse": "",
        "ipAddress": facts.ip_address(rec),
        "macAddress": facts.mac_address(rec),
        "assetTag": rec.asset_tag,
        "modelIdentifier": MAC_MODELS[rec.model].identifier,
        "mdmAccessRights": 8191 if rec.managed else 0,
        "isManaged": rec.managed,
        "managementId": facts.management_id(rec),
    }


_PREVIEW_SORT = {
    "id": Field(Kind.NUMBER, lambda r: r.id),
    "name": Field(Kind.STRING, lambda r: r.name),
    "serialNumber": Field(Kind.STRING, lambda r: r.serial),
    "assetTag": Field(Kind.STRING, lambda r: r.asset_tag),
    "lastContactDate": Field(Kind.DATE, lambda r: r.last_contact),
    "lastReportDate": Field(Kind.DATE, lambda r: r.report),
    "lastEnrolledDate": Field(Kind.DATE, lambda r: r.enrolled),
}


@get("/api/preview/computers", opt=_READ)
async def preview_computers(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The lightweight legacy list (no filter)."""
    tenant = ctx(request).tenant
    query = parse_list_query(request, _PREVIEW_SORT, "name:asc")
    ordered = tenant.sorted_view("preview", tenant.computers, query.sort, _PREVIEW_SORT)
    total, page = select(ordered, None, query.page, query.page_size)
    return json_response(paged(total, [_overview(tenant, rec) for rec in page]))


@get("/api/v1/inventory-information", opt=_READ)
async def inventory_information(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Cheap fleet counts."""
    tenant = ctx(request).tenant
    managed = sum(1 for rec in tenant.computers if rec.managed)
    managed_devices = sum(1 for rec in tenant.mobiles if rec.managed)
    return json_response(
        {
            "managedComputers": managed,
            "unmanagedComputers": len(tenant.computers) - managed,
            "managedDevices": managed_devices,
            "unmanagedDevices": len(tenant.mobiles) - managed_devices,
        }
    )


ROUTES = [
    list_computers, computer_general, computer_detail, update_computer, preview_computers,
    inventory_information,
]  # fmt: skip
__all__ = ["ROUTES", "SECTION_KEYS", "find_computer"]
