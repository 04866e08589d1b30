"""Client check-in settings (`GET /api/v3/check-in`, Jamf's `ClientCheckInV3`).

`checkInFrequency` is the tenant's check-in interval in minutes; Jamf allows 5 to 60 (OpenAPI
11.30.1: "Minimum is 5, maximum is 60"), so the simulator's own interval is reported within that
range. The hook and startup settings are Jamf's defaults. Needs `Read Computer Check-In`.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get

from jamf_mcp.simulator.context import ctx
from jamf_mcp.simulator.errors import json_response

READ_CHECK_IN = "Read Computer Check-In"


@get("/api/v3/check-in", opt={"privilege": READ_CHECK_IN})
async def check_in_settings(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The tenant's check-in settings."""
    minutes = round(ctx(request).options.check_in_interval_seconds / 60)
    return json_response(
        {
            "checkInFrequency": min(60, max(5, minutes)),
            "createHooks": False,
            "hookLog": False,
            "hookPolicies": False,
            "createStartupScript": True,
            "startupLog": True,
            "startupPolicies": True,
            "startupSsh": False,
            "enableLocalConfigurationProfiles": False,
        }
    )


ROUTES = [check_in_settings]
