"""Lines that are no merchants though they are not blank: a helper column filled down past
the data with values (a 序号 numbered on, a 备注 pre-filled 未联系), as the same column
filled with a formula already was; a totals line spelt with a space (合 计, 合　计); and
CSV rows whose line breaks are quoted as a CSV writer quotes them, which are no quote
left open, as a quote that did swallow the lines after it still is."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, XLSX, renewal, renewed_row, run_file
from test_layouts import layout

from renewal import pipeline
from renewal.intake.export import is_total_line

HEADER = ["序号", *EXPORT_HEADER, "备注"]
"""A hand-kept sheet: a 序号 in column A and a 备注 in column O, neither read."""


def numbered(number: int, merchant_id: str) -> list[object]:
    return [number, *renewed_row(merchant_id), ""]


def blank_but(**cells: object) -> list[object]:
    """A row under HEADER with only the named columns filled (序号, 备注, or a header)."""
    row: list[object] = [None] * len(HEADER)
    for name, value in cells.items():
        row[HEADER.index(name)] = value
    return row




THREE = [HEADER, numbered(1, "m1"), numbered(2, "m2"), numbered(3, "m3")]


def notes(run) -> dict[str, dict[str, object]]:
    return {note["code"]: note for note in run.summary["notes"]}


# -- helper columns filled down past the data ---------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_serial_number_filled_down_past_the_data_makes_no_merchants(tmp_path, monkeypatch, jobs):
    """序号 numbered on to 50 below three merchants: 47 rows with a number in a column
    renewal does not read and nothing else. Skipped lines, not 47 merchants without an id;
    one note names them as one run, however the rows were split between processes."""
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 4)  # the run crosses both workers' blocks
    rows = [*THREE, *(blank_but(序号=number) for number in range(4, 51))]
    run = run_file(layout(tmp_path, rows), AFTER_DEADLINE, jobs=jobs)
    assert [(r["merchant_id"], r["outcome"]) for r in run.results] == [
        ("m1", "renewed"),
        ("m2", "renewed"),
        ("m3", "renewed"),
    ]
    assert (run.summary["rows_read"], run.summary["other_lines_skipped"]) == (3, 47)
    (note,) = run.summary["notes"]
    assert (note["code"], note["rows"], note["count"], note["columns"]) == (
        "note.helper_rows",
        "5–51",
        47,
        "A 序号",
    )
    assert note["message"].startswith(
        "第 5–51 行（共 47 行）只在 renewal 不读取的列（A 序号）有内容"
    )


def test_a_status_column_prefilled_on_empty_rows_is_named_by_runs_and_columns(tmp_path):
    """备注 pre-filled 未联系 on empty rows, a blank line among them, and something in a
    column with no header (Q): two runs of rows, both columns, in English too."""
    filler = blank_but(备注="未联系")
    stray = [*blank_but(), None, "x"]  # column Q, past the header's last column (O)
    rows = [*THREE, *[filler] * 6, [], *[filler] * 9, stray]
    run = run_file(layout(tmp_path, rows), AFTER_DEADLINE, lang="en")
    assert [r["merchant_id"] for r in run.results] == ["m1", "m2", "m3"]
    assert run.summary["blank_rows_skipped"] == 1
    assert run.summary["other_lines_skipped"] == 16
    note = notes(run)["note.helper_rows"]
    assert (note["rows"], note["count"], note["columns"]) == ("5–10, 12–21", 16, "O 备注, Q")
    assert note["message"].startswith(
        "Rows 5–10, 12–21 (16 in all) hold something only in columns renewal does not read "
        "(O 备注, Q)"
    )


def test_a_lone_helper_row_is_said_as_one_row(tmp_path):
    rows = [*THREE, blank_but(备注="以上数据截至12月27日")]
    note = notes(run_file(layout(tmp_path, rows), AFTER_DEADLINE))["note.helper_rows"]
    assert (note["rows"], note["count"]) == ("5", 1)
    assert note["message"].startswith("第 5 行只在 renewal 不读取的列（O 备注）有内容")


def test_the_run_no_longer_fails_on_rows_that_are_no_merchants(tmp_path):
    """What the user saw: 50 merchants, 47 of them 数据错误, and exit 1. Now 3, and 0."""
    rows = [*THREE, *(blank_but(序号=number) for number in range(4, 51))]
    out = tmp_path / "r.json"
    result = renewal(
        "check", layout(tmp_path, rows), "--rules", "2022", "--as-of", "2021-12-27 00:00",
        "-o", out, "-q",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    summary = json.loads(out.read_text(encoding="utf-8"))["summary"]
    assert (summary["merchants"], summary["other_lines_skipped"]) == (3, 47)


def test_a_row_without_an_id_but_with_data_renewal_reads_is_still_an_error_row(tmp_path):
    """Only rows with nothing in any column renewal reads are skipped: a merchant whose id
    is missing, with a contract date or an amount on it, stays an error row (LD01); an id
    of spaces alone, beside a 序号, is no id and no merchant."""
    dated = numbered(4, "")
    amount = blank_but(序号=5, 保证金余额="50000")
    spaces = blank_but(序号=6, 商家ID="   ")
    run = run_file(layout(tmp_path, [*THREE, dated, amount, spaces]), AFTER_DEADLINE)
    errors = [
        (r["row"], [f["rule"] for f in r["findings"] if f["status"] == "error"][:1])
        for r in run.results
        if r["outcome"] == "error"
    ]
    assert errors == [(5, ["LD01"]), (6, ["LD01"])]
    note = notes(run)["note.helper_rows"]
    assert (note["rows"], note["columns"]) == ("7", "A 序号")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_serial_number_filled_down_a_supporting_sheet_is_no_one_s_record(tmp_path, jobs):
    """The fixture's 违规记录 with a 序号 in a new column A numbered 14 rows past its
    records: no unmatched supporting rows (they were listed as 14 rows with a blank 商家ID),
    one note naming them by sheet and run; a record without an id beside a 序号 is still
    listed, and the merchants' verdicts are the fixture's."""
    workbook = openpyxl.load_workbook(XLSX)
    sheet = workbook["违规记录"]
    last = sheet.max_row
    sheet.insert_cols(1)
    sheet.cell(1, 1, "序号")
    for row in range(2, last + 15):
        sheet.cell(row, 1, row - 1)
    sheet.cell(last + 15, 1, last + 14)
    sheet.cell(last + 15, 3, "2021-06-01")  # a 处罚日期 with no 商家ID: no one's, but a record
    path = tmp_path / "numbered.xlsx"
    workbook.save(path)
    run = run_file(path, AFTER_DEADLINE, jobs=jobs)
    plain = run_file(XLSX, AFTER_DEADLINE)
    assert [(r["merchant_id"], r["outcome"]) for r in run.results] == [
        (r["merchant_id"], r["outcome"]) for r in plain.results
    ]
    unmatched = run.summary["unmatched_supporting_rows"]
    assert [(u["sheet"], u["row"]) for u in unmatched] == [("违规记录", last + 15)]
    note = notes(run)["note.helper_records"]
    assert (note["rows"], note["count"], note["columns"]) == (
        f"违规记录!{last + 1}–{last + 14}",
        14,
        "A 序号",
    )
    assert "不是任何商家的记录，已跳过" in note["message"]
    assert "note.helper_rows" not in notes(run)  # the merchant sheet has none


# -- totals lines spelt with a space ------------------------------------------------------


@pytest.mark.parametrize("label", ["合 计", "合　计", "合  计：", "总 计", "总　计", "小 计"])
def test_a_totals_label_with_a_space_inside_is_a_totals_line(tmp_path, label):
    """合　计 as Chinese reports pad a two-character label, in the 商家ID column with the
    sums beside it: the data ends there, as at 合计, so the signature below it is no
    merchant either."""
    sums = blank_but(商家ID=label, 保证金余额=150000, 年费已缴=180000)
    signature = blank_but(商家ID="制表人：张三")
    run = run_file(layout(tmp_path, [*THREE, sums, signature]), AFTER_DEADLINE)
    assert [r["merchant_id"] for r in run.results] == ["m1", "m2", "m3"]
    assert run.summary["other_lines_skipped"] == 2
    assert run.summary["notes"] == []


def test_a_name_that_only_starts_like_a_spaced_total_is_none():
    assert is_total_line(["合 计", "", 150000])
    assert not is_total_line(["合 计划书", "旗舰店", 150000])
    assert not is_total_line(["小 数点旗舰店", "旗舰店"])


# -- CSV line breaks: quoted as a writer quotes them, or a quote left open ----------------

CSV_HEADER = ["商家ID", "店铺名称", "合同签署时间"]


def csv_export(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "e.csv"
    path.write_text(",".join(CSV_HEADER) + "\n" + text, encoding="utf-8")
    return path


def test_line_breaks_a_csv_writer_quoted_are_read_without_the_open_quote_alarm(tmp_path):
    """Shop names and notes with a line break, as csv.writer (or Excel, or renewal's own
    report) writes them: each row is as wide as the header and no line inside a cell is a
    row. Said once, as rows over several lines read as Excel reads them: no quote left
    open, no lines said to be unchecked."""
    path = tmp_path / "e.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([*EXPORT_HEADER, "备注"])
        for n in range(1, 6):
            row = renewed_row(f"m{n}")
            writer.writerow([*row, "第一行\n第二行, 还有逗号" if n % 2 else ""])
    run = run_file(path, AFTER_DEADLINE)
    assert {r["outcome"] for r in run.results} == {"renewed"}
    (note,) = run.summary["notes"]
    assert (note["code"], note["rows"]) == ("note.multiline", "2、4、6")
    assert "引号" not in note["message"] and "没有单独检查" not in note["message"]


def test_renewals_own_csv_report_with_line_breaks_in_shop_names_raises_no_alarm(tmp_path):
    """The -o CSV of a workbook whose shop names hold a line break (as an ops sheet's
    店铺名称 does), checked again: renewal quoted the breaks itself."""
    book = openpyxl.load_workbook(XLSX)
    sheet = book["商家"] if "商家" in book.sheetnames else book.active
    shop = [cell.value for cell in sheet[1]].index("店铺名称") + 1
    for row in range(2, 6):
        sheet.cell(row, shop).value = f"家居\n服饰{row}号店"
    book.save(export := tmp_path / "e.xlsx")
    report = tmp_path / "r.csv"
    made = renewal(
        "check", export, "--rules", "2022", "--as-of", "2021-12-20", "--fail-on", "never",
        "-q", "-o", report,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    codes = notes(run_file(report, AFTER_DEADLINE))
    assert "note.open_quote" not in codes
    assert codes["note.multiline"]["count"] == 4
    assert "引号" not in str(codes["note.multiline"]["message"])


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(
    ("broken", "says"),
    [
        # a quote left open swallows the next line whole: two fields, and a row inside one
        ('m9,"never closed,2020-01-01\nm10,店,2020-01-01\n', "fields"),
        # closed again on the next row: as wide as the header, but a row swallowed whole
        ('m9,"店\nm10,店,2020-01-01",2020-01-01\n', "whole row"),
        # something past the header's last column
        ('m9,"店\n9",2020-01-01,"x\ny"\n', "too wide"),
    ],
    ids=["open_to_the_next_line", "row_inside_a_cell", "too_wide"],
)
def test_a_row_whose_quoting_looks_broken_is_named_as_a_quote_left_open(
    tmp_path, monkeypatch, broken, says, jobs
):
    """Among rows with quoted line breaks (each as wide as the header, its lines no rows:
    left alone), the one whose quoting went wrong is named, however the file was split
    between processes."""
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 3)
    fine = "".join(f'm{n},"店\n{n}",2020-01-01\n' for n in range(1, 9))  # rows 2-9
    trailing = 'm11,"店\n11",2020-01-01,\n'  # row 10: an empty field past the header is no harm
    path = csv_export(tmp_path, fine + trailing + broken + "m12,店,2020-01-01\n")
    codes = notes(run_file(path, AFTER_DEADLINE, jobs=jobs))
    assert codes["note.multiline"]["count"] == 10
    note = codes["note.open_quote"]
    assert (note["rows"], note["count"], note["width"]) == ("11", 1, 3), says
    assert "第 11 行的引号多半没有闭合" in str(note["message"])
