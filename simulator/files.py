"""Reading a file the user named, defensively: only a regular file, never more than a limit.

A named pipe would block ``open()`` forever, ``/dev/zero`` (or a journal symlinked to it)
would be read until memory runs out, and a folder cannot be read at all: each is refused
with a plain reason before anything is read. The file is opened without blocking and
checked again on the open descriptor (``fstat``), so a file swapped for a pipe between the
check and the open is refused too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class FileRefused(OSError):
    """A file that is not read: ``reason`` says why in plain words (no file name)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "this is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "this is a named pipe, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "this is a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "this is a socket, not a regular file"
    return "this is not a regular file"


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):,.0f} MiB"
    return f"{size:,} bytes"


def read_limited(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises ``FileRefused`` (a folder, a pipe, a device, too large) or the ``OSError`` of the
    system (``FileNotFoundError``, ``PermissionError``). Symlinks are followed: a link to a
    regular file is read, a link to ``/dev/zero`` is refused.
    """
    file = Path(path)
    info = file.stat()
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(_kind(info.st_mode))
    if info.st_size > limit:
        raise FileRefused(f"the file is too large ({_size_text(info.st_size)}; at most {_size_text(limit)})")
    fd = os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(_kind(info.st_mode))
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        raise FileRefused(f"the file is too large (more than {_size_text(limit)})")
    return data
