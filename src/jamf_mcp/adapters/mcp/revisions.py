"""MCP protocol revisions this server speaks, and which wire features each one has."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

HANDSHAKE_VERSIONS: Final[tuple[str, ...]] = (
    "2024-11-05",
    "2025-03-26",
    "2025-06-18",
    "2025-11-25",
)
"""Handshake-era ("legacy") revisions, oldest first: served after `initialize`."""

SUPPORTED_VERSIONS: Final[tuple[str, ...]] = (*HANDSHAKE_VERSIONS, "2026-07-28")
"""Every revision this server speaks, oldest first."""

LATEST_VERSION: Final[str] = HANDSHAKE_VERSIONS[-1]
"""The newest revision `initialize` can negotiate."""

DEFAULT_STATELESS_VERSION: Final[str] = "2025-03-26"
"""What the transport spec says to assume when a request names no version at all."""


MODERN_VERSION: Final[str] = "2026-07-28"
"""The first stateless revision: per-request `_meta`, no `initialize`, no sessions."""


def is_modern(version: str) -> bool:
    """True for revisions without a handshake (2026-07-28 and later)."""
    return version >= MODERN_VERSION


def is_supported(version: str) -> bool:
    """True when `version` is a revision this server can speak."""
    return version in SUPPORTED_VERSIONS


def is_handshake(version: str) -> bool:
    """True for a handshake-era revision this server speaks."""
    return version in HANDSHAKE_VERSIONS


def looks_modern(header: str) -> bool:
    """True for a version header naming 2026-07-28 or a later (maybe unknown) revision."""
    return len(header) == 10 and header[4] == "-" and header[7] == "-" and is_modern(header)


def negotiate(requested: object) -> str:
    """Answer an `initialize` request: echo the client's revision if supported, else our latest."""
    if isinstance(requested, str) and is_handshake(requested):
        return requested
    return LATEST_VERSION


# Revision identifiers are ISO dates, so string comparison orders them correctly.


def has_tool_annotations(version: str) -> bool:
    """Tool annotations (`readOnlyHint` …) arrived in 2025-03-26."""
    return version >= "2025-03-26"


def has_progress_message(version: str) -> bool:
    """`notifications/progress` gained `message` in 2025-03-26."""
    return version >= "2025-03-26"


def has_structured_output(version: str) -> bool:
    """`outputSchema` and `structuredContent` arrived in 2025-06-18."""
    return version >= "2025-06-18"


def has_titles(version: str) -> bool:
    """`title` on tools and on `serverInfo` arrived in 2025-06-18."""
    return version >= "2025-06-18"


def has_sse_priming(version: str) -> bool:
    """Clients of 2025-11-25+ expect (and older ones choke on) an empty-data priming SSE event."""
    return version >= "2025-11-25"


def supports_form_elicitation(version: str, capabilities: Mapping[str, Any]) -> bool:
    """Whether the client can be asked a form question (`elicitation/create`, 2025-06-18+).

    2025-11-25 split the capability into `form` and `url`; an empty object still means form.
    """
    if version < "2025-06-18":
        return False
    elicitation = capabilities.get("elicitation")
    if not isinstance(elicitation, Mapping):
        return False
    return not elicitation or "form" in elicitation


def supports_url_elicitation(version: str, capabilities: Mapping[str, Any]) -> bool:
    """Whether the client declared URL-mode elicitation (`elicitation.url`, 2025-11-25+)."""
    if version < "2025-11-25":
        return False
    elicitation = capabilities.get("elicitation")
    return isinstance(elicitation, Mapping) and "url" in elicitation
