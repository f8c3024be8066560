"""A moment cell holding a day and no time of day (`2021-11-19`, `20211119`, a workbook date
cell) is read as that day's 00:00 only where every time that day gives the same verdict.
On a day where the time decides (the window opens at 12:00, the deadline is 18:00, the
scope cut-off is 10:00, a past --as-of, the policy renewed on the day the agreement was
signed) the cell is unreadable: the rule reading it reports `error` naming the cell and
the load finding says why, in the report's language.

The moments come from the rule files: 2022年度 opens 2021-11-19 12:00, closes 2021-12-26
18:00, cut-off 2021-11-19 10:00; 2025年度 lets a 保证金履约险 renewed before signing stand in
for the cash deposit."""

from __future__ import annotations

import csv
import dataclasses
import json
import pickle
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter
from conftest import EXPORT_HEADER, merchant_done_inside, renewal, renewed_row

from renewal import i18n
from renewal.checks.context import Context
from renewal.checks.decisive import Judging, as_past
from renewal.engine import Plan, evaluate
from renewal.intake.columns import HEADER_OF
from renewal.intake.export import open_export
from renewal.interview import Asker, Interview
from renewal.ruleset import load
from renewal.selfcheck import checklists
from renewal.timeutil import BEIJING

R2022, R2025 = load("tmall-2022"), load("tmall-2025")
OPENS, CLOSES = R2022.cycle.window_opens, R2022.cycle.window_closes
AFTER_2022 = "2021-12-27 00:00"
AFTER_2025 = "2024-12-31 00:00"

ZH_DAY_ALONE = "只有日期没有时刻："
EN_DAY_ALONE = "a day with no time of day: "

HEADER_2022 = [*EXPORT_HEADER, "保证金补缴时间"]
"""The small export's columns with the deposit's top-up time."""

HEADER_2025 = [
    "商家ID",
    "店铺类型",
    "商标状态",
    "主营类目",
    "合同签署时间",
    "协议签署时间",
    "保证金余额",
    "保证金履约险续保时间",
    "处罚申诉中",
    "严重违规扣分",
    "一般违规扣分",
]


def row_2022(merchant_id: str, **cells: object) -> list[object]:
    """A merchant that renewed on 2021-11-20, with `cells` (by header) replaced."""
    row = [*renewed_row(merchant_id), ""]
    for header, value in cells.items():
        row[HEADER_2022.index(header)] = value
    return row


def row_2025(merchant_id: str, renewed: object, signed: object, balance: str = "0") -> list[object]:
    """A 旗舰店 R 男装 store (¥50,000 due) whose deposit rests on its 保证金履约险."""
    store = [merchant_id, "旗舰店", "R", "男装", "2020-01-01 10:00"]
    return [*store, signed, balance, renewed, "否", "0", "0"]


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """A workbook as Excel saves one: days and moments as date cells, the rest as typed."""
    book = xlsxwriter.Workbook(str(path))
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet = book.add_worksheet("商家")
    sheet.write_row(0, 0, header)
    for number, cells in enumerate(rows, start=1):
        for column, value in enumerate(cells):
            if isinstance(value, datetime):
                sheet.write_datetime(number, column, value, moment)
            elif isinstance(value, date):
                sheet.write_datetime(number, column, value, day)
            elif isinstance(value, int | float):
                sheet.write_number(number, column, value)
            else:
                sheet.write_string(number, column, str(value))
    book.close()
    return path


def check(
    path: Path, rules: str, as_of: str, lang: str = "zh", *more: str
) -> dict[str, dict[str, Any]]:
    """`renewal check` as a user runs it: each merchant of the JSON report, by id."""
    out = path.with_name(f"{path.stem}-{lang}.json")
    args = ["--rules", rules, "--as-of", as_of, "--lang", lang, "-o", out, "-q", *more]
    run = renewal("check", path, *args)
    assert run.returncode in (0, 1), run.stderr
    merchants = json.loads(out.read_text(encoding="utf-8"))["merchants"]
    return {merchant["merchant_id"]: merchant for merchant in merchants}


def findings(merchant: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [found for found in merchant["findings"] if found["rule"] == rule]


def unreadable_columns(merchant: dict[str, Any]) -> set[str]:
    """The cells the row's load findings (LD02, LD04) call unreadable."""
    return {
        found["source"]["column"]
        for found in merchant["findings"]
        if found["rule"] in ("LD02", "LD04") and found["actual"] is not None
    }


def verdict(merchant: dict[str, Any]) -> tuple[object, ...]:
    """What a merchant's result says, without where it was read (its row and id)."""
    kept = [(f["rule"], f["status"], f["message"], f["owed"]) for f in merchant["findings"]]
    return merchant["outcome"], merchant["deposit_shortfall"], merchant["annual_fee_due"], kept


# --- where the day decides ----------------------------------------------------------------

DECISIVE_2022 = [
    # header, cell, the rule it decides, the as-of, why (zh), why (en)
    (
        "续签报名时间",
        "2021-11-19",
        "DL01",
        AFTER_2022,
        "续签 2021-11-19 12:00 开始",
        "the renewal opened at 2021-11-19 12:00",
    ),
    (
        "协议签署时间",
        "2021-12-26",
        "DL02",
        AFTER_2022,
        "截止时间是 2021-12-26 18:00",
        "the deadline is 2021-12-26 18:00",
    ),
    (
        "年费缴纳时间",
        "2021-12-26",
        "AF01",
        AFTER_2022,
        "截止时间是 2021-12-26 18:00",
        "the deadline is 2021-12-26 18:00",
    ),
    (
        "保证金补缴时间",
        "2021-12-26",
        "DP01",
        AFTER_2022,
        "截止时间是 2021-12-26 18:00",
        "the deadline is 2021-12-26 18:00",
    ),
    (
        "合同签署时间",
        "2021-11-19",
        "LD02",
        AFTER_2022,
        "合同签署时间在 2021-11-19 10:00 之前（含）才参加本次续签",
        "only contracts signed at or before 2021-11-19 10:00 are in this renewal",
    ),
]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    ("header", "cell", "rule", "as_of", "why_zh", "why_en"),
    DECISIVE_2022,
    ids=[
        "opening-day",
        "deadline-day",
        "fee-deadline-day",
        "top-up-deadline-day",
        "cut-off-day",
    ],
)
def test_a_day_alone_where_the_time_decides_is_an_unreadable_cell(
    tmp_path, lang, header, cell, rule, as_of, why_zh, why_en
):
    path = write_csv(tmp_path / "export.csv", HEADER_2022, [row_2022("5001", **{header: cell})])
    (merchant,) = check(path, "tmall-2022", as_of, lang).values()
    assert merchant["outcome"] == "error"
    # the rule the time decides cannot decide: an error naming the cell
    (decided,) = findings(merchant, rule)
    assert decided["status"] == "error"
    assert decided["source"]["column"] == header
    assert decided["actual"] == cell
    assert unreadable_columns(merchant) == {header}
    # the load finding says why, in the report's language
    said = next(f["message"] for f in merchant["findings"] if f["rule"] in ("LD02", "LD04"))
    if lang == "zh":
        assert f"「{header}」的值「{cell}」" in said
        assert said.endswith(f"{ZH_DAY_ALONE}{why_zh}，要看当天几点")
    else:
        assert f"{header}" in said and repr(cell) in said
        assert said.endswith(f"{EN_DAY_ALONE}{why_en}, so the time that day decides")


def test_the_opening_day_message_reads_as_the_whole_sentence(tmp_path):
    path = write_csv(
        tmp_path / "export.csv", HEADER_2022, [row_2022("5002", 续签报名时间="2021-11-19")]
    )
    (merchant,) = check(path, "tmall-2022", AFTER_2022).values()
    (load,) = findings(merchant, "LD04")
    assert load["status"] == "warn"
    assert load["message"] == (
        "「续签报名时间」的值「2021-11-19」只有日期没有时刻：续签 2021-11-19 12:00 开始，"
        "要看当天几点"
    )
    # the step it decides says the same, not that a readable day cannot be read
    (step,) = findings(merchant, "DL01")
    assert step["status"] == "error" and step["message"] == load["message"]


@pytest.mark.parametrize(
    "cell",
    [
        "2021-11-19",
        "2021/11/19",
        "2021年11月19日",
        "20211119",
        "Nov 19, 2021",
        "44519",
        '="2021-11-19"',
    ],
)
def test_every_way_of_writing_the_opening_day_alone_is_judged(tmp_path, cell):
    assert date(1899, 12, 30) + timedelta(days=44519) == OPENS.date()  # the serial's day
    path = write_csv(tmp_path / "export.csv", HEADER_2022, [row_2022("5003", 续签报名时间=cell)])
    (merchant,) = check(path, "tmall-2022", AFTER_2022).values()
    (signup,) = findings(merchant, "DL01")
    assert signup["status"] == "error"
    assert unreadable_columns(merchant) == {"续签报名时间"}


@pytest.mark.parametrize("cell", ["2021-11-19 00:00", "2021-11-18 24:00", "2021年11月19日0时"])
def test_a_time_written_as_midnight_is_a_moment(tmp_path, cell):
    """Text that writes a time of day, 00:00 included, says when: before the window opened."""
    path = write_csv(tmp_path / "export.csv", HEADER_2022, [row_2022("5004", 续签报名时间=cell)])
    (merchant,) = check(path, "tmall-2022", AFTER_2022).values()
    (signup,) = findings(merchant, "DL01")
    assert signup["status"] == "fail"
    assert i18n.moment(OPENS - timedelta(hours=12)) in signup["message"]  # 2021-11-19 00:00
    assert unreadable_columns(merchant) == set()
    assert merchant["outcome"] == "failed"


def test_the_as_of_is_past_a_minute_after_it():
    """The interview asks the time of a day alone on a past as-of's day (not of today's)."""
    now = datetime(2021, 12, 1, 12, 0, tzinfo=BEIJING)
    assert not as_past(now, now)
    assert not as_past(now - timedelta(seconds=30), now)
    assert as_past(now - timedelta(hours=1), now)


def test_a_check_run_counts_a_day_alone_on_the_as_ofs_day_as_done_by_it(tmp_path):
    """A check run never judges a day against the as-of: whether an as-of is past depends on
    when the run happens, and the same command must give the same report tonight and next
    month. A step the export dates on the as-of's day counts as done by it."""
    assert Judging.of_export(R2022).as_of is None
    path = write_csv(
        tmp_path / "export.csv", HEADER_2022, [row_2022("5001", 续签报名时间="2021-12-01")]
    )
    first = check(path, "tmall-2022", "2021-12-01 12:00", "zh")
    (merchant,) = first.values()
    (signup,) = findings(merchant, "DL01")
    assert signup["status"] == "pass"
    assert unreadable_columns(merchant) == set()
    assert check(path, "tmall-2022", "2021-12-01 12:00", "zh") == first


# --- where it does not --------------------------------------------------------------------

NOT_DECISIVE_2022 = [
    ("续签报名时间", "2021-11-18"),  # the day before the opening: early whatever the time
    ("续签报名时间", "2021-11-25"),  # inside the window
    ("协议签署时间", "2021-12-27"),  # after the deadline: late whatever the time
    ("年费缴纳时间", "2021-12-20"),
    ("保证金补缴时间", "2021-11-19"),  # a top-up counts however early
    ("合同签署时间", "2021-11-18"),  # before the cut-off's day: in scope
    ("合同签署时间", "2021-11-20"),  # after it: exempt
]


@pytest.mark.parametrize(("header", "cell"), NOT_DECISIVE_2022)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_day_alone_on_any_other_day_gives_the_verdict_of_its_midnight(
    tmp_path, kind, header, cell
):
    """The day alone keeps the verdict it had when read as its 00:00: the same as the
    row with that 00:00 written as a moment, message for message, except that a message
    quotes the day as it was given, with no 00:00 (ex21 §6)."""
    day = date.fromisoformat(cell)
    if kind == "csv":
        alone, midnight = cell, f"{cell} 00:00"
        rows = [row_2022("alone", **{header: alone}), row_2022("midnight", **{header: midnight})]
        path = write_csv(tmp_path / "export.csv", HEADER_2022, rows)
    else:
        # a date cell, beside the same day as text with its 00:00
        rows = [
            row_2022("alone", **{header: day}),
            row_2022("midnight", **{header: f"{cell} 00:00"}),
        ]
        path = write_xlsx(tmp_path / "export.xlsx", HEADER_2022, rows)
    # an as-of on no cell's day (2021-12-27 00:00 would be the first moment of one)
    found = check(path, "tmall-2022", "2021-12-28 12:00")
    assert unreadable_columns(found["alone"]) == set()
    said = [
        {**f, "message": f["message"].replace(f"{cell} 00:00", cell)}
        for f in found["midnight"]["findings"]
    ]
    assert verdict(found["alone"]) == verdict({**found["midnight"], "findings": said})


def test_a_day_alone_on_a_non_decisive_day_checks_as_before_renewed(tmp_path):
    path = write_csv(
        tmp_path / "export.csv",
        HEADER_2022,
        [row_2022("5005", 续签报名时间="2021-11-20", 协议签署时间="2021年11月21日")],
    )
    (merchant,) = check(path, "tmall-2022", AFTER_2022).values()
    assert merchant["outcome"] == "renewed"
    assert {f["status"] for f in merchant["findings"]} <= {"pass", "skip"}


# --- workbook cells -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_workbook_date_cell_on_a_decisive_day_is_an_unreadable_cell(tmp_path, lang):
    rows = [
        row_2022("date-cell", 续签报名时间=OPENS.date()),
        row_2022("yyyymmdd", 续签报名时间=20211119),
        row_2022("afternoon", 续签报名时间=datetime(2021, 11, 19, 14, 0)),
        row_2022("deadline", 协议签署时间=CLOSES.date()),
    ]
    found = check(
        write_xlsx(tmp_path / "export.xlsx", HEADER_2022, rows), "tmall-2022", AFTER_2022, lang
    )
    for merchant_id, header, rule in [
        ("date-cell", "续签报名时间", "DL01"),
        ("yyyymmdd", "续签报名时间", "DL01"),
        ("deadline", "协议签署时间", "DL02"),
    ]:
        merchant = found[merchant_id]
        assert merchant["outcome"] == "error", merchant_id
        (decided,) = findings(merchant, rule)
        assert decided["status"] == "error"
        assert decided["source"]["column"] == header
        assert unreadable_columns(merchant) == {header}
        (load,) = findings(merchant, "LD04")
        assert (ZH_DAY_ALONE if lang == "zh" else EN_DAY_ALONE) in load["message"]
    # a time of day in the cell is a moment: after the opening, so it counts
    afternoon = found["afternoon"]
    assert afternoon["outcome"] == "renewed"
    assert unreadable_columns(afternoon) == set()


# --- the policy and the signing (2025年度) --------------------------------------------------


def test_a_policy_and_a_signing_given_as_the_same_day_cannot_be_ordered(tmp_path):
    rows = [
        row_2025("both-days", "2024-12-01", "2024-12-01"),
        row_2025("policy-day", "2024-12-01", "2024-12-01 15:00"),
        row_2025("signing-day", "2024-12-01 15:00", "2024-12-01"),
        row_2025("signing-day-cash", "2024-12-01 15:00", "2024-12-01", balance="50000"),
        row_2025("apart", "2024-11-30", "2024-12-01"),
    ]
    path = write_csv(tmp_path / "export.csv", HEADER_2025, rows)
    for lang in ("zh", "en"):
        found = check(path, "tmall-2025", AFTER_2025, lang)

        both = found["both-days"]
        assert both["outcome"] == "error"
        assert unreadable_columns(both) == {"保证金履约险续保时间", "协议签署时间"}
        (deposit,) = findings(both, "DP01")
        assert deposit["status"] == "error"
        assert deposit["source"]["column"] == "保证金履约险续保时间"
        said = {f["source"]["column"]: f["message"] for f in findings(both, "LD04")}
        if lang == "zh":
            assert "协议签署于 2024-12-01，履约险须在签署协议前续保" in said["保证金履约险续保时间"]
            assert "履约险续保于 2024-12-01，须在签署协议前续保才计入" in said["协议签署时间"]
        else:
            assert "the agreement was signed at 2024-12-01" in said["保证金履约险续保时间"]
            assert "the insurance was renewed at 2024-12-01" in said["协议签署时间"]

        # the policy's day holds the signing's moment: the policy's cell cannot say
        policy = found["policy-day"]
        assert unreadable_columns(policy) == {"保证金履约险续保时间"}
        (deposit,) = findings(policy, "DP01")
        assert (deposit["status"], deposit["source"]["column"]) == ("error", "保证金履约险续保时间")
        assert findings(policy, "DL02")[0]["status"] == "pass"

        # the signing's day holds the policy's moment: the signing's cell cannot say, and
        # the deposit, which rests on the policy, cannot be told either
        signing = found["signing-day"]
        assert unreadable_columns(signing) == {"协议签署时间"}
        (deposit,) = findings(signing, "DP01")
        assert (deposit["status"], deposit["source"]["column"]) == ("error", "协议签署时间")
        assert findings(signing, "DL02")[0]["status"] == "error"

        # with the cash in full, the policy does not matter to the deposit
        cash = found["signing-day-cash"]
        assert findings(cash, "DP01")[0]["status"] == "pass"

        # days apart: the policy was renewed before the signing, whatever the times
        apart = found["apart"]
        assert unreadable_columns(apart) == set()
        assert apart["outcome"] == "renewed"


# --- parallel runs, and the self-check's own answers ----------------------------------------


def test_two_workers_judge_as_one(tmp_path):
    rows = []
    for number in range(3000):  # more than one block, so each worker has some
        cells = {"续签报名时间": "2021-11-19"} if number % 7 == 0 else {}
        if number % 11 == 0:
            cells["合同签署时间"] = "2021-11-18"
        rows.append(row_2022(str(100000 + number), **cells))
    path = write_csv(tmp_path / "export.csv", HEADER_2022, rows)
    one = check(path, "tmall-2022", AFTER_2022, "zh", "--jobs", "1")
    two = check(path, "tmall-2022", AFTER_2022, "zh", "--jobs", "2")
    assert one == two
    assert sum(1 for merchant in one.values() if merchant["outcome"] == "error") == len(
        range(0, 3000, 7)
    )


def test_intake_remembers_a_day_alone_only_on_its_row_and_it_survives_pickling(tmp_path):
    """Workers (--jobs) hand merchants on as pickles: what intake set goes with them. A
    row with full times gets nothing of its own (the class's empty default)."""
    rows = [row_2022("timed"), row_2022("day", 续签报名时间="2021-11-19", 年费缴纳时间="20211120")]
    path = write_csv(tmp_path / "export.csv", HEADER_2022, rows)
    timed, day = open_export(path).merchants
    assert "day_only" not in vars(timed) and timed.day_only == ()
    assert day.day_only == (("signup_at", "2021-11-19"), ("annual_fee_paid_at", "20211120"))
    assert day.signup_at == OPENS - timedelta(hours=12)  # its 00:00, until judged
    for merchant in (timed, day):
        again = pickle.loads(pickle.dumps(merchant))
        assert again == merchant and again.day_only == merchant.day_only


def test_the_interviews_answers_are_not_judged_again(tmp_path):
    """The interview asked the time of each day alone where it decides; a checklist made
    from its answers takes a day it kept as it is, where a file's would be unreadable."""
    path = write_csv(
        tmp_path / "self-check.csv", HEADER_2022, [row_2022("自查", 续签报名时间="2021-11-19")]
    )
    as_of = datetime(2021, 12, 27, tzinfo=BEIJING)
    judged = "\n".join(checklists(path, R2022, as_of, "zh", [], False)[0])
    kept = "\n".join(checklists(path, R2022, as_of, "zh", [], False, answers=True)[0])
    assert "只有日期没有时刻" in judged
    assert "只有日期没有时刻" not in kept
    assert "无法读取" not in kept


# --- one judgement for both paths ---------------------------------------------------------

FIELDS = (
    "contract_signed_at",
    "signup_at",
    "agreement_signed_at",
    "deposit_topped_up_at",
    "deposit_insurance_renewed_at",
    "annual_fee_paid_at",
)


@pytest.mark.parametrize("ruleset", [R2022, R2025], ids=["2022", "2025"])
def test_a_check_run_takes_for_unreadable_the_days_the_interview_asks_about(ruleset):
    as_of = ruleset.cycle.window_closes - timedelta(days=3)
    inside = ruleset.cycle.window_opens + timedelta(days=2)
    base = merchant_done_inside(
        ruleset,
        inside,
        deposit_balance=0.0,
        deposit_insurance_renewed_at=inside - timedelta(hours=1),
        annual_fee_paid=1e6,
    )
    ctx = Context.create(
        as_of,
        ruleset.cycle,
        "zh",
        HEADER_OF,
        judging=Judging.of_export(ruleset, as_of),
    )
    plan = Plan.of(ruleset)
    # not the as-of: the interview asks about a past as-of's day, a check run never does
    moments = [ruleset.cycle.window_opens, ruleset.cycle.window_closes, inside]
    moments += [getattr(p, "signed_at_or_before", None) for p in ruleset.rules.values()]
    days = sorted({(m + timedelta(days=n)).date() for m in moments if m for n in (-1, 0, 1)})
    asked = taken = 0
    for field in FIELDS:
        for day in days:
            midnight = datetime.combine(day, datetime.min.time(), BEIJING)
            merchant = dataclasses.replace(
                base, **{field: midnight}, day_only=((field, i18n.day(day)),)
            )
            interview = Interview(ruleset, "zh", Asker("zh", as_of))
            interview.merchant = merchant
            asks = interview.undecided(field, day) is not None
            result = evaluate(merchant, plan, ctx)
            unreadable = any(
                f["rule"] in ("LD02", "LD04") and f["source"]["column"] == HEADER_OF[field]
                for f in result["findings"]
            )
            assert asks == unreadable, (field, day)
            asked += asks
            taken += unreadable
    assert asked == taken > 0
