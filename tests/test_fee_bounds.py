"""AF01's amount where the export cannot tell it exactly (ex23 findings 1 and 2).

A fee paid after the as-of: 年费已缴 is the total up to the latest payment, so what was
paid by the as-of is unknown; the fee owed is unknown (null), unless even that total falls
short of the fee, where the rest is owed at least (`owed_at_least`), as DP01 does for a
top-up after the as-of.

A category the fee table does not list: the table's tiers bound the fee (「分为3万元或6万元
两档」), so a store that paid the top tier has paid whatever its tier, and one that paid less
than the bottom tier certainly has not (failed after the deadline; before it, a step to do
owing at least the rest of the bottom tier); in between, the tier decides and the row is an
error. The bounds come from the rule file's table.

2022年度: window 2021-11-19 12:00 .. 2021-12-26 18:00; a 旗舰店 R 男装 owes a ¥60,000 fee.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, ROOT, renewal, renewed_row, run_file, write_csv

from renewal import i18n
from renewal.checks.fee import AnnualFeeParams
from renewal.ruleset import load
from renewal.timeutil import BEIJING

RULES = "tmall-2022"
FEE = load(RULES).rules["AF01"]
assert isinstance(FEE, AnnualFeeParams)
LOW = min(tier.fee for tier in FEE.tiers)
HIGH = max(tier.fee for tier in FEE.tiers)
assert LOW < HIGH
LOW_TIER = next(tier.category for tier in FEE.tiers if tier.fee == LOW)
UNLISTED = "家居日用"
assert FEE.fee_for(UNLISTED) is None
BETWEEN = (LOW + HIGH) / 2
"""Enough for the bottom tier, not for the top one: the tier decides."""

AS_OF = datetime(2021, 12, 23, 10, 0, tzinfo=BEIJING)  # before the deadline
LATER = "2021-12-24 10:00"  # a payment after AS_OF, inside the window
HEADER = [*EXPORT_HEADER, "保证金补缴时间"]
COLUMN = {name: index for index, name in enumerate(HEADER)}


def row(merchant_id: str, **cells: object) -> list[object]:
    """A 旗舰店 R 男装 merchant that renewed on 2021-11-20, with `cells` (by header)."""
    values = [*renewed_row(merchant_id), ""]
    for header, value in cells.items():
        values[COLUMN[header]] = value
    return values


def unpaid(merchant_id: str, category: str) -> list[object]:
    return row(merchant_id, 主营类目=category, 年费已缴="", 年费缴纳时间="")


def by_id(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {result["merchant_id"]: result for result in results}


def af01(result: dict[str, Any]) -> dict[str, Any]:
    return next(found for found in result["findings"] if found["rule"] == "AF01")


def remind_rows(path: Path, as_of: str) -> dict[str, dict[str, str]]:
    run = renewal("remind", path, "--rules", RULES, "--as-of", as_of, "-f", "csv", "-o", "-", "-q")
    assert run.returncode == 0, run.stderr
    reader = csv.DictReader(io.StringIO(run.stdout.lstrip("\ufeff")))
    return {line["商家ID"]: line for line in reader}


def yuan(amount: float) -> str:
    return i18n.yuan(amount)


# --- a payment after the as-of -------------------------------------------------------------


@pytest.fixture
def paid_later(tmp_path: Path) -> Path:
    rows = [
        row("covered-later", 年费缴纳时间=LATER),  # ¥60,000 of ¥60,000, the last part later
        row("short-later", 年费已缴=str(HIGH / 2), 年费缴纳时间=LATER),
        row("deposit-later", 保证金补缴时间=LATER),  # DP01's twin
        row("short-deposit-later", 保证金余额="30000", 保证金补缴时间=LATER),
    ]
    return write_csv(tmp_path / "later.csv", HEADER, rows)


def test_a_fee_covered_only_by_a_payment_after_the_as_of_is_unknown(paid_later: Path) -> None:
    results = by_id(run_file(paid_later, AS_OF).results)
    covered = results["covered-later"]
    found = af01(covered)
    assert (found["status"], found["owed"], found["actual"]) == ("fail", None, None)
    assert "owed_at_least" not in found
    assert (covered["outcome"], covered["annual_fee_due"]) == ("pending", None)
    assert "已缴多少未知" in found["message"] and LATER in found["message"]
    assert yuan(HIGH) in (found["remedy"] or "")  # pay it in full: how much is left is unknown


def test_a_fee_short_even_after_that_payment_is_owed_at_least_the_rest(paid_later: Path) -> None:
    short = by_id(run_file(paid_later, AS_OF).results)["short-later"]
    found = af01(short)
    assert (found["status"], found["owed"], found.get("owed_at_least")) == ("fail", HIGH / 2, True)
    assert short["annual_fee_due"] == HIGH / 2
    assert f"至少尚差 {yuan(HIGH / 2)}" in found["message"]
    english = af01(by_id(run_file(paid_later, AS_OF, lang="en").results)["short-later"])
    assert f"at least {yuan(HIGH / 2)} still due" in english["message"]


def test_the_deposit_twin_reads_the_same_way(paid_later: Path) -> None:
    results = by_id(run_file(paid_later, AS_OF).results)
    assert results["deposit-later"]["deposit_shortfall"] is None
    dp01 = next(f for f in results["short-deposit-later"]["findings"] if f["rule"] == "DP01")
    assert (dp01["owed"], dp01.get("owed_at_least")) == (20000, True)


@pytest.mark.parametrize(
    ("as_of", "owed"),
    [
        # before the window opens nothing inside it can have been paid: the whole fee
        (datetime(2021, 11, 19, 11, 59, 59, tzinfo=BEIJING), HIGH),
        # from the opening on, part of it may have been paid by then
        (datetime(2021, 11, 19, 12, 0, tzinfo=BEIJING), None),
    ],
    ids=["second-before-opening", "at-opening"],
)
def test_the_window_opening_bounds_what_may_have_been_paid(
    paid_later: Path, as_of: datetime, owed: float | None
) -> None:
    found = af01(by_id(run_file(paid_later, as_of).results)["covered-later"])
    assert (found["status"], found["owed"]) == ("fail", owed)


def test_remind_and_self_check_say_the_part_is_not_known_in_full(paid_later: Path) -> None:
    lines = remind_rows(paid_later, "2021-12-23 10:00")
    assert (lines["covered-later"]["应缴金额(元)"], lines["covered-later"]["金额未知项"]) == (
        "0",
        "年费",
    )
    assert (lines["short-later"]["应缴金额(元)"], lines["short-later"]["金额未知项"]) == (
        f"{HIGH / 2:.0f}",
        "年费",
    )
    args = ("--rules", RULES, "--as-of", "2021-12-23 10:00", "-m", "short-later")
    checklist = renewal("self-check", paid_later, *args).stdout
    assert f"还需缴纳：至少 {yuan(HIGH / 2)}" in checklist


# --- a category the fee table does not list ------------------------------------------------


def test_the_bounds_are_the_tables_ends() -> None:
    assert FEE.fee_bounds(UNLISTED) == (LOW, HIGH)
    assert FEE.fee_bounds("") == FEE.fee_bounds(None) == (LOW, HIGH)
    assert FEE.fee_bounds(f"{LOW_TIER}、{UNLISTED}") == (LOW, HIGH)
    top = next(tier.category for tier in FEE.tiers if tier.fee == HIGH)
    assert FEE.fee_bounds(f"{UNLISTED}、{top}") == (HIGH, HIGH)  # as required_for has it
    assert FEE.fee_bounds(LOW_TIER) == (LOW, LOW)
    assert FEE.required_for(UNLISTED) is None and FEE.required_for(LOW_TIER) == LOW


@pytest.fixture
def unlisted(tmp_path: Path) -> Path:
    rows = [
        row("paid-top", 主营类目=UNLISTED, 年费已缴=str(HIGH)),
        unpaid("paid-none", UNLISTED),
        unpaid("low-and-unlisted-none", f"{LOW_TIER}、{UNLISTED}"),
        row("paid-between", 主营类目=UNLISTED, 年费已缴=str(BETWEEN)),
        row("paid-under-bottom", 主营类目=UNLISTED, 年费已缴=str(LOW - 1)),
        unpaid("blank-none", ""),
    ]
    return write_csv(tmp_path / "unlisted.csv", HEADER, rows)


def test_after_the_deadline_only_a_payment_between_the_tiers_is_undecided(unlisted: Path) -> None:
    results = by_id(run_file(unlisted, AFTER_DEADLINE).results)
    outcomes = {merchant: result["outcome"] for merchant, result in results.items()}
    assert outcomes == {
        "paid-top": "renewed",
        "paid-none": "failed",
        "low-and-unlisted-none": "failed",
        "paid-between": "error",
        "paid-under-bottom": "failed",
        "blank-none": "failed",
    }
    assert af01(results["paid-top"])["status"] == "pass"
    for merchant in ("paid-none", "low-and-unlisted-none", "blank-none"):
        found = af01(results[merchant])
        assert (found["status"], found["owed"], found.get("owed_at_least")) == ("fail", LOW, True)
        assert results[merchant]["transfer_eligible"] is not None  # the transfer test ran
    under = af01(results["paid-under-bottom"])
    assert (under["owed"], under.get("owed_at_least")) == (1, True)
    assert f"应缴 {yuan(LOW)} 至 {yuan(HIGH)}" in under["message"]
    between = af01(results["paid-between"])
    assert (between["status"], between["owed"]) == ("error", None)
    assert UNLISTED in between["message"]


def test_before_the_deadline_the_step_is_certainly_to_do(unlisted: Path) -> None:
    results = by_id(run_file(unlisted, AS_OF).results)
    none = results["paid-none"]
    assert (none["outcome"], none["annual_fee_due"]) == ("pending", LOW)
    found = af01(none)
    assert f"{yuan(LOW)} 至 {yuan(HIGH)}" in found["message"]
    assert f"主营类目「{UNLISTED}」不在年费表中" in found["message"]
    lines = remind_rows(unlisted, "2021-12-23 10:00")
    line = lines["paid-none"]
    assert "缴纳年费" in line["待完成事项"].split("；")
    amount = (line["应缴金额(元)"], line["金额未知项"], line["数据错误"])
    assert amount == (f"{LOW:.0f}", "年费", "")
    assert "paid-between" not in lines and "paid-top" not in lines
    args = ("--rules", RULES, "--as-of", "2021-12-23 10:00", "-m", "paid-none")
    checklist = renewal("self-check", unlisted, *args).stdout
    assert f"[未完成] {FEE.label}" in checklist and "[无法判断]" not in checklist
    assert f"还需缴纳：至少 {yuan(LOW)}" in checklist


def test_the_bounds_follow_the_rule_file(tmp_path: Path) -> None:
    """The bottom tier raised in the rule file: a payment short of it is short of every
    tier, where the bundled file's bottom tier leaves the tier to decide."""
    text = (ROOT / "rules" / f"{RULES}.toml").read_text(encoding="utf-8")
    assert text.count(f"fee = {LOW:.0f}\n") == 1
    raised = LOW + 10000
    rules = tmp_path / "raised.toml"
    rules.write_text(text.replace(f"fee = {LOW:.0f}\n", f"fee = {raised:.0f}\n"), encoding="utf-8")
    paid = LOW + 5000  # above the bundled bottom tier, below the raised one
    path = write_csv(
        tmp_path / "one.csv", HEADER, [row("m", 主营类目=UNLISTED, 年费已缴=str(paid))]
    )
    (bundled,) = run_file(path, AS_OF).results
    assert af01(bundled)["status"] == "error"
    run = renewal("check", path, "--rules", rules, "--as-of", "2021-12-23 10:00", "-f", "json")
    (merchant,) = json.loads(run.stdout)["merchants"]
    found = af01(merchant)
    assert (found["status"], found["owed"], found.get("owed_at_least")) == ("fail", 5000, True)


def test_the_message_names_the_category_or_says_it_is_blank(unlisted: Path) -> None:
    zh = by_id(run_file(unlisted, AS_OF).results)
    en = by_id(run_file(unlisted, AS_OF, lang="en").results)
    assert af01(zh["blank-none"])["message"].endswith("；主营类目为空，年费视其档位而定")
    assert "「」" not in af01(zh["blank-none"])["message"]
    assert af01(en["blank-none"])["message"].endswith(
        "; 主营类目 (category) is blank, so the fee depends on its tier"
    )
    assert f"category '{UNLISTED}' is not in the fee table" in af01(en["paid-none"])["message"]
    # beside a category the table knows, only the other is named
    low_and = af01(zh["low-and-unlisted-none"])["message"]
    assert f"主营类目「{UNLISTED}」不在年费表中" in low_and and LOW_TIER not in low_and
