"""Compile a parsed RSQL filter into a predicate over records, checking fields against a whitelist."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from jamf_mcp.simulator.rsql import (
    WILDCARD,
    And,
    Comparison,
    Field,
    Kind,
    Node,
    Or,
    RsqlError,
    Value,
    parse,
    parse_date,
)

Predicate = Callable[[Any], bool]
_ORDERING = ("<", "<=", ">", ">=")


def compile_filter(text: str, fields: Mapping[str, Field]) -> Predicate:
    """Parse ``text`` and compile it; raises ``RsqlError`` for bad syntax, fields or values."""
    return compile_node(parse(text), fields)


def compile_node(node: Node, fields: Mapping[str, Field]) -> Predicate:
    """Compile a parsed filter. Null field values never match any comparison."""
    if isinstance(node, And):
        preds = [compile_node(child, fields) for child in node.children]
        return lambda record: all(pred(record) for pred in preds)
    if isinstance(node, Or):
        preds = [compile_node(child, fields) for child in node.children]
        return lambda record: any(pred(record) for pred in preds)
    return _comparison(node, fields)


def _comparison(node: Comparison, fields: Mapping[str, Field]) -> Predicate:
    field = fields.get(node.selector)
    if field is None:
        raise RsqlError(
            f"Invalid field {node.selector} in filter expression", "INVALID_FIELD", node.selector
        )
    if field.kind is Kind.STRING:
        test = _string_test(node)
    elif field.kind is Kind.BOOLEAN:
        test = _boolean_test(node)
    else:
        test = _ordered_test(node, field.kind)
    get = field.get

    def predicate(record: Any) -> bool:
        value = get(record)
        return value is not None and test(value)

    return predicate


def _string_matcher(value: Value) -> Callable[[str], bool]:
    if not value.has_wildcard:
        target = value.text.casefold()
        return lambda actual: actual.casefold() == target
    parts = value.parts
    if (
        len(parts) == 3
        and parts[0] is WILDCARD
        and parts[2] is WILDCARD
        and parts[1] is not WILDCARD
    ):  # "*text*", the common substring search: no regex needed
        needle = str(parts[1]).casefold()
        return lambda actual: needle in actual.casefold()
    pattern = "".join(
        ".*" if part is WILDCARD else re.escape(str(part).casefold()) for part in value.parts
    )
    regex = re.compile(pattern, re.DOTALL)
    return lambda actual: regex.fullmatch(actual.casefold()) is not None


def _string_test(node: Comparison) -> Callable[[Any], bool]:
    op = node.operator
    if op in ("==", "!="):
        match = _string_matcher(node.values[0])
        if op == "==":
            return lambda actual: match(str(actual))
        return lambda actual: not match(str(actual))
    if op in ("in", "out"):
        matchers = [_string_matcher(v) for v in node.values]
        if op == "in":
            return lambda actual: any(m(str(actual)) for m in matchers)
        return lambda actual: not any(m(str(actual)) for m in matchers)
    target = node.values[0].text.casefold()
    return _ordering(op, target, lambda actual: str(actual).casefold())


def _boolean_test(node: Comparison) -> Callable[[Any], bool]:
    if node.operator in _ORDERING:
        raise RsqlError(
            f"Operator {node.operator} is not supported for boolean field {node.selector}",
            "INVALID_FIELD",
            node.selector,
        )
    wanted = set()
    for value in node.values:
        text = value.text.lower()
        if text not in ("true", "false"):
            raise RsqlError(f"Invalid boolean value [{value.text}]", "INVALID_FIELD", node.selector)
        wanted.add(text == "true")
    if node.operator in ("==", "in"):
        return lambda actual: bool(actual) in wanted
    return lambda actual: bool(actual) not in wanted


def _ordered_test(node: Comparison, kind: Kind) -> Callable[[Any], bool]:
    targets = [_convert(value, kind, node.selector) for value in node.values]
    op = node.operator
    if op == "in":
        allowed = set(targets)
        return lambda actual: actual in allowed
    if op == "out":
        refused = set(targets)
        return lambda actual: actual not in refused
    if op == "==":
        return lambda actual: actual == targets[0]
    if op == "!=":
        return lambda actual: actual != targets[0]
    return _ordering(op, targets[0], lambda actual: actual)


def _ordering(op: str, target: Any, key: Callable[[Any], Any]) -> Callable[[Any], bool]:
    if op == "<":
        return lambda actual: bool(key(actual) < target)
    if op == "<=":
        return lambda actual: bool(key(actual) <= target)
    if op == ">":
        return lambda actual: bool(key(actual) > target)
    return lambda actual: bool(key(actual) >= target)


def _convert(value: Value, kind: Kind, selector: str) -> float | int:
    if value.has_wildcard:
        raise RsqlError(
            f"Wildcards are not supported for field {selector}", "INVALID_FIELD", selector
        )
    if kind is Kind.DATE:
        return parse_date(value.text)
    try:
        return int(value.text)
    except ValueError:
        try:
            return float(value.text)
        except ValueError:
            raise RsqlError(
                f"Invalid numeric value [{value.text}] for field {selector}",
                "INVALID_FIELD",
                selector,
            ) from None
