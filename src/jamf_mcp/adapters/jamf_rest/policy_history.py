"""`JamfPolicyHistory`: the `PolicyHistory` port over Classic computer history policy logs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from jamf_mcp.adapters.jamf_rest.http_errors import JamfResourceMissing
from jamf_mcp.adapters.jamf_rest.policy_log_mapping import policy_runs_from_history
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp
from jamf_mcp.domain.errors import DeviceNotFound, InvalidRequest
from jamf_mcp.domain.jamf_operations import PolicyRun

if TYPE_CHECKING:
    from jamf_mcp.application.ports.jamf_policies import PolicyHistory

READ_COMPUTERS = "Read Computers"
_JSON = {"Accept": "application/json"}


class JamfPolicyHistory:
    """Implements the `PolicyHistory` port with one GET per call.

    Reads `GET /JSSResource/computerhistory/id/{id}/subset/PolicyLogs` as JSON. The subset name
    is the one Jamf's reference uses (its Classic swagger's example names subsets in that form,
    e.g. `/computerhistory/id/3/subset/General&UserLocation&Audits`); ruby-jss sends
    `policy_logs`, which Jamf accepts as well.
    """

    def __init__(self, http: JamfHttp) -> None:
        self._http = http

    async def history(self, computer_id: str) -> Sequence[PolicyRun]:
        """Every readable policy log entry of the computer, oldest first.

        Raises:
            InvalidRequest: `computer_id` is not a Jamf id (digits).
            DeviceNotFound: Jamf has no computer with this id (HTTP 404).
        """
        cid = str(computer_id).strip()
        if not cid.isascii() or not cid.isdigit():
            raise InvalidRequest(
                f"'{computer_id}' is not a Jamf computer id (a number is expected)."
            )
        try:
            body = await self._http.get_json(
                f"/JSSResource/computerhistory/id/{int(cid)}/subset/PolicyLogs",
                headers=_JSON,
                privilege=READ_COMPUTERS,
            )
        except JamfResourceMissing:
            raise DeviceNotFound(str(computer_id)) from None
        return policy_runs_from_history(body) if isinstance(body, dict) else ()

    async def runs(self, computer_id: str, policy_id: int, since: datetime) -> Sequence[PolicyRun]:
        """The runs of `policy_id` on the computer since `since` (a naive `since` is UTC)."""
        cutoff = since if since.tzinfo is not None else since.replace(tzinfo=UTC)
        return tuple(
            run
            for run in await self.history(computer_id)
            if run.policy_id == int(policy_id) and run.completed_at >= cutoff
        )


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_policy_history: type[PolicyHistory] = JamfPolicyHistory
