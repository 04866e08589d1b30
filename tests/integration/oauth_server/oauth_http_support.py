"""A Litestar app serving just the front door, and helpers to walk it like a browser and a client."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.litestar_http.metadata_routes import metadata_route_handlers
from jamf_mcp.adapters.litestar_http.oauth_routes import oauth_route_handlers
from jamf_mcp.adapters.oauth_server import AuthRateLimiter
from tests.unit.oauth_server.oauth_fakes import (
    CHATGPT_REDIRECT,
    RESOURCE,
    World,
    pkce_pair,
    query_of,
)

_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)">')


def front_door_app(world: World, rate_limiter: AuthRateLimiter | None = None) -> Litestar:
    return Litestar(
        route_handlers=[
            *oauth_route_handlers(world.front_door, rate_limiter),
            *metadata_route_handlers(world.config),
        ],
        logging_config=None,  # as in containers.http_edge.litestar_app; Litestar's default would replace caplog's handler
    )


def hidden_fields(html: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in _HIDDEN.findall(html)}


async def walk_to_code(
    client: AsyncTestClient[Litestar], world: World, client_id: str, **params: str
) -> tuple[str, str, dict[str, str]]:
    """Authorize → consent page → approve → upstream sign-in → callback; (code, verifier, query)."""
    verifier, challenge = pkce_pair()
    query: dict[str, Any] = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": CHATGPT_REDIRECT,
        "state": "oauth_s_abc",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "resource": RESOURCE,
        **params,
    }
    page = await client.get("/auth/authorize", params=query)
    assert page.status_code == 200, page.text
    form = {**hidden_fields(page.text), "decision": "approve"}
    to_upstream = await client.post("/auth/consent", data=form, follow_redirects=False)
    assert to_upstream.status_code == 303, to_upstream.text
    state = query_of(to_upstream.headers["location"])["state"]
    upstream_code = world.upstream.sign_in(state)
    back = await client.get(
        "/auth/upstream/callback",
        params={"state": state, "code": upstream_code},
        follow_redirects=False,
    )
    assert back.status_code == 303, back.text
    location = back.headers["location"]
    assert location.startswith(str(query["redirect_uri"]) + "?")
    answer = query_of(location)
    return answer.get("code", ""), verifier, answer
