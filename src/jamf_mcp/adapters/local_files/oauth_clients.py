"""An operator's pre-registered OAuth clients in the data directory, for one server process
(implements `PreRegisteredClients`; with several replicas use the Redis store).

`oauth-clients.json` (0600 in the 0700 data directory) holds every client, the secret only as its
digest. A change (`jamf-mcp clients add` / `remove`, maybe while the server runs) takes a lock
file, writes a whole new file under a temporary name and renames it into place, so a reader never
sees half a file; the server re-reads the file when its modification time or size changed, so a
client added or removed takes effect without a restart.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jamf_mcp.adapters.local_files.private_files import FILE_MODE, private_directory
from jamf_mcp.adapters.oauth_server.pre_registered import client_from_record, client_record
from jamf_mcp.adapters.oauth_server.records import RegisteredClient

if TYPE_CHECKING:
    from jamf_mcp.adapters.oauth_server.pre_registered import PreRegisteredClients

OAUTH_CLIENTS_FILE = "oauth-clients.json"
_VERSION = 1


class UnreadableClientsFile(ValueError):
    """`oauth-clients.json` is not what this program writes (the message names the file)."""


class FilePreRegisteredClients:
    """Pre-registered clients in `<data dir>/oauth-clients.json`.

    Args:
        path: the file (created on the first `add`).
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._seen: tuple[int, int] | None = None
        self._clients: dict[str, RegisteredClient] = {}

    async def client(self, client_id: str) -> RegisteredClient | None:
        """The client with this id."""
        return self._current().get(client_id)

    async def all(self) -> list[RegisteredClient]:
        """Every client, oldest first."""
        return sorted(self._current().values(), key=lambda c: (c.issued_at, c.client_id))

    async def add(self, client: RegisteredClient) -> None:
        """Keep `client` (replacing one with the same id)."""
        with self._locked():
            clients = self._read()
            clients[client.client_id] = client
            self._write(clients)

    async def remove(self, client_id: str) -> bool:
        """Forget a client; True when it was kept."""
        with self._locked():
            clients = self._read()
            if clients.pop(client_id, None) is None:
                return False
            self._write(clients)
            return True

    def _current(self) -> dict[str, RegisteredClient]:
        try:
            info = self._path.stat()
        except FileNotFoundError:
            self._seen, self._clients = None, {}
            return self._clients
        seen = (info.st_mtime_ns, info.st_size)
        if seen != self._seen:
            self._clients, self._seen = self._read(), seen
        return self._clients

    def _read(self) -> dict[str, RegisteredClient]:
        try:
            document: Any = json.loads(self._path.read_bytes())
        except FileNotFoundError:
            return {}
        except ValueError:
            raise UnreadableClientsFile(f"{self._path} is not valid JSON") from None
        records = document.get("clients") if isinstance(document, dict) else None
        if not isinstance(records, list):
            raise UnreadableClientsFile(f"{self._path} has no list of clients")
        try:
            clients = [client_from_record(record) for record in records]
        except ValueError as error:
            raise UnreadableClientsFile(f"{self._path}: {error}") from None
        return {client.client_id: client for client in clients}

    def _write(self, clients: dict[str, RegisteredClient]) -> None:
        document = {
            "version": _VERSION,
            "clients": [client_record(c) for c in sorted(clients.values(), key=_order)],
        }
        content = json.dumps(document, indent=2).encode() + b"\n"
        temporary = self._path.with_name(f".{self._path.name}.{secrets.token_hex(6)}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(descriptor, view) :]
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, self._path)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        private_directory(self._path.parent)
        lock = self._path.with_name(f".{self._path.name}.lock")
        descriptor = os.open(lock, os.O_WRONLY | os.O_CREAT, FILE_MODE)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)


def _order(client: RegisteredClient) -> tuple[int, str]:
    return (client.issued_at, client.client_id)


if TYPE_CHECKING:  # mypy proves the port is implemented; nothing happens at runtime
    _implements: type[PreRegisteredClients] = FilePreRegisteredClients
