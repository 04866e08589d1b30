"""Jamf Pro policies: what they do, when they run, and whom they target."""

from __future__ import annotations

import attrs


@attrs.frozen
class PolicyRef:
    """A policy's identity as Jamf lists it."""

    policy_id: int
    name: str


@attrs.frozen
class PolicyScope:
    """Whom a policy targets, summarised (names, not full member lists)."""

    all_computers: bool = False
    computers: tuple[str, ...] = ()
    computer_groups: tuple[str, ...] = ()
    departments: tuple[str, ...] = ()
    buildings: tuple[str, ...] = ()
    excluded_computers: tuple[str, ...] = ()
    excluded_groups: tuple[str, ...] = ()

    def describe(self) -> str:
        """A one-line summary such as `all computers` or `2 groups, 3 computers`."""
        if self.all_computers:
            target = "all computers"
        else:
            parts = [
                f"{len(items)} {label}{'' if len(items) == 1 else 's'}"
                for items, label in (
                    (self.computer_groups, "group"),
                    (self.computers, "computer"),
                    (self.departments, "department"),
                    (self.buildings, "building"),
                )
                if items
            ]
            target = ", ".join(parts) if parts else "no one"
        excluded = len(self.excluded_computers) + len(self.excluded_groups)
        return f"{target} (minus {excluded} exclusions)" if excluded else target


@attrs.frozen
class Policy:
    """A Jamf Pro policy. Policies run on the device, driven by its triggers; Jamf has no API that runs one."""

    policy_id: int
    name: str
    enabled: bool
    category: str | None = None
    frequency: str | None = None
    triggers: tuple[str, ...] = ()
    scope: PolicyScope = PolicyScope()
    self_service: bool = False
    packages: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()
    collects_inventory: bool = False
    site: str | None = None

    @property
    def ref(self) -> PolicyRef:
        """The policy's identity."""
        return PolicyRef(self.policy_id, self.name)

    @property
    def runs_at_check_in(self) -> bool:
        """True when the policy runs at the recurring check-in."""
        return "check-in" in self.triggers
