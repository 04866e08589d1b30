"""Sign-in's wiring: signing key, upstream identity provider (or the embedded development one),
token verifier, OAuth front door, and the HTTP clients they use (closed at shutdown)."""

from __future__ import annotations

from dependency_injector import containers, providers

from jamf_mcp import identity_wiring
from jamf_mcp.adapters.asgi_mcp import BearerAuthenticator
from jamf_mcp.adapters.dev_idp import DevIdpState
from jamf_mcp.adapters.oauth_server import AccessDenylist, OAuthStateStore
from jamf_mcp.adapters.oauth_server.assertion_replay import AssertionReplayCache
from jamf_mcp.adapters.oauth_server.pre_registered import PreRegisteredClients
from jamf_mcp.adapters.oauth_server.refresh_retries import RefreshAnswers
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.application.ports import RateLimiter
from jamf_mcp.containers.closing import closed_at_shutdown
from jamf_mcp.settings import Settings


def resource_metadata_url(settings: Settings) -> str:
    """The protected-resource metadata every 401 and 403 challenge names (RFC 9728)."""
    return f"{settings.public_url}/.well-known/oauth-protected-resource/mcp"


class IdentityContainer(containers.DeclarativeContainer):
    """Sign-in: signing key, upstream IdP (or the embedded development one), verifier, front door."""

    settings = providers.Dependency(instance_of=Settings)
    oauth_store: providers.Dependency[OAuthStateStore] = providers.Dependency()
    metrics: providers.Dependency[Metrics | None] = providers.Dependency()
    denylist: providers.Dependency[AccessDenylist] = providers.Dependency()
    dev_idp_state: providers.Dependency[DevIdpState] = providers.Dependency()
    pre_registered: providers.Dependency[PreRegisteredClients] = providers.Dependency()
    assertion_replays: providers.Dependency[AssertionReplayCache] = providers.Dependency()
    refresh_answers: providers.Dependency[RefreshAnswers] = providers.Dependency()
    rate_limiter: providers.Dependency[RateLimiter] = providers.Dependency()
    loopback = providers.Singleton(identity_wiring.LateBoundASGITransport)
    signing_key = providers.Singleton(identity_wiring.signing_key, settings)
    dev_idp = providers.Singleton(identity_wiring.dev_identity_provider, settings, dev_idp_state)
    http = providers.Singleton(identity_wiring.identity_http, settings, loopback)
    http_closing = providers.Resource(closed_at_shutdown, http)
    cimd_http = providers.Singleton(identity_wiring.metadata_http, settings)
    cimd_http_closing = providers.Resource(closed_at_shutdown, cimd_http)
    cimd_fetcher = providers.Singleton(identity_wiring.client_document_fetcher, cimd_http)
    upstream = providers.Singleton(
        identity_wiring.upstream_identity_provider, settings, dev_idp, http
    )
    verifier = providers.Singleton(
        identity_wiring.token_verifier, settings, signing_key, upstream, http, metrics, denylist
    )
    front_door = providers.Singleton(
        identity_wiring.front_door,
        settings,
        signing_key,
        upstream,
        cimd_fetcher,
        oauth_store,
        denylist,
        pre_registered,
        assertion_replays,
        refresh_answers,
        rate_limiter,
        metrics,
    )
    authenticator = providers.Singleton(
        BearerAuthenticator, verifier, providers.Callable(resource_metadata_url, settings)
    )
    scope_challenge = providers.Callable(lambda a: a.scope_challenge, authenticator)
