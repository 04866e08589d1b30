"""`Settings`: everything `jamf-mcp serve` needs, and the rules that join several settings.

Long for a module of ours because each field carries its line of the configuration reference;
the logic is in `reading.py`, `parsers.py` and `checks.py`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

import attrs

from jamf_mcp.settings import checks, parsers
from jamf_mcp.settings.auth import RATE_LIMITS, AuthSettings
from jamf_mcp.settings.declarations import SettingsError, group, setting, walk
from jamf_mcp.settings.groups import ActionSettings, AuditSettings, JamfSettings, SimulatorSettings
from jamf_mcp.settings.reading import read_settings

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
LISTENING = "listening"
STREAMS = "streams"
OPERATIONS = "operations"
SHARED_STATE = "shared-state"


@attrs.frozen(kw_only=True)
class Settings:
    """Everything `jamf-mcp serve` needs."""

    host: str = setting(
        "JAMF_MCP_HOST",
        default="127.0.0.1",
        parse=parsers.text,
        flag="--host",
        section=LISTENING,
        doc="address to bind. A non-loopback address needs real sign-in (`OIDC_ISSUER`), or "
        "`JAMF_MCP_DEV_IDP_ALLOW_REMOTE=1` for the development IdP; with `--auth none` it is "
        "refused",
    )
    port: int = setting(
        "JAMF_MCP_PORT",
        default=8000,
        parse=parsers.whole_number,
        flag="--port",
        section=LISTENING,
        doc="port",
    )
    data_dir: Path = setting(
        "JAMF_MCP_DATA_DIR",
        default=Path(".jamf-mcp"),
        parse=parsers.path,
        flag="--data-dir",
        section=LISTENING,
        doc="durable state: `signing-key.json` (must be the same on every replica), `digest-key` "
        "(without Redis or `JAMF_MCP_DIGEST_KEY`), the development IdP's key and client, the "
        "audit trail `audit.sqlite3` when `JAMF_MCP_AUDIT_URL` is unset. Created 0700, its files "
        "0600; replicas starting together on a shared directory all load the keys the first one "
        "wrote",
    )
    proxy_headers: bool = setting(
        "JAMF_MCP_PROXY_HEADERS",
        default=False,
        parse=parsers.boolean,
        section=LISTENING,
        doc="trust `X-Forwarded-For`/`-Proto` from the addresses below (set behind an ALB; client "
        "IPs feed the sign-in rate limit)",
    )
    forwarded_allow_ips: str = setting(
        "JAMF_MCP_FORWARDED_ALLOW_IPS",
        default="127.0.0.1",
        parse=parsers.text,
        section=LISTENING,
        doc="which peers' forwarded headers are trusted (the load balancer's subnets)",
    )
    allowed_origins: frozenset[str] = setting(
        "JAMF_MCP_ALLOWED_ORIGINS",
        default=frozenset(),
        parse=parsers.comma_set,
        section=LISTENING,
        doc="comma-separated browser `Origin`s allowed besides loopback ones (e.g. "
        "`https://chatgpt.com`)",
    )
    allowed_hosts: frozenset[str] = setting(
        "JAMF_MCP_ALLOWED_HOSTS",
        default=frozenset(),
        parse=parsers.comma_set,
        section=LISTENING,
        doc="comma-separated `Host` names served besides the public URL's host, loopback names "
        "and IP literals; any other `Host` gets 403 on every route (DNS-rebinding guard). `*` "
        "turns the check off (only behind a proxy that rewrites `Host`)",
    )
    max_body_bytes: int = setting(
        "JAMF_MCP_MAX_BODY_BYTES",
        default=1_000_000,
        parse=parsers.whole_number,
        section=LISTENING,
        doc="larger request bodies get 413 (and longer stdio lines a JSON-RPC error)",
    )
    http_keepalive_timeout_seconds: float = setting(
        "JAMF_MCP_HTTP_KEEPALIVE_TIMEOUT_SECONDS",
        default=65.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section=LISTENING,
        doc="how long an idle HTTP keep-alive connection is kept (above the ALB's 60 s idle "
        "timeout, so the balancer never reuses a connection the server just closed)",
    )
    http_header_timeout_seconds: float = setting(
        "JAMF_MCP_HTTP_HEADER_TIMEOUT_SECONDS",
        default=10.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section=LISTENING,
        doc="a request's line and headers must arrive within this long (from the connection "
        "opening, or from their first byte on a kept-alive connection); else 408 and the "
        "connection closes (slowloris)",
    )
    http_body_timeout_seconds: float = setting(
        "JAMF_MCP_HTTP_BODY_TIMEOUT_SECONDS",
        default=30.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section=LISTENING,
        doc="an announced request body must arrive in full within this long after its headers; "
        "else the connection closes",
    )
    http_max_header_bytes: int = setting(
        "JAMF_MCP_HTTP_MAX_HEADER_BYTES",
        default=64 * 1024,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=LISTENING,
        doc="request line and headers larger than this are refused 400",
    )
    max_connections: int = setting(
        "JAMF_MCP_MAX_CONNECTIONS",
        default=2_048,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=LISTENING,
        doc="connections (and requests in flight) per process; beyond it uvicorn answers 503. "
        "Also the listen backlog. Keep the process's open-file limit (`ulimit -n`) above it",
    )
    auth: AuthSettings = group(AuthSettings)
    jamf: JamfSettings = group(JamfSettings)
    actions: ActionSettings = group(ActionSettings)
    digest_key: str | None = setting(
        "JAMF_MCP_DIGEST_KEY",
        parse=parsers.optional_text,
        checks=(checks.digest_key,),
        secret=True,
        section="actions",
        shown_default="*(unset: shared in Redis with `REDIS_URL`, else `<data dir>/digest-key`)*",
        doc="the secret key (≥ 32 random bytes, base64 or hex, e.g. `openssl rand -base64 32`) "
        "of the keyed action digests that confirmations are bound to and the audit trail "
        "records. Every replica must have the same one; set it from a secrets manager to share "
        "it without Redis or a shared disk "
        "([ADR 0017](adr/0017-keyed-action-digests-and-secret-parameters.md))",
    )
    tool_deadline_seconds: float = setting(
        "JAMF_MCP_TOOL_DEADLINE_SECONDS",
        default=25.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section="actions",
        doc="each tool call's time budget (and that of resource reads, prompts and completions): "
        "when it runs out, outstanding Jamf requests are cancelled and the call answers a clear "
        "error; Jamf retries stop when the next could not finish in time. Waiting for the "
        "person's confirmation does not count; progress sent to the client restarts it. Keep it "
        "below your MCP clients' timeouts",
    )
    keepalive_seconds: float = setting(
        "JAMF_MCP_KEEPALIVE_SECONDS",
        default=30.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section=STREAMS,
        doc="`:ping` comment interval on every SSE stream (keep it below the load balancer's idle "
        "timeout)",
    )
    resume_grace_seconds: float = setting(
        "JAMF_MCP_RESUME_GRACE_SECONDS",
        default=10.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section=STREAMS,
        doc="how long work on a dropped session stream waits to be resumed (`Last-Event-ID`) "
        "before it is told to stop",
    )
    shutdown_grace_seconds: float = setting(
        "JAMF_MCP_SHUTDOWN_GRACE_SECONDS",
        default=25.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section=STREAMS,
        doc="on SIGTERM, how long calls in flight (and work that outlived its connection) may "
        "take to finish; keep it below ECS's `stopTimeout`",
    )
    max_sessions_per_user: int = setting(
        "JAMF_MCP_MAX_SESSIONS_PER_USER",
        default=32,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=STREAMS,
        doc="MCP sessions one signed-in user may hold (across replicas with Redis); a new one "
        "ends their oldest",
    )
    max_sessions: int = setting(
        "JAMF_MCP_MAX_SESSIONS",
        default=10_000,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=STREAMS,
        doc="MCP sessions held in all; beyond it a new `initialize` (or legacy `GET /sse`) is "
        "refused 503 with `Retry-After`",
    )
    max_streams_per_user: int = setting(
        "JAMF_MCP_MAX_STREAMS_PER_USER",
        default=16,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=STREAMS,
        doc="long-lived streams (`GET /mcp`, legacy `GET /sse`) one user may hold per replica; a "
        "new one ends their oldest",
    )
    max_streams: int = setting(
        "JAMF_MCP_MAX_STREAMS",
        default=1_000,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=STREAMS,
        doc="long-lived streams per replica; beyond it a new one is refused 503 with `Retry-After`",
    )
    redis_url: str | None = setting(
        "REDIS_URL",
        parse=parsers.optional_text,
        secret=True,
        section=SHARED_STATE,
        shown_default="*(unset: in process memory)*",
        doc="`redis://` or `rediss://` (TLS) URL, credentials included. Sessions, stream events, "
        "elicitation answers and cancellations, pending confirmations, the OAuth front door's "
        "state, the revocation denylist, the development IdP's sign-in state and rate-limit "
        "buckets then live in Redis; Redis down means 503 and a failing readiness check, never a "
        "fallback to memory. `jamf-mcp auth revoke` needs it",
    )
    redis_prefix: str = setting(
        "JAMF_MCP_REDIS_PREFIX",
        default="jamf-mcp:",
        parse=str,
        checks=(checks.redis_prefix,),
        section=SHARED_STATE,
        doc="prefix of every key (several deployments can share one Redis); no whitespace or "
        "braces (a brace would put every key in one slot of a cluster)",
    )
    redis_cluster: bool = setting(
        "JAMF_MCP_REDIS_CLUSTER",
        default=False,
        parse=parsers.boolean,
        section=SHARED_STATE,
        doc="on when `REDIS_URL` names a node of a Redis Cluster (ElastiCache in cluster mode: "
        "its configuration endpoint). Needs Redis 7 or later (signals use sharded Pub/Sub); "
        "one-server key names get their slot anchors in braces "
        "([ADR 0035](adr/0035-redis-writes-that-run-once-and-keys-that-share-a-slot.md), "
        "[ADR 0036](adr/0036-redis-cluster-client-and-sharded-signals.md)). `jamf-mcp doctor` "
        "says when this setting and the server disagree",
    )
    audit: AuditSettings = group(AuditSettings)
    rate_limit_per_minute: int = setting(
        "JAMF_MCP_RATE_LIMIT_PER_MINUTE",
        default=600,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=RATE_LIMITS,
        doc="token bucket per signed-in principal on `/mcp`, `/sse`, `/messages` (capacity and "
        "refill per minute); over it: 429, `Retry-After`, "
        '`{"error":"Rate limit exceeded","retry_after":N}`',
    )
    auth_rate_limit_per_minute: int = setting(
        "JAMF_MCP_AUTH_RATE_LIMIT_PER_MINUTE",
        default=120,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=RATE_LIMITS,
        doc="the same per client IP on the sign-in pages: `/auth/*` (but the token and "
        "revocation endpoints) and `/dev-idp/*`",
    )
    metrics_enabled: bool = setting(
        "JAMF_MCP_METRICS_ENABLED",
        default=True,
        parse=parsers.boolean,
        section=OPERATIONS,
        doc="Prometheus metrics at `/metrics` (`jamf_mcp_*`)",
    )
    metrics_token: str | None = setting(
        "JAMF_MCP_METRICS_TOKEN",
        parse=parsers.optional_text,
        secret=True,
        section=OPERATIONS,
        doc="bearer token scrapes must send; without it `/metrics` is served only on loopback "
        "binds…",
    )
    metrics_allow_unauthenticated: bool = setting(
        "JAMF_MCP_METRICS_ALLOW_UNAUTHENTICATED",
        default=False,
        parse=parsers.boolean,
        section=OPERATIONS,
        doc="…or when this says an open `/metrics` is intended",
    )
    readiness_timeout_seconds: float = setting(
        "JAMF_MCP_READINESS_TIMEOUT_SECONDS",
        default=2.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section=OPERATIONS,
        doc="time limit of each readiness probe (Jamf, identity keys, Redis, the audit trail)",
    )
    readiness_cache_seconds: float = setting(
        "JAMF_MCP_READINESS_CACHE_SECONDS",
        default=5.0,
        parse=parsers.number,
        section=OPERATIONS,
        doc="how long a readiness answer is reused (so frequent health checks do not hammer Jamf)",
    )
    log_level: str = setting(
        "JAMF_MCP_LOG_LEVEL",
        default="INFO",
        parse=parsers.text,
        convert=str.upper,
        section=OPERATIONS,
        doc="`DEBUG`, `INFO`, `WARNING`, …",
    )
    log_format: str = setting(
        "JAMF_MCP_LOG_FORMAT",
        default="console",
        parse=parsers.text,
        section=OPERATIONS,
        doc="`console` or `json` (one object per line with `timestamp`, `level`, `logger`, "
        "`event`, `request_id`, `trace_id`, `subject`, `tool`, …); tokens, codes, secrets and "
        "`Authorization` headers are always redacted. Nothing a client sends can start a line: "
        "client-supplied text is logged as fields (`rpc_id`, `client`, …), the console format "
        "escapes control characters and indents tracebacks, JSON escapes them (U+2028/2029 and "
        "NEL included). Every unexpected failure is logged once with its traceback and request "
        "id, and answered 500 with that request id only",
    )
    docs_url: str | None = setting(
        "JAMF_MCP_DOCS_URL",
        parse=parsers.optional_text,
        section=OPERATIONS,
        doc="where your copy of the project's files is published (e.g. "
        "`https://git.example.com/it/jamf-mcp/blob/main`): the home page links to "
        "`…/docs/sign-in.md` and the rest; unset, it lists their paths",
    )
    simulator: SimulatorSettings = group(SimulatorSettings)

    def __attrs_post_init__(self) -> None:
        if self.redis_cluster and not self.redis_url:
            raise SettingsError(
                "JAMF_MCP_REDIS_CLUSTER is set, but REDIS_URL (a node of it) is not"
            )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read `JAMF_*`, `JAMF_MCP_*`, `OIDC_*` and `REDIS_URL`; keyword overrides (flags) win.

        Overrides are named after the flags (`host`, `port`, `data_dir`, `auth`, `public_url`);
        None means the flag was not given.

        Raises:
            SettingsError: a value is malformed or settings that go together are incomplete.
            TypeError: an override names no flag.
        """
        flags = {d.override_name for _, d in walk(cls) if d.override_name}
        unknown = set(overrides) - flags
        if unknown:
            raise TypeError(f"no setting has the flag {', '.join(sorted(unknown))}")
        return read_settings(cls, os.environ if env is None else env, overrides)

    @property
    def audit_path(self) -> Path:
        """The embedded audit trail (SQLite), used when no `audit.url` is set."""
        return self.data_dir / "audit.sqlite3"

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
