"""HTML of the development IdP: the login page (demo users listed) and the error page.

Every value that came from a request or the configuration is HTML-escaped. The pages load
nothing, run no script and refuse to be framed (see `PAGE_HEADERS`).
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

import attrs

from jamf_mcp.adapters.dev_idp.grants import PendingLogin
from jamf_mcp.adapters.dev_idp.users import DemoDirectory

BANNER = "Development sign-in — not for production"
WRONG_CREDENTIALS = "The username or password is not right. Try again."

# No `form-action`: browsers apply it to every redirect after the form is sent, and a successful
# sign-in redirects on through the front door to the MCP client's own redirect URI, whose origin
# this provider cannot know. Everything on the page is escaped and `default-src 'none'` holds.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
}

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;"
    "color:#1d1d1f;line-height:1.45}h1{font-size:1.4rem}"
    ".banner{background:#b3261e;color:#fff;font-weight:700;padding:.75rem 1rem;border-radius:8px}"
    ".box{border:1px solid #d2d2d7;border-radius:12px;padding:1rem 1.25rem;margin:1rem 0}"
    ".error{background:#fdecea;border-color:#b3261e;color:#7a1712}"
    ".muted{color:#6e6e73;font-size:.9rem}label{display:block;margin:.75rem 0 .25rem}"
    "input[type=text],input[type=password]{width:100%;box-sizing:border-box;font-size:1rem;"
    "padding:.5rem;border:1px solid #86868b;border-radius:6px}"
    "button{font-size:1rem;padding:.6rem 1.4rem;border-radius:8px;border:1px solid #0071e3;"
    "margin:1rem .5rem 0 0;cursor:pointer}button.primary{background:#0071e3;color:#fff}"
    "button.secondary{background:#fff;color:#0071e3}table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e5e5ea}code{word-break:break-all}"
)


@attrs.frozen
class LoginView:
    """What the login page shows besides the users: the form's ids and any error."""

    login: PendingLogin
    users: DemoDirectory
    error: str | None = None
    username: str = ""


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f'<body><p class="banner" role="status">{escape(BANNER)}</p>{body}</body></html>\n'
    )


def _users_table(users: DemoDirectory) -> str:
    rows = "".join(
        "<tr>"
        f"<td><code>{escape(user.username)}</code></td>"
        "<td>"
        + (
            f"<code>{escape(user.password)}</code>"
            if user.password_is_default
            else "<em>set by the operator</em>"
        )
        + "</td>"
        f"<td>{escape(user.access_summary)} "
        f'<span class="muted">{escape(" ".join(sorted(user.scopes)) or "(no scopes)")}</span></td>'
        "</tr>"
        for user in users
    )
    return (
        '<div class="box"><h2>Demo users</h2>'
        "<table><thead><tr><th>Username</th><th>Password</th><th>Jamf access</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        '<p class="muted">Each demo user\'s password is their username unless the operator '
        "configured another one. Change the users with <code>JAMF_MCP_DEV_USERS</code>.</p></div>"
    )


def login_html(view: LoginView) -> str:
    """The sign-in form, the demo users and what each may do."""
    request = view.login.request
    host = urlsplit(request.redirect_uri).netloc
    scopes = " ".join(request.scopes)
    error = (
        f'<div class="box error" role="alert"><p>{escape(view.error)}</p></div>'
        if view.error
        else ""
    )
    body = (
        "<h1>Sign in to jamf-mcp</h1>"
        '<p class="muted">This is the development identity provider built into jamf-mcp. It '
        "stands in for Auth0 or Okta on your own machine; set <code>OIDC_ISSUER</code> to use a "
        "real identity provider.</p>"
        f'<div class="box"><p>Signing in for <code>{escape(request.client_id)}</code>; you will '
        f"return to <strong>{escape(host)}</strong>.</p>"
        f'<p class="muted">Requested scopes: <code>{escape(scopes)}</code></p></div>'
        f"{error}"
        '<form method="post" action="authorize">'
        f'<input type="hidden" name="login" value="{escape(view.login.login_id)}">'
        f'<input type="hidden" name="csrf_token" value="{escape(view.login.csrf_token)}">'
        '<label for="username">Username</label>'
        '<input type="text" id="username" name="username" autocomplete="username" '
        f'autocapitalize="none" spellcheck="false" required value="{escape(view.username)}">'
        '<label for="password">Password</label>'
        '<input type="password" id="password" name="password" '
        'autocomplete="current-password" required>'
        '<button class="primary" type="submit" name="action" value="sign_in">Sign in</button>'
        '<button class="secondary" type="submit" name="action" value="cancel" formnovalidate>'
        "Cancel</button></form>"
        f"{_users_table(view.users)}"
    )
    return _document("Development sign-in", body)


def error_html(title: str, detail: str) -> str:
    """A plain error page, shown where redirecting back to the client would be unsafe."""
    body = (
        f'<h1>{escape(title)}</h1><div class="box error"><p>{escape(detail)}</p></div>'
        '<p class="muted">Start again from the application you were signing in to.</p>'
    )
    return _document(title, body)
