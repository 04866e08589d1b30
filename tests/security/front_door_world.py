"""An in-process front door with a verifier that honours its denylist: the attacks on grants
(refresh misuse, revocation) run against the real code, with a fake upstream and a fixed clock."""

from __future__ import annotations

from typing import Any

import attrs

from jamf_mcp.adapters.oauth_server import DenylistCheck, FrontDoorConfig
from jamf_mcp.adapters.oidc import OidcTokenVerifier, StaticJwks, TrustedIssuer
from jamf_mcp.domain.errors import InvalidToken
from jamf_mcp.domain.principal import Principal
from tests.unit.oauth_server.oauth_fakes import (
    CHATGPT_REDIRECT,
    ISSUER,
    RESOURCE,
    FakeUpstream,
    World,
    build_world,
    code_for,
    register,
    signing_key,
)

__all__ = ["ISSUER", "RESOURCE", "FakeUpstream", "Grants", "build_grants"]


@attrs.define
class Grants:
    """A world, and the resource server's view of its tokens."""

    world: World
    verifier: OidcTokenVerifier

    @property
    def config(self) -> FrontDoorConfig:
        return self.world.config

    async def client(self, **metadata: object) -> str:
        """Register a public client; its id."""
        body = await register(self.world, token_endpoint_auth_method="none", **metadata)
        return str(body["client_id"])

    async def confidential_client(self) -> tuple[str, str]:
        """Register a client_secret_post client; (id, secret)."""
        body = await register(self.world, token_endpoint_auth_method="client_secret_post")
        return str(body["client_id"]), str(body["client_secret"])

    async def sign_in(self, client_id: str, secret: str | None = None) -> dict[str, Any]:
        """A whole sign-in and code redemption; the token response body."""
        code, verifier, _ = await code_for(self.world, client_id)
        form = {
            "grant_type": "authorization_code",
            "client_id": client_id,
            "code": code,
            "code_verifier": verifier,
            "redirect_uri": CHATGPT_REDIRECT,
        }
        if secret is not None:
            form["client_secret"] = secret
        reply = await self.world.front_door.token(form, None)
        assert reply.status == 200, reply.body
        return reply.body

    async def refresh(
        self, client_id: str, token: str, *, secret: str | None = None, **extra: str
    ) -> tuple[int, dict[str, Any]]:
        """A refresh request; (status, body)."""
        form = {"grant_type": "refresh_token", "client_id": client_id, "refresh_token": token}
        if secret is not None:
            form["client_secret"] = secret
        reply = await self.world.front_door.token({**form, **extra}, None)
        return reply.status, reply.body

    async def revoke(
        self, client_id: str, token: str, *, secret: str | None = None, **extra: str
    ) -> tuple[int, dict[str, Any]]:
        """An RFC 7009 revocation request; (status, body)."""
        form = {"client_id": client_id, "token": token, **extra}
        if secret is not None:
            form["client_secret"] = secret
        reply = await self.world.front_door.revoke(form, None)
        return reply.status, reply.body

    async def accepted(self, access_token: str) -> Principal | None:
        """The principal when the resource server accepts the token, else None."""
        try:
            return await self.verifier.verify(access_token)
        except InvalidToken:
            return None


def build_grants(upstream: FakeUpstream | None = None, **options: Any) -> Grants:
    """A front door over `upstream`, and a verifier that checks its denylist on every request;
    `options` go to `build_world` (configuration fields, front-door keyword arguments)."""
    world = build_world(upstream, **options)
    check = DenylistCheck(world.front_door.denylist, ISSUER, sync_seconds=0)
    trusted = TrustedIssuer(ISSUER, {RESOURCE}, StaticJwks(signing_key().public_jwks()))
    verifier = OidcTokenVerifier([trusted], clock=world.clock, revoked=check)
    return Grants(world, verifier)
