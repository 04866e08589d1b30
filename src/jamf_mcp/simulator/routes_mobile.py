"""Mobile devices: ``/api/v2/mobile-devices`` list, single, detail, and the sectioned detail list."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath

from jamf_mcp.simulator.context import READ_MOBILE_DEVICES, ctx
from jamf_mcp.simulator.errors import JamfHttpError, json_response
from jamf_mcp.simulator.exact_index import MOBILE_KEYS, exact_terms
from jamf_mcp.simulator.mobile_views import SECTION_KEYS, MobileRenderer
from jamf_mcp.simulator.query import compile_or_400, paged, parse_list_query, select
from jamf_mcp.simulator.records import MobileRecord
from jamf_mcp.simulator.rsql import Field, Kind
from jamf_mcp.simulator.tenant import Tenant

_READ = {"privilege": READ_MOBILE_DEVICES}


def _list_sort_fields(renderer: MobileRenderer) -> dict[str, Field]:
    s = Kind.STRING
    return {
        "id": Field(Kind.NUMBER, lambda r: r.id),
        "name": Field(s, lambda r: r.name),
        "serialNumber": Field(s, lambda r: r.serial),
        "udid": Field(s, renderer.udid),
        "username": Field(s, lambda r: r.username),
        "managementId": Field(s, renderer.management_id),
        "wifiMacAddress": Field(s, renderer.wifi_mac),
    }


def _find(tenant: Tenant, raw_id: FromPath[str]) -> MobileRecord:
    if not raw_id.isdigit():
        raise JamfHttpError(400, "INVALID_ID", f"Invalid id: {raw_id}", "id")
    rec = tenant.mobiles_by_id.get(int(raw_id))
    if rec is None:
        raise JamfHttpError(404, "NOT_FOUND", f"Mobile device with id {raw_id} not found")
    return rec


@get("/api/v2/mobile-devices", opt=_READ)
async def list_mobile_devices(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Paged list (sort default ``id:asc``; no filter on this endpoint)."""
    tenant = ctx(request).tenant
    renderer = MobileRenderer(tenant)
    fields = _list_sort_fields(renderer)
    query = parse_list_query(request, fields, "id:asc")
    ordered = tenant.sorted_view("mobiles", tenant.mobiles, query.sort, fields)
    total, page = select(ordered, None, query.page, query.page_size)
    return json_response(paged(total, [renderer.list_item(rec) for rec in page]))


@get("/api/v2/mobile-devices/detail", opt=_READ)
async def mobile_devices_detail(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Sectioned, filterable list (sort default ``displayName:asc``).

    ``exception-handling`` is ``STRICT`` (default) or ``LENIENT`` (11.29+); the tenant has no
    broken records, so both answer the same here.
    """
    tenant = ctx(request).tenant
    renderer = MobileRenderer(tenant)
    wanted = {
        part.strip()
        for value in request.query_params.getall("section", [])
        for part in value.split(",")
        if part.strip()
    } or {"GENERAL"}
    for section in wanted:
        if section not in SECTION_KEYS:
            raise JamfHttpError(400, "INVALID_FIELD", f"Invalid section: {section}", "section")
    handling = request.query_params.get("exception-handling", "STRICT")
    if handling not in ("STRICT", "LENIENT"):
        raise JamfHttpError(
            400, "INVALID_FIELD", f"Invalid exception-handling: {handling}", "exception-handling"
        )
    fields = renderer.fields()
    query = parse_list_query(request, fields, "displayName:asc")
    predicate = compile_or_400(query.filter, fields)
    exact = exact_terms(query.filter, MOBILE_KEYS)
    ordered = tenant.matching(
        "mobile-detail", tenant.mobiles, query.sort, fields, predicate, exact, fields, query.filter
    )
    total, page = select(ordered, None, query.page, query.page_size)
    return json_response(paged(total, [renderer.sectioned(rec, wanted) for rec in page]))


@get("/api/v2/mobile-devices/{device_id:str}", opt=_READ)
async def mobile_device(
    request: Request[Any, Any, Any], device_id: FromPath[str]
) -> Response[bytes]:
    """One device, list shape."""
    tenant = ctx(request).tenant
    return json_response(MobileRenderer(tenant).list_item(_find(tenant, device_id)))


@get("/api/v2/mobile-devices/{device_id:str}/detail", opt=_READ)
async def mobile_device_detail(
    request: Request[Any, Any, Any], device_id: FromPath[str]
) -> Response[bytes]:
    """One device, full detail."""
    tenant = ctx(request).tenant
    return json_response(MobileRenderer(tenant).detail(_find(tenant, device_id)))


ROUTES = [list_mobile_devices, mobile_devices_detail, mobile_device, mobile_device_detail]
