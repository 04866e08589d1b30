"""A small scriptable Jamf Pro stand-in for `httpx.MockTransport` (odd wire cases the simulator lacks)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from jamf_mcp.adapters.jamf_rest import JamfConnection

Handler = Callable[[httpx.Request], httpx.Response | Awaitable[httpx.Response]]
BASE = "https://acme.jamfcloud.com"
SECRET = "s3cr3t-value-never-logged"


def client_connection(**overrides: Any) -> JamfConnection:
    """Client-credentials settings for the fake tenant."""
    values: dict[str, Any] = {"base_url": BASE, "client_id": "mcp", "client_secret": SECRET}
    values.update(overrides)
    return JamfConnection(**values)


def api_error(status: int, description: str = "", code: str = "ERROR") -> httpx.Response:
    """A Jamf Pro API `ApiError` body."""
    errors = (
        [{"code": code, "description": description, "id": "0", "field": None}]
        if description
        else []
    )
    return httpx.Response(status, json={"httpStatus": status, "errors": errors})


class FakeJamf:
    """Routes by (method, path); issues numbered tokens; records every request and in-flight peak."""

    def __init__(self, *, token_ttl: int = 300, token_delay: float = 0.0) -> None:
        self.routes: dict[tuple[str, str], Handler] = {}
        self.requests: list[httpx.Request] = []
        self.bearers: list[
            tuple[str, str]
        ] = []  # (path, Authorization) as sent: requests are re-used
        self.token_ttl = token_ttl
        self.token_delay = token_delay
        self.issued = 0
        self.valid_tokens: set[str] = set()
        self.in_flight = 0
        self.max_in_flight = 0
        self.route("POST", "/api/oauth/token", self.issue_client_token)
        self.route("POST", "/api/v1/oauth/token", self.issue_client_token)

    def route(self, method: str, path: str, handler: Handler) -> None:
        self.routes[(method, path)] = handler

    def calls(self, method: str, path: str) -> list[httpx.Request]:
        return [r for r in self.requests if r.method == method and r.url.path == path]

    def bearers_for(self, path: str) -> list[str]:
        return [auth for seen, auth in self.bearers if seen == path]

    def expire_all_tokens(self) -> None:
        self.valid_tokens.clear()

    async def issue_client_token(self, request: httpx.Request) -> httpx.Response:
        if self.token_delay:
            await asyncio.sleep(self.token_delay)
        form = dict(httpx.QueryParams(request.content.decode()))
        if form.get("client_secret") != SECRET:
            return httpx.Response(401, json={"error": "invalid_client"})
        self.issued += 1
        token = f"token-{self.issued}"
        self.valid_tokens.add(token)
        return httpx.Response(
            200,
            json={
                "access_token": token,
                "token_type": "Bearer",
                "scope": "api-role:1",
                "expires_in": self.token_ttl,
            },
            headers={"Set-Cookie": "jpro-ingress=node-7; Path=/"},
        )

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    async def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.bearers.append((request.url.path, request.headers.get("Authorization", "")))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            handler = self.routes.get((request.method, request.url.path))
            if handler is None:
                return api_error(404, "Not found", "NOT_FOUND")
            if "token" not in request.url.path and not self.authorized(request):
                return httpx.Response(
                    401,
                    json={
                        "httpStatus": 401,
                        "errors": [{"code": "INVALID_TOKEN", "description": "Unauthorized"}],
                    },
                )
            result = handler(request)
            return await result if isinstance(result, Awaitable) else result
        finally:
            self.in_flight -= 1

    def authorized(self, request: httpx.Request) -> bool:
        header = request.headers.get("Authorization", "")
        return header.startswith("Bearer ") and header[7:] in self.valid_tokens


def ok_json(body: Any) -> Handler:
    """A handler that always answers 200 with `body`."""
    return lambda _request: httpx.Response(
        200, content=json.dumps(body), headers={"Content-Type": "application/json"}
    )
