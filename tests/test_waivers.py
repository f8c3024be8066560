"""Waivers (`renewal check --waivers FILE`): reading every file kind, applying them at the
expiry boundaries, what they do to outcomes, exit codes, the summary, and every report.

The export is a small CSV checked against the 2022 rules (window 2021-11-19 12:00 ..
2021-12-26 18:00); merchant ids say what each row is missing.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xmlschema
from conftest import EXPORT_HEADER, ROOT, Collect, renewal, renewed_row

from renewal import diff as report_diff
from renewal.intake.tables import IntakeError
from renewal.pipeline import check_file
from renewal.readback import load_report
from renewal.ruleset import load
from renewal.timeutil import BEIJING
from renewal.waivers import Waivers, load_waivers

AFTER = datetime(2021, 12, 27, 0, 0, tzinfo=BEIJING)
MID = datetime(2021, 12, 1, 12, 0, tzinfo=BEIJING)
SIGNUP = EXPORT_HEADER.index("续签报名时间")
AGREEMENT = EXPORT_HEADER.index("协议签署时间")
DEPOSIT = EXPORT_HEADER.index("保证金余额")
WAIVER_HEADER = ["商家ID", "规则", "原因", "审批人", "工单", "到期"]


def export_rows() -> list[list[object]]:
    no_signup = renewed_row("no-signup")
    no_signup[SIGNUP] = ""
    two_missing = renewed_row("no-signup-no-agreement")
    two_missing[SIGNUP] = two_missing[AGREEMENT] = ""
    short = renewed_row("deposit-short")
    short[DEPOSIT] = "30000"  # 旗舰店 R needs 50,000: 20,000 short
    return [no_signup, two_missing, short, renewed_row("renewed")]


@pytest.fixture
def export(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "export.csv", [EXPORT_HEADER, *export_rows()])


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def waiver_file(tmp_path: Path, *rows: list[object], name: str = "waivers.csv") -> Path:
    return write_csv(tmp_path / name, [WAIVER_HEADER, *rows])


def run(export: Path, as_of: datetime, waivers: Path | None = None, lang: str = "zh") -> Collect:
    collect = Collect()
    loaded = load_waivers(waivers) if waivers is not None else None
    check_file(export, load("tmall-2022"), as_of, lang, [collect], waivers=loaded)
    return collect


def merchant(run: Collect, merchant_id: str) -> dict[str, Any]:
    return next(r for r in run.results if r["merchant_id"] == merchant_id)


def finding(result: dict[str, Any], rule: str) -> dict[str, Any]:
    return next(f for f in result["findings"] if f["rule"] == rule)


# --- reading every file kind ---------------------------------------------------------------

EXPECTED = [
    ("no-signup", "DL01", "报名系统故障", "张三", "OPS-1", date(2021, 12, 31)),
    (
        "1234567890123",
        "DP01",
        "分期补缴",
        "李四",
        None,
        datetime(2022, 1, 2, 18, 0, tzinfo=BEIJING),
    ),
]


def as_tuples(waivers: Waivers) -> list[tuple[object, ...]]:
    return [
        (w.merchant_id, w.rule, w.reason, w.approver, w.ticket, w.expires) for w in waivers.entries
    ]


def test_csv_in_utf8_and_gb18030(tmp_path):
    rows = [
        ["no-signup", "dl01", "报名系统故障", "张三", "OPS-1", "2021-12-31"],
        ["1234567890123.0", "DP01", "分期补缴", "李四", "", "2022年1月2日 18:00"],
    ]
    for encoding in ("utf-8-sig", "gb18030"):
        path = write_csv(tmp_path / f"w-{encoding}.csv", [WAIVER_HEADER, *rows], encoding)
        assert as_tuples(load_waivers(path)) == EXPECTED


def test_xlsx_with_date_cells_a_title_line_and_english_headers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "豁免"
    sheet.append(["2021年度豁免清单"])
    sheet.append(["merchant_id", "Rule", "reason", "approver", "ticket", "expires", "备注"])
    sheet.append(["no-signup", "DL01", "报名系统故障", "张三", "OPS-1", date(2021, 12, 31), "x"])
    sheet.append([None] * 6)  # a blank line is skipped
    sheet.append([1234567890123, "DP01", "分期补缴", "李四", None, datetime(2022, 1, 2, 18, 0)])
    path = tmp_path / "waivers.xlsx"
    book.save(path)
    waivers = load_waivers(path)
    assert as_tuples(waivers) == EXPECTED
    assert [w.row for w in waivers.entries] == [3, 5]


def test_toml_with_native_and_text_dates(tmp_path):
    path = tmp_path / "waivers.toml"
    path.write_text(
        """
[[waiver]]
merchant_id = "no-signup"
rule = "DL01"
reason = "报名系统故障"
approver = "张三"
ticket = "OPS-1"
expires = 2021-12-31

[[waiver]]
"商家ID" = 1234567890123
"规则" = "DP01"
"原因" = "分期补缴"
"审批人" = "李四"
"到期" = "2022-01-02 18:00"
""",
        encoding="utf-8",
    )
    waivers = load_waivers(path)
    assert as_tuples(waivers) == EXPECTED
    assert [w.row for w in waivers.entries] == [1, 2]


def test_an_empty_list_is_no_waivers(tmp_path):
    assert load_waivers(waiver_file(tmp_path)).entries == ()


# --- bad waiver files: exit 2, naming the file and the row -----------------------------------

GOOD = ["no-signup", "DL01", "报名系统故障", "张三", "OPS-1", "2021-12-31"]


def with_cell(column: str, value: object) -> list[object]:
    row = list(GOOD)
    row[WAIVER_HEADER.index(column)] = value
    return row


@pytest.mark.parametrize(
    ("bad_row", "says"),
    [
        (with_cell("原因", ""), "原因/reason 为空"),
        (with_cell("审批人", "  "), "审批人/approver 为空"),
        (with_cell("到期", ""), "到期/expires 为空"),
        (with_cell("商家ID", ""), "商家ID/merchant_id 为空"),
        (with_cell("规则", ""), "规则/rule 为空"),
        (with_cell("规则", "XX99"), "没有规则「XX99」"),
        (with_cell("规则", "TB01"), "TB01 不能豁免（「转淘宝企业店铺」类规则"),
        (with_cell("规则", "SC01"), "SC01 不能豁免（「范围」类规则"),
        (with_cell("规则", "LD04"), "LD04 是数据问题"),
        (with_cell("到期", "明年春天"), "到期/expires 的值「明年春天」无法读取"),
        (with_cell("到期", "2021-02-30"), "无法读取：日历上没有这一天"),
        (with_cell("到期", "12/31/2021"), "无法读取：日、月的顺序不明确；请用 YYYY-MM-DD"),
        (GOOD, "与第 2 行重复"),  # the same merchant and rule twice
    ],
)
def test_a_bad_row_stops_the_run_naming_file_and_row(tmp_path, export, bad_row, says):
    path = waiver_file(tmp_path, GOOD, bad_row)
    ran = renewal(
        "check", export, "--rules", "tmall-2022", "--as-of", "2021-12-27", "--waivers", path
    )
    assert ran.returncode == 2, ran.stderr
    assert "Traceback" not in ran.stderr
    (line,) = ran.stderr.strip().splitlines()
    assert str(path) in line and "第 3 行" in line and says in line, line
    assert ran.stdout == ""


def test_errors_in_english_name_the_row_too(tmp_path, export):
    path = waiver_file(tmp_path, with_cell("审批人", ""))
    ran = renewal("check", export, "--as-of", "2021-12-27", "--waivers", path, "--lang", "en")
    assert ran.returncode == 2
    assert f"{path}: row 2: 审批人/approver is blank" in ran.stderr


@pytest.mark.parametrize(
    ("header", "says"),
    [
        (["商家ID", "规则", "原因", "到期"], "缺少必需列 审批人/approver"),
        (["商家ID", "规则", "原因", "审批人", "到期", "规则代码"], "列 规则/rule 出现两次"),
        (["店铺", "说明"], "找不到包含 商家ID 和 规则 的表头"),
    ],
)
def test_a_bad_header_stops_the_run(tmp_path, export, header, says):
    path = write_csv(tmp_path / "w.csv", [header, ["x"] * len(header)])
    ran = renewal("check", export, "--as-of", "2021-12-27", "--waivers", path)
    assert ran.returncode == 2 and says in ran.stderr and str(path) in ran.stderr, ran.stderr


def test_bad_toml_names_the_entry(tmp_path):
    path = tmp_path / "w.toml"
    path.write_text(
        '[[waiver]]\nmerchant_id="a"\nrule="DL01"\nreason="r"\napprover="p"\nexpires=2021-12-31\n'
        '[[waiver]]\nmerchant_id="b"\nrule="DL01"\nreason="r"\napprover="p"\nexpires=2021-12-31\n'
        'approved="yes"\n',
        encoding="utf-8",
    )
    with pytest.raises(IntakeError) as raised:
        load_waivers(path)
    assert raised.value.message("en") == f"{path}: [[waiver]] #2: unknown key approved"
    path.write_text('[[waiver]]\nrule = "DL01\n', encoding="utf-8")
    with pytest.raises(IntakeError) as raised:
        load_waivers(path)
    assert raised.value.message("zh").startswith(f"{path}：不是有效的 TOML")
    path.write_text('[[exceptions]]\nrule = "DL01"\n', encoding="utf-8")
    with pytest.raises(IntakeError) as raised:
        load_waivers(path)
    assert "exceptions" in raised.value.message("en")


def test_a_missing_waiver_file_is_exit_2(tmp_path, export):
    ran = renewal("check", export, "--as-of", "2021-12-27", "--waivers", tmp_path / "none.csv")
    assert ran.returncode == 2 and "none.csv" in ran.stderr and "Traceback" not in ran.stderr


# --- applying: status, message, outcome, amounts -------------------------------------------


def test_a_waived_failure_carries_reason_and_approver(tmp_path, export):
    path = waiver_file(tmp_path, GOOD)
    result = merchant(run(export, AFTER, path), "no-signup")
    found = finding(result, "DL01")
    assert found["status"] == "waived"
    assert "报名系统故障" in found["message"] and "审批人 张三" in found["message"]
    assert "工单 OPS-1" in found["message"] and "有效至 2021-12-31" in found["message"]
    assert found["message"].startswith("截止 2021-12-26 18:00 前未续签报名")  # the real finding
    assert found["waiver"] == {
        "reason": "报名系统故障",
        "approver": "张三",
        "ticket": "OPS-1",
        "expires": "2021-12-31",
        "expired": False,
    }
    assert result["outcome"] == "waived"
    assert finding(result, "TB01")["status"] == "skip"  # no fallback needed
    # other findings carry no waiver key
    assert all("waiver" not in f for f in result["findings"] if f["rule"] != "DL01")


def test_one_failure_left_keeps_the_merchant_failed_or_pending(tmp_path, export):
    path = waiver_file(tmp_path, ["no-signup-no-agreement", "DL01", "r", "p", "", "2022-01-31"])
    for as_of, outcome in ((AFTER, "failed"), (MID, "pending")):
        result = merchant(run(export, as_of, path), "no-signup-no-agreement")
        statuses = {f["rule"]: f["status"] for f in result["findings"]}
        assert (statuses["DL01"], statuses["DL02"]) == ("waived", "fail")
        assert result["outcome"] == outcome
    both = waiver_file(
        tmp_path,
        ["no-signup-no-agreement", "DL01", "r", "p", "", "2022-01-31"],
        ["no-signup-no-agreement", "DL02", "r", "p", "", "2022-01-31"],
        name="both.csv",
    )
    for as_of in (AFTER, MID):
        result = merchant(run(export, as_of, both), "no-signup-no-agreement")
        assert result["outcome"] == "waived"
        assert result["time_left_seconds"] is None and result["due_soon"] is False


def test_a_waived_amount_is_still_owed(tmp_path, export):
    path = waiver_file(tmp_path, ["deposit-short", "DP01", "分期", "李四", "", "2022-01-31"])
    result = merchant(run(export, AFTER, path), "deposit-short")
    assert result["outcome"] == "waived"
    assert finding(result, "DP01")["owed"] == 20000.0
    assert result["deposit_shortfall"] == 20000.0


def test_a_passing_rule_is_not_waived_and_the_waiver_is_unused(tmp_path, export):
    path = waiver_file(tmp_path, ["renewed", "DL01", "r", "p", "", "2022-01-31"], GOOD)
    ran = run(export, AFTER, path)
    assert merchant(ran, "renewed")["outcome"] == "renewed"
    assert finding(merchant(ran, "renewed"), "DL01")["status"] == "pass"
    accounts = ran.summary["waivers"]
    assert accounts["applied"] == 1
    assert [(w["row"], w["merchant_id"]) for w in accounts["unused"]] == [(2, "renewed")]


def test_a_waiver_for_a_merchant_not_in_the_export_is_told_apart_from_an_unused_one(
    tmp_path, export
):
    """A mistyped id is not "unused": it is listed as not in the export, in force or not."""
    path = waiver_file(
        tmp_path,
        ["renewed", "DL01", "r", "p", "", "2022-01-31"],  # unused: nothing failing to cover
        ["no-signup ", "DL02", "r", "p", "", "2022-01-31"],  # in the export: unused
        ["nobody", "DL01", "r", "p", "", "2022-01-31"],  # a mistyped id
        ["gone", "DP01", "r", "p", "", "2021-12-01"],  # no such merchant, and expired too
    )
    accounts = run(export, AFTER, path).summary["waivers"]
    assert accounts["applied"] == 0
    assert [w["row"] for w in accounts["unused"]] == [2, 3]
    assert [(w["row"], w["merchant_id"]) for w in accounts["not_in_export"]] == [
        (4, "nobody"),
        (5, "gone"),
    ]
    assert [w["row"] for w in accounts["expired"]] == [5]


def test_a_waived_blocker_no_longer_blocks(tmp_path):
    """2023年度: 考核不达标 blocks signing; waived, the steps are checked on their own."""
    header = [*EXPORT_HEADER, "考核不达标"]

    def row(merchant_id: str, done: bool) -> list[object]:
        cells = renewed_row(merchant_id)
        when = "2022-11-22 10:00" if done else ""
        cells[SIGNUP] = cells[AGREEMENT] = cells[EXPORT_HEADER.index("年费缴纳时间")] = when
        if not done:  # no fee paid either (an amount with no time is another case)
            cells[EXPORT_HEADER.index("年费已缴")] = ""
        return [*cells, "是"]

    path = write_csv(tmp_path / "e.csv", [header, row("done", True), row("not-done", False)])
    waivers = waiver_file(
        tmp_path,
        ["done", "BL01", "考核申诉通过", "王五", "", "2023-01-31"],
        ["not-done", "BL01", "考核申诉通过", "王五", "", "2023-01-31"],
    )
    collect = Collect()
    as_of = datetime(2022, 12, 1, 12, 0, tzinfo=BEIJING)
    check_file(path, load("tmall-2023"), as_of, "zh", [collect], waivers=load_waivers(waivers))
    done, not_done = collect.results
    assert {f["rule"]: f["status"] for f in done["findings"]}["BL01"] == "waived"
    assert {f["rule"]: f["status"] for f in done["findings"]}["DL02"] == "pass"
    assert done["outcome"] == "waived"
    statuses = {f["rule"]: f["status"] for f in not_done["findings"]}
    assert (statuses["BL01"], statuses["DL01"], statuses["DL02"]) == ("waived", "fail", "fail")
    assert not_done["outcome"] == "pending"


# --- the expiry boundary -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expires", "as_of", "waived"),
    [
        # a date alone: valid through 23:59:59 of that day, Beijing time
        ("2021-12-27", datetime(2021, 12, 27, 23, 59, 59, tzinfo=BEIJING), True),
        ("2021-12-27", datetime(2021, 12, 28, 0, 0, 0, tzinfo=BEIJING), False),
        ("2021-12-27", datetime(2021, 12, 27, 15, 59, 59, tzinfo=UTC), True),
        ("2021-12-27", datetime(2021, 12, 27, 16, 0, 0, tzinfo=UTC), False),
        # a moment: valid until that moment
        ("2021-12-27 12:00", datetime(2021, 12, 27, 11, 59, 59, tzinfo=BEIJING), True),
        ("2021-12-27 12:00", datetime(2021, 12, 27, 12, 0, 0, tzinfo=BEIJING), False),
        ("2021年12月27日24时", datetime(2021, 12, 27, 23, 59, 59, tzinfo=BEIJING), True),
        ("2021年12月27日24时", datetime(2021, 12, 28, 0, 0, 0, tzinfo=BEIJING), False),
    ],
)
def test_expiry_boundary(tmp_path, export, expires, as_of, waived):
    path = waiver_file(tmp_path, with_cell("到期", expires))
    ran = run(export, as_of, path)
    result = merchant(ran, "no-signup")
    found = finding(result, "DL01")
    assert found["waiver"]["expired"] is (not waived)
    if waived:
        assert (found["status"], result["outcome"]) == ("waived", "waived")
        assert ran.summary["waivers"]["expired"] == []
    else:
        assert (found["status"], result["outcome"]) == ("fail", "failed")
        assert "豁免已于" in found["message"] and "到期" in found["message"]
        assert [w["row"] for w in ran.summary["waivers"]["expired"]] == [2]
        assert ran.summary["waivers"]["unused"] == []  # expired is not also unused


def test_an_expired_waiver_says_so_in_english(tmp_path, export):
    path = waiver_file(tmp_path, with_cell("到期", "2021-12-26"))
    found = finding(merchant(run(export, AFTER, path, "en"), "no-signup"), "DL01")
    assert found["status"] == "fail"
    assert found["message"].endswith(
        "; waiver expired at the end of 2021-12-26 (报名系统故障, approved by 张三); no longer applies"
    )


@pytest.mark.parametrize(
    ("as_of", "expiring"),
    [
        # ends at 2022-01-03 00:00 (a date alone): exactly 7 days before is a warning
        (datetime(2021, 12, 27, 0, 0, 0, tzinfo=BEIJING), True),
        (datetime(2021, 12, 26, 23, 59, 59, tzinfo=BEIJING), False),
        (datetime(2022, 1, 2, 23, 59, 59, tzinfo=BEIJING), True),
        (datetime(2022, 1, 3, 0, 0, 0, tzinfo=BEIJING), False),  # expired, no longer "ending"
    ],
)
def test_ending_within_seven_days(tmp_path, export, as_of, expiring):
    path = waiver_file(tmp_path, with_cell("到期", "2022-01-02"))
    accounts = run(export, as_of, path).summary["waivers"]
    assert bool(accounts["expiring"]) is expiring
    if expiring:
        assert accounts["expiring"] == [
            {"row": 2, "merchant_id": "no-signup", "rule": "DL01", "expires": "2022-01-02"}
        ]


def test_ending_within_seven_days_of_a_moment(tmp_path, export):
    path = waiver_file(tmp_path, with_cell("到期", "2022-01-03 12:00"))
    at = datetime(2022, 1, 3, 12, 0, tzinfo=BEIJING) - timedelta(days=7)
    assert run(export, at, path).summary["waivers"]["expiring"]
    assert not run(export, at - timedelta(seconds=1), path).summary["waivers"]["expiring"]


# --- exit codes and the summary --------------------------------------------------------------


def only(tmp_path: Path, merchant_id: str) -> Path:
    row = next(r for r in export_rows() if r[0] == merchant_id)
    return write_csv(tmp_path / f"{merchant_id}.csv", [EXPORT_HEADER, row])


@pytest.mark.parametrize("fail_on", ["failed", "due-soon", "pending", "warn"])
def test_fail_on_ignores_waived(tmp_path, fail_on):
    path = only(tmp_path, "no-signup")
    waivers = waiver_file(tmp_path, GOOD)
    for as_of in ("2021-12-27 00:00", "2021-12-26 12:00"):  # failed, then pending (due soon)
        args = ["check", path, "--rules", "tmall-2022", "--as-of", as_of, "--fail-on", fail_on]
        bare = renewal(*args)
        assert bare.returncode == (
            1 if as_of.startswith("2021-12-27") or fail_on != "failed" else 0
        )
        waived = renewal(*args, "--waivers", waivers, "-f", "json")
        assert waived.returncode == 0, waived.stderr
        assert json.loads(waived.stdout)["merchants"][0]["outcome"] == "waived"


def test_an_expired_waiver_fails_the_job_again(tmp_path):
    path = only(tmp_path, "no-signup")
    waivers = waiver_file(tmp_path, with_cell("到期", "2021-12-26"))
    ran = renewal(
        "check", path, "--rules", "tmall-2022", "--as-of", "2021-12-27", "--waivers", waivers
    )
    assert ran.returncode == 1
    assert "豁免已过期" in ran.stderr and "第 2 行" in ran.stderr


def test_summary_counts_and_lists(tmp_path, export):
    path = waiver_file(
        tmp_path,
        GOOD,  # applied, ends 2021-12-31: within 7 days of the as-of
        ["deposit-short", "DP01", "分期", "李四", "", "2021-12-26"],  # expired
        ["renewed", "DL02", "r", "p", "", "2022-06-30"],  # unused
        ["no-signup-no-agreement", "DL01", "r", "p", "", "2022-06-30"],  # applied, one fail left
    )
    ran = run(export, AFTER, path)
    outcomes = ran.summary["outcomes"]
    assert outcomes["waived"] == sum(r["outcome"] == "waived" for r in ran.results) == 1
    assert outcomes["failed"] == 2
    accounts = ran.summary["waivers"]
    assert accounts["file"] == "waivers.csv" and accounts["entries"] == 4
    assert accounts["applied"] == 2
    assert [w["row"] for w in accounts["expired"]] == [3]
    assert [w["row"] for w in accounts["expiring"]] == [2]
    assert [w["row"] for w in accounts["unused"]] == [4]


def test_without_waivers_the_summary_has_no_accounting_and_none_waived(export):
    summary = run(export, AFTER).summary
    # every outcome is counted in every report, so a consumer can read outcomes.waived
    assert "waivers" not in summary and summary["outcomes"]["waived"] == 0  # type: ignore[index]


def test_stderr_lists_expired_ending_and_unused(tmp_path, export):
    path = waiver_file(
        tmp_path,
        GOOD,
        ["deposit-short", "DP01", "分期", "李四", "", "2021-12-26"],
        ["renewed", "DL02", "r", "p", "", "2022-06-30"],
        ["renewd", "DL01", "r", "p", "", "2022-06-30"],  # a typo
    )
    ran = renewal(
        "check",
        export,
        "--rules",
        "tmall-2022",
        "--as-of",
        "2021-12-27",
        "--waivers",
        path,
        "--lang",
        "en",
        "--fail-on",
        "never",
    )
    assert ran.returncode == 0, ran.stderr
    err = ran.stderr
    counts = "1 expired, 1 ending within 7 days, 1 unused, 1 for a merchant not in the export"
    assert f"waivers: 1 applied; {counts}" in err
    assert "waiver expired: waivers.csv row 3 (merchant deposit-short, DP01)" in err
    assert "waiver ending soon: waivers.csv row 2 (merchant no-signup, DL01)" in err
    assert "waiver unused: waivers.csv row 4 (merchant renewed, DL02)" in err
    assert "waiver for a merchant not in the export: waivers.csv row 5 (merchant renewd, DL01)" in err
    assert counts in ran.stdout  # the table says it too
    assert "│ waived " in ran.stdout and "(waived)" not in ran.stdout


@pytest.mark.parametrize(
    ("strangers", "en", "zh"),
    [
        (1, "1 for a merchant not in the export", "1 条的商家不在导出中"),
        (2, "2 for merchants not in the export", "2 条的商家不在导出中"),
        (1200, "1,200 for merchants not in the export", "1,200 条的商家不在导出中"),
    ],
)
def test_the_waiver_counts_agree_with_their_number(strangers, en, zh):
    """The waivers of merchants not in the export, one or several, said as English says
    them; a count of thousands grouped, as the table's other counts are."""
    from renewal.waivers import summary_line

    accounts = {"applied": 1500, "expired": [], "unused": [{}], "not_in_export": [{}] * strangers}
    english = summary_line(accounts, "en")
    assert english == f"waivers: 1,500 applied; 0 expired, 0 ending within 7 days, 1 unused, {en}"
    assert summary_line(accounts, "zh").endswith(f"1 条未使用，{zh}")


# --- every report format -----------------------------------------------------------------------


def test_junit_skips_a_waived_finding_with_the_waiver(tmp_path, export):
    path = waiver_file(tmp_path, GOOD)
    out = tmp_path / "report.xml"
    ran = renewal(
        "check",
        export,
        "--rules",
        "tmall-2022",
        "--as-of",
        "2021-12-27",
        "--waivers",
        path,
        "-o",
        out,
    )
    assert ran.returncode == 1, ran.stderr  # the others still fail
    xmlschema.XMLSchema(ROOT / "tests" / "junit.xsd").validate(out)
    case = next(
        c
        for c in ET.parse(out).getroot().iter("testcase")
        if c.get("classname") == "no-signup" and c.get("name").startswith("[DL01]")
    )
    (skipped,) = list(case)
    assert skipped.tag == "skipped"
    assert skipped.get("message").startswith("已豁免：")
    assert "报名系统故障" in skipped.get("message") and "张三" in skipped.get("message")
    assert "豁免：报名系统故障（审批人 张三，工单 OPS-1；有效至 2021-12-31）" in skipped.text


def test_json_and_jsonl_carry_the_waiver(tmp_path, export):
    path = waiver_file(tmp_path, GOOD)
    out, lines = tmp_path / "r.json", tmp_path / "r.jsonl"
    ran = renewal(
        "check",
        export,
        "--as-of",
        "2021-12-27",
        "--rules",
        "tmall-2022",
        "--waivers",
        path,
        "-o",
        out,
        "-o",
        lines,
        "--fail-on",
        "never",
    )
    assert ran.returncode == 0, ran.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    assert rows == document["merchants"]
    found = finding(merchant_doc(document, "no-signup"), "DL01")
    assert found["status"] == "waived" and found["waiver"]["approver"] == "张三"
    assert document["summary"]["waivers"]["applied"] == 1


def merchant_doc(document: dict[str, Any], merchant_id: str) -> dict[str, Any]:
    return next(m for m in document["merchants"] if m["merchant_id"] == merchant_id)


def test_diff_fail_to_waived_is_fixed_and_back_is_worse(tmp_path, export):
    bare, waived = tmp_path / "bare.json", tmp_path / "waived.json"
    base = ["check", export, "--rules", "tmall-2022", "--as-of", "2021-12-27", "--fail-on", "never"]
    assert renewal(*base, "-o", bare).returncode == 0
    assert renewal(*base, "--waivers", waiver_file(tmp_path, GOOD), "-o", waived).returncode == 0
    better = report_diff.compare(load_report(bare), load_report(waived))
    assert not better["worse"]
    assert [(i["merchant_id"], i["rule"], i["to"]) for i in better["fixed"]] == [
        ("no-signup", "DL01", "waived")
    ]
    assert [(i["merchant_id"], i["from"], i["to"]) for i in better["outcome_better"]] == [
        ("no-signup", "failed", "waived")
    ]
    assert better["totals"]["old"]["outcomes"]["waived"] == 0
    assert better["totals"]["new"]["outcomes"]["waived"] == 1
    worse = report_diff.compare(load_report(waived), load_report(bare))
    assert worse["worse"]
    assert [(i["merchant_id"], i["rule"]) for i in worse["newly_failing"]] == [
        ("no-signup", "DL01")
    ]
    ran = renewal("diff", waived, bare)
    assert ran.returncode == 1 and "已豁免 → 未续签" in ran.stdout


@pytest.mark.parametrize("jobs", [2, 3])
def test_a_parallel_run_counts_waivers_like_a_sequential_one(tmp_path, monkeypatch, jobs):
    from renewal import pipeline

    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 2)  # rows spread over blocks and workers
    rows = export_rows()
    duplicated = renewed_row("duplicated")
    duplicated[SIGNUP] = ""
    path = write_csv(
        tmp_path / "e.csv", [EXPORT_HEADER, *rows, duplicated, *rows[3:], list(duplicated)]
    )
    waivers = load_waivers(
        waiver_file(
            tmp_path,
            GOOD,
            ["deposit-short", "DP01", "分期", "李四", "", "2022-01-31"],
            ["duplicated", "DL01", "r", "p", "", "2022-01-31"],  # its rows are LD03 errors
            ["ghost", "DL01", "r", "p", "", "2022-01-31"],  # on no row of any block
        )
    )
    runs = []
    for count in (1, jobs):
        collect = Collect()
        check_file(path, load("tmall-2022"), AFTER, "zh", [collect], jobs=count, waivers=waivers)
        runs.append(collect)
    sequential, parallel = runs
    assert parallel.results == sequential.results
    assert parallel.summary == sequential.summary
    accounts = sequential.summary["waivers"]
    assert accounts["applied"] == 2
    assert [w["merchant_id"] for w in accounts["unused"]] == ["duplicated"]
    assert [w["merchant_id"] for w in accounts["not_in_export"]] == ["ghost"]
    assert sequential.summary["outcomes"]["waived"] == 2


def test_a_reason_that_looks_like_terminal_markup_is_shown_as_typed(tmp_path, export):
    reason = "[/x] [bold]批准[/bold]"
    path = waiver_file(tmp_path, ["no-signup", "DL01", reason, "张三", "", "2021-12-01"])
    ran = renewal(
        "check", export, "--rules", "tmall-2022", "--as-of", "2021-12-27", "--waivers", path
    )
    assert ran.returncode == 1, ran.stderr  # expired: the failure is back, and shown
    assert reason in ran.stdout


def test_a_waived_warning_no_longer_counts_as_a_warning(tmp_path):
    from conftest import XLSX

    who = "renewed-warn-qualification-expires-2022"  # the fixture's QL01 warning
    path = waiver_file(tmp_path, [who, "QL01", "资质续办中", "赵六", "", "2022-03-31"])
    runs = []
    for waivers in (None, load_waivers(path)):
        collect = Collect()
        checked = check_file(XLSX, load("tmall-2022"), AFTER, "zh", [collect], waivers=waivers)
        runs.append((checked.warned, collect))
    (warned_before, bare), (warned_after, waived) = runs
    assert warned_after == warned_before - 1
    result = merchant(waived, who)
    assert finding(result, "QL01")["status"] == "waived"
    assert result["outcome"] == "renewed"  # an advisory never changed the outcome
    index = bare.results.index(merchant(bare, who))
    assert bare.attention[index] and not waived.attention[index]


# --- a waiver names a rule of the selected year ----------------------------------------------


@pytest.mark.parametrize(
    ("rules", "as_of", "listed", "not_listed"),
    [
        ("tmall-2022", "2021-12-27", ["AF01", "DL01", "DL02", "DP01", "QL01"], ["BL01", "AS01"]),
        ("tmall-2025", "2024-12-31", ["BL07", "DL02", "DP01"], ["AF01", "DL01", "QR01"]),
    ],
)
def test_an_unknown_rule_lists_the_selected_years_rules_only(
    tmp_path, export, rules, as_of, listed, not_listed
):
    path = waiver_file(tmp_path, with_cell("规则", "XX99"))
    ran = renewal("check", export, "--rules", rules, "--as-of", as_of, "--waivers", path)
    assert ran.returncode == 2, ran.stderr
    known = ran.stderr.strip().split("可豁免的规则：")[1].split(", ")
    assert set(listed) <= set(known) and not set(not_listed) & set(known), known
    assert "TB01" not in known and "SC01" not in known  # never waivable


def test_a_rule_of_another_year_is_refused_naming_file_row_and_rule(tmp_path, export):
    """BL01 is a 2023+ blocker and AS01 a 2019 step: with tmall-2022 they could never apply."""
    path = waiver_file(tmp_path, GOOD, with_cell("规则", "bl01"))
    args = ("check", export, "--rules", "tmall-2022", "--as-of", "2021-12-27", "--waivers", path)
    ran = renewal(*args)
    assert ran.returncode == 2 and ran.stdout == "" and "Traceback" not in ran.stderr
    (line,) = ran.stderr.strip().splitlines()
    assert str(path) in line and "第 3 行" in line and "tmall-2022 没有规则 BL01" in line, line
    english = renewal(*args, "--lang", "en")
    assert english.returncode == 2
    assert f"{path}: row 3: rule set tmall-2022 has no rule BL01" in english.stderr
    assert "could never apply" in english.stderr

    toml = tmp_path / "w.toml"
    toml.write_text(
        '[[waiver]]\nmerchant_id="a"\nrule="DL01"\nreason="r"\napprover="p"\nexpires=2022-12-31\n'
        '[[waiver]]\nmerchant_id="b"\nrule="AS01"\nreason="r"\napprover="p"\nexpires=2022-12-31\n',
        encoding="utf-8",
    )
    ran = renewal(*args[:-1], toml, "--lang", "en")
    assert ran.returncode == 2
    assert f"{toml}: [[waiver]] #2: rule set tmall-2022 has no rule AS01" in ran.stderr


def test_the_same_rule_is_accepted_in_a_year_that_has_it(tmp_path):
    path = waiver_file(tmp_path, ["someone", "BL01", "r", "p", "", "2023-01-31"])
    with pytest.raises(IntakeError) as raised:
        load_waivers(path, load("tmall-2022"))
    assert "BL01" in raised.value.message("en")
    assert [w.rule for w in load_waivers(path, load("tmall-2023")).entries] == ["BL01"]


# --- a merchant not in the export, wherever the summary is shown -------------------------------


def test_a_merchant_not_in_the_export_in_chinese_and_in_the_workbook_summary(tmp_path, export):
    path = waiver_file(
        tmp_path,
        ["renewed", "DL02", "r", "p", "", "2022-06-30"],  # unused
        ["nobody", "DL01", "r", "p", "", "2022-06-30"],  # not in the export
    )
    book_path = tmp_path / "r.xlsx"
    ran = renewal(
        "check", export, "--rules", "tmall-2022", "--as-of", "2021-12-27", "--waivers", path,
        "--fail-on", "never", "-o", book_path, "-o", "-",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "1 条未使用，1 条的商家不在导出中" in ran.stderr
    assert "1 条的商家不在导出中" in ran.stdout  # the table
    (typo,) = [line for line in ran.stderr.splitlines() if "nobody" in line]
    assert "商家不在导出中" in typo and "第 3 行" in typo and "未使用" not in typo
    (unused,) = [line for line in ran.stderr.splitlines() if "商家 renewed" in line]
    assert "豁免未使用" in unused
    book = openpyxl.load_workbook(book_path)
    lines = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True) if row and row[0]}
    assert lines["商家不在导出中的豁免"] == 1
    unused_label = next(k for k in lines if str(k).startswith("未使用的豁免"))
    assert lines[unused_label] == 1


# --- renewal remind --waivers ----------------------------------------------------------------

BEFORE_DEADLINE = "2021-12-25 12:00"  # tmall-2022 closes 2021-12-26 18:00


def test_remind_leaves_out_what_a_waiver_covers(tmp_path):
    def row(merchant_id: str, agreement: bool, deposit: bool) -> list[object]:
        cells = renewed_row(merchant_id)
        if not agreement:
            cells[AGREEMENT] = ""
        if not deposit:
            cells[DEPOSIT] = "30000"
        return cells

    path = write_csv(
        tmp_path / "e.csv",
        [
            EXPORT_HEADER,
            row("waived", False, True),  # only the agreement missing, and waived
            row("half", False, False),  # agreement waived, deposit still short
            row("deposit-only", True, False),  # what "half" has left to do, unwaived
            row("expired", False, True),  # its waiver has run out
            row("plain", False, True),  # no waiver
        ],
    )
    waivers = waiver_file(
        tmp_path,
        ["waived", "DL02", "系统故障", "王经理", "", "2021-12-31"],
        ["half", "DL02", "系统故障", "王经理", "", "2021-12-31"],
        ["expired", "DL02", "系统故障", "王经理", "", "2021-12-20"],
        ["nobody", "DL02", "系统故障", "王经理", "", "2021-12-31"],
    )
    out = tmp_path / "r.csv"
    base = ("remind", path, "--rules", "tmall-2022", "--as-of", BEFORE_DEADLINE, "--lang", "en")
    without = renewal(*base, "-o", out)
    assert without.returncode == 0, without.stderr
    before = {r["merchant_id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert set(before) == {"waived", "half", "deposit-only", "expired", "plain"}

    ran = renewal(*base, "-o", out, "--waivers", waivers)
    assert ran.returncode == 0, ran.stderr
    after = {r["merchant_id"]: r for r in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert set(after) == {"half", "deposit-only", "expired", "plain"}
    assert after["half"]["missing"] == after["deposit-only"]["missing"]
    assert after["half"]["missing"] != before["half"]["missing"]
    assert after["expired"] == before["expired"] and after["plain"] == before["plain"]
    # the waiver file's own problems are told as check tells them
    assert "waiver expired: waivers.csv row 4 (merchant expired, DL02)" in ran.stderr
    assert "waiver for a merchant not in the export: waivers.csv row 5" in ran.stderr
    quiet = renewal(*base, "-o", out, "--waivers", waivers, "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_remind_refuses_a_bad_waiver_file_as_check_does(tmp_path, export):
    path = waiver_file(tmp_path, GOOD, with_cell("规则", "BL01"))
    ran = renewal(
        "remind", export, "--rules", "tmall-2022", "--as-of", BEFORE_DEADLINE, "--waivers", path
    )
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert str(path) in ran.stderr and "第 3 行" in ran.stderr and "BL01" in ran.stderr


# --- renewal self-check --waivers ------------------------------------------------------------


def test_self_check_shows_a_waived_step_as_check_decides_it(tmp_path, export):
    """An agency self-checking with its approved exceptions sees the step waived, with
    the reason as written (全角 punctuation kept), and the money a waiver leaves owed."""
    waivers = waiver_file(
        tmp_path,
        ["no-signup", "DL01", "报名系统故障，小二确认", "张三", "OPS-1", "2021-12-31"],
        ["deposit-short", "DP01", "分期补缴（已批准）", "李四", "", "2021-12-31"],
    )
    base = ("self-check", export, "--rules", "tmall-2022", "--as-of", BEFORE_DEADLINE)
    plain = renewal(*base, "-m", "no-signup")
    assert plain.returncode == 0, plain.stderr
    assert "[未完成] 续签报名" in plain.stdout and "已豁免" not in plain.stdout
    ran = renewal(*base, "-m", "no-signup", "--waivers", waivers)
    assert ran.returncode == 0, ran.stderr
    assert "结论：已豁免" in ran.stdout and "[已豁免] 续签报名" in ran.stdout
    assert "已豁免：报名系统故障，小二确认（审批人 张三，工单 OPS-1" in ran.stdout
    short = renewal(*base, "-m", "deposit-short", "--waivers", waivers)
    assert short.returncode == 0, short.stderr
    assert "[已豁免] 缴存保证金" in short.stdout and "分期补缴（已批准）" in short.stdout
    assert "还需缴纳合计：¥20,000（保证金 ¥20,000）" in short.stdout  # waived, still owed
    # the same verdict as check's, from the same files
    report = tmp_path / "r.json"
    checked = renewal("check", *base[1:], "--waivers", waivers, "-o", report, "--fail-on", "never")
    assert checked.returncode == 0, checked.stderr
    outcomes = {m["merchant_id"]: m["outcome"] for m in json.loads(report.read_text())["merchants"]}
    assert outcomes["no-signup"] == outcomes["deposit-short"] == "waived"


def test_self_check_refuses_waivers_it_cannot_use(tmp_path, export):
    bad = waiver_file(tmp_path, with_cell("规则", "BL01"))
    ran = renewal("self-check", export, "-m", "no-signup", "--rules", "tmall-2022", "--waivers", bad)
    assert ran.returncode == 2 and "Traceback" not in ran.stderr
    assert str(bad) in ran.stderr and "第 2 行" in ran.stderr and "BL01" in ran.stderr
    good = waiver_file(tmp_path, GOOD, name="good.csv")
    asked = renewal("self-check", "--rules", "tmall-2022", "--waivers", good, answers=[])
    assert asked.returncode == 2 and "--waivers 需要商家导出文件" in asked.stderr
