"""Rate limits: token buckets shared by every replica when backed by a shared store."""

from __future__ import annotations

from typing import Protocol

import attrs


@attrs.frozen
class RateDecision:
    """The answer of a rate limiter for one request.

    Attributes:
        allowed: the request may proceed (a token was taken).
        retry_after_seconds: when refused, how long until a token is available again.
        remaining: whole tokens left after this request.
    """

    allowed: bool
    retry_after_seconds: float = 0.0
    remaining: int = 0


class RateLimiter(Protocol):
    """Token buckets, one per key (a principal, or a client IP on the sign-in endpoints).

    A bucket holds at most `capacity` tokens and regains `capacity` per period, continuously (a
    minute, unless the implementation was built with another period).
    Implementations shared between replicas make the whole fleet share one bucket per key.
    """

    async def take(self, key: str, capacity: int) -> RateDecision:
        """Take one token from the key's bucket, or say how long to wait for one.

        Raises:
            StateUnavailable: a shared implementation cannot reach its store.
        """
        ...
