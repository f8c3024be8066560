"""原工作表 / Source sheet: an export whose merchant rows come from more than one sheet (商家
continued on 商家 (2), as Excel continues a sheet past its row limit, or an agency's 商家 /
商家2) numbers its rows on each sheet, so 原行号 alone names two rows. Its xlsx and CSV
reports, 明细 and remind's reports name each row's sheet just before its row; an export of
one sheet keeps its reports as they were, and a report with the column checked again is
known as a report."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import CSV, XLSX, renewal

from renewal import i18n
from renewal.intake.columns import REPORT_COLUMNS
from renewal.intake.header import report_columns_at

CHECK = ("--rules", "2022", "--as-of", "2021-12-27 00:00", "--fail-on", "never", "-q")
REMIND = ("--rules", "2022", "--as-of", "2021-12-20 00:00", "--within", "30d", "-q")
FIRST_SHEET_ROWS = 19
"""The fixture's merchant rows left on 商家; the others go on 商家 (2)."""

NAMES = {
    "zh": ("下一步", "原工作表", "原行号"),
    "en": ("Next action", "Source sheet", "Source row"),
}
"""The last appended columns' headers in each language."""


def continued_export(path: Path, second: str = "商家 (2)", split: int = FIRST_SHEET_ROWS) -> Path:
    """The bundled fixture's merchant rows, the first `split` of them on 商家 and the rest,
    under the same header, on `second`."""
    with CSV.open(encoding="utf-8-sig", newline="") as source:
        header, *rows = list(csv.reader(source))
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, part in (("商家", rows[:split]), (second, rows[split:])):
        sheet = book.create_sheet(name)
        sheet.append(header)
        for cells in part:
            sheet.append(cells)
    book.save(path)
    return path


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def places(report: Path) -> list[tuple[str, int]]:
    """(sheet, row) of each merchant, as the JSON report names them."""
    return [(m["sheet"], m["row"]) for m in json.loads(report.read_text())["merchants"]]


def verdicts(report: Path) -> list[tuple[str | None, str]]:
    return [(m["merchant_id"], m["outcome"]) for m in json.loads(report.read_text())["merchants"]]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rows_from_two_sheets_name_their_sheet_before_their_row(
    tmp_path: Path, lang: str, jobs: str
) -> None:
    """Each merchant's 原工作表 and 原行号 in the xlsx report, the CSV report and 明细 are
    the sheet and row the JSON names, whichever process read it."""
    export = continued_export(tmp_path / "cont.xlsx")
    out = [tmp_path / f"r.{kind}" for kind in ("xlsx", "csv", "json")]
    targets = [arg for o in out for arg in ("-o", o)]
    done = renewal("check", export, *CHECK, "--lang", lang, "-j", jobs, *targets)
    assert done.returncode == 0, done.stderr
    expected = places(out[2])
    assert {sheet for sheet, _ in expected} == {"商家", "商家 (2)"}
    assert ("商家", 20) in expected and ("商家 (2)", 2) in expected

    header, *rows = csv_rows(out[1])
    assert tuple(header[-3:]) == NAMES[lang]
    assert [(row[-2], int(row[-1])) for row in rows] == expected

    book = openpyxl.load_workbook(out[0])
    head, *cells = list(book.worksheets[0].values)
    assert tuple(head[-3:]) == NAMES[lang]
    assert [(row[-2], row[-1]) for row in cells] == expected

    detail = book.worksheets[2]
    detail_head, *findings = list(detail.values)
    assert tuple(detail_head[2:4]) == NAMES[lang][1:]
    merchants = json.loads(out[2].read_text())["merchants"]
    rows_of = {(m["merchant_id"] or "", m["sheet"], m["row"]) for m in merchants}
    named = {(row[0] or "", row[2], row[3]) for row in findings}
    assert named and named <= rows_of  # 商家's 19 rows all renewed: 明细 has 商家 (2)'s
    # the columns after it moved with it: 规则 holds rule codes, 处理办法 stays the last
    assert all(str(row[5]).isalnum() and len(str(row[5])) == 4 for row in findings)
    assert len(detail_head) == 14


@pytest.mark.parametrize("export", [XLSX, CSV], ids=["xlsx", "csv"])
def test_an_export_of_one_sheet_has_no_sheet_column(tmp_path: Path, export: Path) -> None:
    """The column is there for rows of several sheets only: one sheet's reports end at
    原行号 as they always did (a guard: it holds without the change too)."""
    out = [tmp_path / "r.xlsx", tmp_path / "r.csv"]
    assert renewal("check", export, *CHECK, "-o", out[0], "-o", out[1]).returncode == 0
    header = csv_rows(out[1])[0]
    assert header[-2:] == ["下一步", "原行号"] and "原工作表" not in header
    book = openpyxl.load_workbook(out[0])
    assert "原工作表" not in next(book.worksheets[0].values)
    assert "原工作表" not in next(book.worksheets[2].values)


def test_a_continuation_with_a_header_and_no_rows_adds_no_column(tmp_path: Path) -> None:
    """商家 (2) with nothing under its header: every merchant row is on 商家, and 原行号
    alone finds it."""
    export = continued_export(tmp_path / "cont.xlsx", split=10_000)
    out = tmp_path / "r.csv"
    assert renewal("check", export, *CHECK, "-o", out).returncode == 0
    assert "原工作表" not in csv_rows(out)[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_report_with_the_sheet_column_checked_again_judges_as_the_export(
    tmp_path: Path, kind: str, lang: str
) -> None:
    """The earlier verdict's columns, 原工作表 among them, are not read as data: the report
    checked again gives each merchant the export's verdict, and its own report has one
    set of appended columns (its rows are on one sheet: no 原工作表)."""
    export = continued_export(tmp_path / "cont.xlsx")
    first, first_json = tmp_path / f"first.{kind}", tmp_path / "first.json"
    done = renewal("check", export, *CHECK, "--lang", lang, "-o", first, "-o", first_json)
    assert done.returncode == 0, done.stderr
    if kind == "csv":
        written = csv_rows(first)[0]
    else:
        written = list(next(openpyxl.load_workbook(first).worksheets[0].values))
    assert tuple(written[-3:]) == NAMES[lang]

    again, again_csv = tmp_path / "again.json", tmp_path / "again.csv"
    run = renewal("check", first, *CHECK, "-o", again, "-o", again_csv)
    assert run.returncode == 0, run.stderr
    assert verdicts(again) == verdicts(first_json)
    notes = json.loads(again.read_text())["summary"]["notes"]
    said = [note for note in notes if note["code"] == "note.report_again"]
    outcome = i18n.catalog(lang)["annotated.outcome"]
    assert len(said) == 1 and said[0]["column"] == written.index(outcome) + 1 == 19
    header = csv_rows(again_csv)[0]
    assert header.count("检查结果") == 1 and header.count("原行号") == 1
    assert "原工作表" not in header and NAMES[lang][1] not in header


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fee", [True, False])
def test_the_appended_headers_with_the_sheet_column_are_known_as_a_report(
    lang: str, fee: bool
) -> None:
    """Where the earlier verdict begins, in either language, with or without 应缴年费."""
    texts = i18n.catalog(lang)
    keys = [key for key in REPORT_COLUMNS if fee or key != "fee_due"]
    assert "source_sheet" in keys
    cells: list[object] = ["商家ID", "合同签署时间", *(texts[f"annotated.{key}"] for key in keys)]
    assert report_columns_at(cells) == 2
    assert report_columns_at([*cells, "备注"]) == 2


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_remind_names_each_row_s_sheet_before_its_row(tmp_path: Path, lang: str) -> None:
    """The reminders CSV (a mail merge's fields: source_sheet before source_row in
    English), the workbook and the table name each row's sheet."""
    export = continued_export(tmp_path / "cont.xlsx")
    out = [tmp_path / f"rm.{kind}" for kind in ("csv", "xlsx", "txt")]
    done = renewal("remind", export, *REMIND, "--lang", lang, *(a for o in out for a in ("-o", o)))
    assert done.returncode == 0, done.stderr
    # the fixture's rows, one a line under its header: each merchant's sheet and row
    first = FIRST_SHEET_ROWS
    expected = {
        merchant: ("商家", at + 2) if at < first else ("商家 (2)", at - first + 2)
        for at, (merchant, *_) in enumerate(csv_rows(CSV)[1:])
    }
    header, *rows = csv_rows(out[0])
    names = ("source_sheet", "source_row") if lang == "en" else ("原工作表", "原行号")
    assert tuple(header[-3:-1]) == names
    listed = [(row[0], (row[-3], int(row[-2]))) for row in rows]
    assert listed and all(expected[merchant] == place for merchant, place in listed)
    assert {sheet for _, (sheet, _) in listed} == {"商家", "商家 (2)"}

    head, *cells = list(openpyxl.load_workbook(out[1]).worksheets[0].values)
    assert tuple(head[-3:-1]) == NAMES[lang][1:]
    assert [(row[0], (row[-3], row[-2])) for row in cells] == listed
    assert NAMES[lang][1] in out[2].read_text(encoding="utf-8")


def test_remind_of_one_sheet_has_no_sheet_column(tmp_path: Path) -> None:
    """A guard, as for check: the reminders of a one-sheet export keep their columns."""
    out = tmp_path / "rm.csv"
    assert renewal("remind", XLSX, *REMIND, "--lang", "en", "-o", out).returncode == 0
    assert csv_rows(out)[0][-3:] == ["time_left", "source_row", "data_error"]


@pytest.mark.parametrize(("jobs", "lang"), [("1", "zh"), ("2", "en")])
def test_a_row_to_fix_on_a_continuation_names_its_sheet(tmp_path: Path, jobs: str, lang: str):
    """下一步 of an error row says which sheet its row number is on when that is not the
    merchant sheet: 修正第 3 行 named a row of both 商家 and 商家 (2)."""
    export = continued_export(tmp_path / "cont.xlsx", split=30)  # error rows on both sheets
    out = tmp_path / "r.json"
    done = renewal("check", export, *CHECK, "-j", jobs, "--lang", lang, "-o", out)
    assert done.returncode == 0, done.stderr
    errors = [m for m in json.loads(out.read_text())["merchants"] if m["outcome"] == "error"]
    first = [m for m in errors if m["sheet"] == "商家"]
    later = [m for m in errors if m["sheet"] == "商家 (2)"]
    assert first and later
    said = {
        "zh": ("修正第 {row} 行数据后重新检查", "修正工作表「商家 (2)」第 {row} 行数据"),
        "en": ("Fix the data on row {row} and", "Fix the data on row {row} of sheet 商家 (2) and"),
    }[lang]
    for merchant in first:
        assert merchant["next_action"].startswith(said[0].format(row=merchant["row"]))
    for merchant in later:
        assert merchant["next_action"].startswith(said[1].format(row=merchant["row"]))
