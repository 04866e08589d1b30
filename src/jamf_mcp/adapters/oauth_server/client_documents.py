"""Client ID Metadata Documents: what a client's published JSON makes of it here.

ChatGPT's document (as reported by several servers' issues; see docs/sign-in.md) declares
`token_endpoint_auth_method: "private_key_jwt"`, lists `["none", "private_key_jwt"]` as supported,
signs with `RS256` and publishes its keys at `jwks_uri`. Rules:

- `client_id` must be the document's own URL; redirect URIs are checked as for registration.
- The declared method is used when this server offers it: `none` (a public PKCE client), or
  `private_key_jwt` with a `jwks_uri` (https, shaped like a document URL) or inline `jwks`
  (public keys only; not both), when private_key_jwt is on. A method the server does not offer
  falls back to `none` when the document lists `none` among
  `token_endpoint_auth_methods_supported`; otherwise the document is refused. A document can
  never use a shared secret: anyone can read it.
- Grant types this server does not run are ignored (the client simply cannot use them here);
  `authorization_code` must be among them. Response types must include `code`.
- `token_endpoint_auth_signing_alg`, when given, must be one this server verifies.
"""

from __future__ import annotations

import json
from typing import Any

from joserfc.errors import JoseError

from jamf_mcp.adapters.oauth_server.client_metadata import metadata_url_problem
from jamf_mcp.adapters.oauth_server.records import PRIVATE_KEY_JWT, RegisteredClient
from jamf_mcp.adapters.oauth_server.registration import (
    APPLICATION_TYPES,
    GRANT_TYPES,
    choice_of,
    client_name_of,
    invalid_metadata,
    redirect_uris_of,
    strings_of,
)
from jamf_mcp.adapters.oidc.jwks import import_jwks
from jamf_mcp.adapters.oidc.jwt_checks import ALLOWED_ALGORITHMS

ASSERTION_ALGORITHMS = ALLOWED_ALGORITHMS
"""What a client assertion may be signed with: asymmetric algorithms only (never `none` or HS*,
whose "key" would be public or shared)."""
MAX_INLINE_KEYS = 10
_PRIVATE_MEMBERS = frozenset({"d", "p", "q", "dp", "dq", "qi", "k", "oth"})


def _methods(document: dict[str, Any], private_key_jwt: bool) -> str:
    declared = document.get("token_endpoint_auth_method", "none")
    offered = ("none", PRIVATE_KEY_JWT) if private_key_jwt else ("none",)
    if declared in offered:
        return str(declared)
    supported = strings_of(document, "token_endpoint_auth_methods_supported", ())
    if "none" in supported:
        return "none"  # the client says it can also be a public PKCE client
    if declared == PRIVATE_KEY_JWT:
        raise invalid_metadata(
            "this server does not accept private_key_jwt for metadata-document clients, and the "
            "document does not offer none among token_endpoint_auth_methods_supported"
        )
    raise invalid_metadata(
        "a metadata-document client must use token_endpoint_auth_method none or private_key_jwt"
    )


def _flows(document: dict[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    grant_types = tuple(
        g for g in strings_of(document, "grant_types", GRANT_TYPES) if g in GRANT_TYPES
    )
    if "authorization_code" not in grant_types:
        raise invalid_metadata("grant_types must include authorization_code")
    if "code" not in strings_of(document, "response_types", ("code",)):
        raise invalid_metadata('response_types must include "code"')
    return grant_types, ("code",)


def _algorithms(document: dict[str, Any]) -> tuple[str, ...]:
    declared = document.get("token_endpoint_auth_signing_alg")
    if declared is None:
        return ASSERTION_ALGORITHMS
    if declared not in ASSERTION_ALGORITHMS:
        raise invalid_metadata(
            f"token_endpoint_auth_signing_alg must be one of {', '.join(ASSERTION_ALGORITHMS)}"
        )
    return (str(declared),)


def _inline_keys(value: object) -> str:
    if not isinstance(value, dict) or not isinstance(value.get("keys"), list):
        raise invalid_metadata("jwks must be a JWK Set object with a keys array")
    keys = value["keys"]
    if not keys or len(keys) > MAX_INLINE_KEYS:
        raise invalid_metadata(f"jwks must hold 1 to {MAX_INLINE_KEYS} keys")
    if any(not isinstance(key, dict) or _PRIVATE_MEMBERS & set(key) for key in keys):
        raise invalid_metadata("jwks must hold public keys only")
    try:
        import_jwks(value)
    except (JoseError, ValueError, TypeError):
        raise invalid_metadata("jwks holds a key that cannot be used") from None
    return json.dumps({"keys": keys}, separators=(",", ":"))


def _key_source(document: dict[str, Any]) -> tuple[str | None, str | None]:
    jwks_uri, jwks = document.get("jwks_uri"), document.get("jwks")
    if jwks_uri is not None and jwks is not None:
        raise invalid_metadata("give jwks_uri or jwks, not both")
    if jwks is not None:
        return None, _inline_keys(jwks)
    if not isinstance(jwks_uri, str):
        raise invalid_metadata("a private_key_jwt client needs a jwks_uri (or inline jwks)")
    if problem := metadata_url_problem(jwks_uri):
        raise invalid_metadata(f"jwks_uri: {problem.replace('client_id', 'jwks_uri')}")
    return jwks_uri, None


def client_from_metadata_document(
    document: object, url: str, *, private_key_jwt: bool = True
) -> RegisteredClient:
    """A client described by the Client ID Metadata Document fetched from `url`.

    Args:
        document: the parsed JSON.
        url: where it was fetched from (its `client_id`).
        private_key_jwt: whether this server accepts RFC 7523 client assertions from such clients.

    Raises:
        OAuthError: `invalid_client_metadata` (including a `client_id` other than `url`) or
            `invalid_redirect_uri`.
    """
    if not isinstance(document, dict):
        raise invalid_metadata("the client metadata document must be a JSON object")
    if document.get("client_id") != url:
        raise invalid_metadata("the client metadata document's client_id must equal its URL")
    method = _methods(document, private_key_jwt)
    grant_types, response_types = _flows(document)
    jwks_uri = jwks = None
    algorithms: tuple[str, ...] = ()
    if method == PRIVATE_KEY_JWT:
        jwks_uri, jwks = _key_source(document)
        algorithms = _algorithms(document)
    return RegisteredClient(
        client_id=url,
        client_name=client_name_of(document),
        redirect_uris=redirect_uris_of(document),
        token_endpoint_auth_method=method,
        grant_types=grant_types,
        response_types=response_types,
        application_type=choice_of(document, "application_type", APPLICATION_TYPES, "web"),
        from_metadata_document=True,
        jwks_uri=jwks_uri,
        jwks=jwks,
        signing_algorithms=algorithms,
    )
