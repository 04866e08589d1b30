"""A retried refresh gets the answer it was already given (a bounded reuse interval).

Refresh tokens rotate: presenting a rotated one again ends the grant (RFC 9700 §4.14.2), because
one of the two parties holding it is not the client. But a client whose answer was lost (a
timeout, a dropped connection) retries with the same token a moment later; ending the grant then
signs every user of that client out. Identity providers allow a short reuse interval for this
(Auth0 "rotation overlap period", Amazon Cognito `RetryGracePeriodSeconds` ≤ 60 s, Curity
`grace-period`). Here (ADR 0031) the retry gets *the same answer* — the same access and refresh
token, not new ones — and only when all of these hold:

- it comes within `grace_seconds` of the rotation, from the same client, with the same `scope`
  and `resource` parameters;
- the refresh token that answer carries is still unused and its grant alive (not revoked, the user
  not revoked): once the client has used the new token, the old one is a replay again, so only
  the token just rotated away can be retried (never an older one);
- the answer is kept sealed with AES-256-GCM under a key derived from the presented refresh token
  itself (HKDF-SHA256), and looked up by another digest of it: a copy of the store opens nothing,
  and only whoever holds the rotated token — exactly who was entitled to the answer — can open it.

A thief presenting a stolen, just-rotated token inside the interval gets the tokens the client
got, no more (it would have got new ones by using the token a few seconds earlier); the next
rotation by either party makes the other's use a replay, which ends the grant as before.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from typing import TYPE_CHECKING, Any, Protocol

import attrs
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from jamf_mcp.application.ports.clock import Clock

_KEY_INFO = b"jamf-mcp refresh retry answer v1"
_LOOKUP_PREFIX = b"jamf-mcp refresh retry lookup\x00"
_NONCE_BYTES = 12
MAX_REMEMBERED = 100_000


@attrs.frozen
class RememberedAnswer:
    """A token answer kept for retries of the request that got it.

    Attributes:
        client_id: the client it was given to.
        request_digest: SHA-256 of the request's `scope` and `resource` parameters.
        sealed: the answer, sealed under a key only the presented refresh token yields.
    """

    client_id: str
    request_digest: str
    sealed: str = attrs.field(repr=False)


class RefreshAnswers(Protocol):
    """Where answers to refreshes are kept for the reuse interval (shared by replicas in Redis).

    `remember` overwrites (idempotent on retry); entries vanish after their `ttl` (seconds).
    """

    async def remember(self, key: str, answer: RememberedAnswer, ttl: float) -> None:
        """Keep `answer` under `key` for `ttl` seconds.

        Raises:
            StateUnavailable: a shared implementation cannot reach its store.
        """
        ...

    async def recall(self, key: str) -> RememberedAnswer | None:
        """The answer kept under `key`, if its time has not run out.

        Raises:
            StateUnavailable: a shared implementation cannot reach its store.
        """
        ...


class InMemoryRefreshAnswers:
    """Implements `RefreshAnswers` in this process.

    Args:
        clock: the time source for expiry.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._answers: dict[str, tuple[float, RememberedAnswer]] = {}

    async def remember(self, key: str, answer: RememberedAnswer, ttl: float) -> None:
        """Keep `answer` (the oldest entries go first when full)."""
        now = self._clock.now().timestamp()
        if len(self._answers) >= MAX_REMEMBERED and key not in self._answers:
            for stale in [k for k, (end, _) in self._answers.items() if end <= now]:
                del self._answers[stale]
            if len(self._answers) >= MAX_REMEMBERED:
                self._answers.pop(next(iter(self._answers)))
        self._answers[key] = (now + ttl, answer)

    async def recall(self, key: str) -> RememberedAnswer | None:
        """The answer under `key`, while it lives."""
        entry = self._answers.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock.now().timestamp():
            del self._answers[key]
            return None
        return entry[1]


def _aead(refresh_token: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO).derive(
        refresh_token.encode()
    )
    return AESGCM(key)


def _request_digest(client_id: str, form: Any) -> str:
    fields = [client_id, form.get("scope") or "", form.get("resource") or ""]
    return hashlib.sha256("\x00".join(fields).encode()).hexdigest()


class RefreshRetries:
    """Remembers the answer to each refresh for `grace_seconds`, and finds it for a retry.

    Args:
        answers: where answers are kept.
        grace_seconds: how long after a rotation a retry gets the same answer (0: never).
    """

    def __init__(self, answers: RefreshAnswers, grace_seconds: float) -> None:
        self._answers = answers
        self.grace_seconds = grace_seconds

    @staticmethod
    def lookup_key(refresh_token: str) -> str:
        """Where the answer to a refresh with `refresh_token` is kept (not its token digest)."""
        return hashlib.sha256(_LOOKUP_PREFIX + refresh_token.encode()).hexdigest()

    async def remember(
        self, refresh_token: str, client_id: str, form: Any, body: dict[str, Any]
    ) -> None:
        """Keep `body`, the answer to a refresh that presented `refresh_token`."""
        if self.grace_seconds <= 0:
            return
        nonce = os.urandom(_NONCE_BYTES)
        plain = json.dumps(body, separators=(",", ":")).encode()
        sealed = nonce + _aead(refresh_token).encrypt(nonce, plain, client_id.encode())
        answer = RememberedAnswer(
            client_id=client_id,
            request_digest=_request_digest(client_id, form),
            sealed=base64.urlsafe_b64encode(sealed).decode(),
        )
        await self._answers.remember(self.lookup_key(refresh_token), answer, self.grace_seconds)

    async def recall(self, refresh_token: str, client_id: str, form: Any) -> dict[str, Any] | None:
        """The answer already given to this very request (same client, same parameters), or None."""
        if self.grace_seconds <= 0:
            return None
        answer = await self._answers.recall(self.lookup_key(refresh_token))
        if answer is None or answer.client_id != client_id:
            return None
        if answer.request_digest != _request_digest(client_id, form):
            return None
        try:
            raw = base64.urlsafe_b64decode(answer.sealed.encode())
            plain = _aead(refresh_token).decrypt(
                raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], client_id.encode()
            )
            body = json.loads(plain)
        except (ValueError, InvalidTag):
            return None
        return body if isinstance(body, dict) else None


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements: type[RefreshAnswers] = InMemoryRefreshAnswers
