"""Writing a report file so that a crash leaves the previous report or none, never half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """A temporary file beside `target`, renamed over it only when the block succeeds."""
    directory = target.parent if str(target.parent) else Path(".")
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
