"""Settings: one frozen attrs object read from the environment and command-line flags.

Nothing here is read at import time; `Settings.from_env()` is called by the CLI.

Every setting is declared once, as an attrs field made by `setting(...)`: its environment
variable, default, parser, checks, whether it is secret, the flag that overrides it, and the
line of the configuration reference that explains it. `Settings.from_env` is a generic loop over
those declarations (`reading.py`), and `docs/configuration.md`'s tables are generated from them
(`reference.py`, `python scripts/settings_reference.py`).

Adding a setting is one change: add a field to the class it belongs to (`model.py` for the
server, `groups.py`/`auth.py` for a group), for example::

    confirmation_mode: str = setting(
        "JAMF_MCP_CONFIRMATION_MODE",
        default="auto",
        parse=parsers.text,                      # one parser per kind of value (parsers.py)
        convert=str.lower,                       # optional normalisation, however it arrives
        checks=(checks.one_of("auto", "token"),),  # attrs validators naming the variable
        section="actions",                       # the heading it is listed under in the docs
        doc="how an action is confirmed: ...",   # its line in docs/configuration.md
    )

then run `python scripts/settings_reference.py` to regenerate the reference (a test fails while
it is stale). Mark credentials `secret=True` (kept out of `repr`, errors and the docs). Rules
that join several settings go in the class's `__attrs_post_init__`; a new group of settings is an
`@attrs.frozen(kw_only=True)` class nested with `group(...)`.
"""

from __future__ import annotations

from jamf_mcp.settings.auth import AUTH_MODES, CHATGPT_REDIRECT_URI, DEFAULT_DEV_USERS, AuthSettings
from jamf_mcp.settings.declarations import SettingsError
from jamf_mcp.settings.groups import ActionSettings, AuditSettings, JamfSettings, SimulatorSettings
from jamf_mcp.settings.model import LOOPBACK_HOSTS, Settings

__all__ = [
    "AUTH_MODES",
    "CHATGPT_REDIRECT_URI",
    "DEFAULT_DEV_USERS",
    "LOOPBACK_HOSTS",
    "ActionSettings",
    "AuditSettings",
    "AuthSettings",
    "JamfSettings",
    "Settings",
    "SettingsError",
    "SimulatorSettings",
]
