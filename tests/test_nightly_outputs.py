"""What a nightly job relies on in the files a run leaves: every report linked in together at
the very end, after the verdict against `--baseline` (a run killed before leaves last night's
reports, baseline and all, so the retry still pages); `/dev/shm` files are files; standard
output by any name is the inherited one, given once; the verdict that makes a quiet run exit
1 is said; a CSV cut short and an export missing many of last night's merchants are said;
and the Markdown diff is UTF-8 whatever the locale."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import CSV, EXPORT_HEADER, ROOT, renewal, renewed_row, write_csv

from renewal.render.output import Publication, atomic_file, inherited_descriptor, is_stream

RULES = ("--rules", "tmall-2022")
LAST_NIGHT = ("--as-of", "2021-12-20")
TONIGHT = ("--as-of", "2021-12-27")  # past the deadline: thousands of merchants got worse
NEEDS_PROC = pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc")


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10,000-merchant CSV export: the benchmark's, generated (seeded, 0.3 s) when the
    benchmark has not been run here."""
    made = ROOT / "bench" / "data" / "export-10k.csv"
    if made.exists():
        return made
    folder = tmp_path_factory.mktemp("bench")
    generate = [sys.executable, ROOT / "bench" / "generate.py", "--rows", "10000"]
    subprocess.run(
        [*generate, "--out", folder, "--formats", "csv"], check=True, capture_output=True
    )
    return next(folder.glob("*.csv"))


@pytest.fixture
def last_night(big: Path, tmp_path: Path) -> Path:
    """Last night's report, the baseline tonight's run reads and replaces."""
    last = tmp_path / "last.json"
    run = renewal("check", big, *RULES, *LAST_NIGHT, "-q", "--fail-on", "never", "-o", last)
    assert run.returncode == 0, run.stderr
    return last


def _start(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "renewal", *map(str, args)]
    return subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _unnamed_in(process: subprocess.Popen[bytes], directory: Path) -> list[int]:
    """The access mode (os.O_RDONLY, O_WRONLY, O_RDWR) of each file without a name in
    `directory` the process holds open: a report being written or held is write-only (its
    O_TMPFILE), a renderer's scratch file is read-write, tonight's report read back by the
    diff read-only."""
    modes = []
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{process.pid}/fd"):
            with contextlib.suppress(OSError, TypeError):
                link = os.readlink(f"/proc/{process.pid}/fd/{fd}")
                if not (link.startswith(f"{directory}/#") and link.endswith(" (deleted)")):
                    continue
                info = Path(f"/proc/{process.pid}/fdinfo/{fd}").read_text()
                flags = re.search(r"flags:\s*([0-7]+)", info)
                modes.append(int(flags[1], 8) & os.O_ACCMODE)  # type: ignore[index]
    return modes


def _holds_unnamed_under(process: subprocess.Popen[bytes], directory: Path) -> bool:
    """Whether the process holds a file without a name in `directory` or a folder of it:
    a scratch file, not the probe Python's tempfile makes of the directory (a named file,
    removed at once, which only a kill at that very instant could leave)."""
    with contextlib.suppress(OSError):
        for fd in os.listdir(f"/proc/{process.pid}/fd"):
            with contextlib.suppress(OSError):
                link = os.readlink(f"/proc/{process.pid}/fd/{fd}")
                if link.startswith(f"{directory}/") and "/#" in link:
                    return True
    return False


def _stop_when(
    process: subprocess.Popen[bytes], ready: Callable[[], bool], sig: int, timeout: float = 120
) -> int:
    """Send `sig` the moment `ready()` holds (polled every millisecond); the exit status."""
    deadline = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None:
            assert process.stderr is not None
            pytest.fail(f"the run ended before the moment to stop it: {process.stderr.read()!r}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the moment to stop the run never came")
        time.sleep(0.001)
    process.send_signal(sig)
    return process.wait(timeout=60)


# --- 1. every report linked in together, at the very end ------------------------------------


@NEEDS_PROC
def test_a_run_killed_once_its_report_is_complete_leaves_last_nights_baseline(big, last_night):
    """`--baseline last.json -o last.json`: SIGKILL once tonight's report is written whole
    (its scratch copy closed, the unnamed file held) but before the run ends. The baseline
    is still last night's, so the retry pages for tonight's news."""
    before = last_night.read_bytes()
    folder = last_night.parent
    process = _start(
        "check", big, *RULES, *TONIGHT, "-q",
        "--baseline", last_night, "--fail-on", "new", "-o", last_night,
    )  # fmt: skip

    def complete() -> bool:
        modes = _unnamed_in(process, folder)
        return os.O_WRONLY in modes and os.O_RDWR not in modes

    assert _stop_when(process, complete, signal.SIGKILL) == -signal.SIGKILL
    assert last_night.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["last.json"]
    retry = renewal(
        "check", big, *RULES, *TONIGHT, "--baseline", last_night, "--fail-on", "new",
        "-o", last_night,
    )  # fmt: skip
    assert retry.returncode == 1, retry.stderr
    assert "有变差" in retry.stderr


@NEEDS_PROC
@pytest.mark.parametrize(
    ("sig", "codes"),
    [(signal.SIGKILL, {-signal.SIGKILL}), (signal.SIGTERM, {143, -signal.SIGTERM})],
)
def test_a_run_stopped_between_two_reports_replaces_neither(big, last_night, tmp_path, sig, codes):
    """Several -o: stopped while the second report is written, the first one (the baseline)
    already complete, neither is replaced, and nothing is left beside them."""
    before = last_night.read_bytes()
    sheets = tmp_path / "sheets"
    sheets.mkdir()
    workbook = sheets / "r.xlsx"
    workbook.write_bytes(b"last night's workbook")
    process = _start(
        "check", big, *RULES, *TONIGHT, "-q", "--baseline", last_night,
        "--fail-on", "new", "-o", last_night, "-o", workbook,
    )  # fmt: skip
    # the workbook's own unnamed file is open: the JSON report before it is finished
    writing = lambda: os.O_WRONLY in _unnamed_in(process, sheets)  # noqa: E731
    assert _stop_when(process, writing, sig) in codes
    assert last_night.read_bytes() == before
    assert workbook.read_bytes() == b"last night's workbook"
    assert sorted(p.name for p in last_night.parent.iterdir()) == ["last.json", "sheets"]
    assert sorted(p.name for p in sheets.iterdir()) == ["r.xlsx"]


_SPY = """
import shutil, sys
import renewal.baseline as nightly

last, seen = sys.argv[1], sys.argv[2]
judged = nightly.against

def against(*args, **kwargs):
    shutil.copyfile(last, seen)  # the baseline's bytes while tonight is being judged
    return judged(*args, **kwargs)

nightly.against = against
sys.argv = ["renewal", *sys.argv[3:]]
from renewal.cli import main
main()
"""


def test_the_verdict_is_made_before_any_report_is_linked_in(big, last_night, tmp_path):
    """The order, step by step: while tonight is diffed against it, `last.json` is last
    night's; the verdict read tonight's report from its file before it had its name; then
    every report is linked in."""
    before = last_night.read_bytes()
    seen = tmp_path / "seen.json"
    table = tmp_path / "r.csv"
    args = ["check", str(big), *RULES, *TONIGHT, "-q", "--baseline", str(last_night)]
    args += ["--fail-on", "new", "-o", str(last_night), "-o", str(table)]
    run = subprocess.run(
        [sys.executable, "-c", _SPY, str(last_night), str(seen), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    assert seen.read_bytes() == before
    tonight = json.loads(last_night.read_text(encoding="utf-8"))
    assert tonight["as_of"].startswith("2021-12-27")
    assert "结果变差" in run.stderr and "结果变差 0 家" not in run.stderr


def test_reports_are_linked_in_only_when_published(tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.csv"
    first.write_bytes(b"old a")
    second.write_bytes(b"old b")
    with Publication() as reports:
        for path, body in ((first, b"new a"), (second, b"new b")):
            with atomic_file(path) as stream:
                stream.write(body)
        assert first.read_bytes() == b"old a" and second.read_bytes() == b"old b"
        assert reports.reading(first).read_bytes() == b"new a"  # before it has its name
        reports.publish()
    assert first.read_bytes() == b"new a" and second.read_bytes() == b"new b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.csv"]


@pytest.mark.parametrize("unnamed", [True, False], ids=["unnamed", "named-temporary"])
def test_a_publication_ended_by_an_error_replaces_nothing(tmp_path, monkeypatch, unnamed):
    """A full disk under the second report: the first, complete, is not linked in either;
    nothing is left beside them, whether the files had no name (O_TMPFILE) or a temporary
    one (where the system has no unnamed files)."""
    if not unnamed:
        monkeypatch.delattr(os, "O_TMPFILE")
    first, second = tmp_path / "a.json", tmp_path / "b.csv"
    first.write_bytes(b"old a")
    with pytest.raises(OSError, match="No space"), Publication():
        with atomic_file(first) as stream:
            stream.write(b"new a")
        with atomic_file(second) as stream:
            stream.write(b"half of b")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert first.read_bytes() == b"old a" and not second.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]


def test_a_withheld_report_is_read_and_never_named(tmp_path):
    """The diff's scratch report (no JSON output asked for) is read, and never linked in."""
    scratch = tmp_path / "scratch.jsonl"
    with Publication() as reports:
        with atomic_file(scratch) as stream:
            stream.write(b"{}\n")
        assert reports.reading(scratch).read_bytes() == b"{}\n"
        reports.publish(withheld=[scratch])
    assert list(tmp_path.iterdir()) == []


@NEEDS_PROC
def test_a_killed_run_with_a_baseline_and_no_json_leaves_nothing_in_tmpdir(
    big, last_night, tmp_path
):
    """`--baseline` without a JSON output: the diff's scratch report is an unnamed file, so
    even SIGKILL leaves no `renewal-…` directory behind."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    process = _start(
        "check", big, *RULES, *TONIGHT, "-q", "--baseline", last_night,
        "--fail-on", "new", "-o", tmp_path / "r.csv", env={"TMPDIR": str(scratch)},
    )  # fmt: skip
    assert _stop_when(process, lambda: _holds_unnamed_under(process, scratch), signal.SIGKILL) == -9
    assert list(scratch.iterdir()) == []


# --- 2. /dev/shm and /proc/self/cwd hold files ----------------------------------------------


@pytest.fixture
def shm(tmp_path: Path) -> Iterator[Path]:
    if not os.path.isdir("/dev/shm") or not os.access("/dev/shm", os.W_OK):
        pytest.skip("no writable /dev/shm")
    folder = Path("/dev/shm") / f"renewal-test-{os.getpid()}-{tmp_path.name}"
    folder.mkdir()
    try:
        yield folder
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def test_a_file_is_a_file_wherever_it_is(shm, tmp_path):
    report = shm / "r.json"
    assert not is_stream(report)  # not there yet: a file to create, not a device
    report.write_text("x")
    assert not is_stream(report)
    assert not is_stream(Path("/proc/self/cwd") / "r.json")
    assert not is_stream(Path("/dev/..") / tmp_path.relative_to("/") / "r.json")
    assert is_stream(Path("/dev/null")) and is_stream(Path("/dev/stdout"))


@pytest.mark.parametrize("which", ["export", "waivers", "rules"])
def test_an_input_under_dev_shm_is_never_written_over(shm, which):
    export = shm / "export.csv"
    export.write_bytes(CSV.read_bytes())
    waivers = shm / "waivers.csv"
    waivers.write_text("商家ID,规则,原因,审批人,工单,到期\n", encoding="utf-8")
    rules = shm / "rules.toml"
    rules.write_bytes((ROOT / "rules" / "tmall-2022.toml").read_bytes())
    target = {"export": export, "waivers": waivers, "rules": rules}[which]
    before = target.read_bytes()
    run = renewal(
        "check", export, "--rules", rules, *LAST_NIGHT, "--waivers", waivers, "-q",
        "-o", target, "-f", "csv",
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert "拒绝覆盖" in run.stderr
    assert target.read_bytes() == before


def test_an_input_named_through_proc_self_cwd_is_never_written_over(tmp_path):
    export = tmp_path / "export.csv"
    export.write_bytes(CSV.read_bytes())
    run = renewal(
        "check", "export.csv", *RULES, *LAST_NIGHT, "-q", "-f", "csv",
        "-o", "/proc/self/cwd/export.csv", cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 2 and "输出文件就是输入文件" in run.stderr
    assert export.read_bytes() == CSV.read_bytes()


def test_a_report_under_dev_shm_is_replaced_not_written_into(shm):
    """Replaced whole: a hard link to last night's report still holds last night's, which a
    file truncated and written in place would not."""
    report = shm / "r.json"
    report.write_bytes(b"last night")
    os.link(report, shm / "kept.json")
    run = renewal("check", CSV, *RULES, *LAST_NIGHT, "-q", "--fail-on", "never", "-o", report)
    assert run.returncode == 0, run.stderr
    assert (shm / "kept.json").read_bytes() == b"last night"
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["merchants"] > 10
    assert sorted(p.name for p in shm.iterdir()) == ["kept.json", "r.json"]


# --- 3. standard output by any name: the inherited descriptor, once -------------------------


def test_names_of_the_runs_own_descriptors(tmp_path):
    assert inherited_descriptor(Path("/dev/stdout")) == 1
    assert inherited_descriptor(Path("/dev/stderr")) == 2
    assert inherited_descriptor(Path("/dev/fd/1")) == 1
    assert inherited_descriptor(Path("/proc/self/fd/7")) == 7
    assert inherited_descriptor(Path(f"/proc/{os.getpid()}/fd/1")) == 1
    assert inherited_descriptor(Path("/dev/../dev/stdout")) == 1
    link = tmp_path / "out"
    link.symlink_to("/dev/stdout")
    assert inherited_descriptor(link) == 1
    assert inherited_descriptor(Path(f"/proc/{os.getppid()}/fd/1")) is None  # another's
    assert inherited_descriptor(tmp_path / "r.json") is None
    assert inherited_descriptor(Path("/dev/shm/stdout")) is None


@pytest.mark.parametrize("name", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_standard_output_by_name_appends_as_the_shell_opened_it(tmp_path, name):
    """`-o /dev/stdout >> log`: each night's report is added to the log, as `>> log` alone
    adds it, never written over what the log held."""
    log = tmp_path / "log"
    log.write_bytes(b"old log\n")
    appended = ("sh", "-c", f'exec "$@" >> "{log}"', "sh")
    for _ in range(2):
        run = renewal(
            "check", CSV, *RULES, *LAST_NIGHT, "-q", "--fail-on", "never", "-f", "json",
            "-o", name, prefix=appended,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
    body = log.read_bytes()
    assert body.startswith(b"old log\n")
    text, at, reports = body.decode("utf-8").removeprefix("old log\n"), 0, []
    while at < len(text):  # two whole reports, one after the other
        report, at = json.JSONDecoder().raw_decode(text, at)
        reports.append(report)
        at += text[at:].index("\n") + 1
    assert len(reports) == 2 and reports[0] == reports[1]


@pytest.mark.parametrize("command", ["check", "remind"])
@pytest.mark.parametrize("other", ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"])
def test_standard_output_named_twice_is_refused(command, other):
    run = renewal(command, CSV, *RULES, *LAST_NIGHT, "-o", "-", "-o", other)
    assert run.returncode == 2 and run.stdout == "", run.stderr
    assert "标准输出（-o -、/dev/stdout、/dev/fd/1）只能给一次" in run.stderr
    both = renewal("check", CSV, *RULES, *LAST_NIGHT, "-o", "/dev/stdout", "-o", "/dev/fd/1")
    assert both.returncode == 2 and "只能给一次" in both.stderr


# --- 4. --quiet keeps the verdict that makes the run exit 1 ---------------------------------


def test_a_quiet_run_says_why_it_exits_1(tmp_path):
    last = tmp_path / "last.json"
    made = renewal("check", CSV, *RULES, *LAST_NIGHT, "-q", "--fail-on", "never", "-o", last)
    assert made.returncode == 0, made.stderr
    gate = ("--baseline", last, "--fail-on", "new", "-o", tmp_path / "tonight.json", "-q")
    worse = renewal("check", CSV, *RULES, *TONIGHT, *gate)
    assert worse.returncode == 1
    assert [line for line in worse.stderr.splitlines() if "有变差：" in line], worse.stderr
    same = renewal("check", CSV, *RULES, *LAST_NIGHT, *gate)
    assert same.returncode == 0 and "变差" not in same.stderr  # nothing to explain: quiet
    # not the gate: the exit code is the backlog's, and the line stays a note
    backlog = renewal("check", CSV, *RULES, *TONIGHT, *gate[:2], "-q", "-o", tmp_path / "b.json")
    assert "变差" not in backlog.stderr


# --- 5. an export that is probably incomplete -----------------------------------------------


def _rows(count: int, start: int = 0) -> list[list[object]]:
    return [renewed_row(f"m{n:05d}") for n in range(start, start + count)]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_csv_cut_inside_its_last_row_is_noted(big, tmp_path, jobs):
    """Cut in the middle of the last row, with no line end: said on stderr and in the
    report's notes, naming the file, the row and the fields; the row is checked as read,
    exactly as the same bytes ending in a line end (which are not noted)."""
    data = big.read_bytes()
    lines = data.splitlines(keepends=True)
    last = lines[-1].rstrip(b"\r\n")
    fields = last.count(b",") + 1
    cut = b"".join(lines[:-1]) + last[: last.index(b",", last.index(b",") + 1)]  # 2 fields
    header_fields = lines[0].count(b",") + 1
    short = tmp_path / "export.csv"
    short.write_bytes(cut)
    ended = tmp_path / "ended" / "export.csv"  # the same name: the same rows' sheet
    ended.parent.mkdir()
    ended.write_bytes(cut + b"\r\n")
    options = ("-j", jobs, *RULES, *TONIGHT, "--fail-on", "never", "-f", "json")
    run = renewal("check", short, *options, "-o", tmp_path / "r.json")
    assert run.returncode == 0, run.stderr
    row = len(lines)
    said = (
        f"export.csv 的最后一行（第 {row:,} 行）没有换行结尾，只有 2 个字段，表头有 "
        f"{header_fields} 个：文件多半被截断了"
    ).replace(f"{row:,}", str(row))
    assert said in run.stderr
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    notes = [note for note in report["summary"]["notes"] if note["code"] == "note.cut_short"]
    assert notes == [
        {
            "code": "note.cut_short",
            "message": notes[0]["message"],
            "file": "export.csv",
            "row": row,
            "found": 2,
            "expected": header_fields,
        }
    ]
    assert fields == header_fields  # the uncut row was whole
    whole = renewal("check", ended, *options, "-o", tmp_path / "e.json")
    assert "截断" not in whole.stderr
    other = json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))
    assert report["merchants"][-1] == other["merchants"][-1]  # the same row, as read
    assert report["merchants"][-1]["outcome"] == "error"


def test_a_whole_last_row_without_a_line_end_is_not_noted(tmp_path):
    export = write_csv(tmp_path / "export.csv", EXPORT_HEADER, _rows(3))
    export.write_bytes(export.read_bytes().rstrip(b"\r\n"))
    run = renewal("check", export, *RULES, *LAST_NIGHT, "--fail-on", "never", "-f", "json")
    assert run.returncode == 0, run.stderr
    assert "截断" not in run.stderr
    assert json.loads(run.stdout)["summary"]["notes"] == []


@pytest.mark.parametrize(
    ("had", "tonight", "said"),
    [(100, 90, True), (100, 91, False), (20, 10, True), (9, 1, False), (11, 1, True)],
    ids=["10%-of-100", "9-of-100", "half-of-20", "8-of-9", "10-of-11"],
)
def test_many_merchants_gone_is_said_even_quiet(tmp_path, had, tonight, said):
    """At least 10% of the baseline's merchants and at least 10 of them gone: the export
    may be incomplete. Said even with -q; gone merchants still do not count as worse."""
    last = tmp_path / "last.json"
    baseline = write_csv(tmp_path / "last.csv", EXPORT_HEADER, _rows(had))
    made = renewal("check", baseline, *RULES, *LAST_NIGHT, "-q", "--fail-on", "never", "-o", last)
    assert made.returncode == 0, made.stderr
    export = write_csv(tmp_path / "export.csv", EXPORT_HEADER, _rows(tonight))
    args = ("--baseline", last, "--fail-on", "new", "-q", "-o", tmp_path / "t.json")
    run = renewal("check", export, *RULES, *LAST_NIGHT, *args)
    assert run.returncode == 0, run.stderr  # gone is not worse
    gone = had - tonight
    expected = f"基准报告的 {had:,} 家商家中有 {gone:,} 家（{gone / had:.0%}）不在本次导出中"
    assert (expected in run.stderr) is said, run.stderr
    english = renewal("check", export, *RULES, *LAST_NIGHT, *args, "--lang", "en")
    assert (f"{gone:,} of the baseline's {had:,} merchants" in english.stderr) is said


# --- 6. the Markdown diff is UTF-8 in any locale ---------------------------------------------


@pytest.mark.parametrize(
    "environment",
    [
        {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
        {"PYTHONIOENCODING": "ascii"},
    ],
    ids=["C-locale", "ascii-io"],
)
def test_the_markdown_diff_is_utf8_whatever_the_locale(tmp_path, environment):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    for out, when in ((old, LAST_NIGHT), (new, TONIGHT)):
        run = renewal("check", CSV, *RULES, *when, "-q", "--fail-on", "never", "-o", out)
        assert run.returncode == 0, run.stderr
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_CTYPE")}
    env.pop("PYTHONUTF8", None)
    env.pop("PYTHONIOENCODING", None)
    command = [sys.executable, "-m", "renewal", "diff", str(old), str(new), "--format", "markdown"]
    ran = subprocess.run(command, capture_output=True, env={**env, **environment}, check=False)
    assert ran.returncode == 1, ran.stderr
    text = ran.stdout.decode("utf-8")  # strict: every byte is UTF-8
    assert "?" * 3 not in text
    assert "结果变差" in text
