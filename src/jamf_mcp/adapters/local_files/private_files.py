"""Private files in the data directory: created 0600 in a 0700 directory, atomically, race-free.

Keys (the signing key, the digest key, the development IdP's client) are created on first start.
Two replicas started at the same moment on a shared data directory must end up with the same key,
and neither may read a half-written file. So a new file is written in full under a temporary
name and then hard-linked to its real name: the link either appears whole or fails because the
other process linked first, and then its file is read. Where a file system has no hard links, the
file is created exclusively and a reader that finds it incomplete reads it again shortly after.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import stat
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_log = logging.getLogger(__name__)

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
_READ_ATTEMPTS = 40
_READ_PAUSE_SECONDS = 0.05
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS}
)


def private_directory(path: Path) -> Path:
    """Create `path` (and parents) with mode 0700; tighten an existing one this user owns.

    A directory someone else owns (a mounted volume) is left as it is, with a warning when
    others can read it.
    """
    path.mkdir(parents=True, exist_ok=True, mode=DIRECTORY_MODE)
    info = path.stat()
    if info.st_mode & 0o077:
        if info.st_uid == os.geteuid():
            with contextlib.suppress(OSError):
                os.chmod(path, DIRECTORY_MODE)
                return path
        _log.warning(
            "The data directory can be read by other users; restrict it to this one",
            extra={"fields": {"path": str(path), "mode": oct(stat.S_IMODE(info.st_mode))}},
        )
    return path


def private_file(path: Path) -> Path:
    """Make sure `path` exists with mode 0600 (created empty if missing; tightened if wider)."""
    private_directory(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(descriptor).st_mode) & 0o077:
            os.fchmod(descriptor, FILE_MODE)
    finally:
        os.close(descriptor)
    return path


def _write_new(path: Path, content: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view) :]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _publish(path: Path, content: bytes) -> bool:
    """Put `content` at `path` unless a file is there already; True when ours was published."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    _write_new(temporary, content)
    try:
        os.link(temporary, path)
        return True
    except FileExistsError:
        return False
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    try:  # no hard links here: create it exclusively (readers retry an incomplete file)
        _write_new(path, content)
        return True
    except FileExistsError:
        return False


def _read(path: Path, parse: Callable[[bytes], T]) -> T:
    """Parse the file, reading it again while it looks incomplete (another process writing)."""
    for attempt in range(_READ_ATTEMPTS):
        raw = path.read_bytes()
        try:
            return parse(raw)
        except ValueError:
            if attempt == _READ_ATTEMPTS - 1:
                raise
            time.sleep(_READ_PAUSE_SECONDS)
    raise AssertionError("unreachable")


def create_or_load(path: Path, make: Callable[[], bytes], parse: Callable[[bytes], T]) -> T:
    """The value stored at `path`, creating the file from `make()` if it does not exist yet.

    Safe when several processes call it at once on the same path: all of them get the value of
    the one file that was published first.

    Raises:
        ValueError: the file exists but `parse` refuses its content.
        OSError: the file or its directory cannot be created or read.
    """
    if not path.exists():
        private_directory(path.parent)
        content = make()
        if _publish(path, content):
            return parse(content)
    return _read(path, parse)
