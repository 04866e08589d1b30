"""MCP sessions to JSON and back (named functions; no `Session(**payload)`)."""

from __future__ import annotations

from jamf_mcp.adapters.mcp.sessions import Session
from jamf_mcp.adapters.redis import stored_json as f


def session_to_json(session: Session) -> bytes:
    """The stored form of a session."""
    return f.dump(
        {
            "id": session.id,
            "principal_key": session.principal_key,
            "protocol_version": session.protocol_version,
            "client_info": dict(session.client_info),
            "client_capabilities": dict(session.client_capabilities),
            "created_at": session.created_at.isoformat(),
            "last_seen_at": session.last_seen_at.isoformat(),
            "log_level": session.log_level,
        }
    )


def session_from_json(raw: bytes | str) -> Session:
    """A session from its stored form.

    Raises:
        StoredRecordInvalid: the record is not one `session_to_json` wrote.
    """
    record = f.load(raw)
    return Session(
        id=f.text(record, "id"),
        principal_key=f.text(record, "principal_key"),
        protocol_version=f.text(record, "protocol_version"),
        client_info=f.obj(record, "client_info"),
        client_capabilities=f.obj(record, "client_capabilities"),
        created_at=f.instant(record, "created_at"),
        last_seen_at=f.instant(record, "last_seen_at"),
        log_level=f.optional_text(record, "log_level"),
    )
