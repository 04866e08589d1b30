"""Fixtures for the MCP core tests: a server over the fake catalogue with in-memory sessions."""

from __future__ import annotations

import pytest

from jamf_mcp.adapters.mcp import InMemorySessionStore, McpServer, ServerInfo, ToolCatalogue
from tests.unit.adapters_mcp.mcp_core_support import Calls, build_tools


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def sessions() -> InMemorySessionStore:
    return InMemorySessionStore()


@pytest.fixture
def server(calls: Calls, sessions: InMemorySessionStore) -> McpServer:
    info = ServerInfo(name="jamf-mcp", version="1.2.3", title="Jamf MCP", instructions="Be kind.")
    return McpServer(ToolCatalogue(build_tools(calls)), info, sessions)
