"""The Jamf transport and the OIDC verifier report to their observers (and survive broken ones)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from jamf_mcp.adapters.asgi_observability.probes import JamfReachableProbe
from jamf_mcp.adapters.jamf_rest import RetryPolicy, open_jamf_http
from jamf_mcp.adapters.oidc import OidcTokenVerifier, StaticJwks, TrustedIssuer
from jamf_mcp.adapters.prometheus import Metrics
from jamf_mcp.domain.errors import InvalidToken, JamfUnavailable
from tests.integration.jamf_rest.jamf_fakes import FakeJamf, client_connection
from tests.unit.observability.scrape import value
from tests.unit.oidc.oidc_fakes import AUDIENCE, ISSUER, claims, clock, jwks_of, rsa_key, sign

NO_WAIT = RetryPolicy.immediate(attempts=3)
DETAIL = "/api/v1/computers-inventory-detail/{id}"


class RecordingObserver:
    def __init__(self) -> None:
        self.attempts: list[dict[str, Any]] = []
        self.outcomes: list[str] = []

    def jamf_attempt(self, **attempt: Any) -> None:
        self.attempts.append(attempt)

    def token_checked(self, outcome: str) -> None:
        self.outcomes.append(outcome)


class BrokenObserver:
    def jamf_attempt(self, **_attempt: Any) -> None:
        raise RuntimeError("metrics are down")

    def token_checked(self, outcome: str) -> None:
        raise RuntimeError("metrics are down")


def scripted(*statuses: int) -> Any:
    remaining = list(statuses)

    def handler(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(remaining.pop(0) if remaining else 200, json={"ok": True})

    return handler


async def test_the_transport_reports_each_attempt_with_its_status_and_retry_flag() -> None:
    jamf, observer = FakeJamf(), RecordingObserver()
    jamf.route("GET", "/api/v1/computers-inventory-detail/77", scripted(503))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT, observer=observer
    ) as http:
        await http.get_json("/api/v1/computers-inventory-detail/77")
    assert [(a["status"], a["retry"]) for a in observer.attempts] == [(503, False), (200, True)]
    assert all(a["method"] == "GET" and a["error"] is None for a in observer.attempts)
    assert all(a["seconds"] >= 0 for a in observer.attempts)


async def test_the_transport_reports_a_failure_without_a_response_by_kind() -> None:
    jamf, observer = FakeJamf(), RecordingObserver()

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    jamf.route("GET", "/api/v1/jamf-pro-version", refuse)
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT, observer=observer
    ) as http:
        with pytest.raises(JamfUnavailable):
            await http.get_json("/api/v1/jamf-pro-version")
    assert [a["error"] for a in observer.attempts] == ["connect_error"] * 3
    assert [a["status"] for a in observer.attempts] == [None] * 3


async def test_the_metrics_count_jamf_calls_by_template_and_retries() -> None:
    jamf, metrics = FakeJamf(), Metrics(process_metrics=False)
    jamf.route("GET", "/api/v1/computers-inventory-detail/5", scripted(502, 504))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT, observer=metrics
    ) as http:
        await http.get_json("/api/v1/computers-inventory-detail/5")
    requests = "jamf_mcp_jamf_requests_total"
    assert value(metrics, requests, method="GET", path=DETAIL, status="502") == 1
    assert value(metrics, requests, method="GET", path=DETAIL, status="200") == 1
    assert value(metrics, "jamf_mcp_jamf_retries_total", method="GET", path=DETAIL) == 2


async def test_a_broken_observer_never_fails_a_jamf_call() -> None:
    jamf = FakeJamf()
    jamf.route("GET", "/api/v1/jamf-pro-version", scripted())
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT, observer=BrokenObserver()
    ) as http:
        assert (await JamfReachableProbe(http).check()).ok


async def test_the_jamf_probe_reports_an_outage_without_naming_the_host() -> None:
    jamf = FakeJamf()
    jamf.route("GET", "/api/v1/jamf-pro-version", scripted(503, 503, 503))
    async with open_jamf_http(
        client_connection(), transport=jamf.transport(), retry=NO_WAIT
    ) as http:
        result = await JamfReachableProbe(http).check()
    assert (result.ok, result.detail) == (False, "unreachable")


def verifier(observer: Any) -> tuple[OidcTokenVerifier, Any]:
    key = rsa_key()
    trusted = TrustedIssuer(ISSUER, {AUDIENCE}, StaticJwks(jwks_of(key)))
    return OidcTokenVerifier([trusted], clock=clock(), observer=observer), key


async def test_the_verifier_reports_valid_tokens_and_rejection_reasons() -> None:
    observer = RecordingObserver()
    check, key = verifier(observer)
    await check.verify(sign(key, claims()))
    for bad in (sign(key, claims(aud="https://else.test")), "not.a.jwt"):
        with pytest.raises(InvalidToken):
            await check.verify(bad)
    assert observer.outcomes == ["valid", "wrong_audience", "malformed"]


async def test_a_broken_token_observer_changes_no_verdict() -> None:
    check, key = verifier(BrokenObserver())
    assert (await check.verify(sign(key, claims()))).subject
    with pytest.raises(InvalidToken):
        await check.verify("not.a.jwt")


async def test_the_metrics_count_token_validations() -> None:
    metrics = Metrics(process_metrics=False)
    check, key = verifier(metrics)
    await check.verify(sign(key, claims()))
    with pytest.raises(InvalidToken):
        await check.verify(sign(key, claims(exp=1)))
    checks = "jamf_mcp_token_validations_total"
    assert value(metrics, checks, outcome="valid") == 1
    assert value(metrics, checks, outcome="expired") == 1
