"""The sign-in cookies: the consent form's CSRF cookie and the browser-binding cookie.

Both are HttpOnly, `SameSite=Lax` (sent on the top-level GET that brings the browser back from
the identity provider, not on cross-site subrequests) and `Path=/`. Over https they carry the
`__Host-` prefix and `Secure`: no other host (a sibling subdomain) and no plain-http response can
set or overwrite them. Over plain http — the embedded default on a loopback address — they have
the clearly named fallback names without prefix or `Secure`: headless Chromium accepts `__Host-`
cookies on http://127.0.0.1 and http://localhost, but Safari and some Firefox versions drop
`Secure` cookies from http pages, which would break every sign-in there, while on loopback the
prefix protects nothing (no network attacker; cookies are not isolated by port anyway). See ADR
0013.
"""

from __future__ import annotations

import attrs
from litestar.datastructures import Cookie


@attrs.frozen
class SignInCookies:
    """Names and attributes of the sign-in cookies for a server at an https or http URL.

    Attributes:
        secure: True when the public URL is https.
        max_age: seconds a consent page or an upstream round trip may take.
    """

    secure: bool
    max_age: int

    @property
    def csrf_name(self) -> str:
        """The consent form's double-submit cookie."""
        return "__Host-jamf_mcp_csrf" if self.secure else "jamf_mcp_csrf"

    @property
    def binding_name(self) -> str:
        """The cookie that ties an upstream round trip to the browser that approved consent."""
        return "__Host-jamf_mcp_signin" if self.secure else "jamf_mcp_signin_http"

    def csrf(self, value: str) -> Cookie:
        """The CSRF cookie."""
        return self._cookie(self.csrf_name, value)

    def binding(self, value: str) -> Cookie:
        """The browser-binding cookie."""
        return self._cookie(self.binding_name, value)

    def _cookie(self, name: str, value: str) -> Cookie:
        return Cookie(
            key=name,
            value=value,
            path="/",
            max_age=self.max_age,
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )
