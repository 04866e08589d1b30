"""`GET /metrics`: the text format, and the optional bearer token compared in constant time."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.litestar_http.metrics_routes import metrics_exposure, metrics_route_handlers
from jamf_mcp.adapters.prometheus import Metrics

TOKEN = "scrape-token-0123456789"


def app(token: str | None) -> Litestar:
    metrics = Metrics(process_metrics=False)
    metrics.rate_limited("ip")
    return Litestar(route_handlers=metrics_route_handlers(metrics, token=token))


async def test_serves_the_prometheus_text_format_without_a_token_when_none_is_configured() -> None:
    async with AsyncTestClient(app(None)) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert 'jamf_mcp_rate_limited_requests_total{scope="ip"} 1.0' in response.text


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong", f"Basic {TOKEN}", TOKEN, f"Bearer {TOKEN}x", "Bearer "]
)
async def test_refuses_a_scrape_without_the_configured_token(authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    async with AsyncTestClient(app(TOKEN)) as client:
        response = await client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "jamf_mcp_" not in response.text


async def test_serves_a_scrape_with_the_configured_token() -> None:
    async with AsyncTestClient(app(TOKEN)) as client:
        response = await client.get("/metrics", headers={"Authorization": f"bearer {TOKEN}"})
    assert response.status_code == 200
    assert "jamf_mcp_rate_limited_requests_total" in response.text


@pytest.mark.parametrize(
    ("token", "loopback_only", "allow", "exposure"),
    [
        (TOKEN, True, False, "token"),
        (TOKEN, False, False, "token"),
        (None, True, False, "open"),
        (None, False, False, "disabled"),
        (None, False, True, "open"),
        ("", False, False, "disabled"),
    ],
)
def test_metrics_are_open_without_a_token_only_on_loopback_or_by_explicit_consent(
    token: str | None, loopback_only: bool, allow: bool, exposure: str
) -> None:
    chosen = metrics_exposure(token, loopback_only=loopback_only, allow_unauthenticated=allow)
    assert chosen == exposure
