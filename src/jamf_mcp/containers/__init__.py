"""The dependency-injection containers: the only place that wires ports to adapters (ADR 0004,
ADR 0041).

One container per layer, each in the module named after what it wires — `jamf` (outbound
adapters), `state` (stores), `identity` (sign-in), `application` (use cases), `mcp` (the protocol
core) — composed by `service.Container`, the whole service on any transport. `http.HttpContainer`
builds the HTTP edge over it: the ASGI application, its routes and the lifespan that starts and
stops the service's resources (`lifespan`).
"""

from jamf_mcp.containers.http import HttpContainer, http_container
from jamf_mcp.containers.service import Container, build_container

__all__ = ["Container", "HttpContainer", "build_container", "http_container"]
