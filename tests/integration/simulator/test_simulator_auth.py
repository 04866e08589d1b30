"""Token issuance, expiry, keep-alive, invalidation, 401/403 shapes and the ingress cookie."""

from __future__ import annotations

import base64

import httpx

from jamf_mcp.simulator import (
    DEMO_CLIENT_ID,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    JamfSimulator,
    SimulatorOptions,
)
from jamf_mcp.simulator.privileges import (
    CATALOGUE,
    READ_ONLY_CLIENT_ID,
    READ_ONLY_CLIENT_SECRET,
    READ_ONLY_PRIVILEGES,
)
from tests.integration.simulator.sim_support import NOW, fetch_token, make_client

INVALID_TOKEN = {
    "httpStatus": 401,
    "errors": [{"code": "INVALID_TOKEN", "description": "Unauthorized", "id": "0", "field": None}],
}


def _basic(username: str, password: str) -> dict[str, str]:
    return {
        "Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    }


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_client_credentials_token_has_the_oauth_shape_on_both_paths(
    sim: JamfSimulator,
) -> None:
    async with make_client(sim) as client:
        for path in ("/api/oauth/token", "/api/v1/oauth/token"):
            response = await client.post(
                path,
                data={
                    "grant_type": "client_credentials",
                    "client_id": DEMO_CLIENT_ID,
                    "client_secret": "demo-secret-not-for-production",
                },
            )
            body = response.json()
            assert response.status_code == 200
            assert body["token_type"] == "Bearer"
            assert body["scope"] == "api-role:1"
            assert body["expires_in"] == 299
            assert body["access_token"].count(".") == 2
    assert sim.stats.token_requests == 2


async def test_wrong_client_secret_gets_the_configured_status() -> None:
    for status in (401, 400):
        sim = JamfSimulator(SimulatorOptions(computers=30, now=NOW, bad_client_status=status))
        async with make_client(sim) as client:
            response = await client.post(
                "/api/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": DEMO_CLIENT_ID,
                    "client_secret": "x",
                },
            )
        assert response.status_code == status
        assert response.json() == {"error": "invalid_client"}


async def test_basic_credentials_give_a_user_token_with_an_iso_expiry(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        response = await client.post(
            "/api/v1/auth/token", headers=_basic(DEMO_USERNAME, DEMO_PASSWORD)
        )
        assert response.status_code == 200
        body = response.json()
        assert body["expires"].endswith("Z") and len(body["expires"]) == 24
        ok = await client.get("/api/v1/jamf-pro-version", headers=_bearer(body["token"]))
        assert ok.json() == {"version": "11.30.1-t1784555528405"}


async def test_bad_basic_credentials_get_an_empty_api_error(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        response = await client.post("/api/v1/auth/token", headers=_basic(DEMO_USERNAME, "nope"))
    assert response.status_code == 401
    assert response.json() == {"httpStatus": 401, "errors": []}


async def test_missing_token_gets_invalid_token_on_pro_and_html_on_classic(
    sim: JamfSimulator,
) -> None:
    async with make_client(sim) as client:
        pro = await client.get("/api/v1/computers-inventory")
        classic = await client.get("/JSSResource/policies", headers={"Accept": "application/json"})
    assert pro.status_code == 401
    assert pro.json() == INVALID_TOKEN
    assert classic.status_code == 401
    assert classic.headers["content-type"].startswith("text/html")
    assert "The request requires user authentication" in classic.text


async def test_tokens_expire_after_their_lifetime(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        token = await fetch_token(client)
        assert (await client.get("/api/v1/auth", headers=_bearer(token))).status_code == 200
        sim.tick(301)
        expired = await client.get("/api/v1/auth", headers=_bearer(token))
    assert expired.status_code == 401
    assert expired.json() == INVALID_TOKEN


async def test_expire_all_tokens_revokes_every_issued_token(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        tokens = [await fetch_token(client) for _ in range(3)]
        sim.expire_all_tokens()
        for token in tokens:
            assert (
                await client.get("/api/v1/jamf-pro-version", headers=_bearer(token))
            ).status_code == 401
        fresh = await fetch_token(client)
        assert (
            await client.get("/api/v1/jamf-pro-version", headers=_bearer(fresh))
        ).status_code == 200


async def test_keep_alive_replaces_the_token_and_kills_the_old_one(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        user = await client.post("/api/v1/auth/token", headers=_basic(DEMO_USERNAME, DEMO_PASSWORD))
        old = user.json()["token"]
        renewed = await client.post("/api/v1/auth/keep-alive", headers=_bearer(old))
        assert renewed.status_code == 200
        new = renewed.json()["token"]
        assert new != old
        assert (await client.get("/api/v1/auth", headers=_bearer(old))).status_code == 401
        assert (await client.get("/api/v1/auth", headers=_bearer(new))).status_code == 200


async def test_invalidate_token_answers_204_and_the_token_stops_working(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        token = await fetch_token(client)
        response = await client.post("/api/v1/auth/invalidate-token", headers=_bearer(token))
        assert response.status_code == 204
        assert (await client.get("/api/v1/auth", headers=_bearer(token))).status_code == 401


async def test_current_auth_describes_the_account(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        token = await fetch_token(client)
        body = (await client.get("/api/v1/auth", headers=_bearer(token))).json()
    assert body["account"]["username"] == DEMO_CLIENT_ID
    assert body["authenticationType"] == "CLIENT_CREDENTIALS"


async def test_client_without_read_computers_gets_403_with_the_privilege_named(
    sim: JamfSimulator,
) -> None:
    sim.add_api_client("limited", "limited-secret", frozenset({"Read Departments"}))
    async with make_client(sim) as client:
        token = await fetch_token(client, "limited", "limited-secret")
        denied = await client.get("/api/v1/computers-inventory", headers=_bearer(token))
        allowed = await client.get("/api/v1/departments", headers=_bearer(token))
    assert denied.status_code == 403
    assert denied.json() == {
        "httpStatus": 403,
        "errors": [
            {
                "code": "FORBIDDEN",
                "description": "Forbidden: requires privilege Read Computers",
                "id": "0",
                "field": None,
            }
        ],
    }
    assert allowed.status_code == 200


async def test_every_response_sets_the_ingress_cookie(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        responses = [
            await client.get("/healthCheck.html"),
            await client.get("/api/v1/computers-inventory"),
            await client.get("/api/v1/no-such-route"),
        ]
    for response in responses:
        assert response.headers["set-cookie"].startswith("jpro-ingress=")


async def test_health_endpoints_need_no_privilege(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        page = await client.get("/healthCheck.html")
        token = await fetch_token(client)
        check = await client.get("/api/v1/health-check", headers=_bearer(token))
    assert page.status_code == 200 and page.text == "[]"
    assert check.status_code == 204


async def test_a_cookie_jar_client_keeps_working_across_requests(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        await client.get("/healthCheck.html")
        assert "jpro-ingress" in client.cookies
        token = await fetch_token(client)
        response = await client.get("/api/v1/jamf-pro-version", headers=_bearer(token))
    assert isinstance(response, httpx.Response) and response.status_code == 200


AUTH_ACCOUNT_V1 = {  # the properties of AuthAccountV1 in Jamf's OpenAPI document (11.30.1)
    "id", "username", "realName", "email", "preferences", "multiSiteAdmin", "accessLevel",
    "privilegeSet", "privilegesBySite", "groupIds", "currentSiteId", "currentDivisionId",
}  # fmt: skip


async def test_current_auth_lists_a_partial_clients_privileges_by_site_as_jamf_does(
    sim: JamfSimulator,
) -> None:
    async with make_client(sim) as client:
        token = await fetch_token(client, READ_ONLY_CLIENT_ID, READ_ONLY_CLIENT_SECRET)
        body = (await client.get("/api/v1/auth", headers=_bearer(token))).json()
    assert set(body) == {"account", "accountGroups", "sites", "authenticationType"}
    assert set(body["account"]) <= AUTH_ACCOUNT_V1
    assert body["account"]["privilegesBySite"] == {"-1": sorted(READ_ONLY_PRIVILEGES)}
    assert body["account"]["privilegeSet"] == "CUSTOM"


async def test_the_full_demo_client_lists_the_whole_privilege_catalogue(sim: JamfSimulator) -> None:
    async with make_client(sim) as client:
        token = await fetch_token(client)
        body = (await client.get("/api/v1/auth", headers=_bearer(token))).json()
    assert body["account"]["privilegesBySite"]["-1"] == sorted(CATALOGUE)


async def test_check_in_settings_report_the_tenants_interval_and_need_their_privilege(
    sim: JamfSimulator,
) -> None:
    sim.add_api_client("blind", "blind-secret", frozenset({"Read Computers"}))
    async with make_client(sim) as client:
        token = await fetch_token(client)
        settings = await client.get("/api/v3/check-in", headers=_bearer(token))
        blind = await fetch_token(client, "blind", "blind-secret")
        denied = await client.get("/api/v3/check-in", headers=_bearer(blind))
    assert settings.json()["checkInFrequency"] == 15
    assert denied.status_code == 403
    assert "Read Computer Check-In" in denied.text
