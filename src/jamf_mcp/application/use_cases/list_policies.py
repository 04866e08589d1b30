"""Use case: list Jamf Pro policies with their state, category, frequency, triggers and scope."""

from __future__ import annotations

import asyncio

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.ports.jamf_policies import PolicyCatalogue
from jamf_mcp.application.ports.paging import Page
from jamf_mcp.domain.policies import Policy
from jamf_mcp.domain.principal import Principal

MAX_LIMIT = 100


@attrs.frozen(kw_only=True)
class ListPoliciesRequest:
    """Which policies to list: an optional name filter, enabled-only, and a page.

    The page size has no default: it is the caller's choice (the MCP tool's schema holds the
    tool's). The filters default to "no filter", the page to the first (ADR 0042).
    """

    limit: int = attrs.field(validator=attrs.validators.in_(range(1, MAX_LIMIT + 1)))
    name_contains: str | None = None
    enabled_only: bool = False
    offset: int = attrs.field(default=0, validator=attrs.validators.ge(0))


class ListPolicies:
    """List policies, sorted by name.

    Rules:
    - Needs `read:jamf`.
    - Jamf's list has ids and names only; details are fetched for one page at a time
      (concurrently, within the adapter's request limit), never for the whole catalogue.
    - `enabled_only` is applied while paging, so a page may need extra detail fetches; `total`
      then counts the policies matching the name filter (before the enabled filter).
    """

    required_scopes = READ

    def __init__(self, policies: PolicyCatalogue) -> None:
        self._policies = policies

    async def execute(self, request: ListPoliciesRequest, principal: Principal) -> Page[Policy]:
        """One page of policies in full."""
        require(principal, self.required_scopes)
        refs = sorted(
            await self._policies.list_policies(), key=lambda r: (r.name.casefold(), r.policy_id)
        )
        if request.name_contains:
            needle = request.name_contains.casefold()
            refs = [r for r in refs if needle in r.name.casefold()]
        chosen: list[Policy] = []
        position = request.offset
        while len(chosen) < request.limit and position < len(refs):
            batch = refs[position : position + request.limit - len(chosen)]
            details = await asyncio.gather(*(self._policies.get_policy(r.policy_id) for r in batch))
            position += len(batch)
            chosen.extend(p for p in details if p.enabled or not request.enabled_only)
        return Page(tuple(chosen), len(refs), request.offset, next_position=position)
