"""Fixtures for the development IdP's HTTP tests: a provider in a temporary data dir and a client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from jamf_mcp.adapters.dev_idp import DevIdentityProvider
from tests.integration.dev_idp.dev_idp_support import make_app, make_provider


@pytest.fixture
def provider(tmp_path: Path) -> DevIdentityProvider:
    return make_provider(tmp_path / "data")


@pytest.fixture
async def client(provider: DevIdentityProvider) -> AsyncIterator[AsyncTestClient[Litestar]]:
    async with AsyncTestClient(app=make_app(provider)) as test_client:
        test_client.follow_redirects = False  # redirects are what these tests look at
        yield test_client
