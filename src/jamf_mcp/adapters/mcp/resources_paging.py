"""Opaque cursors and fixed-size pages for the list methods of resources, templates and prompts."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import TypeVar

from jamf_mcp.adapters.mcp.jsonrpc import Request
from jamf_mcp.adapters.mcp.methods import CacheHint
from jamf_mcp.adapters.mcp.resources_errors import invalid_params

T = TypeVar("T")
DEFAULT_PAGE_SIZE = 50
LIST_CACHE = CacheHint(ttl_ms=300_000, scope="private")
"""The resources, templates and prompts on offer change only with a new release."""


def encode_cursor(listing: str, offset: int) -> str:
    """An opaque cursor for the page of `listing` that starts at `offset`."""
    return base64.urlsafe_b64encode(f"{listing}:{offset}".encode()).decode().rstrip("=")


def decode_cursor(listing: str, cursor: object, total: int) -> int:
    """The offset a cursor of `listing` from `encode_cursor` stands for, if still in range.

    Raises:
        ValueError: for anything else (another listing's cursor included).
    """
    if not isinstance(cursor, str) or not cursor or len(cursor) > 200:
        raise ValueError("cursor is not one this server issued")
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = base64.urlsafe_b64decode(padded.encode("ascii")).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        raise ValueError("cursor is not one this server issued") from None
    digits = decoded.removeprefix(f"{listing}:")
    if digits == decoded or not digits.isascii() or not digits.isdigit():
        raise ValueError("cursor is not one this server issued")
    if not 0 < int(digits) < total:
        raise ValueError("cursor is out of range (the list may have changed); list again")
    return int(digits)


def page_of(
    items: Sequence[T], request: Request, listing: str, page_size: int
) -> tuple[Sequence[T], str | None]:
    """The page of `items` the request's `cursor` asks for, and the cursor of the next one.

    Raises:
        RpcError: -32602 for a cursor this server did not issue for `listing`.
    """
    cursor = request.params.get("cursor")
    offset = 0
    if cursor is not None:
        try:
            offset = decode_cursor(listing, cursor, len(items))
        except ValueError as exc:
            raise invalid_params(request, f"Invalid cursor: {exc}") from None
    page = items[offset : offset + page_size]
    end = offset + len(page)
    return page, (encode_cursor(listing, end) if end < len(items) else None)
