"""Whether a signing key file can sign this server's tokens (for `jamf-mcp doctor`)."""

from __future__ import annotations

import json
from pathlib import Path

from joserfc.errors import JoseError
from joserfc.jwk import RSAKey


def signing_key_problem(path: Path) -> str | None:
    """Why the key at `path` cannot sign RS256 tokens, or None when it can.

    The file must hold one private RSA JWK (the format `SigningKey` writes, and the one the
    deployment guide generates for a shared key).
    """
    try:
        document = json.loads(path.read_text())
    except OSError as error:
        return f"cannot be read ({error.strerror or type(error).__name__})"
    except ValueError:
        return "is not JSON"
    if not isinstance(document, dict):
        return "is not a JSON Web Key"
    try:
        key = RSAKey.import_key(document)
    except (JoseError, ValueError, TypeError):
        return "is not an RSA JSON Web Key"
    if not key.is_private:
        return "holds a public key only (the private key is needed to sign)"
    return None
