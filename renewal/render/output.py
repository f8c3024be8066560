"""Writing a report file so that a crash leaves the previous report or none, never half of one."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType
from typing import BinaryIO


class OutputError(Exception):
    """An output file that cannot be created: the path and the system's reason."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def is_stream(target: Path) -> bool:
    """Whether `target` is written as it goes rather than replaced: a pipe, a terminal,
    `/dev/stdout`, `/dev/fd/N` (`-o >(gzip > r.gz)`), anything that is not a regular file.

    Replacing such a path would swap the device or the pipe for a file nobody reads.
    """
    if target.parts[:2] in (("/", "dev"), ("/", "proc")):
        return True
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def real_target(target: Path) -> Path:
    """Where a report is linked in: through a symbolic link to the file it names, so the
    link stays a link."""
    return Path(os.path.realpath(target)) if target.is_symlink() else target


def disks_of(reports: list[Path], temporary: bool) -> list[tuple[Path, bool]]:
    """Where a run that filled a disk was writing, one directory per file system: each
    report's, then the system's temporary directory when the run wrote there too
    (`temporary`: an Excel report's parts, a report spooled for standard output), each
    with whether it is that one. Which of them filled cannot be told afterwards: the run's
    files are gone, and their space with them."""
    places = [(real_target(path).parent.resolve(), False) for path in reports]
    if temporary:
        places.append((Path(tempfile.gettempdir()), True))
    found: dict[int, tuple[Path, bool]] = {}
    for place, is_temporary in places:
        try:
            device = os.stat(place).st_dev
        except OSError:
            continue
        found.setdefault(device, (place, is_temporary))
    return list(found.values())


@contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """A file that becomes `target` only when the block succeeds.

    On Linux it is an unnamed file (O_TMPFILE) in the target's directory: a run killed
    while writing leaves nothing behind, not even a temporary file. Once complete it is
    linked in under a temporary name and renamed over the target, so a reader sees the
    previous report or the new one, never part of one. Elsewhere, a named temporary file.
    A pipe or a device (`is_stream`) is written straight, as it cannot be replaced; a
    symbolic link has the file it points to replaced. A target that cannot be created
    raises OutputError.
    """
    if is_stream(target):
        try:
            direct = open(target, "wb")  # noqa: SIM115 - closed below, after the block
        except OSError as exc:
            raise OutputError(target, exc.strerror or str(exc)) from None
        with direct:
            yield direct
        return
    target = real_target(target)
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
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=directory
        )
    except OSError as exc:
        raise OutputError(target, exc.strerror or str(exc)) from None
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
    space is freed however the run ends); in the system's temporary directory when the
    output is a pipe or a device, or its directory takes no file."""
    directory: Path | None = None
    if near is not None and not is_stream(near):
        directory = real_target(near).parent
    try:
        scratch = tempfile.TemporaryFile(dir=directory)  # noqa: SIM115 - closed below
    except OSError:
        scratch = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        yield scratch
    finally:
        # Its content is not wanted any more: a write still in the buffer that fails now
        # (the disk is full, and the run is already ending on that) loses nothing, and
        # must not surface as "Exception ignored in: <generator object scratch_file>"
        # when a run that failed leaves this to the garbage collector.
        with suppress(OSError):
            scratch.close()


@contextmanager
def scratch_dir() -> Iterator[Path]:
    """A private directory, in the system's temporary directory, for scratch files that
    must have a name while they are used: an Excel workbook's parts, which xlsxwriter
    writes and then zips by name (renewal.render.xlsx_book).

    It is removed however the block ends: an error, Ctrl-C, and SIGTERM or SIGHUP too,
    which while the block runs unwind the run (exit status 143 or 129, as the signal's)
    instead of ending it on the spot. Only SIGKILL, or the machine stopping, inside the
    block leaves it behind.
    """
    # SIGTERM and SIGHUP unwind from before the directory exists until after it is gone: a
    # signal between the two would otherwise end the run with the directory still there
    with sigterm_unwinds():
        try:
            made = Path(tempfile.mkdtemp(prefix="renewal-"))
        except OSError as exc:
            raise OutputError(Path(tempfile.gettempdir()), exc.strerror or str(exc)) from None
        try:
            yield made
        finally:
            _remove_whole(made)


def _remove_whole(directory: Path) -> None:
    """Remove a directory with SIGTERM and SIGHUP held back until it is gone: unwinding in
    the middle of the removal would leave the rest. One that came meanwhile is acted on
    after."""
    held = signal.pthread_sigmask(signal.SIG_BLOCK, set(UNWINDING))
    try:
        shutil.rmtree(directory, ignore_errors=True)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


UNWINDING = (signal.SIGTERM, signal.SIGHUP)
"""The signals that unwind a run rather than end it on the spot: a stop asked for (kill,
systemd, timeout) and a hang-up (the terminal closed, the ssh session dropped)."""


def _unwind(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def unwind_on_sigterm() -> bool:
    """From now on SIGTERM and SIGHUP raise SystemExit (143, 129) where Python is, so that
    `finally` blocks remove what has a name, rather than ending the process on the spot.
    Only on the main thread, and only for a signal that still has its default action
    (nobody else handles it); whether any was set."""
    if threading.current_thread() is not threading.main_thread():
        return False
    found = False
    for signum in UNWINDING:
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _unwind)
            found = True
    return found


@contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """`unwind_on_sigterm` for the block only."""
    if not unwind_on_sigterm():
        yield
        return
    try:
        yield
    finally:
        for signum in UNWINDING:
            if signal.getsignal(signum) is _unwind:
                signal.signal(signum, signal.SIG_DFL)


def copy_bytes(source: BinaryIO, out: BinaryIO, start: int, length: int) -> None:
    """`length` bytes of `source` from `start` onto the end of `out`.

    Between two files of one file system the kernel copies (copy_file_range): on the
    development machine 0.8 s for the 2 GB report of a million merchants, against 4.2 s
    through Python's buffers, which stay the way when the kernel cannot (stdout, say).
    """
    out.flush()
    source.flush()
    remaining = length
    try:
        while remaining > 0:
            # the source offset is given: Python's buffer may hold the file's own offset
            offset = start + length - remaining
            copied = os.copy_file_range(source.fileno(), out.fileno(), remaining, offset)
            if copied == 0:
                break
            remaining -= copied
    except (AttributeError, OSError, ValueError):
        pass  # what the kernel copied moved `out` on: go on from there
    if remaining < length:
        out.seek(0, os.SEEK_END)  # the kernel moved the file's offset, not Python's idea of it
    if remaining <= 0:
        return
    source.seek(start + length - remaining)
    while remaining > 0:
        chunk = source.read(min(remaining, 1 << 20))
        if not chunk:
            break
        out.write(chunk)
        remaining -= len(chunk)


def write_report(target: Path | None, write: Callable[[BinaryIO], None]) -> None:
    """Give `write` the report's stream: the atomic file at `target`, or stdout."""
    if target is None:
        if sys.stdout is None:  # started with standard output closed (`>&-`)
            raise OutputError(Path("-"), os.strerror(errno.EBADF))
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        with atomic_file(target) as stream:
            write(stream)
