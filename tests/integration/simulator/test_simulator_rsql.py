"""The simulator's RSQL parser and compiler: precedence, quoting, escapes, wildcards, types, errors."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamf_mcp.simulator.rsql import And, Comparison, Field, Kind, Or, RsqlError, parse, quote
from jamf_mcp.simulator.rsql_compile import compile_filter

FIELDS = {
    "name": Field(Kind.STRING, lambda r: r.get("name")),
    "n": Field(Kind.NUMBER, lambda r: r.get("n")),
    "ok": Field(Kind.BOOLEAN, lambda r: r.get("ok")),
    "seen": Field(Kind.DATE, lambda r: r.get("seen")),
}
JAN_1 = 1_767_225_600_000  # 2026-01-01T00:00:00Z


def matches(text: str, *records: dict[str, Any]) -> list[int]:
    predicate = compile_filter(text, FIELDS)
    return [i for i, record in enumerate(records) if predicate(record)]


def test_and_binds_tighter_than_or() -> None:
    tree = parse("a==1,b==2;c==3")
    assert isinstance(tree, Or)
    assert isinstance(tree.children[1], And)


def test_word_operators_parse_like_symbols() -> None:
    assert parse("a==1 or b==2 and c==3") == parse("a==1,b==2;c==3")


def test_parentheses_override_precedence() -> None:
    tree = parse("(a==1,b==2);c==3")
    assert isinstance(tree, And)
    assert isinstance(tree.children[0], Or)


def test_fiql_and_symbol_operators_are_the_same() -> None:
    for symbol, word in (("<", "=lt="), ("<=", "=le="), (">", "=gt="), (">=", "=ge=")):
        assert parse(f"n{symbol}5") == parse(f"n{word}5")


def test_in_and_out_take_parenthesised_lists() -> None:
    tree = parse("n=in=(1, 2,3)")
    assert isinstance(tree, Comparison)
    assert [v.text for v in tree.values] == ["1", "2", "3"]
    assert matches("n=out=(1,2)", {"n": 1}, {"n": 3}) == [1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"a \\"quoted\\" word"', 'a "quoted" word'),
        ("'it\\'s'", "it's"),
        ('"back\\\\slash"', "back\\slash"),
        ("'double \" inside single'", 'double " inside single'),
    ],
)
def test_quoted_values_unescape_backslashes(text: str, expected: str) -> None:
    tree = parse(f"name=={text}")
    assert isinstance(tree, Comparison)
    assert tree.values[0].text == expected


def test_escaped_asterisk_is_a_literal_not_a_wildcard() -> None:
    records = ({"name": "a*b"}, {"name": "axxb"})
    assert matches('name=="a\\*b"', *records) == [0]
    assert matches('name=="a*b"', *records) == [0, 1]


def test_wildcards_match_any_run_of_characters_case_insensitively() -> None:
    records = ({"name": "Sales-MBP-07"}, {"name": "Engineering-Mac-12"}, {"name": "sales"})
    assert matches('name=="sales*"', *records) == [0, 2]
    assert matches("name==*MAC*", *records) == [1]
    assert matches('name!="*mbp*"', *records) == [1, 2]


def test_string_equality_ignores_case() -> None:
    assert matches('name=="JOHN smith"', {"name": "John Smith"}, {"name": "John Smithers"}) == [0]


def test_booleans_and_numbers_compare_by_type() -> None:
    records = ({"ok": True, "n": 10}, {"ok": False, "n": 2})
    assert matches("ok==true", *records) == [0]
    assert matches("ok==FALSE;n<5", *records) == [1]
    assert matches("n>=10", *records) == [0]


def test_dates_need_utc_with_z() -> None:
    records = ({"seen": JAN_1 - 1}, {"seen": JAN_1})
    assert matches("seen<2026-01-01T00:00:00Z", *records) == [0]
    assert matches('seen>="2026-01-01T00:00:00.000Z"', *records) == [1]
    with pytest.raises(RsqlError, match=r"Date \[2026-01-01T00:00:00\+00:00\] does not match"):
        compile_filter('seen<"2026-01-01T00:00:00+00:00"', FIELDS)


@pytest.mark.parametrize(
    "date",
    ["\u0662\u0660\u0662\u0666-01-01T00:00:00Z", "2026-01-0\u0661", "2026-01-01T00:00:00.\u0665Z"],
)
def test_dates_written_with_non_ascii_digits_are_refused(date: str) -> None:
    with pytest.raises(RsqlError, match="does not match any of supported formats"):
        compile_filter(f'seen<"{date}"', FIELDS)


def test_null_values_never_match_any_comparison() -> None:
    for text in ('name=="x"', 'name!="x"', "name=out=(x)", "seen<2030-01-01T00:00:00Z", "ok!=true"):
        assert matches(text, {}) == []


def test_fields_outside_the_whitelist_are_rejected() -> None:
    with pytest.raises(RsqlError) as error:
        compile_filter("security.sipStatus==ENABLED", FIELDS)
    assert error.value.code == "INVALID_FIELD"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "name",
        "name==",
        "name=='open",
        "(name==a",
        "name==a;",
        "name=foo=a",
        "name==a b",
        "n=in=1",
    ],
)
def test_syntax_errors_are_rejected(text: str) -> None:
    with pytest.raises(RsqlError):
        compile_filter(text, FIELDS)


def test_ordering_operators_are_refused_for_booleans() -> None:
    with pytest.raises(RsqlError):
        compile_filter("ok>true", FIELDS)


@given(st.text(max_size=30), st.lists(st.text(max_size=30), max_size=5))
def test_a_quoted_literal_matches_exactly_the_records_equal_to_it(
    literal: str, others: list[str]
) -> None:
    candidates = [literal, literal.upper(), literal + "x", "x" + literal, *others]
    records = [{"name": value} for value in candidates]
    found = matches(f"name=={quote(literal)}", *records)
    assert found == [
        i for i, value in enumerate(candidates) if value.casefold() == literal.casefold()
    ]
