"""``/api/v2/mdm/commands`` (queue and status) and ``/api/v2/mdm/blank-push``."""

from __future__ import annotations

import json
from typing import Any

from litestar import Request, Response, get, post

from jamf_mcp.simulator.clock import iso_ms, iso_or_none
from jamf_mcp.simulator.context import VIEW_MDM_COMMANDS, ctx
from jamf_mcp.simulator.errors import JamfHttpError, json_response
from jamf_mcp.simulator.mdm_commands import blank_push, queue_commands
from jamf_mcp.simulator.mdm_state import MdmCommand
from jamf_mcp.simulator.query import compile_or_400, paged, parse_list_query, select, sort_records
from jamf_mcp.simulator.rsql import Field, Kind

_MDM = {"privilege": VIEW_MDM_COMMANDS}
COMMAND_FIELDS = {
    "uuid": Field(Kind.STRING, lambda c: c.uuid),
    "clientManagementId": Field(Kind.STRING, lambda c: c.management_id),
    "command": Field(Kind.STRING, lambda c: c.command_type),
    "status": Field(Kind.STRING, lambda c: c.state),
    "clientType": Field(Kind.STRING, lambda c: c.client_type),
    "dateSent": Field(Kind.DATE, lambda c: c.sent_ms),
    "dateCompleted": Field(Kind.DATE, lambda c: c.completed_ms),
}


async def _json_body(request: Request[Any, Any, Any]) -> Any:
    try:
        return json.loads(await request.body() or b"null")
    except ValueError:
        raise JamfHttpError(400, "INVALID_FIELD", "Unable to parse the request body") from None


def _status(command: MdmCommand) -> dict[str, Any]:
    return {
        "uuid": command.uuid,
        "dateSent": iso_ms(command.sent_ms),
        "dateCompleted": iso_or_none(command.completed_ms),
        "client": {"managementId": command.management_id, "clientType": command.client_type},
        "commandState": command.state,
        "commandType": command.command_type,
        "profileId": None,
    }


@post("/api/v2/mdm/commands", opt=_MDM, status_code=201)
async def send_commands(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Queue one command per client → 201 ``[{id, href}]``."""
    created = queue_commands(ctx(request).tenant, await _json_body(request))
    base = str(request.base_url).rstrip("/")
    return json_response(
        [
            {"id": c.uuid, "href": f"{base}/api/v2/mdm/commands?filter=uuid=={c.uuid}"}
            for c in created
        ],
        201,
    )


@get("/api/v2/mdm/commands", opt=_MDM)
async def command_status(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Paged command status; ``filter`` is required (Jamf answers 400 without one)."""
    query = parse_list_query(request, COMMAND_FIELDS, "dateSent:asc")
    if not query.filter.strip():
        raise JamfHttpError(
            400, "INVALID_FIELD", "All url must contain minimum one filter field", "filter"
        )
    predicate = compile_or_400(query.filter, COMMAND_FIELDS)
    ordered = sort_records(ctx(request).tenant.mdm.commands, query.sort, COMMAND_FIELDS)
    total, page = select(ordered, predicate, query.page, query.page_size)
    return json_response(paged(total, [_status(c) for c in page]))


@post("/api/v2/mdm/blank-push", opt=_MDM, status_code=200)
async def send_blank_push(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Wake devices' MDM channel → 200 ``{"errorUuids": [unknown ids]}``.

    Privilege: the schema's ``x-required-privileges`` ("View MDM command information in Jamf Pro
    API", Jamf Pro 11.30.1 ``/api/schema``).
    """
    unknown = blank_push(ctx(request).tenant, await _json_body(request))
    return json_response({"errorUuids": unknown})


ROUTES = [send_commands, command_status, send_blank_push]
