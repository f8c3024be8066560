"""An unreadable cell makes a row an `error` only where the verdict turns on it (AS01, TB01,
QR01); a cell that decides is never read as blank.

- AS01 (2019年度): 考核不达标 is not read for a store that opened on or after the date; an
  unreadable 服务开通时间 beside 考核不达标 否 passes either way, as a blank one does.
- TB01: a readable reason (points at a limit, a pending appeal, an excluded category)
  refuses the transfer whatever an unreadable points cell, 处罚申诉中 or 违规记录 row says;
  with nothing readable refusing, such a cell, or an unreadable 主营类目, is an error.
- QR01 (2019年度): an unreadable 主营类目 passes only where a review would.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewed_row, run_file, write_csv
from test_rule_cases import columns_without, merchant_with, ruleset

from renewal.checks import REGISTRY
from renewal.checks.context import Context
from renewal.model import CellProblem, Status, source_ref
from renewal.timeutil import BEIJING

HEADER_2019 = [*EXPORT_HEADER, "服务开通时间", "考核不达标"]
AFTER_2019 = datetime(2018, 12, 27, 0, 0, tzinfo=BEIJING)


def row_2019(merchant_id: str, opened: str, failed: str) -> list[object]:
    """A 旗舰店 R 男装 store that renewed on 2018-11-01 (2019年度)."""
    at = "2018-11-01 10:00"
    cells = renewed_row(merchant_id)
    cells[4:7] = ["2016-01-01 10:00", at, at]
    cells[9] = at
    return [*cells, opened, failed]


def findings(result: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in result["findings"] if f["rule"] == rule]


def test_2019_assessment_cells_matter_only_where_the_verdict_turns_on_them(
    tmp_path: Path,
) -> None:
    rows = [
        row_2019("opened-after-flag-unreadable", "2018-03-01 09:00", "待定"),
        row_2019("opened-unreadable-not-failed", "去年", "否"),
        row_2019("opened-unreadable-flag-blank", "去年", ""),
        row_2019("opened-before-flag-unreadable", "2016-05-01 09:00", "待定"),
        row_2019("opened-unreadable-failed", "去年", "是"),
    ]
    path = write_csv(tmp_path / "export.csv", HEADER_2019, rows)
    results = run_file(path, AFTER_2019, rules="tmall-2019").results
    found = {result["merchant_id"]: result for result in results}

    for key, column in [
        ("opened-after-flag-unreadable", "考核不达标"),
        ("opened-unreadable-not-failed", "服务开通时间"),
        ("opened-unreadable-flag-blank", "服务开通时间"),
    ]:
        result = found[key]
        assert result["outcome"] == "renewed", (key, result["findings"])
        (assessment,) = findings(result, "AS01")
        assert assessment["status"] == "pass"
        (warning,) = findings(result, "LD04")  # still said once, as a warning
        assert (warning["status"], warning["source"]["column"]) == ("warn", column)

    for key, column, raw in [
        ("opened-before-flag-unreadable", "考核不达标", "待定"),
        ("opened-unreadable-failed", "服务开通时间", "去年"),
    ]:
        result = found[key]
        assert result["outcome"] == "error"
        (assessment,) = findings(result, "AS01")
        assert assessment["status"] == "error"
        assert assessment["source"]["column"] == column
        assert raw in assessment["message"]


def test_2022_transfer_refused_by_what_can_be_read_is_decided(tmp_path: Path) -> None:
    def failed_row(merchant_id: str, appeal: str, serious: str, general: str) -> list[object]:
        cells = renewed_row(merchant_id)
        cells[5] = ""  # no sign-up: failed, so the transfer is judged
        cells[10:13] = [appeal, serious, general]
        return cells

    rows = [
        failed_row("points-over-appeal-unreadable", "见备注", "12", "0"),
        failed_row("appeal-pending-points-unreadable", "是", "十二", "0"),
        failed_row("nothing-refuses-appeal-unreadable", "见备注", "0", "0"),
        failed_row("nothing-refuses-points-unreadable", "否", "0", "四十八"),
    ]
    path = write_csv(tmp_path / "export.csv", EXPORT_HEADER, rows)
    found = {r["merchant_id"]: r for r in run_file(path, AFTER_DEADLINE).results}

    assert {key: found[key]["outcome"] for key in found} == dict.fromkeys(found, "failed")
    for key in ("points-over-appeal-unreadable", "appeal-pending-points-unreadable"):
        assert found[key]["transfer_eligible"] is False, found[key]["findings"]
        (transfer,) = findings(found[key], "TB01")
        assert transfer["status"] == "fail"
    for key, column, raw in [
        ("nothing-refuses-appeal-unreadable", "处罚申诉中", "见备注"),
        ("nothing-refuses-points-unreadable", "一般违规扣分", "四十八"),
    ]:
        assert found[key]["transfer_eligible"] is None
        (transfer,) = findings(found[key], "TB01")
        assert transfer["status"] == "error"
        assert transfer["source"]["column"] == column and raw in transfer["message"]


def context(rules: str, as_of: datetime, **sheets: bool) -> Context:
    return Context.create(
        as_of=as_of,
        cycle=ruleset(rules).cycle,
        lang="zh",
        columns=columns_without(),
        has_violations_sheet=sheets.get("violations", False),
        has_qualifications_sheet=sheets.get("qualifications", False),
    )


BAD_ROW = CellProblem(source_ref("违规记录", 3, "扣分"), "十二", "not a number")


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        # a pending appeal, points at a limit, an excluded category: refused whatever the row
        ({"appeal_pending": True}, "fail"),
        ({"serious_points": 12.0}, "fail"),
        ({"category": "旅游"}, "fail"),
        # nothing readable refuses: the row that cannot be read might
        ({}, "error"),
    ],
)
def test_tb01_an_unreadable_violation_row_matters_only_when_nothing_else_refuses(
    fields: dict[str, Any], status: str
) -> None:
    merchant = merchant_with(violations=[], violation_problems=(BAD_ROW,), **fields)
    ctx = context("tmall-2022", AFTER_DEADLINE, violations=True)
    found = REGISTRY["TB01"].check(merchant, ruleset("tmall-2022").params("TB01"), ctx)
    assert found["status"] == Status(status), found["message"]
    if status == "error":
        assert found["source"] == BAD_ROW.source


UNREADABLE_CATEGORY = {"category": ("#N/A", "a formula error (#N/A) in the spreadsheet")}


def qr01(sheet: bool, **fields: Any) -> dict[str, Any]:
    merchant = merchant_with(category=None, unreadable=UNREADABLE_CATEGORY, **fields)
    ctx = context("tmall-2019", AFTER_2019, qualifications=sheet)
    found = REGISTRY["QR01"].check(merchant, ruleset("tmall-2019").params("QR01"), ctx)
    return dict(found)


def test_qr01_unreadable_category_passes_where_a_review_would() -> None:
    valid = [{"kind": "营业执照", "expires": date(2019, 6, 1)}]
    found = qr01(True, qualifications=valid)
    assert found["status"] is Status.PASS
    assert "#N/A" in found["message"] and found["source"]["column"] == "主营类目"


@pytest.mark.parametrize(
    ("sheet", "fields"),
    [
        (False, {}),  # no 资质 sheet: a listed category could not be reviewed
        (True, {"qualifications": []}),  # no documents
        (True, {"qualifications": [{"kind": "营业执照", "expires": date(2018, 12, 1)}]}),
        (
            True,
            {
                "qualifications": [{"kind": "营业执照", "expires": date(2019, 6, 1)}],
                "qualification_problems": (
                    CellProblem(source_ref("资质", 3, "到期日期"), "明年", "not a date"),
                ),
            },
        ),
    ],
)
def test_qr01_unreadable_category_is_an_error_where_a_review_might_not_pass(
    sheet: bool, fields: dict[str, Any]
) -> None:
    found = qr01(sheet, **fields)
    assert found["status"] is Status.ERROR, found["message"]
    assert found["source"]["column"] == "主营类目" and "#N/A" in found["message"]
