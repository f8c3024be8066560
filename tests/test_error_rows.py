"""A merchant row in error (a cell it needs cannot be read): what TB01 says about it, what
its self-check checklist still shows, and TB01's finding carrying the entrance's last day
for the generic code (engine, checklist) to read.

The error rows are the rule cases' default merchant with 保证金余额 unreadable, so DP01
cannot be decided, and every other step done, so whether it renewed turns on that cell, past
the deadline too (a step certainly missing then would make it failed); whatever else a test
changes is named in it."""

from __future__ import annotations

import ast
import json
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, ROOT, XLSX, renewal, run_file
from test_rule_cases import columns_without, merchant_with
from test_self_check import LABEL, LABEL_EN, PARAMS, WHERE, step_block, step_states

from renewal.checks.context import Context
from renewal.engine import Plan, evaluate
from renewal.i18n import catalog
from renewal.model import MerchantResult, Outcome, Status
from renewal.render.checklist import Checklist, normalised
from renewal.ruleset import RuleSet, load
from renewal.timeutil import BEIJING

Y2022 = load("tmall-2022")
Y2023 = load("tmall-2023")
AMOUNT = "not an amount (expected e.g. 50000, 50,000元, ¥60,000.00 or 5万)"
"""The reason intake gives for an amount it cannot read."""
WHERE_EN = {code: params.where_en for code, params in PARAMS.items()}  # type: ignore[attr-defined]


def error_row(ruleset: RuleSet, as_of: datetime, lang: str = "zh", **fields: Any) -> MerchantResult:
    unreadable = {"deposit_balance": ["很多", AMOUNT], **fields.pop("unreadable", {})}
    merchant = merchant_with(deposit_balance=None, unreadable=unreadable, **fields)
    ctx = Context.create(as_of=as_of, cycle=ruleset.cycle, lang=lang, columns=columns_without())
    found = evaluate(merchant, Plan.of(ruleset), ctx)
    assert found["outcome"] is Outcome.ERROR
    return found


def done_inside(ruleset: RuleSet) -> dict[str, datetime]:
    """The timed steps done a day into `ruleset`'s window (the default merchant's are
    2022's), so that only the unreadable cell leaves its verdict open."""
    at = ruleset.cycle.window_opens + timedelta(days=1)
    return {"signup_at": at, "agreement_signed_at": at, "annual_fee_paid_at": at}


def tb01(result: MerchantResult | dict[str, Any]) -> Any:
    (finding,) = [f for f in result["findings"] if f["rule"] == "TB01"]
    return finding


# --- TB01 on an error row ------------------------------------------------------------------

NOT_APPLICABLE = {lang: catalog(lang)["TB01.na"] for lang in ("zh", "en")}
"""TB01's words for a merchant that renewed or need not: never true of an error row."""


def test_a_clean_error_row_is_judged_eligible_with_its_verdict_unknown() -> None:
    found = tb01(error_row(Y2022, AFTER_DEADLINE))
    assert found["status"] is Status.PASS
    assert found["message"] != NOT_APPLICABLE["zh"]
    assert found["message"].startswith("可转入淘宝企业店铺")
    assert "续签结果无法判断" in found["message"]
    assert "仅在最终未完成续签时适用" in found["message"]
    assert found["actual"] == {"serious": 0.0, "general": 0.0, "appeal_pending": False}


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"serious_points": 12.0}, "严重违规 12 分，达到 12 分"),
        ({"general_points": 48.0}, "一般违规 48 分，达到 48 分"),
        ({"appeal_pending": True}, "处罚申诉中"),
    ],
    ids=["serious", "general", "appeal"],
)
def test_an_error_row_that_would_be_excluded_is_told_why(
    fields: dict[str, Any], reason: str
) -> None:
    found = tb01(error_row(Y2022, AFTER_DEADLINE, **fields))
    assert found["status"] is Status.FAIL
    assert found["message"].startswith("不可转入淘宝企业店铺")
    assert reason in found["message"] and "续签结果无法判断" in found["message"]


def test_an_error_row_never_counts_as_eligible_or_not() -> None:
    """The verdict the transfer depends on is unknown: `transfer_eligible` stays null, as
    the summary's counts of eligible and ineligible merchants expect."""
    assert error_row(Y2022, AFTER_DEADLINE)["transfer_eligible"] is None
    assert error_row(Y2022, AFTER_DEADLINE, serious_points=12.0)["transfer_eligible"] is None


def test_tb01_of_an_error_row_in_english() -> None:
    found = tb01(error_row(Y2022, AFTER_DEADLINE, lang="en"))
    assert found["message"] != NOT_APPLICABLE["en"]
    assert found["message"].startswith("May move to a Taobao enterprise store")
    assert "renewal verdict cannot be decided" in found["message"]


def test_an_unreadable_points_cell_leaves_the_transfer_undecided() -> None:
    """Could not decide is an error, never a pass, on an error row as on any other."""
    unreadable = {"serious_points": ["十二", "not a number"]}
    found = tb01(error_row(Y2022, AFTER_DEADLINE, serious_points=None, unreadable=unreadable))
    assert found["status"] is Status.ERROR
    assert found["source"]["column"] == "严重违规扣分" and found["actual"] == "十二"


def test_an_error_row_after_the_2023_entrance_closed_is_told_it_closed() -> None:
    found = tb01(error_row(Y2023, datetime(2023, 1, 5, tzinfo=BEIJING), **done_inside(Y2023)))
    assert found["status"] is Status.FAIL
    assert "转入入口只开放至 2022-12-31，已关闭" in found["message"]


def test_no_error_row_of_the_fixture_is_called_renewed() -> None:
    run = run_file(XLSX, AFTER_DEADLINE)
    errors = [r for r in run.results if r["outcome"] == "error"]
    judged = [r for r in errors if any(f["rule"] == "TB01" for f in r["findings"])]
    assert judged, "the fixture has error rows that reach the rules"
    for result in judged:
        assert tb01(result)["message"] != NOT_APPLICABLE["zh"], result["merchant_id"]
        assert tb01(result)["status"] in ("pass", "fail", "error", "skip")
        assert result["transfer_eligible"] is None


# --- the self-check checklist of an error row ----------------------------------------------


def filled_template(tmp_path: Path, rows: dict[str, dict[str, object]]) -> Path:
    """A `renewal template` of tmall-2022 with merchant rows typed in under its header (from
    row 4: row 2 is the English header, row 3 the example)."""
    path = tmp_path / "t.xlsx"
    made = renewal("template", path, "--rules", "tmall-2022")
    assert made.returncode == 0, made.stderr
    book = openpyxl.load_workbook(path)
    sheet = book["商家"]
    header = [cell.value for cell in sheet[1]]
    for offset, (merchant_id, cells) in enumerate(rows.items()):
        for name, value in {"商家ID": merchant_id, **cells}.items():
            sheet.cell(row=4 + offset, column=header.index(name) + 1, value=value)
    book.save(path)
    return path


MERCHANT: dict[str, object] = {
    "店铺名称": "坏店",
    "店铺类型": "旗舰店",
    "商标状态": "R",
    "主营类目": "男装",  # a 60,000 fee tier in 2022
    "合同签署时间": datetime(2020, 1, 1, 10, 0),
    "续签报名时间": datetime(2021, 11, 20, 10, 0),
    # 协议签署时间 left blank: not signed
    "保证金余额": "很多",  # unreadable
    "年费已缴": 10000,  # 50,000 short
    "年费缴纳时间": datetime(2021, 11, 20, 10, 0),
    "处罚申诉中": "否",
    "严重违规扣分": 0,
    "一般违规扣分": 0,
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = {"m-bad": MERCHANT, "m-undated": {**MERCHANT, "合同签署时间": None}}
    return filled_template(tmp_path_factory.mktemp("template"), rows)


def self_check(path: Path, merchant: str, as_of: str, *more: str) -> str:
    run = renewal("self-check", path, "-m", merchant, "--rules", "2022", "--as-of", as_of, *more)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_an_error_row_still_shows_the_steps_known_to_be_missing(template: Path) -> None:
    text = self_check(template, "m-bad", "2021-12-20 12:00")
    assert step_states(text) == ("已完成", "未完成", "无法判断", "未完成")
    assert "结论：数据错误，还有 2 项没有完成" in text  # DL02 and AF01; DP01 is undecided
    assert f"去哪里办：{WHERE['DL02']}" in step_block(text, "DL02")
    fee = step_block(text, "AF01")
    assert "还需缴纳：¥50,000" in fee and f"去哪里办：{WHERE['AF01']}" in fee
    deposit = step_block(text, "DP01")
    assert "「保证金余额」的值「很多」无法读取" in deposit
    assert f"去哪里办：{WHERE['DP01']}" in deposit
    # the unreadable cell is named above the steps too, and the merchant told to fix it
    head = text[: text.index("续签步骤：")]
    assert "「保证金余额」的值「很多」" in head
    assert "修正第 4 行数据后重新检查" in text
    assert "[如果没有完成续签：可以转入]" in text


def test_a_row_with_an_unreadable_cell_and_steps_missed_is_failed_after_the_deadline(
    template: Path,
) -> None:
    """Past the deadline the agreement and the fee certainly missed it, whatever the
    unreadable balance holds: failed, the balance's step still undecided, the count the
    steps known missed."""
    text = self_check(template, "m-bad", "2021-12-27 00:00")
    assert step_states(text) == ("已完成", "未完成", "无法判断", "未完成")
    assert "结论：未续签，有 2 项没有按时完成" in text
    assert "截止时未缴：¥50,000" in step_block(text, "AF01")
    assert "截止前没有全部完成，因此：" in text  # a step known missing: it did miss
    assert "去哪里办" not in text  # nothing can be done any more


def test_the_checklist_of_an_error_row_in_english(template: Path) -> None:
    text = self_check(template, "m-bad", "2021-12-20 12:00", "--lang", "en")
    assert step_states(text, LABEL_EN) == ("done", "missing", "cannot tell", "missing")
    assert f"Where: {WHERE_EN['DL02']}" in step_block(text, "DL02", LABEL_EN)
    assert "Still to pay: ¥50,000" in step_block(text, "AF01", LABEL_EN)
    assert "Cannot read 保证金余额 value '很多'" in text


def test_a_row_that_cannot_be_evaluated_at_all_keeps_the_short_form(template: Path) -> None:
    text = self_check(template, "m-undated", "2021-12-20 12:00")
    assert "「合同签署时间」为空" in text
    assert "续签步骤：" not in text and "淘宝企业店铺（" not in text
    assert "修正第 5 行数据后重新检查" in text
    assert all(label not in text for label in LABEL.values())


# --- the entrance's last day, on TB01's finding ------------------------------------------


def test_tb01_carries_the_last_day_of_the_entrance_when_the_year_has_one() -> None:
    as_of = datetime(2022, 12, 27, 10, 0, tzinfo=BEIJING)  # failed, the entrance still open
    found = error_row(Y2023, as_of, **done_inside(Y2023))
    assert tb01(found)["open_until"] == date(2022, 12, 31)
    assert "open_until" not in tb01(error_row(Y2022, AFTER_DEADLINE))  # 2022 gives no close


def test_the_json_report_carries_the_last_day(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    run = renewal("check", XLSX, "--rules", "2023", "--as-of", "2022-12-27 10:00", "-o", out)
    assert run.returncode in (0, 1), run.stderr
    merchants = json.loads(out.read_bytes())["merchants"]
    judged = [tb01(m) for m in merchants if m["outcome"] in ("failed", "pending")]
    assert judged and all(f["open_until"] == "2022-12-31" for f in judged)
    eligible = [m for m in merchants if m["transfer_eligible"] is True]
    assert eligible and all("2022-12-31" in m["next_action"] for m in eligible)


def test_the_checklist_says_the_last_day_its_finding_gives() -> None:
    """A renderer shows what the finding says: the last day comes from TB01's finding,
    not from the rule set (tmall-2022's gives none)."""
    as_of = datetime(2021, 12, 20, 12, 0, tzinfo=BEIJING)
    ctx = Context.create(as_of=as_of, cycle=Y2022.cycle, lang="zh", columns=columns_without())
    pending = normalised(evaluate(merchant_with(agreement_signed_at=None), Plan.of(Y2022), ctx))
    assert pending["outcome"] == "pending" and pending["transfer_eligible"] is True
    checklist = Checklist(Y2022, as_of, "zh")
    assert "[如果没有完成续签：可以转入]" in "\n".join(checklist.lines(pending, None))
    tb01(pending)["open_until"] = "2021-12-31"
    lines = "\n".join(checklist.lines(pending, None))
    assert "[如果没有完成续签：可以转入，最晚 2021-12-31 申请]" in lines


@pytest.mark.parametrize("module", ["renewal/engine.py", "renewal/render/checklist.py"])
def test_generic_code_does_not_read_the_transfer_rule_parameters(module: str) -> None:
    """The engine and the checklist serve every rule: what they say about the fallback comes
    from its finding, so neither imports the transfer rule's module."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "renewal.checks.transfer" not in imported


@pytest.mark.parametrize(("rules", "fee"), [("tmall-2022", None), ("tmall-2025", 0.0)])
def test_an_error_row_owes_no_fee_in_a_year_without_one(tmp_path, rules, fee):
    """2025年度 has no annual fee: a row that cannot be read (no contract date, an id on two
    rows) owes none, rather than an unknown fee; a year with a fee does not know it."""
    import csv

    from conftest import EXPORT_HEADER, renewed_row

    blank_contract = renewed_row("m-blank")
    blank_contract[EXPORT_HEADER.index("合同签署时间")] = ""
    rows = [blank_contract, renewed_row("m-twice"), renewed_row("m-twice")]
    path = tmp_path / "e.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, *rows])
    ran = renewal("check", path, "--rules", rules, "--as-of", "2030-01-01", "-f", "json")
    report = json.loads(ran.stdout)
    assert {m["outcome"] for m in report["merchants"]} == {"error"}
    assert [m["annual_fee_due"] for m in report["merchants"]] == [fee, fee, fee]
    assert report["summary"]["annual_fee_due_unknown"] == (3 if fee is None else 0)
