"""The PostgreSQL audit schema as numbered migrations, applied under an advisory lock.

Several replicas may start at once: each takes a transaction-scoped advisory lock named after
the schema, reads the versions already applied from `schema_migrations`, applies the missing ones
in order and records them, all in one transaction (PostgreSQL DDL is transactional). The others
wait on the lock, then find nothing to do. An applied migration whose text changed since is
refused (its checksum no longer matches).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

import attrs
from psycopg import AsyncConnection

SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


@attrs.frozen
class Migration:
    """One step of the schema: `sql` with `{s}` standing for the quoted schema name."""

    version: int
    description: str
    sql: str

    def checksum(self) -> str:
        """SHA-256 of the migration's text."""
        return hashlib.sha256(self.sql.encode()).hexdigest()


_V1 = """
CREATE TABLE {s}.audit_records (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id text NOT NULL UNIQUE CHECK (length(record_id) <= 64),
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    action_kind text NOT NULL,
    command text,
    policy_id bigint,
    policy_name text,
    digest text NOT NULL,
    summary text NOT NULL,
    target_count integer NOT NULL
);
CREATE INDEX audit_records_by_action ON {s}.audit_records (action_kind, upper(command));
CREATE INDEX audit_records_by_time ON {s}.audit_records (recorded_at);
CREATE TABLE {s}.audit_targets (
    record_id text NOT NULL REFERENCES {s}.audit_records (record_id),
    position integer NOT NULL,
    device_kind text NOT NULL,
    jamf_id text NOT NULL,
    name text NOT NULL,
    serial_number text,
    management_id text,
    user_name text,
    PRIMARY KEY (record_id, position)
);
CREATE INDEX audit_targets_by_jamf_id ON {s}.audit_targets (jamf_id);
CREATE INDEX audit_targets_by_name ON {s}.audit_targets (lower(name));
CREATE INDEX audit_targets_by_serial ON {s}.audit_targets (lower(serial_number));
CREATE TABLE {s}.audit_events (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id text NOT NULL UNIQUE CHECK (length(event_id) <= 128),
    record_id text NOT NULL REFERENCES {s}.audit_records (record_id),
    kind text NOT NULL CHECK (kind IN ('requested', 'approved', 'declined', 'cancelled',
        'expired', 'refused', 'outcome')),
    at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    issuer text NOT NULL,
    subject text NOT NULL,
    oauth_client_id text,
    display_name text,
    channel text,
    client_name text CHECK (length(client_name) <= 200),
    client_version text CHECK (length(client_version) <= 200),
    expires_at timestamptz,
    reason text,
    detail text NOT NULL DEFAULT '',
    status text,
    results jsonb
);
CREATE INDEX audit_events_by_record ON {s}.audit_events (record_id, seq);
CREATE INDEX audit_events_by_time ON {s}.audit_events (at);
CREATE INDEX audit_events_by_user ON {s}.audit_events ((issuer || '#' || subject));
CREATE INDEX audit_events_by_subject ON {s}.audit_events (lower(subject));
CREATE INDEX audit_events_by_name ON {s}.audit_events (lower(display_name));
CREATE INDEX audit_events_open_requests ON {s}.audit_events (expires_at)
    WHERE kind = 'requested';
CREATE FUNCTION {s}.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only (% on %)', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON {s}.audit_records
    FOR EACH ROW EXECUTE FUNCTION {s}.audit_append_only();
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON {s}.audit_records
    FOR EACH STATEMENT EXECUTE FUNCTION {s}.audit_append_only();
CREATE TRIGGER audit_targets_append_only BEFORE UPDATE OR DELETE ON {s}.audit_targets
    FOR EACH ROW EXECUTE FUNCTION {s}.audit_append_only();
CREATE TRIGGER audit_targets_no_truncate BEFORE TRUNCATE ON {s}.audit_targets
    FOR EACH STATEMENT EXECUTE FUNCTION {s}.audit_append_only();
CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON {s}.audit_events
    FOR EACH ROW EXECUTE FUNCTION {s}.audit_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON {s}.audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION {s}.audit_append_only();
"""

MIGRATIONS = (Migration(1, "records, targets and events; append-only triggers", _V1),)
LATEST = MIGRATIONS[-1].version


class SchemaOutOfDate(Exception):
    """The schema is behind this release and this connection may not (or must not) migrate it."""


def quoted(schema: str) -> str:
    """The schema name, checked and double-quoted for SQL text."""
    if not SCHEMA_NAME.fullmatch(schema):
        raise ValueError(
            f"the audit schema name must be lower-case letters, digits and _, got {schema!r}"
        )
    return f'"{schema}"'


def lock_key(schema: str) -> int:
    """The advisory lock that serialises migrations of `schema` (a signed 64-bit integer)."""
    digest = hashlib.sha256(f"jamf-mcp audit schema {schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


async def current_version(connection: AsyncConnection[Any], schema: str) -> int:
    """The newest applied migration (0 when there is no schema yet)."""
    s = quoted(schema)
    cursor = await connection.execute(
        "SELECT to_regclass(%s) IS NOT NULL", [f"{s}.schema_migrations"]
    )
    row = await cursor.fetchone()
    if not row or not row[0]:
        return 0
    cursor = await connection.execute(
        f"SELECT coalesce(max(version), 0) FROM {s}.schema_migrations"  # noqa: S608
    )
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(connection: AsyncConnection[Any], schema: str) -> list[int]:
    """Apply the missing migrations in one transaction under the advisory lock; return them.

    Raises:
        SchemaOutOfDate: the schema is newer than this release, or an applied migration changed.
        psycopg.Error: the connection's role may not create what is missing (use the migration
            role: `jamf-mcp audit migrate`).
    """
    s = quoted(schema)
    applied_now: list[int] = []
    async with connection.transaction():
        await connection.execute("SELECT pg_advisory_xact_lock(%s)", [lock_key(schema)])
        exists = await connection.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        if await exists.fetchone() is None:
            await connection.execute(f"CREATE SCHEMA {s}")
        await connection.execute(
            f"CREATE TABLE IF NOT EXISTS {s}.schema_migrations ("
            "version integer PRIMARY KEY, description text NOT NULL, checksum text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now(), "
            "applied_by text NOT NULL DEFAULT current_user)"
        )
        cursor = await connection.execute(
            f"SELECT version, checksum FROM {s}.schema_migrations"  # noqa: S608
        )
        applied = {int(version): checksum for version, checksum in await cursor.fetchall()}
        newer = [version for version in applied if version > LATEST]
        if newer:
            raise SchemaOutOfDate(
                f"the audit schema {schema} is at version {max(newer)}, newer than this "
                f"release knows ({LATEST}); upgrade jamf-mcp"
            )
        for migration in MIGRATIONS:
            if migration.version in applied:
                if applied[migration.version] != migration.checksum():
                    raise SchemaOutOfDate(
                        f"audit migration {migration.version} differs from the one applied"
                    )
                continue
            await connection.execute(migration.sql.replace("{s}", s).encode())
            await connection.execute(
                f"INSERT INTO {s}.schema_migrations (version, description, checksum) "  # noqa: S608
                "VALUES (%s, %s, %s)",
                [migration.version, migration.description, migration.checksum()],
            )
            applied_now.append(migration.version)
    return applied_now
