"""Line framing of the stdio transport: input split into messages, one line per output message."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jamf_mcp.adapters.stdio import LineSplitter, OversizedLine, encode_line


def test_splits_a_chunk_into_its_lines() -> None:
    splitter = LineSplitter(100)

    assert splitter.feed(b'{"a":1}\n{"b":2}\n') == [b'{"a":1}', b'{"b":2}']


def test_joins_a_line_that_arrives_in_pieces() -> None:
    splitter = LineSplitter(100)

    assert splitter.feed(b'{"jsonrpc":') == []
    assert splitter.feed(b'"2.0",') == []
    assert splitter.feed(b'"id":1}\n{"x"') == [b'{"jsonrpc":"2.0","id":1}']
    assert splitter.feed(b":2}\n") == [b'{"x":2}']


def test_drops_the_carriage_return_of_crlf_line_endings() -> None:
    splitter = LineSplitter(100)

    assert splitter.feed(b"one\r\ntwo\r") == [b"one"]
    assert splitter.feed(b"\n") == [b"two"]


def test_skips_blank_and_whitespace_only_lines() -> None:
    splitter = LineSplitter(100)

    assert splitter.feed(b"\n\r\n  \t \none\n\n") == [b"one"]


def test_keeps_garbage_lines_for_the_core_to_answer() -> None:
    splitter = LineSplitter(100)

    assert splitter.feed(b"not json at all\n") == [b"not json at all"]


def test_accepts_a_line_of_exactly_the_limit() -> None:
    splitter = LineSplitter(5)

    assert splitter.feed(b"12345\r\n") == [b"12345"]


def test_turns_a_line_over_the_limit_into_one_marker_and_goes_on() -> None:
    splitter = LineSplitter(5)

    assert splitter.feed(b"123456\nok\n") == [OversizedLine(6, 5), b"ok"]


def test_discards_an_oversized_line_that_spans_many_chunks_without_keeping_it() -> None:
    splitter = LineSplitter(8)

    assert splitter.feed(b"x" * 6) == []
    assert splitter.feed(b"x" * 6) == []
    assert splitter.feed(b"x" * 1000) == []
    assert splitter.feed(b"xx\nnext\n") == [OversizedLine(1014, 8), b"next"]


def test_hands_over_an_unterminated_last_line_at_the_end_of_input() -> None:
    splitter = LineSplitter(100)
    splitter.feed(b"first\nlast")

    assert splitter.finish() == [b"last"]
    assert splitter.finish() == []


def test_reports_an_unterminated_oversized_last_line_at_the_end_of_input() -> None:
    splitter = LineSplitter(3)
    splitter.feed(b"abcdef")

    assert splitter.finish() == [OversizedLine(6, 3)]


def test_refuses_a_limit_below_one_byte() -> None:
    with pytest.raises(ValueError):
        LineSplitter(0)


def test_encodes_a_message_as_exactly_one_line() -> None:
    assert encode_line(b'{"jsonrpc":"2.0","id":1,"result":{}}') == (
        b'{"jsonrpc":"2.0","id":1,"result":{}}\n'
    )


def test_encoding_drops_raw_line_breaks_which_json_allows_only_as_whitespace() -> None:
    pretty = json.dumps({"jsonrpc": "2.0", "id": 1, "result": {"text": "a\nb"}}, indent=2)

    line = encode_line(pretty.encode())

    assert line.count(b"\n") == 1 and line.endswith(b"\n")
    assert json.loads(line) == {"jsonrpc": "2.0", "id": 1, "result": {"text": "a\nb"}}


messages = st.lists(
    st.binary(min_size=1, max_size=40).filter(lambda b: b"\n" not in b and b"\r" not in b),
    max_size=8,
)


@given(messages=messages, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=10))
def test_any_chunking_of_the_input_yields_the_same_messages(
    messages: list[bytes], cuts: list[int]
) -> None:
    stream = b"".join(message + b"\n" for message in messages)
    points = sorted({0, len(stream), *(cut % (len(stream) + 1) for cut in cuts)})
    splitter = LineSplitter(64)

    frames = [f for a, b in itertools.pairwise(points) for f in splitter.feed(stream[a:b])]
    frames += splitter.finish()

    assert frames == [message for message in messages if message.strip()]


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=10,
    )
)
def test_an_encoded_message_comes_back_whole_through_the_splitter(value: object) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "result": {"value": value}}, indent=1).encode()
    splitter = LineSplitter(1 << 20)

    [frame] = splitter.feed(encode_line(body))

    assert isinstance(frame, bytes)
    assert json.loads(frame) == json.loads(body)
