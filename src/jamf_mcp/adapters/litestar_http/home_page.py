"""The home page's HTML: what this server is, the connector settings to paste, live status, docs.

Everything works without JavaScript; one small script (allowed by its hash, like the stylesheet)
only adds the copy buttons. Every value that did not come from a constant is HTML-escaped.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from datetime import datetime
from html import escape

import attrs

from jamf_mcp.adapters.asgi_observability.readiness import ProbeResult, ReadinessReport
from jamf_mcp.adapters.litestar_http.home_text import (
    COMPONENTS,
    DOCS,
    REGISTRATION_WORDS,
    ComponentText,
)


@attrs.frozen
class ConnectorSettings:
    """What a person pastes into ChatGPT's connector form (or another MCP client's).

    Attributes:
        mcp_url: The MCP endpoint.
        authorization_url: The OAuth authorization endpoint; None when sign-in is off.
        token_url: The OAuth token endpoint; None when sign-in is off.
        scopes: The scopes to ask for.
        registration: How clients get a client id, from the front door's configuration.
    """

    mcp_url: str
    authorization_url: str | None = None
    token_url: str | None = None
    scopes: tuple[str, ...] = ()
    registration: tuple[str, ...] = ()


@attrs.frozen
class HomePage:
    """The facts of the page that do not change while the server runs.

    Attributes:
        version: This server's version.
        connector: The settings to paste.
        sign_in: `dev`, `oidc` or `none`.
        docs_url: Where the project's files are published (links become `docs_url/docs/…`);
            None lists the documents by their path in the source instead.
    """

    version: str
    connector: ConnectorSettings
    sign_in: str
    docs_url: str | None = None


STYLE = (
    ":root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#6e6e73;--line:#d2d2d7;"
    "--ok:#1a7f37;--bad:#cf222e;--warn:#9a6700;--accent:#0071e3}"
    "@media (prefers-color-scheme:dark){:root{--fg:#f5f5f7;--bg:#1d1d1f;--muted:#a1a1a6;"
    "--line:#424245;--ok:#3fb950;--bad:#f85149;--warn:#d29922;--accent:#2997ff}}"
    "*{box-sizing:border-box}body{font-family:system-ui,-apple-system,sans-serif;margin:0;"
    "background:var(--bg);color:var(--fg);line-height:1.5}main{max-width:48rem;margin:0 auto;"
    "padding:1.5rem 1rem 3rem}h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.15rem;"
    "margin:2rem 0 .6rem}p{margin:.4rem 0}.muted{color:var(--muted);font-size:.92rem}"
    ".version{font-weight:400;color:var(--muted);font-size:1rem}"
    ".settings,.status{border:1px solid var(--line);border-radius:12px;padding:.25rem 1rem}"
    ".row{display:grid;grid-template-columns:11rem 1fr auto;gap:.25rem .75rem;"
    "align-items:center;padding:.65rem 0;border-top:1px solid var(--line)}"
    ".row:first-child{border-top:0}.label{font-weight:600}"
    ".value{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92rem;"
    "overflow-wrap:anywhere}.value small{display:block;font-family:system-ui,sans-serif;"
    "color:var(--muted)}button.copy{font:inherit;font-size:.9rem;padding:.35rem .9rem;"
    "border-radius:8px;border:1px solid var(--accent);background:transparent;"
    "color:var(--accent);cursor:pointer;min-width:5.5rem}button.copy:focus-visible{"
    "outline:2px solid var(--accent);outline-offset:2px}"
    ".status .value{font-family:inherit;font-size:inherit}"
    ".state{font-weight:600;white-space:nowrap}.ok{color:var(--ok)}.failing{color:var(--bad)}"
    ".unused{color:var(--muted)}.note{border-left:4px solid var(--warn);padding:.4rem .8rem;"
    "margin:1rem 0}a{color:var(--accent)}code{font-family:ui-monospace,Menlo,monospace;"
    "font-size:.92em}ul{padding-left:1.2rem}"
    "@media (max-width:40rem){.row{grid-template-columns:1fr auto}.row .value{grid-column:1/-1;"
    "grid-row:2}.status .row{grid-template-columns:1fr auto}}"
)

SCRIPT = (
    "(function(){'use strict';"
    "function fallback(text){var area=document.createElement('textarea');area.value=text;"
    "area.setAttribute('readonly','');area.style.position='fixed';area.style.top='-9999px';"
    "document.body.appendChild(area);area.select();var done=false;"
    "try{done=document.execCommand('copy');}catch(e){done=false;}"
    "document.body.removeChild(area);return done?Promise.resolve():Promise.reject(new Error('no'));}"
    "function copy(text){if(navigator.clipboard&&window.isSecureContext){"
    "return navigator.clipboard.writeText(text).catch(function(){return fallback(text);});}"
    "return fallback(text);}"
    "function say(button,label){button.textContent=label;window.setTimeout(function(){"
    "button.textContent=button.getAttribute('data-label');},2500);}"
    "document.querySelectorAll('button[data-copy]').forEach(function(button){"
    "var source=document.getElementById(button.getAttribute('data-copy'));if(!source){return;}"
    "button.setAttribute('data-label',button.textContent);button.hidden=false;"
    "button.addEventListener('click',function(){copy(source.getAttribute('data-value')||"
    "source.textContent.trim()).then(function(){say(button,'Copied');},"
    "function(){say(button,'Select it');});});});})();"
)


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def home_headers() -> dict[str, str]:
    """Security headers: only this page's own stylesheet and script run, nothing frames it."""
    return {
        "Content-Security-Policy": (
            f"default-src 'none'; script-src {_sha256(SCRIPT)}; style-src {_sha256(STYLE)}; "
            "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


def _setting(key: str, label: str, value: str, note: str = "", copy: str | None = None) -> str:
    """One row: label, value (with an optional note under it) and a copy button for JS."""
    copied = f' data-value="{escape(copy)}"' if copy is not None else ""
    small = f"<small>{escape(note)}</small>" if note else ""
    return (
        f'<div class="row"><span class="label" id="l-{key}">{escape(label)}</span>'
        f'<span class="value" id="v-{key}"{copied}>{escape(value)}{small}</span>'
        f'<button type="button" class="copy" data-copy="v-{key}" aria-describedby="l-{key}" '
        "hidden>Copy</button></div>"
    )


def _registration(modes: Sequence[str]) -> tuple[str, str]:
    """The registration row's value and note, from the front door's configured modes."""
    if not modes:
        return "None", "No client can register: ask the administrator."
    first, *others = modes
    value = REGISTRATION_WORDS.get(first, (first, ""))[0]
    notes = [REGISTRATION_WORDS.get(first, ("", ""))[1]]
    if others:
        also = ", ".join(REGISTRATION_WORDS.get(mode, (mode, ""))[0] for mode in others)
        notes.append(f"Also accepted: {also}.")
    return value, " ".join(note for note in notes if note)


def _connector(connector: ConnectorSettings) -> str:
    rows = [_setting("mcp", "MCP server URL", connector.mcp_url)]
    if connector.authorization_url is None or connector.token_url is None:
        rows.append(
            '<div class="row"><span class="label">Sign-in</span><span class="value">Off'
            "<small>This server accepts local connections only; nothing to set up.</small>"
            "</span></div>"
        )
        return f'<div class="settings">{"".join(rows)}</div>'
    registration, note = _registration(connector.registration)
    rows += [
        _setting("auth", "Authorization URL", connector.authorization_url),
        _setting("token", "Token URL", connector.token_url),
        _setting("scopes", "Scopes", " ".join(connector.scopes)),
        _setting("registration", "Registration", registration, note, copy=registration),
    ]
    return f'<div class="settings">{"".join(rows)}</div>'


def _state(result: ProbeResult | None, text: ComponentText, sign_in: str) -> tuple[str, str, str]:
    """(css class, mark and word, detail) for one component."""
    if result is None:
        if sign_in == "none" and text.absent_sign_in_off != text.absent:
            return "unused", "— Off", text.absent_sign_in_off
        return "unused", f"— {text.absent_state}", text.absent
    if result.ok:
        return "ok", "✓ OK", result.detail
    return "failing", "✗ Failing", result.detail


def _status(report: ReadinessReport | None, sign_in: str, checked_at: datetime) -> str:
    if report is None:
        return '<p class="status-line"><span class="state failing">Starting up…</span></p>'
    overall = (
        '<span class="state ok">✓ Ready</span>'
        if report.ready
        else '<span class="state failing">✗ Not ready</span>'
    )
    rows = []
    for name in _listed(report):
        text = _component_text(name)
        css, word, detail = _state(report.components.get(name), text, sign_in)
        rows.append(
            f'<div class="row" data-component="{escape(name)}"><span class="label">'
            f'{escape(text.label)}</span><span class="value">{escape(detail)}</span>'
            f'<span class="state {css}">{escape(word)}</span></div>'
        )
    stamp = checked_at.strftime("%H:%M:%S UTC")
    return (
        f'<p class="status-line">{overall} <span class="muted">checked at {stamp}; '
        f'reload the page to check again (JSON: <a href="/health/ready">/health/ready</a>)'
        f'</span></p><div class="status">{"".join(rows)}</div>'
    )


def _listed(report: ReadinessReport) -> list[str]:
    """The known components in their order (a placeholder name when no probe reports one),
    then every other probe's component."""
    names: list[str] = []
    for expected in COMPONENTS:
        present = [name for name in expected.names if name in report.components]
        names.extend(present or expected.names[:1])
    return names + [name for name in report.components if name not in names]


def _component_text(name: str) -> ComponentText:
    for text in COMPONENTS:
        if name in text.names:
            return text
    return ComponentText((name,), name.replace("_", " ").capitalize())


def _docs(docs_url: str | None) -> str:
    items = []
    for title, path in DOCS:
        if docs_url:
            target = f"{docs_url.rstrip('/')}/{path}"
            items.append(f'<li><a href="{escape(target)}">{escape(title)}</a></li>')
        else:
            items.append(f"<li>{escape(title)}: <code>{escape(path)}</code></li>")
    where = "" if docs_url else '<p class="muted">In the jamf-mcp source:</p>'
    return (
        f"{where}<ul>{''.join(items)}"
        '<li>Discovery documents: <a href="/.well-known/oauth-protected-resource/mcp">'
        "protected resource</a>, "
        '<a href="/.well-known/oauth-authorization-server">authorization server</a></li></ul>'
    )


def home_html(page: HomePage, report: ReadinessReport | None, checked_at: datetime) -> str:
    """The whole page for one request."""
    dev_note = (
        '<p class="note">Sign-in goes through the built-in <strong>development</strong> '
        "identity provider: fine for a trial, never for production (set <code>OIDC_ISSUER"
        "</code>).</p>"
        if page.sign_in == "dev"
        else ""
    )
    body = (
        f'<main><h1>Jamf Pro MCP server <span class="version">jamf-mcp {escape(page.version)}'
        "</span></h1><p>This server lets ChatGPT and other MCP clients search and manage the "
        "Apple devices in Jamf Pro: find devices, check compliance, read policies, and — with "
        "each user's own confirmation — run policies, update inventory and send MDM commands."
        f"</p>{dev_note}"
        '<h2>Connect ChatGPT</h2><p class="muted">In ChatGPT: Settings → Apps &amp; '
        "Connectors → Create (developer mode). Choose OAuth authentication and paste these "
        "values; other MCP clients need only the MCP server URL.</p>"
        f"{_connector(page.connector)}"
        f"<h2>Status</h2>{_status(report, page.sign_in, checked_at)}"
        '<p class="muted">Missing Jamf privileges or a sign-in problem? Run '
        "<code>jamf-mcp doctor</code> where the server runs: it names each problem and its "
        "fix.</p>"
        f"<h2>Documentation</h2>{_docs(page.docs_url)}</main>"
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">'
        f"<title>Jamf Pro MCP server</title><style>{STYLE}</style></head>"
        f"<body>{body}<script>{SCRIPT}</script></body></html>\n"
    )
