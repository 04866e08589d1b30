"""The development IdP stays on loopback unless forced, and says so loudly when forced."""

from __future__ import annotations

import pytest

from jamf_mcp.adapters.dev_idp import DevIdpRefused, check_bind


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_binds_need_no_warning(host: str) -> None:
    assert check_bind(host, forced=False) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "jamf-mcp.example.com"])
def test_non_loopback_binds_are_refused_unless_forced(host: str) -> None:
    with pytest.raises(DevIdpRefused, match="JAMF_MCP_DEV_IDP_ALLOW_REMOTE"):
        check_bind(host, forced=False)


def test_a_forced_non_loopback_bind_gets_a_loud_warning_naming_the_host() -> None:
    warning = check_bind("0.0.0.0", forced=True)
    assert warning is not None
    assert "0.0.0.0" in warning
    assert "NOT FOR PRODUCTION" in warning
    assert "OIDC_ISSUER" in warning
