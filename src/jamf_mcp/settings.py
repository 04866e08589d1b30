"""Settings: one attrs object read from the environment and command-line flags.

Nothing here is read at import time; `Settings.from_env()` is called by the CLI.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import attrs

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


def _split(value: str | None) -> frozenset[str]:
    return frozenset(part.strip() for part in (value or "").split(",") if part.strip())


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None


@attrs.frozen
class JamfSettings:
    """How to reach Jamf Pro; `url` None means the embedded simulator."""

    url: str | None = None
    client_id: str | None = None
    client_secret: str | None = attrs.field(default=None, repr=False)
    username: str | None = None
    password: str | None = attrs.field(default=None, repr=False)
    max_in_flight: int = 5
    timeout_seconds: float = 30.0
    page_size: int = 500

    @property
    def embedded(self) -> bool:
        """True when no Jamf Pro is configured and the built-in simulator is used."""
        return self.url is None


@attrs.frozen
class SimulatorSettings:
    """The embedded simulator's demo tenant."""

    computers: int = 500
    latency_ms: float = 0.0


@attrs.frozen
class Settings:
    """Everything `jamf-mcp serve` needs."""

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path(".jamf-mcp")
    jamf: JamfSettings = JamfSettings()
    simulator: SimulatorSettings = SimulatorSettings()
    allowed_origins: frozenset[str] = frozenset()
    allowed_hosts: frozenset[str] = frozenset()
    max_body_bytes: int = 1_000_000
    log_level: str = "INFO"
    log_format: str = "console"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read `JAMF_*` and `JAMF_MCP_*` variables; keyword overrides (from flags) win.

        Raises:
            SettingsError: a value is malformed or Jamf credentials are incomplete.
        """
        env = os.environ if env is None else env
        jamf = JamfSettings(
            url=env.get("JAMF_URL") or None,
            client_id=env.get("JAMF_CLIENT_ID") or None,
            client_secret=env.get("JAMF_CLIENT_SECRET") or None,
            username=env.get("JAMF_USERNAME") or None,
            password=env.get("JAMF_PASSWORD") or None,
            max_in_flight=_int(env, "JAMF_MAX_IN_FLIGHT", 5),
            timeout_seconds=_float(env, "JAMF_TIMEOUT_SECONDS", 30.0),
            page_size=_int(env, "JAMF_PAGE_SIZE", 500),
        )
        if jamf.url and not (
            (jamf.client_id and jamf.client_secret) or (jamf.username and jamf.password)
        ):
            raise SettingsError(
                "JAMF_URL is set but credentials are not: set JAMF_CLIENT_ID and JAMF_CLIENT_SECRET "
                "(an API client, recommended) or JAMF_USERNAME and JAMF_PASSWORD."
            )
        values: dict[str, object] = {
            "host": env.get("JAMF_MCP_HOST", "127.0.0.1"),
            "port": _int(env, "JAMF_MCP_PORT", 8000),
            "data_dir": Path(env.get("JAMF_MCP_DATA_DIR", ".jamf-mcp")),
            "jamf": jamf,
            "simulator": SimulatorSettings(
                computers=_int(env, "JAMF_MCP_SIMULATOR_COMPUTERS", 500),
                latency_ms=_float(env, "JAMF_MCP_SIMULATOR_LATENCY_MS", 0.0),
            ),
            "allowed_origins": _split(env.get("JAMF_MCP_ALLOWED_ORIGINS")),
            "allowed_hosts": _split(env.get("JAMF_MCP_ALLOWED_HOSTS")),
            "max_body_bytes": _int(env, "JAMF_MCP_MAX_BODY_BYTES", 1_000_000),
            "log_level": env.get("JAMF_MCP_LOG_LEVEL", "INFO").upper(),
            "log_format": env.get("JAMF_MCP_LOG_FORMAT", "console"),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @property
    def binds_loopback_only(self) -> bool:
        """True when the server listens on a loopback address."""
        return self.host in LOOPBACK_HOSTS
