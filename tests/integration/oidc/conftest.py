"""A real oidc-provider (npm) for the OIDC adapter's integration tests, one per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.oidc_provider import (
    OidcProviderHandle,
    node_available,
    running_oidc_provider,
)

CLIENT_ID = "jamf-mcp-test"
CLIENT_SECRET = "a-client-secret-for-tests-only"
REDIRECT_URI = "http://127.0.0.1:9/auth/upstream/callback"
AUDIENCE = "http://127.0.0.1:8000/mcp"


@pytest.fixture(scope="module")
def oidc_provider() -> Iterator[OidcProviderHandle]:
    if not node_available():
        pytest.skip("node and npm are needed to run oidc-provider")
    with running_oidc_provider(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], AUDIENCE) as handle:
        yield handle
