"""Writing outputs safely: never over a file the run reads, no scratch file outliving the run
(xlsxwriter's included), one line and exit 2 on a full disk, a closed standard output or an
unreadable input, and never a file whose extension names one format holding another."""

from __future__ import annotations

import contextlib
import errno
import gc
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from conftest import CSV, EXPORT_HEADER, XLSX, renewal, renewed_row

from renewal.render import output

ROOT = Path(__file__).resolve().parent.parent
RULES = ("--rules", "tmall-2022")
AS_OF = ("--as-of", "2021-12-20")
CHECK = ("check", XLSX, *RULES, *AS_OF, "-q")
WAIVERS = "商家ID,规则,原因,审批人,工单,到期\n1000000000001,DP01,资金周转,张三,T-1,2021-12-31\n"


def one_line_error(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


# --- never over a file the run reads ----------------------------------------------------


def _waivers(tmp_path: Path) -> Path:
    path = tmp_path / "w.csv"
    path.write_text(WAIVERS, encoding="utf-8")
    return path


def _spellings(tmp_path: Path, real: Path) -> dict[str, Path]:
    """`real` as itself, through ./, a symbolic link and a hard link."""
    link = tmp_path / f"link-{real.name}"
    link.symlink_to(real)
    hard = tmp_path / f"hard-{real.name}"
    os.link(real, hard)
    return {"same": real, "dot": tmp_path / "." / real.name, "symlink": link, "hardlink": hard}


@pytest.mark.parametrize("spelling", ["same", "dot", "symlink", "hardlink"])
@pytest.mark.parametrize("command", ["check", "remind"])
def test_an_output_over_the_waivers_is_refused(tmp_path, command, spelling):
    waivers = _waivers(tmp_path)
    out = _spellings(tmp_path, waivers)[spelling]
    run = renewal(command, XLSX, *RULES, *AS_OF, "--waivers", waivers, "-o", out, "--lang", "en")
    line = one_line_error(run)
    assert "--waivers" in line and out.name in line and "refusing" in line
    assert waivers.read_text(encoding="utf-8") == WAIVERS


@pytest.mark.parametrize("command", ["check", "remind"])
def test_an_output_over_the_rule_file_is_refused(tmp_path, command):
    rules = tmp_path / "my.toml"
    shutil.copy(ROOT / "rules" / "tmall-2022.toml", rules)
    before = rules.read_bytes()
    fmt = "json" if command == "check" else "csv"
    for out in (rules, tmp_path / "." / "my.toml"):
        run = renewal(command, XLSX, "--rules", rules, *AS_OF, "-f", fmt, "-o", out)
        line = one_line_error(run)
        assert "--rules" in line and "my.toml" in line and "拒绝覆盖" in line
    # the second of several outputs too: nothing is written, not even the first
    first = tmp_path / "r.json"
    run = renewal("check", XLSX, "--rules", rules, *AS_OF, "-o", first, "-o", rules, "-f", "json")
    assert "--rules" in one_line_error(run)
    assert rules.read_bytes() == before and not first.exists()


def test_a_template_over_its_rule_file_is_refused(tmp_path):
    # a rule file may have any name: `--rules` reads a path that exists, whatever its suffix
    rules = tmp_path / "rules.xlsx"
    shutil.copy(ROOT / "rules" / "tmall-2022.toml", rules)
    before = rules.read_bytes()
    line = one_line_error(renewal("template", rules, "--rules", rules, "--force"))
    assert "--rules" in line and "rules.xlsx" in line
    assert rules.read_bytes() == before


def test_the_rolling_baseline_is_read_whole_then_replaced(tmp_path):
    """`--baseline last.json -o last.json`: the documented nightly pattern keeps working."""
    last = tmp_path / "last.json"
    first = renewal(*CHECK, "-o", last, "--fail-on", "never")
    assert first.returncode == 0, first.stderr
    night1 = json.loads(last.read_text(encoding="utf-8"))
    run = renewal(
        "check", XLSX, *RULES, "--as-of", "2021-12-27", "--baseline", last, "-o", last,
        "--fail-on", "new",
    )  # fmt: skip
    assert run.returncode in (0, 1), run.stderr
    assert "变差" in run.stderr  # the diff against last night was made
    night2 = json.loads(last.read_text(encoding="utf-8"))
    assert night1["as_of"].startswith("2021-12-20") and night2["as_of"].startswith("2021-12-27")
    assert night2["summary"]["merchants"] == night1["summary"]["merchants"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last.json"]


# --- the format: the extension, or --format when it names none ----------------------------


@pytest.mark.parametrize(
    ("name", "fmt"), [("r.json", "csv"), ("r.csv", "json"), ("r.txt", "json"), ("r.xlsx", "html")]
)
def test_an_extension_naming_another_format_than_format_is_refused(tmp_path, name, fmt):
    out = tmp_path / name
    line = one_line_error(renewal(*CHECK, "-o", out, "-f", fmt, "--lang", "en"))
    assert name in line and f"--format says {fmt}" in line
    assert not out.exists()


def test_several_outputs_each_agree_with_format_or_are_refused(tmp_path):
    both = (tmp_path / "r.json", tmp_path / "r.xlsx")
    line = one_line_error(renewal(*CHECK, "-o", both[0], "-o", both[1], "-f", "json"))
    assert "r.xlsx" in line and "--format json" in line
    assert list(tmp_path.iterdir()) == []
    # standard output and an extension naming no format take --format's
    bare = tmp_path / "report"
    run = renewal(*CHECK, "-o", "-", "-o", bare, "-o", both[0], "-f", "json", "--fail-on", "never")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == json.loads(bare.read_text()) == json.loads(both[0].read_text())


def test_beside_standard_output_format_is_standard_outputs_alone(tmp_path):
    """`-f json -o - -o r.xlsx`: JSON on standard output for the job, a workbook for ops;
    the extension decides the file's format, --format the stream's."""
    book = tmp_path / "r.xlsx"
    run = renewal(*CHECK, "-o", "-", "-o", book, "-f", "json", "--fail-on", "never")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["schema"] == "renewal-report/1"
    assert zipfile.is_zipfile(book)


def test_remind_refuses_an_extension_against_format(tmp_path):
    out = tmp_path / "reminders.csv"
    line = one_line_error(renewal("remind", XLSX, *RULES, *AS_OF, "-o", out, "-f", "xlsx"))
    assert "reminders.csv" in line and "--format xlsx" in line
    assert not out.exists()
    named_none = tmp_path / "reminders.dat"
    run = renewal("remind", XLSX, *RULES, *AS_OF, "-o", named_none, "-f", "csv")
    assert run.returncode == 0, run.stderr
    assert named_none.read_text(encoding="utf-8-sig").startswith("商家ID")


# --- a closed standard output --------------------------------------------------------------

CLOSED = ("sh", "-c", 'exec "$@" >&-', "sh")
"""Runs what follows with standard output closed, as `renewal … >&-` does."""


@pytest.mark.parametrize(
    "args",
    [
        (*CHECK, "-f", "json"),
        (*CHECK, "-o", "-", "-f", "jsonl"),
        ("remind", XLSX, *RULES, *AS_OF),
        ("years",),
        ("explain", "DP01"),
        ("self-check", XLSX, "--all", *RULES, *AS_OF),
    ],
)
def test_a_closed_standard_output_is_one_line_and_exit_2(args):
    line = one_line_error(renewal(*args, "--lang", "en", prefix=CLOSED))
    assert line == "renewal: cannot write standard output: it is closed"


def test_a_closed_standard_output_does_not_matter_to_a_file(tmp_path):
    out = tmp_path / "r.json"
    run = renewal(*CHECK, "-o", out, "--fail-on", "never", prefix=CLOSED)
    assert run.returncode == 0, run.stderr
    assert json.loads(out.read_text())["summary"]["merchants"] > 10


# --- an input that cannot be read ----------------------------------------------------------


def _as_a_user() -> tuple[str, ...]:
    """A prefix under which a mode-000 file cannot be read: none for a user; for root, a
    user namespace as uid 1000 (root's own files stay readable, by owner; mode 000 not)."""
    if os.geteuid() != 0:
        return ()
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("running as root without unshare")
    probe = subprocess.run(
        [unshare, "--user", "--map-user=1000", "cat", "/proc/self/status"],
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip("running as root, and no user namespace to drop it in")
    return (unshare, "--user", "--map-user=1000")


@pytest.mark.parametrize("which", ["export", "waivers", "baseline", "diff"])
def test_an_unreadable_input_is_renewals_own_line(tmp_path, which):
    prefix = _as_a_user()
    export = tmp_path / "export.xlsx"
    shutil.copy(XLSX, export)
    report = tmp_path / "r.json"
    assert renewal(*CHECK, "-o", report, "--fail-on", "never").returncode == 0
    locked = {"export": export, "waivers": _waivers(tmp_path), "baseline": report, "diff": report}
    args = {
        "export": ("check", export, *RULES, *AS_OF),
        "waivers": ("check", export, *RULES, *AS_OF, "--waivers", locked["waivers"]),
        "baseline": ("check", export, *RULES, *AS_OF, "--baseline", report),
        "diff": ("diff", report, XLSX),
    }[which]
    locked[which].chmod(0)
    try:
        for lang, said in (("zh", "无法读取"), ("en", "cannot")):
            line = one_line_error(renewal(*args, "--lang", lang, prefix=prefix))
            assert locked[which].name in line and said in line
            assert "Invalid value" not in line and "is not readable" not in line
    finally:
        locked[which].chmod(0o644)


def test_the_systems_reason_is_said_in_the_users_language(tmp_path):
    """No such file or directory, Permission denied: the system's English, said in words
    (the same for --lang en), not passed through into a Chinese line."""
    # /proc takes no new file: creating one there fails with ENOENT (its mode, which would
    # refuse a user up front, does not stop root, whom these tests run as)
    nowhere = Path("/proc/renewal-no-such.json")
    for lang, said in (
        ("zh", "：无法写入（没有这个文件或目录）"),
        ("en", "(no such file or directory)"),
    ):
        line = one_line_error(renewal(*CHECK, "-o", nowhere, "--lang", lang))
        assert said in line and "No such file" not in line, line
    prefix = _as_a_user()
    export = tmp_path / "export.xlsx"
    shutil.copy(XLSX, export)
    export.chmod(0)
    try:
        for lang, said in (("zh", "：无法读取（没有权限）"), ("en", "(permission denied)")):
            line = one_line_error(renewal("check", export, *RULES, "--lang", lang, prefix=prefix))
            assert said in line and "Permission denied" not in line, line
    finally:
        export.chmod(0o644)


@pytest.mark.parametrize(
    "name", ["ENOENT", "EACCES", "EPERM", "ENOSPC", "EDQUOT", "EROFS", "EISDIR", "ENOTDIR"]
)
def test_each_common_refusal_of_the_system_has_words_in_both_languages(name):
    from renewal.i18n import os_reason

    code = getattr(errno, name)
    chinese = os_reason(os.strerror(code), "zh")
    assert chinese != os.strerror(code) and not any(c.isascii() and c.isalpha() for c in chinese)
    english = os_reason(OSError(code, os.strerror(code)), "en")
    assert english and english != os.strerror(code) and english.islower()
    assert os_reason("Too many levels of symbolic links", "zh") == (
        "Too many levels of symbolic links"  # a rare one: as the system says it
    )


# --- scratch files: none outlives the run --------------------------------------------------

ROWS = 20_000


@pytest.fixture(scope="module")
def large_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "export.csv"
    rows = [",".join(EXPORT_HEADER)]
    rows += [",".join(map(str, renewed_row(f"m{i}"))) for i in range(ROWS)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _start(export: Path, out: Path, scratch: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "renewal", "check", str(export), *RULES, *AS_OF]
    command += ["-o", str(out), "--fail-on", "never", "-q", "-j", "1"]
    env = {**os.environ, "TMPDIR": str(scratch)}
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _open_in(process: subprocess.Popen[bytes], directory: Path) -> bool:
    """Whether the process holds a file of `directory` open (xlsxwriter's row data)."""
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{process.pid}/fd"):
            with contextlib.suppress(OSError):
                if os.readlink(f"/proc/{process.pid}/fd/{fd}").startswith(f"{directory}/"):
                    return True
    return False


def _wait_for(process: subprocess.Popen[bytes], ready, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None:
            pytest.fail(f"the run ended before the moment to stop it: {process.stderr.read()!r}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the moment to stop the run never came")
        time.sleep(0.005)


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    path = tmp_path / "tmp"
    path.mkdir()
    return path


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")
@pytest.mark.parametrize(
    ("sig", "code"),
    [
        (signal.SIGKILL, {-signal.SIGKILL}),
        (signal.SIGTERM, {-signal.SIGTERM, 143}),
        (signal.SIGINT, {130}),
    ],
)
def test_a_run_stopped_while_the_workbook_fills_leaves_no_scratch(
    large_csv, tmp_path, scratch, sig, code
):
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"previous")
    process = _start(large_csv, out, scratch)
    _wait_for(process, lambda: _open_in(process, scratch))  # the rows are going in
    time.sleep(0.2)
    process.send_signal(sig)
    assert process.wait(timeout=60) in code  # SIGTERM: 143 in a shell, by the signal or not
    assert list(scratch.iterdir()) == []  # not even a file with a name, by SIGKILL
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx", "tmp"]


@pytest.mark.parametrize(
    ("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)]
)
def test_a_run_stopped_while_the_workbook_is_zipped_leaves_no_scratch(
    large_csv, tmp_path, scratch, sig, code
):
    """The parts xlsxwriter zips at the end must have names: they go in a directory of
    their own, removed however the run ends but by SIGKILL (a hang-up too: the terminal
    closed, the ssh session dropped)."""
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"previous")
    process = _start(large_csv, out, scratch)
    # the parts' own directory: not a sheet's row file, which is in TMPDIR for a moment
    # before it is unlinked, while the rows go in (no unwinding then: the test above)
    _wait_for(process, lambda: any(p.name.startswith("renewal-") for p in scratch.iterdir()))
    process.send_signal(sig)
    assert process.wait(timeout=60) == code
    assert process.stderr is not None
    assert b"Traceback" not in process.stderr.read()
    assert list(scratch.iterdir()) == []
    assert out.read_bytes() == b"previous"


def test_a_whole_run_leaves_no_scratch_and_the_workbook_whole(large_csv, tmp_path, scratch):
    out = tmp_path / "r.xlsx"
    process = _start(large_csv, out, scratch)
    assert process.wait(timeout=120) == 0
    assert list(scratch.iterdir()) == []
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.worksheets[0].max_row == ROWS + 1


def test_the_workbook_has_no_named_scratch_until_it_closes(tmp_path, monkeypatch):
    from renewal.render.xlsx_book import Workbook

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    stream = io.BytesIO()
    book = Workbook(stream, {})
    sheet = book.add_worksheet("rows")
    for row in range(2000):
        sheet.write_string(row, 0, f"merchant {row}")
        sheet.write_number(row, 1, row)
    assert list(tmp_path.iterdir()) == []  # the rows are in a file with no name
    book.close()
    assert list(tmp_path.iterdir()) == []
    read = openpyxl.load_workbook(io.BytesIO(stream.getvalue()), read_only=True)
    rows = list(read.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2000 and rows[1999] == ("merchant 1999", 1999)


class _FullDisk(io.RawIOBase):
    """An output that takes the first `room` bytes, then fails as a full disk does."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.at = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.at

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self.at = offset if whence == os.SEEK_SET else self.at + offset
        return self.at

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.at + len(data) > self.room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.at += len(data)
        return len(data)


def test_a_full_disk_at_close_is_an_oserror_and_leaves_no_scratch(tmp_path, monkeypatch):
    from renewal.render.xlsx_book import Workbook

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    book = Workbook(_FullDisk(4096), {})
    sheet = book.add_worksheet()
    for row in range(2000):
        sheet.write_string(row, 0, f"merchant {row}")
    with pytest.raises(OSError) as raised:
        book.close()
    assert raised.value.errno == errno.ENOSPC  # not xlsxwriter's FileCreateError: exit 2
    assert list(tmp_path.iterdir()) == []
    del book, sheet, raised
    gc.collect()  # the zip file xlsxwriter left open closes into nothing
    assert unraisable == []


# --- a full disk: one line, no traceback ---------------------------------------------------


def test_a_scratch_file_that_cannot_flush_is_dropped_silently(monkeypatch):
    """A run that failed leaves its renderers' scratch files to the collector: a write
    still buffered that fails then (the disk is full) is nothing to report."""
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    scratch = output.scratch_file(None)
    stream = scratch.__enter__()
    stream.write(b"x" * 100)  # in the buffer
    full = os.open("/dev/full", os.O_WRONLY)
    os.dup2(full, stream.fileno())  # the file's disk is now full
    os.close(full)
    del scratch, stream
    gc.collect()
    assert unraisable == []


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB file system (tmpfs), where root may mount one."""
    where = tmp_path / "tiny"
    where.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small file system")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "none", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr!r}")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10,000-merchant CSV export, larger than the tiny disk's reports: the benchmark's,
    generated (seeded, 0.3 s) when the benchmark has not been run here."""
    made = ROOT / "bench" / "data" / "export-10k.csv"
    if made.exists():
        return made
    folder = tmp_path_factory.mktemp("bench")
    generate = [sys.executable, ROOT / "bench" / "generate.py", "--rows", "10000"]
    subprocess.run([*generate, "--out", folder, "--formats", "csv"], check=True, capture_output=True)
    return next(folder.glob("*.csv"))


@pytest.mark.parametrize("suffix", ["json", "jsonl", "html", "xml", "csv", "xlsx"])
def test_a_full_output_disk_is_one_line(tiny_disk, big, suffix):
    out = tiny_disk / f"r.{suffix}"
    out.write_bytes(b"previous")
    line = one_line_error(renewal("check", big, *RULES, *AS_OF, "-o", out, "-q"))
    # the disk is named by its report's folder (an Excel report's parts go to the temporary
    # directory, which is named after it)
    assert line.startswith(f"renewal: {tiny_disk} ") and "所在的磁盘空间不足" in line
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tiny_disk.iterdir()] == [f"r.{suffix}"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "txt"])
def test_a_full_disk_under_reminders_names_it_as_check_does(tiny_disk, big, suffix):
    """`remind` writes its files as `check` does, and a full disk is said the same way,
    naming the disk of the file it was writing."""
    free = os.statvfs(tiny_disk)
    (tiny_disk / "filler").write_bytes(b"x" * (free.f_bavail * free.f_frsize - 64 * 1024))
    out = tiny_disk / f"r.{suffix}"
    out.write_bytes(b"previous")
    line = one_line_error(renewal("remind", big, *RULES, *AS_OF, "--within", "30d", "-o", out))
    assert line.startswith(f"renewal: {tiny_disk} ") and "所在的磁盘空间不足" in line
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", f"r.{suffix}"]


def test_a_full_temporary_disk_under_a_workbook_is_one_line_and_left_clean(
    tiny_disk, big, tmp_path
):
    out = tmp_path / "r.xlsx"
    run = renewal("check", big, *RULES, *AS_OF, "-o", out, prefix=("env", f"TMPDIR={tiny_disk}"))
    # which of the two disks filled cannot be told once the run's files are gone: both named
    assert f"{tmp_path} 或 临时目录 {tiny_disk} 所在的磁盘空间不足" in one_line_error(run)
    assert list(tiny_disk.iterdir()) == [] and not out.exists()


def test_a_full_disk_names_each_disk_written_once_in_the_runs_language(tmp_path):
    from renewal.cli.common import disk_full
    from renewal.render import Format

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    same_disk = [(Format.JSON, a / "r.json"), (Format.CSV, b / "r.csv")]
    assert disk_full(same_disk, False, "en") == (
        f"no space left on the disk of {a}: the report was not finished and any earlier one"
        " is unchanged"
    )
    stdout = [(Format.JSON, a / "r.json"), (Format.TABLE, None)]
    said = disk_full(stdout, False, "zh")
    temporary = Path(tempfile.gettempdir())
    if os.stat(temporary).st_dev != os.stat(a).st_dev:
        assert said.startswith(f"标准输出 或 {a} 或 临时目录 {temporary} 所在的磁盘空间不足")
    else:
        assert said.startswith(f"标准输出 或 {a} 所在的磁盘空间不足")
    assert said.endswith("之前的报告保持原样")  # the report file's
    # standard output alone (`-f json > /dev/full`): no earlier report to keep
    only = disk_full([(Format.JSON, None)], False, "zh")
    assert only.startswith("标准输出 或 临时目录") and only.endswith("报告没有写完")


def test_a_full_device_as_standard_output_is_said_as_such():
    run = renewal(
        "check",
        CSV,
        *RULES,
        *AS_OF,
        "-f",
        "json",
        "-q",
        prefix=("sh", "-c", 'exec "$@" > /dev/full', "sh"),
    )
    assert run.returncode == 2
    assert one_line_error(run).startswith("renewal: 标准输出 或 临时目录")


def test_a_file_size_limit_is_said_as_the_machines_limit_not_a_bug(tmp_path):
    """EFBIG (ulimit -f, a file system's largest file) is the machine's limit: exit 2 with
    one line, the previous report kept, as for a full disk; not exit 3, 'a bug'."""
    from conftest import renewal

    export = tmp_path / "big.csv"
    rows = [",".join(["商家ID", "合同签署时间"])] + [f"m{n},2020-01-01 10:00" for n in range(8000)]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    out.write_bytes(b"previous")
    limited = ("sh", "-c", 'ulimit -f 1000; exec "$@"', "sh")  # 1000 blocks: 512 KB
    args = ("check", export, *RULES, *AS_OF, "--fail-on", "never", "-q", "-o", out)
    ran = renewal(*args, prefix=limited)
    assert ran.returncode == 2, ran.stderr
    assert "写入失败，报告没有写完，之前的报告保持原样（文件超过了允许的大小" in ran.stderr
    assert "内部错误" not in ran.stderr
    assert out.read_bytes() == b"previous"
