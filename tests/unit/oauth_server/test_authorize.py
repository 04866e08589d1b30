"""The authorization endpoint and the consent step: validation, error pages vs redirects, CSRF."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jamf_mcp.adapters.oauth_server import ConsentPrompt, ErrorPage, RedirectTo
from tests.unit.oauth_server.oauth_fakes import (
    CHATGPT_REDIRECT,
    ISSUER,
    UPSTREAM_ISSUER,
    World,
    authorize_params,
    build_world,
    consent_prompt,
    pkce_pair,
    query_of,
    register,
)


async def _client(world: World, **metadata: object) -> str:
    body = await register(world, token_endpoint_auth_method="none", **metadata)
    return str(body["client_id"])


async def test_unknown_client_gets_an_error_page_not_a_redirect() -> None:
    world = build_world()
    _, challenge = pkce_pair()
    outcome = await world.front_door.authorize(authorize_params("nobody", challenge), None)
    assert isinstance(outcome, ErrorPage)
    assert outcome.status == 400


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://evil.example/callback",
        CHATGPT_REDIRECT + "/",
        CHATGPT_REDIRECT + "?x=1",
        "https://chatgpt.com/connector/oauth/other-id",
    ],
)
async def test_mismatched_redirect_uri_gets_an_error_page_never_a_redirect(
    redirect_uri: str,
) -> None:
    world = build_world()
    client_id = await _client(
        world, redirect_uris=[CHATGPT_REDIRECT, "https://chatgpt.com/connector/oauth/abc123"]
    )
    _, challenge = pkce_pair()
    outcome = await world.front_door.authorize(
        authorize_params(client_id, challenge, redirect_uri=redirect_uri), None
    )
    assert isinstance(outcome, ErrorPage)
    assert outcome.status == 400


async def test_accepts_each_exactly_registered_chatgpt_redirect_uri() -> None:
    world = build_world()
    per_connector = "https://chatgpt.com/connector/oauth/abc123"
    client_id = await _client(world, redirect_uris=[CHATGPT_REDIRECT, per_connector])
    _, challenge = pkce_pair()
    for uri in (CHATGPT_REDIRECT, per_connector):
        prompt = await consent_prompt(
            world, authorize_params(client_id, challenge, redirect_uri=uri)
        )
        assert prompt.redirect_host == "chatgpt.com"


async def test_missing_redirect_uri_with_several_registered_gets_an_error_page() -> None:
    world = build_world()
    client_id = await _client(
        world, redirect_uris=[CHATGPT_REDIRECT, "https://chatgpt.com/connector/oauth/abc"]
    )
    _, challenge = pkce_pair()
    outcome = await world.front_door.authorize(
        authorize_params(client_id, challenge, redirect_uri=None), None
    )
    assert isinstance(outcome, ErrorPage)


def _error_of(outcome: object) -> dict[str, str]:
    assert isinstance(outcome, RedirectTo), outcome
    assert outcome.location.startswith(CHATGPT_REDIRECT + "?")
    return query_of(outcome.location)


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge_method": None}, "invalid_request"),
        ({"code_challenge": None}, "invalid_request"),
        ({"code_challenge": "too-short"}, "invalid_request"),
        ({"response_type": "token"}, "unsupported_response_type"),
        ({"resource": "https://other.example/mcp"}, "invalid_target"),
        ({"scope": "admin root"}, "invalid_scope"),
        ({"prompt": "none"}, "consent_required"),
        ({"state": "s" * 2049}, "invalid_request"),
    ],
)
async def test_bad_requests_get_an_error_page_even_with_a_registered_redirect_uri(
    overrides: dict[str, str | None], error: str
) -> None:
    # Anyone can register a client: redirecting before the user saw a consent page would make
    # this server an open redirector to the attacker's registered URI.
    world = build_world()
    client_id = await _client(world)
    _, challenge = pkce_pair()
    outcome = await world.front_door.authorize(
        authorize_params(client_id, challenge, **overrides), None
    )
    assert isinstance(outcome, ErrorPage), outcome
    assert outcome.status == 400
    assert error in outcome.detail


async def test_plain_pkce_is_refused() -> None:
    world = build_world()
    client_id = await _client(world)
    verifier, _ = pkce_pair()
    outcome = await world.front_door.authorize(
        authorize_params(client_id, verifier, code_challenge_method="plain"), None
    )
    assert isinstance(outcome, ErrorPage)
    assert "S256" in outcome.detail


async def test_a_request_without_scope_gets_the_default_api_scopes() -> None:
    world = build_world()
    client_id = await _client(world)
    _, challenge = pkce_pair()
    prompt = await consent_prompt(world, authorize_params(client_id, challenge, scope=None))
    assert prompt.scopes == ("read:jamf", "write:jamf")


async def test_unknown_scopes_are_dropped_and_oidc_only_requests_get_the_defaults_added() -> None:
    world = build_world()
    client_id = await _client(world)
    _, challenge = pkce_pair()
    prompt = await consent_prompt(
        world, authorize_params(client_id, challenge, scope="read:jamf admin openid")
    )
    assert prompt.scopes == ("openid", "read:jamf")
    prompt = await consent_prompt(world, authorize_params(client_id, challenge, scope="openid"))
    assert prompt.scopes == ("openid", "read:jamf", "write:jamf")


@pytest.mark.parametrize(
    "resource", [None, "https://mcp.example.test/mcp", "https://mcp.example.test"]
)
async def test_accepts_no_resource_or_one_naming_this_server(resource: str | None) -> None:
    world = build_world()
    client_id = await _client(world)
    _, challenge = pkce_pair()
    prompt = await consent_prompt(world, authorize_params(client_id, challenge, resource=resource))
    assert isinstance(prompt, ConsentPrompt)


async def test_consent_prompt_names_the_client_the_redirect_host_and_allowed_form_targets() -> None:
    world = build_world()
    client_id = await _client(world)
    _, challenge = pkce_pair()
    prompt = await consent_prompt(world, authorize_params(client_id, challenge))
    assert prompt.client_name == "ChatGPT"
    assert prompt.redirect_host == "chatgpt.com"
    assert prompt.form_origins == (UPSTREAM_ISSUER, "https://chatgpt.com")
    assert len(prompt.transaction_id) >= 43 and len(prompt.csrf_token) >= 43


async def _prompt(world: World) -> ConsentPrompt:
    client_id = await _client(world)
    _, challenge = pkce_pair()
    return await consent_prompt(world, authorize_params(client_id, challenge))


@pytest.mark.parametrize(
    ("posted", "cookie"),
    [("wrong", "right"), ("right", "wrong"), ("", "right"), ("right", None)],
)
async def test_consent_with_a_bad_csrf_token_or_cookie_is_refused_403(
    posted: str, cookie: str | None
) -> None:
    world = build_world()
    prompt = await _prompt(world)
    right = prompt.csrf_token
    form = {
        "transaction": prompt.transaction_id,
        "csrf_token": right if posted == "right" else posted,
        "decision": "approve",
    }
    outcome = await world.front_door.consent(form, right if cookie == "right" else cookie)
    assert isinstance(outcome, ErrorPage)
    assert outcome.status == 403
    assert world.upstream.logins == {}


async def test_consent_tokens_are_bound_to_their_transaction() -> None:
    world = build_world()
    first, second = await _prompt(world), await _prompt(world)
    # Same browser cookie reused for both pages; the token of one page is not a key to another's.
    form = {"transaction": second.transaction_id, "csrf_token": first.csrf_token}
    outcome = await world.front_door.consent({**form, "decision": "approve"}, first.csrf_token)
    assert isinstance(outcome, ErrorPage)


async def test_an_existing_csrf_cookie_is_reused_so_two_open_consent_pages_both_work() -> None:
    world = build_world()
    first = await _prompt(world)
    client_id = await _client(world)
    _, challenge = pkce_pair()
    second = await world.front_door.authorize(
        authorize_params(client_id, challenge), first.csrf_token
    )
    assert isinstance(second, ConsentPrompt)
    assert second.csrf_token == first.csrf_token
    assert second.transaction_id != first.transaction_id


async def test_deny_sends_access_denied_back_to_the_client_with_state_and_iss() -> None:
    world = build_world()
    prompt = await _prompt(world)
    form = {"transaction": prompt.transaction_id, "csrf_token": prompt.csrf_token}
    outcome = await world.front_door.consent({**form, "decision": "deny"}, prompt.csrf_token)
    query = _error_of(outcome)
    assert (query["error"], query["state"], query["iss"]) == (
        "access_denied",
        "oauth_s_123",
        ISSUER,
    )


async def test_approve_sends_the_browser_to_the_upstream_with_our_own_state_and_pkce() -> None:
    world = build_world()
    prompt = await _prompt(world)
    form = {"transaction": prompt.transaction_id, "csrf_token": prompt.csrf_token}
    outcome = await world.front_door.consent({**form, "decision": "approve"}, prompt.csrf_token)
    assert isinstance(outcome, RedirectTo) and outcome.status == 303
    assert outcome.location.startswith(UPSTREAM_ISSUER + "/authorize?")
    query = query_of(outcome.location)
    assert query["state"] != "oauth_s_123" and len(query["state"]) >= 43
    assert query["redirect_uri"] == ISSUER + "/auth/upstream/callback"
    login = world.upstream.logins[query["state"]]
    assert len(login.nonce) >= 43 and len(login.code_challenge) == 43
    assert login.scopes == ("read:jamf", "write:jamf")


async def test_a_consent_form_works_only_once() -> None:
    world = build_world()
    prompt = await _prompt(world)
    form = {
        "transaction": prompt.transaction_id,
        "csrf_token": prompt.csrf_token,
        "decision": "approve",
    }
    assert isinstance(await world.front_door.consent(form, prompt.csrf_token), RedirectTo)
    again = await world.front_door.consent(form, prompt.csrf_token)
    assert isinstance(again, ErrorPage) and again.status == 400


async def test_an_unknown_upstream_state_gets_an_error_page() -> None:
    world = build_world()
    outcome = await world.front_door.upstream_callback({"state": "forged", "code": "x"})
    assert isinstance(outcome, ErrorPage)


async def test_an_upstream_error_goes_back_to_the_client_as_access_denied() -> None:
    world = build_world()
    prompt = await _prompt(world)
    form = {"transaction": prompt.transaction_id, "csrf_token": prompt.csrf_token}
    to_upstream = await world.front_door.consent({**form, "decision": "approve"}, prompt.csrf_token)
    assert isinstance(to_upstream, RedirectTo)
    state = query_of(to_upstream.location)["state"]
    outcome = await world.front_door.upstream_callback(
        {"state": state, "error": "login_required"}, to_upstream.browser_binding
    )
    query = _error_of(outcome)
    assert (query["error"], query["state"], query["iss"]) == (
        "access_denied",
        "oauth_s_123",
        ISSUER,
    )
    assert "login_required" in query["error_description"]


async def test_a_consent_page_left_open_past_the_transaction_ttl_is_refused() -> None:
    world = build_world()
    prompt = await _prompt(world)
    world.clock.advance(timedelta(seconds=601))
    form = {"transaction": prompt.transaction_id, "csrf_token": prompt.csrf_token}
    outcome = await world.front_door.consent({**form, "decision": "approve"}, prompt.csrf_token)
    assert isinstance(outcome, ErrorPage) and outcome.status == 400


async def _at_upstream(world: World) -> tuple[str, str]:
    """Approve consent; the upstream `state` and the browser-binding cookie's value."""
    prompt = await _prompt(world)
    form = {"transaction": prompt.transaction_id, "csrf_token": prompt.csrf_token}
    to_upstream = await world.front_door.consent({**form, "decision": "approve"}, prompt.csrf_token)
    assert isinstance(to_upstream, RedirectTo)
    assert to_upstream.browser_binding is not None
    return query_of(to_upstream.location)["state"], to_upstream.browser_binding


async def test_the_upstream_callback_works_once_per_state() -> None:
    world = build_world()
    state, browser = await _at_upstream(world)
    code = world.upstream.sign_in(state)
    first = await world.front_door.upstream_callback({"state": state, "code": code}, browser)
    assert isinstance(first, RedirectTo)
    again = await world.front_door.upstream_callback({"state": state, "code": code}, browser)
    assert isinstance(again, ErrorPage)


@pytest.mark.parametrize(
    "browser", [None, "", "x" * 43, "a-different-browsers-binding-value-of-43-ch"]
)
async def test_a_callback_in_another_browser_gets_an_error_page_and_spends_the_sign_in(
    browser: str | None,
) -> None:
    world = build_world()
    state, right = await _at_upstream(world)
    code = world.upstream.sign_in(state)
    outcome = await world.front_door.upstream_callback({"state": state, "code": code}, browser)
    assert isinstance(outcome, ErrorPage)
    assert (outcome.status, outcome.title) == (403, "This sign-in was started in another browser")
    assert world.upstream.codes, "the upstream code must not even be redeemed"
    # The round trip is spent: the browser that started it cannot finish it with the victim's
    # upstream code afterwards either.
    late = await world.front_door.upstream_callback({"state": state, "code": code}, right)
    assert isinstance(late, ErrorPage) and late.status == 400


async def test_two_sign_ins_in_one_browser_share_its_binding_cookie() -> None:
    world = build_world()
    first_state, browser = await _at_upstream(world)
    prompt = await _prompt(world)
    form = {"transaction": prompt.transaction_id, "csrf_token": prompt.csrf_token}
    second = await world.front_door.consent(
        {**form, "decision": "approve"}, prompt.csrf_token, browser
    )
    assert isinstance(second, RedirectTo) and second.browser_binding == browser
    for state in (first_state, query_of(second.location)["state"]):
        code = world.upstream.sign_in(state)
        back = await world.front_door.upstream_callback({"state": state, "code": code}, browser)
        assert isinstance(back, RedirectTo) and "code=" in back.location


async def test_an_unverifiable_upstream_answer_goes_back_to_the_client_as_access_denied() -> None:
    world = build_world()
    state, browser = await _at_upstream(world)
    world.upstream.sign_in(state)
    outcome = await world.front_door.upstream_callback(
        {"state": state, "code": "forged-code"}, browser
    )
    query = _error_of(outcome)
    assert (query["error"], query["state"], query["iss"]) == (
        "access_denied",
        "oauth_s_123",
        ISSUER,
    )
    assert "code" not in query


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(state=st.text(min_size=1, max_size=200).filter(lambda s: "\x00" not in s))
async def test_the_clients_state_comes_back_exactly_as_sent(state: str) -> None:
    world = build_world()
    client_id = await _client(world, redirect_uris=[CHATGPT_REDIRECT + "?keep=1"])
    _, challenge = pkce_pair()
    params = authorize_params(
        client_id, challenge, state=state, redirect_uri=CHATGPT_REDIRECT + "?keep=1"
    )
    prompt = await consent_prompt(world, params)
    form = {"transaction": prompt.transaction_id, "csrf_token": prompt.csrf_token}
    outcome = await world.front_door.consent({**form, "decision": "deny"}, prompt.csrf_token)
    assert isinstance(outcome, RedirectTo)
    query = query_of(outcome.location)
    assert query["state"] == state
    assert query["keep"] == "1"
