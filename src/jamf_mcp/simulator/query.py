"""Jamf's list query parameters: 0-based ``page``, clamped ``page-size``, whitelisted ``sort``, RSQL ``filter``."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
from litestar import Request

from jamf_mcp.simulator.errors import JamfHttpError
from jamf_mcp.simulator.rsql import Field, Kind, RsqlError
from jamf_mcp.simulator.rsql_compile import Predicate, compile_filter

MAX_PAGE_SIZE = 2000
SortSpec = tuple[tuple[str, bool], ...]  # (field, descending)


@attrs.frozen
class ListQuery:
    """The parsed list parameters of one request."""

    page: int
    page_size: int
    sort: SortSpec
    filter: str


def _int_param(request: Request[Any, Any, Any], name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise JamfHttpError(
            400, "INVALID_FIELD", f"Invalid value for {name}: {raw}", name
        ) from None


def parse_sort(raw: Sequence[str], allowed: Mapping[str, Field], default: str) -> SortSpec:
    """``a:asc,b:desc`` (repeated or comma-joined) checked against the sort whitelist."""
    terms = [
        term.strip() for value in (raw or [default]) for term in value.split(",") if term.strip()
    ]
    spec: list[tuple[str, bool]] = []
    for term in terms:
        name, _, direction = term.partition(":")
        direction = direction.lower() or "asc"
        if name not in allowed or direction not in ("asc", "desc"):
            raise JamfHttpError(400, "INVALID_FIELD", f"Invalid sort criteria: {term}", "sort")
        spec.append((name, direction == "desc"))
    return tuple(spec)


def parse_list_query(
    request: Request[Any, Any, Any], sort_fields: Mapping[str, Field], default_sort: str
) -> ListQuery:
    """Read ``page``, ``page-size`` (silently clamped to 2000), ``sort`` and ``filter``."""
    page = _int_param(request, "page", 0)
    size = _int_param(request, "page-size", 100)
    if page < 0 or size < 1:
        raise JamfHttpError(400, "INVALID_FIELD", "page must be >= 0 and page-size >= 1", "page")
    sort = parse_sort(request.query_params.getall("sort", []), sort_fields, default_sort)
    return ListQuery(page, min(size, MAX_PAGE_SIZE), sort, request.query_params.get("filter") or "")


def compile_or_400(text: str, fields: Mapping[str, Field]) -> Predicate | None:
    """Compile a filter, turning ``RsqlError`` into Jamf's 400 ApiError; empty filter → ``None``."""
    if not text.strip():
        return None
    try:
        return compile_filter(text, fields)
    except RsqlError as exc:
        raise JamfHttpError(400, exc.code, exc.description, exc.field or "filter") from None


def _key(field: Field) -> Callable[[Any], Any]:
    get = field.get
    if field.kind is Kind.STRING:

        def string_key(record: Any) -> tuple[int, str]:
            value = get(record)
            return (0, "") if value is None else (1, str(value).casefold())

        return string_key

    def key(record: Any) -> tuple[int, Any]:
        value = get(record)
        return (0, 0) if value is None else (1, value)

    return key


def sort_records(records: Sequence[Any], spec: SortSpec, fields: Mapping[str, Field]) -> list[Any]:
    """Stable multi-key sort; nulls first ascending; ties keep the input (id) order."""
    result = list(records)
    for name, descending in reversed(spec):
        result.sort(key=_key(fields[name]), reverse=descending)
    return result


def select(
    ordered: Sequence[Any], predicate: Predicate | None, page: int, size: int
) -> tuple[int, list[Any]]:
    """``(totalCount, the requested page)`` of ``ordered`` records matching ``predicate``."""
    start = page * size
    if predicate is None:
        return len(ordered), list(ordered[start : start + size])
    matches = [record for record in ordered if predicate(record)]
    return len(matches), matches[start : start + size]


def paged(total: int, results: list[Any]) -> dict[str, Any]:
    """The ``{totalCount, results}`` envelope."""
    return {"totalCount": total, "results": results}
