"""The command line and settings: loopback-only binding, clear errors for incomplete config."""

from __future__ import annotations

from pathlib import Path

import pytest

from jamf_mcp.cli import main
from jamf_mcp.settings import Settings, SettingsError


def test_serve_refuses_to_listen_beyond_loopback_before_sign_in_exists(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--port", "8999"]) == 2
    assert "loopback" in capsys.readouterr().err


def test_jamf_url_without_credentials_is_a_clear_error() -> None:
    with pytest.raises(SettingsError, match="JAMF_CLIENT_ID and JAMF_CLIENT_SECRET"):
        Settings.from_env({"JAMF_URL": "https://acme.jamfcloud.com"})


def test_malformed_numbers_name_the_variable() -> None:
    with pytest.raises(SettingsError, match="JAMF_MCP_PORT"):
        Settings.from_env({"JAMF_MCP_PORT": "eighty"})


def test_no_configuration_means_the_embedded_simulator_on_loopback() -> None:
    settings = Settings.from_env({})
    assert settings.jamf.embedded
    assert settings.host == "127.0.0.1"
    assert settings.binds_loopback_only


def test_flags_override_the_environment() -> None:
    settings = Settings.from_env({"JAMF_MCP_PORT": "9000"}, port=9100, data_dir=Path("/tmp/x"))
    assert settings.port == 9100
    assert settings.data_dir == Path("/tmp/x")


def test_secrets_never_appear_in_the_settings_repr() -> None:
    settings = Settings.from_env(
        {
            "JAMF_URL": "https://acme.jamfcloud.com",
            "JAMF_CLIENT_ID": "id",
            "JAMF_CLIENT_SECRET": "hunter2",
        }
    )
    assert "hunter2" not in repr(settings)


def test_doctor_with_unreadable_settings_says_which_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("JAMF_URL", "https://acme.jamfcloud.com")
    monkeypatch.delenv("JAMF_CLIENT_ID", raising=False)
    monkeypatch.delenv("JAMF_USERNAME", raising=False)
    assert main(["doctor"]) == 2
    assert "JAMF_CLIENT_ID and JAMF_CLIENT_SECRET" in capsys.readouterr().err


def test_the_docs_address_for_the_home_page_comes_from_the_environment() -> None:
    assert Settings.from_env({}).docs_url is None
    url = "https://git.example.com/jamf-mcp/blob/main"
    assert Settings.from_env({"JAMF_MCP_DOCS_URL": url}).docs_url == url
