"""How the xlsx and HTML reports show times and amounts: 汇总's as-of and deadline as date
cells, every amount in yuan, and no annual fee column in a year without an annual fee
(nor in the CSV: tests/test_no_fee_year_columns.py; the JSON keeps its documented schema).

The browser test is skipped without Chromium and playwright, as test_html's are."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest
from conftest import XLSX, renewal
from test_html import Visit

from renewal import i18n

MONEY = '"¥"#,##0.00;-"¥"#,##0.00'
AS_OF = {"tmall-2022": "2021-12-20 00:00", "tmall-2025": "2024-12-20 00:00"}


def _run(
    folder: Path, rules: str, *outputs: str, as_of: str | None = None, source: Path = XLSX
) -> dict[str, Any]:
    """One run of `source` (the fixture export); the JSON report written beside `outputs`."""
    args: list[str | Path] = [source, "--rules", rules, "--as-of", as_of or AS_OF[rules]]
    args += ["--fail-on", "never", "-q", "-o", folder / "r.json"]
    for name in outputs:
        args += ["-o", folder / name]
    done = renewal("check", *args)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = orjson.loads((folder / "r.json").read_bytes())
    return report


def _labelled(sheet: Any) -> dict[str, Any]:
    """汇总's cells in column B by the label in column A."""
    return {row[0].value: row[1] for row in sheet.iter_rows(max_col=2) if row[0].value}


@pytest.mark.parametrize(
    ("as_of", "shown", "number_format"),
    [
        ("2021-12-20 00:00", datetime(2021, 12, 20), "yyyy-mm-dd hh:mm"),
        ("2021-12-26 17:59:59", datetime(2021, 12, 26, 17, 59, 59), "yyyy-mm-dd hh:mm:ss"),
    ],
)
def test_the_summary_s_times_are_date_cells_in_beijing_time(
    tmp_path: Path, as_of: str, shown: datetime, number_format: str
) -> None:
    """评估时间 and 截止时间 are date cells (sortable, comparable), shown as the merchants'
    截止时间 is; an as-of with seconds shows them, never rounded down to the minute."""
    _run(tmp_path, "tmall-2022", "r.xlsx", as_of=as_of)
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    cells = _labelled(book["汇总"])
    stamp, deadline = cells["评估时间（北京时间）"], cells["截止时间"]
    assert stamp.is_date and stamp.value == shown and stamp.number_format == number_format
    assert deadline.is_date and deadline.value == datetime(2021, 12, 26, 18, 0)
    merchants = book.worksheets[0]
    header = [cell.value for cell in merchants[1]]
    column = header.index("截止时间", len(header) - 9) + 1
    assert deadline.number_format == merchants.cell(2, column).number_format


def test_every_amount_is_in_yuan_and_no_label_is_a_number(tmp_path: Path) -> None:
    """应补保证金, 应缴年费, 汇总's totals and 明细's 欠款 carry a ¥ format; the totals'
    labels keep the General format a text cell has."""
    report = _run(tmp_path, "tmall-2022", "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    merchants = book.worksheets[0]
    header = [cell.value for cell in merchants[1]]
    for name in ("应补保证金", "应缴年费"):
        column = header.index(name) + 1
        amounts = [row[0] for row in merchants.iter_rows(min_row=2, min_col=column, max_col=column)]
        written = [cell for cell in amounts if isinstance(cell.value, int | float)]
        assert written and {cell.number_format for cell in written} == {MONEY}, name
    summary = book["汇总"]
    totals = {
        "尚欠保证金合计": report["summary"]["deposit_shortfall_total"],
        "应缴年费合计": report["summary"]["annual_fee_due_total"],
    }
    for row in summary.iter_rows(max_col=2):
        if row[0].value in totals:
            assert row[1].value == totals[row[0].value] and row[1].number_format == MONEY
            assert row[0].number_format == "General", row[0].coordinate
            del totals[row[0].value]
    assert totals == {}
    detail = book["明细"]
    owed_column = [cell.value for cell in detail[1]].index("欠款") + 1
    owed = [
        row[0]
        for row in detail.iter_rows(min_row=2, min_col=owed_column, max_col=owed_column)
        if row[0].value is not None
    ]
    assert owed and {cell.number_format for cell in owed} == {MONEY}


@pytest.mark.parametrize("rules", ["tmall-2022", "tmall-2025"])
def test_the_workbook_has_a_fee_column_only_in_a_year_with_a_fee(
    tmp_path: Path, rules: str
) -> None:
    """2025年度 has no annual fee: the workbook leaves its 应缴年费 column out (it would be
    ¥0 on every row), the cells after it in their own columns; so does the CSV."""
    report = _run(tmp_path, rules, "r.xlsx", "r.csv")
    has_fee = rules == "tmall-2022"
    merchants = report["merchants"]
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert ("应缴年费" in header) is has_fee
    deadline = header.index("截止时间") + 1
    assert header[deadline - 2] == ("应缴年费" if has_fee else "应补保证金")
    source_row = header.index("原行号") + 1
    shown = [
        (row[source_row - 1].value, row[deadline - 1].value) for row in sheet.iter_rows(min_row=2)
    ]
    expected = [
        (
            m["row"],
            datetime.fromisoformat(m["deadline"]).replace(tzinfo=None) if m["deadline"] else None,
        )
        for m in merchants
    ]
    assert shown == expected
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as stream:
        csv_header = next(csv.reader(stream))
    assert ("应缴年费" in csv_header) is has_fee


def test_a_report_without_a_fee_column_checked_again_is_read_as_a_report(
    tmp_path: Path,
) -> None:
    """The 2025 workbook checked again: its result columns, 应缴年费 left out, are known as
    an earlier verdict and not read as data; the verdicts are the export's."""
    first = _run(tmp_path, "tmall-2025", "r.xlsx")
    again_json = tmp_path / "again.json"
    done = renewal(
        "check", tmp_path / "r.xlsx", "--rules", "tmall-2025", "--as-of", AS_OF["tmall-2025"],
        "--fail-on", "never", "-q", "-o", again_json,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    again = orjson.loads(again_json.read_bytes())
    assert [n["code"] for n in again["summary"]["notes"]].count("note.report_again") == 1
    keys = ("merchant_id", "outcome", "deposit_shortfall", "annual_fee_due")
    assert [[m[k] for k in keys] for m in again["merchants"]] == [
        [m[k] for k in keys] for m in first["merchants"]
    ]


@pytest.mark.parametrize("rules", ["tmall-2022", "tmall-2025"])
def test_the_page_has_a_fee_column_only_in_a_year_with_a_fee(tmp_path: Path, rules: str) -> None:
    """The page's merchant table names 应缴年费 only in a year with an annual fee."""
    _run(tmp_path, rules, "r.html")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    has_fee = rules == "tmall-2022"
    assert ('<col class="c-fee">' in page) is has_fee
    assert ("<th>应缴年费</th>" in page) is has_fee
    assert "<th>应补保证金</th>" in page


@pytest.fixture()
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_visit(path: Path) -> Visit:
        opened.append(Visit(browser, path))
        return opened[-1]

    yield open_visit
    for one in opened:
        one.close()


@pytest.mark.parametrize("rules", ["tmall-2022", "tmall-2025"])
def test_every_row_of_the_page_has_a_cell_per_column(
    visit: Any, tmp_path: Path, rules: str
) -> None:
    """Each merchant row has as many cells as the table has columns, each labelled with its
    own column (the phone layout shows the label), and an opened row spans them all; the
    overview names no annual fee in a year without one."""
    report = _run(tmp_path, rules, "r.html")
    seen = visit(tmp_path / "r.html")
    page = seen.open()
    headers = page.eval_on_selector_all(
        "#merchant-table thead th", "ths => ths.map(t => t.textContent)"
    )
    labels = page.eval_on_selector_all(
        "#merchant-rows tr.merchant",
        "rows => rows.map(r => [...r.cells].map(c => c.dataset.label))",
    )
    assert len(labels) == len(report["merchants"])
    assert all(row == headers for row in labels)
    deposit = headers.index("应补保证金")
    amounts = page.eval_on_selector_all(
        "#merchant-rows tr.merchant", f"rows => rows.map(r => r.cells[{deposit}].innerText)"
    )
    by_row = {m["row"]: m for m in report["merchants"]}
    rows = [int(row) for row, *_ in seen.rows()]
    unknown = "未知"
    for row, shown in zip(rows, amounts, strict=True):
        owed = by_row[row]["deposit_shortfall"]
        assert shown == (unknown if owed is None else i18n.yuan(owed)), (row, shown)
    page.click("#merchant-rows tr.merchant")
    span = page.eval_on_selector("#merchant-rows tr.detail > td", "td => td.colSpan")
    assert span == len(headers)
    money = page.locator("#money-chart").inner_text()
    assert ("应缴年费" in money) is (rules == "tmall-2022")
    seen.clean()
