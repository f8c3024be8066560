"""`renewal remind`: merchants with something outstanding whose deadline is near, as a CSV
for a mail merge or an SMS import, or as a table."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row

from renewal.render.cells import guard_text
from renewal.timeutil import parse_duration

RULES = "tmall-2022"
DEADLINE = "2021-12-26 18:00"
WEEK_BEFORE = "2021-12-19 18:00"  # the deadline is exactly 7 days after this
JUST_BEFORE_WEEK = "2021-12-19 17:59:59"  # the deadline is 7 days and 1 second after this
MID_WINDOW = "2021-12-20 12:00"
COLUMN = {name: index for index, name in enumerate(EXPORT_HEADER)}
CONTACTS = ["店铺名称", "联系人", "联系电话", "邮箱"]


def pending_row(merchant_id: str, what: str) -> list[object]:
    row = renewed_row(merchant_id)
    if what == "agreement":
        row[COLUMN["协议签署时间"]] = ""
    elif what == "deposit":
        row[COLUMN["保证金余额"]] = "20000"  # 30,000 short of 50,000
    elif what == "deposit+fee":
        row[COLUMN["保证金余额"]] = "20000"
        row[COLUMN["年费已缴"]] = "0"
        row[COLUMN["年费缴纳时间"]] = ""  # 60,000 for 男装
    elif what == "exempt":
        row[COLUMN["合同签署时间"]] = "2021-11-19 10:01"
    elif what == "error":
        row[COLUMN["店铺类型"]] = "无此类型"
        row[COLUMN["保证金余额"]] = "0"  # the deposit cannot be derived: an error row
    return row


ROWS = [
    ("m-renewed", "renewed", ["织锦旗舰店", "张三", "13800000001", "a@example.com"]),
    (
        "m-agreement",
        "agreement",
        ['=HYPERLINK("http://x")', "@李四", "+8613800000000", "b@example.com"],
    ),
    ("m-deposit", "deposit", ["-朗逸旗舰店", "王五", "13800000003", ""]),
    ("m-both", "deposit+fee", ["素语旗舰店", "赵六", "13800000004", "d@example.com"]),
    ("m-exempt", "exempt", ["清欢旗舰店", "钱七", "13800000005", "e@example.com"]),
    ("m-error", "error", ["错误旗舰店", "孙八", "13800000006", "f@example.com"]),
]


def write_export(path: Path, contacts: list[str] = CONTACTS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, *contacts])
        for merchant_id, what, details in ROWS:
            writer.writerow([*pending_row(merchant_id, what), *details[: len(contacts)]])
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, for Excel
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_export(tmp_path / "export.csv")


def test_reminders_csv_lists_the_outstanding_merchants_with_their_contacts(export, tmp_path):
    out = tmp_path / "reminders.csv"
    run = renewal("remind", export, "--rules", RULES, "--as-of", MID_WINDOW, "-o", out)
    assert run.returncode == 0, run.stderr
    rows = read_csv(out)
    assert list(rows[0]) == [
        "商家ID",
        "店铺名称",
        "联系人",
        "联系电话",
        "邮箱",
        "待完成事项",
        "应缴金额(元)",
        "金额未知项",
        "截止时间",
        "剩余时间",
        "原行号",
        "数据错误",
    ]
    by_id = {row["商家ID"]: row for row in rows}
    assert set(by_id) == {"m-agreement", "m-deposit", "m-both"}  # not renewed, exempt, error
    both = by_id["m-both"]
    assert both["待完成事项"] == "缴存保证金；缴纳年费"
    assert both["应缴金额(元)"] == "90000"
    assert both["联系人"] == "赵六" and both["联系电话"] == "13800000004"
    assert both["截止时间"] == DEADLINE and both["剩余时间"] == "6天6小时"
    assert both["原行号"] == "5"
    assert by_id["m-agreement"]["待完成事项"] == "签署协议"
    assert by_id["m-agreement"]["应缴金额(元)"] == "0"
    assert by_id["m-deposit"]["应缴金额(元)"] == "30000"
    assert by_id["m-deposit"]["邮箱"] == ""
    assert "1 行数据错误" in run.stderr


def test_text_that_a_spreadsheet_would_run_is_guarded(export, tmp_path):
    out = tmp_path / "reminders.csv"
    renewal("remind", export, "--rules", RULES, "--as-of", MID_WINDOW, "-o", out)
    by_id = {row["商家ID"]: row for row in read_csv(out)}
    agreement = by_id["m-agreement"]
    assert agreement["店铺名称"] == '\'=HYPERLINK("http://x")'
    assert agreement["联系人"] == "'@李四"
    assert agreement["联系电话"] == "'+8613800000000"  # a phone number, not a formula or a number
    assert by_id["m-deposit"]["店铺名称"] == "'-朗逸旗舰店"
    assert by_id["m-both"]["店铺名称"] == "素语旗舰店"  # nothing to guard: unchanged


def test_without_contact_columns_only_the_shop_name_is_given(tmp_path):
    export = write_export(tmp_path / "bare.csv", contacts=[])
    out = tmp_path / "reminders.csv"
    run = renewal("remind", export, "--rules", RULES, "--as-of", MID_WINDOW, "-o", out)
    assert run.returncode == 0, run.stderr
    rows = read_csv(out)
    assert list(rows[0]) == [
        "商家ID",
        "店铺名称",
        "待完成事项",
        "应缴金额(元)",
        "金额未知项",
        "截止时间",
        "剩余时间",
        "原行号",
        "数据错误",
    ]
    assert {row["店铺名称"] for row in rows} == {""}


def test_contact_headers_are_found_however_they_are_written(tmp_path):
    export = write_export(
        tmp_path / "odd.csv", contacts=["店铺名称", "联系人", "手机号码", "电子邮箱"]
    )
    out = tmp_path / "reminders.csv"
    renewal("remind", export, "--rules", RULES, "--as-of", MID_WINDOW, "-o", out)
    rows = read_csv(out)
    assert {row["联系电话"] for row in rows} == {"'+8613800000000", "13800000003", "13800000004"}


@pytest.mark.parametrize(
    ("as_of", "within", "listed"),
    [
        (WEEK_BEFORE, "7d", True),  # the deadline is exactly as-of + 7 days: in
        (JUST_BEFORE_WEEK, "7d", False),  # one second beyond the period: out
        (JUST_BEFORE_WEEK, "7d1s", True),
        (WEEK_BEFORE, "168h", True),
        (WEEK_BEFORE, "6d23h", False),
        ("2021-12-25 06:00", "1d12h", True),  # exactly 36 hours before
        ("2021-12-25 05:59", "1d12h", False),
        (DEADLINE, "0s", True),  # at the deadline the steps can still be done: pending
    ],
)
def test_the_period_includes_a_deadline_exactly_at_its_end(export, tmp_path, as_of, within, listed):
    out = tmp_path / "reminders.csv"
    run = renewal(
        "remind", export, "--rules", RULES, "--as-of", as_of, "--within", within, "-o", out
    )
    assert run.returncode == 0, run.stderr
    ids = {row["商家ID"] for row in read_csv(out)}
    assert ids == ({"m-agreement", "m-deposit", "m-both"} if listed else set())


def test_time_left_at_the_edge_of_the_period(export, tmp_path):
    out = tmp_path / "reminders.csv"
    renewal("remind", export, "--rules", RULES, "--as-of", WEEK_BEFORE, "-o", out)
    assert {row["剩余时间"] for row in read_csv(out)} == {"7天"}


def test_after_the_deadline_there_is_nothing_to_remind_of(export, tmp_path):
    out = tmp_path / "reminders.csv"
    run = renewal("remind", export, "--rules", RULES, "--as-of", "2021-12-26 18:00:01", "-o", out)
    assert run.returncode == 0
    assert read_csv(out) == []


def test_english_headers_and_text(export, tmp_path):
    out = tmp_path / "reminders.csv"
    run = renewal(
        "remind", export, "--rules", RULES, "--as-of", MID_WINDOW, "-o", out, "--lang", "en"
    )
    assert run.returncode == 0, run.stderr
    rows = read_csv(out)
    assert list(rows[0])[:5] == ["merchant_id", "shop_name", "contact", "phone", "email"]
    both = next(row for row in rows if row["merchant_id"] == "m-both")
    assert both["missing"] == "Deposit top-up; annual fee payment"  # one sentence
    assert both["time_left"] == "6d 6h"


def test_the_table_is_the_default_on_stdout(export):
    run = renewal("remind", export, "--rules", RULES, "--as-of", MID_WINDOW)
    assert run.returncode == 0, run.stderr
    assert "3 个" in run.stdout
    for merchant_id in ("m-agreement", "m-deposit", "m-both"):
        assert merchant_id in run.stdout
    assert "m-renewed" not in run.stdout and "m-exempt" not in run.stdout
    assert "¥90,000" in run.stdout


def test_csv_on_stdout(export):
    run = renewal("remind", export, "--rules", RULES, "--as-of", MID_WINDOW, "--format", "csv")
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout.lstrip("\ufeff"), newline="")))
    assert {row["商家ID"] for row in rows} == {"m-agreement", "m-deposit", "m-both"}


def test_the_csv_is_written_atomically_and_never_over_the_input(export, tmp_path):
    out = tmp_path / "reminders.csv"
    out.write_text("previous", encoding="utf-8")
    renewal("remind", export, "--rules", RULES, "--as-of", MID_WINDOW, "-o", out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "reminders.csv"]
    same = renewal("remind", export, "--rules", RULES, "--as-of", MID_WINDOW, "-o", export)
    assert same.returncode == 2 and "Traceback" not in same.stderr
    assert export.read_text(encoding="utf-8").startswith("商家ID")


@pytest.mark.parametrize("within", ["7", "seven days", "-1d", "12h1d", ""])
def test_an_unreadable_period_exits_2(export, within):
    run = renewal("remind", export, "--rules", RULES, "--within", within)
    assert run.returncode == 2
    assert "--within" in run.stderr and "Traceback" not in run.stderr


def test_parse_duration():
    assert parse_duration("7d") == timedelta(days=7)
    assert parse_duration("72h") == timedelta(hours=72)
    assert parse_duration("1d12h") == timedelta(days=1, hours=12)
    assert parse_duration(" 2W ") == timedelta(weeks=2)
    assert parse_duration("90m") == timedelta(minutes=90)
    for bad in ("", "7", "d", "1.5d", "12h1d", "7d7d", "-1d", "1y"):
        with pytest.raises(ValueError):
            parse_duration(bad)


@pytest.mark.parametrize(
    ("text", "guarded"),
    [
        ("=1+1", "'=1+1"),
        ("+8613800000000", "'+8613800000000"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("织锦旗舰店", "织锦旗舰店"),
        ("13800000000", "13800000000"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_guard_text(text, guarded):
    assert guard_text(text) == guarded


def test_on_an_80_column_terminal_ids_phones_and_amounts_stay_whole(tmp_path):
    """A pipe or a small terminal is 80 columns: the merchant ids are long numbers in real
    exports, and a number broken over two lines cannot be copied or dialled."""
    import os
    import subprocess
    import sys

    ids = ["1000000000001", "1000000000002"]
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, *CONTACTS])
        for merchant_id in ids:
            row = pending_row(merchant_id, "deposit+fee")
            row[COLUMN["店铺类型"]] = "专卖店"  # 150,000 for a TM 专卖店
            row[COLUMN["商标状态"]] = "TM"
            writer.writerow([*row, "一个名字很长很长的旗舰店", "赵六", "+8613800000004", ""])
    env = {**os.environ, "COLUMNS": "80"}
    run = subprocess.run(
        [sys.executable, "-m", "renewal", "remind", str(path), "--rules", RULES]
        + ["--as-of", MID_WINDOW],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    for merchant_id in ids:
        assert merchant_id in run.stdout
    assert run.stdout.count("+8613800000004") == 2
    assert run.stdout.count("¥140,000") == 2  # 80,000 short of the deposit, 60,000 fee
    assert DEADLINE in lines[0] + lines[1]  # said once, in the title
    assert run.stdout.count(DEADLINE) == 1
    # a block per merchant, not a table whose columns are a character or two wide
    assert "┃" not in run.stdout and "│" not in run.stdout
    for number, merchant_id in enumerate(ids, start=2):
        assert f"第 {number} 行  {merchant_id}  一个名字很长很长的旗舰店" in lines
    assert sum(line.split() == ["联系人", "赵六"] for line in lines) == 2
