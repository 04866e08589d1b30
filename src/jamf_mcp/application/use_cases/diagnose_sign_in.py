"""Use case: check sign-in — the identity provider, the audience, the callback URL it must know,
and the public URL clients will use."""

from __future__ import annotations

from urllib.parse import urlsplit

import attrs

from jamf_mcp.application.ports.doctor import IdentityProviderInfo, PublicEndpoint
from jamf_mcp.domain.diagnostics import (
    CheckResult,
    IdentityProviderProblem,
    failed,
    passed,
    skipped,
    warning,
)

AREA = "Sign-in"
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})


@attrs.frozen
class DiagnoseSignInRequest:
    """The sign-in settings to check.

    Attributes:
        mode: `dev`, `oidc` or `none`.
        public_url: The configured public base URL, or None when derived from the bind address.
        effective_public_url: The base URL in use (configured, or `http://HOST:PORT`).
        resource_url: The MCP endpoint's URL (`effective_public_url` + `/mcp`).
        binds_loopback_only: Whether the server listens on loopback only.
        allowed_hosts: `JAMF_MCP_ALLOWED_HOSTS` (empty: any).
        issuer: `OIDC_ISSUER` (oidc mode).
        client_id: `OIDC_CLIENT_ID` (oidc mode).
        audience: `OIDC_AUDIENCE`, if set.
        callback_url: Where the identity provider sends users back to this server.
    """

    mode: str
    public_url: str | None
    effective_public_url: str
    resource_url: str
    binds_loopback_only: bool
    allowed_hosts: frozenset[str] = frozenset()
    issuer: str | None = None
    client_id: str | None = None
    audience: str | None = None
    callback_url: str = ""


class DiagnoseSignIn:
    """Check the sign-in configuration.

    Rules:
    - Sign-in off is fine on loopback only; the development identity provider is for trials.
    - With an OpenID provider: its discovery document must name exactly the configured issuer,
      offer PKCE S256 and publish at least one signature key; a missing `OIDC_AUDIENCE` warns;
      the callback URL the provider must list for `OIDC_CLIENT_ID` is printed.
    - The public URL must be https unless it is a loopback address, carry no path, be an allowed
      host, and be set at all when the server listens beyond loopback. When something answers
      there, it must advertise this server's MCP endpoint (not running yet: a warning).
    """

    def __init__(self, provider: IdentityProviderInfo | None, public: PublicEndpoint) -> None:
        self._provider = provider
        self._public = public

    async def execute(self, request: DiagnoseSignInRequest) -> list[CheckResult]:
        """Run the checks in order."""
        results = [_mode(request)]
        if request.mode == "oidc":
            results += await self._provider_checks(request)
        if request.mode != "none":
            results += _public_url(request)
            results.append(await self._served(request))
        return results

    async def _provider_checks(self, request: DiagnoseSignInRequest) -> list[CheckResult]:
        title = "Issuer discovery and JWKS"
        if self._provider is None:
            return [skipped(AREA, title, "no identity provider configured")]
        try:
            facts = await self._provider.discover()
        except IdentityProviderProblem as error:
            fix = (
                "Set OIDC_ISSUER exactly as the provider writes it in its tokens' iss claim "
                "(Auth0's ends with '/'), and check that this machine can reach it."
            )
            return [failed(AREA, title, str(error), fix), *_provider_settings(request)]
        if facts.signing_keys == 0:
            discovery = failed(
                AREA,
                title,
                f"{facts.discovery_url} publishes a JWKS without signature keys",
                "Check the provider's signing keys (key rotation, application settings).",
            )
        elif facts.code_challenge_methods and "S256" not in facts.code_challenge_methods:
            discovery = failed(
                AREA,
                title,
                f"the provider offers PKCE {', '.join(facts.code_challenge_methods)}, not S256",
                "Enable PKCE (S256) for this application at the provider.",
            )
        else:
            discovery = passed(
                AREA,
                title,
                f"{facts.discovery_url} found; {facts.signing_keys} signature key(s) published",
            )
        return [discovery, *_provider_settings(request)]

    async def _served(self, request: DiagnoseSignInRequest) -> CheckResult:
        title = "This server answers at its public URL"
        advertised = await self._public.advertised_resource()
        if advertised is None:
            return warning(
                AREA,
                title,
                f"nothing answers at {request.effective_public_url} yet",
                "Run the doctor again once the server runs behind its public address (DNS, "
                "load balancer, TLS certificate).",
            )
        if advertised.rstrip("/") != request.resource_url:
            return failed(
                AREA,
                title,
                f"the server at {request.effective_public_url} says its MCP endpoint is "
                f"{advertised}, not {request.resource_url}",
                "Give every replica the same JAMF_MCP_PUBLIC_URL, and check the load balancer "
                "sends that host name to this server.",
            )
        return passed(AREA, title, f"clients are told {request.resource_url}")


def _mode(request: DiagnoseSignInRequest) -> CheckResult:
    title = "Sign-in mode"
    if request.mode == "none":
        if not request.binds_loopback_only:
            return failed(
                AREA,
                title,
                "sign-in is off on a non-loopback address (the server refuses to start)",
                "Set OIDC_ISSUER and OIDC_CLIENT_ID, or listen on 127.0.0.1.",
            )
        return passed(AREA, title, "off: loopback only, every request acts as the local operator")
    if request.mode == "dev":
        return warning(
            AREA,
            title,
            "the embedded development identity provider (its demo passwords are public)",
            "For production set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET "
            "(docs/sign-in.md).",
        )
    return passed(AREA, title, f"OpenID provider {request.issuer}")


def _provider_settings(request: DiagnoseSignInRequest) -> list[CheckResult]:
    if request.audience:
        audience = passed(
            AREA,
            "Audience",
            f"access tokens for {request.audience} carry the users' read:jamf/write:jamf scopes",
        )
    else:
        audience = warning(
            AREA,
            "Audience",
            "OIDC_AUDIENCE is not set: users' scopes are read from the token response only",
            "Set OIDC_AUDIENCE to the API identifier your provider issues access tokens for "
            "(Auth0: the API's identifier), unless it lists read:jamf/write:jamf in the token "
            "response's scope.",
        )
    callback = passed(
        AREA,
        "Callback URL at the identity provider",
        f"the application {request.client_id!r} must allow exactly {request.callback_url}",
    )
    return [audience, callback]


def _public_url(request: DiagnoseSignInRequest) -> list[CheckResult]:
    title = "Public URL"
    url = request.effective_public_url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if request.public_url is None and not request.binds_loopback_only:
        return [
            failed(
                AREA,
                title,
                f"JAMF_MCP_PUBLIC_URL is not set, so clients would be told {url}",
                "Set JAMF_MCP_PUBLIC_URL to the https address clients use, e.g. "
                "https://jamf-mcp.example.com.",
            )
        ]
    if parts.scheme != "https" and host not in LOOPBACK_NAMES:
        return [
            failed(
                AREA,
                title,
                f"{url} is not https",
                "Serve it over https (a load balancer with a certificate) and set "
                "JAMF_MCP_PUBLIC_URL to the https address: ChatGPT only connects over https.",
            )
        ]
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return [
            failed(
                AREA,
                title,
                f"{url} has a path or query",
                "Use the bare origin (https://host[:port]); the server's paths hang off it.",
            )
        ]
    listed = {parts.netloc.lower(), host.lower()} & request.allowed_hosts
    if request.allowed_hosts and not listed and host not in LOOPBACK_NAMES:
        return [
            failed(
                AREA,
                title,
                f"{host} is not in JAMF_MCP_ALLOWED_HOSTS",
                f"Add {host} to JAMF_MCP_ALLOWED_HOSTS, or requests for it are refused.",
            )
        ]
    local = (
        " (loopback: fine for local clients, not for ChatGPT)" if parts.scheme != "https" else ""
    )
    return [passed(AREA, title, f"{url}{local}")]
