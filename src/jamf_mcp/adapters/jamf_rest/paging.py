"""Jamf's `page`/`page-size` paging: one page, a span of pages, or every page through a sliding window."""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import AsyncGenerator, Callable, Coroutine, Sequence
from typing import Any

import attrs

from jamf_mcp.adapters.jamf_rest.json_fields import Json
from jamf_mcp.adapters.jamf_rest.settings import MAX_PAGE_SIZE
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp, QueryParams


@attrs.frozen
class ResultPage:
    """One page of a `{totalCount, results}` envelope."""

    total: int
    results: tuple[Json, ...]


PageFetcher = Callable[[int, int], Coroutine[Any, Any, ResultPage]]
"""Fetch page `page` (0-based) of `size` rows."""


def result_page(body: Any) -> ResultPage:
    """Read a `{totalCount, results}` envelope; a raw array (some Jamf lists) counts as one page."""
    if isinstance(body, list):
        rows = tuple(row for row in body if isinstance(row, dict))
        return ResultPage(len(rows), rows)
    if not isinstance(body, dict):
        return ResultPage(0, ())
    rows = tuple(row for row in body.get("results") or () if isinstance(row, dict))
    total = body.get("totalCount")
    return ResultPage(total if isinstance(total, int) and total >= 0 else len(rows), rows)


async def fetch_page(
    http: JamfHttp,
    path: str,
    params: Sequence[tuple[str, str | int]],
    *,
    page: int,
    size: int,
    privilege: str | None = None,
) -> ResultPage:
    """GET one page of a paged Jamf Pro list."""
    query: QueryParams = [*params, ("page", page), ("page-size", min(size, MAX_PAGE_SIZE))]
    return result_page(await http.get_json(path, params=query, privilege=privilege))


def page_span(offset: int, limit: int) -> tuple[int, int, int]:
    """The page size and the first and last page covering rows `[offset, offset + limit)`."""
    size = max(1, min(limit, MAX_PAGE_SIZE))
    return size, offset // size, (offset + limit - 1) // size


async def stream_pages(
    fetch: PageFetcher, *, size: int, window: int, first: ResultPage | None = None
) -> AsyncGenerator[tuple[Json, ...], None]:
    """Yield every page in order; after the first, up to `window` pages are fetched concurrently.

    The first page's `totalCount` says how many pages to fetch. At most `window` pages are held
    at once, so memory stays bounded however large the fleet. Stops early at an empty page, and
    keeps going (one page at a time) past `totalCount` while pages come back full.
    """
    size = min(size, MAX_PAGE_SIZE)
    page = first if first is not None else await fetch(0, size)
    if not page.results:
        return
    yield page.results
    planned = math.ceil(page.total / size)
    last_full = len(page.results) >= size
    upcoming = 1
    pending: deque[asyncio.Task[ResultPage]] = deque()
    try:
        while upcoming < planned or pending:
            while upcoming < planned and len(pending) < window:
                pending.append(asyncio.create_task(fetch(upcoming, size)))
                upcoming += 1
            page = await pending.popleft()
            if not page.results:
                return
            last_full = len(page.results) >= size
            yield page.results
        while last_full:  # the fleet grew while we were reading
            page = await fetch(upcoming, size)
            upcoming += 1
            if not page.results:
                return
            last_full = len(page.results) >= size
            yield page.results
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
