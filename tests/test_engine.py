"""Outcome logic through `evaluate`, and `run` with a duplicated merchant id.

Merchants are the rule cases' default (an in-scope 旗舰店 R, every step done on 2021-11-20)
with a few fields changed; the 2022 window is 2021-11-19 12:00 .. 2021-12-26 18:00.
"""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta
from typing import Any

import pytest
from test_rule_cases import columns_without, merchant_with

from renewal import engine, i18n
from renewal.checks.context import Context
from renewal.engine import Plan, Tally, evaluate
from renewal.model import Merchant, MerchantResult, Outcome, Status
from renewal.ruleset import load
from renewal.timeutil import BEIJING

RULESET = load("tmall-2022")
PLAN = Plan.of(RULESET)
OPENS = RULESET.cycle.window_opens
CLOSES = RULESET.cycle.window_closes
MID_WINDOW = datetime(2021, 12, 1, 12, 0, tzinfo=BEIJING)
AFTER_DEADLINE = datetime(2021, 12, 27, 0, 0, tzinfo=BEIJING)
STEPS = ("DL01", "DL02", "DP01", "AF01")


def context(as_of: datetime, lang: str = "zh") -> Context:
    return Context.create(as_of=as_of, cycle=RULESET.cycle, lang=lang, columns=columns_without())


def verdict(as_of: datetime, **overrides: Any) -> MerchantResult:
    return evaluate(merchant_with(**overrides), PLAN, context(as_of))


def status_of(result: MerchantResult, code: str) -> Status:
    (finding,) = [f for f in result["findings"] if f["rule"] == code]
    return finding["status"]


def test_window_constants_are_the_2022_window() -> None:
    assert OPENS == datetime(2021, 11, 19, 12, 0, tzinfo=BEIJING)
    assert CLOSES == datetime(2021, 12, 26, 18, 0, tzinfo=BEIJING)


def test_plan_keeps_the_rule_file_order() -> None:
    with open(RULESET.path, "rb") as handle:
        in_file = list(tomllib.load(handle)["rules"])
    for group in (PLAN.scope, PLAN.steps, PLAN.advisory, PLAN.fallback):
        codes = [registered.code for registered, _ in group]
        assert codes == [code for code in in_file if code in codes]
    assert tuple(registered.code for registered, _ in PLAN.steps) == STEPS


# --- outcomes ----------------------------------------------------------------------------


def test_exempt_skips_every_step_without_running_it() -> None:
    # signed one second after the cut-off; the steps would all fail if they were checked
    result = verdict(
        AFTER_DEADLINE,
        contract_signed_at=datetime(2021, 11, 19, 10, 0, 1, tzinfo=BEIJING),
        signup_at=None,
        agreement_signed_at=None,
        deposit_balance=0.0,
        annual_fee_paid=None,
    )
    assert result["outcome"] is Outcome.EXEMPT
    assert status_of(result, "SC01") is Status.SKIP
    assert all(status_of(result, code) is Status.SKIP for code in STEPS)
    assert status_of(result, "TB01") is Status.SKIP
    assert result["transfer_eligible"] is None
    assert result["deadline"] is None
    assert result["time_left_seconds"] is None
    assert result["next_action"] is None


@pytest.mark.parametrize("as_of", [MID_WINDOW, AFTER_DEADLINE], ids=["mid-window", "after"])
def test_renewed_when_every_step_passes(as_of: datetime) -> None:
    result = verdict(as_of)
    assert result["outcome"] is Outcome.RENEWED
    assert all(status_of(result, code) is Status.PASS for code in STEPS)
    assert status_of(result, "TB01") is Status.SKIP
    assert result["transfer_eligible"] is None
    assert result["deposit_shortfall"] == 0.0
    assert result["annual_fee_due"] == 0.0
    assert result["deadline"] == CLOSES
    assert result["time_left_seconds"] is None
    assert result["next_action"] is None


@pytest.mark.parametrize("as_of", [MID_WINDOW, AFTER_DEADLINE])
def test_a_fee_of_nothing_needs_no_payment(as_of: datetime) -> None:
    """年费应缴 0 (a fee waived for the store): nothing to pay, so no payment time is asked
    for; the merchant renews on its other steps, before and after the deadline."""
    result = verdict(as_of, annual_fee_required=0.0, annual_fee_paid=None, annual_fee_paid_at=None)
    assert status_of(result, "AF01") is Status.PASS
    assert result["outcome"] is Outcome.RENEWED and result["annual_fee_due"] == 0.0
    (fee,) = [f for f in result["findings"] if f["rule"] == "AF01"]
    assert fee["message"] == "2022年度软件服务年费应缴 ¥0，无需缴纳"


def test_before_the_window_opens_the_next_action_says_when_it_opens() -> None:
    """Nothing can be done before the window opens (a fee paid early is last year's): the
    next action says when it opens, not to sign up now."""
    early = OPENS - timedelta(days=18)
    result = verdict(early, signup_at=None)
    assert result["outcome"] is Outcome.PENDING
    assert result["next_action"].startswith("续签 2021-11-19 12:00 开放后：")
    assert result["next_action"].endswith("截止 2021-12-26 18:00")
    inside = verdict(MID_WINDOW, signup_at=None)
    assert "开放后" not in inside["next_action"]


def test_pending_inside_the_window() -> None:
    result = verdict(MID_WINDOW, agreement_signed_at=None)
    assert result["outcome"] is Outcome.PENDING
    assert status_of(result, "DL02") is Status.FAIL
    # 2021-12-01 12:00 -> 2021-12-26 18:00 is 25 days and 6 hours
    assert result["time_left_seconds"] == 25 * 86400 + 6 * 3600
    assert result["deadline"] == CLOSES
    assert result["transfer_eligible"] is True  # a clean record
    assert status_of(result, "TB01") is Status.PASS


def test_pending_before_the_window_opens() -> None:
    as_of = OPENS - timedelta(seconds=1)
    result = verdict(
        as_of,
        signup_at=None,
        agreement_signed_at=None,
        annual_fee_paid=None,
        annual_fee_paid_at=None,
    )
    assert result["outcome"] is Outcome.PENDING
    assert result["time_left_seconds"] == int((CLOSES - as_of).total_seconds())
    assert result["annual_fee_due"] == 60000.0


def test_pending_at_the_deadline_itself_with_no_time_left() -> None:
    result = verdict(CLOSES, signup_at=None)
    assert result["outcome"] is Outcome.PENDING
    assert result["time_left_seconds"] == 0


def test_failed_one_second_after_the_deadline() -> None:
    result = verdict(CLOSES + timedelta(seconds=1), signup_at=None)
    assert result["outcome"] is Outcome.FAILED
    assert result["time_left_seconds"] is None
    assert result["deadline"] == CLOSES
    assert result["transfer_eligible"] is True
    assert result["next_action"] is not None and "淘宝企业店铺" in result["next_action"]


def test_failed_and_not_eligible_for_transfer() -> None:
    result = verdict(AFTER_DEADLINE, signup_at=None, serious_points=12.0)
    assert result["outcome"] is Outcome.FAILED
    assert status_of(result, "TB01") is Status.FAIL
    assert result["transfer_eligible"] is False
    assert result["next_action"] is not None and "退出天猫" in result["next_action"]


def test_failed_with_undecidable_transfer_leaves_eligibility_null() -> None:
    columns = columns_without(["serious_points", "general_points"])
    ctx = Context.create(as_of=AFTER_DEADLINE, cycle=RULESET.cycle, lang="zh", columns=columns)
    result = evaluate(merchant_with(signup_at=None), PLAN, ctx)
    assert result["outcome"] is Outcome.FAILED
    assert status_of(result, "TB01") is Status.ERROR
    assert result["transfer_eligible"] is None


def test_error_when_a_step_errors_even_with_other_steps_failing() -> None:
    result = verdict(MID_WINDOW, store_type="官方店", signup_at=None, annual_fee_paid=30000.0)
    assert status_of(result, "DP01") is Status.ERROR
    assert status_of(result, "DL01") is Status.FAIL
    assert result["outcome"] is Outcome.ERROR
    assert result["transfer_eligible"] is None
    # the verdict is unknown, not "renewed": the transfer test is still run on what can be
    # read (a clean record), for a merchant that may turn out not to have renewed
    assert status_of(result, "TB01") is Status.PASS
    assert result["deposit_shortfall"] is None  # unknown, not zero
    assert result["annual_fee_due"] == 30000.0
    assert result["time_left_seconds"] is None
    assert result["next_action"] is not None and "第 2 行" in result["next_action"]


def test_past_the_deadline_a_step_failing_beside_one_in_error_fails_the_renewal() -> None:
    """The sign-up missing past the deadline fails the renewal whatever the unreadable
    deposit holds: failed, with the transfer test, the deposit still unknown."""
    result = verdict(AFTER_DEADLINE, store_type="官方店", signup_at=None, annual_fee_paid=30000.0)
    assert (status_of(result, "DP01"), status_of(result, "DL01")) == (Status.ERROR, Status.FAIL)
    assert result["outcome"] is Outcome.FAILED
    assert result["transfer_eligible"] is True and status_of(result, "TB01") is Status.PASS
    assert result["deposit_shortfall"] is None  # unknown, not zero
    assert result["next_action"] is not None and "第 2 行" not in result["next_action"]


def test_error_when_the_contract_date_is_missing() -> None:
    result = verdict(MID_WINDOW, contract_signed_at=None)
    assert result["outcome"] is Outcome.ERROR
    assert [f["rule"] for f in result["findings"]] == ["LD02"]


# --- amounts and next action -------------------------------------------------------------


def test_shortfall_and_fee_due_are_the_owed_amounts() -> None:
    result = verdict(MID_WINDOW, deposit_balance=48_999.5, annual_fee_paid=45_000.0)
    assert result["outcome"] is Outcome.PENDING
    assert result["deposit_shortfall"] == 1000.5  # 50,000 for a 旗舰店 R
    assert result["annual_fee_due"] == 15000.0  # 60,000 for 女装/女士精品


def remedy_of(result: MerchantResult, code: str) -> str:
    (finding,) = [f for f in result["findings"] if f["rule"] == code]
    assert finding["remedy"]
    return finding["remedy"]


def test_next_action_is_the_first_outstanding_step_in_file_order() -> None:
    # everything outstanding: sign-up comes first in the announcement and the rule file
    result = verdict(
        MID_WINDOW,
        signup_at=None,
        agreement_signed_at=None,
        deposit_balance=0.0,
        annual_fee_paid=None,
    )
    assert all(status_of(result, code) is Status.FAIL for code in STEPS)
    assert result["next_action"] is not None
    assert remedy_of(result, "DL01") in result["next_action"]
    assert "续签报名" in result["next_action"]
    for later in ("DL02", "DP01", "AF01"):
        assert remedy_of(result, later) not in result["next_action"]
    assert "2021-12-26 18:00" in result["next_action"]  # pending: by the deadline


def test_next_action_skips_passed_steps_and_keeps_order() -> None:
    # DL01 and DL02 done; DP01 comes before AF01 in the file, so the deposit is named first
    result = verdict(MID_WINDOW, deposit_balance=49_000.0, annual_fee_paid=30_000.0)
    assert result["next_action"] is not None
    assert remedy_of(result, "DP01") in result["next_action"]
    assert "¥1,000" in result["next_action"]
    assert remedy_of(result, "AF01") not in result["next_action"]


def test_next_action_in_english() -> None:
    result = evaluate(merchant_with(agreement_signed_at=None), PLAN, context(MID_WINDOW, "en"))
    assert result["outcome"] is Outcome.PENDING
    assert result["next_action"] is not None
    assert "Agreement signing" in result["next_action"]
    assert "2021-12-26 18:00" in result["next_action"]


def test_renewed_with_a_lapsing_qualification_is_told_to_update_it() -> None:
    ctx = Context.create(
        as_of=MID_WINDOW,
        cycle=RULESET.cycle,
        lang="zh",
        columns=columns_without(),
        has_qualifications_sheet=True,
    )
    merchant = merchant_with(qualifications=[{"kind": "商标注册证", "expires": OPENS.date()}])
    result = evaluate(merchant, PLAN, ctx)
    assert result["outcome"] is Outcome.RENEWED  # an advisory warning never changes the outcome
    assert status_of(result, "QL01") is Status.WARN
    assert result["next_action"] is not None and "资质" in result["next_action"]


# --- run with a duplicated merchant id ---------------------------------------------------


def test_run_turns_every_row_of_a_duplicated_id_into_an_error() -> None:
    rows: list[Merchant] = [
        # M1 first: pending, owes 1,000 deposit and would be eligible for transfer
        merchant_with(row=2, merchant_id="M1", deposit_balance=49_000.0),
        # M2: pending, owes 30,000 annual fee, eligible for transfer
        merchant_with(row=3, merchant_id="M2", annual_fee_paid=30_000.0),
        merchant_with(row=4, merchant_id="M1"),
        merchant_with(row=5, merchant_id="M3"),  # renewed
        merchant_with(row=6, merchant_id="M1", deposit_balance=0.0),
    ]
    ctx = context(MID_WINDOW)
    tally = Tally()
    results = list(engine.run(rows, PLAN, ctx, tally))

    assert [r["row"] for r in results] == [2, 3, 4, 5, 6]
    # a duplicate is only known once every row has been seen: each row is evaluated as
    # itself, and every row of the id is replaced afterwards
    assert [results[i]["outcome"] for i in (0, 2, 4)] == [
        Outcome.PENDING,
        Outcome.RENEWED,
        Outcome.PENDING,
    ]

    fixes = tally.fixes("商家", ctx)
    assert sorted(fixes) == [0, 2, 4]
    for index, fix in fixes.items():
        results[index] = fix
    assert [r["outcome"] for r in results] == [
        Outcome.ERROR,
        Outcome.PENDING,
        Outcome.ERROR,
        Outcome.RENEWED,
        Outcome.ERROR,
    ]
    for index in (0, 2, 4):
        result = results[index]
        assert result["row"] == rows[index].row
        assert result["merchant_id"] == "M1"
        assert result["transfer_eligible"] is None
        assert result["deposit_shortfall"] is None
        (finding,) = result["findings"]
        assert finding["rule"] == "LD03" and finding["status"] is Status.ERROR
        assert "第 2、4、6 行" in finding["message"]  # listed as Chinese lists things

    assert tally.summary() == {
        "merchants": 5,
        "outcomes": {"error": 3, "failed": 0, "pending": 1, "waived": 0, "renewed": 1, "exempt": 0},
        "transfer_eligible": 1,  # M2 only: the first M1 row's verdict was withdrawn
        "transfer_ineligible": 0,
        "deposit_shortfall_total": 0.0,  # the first M1 row's 1,000 no longer counts
        "annual_fee_due_total": 30000.0,
        # the three M1 rows are errors: what they owe is unknown, said beside the totals
        "deposit_shortfall_unknown": 3,
        "annual_fee_due_unknown": 3,
        "duplicate_ids": 1,
    }


def test_a_duplicated_id_on_many_rows_names_ten_of_them_and_how_many_there_are() -> None:
    """Each row of the id carries the message: naming every row would make the report grow
    with the square of their number (20,000 rows of one id wrote 2.6 GB)."""
    count = i18n.NAMED_AT_MOST + 5
    rows = [merchant_with(row=2 + n, merchant_id="M1") for n in range(count)]
    for lang, expected in (
        ("zh", f"在 {count:,} 行重复出现（第 2、3、4、5、6、7、8、9、10、11 …"),
        ("en", f"appears on {count:,} rows (2, 3, 4, 5, 6, 7, 8, 9, 10, 11 …)"),
    ):
        tally = Tally()
        list(engine.run(rows, PLAN, context(MID_WINDOW, lang=lang), tally))
        fixes = tally.fixes("商家", context(MID_WINDOW, lang=lang))
        assert sorted(fixes) == list(range(count))
        messages = {fix["findings"][0]["message"] for fix in fixes.values()}
        (message,) = messages
        assert expected in message, message
        assert "12" not in message and "16" not in message  # rows 12 to 16 go unnamed


# --- regressions found in review -----------------------------------------------------------


def finding_of(result: MerchantResult, code: str):  # type: ignore[no-untyped-def]
    (finding,) = [f for f in result["findings"] if f["rule"] == code]
    return finding


def test_top_up_after_the_as_of_leaves_the_shortfall_unknown_not_zero() -> None:
    """Re-checked as of a moment before the top-up, the balance then is not in the export."""
    result = verdict(MID_WINDOW, deposit_topped_up_at=MID_WINDOW + timedelta(seconds=1))
    deposit = finding_of(result, "DP01")
    assert deposit["status"] is Status.FAIL
    assert deposit["owed"] is None and result["deposit_shortfall"] is None
    assert (
        deposit["remedy"] is not None
        and "¥50,000" in deposit["remedy"]
        and "¥0" not in deposit["remedy"]
    )
    assert result["outcome"] is Outcome.PENDING


def test_late_top_up_and_late_fee_tell_nobody_to_pay_zero() -> None:
    late = CLOSES + timedelta(seconds=1)
    # a balance still short: a late top-up beside one that meets the amount is an error
    # (tests/test_latest_topup.py)
    deposit = finding_of(
        verdict(AFTER_DEADLINE, deposit_topped_up_at=late, deposit_balance=40000), "DP01"
    )
    fee = finding_of(verdict(AFTER_DEADLINE, annual_fee_paid_at=late), "AF01")
    for finding in (deposit, fee):
        assert finding["status"] is Status.FAIL
        assert finding["remedy"] is None
        assert "不计入" in finding["message"]


def test_the_same_instant_in_another_zone_gives_the_same_verdict() -> None:
    """The 365-day window ends on the Beijing date of the as-of, whatever zone it came in."""
    from datetime import UTC, date

    violation_day = {
        "violations": [{"penalized_on": date(2021, 12, 27), "kind": "serious", "points": 12}]
    }
    beijing = datetime(2021, 12, 27, 4, 0, tzinfo=BEIJING)
    utc = beijing.astimezone(UTC)
    ctx_utc = Context.create(
        as_of=utc,
        cycle=RULESET.cycle,
        lang="zh",
        columns=columns_without(),
        has_violations_sheet=True,
    )
    ctx_bj = Context.create(
        as_of=beijing,
        cycle=RULESET.cycle,
        lang="zh",
        columns=columns_without(),
        has_violations_sheet=True,
    )
    merchant = merchant_with(signup_at=None, **violation_day)
    assert ctx_utc.as_of == ctx_bj.as_of and ctx_utc.as_of.tzinfo is BEIJING
    assert evaluate(merchant, PLAN, ctx_utc)["transfer_eligible"] is False
    assert evaluate(merchant, PLAN, ctx_bj)["transfer_eligible"] is False
