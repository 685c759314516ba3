"""Files written atomically and readable by their owner only.

A report or a snapshot describes an account's weaknesses: it is created 0600. It is written to a
temporary file next to the target (created 0600 by mkstemp), flushed to disk, then renamed over the
target, so whoever reads the target (an auditor, the next run, a CI step) sees the old file or the
new one, never half of one. An interrupted write (an exception, Ctrl-C) removes its temporary file;
after SIGKILL a `.<name>.<random>.tmp` file may stay behind, but the target is never damaged.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, BinaryIO, TextIO

OWNER_ONLY = 0o600


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = "",
                 ) -> Iterator[TextIO]:
    """A text file to write `path`'s new content into; it replaces `path` when the block ends."""
    with _replacing(Path(path)) as (fd, _), os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
        yield fh
        _flush(fh)


@contextlib.contextmanager
def atomic_write_bytes(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """atomic_write for bytes (e.g. a gzip stream)."""
    with _replacing(Path(path)) as (fd, _), os.fdopen(fd, "wb") as fh:
        yield fh
        _flush(fh)


def _flush(fh: IO[Any]) -> None:
    fh.flush()
    os.fsync(fh.fileno())


@contextlib.contextmanager
def _replacing(target: Path) -> Iterator[tuple[int, str]]:
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        yield fd, tmp
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync_directory(target.parent)


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_text(path: str | os.PathLike[str], text: str) -> None:
    with atomic_write(path) as fh:
        fh.write(text)
