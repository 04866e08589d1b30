"""Domain and application errors: the vocabulary every layer uses to say what went wrong.

Adapters translate their failures into these; exactly one place (the MCP adapter's error mapping)
turns them into what a client sees.
"""

from __future__ import annotations

from collections.abc import Sequence


class JamfMcpError(Exception):
    """Base of every error this product raises on purpose; `message` is safe to show a user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DeviceNotFound(JamfMcpError):
    """No device matches the identifier the user gave."""

    def __init__(self, identifier: str) -> None:
        super().__init__(
            f"No device matches {identifier!r}. Try a Jamf id, a serial number, an asset tag "
            "or the exact device name."
        )
        self.identifier = identifier


class AmbiguousDevice(JamfMcpError):
    """More than one device matches an identifier that must name exactly one."""

    def __init__(self, identifier: str, candidates: Sequence[str]) -> None:
        shown = ", ".join(candidates[:10])
        more = f" and {len(candidates) - 10} more" if len(candidates) > 10 else ""
        super().__init__(
            f"{identifier!r} matches {len(candidates)} devices ({shown}{more}); "
            "use the Jamf id or the serial number to pick one."
        )
        self.identifier = identifier
        self.candidates = tuple(candidates)


class PolicyNotFound(JamfMcpError):
    """No policy matches the id or name the user gave."""

    def __init__(self, identifier: str) -> None:
        super().__init__(
            f"No policy matches {identifier!r}. Use listPolicies to see the policies in Jamf Pro."
        )
        self.identifier = identifier


class AmbiguousPolicy(JamfMcpError):
    """More than one policy matches a name that must name exactly one."""

    def __init__(self, identifier: str, candidates: Sequence[str]) -> None:
        super().__init__(
            f"{identifier!r} matches {len(candidates)} policies ({', '.join(candidates[:10])}); "
            "use the policy id to pick one."
        )
        self.identifier = identifier
        self.candidates = tuple(candidates)


class UnknownDepartment(JamfMcpError):
    """A department filter names no department in Jamf Pro."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        super().__init__(
            f"There is no department named {name!r} in Jamf Pro. Known departments: "
            f"{', '.join(sorted(known)) or 'none'}."
        )
        self.name = name


class UnknownBuilding(JamfMcpError):
    """A building filter names no building in Jamf Pro."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        super().__init__(
            f"There is no building named {name!r} in Jamf Pro. Known buildings: "
            f"{', '.join(sorted(known)) or 'none'}."
        )
        self.name = name


class JamfUnavailable(JamfMcpError):
    """Jamf Pro could not be reached or kept failing (network error, timeouts, 5xx)."""


class JamfOutcomeUnknown(JamfUnavailable):
    """A change was sent to Jamf Pro but no definite answer came back (timeout, dropped
    connection, HTTP 500/502/504): it may or may not have been applied, and is never resent."""


class CallTimedOut(JamfMcpError):
    """A call ran out of its time budget waiting on Jamf Pro; what it waited for was cancelled."""

    def __init__(self, seconds: float) -> None:
        super().__init__(
            f"This call took longer than its {seconds:g} s deadline waiting for Jamf Pro and "
            "was stopped; its outstanding Jamf requests were cancelled. Jamf Pro may be slow or "
            "unavailable: try again shortly. For a device action, jamf://audit/recent shows "
            "what was sent."
        )
        self.seconds = seconds


class StateUnavailable(JamfMcpError):
    """The shared state store (Redis) cannot be reached: requests that need state get HTTP 503.

    Raised instead of ever falling back to this process's memory, which would break the other
    replicas' view (sessions, confirmations, OAuth codes, rate limits).
    """

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "The server's shared state store is unreachable, so this request cannot be served "
            "right now; try again shortly." + (f" ({detail})" if detail else "")
        )


class JamfCredentialsRejected(JamfMcpError):
    """Jamf Pro refused this server's own API credentials."""


class JamfPermissionDenied(JamfMcpError):
    """This server's Jamf API client lacks a privilege the operation needs."""

    def __init__(self, message: str, privilege: str | None = None) -> None:
        super().__init__(message)
        self.privilege = privilege


class JamfRequestRejected(JamfMcpError):
    """Jamf Pro rejected a request as invalid (HTTP 400/409/422): usually a bug or an unsupported query."""


class AccessDenied(JamfMcpError):
    """The signed-in user lacks a scope the operation needs."""

    def __init__(self, missing_scopes: Sequence[str]) -> None:
        super().__init__(
            "This action needs the scope(s) "
            f"{' '.join(missing_scopes)}, which your sign-in does not grant."
        )
        self.missing_scopes = tuple(missing_scopes)


class InvalidRequest(JamfMcpError):
    """A request that is well-formed but breaks a business rule (e.g. an empty search)."""


class InvalidToken(JamfMcpError):
    """A bearer token that cannot be trusted: missing, malformed, forged, expired or not for us.

    `reason` is a short machine code (e.g. `expired`, `bad_signature`, `wrong_audience`) that may be
    logged; the token itself never is.
    """

    def __init__(self, reason: str, message: str = "Invalid token") -> None:
        super().__init__(message)
        self.reason = reason


class ConfirmationUnknown(JamfMcpError):
    """A confirmation token this server never issued (or has forgotten)."""

    def __init__(self) -> None:
        super().__init__(
            "This confirmation token is not recognised. Call the tool again without a token to get "
            "a new summary and token, and show the summary to the user before confirming."
        )


class ConfirmationExpired(JamfMcpError):
    """A confirmation token presented after its deadline."""

    def __init__(self) -> None:
        super().__init__(
            "This confirmation has expired. Call the tool again without a token to get a fresh "
            "summary, and ask the user to confirm it."
        )


class ConfirmationMismatch(JamfMcpError):
    """A confirmation token presented with arguments other than the ones it was issued for."""

    def __init__(self) -> None:
        super().__init__(
            "This confirmation token was issued for different arguments (action, devices or "
            "parameters). Nothing was done. Call the tool again without a token to confirm "
            "exactly what should happen."
        )


class ConfirmationNotYours(JamfMcpError):
    """A confirmation token presented by someone other than the user it was issued to."""

    def __init__(self) -> None:
        super().__init__(
            "This confirmation token was issued to a different sign-in and cannot be used by you. "
            "Call the tool again without a token to get your own confirmation."
        )


class ConfirmationByPersonOnly(JamfMcpError):
    """A confirmation token where only a person may confirm (tokens off, or erase and lock)."""

    def __init__(self) -> None:
        super().__init__(
            "This server does not accept a confirmation the assistant passes back: the user "
            "must approve this action themselves, in their MCP client's own prompt or on this "
            "server's approval page. Call the tool again without a confirmation token; if no way "
            "to reach the user is available in this connection, nothing can be done from here."
        )


class ConfirmationAlreadyUsed(JamfMcpError):
    """A confirmation token presented a second time."""

    def __init__(self) -> None:
        super().__init__(
            "This confirmation token has already been used; each confirmation allows one run. "
            "Call the tool again without a token if the action should happen again."
        )


class AuditUnavailable(JamfMcpError):
    """The audit trail cannot be written (its database is unreachable or refuses the write).

    Nothing is sent to Jamf Pro without its audit record, so the action did not run.
    """

    def __init__(self, detail: str = "") -> None:
        super().__init__(
            "The audit trail cannot be written right now, so nothing was sent to Jamf Pro. "
            "Try again shortly; if you had confirmed, you will be asked to confirm again."
            + (f" ({detail})" if detail else "")
        )
