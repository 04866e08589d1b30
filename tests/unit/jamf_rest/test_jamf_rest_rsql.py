"""RSQL built from domain queries: quoting, escaping, grouping, dates and identifier lookups."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from jamf_mcp.adapters.jamf_rest.listing import MOBILE_FIELDS, computer_fields
from jamf_mcp.adapters.jamf_rest.rsql import (
    Resolved,
    device_filter,
    escape,
    identifier_filter,
    names_in,
    rsql_datetime,
)
from jamf_mcp.adapters.jamf_rest.version import ComputersApi
from jamf_mcp.domain.queries import DeviceQuery
from jamf_mcp.simulator import rsql as simulator_rsql

COMPUTERS = computer_fields(ComputersApi(3))
NOTHING = Resolved()

nasty_text = st.lists(
    st.sampled_from([*"ab Z0\"'*,;()\\=<>!~", " or ", " and ", "é", "ß", "漢", "\t"]),
    min_size=1,
    max_size=12,
).map("".join)


def split_top_level(filter_text: str, separator: str) -> list[str]:
    """Split on `separator` outside quotes and parentheses (a minimal RSQL structure checker)."""
    parts, current, depth, inside, escaped = [], "", 0, False, False
    for char in filter_text:
        if escaped:
            escaped = False
        elif inside and char == "\\":
            escaped = True
        elif char == '"':
            inside = not inside
        elif not inside and char == "(":
            depth += 1
        elif not inside and char == ")":
            depth -= 1
        elif not inside and depth == 0 and char == separator:
            parts.append(current)
            current = ""
            continue
        current += char
    assert not inside and depth == 0, f"unbalanced filter: {filter_text!r}"
    parts.append(current)
    return parts


def unquote(value: str) -> tuple[str, list[int]]:
    """Decode a double-quoted value; return the literal text and the positions of bare `*`s."""
    assert value.startswith('"') and value.endswith('"'), value
    body, out, wildcards, index = value[1:-1], [], [], 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            out.append(body[index + 1])
            index += 2
            continue
        assert char != '"', f"unescaped quote in {value!r}"
        if char == "*":
            wildcards.append(len(out))
        else:
            out.append(char)
        index += 1
    return "".join(out), wildcards


def test_escapes_backslash_quote_and_star_so_they_are_literal() -> None:
    assert escape('a\\b"c*d') == 'a\\\\b\\"c\\*d'


def test_text_search_is_one_or_group_over_the_six_computer_fields() -> None:
    rsql = device_filter(DeviceQuery(text="John Smith"), COMPUTERS, NOTHING)
    assert rsql == (
        '(general.name=="*John Smith*",hardware.serialNumber=="*John Smith*",'
        'general.assetTag=="*John Smith*",userAndLocation.username=="*John Smith*",'
        'userAndLocation.realname=="*John Smith*",userAndLocation.email=="*John Smith*")'
    )


@given(nasty_text)
def test_any_search_text_becomes_a_single_or_group_of_literal_substring_matches(text: str) -> None:
    rsql = device_filter(DeviceQuery(text=text), COMPUTERS, NOTHING)
    assert rsql is not None
    assert split_top_level(rsql, ";") == [rsql], "the text must not add an AND"
    assert rsql.startswith("(") and rsql.endswith(")")
    comparisons = split_top_level(rsql[1:-1], ",")
    assert [c.split("==", 1)[0] for c in comparisons] == list(COMPUTERS.text)
    for comparison in comparisons:
        literal, wildcards = unquote(comparison.split("==", 1)[1])
        assert literal == text
        assert wildcards == [0, len(text)], "only our own leading and trailing wildcards"


@given(nasty_text)
def test_the_simulator_parser_reads_the_text_group_as_one_or_of_literals(text: str) -> None:
    rsql = device_filter(DeviceQuery(text=text), MOBILE_FIELDS, NOTHING)
    assert rsql is not None
    node = simulator_rsql.parse(rsql)
    assert isinstance(node, simulator_rsql.Or)
    for comparison in node.children:
        assert isinstance(comparison, simulator_rsql.Comparison)
        (value,) = comparison.values
        assert value.parts == (simulator_rsql.WILDCARD, text, simulator_rsql.WILDCARD)


def test_criteria_are_anded_and_any_of_branches_are_ored_in_parentheses() -> None:
    cutoff = datetime(2026, 1, 2, 3, 4, 5, 678_000, tzinfo=UTC)
    query = DeviceQuery(
        checked_in_before=cutoff,
        any_of=(DeviceQuery(department="Sales"), DeviceQuery(department="IT", building="HQ")),
    )
    resolved = Resolved(departments={"sales": "3", "it": "4"}, buildings={"hq": "1"})
    rsql = device_filter(query, COMPUTERS, resolved)
    assert rsql == (
        'general.lastContactTime=lt="2026-01-02T03:04:05.678Z";'
        '(userAndLocation.departmentId=="3",'
        '(userAndLocation.departmentId=="4";userAndLocation.buildingId=="1"))'
    )


def test_an_any_of_branch_that_matches_everything_drops_the_group() -> None:
    query = DeviceQuery(text="x", any_of=(DeviceQuery(), DeviceQuery(department="Sales")))
    rsql = device_filter(query, MOBILE_FIELDS, Resolved(departments={"sales": "Sales"}))
    assert rsql is not None and "department" not in rsql


def test_an_empty_query_has_no_filter() -> None:
    assert device_filter(DeviceQuery(), COMPUTERS, NOTHING) is None


def test_v4_filters_check_in_on_last_contact() -> None:
    since = datetime(2026, 3, 1, tzinfo=UTC)
    rsql = device_filter(
        DeviceQuery(checked_in_since=since), computer_fields(ComputersApi(4)), NOTHING
    )
    assert rsql == 'general.lastContact=ge="2026-03-01T00:00:00.000Z"'


def test_dates_are_converted_to_utc_with_milliseconds_and_z() -> None:
    local = datetime(2026, 5, 1, 2, 0, 0, 999_999, tzinfo=timezone(timedelta(hours=2)))
    assert rsql_datetime(local) == "2026-05-01T00:00:00.999Z"
    assert rsql_datetime(datetime(2026, 5, 1)) == "2026-05-01T00:00:00.000Z"


def test_identifier_lookup_adds_the_id_only_for_numeric_identifiers() -> None:
    fields = ("hardware.serialNumber", "general.name")
    assert identifier_filter("123", id_field="id", exact_fields=fields) == (
        '(id=="123",hardware.serialNumber=="123",general.name=="123")'
    )
    assert identifier_filter('MAC "1"*', id_field="id", exact_fields=fields) == (
        '(hardware.serialNumber=="MAC \\"1\\"\\*",general.name=="MAC \\"1\\"\\*")'
    )


def test_names_in_collects_departments_and_buildings_from_every_branch() -> None:
    query = DeviceQuery(
        department="A", any_of=(DeviceQuery(building="B"), DeviceQuery(department="C"))
    )
    assert names_in(query) == ({"A", "C"}, {"B"})


NON_ASCII_DIGITS = st.text(
    st.characters(categories=["Nd", "No"], exclude_characters="0123456789"), min_size=1
)


@pytest.mark.parametrize("identifier", ["\u0663", "12\u0663", "\u00b2", "\uff11\uff12"])
def test_non_ascii_digits_are_not_taken_for_a_jamf_id(identifier: str) -> None:
    # Arabic-Indic three, a superscript two and fullwidth digits pass str.isdigit(); Jamf ids are
    # ASCII numbers, so such text is only ever compared with the name and serial fields.
    assert identifier_filter(identifier, id_field="id", exact_fields=("general.name",)) == (
        f'general.name=="{identifier}"'
    )


@given(st.tuples(st.text("0123456789", min_size=1), NON_ASCII_DIGITS).map("".join))
def test_an_identifier_with_any_non_ascii_digit_never_becomes_an_id_lookup(identifier: str) -> None:
    rsql = identifier_filter(identifier, id_field="id", exact_fields=("udid",))
    assert rsql == f"udid=={simulator_rsql.quote(identifier)}"


@given(st.text("0123456789", min_size=1))
def test_an_ascii_number_is_also_looked_up_as_the_jamf_id(identifier: str) -> None:
    rsql = identifier_filter(identifier, id_field="id", exact_fields=("udid",))
    assert rsql == f'(id=="{identifier}",udid=="{identifier}")'


def test_a_single_term_is_never_parenthesised_and_no_term_is_no_filter() -> None:
    assert identifier_filter("MAC-1", id_field="id", exact_fields=("general.name",)) == (
        'general.name=="MAC-1"'
    )
    assert identifier_filter("7", id_field="id", exact_fields=()) == 'id=="7"'
    assert identifier_filter("MAC-1", id_field="id", exact_fields=()) is None
    assert identifier_filter("7", id_field=None, exact_fields=()) is None


def test_a_one_branch_any_of_is_the_branch_itself() -> None:
    resolved = Resolved(departments={"sales": "3"}, buildings={"hq": "1"})
    one = DeviceQuery(any_of=(DeviceQuery(department="Sales"),))
    assert device_filter(one, COMPUTERS, resolved) == 'userAndLocation.departmentId=="3"'
    anded = DeviceQuery(any_of=(DeviceQuery(department="Sales", building="HQ"),))
    assert device_filter(anded, COMPUTERS, resolved) == (
        '(userAndLocation.departmentId=="3";userAndLocation.buildingId=="1")'
    )


def test_a_search_over_one_text_field_is_a_bare_comparison() -> None:
    fields = attrs.evolve(MOBILE_FIELDS, text=("displayName",))
    assert device_filter(DeviceQuery(text="ipad"), fields, NOTHING) == 'displayName=="*ipad*"'
    assert device_filter(DeviceQuery(text="ipad"), attrs.evolve(fields, text=()), NOTHING) is None


@given(first=nasty_text, second=nasty_text)
@example(first='R";D', second="Sales;IT")
def test_or_ed_department_names_with_any_text_parse_back_as_two_exact_comparisons(
    first: str, second: str
) -> None:
    # Mobile filters compare department names, so user text (quotes, `;`, backslashes) lands in
    # the filter; a `;` inside a quoted name must not be taken for an AND needing parentheses.
    assume(first.casefold() != second.casefold())
    resolved = Resolved(departments={first.casefold(): first, second.casefold(): second})
    query = DeviceQuery(any_of=(DeviceQuery(department=first), DeviceQuery(department=second)))
    rsql = device_filter(query, MOBILE_FIELDS, resolved)
    quote = simulator_rsql.quote
    assert rsql == f"(department=={quote(first)},department=={quote(second)})"
    node = simulator_rsql.parse(rsql)
    assert isinstance(node, simulator_rsql.Or)
    assert [c.values[0].parts for c in node.children] == [(first,), (second,)]


def test_naive_dates_mean_utc_whatever_the_servers_time_zone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert rsql_datetime(datetime(2026, 5, 1)) == "2026-05-01T00:00:00.000Z"
        aware = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
        assert rsql_datetime(aware) == "2026-05-01T09:30:00.000Z"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_an_and_branch_whose_value_holds_an_escaped_quote_is_still_parenthesised() -> None:
    resolved = Resolved(departments={'r"d': 'R"D', "it": "IT"}, buildings={"hq": "HQ"})
    query = DeviceQuery(
        any_of=(DeviceQuery(department='R"D', building="HQ"), DeviceQuery(department="IT"))
    )
    assert device_filter(query, MOBILE_FIELDS, resolved) == (
        '((department=="R\\"D";building=="HQ"),department=="IT")'
    )
