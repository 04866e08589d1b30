"""What route handlers reach through ``app.state``: the tenant, tokens and counters, plus the auth guard."""

from __future__ import annotations

from typing import Any, cast

import attrs
from litestar import Request
from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from jamf_mcp.simulator.auth import IssuedToken, TokenStore
from jamf_mcp.simulator.errors import JamfHttpError
from jamf_mcp.simulator.faults import FaultConfig, RequestStats
from jamf_mcp.simulator.options import SimulatorOptions
from jamf_mcp.simulator.tenant import Tenant

READ_COMPUTERS = "Read Computers"
UPDATE_COMPUTERS = "Update Computers"
READ_MOBILE_DEVICES = "Read Mobile Devices"
READ_POLICIES = "Read Policies"
UPDATE_POLICIES = "Update Policies"
CREATE_POLICIES = "Create Policies"
READ_STATIC_GROUPS = "Read Static Computer Groups"
UPDATE_STATIC_GROUPS = "Update Static Computer Groups"
CREATE_STATIC_GROUPS = "Create Static Computer Groups"
READ_SMART_GROUPS = "Read Smart Computer Groups"
READ_DEPARTMENTS = "Read Departments"
READ_BUILDINGS = "Read Buildings"
READ_SITES = "Read Sites"
READ_CATEGORIES = "Read Categories"
READ_CHECK_IN = "Read Computer Check-In"
DELETE_POLICIES = "Delete Policies"
VIEW_MDM_COMMANDS = "View MDM command information in Jamf Pro API"
SEND_MOBILE_INVENTORY_REQUESTS = "Send Inventory Requests to Mobile Devices"
STATE_KEY = "jamf_simulator"
TOKEN_KEY = "jamf_token"


@attrs.define
class SimContext:
    """Everything one simulator instance's handlers share."""

    options: SimulatorOptions
    tenant: Tenant
    tokens: TokenStore
    faults: FaultConfig
    stats: RequestStats


def ctx(request: ASGIConnection[Any, Any, Any, Any]) -> SimContext:
    """The simulator context of the app serving ``request``."""
    return cast("SimContext", request.app.state[STATE_KEY])


def bearer(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The bearer token of a request, if it sent one."""
    header = connection.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def current_token(request: Request[Any, Any, Any]) -> IssuedToken:
    """The token the guard validated for this request."""
    return cast("IssuedToken", request.scope["state"][TOKEN_KEY])


def authorize(connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
    """Guard on every route: a live bearer token (401) holding the route's privilege (403).

    Routes opt out with ``opt={"public": True}`` and name their privilege with
    ``opt={"privilege": "Read Computers"}`` (or a tuple: any one of them suffices).
    """
    if handler.opt.get("public"):
        return
    value = bearer(connection)
    token = ctx(connection).tokens.validate(value) if value else None
    if token is None:
        raise JamfHttpError(401, "INVALID_TOKEN", "Unauthorized")
    connection.scope.setdefault("state", {})[TOKEN_KEY] = token
    needed = handler.opt.get("privilege")
    if needed is None or token.principal.privileges is None:
        return
    options = (needed,) if isinstance(needed, str) else tuple(needed)
    if not any(p in token.principal.privileges for p in options):
        raise JamfHttpError(403, "FORBIDDEN", f"Forbidden: requires privilege {options[0]}")
