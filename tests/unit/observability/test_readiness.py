"""Readiness: concurrent probes with timeouts, a short cache, secret-free answers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.asgi_observability.probes import (
    IdentityKeysProbe,
    JamfReachableProbe,
    PingProbe,
)
from jamf_mcp.adapters.asgi_observability.readiness import (
    ProbeResult,
    Readiness,
    clean_detail,
)
from jamf_mcp.adapters.litestar_http.readiness_routes import readiness_route_handlers
from jamf_mcp.domain.errors import (
    JamfCredentialsRejected,
    JamfPermissionDenied,
    JamfRequestRejected,
    JamfUnavailable,
)

SECRET_HOST = "tenant-7.jamfcloud.com"


class FakeProbe:
    """A probe with a scripted answer that counts its checks."""

    def __init__(self, name: str, result: ProbeResult | None = None, *, delay: float = 0.0) -> None:
        self.name = name
        self.result = result or ProbeResult(True)
        self.delay = delay
        self.checks = 0

    async def check(self) -> ProbeResult:
        self.checks += 1
        await asyncio.sleep(self.delay)
        return self.result


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_all_probes_ok_is_ready() -> None:
    report = await Readiness([FakeProbe("jamf"), FakeProbe("redis")]).report()
    assert report.ready
    assert report.to_json() == {
        "status": "ready",
        "components": {"jamf": {"status": "ok"}, "redis": {"status": "ok"}},
    }


async def test_one_failing_probe_makes_the_server_not_ready_and_names_it() -> None:
    probes = [FakeProbe("jamf", ProbeResult(False, "unreachable")), FakeProbe("redis")]
    body = (await Readiness(probes).report()).to_json()
    assert body["status"] == "not_ready"
    assert body["components"] == {
        "jamf": {"status": "failing", "detail": "unreachable"},
        "redis": {"status": "ok"},
    }


async def test_a_slow_probe_times_out_while_the_others_run_concurrently() -> None:
    probes = [FakeProbe("jamf", delay=5), FakeProbe("redis", delay=0.05)]
    started = asyncio.get_running_loop().time()
    report = await Readiness(probes, timeout_seconds=0.2).report()
    assert asyncio.get_running_loop().time() - started < 1
    assert report.components["jamf"] == ProbeResult(False, "timed out after 0.2 s")
    assert report.components["redis"].ok


async def test_a_raising_probe_fails_without_its_message() -> None:
    class Raising(FakeProbe):
        async def check(self) -> ProbeResult:
            raise ConnectionError(f"cannot reach https://{SECRET_HOST}/api token=abc")

    report = await Readiness([Raising("jamf")]).report()
    assert report.components["jamf"] == ProbeResult(False, "check failed (ConnectionError)")


async def test_reports_are_cached_for_a_few_seconds() -> None:
    probe, clock = FakeProbe("jamf"), FakeClock()
    readiness = Readiness([probe], cache_seconds=5, clock=clock)
    await readiness.report()
    clock.now += 4.9
    await readiness.report()
    assert probe.checks == 1
    clock.now += 0.2
    await readiness.report()
    assert probe.checks == 2


async def test_concurrent_requests_share_one_measurement() -> None:
    probe = FakeProbe("jamf", delay=0.05)
    readiness = Readiness([probe])
    await asyncio.gather(*(readiness.report() for _ in range(10)))
    assert probe.checks == 1


def test_probe_names_must_be_distinct() -> None:
    with pytest.raises(ValueError):
        Readiness([FakeProbe("jamf"), FakeProbe("jamf")])


@pytest.mark.parametrize(
    "detail",
    [
        f"cannot connect to https://{SECRET_HOST}:443/api/v1",
        f"host {SECRET_HOST} refused",
        "10.1.2.3 unreachable",
        "Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl",
        "key abcdefghijklmnopqrstuvwxyz0123456789",
    ],
)
def test_details_never_carry_urls_hosts_addresses_or_credentials(detail: str) -> None:
    cleaned = clean_detail(detail)
    for fragment in (SECRET_HOST, "https://", "10.1.2.3", "eyJ", "abcdefghijklmnop"):
        assert fragment not in cleaned


async def test_the_endpoint_answers_503_with_a_secret_free_body() -> None:
    leaky = FakeProbe("jamf", ProbeResult(False, f"GET https://{SECRET_HOST}/x Bearer s3cr3t"))
    app = Litestar(route_handlers=readiness_route_handlers(Readiness([leaky, FakeProbe("redis")])))
    async with AsyncTestClient(app) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 503
    assert response.headers["cache-control"] == "no-store"
    assert response.json()["status"] == "not_ready"
    assert response.json()["components"]["redis"] == {"status": "ok"}
    for secret in (SECRET_HOST, "https://", "s3cr3t"):
        assert secret not in response.text


async def test_the_endpoint_answers_200_when_ready() -> None:
    app = Litestar(route_handlers=readiness_route_handlers(Readiness([FakeProbe("jamf")])))
    async with AsyncTestClient(app) as client:
        response = await client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "components": {"jamf": {"status": "ok"}}}


class FakeJamfHttp:
    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.paths: list[str] = []

    async def get_json(self, path: str) -> object:
        self.paths.append(path)
        if self.error is not None:
            raise self.error
        return {"version": "11.30.1-t1784555528405"}


@pytest.mark.parametrize(
    ("error", "detail"),
    [
        (JamfUnavailable(f"Jamf Pro at {SECRET_HOST} is unavailable"), "unreachable"),
        (JamfCredentialsRejected(f"{SECRET_HOST} refused the client"), "credentials rejected"),
        (JamfPermissionDenied(f"{SECRET_HOST}: privilege"), "permission denied"),
        (JamfRequestRejected(f"{SECRET_HOST}: bad"), "request rejected"),
    ],
)
async def test_the_jamf_probe_reports_a_fixed_reason(error: Exception, detail: str) -> None:
    assert await JamfReachableProbe(FakeJamfHttp(error)).check() == ProbeResult(False, detail)


async def test_the_jamf_probe_asks_for_the_version_through_the_client_and_names_it() -> None:
    http = FakeJamfHttp()
    assert await JamfReachableProbe(http).check() == ProbeResult(
        True, "Jamf Pro 11.30.1, signed in"
    )
    assert http.paths == ["/api/v1/jamf-pro-version"]


async def test_a_working_component_shows_its_public_detail_cleaned_like_a_failure() -> None:
    probes = [
        FakeProbe("jamf", ProbeResult(True, "Jamf Pro 11.30.1, signed in")),
        FakeProbe("audit", ProbeResult(True, f"answers at {SECRET_HOST}")),
        FakeProbe("redis"),
    ]
    body = (await Readiness(probes).report()).to_json()
    assert body["components"] == {
        "jamf": {"status": "ok", "detail": "Jamf Pro 11.30.1, signed in"},
        "audit": {"status": "ok", "detail": "answers at [withheld]"},
        "redis": {"status": "ok"},
    }


async def test_the_identity_keys_probe_accepts_sync_and_async_answers() -> None:
    async def not_loaded() -> bool:
        return False

    assert (await IdentityKeysProbe(lambda: True).check()).ok
    failing = await IdentityKeysProbe(not_loaded).check()
    assert failing == ProbeResult(False, "signing keys not loaded")


def pinger(
    answer: object = True, error: Exception | None = None
) -> Callable[[], Awaitable[object]]:
    async def ping() -> object:
        if error is not None:
            raise error
        return answer

    return ping


async def test_the_ping_probe_fails_on_an_exception_or_false() -> None:
    assert (await PingProbe(pinger()).check()).ok
    assert (await PingProbe(pinger(b"PONG")).check()).ok
    assert await PingProbe(pinger(False)).check() == ProbeResult(False, "ping refused")
    refused = await PingProbe(pinger(error=OSError("redis://:pw@cache:6379"))).check()
    assert refused == ProbeResult(False, "unreachable")
    assert PingProbe(pinger()).name == "redis"


async def test_the_endpoint_can_take_its_checker_once_the_resources_have_started() -> None:
    running: dict[str, Readiness] = {}
    app = Litestar(route_handlers=readiness_route_handlers(lambda: running.get("readiness")))
    async with AsyncTestClient(app) as client:
        starting = await client.get("/health/ready")
        running["readiness"] = Readiness([FakeProbe("jamf")])
        started = await client.get("/health/ready")
    assert (starting.status_code, starting.json()["status"]) == (503, "not_ready")
    assert started.status_code == 200
