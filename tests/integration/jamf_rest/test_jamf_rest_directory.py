"""Departments and buildings: paged reads, a five-minute cache shared by concurrent callers, name resolution."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from jamf_mcp.adapters.jamf_rest import JamfDirectory, open_jamf_http
from jamf_mcp.domain.errors import UnknownDepartment
from tests.integration.jamf_rest.jamf_fakes import FakeJamf, client_connection


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def departments(request: httpx.Request) -> httpx.Response:
    rows = [{"id": str(i), "name": f"Dept {i:04d}"} for i in range(1, 2501)]
    page, size = int(request.url.params["page"]), int(request.url.params["page-size"])
    return httpx.Response(
        200, json={"totalCount": len(rows), "results": rows[page * size : (page + 1) * size]}
    )


@pytest.fixture
def jamf() -> FakeJamf:
    fake = FakeJamf()
    fake.route("GET", "/api/v1/departments", departments)
    return fake


async def test_reads_every_page_once_and_caches_for_five_minutes(jamf: FakeJamf) -> None:
    clock = FakeClock()
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        directory = JamfDirectory(http, clock=clock)
        first = await asyncio.gather(*(directory.departments() for _ in range(5)))
        assert len(jamf.calls("GET", "/api/v1/departments")) == 2, "2500 rows = two pages of 2000"
        clock.now += 299
        await directory.departments()
        assert len(jamf.calls("GET", "/api/v1/departments")) == 2
        clock.now += 2
        await directory.departments()
    assert len(jamf.calls("GET", "/api/v1/departments")) == 4
    assert len(first[0]) == 2500 and all(result == first[0] for result in first)


async def test_resolves_names_case_insensitively_to_ids_or_jamfs_spelling(jamf: FakeJamf) -> None:
    async with open_jamf_http(client_connection(), transport=jamf.transport()) as http:
        directory = JamfDirectory(http)
        by_id = await directory.resolve({"dept 0042"}, (), by="id")
        by_name = await directory.resolve({"DEPT 0042"}, (), by="name")
        with pytest.raises(UnknownDepartment) as caught:
            await directory.resolve({"Nope"}, (), by="id")
    assert by_id.departments == {"dept 0042": "42"}
    assert by_name.departments == {"dept 0042": "Dept 0042"}
    assert "Dept 0001" in caught.value.message
