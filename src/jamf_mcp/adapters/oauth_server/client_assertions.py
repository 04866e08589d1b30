"""RFC 7523 client assertions: how a `private_key_jwt` client proves who it is.

The client signs a short JWT with its own private key; we check it with the public key its
metadata document publishes. Rules (RFC 7523 §3, RFC 7521 §5.2, OpenID Connect Core §9):

- the algorithm is one the client's document allows *and* one this server verifies (asymmetric
  only: `none` and HS* never), never taken from the header alone; a key that names its own `alg`
  must name that one;
- `iss` and `sub` are the client id; `aud` names this server (its issuer, or the token or
  revocation endpoint URL);
- `exp` is required and near: the assertion lives at most `MAX_LIFETIME_SECONDS` (from `iat`, or
  from now without one); `nbf` and `iat` may not be in the future;
- `jti` is required and single use across replicas (`AssertionReplayCache`), remembered until
  the assertion expires.
"""

from __future__ import annotations

import hashlib
import secrets

from jamf_mcp.adapters.oauth_server.assertion_replay import AssertionReplayCache
from jamf_mcp.adapters.oauth_server.client_keys import ClientKeySets
from jamf_mcp.adapters.oauth_server.config import FrontDoorConfig
from jamf_mcp.adapters.oauth_server.records import RegisteredClient
from jamf_mcp.adapters.oidc.jwt_checks import (
    check_lifetime,
    peek,
    validate_claims,
    verify_signature,
)
from jamf_mcp.adapters.oidc.reasons import RejectionReason
from jamf_mcp.application.ports.clock import Clock
from jamf_mcp.domain.errors import InvalidToken

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
MAX_LIFETIME_SECONDS = 300
LEEWAY_SECONDS = 30
MAX_ASSERTION_BYTES = 8 * 1024
MAX_JTI_LENGTH = 256


class AssertionRefused(Exception):
    """A client assertion that does not authenticate its client; `reason` is for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def assertion_issuer(assertion: str) -> str | None:
    """The unverified `iss` of an assertion (to find the client when no `client_id` was sent)."""
    try:
        issuer = peek(assertion, max_bytes=MAX_ASSERTION_BYTES).claims.get("iss")
    except InvalidToken:
        return None
    return issuer if isinstance(issuer, str) else None


def _replay_key(client_id: str, jti: str) -> str:
    return hashlib.sha256(
        b"jamf-mcp client assertion\x00" + f"{client_id}\x00{jti}".encode()
    ).hexdigest()


class ClientAssertions:
    """Verifies client assertions.

    Args:
        config: our issuer and endpoints (the audiences an assertion may name).
        keys: the clients' public keys.
        replays: the `jti`s already used.
        clock: time source.
    """

    def __init__(
        self,
        config: FrontDoorConfig,
        keys: ClientKeySets,
        replays: AssertionReplayCache,
        clock: Clock,
    ) -> None:
        self._audiences = {
            config.issuer,
            config.endpoint("/auth/callback"),
            config.endpoint("/auth/token"),
            config.endpoint("/auth/revoke"),
        }
        self._keys = keys
        self._replays = replays
        self._clock = clock

    async def verify(self, client: RegisteredClient, assertion: str) -> None:
        """Succeed when `assertion` authenticates `client` (and record its `jti`).

        Raises:
            AssertionRefused: it does not (the reason code says why).
        """
        now = int(self._clock.now().timestamp())
        try:
            unverified = peek(assertion, max_bytes=MAX_ASSERTION_BYTES)
            if unverified.algorithm not in client.signing_algorithms:
                raise AssertionRefused(RejectionReason.BAD_ALGORITHM.value)
            source = self._keys.source(client)
            key = await source.find_key(unverified.kid)
            if key.get("alg") not in (None, unverified.algorithm):
                raise AssertionRefused(RejectionReason.BAD_ALGORITHM.value)
            claims = await verify_signature(
                assertion, unverified, source, algorithms=client.signing_algorithms
            )
            validate_claims(
                claims,
                issuer=client.client_id,
                audiences=self._audiences,
                now=now,
                leeway=LEEWAY_SECONDS,
            )
            check_lifetime(claims, now=now, max_seconds=MAX_LIFETIME_SECONDS, leeway=LEEWAY_SECONDS)
        except InvalidToken as error:
            raise AssertionRefused(error.reason) from None
        if claims.get("sub") != client.client_id:
            raise AssertionRefused("wrong_subject")
        jti = claims.get("jti")
        if not isinstance(jti, str) or not jti or len(jti) > MAX_JTI_LENGTH:
            raise AssertionRefused("missing_jti")
        ttl = max(1.0, float(claims["exp"]) + LEEWAY_SECONDS - now)
        request_id = secrets.token_hex(16)
        if not await self._replays.first_use(_replay_key(client.client_id, jti), ttl, request_id):
            raise AssertionRefused("replayed")
