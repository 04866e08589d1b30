"""`JamfManagementCommands`: the `ManagementCommands` port over `/api/v2/mdm/commands` (reference §5.2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from jamf_mcp.adapters.jamf_rest.json_fields import Json, instant, section, text
from jamf_mcp.adapters.jamf_rest.rsql import equals, quoted
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp
from jamf_mcp.domain.errors import JamfMcpError
from jamf_mcp.domain.jamf_operations import CommandRef, CommandStatus

if TYPE_CHECKING:
    from jamf_mcp.application.ports.jamf_commands import ManagementCommands

VIEW_MDM_COMMANDS = "View MDM command information in Jamf Pro API"
COMMANDS_PATH = "/api/v2/mdm/commands"


class JamfManagementCommands:
    """Implements the `ManagementCommands` port.

    Commands are addressed by `managementId` and sent once (`JamfHttp` never resends a POST, so a
    timeout leaves the outcome unknown rather than duplicating a restart or an erase). Jamf's 400
    answers (unknown command type or device, missing field) surface as `JamfRequestRejected`
    carrying Jamf's own description.
    """

    def __init__(self, http: JamfHttp) -> None:
        self._http = http

    async def send(
        self, command_type: str, management_ids: Sequence[str], fields: Mapping[str, object]
    ) -> tuple[CommandRef, ...]:
        """`POST /api/v2/mdm/commands` with one `clientData` entry per device, then pairing.

        Jamf answers one `{id, href}` per client, and documents no order for them. So the uuids
        are paired with devices by a follow-up `GET /api/v2/mdm/commands?filter=uuid=in=(…)`
        that reads each command's `client.managementId`; if that read fails, the commands stay
        unpaired (their uuids are still returned) rather than paired by guesswork.
        """
        ids = [str(m) for m in management_ids]
        if not ids:
            return ()
        command_data: dict[str, object] = {
            key: value for key, value in fields.items() if key != "commandType"
        }
        command_data["commandType"] = command_type
        response = await self._http.request(
            "POST",
            COMMANDS_PATH,
            json={"clientData": [{"managementId": m} for m in ids], "commandData": command_data},
            privilege=VIEW_MDM_COMMANDS,
        )
        try:
            body = response.json()
        except (ValueError, RecursionError):
            body = None
        created = [
            str(item["id"])
            for item in (body if isinstance(body, list) else [])
            if isinstance(item, dict) and item.get("id")
        ]
        owners = await self._owners(created)
        return tuple(CommandRef(uuid, owners.get(uuid.lower())) for uuid in created)

    async def _owners(self, uuids: Sequence[str]) -> dict[str, str]:
        """The managementId of each command uuid, read back from Jamf (empty on failure)."""
        if not uuids:
            return {}
        listed = ",".join(quoted(uuid) for uuid in uuids)
        try:
            body = await self._http.get_json(
                COMMANDS_PATH,
                params=[
                    ("filter", f"uuid=in=({listed})"),
                    ("page", 0),
                    ("page-size", len(uuids)),
                ],
                privilege=VIEW_MDM_COMMANDS,
            )
        except JamfMcpError:
            return {}
        results = body.get("results") if isinstance(body, dict) else None
        owners = {}
        for record in results if isinstance(results, list) else []:
            if isinstance(record, dict):
                status = command_status_from(record)
                if status.uuid and status.management_id:
                    owners[status.uuid.lower()] = status.management_id
        return owners

    async def status(self, uuid: str) -> CommandStatus | None:
        """`GET /api/v2/mdm/commands?filter=uuid=="…"` (the uuid quoted and escaped)."""
        body = await self._http.get_json(
            COMMANDS_PATH,
            params=[("filter", equals("uuid", uuid)), ("page", 0), ("page-size", 1)],
            privilege=VIEW_MDM_COMMANDS,
        )
        results = body.get("results") if isinstance(body, dict) else None
        for record in results if isinstance(results, list) else []:
            if isinstance(record, dict) and (text(record, "uuid") or "").lower() == uuid.lower():
                return command_status_from(record)
        return None


def command_status_from(record: Json) -> CommandStatus:
    """A `CommandStatus` from one `results` entry of `GET /api/v2/mdm/commands`."""
    return CommandStatus(
        uuid=text(record, "uuid") or "",
        state=text(record, "commandState") or "UNKNOWN",
        command_type=text(record, "commandType") or "UNKNOWN",
        management_id=text(section(record, "client"), "managementId"),
        sent_at=instant(record, "dateSent"),
        completed_at=instant(record, "dateCompleted"),
    )


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements_management_commands: type[ManagementCommands] = JamfManagementCommands
