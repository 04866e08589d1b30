"""`jamf-mcp clients add|list|remove` over the data directory, and the settings for ChatGPT's ways
of connecting: private_key_jwt, the refresh reuse interval, per-client token limits and a client
given by configuration."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest

from jamf_mcp.adapters.oauth_server.handles import digest
from jamf_mcp.cli import main
from jamf_mcp.settings import Settings, SettingsError

SECRET = "s" * 32


@pytest.fixture(autouse=True)
def no_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("JAMF_", "REDIS_URL", "OIDC_")):
            monkeypatch.delenv(name)


def test_clients_add_prints_the_form_once_and_keeps_only_the_secrets_digest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    assert main(["clients", "add", "--name", "ChatGPT", "--data-dir", data]) == 0
    out = capsys.readouterr().out
    client_id = re.search(r"OAuth client ID\s+(\S+)", out)
    secret = re.search(r"OAuth client secret\s+(\S+)", out)
    assert client_id and secret
    assert "https://chatgpt.com/connector_platform_oauth_redirect" in out
    assert "openid profile email read:jamf write:jamf" in out
    stored = (tmp_path / "data" / "oauth-clients.json").read_text()
    assert secret.group(1) not in stored and digest(secret.group(1)) in stored
    mode = stat.S_IMODE((tmp_path / "data" / "oauth-clients.json").stat().st_mode)
    assert mode == 0o600

    assert main(["clients", "list", "--data-dir", data]) == 0
    listed = capsys.readouterr().out
    assert client_id.group(1) in listed and "ChatGPT" in listed
    assert secret.group(1) not in listed

    assert main(["clients", "remove", client_id.group(1), "--data-dir", data]) == 0
    assert "Removed" in capsys.readouterr().out
    assert main(["clients", "remove", client_id.group(1), "--data-dir", data]) == 1
    assert "no pre-registered client" in capsys.readouterr().err


@pytest.mark.parametrize(
    "uri", ["http://chatgpt.com/cb", "https://chatgpt.com/cb#frag", "chatgpt.com/cb"]
)
def test_clients_add_refuses_a_redirect_uri_that_could_not_be_registered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], uri: str
) -> None:
    code = main(
        ["clients", "add", "--name", "X", "--redirect-uri", uri, "--data-dir", str(tmp_path)]
    )
    assert code == 2
    assert "redirect URI" in capsys.readouterr().err
    assert not (tmp_path / "oauth-clients.json").exists()


def test_chatgpt_settings_have_safe_defaults() -> None:
    auth = Settings.from_env({}).auth
    assert auth.private_key_jwt is True
    assert auth.refresh_reuse_seconds == 10.0
    assert (auth.token_rate_limit_per_minute, auth.token_address_ceiling_per_minute) == (1200, 6000)
    assert auth.oauth_client_id is None


def test_a_client_given_by_configuration_needs_a_long_secret_and_valid_redirects() -> None:
    auth = Settings.from_env(
        {"JAMF_MCP_OAUTH_CLIENT_ID": "chatgpt-prod", "JAMF_MCP_OAUTH_CLIENT_SECRET": SECRET}
    ).auth
    assert auth.oauth_client_redirect_uris == (
        "https://chatgpt.com/connector_platform_oauth_redirect",
    )
    assert SECRET not in repr(
        Settings.from_env({"JAMF_MCP_OAUTH_CLIENT_SECRET": SECRET, "JAMF_MCP_OAUTH_CLIENT_ID": "x"})
    )
    with pytest.raises(SettingsError, match="at least 32"):
        Settings.from_env(
            {"JAMF_MCP_OAUTH_CLIENT_ID": "x", "JAMF_MCP_OAUTH_CLIENT_SECRET": "short"}
        )
    with pytest.raises(SettingsError, match="both"):
        Settings.from_env({"JAMF_MCP_OAUTH_CLIENT_ID": "x"})
    with pytest.raises(SettingsError, match="redirect"):
        Settings.from_env(
            {
                "JAMF_MCP_OAUTH_CLIENT_ID": "x",
                "JAMF_MCP_OAUTH_CLIENT_SECRET": SECRET,
                "JAMF_MCP_OAUTH_CLIENT_REDIRECT_URIS": "http://example.com/cb",
            }
        )


@pytest.mark.parametrize("value", ["-1", "61", "ten"])
def test_the_refresh_reuse_interval_is_zero_to_sixty_seconds(value: str) -> None:
    with pytest.raises(SettingsError, match="JAMF_MCP_REFRESH_REUSE_SECONDS"):
        Settings.from_env({"JAMF_MCP_REFRESH_REUSE_SECONDS": value})


def test_private_key_jwt_can_be_turned_off() -> None:
    assert Settings.from_env({"JAMF_MCP_CIMD_PRIVATE_KEY_JWT": "0"}).auth.private_key_jwt is False
