"""Turn Jamf Pro error responses (Pro API JSON, OAuth JSON, Classic HTML) into domain errors."""

from __future__ import annotations

import html
import json
import re

import httpx

from jamf_mcp.domain.errors import (
    JamfCredentialsRejected,
    JamfOutcomeUnknown,
    JamfPermissionDenied,
    JamfRequestRejected,
    JamfUnavailable,
)

RETRYABLE_STATUSES = frozenset({408, 500, 502, 503, 504})
UNCONFIRMED_STATUSES = frozenset({500, 502, 504})
"""Answers to a write that say nothing about whether it was applied: Jamf failed part-way (500),
or a gateway gave up on Jamf, which may still finish the work (502, 504). A 503 is load shedding:
the request was turned away before Jamf processed it."""
_MAX_DESCRIPTION = 240
_TAGS = re.compile(r"<[^>]+>")
_BLOCKS = re.compile(r"(?is)<(script|style|head)\b.*?</\1>")
_SPACE = re.compile(r"\s+")
_TITLE = re.compile(r"(?is)<h1[^>]*>(.*?)</h1>")
_PRIVILEGE = re.compile(
    r"""privileges?\b(?:\s+required)?\s*(?:is|are)?\s*[:=]?\s*\[?\s*["'“]?"""
    r"""(?P<name>[A-Z][A-Za-z0-9&/\- ]*[A-Za-z0-9])""",
    re.IGNORECASE,
)


class JamfResourceMissing(JamfRequestRejected):
    """Jamf answered 404; the caller knows whether that means a missing device, policy or endpoint."""


class TokenServiceUnavailable(JamfUnavailable):
    """The token endpoint failed with a server error; safe to retry an idempotent request."""


class RetryableStatus(Exception):
    """A response worth retrying (408/5xx) for an idempotent request."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def describe_error(response: httpx.Response) -> str:
    """A short, human-readable reason extracted from an error response (never its headers)."""
    text = response.text
    content_type = response.headers.get("content-type", "")
    if "json" in content_type or text.lstrip().startswith(("{", "[")):
        described = _describe_json(text)
        if described:
            return described
    if "<" in text and ">" in text:
        return _describe_html(text)
    return _clip(_SPACE.sub(" ", text).strip()) or response.reason_phrase or "no details"


def _describe_json(text: str) -> str | None:
    try:
        body = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if isinstance(errors, list):
        parts = [
            str(item.get("description") or item.get("code") or "")
            + (f" (field {item['field']})" if item.get("field") else "")
            for item in errors
            if isinstance(item, dict)
        ]
        joined = "; ".join(part for part in parts if part)
        if joined:
            return _clip(joined)
    for key in ("error_description", "error", "message", "description"):
        value = body.get(key)
        if isinstance(value, str) and value:
            return _clip(value)
    return None


def _describe_html(text: str) -> str:
    """Classic API errors are Tomcat status pages: prefer the body text after the title."""
    without_blocks = _BLOCKS.sub(" ", text)
    title_match = _TITLE.search(without_blocks)
    title = _flatten(title_match.group(1)) if title_match else ""
    rest = _flatten(without_blocks[title_match.end() :] if title_match else without_blocks)
    summary = f"{title}: {rest}" if title and rest else title or rest
    return _clip(summary) or "no details"


def _flatten(fragment: str) -> str:
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", fragment))).strip()


def _clip(text: str) -> str:
    return text if len(text) <= _MAX_DESCRIPTION else text[: _MAX_DESCRIPTION - 1] + "…"


def privilege_named_in(description: str) -> str | None:
    """The Jamf privilege an error description names, e.g. `Read Computers`, if any."""
    match = _PRIVILEGE.search(description)
    return match.group("name").strip() if match else None


def error_for(
    response: httpx.Response, *, host: str, privilege_hint: str | None = None
) -> Exception:
    """The domain error for a final (non-retried) error response."""
    status = response.status_code
    description = describe_error(response)
    where = f"{response.request.method} {response.request.url.path}"
    if status == 401:
        return JamfCredentialsRejected(
            f"Jamf Pro at {host} rejected this server's access token for {where} even after "
            f"signing in again (HTTP 401: {description}). Check the API client is enabled and its "
            "credentials are current."
        )
    if status == 403:
        privilege = privilege_named_in(description) or privilege_hint
        grant = (
            f"Grant the privilege '{privilege}' to an API role assigned to this server's API client"
            if privilege
            else "Grant the missing privilege to an API role assigned to this server's API client"
        )
        return JamfPermissionDenied(
            f"Jamf Pro at {host} refused {where}: the API client lacks a required privilege "
            f"({description}). {grant} (Settings > System > API roles and clients).",
            privilege=privilege,
        )
    if status == 404:
        return JamfResourceMissing(f"Jamf Pro at {host} has nothing at {where} ({description}).")
    if status in RETRYABLE_STATUSES or status >= 500 or status == 429:
        return unavailable(host, f"HTTP {status}: {description}")
    return JamfRequestRejected(
        f"Jamf Pro at {host} rejected {where} (HTTP {status}): {description}"
    )


def unavailable(host: str, reason: str) -> JamfUnavailable:
    """The error for a tenant that does not answer usefully."""
    return JamfUnavailable(f"Jamf Pro at {host} is not responding ({reason}); try again shortly.")


def outcome_unknown(host: str, method: str, path: str, reason: str) -> JamfOutcomeUnknown:
    """The error for a write that was (or may have been) sent but got no definite answer."""
    return JamfOutcomeUnknown(
        f"Jamf Pro at {host} did not confirm {method} {path} ({reason}); it may or may not "
        "have been applied. Check in Jamf Pro before trying again."
    )
