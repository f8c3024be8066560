"""A run split between processes gives exactly what a sequential run gives."""

from __future__ import annotations

import sys

import pytest
from conftest import AFTER_DEADLINE, CSV, XLSX, run_file

from renewal import pipeline


@pytest.mark.parametrize("path", [XLSX, CSV], ids=lambda p: p.name)
@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_equals_sequential(monkeypatch, path, jobs):
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 4)  # 43 rows: 11 blocks across the workers
    sequential = run_file(path, AFTER_DEADLINE, jobs=1)
    parallel = run_file(path, AFTER_DEADLINE, jobs=jobs)
    assert parallel.results == sequential.results
    assert parallel.attention == sequential.attention
    assert parallel.summary == sequential.summary
    assert parallel.summary["duplicate_ids"] == 1  # the duplicated id spans blocks


def test_a_worker_failure_reaches_the_user_as_one_clear_error(tmp_path, monkeypatch):
    from renewal.intake.tables import IntakeError

    path = tmp_path / "e.csv"
    good = "商家ID,合同签署时间\n" + "".join(f"m{i},2020-01-01\n" for i in range(50))
    path.write_bytes(good.encode("utf-8") + b"m-bad,\xff\xfe\xfa broken\n")
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 10)
    with pytest.raises(IntakeError) as error:
        run_file(path, AFTER_DEADLINE, jobs=2)
    assert error.value.key == "intake.bad_text"
    assert "row 52" in error.value.message("en")


@pytest.mark.parametrize("jobs", [1, 2])
def test_csv_rows_over_several_lines_are_named_in_a_note(tmp_path, monkeypatch, jobs):
    """A quoted cell with a line break makes one row of several lines of the file; a quote
    left open merges the lines after it into that row. Either way the rows are counted and
    the first ten named, once, however the file was split between processes."""
    header = "商家ID,店铺名称,合同签署时间\n"
    rows = [
        f'm{i},"店\n{i}",2020-01-01\n' if i % 3 == 0 else f"m{i},店,2020-01-01\n" for i in range(40)
    ]
    path = tmp_path / "multi.csv"
    path.write_text(header + "".join(rows) + 'm-open,"never closed,2020-01-01\nm-x,店,2020-01-01\n')
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 4)
    run = run_file(path, AFTER_DEADLINE, jobs=jobs)
    assert len(run.results) == 41  # the last line went into the open quote's row
    (note,) = [n for n in run.summary["notes"] if n["code"] == "note.multiline"]
    spanning = [2 + i for i in range(40) if i % 3 == 0] + [42]  # records, as Excel counts rows
    assert note["count"] == len(spanning)
    assert note["rows"] == "、".join(map(str, spanning[:10])) + " …"
    assert "第 2、5、8" in note["message"] and f"CSV 有 {len(spanning)} 行" in note["message"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_second_export_pasted_below_the_first_loses_only_its_header(tmp_path, monkeypatch, jobs):
    """Two exports pasted into one file: the second's header line (with the BOM it began
    with) is not a merchant. It is skipped and named in a note, whichever process read it;
    every merchant row of both parts is checked."""
    header = "商家ID,店铺名称,合同签署时间,备注\n"
    first = "".join(f"{i},店,2020-01-01,\n" for i in range(1, 13))
    second = "".join(f"{i},店,2020-01-01,x\n" for i in range(100, 112))
    path = tmp_path / "pasted.csv"
    path.write_bytes(("\ufeff" + header + first + "\ufeff" + header + second).encode("utf-8"))
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 4)
    run = run_file(path, AFTER_DEADLINE, jobs=jobs)
    ids = [result["merchant_id"] for result in run.results]
    assert ids == [str(i) for i in [*range(1, 13), *range(100, 112)]]
    loading = [f for r in run.results for f in r["findings"] if f["rule"].startswith("LD")]
    assert loading == []  # every row read whole (the missing columns are another matter)
    assert run.summary["other_lines_skipped"] == 1
    (note,) = [n for n in run.summary["notes"] if n["code"] == "note.header_again"]
    assert note["rows"] == "14" and note["count"] == 1
    assert note["message"].startswith("第 14 行又是一遍表头")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_second_export_with_its_columns_elsewhere_is_refused(tmp_path, monkeypatch, jobs):
    """Its rows would be read under the first header's names (a balance read as the amount
    due): the file is refused, naming both header rows, whichever process reads the row."""
    from renewal.intake.tables import IntakeError

    header = "商家ID,合同签署时间,保证金应缴,保证金余额\n"
    swapped = "商家ID,合同签署时间,保证金余额,保证金应缴\n"
    rows = "".join(f"{i},2020-01-01,50000,30000\n" for i in range(1, 13))
    path = tmp_path / "pasted.csv"
    path.write_text(header + rows + swapped + rows, encoding="utf-8")
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 4)
    with pytest.raises(IntakeError) as error:
        run_file(path, AFTER_DEADLINE, jobs=jobs)
    assert error.value.key == "intake.other_layout"
    assert "row 14 is another header" in error.value.message("en")
    assert "第 14 行是另一份表头" in error.value.message("zh")
    assert "第 1 行的表头不同" in error.value.message("zh")


def test_a_second_header_with_an_extra_column_at_the_end_is_the_header_again(tmp_path):
    """What renewal reads is where it was: an added column it does not read (备注) makes no
    difference, and the rows below are read by the first header."""
    path = tmp_path / "pasted.csv"
    first = "商家ID,合同签署时间,保证金余额\n1,2020-01-01,50000\n"
    second = "商家ID,合同签署时间,保证金余额,备注\n2,2020-01-01,40000,x\n"
    path.write_text(first + second, encoding="utf-8")
    run = run_file(path, AFTER_DEADLINE)
    assert [(r["merchant_id"], r["row"]) for r in run.results] == [("1", 2), ("2", 4)]
    assert run.summary["other_lines_skipped"] == 1


def test_a_two_row_header_repeated_is_not_taken_for_another_layout(tmp_path):
    """The group label of a two-row header (保证金 over 应缴 | 余额) stands left of the
    column it names: its top line again is the header again, not a file to refuse."""
    top = "商家ID,合同签署时间,保证金,\n"
    below = ",,应缴,余额\n"
    rows = "1,2020-01-01,50000,50000\n"
    path = tmp_path / "two.csv"
    path.write_text(top + below + rows + top + below + rows.replace("1,", "2,", 1))
    run = run_file(path, AFTER_DEADLINE)
    ids = [r["merchant_id"] for r in run.results]
    assert "1" in ids and "2" in ids
    assert run.summary["other_lines_skipped"] == 1


def test_a_row_like_the_header_but_not_it_is_a_merchant_row(tmp_path):
    """Only the header spelt again, cell for cell, is skipped: a row with the header's
    商家ID text and a real date is an error row, as any unreadable id would make it."""
    path = tmp_path / "e.csv"
    path.write_text("商家ID,合同签署时间\n1,2020-01-01\n商家ID,2020-01-01\n商家ID,\n")
    run = run_file(path, AFTER_DEADLINE)
    assert [r["row"] for r in run.results] == [2, 3, 4]
    assert not [n for n in run.summary["notes"] if n["code"] == "note.header_again"]


def test_a_csv_cell_past_the_field_limit_is_named_by_row_not_parsed_on(tmp_path):
    from renewal.intake.tables import IntakeError

    path = tmp_path / "open.csv"
    body = "".join(f"m{i},店,2020-01-01\n" for i in range(5))
    path.write_text("商家ID,店铺名称,合同签署时间\n" + body + 'm-open,"' + "x" * 200_000 + "\n")
    with pytest.raises(IntakeError) as error:
        run_file(path, AFTER_DEADLINE)
    assert error.value.key == "intake.csv_field"
    assert error.value.message("zh").endswith(
        "第 7 行：有单元格超过 131,072 个字符，无法读取；多半是引号没有闭合"
    )


def _big_csv(path, rows: int):
    import csv

    from conftest import EXPORT_HEADER, renewed_row

    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(EXPORT_HEADER)
        writer.writerows(renewed_row(str(10_000_000 + n)) for n in range(rows))
    return path


def _running(pid: int) -> bool:
    """Alive and not a zombie (a dead child nobody has reaped yet)."""
    from pathlib import Path

    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_the_parent_is_killed_outright(tmp_path):
    """kill -9 of the parent (the OOM killer, a watchdog's kill PID) must not leave the
    workers computing on, holding memory, the unnamed report's disk space and the job's
    output pipes: they die with it."""
    import os
    import signal
    import subprocess
    import time

    export = _big_csv(tmp_path / "big.csv", 60_000)
    command = [sys.executable, "-m", "renewal", "check", str(export), "--rules", "tmall-2022"]
    command += ["--as-of", "2021-12-27", "-q", "-j", "2", "-o", str(tmp_path / "r.jsonl")]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.monotonic() + 30
    while len(children) < 2 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.01)
        found = subprocess.run(["pgrep", "-P", str(run.pid)], capture_output=True, text=True)
        children = [int(pid) for pid in found.stdout.split()]
    assert len(children) == 2, "the run ended before its workers could be seen"
    time.sleep(0.3)  # the workers are checking rows
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    time.sleep(1.5)
    survivors = [pid for pid in children if _running(pid)]
    for pid in survivors:
        os.kill(pid, signal.SIGKILL)
    assert survivors == []
    assert not (tmp_path / "r.jsonl").exists()


class _FullDisk:
    """A renderer whose disk fills at the first merchant."""

    wants_cells = False
    wants_shop_names = False

    def begin(self, header):
        pass

    def add(self, line, attention, cells):
        import errno

        raise OSError(errno.ENOSPC, "No space left on device")

    def finish(self, summary, fixes):
        pass


def test_an_error_in_the_parent_stops_the_workers_at_once(tmp_path):
    """The parent stops reading on an error (a full disk): its workers, blocked writing
    results nobody reads, are stopped at once, not waited for 5 s each."""
    import errno
    import time

    from renewal.pipeline import check_file
    from renewal.ruleset import load

    export = _big_csv(tmp_path / "big.csv", 60_000)
    started = time.monotonic()
    with pytest.raises(OSError) as error:
        check_file(export, load("tmall-2022"), AFTER_DEADLINE, "zh", [_FullDisk()], jobs=2)
    assert error.value.errno == errno.ENOSPC
    assert time.monotonic() - started < 5  # it used to wait 5 s per blocked worker
