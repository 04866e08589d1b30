"""An in-memory `PolicyCatalogue` for use-case tests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import attrs

from jamf_mcp.domain.errors import PolicyNotFound
from jamf_mcp.domain.policies import Policy, PolicyRef


@attrs.define
class InMemoryPolicyCatalogue:
    """Holds policies by id (implements `PolicyCatalogue`); `fetched` counts detail fetches."""

    policies: dict[int, Policy] = attrs.field(factory=dict)
    fetched: Counter[int] = attrs.field(factory=Counter)

    @classmethod
    def of(cls, policies: Sequence[Policy]) -> InMemoryPolicyCatalogue:
        """Build from a list of policies."""
        return cls({p.policy_id: p for p in policies})

    async def list_policies(self) -> Sequence[PolicyRef]:
        """Every policy's id and name, in id order (as Jamf lists them)."""
        return [p.ref for _, p in sorted(self.policies.items())]

    async def get_policy(self, policy_id: int) -> Policy:
        """One policy."""
        self.fetched[policy_id] += 1
        try:
            return self.policies[policy_id]
        except KeyError:
            raise PolicyNotFound(str(policy_id)) from None

    async def policy_named(self, name: str) -> Policy | None:
        """The policy with exactly this name (as Jamf's name look-up), or None."""
        found = [p for p in self.policies.values() if p.name == name]
        if found:
            self.fetched[found[0].policy_id] += 1
        return found[0] if found else None
