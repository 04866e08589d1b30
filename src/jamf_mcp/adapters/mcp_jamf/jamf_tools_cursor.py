"""Opaque paging cursors bound to the arguments of the call that produced them."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from jamf_mcp.domain.errors import InvalidRequest


def _fingerprint(arguments: Mapping[str, Any]) -> str:
    stable = {k: v for k, v in arguments.items() if k not in ("cursor", "limit")}
    digest = hashlib.sha256(json.dumps(stable, sort_keys=True, default=str).encode()).hexdigest()
    return digest[:16]


def make_cursor(offset: int, arguments: Mapping[str, Any]) -> str:
    """A cursor that resumes the same call at `offset`."""
    payload = json.dumps({"o": offset, "f": _fingerprint(arguments)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def read_cursor(arguments: Mapping[str, Any]) -> int:
    """The offset encoded in `arguments["cursor"]` (0 without one).

    Raises:
        InvalidRequest: the cursor is malformed or belongs to a call with other arguments.
    """
    cursor = arguments.get("cursor")
    if not cursor:
        return 0
    try:
        padded = str(cursor) + "=" * (-len(str(cursor)) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        offset, fingerprint = payload["o"], payload["f"]
    except (ValueError, KeyError, TypeError, RecursionError):
        raise InvalidRequest("The cursor is not valid; repeat the call without it.") from None
    if not isinstance(offset, int) or offset < 0 or fingerprint != _fingerprint(arguments):
        raise InvalidRequest(
            "This cursor belongs to a call with different arguments; repeat the call without it."
        )
    return offset
