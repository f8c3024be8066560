"""What a run does not read is said (ex20 §1, §2): a second sheet with the merchant header
beside the 商家 sheet read (its merchants are in no report), and renewal's own CSV report
checked again, which holds the merchant rows without the export's 违规记录 and 资质 (the
transfer test then sees only the points columns, and may judge otherwise)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, XLSX, renewal, renewed_row, run_file


def notes(run: Any) -> dict[str, dict[str, Any]]:
    return {note["code"]: note for note in run.summary["notes"]}


def two_merchant_sheets(path: Path, other: str) -> Path:
    workbook = openpyxl.Workbook()
    first = workbook.active
    first.title = "商家"
    for cells in (EXPORT_HEADER, renewed_row("m1")):
        first.append(cells)
    second = workbook.create_sheet(other)
    for cells in (EXPORT_HEADER, renewed_row("m2")):
        second.append(cells)
    workbook.save(path)
    return path


@pytest.mark.parametrize("other", ["Sheet2", "商家2023"])
def test_a_second_sheet_with_the_merchant_header_is_named_as_not_read(tmp_path, other):
    run = run_file(two_merchant_sheets(tmp_path / "two.xlsx", other), AFTER_DEADLINE)
    assert [r["merchant_id"] for r in run.results] == ["m1"]
    note = notes(run)["note.merchants_unread"]
    assert (note["sheet"], note["sheets"]) == ("商家", other)
    assert "该表的商家不在本报告中" in note["message"] and "--sheet" in note["message"]
    # and --sheet checks it
    chosen = tmp_path / "chosen.json"
    args = ["--rules", "tmall-2022", "--as-of", "2021-12-27 00:00", "--sheet", other, "-q"]
    done = renewal("check", tmp_path / "two.xlsx", *args, "-o", chosen, "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    assert '"merchant_id":"m2"' in chosen.read_text(encoding="utf-8")


def test_the_fixture_names_no_such_sheet():
    assert "note.merchants_unread" not in notes(run_file(XLSX, AFTER_DEADLINE))


def test_renewals_csv_report_checked_again_says_it_has_no_supporting_sheets(tmp_path):
    """The fixture's failed-no-transfer-appeal-pending has its appeal only in 违规记录: its
    CSV report checked again judges the transfer on the columns alone, and says so."""
    args = ["--rules", "tmall-2022", "--as-of", "2021-12-27 00:00", "-q", "--fail-on", "never"]
    csv_report, xlsx_report = tmp_path / "r.csv", tmp_path / "r.xlsx"
    assert renewal("check", XLSX, *args, "-o", csv_report, "-o", xlsx_report).returncode == 0
    again = run_file(csv_report, AFTER_DEADLINE, lang="en")
    note = notes(again)["note.report_alone"]
    assert "without the export's 违规记录 and 资质 sheets" in note["message"]
    assert "transfer test" in note["message"]
    # the workbook report carries the sheets: nothing to say
    assert "note.report_alone" not in notes(run_file(xlsx_report, AFTER_DEADLINE))
    # and the note is on stderr, where the run's notes go
    run = renewal("check", csv_report, *args[:4], "--fail-on", "never", "-f", "json")
    assert "只含商家行的 renewal 检查报告" in run.stderr
