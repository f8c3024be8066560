"""BL03 (无品牌授权) beside the 资质 sheet, through the real loader and CLI (ex16 §5).

A 品牌授权 lapsed by the as-of, beside a 无品牌授权 of 否 or blank: the checklist must not say
"[没有] 无品牌授权" (no such problem) next to QL01's "资质「品牌授权」已于 … 过期". BL03 warns,
asking to check the column; it blocks no step (that the lapse is 无品牌授权 is our reading:
the lapse leads to 预摘牌 first, with 15 days to appeal)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from conftest import renewal, run_file
from test_qualification_expiry import workbook

from renewal.timeutil import BEIJING

AS_OF = "2024-12-24 10:00"
MID_2025 = datetime(2024, 12, 24, 10, 0, tzinfo=BEIJING)
HEADER = ["商家ID", "店铺类型", "商标状态", "主营类目", "合同签署时间", "协议签署时间"]
HEADER += ["保证金余额", "处罚申诉中", "严重违规扣分", "一般违规扣分", "无品牌授权"]


def store(merchant_id: str, *, signed: bool = True, flag: str = "否") -> list[object]:
    """A 2025 旗舰店 R with its deposit in place; signed inside the window, or not yet."""
    at = "2024-11-21 12:00" if signed else ""
    return [merchant_id, "旗舰店", "R", "男装", "2023-01-01 10:00", at, 50000, "否", 0, 0, flag]


def export(tmp_path: Path) -> Path:
    merchants = [
        store("expired", signed=False),
        store("valid", signed=False),
        store("expired-blank", flag=""),
        store("expired-flag-yes", signed=False, flag="是"),
    ]
    documents = [
        ["expired", "品牌授权", "B1", "2024-12-20"],
        ["valid", "品牌授权", "B2", "2025-06-30"],
        ["expired-blank", "品牌授权", "B3", "2024-12-20"],
        ["expired-flag-yes", "品牌授权", "B4", "2024-12-20"],
    ]
    return workbook(tmp_path / "agency2025.xlsx", HEADER, merchants, documents)


def checklist(path: Path, merchant_id: str) -> str:
    run = renewal("self-check", path, "--rules", "tmall-2025", "--as-of", AS_OF, "-m", merchant_id)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_the_checklist_does_not_say_no_problem_beside_an_expired_authorisation(tmp_path):
    text = checklist(export(tmp_path), "expired")
    blockers = text[text.index("不能续签的情况") : text.index("其他提醒")]
    assert "[没有] 无品牌授权" not in blockers
    assert "[提醒] 无品牌授权" in blockers
    assert "资质「品牌授权」已于 2024-12-20 过期" in blockers
    # QL01 still says what the lapse leads to
    assert "QL01 资质「品牌授权」已于 2024-12-20 过期" in text[text.index("其他提醒") :]


def test_a_valid_authorisation_is_no_problem(tmp_path):
    text = checklist(export(tmp_path), "valid")
    assert "[没有] 无品牌授权" in text


def test_the_warning_blocks_no_step_and_the_flag_still_decides(tmp_path):
    results = {
        r["merchant_id"]: r for r in run_file(export(tmp_path), MID_2025, "tmall-2025").results
    }
    statuses = {m: {f["rule"]: f["status"] for f in r["findings"]} for m, r in results.items()}
    # not signed yet: the signing is still to do, not blocked, and is the next action
    assert (statuses["expired"]["BL03"], statuses["expired"]["DL02"]) == ("warn", "fail")
    assert results["expired"]["outcome"] == "pending"
    assert results["expired"]["next_action"].startswith("在「商家中心-续签服务专区」签署协议")
    warning = next(f for f in results["expired"]["findings"] if f["rule"] == "BL03")
    assert warning["source"] == {"sheet": "资质", "row": 2, "column": "到期日期"}
    assert "资质管理" in warning["remedy"]
    # a blank flag reads as 否: the same doubt; the renewal (signed) stands
    assert statuses["expired-blank"]["BL03"] == "warn"
    assert results["expired-blank"]["outcome"] == "renewed"
    # 是 is the blocker itself, as before
    assert (statuses["expired-flag-yes"]["BL03"], statuses["expired-flag-yes"]["DL02"]) == (
        "fail",
        "skip",
    )
    assert statuses["valid"]["BL03"] == "pass"


def test_in_english(tmp_path):
    (result,) = [
        r
        for r in run_file(export(tmp_path), MID_2025, "tmall-2025", lang="en").results
        if r["merchant_id"] == "expired"
    ]
    warning = next(f for f in result["findings"] if f["rule"] == "BL03")
    assert warning["status"] == "warn"
    assert (
        "无品牌授权 is no or blank, but qualification '品牌授权' expired on 2024-12-20"
        in (warning["message"])
    )
