"""2022年度's day-to-day assessment (AS02) through the whole run: 考核不达标 是 warns, whatever
the renewal's verdict, and the column is read, not "ignored" (ex16 §4).

The announcement: 「经营考核已在日常进行,请您务必实时关注考核看板了解考核情况,以免因考核不
达标而无法继续经营」. The renewal has no assessment step, so the verdict does not change."""

from __future__ import annotations

from datetime import datetime

from conftest import EXPORT_HEADER, renewal, renewed_row, run_file, write_csv

from renewal.checks.assessment import DailyAssessmentParams
from renewal.ruleset import load
from renewal.timeutil import BEIJING

MID_2022 = datetime(2021, 12, 20, 9, 30, tzinfo=BEIJING)
HEADER = [*EXPORT_HEADER, "考核不达标"]
AS02 = load("tmall-2022").rules["AS02"]
assert isinstance(AS02, DailyAssessmentParams)


def export(tmp_path, rows):
    return write_csv(tmp_path / "export.csv", HEADER, rows)


def by_id(run):
    return {r["merchant_id"]: r for r in run.results}


def found(result, code):
    return next((f for f in result["findings"] if f["rule"] == code), None)


def test_a_renewed_merchant_that_failed_the_assessment_is_warned(tmp_path):
    path = export(tmp_path, [[*renewed_row("failed"), "是"], [*renewed_row("passed"), "否"]])
    run = run_file(path, MID_2022)
    results = by_id(run)
    failed = results["failed"]
    # renewed all the same: the assessment is no renewal step in 2022
    assert failed["outcome"] == "renewed"
    warning = found(failed, "AS02")
    assert warning is not None and warning["status"] == "warn"
    assert AS02.outcome in warning["message"] and "续签结论不因此改变" in warning["message"]
    assert AS02.where in warning["remedy"]
    assert warning["source"] == {"sheet": "export.csv", "row": 2, "column": "考核不达标"}
    passed = found(results["passed"], "AS02")
    assert passed is not None and passed["status"] == "pass"
    # the column is the year's now: no note that it is ignored
    assert [n for n in run.summary["notes"] if n["code"] == "note.unknown_blocker"] == []


def test_a_failed_assessment_blocks_no_step_of_a_pending_merchant(tmp_path):
    cells = [*renewed_row("pending"), "是"]
    cells[6] = ""  # the agreement not signed yet
    (result,) = run_file(export(tmp_path, [cells]), MID_2022).results
    assert result["outcome"] == "pending"
    statuses = {f["rule"]: f["status"] for f in result["findings"]}
    assert (statuses["DL02"], statuses["AS02"]) == ("fail", "warn")
    assert result["next_action"].startswith("在「商家中心-续签服务专区」签署协议")


def test_the_checklist_names_the_warning_beside_a_renewal(tmp_path):
    path = export(tmp_path, [[*renewed_row("failed"), "是"]])
    run = renewal("self-check", path, "--rules", "tmall-2022", "--as-of", "2021-12-20 09:30")
    assert run.returncode == 0, run.stderr
    assert "结论：已续签" in run.stdout
    others = run.stdout[run.stdout.index("其他提醒") :]
    assert "[提醒] AS02 「考核不达标」为是：经营考核在日常进行，考核不达标将无法继续经营" in others
    assert "考核不达标" not in run.stderr  # no "ignored" note


def test_in_english(tmp_path):
    path = export(tmp_path, [[*renewed_row("failed"), "是"]])
    (result,) = run_file(path, MID_2022, lang="en").results
    warning = found(result, "AS02")
    assert warning is not None and warning["status"] == "warn"
    assert warning["message"].startswith("考核不达标 (assessment failed) is yes:")
    assert AS02.outcome_en in warning["message"]


def test_later_years_stop_renewal_on_it_instead(tmp_path):
    """2023年度 lists 考核不达标 among what stops sign-up (BL01): no AS02 there."""
    cells = [*renewed_row("failed"), "是"]
    cells[5:7] = ["", ""]
    path = export(tmp_path, [cells])
    (result,) = run_file(
        path, datetime(2022, 12, 1, 12, tzinfo=BEIJING), rules="tmall-2023"
    ).results
    assert found(result, "AS02") is None
    blocker = found(result, "BL01")
    assert blocker is not None and blocker["status"] == "fail"
