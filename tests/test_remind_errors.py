"""`renewal remind` and the rows in `error` (ex16 §1, §2b): a merchant whose row cannot be
judged in full but which certainly still has something to do (a step not done, a blocker
set, a known shortfall) is reminded of that, its amount a lower bound named in 金额未知项,
and its last column (数据错误) says what data to fix. An error row with nothing certain is
left out, and its count is said in the table's title, on the workbook's 说明 sheet and on
stderr, even with `--quiet`: a nightly SMS job must not lose a reminder without a trace.

An unreadable payment time beside an amount short of the fee (AF01), or an unreadable
top-up time beside a balance short of the deposit (DP01), fails whatever the time, owing
at least the rest; and an `error` row's next action names the data fix and the first step
it certainly has to do.

2022年度: deadline 2021-12-26 18:00; a 旗舰店 R 男装 owes a ¥50,000 deposit and a ¥60,000 fee.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row

RULES = "tmall-2022"
AS_OF = "2021-12-20 09:30"  # 6天8小时30分钟 before the deadline
HEADER = [*EXPORT_HEADER, "保证金补缴时间", "联系电话"]
COLUMN = {name: index for index, name in enumerate(HEADER)}


def row(merchant_id: str, **cells: object) -> list[object]:
    """A 旗舰店 R 男装 merchant that renewed on 2021-11-20, with `cells` (by header) replaced."""
    cells.setdefault("联系电话", "13800000000")
    values = [*renewed_row(merchant_id), "", ""]
    for header, value in cells.items():
        values[COLUMN[header]] = value
    return values


ROWS = [
    # an ordinary pending merchant: the agreement not signed
    row("pending", 协议签署时间=""),
    # the deposit cannot be told (a store type the table does not know), and certainly the
    # agreement is not signed and the fee not paid
    row("err-certain", 店铺类型="旗艦店", 协议签署时间="", 年费已缴="", 年费缴纳时间=""),
    # the fee cannot be told (a category the table does not know, no 年费应缴, ¥45,000 paid:
    # enough for one tier, not the other), and certainly the sign-up is missing and the
    # deposit ¥30,000 short
    row(
        "err-fee-unknown",
        主营类目="无此类目",
        续签报名时间="",
        保证金余额="20000",
        年费已缴="45000",
    ),
    # the deposit cannot be told, everything else done: nothing is certain
    row("err-nothing", 店铺类型="旗艦店"),
    # an id on two rows: neither can be trusted, whatever it says
    row("dup", 协议签署时间=""),
    row("dup", 协议签署时间=""),
    # ex16 §2b: ¥30,000 paid of ¥60,000 at a time with no year; the deposit ¥50,000 short
    row("fee-time-unread", 年费已缴="30000", 年费缴纳时间="12月1日", 保证金余额="0"),
    # a top-up time that cannot be read beside a balance ¥10,000 short
    row("top-up-unread", 保证金余额="40000", 保证金补缴时间="上周"),
]
LISTED = {"pending", "err-certain", "err-fee-unknown", "fee-time-unread", "top-up-unread"}
"""Reminded at AS_OF: err-nothing and both rows of dup are left out."""


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return path


def remind(export: Path, *args: str | Path, as_of: str = AS_OF) -> Any:
    return renewal("remind", export, "--rules", RULES, "--as-of", as_of, *args)


def read_csv(path: Path) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    return {row.get("商家ID") or row["merchant_id"]: row for row in rows}


def check(export: Path, as_of: str = AS_OF) -> dict[str, dict[str, Any]]:
    args = ["--rules", RULES, "--as-of", as_of, "-f", "json", "--fail-on", "never"]
    run = renewal("check", export, *args)
    assert run.returncode == 0, run.stderr
    merchants = json.loads(run.stdout)["merchants"]
    return {m["merchant_id"]: m for m in merchants if m["merchant_id"] != "dup"}


def finding(merchant: dict[str, Any], rule: str) -> dict[str, Any]:
    (found,) = [f for f in merchant["findings"] if f["rule"] == rule]
    return found


# --- what check says ---------------------------------------------------------------------


def test_an_unreadable_payment_time_beside_a_short_amount_fails_owing_at_least_the_rest(export):
    merchant = check(export)["fee-time-unread"]
    fee = finding(merchant, "AF01")
    assert (fee["status"], fee["owed"], fee.get("owed_at_least")) == ("fail", 30000, True)
    assert "「年费缴纳时间」的值「12月1日」无法读取" in fee["message"]
    assert "至少尚差 ¥30,000" in fee["message"] and "全额 ¥60,000" in fee["message"]
    # the row's load warning still names the cell and says why
    load = finding(merchant, "LD04")
    assert (load["status"], load["source"]["column"], load["actual"]) == (
        "warn",
        "年费缴纳时间",
        "12月1日",
    )
    # the certain amounts: nothing unknown is left, so the merchant is pending, not an error
    assert merchant["outcome"] == "pending"
    assert (merchant["deposit_shortfall"], merchant["annual_fee_due"]) == (50000, 30000)


def test_an_unreadable_top_up_time_beside_a_short_balance_fails_owing_at_least_the_rest(export):
    merchant = check(export)["top-up-unread"]
    deposit = finding(merchant, "DP01")
    assert (deposit["status"], deposit["owed"], deposit.get("owed_at_least")) == (
        "fail",
        10000,
        True,
    )
    assert "至少尚差 ¥10,000" in deposit["message"]
    assert "「保证金补缴时间」的值「上周」无法读取" in deposit["message"]
    assert finding(merchant, "LD04")["source"]["column"] == "保证金补缴时间"
    assert (merchant["outcome"], merchant["deposit_shortfall"]) == ("pending", 10000)


def test_the_checklist_says_at_least_where_the_amount_is_the_least_owed(export):
    run = renewal("self-check", export, "--rules", RULES, "--as-of", AS_OF, "-m", "fee-time-unread")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "     还需缴纳：至少 ¥30,000" in lines  # the fee step
    assert "     还需缴纳：¥50,000" in lines  # the deposit step: the whole shortfall
    assert "还需缴纳合计：至少 ¥80,000（保证金 ¥50,000，年费 至少 ¥30,000）" in lines


def test_no_other_finding_says_at_least(export):
    flagged = {
        (merchant["merchant_id"], found["rule"], found["owed_at_least"])
        for merchant in check(export).values()
        for found in merchant["findings"]
        if "owed_at_least" in found
    }
    assert flagged == {("fee-time-unread", "AF01", True), ("top-up-unread", "DP01", True)}


def test_an_error_rows_next_action_names_the_fix_and_a_certain_step(export):
    found = check(export)
    certain = found["err-certain"]
    assert certain["outcome"] == "error"
    assert certain["next_action"] == (
        "修正第 3 行数据后重新检查；在「商家中心-续签服务专区」签署协议，截止 2021-12-26 18:00"
    )
    fee_unknown = found["err-fee-unknown"]
    assert fee_unknown["next_action"].startswith("修正第 4 行数据后重新检查；")
    assert fee_unknown["next_action"].endswith("续签报名，截止 2021-12-26 18:00")
    # nothing certain: the fix alone
    assert found["err-nothing"]["next_action"] == "修正第 5 行数据后重新检查"
    # after the deadline the agreement certainly missed it: failed, told what is left
    after = check(Path(export), as_of="2021-12-27 00:00")
    assert after["err-certain"]["outcome"] == "failed"
    assert not after["err-certain"]["next_action"].startswith("修正")
    # with nothing certain, still an error: the fix alone
    nothing = after["err-nothing"]
    assert (nothing["outcome"], nothing["next_action"]) == ("error", "修正第 5 行数据后重新检查")


def test_the_next_action_in_english_is_one_sentence(export):
    run = renewal(
        "check", export, "--rules", RULES, "--as-of", AS_OF, "-f", "json", "--lang", "en",
        "--fail-on", "never",
    )  # fmt: skip
    merchants = {m["merchant_id"]: m for m in json.loads(run.stdout)["merchants"]}
    said = merchants["err-certain"]["next_action"]
    assert said.startswith("Fix the data on row 3 and check again; ")
    assert said.endswith(", by 2021-12-26 18:00")


# --- what remind lists ---------------------------------------------------------------------


def test_an_error_row_with_something_certain_is_reminded_of_it(export, tmp_path):
    out = tmp_path / "r.csv"
    run = remind(export, "-o", out)
    assert run.returncode == 0, run.stderr
    by_id = read_csv(out)
    assert set(by_id) == LISTED
    header = list(by_id["pending"])
    assert header[-2:] == ["原行号", "数据错误"]  # last: the other columns keep their places

    certain = by_id["err-certain"]
    assert certain["待完成事项"] == "签署协议；缴纳年费"  # not the deposit: it cannot be told
    assert (certain["应缴金额(元)"], certain["金额未知项"]) == ("60000", "保证金")
    assert "旗艦店" in certain["数据错误"] and "保证金" in certain["数据错误"]
    assert certain["原行号"] == "3" and certain["剩余时间"] == "6天8小时"

    fee_unknown = by_id["err-fee-unknown"]
    assert fee_unknown["待完成事项"] == "续签报名；缴存保证金"
    assert (fee_unknown["应缴金额(元)"], fee_unknown["金额未知项"]) == ("30000", "年费")
    assert "无此类目" in fee_unknown["数据错误"]

    # a fee owed at least ¥30,000 beside a deposit ¥50,000 short: at least ¥80,000
    unread = by_id["fee-time-unread"]
    assert unread["待完成事项"] == "缴存保证金；缴纳年费"
    assert (unread["应缴金额(元)"], unread["金额未知项"]) == ("80000", "年费")
    assert unread["数据错误"] == ""  # nothing it cannot be judged on: it is pending
    top_up = by_id["top-up-unread"]
    assert (top_up["应缴金额(元)"], top_up["金额未知项"]) == ("10000", "保证金")

    pending = by_id["pending"]
    assert pending["待完成事项"] == "签署协议"
    assert pending["金额未知项"] == pending["数据错误"] == ""
    # err-nothing and both rows of dup are left out, and counted
    assert "另有 3 行数据错误，未列入提醒" in run.stderr


def test_quiet_keeps_the_count_of_rows_left_out_and_nothing_else(export, tmp_path):
    out = tmp_path / "r.csv"
    run = remind(export, "-o", out, "-q")
    assert run.returncode == 0
    assert run.stderr == "renewal: 另有 3 行数据错误，未列入提醒（用 renewal check 查看）\n"
    assert "err-certain" in read_csv(out)


def test_quiet_with_nothing_left_out_says_nothing(tmp_path):
    path = tmp_path / "clean.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([HEADER, row("pending", 协议签署时间="")])
    run = remind(path, "-o", tmp_path / "r.csv", "-q")
    assert (run.returncode, run.stderr) == (0, "")


def test_the_table_title_counts_the_flawed_and_the_left_out(export):
    run = renewal("remind", export, "--rules", RULES, "--as-of", AS_OF, columns=400)
    assert run.returncode == 0, run.stderr
    title = run.stdout.splitlines()[0]
    assert "仍有未完成事项的商家 5 个" in title
    assert "其中 2 个有数据错误" in title
    assert title.endswith("另有 3 行数据错误，未列入提醒（用 renewal check 查看）")
    assert "数据错误" in run.stdout.splitlines()[2]  # the column, as a row has one


def test_the_workbook_lists_them_and_says_how_many_were_left_out(export, tmp_path):
    out = tmp_path / "r.xlsx"
    run = remind(export, "-o", out, "-q")
    assert run.returncode == 0, run.stderr
    book = openpyxl.load_workbook(out)
    rows, about = book.worksheets
    header = [cell.value for cell in rows[1]]
    assert header[-1] == "数据错误"
    listed = {r[0]: dict(zip(header, r, strict=True)) for r in rows.iter_rows(2, values_only=True)}
    assert set(listed) == LISTED
    assert listed["err-certain"]["应缴金额(元)"] == 60000
    assert "旗艦店" in listed["err-certain"]["数据错误"]
    assert listed["pending"]["数据错误"] is None
    said = [r[0] for r in about.iter_rows(values_only=True)]
    assert about.title == "说明"
    assert "其中 2 个有数据错误" in said[0]
    assert said[1] == "另有 3 行数据错误，未列入提醒（用 renewal check 查看）"


def test_english_keys_and_words(export, tmp_path):
    out = tmp_path / "r.csv"
    run = remind(export, "-o", out, "--lang", "en", "-q")
    assert run.stderr == (
        "renewal: 3 more rows have data errors and are not in the reminders (see renewal check)\n"
    )
    by_id = read_csv(out)
    certain = by_id["err-certain"]
    assert list(certain)[-1] == "data_error"
    assert (certain["amount_due_cny"], certain["amount_unknown"]) == ("60000", "deposit")
    assert certain["data_error"].startswith("Cannot tell the required deposit")
    assert by_id["fee-time-unread"]["amount_unknown"] == "annual fee"


def test_after_the_deadline_an_error_row_is_not_reminded_but_counted(export, tmp_path):
    out = tmp_path / "r.csv"
    run = remind(export, "-o", out, "-q", as_of="2021-12-27 00:00")
    assert read_csv(out) == {}
    # err-nothing, dup ×2 (err-certain and err-fee-unknown, each with a step certainly
    # missing, failed past the deadline: not reminded either)
    assert "另有 3 行数据错误" in run.stderr


def test_an_error_row_whose_deadline_is_beyond_the_period_is_counted(export, tmp_path):
    """Only those left out for their data: err-nothing (nothing certain to remind of) and
    dup ×2 (never evaluated). err-certain and err-fee-unknown have something certain to do
    and are reminded of it once their deadline is within the period (ex21 §4: counted as
    data errors every night until then, they sent the operator looking for a lost SMS)."""
    out = tmp_path / "r.csv"
    run = remind(export, "-o", out, "-q", "--within", "1d")
    assert read_csv(out) == {}
    assert "另有 3 行数据错误" in run.stderr
    listed = remind(export, "-o", out, "-q", "--within", "7d")
    assert {"err-certain", "err-fee-unknown"} <= set(read_csv(out))
    assert "另有 3 行数据错误" in listed.stderr
