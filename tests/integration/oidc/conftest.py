"""A real oidc-provider (npm) for the OIDC adapter's integration tests, one per module.

Without `node`/`npm` the fixture fails (it never skips): `running_oidc_provider` raises
`OidcProviderUnavailable` saying what to install.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.oidc_provider import OidcProviderHandle, running_oidc_provider

CLIENT_ID = "jamf-mcp-test"
CLIENT_SECRET = "a-client-secret-for-tests-only"
REDIRECT_URI = "http://127.0.0.1:9/auth/upstream/callback"
AUDIENCE = "http://127.0.0.1:8000/mcp"


@pytest.fixture(scope="module")
def oidc_provider() -> Iterator[OidcProviderHandle]:
    with running_oidc_provider(CLIENT_ID, CLIENT_SECRET, [REDIRECT_URI], AUDIENCE) as handle:
        yield handle
