"""Finding the one policy a person means, by id or by (part of) its name."""

from __future__ import annotations

from collections.abc import Sequence

from jamf_mcp.application.ports.jamf_policies import PolicyCatalogue
from jamf_mcp.domain.errors import AmbiguousPolicy, InvalidRequest, PolicyNotFound
from jamf_mcp.domain.policies import Policy, PolicyRef


async def find_policy(
    policies: PolicyCatalogue, policy_id: int | None, policy_name: str | None
) -> Policy:
    """The policy with this id, or the one policy this name designates (exact, else unique part).

    An exact name is looked up directly (Jamf keeps policy names unique); only when that finds
    nothing is the list read to match a different case or a part of a name.

    Raises:
        InvalidRequest: neither an id nor a name was given.
        PolicyNotFound / AmbiguousPolicy: see `resolve_policy_name`.
    """
    if policy_id is not None:
        return await policies.get_policy(policy_id)
    name = (policy_name or "").strip()
    if not name:
        raise InvalidRequest("Give a policyId or a policyName.")
    exact = await policies.policy_named(name)  # one round trip for an exact name
    if exact is not None:
        return exact
    ref = resolve_policy_name(name, await policies.list_policies())
    return await policies.get_policy(ref.policy_id)


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
