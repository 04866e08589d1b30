"""Token and revocation requests sent as JSON: the same parameters as the form, as one object.

RFC 6749 §4.1.3 specifies `application/x-www-form-urlencoded`; some clients (the seed's connector
among them) post the same parameters as a JSON object. Both are read into the one mapping the
front door checks, so a JSON request needs exactly what a form needs (grant type, PKCE verifier,
client authentication) and gets the same answers.
"""

from __future__ import annotations

import json
from typing import Any

from jamf_mcp.adapters.oauth_server import OAuthError

MAX_JSON_PARAMETERS = 32


class _Repeated(Exception):
    """A JSON object named one member twice."""


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in pairs:
        if key in values:
            raise _Repeated(key)
        values[key] = value
    return values


def json_parameters(body: bytes) -> dict[str, str]:
    """The parameters of a JSON token request: one object whose values are strings.

    Raises:
        OAuthError: `invalid_request` for anything else (not JSON, not an object, a value that
            is not a string, a member named twice, too many members).
    """
    try:
        document = json.loads(body, object_pairs_hook=_no_repeats)
    except _Repeated:
        raise OAuthError("invalid_request", "A parameter was sent twice.") from None
    except (ValueError, RecursionError):
        raise OAuthError("invalid_request", "The body is not valid JSON.") from None
    if not isinstance(document, dict):
        raise OAuthError("invalid_request", "The JSON body must be an object of parameters.")
    if len(document) > MAX_JSON_PARAMETERS:
        raise OAuthError("invalid_request", "The request has too many parameters.")
    if not all(isinstance(value, str) for value in document.values()):
        raise OAuthError("invalid_request", "Every parameter must be a string, as in the form.")
    return dict(document)
