"""A run killed at any moment leaves the previous report intact or no report, never half."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import digest

ROWS = 20_000


@pytest.fixture(scope="module")
def large_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("big") / "export.csv"
    lines = [
        "商家ID,店铺类型,商标状态,主营类目,合同签署时间,续签报名时间,保证金余额,年费已缴,年费缴纳时间,处罚申诉中,严重违规扣分,一般违规扣分"
    ]
    lines += [
        f"m{i},旗舰店,R,男装,2020-01-01 10:00,2021-11-20 10:00,50000,60000,2021-11-20 10:00,否,0,0"
        for i in range(ROWS)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def start(export: Path, out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "renewal", "check", str(export), "--rules", "tmall-2022"]
    command += ["--as-of", "2021-12-27", "-o", str(out), "--fail-on", "never", "-q", "-j", "1"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 2.5])
def test_sigkill_leaves_the_previous_report_or_a_whole_new_one(large_csv, tmp_path, delay):
    out = tmp_path / "report.json"
    out.write_bytes(b'{"previous": true}\n')
    before_input = digest(large_csv)
    process = start(large_csv, out)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    body = out.read_bytes()
    if body != b'{"previous": true}\n':
        # the run had finished before the kill: then the report must be complete
        assert body.endswith(b"]}\n") and body.count(b'"merchant_id"') == ROWS
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "report.json"]
    assert leftovers == []
    assert digest(large_csv) == before_input


def test_a_completed_run_replaces_the_report_whole(large_csv, tmp_path):
    out = tmp_path / "report.jsonl"
    out.write_bytes(b"old\n")
    process = start(large_csv, out)
    assert process.wait(timeout=120) == 0
    assert out.read_bytes().count(b"\n") == ROWS
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".report")]
    assert os.stat(out).st_size > 1000


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0, 4.5])
def test_sigkill_during_an_xlsx_report_leaves_the_previous_one_or_a_whole_one(
    large_csv, tmp_path, delay
):
    import openpyxl

    out = tmp_path / "report.xlsx"
    out.write_bytes(b"previous")
    process = start(large_csv, out)
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()
    if out.read_bytes() != b"previous":
        book = openpyxl.load_workbook(out, read_only=True)
        assert book.worksheets[0].max_row == ROWS + 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]
