"""Correlation headers: `X-Request-ID` (accepted when sane, else made up) and W3C `traceparent`."""

from __future__ import annotations

import random
import re
import secrets

import attrs

REQUEST_ID_HEADER = "x-request-id"
TRACEPARENT_HEADER = "traceparent"
MAX_REQUEST_ID = 128
_VISIBLE_ASCII = re.compile(rf"[\x21-\x7e]{{1,{MAX_REQUEST_ID}}}")
_TRACEPARENT = re.compile(
    r"(?P<version>[0-9a-f]{2})-(?P<trace_id>[0-9a-f]{32})-(?P<parent_id>[0-9a-f]{16})"
    r"-(?P<flags>[0-9a-f]{2})(?P<rest>-.*)?"
)


_ids = random.Random(secrets.randbits(128))


def new_request_id() -> str:
    """A fresh request id: 32 random hex digits.

    Unique, not secret (it is echoed and logged), so a seeded PRNG serves — without the system
    call per request that `secrets` makes.
    """
    return f"{_ids.getrandbits(128):032x}"


def accepted_request_id(value: str | None) -> str:
    """The client's `X-Request-ID` when it is 1 to 128 visible ASCII characters, else a new one."""
    if value is not None and _VISIBLE_ASCII.fullmatch(value):
        return value
    return new_request_id()


@attrs.frozen
class TraceParent:
    """A valid W3C Trace Context `traceparent` header.

    Attributes:
        header: The header exactly as received (echoed back unchanged).
        trace_id: The 32 hex digit trace id.
        parent_id: The 16 hex digit id of the caller's span.
    """

    header: str
    trace_id: str
    parent_id: str


def parse_traceparent(value: str | None) -> TraceParent | None:
    """The parsed header, or None when absent or not a valid `traceparent`.

    Valid: lower-case hex fields `version-trace_id-parent_id-flags`; version `ff` is forbidden,
    all-zero ids are invalid, and version `00` allows nothing after the flags (later versions may
    append fields, which are kept in the echoed header).
    """
    if value is None or len(value) > 512:
        return None
    match = _TRACEPARENT.fullmatch(value)
    if match is None:
        return None
    version, trace_id, parent_id = match["version"], match["trace_id"], match["parent_id"]
    if version == "ff" or (version == "00" and match["rest"] is not None):
        return None
    if trace_id == "0" * 32 or parent_id == "0" * 16:
        return None
    return TraceParent(header=value, trace_id=trace_id, parent_id=parent_id)
