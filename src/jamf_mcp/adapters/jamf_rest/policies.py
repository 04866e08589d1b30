"""`JamfPolicyCatalogue`: the `PolicyCatalogue` port over the Classic API's `/JSSResource/policies`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from jamf_mcp.adapters.jamf_rest.http_errors import JamfResourceMissing
from jamf_mcp.adapters.jamf_rest.policy_mapping import policy_from_classic, policy_refs_from_classic
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp
from jamf_mcp.domain.errors import JamfRequestRejected, PolicyNotFound
from jamf_mcp.domain.policies import Policy, PolicyRef

if TYPE_CHECKING:
    from jamf_mcp.application.ports.jamf_policies import PolicyCatalogue

READ_POLICIES = "Read Policies"
_JSON = {"Accept": "application/json"}


class JamfPolicyCatalogue:
    """Implements the `PolicyCatalogue` port (the Jamf Pro API has no policy endpoints).

    Lists and reads policies as JSON (`Accept: application/json`); finding a policy by name is
    the application's job.
    """

    def __init__(self, http: JamfHttp) -> None:
        self._http = http

    async def list_policies(self) -> Sequence[PolicyRef]:
        """Every policy's id and name, as Jamf orders them."""
        body = await self._http.get_json(
            "/JSSResource/policies", headers=_JSON, privilege=READ_POLICIES
        )
        return policy_refs_from_classic(body) if isinstance(body, dict) else ()

    async def get_policy(self, policy_id: int) -> Policy:
        """One policy in full; `PolicyNotFound` when Jamf answers 404."""
        try:
            body = await self._http.get_json(
                f"/JSSResource/policies/id/{int(policy_id)}", headers=_JSON, privilege=READ_POLICIES
            )
        except JamfResourceMissing:
            raise PolicyNotFound(str(policy_id)) from None
        if not isinstance(body, dict):
            raise PolicyNotFound(str(policy_id))
        return policy_from_classic(body)

    async def policy_named(self, name: str) -> Policy | None:
        """`GET /JSSResource/policies/name/{name}` (the name percent-encoded); None when Jamf
        finds none (404) or refuses the name in a path (400, e.g. an encoded `/`): the caller
        then matches names from the list instead."""
        path = f"/JSSResource/policies/name/{quote(name, safe='')}"
        try:
            body = await self._http.get_json(path, headers=_JSON, privilege=READ_POLICIES)
        except JamfRequestRejected:
            return None
        return policy_from_classic(body) if isinstance(body, dict) else None


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_policy_catalogue: type[PolicyCatalogue] = JamfPolicyCatalogue
