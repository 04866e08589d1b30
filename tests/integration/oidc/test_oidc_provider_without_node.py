"""A machine without Node fails the oidc-provider tests with what to install; it never skips them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.oidc_provider import OidcProviderUnavailable, running_oidc_provider


def test_the_provider_fixture_fails_and_says_what_to_install_when_node_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no node, no npm

    with (
        pytest.raises(OidcProviderUnavailable, match=r"node is not on PATH.*Install Node\.js"),
        running_oidc_provider("client", "secret", ["http://127.0.0.1:9/cb"], "aud"),
    ):
        raise AssertionError("the provider must not start without node")
