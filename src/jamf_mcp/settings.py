"""Settings: one attrs object read from the environment and command-line flags.

Nothing here is read at import time; `Settings.from_env()` is called by the CLI.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


def _check_in_minutes(env: Mapping[str, str]) -> int:
    minutes = _int(env, "JAMF_MCP_SIMULATOR_CHECK_IN_MINUTES", 15)
    if not 5 <= minutes <= 60:
        raise SettingsError(
            f"JAMF_MCP_SIMULATOR_CHECK_IN_MINUTES must be 5 to 60 (Jamf's range), got {minutes}"
        )
    return minutes


def _count(env: Mapping[str, str], name: str, default: int) -> int:
    """A whole number of at least 1."""
    return int(_positive(_int(env, name, default), name))


def _redis_prefix(prefix: str) -> str:
    if any(c.isspace() or c in "{}" for c in prefix):
        raise SettingsError(
            "JAMF_MCP_REDIS_PREFIX must not contain whitespace or braces (braces would put "
            f"every key in one slot of a Redis Cluster), got {prefix!r}"
        )
    return prefix


def _redis_cluster(env: Mapping[str, str]) -> bool:
    cluster = env.get("JAMF_MCP_REDIS_CLUSTER", "").strip().lower() in ("1", "true", "yes")
    if cluster and not env.get("REDIS_URL"):
        raise SettingsError("JAMF_MCP_REDIS_CLUSTER is set, but REDIS_URL (a node of it) is not")
    return cluster


def _digest_key(raw: str | None) -> str | None:
    if not raw:
        return None
    from jamf_mcp.adapters.local_files import parse_digest_key  # checked once, at start-up

    try:
        parse_digest_key(raw)
    except ValueError:
        raise SettingsError(
            "JAMF_MCP_DIGEST_KEY must be at least 32 random bytes in base64 or hex "
            "(e.g. the output of `openssl rand -base64 32`)"
        ) from None
    return raw


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
        check_in_frequency_minutes: the demo tenant's check-in frequency (Jamf: 5-60, default 15),
            served at `/api/v3/check-in`; simulated Macs check in at exactly this frequency.
        tick_seconds: how often the simulator processes due check-ins and MDM commands.
    """

    computers: int = 500
    latency_ms: float = 0.0
    check_in_frequency_minutes: int = 15
    tick_seconds: float = 5.0


@attrs.frozen
class ActionSettings:
    """Device-changing actions: confirmations, the inventory policy and bulk limits.

    Attributes:
        confirmation_ttl_seconds: how long a confirmation token (and an elicitation) stays open.
        inventory_policy: the policy that collects computer inventory, by id or name.
        max_targets: the most devices one confirmed action may name.
        wait_poll_seconds: how often policy logs are read while `waitSeconds` waits.
        policy_run_expiry_hours: how long a queued computer may take to run the policy before
            it leaves the dedicated group and is reported "expired" (not run).
        reconcile_seconds: how often queued policy runs are checked and cleaned up.
        confirmation_mode, confirmation_fallback, approval_wait_seconds, page_session_seconds:
            how people confirm (issue 14; see `_approval_settings`).
    """

    confirmation_ttl_seconds: int = 300
    inventory_policy: str = "Update Inventory"
    max_targets: int = 10_000
    wait_poll_seconds: float = 3.0
    policy_run_expiry_hours: float = 24.0
    reconcile_seconds: float = 60.0
    # --- issue 14: the approval page (docs/configuration.md, ADR 0032-0034) ---
    confirmation_mode: str = "form"
    confirmation_fallback: str = "none"
    approval_wait_seconds: float = 0.0
    page_session_seconds: int = 1800
    # --- end issue 14 ---

    @property
    def inventory_policy_id(self) -> int | None:
        """The inventory policy's id, when it was given as a number."""
        value = self.inventory_policy.strip()
        return int(value) if value.isdigit() else None


@attrs.frozen
class AuditSettings:
    """Where the audit trail is kept.

    Attributes:
        url: a `postgresql://` URL (libpq syntax) for one trail shared by every replica; None
            keeps it in `audit.sqlite3` in the data directory (one process).
        schema: the PostgreSQL schema holding the tables.
        migrate: `auto` (bring the schema up to date at first use, under an advisory lock) or
            `off` (an operator runs `jamf-mcp audit migrate` with the migration role).
        pool_size: most PostgreSQL connections per process.
        timeout_seconds: how long a write waits for (and to make) a connection before the action
            is refused.
        expiry_sweep_seconds: how often unanswered confirmations are recorded as expired (0: off).
        expiry_grace_seconds: how long after its deadline a question is recorded as expired.
    """

    url: str | None = attrs.field(default=None, repr=False)
    schema: str = "jamf_mcp_audit"
    migrate: str = "auto"
    pool_size: int = 5
    timeout_seconds: float = 5.0
    expiry_sweep_seconds: float = 60.0
    expiry_grace_seconds: float = 60.0


# --- issue 14: the approval page ---
def _approval_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """JAMF_MCP_CONFIRMATION_MODE (form|url), JAMF_MCP_CONFIRMATION_FALLBACK (none|token),
    JAMF_MCP_APPROVAL_WAIT_SECONDS (0-60) and JAMF_MCP_PAGE_SESSION_SECONDS (60-86400)."""
    mode = (env.get("JAMF_MCP_CONFIRMATION_MODE") or "form").strip().lower()
    if mode not in ("form", "url"):
        raise SettingsError(f"JAMF_MCP_CONFIRMATION_MODE must be form or url, got {mode!r}")
    fallback = (env.get("JAMF_MCP_CONFIRMATION_FALLBACK") or "none").strip().lower()
    if fallback not in ("none", "token"):
        raise SettingsError(
            f"JAMF_MCP_CONFIRMATION_FALLBACK must be none or token, got {fallback!r}"
        )
    wait = _float(env, "JAMF_MCP_APPROVAL_WAIT_SECONDS", 0.0)
    if not 0 <= wait <= 60:
        raise SettingsError(f"JAMF_MCP_APPROVAL_WAIT_SECONDS must be 0 to 60, got {wait:g}")
    session = _int(env, "JAMF_MCP_PAGE_SESSION_SECONDS", 1800)
    if not 60 <= session <= 86_400:
        raise SettingsError(f"JAMF_MCP_PAGE_SESSION_SECONDS must be 60 to 86400, got {session}")
    return {
        "confirmation_mode": mode,
        "confirmation_fallback": fallback,
        "approval_wait_seconds": wait,
        "page_session_seconds": session,
    }


# --- end issue 14 ---


def _audit_settings(env: Mapping[str, str]) -> AuditSettings:
    url = env.get("JAMF_MCP_AUDIT_URL") or None
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise SettingsError(
            "JAMF_MCP_AUDIT_URL must be a postgresql:// URL (leave it unset for the embedded "
            "SQLite trail in the data directory)"
        )
    schema = env.get("JAMF_MCP_AUDIT_SCHEMA") or "jamf_mcp_audit"
    if not schema.replace("_", "a").isalnum() or not schema.islower() or schema[0].isdigit():
        raise SettingsError(
            f"JAMF_MCP_AUDIT_SCHEMA must be lower-case letters, digits and _, got {schema!r}"
        )
    migrate = (env.get("JAMF_MCP_AUDIT_MIGRATE") or "auto").lower()
    if migrate not in ("auto", "off"):
        raise SettingsError(f"JAMF_MCP_AUDIT_MIGRATE must be auto or off, got {migrate!r}")
    sweep = _float(env, "JAMF_MCP_AUDIT_EXPIRY_SWEEP_SECONDS", 60.0)
    if sweep < 0:
        raise SettingsError("JAMF_MCP_AUDIT_EXPIRY_SWEEP_SECONDS must be 0 (off) or more")
    return AuditSettings(
        url=url,
        schema=schema,
        migrate=migrate,
        pool_size=int(
            _positive(_int(env, "JAMF_MCP_AUDIT_POOL_SIZE", 5), "JAMF_MCP_AUDIT_POOL_SIZE")
        ),
        timeout_seconds=_positive(
            _float(env, "JAMF_MCP_AUDIT_TIMEOUT_SECONDS", 5.0), "JAMF_MCP_AUDIT_TIMEOUT_SECONDS"
        ),
        expiry_sweep_seconds=sweep,
        expiry_grace_seconds=_positive(
            _float(env, "JAMF_MCP_AUDIT_EXPIRY_GRACE_SECONDS", 60.0),
            "JAMF_MCP_AUDIT_EXPIRY_GRACE_SECONDS",
        ),
    )


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


def _grant_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """How long grants and registered clients last, and how many registrations are allowed."""
    names = {
        "grant_lifetime_seconds": ("JAMF_MCP_GRANT_MAX_LIFETIME_SECONDS", 30 * 24 * 3600),
        "revalidate_seconds": ("JAMF_MCP_REVALIDATE_SECONDS", 900),
        "client_idle_days": ("JAMF_MCP_CLIENT_IDLE_DAYS", 30),
        "max_clients": ("JAMF_MCP_MAX_CLIENTS", 10_000),
        "registrations_per_ip_per_day": ("JAMF_MCP_REGISTRATIONS_PER_IP_PER_DAY", 100),
    }
    return {
        field: int(_positive(_int(env, variable, default), variable))
        for field, (variable, default) in names.items()
    }


@attrs.frozen
class AuthSettings:
    """How callers sign in.

    `mode` is `dev` (the embedded development identity provider, the default), `oidc` (an
    upstream provider such as Auth0 or Okta, chosen by setting `OIDC_ISSUER`) or `none`
    (authentication off; loopback only). Grants end `grant_lifetime_seconds` after sign-in and
    are re-checked at the identity provider every `revalidate_seconds`; registered clients are
    forgotten `client_idle_days` after their last grant ends (at most `max_clients` kept), and
    one address may register `registrations_per_ip_per_day` clients a day.
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
    max_token_lifetime_seconds: int = 24 * 3600
    dev_users: tuple[tuple[str, frozenset[str]], ...] = _dev_users(DEFAULT_DEV_USERS)
    dev_idp_allow_remote: bool = False
    grant_lifetime_seconds: int = 30 * 24 * 3600
    revalidate_seconds: int = 900
    client_idle_days: int = 30
    max_clients: int = 10_000
    registrations_per_ip_per_day: int = 100
    private_key_jwt: bool = True
    refresh_reuse_seconds: float = 10.0
    token_rate_limit_per_minute: int = 1_200
    token_address_ceiling_per_minute: int = 6_000
    oauth_client_id: str | None = None
    oauth_client_secret: str | None = attrs.field(default=None, repr=False)
    oauth_client_redirect_uris: tuple[str, ...] = ()
    oauth_client_name: str = "ChatGPT"


CHATGPT_REDIRECT_URI = "https://chatgpt.com/connector_platform_oauth_redirect"


def _with_client_settings(auth: AuthSettings, env: Mapping[str, str]) -> AuthSettings:
    """ChatGPT-facing sign-in: private_key_jwt for metadata documents, the refresh reuse interval,
    the per-client token limit, and an optional pre-registered client given by configuration."""
    reuse = _float(env, "JAMF_MCP_REFRESH_REUSE_SECONDS", 10.0)
    if not 0 <= reuse <= 60:
        raise SettingsError(f"JAMF_MCP_REFRESH_REUSE_SECONDS must be 0 to 60, got {reuse:g}")
    auth = attrs.evolve(
        auth,
        private_key_jwt=env.get("JAMF_MCP_CIMD_PRIVATE_KEY_JWT", "1").lower()
        not in ("0", "false", "no"),
        refresh_reuse_seconds=reuse,
        token_rate_limit_per_minute=_count(env, "JAMF_MCP_TOKEN_RATE_LIMIT_PER_MINUTE", 1_200),
        token_address_ceiling_per_minute=_count(
            env, "JAMF_MCP_TOKEN_ADDRESS_CEILING_PER_MINUTE", 6_000
        ),
    )
    client_id = env.get("JAMF_MCP_OAUTH_CLIENT_ID") or None
    secret = env.get("JAMF_MCP_OAUTH_CLIENT_SECRET") or None
    if client_id is None and secret is None:
        return auth
    if client_id is None or secret is None:
        raise SettingsError(
            "A pre-registered client needs both JAMF_MCP_OAUTH_CLIENT_ID and "
            "JAMF_MCP_OAUTH_CLIENT_SECRET (or use `jamf-mcp clients add`)."
        )
    uris = tuple(sorted(_split(env.get("JAMF_MCP_OAUTH_CLIENT_REDIRECT_URIS")))) or (
        CHATGPT_REDIRECT_URI,
    )
    name = env.get("JAMF_MCP_OAUTH_CLIENT_NAME") or "ChatGPT"
    from jamf_mcp.adapters.oauth_server.pre_registered import (  # checked once, at start-up
        PreRegisteredClientError,
        configured_client,
    )

    try:
        configured_client(client_id, secret, uris, name)
    except PreRegisteredClientError as error:
        raise SettingsError(f"JAMF_MCP_OAUTH_CLIENT_*: {error}") from None
    return attrs.evolve(
        auth,
        oauth_client_id=client_id,
        oauth_client_secret=secret,
        oauth_client_redirect_uris=uris,
        oauth_client_name=name,
    )


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
    max_sessions_per_user: int = 32
    max_sessions: int = 10_000
    max_streams_per_user: int = 16
    max_streams: int = 1_000
    keepalive_seconds: float = 30.0
    resume_grace_seconds: float = 10.0
    redis_url: str | None = attrs.field(default=None, repr=False)
    redis_prefix: str = "jamf-mcp:"
    redis_cluster: bool = False
    digest_key: str | None = attrs.field(default=None, repr=False)
    rate_limit_per_minute: int = 600
    auth_rate_limit_per_minute: int = 120
    shutdown_grace_seconds: float = 25.0
    tool_deadline_seconds: float = 25.0
    proxy_headers: bool = False
    forwarded_allow_ips: str = "127.0.0.1"
    metrics_token: str | None = attrs.field(default=None, repr=False)
    metrics_enabled: bool = True
    metrics_allow_unauthenticated: bool = False
    readiness_timeout_seconds: float = 2.0
    readiness_cache_seconds: float = 5.0
    http_keepalive_timeout_seconds: float = 65.0
    http_header_timeout_seconds: float = 10.0
    http_body_timeout_seconds: float = 30.0
    http_max_header_bytes: int = 64 * 1024
    max_connections: int = 2_048
    log_level: str = "INFO"
    log_format: str = "console"
    docs_url: str | None = None
    auth: AuthSettings = AuthSettings()
    actions: ActionSettings = ActionSettings()
    audit: AuditSettings = AuditSettings()

    @property
    def audit_path(self) -> Path:
        """The embedded audit trail (SQLite), used when no `audit.url` is set."""
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
            max_token_lifetime_seconds=int(
                _positive(
                    _int(env, "JAMF_MCP_MAX_TOKEN_LIFETIME_SECONDS", 24 * 3600),
                    "JAMF_MCP_MAX_TOKEN_LIFETIME_SECONDS",
                )
            ),
            dev_users=_dev_users(env.get("JAMF_MCP_DEV_USERS", DEFAULT_DEV_USERS)),
            dev_idp_allow_remote=env.get("JAMF_MCP_DEV_IDP_ALLOW_REMOTE", "")
            in ("1", "true", "yes"),
            **_grant_settings(env),
        )
        auth = _with_client_settings(auth, env)
        if auth.access_token_ttl_seconds > auth.max_token_lifetime_seconds:
            raise SettingsError(
                "JAMF_MCP_ACCESS_TOKEN_TTL_SECONDS must not exceed "
                "JAMF_MCP_MAX_TOKEN_LIFETIME_SECONDS (tokens living longer are refused)"
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
                check_in_frequency_minutes=_check_in_minutes(env),
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
                policy_run_expiry_hours=_positive(
                    _float(env, "JAMF_MCP_POLICY_RUN_EXPIRY_HOURS", 24.0),
                    "JAMF_MCP_POLICY_RUN_EXPIRY_HOURS",
                ),
                reconcile_seconds=_positive(
                    _float(env, "JAMF_MCP_RECONCILE_SECONDS", 60.0), "JAMF_MCP_RECONCILE_SECONDS"
                ),
                **_approval_settings(env),
            ),
            "allowed_origins": _split(env.get("JAMF_MCP_ALLOWED_ORIGINS")),
            "allowed_hosts": _split(env.get("JAMF_MCP_ALLOWED_HOSTS")),
            "max_body_bytes": _int(env, "JAMF_MCP_MAX_BODY_BYTES", 1_000_000),
            "max_sessions_per_user": _count(env, "JAMF_MCP_MAX_SESSIONS_PER_USER", 32),
            "max_sessions": _count(env, "JAMF_MCP_MAX_SESSIONS", 10_000),
            "max_streams_per_user": _count(env, "JAMF_MCP_MAX_STREAMS_PER_USER", 16),
            "max_streams": _count(env, "JAMF_MCP_MAX_STREAMS", 1_000),
            "keepalive_seconds": _positive(
                _float(env, "JAMF_MCP_KEEPALIVE_SECONDS", 30.0), "JAMF_MCP_KEEPALIVE_SECONDS"
            ),
            "resume_grace_seconds": _positive(
                _float(env, "JAMF_MCP_RESUME_GRACE_SECONDS", 10.0), "JAMF_MCP_RESUME_GRACE_SECONDS"
            ),
            "redis_url": env.get("REDIS_URL") or None,
            "redis_prefix": _redis_prefix(env.get("JAMF_MCP_REDIS_PREFIX") or "jamf-mcp:"),
            "redis_cluster": _redis_cluster(env),
            "digest_key": _digest_key(env.get("JAMF_MCP_DIGEST_KEY")),
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
            "tool_deadline_seconds": _positive(
                _float(env, "JAMF_MCP_TOOL_DEADLINE_SECONDS", 25.0),
                "JAMF_MCP_TOOL_DEADLINE_SECONDS",
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
            "http_header_timeout_seconds": _positive(
                _float(env, "JAMF_MCP_HTTP_HEADER_TIMEOUT_SECONDS", 10.0),
                "JAMF_MCP_HTTP_HEADER_TIMEOUT_SECONDS",
            ),
            "http_body_timeout_seconds": _positive(
                _float(env, "JAMF_MCP_HTTP_BODY_TIMEOUT_SECONDS", 30.0),
                "JAMF_MCP_HTTP_BODY_TIMEOUT_SECONDS",
            ),
            "http_max_header_bytes": _count(env, "JAMF_MCP_HTTP_MAX_HEADER_BYTES", 64 * 1024),
            "max_connections": _count(env, "JAMF_MCP_MAX_CONNECTIONS", 2_048),
            "log_level": env.get("JAMF_MCP_LOG_LEVEL", "INFO").upper(),
            "log_format": env.get("JAMF_MCP_LOG_FORMAT", "console"),
            "audit": _audit_settings(env),
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
    def host_names(self) -> frozenset[str] | None:
        """The `Host` names served besides loopback ones and IP literals (DNS-rebinding guard):
        the public URL's host and `JAMF_MCP_ALLOWED_HOSTS`; None when that is `*` (no check)."""
        if "*" in self.allowed_hosts:
            return None
        public = urlsplit(self.public_url).hostname
        return frozenset(self.allowed_hosts | ({public} if public else set()))

    @property
    def binds_loopback_only(self) -> bool:
        """True when the server listens on a loopback address."""
        return self.host in LOOPBACK_HOSTS
