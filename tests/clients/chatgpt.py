"""A ChatGPT stand-in: an MCP client that connects and calls tools the way ChatGPT does, as far as
its behaviour is published or has been observed.

Sources (the research notes are in `/work/shared/reference/mcp-protocol.md` §5):

- OpenAI Apps SDK and plugins authentication pages (`developers.openai.com/apps-sdk/build/auth`,
  `/plugins/build/auth`): OAuth 2.1 per the MCP specification; discovery from the 401's
  `WWW-Authenticate` (`resource_metadata`) and the protected-resource metadata; authorization
  server metadata; `resource` echoed in the authorization and token requests; PKCE (S256); the
  client identifies itself by a Client ID Metadata Document, dynamic registration, or a predefined
  client (the connector settings form: authorization URL, token URL, scopes, client id and
  secret); tool-level `securitySchemes` and `_meta["mcp/www_authenticate"]`.
- ChatGPT's own metadata document, as reported in several servers' issues (Altinity/altinity-mcp
  #118, engram-app/Engram #1633 and PR #1637, django-oauth-toolkit #1845, pocket-id #1718,
  cloudflare/workers-oauth-provider #254): `token_endpoint_auth_method: "private_key_jwt"`,
  `token_endpoint_auth_methods_supported: ["none", "private_key_jwt"]`, RS256, a `jwks_uri` on
  chatgpt.com (`tests/clients/chatgpt_site.py` serves it).
- The observed authorization request (community.openai.com "OAuth missing scopes after
  reconnect"): `response_type=code`, `redirect_uri=https://chatgpt.com/connector_platform_oauth_
  redirect` (or a per-connector `https://chatgpt.com/connector/oauth/{id}`), `state=oauth_s_…`,
  `scope` = the space-separated scopes from the metadata, PKCE S256, `resource=<MCP URL>`; after
  Disconnect → Connect it authorizes **without** `scope`.
- Connector creation (oaslananka/kicad-studio-kit #34): `initialize`, then the next requests
  **without** `Mcp-Session-Id` (and, by the same report and anthropics/claude-ai-mcp #70 for a
  comparable client, without `MCP-Protocol-Version`).
- OpenAI's tool scan posts with `Content-Type: text/octet-stream` and `Accept: */*`
  (openai/openai-apps-sdk-examples issue #183, worked around in that repository's
  `authenticated_server_python/main.py`).

Assumptions no document backs, written down as such:

- the `protocolVersion` ChatGPT sends in `initialize` (`INITIALIZE_VERSION`) and its `clientInfo`
  (`CLIENT_INFO`);
- that it sends the client assertion's `aud` as the token endpoint URL (RFC 7523 allows the
  issuer too; the server accepts both) and a 60-second assertion with a random `jti`;
- that, given `client_id_metadata_document_supported` and `private_key_jwt` in the metadata, it
  uses its metadata document with `private_key_jwt` (reports differ on whether it ever falls back
  to `none`);
- that it asks for progress (`_meta.progressToken`) on long calls and accepts SSE answers;
- that it refreshes when a call is answered 401, and otherwise when told to (`refresh()`);
- that for a pre-registered client it uses `client_secret_basic` or `client_secret_post` as the
  settings form's "token endpoint auth method" says.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import attrs
import httpx

from tests.clients.chatgpt_site import CONNECTOR_PLATFORM_REDIRECT, ChatGptSite
from tests.support.browser import browser_page

INITIALIZE_VERSION = "2025-06-18"
CLIENT_INFO = {"name": "openai-mcp", "version": "1.0.0"}
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CALL_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
TOOL_SCAN_HEADERS = {"Accept": "*/*", "Content-Type": "text/octet-stream"}
_CHALLENGE_PARAM = re.compile(r'(\w+)="([^"]*)"')


@attrs.frozen
class PreRegistered:
    """The connector settings form filled in for a pre-registered client.

    Attributes:
        client_id: "OAuth client ID".
        client_secret: "OAuth client secret".
        authorization_url: "Authorization URL".
        token_url: "Token URL".
        scopes: "Scopes" (as the seed's form shows them).
        auth_method: "Token endpoint auth method": `client_secret_basic` or `client_secret_post`.
        redirect_uri: where ChatGPT receives the code (its stable connector redirect).
    """

    client_id: str
    client_secret: str = attrs.field(repr=False)
    authorization_url: str
    token_url: str
    scopes: str = "openid profile email read:jamf write:jamf"
    auth_method: str = "client_secret_basic"
    redirect_uri: str = CONNECTOR_PLATFORM_REDIRECT


@attrs.define
class Tokens:
    """What the token endpoint gave ChatGPT."""

    access_token: str = attrs.field(repr=False)
    refresh_token: str | None = attrs.field(repr=False)
    scope: str
    expires_in: int


@attrs.define
class CallResult:
    """A `tools/call` answer and the progress notifications that came before it."""

    result: dict[str, Any]
    progress: list[dict[str, Any]] = attrs.field(factory=list)
    content_type: str = ""

    @property
    def structured(self) -> dict[str, Any]:
        """`structuredContent` (ChatGPT reads it whatever the negotiated revision)."""
        value = self.result.get("structuredContent")
        assert isinstance(value, dict), self.result
        return value


@attrs.define
class SignInPage:
    """What the person saw in the browser: the consent page's text and where it ended."""

    consent_text: str = ""
    landed: str = ""


class ChatGpt:
    """ChatGPT connected to one MCP server URL, as its connector would be.

    Args:
        mcp_url: the "MCP server URL" of the connector settings.
        http: ChatGPT's backend HTTP client (token requests come from OpenAI's servers).
        site: chatgpt.com (its metadata document and keys), for the automatic way of connecting.
        form: the settings form, for a pre-registered client (instead of `site`).
        person: the user who signs in (`alice` or `bob` at the development IdP).
    """

    def __init__(
        self,
        mcp_url: str,
        http: httpx.AsyncClient,
        *,
        site: ChatGptSite | None = None,
        form: PreRegistered | None = None,
        person: str = "alice",
    ) -> None:
        assert (site is None) != (form is None), "connect by metadata document or by the form"
        self.mcp_url = mcp_url
        self.http = http
        self.site = site
        self.form = form
        self.person = person
        self.tokens: Tokens | None = None
        self.metadata: dict[str, Any] = {}
        self.resource_metadata: dict[str, Any] = {}
        self.sign_ins: list[SignInPage] = []
        self.authorize_requests: list[dict[str, str]] = []
        self._next_id = 0

    # --- connecting ---------------------------------------------------------------------

    async def connect(self) -> Tokens:
        """Connect: discover from the 401, sign the person in, redeem the code."""
        challenge = await self._unauthorized_challenge()
        self.resource_metadata = (await self.http.get(challenge["resource_metadata"])).json()
        assert self.resource_metadata["resource"] == self.mcp_url
        issuer = self.resource_metadata["authorization_servers"][0]
        metadata = await self.http.get(f"{issuer}/.well-known/oauth-authorization-server")
        self.metadata = metadata.json()
        assert self.metadata["issuer"] == issuer
        assert "S256" in self.metadata["code_challenge_methods_supported"]
        scope = (
            self.form.scopes
            if self.form is not None
            else " ".join(self.resource_metadata["scopes_supported"])
        )
        return await self._authorize(scope)

    async def reconnect(self) -> Tokens:
        """Disconnect → Connect: the authorization request carries no `scope` (observed)."""
        return await self._authorize(None)

    async def _unauthorized_challenge(self) -> dict[str, str]:
        reply = await self.http.post(
            self.mcp_url,
            content=self._rpc("initialize", _initialize_params()),
            headers=CALL_HEADERS,
        )
        assert reply.status_code == 401, reply.text
        scheme, _, params = reply.headers["www-authenticate"].partition(" ")
        assert scheme == "Bearer"
        return dict(_CHALLENGE_PARAM.findall(params))

    @property
    def client_id(self) -> str:
        """How ChatGPT names itself: its document URL, or the form's client id."""
        return self.form.client_id if self.form is not None else self._site().client_id

    @property
    def redirect_uri(self) -> str:
        return self.form.redirect_uri if self.form is not None else self._site().redirect_uris[0]

    def _site(self) -> ChatGptSite:
        assert self.site is not None
        return self.site

    async def _authorize(self, scope: str | None) -> Tokens:
        verifier = secrets.token_urlsafe(48)
        state = "oauth_s_" + secrets.token_hex(16)
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "state": state,
            "code_challenge": _s256(verifier),
            "code_challenge_method": "S256",
            "resource": self.mcp_url,
        }
        if scope is not None:
            query["scope"] = scope
        self.authorize_requests.append(query)
        endpoint = (
            self.form.authorization_url
            if self.form is not None
            else self.metadata["authorization_endpoint"]
        )
        landed = await self._sign_in_in_a_browser(f"{endpoint}?{urlencode(query)}")
        answer = {key: values[0] for key, values in parse_qs(urlsplit(landed).query).items()}
        assert answer.get("state") == state, answer
        assert answer.get("iss") == self.metadata["issuer"], answer  # RFC 9207
        reply = await self._token_request(
            {
                "grant_type": "authorization_code",
                "code": answer["code"],
                "code_verifier": verifier,
                "redirect_uri": self.redirect_uri,
                "resource": self.mcp_url,
            }
        )
        assert reply.status_code == 200, reply.text
        self.tokens = _tokens(reply.json())
        return self.tokens

    async def _sign_in_in_a_browser(self, authorize_url: str) -> str:
        """The person approves the consent page and signs in at the identity provider; the
        browser then goes back to chatgpt.com, which this stand-in answers itself."""
        seen = SignInPage()
        async with browser_page() as page:
            await page.route(
                "https://chatgpt.com/**",
                lambda route: route.fulfill(
                    status=200, body="<p>Connected to ChatGPT</p>", content_type="text/html"
                ),
            )
            await page.goto(authorize_url)
            seen.consent_text = await page.inner_text("body")
            await page.get_by_role("button", name="Approve").click()
            await page.get_by_label("Username").fill(self.person)
            await page.get_by_label("Password").fill(self.person)
            await page.get_by_role("button", name="Sign in").click()
            await page.wait_for_url(f"{self.redirect_uri}?**")
            seen.landed = page.url
        self.sign_ins.append(seen)
        return seen.landed

    # --- tokens ---------------------------------------------------------------------------

    async def _token_request(self, params: dict[str, str]) -> httpx.Response:
        token_url = (
            self.form.token_url if self.form is not None else self.metadata["token_endpoint"]
        )
        headers: dict[str, str] = {}
        if self.form is not None and self.form.auth_method == "client_secret_basic":
            headers["Authorization"] = _basic(self.form.client_id, self.form.client_secret)
        elif self.form is not None:
            params = {
                **params,
                "client_id": self.form.client_id,
                "client_secret": self.form.client_secret,
            }
        elif "private_key_jwt" in self.metadata["token_endpoint_auth_methods_supported"]:
            params = {
                **params,
                "client_assertion_type": JWT_BEARER,
                "client_assertion": self._site().assertion(token_url),
            }
        else:
            params = {**params, "client_id": self.client_id}
        return await self.http.post(token_url, data=params, headers=headers)

    async def refresh(self) -> Tokens:
        """Rotate the refresh token for a new access token."""
        assert self.tokens is not None and self.tokens.refresh_token
        reply = await self._token_request(
            {
                "grant_type": "refresh_token",
                "refresh_token": self.tokens.refresh_token,
                "resource": self.mcp_url,
            }
        )
        assert reply.status_code == 200, reply.text
        self.tokens = _tokens(reply.json())
        return self.tokens

    # --- MCP --------------------------------------------------------------------------------

    def _rpc(self, method: str, params: dict[str, Any]) -> bytes:
        self._next_id += 1
        return json.dumps(
            {"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params}
        ).encode()

    def _bearer(self) -> dict[str, str]:
        assert self.tokens is not None, "connect first"
        return {"Authorization": f"Bearer {self.tokens.access_token}"}

    async def tool_scan(self) -> list[dict[str, Any]]:
        """What OpenAI's tool scan does: `initialize` and `tools/list` as an octet stream,
        `Accept: */*`, never echoing the session id."""
        headers = {**TOOL_SCAN_HEADERS, **self._bearer()}
        started = await self.http.post(
            self.mcp_url, content=self._rpc("initialize", _initialize_params()), headers=headers
        )
        assert started.status_code == 200, started.text
        assert started.json()["result"]["serverInfo"]["name"] == "jamf-mcp"
        listed = await self.http.post(
            self.mcp_url, content=self._rpc("tools/list", {}), headers=headers
        )
        assert listed.status_code == 200, listed.text
        tools: list[dict[str, Any]] = listed.json()["result"]["tools"]
        return tools

    async def call_tool(
        self, name: str, arguments: dict[str, Any], *, progress: bool = False
    ) -> CallResult:
        """`tools/call` without `Mcp-Session-Id` or `MCP-Protocol-Version`; on a 401 ChatGPT
        refreshes and tries once more."""
        params: dict[str, Any] = {"name": name, "arguments": arguments}
        if progress:
            params["_meta"] = {"progressToken": "progress-" + secrets.token_hex(4)}
        body = self._rpc("tools/call", params)
        reply = await self.http.post(
            self.mcp_url, content=body, headers={**CALL_HEADERS, **self._bearer()}
        )
        if reply.status_code == 401:
            await self.refresh()
            reply = await self.http.post(
                self.mcp_url, content=body, headers={**CALL_HEADERS, **self._bearer()}
            )
        assert reply.status_code == 200, reply.text
        content_type = reply.headers["content-type"]
        if content_type.startswith("text/event-stream"):
            messages = _sse_messages(reply.text)
            final = next(m for m in messages if "result" in m or "error" in m)
            notes = [m["params"] for m in messages if m.get("method") == "notifications/progress"]
            return CallResult(final["result"], notes, content_type)
        return CallResult(reply.json()["result"], [], content_type)


def _initialize_params() -> dict[str, Any]:
    return {"protocolVersion": INITIALIZE_VERSION, "capabilities": {}, "clientInfo": CLIENT_INFO}


def _tokens(body: dict[str, Any]) -> Tokens:
    assert body["token_type"] == "Bearer"
    return Tokens(
        access_token=body["access_token"],
        refresh_token=body.get("refresh_token"),
        scope=body.get("scope", ""),
        expires_in=int(body["expires_in"]),
    )


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _basic(client_id: str, secret: str) -> str:
    from urllib.parse import quote_plus

    raw = f"{quote_plus(client_id)}:{quote_plus(secret)}".encode()  # RFC 6749 §2.3.1
    return "Basic " + base64.b64encode(raw).decode()


def _sse_messages(text: str) -> list[dict[str, Any]]:
    messages = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        data = "\n".join(
            line[5:].lstrip() for line in block.split("\n") if line.startswith("data:")
        )
        if data:
            messages.append(json.loads(data))
    return messages


@asynccontextmanager
async def chatgpt_backend() -> AsyncIterator[httpx.AsyncClient]:
    """The HTTP client ChatGPT's servers use (no cookies kept between requests that matter)."""
    async with httpx.AsyncClient(timeout=60, follow_redirects=False) as http:
        yield http
