"""`JamfPolicyRunner`: the `PolicyRunner` port over Jamf's real mechanisms (reference §4.3, §5.3).

Jamf has no API that runs a policy on a computer. The policy runs at the computer's next check-in
when the computer is in its scope, so this adapter keeps one static computer group per policy,
named `jamf-mcp: policy {id}`, in the policy's scope and adds computers to it. Every write body is
built with `xml.etree` (values are escaped by the serializer, never spliced into strings), and
POST/PUT/DELETE are sent once (`JamfHttp` never retries them).
"""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Sequence
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import quote

from jamf_mcp.adapters.jamf_rest.classic_writes import XML_HEADERS, emit, xml_document
from jamf_mcp.adapters.jamf_rest.http_errors import JamfResourceMissing
from jamf_mcp.adapters.jamf_rest.json_fields import Json, items, section, text
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp
from jamf_mcp.domain.errors import InvalidRequest, JamfRequestRejected, PolicyNotFound
from jamf_mcp.domain.jamf_operations import ScopeChange, ScopeGroup

if TYPE_CHECKING:
    from jamf_mcp.application.ports.jamf_policies import PolicyRunner

READ_POLICIES = "Read Policies"
UPDATE_POLICIES = "Update Policies"
READ_GROUPS = "Read Static Computer Groups"
CREATE_GROUPS = "Create Static Computer Groups"
UPDATE_GROUPS = "Update Static Computer Groups"
FLUSH_POLICY_LOGS = "Flush Policy Logs"

_JSON = {"Accept": "application/json"}
FLUSH_EVERYTHING = "Zero Days"
"""`<interval>` of a log flush that forgets every log (older than zero days)."""


A = TypeVar("A")
B = TypeVar("B")


def group_name(policy_id: int) -> str:
    """The name of the static group this server keeps in `policy_id`'s scope."""
    return f"jamf-mcp: policy {int(policy_id)}"


class JamfPolicyRunner:
    """Implements the `PolicyRunner` port with Classic API calls.

    `scope_group` costs one round trip when the group exists and is in scope (the policy and
    the group, by name with its members, are read at once); once per policy the group is also
    created and put in the policy's scope. `add_to_group` is one PUT of the group,
    only when a computer is not yet a member. Writes are sent once: a write without a definite
    answer raises `JamfOutcomeUnknown` (from `JamfHttp`), and `group_members` tells what happened.
    """

    def __init__(self, http: JamfHttp) -> None:
        self._http = http

    async def scope_group(self, policy_id: int) -> ScopeGroup:
        """The policy's dedicated group, created and put in the policy's scope when missing.

        The policy and the group (by name, with its members) are read at once; an existing group
        already in scope costs that one round trip. The policy's `<scope>` is replaced wholesale
        by Jamf on PUT, so the full existing scope is sent back with the group appended; nothing
        already targeted is dropped.
        """
        name = group_name(policy_id)
        scope, existing = await _both(self._scope_of(policy_id), self._group_named(name))
        if existing is None:
            group_id, members = await self._create_group(policy_id), frozenset[str]()
        else:
            group_id, members = existing
        if not any(_same_id(ref, group_id) for ref in items(scope, "computer_groups")):
            await self._add_group_to_scope(policy_id, scope, group_id)
        return ScopeGroup(
            policy_id=int(policy_id), group_id=str(group_id), members=members, name=name
        )

    async def add_to_group(self, group: ScopeGroup, computer_ids: Sequence[str]) -> ScopeChange:
        """One Classic PUT with `<computer_additions>` for the computers not yet in `group`.

        Membership is judged by `group.members` (as read by `scope_group`); nothing is sent when
        every computer is a member already.
        """
        wanted = _computer_ids(computer_ids)
        group_id = _group_id_of(group.group_id)
        added = tuple(cid for cid in wanted if cid not in group.members)
        already = tuple(cid for cid in wanted if cid in group.members)
        if added:
            await self._add_members(group_id, added)
        return ScopeChange(group_id=str(group_id), added=added, already_members=already)

    async def group_members(self, group_id: str) -> frozenset[str]:
        """`GET /JSSResource/computergroups/id/{id}`: the ids of the computers in it now."""
        gid = _group_id_of(group_id)
        try:
            body = await self._http.get_json(
                f"/JSSResource/computergroups/id/{gid}", headers=_JSON, privilege=READ_GROUPS
            )
        except JamfResourceMissing:
            raise JamfRequestRejected(f"Jamf Pro has no computer group {gid}.") from None
        return _members(body)

    async def remove_from_group(self, group_id: str, computer_ids: Sequence[str]) -> None:
        """One Classic PUT with `<computer_deletions>` (removing a non-member changes nothing)."""
        wanted = _computer_ids(computer_ids)
        if not wanted:
            return
        root = ET.Element("computer_group")
        deletions = ET.SubElement(root, "computer_deletions")
        for cid in wanted:
            ET.SubElement(ET.SubElement(deletions, "computer"), "id").text = cid
        await self._http.request(
            "PUT",
            f"/JSSResource/computergroups/id/{_group_id_of(group_id)}",
            content=xml_document(root),
            headers=XML_HEADERS,
            privilege=UPDATE_GROUPS,
        )

    async def release_scope(self, policy_id: int, group_id: str) -> None:
        """The policy's full `<scope>` sent back without the group (PUT replaces it wholesale)."""
        gid = _group_id_of(group_id)
        scope = await self._scope_of(policy_id)
        groups = [dict(ref) for ref in items(scope, "computer_groups")]
        kept = [ref for ref in groups if not _same_id(ref, gid)]
        if len(kept) == len(groups):
            return
        await self._put_scope(policy_id, {**scope, "computer_groups": kept})

    async def flush_computer_logs(self, computer_ids: Sequence[str]) -> None:
        """`DELETE /JSSResource/logflush` in Jamf's documented computer form: ALL policy logs.

        Jamf's reference page ("Flushes a log specified in an XML file") supports "flushing all
        logs for a given policy or all logs for a given computer" only — "no support for
        flushing logs for a given policy and computer combination" — so the body carries
        `<computers>` and never a `<log_id>`.
        """
        wanted = _computer_ids(computer_ids)
        if not wanted:
            return
        root = ET.Element("logflush")
        ET.SubElement(root, "log").text = "policy"
        ET.SubElement(root, "interval").text = FLUSH_EVERYTHING
        computers = ET.SubElement(root, "computers")
        for cid in wanted:
            ET.SubElement(ET.SubElement(computers, "computer"), "id").text = cid
        await self._http.request(
            "DELETE",
            "/JSSResource/logflush",
            content=xml_document(root),
            headers=XML_HEADERS,
            privilege=FLUSH_POLICY_LOGS,
        )

    # steps -----------------------------------------------------------------------------------

    async def _scope_of(self, policy_id: int) -> Json:
        try:
            body = await self._http.get_json(
                f"/JSSResource/policies/id/{int(policy_id)}", headers=_JSON, privilege=READ_POLICIES
            )
        except JamfResourceMissing:
            raise PolicyNotFound(str(policy_id)) from None
        policy = section(body, "policy") if isinstance(body, dict) else {}
        if not policy:
            raise PolicyNotFound(str(policy_id))
        return section(policy, "scope")

    async def _create_group(self, policy_id: int) -> int:
        """Create the dedicated group and return its id (Jamf's answer names it)."""
        name = group_name(policy_id)
        root = ET.Element("computer_group")
        ET.SubElement(root, "name").text = name
        ET.SubElement(root, "is_smart").text = "false"
        try:
            response = await self._http.request(
                "POST",
                "/JSSResource/computergroups/id/0",
                content=xml_document(root),
                headers=XML_HEADERS,
                privilege=CREATE_GROUPS,
            )
        except JamfRequestRejected:
            found = await self._group_named(name)  # a 409 "Duplicate name": created meanwhile
            if found is None:
                raise
            return found[0]
        created = created_id(response.content)
        if created is None:  # an answer without the id: look the group up by name
            found = await self._group_named(name)
            created = None if found is None else found[0]
        if created is None:
            raise JamfRequestRejected(f"Jamf Pro did not create the computer group '{name}'.")
        return created

    async def _group_named(self, name: str) -> tuple[int, frozenset[str]] | None:
        """`GET /JSSResource/computergroups/name/{name}`: the group's id and members, or None."""
        try:
            body = await self._http.get_json(
                f"/JSSResource/computergroups/name/{quote(name, safe='')}",
                headers=_JSON,
                privilege=READ_GROUPS,
            )
        except JamfResourceMissing:
            return None
        group = section(body, "computer_group") if isinstance(body, dict) else {}
        if text(group, "name") != name or not _is_int(group.get("id")):
            return None
        return int(group["id"]), _members(body)

    async def _add_group_to_scope(self, policy_id: int, scope: Json, group_id: int) -> None:
        groups = [dict(ref) for ref in items(scope, "computer_groups")]
        groups.append({"id": group_id})
        await self._put_scope(policy_id, {**scope, "computer_groups": groups})

    async def _put_scope(self, policy_id: int, full_scope: Json) -> None:
        root = ET.Element("policy")
        emit(root, "scope", full_scope)
        try:
            await self._http.request(
                "PUT",
                f"/JSSResource/policies/id/{int(policy_id)}",
                content=xml_document(root),
                headers=XML_HEADERS,
                privilege=UPDATE_POLICIES,
            )
        except JamfResourceMissing:
            raise PolicyNotFound(str(policy_id)) from None

    async def _add_members(self, group_id: int, computer_ids: Sequence[str]) -> None:
        root = ET.Element("computer_group")
        additions = ET.SubElement(root, "computer_additions")
        for cid in computer_ids:
            ET.SubElement(ET.SubElement(additions, "computer"), "id").text = cid
        await self._http.request(
            "PUT",
            f"/JSSResource/computergroups/id/{group_id}",
            content=xml_document(root),
            headers=XML_HEADERS,
            privilege=UPDATE_GROUPS,
        )


async def _both(first: Awaitable[A], second: Awaitable[B]) -> tuple[A, B]:
    """Both results, awaited concurrently; the first failure (in argument order) is raised."""
    one, two = await asyncio.gather(first, second, return_exceptions=True)
    if isinstance(one, BaseException):
        raise one
    if isinstance(two, BaseException):
        raise two
    return one, two


def created_id(document: bytes) -> int | None:
    """The `<id>` of a Classic create answer such as `<computer_group><id>7</id></computer_group>`."""
    try:
        root = ET.fromstring(document)  # noqa: S314 - Jamf's own short answer, no DTDs expanded
    except ET.ParseError:
        return None
    value = (root.findtext("id") or "").strip()
    return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else None


def _members(body: Json) -> frozenset[str]:
    """The computer ids of a `{"computer_group": {...}}` answer."""
    group = section(body, "computer_group") if isinstance(body, dict) else {}
    return frozenset(
        str(int(member["id"]))
        for member in items(group, "computers", "computer")
        if _is_int(member.get("id"))
    )


def _computer_ids(computer_ids: Sequence[str]) -> tuple[str, ...]:
    """Distinct Classic computer ids (digits only), in the order given."""
    seen: dict[str, None] = {}
    for raw in computer_ids:
        cid = str(raw).strip()
        if not cid.isdigit() or not cid.isascii():
            raise InvalidRequest(f"'{raw}' is not a Jamf computer id (a number is expected).")
        seen.setdefault(str(int(cid)), None)
    return tuple(seen)


def _group_id_of(raw: str) -> int:
    group_id = str(raw).strip()
    if not group_id.isdigit() or not group_id.isascii():
        raise InvalidRequest(f"'{raw}' is not a Jamf computer group id (a number is expected).")
    return int(group_id)


def _same_id(ref: Json, wanted: int) -> bool:
    return _is_int(ref.get("id")) and int(ref["id"]) == wanted


def _is_int(value: object) -> bool:
    return isinstance(value, int) or (
        isinstance(value, str) and value.isascii() and value.isdigit()
    )


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_policy_runner: type[PolicyRunner] = JamfPolicyRunner
