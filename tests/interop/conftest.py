"""Fixtures for interop tests: the pinned Node tools, and the real server with sign-in off or on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.interop.servers import (
    ServerUnderTest,
    SignedInServer,
    mint_dev_token,
    running_server,
)
from tests.support.node_tools import NodeTools, NodeToolsUnavailable, ensure_node_tools


@pytest.fixture(scope="session")
def node_tools() -> NodeTools:
    """Node 22, conformance and Inspector, installed once per machine (a failure, never a skip)."""
    try:
        return ensure_node_tools()
    except NodeToolsUnavailable as error:
        pytest.fail(f"interop tools unavailable: {error}", pytrace=False)


@pytest.fixture(scope="session")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerUnderTest]:
    """`jamf-mcp serve --auth none`: the conformance suite cannot send a token."""
    with running_server(tmp_path_factory.mktemp("interop-open"), auth="none") as server:
        yield server


@pytest.fixture(scope="session")
def signed_in_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignedInServer]:
    """`jamf-mcp serve --auth dev` and a `jamf-mcp dev-token` for http://127.0.0.1:PORT."""
    with running_server(tmp_path_factory.mktemp("interop-signed-in"), auth="dev") as server:
        yield SignedInServer(server, mint_dev_token(server, host="127.0.0.1"))
