"""The home page's words: component names, what an absent component means, registration modes,
and the documents it links to."""

from __future__ import annotations

import attrs

from jamf_mcp.adapters.oauth_server.config import CLIENT_METADATA_DOCUMENT, DYNAMIC_REGISTRATION


@attrs.frozen
class ComponentText:
    """How the page names one readiness component.

    Attributes:
        names: The probe names it covers (the first is used when no probe reports it).
        label: Its name for people.
        absent: What it means that no probe reports it.
        absent_sign_in_off: The same, when sign-in is off.
        absent_state: The state word shown when no probe reports it.
    """

    names: tuple[str, ...]
    label: str
    absent: str = ""
    absent_sign_in_off: str = ""
    absent_state: str = "Not checked"


COMPONENTS = (
    ComponentText(("jamf",), "Jamf Pro", "No readiness probe", "No readiness probe"),
    ComponentText(
        ("identity_keys", "identity_provider"),
        "Identity provider",
        "No readiness probe",
        "Sign-in is off (local use only)",
    ),
    ComponentText(
        ("redis",),
        "Redis",
        "Not configured: sessions and confirmations live in this process (one replica)",
        "Not configured: sessions and confirmations live in this process (one replica)",
        "Not used",
    ),
    ComponentText(
        ("audit", "audit_store"), "Audit store", "No readiness probe", "No readiness probe"
    ),
    ComponentText(("accepting",), "Accepting requests", "", ""),
)
"""The components the page always lists, in this order, whether or not a probe reports them;
probes with other names are listed after them under their own name."""

REGISTRATION_WORDS = {
    DYNAMIC_REGISTRATION: (
        "Dynamic Client Registration",
        "Automatic: the client registers itself, so leave the OAuth client ID and secret empty.",
    ),
    CLIENT_METADATA_DOCUMENT: (
        "Client ID Metadata Document",
        "Automatic: the client's metadata URL is its client ID.",
    ),
    "pre_registered": (
        "Pre-registered client",
        "Enter the OAuth client ID and secret your administrator created for this client.",
    ),
}
"""Each registration mode's name (the value to pick in the client) and what it means."""

DOCS = (
    ("Connect ChatGPT and sign in", "docs/sign-in.md"),
    ("Configuration reference", "docs/configuration.md"),
    ("Deploy on AWS", "docs/deploy/aws.md"),
    ("Tools, transports and the demo tenant", "README.md"),
)
"""The documents the page links to: (title, path in the source)."""
