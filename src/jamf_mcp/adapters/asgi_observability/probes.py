"""Readiness probes for this server's dependencies: Jamf Pro, the identity keys, Redis.

Each answers with a fixed, secret-free detail; none lets an exception's message through (Jamf
errors name the tenant's host).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from jamf_mcp.adapters.asgi_observability.readiness import ProbeResult
from jamf_mcp.domain.errors import (
    JamfCredentialsRejected,
    JamfMcpError,
    JamfPermissionDenied,
    JamfUnavailable,
)

JAMF_VERSION_PATH = "/api/v1/jamf-pro-version"
_VERSION = re.compile(r"\d+(?:\.\d+){1,2}")
"""Cheap, authenticated, and readable with any API role."""


class JsonGetter(Protocol):
    """What the Jamf probe needs of `JamfHttp`."""

    async def get_json(self, path: str) -> Any:
        """GET `path` (authenticated) and decode its JSON; raise a domain error on failure."""
        ...


class JamfReachableProbe:
    """Jamf Pro answers an authenticated GET through the server's own client (implements `Probe`).

    Args:
        http: The shared `JamfHttp` (its token, retries and concurrency cap apply).
        name: The component's name.
    """

    def __init__(self, http: JsonGetter, *, name: str = "jamf") -> None:
        self._http = http
        self._name = name

    @property
    def name(self) -> str:
        """The component's name."""
        return self._name

    async def check(self) -> ProbeResult:
        """GET `/api/v1/jamf-pro-version`; a success names the version (`Jamf Pro 11.30.1`)."""
        try:
            body = await self._http.get_json(JAMF_VERSION_PATH)
        except JamfCredentialsRejected:
            return ProbeResult(False, "credentials rejected")
        except JamfPermissionDenied:
            return ProbeResult(False, "permission denied")
        except JamfUnavailable:
            return ProbeResult(False, "unreachable")
        except JamfMcpError:
            return ProbeResult(False, "request rejected")
        return ProbeResult(True, _version_detail(body))


def _version_detail(body: Any) -> str:
    """`Jamf Pro 11.30.1, signed in` from `{"version": "11.30.1-t1784555528405"}`."""
    text = body.get("version") if isinstance(body, dict) else None
    match = _VERSION.match(text) if isinstance(text, str) else None
    return f"Jamf Pro {match.group(0)}, signed in" if match else "signed in"


class IdentityKeysProbe:
    """The token verifier has keys to check signatures with (implements `Probe`).

    Args:
        keys_loaded: Answers whether keys are loaded (may be async, e.g. one that loads them
            when they are missing); for this server's own signing key, `lambda: True`.
        name: The component's name.
        ok_detail: The public detail of a success.
    """

    def __init__(
        self,
        keys_loaded: Callable[[], bool | Awaitable[bool]],
        *,
        name: str = "identity_keys",
        ok_detail: str = "",
    ) -> None:
        self._keys_loaded = keys_loaded
        self._name = name
        self._ok_detail = ok_detail

    @property
    def name(self) -> str:
        """The component's name."""
        return self._name

    async def check(self) -> ProbeResult:
        """Ask `keys_loaded`."""
        loaded = self._keys_loaded()
        if inspect.isawaitable(loaded):
            loaded = await loaded
        if not loaded:
            return ProbeResult(False, "signing keys not loaded")
        return ProbeResult(True, self._ok_detail)


class PingProbe:
    """A store answers a ping (implements `Probe`): Redis by default.

    Args:
        ping: Any `async () -> object`, e.g. `redis.ping`; it fails by raising or returning False.
        name: The component's name.
    """

    def __init__(self, ping: Callable[[], Awaitable[object]], *, name: str = "redis") -> None:
        self._ping = ping
        self._name = name

    @property
    def name(self) -> str:
        """The component's name."""
        return self._name

    async def check(self) -> ProbeResult:
        """Ping."""
        try:
            answer = await self._ping()
        except Exception:
            return ProbeResult(False, "unreachable")
        return ProbeResult(False, "ping refused") if answer is False else ProbeResult(True)
