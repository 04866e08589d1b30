"""The embedded development OpenID provider (`/dev-idp`): demo users, login page, RS256 tokens.

Served by the main app in `dev` auth mode so `jamf-mcp serve` offers the whole OAuth flow
locally; never meant for production (see `check_bind`).
"""

from jamf_mcp.adapters.dev_idp.authorization import (
    AuthorizationRequest,
    RedirectableError,
    UntrustedRequest,
)
from jamf_mcp.adapters.dev_idp.bind_guard import DevIdpRefused, check_bind, is_loopback
from jamf_mcp.adapters.dev_idp.pages import BANNER
from jamf_mcp.adapters.dev_idp.provider import DevIdentityProvider
from jamf_mcp.adapters.dev_idp.registration import ClientFileError, ClientRegistration
from jamf_mcp.adapters.dev_idp.routes import dev_idp_route_handlers
from jamf_mcp.adapters.dev_idp.state import DevIdpState, InMemoryDevIdpState
from jamf_mcp.adapters.dev_idp.token_request import TokenError
from jamf_mcp.adapters.dev_idp.users import DemoDirectory, DemoUser

__all__ = [
    "BANNER",
    "AuthorizationRequest",
    "ClientFileError",
    "ClientRegistration",
    "DemoDirectory",
    "DemoUser",
    "DevIdentityProvider",
    "DevIdpRefused",
    "DevIdpState",
    "InMemoryDevIdpState",
    "RedirectableError",
    "TokenError",
    "UntrustedRequest",
    "check_bind",
    "dev_idp_route_handlers",
    "is_loopback",
]
