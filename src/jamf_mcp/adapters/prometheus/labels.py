"""Label values with a bound: every label a caller can influence collapses into a fixed set.

Prometheus keeps one time series per label combination, so a label fed from a request (a tool
name, a JSON-RPC method, a Jamf path with a serial number in it) must never take arbitrary
values. Anything unexpected becomes `other`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable

OTHER = "other"
"""The value every unknown or unexpected label collapses into."""

HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
SSE_TRANSPORTS = frozenset({"streamable", "get", "legacy_sse"})
RATE_LIMIT_SCOPES = frozenset({"principal", "ip", "client", "token_ip"})
RPC_METHODS = frozenset(
    {
        "initialize",
        "ping",
        "server/discover",
        "logging/setLevel",
        "tools/list",
        "tools/call",
        "resources/list",
        "resources/read",
        "resources/templates/list",
        "resources/subscribe",
        "resources/unsubscribe",
        "prompts/list",
        "prompts/get",
        "completion/complete",
        "notifications/initialized",
        "notifications/cancelled",
        "notifications/progress",
        "notifications/roots/list_changed",
        "response",
        "invalid",
    }
)
"""MCP methods worth a series of their own; `response` is a client's answer to our request,
`invalid` a body that is not one JSON-RPC message."""

_JSONRPC_RESERVED = range(-32768, -31999)
_CODE_WORD = re.compile(r"^-?[a-z0-9][a-z0-9_]{0,31}\Z")
_PLAIN_SEGMENT = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,47}\Z")
_HAS_DIGIT_RUN = re.compile(r"\d{3,}")
_HEX_ID = re.compile(r"^[0-9A-Fa-f-]{16,}\Z")
_CLASSIC_LOOKUP_KEYS = frozenset(
    {"id", "name", "serialnumber", "udid", "uuid", "macaddress", "username", "email", "match"}
)
"""Classic API segments (`/JSSResource/computers/serialnumber/C02…`) whose next segment is a
value, however plain it looks."""


def one_of(value: str, allowed: frozenset[str]) -> str:
    """`value` when it is in `allowed`, else `other`."""
    return value if value in allowed else OTHER


def http_method(method: str) -> str:
    """A standard HTTP method, upper case, or `other`."""
    return one_of(method.upper(), HTTP_METHODS)


def http_status(status: int) -> str:
    """The status code as text, or `other` outside 100 to 599."""
    return str(status) if 100 <= status <= 599 else OTHER


def jsonrpc_code(code: int) -> str:
    """A code in JSON-RPC's reserved range (-32768 … -32000) as text, else `other`."""
    return str(code) if code in _JSONRPC_RESERVED else OTHER


def code_word(value: str) -> str:
    """A short lower-case code (`expired`, `4xx`, `-32602`), or `other`."""
    return value if _CODE_WORD.match(value) else OTHER


def jamf_path_template(path: str) -> str:
    """A Jamf API path with its ids replaced by `{id}`.

    `/api/v1/computers-inventory-detail/17` → `/api/v1/computers-inventory-detail/{id}`;
    `/JSSResource/computers/serialnumber/C02X` → `/JSSResource/computers/serialnumber/{id}`.
    Numbers, UUIDs, anything with a long digit run, anything unusual and any value after a
    Classic API lookup key become `{id}`; the query string is dropped.
    """
    segments = path.split("?", 1)[0].split("/")
    templated: list[str] = []
    after_key = False
    for segment in segments:
        if not segment:
            templated.append(segment)
            continue
        is_value = (
            after_key
            or not _PLAIN_SEGMENT.match(segment)
            or bool(_HAS_DIGIT_RUN.search(segment))
            or bool(_HEX_ID.match(segment))
        )
        templated.append("{id}" if is_value else segment)
        after_key = not is_value and segment.lower() in _CLASSIC_LOOKUP_KEYS
    return "/".join(templated)


class BoundedValues:
    """Admits the first `limit` distinct values it sees, then answers `other` for new ones.

    A last line of defence for labels whose values come from our own code (route templates,
    Jamf paths) but could grow through a bug; thread-safe, since scrapes and requests may run on
    different threads.

    Args:
        limit: How many distinct values are admitted.
        initial: Values admitted up front (they count towards the limit).
    """

    def __init__(self, limit: int, initial: Iterable[str] = ()) -> None:
        self._limit = limit
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        for value in initial:
            self.admit(value)

    def admit(self, value: str) -> str:
        """`value` if already admitted or there is room for it, else `other`."""
        if value in self._seen:
            return value
        with self._lock:
            if value in self._seen:
                return value
            if len(self._seen) >= self._limit:
                return OTHER
            self._seen.add(value)
            return value
