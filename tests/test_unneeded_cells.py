"""A cell the verdict does not turn on never makes a row an `error`; a lone dash is a blank.

- 保证金履约险续保时间 is read only in a year with the insurance (2025年度). There, one that
  cannot be read as a moment is a policy that does not count, and the cash decides: enough
  cash passes; short of it, a 'no policy' answer (无, 未投保, N/A …) fails owing the
  shortfall, and only another unreadable cell (已续保, a day that cannot be ordered) is an
  error.
- 商标状态 matters to DP01 only where the deposit table's row needs it (not for
  卖场型旗舰店's one amount, a special category's `any`, or 图书音像's amount by store type).
- A dash alone (`-`, `--`, `—`, `－`) in a date cell is blank, as in an amount cell: a step
  time of `-` is a step not done.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewal, renewed_row, run_file, write_csv

from renewal.intake.dates import (
    names_day_alone,
    parse_date,
    parse_datetime,
    parse_document_expiry,
    parse_expiry,
)
from renewal.intake.values import Unreadable, parse_amount
from renewal.ruleset import load
from renewal.timeutil import BEIJING

DASHES = ["-", "--", "—", "——", "–", "－", " - ", "'-", '="-"']


@pytest.mark.parametrize("cell", DASHES)
def test_a_lone_dash_is_blank_in_every_date_reader_as_in_an_amount(cell: str) -> None:
    assert parse_amount(cell) is None
    assert parse_datetime(cell) is None
    assert parse_date(cell) is None
    assert parse_expiry(cell) is None
    assert parse_document_expiry(cell) is None
    assert names_day_alone(cell) is False


@pytest.mark.parametrize("cell", ["-1", "—-", "- -", "2021-11-22 -"])
def test_a_dash_with_anything_else_is_still_unreadable(cell: str) -> None:
    with pytest.raises(Unreadable):
        parse_datetime(cell)


HEADER_2022 = [*EXPORT_HEADER, "保证金补缴时间", "保证金履约险续保时间", "年费应缴"]


def row_2022(merchant_id: str, **cells: object) -> list[object]:
    """A 旗舰店 R 男装 merchant that renewed on 2021-11-20, `cells` (by header) replaced;
    the fee it paid (¥60,000) declared as due, whatever its category."""
    row = [*renewed_row(merchant_id), "", "", "60000"]
    for header, value in cells.items():
        row[HEADER_2022.index(header)] = value
    return row


def by_id(path: Path, rules: str, as_of: Any, lang: str = "zh") -> dict[str, dict[str, Any]]:
    results = run_file(path, as_of, rules, lang).results
    return {result["merchant_id"]: result for result in results}


def statuses(result: dict[str, Any], rule: str) -> list[str]:
    return [f["status"] for f in result["findings"] if f["rule"] == rule]


def test_2022_rows_with_cells_the_verdict_does_not_need(tmp_path: Path) -> None:
    rows = [
        row_2022("insurance-not-renewed", 保证金履约险续保时间="未续保"),
        row_2022("insurance-dash", 保证金履约险续保时间="-"),
        row_2022(
            "store-wide-no-trademark", 店铺类型="卖场型旗舰店", 商标状态="无", 保证金余额="150000"
        ),
        row_2022("services-no-trademark", 主营类目="服务大类", 商标状态="无", 保证金余额="10000"),
        row_2022("books-no-trademark", 主营类目="图书音像", 商标状态="无商标"),
        row_2022("medicine-unregistered", 主营类目="医药", 商标状态="未注册", 保证金余额="300000"),
        row_2022("top-up-dash", 保证金补缴时间="-"),
        row_2022("top-up-em-dash", 保证金补缴时间="—"),
        row_2022("top-up-full-width-dash", 保证金补缴时间="－"),
        # the general table needs the trademark: still an error naming the cell
        row_2022("menswear-no-trademark", 商标状态="无"),
    ]
    path = write_csv(tmp_path / "export.csv", HEADER_2022, rows)
    found = by_id(path, "tmall-2022", AFTER_DEADLINE)

    renewed = [key for key in found if key != "menswear-no-trademark"]
    assert {key: found[key]["outcome"] for key in renewed} == dict.fromkeys(renewed, "renewed")
    assert all(found[key]["deposit_shortfall"] == 0 for key in renewed)
    # an unreadable cell is still said once, as a warning; a dash, or a documented way of
    # saying there is no policy (未续保, 无 …), is no problem at all
    for key, column in [
        ("store-wide-no-trademark", "商标状态"),
        ("books-no-trademark", "商标状态"),
    ]:
        (warning,) = [f for f in found[key]["findings"] if f["rule"] == "LD04"]
        assert (warning["status"], warning["source"]["column"]) == ("warn", column)
    for key in ("insurance-dash", "top-up-dash", "top-up-em-dash", "top-up-full-width-dash"):
        assert statuses(found[key], "LD04") == []
    assert statuses(found["insurance-not-renewed"], "LD04") == []

    menswear = found["menswear-no-trademark"]
    assert menswear["outcome"] == "error"
    (deposit,) = [f for f in menswear["findings"] if f["rule"] == "DP01"]
    assert deposit["status"] == "error"
    assert deposit["source"] == {"sheet": "export.csv", "row": 11, "column": "商标状态"}
    assert "「无」" in deposit["message"]


def test_a_dash_in_a_step_time_is_a_step_not_done(tmp_path: Path) -> None:
    rows = [row_2022("signup-dash", 续签报名时间="-"), row_2022("signing-dash", 协议签署时间="--")]
    path = write_csv(tmp_path / "export.csv", HEADER_2022, rows)
    found = by_id(path, "tmall-2022", AFTER_DEADLINE)

    assert found["signup-dash"]["outcome"] == "failed"
    assert statuses(found["signup-dash"], "DL01") == ["fail"]
    assert found["signing-dash"]["outcome"] == "failed"
    assert statuses(found["signing-dash"], "DL02") == ["fail"]
    assert all(statuses(result, "LD04") == [] for result in found.values())


HEADER_2025 = ["商家ID", "店铺类型", "商标状态", "主营类目", "合同签署时间", "协议签署时间"]
HEADER_2025 += ["保证金余额", "保证金履约险续保时间"]
AFTER_2025 = "2024-12-30 18:00:01"


def row_2025(
    merchant_id: str, balance: str, policy: str, signed: str = "2024-11-22 12:00"
) -> list[str]:
    """A 旗舰店 R 男装 store (¥50,000 due) with `policy` in 保证金履约险续保时间."""
    return [merchant_id, "旗舰店", "R", "男装", "2017-08-01 10:00", signed, balance, policy]


NO_POLICY = ["无", "-", "未投保", "否", "/", "N/A"]


def test_2025_a_policy_cell_that_is_no_moment_leaves_the_cash_to_decide(tmp_path: Path) -> None:
    """As run: the six ways of writing 'no policy' with enough cash exit 0, all renewed."""
    rows = [row_2025(f"cash-{n}", "50000", policy) for n, policy in enumerate(NO_POLICY)]
    rows.append(row_2025("cash-renewed-no-time", "50000", "已续保"))
    rows.append(row_2025("cash-policy-day-alone", "50000", "2024-11-22"))  # the signing's day
    path = write_csv(tmp_path / "export.csv", HEADER_2025, rows)

    done = renewal("check", path, "--rules", "2025", "--as-of", AFTER_2025, "-f", "json")

    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    outcomes = {
        m["merchant_id"]: (m["outcome"], m["deposit_shortfall"]) for m in report["merchants"]
    }
    assert outcomes == {row[0]: ("renewed", 0.0) for row in rows}
    # a "no policy" answer is no unreadable cell: no LD04 warning (ex16 §8); 已续保 and a
    # day that cannot be ordered are
    warned = {
        m["merchant_id"]
        for m in report["merchants"]
        if any(f["rule"] == "LD04" for f in m["findings"])
    }
    assert warned == {"cash-renewed-no-time", "cash-policy-day-alone"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_2025_cash_short_no_policy_answer_fails_other_unreadable_is_error(
    tmp_path: Path, lang: str
) -> None:
    rows = [
        row_2025("short-none", "20000", "无"),
        row_2025("short-not-insured", "20000", "未投保"),
        row_2025("short-blank", "20000", ""),
        row_2025("short-renewed-no-time", "20000", "已续保"),
    ]
    path = write_csv(tmp_path / "export.csv", HEADER_2025, rows)
    as_of = load("tmall-2025").cycle.window_closes.astimezone(BEIJING)
    found = by_id(path, "tmall-2025", as_of, lang)

    for key, raw in [("short-none", "无"), ("short-not-insured", "未投保")]:
        result = found[key]
        assert (result["outcome"], result["deposit_shortfall"]) == ("pending", 30000.0)
        (deposit,) = [f for f in result["findings"] if f["rule"] == "DP01"]
        assert (deposit["status"], deposit["owed"]) == ("fail", 30000.0)
        assert raw in deposit["message"] and "保证金履约险续保时间" in deposit["message"]
        words = "没有可计入的保证金履约险" if lang == "zh" else "no deposit insurance counts"
        assert words in deposit["message"]
    # a blank cell: the same verdict, without a word about a policy
    blank = found["short-blank"]
    assert (blank["outcome"], blank["deposit_shortfall"]) == ("pending", 30000.0)

    unknown = found["short-renewed-no-time"]
    assert (unknown["outcome"], unknown["deposit_shortfall"]) == ("error", None)
    (deposit,) = [f for f in unknown["findings"] if f["rule"] == "DP01"]
    assert deposit["status"] == "error"
    assert deposit["source"] == {"sheet": "export.csv", "row": 5, "column": "保证金履约险续保时间"}
    assert "已续保" in deposit["message"]
