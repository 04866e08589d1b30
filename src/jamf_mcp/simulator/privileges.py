"""The tenant's privilege catalogue and its demo API clients with full and partial privileges.

Names are Jamf's API role privileges (`GET /api/v1/api-role-privileges`; the subset this product
touches and a few neighbours). A demo client with `None` holds every privilege, like a role with
the whole catalogue; `GET /api/v1/auth` then lists the catalogue.
"""

from __future__ import annotations

CATALOGUE: tuple[str, ...] = (
    "Create Policies",
    "Create Static Computer Groups",
    "Delete Policies",
    "Delete Static Computer Groups",
    "Flush MDM Commands",
    "Flush Policy Logs",
    "Read Buildings",
    "Read Categories",
    "Read Computer Check-In",
    "Read Computers",
    "Read Departments",
    "Read Mobile Devices",
    "Read Policies",
    "Read Sites",
    "Read Smart Computer Groups",
    "Read Static Computer Groups",
    "Send Blank Pushes to Mobile Devices",
    "Send Computer Remote Desktop Command",
    "Send Computer Remote Lock Command",
    "Send Computer Remote Wipe Command",
    "Send Computer Restart Command",
    "Send Computer Shut Down Command",
    "Send Inventory Requests to Mobile Devices",
    "Send MDM command information in Jamf Pro API",
    "Send Mobile Device Lost Mode Command",
    "Send Mobile Device Remote Lock Command",
    "Send Mobile Device Remote Wipe Command",
    "Send Mobile Device Restart Device Command",
    "Send Mobile Device Shut Down Command",
    "Update Computer Check-In",
    "Update Computers",
    "Update Policies",
    "Update Smart Computer Groups",
    "Update Static Computer Groups",
    "View MDM command information in Jamf Pro API",
)

READ_ONLY_CLIENT_ID = "jamf-mcp-demo-readonly"
READ_ONLY_CLIENT_SECRET = "demo-readonly-secret-not-for-production"
READ_ONLY_PRIVILEGES = frozenset(
    {
        "Read Buildings",
        "Read Computer Check-In",
        "Read Computers",
        "Read Departments",
        "Read Mobile Devices",
        "Read Policies",
        "Read Smart Computer Groups",
        "Read Static Computer Groups",
    }
)
"""A client for a read-only deployment: every read tool works, no action does."""

NO_GROUPS_CLIENT_ID = "jamf-mcp-demo-no-groups"
NO_GROUPS_CLIENT_SECRET = "demo-no-groups-secret-not-for-production"
NO_GROUPS_PRIVILEGES = frozenset(CATALOGUE) - {"Update Static Computer Groups"}
"""Everything but `Update Static Computer Groups`: policy runs fail, the rest works."""

DEMO_CLIENTS: tuple[tuple[str, str, frozenset[str]], ...] = (
    (READ_ONLY_CLIENT_ID, READ_ONLY_CLIENT_SECRET, READ_ONLY_PRIVILEGES),
    (NO_GROUPS_CLIENT_ID, NO_GROUPS_CLIENT_SECRET, NO_GROUPS_PRIVILEGES),
)
"""The partial demo clients every tenant has, besides the full one (`DEMO_CLIENT_ID`)."""
