"""Sign-in settings: the mode, the identity provider, tokens, grants and registered clients."""

from __future__ import annotations

import attrs

from jamf_mcp.settings import checks, parsers
from jamf_mcp.settings.declarations import SettingsError, setting

AUTH_MODES = ("dev", "oidc", "none")
DEFAULT_DEV_USERS = "alice=read:jamf write:jamf;bob=read:jamf"
CHATGPT_REDIRECT_URI = "https://chatgpt.com/connector_platform_oauth_redirect"
SIGN_IN = "sign-in"
RATE_LIMITS = "rate-limits"


def _without_trailing_slash(url: str | None) -> str | None:
    return url.rstrip("/") if url else None


@attrs.frozen(kw_only=True)
class AuthSettings:
    """How callers sign in.

    `mode` is `dev` (the embedded development identity provider, the default), `oidc` (an
    upstream provider such as Auth0 or Okta, chosen by setting `OIDC_ISSUER`) or `none`
    (authentication off; loopback only). Grants end `grant_lifetime_seconds` after sign-in and
    are re-checked at the identity provider every `revalidate_seconds`; registered clients are
    forgotten `client_idle_days` after their last grant ends (at most `max_clients` kept), and
    one address may register `registrations_per_ip_per_day` clients a day.
    """

    oidc_issuer: str | None = setting(
        "OIDC_ISSUER",
        parse=parsers.optional_text,
        section=SIGN_IN,
        doc="the upstream OpenID provider (Auth0, Okta, Entra ID, …)",
    )
    mode: str = setting(
        "JAMF_MCP_AUTH",
        factory=lambda auth: "oidc" if auth.oidc_issuer else "dev",
        parse=parsers.text,
        convert=str.lower,
        checks=(checks.one_of(*AUTH_MODES),),
        flag="--auth",
        section=SIGN_IN,
        shown_default="`dev` (`oidc` when `OIDC_ISSUER` is set)",
        doc="`dev` (embedded development IdP), `oidc` (your IdP), `none` (off; loopback only)",
    )
    public_url: str | None = setting(
        "JAMF_MCP_PUBLIC_URL",
        parse=parsers.optional_text,
        convert=_without_trailing_slash,
        flag="--public-url",
        section="listening",
        shown_default="`http://HOST:PORT`",
        doc="the canonical external URL: the OAuth issuer, the token audience (`…/mcp`) and the "
        "metadata derive from it. Behind a load balancer set it to the public `https://` URL, the "
        "same on every replica",
    )
    oidc_client_id: str | None = setting(
        "OIDC_CLIENT_ID",
        parse=parsers.optional_text,
        section=SIGN_IN,
        doc="this server's client at that provider",
    )
    oidc_client_secret: str | None = setting(
        "OIDC_CLIENT_SECRET",
        parse=parsers.optional_text,
        secret=True,
        section=SIGN_IN,
        doc="that client's secret",
    )
    oidc_audience: str | None = setting(
        "OIDC_AUDIENCE",
        parse=parsers.optional_text,
        section=SIGN_IN,
        doc="the audience of the provider's access tokens this server also accepts directly",
    )
    oidc_extra_scopes: str = setting(
        "OIDC_SCOPES",
        default="openid profile email offline_access",
        parse=parsers.text,
        keep_blank=True,
        section=SIGN_IN,
        doc="scopes asked of the provider besides `read:jamf`/`write:jamf` (blank: none)",
    )
    access_token_ttl_seconds: int = setting(
        "JAMF_MCP_ACCESS_TOKEN_TTL_SECONDS",
        default=900,
        parse=parsers.whole_number,
        section=SIGN_IN,
        doc="lifetime of the access tokens the front door issues (at most "
        "`JAMF_MCP_MAX_TOKEN_LIFETIME_SECONDS`)",
    )
    refresh_token_ttl_seconds: int = setting(
        "JAMF_MCP_REFRESH_TOKEN_TTL_SECONDS",
        default=30 * 24 * 3600,
        parse=parsers.whole_number,
        section=SIGN_IN,
        doc="lifetime of one refresh token (30 days; they rotate on every use, and none outlives "
        "its grant)",
    )
    grant_lifetime_seconds: int = setting(
        "JAMF_MCP_GRANT_MAX_LIFETIME_SECONDS",
        default=30 * 24 * 3600,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=SIGN_IN,
        doc="a grant (a sign-in and every token refreshed from it) ends this long after the "
        "sign-in — not sliding",
    )
    revalidate_seconds: int = setting(
        "JAMF_MCP_REVALIDATE_SECONDS",
        default=900,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=SIGN_IN,
        doc="a refresh asks the identity provider again (its refresh token, else userinfo) when "
        "its last answer is older than this; a user disabled there loses the grant, one who lost "
        "a scope is narrowed",
    )
    client_idle_days: int = setting(
        "JAMF_MCP_CLIENT_IDLE_DAYS",
        default=30,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=SIGN_IN,
        doc="a dynamically registered client is forgotten this many days after its last grant "
        "ends (or after registering, if it never got one)",
    )
    max_clients: int = setting(
        "JAMF_MCP_MAX_CLIENTS",
        default=10_000,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=SIGN_IN,
        doc="the most registered clients kept; when full, the one unused longest makes room, "
        "never one with a live grant (then registration answers 503)",
    )
    registrations_per_ip_per_day: int = setting(
        "JAMF_MCP_REGISTRATIONS_PER_IP_PER_DAY",
        default=100,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=SIGN_IN,
        doc="registrations one client address may make a day (429 beyond); ChatGPT registers "
        "from OpenAI's addresses, so keep it generous if many users add the connector themselves",
    )
    jwks_cache_seconds: int = setting(
        "JAMF_MCP_JWKS_CACHE_SECONDS",
        default=600,
        parse=parsers.whole_number,
        section=SIGN_IN,
        doc="how long an issuer's keys are cached",
    )
    max_token_lifetime_seconds: int = setting(
        "JAMF_MCP_MAX_TOKEN_LIFETIME_SECONDS",
        default=24 * 3600,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=SIGN_IN,
        doc="access tokens living longer than this (`exp - iat`, or `exp - now` without `iat`) "
        "are refused, whoever issued them; `jamf-mcp dev-token --ttl` refuses longer ones too. "
        "Raise it only if your IdP issues longer-lived access tokens. Tokens this server mints "
        "(front door, development IdP, `dev-token`) must also carry `typ: at+jwt`; external "
        "providers' tokens are taken as they issue them",
    )
    dev_users: tuple[tuple[str, frozenset[str]], ...] = setting(
        "JAMF_MCP_DEV_USERS",
        default=parsers.user_scopes(DEFAULT_DEV_USERS),
        parse=parsers.user_scopes,
        keep_blank=True,
        section=SIGN_IN,
        shown_default=f"`{DEFAULT_DEV_USERS}`",
        doc="users of the development IdP (password = user name; blank: none)",
    )
    dev_idp_allow_remote: bool = setting(
        "JAMF_MCP_DEV_IDP_ALLOW_REMOTE",
        default=False,
        parse=parsers.boolean,
        section=SIGN_IN,
        doc="allow the development IdP on a non-loopback address (never in production)",
    )
    private_key_jwt: bool = setting(
        "JAMF_MCP_CIMD_PRIVATE_KEY_JWT",
        default=True,
        parse=parsers.boolean,
        section=SIGN_IN,
        doc="Client ID Metadata Document clients (ChatGPT) may authenticate with RFC 7523 client "
        "assertions (`private_key_jwt`, keys fetched from their `jwks_uri` with the same SSRF "
        "checks); off: a document that also offers `none` is a public PKCE client, one that "
        "offers only `private_key_jwt` is refused",
    )
    refresh_reuse_seconds: float = setting(
        "JAMF_MCP_REFRESH_REUSE_SECONDS",
        default=10.0,
        parse=parsers.number,
        checks=(checks.between(0, 60),),
        section=SIGN_IN,
        doc="a retry of a refresh (its answer lost) within this many seconds gets the same "
        "answer instead of ending the grant, while the token that answer carries is unused "
        "(0 to 60; `0` off)",
    )
    token_rate_limit_per_minute: int = setting(
        "JAMF_MCP_TOKEN_RATE_LIMIT_PER_MINUTE",
        default=1_200,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=RATE_LIMITS,
        doc="token and revocation requests (`/auth/callback`, `/auth/token`, `/auth/revoke`) per "
        "authenticated OAuth client — OpenAI's servers send every ChatGPT user's from a few "
        "addresses; a public client's bucket is per client and address; over it: 429 "
        "`slow_down` with `Retry-After`",
    )
    token_address_ceiling_per_minute: int = setting(
        "JAMF_MCP_TOKEN_ADDRESS_CEILING_PER_MINUTE",
        default=6_000,
        parse=parsers.whole_number,
        checks=(checks.positive,),
        section=RATE_LIMITS,
        doc="token and revocation requests from one address in all, checked before any work "
        "(bounds what one address can make the server do)",
    )
    oauth_client_id: str | None = setting(
        "JAMF_MCP_OAUTH_CLIENT_ID",
        parse=parsers.optional_text,
        section=SIGN_IN,
        doc="one pre-registered confidential client for a connector's settings form (with "
        "`JAMF_MCP_OAUTH_CLIENT_SECRET`: both or neither); more with `jamf-mcp clients add`",
    )
    oauth_client_secret: str | None = setting(
        "JAMF_MCP_OAUTH_CLIENT_SECRET",
        parse=parsers.optional_text,
        secret=True,
        section=SIGN_IN,
        doc="that client's secret (at least 32 characters, never stored)",
    )
    oauth_client_redirect_uris: tuple[str, ...] = setting(
        "JAMF_MCP_OAUTH_CLIENT_REDIRECT_URIS",
        factory=lambda auth: (CHATGPT_REDIRECT_URI,) if auth.oauth_client_id else (),
        parse=parsers.sorted_comma_list,
        section=SIGN_IN,
        shown_default=f"`{CHATGPT_REDIRECT_URI}`",
        doc="that client's redirect URIs, comma-separated",
    )
    oauth_client_name: str = setting(
        "JAMF_MCP_OAUTH_CLIENT_NAME",
        default="ChatGPT",
        parse=parsers.text,
        section=SIGN_IN,
        doc="that client's name on the consent page",
    )

    def __attrs_post_init__(self) -> None:
        if self.mode == "oidc" and not (self.oidc_issuer and self.oidc_client_id):
            raise SettingsError(
                "Signing in through an identity provider needs OIDC_ISSUER and OIDC_CLIENT_ID "
                "(and usually OIDC_CLIENT_SECRET and OIDC_AUDIENCE)."
            )
        if self.access_token_ttl_seconds > self.max_token_lifetime_seconds:
            raise SettingsError(
                "JAMF_MCP_ACCESS_TOKEN_TTL_SECONDS must not exceed "
                "JAMF_MCP_MAX_TOKEN_LIFETIME_SECONDS (tokens living longer are refused)"
            )
        self._check_configured_client()

    def _check_configured_client(self) -> None:
        client_id, secret = self.oauth_client_id, self.oauth_client_secret
        if client_id is None and secret is None:
            return
        if client_id is None or secret is None:
            raise SettingsError(
                "A pre-registered client needs both JAMF_MCP_OAUTH_CLIENT_ID and "
                "JAMF_MCP_OAUTH_CLIENT_SECRET (or use `jamf-mcp clients add`)."
            )
        from jamf_mcp.adapters.oauth_server.pre_registered import (  # checked once, at start-up
            PreRegisteredClientError,
            configured_client,
        )

        try:
            configured_client(
                client_id, secret, self.oauth_client_redirect_uris, self.oauth_client_name
            )
        except PreRegisteredClientError as error:
            raise SettingsError(f"JAMF_MCP_OAUTH_CLIENT_*: {error}") from None
