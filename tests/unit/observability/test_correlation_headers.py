"""`X-Request-ID` acceptance and W3C `traceparent` validation."""

from __future__ import annotations

import pytest

from jamf_mcp.adapters.asgi_observability.headers import (
    accepted_request_id,
    parse_traceparent,
)

VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.mark.parametrize("value", ["abc-123", "x" * 128, "!~#$%&'*+.^_`|", "req:42/a=b"])
def test_accepts_a_request_id_of_visible_ascii_up_to_128_characters(value: str) -> None:
    assert accepted_request_id(value) == value


@pytest.mark.parametrize(
    "value", [None, "", "x" * 129, "has space", "tab\there", "line\n", "naïve", "\x7f", "a\x00"]
)
def test_replaces_a_missing_or_unacceptable_request_id_with_a_fresh_one(value: str | None) -> None:
    replaced = accepted_request_id(value)
    assert replaced != value
    assert len(replaced) == 32
    assert int(replaced, 16) >= 0
    assert accepted_request_id(value) != replaced


def test_parses_a_valid_traceparent_and_keeps_the_header_verbatim() -> None:
    parsed = parse_traceparent(VALID)
    assert parsed is not None
    assert parsed.trace_id == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert parsed.parent_id == "00f067aa0ba902b7"
    assert parsed.header == VALID


def test_a_future_version_may_append_fields() -> None:
    future = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra"
    parsed = parse_traceparent(future)
    assert parsed is not None
    assert parsed.header == future


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "garbage",
        VALID.upper(),
        VALID + "-extra",  # version 00 allows nothing after the flags
        VALID + "\n",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1",
        "0-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    ],
)
def test_rejects_an_invalid_traceparent(value: str | None) -> None:
    assert parse_traceparent(value) is None
