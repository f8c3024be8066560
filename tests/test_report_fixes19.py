"""Four report fixes from black-box testing (ex21 §6 and §7, ex20 finding 4, and the table
file's --limit).

- A time cell that gave a day alone (a workbook date cell, or text `2021-12-27`) is quoted
  as that day, never with an invented 00:00: in the message of every output (JSON, table,
  CSV, xlsx, JUnit, HTML, the self-check) and in the finding's evidence. A time written
  with its 00:00 is a moment, and keeps it.
- Part of a second before the deadline is one second left, not the deadline itself
  (现在截止 / due now); `time_left_seconds` stays an integer.
- `renewal diff`'s known total owed is the report's own: each part summed over the
  merchants that know it, so a merchant whose fee is known but whose deposit is not counts
  its fee; the merchants left out are still said.
- A table written to a file holds every merchant unless --limit is given; standard output
  keeps its page of 50, for `check` as for `remind`.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import XLSX, renewal
from test_day_only_cells import HEADER_2022, row_2022, write_xlsx
from test_remind import MID_WINDOW
from test_table_and_remind_reading import listed, many_reminders

from renewal.render import TABLE_LIMIT, table_limit
from renewal.timeutil import BEIJING, seconds_left

# --- a day alone is quoted as the day -----------------------------------------------------

AFTER = "2021-12-28 12:00"
"""After the 2022 deadline (2021-12-26 18:00), on no cell's day."""

SAID = {
    "zh": {
        "late-agreement": "签署协议于 2021-12-27 完成，晚于截止时间 2021-12-26 18:00，不计入",
        "early-signup": "续签报名时间 2021-11-18 早于续签开始 2021-11-19 12:00，不计入本次续签",
        "late-fee": "年费于 2021-12-27 缴纳，晚于截止时间 2021-12-26 18:00，不计入",
        "late-topup": "保证金于 2021-12-27 补缴，晚于截止时间 2021-12-26 18:00，不计入",
        "exempt": "合同签署于 2021-11-20，晚于 2021-11-19 10:00，无需参加本次续签"
        "（合同有效期至 2022-12-31）",
    },
    "en": {
        "late-agreement": "Agreement signing done at 2021-12-27, after the deadline "
        "2021-12-26 18:00: does not count",
        "early-signup": "Renewal sign-up time 2021-11-18 is before the window opened at "
        "2021-11-19 12:00: does not count",
        "late-fee": "Annual fee paid at 2021-12-27, after the deadline 2021-12-26 18:00: "
        "does not count",
        "late-topup": "Deposit topped up at 2021-12-27, after the deadline 2021-12-26 18:00: "
        "does not count",
        "exempt": "Contract signed 2021-11-20, after 2021-11-19 10:00: not in this renewal "
        "(contract runs to 2022-12-31)",
    },
}
"""Each merchant's message about its day alone, as the specification words it."""

RULE = {
    "late-agreement": "DL02",
    "early-signup": "DL01",
    "late-fee": "AF01",
    "late-topup": "DP01",
    "exempt": "SC01",
}

DAY_OF = {
    "late-agreement": "2021-12-27",
    "early-signup": "2021-11-18",
    "exempt": "2021-11-20",
}
"""The merchants whose finding's `actual` is the time cell itself (the money steps' is the
amount)."""


def days_alone(tmp_path: Path) -> Path:
    """A workbook of merchants, each with one time cell a date cell (a day alone) on a day
    where any time gives the same verdict, and one with the same day written with 00:00."""
    rows = [
        row_2022("late-agreement", 协议签署时间=date(2021, 12, 27)),
        row_2022("early-signup", 续签报名时间=date(2021, 11, 18)),
        row_2022("late-fee", 年费缴纳时间=date(2021, 12, 27)),
        row_2022("late-topup", 保证金余额="20000", 保证金补缴时间=date(2021, 12, 27)),
        row_2022("exempt", 合同签署时间=date(2021, 11, 20)),
    ]
    return write_xlsx(tmp_path / "days.xlsx", HEADER_2022, rows)


def by_id(report: Path) -> dict[str, dict[str, Any]]:
    merchants = json.loads(report.read_text(encoding="utf-8"))["merchants"]
    return {merchant["merchant_id"]: merchant for merchant in merchants}


def found(merchant: dict[str, Any], rule: str) -> dict[str, Any]:
    (one,) = [f for f in merchant["findings"] if f["rule"] == rule]
    return one


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_day_alone_is_quoted_as_the_day_in_the_json_report(tmp_path, lang):
    export = days_alone(tmp_path)
    report = tmp_path / "report.json"
    args = ("--rules", "tmall-2022", "--as-of", AFTER, "--lang", lang, "-q", "-o", report)
    run = renewal("check", export, *args)
    assert run.returncode == 1, run.stderr
    merchants = by_id(report)
    for merchant_id, message in SAID[lang].items():
        finding = found(merchants[merchant_id], RULE[merchant_id])
        assert finding["message"] == message
        if merchant_id in DAY_OF:  # the evidence is the day too
            assert finding["actual"] == DAY_OF[merchant_id]
    # the verdicts are those of the day's 00:00: nothing but the words changed
    assert {m: merchants[m]["outcome"] for m in merchants} == {
        "late-agreement": "failed",
        "early-signup": "failed",
        "late-fee": "failed",
        "late-topup": "failed",
        "exempt": "exempt",
    }


def test_a_day_alone_is_quoted_as_the_day_in_every_output(tmp_path):
    export = days_alone(tmp_path)
    names = ("table.txt", "report.csv", "report.xlsx", "report.xml", "report.html")
    outputs = [tmp_path / name for name in names]
    args = ["--rules", "tmall-2022", "--as-of", AFTER, "-q"]
    run = renewal("check", export, *args, *(a for o in outputs for a in ("-o", o)))
    assert run.returncode == 1, run.stderr
    table, csv_report, book, junit, page = outputs
    attention = {m: said for m, said in SAID["zh"].items() if m != "exempt"}
    for text, shown in (
        # the table lists what needs attention, the 问题 column what is not a pass or a skip
        (table.read_text(encoding="utf-8"), attention),
        (csv_report.read_text(encoding="utf-8-sig"), attention),
        (page.read_text(encoding="utf-8"), SAID["zh"]),
    ):
        for message in shown.values():
            assert message in text
        assert "2021-12-27 00:00" not in text and "2021-11-18 00:00" not in text
        assert "2021-11-20 00:00" not in text
    failures = [
        (node.get("message"), node.text or "")
        for node in ET.parse(junit).iter()
        if node.tag in ("failure", "error", "skipped")
    ]
    said = {message for message, _ in failures}
    assert set(SAID["zh"].values()) - {SAID["zh"]["exempt"]} <= said
    assert "实际：2021-12-27\n" in "".join(text for _, text in failures)
    assert not [text for _, text in failures if "2021-12-27 00:00" in text]
    rows = list(openpyxl.load_workbook(book)["明细"].iter_rows(values_only=True))
    header = list(rows[0])
    late = [r for r in rows if r[0] == "late-agreement" and r[header.index("规则")] == "DL02"]
    (row,) = late
    assert row[header.index("说明")] == SAID["zh"]["late-agreement"]
    assert row[header.index("实际")] == "2021-12-27"


def test_the_self_check_quotes_the_day_as_given(tmp_path):
    export = days_alone(tmp_path)
    args = ("--rules", "tmall-2022", "--as-of", AFTER, "-m", "late-agreement", "-m", "late-fee")
    for lang in ("zh", "en"):
        run = renewal("self-check", export, *args, "--lang", lang)
        assert run.returncode in (0, 1), run.stderr
        assert SAID[lang]["late-agreement"] in run.stdout
        assert SAID[lang]["late-fee"] in run.stdout
        assert "2021-12-27 00:00" not in run.stdout


def test_a_time_written_with_its_midnight_keeps_it(tmp_path):
    """Text with a time of day is a moment, 00:00 or not: quoted with it."""
    rows = [row_2022("midnight", 协议签署时间="2021-12-27 00:00")]
    export = write_xlsx(tmp_path / "midnight.xlsx", HEADER_2022, rows)
    report = tmp_path / "report.json"
    args = ("--rules", "tmall-2022", "--as-of", AFTER, "-q", "-o", report)
    assert renewal("check", export, *args).returncode == 1
    finding = found(by_id(report)["midnight"], "DL02")
    assert finding["message"].startswith("签署协议于 2021-12-27 00:00 完成")
    assert finding["actual"] == "2021-12-27T00:00:00+08:00"


# --- part of a second before the deadline is not the deadline -----------------------------

DEADLINE = datetime(2021, 12, 26, 18, 0, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("offset", "left"),
    [(-1.5, 1), (-0.5, 1), (-0.000001, 1), (0, 0), (0.000001, -1), (0.5, -1), (1.5, -1)],
)
def test_part_of_a_second_is_a_whole_one_either_side_of_the_deadline(offset, left):
    assert seconds_left(DEADLINE, DEADLINE + timedelta(seconds=offset)) == left


def test_half_a_second_before_the_deadline_reads_one_second_left(tmp_path):
    report, table = tmp_path / "r.json", tmp_path / "r.txt"
    args = ("--rules", "tmall-2022", "--as-of", "2021-12-26 17:59:59.5", "-q")
    run = renewal("check", XLSX, *args, "--fail-on", "never", "-o", report, "-o", table)
    assert run.returncode == 0, run.stderr
    merchant = by_id(report)["failed-no-signup"]
    assert merchant["outcome"] == "pending"
    assert merchant["time_left_seconds"] == 1 and merchant["due_soon"] is True
    shown = table.read_text(encoding="utf-8")
    assert "还剩 1秒" in shown and "现在截止" not in shown
    # less than --due-soon 1s is left: due soon, though a whole second is shown
    soon = renewal("check", XLSX, *args, "--due-soon", "1s", "-f", "json", "--fail-on", "never")
    shown_soon = {m["merchant_id"]: m for m in json.loads(soon.stdout)["merchants"]}
    assert shown_soon["failed-no-signup"]["due_soon"] is True


# --- renewal diff: the known total owed is the report's own -------------------------------


def two_nights(tmp_path: Path, export: Path, nights: tuple[str, str]) -> tuple[Path, Path]:
    """The JSON reports of `export` as of each of two nights."""
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    for path, as_of in zip((old, new), nights, strict=True):
        run = renewal("check", export, "--rules", "2022", "--as-of", as_of, "-q", "-o", path)
        assert run.returncode in (0, 1), run.stderr
    return old, new


def totals_are_the_reports(old: Path, new: Path) -> dict[str, Any]:
    """The diff's JSON, once its totals are found equal to each report's own summary."""
    diff: dict[str, Any] = json.loads(renewal("diff", old, new, "-f", "json").stdout)
    for side, path in (("old", old), ("new", new)):
        summary = json.loads(path.read_text(encoding="utf-8"))["summary"]
        totals = diff["totals"][side]
        # the report's 合计 (its HTML page's): the known deposit plus the known fee
        assert totals["owed"] == (
            summary["deposit_shortfall_total"] + summary["annual_fee_due_total"]
        )
        for key in ("deposit_shortfall_unknown", "annual_fee_due_unknown"):
            assert totals[key] == summary[key]
    return diff


def test_the_diffs_known_total_counts_a_fee_known_beside_a_deposit_unknown(tmp_path):
    rows = [
        # the balance cannot be read (its deposit is unknown), the ¥60,000 fee is unpaid
        row_2022("half-known", 保证金余额="5万5千", 年费已缴="0", 年费缴纳时间=""),
        row_2022("short", 保证金余额="20000"),  # ¥30,000 short, the fee paid
    ]
    export = write_xlsx(tmp_path / "half.xlsx", HEADER_2022, rows)
    old, new = two_nights(tmp_path, export, ("2021-12-20 12:00", "2021-12-21 12:00"))
    diff = totals_are_the_reports(old, new)
    assert diff["totals"]["old"]["owed"] == 90_000  # not 30,000: the fee is counted
    assert diff["totals"]["old"]["owed_unknown"] == 1  # and the merchant still said unknown
    out = renewal("diff", old, new).stdout
    flat = "".join(line.strip() for line in out.splitlines())  # a narrow terminal wraps
    assert "已知欠款合计：¥90,000 → ¥90,000（未计入：保证金金额未知 1 → 1 家）" in flat
    english = renewal("diff", old, new, "--lang", "en", "-f", "markdown").stdout
    said = "- known money owed: ¥90,000 → ¥90,000 (not counted: deposit unknown for 1 → 1 "
    assert said + "merchants)\n" in english


def test_the_diffs_totals_are_the_bundled_reports_own(tmp_path):
    """ex20 finding 4's reports: the diff's total is each report's, whatever the rows."""
    totals_are_the_reports(*two_nights(tmp_path, XLSX, ("2021-12-24 15:00", "2021-12-27 00:00")))


def test_the_diff_says_nothing_unknown_when_every_amount_is_known(tmp_path):
    rows = [row_2022("known", 保证金余额="20000")]
    export = write_xlsx(tmp_path / "known.xlsx", HEADER_2022, rows)
    old, new = two_nights(tmp_path, export, ("2021-12-20 12:00", "2021-12-21 12:00"))
    out = renewal("diff", old, new).stdout
    assert "已知欠款合计：¥30,000 → ¥30,000\n" in out and "未计入" not in out


# --- a table written to a file lists every merchant ---------------------------------------


def test_table_limit_is_one_rule_for_check_and_remind():
    assert table_limit(None, None) == TABLE_LIMIT == 50
    assert table_limit(None, Path("report.txt")) == 0  # every one
    assert table_limit(5, Path("report.txt")) == table_limit(5, None) == 5
    assert table_limit(0, None) == 0


def test_check_writes_every_merchant_to_a_table_file_unless_limited(tmp_path):
    export = many_reminders(tmp_path, 60, owing=set())  # 60 pending merchants
    args = ("--rules", "tmall-2022", "--as-of", MID_WINDOW, "--fail-on", "never")
    screen = renewal("check", export, *args).stdout
    assert len(set(listed(screen))) == 50 and "另有 10 个商家需要处理" in screen
    table = tmp_path / "report.txt"
    assert renewal("check", export, *args, "-q", "-o", table).returncode == 0
    whole = table.read_text(encoding="utf-8")
    assert len(set(listed(whole))) == 60 and "--limit" not in whole
    assert renewal("check", export, *args, "-q", "-o", table, "--limit", "5").returncode == 0
    capped = table.read_text(encoding="utf-8")
    assert len(set(listed(capped))) == 5 and "另有 55 个商家需要处理" in capped
