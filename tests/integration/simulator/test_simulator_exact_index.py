"""Identifier look-ups answered from an index give exactly what a scan gives."""

from __future__ import annotations

import pytest

from jamf_mcp.simulator import JamfSimulator
from jamf_mcp.simulator.computer_fields import computer_fields, computer_sort_fields
from jamf_mcp.simulator.exact_index import COMPUTER_KEYS, exact_terms
from jamf_mcp.simulator.query import parse_sort
from jamf_mcp.simulator.rsql_compile import compile_filter


@pytest.mark.parametrize(
    "rsql",
    [
        'general.name=="MAC-123"',
        'general.name=="mac-123",hardware.serialNumber=="nope"',
        'id=="7",general.assetTag=="MAC-007"',
        'udid=="not-a-udid"',
    ],
)
def test_an_indexed_look_up_equals_the_scan(shared_sim: JamfSimulator, rsql: str) -> None:
    tenant = shared_sim.tenant
    fields = computer_fields(tenant.seed, True)
    sort_fields = computer_sort_fields(tenant.seed, True)
    spec = parse_sort(["general.name:asc,id:asc"], sort_fields, "general.name:asc")
    terms = exact_terms(rsql, COMPUTER_KEYS)
    assert terms is not None
    scanned = tenant.matching(
        "c", tenant.computers, spec, sort_fields, compile_filter(rsql, fields)
    )
    indexed = tenant.matching("c", tenant.computers, spec, sort_fields, None, terms, fields)
    assert [r.id for r in indexed] == [r.id for r in scanned]


@pytest.mark.parametrize(
    "rsql", ['general.name=="MAC*"', 'general.name!="x"', 'general.name=="a";id=="1"', ""]
)
def test_anything_but_exact_identifiers_is_scanned(rsql: str) -> None:
    assert exact_terms(rsql, COMPUTER_KEYS) is None
