"""Where a report may go besides a new file: standard output (`-o -`, `-o /dev/stdout`), a
named pipe, a symbolic link, a directory that takes no file."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import orjson
import pytest
from conftest import XLSX, renewal

from renewal.cli.common import UsageProblem, check_output
from renewal.render import output
from renewal.render.output import OutputError, atomic_file, is_stream

CHECK = ("check", XLSX, "--rules", "tmall-2022", "--as-of", "2021-12-20", "-q")
CHECK += ("--fail-on", "never")


def test_dash_is_standard_output_in_the_formats_format(tmp_path: Path) -> None:
    run = renewal(*CHECK, "-o", "-", "--format", "jsonl", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    lines = [orjson.loads(line) for line in run.stdout.splitlines()]
    assert len(lines) > 10 and all("merchant_id" in line for line in lines)
    assert list(tmp_path.iterdir()) == []  # no file called "-"


def test_dash_beside_a_file_writes_both(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    run = renewal(*CHECK, "-o", "-", "-o", report, "--format", "json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["summary"] == json.loads(report.read_text())["summary"]


def test_two_dashes_or_an_xlsx_on_standard_output_are_refused(tmp_path: Path) -> None:
    twice = renewal(*CHECK, "-o", "-", "-o", "-", cwd=tmp_path)
    assert twice.returncode == 2 and "-o -" in twice.stderr
    xlsx = renewal(*CHECK, "-o", "-", "--format", "xlsx", "--lang", "en", cwd=tmp_path)
    assert xlsx.returncode == 2 and "needs a file" in xlsx.stderr


def test_dev_stdout_is_written_into_not_replaced(tmp_path: Path) -> None:
    run = renewal(*CHECK, "-o", "/dev/stdout", "--format", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["summary"]["merchants"] > 10
    assert os.path.islink("/dev/stdout") or not Path("/dev/stdout").is_file()


def test_a_named_pipe_is_written_into(tmp_path: Path) -> None:
    pipe = tmp_path / "report.jsonl"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    run = renewal(*CHECK, "-o", pipe)
    reader.join(timeout=60)
    assert run.returncode == 0, run.stderr
    assert received and received[0].count(b"\n") > 10
    assert is_stream(pipe)  # still a pipe, not a file put in its place


def test_a_symbolic_link_keeps_pointing_at_the_report(tmp_path: Path) -> None:
    real = tmp_path / "reports" / "tonight.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    run = renewal(*CHECK, "-o", link)
    assert run.returncode == 0, run.stderr
    assert link.is_symlink() and link.resolve() == real
    assert json.loads(real.read_text())["summary"]["merchants"] > 10
    assert sorted(p.name for p in real.parent.iterdir()) == ["tonight.json"]


def test_a_directory_without_write_permission_is_refused_up_front(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != tmp_path)
    with pytest.raises(UsageProblem, match="没有写入权限"):
        check_output(tmp_path / "r.json", XLSX, "zh")
    with pytest.raises(UsageProblem, match="no permission"):
        check_output(tmp_path / "r.json", XLSX, "en")


def test_a_file_that_cannot_be_created_says_which_and_why(monkeypatch, tmp_path) -> None:
    def refused(*args: object, **kwargs: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.os, "open", refused)
    monkeypatch.setattr(output.tempfile, "mkstemp", refused)
    with pytest.raises(OutputError) as caught, atomic_file(tmp_path / "r.json") as stream:
        stream.write(b"never")
    assert caught.value.path == tmp_path / "r.json"
    assert caught.value.reason == "Permission denied"
    assert list(tmp_path.iterdir()) == []


def test_is_stream_tells_pipes_and_devices_from_files(tmp_path: Path) -> None:
    regular = tmp_path / "r.json"
    assert not is_stream(regular)  # not there yet: a file to create
    regular.write_text("x")
    assert not is_stream(regular)
    assert is_stream(Path("/dev/null")) and is_stream(Path("/dev/stdout"))
    os.mkfifo(tmp_path / "p")
    assert is_stream(tmp_path / "p")
