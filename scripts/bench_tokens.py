"""Benchmark: what validating a bearer token costs per request, with the keys already cached.

The verifier is built exactly as the server builds it in `dev` mode
(`jamf_mcp.identity_wiring.token_verifier`: our own issuer with a `StaticJwks` of a
`SigningKey`, the upstream issuer with a `RemoteJwks`, the Prometheus metrics as observer) and
called in-process, each call timed alone. The verifier remembers tokens it has verified (a
session sends the same token on every request), so two cases are measured for each issuer:

- *first sight*: M distinct valid tokens (minted beforehand), each verified once — the full
  check: signature, claims, principal;
- *seen again*: one valid token verified N times after a warm-up — the remembered path: key
  still current, claims (`exp`, `nbf`, `iss`, `aud`) checked again.

The issuers:

- *own issuer*: a token signed with the server's key (what `jamf-mcp dev-token` and the OAuth
  front door issue) — `StaticJwks`;
- *upstream issuer, JWKS cached*: a token from the upstream IdP, whose discovery document and
  JWKS a tiny ASGI app serves through `httpx.ASGITransport`; the cache is warm (the app counts
  its requests: none during the measurement);
- *baseline*: joserfc alone (`jwt.decode` with the public key, then `JWTClaimsRegistry`
  validation) — the RS256 signature check every verifier pays; the difference is our overhead.

    python scripts/bench_tokens.py [--iterations 20000] [--fresh-tokens 2000] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import attrs
import httpx

from jamf_mcp.adapters.oidc import SigningKey, access_token_claims
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.identity_wiring import DEV_IDP_PATH, token_verifier
from jamf_mcp.settings import AuthSettings, Settings

TARGET_MEDIAN_US = 100.0


@attrs.frozen
class _Upstream:
    """All `token_verifier` reads of the upstream identity provider."""

    issuer: str


class JwksApp:
    """ASGI: an issuer's discovery document and JWKS; counts the requests it serves."""

    def __init__(self, issuer: str, jwks: dict[str, Any]) -> None:
        self.requests = 0
        self._documents = {
            "/.well-known/openid-configuration": {
                "issuer": issuer,
                "jwks_uri": f"{issuer}/jwks",
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
            },
            "/jwks": jwks,
        }
        self._prefix = httpx.URL(issuer).path.rstrip("/")

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """Serve one request."""
        self.requests += 1
        path = scope["path"].removeprefix(self._prefix)
        document = self._documents.get(path)
        status = 200 if document is not None else 404
        payload = json.dumps(document or {}).encode()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _quantile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)]


async def _time(call: Callable[[], Awaitable[Any]], iterations: int) -> dict[str, float]:
    for _ in range(min(1000, iterations)):
        await call()
    samples = []
    clock = time.perf_counter_ns
    for _ in range(iterations):
        started = clock()
        await call()
        samples.append((clock() - started) / 1000)
    ordered = sorted(samples)
    return {
        "iterations": iterations,
        "median_us": statistics.median(ordered),
        "p99_us": _quantile(ordered, 0.99),
        "mean_us": statistics.fmean(ordered),
        "max_us": ordered[-1],
    }


async def _time_each(call: Callable[[str], Awaitable[Any]], tokens: list[str]) -> dict[str, float]:
    """Each token verified once (no warm-up: a warm-up would make them known)."""
    samples = []
    clock = time.perf_counter_ns
    for token in tokens:
        started = clock()
        await call(token)
        samples.append((clock() - started) / 1000)
    ordered = sorted(samples)
    return {
        "iterations": len(tokens),
        "median_us": statistics.median(ordered),
        "p99_us": _quantile(ordered, 0.99),
        "mean_us": statistics.fmean(ordered),
        "max_us": ordered[-1],
    }


async def measure(iterations: int, fresh_tokens: int = 2000) -> dict[str, Any]:
    """The timings, in one process, one after another."""
    from joserfc import jwt
    from joserfc.jwt import JWTClaimsRegistry

    settings = Settings(auth=AuthSettings(mode="dev"))
    own_key, idp_key = SigningKey.generate(), SigningKey.generate()
    upstream = _Upstream(settings.public_url + DEV_IDP_PATH)
    jwks = JwksApp(upstream.issuer, idp_key.public_jwks())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=jwks)) as http:
        verifier = token_verifier(settings, own_key, upstream, http, Metrics(version="bench"))
        assert verifier is not None

        def token(key: SigningKey, issuer: str, subject: str = "alice") -> str:
            claims = access_token_claims(
                issuer=issuer,
                audience=settings.resource_url,
                subject=subject,
                scopes={"read:jamf", "write:jamf"},
                ttl_seconds=3600,
                client_id="bench",
            )
            return key.sign(claims)

        own, remote = token(own_key, settings.public_url), token(idp_key, upstream.issuer)
        for sample in (own, remote):
            principal = await verifier.verify(sample)
            assert principal.subject == "alice", principal
        own_fresh = [token(own_key, settings.public_url, f"user-{n}") for n in range(fresh_tokens)]
        remote_fresh = [token(idp_key, upstream.issuer, f"user-{n}") for n in range(fresh_tokens)]
        fetched_before = jwks.requests
        static_first = await _time_each(verifier.verify, own_fresh)
        remote_first = await _time_each(verifier.verify, remote_fresh)
        static_timing = await _time(lambda: verifier.verify(own), iterations)
        remote_timing = await _time(lambda: verifier.verify(remote), iterations)
        fetched_during = jwks.requests - fetched_before

    public = own_key.public_key_set()
    registry = JWTClaimsRegistry(
        leeway=30,
        iss={"essential": True, "value": settings.public_url},
        aud={"essential": True, "value": settings.resource_url},
        exp={"essential": True},
        sub={"essential": True},
    )

    async def bare() -> None:
        registry.validate(jwt.decode(own, public, algorithms=["RS256"]).claims)

    bare_timing = await _time(bare, iterations)
    return {
        "algorithm": "RS256 (2048-bit)",
        "own_issuer_static_jwks": static_first,
        "upstream_issuer_remote_jwks_cached": {
            **remote_first,
            "jwks_requests_during_measurement": fetched_during,
            "jwks_requests_before": fetched_before,
        },
        "seen_again": {
            "own_issuer_static_jwks": static_timing,
            "upstream_issuer_remote_jwks_cached": remote_timing,
        },
        "baseline_joserfc_only": bare_timing,
        "overhead_over_joserfc_median_us": static_first["median_us"] - bare_timing["median_us"],
        "target_median_us": TARGET_MEDIAN_US,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--iterations", type=int, default=20_000, help="seen-again calls")
    parser.add_argument("--fresh-tokens", type=int, default=2000, help="first-sight tokens")
    parser.add_argument("--json", type=Path, help="also write the result to this file")
    args = parser.parse_args()
    result = asyncio.run(measure(args.iterations, args.fresh_tokens))
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")
    again = result["seen_again"]
    worst = max(
        result["own_issuer_static_jwks"]["median_us"],
        result["upstream_issuer_remote_jwks_cached"]["median_us"],
        again["own_issuer_static_jwks"]["median_us"],
        again["upstream_issuer_remote_jwks_cached"]["median_us"],
    )
    return 0 if worst <= TARGET_MEDIAN_US else 1


if __name__ == "__main__":
    raise SystemExit(main())
