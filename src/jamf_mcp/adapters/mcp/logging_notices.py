"""Log notifications (`notifications/message`) sent to clients that asked for them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

LOG_LEVELS: Final[tuple[str, ...]] = (
    "debug",
    "info",
    "notice",
    "warning",
    "error",
    "critical",
    "alert",
    "emergency",
)
"""RFC 5424 severities, least severe first."""

LOGGER_NAME = "jamf-mcp"


def wants(minimum: str | None, level: str) -> bool:
    """Whether a client whose minimum is `minimum` receives a `level` message (None: nothing)."""
    if minimum is None or minimum not in LOG_LEVELS or level not in LOG_LEVELS:
        return False
    return LOG_LEVELS.index(level) >= LOG_LEVELS.index(minimum)


def log_params(level: str, data: Mapping[str, Any] | str) -> dict[str, Any]:
    """The params of one `notifications/message` (never carry secrets in `data`)."""
    return {"level": level, "logger": LOGGER_NAME, "data": data}
