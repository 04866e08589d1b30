"""The OAuth 2.1 authorization-server facade (the "front door") over an upstream identity provider.

`upstream` holds the port the OIDC adapter implements; `FrontDoor` is the framework-free core the
Litestar routes call into.
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
from jamf_mcp.adapters.oauth_server.front_door import FrontDoor
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
from jamf_mcp.adapters.oauth_server.store import OAuthStateStore
from jamf_mcp.adapters.oauth_server.upstream import UpstreamIdentity, UpstreamIdentityProvider

__all__ = [
    "AllowAllRateLimiter",
    "AuthRateLimiter",
    "ClientMetadataFetcher",
    "ClientMetadataUnavailable",
    "ConsentPrompt",
    "ErrorPage",
    "FrontDoor",
    "FrontDoorConfig",
    "HostResolver",
    "InMemoryOAuthStateStore",
    "OAuthError",
    "OAuthStateStore",
    "RedirectTo",
    "RegisteredClient",
    "SafeClientMetadataFetcher",
    "SystemResolver",
    "TokenReply",
    "UpstreamIdentity",
    "UpstreamIdentityProvider",
    "is_public_address",
]
