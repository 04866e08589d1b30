"""`LocalDataFiles`: the data directory and the signing key as this process sees them."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from jamf_mcp.application.ports.doctor import PathFacts


def path_facts(path: Path) -> PathFacts:
    """Ownership, mode and writability of `path` (nothing is created or changed)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return PathFacts(str(path), exists=False)
    return PathFacts(
        str(path),
        exists=True,
        writable=os.access(path, os.W_OK | (os.X_OK if path.is_dir() else 0)),
        mode=stat.S_IMODE(info.st_mode),
        owned_by_me=info.st_uid == os.geteuid(),
    )


class LocalDataFiles:
    """Implements `LocalFiles`.

    Args:
        data_dir: The server's data directory.
        signing_key: The signing key's file (`<data dir>/signing-key.json`).
        key_problem: Why a key file cannot be used (None: it can), from the OIDC adapter.
    """

    def __init__(
        self, data_dir: Path, signing_key: Path, key_problem: Callable[[Path], str | None]
    ) -> None:
        self._data_dir = data_dir
        self._signing_key = signing_key
        self._key_problem = key_problem

    def data_directory(self) -> PathFacts:
        """Facts about the data directory."""
        return path_facts(self._data_dir)

    def signing_key(self) -> tuple[PathFacts, str | None]:
        """Facts about the signing key, and why it cannot be used."""
        facts = path_facts(self._signing_key)
        return facts, self._key_problem(self._signing_key) if facts.exists else None


if TYPE_CHECKING:
    from jamf_mcp.application.ports.doctor import LocalFiles

    _implements: type[LocalFiles] = LocalDataFiles
