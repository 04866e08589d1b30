"""The OAuth 2.1 authorization-server facade (the "front door") over an upstream identity provider.

`upstream` holds the port the OIDC adapter implements; `FrontDoor` is the framework-free core the
Litestar routes call into; `GrantRevoker` and the denylist end grants (RFC 7009 and the operator's
`jamf-mcp auth revoke`).
"""

from jamf_mcp.adapters.oauth_server.client_metadata import (
    ClientMetadataFetcher,
    ClientMetadataUnavailable,
    HostResolver,
    SafeClientMetadataFetcher,
    SystemResolver,
    is_public_address,
)
from jamf_mcp.adapters.oauth_server.config import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.denylist import (
    AccessDenylist,
    Denial,
    InMemoryAccessDenylist,
)
from jamf_mcp.adapters.oauth_server.denylist_check import DenylistCheck
from jamf_mcp.adapters.oauth_server.front_door import FrontDoor
from jamf_mcp.adapters.oauth_server.grant_revocation import GrantRevoker
from jamf_mcp.adapters.oauth_server.memory_store import InMemoryOAuthStateStore
from jamf_mcp.adapters.oauth_server.outcomes import (
    ConsentPrompt,
    ErrorPage,
    OAuthError,
    RedirectTo,
    TokenReply,
)
from jamf_mcp.adapters.oauth_server.rate_limit import AllowAllRateLimiter, AuthRateLimiter
from jamf_mcp.adapters.oauth_server.records import RegisteredClient
from jamf_mcp.adapters.oauth_server.store import ClientLease, OAuthStateStore
from jamf_mcp.adapters.oauth_server.upstream import (
    Revalidation,
    UpstreamCredentials,
    UpstreamIdentity,
    UpstreamIdentityProvider,
    UpstreamSignIn,
)

__all__ = [
    "AccessDenylist",
    "AllowAllRateLimiter",
    "AuthRateLimiter",
    "ClientLease",
    "ClientMetadataFetcher",
    "ClientMetadataUnavailable",
    "ConsentPrompt",
    "Denial",
    "DenylistCheck",
    "ErrorPage",
    "FrontDoor",
    "FrontDoorConfig",
    "GrantRevoker",
    "HostResolver",
    "InMemoryAccessDenylist",
    "InMemoryOAuthStateStore",
    "OAuthError",
    "OAuthStateStore",
    "RedirectTo",
    "RegisteredClient",
    "Revalidation",
    "SafeClientMetadataFetcher",
    "SystemResolver",
    "TokenReply",
    "UpstreamCredentials",
    "UpstreamIdentity",
    "UpstreamIdentityProvider",
    "UpstreamSignIn",
    "is_public_address",
]
