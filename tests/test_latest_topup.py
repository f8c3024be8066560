"""保证金补缴时间 and 保证金履约险续保时间 hold the latest top-up / renewal (ex21 §1, §2).

Platform exports (and, before, the template's own comments) hold the latest top-up and the
latest policy renewal in these columns. After the deadline, a later one can have written
over the one that counted:

- a merchant whose balance was enough by the deadline, deducted and topped back up after
  it, reads like one whose late top-up is what made the balance enough: DP01 is an `error`
  naming 保证金补缴时间 (not `failed`), whether that top-up is before or after the as-of; a
  balance still short beside a late top-up stays the certain failure;
- 2025年度: a 履约险 renewed after the deadline may have written over a renewal before
  signing: an `error` naming the cell where the cash falls short, the cash alone still
  passing; a renewal after signing but by the deadline stays a failure.

Before the deadline nothing changes: a top-up or renewal after the as-of is not done yet.
Windows: tmall-2023 2022-11-21 12:00 to 2022-12-26 18:00; tmall-2025 2024-11-20 12:00 to
2024-12-30 18:00.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row, run_file, write_csv

from renewal.timeutil import BEIJING

TOP_UP = "保证金补缴时间"
POLICY = "保证金履约险续保时间"
HEADER_2023 = [*EXPORT_HEADER, TOP_UP]
HEADER_2025 = [*EXPORT_HEADER, TOP_UP, POLICY]
DONE_2023 = "2022-12-01 10:00"
SIGNED_2025 = "2024-11-25 11:00"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


def row_2023(merchant_id: str, balance: str, topped_up: str) -> list[object]:
    """A 旗舰店 R 男装 store (¥50,000 due) that did every 2023 step on 2022-12-01."""
    cells = renewed_row(merchant_id)
    cells[5] = cells[6] = cells[9] = DONE_2023
    cells[7] = balance
    return [*cells, topped_up]


def row_2025(
    merchant_id: str, balance: str, topped_up: str, policy: str, signed: str = SIGNED_2025
) -> list[object]:
    """A 旗舰店 R 男装 store (¥50,000 due) that signed at `signed` (no sign-up in 2025年度)."""
    cells = renewed_row(merchant_id)
    cells[5] = ""
    cells[6] = signed
    cells[9] = "2024-11-25 10:00"
    cells[7] = balance
    return [*cells, topped_up, policy]


def check(path: Path, as_of: str, rules: str, lang: str = "zh") -> dict[str, dict[str, Any]]:
    """Each merchant's result, by id, from a real run of the pipeline."""
    run = run_file(path, at(as_of), rules=rules, lang=lang)
    return {result["merchant_id"]: result for result in run.results}


def deposit(result: dict[str, Any]) -> dict[str, Any]:
    (found,) = [f for f in result["findings"] if f["rule"] == "DP01"]
    return found


# --- the cash: a top-up after the deadline beside a balance that meets the deposit --------


@pytest.fixture
def export_2023(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "latetop-2023.csv",
        HEADER_2023,
        [
            # renewed on 2022-12-01 with enough all along; deducted and topped back up
            row_2023("enough-topped-up-again", "50000", "2022-12-28 10:00"),
            # topped up after the deadline and still short: certainly failed
            row_2023("short-topped-up-late", "40000", "2022-12-28 10:00"),
            # the deadline itself: a top-up then counts
            row_2023("topped-up-at-deadline", "50000", "2022-12-26 18:00:00"),
            row_2023("topped-up-second-after-deadline", "50000", "2022-12-26 18:00:01"),
        ],
    )


@pytest.mark.parametrize(
    "as_of",
    [
        "2022-12-28 22:00",  # the top-up before the as-of (the nightly export)
        "2022-12-27 22:00",  # after it: a later export re-checked as of an earlier night
    ],
)
def test_a_late_top_up_beside_enough_is_a_data_error_not_a_failure(export_2023, as_of):
    results = check(export_2023, as_of, "tmall-2023")
    outcomes = {merchant: result["outcome"] for merchant, result in results.items()}
    assert outcomes == {
        "enough-topped-up-again": "error",
        "short-topped-up-late": "failed",
        "topped-up-at-deadline": "renewed",
        "topped-up-second-after-deadline": "error",
    }
    again = results["enough-topped-up-again"]
    found = deposit(again)
    assert found["status"] == "error"
    assert found["message"] == (
        "「保证金补缴时间」为 2022-12-28 10:00，晚于截止时间 2022-12-26 18:00；"
        "该列是最近一次补缴的时间，无法判断截止时保证金余额是否已足额："
        "若截止前余额已够（之后扣款又补缴），此步已完成；若正是这笔补缴才补足，则未在截止前补足"
    )
    assert found["remedy"] == (
        "核对保证金账户流水，在「保证金补缴时间」填续签期内使余额补足的那笔补缴时间；"
        "若截止前余额本来就够，留空"
    )
    assert found["owed"] is None and again["deposit_shortfall"] is None
    assert (found["source"]["column"], found["source"]["row"]) == (TOP_UP, 2)
    assert again["transfer_eligible"] is not True  # not told its contract is over
    assert "2022-12-26 18:00:01" in deposit(results["topped-up-second-after-deadline"])["message"]


def test_a_late_top_up_that_leaves_the_balance_short_still_fails(export_2023):
    results = check(export_2023, "2022-12-28 22:00", "tmall-2023")
    short = results["short-topped-up-late"]
    found = deposit(short)
    assert found["status"] == "fail"
    assert (
        found["message"] == "保证金于 2022-12-28 10:00 补缴，晚于截止时间 2022-12-26 18:00，不计入"
    )
    assert found["owed"] == 10000 and short["deposit_shortfall"] == 10000


def test_before_the_deadline_a_top_up_after_the_as_of_is_not_done_yet(export_2023):
    """At the deadline itself (not yet passed) and earlier, a top-up after the as-of leaves
    the balance before it unknown, as it did: pending, not an error."""
    for as_of in ("2022-12-20 22:00", "2022-12-26 18:00"):
        results = check(export_2023, as_of, "tmall-2023")
        outcomes = {merchant: result["outcome"] for merchant, result in results.items()}
        assert outcomes == {
            "enough-topped-up-again": "pending",
            "short-topped-up-late": "pending",
            "topped-up-at-deadline": "renewed" if as_of.endswith("18:00") else "pending",
            "topped-up-second-after-deadline": "pending",
        }, as_of
        enough = deposit(results["enough-topped-up-again"])
        assert enough["status"] == "fail" and enough["owed"] is None
        assert "晚于评估时间，补缴前余额未知，按未补足处理" in enough["message"]
        short = deposit(results["short-topped-up-late"])
        assert short["status"] == "fail" and short["owed"] == 10000
        assert "评估时至少尚差 ¥10,000" in short["message"]


def test_the_2025_cash_top_up_after_the_deadline(tmp_path):
    path = write_csv(
        tmp_path / "latetop-2025.csv",
        HEADER_2025,
        [
            row_2025("enough-topped-up-again", "50000", "2024-12-31 10:00", ""),
            row_2025("short-topped-up-late", "30000", "2024-12-31 10:00", ""),
        ],
    )
    results = check(path, "2024-12-31 22:00", "tmall-2025")
    assert {m: r["outcome"] for m, r in results.items()} == {
        "enough-topped-up-again": "error",
        "short-topped-up-late": "failed",
    }
    found = deposit(results["enough-topped-up-again"])
    assert found["status"] == "error" and found["owed"] is None
    assert found["message"].startswith(
        "「保证金补缴时间」为 2024-12-31 10:00，晚于截止时间 2024-12-30 18:00；"
    )
    assert deposit(results["short-topped-up-late"])["owed"] == 20000


# --- 2025: the policy renewed after the deadline --------------------------------------------


@pytest.fixture
def export_2025(tmp_path: Path) -> Path:
    return write_csv(
        tmp_path / "policy-2025.csv",
        HEADER_2025,
        [
            # renewed 2024-11-25 10:00 before signing; the export of 2025-12 holds the
            # renewal for the next year
            row_2025("policy-renewed-next-year", "0", "", "2025-11-26 10:00"),
            # renewed again after the deadline, before the as-of; the cash short of it
            row_2025("policy-after-deadline-cash-short", "10000", "", "2024-12-31 10:00"),
            row_2025("policy-after-deadline-cash-enough", "50000", "", "2024-12-31 10:00"),
            # after signing, by the deadline: the order the rule is for
            row_2025("policy-after-signing", "0", "", "2024-12-20 10:00"),
            # the deadline and the signing at one instant: counts; a second later, unknown
            row_2025("policy-at-deadline", "0", "", "2024-12-30 18:00:00", "2024-12-30 18:00:00"),
            row_2025(
                "policy-second-after-deadline",
                "0",
                "",
                "2024-12-30 18:00:01",
                "2024-12-30 18:00:00",
            ),
        ],
    )


def test_a_policy_renewed_after_the_deadline_cannot_tell_whether_one_counted(export_2025):
    results = check(export_2025, "2024-12-31 22:00", "tmall-2025")
    assert {m: r["outcome"] for m, r in results.items()} == {
        "policy-renewed-next-year": "error",
        "policy-after-deadline-cash-short": "error",
        "policy-after-deadline-cash-enough": "renewed",
        "policy-after-signing": "failed",
        "policy-at-deadline": "renewed",
        "policy-second-after-deadline": "error",
    }
    later = results["policy-renewed-next-year"]
    found = deposit(later)
    assert found["status"] == "error"
    assert found["message"] == (
        "「保证金履约险续保时间」为 2025-11-26 10:00，晚于截止时间 2024-12-30 18:00；"
        "该列是最近一次续保的时间，无法判断签署协议前、截止前是否已续保（之后又续保）："
        "若已续保，履约险计入；若这次是唯一一次续保，则不计入"
    )
    assert found["remedy"] == (
        "核对保证金履约险的续保记录，在「保证金履约险续保时间」填计入本次续签的那次续保"
        "（签署协议前的那次）的时间；签署前没有续保则留空"
    )
    # not billed the whole cash deposit as certain
    assert found["owed"] is None and later["deposit_shortfall"] is None
    assert (found["source"]["column"], found["source"]["row"]) == (POLICY, 2)
    short = deposit(results["policy-after-deadline-cash-short"])
    assert short["status"] == "error" and "2024-12-31 10:00" in short["message"]
    enough = deposit(results["policy-after-deadline-cash-enough"])
    assert (enough["status"], enough["source"]["column"]) == ("pass", "保证金余额")
    signing = results["policy-after-signing"]
    found = deposit(signing)
    assert found["status"] == "fail" and signing["deposit_shortfall"] == 50000
    assert found["message"].startswith(
        "保证金履约险于 2024-12-20 10:00 续保，晚于签署协议 2024-11-25 11:00：须在签署前续保；"
    )


def test_before_the_deadline_a_policy_renewed_after_the_as_of_is_not_yet(export_2025):
    """At the deadline itself the renewal of 2025-11-26 has not happened yet: the cash
    decides, and its shortfall is owed, as before."""
    results = check(export_2025, "2024-12-30 18:00", "tmall-2025")
    later = results["policy-renewed-next-year"]
    assert later["outcome"] == "pending" and later["deposit_shortfall"] == 50000
    assert deposit(later)["message"] == "保证金余额 ¥0，应缴 ¥50,000，尚差 ¥50,000"
    assert results["policy-after-signing"]["outcome"] == "pending"
    assert results["policy-at-deadline"]["outcome"] == "renewed"


# --- English --------------------------------------------------------------------------------


def test_english_messages(export_2023, export_2025):
    cash = deposit(
        check(export_2023, "2022-12-28 22:00", "tmall-2023", "en")["enough-topped-up-again"]
    )
    assert cash["message"] == (
        "保证金补缴时间 (deposit topped up at) is 2022-12-28 10:00, after the deadline "
        "2022-12-26 18:00; the column holds the latest top-up, so whether the balance was "
        "already enough by the deadline cannot be told: if it was (topped up again after a "
        "deduction), the step was done; if this top-up is what made it enough, it was not "
        "made up in time"
    )
    assert cash["remedy"] == (
        "Check the deposit account's history and put in 保证金补缴时间 the top-up inside the "
        "renewal window that made the balance enough; leave it blank if the balance was "
        "already enough"
    )
    policy = deposit(
        check(export_2025, "2024-12-31 22:00", "tmall-2025", "en")["policy-renewed-next-year"]
    )
    assert policy["message"] == (
        "保证金履约险续保时间 (deposit insurance renewed at) is 2025-11-26 10:00, after the "
        "deadline 2024-12-30 18:00; the column holds the latest renewal, so whether the "
        "policy was renewed before the agreement was signed and by the deadline (and renewed "
        "again later) cannot be told: if it was, the policy counts; if this is its only "
        "renewal, it does not"
    )
    assert policy["remedy"] == (
        "Check the insurance's renewal record and put in 保证金履约险续保时间 the renewal "
        "that counts for this renewal (the one before the agreement was signed); leave it "
        "blank if there was none before signing"
    )


def test_the_cli_reports_the_error_not_a_failure(export_2023):
    """`renewal check` as a nightly job runs it: the merchant that renewed is in error (a
    data fix), not failed and not offered the transfer."""
    run = renewal(
        "check",
        export_2023,
        "--rules",
        "tmall-2023",
        "--as-of",
        "2022-12-28 22:00",
        "-f",
        "json",
        "--lang",
        "en",
        "-q",
        "--fail-on",
        "never",
    )
    assert run.returncode == 0, run.stderr
    merchants = {m["merchant_id"]: m for m in json.loads(run.stdout)["merchants"]}
    again = merchants["enough-topped-up-again"]
    assert (again["outcome"], again["transfer_eligible"]) == ("error", None)
    assert "the column holds the latest top-up" in deposit(again)["message"]
    assert merchants["short-topped-up-late"]["outcome"] == "failed"
