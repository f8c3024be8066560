"""TB01 beyond its rule cases: what a failed merchant is told about the 淘宝企业店铺 (by when,
that the entrance has closed, that it is already moving), the self-check's transfer line,
how `rules` describes the period counted, and the rule file's entrance and period keys.

Merchants are the rule cases' default with a few fields changed; under tmall-2023 its
steps, done in November 2021, are a year early, so it fails that year's renewal."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import renewal
from test_rule_cases import columns_without, merchant_with
from test_rule_strictness import broken_copy, refusal

from renewal.briefs import brief
from renewal.checks.context import Context
from renewal.checks.transfer import TransferParams
from renewal.engine import Plan, evaluate
from renewal.model import MerchantResult, Outcome, Status
from renewal.ruleset import RuleSet, load
from renewal.timeutil import BEIJING

Y2023 = load("tmall-2023")
Y2025 = load("tmall-2025")


def result(ruleset: RuleSet, as_of: datetime, lang: str = "zh", **fields: Any) -> MerchantResult:
    ctx = Context.create(as_of=as_of, cycle=ruleset.cycle, lang=lang, columns=columns_without())
    return evaluate(merchant_with(**fields), Plan.of(ruleset), ctx)


def tb01(found: MerchantResult) -> Any:
    (finding,) = [f for f in found["findings"] if f["rule"] == "TB01"]
    return finding


def test_the_2023_entrance_is_data_with_its_source() -> None:
    params = Y2023.rules["TB01"]
    assert isinstance(params, TransferParams) and params.entrance is not None
    assert (params.entrance.opens, params.entrance.closes) == (
        date(2022, 11, 21),
        date(2022, 12, 31),
    )
    # the days are held only as domain.md's summary of the kexiaomei page: the brief, inferred
    assert (params.entrance.source, params.entrance.mark) == ("brief", "inferred")
    assert "kexiaomei" in params.entrance.note
    assert "kexiaomei" in Y2023.sources["announcement_repost"].url


def test_years_without_a_sourced_close_have_none() -> None:
    for year, opens in (("tmall-2019", date(2018, 10, 18)), ("tmall-2022", date(2021, 11, 19))):
        params = load(year).rules["TB01"]
        assert isinstance(params, TransferParams) and params.entrance is not None
        assert (params.entrance.opens, params.entrance.closes) == (opens, None)
    for year in ("tmall-2021", "tmall-2025"):
        params = load(year).rules["TB01"]
        assert isinstance(params, TransferParams) and params.entrance is None


# --- the next action of a failed merchant ------------------------------------------------


def test_failed_and_eligible_is_told_the_last_day_to_apply() -> None:
    found = result(Y2023, datetime(2022, 12, 31, 23, 59, 59, tzinfo=BEIJING))
    assert found["outcome"] is Outcome.FAILED and found["transfer_eligible"] is True
    assert "可在 2022-12-31 前（含当天）申请转入淘宝企业店铺" in found["next_action"]


def test_failed_after_the_entrance_closed_is_not_sent_to_it() -> None:
    found = result(Y2023, datetime(2023, 1, 1, 0, 0, tzinfo=BEIJING))
    assert found["outcome"] is Outcome.FAILED
    assert found["transfer_eligible"] is False
    assert tb01(found)["status"] is Status.FAIL
    action = found["next_action"]
    assert "退出天猫" in action and "入口只开放至 2022-12-31，已关闭" in action
    assert "可申请" not in action and "可在" not in action


@pytest.mark.parametrize(
    ("year", "before", "after"),
    [
        ("tmall-2025", datetime(2024, 12, 31, 10, 0), datetime(2025, 6, 1, 10, 0)),
        ("tmall-2022", datetime(2021, 12, 31, 10, 0), datetime(2022, 1, 1, 0, 0)),
    ],
)
def test_eligible_after_the_contracts_ended_without_a_known_close_is_told_to_check(
    year: str, before: datetime, after: datetime
) -> None:
    # no source gives these years' last day to apply: once the contracts have ended the
    # merchant is not told for ever that it may apply, but to check the entrance is open
    ruleset = load(year)
    earlier = result(ruleset, before.replace(tzinfo=BEIJING), signup_at=None)
    assert earlier["outcome"] is Outcome.FAILED and earlier["transfer_eligible"] is True
    assert "入口何时关闭没有来源" not in earlier["next_action"]
    assert "入口何时关闭没有来源" not in tb01(earlier)["message"]
    later = result(ruleset, after.replace(tzinfo=BEIJING), signup_at=None)
    assert later["transfer_eligible"] is True
    assert later["next_action"].endswith(
        "可申请转入淘宝企业店铺（本年度转入入口何时关闭没有来源，申请前请先确认入口仍开放）"
    )
    assert tb01(later)["message"].endswith("申请前请先确认入口仍开放")
    english = result(ruleset, after.replace(tzinfo=BEIJING), lang="en", signup_at=None)
    assert "check that it is still open before applying" in english["next_action"]


def test_self_check_takes_id_for_merchant(tmp_path: Path) -> None:
    done = renewal(
        "self-check",
        "fixtures/merchants-2022.xlsx",
        "--rules",
        "2022",
        "--as-of",
        "2021-12-27 00:00",
        "--id",
        "renewed-all-steps",
    )
    assert done.returncode == 0, done.stderr
    assert "renewed-all-steps" in done.stdout and "已续签" in done.stdout


def test_failed_after_the_entrance_closed_in_english() -> None:
    found = result(Y2023, datetime(2023, 1, 5, 10, 0, tzinfo=BEIJING), lang="en")
    assert "exit is assisted" in found["next_action"]
    assert "was open until 2022-12-31 and has closed" in found["next_action"]


@pytest.mark.parametrize(
    ("ruleset", "as_of"),
    [
        (Y2023, datetime(2023, 1, 2, 0, 0, tzinfo=BEIJING)),
        (Y2025, datetime(2025, 1, 2, 0, 0, tzinfo=BEIJING)),
    ],
    ids=["2023", "2025"],
)
def test_failed_while_already_moving_to_taobao_is_told_so(
    ruleset: RuleSet, as_of: datetime
) -> None:
    found = result(ruleset, as_of, taobao_transfer_in_progress=True)
    assert found["outcome"] is Outcome.FAILED
    assert found["transfer_eligible"] is None  # not judged again
    assert "已在转入淘宝企业店铺流程中" in found["next_action"]
    assert "无法判断" not in found["next_action"]
    english = result(ruleset, as_of, lang="en", taobao_transfer_in_progress=True)
    assert "already moving to a Taobao enterprise store" in english["next_action"]


# --- the self-check's transfer line ------------------------------------------------------

HEADER = ["商家ID", "店铺类型", "商标状态", "主营类目", "合同签署时间", "续签报名时间"]
HEADER += ["协议签署时间", "保证金余额", "年费已缴", "年费缴纳时间", "处罚申诉中"]
HEADER += ["严重违规扣分", "一般违规扣分", "转淘宝企业店铺中"]


def export_2023(path: Path) -> Path:
    """Three 2023 merchants that did nothing: clean, 12 serious points, already moving."""
    rows = []
    for merchant, serious, moving in (
        ("clean", "0", "否"),
        ("twelve", "12", "否"),
        ("moving", "0", "是"),
    ):
        rows.append([merchant, "旗舰店", "R", "男装", "2021-01-01 10:00", "", "", "50000", "0", ""])
        rows[-1] += ["否", serious, "0", moving]
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([HEADER, *rows])
    return path


def transfer_section(merchant: str, as_of: str, path: Path, *more: str) -> str:
    run = renewal("self-check", path, "-m", merchant, "--rules", "2023", "--as-of", as_of, *more)
    assert run.returncode == 0, run.stderr
    heading = "Taobao enterprise store (" if "en" in more else "淘宝企业店铺（"
    return run.stdout[run.stdout.index(heading) :]


def test_checklist_says_until_when_the_fallback_is_open(tmp_path: Path) -> None:
    path = export_2023(tmp_path / "y2023.csv")
    failed = transfer_section("clean", "2022-12-27 10:00", path)
    assert "[可以转入，最晚 2022-12-31 申请]" in failed
    pending = transfer_section("clean", "2022-12-01 10:00", path)
    assert "[如果没有完成续签：可以转入，最晚 2022-12-31 申请]" in pending
    english = transfer_section("clean", "2022-12-27 10:00", path, "--lang", "en")
    assert "[eligible; apply by 2022-12-31]" in english


def test_checklist_before_the_entrance_opens_says_when(tmp_path: Path) -> None:
    section = transfer_section("clean", "2022-11-20 10:00", export_2023(tmp_path / "y.csv"))
    assert "转入入口 2022-11-21 起开放，现在尚未开放" in section
    # the label says by when to apply, not that the entrance is open (it is not yet)
    assert "最晚 2022-12-31 申请]" in section and "入口开放至" not in section


def test_checklist_after_the_close_says_it_closed(tmp_path: Path) -> None:
    path = export_2023(tmp_path / "y2023.csv")
    section = transfer_section("clean", "2023-01-05 10:00", path)
    assert "[不能转入]" in section and "入口只开放至 2022-12-31，已关闭" in section
    assert "可以转入" not in section
    ineligible = transfer_section("twelve", "2022-12-27 10:00", path)
    assert "[不能转入]" in ineligible and "申请]" not in ineligible


def test_checklist_of_a_store_already_moving_gives_no_undecided_verdict(tmp_path: Path) -> None:
    section = transfer_section("moving", "2023-01-05 10:00", export_2023(tmp_path / "y.csv"))
    assert "已在转入淘宝企业店铺流程中" in section
    assert "无法判断" not in section


# --- the period counted, as described --------------------------------------------------


def test_2019_brief_names_calendar_2018_not_365_days() -> None:
    params = load("tmall-2019").rules["TB01"]
    zh, en = brief(params, "zh"), brief(params, "en")
    assert zh[0] == "2018-01-01至2018-12-31期间严重违规 <12 分、一般违规 <48 分"
    assert en[0] == "serious < 12 and general < 48 points from 2018-01-01 to 2018-12-31"
    assert not any("365" in line for line in zh + en)
    assert zh[-1] == "转入入口 2018-10-18 起开放（关闭日期无出处）"


def test_2023_brief_keeps_the_rolling_window_and_gives_the_entrance() -> None:
    zh = brief(Y2023.rules["TB01"], "zh")
    assert zh[0].startswith("近365天严重违规 <12 分")
    assert zh[-1] == "转入入口开放：2022-11-21 至 2022-12-31"


def test_rules_command_for_2019_shows_the_period() -> None:
    run = renewal("rules", "--rules", "2019", "--lang", "en", "--format", "json")
    assert run.returncode == 0, run.stderr
    (row,) = [row for row in json.loads(run.stdout) if row["code"] == "TB01"]
    assert row["brief"][0] == "serious < 12 and general < 48 points from 2018-01-01 to 2018-12-31"
    assert row["params"]["window_days"] is None  # no rolling window beside the period


def test_2019_interview_asks_for_the_points_of_2018() -> None:
    answers = ["1", "R", "男装", "2018-01-01 10:00", "否", "否", "50000", "", "0"]
    answers += ["2016-05-01", "否", "0", "0", "否"]
    env = {**os.environ, "COLUMNS": "250"}
    env.pop("RENEWAL_DEBUG", None)
    run = subprocess.run(
        [sys.executable, "-m", "renewal", "self-check", "--rules", "2019"],
        input="".join(f"{answer}\n" for answer in answers),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "2018-01-01至2018-12-31期间严重违规扣分" in run.stderr
    assert "2018-01-01至2018-12-31期间一般违规扣分" in run.stderr
    assert "近365天" not in run.stderr


# --- the rule file's keys ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("period_from = 2018-01-01\n", ""),  # a period without its start
        ("period_from = 2018-01-01\n", "period_from = 2018-01-01\nwindow_days = 365\n"),  # both
    ],
    ids=["half-a-period", "window-and-period"],
)
def test_a_points_period_given_both_ways_or_half_is_refused(
    tmp_path: Path, old: str, new: str
) -> None:
    zh, en = refusal(broken_copy(tmp_path, "tmall-2019", old, new))
    assert "rules.TB01：" in zh and "window_days" in zh
    assert "rules.TB01: the points period is either window_days" in en


def test_an_entrance_closing_before_it_opens_is_refused(tmp_path: Path) -> None:
    path = broken_copy(tmp_path, "tmall-2023", "closes = 2022-12-31", "closes = 2022-11-20")
    _, en = refusal(path)
    assert "rules.TB01.entrance.closes: 2022-11-20 is before rules.TB01.entrance.opens" in en


def _tb01_source(as_of: datetime, sheet: bool, **fields: Any) -> tuple[str, dict[str, Any]]:
    """TB01's status and the cell it names, the 违规记录 sheet present or not."""
    ruleset = load("tmall-2022")
    ctx = Context.create(
        as_of=as_of,
        cycle=ruleset.cycle,
        lang="zh",
        columns=columns_without(),
        has_violations_sheet=sheet,
    )
    # not signed up by the deadline: failed, so the transfer test applies
    found = tb01(evaluate(merchant_with(signup_at=None, **fields), Plan.of(ruleset), ctx))
    return found["status"], dict(found["source"])


@pytest.mark.parametrize(
    ("sheet", "fields", "status", "where"),
    [
        # the points column reaches the limit: that column is the evidence
        (False, {"serious_points": 12.0}, "fail", ("商家", "严重违规扣分")),
        (False, {"general_points": 48.0}, "fail", ("商家", "一般违规扣分")),
        # a 违规记录 row brings the total to the limit: that row is the evidence
        (
            True,
            {
                "serious_points": 0.0,
                "violations": [
                    {"penalized_on": date(2021, 6, 1), "kind": "general", "points": 2.0},
                    {"penalized_on": date(2021, 7, 1), "kind": "serious", "points": 12.0},
                ],
            },
            "fail",
            ("违规记录", 3),
        ),
        # an appeal pending on a 违规记录 row, nothing else: that row
        (
            True,
            {
                "appeal_pending": False,
                "violations": [
                    {"penalized_on": date(2021, 7, 1), "kind": "general", "points": 2.0},
                    {
                        "penalized_on": date(2019, 1, 1),
                        "kind": "general",
                        "points": 6.0,
                        "appeal": "pending",
                    },
                ],
            },
            "fail",
            ("违规记录", 3),
        ),
        (False, {"appeal_pending": True}, "fail", ("商家", "处罚申诉中")),
        # eligible: the serious points column, not the merchant id
        (False, {"serious_points": 0.0}, "pass", ("商家", "严重违规扣分")),
    ],
)
def test_tb01_names_the_cell_that_decides(sheet, fields, status, where):
    after = datetime(2021, 12, 27, tzinfo=BEIJING)
    found_status, source = _tb01_source(after, sheet, **fields)
    assert found_status == status
    named = (source["sheet"], source["column"] if isinstance(where[1], str) else source["row"])
    assert named == where, source


@pytest.mark.parametrize(
    ("written", "eligible"),
    [("申诉中", False), ("申诉成功", True), ("无", True), ("否", True), ("是", False)],
)
def test_appeal_column_takes_the_appeal_states_words(
    tmp_path: Path, written: str, eligible: bool
) -> None:
    """处罚申诉中 written in 申诉状态's words (ex14 §3): 申诉中 is a pending appeal."""
    from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewed_row, run_file, write_csv

    row = renewed_row("m1")
    row[EXPORT_HEADER.index("续签报名时间")] = ""  # not renewed: the transfer test applies
    row[EXPORT_HEADER.index("处罚申诉中")] = written
    run = run_file(write_csv(tmp_path / "export.csv", EXPORT_HEADER, [row]), AFTER_DEADLINE)
    (result,) = run.results
    assert result["transfer_eligible"] is eligible
    assert not [f for f in result["findings"] if f["rule"] == "LD04"]
