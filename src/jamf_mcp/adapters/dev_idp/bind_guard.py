"""Keep the development IdP on loopback: its demo users' passwords are printed on its login page."""

from __future__ import annotations

import ipaddress

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


class DevIdpRefused(RuntimeError):
    """The development IdP was asked to serve on a non-loopback address without being forced."""


def is_loopback(host: str) -> bool:
    """True for `localhost`, 127.0.0.0/8 and ::1 (brackets allowed)."""
    name = host.strip().strip("[]").lower()
    if name in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, *, forced: bool) -> str | None:
    """Decide whether the development IdP may be served on `host`.

    Returns:
        None on a loopback address; otherwise, when `forced`, a loud warning for the operator.

    Raises:
        DevIdpRefused: a non-loopback address without `forced`.
    """
    if is_loopback(host):
        return None
    if not forced:
        raise DevIdpRefused(
            f"Refusing to serve the development identity provider on {host!r}: it signs in demo "
            "users whose passwords are printed on its login page, so it is for loopback addresses "
            "only. Bind to 127.0.0.1, or set OIDC_ISSUER (with OIDC_CLIENT_ID, OIDC_CLIENT_SECRET "
            "and OIDC_AUDIENCE) to sign in through Auth0, Okta or another identity provider, or "
            "set JAMF_MCP_DEV_IDP_ALLOW_REMOTE=1 to force it (never in production)."
        )
    banner = "!" * 78
    return (
        f"{banner}\n"
        f"WARNING: the DEVELOPMENT identity provider is served on a non-loopback address "
        f"({host}).\n"
        "Anyone who can reach this server can sign in as a demo user (passwords are shown on the\n"
        "login page) and get tokens this server accepts, including write access to Jamf Pro.\n"
        "NOT FOR PRODUCTION: set OIDC_ISSUER to use Auth0, Okta or another identity provider.\n"
        f"{banner}"
    )
