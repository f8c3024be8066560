"""A year without an annual fee step (2025年度, `renewal.checks.has_fee`): every view a person
reads leaves 应缴年费 out (the xlsx and CSV reports' appended columns alike, 汇总's and the
table's totals, the HTML page's column), since ¥0 on every row would read as "nothing owed"
where some categories still pay a software fee no source names. The JSON keeps its
documented schema: `annual_fee_due` is 0, meaning only that the year has no fee step."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from test_report_formats import _run

FEE_HEADER = "应缴年费"


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def _appended(header: list[Any]) -> list[str]:
    """The result columns: from 检查结果 on."""
    return [str(name) for name in header[header.index("检查结果") :]]


@pytest.mark.parametrize("rules", ["tmall-2022", "tmall-2025"])
def test_the_xlsx_and_csv_reports_append_the_same_columns(tmp_path: Path, rules: str) -> None:
    """The CSV is "the same annotated rows" as the workbook: 应缴年费 in both or in neither,
    and every cell after it under its own header (截止时间 and 原行号 as the JSON has them)."""
    report = _run(tmp_path, rules, "r.xlsx", "r.csv")
    has_fee = rules == "tmall-2022"
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[0]
    book_header = _appended([cell.value for cell in sheet[1]])
    header, *rows = _csv_rows(tmp_path / "r.csv")
    assert _appended(header) == book_header
    assert (FEE_HEADER in book_header) is has_fee
    assert len(rows) == len(report["merchants"])
    for row, merchant in zip(rows, report["merchants"], strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["原行号"] == str(merchant["row"])
        deadline = merchant["deadline"]
        assert cells["截止时间"] == (deadline[:19].replace("T", " ") if deadline else "")
        if has_fee:
            fee = merchant["annual_fee_due"]
            assert (float(cells[FEE_HEADER]) if cells[FEE_HEADER] else None) == fee


def test_a_year_without_a_fee_leaves_it_out_of_every_view_but_the_json(tmp_path: Path) -> None:
    """2025年度: no 应缴年费 column in the CSV, the workbook or the page, no fee total in 汇总
    or the table; the JSON's `annual_fee_due` and its total stay, at 0."""
    report = _run(tmp_path, "tmall-2025", "r.xlsx", "r.csv", "r.html", "r.txt")
    assert FEE_HEADER not in _csv_rows(tmp_path / "r.csv")[0]
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert FEE_HEADER not in [cell.value for cell in book.worksheets[0][1]]
    assert "应缴年费合计" not in [row[0].value for row in book["汇总"].iter_rows(max_col=1)]
    assert f"<th>{FEE_HEADER}</th>" not in (tmp_path / "r.html").read_text(encoding="utf-8")
    table = (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert "尚欠保证金" in table and "年费" not in table
    assert {merchant["annual_fee_due"] for merchant in report["merchants"]} == {0.0}
    assert report["summary"]["annual_fee_due_total"] == 0.0


def test_the_csv_report_without_a_fee_column_checked_again_is_read_as_a_report(
    tmp_path: Path,
) -> None:
    """The 2025 CSV report checked again: its result columns, 应缴年费 left out, are known as
    an earlier verdict (not read as data), and the verdicts are the export's."""
    first = _run(tmp_path, "tmall-2025", "r.csv")
    again_folder = tmp_path / "again"
    again_folder.mkdir()
    again = _run(again_folder, "tmall-2025", source=tmp_path / "r.csv")
    assert [n["code"] for n in again["summary"]["notes"]].count("note.report_again") == 1
    keys = ("merchant_id", "outcome", "deposit_shortfall", "annual_fee_due")
    assert [[m[k] for k in keys] for m in again["merchants"]] == [
        [m[k] for k in keys] for m in first["merchants"]
    ]
