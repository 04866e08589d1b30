"""PostgreSQL for the tests: a fresh database on the machine's server, or a private server.

The machine's PostgreSQL (127.0.0.1:5432, trust auth, user postgres) is shared with other
engineers' tests: tests only ever create and drop their own databases there. Tests that stop a
database start their own private server (`initdb` + `pg_ctl` into a temporary directory, on a
free port) and stop only that one. Nothing here skips: without PostgreSQL the tests fail,
saying how to start it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import attrs
import psycopg
import pytest

SERVER_URL = os.environ.get("JAMF_MCP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432")
START_POSTGRES = "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start"


def _admin_url(server: str) -> str:
    return f"{server}/postgres"


def require_server(server: str = SERVER_URL) -> None:
    """Fail the test (never skip) when the PostgreSQL server cannot be reached."""
    try:
        with psycopg.connect(_admin_url(server), connect_timeout=5) as connection:
            connection.execute("SELECT 1")
    except psycopg.OperationalError as error:
        pytest.fail(
            f"The PostgreSQL-backed tests need a PostgreSQL at {server} and cannot reach it "
            f"({str(error).strip().splitlines()[0]}). Start it with `{START_POSTGRES}` "
            "(.ci/run does), or point JAMF_MCP_TEST_POSTGRES_URL at one (trust auth, a role "
            "that may create databases).",
            pytrace=False,
        )


@contextmanager
def fresh_database(server: str = SERVER_URL) -> Iterator[str]:
    """A new, empty database on `server` for the duration; its URL. Dropped afterwards."""
    require_server(server)
    name = f"jamf_mcp_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(_admin_url(server), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(_admin_url(server), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _pg_bin(tool: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"))
    if not found:
        pytest.fail(f"{tool} is not installed (Debian's postgresql package provides it)")
    return found[-1]


@attrs.define
class PrivateServer:
    """A PostgreSQL server of the test's own, in a temporary directory, on a free port."""

    directory: Path
    port: int

    @property
    def url(self) -> str:
        """The server's URL (user postgres, trust auth), without a database."""
        return f"postgresql://postgres@127.0.0.1:{self.port}"

    def _ctl(self, *args: str) -> None:
        command = [_pg_bin("pg_ctl"), "-D", str(self.directory / "data"), "-w", *args]
        subprocess.run(command, check=True, capture_output=True, **_as_postgres())

    def start(self) -> None:
        """Start (or restart) the server and wait until it accepts connections."""
        self._ctl("-l", str(self.directory / "server.log"), "-o",
                  f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1", "start")  # fmt: skip

    def stop(self, mode: str = "immediate") -> None:
        """Stop it (`immediate`: like a crash; nothing waits for clients)."""
        self._ctl("-m", mode, "stop")


def _as_postgres() -> dict[str, object]:
    """initdb and postgres refuse to run as root: run them as the postgres user when we are."""
    if os.geteuid() != 0:
        return {}
    import pwd

    user = pwd.getpwnam("postgres")

    def demote() -> None:
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)

    return {"preexec_fn": demote}


@contextmanager
def private_server() -> Iterator[PrivateServer]:
    """A new PostgreSQL server for this test only; stopped and removed afterwards.

    Its directory is a new one under the system temporary directory (pytest's own are private
    to root, and the server runs as the postgres user).
    """
    directory = Path(tempfile.mkdtemp(prefix="jamf-mcp-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    subprocess.run(
        [_pg_bin("initdb"), "-D", str(directory / "data"), "-U", "postgres",
         "--auth=trust", "--no-sync", "-E", "UTF8"],
        check=True, capture_output=True, **_as_postgres(),
    )  # fmt: skip
    server = PrivateServer(directory, _free_port())
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # the test stopped it
            server.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)
