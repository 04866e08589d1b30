"""Settings groups: Jamf Pro, the embedded simulator, device actions and the audit trail."""

from __future__ import annotations

import attrs

from jamf_mcp.settings import checks, parsers
from jamf_mcp.settings.declarations import SettingsError, setting


@attrs.frozen(kw_only=True)
class JamfSettings:
    """How to reach Jamf Pro; `url` None means the embedded simulator."""

    url: str | None = setting(
        "JAMF_URL",
        parse=parsers.optional_text,
        section="jamf",
        shown_default="*(unset: the embedded simulator)*",
        doc="your Jamf Pro, e.g. `https://acme.jamfcloud.com`",
    )
    client_id: str | None = setting(
        "JAMF_CLIENT_ID",
        parse=parsers.optional_text,
        section="jamf",
        doc="an API client (recommended), with `JAMF_CLIENT_SECRET`; without `JAMF_URL` they may "
        "name one of the embedded tenant's demo clients (`jamf-mcp simulator` prints them)",
    )
    client_secret: str | None = setting(
        "JAMF_CLIENT_SECRET",
        parse=parsers.optional_text,
        secret=True,
        section="jamf",
        doc="the API client's secret",
    )
    username: str | None = setting(
        "JAMF_USERNAME",
        parse=parsers.optional_text,
        section="jamf",
        doc="or a Jamf Pro user (Basic → bearer token), with `JAMF_PASSWORD`",
    )
    password: str | None = setting(
        "JAMF_PASSWORD",
        parse=parsers.optional_text,
        secret=True,
        section="jamf",
        doc="that user's password",
    )
    max_in_flight: int = setting(
        "JAMF_MAX_IN_FLIGHT",
        default=5,
        parse=parsers.whole_number,
        section="jamf",
        doc="concurrent requests to Jamf, per replica (Jamf advises at most 5 in all: lower it "
        "when running several replicas)",
    )
    timeout_seconds: float = setting(
        "JAMF_TIMEOUT_SECONDS",
        default=30.0,
        parse=parsers.number,
        section="jamf",
        doc="per-request timeout",
    )
    page_size: int = setting(
        "JAMF_PAGE_SIZE",
        default=500,
        parse=parsers.whole_number,
        section="jamf",
        doc="inventory rows per page (1 to 2000)",
    )

    def __attrs_post_init__(self) -> None:
        if self.url and not (
            (self.client_id and self.client_secret) or (self.username and self.password)
        ):
            raise SettingsError(
                "JAMF_URL is set but credentials are not: set JAMF_CLIENT_ID and JAMF_CLIENT_SECRET "
                "(an API client, recommended) or JAMF_USERNAME and JAMF_PASSWORD."
            )

    @property
    def embedded(self) -> bool:
        """True when no Jamf Pro is configured and the built-in simulator is used."""
        return self.url is None


@attrs.frozen(kw_only=True)
class SimulatorSettings:
    """The embedded simulator's demo tenant.

    Attributes:
        computers: fleet size.
        latency_ms: latency added to every simulated Jamf request.
        check_in_frequency_minutes: the demo tenant's check-in frequency (Jamf: 5-60, default 15),
            served at `/api/v3/check-in`; simulated Macs check in at exactly this frequency.
        tick_seconds: how often the simulator processes due check-ins and MDM commands.
    """

    computers: int = setting(
        "JAMF_MCP_SIMULATOR_COMPUTERS",
        default=500,
        parse=parsers.whole_number,
        section="simulator",
        doc="fleet size of the demo tenant",
    )
    latency_ms: float = setting(
        "JAMF_MCP_SIMULATOR_LATENCY_MS",
        default=0.0,
        parse=parsers.number,
        section="simulator",
        doc="latency added to every simulated Jamf request",
    )
    check_in_frequency_minutes: int = setting(
        "JAMF_MCP_SIMULATOR_CHECK_IN_MINUTES",
        default=15,
        parse=parsers.whole_number,
        checks=(checks.between(5, 60, "Jamf's range"),),
        section="simulator",
        doc="the demo tenant's check-in frequency (5 to 60, served at `/api/v3/check-in`); "
        "simulated Macs check in at exactly this frequency",
    )
    tick_seconds: float = setting(
        "JAMF_MCP_SIMULATOR_TICK_SECONDS",
        default=5.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section="simulator",
        doc="how often due check-ins run and MDM commands are acknowledged",
    )


@attrs.frozen(kw_only=True)
class ActionSettings:
    """Device-changing actions: confirmations, the inventory policy and bulk limits.

    Attributes:
        confirmation_ttl_seconds: how long a confirmation token (and an elicitation) stays open.
        inventory_policy: the policy that collects computer inventory, by id or name.
        max_targets: the most devices one confirmed action may name.
        wait_poll_seconds: how often policy logs are read while `waitSeconds` waits (not read
            from the environment).
        policy_run_expiry_hours: how long a queued computer may take to run the policy before
            it leaves the dedicated group and is reported "expired" (not run).
        reconcile_seconds: how often queued policy runs are checked and cleaned up.
        confirmation_mode, confirmation_fallback, approval_wait_seconds, page_session_seconds:
            how people confirm actions (the approval page, ADRs 0032-0034).
    """

    confirmation_ttl_seconds: int = setting(
        "JAMF_MCP_CONFIRMATION_TTL_SECONDS",
        default=300,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section="actions",
        doc="how long a confirmation stays open: an approval (its link and page), an "
        "elicitation, an opted-in token",
    )
    confirmation_mode: str = setting(
        "JAMF_MCP_CONFIRMATION_MODE",
        default="form",
        parse=parsers.text,
        convert=str.lower,
        checks=(checks.one_of("form", "url"),),
        section="actions",
        doc="how a client that declares both form and URL-mode elicitation is asked: `form` "
        "(the summary in the client's form) or `url` (the client opens this server's "
        "approval page, where the user signs in; the call waits for the decision). "
        "Clients with only URL mode always get the page ([ADR "
        "0033](adr/0033-confirmation-path-by-client-capability.md))",
    )
    confirmation_fallback: str = setting(
        "JAMF_MCP_CONFIRMATION_FALLBACK",
        default="none",
        parse=parsers.text,
        convert=str.lower,
        checks=(checks.one_of("none", "token"),),
        section="actions",
        doc="what clients without elicitation get: `none` — an approval link (`status: "
        '"approval_required"`) the user opens and approves in their browser; `token` — '
        "the older two-step `confirmationToken` the model passes back, for trusted "
        "clients only: with it, a model can confirm by itself. `ERASE_DEVICE` and "
        "`DEVICE_LOCK` never use a token ([ADR "
        "0034](adr/0034-model-held-token-only-by-opt-in.md)). On stdio (no page) without "
        "form elicitation, actions are refused unless this is `token`",
    )
    approval_wait_seconds: float = setting(
        "JAMF_MCP_APPROVAL_WAIT_SECONDS",
        default=0.0,
        parse=parsers.number,
        checks=(checks.between(0, 60),),
        section="actions",
        doc="how long (0-60 s) a call that finds its approval still open waits for the person "
        'before answering "still waiting" (the same call made again while they are on the '
        "page). A first call never waits: the person needs the link from its answer",
    )
    page_session_seconds: int = setting(
        "JAMF_MCP_PAGE_SESSION_SECONDS",
        default=1800,
        parse=parsers.whole_number,
        checks=(checks.between(60, 86_400),),
        section="actions",
        doc="how long (60-86400 s) a browser stays signed in to the approval page "
        "(`__Host-jamf_mcp_page` on https, `jamf_mcp_page_http` on plain http; HttpOnly, "
        "SameSite=Lax; kept in Redis with `REDIS_URL`). Not renewed by use ([ADR "
        "0032](adr/0032-approval-page-and-page-sessions.md))",
    )
    inventory_policy: str = setting(
        "JAMF_MCP_INVENTORY_POLICY",
        default="Update Inventory",
        parse=parsers.text,
        section="actions",
        doc="the policy (name or id) that collects computer inventory: enabled, triggered at "
        "check-in, with *Update Inventory* in its maintenance. Jamf's built-in one runs once a "
        "week, so on most active Macs it already ran and cannot run again on request; for "
        "on-demand inventory create an **Ongoing** policy, trigger *Recurring Check-in*, *Update "
        "Inventory* in its maintenance, **no scope** (the server's dedicated group joins its "
        'scope only until the run), and name it here (the demo tenant\'s "Inventory on Request")',
    )
    policy_run_expiry_hours: float = setting(
        "JAMF_MCP_POLICY_RUN_EXPIRY_HOURS",
        default=24.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section="actions",
        doc="how long a queued computer may take to run the policy; after that it leaves the "
        "dedicated group and `getActionStatus` reports it `expired` (not run)",
    )
    reconcile_seconds: float = setting(
        "JAMF_MCP_RECONCILE_SECONDS",
        default=60.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section="actions",
        doc="how often queued policy runs are checked against the computers' policy logs and "
        "cleaned up (one replica at a time when Redis is shared)",
    )
    max_targets: int = setting(
        "JAMF_MCP_MAX_ACTION_TARGETS",
        default=10_000,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section="actions",
        doc="the most devices one confirmed action may name",
    )
    wait_poll_seconds: float = 3.0

    @property
    def inventory_policy_id(self) -> int | None:
        """The inventory policy's id, when it was given as a number."""
        value = self.inventory_policy.strip()
        return int(value) if value.isdigit() else None


@attrs.frozen(kw_only=True)
class AuditSettings:
    """Where the audit trail is kept.

    Attributes:
        url: a `postgresql://` URL (libpq syntax) for one trail shared by every replica; None
            keeps it in `audit.sqlite3` in the data directory (one process).
        migration_url: the migration role's URL, read by `jamf-mcp audit migrate` only.
        schema: the PostgreSQL schema holding the tables.
        migrate: `auto` (bring the schema up to date at first use, under an advisory lock) or
            `off` (an operator runs `jamf-mcp audit migrate` with the migration role).
        pool_size: most PostgreSQL connections per process.
        timeout_seconds: how long a write waits for (and to make) a connection before the action
            is refused.
        expiry_sweep_seconds: how often unanswered confirmations are recorded as expired (0: off).
        expiry_grace_seconds: how long after its deadline a question is recorded as expired.
    """

    url: str | None = setting(
        "JAMF_MCP_AUDIT_URL",
        parse=parsers.optional_text,
        checks=(checks.postgresql_url,),
        secret=True,
        section="audit",
        shown_default="*(unset: `audit.sqlite3` in the data directory, one process)*",
        doc="`postgresql://USER@HOST:5432/DB?sslmode=verify-full&sslrootcert=/path/ca.pem`: one "
        "trail for every replica. A libpq URL, so `PGPASSWORD`/`PGPASSFILE` supply the password "
        "(keep it out of the URL). PostgreSQL down: actions are refused with a clear tool error, "
        "reads go on, `/health/ready` says `degraded`",
    )
    schema: str = setting(
        "JAMF_MCP_AUDIT_SCHEMA",
        default="jamf_mcp_audit",
        parse=parsers.text,
        checks=(checks.sql_name,),
        section="audit",
        doc="the PostgreSQL schema of the tables (lower-case letters, digits, `_`)",
    )
    migrate: str = setting(
        "JAMF_MCP_AUDIT_MIGRATE",
        default="auto",
        parse=parsers.text,
        convert=str.lower,
        checks=(checks.one_of("auto", "off"),),
        section="audit",
        doc="`auto`: bring the schema up to date at first use (an advisory lock makes "
        "simultaneous starts safe; needs a role that may create it); `off`: the server only "
        "checks the version, and an operator runs `jamf-mcp audit migrate` with the migration role",
    )
    migration_url: str | None = setting(
        "JAMF_MCP_AUDIT_MIGRATION_URL",
        parse=parsers.optional_text,
        secret=True,
        section="audit",
        doc="the migration role's URL, read by `jamf-mcp audit migrate` only (default: "
        "`JAMF_MCP_AUDIT_URL`)",
    )
    pool_size: int = setting(
        "JAMF_MCP_AUDIT_POOL_SIZE",
        default=5,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section="audit",
        doc="most PostgreSQL connections per replica",
    )
    timeout_seconds: float = setting(
        "JAMF_MCP_AUDIT_TIMEOUT_SECONDS",
        default=5.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section="audit",
        doc="how long a write waits for (and to open) a connection before the action is refused",
    )
    expiry_sweep_seconds: float = setting(
        "JAMF_MCP_AUDIT_EXPIRY_SWEEP_SECONDS",
        default=60.0,
        parse=parsers.number,
        checks=(checks.not_negative,),
        section="audit",
        doc="how often each replica records unanswered confirmations as `expired` (`0`: off)",
    )
    expiry_grace_seconds: float = setting(
        "JAMF_MCP_AUDIT_EXPIRY_GRACE_SECONDS",
        default=60.0,
        parse=parsers.number,
        checks=(checks.positive,),
        section="audit",
        doc="how long after its deadline a question is left before it is recorded as expired "
        "(above any clock skew between replicas)",
    )
