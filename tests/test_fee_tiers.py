"""The annual fee (AF01) by first-level category and with an undated payment, through the
real pipeline: the fee table's names read as the deposit's categories are, the top tier
deciding beside a category the table does not know, and an amount in 年费已缴 with a blank
年费缴纳时间 (the verdict and the fee owed it leaves unknown, and the totals that count it).
Also the 2019年度 operating assessment (AS01) with a blank 服务开通时间.

The export is a small CSV checked against the 2022 rules: window 2021-11-19 12:00 ..
2021-12-26 18:00 Beijing time; 女装/女士精品 60,000, 服饰配件/皮带/帽子/围巾 30,000.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, MID_WINDOW, renewal, renewed_row, run_file

from renewal.checks.categories import named_by
from renewal.checks.fee import AnnualFeeParams
from renewal.ruleset import load
from renewal.timeutil import BEIJING

CATEGORY = EXPORT_HEADER.index("主营类目")
PAID = EXPORT_HEADER.index("年费已缴")
PAID_AT = EXPORT_HEADER.index("年费缴纳时间")
BEFORE_WINDOW = datetime(2021, 11, 1, 12, 0, tzinfo=BEIJING)
FEE_YEARS = ("tmall-2019", "tmall-2021", "tmall-2022", "tmall-2023")


def row(merchant_id: str, category: str, paid: str, paid_at: str) -> list[object]:
    values = renewed_row(merchant_id)
    values[CATEGORY], values[PAID], values[PAID_AT] = category, paid, paid_at
    return values


def export(tmp_path: Path, *rows: list[object]) -> Path:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, *rows])
    return path


def by_id(results: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {result["merchant_id"]: result for result in results}


def af01(result: dict[str, Any]) -> dict[str, Any]:
    return next(found for found in result["findings"] if found["rule"] == "AF01")


def fee_params(rules: str) -> AnnualFeeParams:
    params = load(rules).params("AF01")
    assert isinstance(params, AnnualFeeParams)
    return params


@pytest.mark.parametrize("rules", FEE_YEARS)
def test_every_fee_table_name_gives_its_tier_written_alone_or_as_a_path(rules: str) -> None:
    """Each tier's name and alias, alone, below it (a sub-category) and with its levels
    joined by '-', is that tier's fee: no name of the table is lost to the matcher's
    cutting at '/' (女装/女士精品 is one first-level name)."""
    params = fee_params(rules)
    for tier in params.tiers:
        for name in (tier.category, *tier.aliases):
            for written in (name, f"{name}/某子类目", name.replace("/", "-")):
                assert params.required_for(written) == tier.fee, (rules, written)


def test_a_compound_name_matches_a_run_of_levels_in_its_order() -> None:
    words = ("女装/女士精品",)
    assert named_by("女装/女士精品/连衣裙", words) == words
    assert named_by("女装 - 女士精品", words) == words
    assert named_by("女士精品/女装", words) == ()
    assert named_by("女装", words) == ()
    # the first-level reading: the run must start at the first level
    assert named_by("服饰/女装/女士精品", words) == words
    assert named_by("服饰/女装/女士精品", words, leading=True) == ()
    assert named_by("童鞋/婴儿鞋/亲子鞋/运动鞋", ("运动鞋",), leading=True) == ()


@pytest.mark.parametrize("rules", FEE_YEARS)
def test_the_top_tier_decides_beside_an_unknown_category_a_lower_one_does_not(
    rules: str,
) -> None:
    params = fee_params(rules)
    top = max(tier.fee for tier in params.tiers)
    assert params.required_for("医药、女装/女士精品") == top
    assert params.required_for("女装/女士精品/连衣裙、零食/坚果/特产") == top
    assert params.required_for("医药、服饰配件/皮带/帽子/围巾") is None
    assert params.required_for("医药") is None


def test_top_tier_beside_an_unknown_category_in_a_run(tmp_path: Path) -> None:
    """The fee is known, so the outcome is the deposit's, not an error."""
    paid = "2021-11-20 10:00"
    path = export(
        tmp_path,
        row("top-and-unknown", "医药、女装/女士精品", "60000", paid),
        # ¥45,000 covers the ¥30,000 tier, not the ¥60,000 one: the tier of 医药 decides
        row("low-and-unknown", "医药、服饰配件/皮带/帽子/围巾", "45000", paid),
        row("sub-level-short", "女装/女士精品/连衣裙", "59999", paid),
        # 运动鞋 is a level of 童鞋/婴儿鞋/亲子鞋 here, not the first-level 运动鞋new
        row("deeper-tier-word", "童鞋/婴儿鞋/亲子鞋/运动鞋", "45000", paid),
    )
    results = by_id(run_file(path, AFTER_DEADLINE).results)
    top = results["top-and-unknown"]
    assert af01(top)["status"] == "pass"
    assert (top["annual_fee_due"], af01(top)["expected"]) == (0.0, 60000)
    low = results["low-and-unknown"]
    # the fee cannot be told, but 医药's deposit is certainly short past the deadline: failed
    assert (low["outcome"], af01(low)["status"], low["annual_fee_due"]) == ("failed", "error", None)
    assert [f["status"] for f in low["findings"] if f["rule"] == "DP01"] == ["fail"]
    assert "医药" in af01(low)["message"] and "服饰配件" not in af01(low)["message"]
    short = results["sub-level-short"]
    assert (short["outcome"], short["annual_fee_due"], af01(short)["expected"]) == (
        "failed",
        1.0,
        60000,
    )
    assert af01(results["deeper-tier-word"])["status"] == "error"


@pytest.mark.parametrize("as_of", [MID_WINDOW, AFTER_DEADLINE], ids=["in-window", "after"])
def test_an_undated_payment_covering_the_fee_leaves_verdict_and_fee_unknown(
    tmp_path: Path, as_of: datetime
) -> None:
    path = export(
        tmp_path,
        row("undated", "女装/女士精品", "60000", ""),
        row("owes", "女装/女士精品", "", ""),
        renewed_row("renewed"),
    )
    collect = run_file(path, as_of)
    results = by_id(collect.results)
    undated = results["undated"]
    assert (undated["outcome"], af01(undated)["status"]) == ("error", "error")
    assert undated["annual_fee_due"] is None and af01(undated)["owed"] is None
    assert "「年费缴纳时间」为空" in af01(undated)["message"]
    # the totals count it among the unknown amounts, not as 60,000 owed
    summary = collect.summary
    assert summary["annual_fee_due_total"] == results["owes"]["annual_fee_due"] == 60000
    assert summary["annual_fee_due_unknown"] == 1


def test_an_undated_payment_short_of_the_fee_fails_owing_an_unknown_amount(
    tmp_path: Path,
) -> None:
    """Short of the fee the step fails whenever it was paid: pending in the window, failed
    after the deadline; what is owed (the rest, or the whole fee) is not known."""
    path = export(tmp_path, row("short", "女装/女士精品", "20000", ""))
    for as_of, outcome in ((MID_WINDOW, "pending"), (AFTER_DEADLINE, "failed")):
        collect = run_file(path, as_of)
        (result,) = collect.results
        assert (result["outcome"], af01(result)["status"]) == (outcome, "fail")
        assert result["annual_fee_due"] is None and af01(result)["owed"] is None
        assert "¥40,000" in af01(result)["message"] and "¥60,000" in af01(result)["message"]
        assert collect.summary["annual_fee_due_unknown"] == 1


def test_an_undated_payment_as_of_before_the_window_is_the_whole_fee_owed(
    tmp_path: Path,
) -> None:
    """Before the window opens nothing paid inside it can have happened yet, whenever the
    payment was: the whole fee is owed, certainly. From the opening on it is unknown."""
    path = export(tmp_path, row("undated", "女装/女士精品", "60000", ""))
    (before,) = run_file(path, BEFORE_WINDOW).results
    assert (before["outcome"], af01(before)["status"]) == ("pending", "fail")
    assert before["annual_fee_due"] == 60000
    opening = datetime(2021, 11, 19, 12, 0, tzinfo=BEIJING)
    (opened,) = run_file(path, opening).results
    assert (opened["outcome"], opened["annual_fee_due"]) == ("error", None)


def test_2019_assessment_with_a_blank_opening_time_passes_unless_failed(tmp_path: Path) -> None:
    """考核不达标 否 (or blank, which reads as 否) passes whether or not the assessment
    applies; 是 leaves it to the opening time, so a blank one is an error. The run says
    nothing about ignoring 考核不达标: AS01 reads it (2019 has no blocker of that name)."""
    header = [*EXPORT_HEADER, "服务开通时间", "考核不达标"]
    rows = []
    for merchant_id, flag in (("not-failed", "否"), ("flag-blank", ""), ("failed", "是")):
        cells = renewed_row(merchant_id)
        cells[EXPORT_HEADER.index("合同签署时间")] = "2016-01-01 10:00"
        for column in ("续签报名时间", "协议签署时间", "年费缴纳时间"):
            cells[EXPORT_HEADER.index(column)] = "2018-11-01 10:00"
        rows.append([*cells, "", flag])
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, *rows])
    result = renewal(
        "check", path, "--rules", "2019", "--as-of", "2018-12-27 00:00", "-f", "json",
        "--fail-on", "never",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "考核不达标」列" not in result.stderr
    merchants = by_id(json.loads(result.stdout)["merchants"])
    assessed = {
        merchant_id: next(f for f in found["findings"] if f["rule"] == "AS01")
        for merchant_id, found in merchants.items()
    }
    assert {k: (merchants[k]["outcome"], v["status"]) for k, v in assessed.items()} == {
        "not-failed": ("renewed", "pass"),
        "flag-blank": ("renewed", "pass"),
        "failed": ("error", "error"),
    }
    assert "无论是否须参加" in assessed["not-failed"]["message"]
