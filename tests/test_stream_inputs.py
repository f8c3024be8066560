"""Exports that are not plain files with plain names, the outputs named without an
extension, the words a damaged workbook is refused in, and the --waivers list's own
messages (ex13 §2, §5, §6, §8, §9)."""

from __future__ import annotations

import json
import os
import shlex
import struct
import sys
import threading
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import renewal

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CSV = FIXTURES / "merchants-2022.csv"
XLSX = FIXTURES / "merchants-2022.xlsx"
AS_OF = ("--as-of", "2021-12-26 17:00")


def piped(source: Path) -> tuple[str, ...]:
    """A prefix that runs renewal with `source` coming down a pipe on its standard input."""
    return ("sh", "-c", f'cat {shlex.quote(str(source))} | "$@"', "sh")


def report_of(stdout: str) -> dict[str, object]:
    document = json.loads(stdout)
    assert isinstance(document, dict)
    return document


def verdicts(document: dict[str, object]) -> list[tuple[object, object]]:
    merchants = document["merchants"]
    assert isinstance(merchants, list)
    return [(m["merchant_id"], m["outcome"]) for m in merchants]


@pytest.fixture(scope="module")
def direct() -> dict[str, dict[str, object]]:
    """The JSON report of each fixture read as a file, to hold the streamed runs to."""
    found = {}
    for source in (CSV, XLSX):
        run = renewal("check", source, *AS_OF, "-f", "json")
        assert run.returncode in (0, 1), run.stderr
        found[source.suffix] = report_of(run.stdout)
    return found


# --- §6: a pipe, a FIFO, standard input ----------------------------------------------------


@pytest.mark.parametrize("source", [CSV, XLSX], ids=["csv", "xlsx"])
@pytest.mark.parametrize("name", ["/dev/stdin", "-"])
def test_piped_export_is_read_once(
    source: Path, name: str, direct: dict[str, dict[str, object]]
) -> None:
    run = renewal("check", name, *AS_OF, "-f", "json", prefix=piped(source), timeout=60)
    assert run.returncode in (0, 1), run.stderr
    document = report_of(run.stdout)
    expected = direct[source.suffix]
    assert verdicts(document) == verdicts(expected)
    given, original = document["input"], expected["input"]
    assert isinstance(given, dict) and isinstance(original, dict)
    assert given["sha256"] == original["sha256"] and given["size"] == original["size"]
    assert given["file"] == "stdin"  # named as the user named it, not as the copy is


def test_fifo_is_read_once(tmp_path: Path, direct: dict[str, dict[str, object]]) -> None:
    fifo = tmp_path / "export.csv"
    os.mkfifo(fifo)

    def feed() -> None:
        with fifo.open("wb") as stream:  # blocks until renewal opens the FIFO
            stream.write(CSV.read_bytes())

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    run = renewal("check", fifo, *AS_OF, "-f", "json", timeout=60)
    writer.join(5)
    assert run.returncode in (0, 1), run.stderr
    document = report_of(run.stdout)
    assert verdicts(document) == verdicts(direct[".csv"])
    given = document["input"]
    assert isinstance(given, dict) and given["file"] == "export.csv"


def test_piped_problem_names_the_given_path() -> None:
    """A message about a piped export names what the user gave, not the spooled copy."""
    run = renewal("check", "/dev/stdin", *AS_OF, prefix=("sh", "-c", 'echo a,b | "$@"', "sh"))
    assert run.returncode == 2
    assert run.stderr.startswith("renewal: /dev/stdin：")
    assert "/proc/" not in run.stderr and "Traceback" not in run.stderr


def test_device_is_refused_at_once() -> None:
    run = renewal("check", "/dev/zero", *AS_OF, timeout=30)
    assert run.returncode == 2
    assert "/dev/zero：不是文件" in run.stderr


def test_endless_pipe_is_cut_at_the_limit() -> None:
    endless = ("sh", "-c", 'yes 商家ID,合同签署时间 | "$@"', "sh")
    run = renewal("check", "-", *AS_OF, "--max-inflated-mb", "1", prefix=endless, timeout=60)
    assert run.returncode == 2
    assert "超过 1 MB" in run.stderr and "--max-inflated-mb" in run.stderr


def test_temporary_space_running_out_is_said(tmp_path: Path) -> None:
    """The copy cannot be written (here: a file size limit, as a full disk refuses it)."""
    limited = ("prlimit", f"--fsize={CSV.stat().st_size // 2}", "sh", "-c")
    script = f'cat {shlex.quote(str(CSV))} | TMPDIR={shlex.quote(str(tmp_path))} "$@"'
    run = renewal(
        "check", "-", *AS_OF, "-f", "json", "-o", "/dev/null", prefix=(*limited, script, "sh")
    )
    assert run.returncode == 2, run.stderr
    assert f"无法暂存到临时目录 {tmp_path}" in run.stderr
    assert "Traceback" not in run.stderr


# --- §2: a file name that is not UTF-8 -----------------------------------------------------


@pytest.mark.parametrize("source", [CSV, XLSX], ids=["csv", "xlsx"])
@pytest.mark.parametrize("stem", ["商家导出".encode("gbk"), b"\xff\xfe-latin1"], ids=["gbk", "ff"])
@pytest.mark.parametrize("output", ["r.jsonl", "r.xlsx", "r.html", "r.txt"])
def test_name_not_utf8(tmp_path: Path, source: Path, stem: bytes, output: str) -> None:
    named = tmp_path / os.fsdecode(stem + source.suffix.encode())
    named.write_bytes(source.read_bytes())
    report = tmp_path / output
    run = renewal("check", named, *AS_OF, "-q", "-o", report, "-o", tmp_path / "h.json")
    assert run.returncode in (0, 1), run.stderr
    assert report.stat().st_size > 0
    document = json.loads((tmp_path / "h.json").read_text(encoding="utf-8"))
    shown = stem.decode("utf-8", "replace") + source.suffix
    assert "\ufffd" in shown
    assert document["input"]["file"] == shown
    if source is CSV:  # a CSV's one sheet is named after the file
        assert {merchant["sheet"] for merchant in document["merchants"]} == {shown}


# --- §5: outputs without an extension ------------------------------------------------------


@pytest.mark.parametrize("target", ["/dev/stdout", "/dev/null", "report"])
def test_output_without_extension_is_the_table(tmp_path: Path, target: str) -> None:
    table = renewal("check", XLSX, *AS_OF, "-o", tmp_path / "table.txt", "-q")
    run = renewal("check", XLSX, *AS_OF, "-o", target, "-q", cwd=tmp_path)
    assert run.returncode == table.returncode, run.stderr
    written = (tmp_path / "table.txt").read_text(encoding="utf-8")
    if target == "/dev/stdout":
        assert run.stdout == written
    elif target == "report":
        assert (tmp_path / "report").read_text(encoding="utf-8") == written


_ON_A_TERMINAL = """
import os, pty, subprocess, sys
master, slave = pty.openpty()
child = subprocess.Popen(sys.argv[1:], stdout=slave)
os.close(slave)
out = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
code = child.wait()
sys.stdout.write("BINARY" if b"PK" in out else "TEXT")
sys.exit(code)
"""


def test_workbook_not_written_to_a_terminal(tmp_path: Path) -> None:
    on_terminal = (sys.executable, "-c", _ON_A_TERMINAL)
    args = ("check", XLSX, *AS_OF, "-f", "xlsx", "-o", "/dev/stdout")
    run = renewal(*args, prefix=on_terminal)
    assert run.returncode == 2 and run.stdout == "TEXT"
    assert "/dev/stdout 是终端" in run.stderr
    into_file = renewal(*args, prefix=("sh", "-c", f'"$@" > {tmp_path}/r.xlsx', "sh"))
    assert into_file.returncode in (0, 1), into_file.stderr
    assert zipfile.is_zipfile(tmp_path / "r.xlsx")  # not a terminal: written


# --- §8: a damaged workbook, said in the run's language ------------------------------------


def _rewritten(source: Path, target: Path, member: str, change: object) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(data) if info.filename == member else data)  # type: ignore[operator]
    return target


def _member_data(data: bytearray, member: str) -> tuple[int, int]:
    """Where a member's compressed bytes are: (offset, length), from its local header."""
    at = 0
    while (at := data.find(b"PK\x03\x04", at)) >= 0:
        (size,) = struct.unpack_from("<I", data, at + 18)
        name_length, extra_length = struct.unpack_from("<HH", data, at + 26)
        if data[at + 30 : at + 30 + name_length] == member.encode():
            return at + 30 + name_length + extra_length, size
        at += 4
    raise AssertionError(f"no {member}")


def _corrupt_deflate(tmp_path: Path) -> Path:
    data = bytearray(XLSX.read_bytes())
    start, length = _member_data(data, "xl/worksheets/sheet1.xml")
    data[start + length // 3 : start + length // 3 + 64] = b"\xff" * 64
    target = tmp_path / "deflate.xlsx"
    target.write_bytes(bytes(data))
    return target


def _lying_size(tmp_path: Path) -> Path:
    """The sheet's declared inflated size, in both directories, far below its real one."""
    data = bytearray(XLSX.read_bytes())
    member = b"xl/worksheets/sheet1.xml"
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = 0
        while (at := data.find(signature, at)) >= 0:
            if data[at + name_at : at + name_at + len(member)] == member:
                struct.pack_into("<I", data, at + size_at, 1000)
            at += 4
    target = tmp_path / "lying.xlsx"
    target.write_bytes(bytes(data))
    return target


def _missing_shared_string(tmp_path: Path) -> Path:
    """A workbook whose cells point past the end of its shared strings table."""
    import xlsxwriter

    whole = tmp_path / "whole.xlsx"
    book = xlsxwriter.Workbook(str(whole))
    sheet = book.add_worksheet("商家")
    for row, texts in enumerate([["商家ID", "合同签署时间"], ["m1", "甲"], ["m2", "乙"]]):
        for column, text in enumerate(texts):
            sheet.write_string(row, column, text)
    book.close()

    def cut(xml: bytes) -> bytes:
        return xml[: xml.index(b"<si>")] + xml[xml.rindex(b"</si>") + 5 :]

    return _rewritten(whole, tmp_path / "sst.xlsx", "xl/sharedStrings.xml", cut)


@pytest.mark.parametrize("damage", [_corrupt_deflate, _lying_size, _missing_shared_string])
def test_damaged_workbook_said_in_the_runs_language(tmp_path: Path, damage: object) -> None:
    broken = damage(tmp_path)  # type: ignore[operator]
    chinese = renewal("check", broken, *AS_OF)
    english = renewal("check", broken, *AS_OF, "--lang", "en")
    assert chinese.returncode == english.returncode == 2, chinese.stderr
    assert "文件已损坏：" in chinese.stderr, chinese.stderr
    # no English words in the Chinese reason (Excel and the .xlsx it saves aside)
    said = chinese.stderr.split("（", 1)[1].replace("Excel", "").replace(".xlsx", "")
    assert not any(word.isascii() and word.isalpha() and len(word) > 2 for word in _words(said)), (
        said
    )
    assert "the file is damaged:" in english.stderr, english.stderr


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"[A-Za-z]+", text)


def test_unknown_reason_quoted_after_damage() -> None:
    from renewal.intake.tables import IntakeError, calamine_reason

    reason = calamine_reason(Exception("Something rare happened"))
    said = IntakeError("intake.not_workbook", path=Path("x.xlsx"), reason=reason).message("zh")
    assert (
        said == "x.xlsx：不是可读取的工作簿（文件已损坏；读取库的说明：“Something rare happened”）"
    )
    system = calamine_reason(Exception("I/O error: Permission denied (os error 13)"))
    said = IntakeError("intake.not_workbook", path=Path("x.xlsx"), reason=system).message("zh")
    assert "没有权限" in said and "os error" not in said


# --- §9: the --waivers list's own messages -------------------------------------------------


def test_waivers_directory_named_as_the_waiver_list(tmp_path: Path) -> None:
    run = renewal("check", CSV, *AS_OF, "--waivers", tmp_path)
    assert run.returncode == 2
    assert "--waivers" in run.stderr and "不是豁免清单" in run.stderr
    assert "导出文件" not in run.stderr


@pytest.mark.parametrize("command", ["check", "remind"])
def test_missing_waivers_names_the_option(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "np.json"
    run = renewal(command, CSV, *AS_OF, "--waivers", missing, "--lang", "en")
    assert run.returncode == 2
    assert f"waiver list (--waivers) error: {missing}: no such file" in run.stderr


def test_piped_large_export_is_split_between_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """How many processes check an export is decided on the bytes read: a pipe's spooled
    copy, whose size the path the user gave (a FIFO, standard input) does not tell."""
    from renewal import pipeline
    from renewal.ruleset import load
    from tests.conftest import AFTER_DEADLINE, Collect, run_file

    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", CSV.stat().st_size)
    monkeypatch.setattr(pipeline.os, "cpu_count", lambda: 2)
    split: list[object] = []
    real = pipeline._parallel

    def counted(*args: Any) -> set[str]:
        split.append(args[3])  # the number of worker processes
        return real(*args)

    monkeypatch.setattr(pipeline, "_parallel", counted)
    fifo = tmp_path / CSV.name
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(CSV.read_bytes()), daemon=True)
    writer.start()
    streamed = Collect()
    pipeline.check_file(fifo, load("tmall-2022"), AFTER_DEADLINE, "zh", [streamed])
    writer.join(5)
    assert split == [2]
    assert streamed.results == run_file(CSV, AFTER_DEADLINE).results
