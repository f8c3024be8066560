"""A step that can no longer be made good, and a shortfall certain only as a lower bound
(ex17 §3, §4).

§3, 2019年度 (window 2018-10-18 10:00 to 2018-12-26 18:00): a store whose service opened
before 2017-07-01 and that failed the 运营能力考核, whose period ended 2018-09-30 24时 (the
rule file's `[rules.AS01.period]`), before the window opened, cannot make it good in this
renewal. It stays `pending` until the deadline (`failed` is "the deadline has passed with
a step missing or late"), but its AS01 finding is `final` and says so, its next action
says what is left after the deadline and gives no deadline to do it by, the self-check
marks the step as one that cannot be made good, and `remind` leaves it out (counted).

§4, every year with a deposit: a balance still short after a top-up dated after the as-of
was lower still before it, so that shortfall is owed at least (`owed_at_least`), in
check's report, the self-check and `remind` alike.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import renewal, run_file, write_csv

from renewal.ruleset import load
from renewal.timeutil import BEIJING

HEADER = [
    "商家ID",
    "店铺类型",
    "主营类目",
    "商标状态",
    "合同签署时间",
    "续签报名时间",
    "协议签署时间",
    "保证金应缴",
    "保证金余额",
    "保证金补缴时间",
    "保证金履约险续保时间",
    "年费应缴",
    "年费已缴",
    "年费缴纳时间",
    "处罚申诉中",
    "严重违规扣分",
    "一般违规扣分",
    "服务开通时间",
    "考核不达标",
    "软件服务费未缴清",
    "无品牌授权",
    "退出流程中",
    "主体变更中",
    "转淘宝企业店铺中",
    "年检信息待更新",
]
COLUMN = {name: index for index, name in enumerate(HEADER)}

RULES_2019 = "tmall-2019"
IN_WINDOW_2019 = "2018-11-01 12:00"
DAY_BEFORE_DEADLINE_2019 = "2018-12-25 12:00"  # 1天6小时 left
DONE_2019 = "2018-10-19 10:00"


def row(merchant_id: str, done: str, **cells: object) -> list[object]:
    """A 旗舰店 R 男装 merchant, contracted long before, not assessed (opened 2017-08-01),
    every step done at `done` (deposit ¥50,000 held, fee ¥60,000 paid); `cells` (by
    header) replace any of these."""
    values: dict[str, object] = {
        "商家ID": merchant_id,
        "店铺类型": "旗舰店",
        "主营类目": "男装",
        "商标状态": "R",
        "合同签署时间": "2015-01-05 10:00",
        "续签报名时间": done,
        "协议签署时间": done,
        "保证金应缴": "50000",
        "保证金余额": "50000",
        "年费应缴": "60000",
        "年费已缴": "60000",
        "年费缴纳时间": done,
        "处罚申诉中": "否",
        "严重违规扣分": "0",
        "一般违规扣分": "0",
        "服务开通时间": "2017-08-01 09:00",
        "考核不达标": "否",
        **dict.fromkeys(HEADER[COLUMN["软件服务费未缴清"] :], "否"),
    }
    values.update(cells)
    return [values.get(name, "") for name in HEADER]


FAILED_ASSESSMENT = {"服务开通时间": "2016-03-01 09:00", "考核不达标": "是"}

ROWS_2019 = [
    # ex17's AS-1: every other step done, the assessment failed in a period that is over
    row("final", DONE_2019, **FAILED_ASSESSMENT),
    # the same with the deposit ¥10,000 short: topping it up would renew nothing
    row("final-short", DONE_2019, **FAILED_ASSESSMENT, 保证金余额="40000"),
    # the same with 12 serious points in 2018: no 淘宝企业店铺 either
    row("final-no-transfer", DONE_2019, **FAILED_ASSESSMENT, 严重违规扣分="12"),
    # the same with a balance that cannot be read: an error row that cannot renew anyway
    row("final-unread", DONE_2019, **FAILED_ASSESSMENT, 保证金余额="五万多"),
    # an ordinary pending merchant: the agreement not signed yet
    row("open", DONE_2019, 协议签署时间=""),
    row("renewed", DONE_2019),
]
FINAL = {"final", "final-short", "final-no-transfer", "final-unread"}


@pytest.fixture
def export_2019(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "export-2019.csv", HEADER, ROWS_2019)


def moment(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=BEIJING)


def results(path: Path, as_of: str, rules: str = RULES_2019, lang: str = "en") -> dict[str, Any]:
    collected = run_file(path, moment(as_of), rules, lang)
    return {result["merchant_id"]: result for result in collected.results}


def finding(result: dict[str, Any], rule: str) -> dict[str, Any]:
    (found,) = [f for f in result["findings"] if f["rule"] == rule]
    return found


# --- §3: what check says ---------------------------------------------------------------


def test_a_final_failed_assessment_is_pending_but_says_it_cannot_be_made_good(export_2019):
    by_id = results(export_2019, IN_WINDOW_2019)
    outcomes = {merchant_id: result["outcome"] for merchant_id, result in by_id.items()}
    assert outcomes == {
        "final": "pending",
        "final-short": "pending",
        "final-no-transfer": "pending",
        "final-unread": "error",
        "open": "pending",
        "renewed": "renewed",
    }
    for merchant_id in FINAL:
        assessment = finding(by_id[merchant_id], "AS01")
        assert (assessment["status"], assessment.get("final")) == ("fail", True), merchant_id
        assert assessment["message"] == (
            "Operating assessment failed: cannot renew; the assessment period ended at "
            "2018-10-01 00:00, so this cannot be made good in this renewal"
        )
        # nothing to do in the assessment board: its remedy points to what is left
        assert "考核看板" not in assessment["remedy"]
        assert "Taobao enterprise store" in assessment["remedy"]
    # a finding that is not final has no such key: every other finding keeps its bytes
    assert all("final" not in f for f in by_id["open"]["findings"])


def test_the_next_action_gives_no_deadline_to_do_it_by_and_says_what_is_left(export_2019):
    by_id = results(export_2019, IN_WINDOW_2019)
    said = (
        "Operating assessment failed: cannot renew; the assessment period ended at "
        "2018-10-01 00:00, so this cannot be made good in this renewal. After the deadline "
        "(2018-12-26 18:00): Renewal closed: the contract ends at 2019-01-01 00:00 and the "
        "store goes under supervision; "
    )
    transfer = "it may move to a Taobao enterprise store"
    assert by_id["final"]["next_action"] == said + transfer
    # the deposit short is not what it should do first: topping it up renews nothing
    assert by_id["final-short"]["next_action"] == said + transfer
    assert by_id["final-no-transfer"]["next_action"] == said.removesuffix("; ") + (
        "; exit is assisted from 2019-01"
    )
    # an error row: the data fix, then the same, not the assessment by the deadline
    unread = by_id["final-unread"]["next_action"]
    assert unread.startswith("Fix the data on row 5 and check again; operating assessment")
    assert "transfer eligibility is undecided" in unread  # its transfer_eligible is null
    for merchant_id in FINAL:
        assert ", by 2018-12-26 18:00" not in by_id[merchant_id]["next_action"]
    # a step that can still be done is still given the deadline
    assert by_id["open"]["next_action"].endswith(", by 2018-12-26 18:00")


def test_in_chinese_too(export_2019):
    by_id = results(export_2019, IN_WINDOW_2019, lang="zh")
    assert finding(by_id["final"], "AS01")["message"] == (
        "运营能力考核不达标，无法续签：考核期已于 2018-10-01 00:00 结束，本次续签中无法补救"
    )
    assert by_id["final"]["next_action"] == (
        "运营能力考核不达标，无法续签：考核期已于 2018-10-01 00:00 结束，本次续签中无法补救。"
        "截止（2018-12-26 18:00）后：续签已截止：合同于 2019-01-01 00:00 终止、店铺进入监管；"
        "可申请转入淘宝企业店铺"
    )


@pytest.mark.parametrize(
    ("as_of", "final"),
    [
        ("2018-09-30 23:59:59", False),  # the assessment still runs: it can still be met
        ("2018-10-01 00:00:00", True),  # 2018-09-30 24时: the period is over
        ("2018-10-01 00:00:01", True),
        ("2018-12-26 18:00:00", True),  # the deadline itself: still pending
    ],
)
def test_final_from_the_end_of_the_assessment_period(export_2019, as_of, final):
    when = datetime.strptime(as_of, "%Y-%m-%d %H:%M:%S").replace(tzinfo=BEIJING)
    collected = run_file(export_2019, when, RULES_2019, "en")
    result = next(r for r in collected.results if r["merchant_id"] == "final")
    assessment = finding(result, "AS01")
    assert assessment["status"] == "fail"
    assert assessment.get("final", False) is final
    assert ("cannot be made good" in result["next_action"]) is final
    assert result["outcome"] == "pending"


def test_the_period_is_the_rule_files(export_2019, tmp_path):
    """Rules are data: the same store, with the period ending 2018-12-01 in a copy of the
    rule file, may still meet the assessment on 11-01 and cannot on 12-01."""
    text = (Path(load(RULES_2019).path)).read_text(encoding="utf-8")
    assert text.count("ends = 2018-10-01T00:00:00+08:00") == 1
    later = tmp_path / "tmall-2019-later.toml"
    later.write_text(
        text.replace("ends = 2018-10-01T00:00:00+08:00", "ends = 2018-12-01T00:00:00+08:00")
    )
    before = results(export_2019, "2018-11-30 23:59", str(later))["final"]
    assert "final" not in finding(before, "AS01")
    assert before["next_action"] == (
        "See the assessment in 商家中心-考核看板 (assessment board); a store that fails it "
        "cannot renew, by 2018-12-26 18:00"
    )
    after = results(export_2019, "2018-12-01 00:00", str(later))["final"]
    assert finding(after, "AS01").get("final") is True
    assert "ended at 2018-12-01 00:00" in after["next_action"]


def test_after_the_deadline_it_is_failed_and_told_as_every_failed_merchant(export_2019):
    result = results(export_2019, "2018-12-27 00:00")["final"]
    assert result["outcome"] == "failed"
    assert result["next_action"] == (
        "Renewal closed: the contract ends at 2019-01-01 00:00 and the store goes under "
        "supervision; it may move to a Taobao enterprise store"
    )


def test_the_rules_catalogue_says_the_period(export_2019):
    run = renewal("rules", "--rules", RULES_2019, "--format", "json", "--lang", "en")
    assert run.returncode == 0, run.stderr
    (assessment,) = [r for r in json.loads(run.stdout) if r["code"] == "AS01"]
    assert "period ends 2018-10-01 00:00: after it, a failure is final" in assessment["brief"]


# --- §3: the self-check and remind -----------------------------------------------------


def test_the_checklist_marks_the_step_as_one_that_cannot_be_made_good(export_2019):
    args = ["--rules", RULES_2019, "--as-of", DAY_BEFORE_DEADLINE_2019, "--lang", "en"]
    run = renewal("self-check", export_2019, "-m", "final", *args)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert (
        "Verdict: pending; 1 failed for good (cannot be made good in this renewal), so the "
        "store cannot renew"
    ) in lines
    assert "  5. [cannot be made good] Operating assessment" in lines
    assert not any("still to do" in line for line in lines)
    assert not any("考核看板" in line for line in lines)  # no "Where:" to go and do it
    # a merchant with a step still to do is counted as before
    run = renewal("self-check", export_2019, "-m", "final-short", *args)
    assert "Verdict: pending; 1 still to do; 1 failed for good" in run.stdout


@pytest.mark.parametrize(
    ("merchant_id", "missed", "transfer"),
    [
        # nothing done by the deadline renews it: what follows is said without an "if"
        (
            "final",
            "This renewal can no longer be completed, so after the deadline:",
            "  [after the deadline: open] ",
        ),
        # 12 serious points: not "closed", which reads as the entrance being shut
        (
            "final-no-transfer",
            "This renewal can no longer be completed, so after the deadline:",
            "  [after the deadline: not eligible] ",
        ),
        # a merchant that can still renew keeps the condition
        ("open", "If anything is still missing at the deadline:", "  [if the renewal is not "),
    ],
)
def test_the_checklist_says_what_follows_without_an_if(merchant_id, missed, transfer, export_2019):
    args = ["--rules", RULES_2019, "--as-of", DAY_BEFORE_DEADLINE_2019, "--lang", "en"]
    lines = renewal("self-check", export_2019, "-m", merchant_id, *args).stdout.splitlines()
    assert missed in lines
    (verdict,) = [line for line in lines if line.startswith("  [") and "Taobao" in line]
    assert verdict.startswith(transfer)


def test_the_table_gives_the_step_that_cannot_be_made_good_as_the_reason(export_2019):
    """final-short is also ¥10,000 short of its deposit (DP01, before AS01 in the rule
    file's order); topping it up renews nothing, so that is not the reason shown."""
    args = ["--rules", RULES_2019, "--as-of", DAY_BEFORE_DEADLINE_2019, "--fail-on", "never"]
    run = renewal("check", export_2019, *args, columns=400)
    (line,) = [line for line in run.stdout.splitlines() if "final-short" in line]
    reason = line.split("│")[5].strip()
    assert reason.startswith("运营能力考核不达标，无法续签"), line
    # an ordinary pending merchant keeps its first failure
    (line,) = [line for line in run.stdout.splitlines() if "│ open " in line]
    assert "协议" in line.split("│")[5]


def remind(export: Path, *args: str | Path) -> Any:
    common = ["--rules", RULES_2019, "--as-of", DAY_BEFORE_DEADLINE_2019, "--within", "3d"]
    return renewal("remind", export, *common, "--lang", "en", *args)


def csv_rows(text: str) -> dict[str, dict[str, str]]:
    return {r["merchant_id"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}


def test_remind_leaves_out_a_merchant_that_cannot_renew_and_counts_it(export_2019, tmp_path):
    out = tmp_path / "reminders.csv"
    run = remind(export_2019, "-o", out)
    assert run.returncode == 0, run.stderr
    listed = csv_rows(out.read_text(encoding="utf-8"))
    assert set(listed) == {"open"}
    assert "Operating assessment" not in out.read_text(encoding="utf-8")
    said = (
        "4 more merchants cannot complete this renewal (a step can no longer be made good) "
        "and are not in the reminders (see renewal check)"
    )
    assert f"renewal: {said}" in run.stderr.splitlines()
    # not among the rows left out for a data error (final-unread is an error row too)
    assert "data error" not in run.stderr
    # the table says it in its title; --quiet leaves stderr to errors
    table = remind(export_2019)
    assert said in re.sub(r"\s+", " ", table.stdout)
    quiet = remind(export_2019, "-o", tmp_path / "again.csv", "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_the_reminders_workbook_says_it_on_its_about_sheet(export_2019, tmp_path):
    out = tmp_path / "reminders.xlsx"
    assert remind(export_2019, "-o", out).returncode == 0
    book = openpyxl.load_workbook(out)
    about = book.worksheets[-1]
    assert str(about.cell(2, 1).value).startswith("4 more merchants cannot complete")
    ids = {row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert ids == {"open"}


# --- §4: a shortfall left after a top-up dated after the as-of is owed at least ---------

YEARS = {
    # rule set: (as-of, a step's time inside the window before it, a top-up after it)
    "tmall-2019": ("2018-11-01 12:00", "2018-10-19 10:00", "2018-12-26 17:59:59"),
    "tmall-2021": ("2020-12-01 12:00", "2020-11-20 10:00", "2020-12-26 17:59:59"),
    "tmall-2025": ("2024-11-27 15:00", "2024-11-21 13:00", "2024-12-30 17:59:59"),
}


@pytest.fixture(params=sorted(YEARS))
def year(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str, Path]:
    rules = request.param
    as_of, done, later = YEARS[rules]
    rows = [
        # ex17's Y25-dep-top-close-m1-short: ¥49,999 after a top-up after the as-of
        row("short-after", done, 保证金余额="49999", 保证金补缴时间=later),
        # enough after it: the balance before it is not known, nor what was short
        row("enough-after", done, 保证金余额="50000", 保证金补缴时间=later),
    ]
    if rules == "tmall-2025":  # a cell that says there is no policy: the cash decides
        rows.append(
            row(
                "no-policy",
                done,
                保证金余额="49999",
                保证金补缴时间=later,
                保证金履约险续保时间="无",
            )
        )
    return rules, as_of, write_csv(tmp_path / f"{rules}.csv", HEADER, rows)


def test_a_balance_short_after_a_later_top_up_owes_at_least_that(year):
    rules, as_of, path = year
    by_id = results(path, as_of, rules)
    for merchant_id in ("short-after", "no-policy"):
        if merchant_id not in by_id:
            continue
        result = by_id[merchant_id]
        deposit = finding(result, "DP01")
        assert (deposit["status"], deposit["owed"], deposit.get("owed_at_least")) == (
            "fail",
            1,
            True,
        )
        said = deposit["message"]
        assert "even after it the balance ¥49,999 is below the required ¥50,000" in said
        assert "at least ¥1 short at the evaluation time" in said
        assert (result["outcome"], result["deposit_shortfall"]) == ("pending", 1)
    if "no-policy" in by_id:
        message = finding(by_id["no-policy"], "DP01")["message"]
        assert message.startswith("保证金履约险续保时间 says '无', not a renewal time")
    # enough after the top-up: nothing is certain
    enough = finding(by_id["enough-after"], "DP01")
    assert (enough["owed"], "owed_at_least" in enough) == (None, False)
    assert by_id["enough-after"]["deposit_shortfall"] is None


def test_in_chinese_it_says_at_least(year):
    rules, as_of, path = year
    deposit = finding(results(path, as_of, rules, "zh")["short-after"], "DP01")
    assert "补缴后余额 ¥49,999 仍低于应缴 ¥50,000，评估时至少尚差 ¥1" in deposit["message"]


def test_the_report_counts_it_in_the_total_not_as_unknown(year):
    rules, as_of, path = year
    args = ["--rules", rules, "--as-of", as_of, "-f", "json", "--fail-on", "never"]
    run = renewal("check", path, *args)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)["summary"]
    # ¥1 each from short-after (and no-policy in 2025); enough-after's is not known
    owing_one = 2 if rules == "tmall-2025" else 1
    assert (summary["deposit_shortfall_total"], summary["deposit_shortfall_unknown"]) == (
        owing_one,
        1,
    )


def test_the_checklist_and_remind_say_at_least(year, tmp_path):
    rules, as_of, path = year
    common = ["--rules", rules, "--as-of", as_of, "--lang", "en"]
    run = renewal("self-check", path, "-m", "short-after", *common)
    assert run.returncode == 0, run.stderr
    assert "     Still to pay: at least ¥1" in run.stdout.splitlines()
    out = tmp_path / "reminders.csv"
    run = renewal("remind", path, *common, "--within", "60d", "-o", out)
    assert run.returncode == 0, run.stderr
    listed = csv_rows(out.read_text(encoding="utf-8"))
    # the amount is the least owed, and amount_unknown names the deposit: not complete
    assert (listed["short-after"]["amount_due_cny"], listed["short-after"]["amount_unknown"]) == (
        "1",
        "deposit",
    )
    # enough after the top-up: the deposit's part is not known at all (the fee's, ¥0, is,
    # in a year with a fee)
    known = "" if rules == "tmall-2025" else "0"
    assert (listed["enough-after"]["amount_due_cny"], listed["enough-after"]["amount_unknown"]) == (
        known,
        "deposit",
    )
