"""Paging arithmetic and the sliding window: order kept, memory bounded, early and late stops honoured."""

from __future__ import annotations

import asyncio

from jamf_mcp.adapters.jamf_rest.paging import ResultPage, page_span, result_page, stream_pages
from jamf_mcp.adapters.jamf_rest.version import ComputersApi, computers_api_for, parse_version


class FakeList:
    """A server-side list of `total` rows (reporting `reported_total`), tracking concurrent fetches."""

    def __init__(self, total: int, reported_total: int | None = None) -> None:
        self.rows = [{"id": str(i)} for i in range(total)]
        self.reported = total if reported_total is None else reported_total
        self.fetched: list[int] = []
        self.active = 0
        self.peak = 0

    async def fetch(self, page: int, size: int) -> ResultPage:
        self.fetched.append(page)
        self.active += 1
        self.peak = max(self.peak, self.active)
        await asyncio.sleep(0.001 * (page % 3))  # finish out of order
        self.active -= 1
        return ResultPage(self.reported, tuple(self.rows[page * size : (page + 1) * size]))


async def collect(fake: FakeList, size: int, window: int = 3) -> list[str]:
    return [
        row["id"]
        async for rows in stream_pages(fake.fetch, size=size, window=window)
        for row in rows
    ]


async def test_streams_every_row_in_order_with_a_bounded_window() -> None:
    fake = FakeList(1003)
    assert await collect(fake, size=100, window=3) == [str(i) for i in range(1003)]
    assert sorted(fake.fetched) == list(range(11))
    assert fake.peak <= 3


async def test_stops_at_an_empty_page_when_the_total_overstates() -> None:
    fake = FakeList(250, reported_total=1000)
    assert len(await collect(fake, size=100)) == 250


async def test_keeps_reading_while_pages_come_back_full_past_the_total() -> None:
    fake = FakeList(450, reported_total=300)
    assert len(await collect(fake, size=100)) == 450


async def test_an_empty_fleet_takes_one_request() -> None:
    fake = FakeList(0)
    assert await collect(fake, size=100) == []
    assert fake.fetched == [0]


async def test_a_consumer_that_stops_early_cancels_pending_fetches() -> None:
    fake = FakeList(10_000)
    pages = stream_pages(fake.fetch, size=100, window=4)
    async for _ in pages:
        break
    await pages.aclose()
    assert len(fake.fetched) <= 5


def test_page_span_covers_unaligned_offsets_and_clamps_at_2000() -> None:
    assert page_span(0, 50) == (50, 0, 0)
    assert page_span(7, 10) == (10, 0, 1)
    assert page_span(4000, 5000) == (2000, 2, 4)


def test_reads_envelopes_and_raw_arrays() -> None:
    assert result_page({"totalCount": 3, "results": [{"id": "1"}, None]}) == ResultPage(
        3, ({"id": "1"},)
    )
    assert result_page([{"id": "1"}]).total == 1
    assert result_page(None) == ResultPage(0, ())


def test_chooses_the_computers_inventory_version_from_the_server_version() -> None:
    assert computers_api_for(parse_version("11.30.1-t1784555528405")) == ComputersApi(4)
    assert computers_api_for(parse_version("11.29.0")) == ComputersApi(3)
    assert computers_api_for(parse_version("11.23.0")) == ComputersApi(3)
    assert computers_api_for(parse_version("11.22.9")) == ComputersApi(1)
    assert computers_api_for(parse_version("10.50.0")) == ComputersApi(1)
    assert computers_api_for(parse_version("garbage")) == ComputersApi(1)
    assert ComputersApi(4).last_contact_field == "general.lastContact"
    assert ComputersApi(3).last_contact_field == "general.lastContactTime"
