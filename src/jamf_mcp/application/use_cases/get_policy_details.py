"""Use case: one policy in full, named by id or by (part of) its name."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.ports import PolicyCatalogue
from jamf_mcp.domain.errors import AmbiguousPolicy, InvalidRequest, PolicyNotFound
from jamf_mcp.domain.policies import Policy, PolicyRef
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
        if request.policy_id is not None:
            return await self._policies.get_policy(request.policy_id)
        name = (request.policy_name or "").strip()
        if not name:
            raise InvalidRequest("Give a policyId or a policyName.")
        ref = resolve_policy_name(name, await self._policies.list_policies())
        return await self._policies.get_policy(ref.policy_id)


def resolve_policy_name(name: str, refs: Sequence[PolicyRef]) -> PolicyRef:
    """Pick the one policy `name` designates, or raise `PolicyNotFound` / `AmbiguousPolicy`."""
    wanted = name.casefold()
    exact = [r for r in refs if r.name.casefold() == wanted]
    candidates = exact or [r for r in refs if wanted in r.name.casefold()]
    if not candidates:
        raise PolicyNotFound(name)
    if len(candidates) > 1:
        raise AmbiguousPolicy(name, [f"{r.name} (id {r.policy_id})" for r in candidates])
    return candidates[0]
