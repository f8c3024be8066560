"""Writing a report file so that a crash leaves the previous report or none, never half of one."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """A file that becomes `target` only when the block succeeds.

    On Linux it is an unnamed file (O_TMPFILE) in the target's directory: a run killed
    while writing leaves nothing behind, not even a temporary file. Once complete it is
    linked in under a temporary name and renamed over the target, so a reader sees the
    previous report or the new one, never part of one. Elsewhere, a named temporary file.
    """
    directory = target.parent if str(target.parent) else Path(".")
    handle = -1
    if os.path.isdir("/proc/self/fd"):  # needed to give the unnamed file a name at the end
        try:
            handle = os.open(directory, os.O_TMPFILE | os.O_WRONLY, 0o644)
        except (AttributeError, OSError):
            handle = -1
    if handle < 0:
        with _named_temporary(target, directory) as stream:
            yield stream
        return
    with os.fdopen(handle, "wb") as stream:
        yield stream
        stream.flush()
        os.fsync(stream.fileno())
        temporary = directory / f".{target.name}.{os.getpid()}.part"
        # With a dir fd, os.link uses linkat(AT_SYMLINK_FOLLOW), which links the file the
        # /proc entry points to; plain link() would try to link the /proc entry itself.
        folder = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.link(f"/proc/self/fd/{stream.fileno()}", temporary.name, dst_dir_fd=folder)
        finally:
            os.close(folder)
    try:
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def _named_temporary(target: Path, directory: Path) -> Iterator[BinaryIO]:
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def scratch_file(near: Path | None) -> Iterator[BinaryIO]:
    """An anonymous temporary file, beside the output when there is one (same disk, and the
    space is freed however the run ends)."""
    directory = near.parent if near is not None and str(near.parent) else None
    with tempfile.TemporaryFile(dir=directory) as stream:
        yield stream


def write_report(target: Path | None, write: Callable[[BinaryIO], None]) -> None:
    """Give `write` the report's stream: the atomic file at `target`, or stdout."""
    if target is None:
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        with atomic_file(target) as stream:
            write(stream)
