"""申诉状态 as exports and hand-kept sheets spell it (ex23): besides the template's four
words (无/申诉中/申诉成功/申诉失败), the other words for the same states are read, and a
word for none of them is still a bad cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewed_row, run_file

from renewal.intake.values import appeal_state

AGREEMENT = EXPORT_HEADER.index("协议签署时间")


def export_with_appeal(path: Path, written: str) -> Path:
    """One 2022 merchant that missed the agreement (so the transfer test applies) with
    one general penalty of 2 points, under the limits, whose 申诉状态 is `written`."""
    row = renewed_row("m1")
    row[AGREEMENT] = ""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    sheet.append(EXPORT_HEADER)
    sheet.append(row)
    violations = book.create_sheet("违规记录")
    violations.append(["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"])
    violations.append(["m1", "2021-06-01", "一般违规", 2, written])
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("written", "eligible"),
    [
        # filed, its outcome not written: pending, which refuses the transfer
        ("已申诉", False),
        ("申诉审核中", False),
        (" 申诉处理中 ", False),
        ("Under Appeal", False),
        ("申诉通过", True),
        ("已撤销", True),
        ("申诉不通过", True),
        ("已驳回", True),
        ("未申诉", True),
        ("否", True),
    ],
)
def test_other_words_for_an_appeal_state(tmp_path: Path, written: str, eligible: bool) -> None:
    run = run_file(export_with_appeal(tmp_path / "e.xlsx", written), AFTER_DEADLINE)
    (result,) = run.results
    assert result["outcome"] == "failed"
    assert result["transfer_eligible"] is eligible
    assert not [f for f in result["findings"] if f["rule"] == "LD04"]


def test_a_word_for_no_state_is_still_a_bad_cell(tmp_path: Path) -> None:
    run = run_file(export_with_appeal(tmp_path / "e.xlsx", "待定"), AFTER_DEADLINE)
    (result,) = run.results
    (bad,) = [f for f in result["findings"] if f["rule"] == "LD04"]
    assert bad["source"]["sheet"] == "违规记录" and bad["source"]["column"] == "申诉状态"
    assert result["transfer_eligible"] is None


def test_states_fold_space_and_case() -> None:
    assert appeal_state(None) == "none"
    assert appeal_state("\u3000申诉中\u3000") == "pending"
    assert appeal_state("REJECTED") == "failed"
    assert appeal_state("申诉中吗") is None
