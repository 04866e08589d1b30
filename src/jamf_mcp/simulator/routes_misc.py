"""Version, health, and the small lookup lists: departments, buildings, sites, categories."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from litestar import Request, Response, get
from litestar.params import FromPath

from jamf_mcp.simulator.catalog import Building
from jamf_mcp.simulator.context import (
    READ_BUILDINGS,
    READ_CATEGORIES,
    READ_CHECK_IN,
    READ_DEPARTMENTS,
    READ_SITES,
    ctx,
)
from jamf_mcp.simulator.errors import JamfHttpError, json_response
from jamf_mcp.simulator.query import compile_or_400, paged, parse_list_query, select, sort_records
from jamf_mcp.simulator.rsql import Field, Kind


@get("/api/v1/jamf-pro-version")
async def jamf_pro_version(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The server version (needs a token, no privilege)."""
    return json_response({"version": ctx(request).options.version})


@get("/healthCheck.html", opt={"public": True})
async def health_check_page() -> Response[bytes]:
    """Unauthenticated health probe: ``[]`` when healthy."""
    return Response(content=b"[]", media_type="text/html")


@get("/api/v3/check-in", opt={"privilege": READ_CHECK_IN})
async def check_in_settings(request: Request[Any, Any, Any]) -> Response[bytes]:
    """``ClientCheckInV3``: the tenant's recurring check-in frequency (minutes) and hooks."""
    return json_response(
        {
            "checkInFrequency": ctx(request).options.check_in_frequency_minutes,
            "createHooks": False,
            "hookLog": False,
            "hookPolicies": False,
            "createStartupScript": True,
            "startupLog": True,
            "startupPolicies": False,
            "startupSsh": False,
            "enableLocalConfigurationProfiles": False,
        }
    )


@get("/api/v1/health-check", status_code=204)
async def health_check() -> None:
    """204 when the API is healthy."""


def _lookup_list(
    request: Request[Any, Any, Any],
    items: list[dict[str, Any]],
    fields: Mapping[str, Field],
    default_sort: str,
) -> Response[bytes]:
    query = parse_list_query(request, fields, default_sort)
    predicate = compile_or_400(query.filter, fields)
    ordered = sort_records(items, query.sort, fields)
    total, page = select(ordered, predicate, query.page, query.page_size)
    return json_response(paged(total, page))


def _getter(key: str, kind: Kind) -> Field:
    if kind is Kind.NUMBER:
        return Field(kind, lambda item: int(item[key]))
    return Field(kind, lambda item: item.get(key))


_ID_NAME = {"id": _getter("id", Kind.NUMBER), "name": _getter("name", Kind.STRING)}
_BUILDING_FIELDS = {
    **_ID_NAME,
    **{
        key: _getter(key, Kind.STRING)
        for key in (
            "streetAddress1",
            "streetAddress2",
            "city",
            "stateProvince",
            "zipPostalCode",
            "country",
        )
    },
}
_CATEGORY_FIELDS = {**_ID_NAME, "priority": _getter("priority", Kind.NUMBER)}


def _department(dept_id: int, name: FromPath[str]) -> dict[str, Any]:
    return {"id": str(dept_id), "name": name}


def _building(b: Building) -> dict[str, Any]:
    return {
        "id": str(b.id), "name": b.name, "streetAddress1": b.street, "streetAddress2": "",
        "city": b.city, "stateProvince": b.state, "zipPostalCode": b.zip_code, "country": b.country,
    }  # fmt: skip


def _one(
    items: list[dict[str, Any]], raw_id: FromPath[str], what: FromPath[str]
) -> Response[bytes]:
    if not raw_id.isdigit():
        raise JamfHttpError(400, "INVALID_ID", f"Invalid id: {raw_id}", "id")
    for item in items:
        if item["id"] == raw_id:
            return json_response(item)
    raise JamfHttpError(404, "NOT_FOUND", f"{what} with id {raw_id} not found")


def _departments(request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
    return [_department(i, n) for i, n in ctx(request).tenant.departments.items()]


def _buildings(request: Request[Any, Any, Any]) -> list[dict[str, Any]]:
    return [_building(b) for b in ctx(request).tenant.buildings.values()]


@get("/api/v1/departments", opt={"privilege": READ_DEPARTMENTS})
async def departments(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Paged departments (default sort ``id:asc``)."""
    return _lookup_list(request, _departments(request), _ID_NAME, "id:asc")


@get("/api/v1/departments/{item_id:str}", opt={"privilege": READ_DEPARTMENTS})
async def department(request: Request[Any, Any, Any], item_id: FromPath[str]) -> Response[bytes]:
    """One department."""
    return _one(_departments(request), item_id, "Department")


@get("/api/v1/buildings", opt={"privilege": READ_BUILDINGS})
async def buildings(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Paged buildings with addresses."""
    return _lookup_list(request, _buildings(request), _BUILDING_FIELDS, "id:asc")


@get("/api/v1/buildings/{item_id:str}", opt={"privilege": READ_BUILDINGS})
async def building(request: Request[Any, Any, Any], item_id: FromPath[str]) -> Response[bytes]:
    """One building."""
    return _one(_buildings(request), item_id, "Building")


@get("/api/v1/sites", opt={"privilege": READ_SITES})
async def sites(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Sites as a raw array (not paged)."""
    return json_response([{"id": str(i), "name": n} for i, n in ctx(request).tenant.sites.items()])


@get("/api/v1/categories", opt={"privilege": READ_CATEGORIES})
async def categories(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Paged categories (default sort ``id:asc``)."""
    items = [
        {"id": str(i), "name": name, "priority": priority}
        for i, (name, priority) in ctx(request).tenant.categories.items()
    ]
    return _lookup_list(request, items, _CATEGORY_FIELDS, "id:asc")


ROUTES: list[Callable[..., Any]] = [
    jamf_pro_version, health_check_page, check_in_settings, health_check, departments, department, buildings, building,
    sites, categories,
]  # fmt: skip
