"""HTML of the approval page: the whole action, who asked and through what, Approve / Decline.

Built like the consent page (`oauth_pages`): every value is escaped, nothing is loaded from
anywhere, no script runs, and the page refuses to be framed. Readable in a few seconds on a
phone: the verb and the devices first, the details after.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from jamf_mcp.application.approval_desk import ApprovalView, PageViewer, Verdict
from jamf_mcp.domain.actions import ActionKind
from jamf_mcp.domain.approvals import Approval

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
    "color:#1d1d1f;line-height:1.45}h1{font-size:1.35rem;margin-bottom:.25rem}"
    ".box{border:1px solid #d2d2d7;border-radius:12px;padding:1rem 1.25rem;margin:1rem 0}"
    ".warn{border-color:#d70015;background:#fff5f5}.muted{color:#6e6e73;font-size:.9rem}"
    "table{border-collapse:collapse;width:100%;font-size:.95rem}th,td{text-align:left;"
    "padding:.35rem .4rem;border-bottom:1px solid #e5e5ea;vertical-align:top}"
    "th{font-weight:600;color:#6e6e73}dt{font-weight:600;margin-top:.5rem}dd{margin:0}"
    ".actions{display:flex;gap:.75rem;flex-wrap:wrap;margin:1.25rem 0}"
    "button{font-size:1.05rem;padding:.75rem 1.6rem;border-radius:10px;border:1px solid #0071e3;"
    "cursor:pointer;flex:1 1 10rem}button.approve{background:#0071e3;color:#fff}"
    "button.decline{background:#fff;color:#0071e3}"
    "@media (max-width:30rem){table,thead,tbody,tr,th,td{display:block}thead{display:none}"
    "tr{border-bottom:1px solid #e5e5ea;padding:.4rem 0}td{border:0;padding:.1rem 0}"
    "td[data-label]:not(:first-child)::before{content:attr(data-label) ': ';color:#6e6e73}}"
)

MAX_ROWS = 200
"""Devices listed one by one; beyond, the page says how many more there are."""

_TITLES = {
    ActionKind.EXECUTE_POLICY: "Run a policy",
    ActionKind.UPDATE_INVENTORY: "Update inventory",
    ActionKind.MDM_COMMAND: "Send an MDM command",
}


def _document(title: str, body: str) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _devices(approval: Approval) -> str:
    rows = "".join(
        f'<tr><td data-label="Device"><strong>{escape(t.name)}</strong></td>'
        f'<td data-label="Serial">{escape(t.serial_number or "—")}</td>'
        f'<td data-label="User">{escape(t.user_name or "—")}</td>'
        f'<td data-label="Jamf id">{escape(t.kind.value)} {escape(t.jamf_id)}</td></tr>'
        for t in approval.action.targets[:MAX_ROWS]
    )
    more = len(approval.action.targets) - MAX_ROWS
    extra = f'<p class="muted">… and {more} more devices.</p>' if more > 0 else ""
    return (
        "<table><thead><tr><th>Device</th><th>Serial</th><th>User</th><th>Jamf id</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>{extra}"
    )


def _what(approval: Approval) -> str:
    action = approval.action
    items = []
    if action.policy_name is not None:
        items.append(
            f"<dt>Policy</dt><dd>{escape(action.policy_name)} (id {action.policy_id})</dd>"
        )
    if action.command is not None:
        items.append(f"<dt>MDM command</dt><dd>{escape(action.command)}</dd>")
    items.append(f"<dt>What happens, and when</dt><dd>{escape(approval.message)}</dd>")
    return f"<dl>{''.join(items)}</dl>"


def _who(approval: Approval) -> str:
    asked = approval.requester.label
    return (
        f'<p class="muted">Asked by <strong>{escape(asked)}</strong> through '
        f"<strong>{escape(approval.client.label)}</strong> at {_when(approval.created_at)}. "
        f"This request expires at {_when(approval.expires_at)}.</p>"
    )


def approval_html(approval: Approval, viewer: PageViewer, csrf: str) -> str:
    """The open approval with Approve and Decline."""
    count = len(approval.action.targets)
    title = _TITLES.get(approval.action.kind, "Approve an action")
    destructive = approval.action.command in ("ERASE_DEVICE", "DEVICE_LOCK")
    box = "box warn" if destructive else "box"
    body = (
        f"<h1>Approve: {escape(title)} on {count} device{'s' if count != 1 else ''}?</h1>"
        f"{_who(approval)}"
        f'<div class="{box}">{_what(approval)}</div>'
        f"{_devices(approval)}"
        '<form method="post">'
        f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">'
        '<div class="actions">'
        '<button class="approve" type="submit" name="decision" value="approve">Approve</button>'
        '<button class="decline" type="submit" name="decision" value="decline">Decline</button>'
        "</div></form>"
        f'<p class="muted">Signed in as {escape(viewer.display_name or viewer.subject)}. '
        "Approve only if you asked for exactly this. Nothing happens if you close this page.</p>"
    )
    return _document(f"Approve: {title}", body)


_MESSAGES = {
    Verdict.APPROVED: (
        "Approved",
        "Thank you. The action runs now; go back to your assistant for the result.",
    ),
    Verdict.DECLINED: ("Declined", "Nothing was done. You can close this page."),
    Verdict.USED: ("Already approved", "This request was approved and has been carried out."),
    Verdict.EXPIRED: (
        "This request expired",
        "Nothing was done. Ask your assistant again if it should still happen.",
    ),
    Verdict.NOT_YOURS: (
        "Not your request",
        "This request was made by someone else. Only the person who asked can approve it, "
        "signed in as themselves. Nothing was done, and this visit was recorded.",
    ),
    Verdict.UNKNOWN: (
        "Request not found",
        "This link is not valid on this server, or the request ended long ago.",
    ),
    Verdict.ALREADY_DECIDED: (
        "Already decided",
        "This request was already approved or declined; nothing changed.",
    ),
    Verdict.UNRECORDED: (
        "Could not record your approval",
        "Your approval could not be written to the audit trail, so nothing will run. Try "
        "again in a moment.",
    ),
}


def verdict_html(view: ApprovalView) -> str:
    """The page after a decision, or for a request that cannot be decided (any longer)."""
    heading, text = _MESSAGES[view.verdict]
    summary = ""
    if view.approval is not None and view.verdict is not Verdict.NOT_YOURS:
        summary = f'<div class="box"><p>{escape(view.approval.message)}</p></div>'
    body = f"<h1>{escape(heading)}</h1><p>{escape(text)}</p>{summary}"
    return _document(heading, body)


def problem_html(heading: str, text: str) -> str:
    """A plain page for a sign-in or form problem."""
    return _document(
        heading,
        f'<h1>{escape(heading)}</h1><div class="box"><p>{escape(text)}'
        '</p></div><p class="muted">You can close this window.</p>',
    )


VERDICT_STATUS = {
    Verdict.OPEN: 200,
    Verdict.APPROVED: 200,
    Verdict.DECLINED: 200,
    Verdict.USED: 409,
    Verdict.EXPIRED: 410,
    Verdict.NOT_YOURS: 403,
    Verdict.UNKNOWN: 404,
    Verdict.ALREADY_DECIDED: 409,
    Verdict.UNRECORDED: 503,
}
