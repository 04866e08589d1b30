"""What a Client ID Metadata Document makes of its client: ChatGPT's as published, fallbacks, and
the documents refused."""

from __future__ import annotations

from typing import Any

import pytest

from jamf_mcp.adapters.oauth_server import OAuthError
from jamf_mcp.adapters.oauth_server.client_documents import client_from_metadata_document
from tests.clients.chatgpt_site import ChatGptSite

SITE = ChatGptSite("doc")
URL = SITE.client_id


def document(**overrides: Any) -> dict[str, Any]:
    return {**SITE.document(), **overrides}


def test_chatgpts_published_document_is_a_private_key_jwt_client_with_its_key_set() -> None:
    client = client_from_metadata_document(document(), URL)
    assert client.token_endpoint_auth_method == "private_key_jwt" and client.signs_assertions
    assert client.jwks_uri == "https://chatgpt.com/oauth/jwks.json"
    assert client.signing_algorithms == ("RS256",)
    assert client.redirect_uris == ("https://chatgpt.com/connector/oauth/doc",)
    assert client.from_metadata_document and client.client_name == "ChatGPT"


def test_with_private_key_jwt_off_a_document_that_offers_none_is_a_public_client() -> None:
    client = client_from_metadata_document(document(), URL, private_key_jwt=False)
    assert client.is_public and client.jwks_uri is None


def test_grant_types_the_server_does_not_run_are_ignored() -> None:
    client = client_from_metadata_document(
        document(grant_types=["authorization_code", "refresh_token", "urn:example:device"]), URL
    )
    assert client.grant_types == ("authorization_code", "refresh_token")


def test_inline_public_keys_are_accepted_instead_of_a_jwks_uri() -> None:
    client = client_from_metadata_document(document(jwks_uri=None, jwks=SITE.jwks()), URL)
    assert client.jwks is not None and client.jwks_uri is None


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"client_id": "https://chatgpt.com/oauth/other/client.json"}, "must equal its URL"),
        ({"grant_types": ["refresh_token"]}, "authorization_code"),
        ({"response_types": ["token"]}, "code"),
        (
            {
                "token_endpoint_auth_method": "client_secret_basic",
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            },
            "none or private_key_jwt",
        ),
        ({"token_endpoint_auth_signing_alg": "HS256"}, "token_endpoint_auth_signing_alg"),
        ({"token_endpoint_auth_signing_alg": "none"}, "token_endpoint_auth_signing_alg"),
        ({"jwks": SITE.jwks()}, "not both"),
        ({"jwks_uri": None, "jwks": {"keys": [SITE.key.as_dict(private=True)]}}, "public keys"),
        ({"jwks_uri": "https://127.0.0.1"}, "jwks_uri"),
    ],
)
def test_documents_that_cannot_describe_a_client_here_are_refused(
    overrides: dict[str, Any], words: str
) -> None:
    with pytest.raises(OAuthError, match=words):
        client_from_metadata_document(document(**overrides), URL)


def test_a_document_declaring_a_secret_method_but_offering_none_is_public() -> None:
    client = client_from_metadata_document(
        document(token_endpoint_auth_method="client_secret_post"), URL
    )
    assert client.is_public
