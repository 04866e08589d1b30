"""Approvals and page sessions as the JSON kept in Redis, and back (named functions, no `**`)."""

from __future__ import annotations

from typing import Any

from jamf_mcp.adapters.redis import stored_json as f
from jamf_mcp.application.approvals import PageSession, PageSignIn
from jamf_mcp.domain.actions import ActionKind, ActionTarget
from jamf_mcp.domain.approvals import Approval, ApprovalState
from jamf_mcp.domain.audit import AuditAction, AuditActor, ClientInfo, ConfirmationChannel
from jamf_mcp.domain.devices import DeviceKind


def _target_to_json(target: ActionTarget) -> dict[str, Any]:
    return {
        "kind": target.kind.value,
        "jamf_id": target.jamf_id,
        "name": target.name,
        "serial_number": target.serial_number,
        "management_id": target.management_id,
        "user_name": target.user_name,
    }


def _target_from_json(record: dict[str, Any]) -> ActionTarget:
    return ActionTarget(
        kind=DeviceKind(f.text(record, "kind")),
        jamf_id=f.text(record, "jamf_id"),
        name=f.text(record, "name"),
        serial_number=f.optional_text(record, "serial_number"),
        management_id=f.optional_text(record, "management_id"),
        user_name=f.optional_text(record, "user_name"),
    )


def approval_to_json(approval: Approval) -> bytes:
    """The stored form of an approval."""
    action, actor = approval.action, approval.requester
    return f.dump(
        {
            "approval_id": approval.approval_id,
            "requester": {
                "issuer": actor.issuer,
                "subject": actor.subject,
                "client_id": actor.client_id,
                "display_name": actor.display_name,
            },
            "client": {"name": approval.client.name, "version": approval.client.version},
            "action": {
                "kind": action.kind.value,
                "targets": [_target_to_json(target) for target in action.targets],
                "digest": action.digest,
                "summary": action.summary,
                "command": action.command,
                "policy_id": action.policy_id,
                "policy_name": action.policy_name,
            },
            "message": approval.message,
            "binding": approval.binding,
            "lookup": approval.lookup,
            "channel": approval.channel.value,
            "created_at": approval.created_at.isoformat(),
            "expires_at": approval.expires_at.isoformat(),
            "state": approval.state.value,
            "decided_at": None if approval.decided_at is None else approval.decided_at.isoformat(),
        }
    )


def approval_from_json(raw: bytes | str) -> Approval:
    """The approval `approval_to_json` wrote.

    Raises:
        StoredRecordInvalid: the record is not one `approval_to_json` wrote.
    """
    record = f.load(raw)
    actor, client, action = (
        f.obj(record, "requester"),
        f.obj(record, "client"),
        f.obj(record, "action"),
    )
    targets = action.get("targets")
    policy_id = action.get("policy_id")
    decided = f.optional_text(record, "decided_at")
    return Approval(
        approval_id=f.text(record, "approval_id"),
        requester=AuditActor(
            f.text(actor, "issuer"),
            f.text(actor, "subject"),
            f.optional_text(actor, "client_id"),
            f.optional_text(actor, "display_name"),
        ),
        client=ClientInfo(f.optional_text(client, "name"), f.optional_text(client, "version")),
        action=AuditAction(
            kind=ActionKind(f.text(action, "kind")),
            targets=tuple(
                _target_from_json(t) for t in (targets if isinstance(targets, list) else [])
            ),
            digest=f.text(action, "digest"),
            summary=f.text(action, "summary"),
            command=f.optional_text(action, "command"),
            policy_id=policy_id if isinstance(policy_id, int) else None,
            policy_name=f.optional_text(action, "policy_name"),
        ),
        message=f.text(record, "message"),
        binding=f.text(record, "binding"),
        lookup=f.text(record, "lookup"),
        channel=ConfirmationChannel(f.text(record, "channel")),
        created_at=f.instant(record, "created_at"),
        expires_at=f.instant(record, "expires_at"),
        state=ApprovalState(f.text(record, "state")),
        decided_at=None if decided is None else f.instant(record, "decided_at"),
    )


def session_to_json(session: PageSession) -> bytes:
    """The stored form of a page session."""
    return f.dump(
        {
            "issuer": session.issuer,
            "subject": session.subject,
            "display_name": session.display_name,
            "csrf": session.csrf,
            "expires_at": session.expires_at.isoformat(),
        }
    )


def session_from_json(raw: bytes | str) -> PageSession:
    """The page session `session_to_json` wrote."""
    record = f.load(raw)
    return PageSession(
        issuer=f.text(record, "issuer"),
        subject=f.text(record, "subject"),
        display_name=f.optional_text(record, "display_name"),
        csrf=f.text(record, "csrf"),
        expires_at=f.instant(record, "expires_at"),
    )


def sign_in_to_json(sign_in: PageSignIn) -> bytes:
    """The stored form of a page sign-in round trip."""
    return f.dump(
        {
            "nonce": sign_in.nonce,
            "code_verifier": sign_in.code_verifier,
            "browser_digest": sign_in.browser_digest,
            "return_to": sign_in.return_to,
        }
    )


def sign_in_from_json(raw: bytes | str) -> PageSignIn:
    """The round trip `sign_in_to_json` wrote."""
    record = f.load(raw)
    return PageSignIn(
        nonce=f.text(record, "nonce"),
        code_verifier=f.text(record, "code_verifier"),
        browser_digest=f.text(record, "browser_digest"),
        return_to=f.text(record, "return_to"),
    )
