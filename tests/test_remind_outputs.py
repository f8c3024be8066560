"""`renewal remind`'s outputs beyond the CSV: the Excel workbook (`-o x.xlsx`, `--format
xlsx`), how the format is picked from the output's name, the Chinese units of `--within`
and `--due-soon`, a reminder whose amount is only partly known, and how a negative amount
of money is written."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from conftest import EXPORT_HEADER, XLSX, renewal, renewed_row
from test_remind import CONTACTS, MID_WINDOW, RULES, pending_row, read_csv

from renewal import i18n
from renewal.timeutil import parse_duration

FIXTURE_AS_OF = "2021-11-19 11:00"
"""At this as-of, before the window opens, the fixture's renewed-at-deadline-exactly has its
deposit top-up and its annual fee payment still ahead: the fee owed is known (the whole
60,000: nothing inside the window can be paid yet), the deposit short is not (the top-up
time is after the as-of, so the balance before it is unknown). Once the window is open, a
fee paid after the as-of is unknown too (年费已缴 is the total up to that payment)."""
WITHIN = ("--within", "40d")  # the deadline is 37 days ahead

PARTLY_KNOWN = "renewed-at-deadline-exactly"

ROWS = [
    # an all-digit id with a leading zero: text, not the number 12345
    ("0012345", "deposit+fee", ["素语旗舰店", "赵六", "13800000004", "d@example.com"]),
    ("1000000000001", "deposit", ['=HYPERLINK("http://x")', "@李四", "+8613800000000", ""]),
    ("m-agreement", "agreement", ["-朗逸旗舰店", "王五", "13800000003", "c@example.com"]),
    ("m-renewed", "renewed", ["织锦旗舰店", "张三", "13800000001", "a@example.com"]),
]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, *CONTACTS])
        for merchant_id, what, details in ROWS:
            writer.writerow([*pending_row(merchant_id, what), *details])
    return path


def remind(export: Path, *args: str | Path, as_of: str = MID_WINDOW):
    return renewal("remind", export, "--rules", RULES, "--as-of", as_of, *args)


def shown(text: str) -> str:
    """A CSV cell as a spreadsheet shows it: without the ' that keeps text from being a
    formula, or the ="…" that keeps digits (0012345) from becoming a number."""
    if text.startswith('="') and text.endswith('"'):
        return text[2:-1]
    return text[1:] if text.startswith("'") else text


def sheet_rows(path: Path) -> tuple[openpyxl.worksheet.worksheet.Worksheet, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()))  # whatever its name
    sheet = book.worksheets[0]
    return sheet, [tuple(row) for row in sheet.iter_rows()]


def is_workbook(path: Path) -> bool:
    return zipfile.is_zipfile(path) and "xl/workbook.xml" in zipfile.ZipFile(path).namelist()


# --- the workbook ----------------------------------------------------------------------


def test_o_xlsx_writes_a_workbook_holding_what_the_csv_holds(export, tmp_path):
    book_path, csv_path = tmp_path / "r.xlsx", tmp_path / "r.csv"
    run = remind(export, "-o", book_path)
    assert run.returncode == 0, run.stderr
    assert remind(export, "-o", csv_path).returncode == 0
    assert is_workbook(book_path)
    sheet, rows = sheet_rows(book_path)
    expected = read_csv(csv_path)
    header = [cell.value for cell in rows[0]]
    assert header == list(expected[0])  # the same columns, in the same order
    assert sheet.freeze_panes == "A2"  # the header stays in view
    assert len(rows) == 1 + len(expected)
    by_id = {row[0].value: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_id) == {"0012345", "1000000000001", "m-agreement"}
    for wanted in expected:
        got = by_id[shown(wanted["商家ID"])]
        for name, text in wanted.items():
            cell = got[name]
            if name == "应缴金额(元)":
                assert isinstance(cell.value, int | float) and cell.value == float(text)
            elif name == "截止时间":
                assert cell.value == datetime(2021, 12, 26, 18, 0)
            elif name == "原行号":
                assert isinstance(cell.value, int) and cell.value == int(text)
            elif text:
                # text stays text: no leading apostrophe in the value, a quote prefix instead
                assert cell.data_type == "s" and isinstance(cell.value, str)
                assert cell.value == shown(text)
                assert cell.quotePrefix == text.startswith("'"), (name, text)
            else:
                assert cell.value is None
    both = by_id["0012345"]
    assert both["应缴金额(元)"].value == 90000
    assert both["应缴金额(元)"].number_format != "General"  # shown as money
    assert both["截止时间"].is_date
    assert by_id["1000000000001"]["联系电话"].value == "+8613800000000"
    assert by_id["1000000000001"]["店铺名称"].value == '=HYPERLINK("http://x")'


def test_the_workbook_columns_are_wide_enough_to_read(export, tmp_path):
    out = tmp_path / "r.xlsx"
    assert remind(export, "-o", out).returncode == 0
    sheet, rows = sheet_rows(out)
    letters = {cell.value: cell.column_letter for cell in rows[0]}
    width = {name: sheet.column_dimensions[letter].width for name, letter in letters.items()}
    assert width["截止时间"] >= 16  # 2021-12-26 18:00, not ########
    assert width["商家ID"] >= len("1000000000001")
    assert width["待完成事项"] >= len("缴存保证金；缴纳年费") * 2  # CJK is two columns wide
    assert all(w <= 80 for w in width.values())


def test_format_xlsx_writes_a_workbook_whatever_the_name(export, tmp_path):
    out = tmp_path / "reminders.dat"
    run = remind(export, "--format", "xlsx", "-o", out, "--lang", "en")
    assert run.returncode == 0, run.stderr
    assert is_workbook(out)
    _, rows = sheet_rows(out)
    assert rows[0][0].value == i18n.catalog("en")["listing.merchant_id"]
    assert "3 merchants" in run.stderr  # the title, as for the CSV


def test_english_headers_people_read_are_words_and_the_csv_keeps_its_merge_fields(export, tmp_path):
    """The table and the workbook are read by people: English words, as check's English
    table names the same columns; the CSV's names are a mail merge's fields: fixed keys."""
    book_path, csv_path = tmp_path / "r.xlsx", tmp_path / "r.csv"
    run = remind(export, "--lang", "en", "-o", "-", "-o", book_path, "-o", csv_path, "-f", "table")
    assert run.returncode == 0, run.stderr
    keys = list(read_csv(csv_path)[0])
    assert keys[0] == "merchant_id" and "time_left" in keys and "amount_due_cny" in keys
    assert all(re.fullmatch(r"[a-z_]+", key) for key in keys)  # usable as merge fields
    _, rows = sheet_rows(book_path)
    header = [cell.value for cell in rows[0]]
    assert len(header) == len(keys)
    english = i18n.catalog("en")
    for words in (header, run.stdout):
        assert english["listing.merchant_id"] in words and english["annotated.time_left"] in words
        assert not any(key in words for key in keys if "_" in key), words
    assert all(" " in name or name.isalpha() for name in header)


def test_the_workbook_is_written_atomically(export, tmp_path):
    out = tmp_path / "r.xlsx"
    out.write_text("previous", encoding="utf-8")
    assert remind(export, "-o", out).returncode == 0
    assert is_workbook(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "r.xlsx"]


@pytest.mark.parametrize("args", [["--format", "xlsx"], ["--format", "xlsx", "-o", "-"]])
def test_an_xlsx_on_standard_output_is_refused(export, args):
    run = remind(export, *args)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "Excel" in run.stderr and run.stdout == ""


# --- which format a name asks for --------------------------------------------------------


def test_the_extension_picks_the_format_as_for_check(export, tmp_path):
    table = tmp_path / "r.txt"
    assert remind(export, "-o", table).returncode == 0
    text = table.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff") and "0012345" in text and "¥90,000" in text
    plain = tmp_path / "reminders"  # no extension: CSV, as before
    assert remind(export, "-o", plain).returncode == 0
    ids = {shown(row["商家ID"]) for row in read_csv(plain)}
    assert ids == {"0012345", "1000000000001", "m-agreement"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("r.json", "json"),  # a format remind does not write
        ("r.html", "html"),
        ("r.xls", "--format"),  # an extension that names no format: as check says
    ],
)
def test_an_extension_remind_does_not_write_is_refused(export, tmp_path, name, expected):
    out = tmp_path / name
    run = remind(export, "-o", out)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert expected in run.stderr and name in run.stderr
    assert not out.exists()


def test_an_unknown_format_names_the_three(export):
    run = remind(export, "--format", "json")
    assert run.returncode == 2
    assert "table、csv、xlsx" in run.stderr


# --- several outputs from one run --------------------------------------------------------


@pytest.mark.parametrize("order", ["csv first", "xlsx first"])
def test_every_output_is_written_each_in_its_format(export, tmp_path, order):
    """`-o a.csv -o b.xlsx` writes both, as check does: not only the last one."""
    csv_path, book_path, table_path = tmp_path / "r.csv", tmp_path / "r.xlsx", tmp_path / "r.txt"
    paths = [csv_path, book_path] if order == "csv first" else [book_path, csv_path]
    run = remind(export, "-o", paths[0], "-o", paths[1], "-o", table_path)
    assert run.returncode == 0, run.stderr
    ids = {"0012345", "1000000000001", "m-agreement"}
    assert {shown(row["商家ID"]) for row in read_csv(csv_path)} == ids
    assert is_workbook(book_path)
    _, rows = sheet_rows(book_path)
    assert {row[0].value for row in rows[1:]} == ids
    assert all(merchant_id in table_path.read_text(encoding="utf-8") for merchant_id in ids)
    for path in (csv_path, book_path, table_path):
        assert f"{path}" in run.stderr  # each "wrote" line


def test_standard_output_beside_files_takes_the_format(export, tmp_path):
    book_path = tmp_path / "r.xlsx"
    run = remind(export, "-o", "-", "-o", book_path, "--format", "table")
    assert run.returncode == 0, run.stderr
    assert is_workbook(book_path)
    assert "¥90,000" in run.stdout and "商家ID" in run.stdout  # the table, not the CSV


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["-o", "{b.xlsx}", "-o", "{a.csv}", "-f", "csv"], "--format csv"),  # b.xlsx clashes
        (["-o", "{a.csv}", "-o", "{a.csv}"], "两次"),
        (["-o", "-", "-o", "{a.csv}", "-o", "-"], "-o -"),
        (["-o", "{export}", "-o", "{a.csv}"], "输入文件"),
        (["-o", "{b.json}", "-o", "{a.csv}"], "json"),
    ],
    ids=["format clash", "the same file twice", "stdout twice", "the input", "not remind's"],
)
# each refused output comes first: a run that wrote only the last -o would not notice it
def test_a_refused_output_among_several_leaves_every_one_unwritten(
    export, tmp_path, args, expected
):
    names = {"a.csv": tmp_path / "a.csv", "b.xlsx": tmp_path / "b.xlsx"}
    names |= {"b.json": tmp_path / "b.json", "export": export}
    given = [str(names[arg[1:-1]]) if arg.startswith("{") else arg for arg in args]
    before = export.read_bytes()
    run = remind(export, *given)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert expected in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]
    assert export.read_bytes() == before and run.stdout == ""


# --- durations in Chinese ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7天", timedelta(days=7)),
        ("3日", timedelta(days=3)),
        ("72小时", timedelta(hours=72)),
        ("72个小时", timedelta(hours=72)),
        ("1天12小时", timedelta(days=1, hours=12)),
        ("1天 12小时", timedelta(days=1, hours=12)),
        ("1天12h", timedelta(days=1, hours=12)),
        ("90分钟", timedelta(minutes=90)),
        ("30秒", timedelta(seconds=30)),
        ("2周", timedelta(weeks=2)),
        ("2星期", timedelta(weeks=2)),
        ("７天", timedelta(days=7)),  # full-width digit, as a Chinese input method types it
        ("７ｄ", timedelta(days=7)),
        ("0d", timedelta(0)),
        ("0天", timedelta(0)),
    ],
)
def test_parse_duration_reads_chinese_units(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text", ["七天", "天", "7年", "7天7天", "12小时1天", "1.5天", "-1天", "7 天天", "0", "7"]
)
def test_parse_duration_still_refuses_nonsense(text):
    with pytest.raises(ValueError):
        parse_duration(text)


def test_within_in_chinese_lists_what_the_latin_unit_lists(export):
    chinese = remind(export, "--format", "csv", "--within", "7天")
    assert chinese.returncode == 0, chinese.stderr
    latin = remind(export, "--format", "csv", "--within", "7d")
    assert chinese.stdout == latin.stdout
    assert "7天内" in chinese.stderr


def test_within_zero_lists_only_a_deadline_exactly_at_the_as_of(export):
    at = remind(export, "--format", "csv", "--within", "0天", as_of="2021-12-26 18:00")
    before = remind(export, "--format", "csv", "--within", "0天", as_of="2021-12-26 17:59:59")
    assert at.returncode == before.returncode == 0
    ids = [shown(row["商家ID"]) for row in csv.DictReader(io.StringIO(at.stdout.lstrip("\ufeff")))]
    assert sorted(ids) == ["0012345", "1000000000001", "m-agreement"]
    assert before.stdout.lstrip("\ufeff").count("\n") == 1  # the header alone


@pytest.mark.parametrize(("lang", "shown"), [("zh", "示例：7天、72小时、1天12小时"), ("en", "7天")])
def test_an_unreadable_within_shows_chinese_examples(export, lang, shown):
    run = remind(export, "--within", "七天", "--lang", lang)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "--within" in run.stderr and shown in run.stderr


def test_due_soon_reads_chinese_units(export):
    import json

    run = renewal(
        "check", export, "--rules", RULES, "--as-of", MID_WINDOW, "-f", "json",
        "--fail-on", "never", "--due-soon", "7天",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    soon = json.loads(run.stdout)["summary"]["due_soon"]
    assert soon["within_seconds"] == 7 * 86400
    assert soon["merchants"] == 3
    bad = renewal("check", export, "--rules", RULES, "--due-soon", "三天")
    assert bad.returncode == 2 and "--due-soon" in bad.stderr and "3天" in bad.stderr


# --- an amount only partly known ---------------------------------------------------------


def fixture_reminders(*args: str, lang: str = "zh") -> list[dict[str, str]]:
    run = renewal(
        "remind", XLSX, "--rules", RULES, "--as-of", FIXTURE_AS_OF, *WITHIN, "--format", "csv",
        "--lang", lang, *args,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return list(csv.DictReader(io.StringIO(run.stdout.lstrip("\ufeff"), newline="")))


def test_the_csv_gives_the_known_part_and_names_the_unknown_one():
    by_id = {row["商家ID"]: row for row in fixture_reminders()}
    partly = by_id[PARTLY_KNOWN]
    assert partly["应缴金额(元)"] == "60000"  # the annual fee; the deposit short is unknown
    assert partly["金额未知项"] == "保证金"
    short = by_id["failed-deposit-short"]  # everything known: the marker is empty
    assert short["应缴金额(元)"] == "80000" and short["金额未知项"] == ""  # 20,000 + the fee
    assert by_id["failed-no-signup"]["金额未知项"] == ""
    # the marker sits right after the amount, for a mail-merge template to read both
    header = list(partly)
    assert header.index("金额未知项") == header.index("应缴金额(元)") + 1


def test_the_marker_in_english():
    by_id = {row["merchant_id"]: row for row in fixture_reminders(lang="en")}
    assert by_id[PARTLY_KNOWN]["amount_due_cny"] == "60000"
    assert by_id[PARTLY_KNOWN]["amount_unknown"] == "deposit"
    assert by_id["failed-fee-partial"]["amount_unknown"] == ""


def test_the_workbook_and_the_table_say_the_same(tmp_path):
    out = tmp_path / "r.xlsx"
    common = ["remind", XLSX, "--rules", RULES, "--as-of", FIXTURE_AS_OF, *WITHIN]
    assert renewal(*common, "-o", out).returncode == 0
    _, rows = sheet_rows(out)
    header = [cell.value for cell in rows[0]]
    partly = next(dict(zip(header, r, strict=True)) for r in rows if r[0].value == PARTLY_KNOWN)
    assert partly["应缴金额(元)"].value == 60000
    assert partly["金额未知项"].value == "保证金"
    table = renewal(*common)
    assert table.returncode == 0, table.stderr
    (line,) = [line for line in table.stdout.splitlines() if PARTLY_KNOWN in line]
    assert "¥60,000" in line and "保证金" in line.split("¥60,000", 1)[1]
    assert "金额未知项" in table.stdout


def test_a_table_with_every_amount_known_has_no_marker_column(export):
    run = remind(export)
    assert run.returncode == 0, run.stderr
    assert "¥90,000" in run.stdout and "金额未知项" not in run.stdout


# --- money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (50000, "¥50,000"),
        (50000.5, "¥50,000.50"),
        (0, "¥0"),
        (-5, "-¥5"),
        (-1234.5, "-¥1,234.50"),
        (-0.0, "¥0"),
        (-0.001, "¥0"),  # a rounding remnant is nothing, not minus nothing
    ],
)
def test_yuan_puts_the_minus_before_the_sign(amount, shown):
    assert i18n.yuan(amount) == shown


@pytest.mark.parametrize(
    ("lang", "as_of", "shown"),
    [
        ("zh", MID_WINDOW, "保证金余额 -¥5，应缴 ¥50,000，尚差 ¥50,005"),
        ("en", MID_WINDOW, "Deposit balance -¥5, required ¥50,000: ¥50,005 short"),
        ("en", "2021-12-27 12:00", "the deposit balance -¥5 was below the required ¥50,000"),
    ],
)
def test_a_negative_balance_reads_minus_yuan(tmp_path, lang, as_of, shown):
    import json

    row = renewed_row("m-negative")
    row[EXPORT_HEADER.index("保证金余额")] = "-5"
    path = tmp_path / "negative.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, row])
    common = ["--rules", RULES, "--as-of", as_of, "--lang", lang]
    run = renewal("check", path, *common, "-f", "json", "--fail-on", "never")
    assert run.returncode == 0, run.stderr
    (merchant,) = json.loads(run.stdout)["merchants"]
    (deposit,) = [f for f in merchant["findings"] if f["rule"] == "DP01"]
    assert shown in deposit["message"]
    assert "¥-" not in run.stdout
    checklist = renewal("self-check", path, *common)
    assert shown in checklist.stdout and "¥-" not in checklist.stdout


def test_a_year_without_an_annual_fee_leaves_an_unknown_deposit_blank_not_zero(tmp_path):
    """2025年度 has no annual fee: a merchant whose deposit shortfall is unknown (its top-up
    is after the as-of) has no known part of the amount, so 应缴金额 is blank (README),
    never a ¥0 that a letter would send."""
    row = [*renewed_row("m25"), "2024-12-25 10:00"]
    row[EXPORT_HEADER.index("协议签署时间")] = ""
    header = [*EXPORT_HEADER, "保证金补缴时间"]
    path = tmp_path / "e.csv"
    path.write_text("\n".join(",".join(map(str, line)) for line in (header, row)) + "\n", "utf-8")
    out = tmp_path / "r.csv"
    as_of = ("--as-of", "2024-12-20 12:00", "--within", "30d")
    run = renewal("remind", path, "--rules", "tmall-2025", *as_of, "-o", out)
    assert run.returncode == 0, run.stderr
    (reminder,) = csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines())
    assert reminder["金额未知项"] == "保证金"
    assert reminder["应缴金额(元)"] == ""
