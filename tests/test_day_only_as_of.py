"""A step's day given alone (`2021-12-26`, a workbook date cell) is judged against the as-of
too, as the README promises ("read as that day's 00:00 where any time that day gives the
same verdict"): a step done after the as-of is not done yet at it, so a day wholly after the
as-of gives "not done yet" whatever its time, and on the as-of's own day (counted as done by
it) only the times up to it are possible. The contract's signing is history whatever the
as-of: the cut-off's day stays undecided.

2022年度: the window opens 2021-11-19 12:00 and closes 2021-12-26 18:00, cut-off 2021-11-19
10:00. 2025年度: closes 2024-12-30 18:00; a 保证金履约险 renewed before signing stands in for
the cash (ex16 §2a: rows 31 of agency2022 and 17 of agency2025).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from conftest import merchant_done_inside, renewal, write_csv
from test_day_only_cells import FIELDS, HEADER_2022, HEADER_2025, row_2022

from renewal import i18n
from renewal.checks import decisive
from renewal.checks.context import Context
from renewal.checks.decisive import Judging
from renewal.engine import Plan, evaluate
from renewal.intake.columns import HEADER_OF
from renewal.model import Merchant
from renewal.ruleset import RuleSet, load
from renewal.timeutil import BEIJING

R2022, R2025 = load("tmall-2022"), load("tmall-2025")

def row_2025(merchant_id: str, signed: object, renewed: object, balance: str) -> list[object]:
    """A 旗舰店 R 男装 store (¥50,000 due) in 2025年度."""
    store = [merchant_id, "旗舰店", "R", "男装", "2020-01-01 10:00"]
    return [*store, signed, balance, renewed, "否", "0", "0"]


def check(path: Path, rules: str, as_of: str, lang: str = "zh") -> dict[str, dict[str, Any]]:
    """`renewal check` as a user runs it: each merchant of the JSON report, by id."""
    out = path.with_name(f"{path.stem}-{lang}.json")
    args = ["--rules", rules, "--as-of", as_of, "--lang", lang, "-o", out, "-q"]
    run = renewal("check", path, *args)
    assert run.returncode in (0, 1), run.stderr
    merchants = json.loads(out.read_text(encoding="utf-8"))["merchants"]
    return {merchant["merchant_id"]: merchant for merchant in merchants}


def status(merchant: dict[str, Any], rule: str) -> str:
    (found,) = [f for f in merchant["findings"] if f["rule"] == rule]
    return str(found["status"])


def unreadable_columns(merchant: dict[str, Any]) -> set[str]:
    """The cells the row's load findings (LD02, LD04) call unreadable."""
    return {
        found["source"]["column"]
        for found in merchant["findings"]
        if found["rule"] in ("LD02", "LD04") and found["actual"] is not None
    }


# --- the tester's rows ----------------------------------------------------------------------


def test_a_sign_up_dated_the_deadlines_day_checked_a_week_before_is_pending(tmp_path):
    """ex16 §2a: 续签报名时间 = 2021-12-26 at an as-of of 2021-12-20 09:30. Every time that day
    is after the as-of: not signed up yet, whatever the time, so pending, not an error."""
    path = write_csv(
        tmp_path / "export.csv", HEADER_2022, [row_2022("2200000027", 续签报名时间="2021-12-26")]
    )
    for lang in ("zh", "en"):
        (merchant,) = check(path, "tmall-2022", "2021-12-20 09:30", lang).values()
        assert merchant["outcome"] == "pending"
        assert unreadable_columns(merchant) == set()
        assert status(merchant, "DL01") == "fail"
        assert merchant["time_left_seconds"] == 6 * 86400 + 8 * 3600 + 30 * 60
        (signup,) = [f for f in merchant["findings"] if f["rule"] == "DL01"]
        said = "晚于评估时间" if lang == "zh" else "after the evaluation time"
        assert said in signup["message"]
        assert merchant["next_action"].startswith(signup["remedy"])


def test_a_workbook_date_cell_on_the_deadlines_day_checked_before_it_is_pending(tmp_path):
    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(str(path))
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("商家")
    sheet.write_row(0, 0, HEADER_2022)
    for column, value in enumerate(row_2022("date-cell")):
        sheet.write_string(1, column, str(value))
    sheet.write_datetime(1, HEADER_2022.index("协议签署时间"), datetime(2021, 12, 26), day)
    book.close()
    (merchant,) = check(path, "tmall-2022", "2021-12-20 09:30").values()
    assert (merchant["outcome"], status(merchant, "DL02")) == ("pending", "fail")
    assert unreadable_columns(merchant) == set()


def test_a_2025_signing_dated_the_deadlines_day_checked_before_it_is_pending(tmp_path):
    """ex16 §2a, 2025: 协议签署时间 = 2024-12-30 at an as-of of 2024-12-24 10:00."""
    rows = [row_2025("2500000014", "2024-12-30", "", "50000")]
    path = write_csv(tmp_path / "export.csv", HEADER_2025, rows)
    (merchant,) = check(path, "tmall-2025", "2024-12-24 10:00").values()
    assert merchant["outcome"] == "pending"
    assert status(merchant, "DL02") == "fail"
    assert unreadable_columns(merchant) == set()


# --- each decisive day against the as-of ------------------------------------------------------

# fmt: off
DECISIVE_2022 = [
    # id, the cell, the as-of, the rule, its status (None: the cell is unreadable), outcome
    ("deadline-day-a-week-before", {"协议签署时间": "2021-12-26"}, "2021-12-20 09:30", "DL02", "fail", "pending"),
    ("deadline-day-the-day-before", {"协议签署时间": "2021-12-26"}, "2021-12-25 23:59:59", "DL02", "fail", "pending"),
    # the as-of's own day counts as done by it: before 18:00, inside the window
    ("deadline-day-that-morning", {"协议签署时间": "2021-12-26"}, "2021-12-26 09:30", "DL02", "pass", "renewed"),
    ("deadline-day-at-the-deadline", {"协议签署时间": "2021-12-26"}, "2021-12-26 18:00", "DL02", "pass", "renewed"),
    # past 18:00 the time decides again: on time or late
    ("deadline-day-that-evening", {"协议签署时间": "2021-12-26"}, "2021-12-26 19:00", "DL02", None, "error"),
    ("deadline-day-after-it", {"协议签署时间": "2021-12-26"}, "2021-12-27 00:00", "DL02", None, "error"),
    ("fee-deadline-day-before-it", {"年费缴纳时间": "2021-12-26"}, "2021-12-20 09:30", "AF01", "fail", "pending"),
    ("top-up-deadline-day-before-it", {"保证金补缴时间": "2021-12-26"}, "2021-12-20 09:30", "DP01", "fail", "pending"),
    # the opening day (12:00): done by an as-of before noon is before the window
    ("opening-day-the-day-before", {"续签报名时间": "2021-11-19"}, "2021-11-18 12:00", "DL01", "fail", "pending"),
    ("opening-day-that-morning", {"续签报名时间": "2021-11-19"}, "2021-11-19 10:00", "DL01", "fail", "pending"),
    ("opening-day-at-noon", {"续签报名时间": "2021-11-19"}, "2021-11-19 12:00", "DL01", None, "error"),
    ("opening-day-that-afternoon", {"续签报名时间": "2021-11-19"}, "2021-11-19 14:00", "DL01", None, "error"),
    # the contract's signing is history: the cut-off (10:00) decides whatever the as-of
    ("cut-off-day-before-it", {"合同签署时间": "2021-11-19"}, "2021-11-01 12:00", "LD02", "error", "error"),
]
# fmt: on


@pytest.mark.parametrize(
    ("cells", "as_of", "rule", "expected", "outcome"),
    [case[1:] for case in DECISIVE_2022],
    ids=[case[0] for case in DECISIVE_2022],
)
def test_each_decisive_day_against_the_as_of(tmp_path, cells, as_of, rule, expected, outcome):
    (header,) = cells
    path = write_csv(tmp_path / "export.csv", HEADER_2022, [row_2022("5001", **cells)])
    (merchant,) = check(path, "tmall-2022", as_of).values()
    assert merchant["outcome"] == outcome
    if expected is None or rule == "LD02":  # the time decides: an unreadable cell
        assert unreadable_columns(merchant) == {header}
        assert status(merchant, rule) == "error"
    else:
        assert unreadable_columns(merchant) == set()
        assert status(merchant, rule) == expected


def test_a_policy_and_a_signing_on_one_day_after_the_as_of_do_not_need_ordering(tmp_path):
    """Both after the as-of: neither is done yet, so which came first does not matter; the
    cash decides the deposit. On one day before the as-of they still cannot be ordered."""
    rows = [
        row_2025("after", "2024-12-26", "2024-12-26", "20000"),
        row_2025("before", "2024-12-20", "2024-12-20", "20000"),
    ]
    path = write_csv(tmp_path / "export.csv", HEADER_2025, rows)
    found = check(path, "tmall-2025", "2024-12-24 10:00")
    after = found["after"]
    assert after["outcome"] == "pending"
    assert unreadable_columns(after) == set()
    assert (status(after, "DP01"), status(after, "DL02")) == ("fail", "fail")
    assert after["deposit_shortfall"] == 30000
    before = found["before"]
    assert before["outcome"] == "error"
    assert unreadable_columns(before) == {"协议签署时间", "保证金履约险续保时间"}


def test_the_interview_with_the_as_of_now_does_not_ask_about_a_deadline_later_today():
    """`undecided` is one judgement for the interview and a check run: with the as-of now
    (`as_of` None, the horizon set), what was done today was done by now, before 18:00; with
    an as-of in the past, a time after it that day was not yet done, and the time is asked."""
    horizon = datetime(2021, 12, 26, 9, 30, tzinfo=BEIJING)
    merchant = Merchant(sheet="", row=0)
    now = Judging.of(R2022, None, horizon)
    past = Judging.of(R2022, horizon, horizon)
    for field in ("signup_at", "agreement_signed_at", "annual_fee_paid_at"):
        assert decisive.undecided(field, horizon.date(), now, merchant, {}) is None
        assert decisive.undecided(field, horizon.date(), past, merchant, {}) is not None
        # the year alone (the template's days): the deadline's day decides for some as-of
        assert decisive.undecided(field, horizon.date(), Judging.of_export(R2022), merchant, {})
    # a day wholly after the as-of is not done yet at it, for both
    later = date(2021, 12, 26)
    earlier = Judging.of(R2022, None, datetime(2021, 12, 20, 9, 30, tzinfo=BEIJING))
    assert decisive.undecided("signup_at", later, earlier, merchant, {}) is None
    assert decisive.undecided("contract_signed_at", date(2021, 11, 19), earlier, merchant, {})


# --- the promise itself: a day kept gives the verdict of any time it could hold --------------

CLOCKS = [time(0), time(0, 0, 1), time(6), time(9, 30), time(10), time(10, 0, 1), time(12)]
CLOCKS += [time(12, 0, 1), time(17, 59, 59), time(18), time(18, 0, 1), time(19), time(23, 59, 59)]


def as_ofs(ruleset: RuleSet) -> list[datetime]:
    """Before the window, on its opening day before and after the opening, inside it, on
    the deadline's day before, at and after the deadline, and after it."""
    opens, closes = ruleset.cycle.window_opens, ruleset.cycle.window_closes
    opening_day = datetime.combine(opens.date(), time(), BEIJING)
    closing_day = datetime.combine(closes.date(), time(), BEIJING)
    return [
        opening_day - timedelta(hours=12),
        opening_day + timedelta(hours=10),
        opens,
        opening_day + timedelta(hours=14),
        closes - timedelta(days=6, hours=8, minutes=30),
        closing_day + timedelta(hours=9, minutes=30),
        closes,
        closing_day + timedelta(hours=19),
        closing_day + timedelta(days=1, hours=12),
    ]


def verdict(result: Any) -> tuple[object, ...]:
    """What a result decides (outcome, each finding's status and amount), without the words,
    which quote the moment read."""
    return result["outcome"], [(f["rule"], f["status"], f["owed"]) for f in result["findings"]]


@pytest.mark.parametrize("ruleset", [R2022, R2025], ids=["2022", "2025"])
def test_a_day_kept_gives_the_verdict_of_every_time_it_could_hold(ruleset):
    """Wherever a check run keeps a day alone (reads it as its 00:00), the year's checks give
    the same verdict at every time of that day that the row could mean: the whole day, or on
    the as-of's own day the times up to the as-of (done by it). And the as-of settles days
    the year alone does not: the deadline's day, checked before it, is kept."""
    plan = Plan.of(ruleset)
    inside = ruleset.cycle.window_opens + timedelta(days=3)
    base = merchant_done_inside(
        ruleset,
        inside,
        deposit_balance=1e9,
        annual_fee_required=1000.0,
        annual_fee_paid=1000.0,
        serious_points=0.0,
        general_points=0.0,
        appeal_pending=False,
    )
    insured_at = [None]
    if ruleset is R2025:
        insured_at += [inside - timedelta(hours=1), inside + timedelta(hours=1)]
    kept_after = 0
    for as_of in as_ofs(ruleset):
        ctx = Context.create(
            as_of, ruleset.cycle, "zh", HEADER_OF, judging=Judging.of_export(ruleset, as_of)
        )
        moments = [ruleset.cycle.window_opens, ruleset.cycle.window_closes, as_of, inside]
        moments += [getattr(p, "signed_at_or_before", None) for p in ruleset.rules.values()]
        days = sorted({(m + timedelta(days=n)).date() for m in moments if m for n in (-1, 0, 1)})
        for field in FIELDS:
            for insured in insured_at:
                cash = base.deposit_balance if insured is None else 0.0
                row = dataclasses.replace(
                    base, deposit_insurance_renewed_at=insured, deposit_balance=cash
                )
                for day in days:
                    midnight = datetime.combine(day, time(), BEIJING)
                    alone = dataclasses.replace(
                        row, **{field: midnight}, day_only=((field, i18n.day(day)),)
                    )
                    judged = evaluate(alone, plan, ctx)
                    if any(f["rule"] in ("LD02", "LD04") for f in judged["findings"]):
                        continue  # the time decides: taken for unreadable
                    closing_day = day == ruleset.cycle.window_closes.date()
                    signing = field == "agreement_signed_at"  # a step in both years
                    kept_after += signing and closing_day and midnight > as_of
                    for clock in CLOCKS:
                        at = datetime.combine(day, clock, BEIJING)
                        if day == as_of.date() and at > as_of:
                            continue  # on the as-of's day, done by it
                        timed = dataclasses.replace(row, **{field: at})
                        assert verdict(evaluate(timed, plan, ctx)) == verdict(judged), (
                            field,
                            day,
                            clock,
                            as_of,
                            insured,
                        )
    assert kept_after > 0  # the deadline's day, after the as-of: settled by it
