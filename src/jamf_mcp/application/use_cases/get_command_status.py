"""Use case: where MDM commands stand (pending, acknowledged, failed), by their uuids."""

from __future__ import annotations

import asyncio

import attrs

from jamf_mcp.application.authorization import READ, require
from jamf_mcp.application.ports.jamf_commands import ManagementCommands
from jamf_mcp.domain.errors import InvalidRequest
from jamf_mcp.domain.jamf_operations import CommandStatus
from jamf_mcp.domain.principal import Principal

MAX_UUIDS = 50


@attrs.frozen
class CommandStatusRequest:
    """The uuids of the commands to look up (as sendMdmCommand reported them)."""

    uuids: tuple[str, ...]


@attrs.frozen
class CommandStatusReport:
    """Found commands in request order, and the uuids Jamf does not know."""

    found: tuple[CommandStatus, ...]
    unknown: tuple[str, ...]


class GetCommandStatus:
    """Look MDM commands up.

    Rules:
    - Needs `read:jamf`.
    - 1 to 50 uuids per call; duplicates count once; a uuid Jamf does not know is reported as
      unknown rather than as an error.
    """

    required_scopes = READ

    def __init__(self, commands: ManagementCommands) -> None:
        self._commands = commands

    async def execute(
        self, request: CommandStatusRequest, principal: Principal
    ) -> CommandStatusReport:
        """Fetch every command's status (concurrently, within the Jamf adapter's limit)."""
        require(principal, self.required_scopes)
        uuids = tuple(dict.fromkeys(u.strip() for u in request.uuids if u.strip()))
        if not uuids:
            raise InvalidRequest("Give at least one command uuid.")
        if len(uuids) > MAX_UUIDS:
            raise InvalidRequest(f"At most {MAX_UUIDS} command uuids per call.")
        statuses = await asyncio.gather(*(self._commands.status(uuid) for uuid in uuids))
        found = tuple(status for status in statuses if status is not None)
        unknown = tuple(
            uuid for uuid, status in zip(uuids, statuses, strict=True) if status is None
        )
        return CommandStatusReport(found, unknown)
