"""The front door's client registration at the development IdP, kept in the data directory."""

from __future__ import annotations

import json
import secrets
from pathlib import Path

import attrs

from jamf_mcp.adapters.local_files import create_or_load

DEFAULT_CLIENT_ID = "jamf-mcp"


class ClientFileError(ValueError):
    """The client registration file exists but cannot be read; the message names the file."""


@attrs.frozen
class ClientRegistration:
    """A confidential client: its id and secret."""

    client_id: str
    client_secret: str = attrs.field(repr=False)

    @classmethod
    def load_or_create(cls, path: Path) -> ClientRegistration:
        """Read `path`, or create it (mode 0600, parent 0700) with a fresh random secret.

        Raises:
            ClientFileError: the file exists but is not a registration.
        """

        def make() -> bytes:
            secret = secrets.token_urlsafe(32)
            return json.dumps({"client_id": DEFAULT_CLIENT_ID, "client_secret": secret}).encode()

        def parse(raw: bytes) -> ClientRegistration:
            try:
                document = json.loads(raw)
                return cls(str(document["client_id"]), str(document["client_secret"]))
            except (KeyError, TypeError, RecursionError) as error:
                raise ValueError(type(error).__name__) from None

        try:  # replicas starting together all read the one file written first
            return create_or_load(path, make, parse)
        except (OSError, ValueError) as error:
            raise ClientFileError(
                f"{path} is not a development IdP client registration ({type(error).__name__}); "
                "delete it to create a new one."
            ) from None
