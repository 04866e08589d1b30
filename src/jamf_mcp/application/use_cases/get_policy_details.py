"""Use case: one policy in full, named by id or by (part of) its name."""

from __future__ import annotations

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.policy_resolution import find_policy
from jamf_mcp.application.ports.jamf_policies import PolicyCatalogue
from jamf_mcp.domain.policies import Policy
from jamf_mcp.domain.principal import Principal


@attrs.frozen
class GetPolicyRequest:
    """A policy id, or a name (exact, or a unique part of one)."""

    policy_id: int | None = None
    policy_name: str | None = None


class GetPolicyDetails:
    """Show one policy.

    Rules:
    - Needs `read:jamf`.
    - An id is used as is. A name matches exactly (any case) first; otherwise it must be part of
      exactly one policy's name. Several candidates are an error that lists them.
    """

    required_scopes = READ

    def __init__(self, policies: PolicyCatalogue) -> None:
        self._policies = policies

    async def execute(self, request: GetPolicyRequest, principal: Principal) -> Policy:
        """Resolve and fetch the policy."""
        require(principal, self.required_scopes)
        return await find_policy(self._policies, request.policy_id, request.policy_name)
