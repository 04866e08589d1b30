"""Clients that stay open while the service runs and are closed, as container Resources, when
it stops."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol, TypeVar


class AsyncClosable(Protocol):
    """A client with connections to close (an `httpx.AsyncClient`, a Redis client)."""

    async def aclose(self) -> None:
        """Close its connections."""
        ...


ClientT = TypeVar("ClientT", bound=AsyncClosable)


async def closed_at_shutdown(client: ClientT | None) -> AsyncIterator[ClientT | None]:
    """`client` (None: not configured) while the service runs; closed when its resources are
    shut down, after every resource that depends on this one."""
    try:
        yield client
    finally:
        if client is not None:
            await client.aclose()
