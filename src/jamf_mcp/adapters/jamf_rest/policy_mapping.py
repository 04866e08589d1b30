"""Named translations from Classic API policy JSON (`/JSSResource/policies`) to domain policies."""

from __future__ import annotations

from jamf_mcp.adapters.jamf_rest.json_fields import Json, flag, items, number, ref_id, section, text
from jamf_mcp.domain.policies import Policy, PolicyRef, PolicyScope

_TRIGGERS = (
    ("trigger_checkin", "check-in"),
    ("trigger_startup", "startup"),
    ("trigger_login", "login"),
    ("trigger_logout", "logout"),
    ("trigger_network_state_changed", "network-state-change"),
    ("trigger_enrollment_complete", "enrollment-complete"),
)
_NO_CATEGORY = ("No category assigned", "None")


def policy_refs_from_classic(body: Json) -> tuple[PolicyRef, ...]:
    """Every `{id, name}` of a `GET /JSSResource/policies` body, in Jamf's order."""
    refs = []
    for item in items(body, "policies", wrapper="policy"):
        policy_id = number(item, "id")
        if policy_id is not None:
            refs.append(PolicyRef(policy_id, text(item, "name") or f"Policy {policy_id}"))
    return tuple(refs)


def policy_from_classic(body: Json) -> Policy:
    """A policy from `GET /JSSResource/policies/id/{id}` (`{"policy": {...}}` or the inner object)."""
    policy = section(body, "policy") or body
    general = section(policy, "general")
    policy_id = number(general, "id") or number(policy, "id") or 0
    triggers = [label for key, label in _TRIGGERS if flag(general, key)]
    if custom := text(general, "trigger_other"):
        triggers.append(f"custom:{custom}")
    return Policy(
        policy_id=policy_id,
        name=text(general, "name") or f"Policy {policy_id}",
        enabled=bool(flag(general, "enabled")),
        category=_named(section(general, "category"), _NO_CATEGORY),
        frequency=text(general, "frequency"),
        triggers=tuple(triggers),
        scope=_scope(section(policy, "scope")),
        self_service=bool(flag(section(policy, "self_service"), "use_for_self_service")),
        packages=_names(section(policy, "package_configuration"), "packages", "package"),
        scripts=_names(policy, "scripts", "script"),
        collects_inventory=bool(flag(section(policy, "maintenance"), "recon")),
        site=_named(section(general, "site"), ("None",)),
    )


def _named(ref: Json, none_names: tuple[str, ...]) -> str | None:
    name = text(ref, "name")
    if name is None or name in none_names or (ref_id(ref, "id") is None and "id" in ref):
        return None
    return name


def _names(container: Json, key: str, wrapper: str) -> tuple[str, ...]:
    return tuple(name for item in items(container, key, wrapper) if (name := text(item, "name")))


def _scope(scope: Json) -> PolicyScope:
    exclusions = section(scope, "exclusions")
    return PolicyScope(
        all_computers=bool(flag(scope, "all_computers")),
        computers=_names(scope, "computers", "computer"),
        computer_groups=_names(scope, "computer_groups", "computer_group"),
        departments=_names(scope, "departments", "department"),
        buildings=_names(scope, "buildings", "building"),
        excluded_computers=_names(exclusions, "computers", "computer"),
        excluded_groups=_names(exclusions, "computer_groups", "computer_group"),
    )
