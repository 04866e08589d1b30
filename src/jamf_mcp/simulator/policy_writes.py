"""Apply Classic policy XML writes: section-level merge, ``<scope>`` replaced wholesale."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from jamf_mcp.simulator.classic_xml import parse_partial
from jamf_mcp.simulator.errors import JamfHttpError
from jamf_mcp.simulator.policy_model import FREQUENCIES, blank_policy, blank_scope, deep_merge
from jamf_mcp.simulator.tenant import Tenant


def merge_policy(tenant: Tenant, existing: dict[str, Any], element: ET.Element) -> dict[str, Any]:
    """``existing`` updated by a ``<policy>`` document (the caller stores the result)."""
    policy_id = existing["general"]["id"]
    parsed = parse_partial(element, blank_policy(0, ""))
    scope = parsed.pop("scope", None)
    updated = deep_merge(existing, parsed)
    if scope is not None:
        updated["scope"] = deep_merge(blank_scope(), scope)
        _resolve_scope(tenant, updated["scope"])
        _resolve_scope(tenant, updated["scope"]["exclusions"])
    general = updated["general"]
    general["id"] = policy_id
    if general["frequency"] not in FREQUENCIES:
        general["frequency"] = "Once per computer"  # what Jamf silently stores
    if "category" in parsed.get("general", {}):
        general["category"] = _resolve_category(tenant, parsed["general"]["category"])
    if not str(general["name"]).strip():
        raise JamfHttpError(409, description="Error: Problem with field name")
    for other in tenant.policies.values():
        if other["general"]["id"] != policy_id and other["general"]["name"] == general["name"]:
            raise JamfHttpError(409, description="Error: Duplicate name")
    return updated


def _resolve_category(tenant: Tenant, given: dict[str, Any]) -> dict[str, Any]:
    for category_id, (name, _priority) in tenant.categories.items():
        if given.get("name") == name or given.get("id") == category_id:
            return {"id": category_id, "name": name}
    return {"id": -1, "name": "No category assigned"}


def _resolve_scope(tenant: Tenant, scope: dict[str, Any]) -> None:
    """Fill names (and udids) of referenced objects; references may use id or name."""
    for item in scope.get("computers", []):
        rec = tenant.computers_by_id.get(item.get("id", 0))
        if rec is None and item.get("name"):
            rec = next((r for r in tenant.computers if r.name == item["name"]), None)
        if rec is None:
            raise JamfHttpError(409, description="Error: Problem with computer in scope")
        item.update(id=rec.id, name=rec.name, udid=tenant.facts.udid(rec))
    for item in scope.get("computer_groups", []):
        group = tenant.groups.get(item.get("id", 0)) or next(
            (g for g in tenant.groups.values() if g.name == item.get("name")), None
        )
        if group is None:
            raise JamfHttpError(409, description="Error: Problem with computer group in scope")
        item.update(id=group.id, name=group.name)
    named: tuple[tuple[str, dict[int, str]], ...] = (
        ("departments", tenant.departments),
        ("buildings", {b.id: b.name for b in tenant.buildings.values()}),
    )
    for key, table in named:
        for item in scope.get(key, []):
            found = item.get("id") if item.get("id") in table else None
            found = found or next((i for i, n in table.items() if n == item.get("name")), None)
            if found is None:
                raise JamfHttpError(409, description=f"Error: Problem with {key[:-1]} in scope")
            item.update(id=found, name=table[found])
