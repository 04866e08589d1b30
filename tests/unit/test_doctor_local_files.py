"""The doctor's view of local files: modes and ownership as the OS reports them, and whether a
signing key file can sign (private RSA JWK)."""

from __future__ import annotations

import json
from pathlib import Path

from joserfc.jwk import RSAKey

from jamf_mcp.adapters.oidc.signing import SigningKey
from jamf_mcp.adapters.oidc.signing_check import signing_key_problem
from jamf_mcp.adapters.system.local_files import LocalDataFiles, path_facts


def test_facts_of_a_private_directory_and_a_missing_path(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    facts = path_facts(data)
    assert (facts.exists, facts.writable, facts.mode, facts.owned_by_me) == (
        True,
        True,
        0o700,
        True,
    )
    assert not path_facts(tmp_path / "absent").exists


def test_a_key_the_server_created_can_sign_and_its_file_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "signing-key.json"
    SigningKey.load_or_create(path)
    files = LocalDataFiles(tmp_path / "data", path, signing_key_problem)
    facts, problem = files.signing_key()
    assert problem is None
    assert facts.mode == 0o600
    assert files.data_directory().mode == 0o700


def test_keys_that_cannot_sign_are_named(tmp_path: Path) -> None:
    public = tmp_path / "public.json"
    public.write_text(json.dumps(RSAKey.generate_key(2048).as_dict(private=False)))
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"kty": "oct", "k": "c2VjcmV0"}))
    assert (
        signing_key_problem(public) == "holds a public key only (the private key is needed to sign)"
    )
    assert signing_key_problem(garbage) == "is not JSON"
    assert signing_key_problem(wrong) == "is not an RSA JSON Web Key"
