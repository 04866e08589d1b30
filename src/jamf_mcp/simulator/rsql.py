"""A real parser and compiler for the RSQL subset Jamf Pro accepts in ``filter``.

Grammar (``and``/``;`` bind tighter than ``or``/``,``)::

    or_expr    := and_expr (("," | " or ") and_expr)*
    and_expr   := primary ((";" | " and ") primary)*
    primary    := "(" or_expr ")" | comparison
    comparison := selector operator argument
    argument   := value | "(" value ("," value)* ")"
    value      := unquoted | '"' chars '"' | "'" chars "'"

In quoted values a backslash escapes the next character (``\\*`` is a literal asterisk); an
unescaped ``*`` in a ``==``/``!=`` string value is a wildcard.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import attrs

OPERATORS = {
    "==": "==", "!=": "!=", "<": "<", "=lt=": "<", "<=": "<=", "=le=": "<=",
    ">": ">", "=gt=": ">", ">=": ">=", "=ge=": ">=", "=in=": "in", "=out=": "out",
}  # fmt: skip
_RESERVED = set("\"'();,=!~<> \t\r\n")
_SELECTOR = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
# ASCII digits only: an assumption (Jamf does not document it) taken from Java's ISO date
# parsing, whose standard DecimalStyle reads '0'-'9' alone; Python's `\d` would also read '٣'.
_ISO_UTC = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?Z)?", re.ASCII
)


class RsqlError(ValueError):
    """A filter Jamf would answer with 400; ``code`` goes into the ApiError body."""

    def __init__(self, description: str, code: str = "INVALID_FILTER", field: str | None = None):
        super().__init__(description)
        self.description = description
        self.code = code
        self.field = field


class Kind(enum.Enum):
    """How a field's values compare."""

    STRING = "string"
    NUMBER = "number"
    BOOLEAN = "boolean"
    DATE = "date"


@attrs.frozen
class Field:
    """A filterable field: its kind and how to read it from a record (``None`` = null)."""

    kind: Kind
    get: Callable[[Any], Any]


WILDCARD = object()


@attrs.frozen
class Value:
    """One argument: the unescaped text and its parts (strings and ``WILDCARD`` markers)."""

    text: str
    parts: tuple[object, ...]

    @property
    def has_wildcard(self) -> bool:
        return any(part is WILDCARD for part in self.parts)


@attrs.frozen
class Comparison:
    selector: str
    operator: str  # normalized: == != < <= > >= in out
    values: tuple[Value, ...]


@attrs.frozen
class And:
    children: tuple[Node, ...]


@attrs.frozen
class Or:
    children: tuple[Node, ...]


Node = Comparison | And | Or


def quote(text: str) -> str:
    """Quote a literal so that it matches exactly (no wildcard) inside a filter."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("*", "\\*")
    return f'"{escaped}"'


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str) -> RsqlError:
        return RsqlError(f"Invalid RSQL filter at position {self.pos}: {message}")

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def keyword(self, word: str) -> bool:
        """Consume `` <word> `` (whitespace on both sides) if it comes next."""
        if self.pos == 0 or not self.text[self.pos - 1].isspace():
            return False
        end = self.pos + len(word)
        if (
            self.text[self.pos : end].lower() == word
            and end < len(self.text)
            and self.text[end].isspace()
        ):
            self.pos = end
            return True
        return False

    def parse(self) -> Node:
        self.skip_space()
        if self.pos >= len(self.text):
            raise self.fail("empty filter")
        node = self.or_expr()
        self.skip_space()
        if self.pos != len(self.text):
            raise self.fail(f"unexpected {self.text[self.pos]!r}")
        return node

    def or_expr(self) -> Node:
        children = [self.and_expr()]
        while True:
            self.skip_space()
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.keyword("or"):
                break
            children.append(self.and_expr())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self) -> Node:
        children = [self.primary()]
        while True:
            self.skip_space()
            if self.text.startswith(";", self.pos):
                self.pos += 1
            elif not self.keyword("and"):
                break
            children.append(self.primary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def primary(self) -> Node:
        self.skip_space()
        if self.text.startswith("(", self.pos):
            self.pos += 1
            node = self.or_expr()
            self.skip_space()
            if not self.text.startswith(")", self.pos):
                raise self.fail("missing ')'")
            self.pos += 1
            return node
        return self.comparison()

    def comparison(self) -> Comparison:
        match = _SELECTOR.match(self.text, self.pos)
        if match is None:
            raise self.fail("expected a field name")
        self.pos = match.end()
        self.skip_space()
        operator = self.operator()
        self.skip_space()
        if operator in ("in", "out"):
            if not self.text.startswith("(", self.pos):
                raise self.fail("=in=/=out= need a parenthesised list")
            self.pos += 1
            values = [self.value()]
            self.skip_space()
            while self.text.startswith(",", self.pos):
                self.pos += 1
                values.append(self.value())
                self.skip_space()
            if not self.text.startswith(")", self.pos):
                raise self.fail("missing ')' after the value list")
            self.pos += 1
            return Comparison(match.group(), operator, tuple(values))
        return Comparison(match.group(), operator, (self.value(),))

    def operator(self) -> str:
        for token in ("==", "!=", "<=", ">=", "<", ">"):
            if self.text.startswith(token, self.pos):
                self.pos += len(token)
                return OPERATORS[token]
        fiql = re.compile(r"=[a-z]+=").match(self.text, self.pos)
        if fiql is not None and fiql.group() in OPERATORS:
            self.pos = fiql.end()
            return OPERATORS[fiql.group()]
        raise self.fail("expected a comparison operator")

    def value(self) -> Value:
        self.skip_space()
        if self.pos >= len(self.text):
            raise self.fail("expected a value")
        quote_char = self.text[self.pos]
        if quote_char in "\"'":
            return self.quoted(quote_char)
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _RESERVED:
            self.pos += 1
        if self.pos == start:
            raise self.fail("expected a value")
        raw = self.text[start : self.pos]
        pieces = raw.split("*")
        parts: list[object] = []
        for i, piece in enumerate(pieces):
            if i:
                parts.append(WILDCARD)
            if piece:
                parts.append(piece)
        return Value(raw, tuple(parts))

    def quoted(self, quote_char: str) -> Value:
        self.pos += 1
        parts: list[object] = []
        literal: list[str] = []
        text: list[str] = []
        while True:
            if self.pos >= len(self.text):
                raise self.fail("unterminated quoted value")
            char = self.text[self.pos]
            self.pos += 1
            if char == quote_char:
                break
            if char == "\\":
                if self.pos >= len(self.text):
                    raise self.fail("dangling backslash")
                char = self.text[self.pos]
                self.pos += 1
                literal.append(char)
                text.append(char)
            elif char == "*":
                if literal:
                    parts.append("".join(literal))
                    literal = []
                parts.append(WILDCARD)
                text.append(char)
            else:
                literal.append(char)
                text.append(char)
        if literal:
            parts.append("".join(literal))
        return Value("".join(text), tuple(parts))


def parse(text: str) -> Node:
    """Parse a filter into a tree; raises ``RsqlError`` on bad syntax."""
    return _Parser(text).parse()


def parse_date(text: str) -> int:
    """Epoch ms of an ISO-8601 UTC date (``Z`` suffix, or a bare date); offsets are refused."""
    match = _ISO_UTC.fullmatch(text)
    if match is None:
        raise RsqlError(f"Date [{text}] does not match any of supported formats", "INVALID_FIELD")
    year, month, day, hour, minute, second, fraction = match.groups()
    try:
        instant = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=UTC,
        )
    except ValueError as exc:
        raise RsqlError(
            f"Date [{text}] does not match any of supported formats", "INVALID_FIELD"
        ) from exc
    millis = int((fraction or "0")[:3].ljust(3, "0"))
    return int(instant.timestamp()) * 1000 + millis
