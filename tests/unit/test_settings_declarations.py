"""Settings declared once: the generated reference is current, and every variable reads alike."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from jamf_mcp.settings import Settings, SettingsError, SimulatorSettings
from jamf_mcp.settings.declarations import walk
from jamf_mcp.settings.reference import StaleReference, render

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
BOOLEANS = [d.env for a, d in walk(Settings) if a.type in (bool, "bool")]


def test_the_configuration_reference_is_generated_from_the_declarations() -> None:
    current = DOCUMENT.read_text(encoding="utf-8")
    assert render(current) == current, "run: python scripts/settings_reference.py"


def test_the_reference_refuses_a_table_for_a_section_nothing_is_declared_in() -> None:
    current = DOCUMENT.read_text(encoding="utf-8")
    with pytest.raises(StaleReference, match="nowhere"):
        render(current + "\n<!-- settings: nowhere -->\n<!-- /settings -->\n")
    with pytest.raises(StaleReference, match="no table"):
        render(current.replace("<!-- settings: simulator -->", "<!-- simulator -->"))


def test_every_variable_is_declared_once_and_listed_in_the_reference() -> None:
    names = [declaration.env for _, declaration in walk(Settings)]
    assert len(names) == len(set(names))
    document = DOCUMENT.read_text(encoding="utf-8")
    assert all(f"`{name}` |" in document for name in names)


def test_every_switch_reads_the_same_words() -> None:
    assert set(BOOLEANS) >= {"JAMF_MCP_PROXY_HEADERS", "JAMF_MCP_METRICS_ENABLED"}
    for variable in BOOLEANS:
        for word, meaning in [("1", True), ("Yes", True), (" on ", True), ("0", False)]:
            for word_case in (word, word.upper()):
                settings = Settings.from_env({variable: word_case, "REDIS_URL": "redis://r:6379"})
                assert variable in _switches_set_to(settings, meaning)


@pytest.mark.parametrize("variable", BOOLEANS)
def test_a_switch_given_anything_else_is_refused_naming_the_variable_and_value(
    variable: str,
) -> None:
    with pytest.raises(SettingsError, match=rf"{variable} must be one of .*got 'maybe'"):
        Settings.from_env({variable: "maybe"})


def test_errors_name_the_bad_value_but_never_a_secret() -> None:
    with pytest.raises(
        SettingsError, match=r"JAMF_MCP_MAX_SESSIONS must be greater than 0, got -3"
    ):
        Settings.from_env({"JAMF_MCP_MAX_SESSIONS": "-3"})
    with pytest.raises(SettingsError, match=r"JAMF_TIMEOUT_SECONDS must be a number, got 'soon'"):
        Settings.from_env({"JAMF_TIMEOUT_SECONDS": "soon"})
    for variable, secret in [
        ("JAMF_MCP_DIGEST_KEY", "hunter2-is-not-32-bytes"),
        ("JAMF_MCP_AUDIT_URL", "mysql://auditor:hunter2@db/audit"),
    ]:
        with pytest.raises(SettingsError, match=variable) as refused:
            Settings.from_env({variable: secret})
        assert "hunter2" not in str(refused.value)


def test_a_blank_variable_keeps_the_default_unless_blank_means_something() -> None:
    settings = Settings.from_env({"JAMF_MCP_HOST": "", "JAMF_MCP_PORT": " ", "OIDC_SCOPES": ""})
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.auth.oidc_extra_scopes == ""
    assert Settings.from_env({"JAMF_MCP_DEV_USERS": ""}).auth.dev_users == ()


def test_checks_hold_for_settings_built_in_code_too() -> None:
    with pytest.raises(SettingsError, match="JAMF_MCP_SIMULATOR_CHECK_IN_MINUTES must be 5 to 60"):
        SimulatorSettings(check_in_frequency_minutes=2)
    with pytest.raises(SettingsError, match="JAMF_MCP_MAX_STREAMS"):
        attrs.evolve(Settings(), max_streams=0)
    with pytest.raises(
        SettingsError, match="JAMF_MCP_REFRESH_REUSE_SECONDS must be 0 to 60, got 90"
    ):
        attrs.evolve(Settings().auth, refresh_reuse_seconds=90.0)


def test_flags_win_and_an_unknown_flag_is_a_programming_error() -> None:
    settings = Settings.from_env(
        {"JAMF_MCP_AUTH": "dev", "JAMF_MCP_PUBLIC_URL": "https://a.example/"},
        auth="none",
        public_url="https://mcp.example.com/",
        host=None,
    )
    assert (settings.auth.mode, settings.public_url) == ("none", "https://mcp.example.com")
    assert settings.host == "127.0.0.1"
    with pytest.raises(TypeError, match="auth_mode"):
        Settings.from_env({}, auth_mode="none")


def test_the_sign_in_mode_follows_the_identity_provider_unless_given() -> None:
    oidc = {"OIDC_ISSUER": "https://idp.example/", "OIDC_CLIENT_ID": "jamf-mcp"}
    assert Settings.from_env(oidc).auth.mode == "oidc"
    assert Settings.from_env({**oidc, "JAMF_MCP_AUTH": "DEV"}).auth.mode == "dev"
    with pytest.raises(SettingsError, match="JAMF_MCP_AUTH must be one of dev, oidc, none"):
        Settings.from_env({"JAMF_MCP_AUTH": "saml"})


def _switches_set_to(settings: Settings, meaning: bool) -> set[str]:
    """The variables of the switches whose value is `meaning` in `settings`."""
    groups = [settings, settings.auth, settings.jamf, settings.actions, settings.audit]
    return {
        declaration.env
        for attribute, declaration in walk(Settings)
        for holder in groups
        if attribute in attrs.fields(type(holder)) and getattr(holder, attribute.name) is meaning
    }
