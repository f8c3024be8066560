"""What an ops user reads: the check table's reason for a cell that cannot be read says
why, as the LD04 finding does; `remind`'s table on standard output is capped as check's
is (`--limit`, and a line saying how many more), its CSV and workbook never, its table file
only by an explicit --limit; and the remind CSV keeps
an id's digits as the check CSV does (="…"), beside its ' before what could be a formula."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import orjson
import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row, write_csv
from test_remind import CONTACTS, MID_WINDOW, RULES, pending_row, read_csv

AFTER_DEADLINE = "2021-12-27 00:00"
COLUMN = {name: index for index, name in enumerate(EXPORT_HEADER)}


# --- check's table: why a cell cannot be read ---------------------------------------


def unreadable_export(tmp_path: Path) -> Path:
    day_only = renewed_row("day-only")
    day_only[COLUMN["续签报名时间"]] = "2021年12月26日"  # the deadline's day: the time decides
    amount = renewed_row("not-an-amount")
    amount[COLUMN["保证金余额"]] = "5万5千"
    return write_csv(tmp_path / "export.csv", EXPORT_HEADER, [day_only, amount])


def ld04_messages(export: Path, lang: str) -> dict[str, str]:
    """Each merchant's LD04 warning, as the JSON report gives it: the cell and why."""
    args = ("--rules", RULES, "--as-of", AFTER_DEADLINE, "--lang", lang)
    run = renewal("check", export, *args, "-f", "json")
    assert run.returncode in (0, 1), run.stderr
    said = {}
    for merchant in orjson.loads(run.stdout)["merchants"]:
        (found,) = [f for f in merchant["findings"] if f["rule"] == "LD04"]
        said[merchant["merchant_id"]] = found["message"]
    return said


@pytest.mark.parametrize(
    ("lang", "why"),
    [
        ("zh", {"day-only": "只有日期没有时刻", "not-an-amount": "不是金额（示例"}),
        ("en", {"day-only": "a day with no time of day", "not-an-amount": "not an amount"}),
    ],
)
def test_the_table_says_why_a_cell_cannot_be_read(tmp_path, lang, why):
    export = unreadable_export(tmp_path)
    expected = ld04_messages(export, lang)
    for merchant_id, reason in why.items():
        assert reason in expected[merchant_id]  # the LD04 warning says why …
    args = ("--rules", RULES, "--as-of", AFTER_DEADLINE, "--lang", lang)
    run = renewal("check", export, *args, columns=300)
    assert run.returncode == 1, run.stderr
    rows = [line.split("│") for line in run.stdout.splitlines() if line.count("│") > 6]
    reasons = {cells[2].strip(): cells[5].strip() for cells in rows}  # 行, 商家ID, … 原因
    for merchant_id in why:  # … and so does the table's reason: the same words, whole
        assert reasons[merchant_id] == expected[merchant_id]


def test_a_narrow_terminal_folds_the_reason_and_keeps_why(tmp_path):
    export = unreadable_export(tmp_path)
    run = renewal("check", export, "--rules", RULES, "--as-of", AFTER_DEADLINE, columns=60)
    assert run.returncode == 1, run.stderr
    assert "需要处理的商家" in run.stdout  # a block per merchant
    joined = "".join(line.strip() for line in run.stdout.splitlines())
    assert "「续签报名时间」的值「2021年12月26日」只有日期没有时刻" in joined
    assert "「保证金余额」的值「5万5千」无法读取：不是金额（示例" in joined


# --- remind's table: capped on standard output, as check's is ------------------------


def many_reminders(tmp_path: Path, count: int, owing: set[int]) -> Path:
    """`count` merchants to remind (lim-001 …), the ones in `owing` owing money (the
    most urgent at the same deadline), the others only a signature short."""
    path = tmp_path / "many.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, *CONTACTS])
        for number in range(1, count + 1):
            what = "deposit+fee" if number in owing else "agreement"
            contacts = [f"店{number}", "张三", "13800000001", "a@example.com"]
            writer.writerow([*pending_row(f"lim-{number:03}", what), *contacts])
    return path


def remind(export: Path, *args: str | Path) -> str:
    run = renewal("remind", export, "--rules", RULES, "--as-of", MID_WINDOW, *args)
    assert run.returncode == 0, run.stderr
    return run.stdout


def listed(text: str) -> list[str]:
    return [word for word in text.split() if word.startswith("lim-")]


def test_remind_lists_50_on_standard_output_and_says_how_to_see_the_rest(tmp_path):
    export = many_reminders(tmp_path, 60, owing=set())
    out = remind(export)
    assert len(listed(out)) == 50
    assert "另有 10 个商家须提醒，未列出；用 --limit 0 列出全部" in out
    assert len(listed(remind(export, "--limit", "0"))) == 60
    english = remind(export, "--lang", "en", "--limit", "59")
    assert len(listed(english)) == 59
    assert "1 more merchant to remind, not listed; use --limit 0 to list all" in english


def test_the_limit_keeps_the_most_urgent_in_the_export_order(tmp_path):
    export = many_reminders(tmp_path, 12, owing={4, 9, 11})
    out = remind(export, "--limit", "3")
    assert listed(out) == ["lim-004", "lim-009", "lim-011"]  # the most owed, row order
    args = ("--rules", RULES, "--as-of", MID_WINDOW, "--limit", "3")
    narrow = renewal("remind", export, *args, columns=60).stdout
    assert listed(narrow) == ["lim-004", "lim-009", "lim-011"]  # a block each
    assert "另有 9 个商家须提醒" in "".join(line.strip() for line in narrow.splitlines())


def test_nothing_said_when_every_reminder_is_listed(tmp_path):
    out = remind(many_reminders(tmp_path, 50, owing=set()))
    assert len(listed(out)) == 50 and "--limit" not in out


def test_the_files_hold_every_reminder(tmp_path):
    export = many_reminders(tmp_path, 60, owing=set())
    csv_path, book_path, table_path = tmp_path / "r.csv", tmp_path / "r.xlsx", tmp_path / "r.txt"
    remind(export, "-o", csv_path, "-o", book_path, "-o", table_path, "--limit", "5")
    assert len(read_csv(csv_path)) == 60
    sheet = openpyxl.load_workbook(book_path).worksheets[0]
    assert sheet.max_row == 61
    table = table_path.read_text(encoding="utf-8")
    assert len(listed(table)) == 5  # a table file lists every one unless --limit is given
    remind(export, "-o", table_path)
    table = table_path.read_text(encoding="utf-8")
    assert len(listed(table)) == 60 and "--limit" not in table
    piped = remind(export, "-f", "csv", "--limit", "5")  # the CSV on standard output too
    assert len(list(csv.DictReader(io.StringIO(piped.lstrip("\ufeff"))))) == 60


# --- remind's CSV: an id's digits kept as check's CSV keeps them ---------------------

IDS = {
    "000000000000000002": '="000000000000000002"',  # a leading zero: Excel shows 2
    "003200000000000000004": '="003200000000000000004"',  # and over 15 digits
    "12345678901234567": '="12345678901234567"',  # 1.23457E+16 in Excel
    "2200000001": "2200000001",  # a number Excel keeps as it is: bare
}


def ids_export(tmp_path: Path) -> Path:
    path = tmp_path / "ids.csv"
    phones = ["+8613800000001", "02155550005", "13800000003", "-138"]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, *CONTACTS])
        for merchant_id, phone in zip(IDS, phones, strict=True):
            contacts = ["店", "@李四", phone, ""]
            writer.writerow([*pending_row(merchant_id, "agreement"), *contacts])
    return path


def test_the_remind_csv_keeps_ids_as_the_check_csv_does(tmp_path):
    export = ids_export(tmp_path)
    reminders, report = tmp_path / "r.csv", tmp_path / "report.csv"
    remind(export, "-o", reminders)
    renewal("check", export, "--rules", RULES, "--as-of", MID_WINDOW, "-o", report)
    written = [row["商家ID"] for row in read_csv(reminders)]
    assert written == list(IDS.values())
    assert written == [row["商家ID"] for row in read_csv(report)]  # the same helper's text
    phones = [row["联系电话"] for row in read_csv(reminders)]
    # a formula guard stays a ', a landline's leading 0 is kept as an id's
    assert phones == ["'+8613800000001", '="02155550005"', "13800000003", "'-138"]
    assert {row["联系人"] for row in read_csv(reminders)} == {"'@李四"}


def test_the_reminder_workbook_holds_ids_as_plain_text(tmp_path):
    book_path = tmp_path / "r.xlsx"
    remind(ids_export(tmp_path), "-o", book_path)
    sheet = openpyxl.load_workbook(book_path).worksheets[0]
    ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert ids == list(IDS)  # text, with neither mark
