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


def _positive(value: float, name: str) -> float:
    if value <= 0:
        raise SettingsError(f"{name} must be greater than 0, got {value:g}")
    return value


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
    """The embedded simulator's demo tenant.

    Attributes:
        computers: fleet size.
        latency_ms: latency added to every simulated Jamf request.
        check_in_interval_seconds: how often a simulated Mac checks in (Jamf's default: 15 min).
        tick_seconds: how often the simulator processes due check-ins and MDM commands.
    """

    computers: int = 500
    latency_ms: float = 0.0
    check_in_interval_seconds: float = 900.0
    tick_seconds: float = 5.0


@attrs.frozen
class ActionSettings:
    """Device-changing actions: confirmations, the inventory policy and bulk limits.

    Attributes:
        confirmation_ttl_seconds: how long a confirmation token (and an elicitation) stays open.
        inventory_policy: the policy that collects computer inventory, by id or name.
        max_targets: the most devices one confirmed action may name.
        wait_poll_seconds: how often policy logs are read while `waitSeconds` waits.
    """

    confirmation_ttl_seconds: int = 300
    inventory_policy: str = "Update Inventory"
    max_targets: int = 10_000
    wait_poll_seconds: float = 3.0

    @property
    def inventory_policy_id(self) -> int | None:
        """The inventory policy's id, when it was given as a number."""
        value = self.inventory_policy.strip()
        return int(value) if value.isdigit() else None


AUTH_MODES = ("dev", "oidc", "none")
DEFAULT_DEV_USERS = "alice=read:jamf write:jamf;bob=read:jamf"


def _dev_users(raw: str) -> tuple[tuple[str, frozenset[str]], ...]:
    users: list[tuple[str, frozenset[str]]] = []
    for entry in raw.split(";"):
        if not entry.strip():
            continue
        name, _, scopes = entry.partition("=")
        if not name.strip():
            raise SettingsError(f"JAMF_MCP_DEV_USERS: a user has no name in {entry!r}")
        users.append((name.strip(), frozenset(scopes.split())))
    return tuple(users)


@attrs.frozen
class AuthSettings:
    """How callers sign in.

    `mode` is `dev` (the embedded development identity provider, the default), `oidc` (an
    upstream provider such as Auth0 or Okta, chosen by setting `OIDC_ISSUER`) or `none`
    (authentication off; loopback only).
    """

    mode: str = "dev"
    public_url: str | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = attrs.field(default=None, repr=False)
    oidc_audience: str | None = None
    oidc_extra_scopes: str = "openid profile email offline_access"
    access_token_ttl_seconds: int = 900
    refresh_token_ttl_seconds: int = 30 * 24 * 3600
    jwks_cache_seconds: int = 600
    dev_users: tuple[tuple[str, frozenset[str]], ...] = _dev_users(DEFAULT_DEV_USERS)
    dev_idp_allow_remote: bool = False


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
    keepalive_seconds: float = 30.0
    resume_grace_seconds: float = 10.0
    redis_url: str | None = attrs.field(default=None, repr=False)
    redis_prefix: str = "jamf-mcp:"
    rate_limit_per_minute: int = 600
    auth_rate_limit_per_minute: int = 120
    shutdown_grace_seconds: float = 25.0
    proxy_headers: bool = False
    forwarded_allow_ips: str = "127.0.0.1"
    metrics_token: str | None = attrs.field(default=None, repr=False)
    metrics_enabled: bool = True
    metrics_allow_unauthenticated: bool = False
    readiness_timeout_seconds: float = 2.0
    readiness_cache_seconds: float = 5.0
    http_keepalive_timeout_seconds: float = 65.0
    log_level: str = "INFO"
    log_format: str = "console"
    docs_url: str | None = None
    auth: AuthSettings = AuthSettings()
    actions: ActionSettings = ActionSettings()

    @property
    def audit_path(self) -> Path:
        """The durable audit trail of confirmed actions (SQLite)."""
        return self.data_dir / "audit.sqlite3"

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
        auth_mode = str(overrides.pop("auth_mode", None) or env.get("JAMF_MCP_AUTH") or "").lower()
        issuer = env.get("OIDC_ISSUER") or None
        auth_mode = auth_mode or ("oidc" if issuer else "dev")
        if auth_mode not in AUTH_MODES:
            raise SettingsError(
                f"JAMF_MCP_AUTH must be one of {', '.join(AUTH_MODES)}, got {auth_mode!r}"
            )
        if auth_mode == "oidc" and not (issuer and env.get("OIDC_CLIENT_ID")):
            raise SettingsError(
                "Signing in through an identity provider needs OIDC_ISSUER and OIDC_CLIENT_ID "
                "(and usually OIDC_CLIENT_SECRET and OIDC_AUDIENCE)."
            )
        public_url = overrides.pop("public_url", None) or env.get("JAMF_MCP_PUBLIC_URL") or None
        auth = AuthSettings(
            mode=auth_mode,
            public_url=str(public_url).rstrip("/") if public_url else None,
            oidc_issuer=issuer,
            oidc_client_id=env.get("OIDC_CLIENT_ID") or None,
            oidc_client_secret=env.get("OIDC_CLIENT_SECRET") or None,
            oidc_audience=env.get("OIDC_AUDIENCE") or None,
            oidc_extra_scopes=env.get("OIDC_SCOPES", "openid profile email offline_access"),
            access_token_ttl_seconds=_int(env, "JAMF_MCP_ACCESS_TOKEN_TTL_SECONDS", 900),
            refresh_token_ttl_seconds=_int(
                env, "JAMF_MCP_REFRESH_TOKEN_TTL_SECONDS", 30 * 24 * 3600
            ),
            jwks_cache_seconds=_int(env, "JAMF_MCP_JWKS_CACHE_SECONDS", 600),
            dev_users=_dev_users(env.get("JAMF_MCP_DEV_USERS", DEFAULT_DEV_USERS)),
            dev_idp_allow_remote=env.get("JAMF_MCP_DEV_IDP_ALLOW_REMOTE", "")
            in ("1", "true", "yes"),
        )
        values: dict[str, object] = {
            "auth": auth,
            "host": env.get("JAMF_MCP_HOST", "127.0.0.1"),
            "port": _int(env, "JAMF_MCP_PORT", 8000),
            "data_dir": Path(env.get("JAMF_MCP_DATA_DIR", ".jamf-mcp")),
            "jamf": jamf,
            "simulator": SimulatorSettings(
                computers=_int(env, "JAMF_MCP_SIMULATOR_COMPUTERS", 500),
                latency_ms=_float(env, "JAMF_MCP_SIMULATOR_LATENCY_MS", 0.0),
                check_in_interval_seconds=_positive(
                    _float(env, "JAMF_MCP_SIMULATOR_CHECK_IN_SECONDS", 900.0),
                    "JAMF_MCP_SIMULATOR_CHECK_IN_SECONDS",
                ),
                tick_seconds=_positive(
                    _float(env, "JAMF_MCP_SIMULATOR_TICK_SECONDS", 5.0),
                    "JAMF_MCP_SIMULATOR_TICK_SECONDS",
                ),
            ),
            "actions": ActionSettings(
                confirmation_ttl_seconds=int(
                    _positive(
                        _int(env, "JAMF_MCP_CONFIRMATION_TTL_SECONDS", 300),
                        "JAMF_MCP_CONFIRMATION_TTL_SECONDS",
                    )
                ),
                inventory_policy=env.get("JAMF_MCP_INVENTORY_POLICY", "").strip()
                or "Update Inventory",
                max_targets=int(
                    _positive(
                        _int(env, "JAMF_MCP_MAX_ACTION_TARGETS", 10_000),
                        "JAMF_MCP_MAX_ACTION_TARGETS",
                    )
                ),
            ),
            "allowed_origins": _split(env.get("JAMF_MCP_ALLOWED_ORIGINS")),
            "allowed_hosts": _split(env.get("JAMF_MCP_ALLOWED_HOSTS")),
            "max_body_bytes": _int(env, "JAMF_MCP_MAX_BODY_BYTES", 1_000_000),
            "keepalive_seconds": _positive(
                _float(env, "JAMF_MCP_KEEPALIVE_SECONDS", 30.0), "JAMF_MCP_KEEPALIVE_SECONDS"
            ),
            "resume_grace_seconds": _positive(
                _float(env, "JAMF_MCP_RESUME_GRACE_SECONDS", 10.0), "JAMF_MCP_RESUME_GRACE_SECONDS"
            ),
            "redis_url": env.get("REDIS_URL") or None,
            "redis_prefix": env.get("JAMF_MCP_REDIS_PREFIX") or "jamf-mcp:",
            "rate_limit_per_minute": int(
                _positive(
                    _int(env, "JAMF_MCP_RATE_LIMIT_PER_MINUTE", 600),
                    "JAMF_MCP_RATE_LIMIT_PER_MINUTE",
                )
            ),
            "auth_rate_limit_per_minute": int(
                _positive(
                    _int(env, "JAMF_MCP_AUTH_RATE_LIMIT_PER_MINUTE", 120),
                    "JAMF_MCP_AUTH_RATE_LIMIT_PER_MINUTE",
                )
            ),
            "shutdown_grace_seconds": _positive(
                _float(env, "JAMF_MCP_SHUTDOWN_GRACE_SECONDS", 25.0),
                "JAMF_MCP_SHUTDOWN_GRACE_SECONDS",
            ),
            "proxy_headers": env.get("JAMF_MCP_PROXY_HEADERS", "") in ("1", "true", "yes"),
            "forwarded_allow_ips": env.get("JAMF_MCP_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            "metrics_token": env.get("JAMF_MCP_METRICS_TOKEN") or None,
            "metrics_enabled": env.get("JAMF_MCP_METRICS_ENABLED", "1").lower()
            not in ("0", "false", "no"),
            "metrics_allow_unauthenticated": env.get("JAMF_MCP_METRICS_ALLOW_UNAUTHENTICATED", "")
            in ("1", "true", "yes"),
            "readiness_timeout_seconds": _positive(
                _float(env, "JAMF_MCP_READINESS_TIMEOUT_SECONDS", 2.0),
                "JAMF_MCP_READINESS_TIMEOUT_SECONDS",
            ),
            "readiness_cache_seconds": _float(env, "JAMF_MCP_READINESS_CACHE_SECONDS", 5.0),
            "http_keepalive_timeout_seconds": _positive(
                _float(env, "JAMF_MCP_HTTP_KEEPALIVE_TIMEOUT_SECONDS", 65.0),
                "JAMF_MCP_HTTP_KEEPALIVE_TIMEOUT_SECONDS",
            ),
            "log_level": env.get("JAMF_MCP_LOG_LEVEL", "INFO").upper(),
            "log_format": env.get("JAMF_MCP_LOG_FORMAT", "console"),
            "docs_url": env.get("JAMF_MCP_DOCS_URL") or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @property
    def public_url(self) -> str:
        """The canonical external base URL (issuer, audience and metadata derive from it)."""
        if self.auth.public_url:
            return self.auth.public_url
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def resource_url(self) -> str:
        """The canonical URL of the MCP endpoint: the audience of the tokens this server accepts."""
        return f"{self.public_url}/mcp"

    @property
    def binds_loopback_only(self) -> bool:
        """True when the server listens on a loopback address."""
        return self.host in LOOPBACK_HOSTS
