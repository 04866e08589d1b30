"""`ServiceLifespan`: the service's resources open with the application, the running service over
them; on the way out the running service stops (drains) before any resource closes, and the
routes see no running service before the start or after the stop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, cast

import pytest
from dependency_injector import containers, providers

from jamf_mcp.containers.lifespan import NotServing, RunningService, ServiceLifespan

Events = list[str]


async def resource(events: Events, name: str) -> AsyncIterator[str]:
    events.append(f"open {name}")
    yield name
    await asyncio.sleep(0)
    events.append(f"close {name}")


async def running(events: Events, audit: str) -> AsyncIterator[RunningService]:
    events.append(f"serve over {audit}")
    served = cast("Any", RunningService)("server", "readiness", "desk")
    yield served
    await asyncio.sleep(0.01)  # work in flight finishing, writing to the audit trail
    events.append("drained")


class Service(containers.DeclarativeContainer):
    events = providers.Singleton(list)
    audit = providers.Resource(resource, events, "audit")
    router = providers.Resource(resource, events, "router")
    jamf = providers.Resource(resource, events, "jamf")
    running = providers.Resource(running, events, audit)


def lifespan_of(service: Service) -> ServiceLifespan:
    return ServiceLifespan(service, service.running)


async def test_the_running_service_drains_before_any_resource_closes() -> None:
    service = Service()
    async with lifespan_of(service)(cast("Any", None)):
        pass
    events = service.events()
    assert events.index("drained") < min(
        events.index(f"close {name}") for name in ("audit", "router", "jamf")
    )
    assert {e for e in events if e.startswith("open")} == {"open audit", "open router", "open jamf"}
    assert events.index("open audit") < events.index("serve over audit")


async def test_the_routes_see_the_running_service_only_while_the_application_runs() -> None:
    lifespan = lifespan_of(Service())
    assert lifespan.readiness() is None
    with pytest.raises(NotServing):
        lifespan.server()
    async with lifespan(cast("Any", None)):
        assert lifespan.server() == "server"
        assert lifespan.readiness() == "readiness"
        assert await lifespan.approval_desk() == "desk"
    assert lifespan.readiness() is None
    with pytest.raises(NotServing):
        await lifespan.approval_desk()


async def test_resources_close_even_when_the_running_service_cannot_start() -> None:
    service = Service()

    async def broken(events: Events, audit: str) -> AsyncIterator[RunningService]:
        raise RuntimeError("the MCP server cannot be built")
        yield  # pragma: no cover

    service.running.override(providers.Resource(broken, service.events, service.audit))
    lifespan = ServiceLifespan(service, service.running)
    with pytest.raises(RuntimeError):
        async with lifespan(cast("Any", None)):
            pass  # pragma: no cover
    events = service.events()
    assert {"close audit", "close router", "close jamf"} <= set(events)
