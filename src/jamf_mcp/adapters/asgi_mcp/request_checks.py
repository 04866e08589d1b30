"""Checks on the HTTP envelope of MCP requests: origin, host, content type and `Accept`."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

import attrs

_LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _hostname(host_header: str) -> str:
    """`example.com:8000` → `example.com`; `[::1]:8000` → `::1`."""
    if host_header.startswith("["):
        return host_header[1:].partition("]")[0]
    return host_header.rpartition(":")[0] if host_header.count(":") == 1 else host_header


def is_loopback_origin(origin: str) -> bool:
    """True for `http(s)://localhost`, `127.0.0.1` or `[::1]`, with any port."""
    try:
        parts = urlsplit(origin)
        _ = parts.port  # raises for a malformed port
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and parts.hostname in _LOOPBACK_HOSTS
        and not parts.path
        and not parts.query
        and parts.username is None
    )


def origin_allowed(origin: str | None, allowed: frozenset[str]) -> bool:
    """An absent `Origin` (non-browser client) is fine; a present one must be allowed."""
    return origin is None or origin in allowed or is_loopback_origin(origin)


def host_allowed(host: str | None, allowed: frozenset[str] | None) -> bool:
    """With an allow-list, `Host` must be loopback or listed (with or without its port)."""
    if allowed is None:
        return True
    if host is None:
        return False
    host = host.strip().lower()
    return host in allowed or _hostname(host) in allowed or _hostname(host) in _LOOPBACK_HOSTS


def _is_ip_literal(hostname: str) -> bool:
    try:
        ipaddress.ip_address(hostname)
    except ValueError:
        return False
    return True


class HostAllowList:
    """Which `Host` values this server answers (the DNS-rebinding guard), checked on every route.

    Allowed: the listed names (the public URL's host and any configured ones), loopback names,
    and IP literals — a rebinding attack needs a DNS name the attacker controls, while load
    balancer and orchestrator health checks address a replica by its IP. Ports are ignored.
    Verdicts on the few distinct values a server sees are remembered.

    Args:
        names: host names to allow (case-insensitive, without port).
    """

    _MAX_REMEMBERED = 256

    def __init__(self, names: Iterable[str]) -> None:
        self.names = frozenset(name.strip().lower() for name in names if name.strip())
        self._verdicts: dict[str, bool] = {}

    def allows(self, host: str | None) -> bool:
        """Whether a request with this `Host` header may be served (a missing one may not)."""
        if host is None:
            return False
        verdict = self._verdicts.get(host)
        if verdict is None:
            verdict = self._judge(host)
            if len(self._verdicts) < self._MAX_REMEMBERED:
                self._verdicts[host] = verdict
        return verdict

    def _judge(self, host: str) -> bool:
        value = host.strip().lower()
        if not value or not value.isprintable():
            return False
        name = _hostname(value)
        return (
            value in self.names
            or name in self.names
            or name in _LOOPBACK_HOSTS
            or _is_ip_literal(name)
        )


def is_json_content_type(content_type: str | None) -> bool:
    """`application/json`, parameters such as `charset` allowed."""
    if content_type is None:
        return False
    return content_type.partition(";")[0].strip().lower() == "application/json"


OCTET_STREAM_TYPES = frozenset({"application/octet-stream", "text/octet-stream"})
"""What OpenAI's tool scan has been reported to send a JSON-RPC body as (openai/openai-apps-sdk-
examples issue #183; `authenticated_server_python/main.py` rewrites it to JSON for the same reason).
Neither is a type a browser may send cross-origin without a CORS preflight, so reading it as JSON
opens nothing a form post could reach; the Origin, Host and token checks apply as to JSON."""


def is_message_content_type(content_type: str | None) -> bool:
    """A POSTed JSON-RPC message's type: `application/json`, or an octet stream carrying JSON.

    `text/plain`, forms and multipart bodies stay refused (415): those are the types a web page
    may post to another origin without a preflight.
    """
    if content_type is None:
        return False
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or media_type in OCTET_STREAM_TYPES


@attrs.frozen
class AcceptedTypes:
    """Which of the two response formats the client said it accepts."""

    json: bool
    event_stream: bool

    @classmethod
    def parse(cls, accept: str | None) -> AcceptedTypes:
        """Read an `Accept` header; a missing one accepts JSON."""
        if accept is None or not accept.strip():
            return cls(json=True, event_stream=False)
        json = event_stream = False
        for item in accept.split(","):
            media_type, _, params = item.partition(";")
            if _rejects(params):
                continue
            media_type = media_type.strip().lower()
            json = json or media_type in ("application/json", "application/*", "*/*")
            event_stream = event_stream or media_type in ("text/event-stream", "text/*")
        return cls(json=json, event_stream=event_stream)


def _rejects(params: str) -> bool:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value) <= 0
            except ValueError:
                return False
    return False
