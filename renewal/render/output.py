"""Writing a report file so that a crash leaves the previous report or none, never half of one."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import ExitStack, contextmanager, suppress
from contextvars import ContextVar, Token
from dataclasses import dataclass
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
    """Whether `target` is written as it goes rather than replaced: one of the run's own
    descriptors by name (`inherited_descriptor`: `/dev/stdout`, `/dev/fd/N`, as in
    `-o >(gzip > r.gz)`), or a path that is there and is neither a regular file nor a
    directory (a pipe, a terminal, `/dev/null`).

    Replacing such a path would swap the device or the pipe for a file nobody reads. What
    the path is decides, not where it is: `/dev/shm` holds regular files, and one there
    is replaced, and refused over an input, as anywhere else.
    """
    if inherited_descriptor(target) is not None:
        return True
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


_INHERITED = re.compile(
    r"/dev/(?:fd/(?P<fd>\d+)|(?P<std>stdin|stdout|stderr))"
    r"|/proc/(?P<pid>self|thread-self|\d+)/fd/(?P<proc_fd>\d+)"
)
_STANDARD = {"stdin": 0, "stdout": 1, "stderr": 2}
_LINK_HOPS = 40
"""As many symbolic links as Linux follows in one path."""


def inherited_descriptor(target: Path) -> int | None:
    """The descriptor of its own that `target` names, if it does: `/dev/stdout`,
    `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`, spelled with `..` or reached through
    symbolic links of the user's too.

    Such a report is written through that descriptor (a copy of it), never by opening
    the name again: opening `/proc/self/fd/1` opens the file behind it afresh, with
    truncation, so `-o /dev/stdout >> nightly.log` would empty the log that `>> nightly.log`
    alone appends to; and the file behind it, were it replaced, would not be the job's
    standard output any more.
    """
    try:
        name = os.path.abspath(target)
    except OSError:  # relative, in a working directory since removed: check_output says so
        return None
    for _ in range(_LINK_HOPS):
        found = _INHERITED.fullmatch(name)
        if found is not None:
            pid = found["pid"]
            if pid is not None and pid not in ("self", "thread-self") and int(pid) != os.getpid():
                return None  # another process's descriptor: a path like any other
            if found["std"] is not None:
                return _STANDARD[found["std"]]
            return int(found["fd"] or found["proc_fd"])
        try:
            link = os.readlink(name)
        except OSError:  # not a symbolic link (or not there): a path like any other
            return None
        name = os.path.normpath(os.path.join(os.path.dirname(name), link))
    return None


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
    A pipe or a device (`is_stream`) is written straight, as it cannot be replaced, and one
    of the run's own descriptors named (`/dev/stdout`) through that descriptor; a symbolic
    link has the file it points to replaced. A target that cannot be created raises
    OutputError.

    Inside a `Publication` the finished file is not linked in here but handed to it, to be
    linked in with the run's other reports once the run has done everything else.
    """
    if is_stream(target):
        with _stream_to(target) as direct:
            yield direct
        return
    given, target = target, real_target(target)
    directory = target.parent if str(target.parent) else Path(".")
    stream: BinaryIO | None = None
    temporary: Path | None = None
    if os.path.isdir("/proc/self/fd"):  # needed to give the unnamed file a name at the end
        try:
            stream = os.fdopen(os.open(directory, os.O_TMPFILE | os.O_WRONLY, 0o644), "wb")
        except (AttributeError, OSError):
            stream = None
    if stream is None:
        try:
            handle, name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".part", dir=directory
            )
        except OSError as exc:
            raise OutputError(target, exc.strerror or str(exc)) from None
        stream, temporary = os.fdopen(handle, "wb"), Path(name)
    finished = _Finished(given, target, stream, temporary)
    try:
        yield stream
        stream.flush()
        os.fsync(stream.fileno())
    except BaseException:
        finished.drop()
        raise
    publication = _PUBLICATION.get()
    if publication is not None:
        publication.held.append(finished)
        return
    alone = Publication()
    alone.held.append(finished)
    try:
        alone.publish()
    finally:
        alone.close()


@contextmanager
def _stream_to(target: Path) -> Iterator[BinaryIO]:
    """`target` written straight: a copy of the run's own descriptor it names (standard
    output goes on where the job's shell left it: appended to with `>>`), else the path
    opened, as a pipe or a device is."""
    descriptor = inherited_descriptor(target)
    try:
        if descriptor is not None:
            direct = os.fdopen(os.dup(descriptor), "wb")  # noqa: SIM115 - closed below
        else:
            direct = open(target, "wb")  # noqa: SIM115 - closed below, after the block
    except OSError as exc:
        raise OutputError(target, exc.strerror or str(exc)) from None
    with direct:
        yield direct


@dataclass(slots=True)
class _Finished:
    """A complete report file not yet under its name."""

    given: Path
    """The path it was asked for by: what `Publication.reading` is asked with."""
    target: Path
    """Where it goes: through a symbolic link, the file the link points to."""
    stream: BinaryIO
    """Kept open until it is linked in: an unnamed file lasts only as long as this does."""
    temporary: Path | None
    """Its name beside the target, if it has one yet: from the start where no unnamed file
    could be made, else given in the first half of `Publication.publish`."""

    def drop(self) -> None:
        """Let it go: an unnamed file is freed by its closing, a named one removed. Its
        content is not wanted: a write still in the buffer that fails (a full disk, the
        error already on its way) loses nothing."""
        with suppress(OSError):
            self.stream.close()
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)
            self.temporary = None

    def name_beside(self) -> Path:
        """A name in the target's directory for the unnamed file, to rename over it."""
        directory = self.target.parent if str(self.target.parent) else Path(".")
        temporary = directory / f".{self.target.name}.{os.getpid()}.part"
        # With a dir fd, os.link uses linkat(AT_SYMLINK_FOLLOW), which links the file the
        # /proc entry points to; plain link() would try to link the /proc entry itself.
        folder = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.link(f"/proc/self/fd/{self.stream.fileno()}", temporary.name, dst_dir_fd=folder)
        finally:
            os.close(folder)
        return temporary


_PUBLICATION: ContextVar[Publication | None] = ContextVar("publication", default=None)


class Publication:
    """A run's report files, each complete but left unnamed (or under a temporary name)
    until `publish` links them all in, one after another, in a short last step.

    A nightly job writes several reports in one run and diffs tonight's against the one
    it replaces (`--baseline last.json -o last.json`). Linked in as each was finished, a
    run killed before it ended (a CI timeout, the OOM killer, a reboot) would leave a set
    of reports from two nights, and the baseline rolled while the exit code that pages was
    not known yet: the retry would compare tonight with tonight and exit 0. Held to the
    end, a run killed at any point before the last step leaves every earlier report as it
    was, so the retry compares with last night; and a full disk under any of them replaces
    none. In the last step SIGTERM and SIGHUP wait until every report is in.

    While it is open (`with Publication() as reports`), `atomic_file` hands it each
    finished file rather than linking it in, and SIGTERM and SIGHUP unwind the run, so a
    named temporary file (where no unnamed one can be made) is removed too. Closed, it
    drops whatever it was not asked to publish.
    """

    def __init__(self) -> None:
        self.held: list[_Finished] = []
        self._entered: list[Token[Publication | None]] = []
        self._signals = ExitStack()

    def __enter__(self) -> Publication:
        self._signals.enter_context(sigterm_unwinds())
        self._entered.append(_PUBLICATION.set(self))
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            _PUBLICATION.reset(self._entered.pop())
            self.close()
        finally:
            self._signals.close()

    def reading(self, given: Path) -> Path:
        """A name tonight's report asked for as `given` can be read by before it is
        published: the unnamed file through this process's descriptor of it, or its
        temporary name."""
        for finished in self.held:
            if finished.given == given:
                if finished.temporary is not None:
                    return finished.temporary
                return Path(f"/proc/self/fd/{finished.stream.fileno()}")
        raise KeyError(given)

    def publish(self, withheld: Collection[Path] = ()) -> None:
        """Link every finished report in but the `withheld` ones (a scratch report the run
        only reads): first each gets a name beside its target, so that a link that cannot
        be made replaces nothing, then each is renamed over its target. SIGTERM and SIGHUP
        are held back meanwhile, so that they cannot leave the set half replaced; one that
        came is acted on after."""
        chosen = [finished for finished in self.held if finished.given not in withheld]
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, set(UNWINDING))
        try:
            for finished in chosen:
                if finished.temporary is None:
                    finished.temporary = finished.name_beside()
            for finished in chosen:
                assert finished.temporary is not None
                os.replace(finished.temporary, finished.target)
                finished.temporary = None  # it is the target now: nothing to remove
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def close(self) -> None:
        """Drop every report not published: the earlier ones stay as they were."""
        while self.held:
            self.held.pop().drop()


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
        # held back while the directory is made, until the block that removes it is entered:
        # one that came in between would unwind with the directory there and nobody to
        # remove it (a test that stops the run as soon as the directory appears, on a busy
        # machine, found the gap)
        held = signal.pthread_sigmask(signal.SIG_BLOCK, set(UNWINDING))
        try:
            made = Path(tempfile.mkdtemp(prefix="renewal-"))
        except OSError as exc:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
            raise OutputError(Path(tempfile.gettempdir()), exc.strerror or str(exc)) from None
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)  # one held back unwinds here
            yield made
        finally:
            try:
                _remove_whole(made)
            except BaseException:
                # a signal before _remove_whole held them back: remove it, then unwind on
                shutil.rmtree(made, ignore_errors=True)
                raise


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
