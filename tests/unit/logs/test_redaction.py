"""Log redaction: credentials never reach a log line, whatever field carries them."""

from __future__ import annotations

from jamf_mcp.adapters.structured_logs import REDACTED, redact_secrets


def test_access_log_query_strings_lose_their_codes_and_tokens() -> None:
    event = {
        "event": '127.0.0.1:1 - "GET /auth/upstream/callback?code=abc123&state=xyz HTTP/1.1" 302'
    }
    redacted = redact_secrets(None, "info", event)["event"]
    assert "abc123" not in redacted
    assert "xyz" not in redacted
    assert f"code={REDACTED}" in redacted


def test_authorization_headers_and_sensitive_keys_are_blanked() -> None:
    event = {
        "event": "sent Authorization: Bearer eyJhbGciOi.x.y",
        "client_secret": "hunter2",
        "path": "/mcp",
    }
    redacted = redact_secrets(None, "info", event)
    assert "eyJhbGciOi" not in redacted["event"]
    assert redacted["client_secret"] == REDACTED
    assert redacted["path"] == "/mcp"
