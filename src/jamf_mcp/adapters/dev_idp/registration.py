"""The front door's client registration at the development IdP, kept in the data directory."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import attrs

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
        if not path.exists():
            created = cls(DEFAULT_CLIENT_ID, secrets.token_urlsafe(32))
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                pass  # another process created it first; use theirs
            else:
                with os.fdopen(descriptor, "w") as handle:
                    json.dump(
                        {"client_id": created.client_id, "client_secret": created.client_secret},
                        handle,
                    )
                return created
        try:
            document = json.loads(path.read_text())
            return cls(str(document["client_id"]), str(document["client_secret"]))
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise ClientFileError(
                f"{path} is not a development IdP client registration ({type(error).__name__}); "
                "delete it to create a new one."
            ) from None
