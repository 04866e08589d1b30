"""`JamfRestAccess`: what `jamf-mcp doctor` asks Jamf Pro about this server's own access.

Every call is a documented, read-only Jamf endpoint: `GET /healthCheck.html` (unauthenticated,
to test reachability and TLS), `GET /api/v1/jamf-pro-version`, `GET /api/v1/auth` (the account's
privileges, `AuthorizationV1`) and `GET /api/v3/check-in` (`ClientCheckInV3.checkInFrequency`).
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from typing import TYPE_CHECKING

import httpx

from jamf_mcp.adapters.jamf_rest.privileges import (
    PRIVILEGE_NEEDS,
    READ_CHECK_IN,
    granted_from_authorization,
)
from jamf_mcp.adapters.jamf_rest.transport import JamfHttp
from jamf_mcp.application.ports.doctor import PrivilegeNeed, ReachAttempt
from jamf_mcp.domain.diagnostics import GrantedPrivileges, Reachability
from jamf_mcp.domain.errors import JamfRequestRejected

HEALTH_PAGE = "/healthCheck.html"
VERSION_PATH = "/api/v1/jamf-pro-version"
AUTHORIZATION_PATH = "/api/v1/auth"
CHECK_IN_PATH = "/api/v3/check-in"


class JamfRestAccess:
    """Implements `JamfAccess` over the shared `JamfHttp` (signed in) and a plain client.

    Args:
        http: The signed-in client (its retries, token handling and error mapping apply).
        probe: A client without credentials for the reachability check (same TLS settings and
            transport as `http`'s).
        embedded: True for the embedded demo tenant (there is no network to check).
    """

    def __init__(self, http: JamfHttp, probe: httpx.AsyncClient, *, embedded: bool) -> None:
        self._http = http
        self._probe = probe
        self._embedded = embedded

    @property
    def target(self) -> str:
        """The tenant's base URL, or the embedded demo tenant."""
        return "the embedded demo tenant" if self._embedded else self._http.connection.base_url

    @property
    def account(self) -> str:
        """The API client or user this server signs in as."""
        connection = self._http.connection
        if connection.uses_client_credentials:
            return f'API client "{connection.client_id}"'
        return f'user "{connection.username}"'

    async def reach(self) -> ReachAttempt:
        """GET the unauthenticated health page; any HTTP answer means the server was reached."""
        if self._embedded:
            return ReachAttempt(Reachability.EMBEDDED)
        try:
            response = await self._probe.get(HEALTH_PAGE)
        except httpx.TimeoutException:
            return ReachAttempt(Reachability.TIMED_OUT, "no answer in time")
        except httpx.TransportError as error:
            return _transport_failure(error)
        detail = f"{HEALTH_PAGE} answered HTTP {response.status_code}"
        if response.url.scheme != "https":
            return ReachAttempt(Reachability.NOT_TLS, detail)
        return ReachAttempt(Reachability.REACHED, detail)

    async def server_version(self) -> str:
        """Sign in (the first authenticated call fetches a token) and read the version."""
        body = await self._http.get_json(VERSION_PATH)
        version = body.get("version") if isinstance(body, dict) else None
        if not isinstance(version, str):
            raise JamfRequestRejected("Jamf Pro's version answer has no version.")
        return version

    async def granted_privileges(self) -> GrantedPrivileges:
        """The signed-in account's privileges, from `GET /api/v1/auth`."""
        return granted_from_authorization(await self._http.get_json(AUTHORIZATION_PATH))

    def privilege_needs(self) -> Sequence[PrivilegeNeed]:
        """The table in `privileges.py`."""
        return PRIVILEGE_NEEDS

    async def check_in_frequency_minutes(self) -> int:
        """`checkInFrequency` of the client check-in settings (minutes; Jamf's default 15)."""
        body = await self._http.get_json(CHECK_IN_PATH, privilege=READ_CHECK_IN)
        value = body.get("checkInFrequency") if isinstance(body, dict) else None
        if not isinstance(value, int):
            raise JamfRequestRejected("Jamf Pro's check-in settings have no checkInFrequency.")
        return value


def _transport_failure(error: httpx.TransportError) -> ReachAttempt:
    """Tell a rejected certificate and other TLS failures from an unreachable host."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            reason = cause.verify_message or "certificate verify failed"
            return ReachAttempt(Reachability.CERTIFICATE_REJECTED, f"TLS certificate: {reason}")
        if isinstance(cause, ssl.SSLError):
            return ReachAttempt(Reachability.TLS_FAILED, f"TLS handshake: {cause.reason}")
        cause = cause.__cause__ or cause.__context__
    if "CERTIFICATE_VERIFY_FAILED" in str(error):
        return ReachAttempt(Reachability.CERTIFICATE_REJECTED, "TLS certificate not trusted")
    return ReachAttempt(Reachability.UNREACHABLE, type(error).__name__)


if TYPE_CHECKING:
    from jamf_mcp.application.ports.doctor import JamfAccess

    _implements: type[JamfAccess] = JamfRestAccess
