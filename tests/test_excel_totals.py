"""What Excel itself adds to a sheet or writes to a CSV: a Table's totals row (汇总 / Total),
分类汇总's group lines ('旗舰店 汇总', 'X Total') and its 总计 / Grand Total, amounts in the
accounting and currency formats (¥-, (¥1,234.00)); and renewal's own reports given back."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, XLSX, renewal, renewed_row, run_file

from renewal import pipeline
from renewal.intake.export import open_export
from renewal.intake.tables import IntakeError
from renewal.intake.values import Unreadable, parse_amount, parse_due

HEADER = EXPORT_HEADER
STORE_TYPE = HEADER.index("店铺类型")
BALANCE = HEADER.index("保证金余额")
PAID = HEADER.index("年费已缴")
APPEAL = HEADER.index("处罚申诉中")


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def text_file(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream, lineterminator="\r\n").writerows(rows)
    return path


def merchant(merchant_id: str, store_type: str = "旗舰店") -> list[object]:
    row = renewed_row(merchant_id)
    row[STORE_TYPE] = store_type
    row[BALANCE] = "150000"  # enough for any store type
    return row


def figures_line(label: str, column: int = 0, balance: object = 100000) -> list[object]:
    """A line as Excel writes a totals line: its label in one column, a sum in another."""
    line: list[object] = [""] * len(HEADER)
    line[column] = label
    line[BALANCE] = balance
    return line


def outcomes(run) -> list[tuple[str | None, str]]:
    return [(r["merchant_id"], r["outcome"]) for r in run.results]


# -- a Table's totals row --------------------------------------------------------------


@pytest.mark.parametrize("label", ["汇总", "Total", "合计"])
def test_a_tables_totals_row_is_not_a_merchant(tmp_path, label):
    """Chinese Excel labels a Table's totals row 汇总 (English Excel: Total), in the
    table's first column, with the sums beside it; a title sits above the table."""
    rows = [
        ["天猫续签商家清单"],
        ["导出时间 2021-12-27"],
        HEADER,
        merchant("m1"),
        merchant("m2"),
        figures_line(label),
    ]
    run = run_file(workbook(tmp_path / "table.xlsx", rows), AFTER_DEADLINE)
    assert outcomes(run) == [("m1", "renewed"), ("m2", "renewed")]
    assert run.summary["other_lines_skipped"] == 1
    assert run.summary["notes"] == []


def test_a_huizong_totals_row_leaves_the_exit_code_alone(tmp_path):
    rows = [HEADER, merchant("m1"), figures_line("汇总")]
    path = workbook(tmp_path / "table.xlsx", rows)
    run = renewal("check", path, "--rules", "2022", "--as-of", "2021-12-27", "-f", "json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["summary"]["outcomes"]["error"] == 0
    assert report["summary"]["other_lines_skipped"] == 1


# -- 分类汇总 (Subtotal) ----------------------------------------------------------------


def subtotalled(suffix: str, grand: str, column: int = STORE_TYPE) -> list[list[object]]:
    """Merchants grouped by store type, a group line below each group (its label in
    `column`, nothing under 商家ID, the group's sum in 保证金余额) and the grand line last."""
    rows: list[list[object]] = [HEADER]
    groups = {"专卖店": ["a1", "a2"], "专营店": ["b1"], "旗舰店": ["c1", "c2", "c3"]}
    for group, ids in groups.items():
        for merchant_id in ids:
            rows.append(merchant(merchant_id, group))
        rows.append(figures_line(f"{group} {suffix}", column, 50000 * len(ids)))
    rows.append(figures_line(grand, column, 300000))
    return rows


ALL_RENEWED = [(m, "renewed") for m in ("a1", "a2", "b1", "c1", "c2", "c3")]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize(("suffix", "grand"), [("汇总", "总计"), ("Total", "Grand Total")])
def test_subtotal_lines_are_skipped_and_do_not_end_the_data(
    tmp_path, monkeypatch, suffix, grand, jobs
):
    """Each group's line is not a merchant, and the merchants after it are read as the
    rows above it are: no note about rows below a 合计 line. The grand line ends the data:
    the signature under it is skipped, not an error row."""
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 2)  # group lines in both workers' blocks
    rows = [*subtotalled(suffix, grand), ["制表人：张三", "", "", "", "审核人：李四"]]
    run = run_file(workbook(tmp_path / "grouped.xlsx", rows), AFTER_DEADLINE, jobs=jobs)
    assert outcomes(run) == ALL_RENEWED
    assert run.summary["rows_read"] == 6
    assert run.summary["other_lines_skipped"] == 5  # 3 group lines, the grand line, 制表人
    assert run.summary["notes"] == []


def test_subtotal_lines_in_a_csv_saved_from_excel(tmp_path):
    """In a CSV every cell is text: the sums are amounts as the format shows them."""
    rows = subtotalled("汇总", "总计")
    for row in rows[1:]:
        if row[0] == "":
            row[BALANCE] = f" ¥{row[BALANCE]:,.2f} "
    run = run_file(text_file(tmp_path / "grouped.csv", rows), AFTER_DEADLINE)
    assert outcomes(run) == ALL_RENEWED
    assert run.summary["other_lines_skipped"] == 4
    assert run.summary["notes"] == []


def test_a_grand_total_far_right_still_ends_the_data(tmp_path):
    """Grouped by a column beyond the first few (处罚申诉中 here), 分类汇总 writes 总计 there,
    the cells before it blank: it ends the data, so the signature below is no merchant."""
    rows = [*subtotalled("汇总", "总计", APPEAL), ["", "", "", "", "", "制表人：张三"]]
    run = run_file(workbook(tmp_path / "grouped.xlsx", rows), AFTER_DEADLINE)
    assert outcomes(run) == ALL_RENEWED
    assert run.summary["other_lines_skipped"] == 5
    assert run.summary["notes"] == []


def test_a_note_beyond_the_first_columns_is_a_note(tmp_path):
    """A note typed further right, the cells before it blank, is a note like one in A."""
    note = ["", "", "", "", "", "注：金额单位为元"]
    run = run_file(workbook(tmp_path / "e.xlsx", [HEADER, merchant("m1"), note]), AFTER_DEADLINE)
    assert outcomes(run) == [("m1", "renewed")]
    assert run.summary["other_lines_skipped"] == 1


def test_merchants_named_like_a_total_are_merchants(tmp_path):
    """A shop name with 汇总 in it, on a row with a 商家ID, is that merchant, even where the
    name comes before the id; a row with no 商家ID but a merchant's cells is an error row,
    not a group line, whatever its name."""
    header = ["店铺名称", *HEADER]
    rows: list[list[object]] = [header]
    for merchant_id, name in (("m1", "汇总优品旗舰店"), ("m2", "好物 汇总"), ("m3", "汇总 好物")):
        rows.append([name, *merchant(merchant_id)])
    rows.append(["臻选 汇总", *merchant("")])
    run = run_file(workbook(tmp_path / "names.xlsx", rows), AFTER_DEADLINE)
    assert outcomes(run) == [
        ("m1", "renewed"),
        ("m2", "renewed"),
        ("m3", "renewed"),
        (None, "error"),
    ]
    assert run.summary["other_lines_skipped"] == 0


def test_a_group_line_with_more_text_than_its_label_is_a_row_without_an_id(tmp_path):
    line = figures_line("旗舰店 汇总", STORE_TYPE)
    line[HEADER.index("商标状态")] = "R"
    run = run_file(workbook(tmp_path / "e.xlsx", [HEADER, merchant("m1"), line]), AFTER_DEADLINE)
    assert outcomes(run) == [("m1", "renewed"), (None, "error")]


def test_a_real_total_line_still_ends_the_data(tmp_path):
    """Grand Total is the end, not a group's line: a merchant pasted below it is read and
    named in the note, as below a 合计 line."""
    rows = [HEADER, merchant("m1"), figures_line("Grand Total", STORE_TYPE), merchant("m2")]
    run = run_file(workbook(tmp_path / "e.xlsx", rows), AFTER_DEADLINE)
    assert outcomes(run) == [("m1", "renewed"), ("m2", "renewed")]
    [note] = run.summary["notes"]
    assert (note["code"], note["total"], note["rows"]) == ("note.after_total", 3, "4")


# -- amounts as the accounting and currency formats show them ----------------------------


@pytest.mark.parametrize("text", [" ¥-   ", "￥-", "¥ -", "¥--", "RMB -"])
def test_the_accounting_formats_zero_is_zero(text):
    assert parse_amount(text) == 0.0
    assert parse_due(text) == 0.0


@pytest.mark.parametrize("text", ["-", " -   ", "—"])
def test_a_bare_dash_is_still_an_amount_left_blank(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    "text",
    ["(¥1,234.00)", "(1,234.00)", "¥(1,234.00)", "（￥1,234.00）", " (¥1,234.00) ", "(1234)元"],
)
def test_an_amount_in_brackets_is_negative(text):
    assert parse_amount(text) == -1234.0
    with pytest.raises(Unreadable, match="cannot be negative"):
        parse_due(text)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("(-5)", "two signs"),
        ("(¥-5)", "two signs"),
        ("¥(¥5)", "not an amount"),
        ("()", "not an amount"),
        ("((5))", "not an amount"),
        ("(abc)", "not an amount"),
        ("(50.000)", "group thousands"),
        ("¥-5-", "not an amount"),
    ],
)
def test_what_only_looks_like_a_displayed_amount_is_refused(text, reason):
    with pytest.raises(Unreadable, match=reason):
        parse_amount(text)


def test_displayed_amounts_in_a_csv_decide_the_verdict(tmp_path):
    """¥- paid is nothing paid (the fee is owed, no error); a balance in brackets is
    overdrawn; an amount paid in brackets is an error row, as -1234 paid is."""
    zero_paid = merchant("zero-paid")
    zero_paid[PAID] = " ¥-   "
    overdrawn = merchant("overdrawn")
    overdrawn[BALANCE] = "(¥1,234.00)"
    negative_paid = merchant("negative-paid")
    negative_paid[PAID] = "(1,234.00)"
    path = text_file(tmp_path / "shown.csv", [HEADER, zero_paid, overdrawn, negative_paid])
    run = run_file(path, AFTER_DEADLINE)
    results = {r["merchant_id"]: r for r in run.results}
    assert results["zero-paid"]["outcome"] == "failed"
    assert results["zero-paid"]["annual_fee_due"] == 60000.0
    assert results["overdrawn"]["outcome"] == "failed"
    assert results["overdrawn"]["deposit_shortfall"] == 51234.0
    assert results["negative-paid"]["outcome"] == "error"


# -- renewal's own reports given back --------------------------------------------------


def test_the_problems_column_of_a_csv_report_checked_again_is_no_open_quote(tmp_path):
    """The 问题 cell lists one finding a line: those line breaks are the report's, and the
    run drops the column anyway. A line break in an export column still gets the note."""
    report = tmp_path / "r.csv"
    made = renewal(
        "check", XLSX, "--rules", "2022", "--as-of", "2021-12-20", "--fail-on", "never",
        "-q", "-o", report,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    with report.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    problems = rows[0].index("问题")
    assert any("\n" in row[problems] for row in rows[1:])  # what the note fired on

    again = run_file(report, AFTER_DEADLINE)
    # and that it holds the merchant rows alone (no 违规记录 or 资质): nothing else
    assert [n["code"] for n in again.summary["notes"]] == ["note.report_again", "note.report_alone"]

    shop = rows[0].index("店铺名称")
    rows[3][shop] += "\n二店"
    edited = text_file(tmp_path / "edited.csv", rows)
    codes = {n["code"]: n for n in run_file(edited, AFTER_DEADLINE).summary["notes"]}
    assert codes["note.multiline"]["rows"] == "4"


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    made = renewal(
        "check", XLSX, "--rules", "2022", "--as-of", "2021-12-27", "--fail-on", "never",
        "-q", "-o", folder / "night.json", "-o", folder / "night.jsonl",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    document = json.loads((folder / "night.json").read_text(encoding="utf-8"))
    pretty = json.dumps(document, ensure_ascii=False, indent=2)
    (folder / "pretty.json").write_text(pretty, encoding="utf-8")
    (folder / "night.txt").write_bytes((folder / "night.jsonl").read_bytes())
    return folder


@pytest.mark.parametrize("name", ["night.json", "night.jsonl", "pretty.json", "night.txt"])
def test_a_renewal_report_given_as_the_export_is_named_as_one(reports, name):
    with pytest.raises(IntakeError) as refused:
        open_export(reports / name)
    assert refused.value.key == "intake.renewal_report"


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("zh", "这是 renewal 的检查报告（JSON），不是商家导出；比较两次检查请用 renewal diff"),
        ("en", "this is a renewal report (JSON), not a merchant export; compare two runs with"),
    ],
)
def test_check_says_a_report_is_a_report(reports, lang, says):
    run = renewal("check", reports / "night.json", "--rules", "2022", "--lang", lang)
    assert run.returncode == 2
    assert says in run.stderr and "--baseline" in run.stderr
    assert "Traceback" not in run.stderr


def test_other_json_is_still_a_file_without_a_header(tmp_path):
    path = tmp_path / "other.json"
    path.write_text('{"merchant_id": "m1", "outcome": "renewed"}\n', encoding="utf-8")
    with pytest.raises(IntakeError) as refused:
        open_export(path)
    assert refused.value.key == "intake.no_header_file"
