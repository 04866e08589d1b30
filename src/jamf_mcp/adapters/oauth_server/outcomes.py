"""What the front door's core answers, independent of any web framework.

The Litestar adapter turns each into an HTTP response; nothing here knows about HTTP libraries.
"""

from __future__ import annotations

from typing import Any

import attrs


class OAuthError(Exception):
    """An OAuth error response (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707).

    Attributes:
        error: the error code, e.g. `invalid_grant`.
        description: a human-readable explanation, safe to show (never contains secrets).
        status: the HTTP status of a JSON error response.
        headers: extra response headers (`WWW-Authenticate` for a failed Basic authentication).
    """

    def __init__(
        self,
        error: str,
        description: str,
        status: int = 400,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status
        self.headers = headers or {}

    def body(self) -> dict[str, str]:
        """The JSON body."""
        return {"error": self.error, "error_description": self.description}


@attrs.frozen
class ErrorPage:
    """An HTML error page for the browser, used when redirecting back to the client is unsafe."""

    status: int
    title: str
    detail: str


@attrs.frozen
class RedirectTo:
    """Send the browser to `location`.

    Attributes:
        location: where to.
        status: the redirect status.
        browser_binding: when set, the value of the browser-binding cookie to set with the
            redirect (the sign-in may only finish in the browser that holds it).
    """

    location: str
    status: int = 302
    browser_binding: str | None = attrs.field(default=None, repr=False)


@attrs.frozen
class ConsentPrompt:
    """Everything the consent page shows and carries.

    Attributes:
        transaction_id: the pending authorization, posted back with the form.
        csrf_token: posted back with the form and set as the double-submit cookie.
        client_id: the requesting client's id.
        client_name: its self-declared name, if any (unverified for registered clients).
        redirect_host: the host the user will be sent back to (the part that can be trusted).
        scopes: the scopes requested, in a stable order.
        verified_by_url: for a metadata-document client, the host that published its metadata.
        form_origins: origins the consent form may end up at (CSP `form-action`).
    """

    transaction_id: str = attrs.field(repr=False)
    csrf_token: str = attrs.field(repr=False)
    client_id: str
    client_name: str | None
    redirect_host: str
    scopes: tuple[str, ...]
    verified_by_url: str | None
    form_origins: tuple[str, ...]


@attrs.frozen
class TokenReply:
    """A JSON answer from the token or registration endpoint."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = attrs.field(factory=dict)
