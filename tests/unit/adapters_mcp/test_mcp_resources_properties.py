"""Properties of resource URIs and list cursors: strict id matching and cursor round trips."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from jamf_mcp.adapters.mcp.resources import ResourceTemplate
from jamf_mcp.adapters.mcp.resources_paging import decode_cursor, encode_cursor
from jamf_mcp.domain.principal import Principal


async def _never_read(variables: Mapping[str, str], principal: Principal) -> Any:
    raise AssertionError("not called")


COMPUTERS = ResourceTemplate("jamf://computers/{id}", "c", "C", "A computer.", _never_read)


@given(st.text(max_size=40))
def test_only_plain_ascii_ids_ever_match_a_template(tail: str) -> None:
    match = COMPUTERS.compile().fullmatch(f"jamf://computers/{tail}")

    if match is not None:
        jamf_id = match.group("id")
        assert jamf_id == tail and jamf_id.isascii() and jamf_id.isdigit()
        assert not jamf_id.startswith("0")


@given(st.integers(1, 10_000), st.integers(1, 1_000))
def test_a_cursor_stands_for_the_offset_it_was_made_for(offset: int, more: int) -> None:
    assert decode_cursor("resources", encode_cursor("resources", offset), offset + more) == offset


@given(st.text(max_size=60))
def test_any_other_text_is_refused_as_a_cursor_or_decodes_in_range(text: str) -> None:
    try:
        offset = decode_cursor("resources", text, 100)
    except ValueError:
        return
    assert 0 < offset < 100
