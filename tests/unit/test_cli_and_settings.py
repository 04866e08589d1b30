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


def test_grant_and_registration_limits_come_from_the_environment_with_safe_defaults() -> None:
    defaults = Settings.from_env({}).auth
    assert defaults.grant_lifetime_seconds == 30 * 24 * 3600
    assert defaults.revalidate_seconds == 900
    assert (defaults.client_idle_days, defaults.max_clients) == (30, 10_000)
    assert defaults.registrations_per_ip_per_day == 100
    tuned = Settings.from_env(
        {
            "JAMF_MCP_GRANT_MAX_LIFETIME_SECONDS": "86400",
            "JAMF_MCP_REVALIDATE_SECONDS": "60",
            "JAMF_MCP_CLIENT_IDLE_DAYS": "7",
            "JAMF_MCP_MAX_CLIENTS": "500",
            "JAMF_MCP_REGISTRATIONS_PER_IP_PER_DAY": "10",
        }
    ).auth
    assert tuned.grant_lifetime_seconds == 86400 and tuned.revalidate_seconds == 60
    assert (tuned.client_idle_days, tuned.max_clients, tuned.registrations_per_ip_per_day) == (
        7,
        500,
        10,
    )


@pytest.mark.parametrize(
    "variable",
    ["JAMF_MCP_GRANT_MAX_LIFETIME_SECONDS", "JAMF_MCP_MAX_CLIENTS", "JAMF_MCP_REVALIDATE_SECONDS"],
)
def test_grant_limits_must_be_positive(variable: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: "0"})


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


def test_redis_cluster_mode_is_off_unless_asked_for() -> None:
    assert Settings.from_env({"REDIS_URL": "redis://cache:6379"}).redis_cluster is False
    cluster = Settings.from_env(
        {"REDIS_URL": "rediss://cfg:6379", "JAMF_MCP_REDIS_CLUSTER": "true"}
    )
    assert cluster.redis_cluster is True


def test_redis_cluster_mode_without_a_redis_url_is_refused() -> None:
    with pytest.raises(SettingsError, match="REDIS_URL"):
        Settings.from_env({"JAMF_MCP_REDIS_CLUSTER": "1"})


@pytest.mark.parametrize("prefix", ["jamf{mcp}:", "jamf mcp:"])
def test_a_redis_prefix_with_braces_or_whitespace_is_refused(prefix: str) -> None:
    with pytest.raises(SettingsError, match="JAMF_MCP_REDIS_PREFIX"):
        Settings.from_env({"JAMF_MCP_REDIS_PREFIX": prefix})


def test_confirmations_default_to_a_person_and_the_token_is_an_explicit_opt_in() -> None:
    defaults = Settings.from_env({}).actions
    assert (defaults.confirmation_mode, defaults.confirmation_fallback) == ("form", "none")
    assert (defaults.approval_wait_seconds, defaults.page_session_seconds) == (0.0, 1800)
    tuned = Settings.from_env(
        {
            "JAMF_MCP_CONFIRMATION_MODE": "URL",
            "JAMF_MCP_CONFIRMATION_FALLBACK": "token",
            "JAMF_MCP_APPROVAL_WAIT_SECONDS": "10",
            "JAMF_MCP_PAGE_SESSION_SECONDS": "600",
        }
    ).actions
    assert (tuned.confirmation_mode, tuned.confirmation_fallback) == ("url", "token")
    assert (tuned.approval_wait_seconds, tuned.page_session_seconds) == (10.0, 600)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("JAMF_MCP_CONFIRMATION_MODE", "sms"),
        ("JAMF_MCP_CONFIRMATION_FALLBACK", "yes"),
        ("JAMF_MCP_APPROVAL_WAIT_SECONDS", "600"),
        ("JAMF_MCP_PAGE_SESSION_SECONDS", "5"),
    ],
)
def test_confirmation_settings_out_of_range_are_refused_by_name(variable: str, value: str) -> None:
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: value})
