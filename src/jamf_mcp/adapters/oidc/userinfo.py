"""Re-checking a user at the upstream's userinfo endpoint (OpenID Connect Core §5.3).

Used only when the upstream issued no refresh token: the kept access token is presented; a 200
answer for the same `sub` means the user is still signed in there (it says nothing about API
scopes); 401 or 403 means they are not (the token was revoked, or the account disabled).
"""

from __future__ import annotations

import logging

import httpx

from jamf_mcp.adapters.oauth_server.upstream import (
    Revalidation,
    UpstreamCredentials,
    UpstreamIdentity,
)
from jamf_mcp.adapters.oidc.discovery import ProviderMetadata
from jamf_mcp.adapters.oidc.reasons import IdentityProviderUnavailable

_log = logging.getLogger(__name__)
MAX_USERINFO_BYTES = 64 * 1024


async def ask_userinfo(
    http: httpx.AsyncClient,
    metadata: ProviderMetadata,
    identity: UpstreamIdentity,
    credentials: UpstreamCredentials,
) -> Revalidation:
    """Whether the upstream's userinfo still answers for `identity` with the kept access token.

    Raises:
        IdentityProviderUnavailable: unreachable, 5xx, or an answer that is not userinfo.
    """
    if metadata.userinfo_endpoint is None or credentials.access_token is None:
        return Revalidation(
            active=False,
            reason="the identity provider issued no refresh token and has no userinfo endpoint",
        )
    headers = {"Authorization": f"Bearer {credentials.access_token}", "Accept": "application/json"}
    try:
        response = await http.get(metadata.userinfo_endpoint, headers=headers)
    except httpx.HTTPError as error:
        raise IdentityProviderUnavailable(
            f"Could not reach the identity provider's userinfo endpoint ({type(error).__name__})."
        ) from None
    if response.status_code in (401, 403):
        return Revalidation(active=False, reason=f"userinfo refused ({response.status_code})")
    if response.status_code != 200 or len(response.content) > MAX_USERINFO_BYTES:
        raise IdentityProviderUnavailable(
            f"The identity provider's userinfo endpoint answered HTTP {response.status_code}."
        )
    try:
        body = response.json()
    except (ValueError, RecursionError):
        body = None
    if not isinstance(body, dict):
        raise IdentityProviderUnavailable("The identity provider's userinfo answer is not JSON.")
    if str(body.get("sub")) != identity.subject:
        return Revalidation(active=False, reason="userinfo answered for another subject")
    _log.debug("userinfo confirmed subject %s", identity.subject)
    return Revalidation(active=True, scopes=None, credentials=credentials)
