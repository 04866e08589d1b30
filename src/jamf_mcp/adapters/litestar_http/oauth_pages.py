"""HTML for the front door's browser pages (consent and errors), and the headers that protect them.

Every piece of text that came from a client or a request is HTML-escaped; the pages load nothing
from anywhere, run no script, and refuse to be framed.
"""

from __future__ import annotations

from html import escape

from jamf_mcp.adapters.oauth_server import ConsentPrompt, ErrorPage

SCOPE_WORDS = {
    "read:jamf": "Read your Jamf Pro inventory: computers, mobile devices, policies and compliance",
    "write:jamf": "Make changes in Jamf Pro, such as running policies (each change is confirmed)",
    "openid": "Confirm who you are",
    "profile": "See your name",
    "email": "See your email address",
    "offline_access": "Stay connected when you are away (refresh tokens)",
}

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;"
    "color:#1d1d1f;line-height:1.45}h1{font-size:1.4rem}.box{border:1px solid #d2d2d7;"
    "border-radius:12px;padding:1rem 1.25rem;margin:1rem 0}.muted{color:#6e6e73;font-size:.9rem}"
    "button{font-size:1rem;padding:.6rem 1.4rem;border-radius:8px;border:1px solid #0071e3;"
    "margin-right:.5rem;cursor:pointer}button.approve{background:#0071e3;color:#fff}"
    "button.deny{background:#fff;color:#0071e3}code{word-break:break-all}"
)


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def page_headers(form_origins: tuple[str, ...] = ()) -> dict[str, str]:
    """Security headers for a page; `form_origins` are where its form may lead besides 'self'."""
    form_action = " ".join(("'self'", *form_origins)) if form_origins else "'none'"
    return {
        "Content-Security-Policy": (
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; "
            f"form-action {form_action}; frame-ancestors 'none'"
        ),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-store",
        "Pragma": "no-cache",
        "Referrer-Policy": "no-referrer",
    }


def consent_html(prompt: ConsentPrompt) -> str:
    """The consent page: who is asking, where you will be sent, what it may do; Approve/Deny."""
    name = prompt.client_name or "An unnamed application"
    if prompt.verified_by_url:
        origin = f"Its details were published by <strong>{escape(prompt.verified_by_url)}</strong>."
    else:
        origin = "It registered itself with this server; its name has not been verified."
    items = "".join(
        f"<li><strong>{escape(SCOPE_WORDS.get(scope, scope))}</strong> "
        f'<span class="muted">(<code>{escape(scope)}</code>)</span></li>'
        for scope in prompt.scopes
    )
    body = (
        "<h1>Allow access to Jamf Pro?</h1>"
        f'<div class="box"><p><strong>{escape(name)}</strong> wants to use the Jamf Pro MCP server '
        f'on your behalf.</p><p class="muted">{origin} Client id: '
        f"<code>{escape(prompt.client_id)}</code></p>"
        f"<p>After you sign in you will be sent to <strong>{escape(prompt.redirect_host)}</strong>."
        "</p></div>"
        f"<p>It asks to:</p><ul>{items}</ul>"
        '<p class="muted">You will only get what your account is allowed. Continue only if you '
        "started this from that application.</p>"
        '<form method="post" action="consent">'
        f'<input type="hidden" name="transaction" value="{escape(prompt.transaction_id)}">'
        f'<input type="hidden" name="csrf_token" value="{escape(prompt.csrf_token)}">'
        '<button class="approve" type="submit" name="decision" value="approve">Approve</button>'
        '<button class="deny" type="submit" name="decision" value="deny">Deny</button>'
        "</form>"
    )
    return _document("Allow access to Jamf Pro?", body)


def error_html(page: ErrorPage) -> str:
    """A plain error page (used where redirecting back to the application would be unsafe)."""
    body = (
        f'<h1>{escape(page.title)}</h1><div class="box"><p>{escape(page.detail)}</p></div>'
        '<p class="muted">You can close this window.</p>'
    )
    return _document(page.title, body)
