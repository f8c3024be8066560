"""Signup blockers through the whole run (2023年度): blocked steps, next action, notes."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from conftest import EXPORT_HEADER, XLSX, renewal, renewed_row, run_file

from renewal.timeutil import BEIJING

MID_2022_WINDOW = datetime(2022, 12, 1, 12, 0, tzinfo=BEIJING)
AFTER_2022_DEADLINE = datetime(2022, 12, 27, 0, 0, tzinfo=BEIJING)
HEADER = [*EXPORT_HEADER, "考核不达标", "转淘宝企业店铺中", "年检信息待更新"]


def row(
    merchant_id: str, *, steps_done: bool, assessment: str = "否", transferring: str = "否"
) -> list[object]:
    cells = renewed_row(merchant_id)
    if steps_done:
        cells[5:7] = ["2022-11-22 10:00", "2022-11-22 10:00"]
        cells[9] = "2022-11-22 10:00"
    else:
        cells[5:7] = ["", ""]
        cells[8:10] = ["", ""]  # no fee paid (an amount with no time is another case)
    return [*cells, assessment, transferring, "否"]


def export(tmp_path, rows):
    path = tmp_path / "export.csv"
    path.write_text(
        "\n".join(",".join(map(str, r)) for r in [HEADER, *rows]) + "\n", encoding="utf-8"
    )
    return path


def by_id(run):
    return {r["merchant_id"]: r for r in run.results}


def statuses(result):
    return {f["rule"]: f["status"] for f in result["findings"]}


def test_a_blocked_merchant_has_its_steps_skipped_and_is_told_to_clear_the_blocker(tmp_path):
    path = export(
        tmp_path, [row("blocked", steps_done=False, assessment="是"), row("free", steps_done=False)]
    )
    results = by_id(run_file(path, MID_2022_WINDOW, rules="tmall-2023"))
    blocked = results["blocked"]
    assert blocked["outcome"] == "pending"
    found = statuses(blocked)
    assert (found["BL01"], found["DL01"], found["DL02"]) == ("fail", "skip", "skip")
    assert found["AF01"] == "fail"  # the fee is not blocked: still reported on its own
    skipped = next(f for f in blocked["findings"] if f["rule"] == "DL01")
    assert skipped["message"] == "因 BL01（考核不达标）无法办理" and skipped["actual"] == "BL01"
    assert blocked["next_action"].startswith(
        "先在「商家中心-考核看板」达到考核标准，截止 2022-12-26 18:00"
    )
    free = statuses(results["free"])
    assert (free["BL01"], free["DL01"]) == ("pass", "fail")


def test_a_flag_on_a_merchant_whose_blocked_steps_are_done_warns_and_they_count(tmp_path):
    """The blockers stop signing up (「哪些情况不能报名续签」). An export that shows the steps
    done inside the window says the flag did not stop them then: it may have been set
    since. The steps count, and the blocker warns, asking to check the flag."""
    path = export(tmp_path, [row("done", steps_done=True, assessment="是")])
    for lang, words in (("zh", "该标记可能是之后才有的"), ("en", "may have been set afterwards")):
        (result,) = run_file(path, AFTER_2022_DEADLINE, rules="tmall-2023", lang=lang).results
        assert result["outcome"] == "renewed"
        found = statuses(result)
        assert (found["BL01"], found["DL01"], found["DL02"]) == ("warn", "pass", "pass")
        (gate,) = [f for f in result["findings"] if f["rule"] == "BL01"]
        assert words in gate["message"] and "DL01" in gate["message"]


@pytest.mark.parametrize(
    ("lang", "fix"),
    [
        ("zh", "在「商家中心-考核看板」达到考核标准"),
        ("en", "Meet the assessment standard (商家中心"),
    ],
)
def test_a_renewed_merchant_s_warning_is_not_something_to_do_first(tmp_path, lang, fix):
    """ex21 §5: a renewed merchant whose blocker flag was set since was told
    先…（如需继续经营） / First …, as if a prerequisite of a renewal already done; and the
    self-check printed no next step at all. Both now give the flag's fix as it is."""
    path = export(tmp_path, [row("done", steps_done=True, assessment="是")])
    (result,) = run_file(path, AFTER_2022_DEADLINE, rules="tmall-2023", lang=lang).results
    assert result["outcome"] == "renewed"
    assert result["next_action"].startswith(fix), result["next_action"]
    args = ["-m", "done", "--rules", "tmall-2023", "--as-of", "2022-12-27 00:00", "--lang", lang]
    lines = renewal("self-check", path, *args).stdout.splitlines()
    next_line = "下一步：" if lang == "zh" else "Next: "
    assert f"{next_line}{result['next_action']}" in lines


def test_a_blocked_merchant_with_a_step_left_fails_after_the_deadline(tmp_path):
    cells = row("half", steps_done=True, assessment="是")
    cells[6] = ""  # signed up, but the agreement not signed
    path = export(tmp_path, [cells])
    (result,) = run_file(path, AFTER_2022_DEADLINE, rules="tmall-2023").results
    # the step left is blocked: the flag stands, and the sign-up done still counts
    assert result["outcome"] == "failed"
    found = statuses(result)
    assert (found["BL01"], found["DL01"], found["DL02"]) == ("fail", "pass", "skip")


def test_a_merchant_moving_to_taobao_is_not_judged_eligible_again(tmp_path):
    path = export(tmp_path, [row("moving", steps_done=False, transferring="是")])
    (result,) = run_file(path, AFTER_2022_DEADLINE, rules="tmall-2023").results
    assert result["outcome"] == "failed"
    assert result["transfer_eligible"] is None
    assert statuses(result)["TB01"] == "skip" and statuses(result)["BL06"] == "fail"


def test_blockers_do_not_apply_to_an_exempt_merchant(tmp_path):
    cells = row("exempt", steps_done=False, assessment="是")
    cells[4] = "2022-11-21 10:00:01"  # signed after the 2023年度 cut-off
    (result,) = run_file(export(tmp_path, [cells]), AFTER_2022_DEADLINE, rules="tmall-2023").results
    assert result["outcome"] == "exempt"
    assert all(
        status == "skip" for code, status in statuses(result).items() if code.startswith("BL")
    )


def test_a_blocker_column_the_year_does_not_know_is_ignored_with_a_note(tmp_path):
    path = export(tmp_path, [row("m1", steps_done=True)])
    run = run_file(path, AFTER_2022_DEADLINE, rules="tmall-2023")
    assert [(n["code"], n["column"]) for n in run.summary["notes"]] == [
        ("note.unknown_blocker", "年检信息待更新")
    ]
    assert not any(f["rule"] == "BL07" for f in run.results[0]["findings"])
    older = run_file(path, datetime(2021, 12, 27, tzinfo=BEIJING), rules="tmall-2022")
    # 转淘宝企业店铺中 is no 2022 blocker, but TB01 reads it in every year, and 考核不达标
    # AS02 (2022年度's day-to-day assessment warning): neither is "ignored"
    assert sorted(n["column"] for n in older.summary["notes"]) == ["年检信息待更新"]


def test_an_empty_blocker_column_the_year_does_not_know_says_nothing(tmp_path):
    """A template has every blocker column; left empty, none is worth a note."""
    cells = row("m1", steps_done=True)
    cells[-3:] = ["", "", ""]
    path = export(tmp_path, [cells, [*row("m2", steps_done=True)[:-1], ""]])
    older = run_file(path, datetime(2021, 12, 27, tzinfo=BEIJING), rules="tmall-2022")
    # m2 fills 考核不达标 (否, read by AS02) and 转淘宝企业店铺中 (否, read by TB01), nobody
    # fills 年检信息待更新 (a filled one is noted: the test above)
    assert [n["column"] for n in older.summary["notes"]] == []
    both = run_file(path, datetime(2021, 12, 27, tzinfo=BEIJING), rules="tmall-2022", jobs=2)
    assert both.summary["notes"] == older.summary["notes"]


@pytest.mark.parametrize(
    ("rules", "as_of", "codes"),
    [
        ("tmall-2019", datetime(2018, 12, 1, 12, 0, tzinfo=BEIJING), {"AS01"}),
        (
            "tmall-2025",
            datetime(2024, 12, 1, 12, 0, tzinfo=BEIJING),
            {f"BL0{n}" for n in range(1, 8)},
        ),
    ],
)
def test_a_column_the_export_lacks_is_glossed_in_english(rules, as_of, codes):
    """The tool's own Chinese header of a column the export does not have (服务开通时间,
    考核不达标 …) is said with its meaning in English beside it, as the messages about a
    column the export has say it (合同签署时间 (contract signed at))."""
    run = run_file(XLSX, as_of, rules=rules, lang="en")
    said = {
        f["rule"]: f["message"]
        for r in run.results
        for f in r["findings"]
        if "The export has no column" in f["message"]
    }
    assert set(said) == codes
    for message in said.values():
        glossed = re.fullmatch(r"The export has no column (\S+) \(([^()]+)\)[:;] .+", message)
        assert glossed is not None, message
        assert re.search(r"[\u4e00-\u9fff]", glossed.group(2)) is None, message
    if "AS01" in said:
        assert said["AS01"].startswith("The export has no column 服务开通时间 (service opened at)")


def test_an_unreadable_flag_beside_its_steps_done_warns_and_they_count(tmp_path):
    """考核不达标 that cannot be read decides nothing when the steps it stops are done inside
    the window: were it 是, they would count anyway (the test above). Not an error row."""
    path = export(
        tmp_path,
        [
            row("done", steps_done=True, assessment="不清楚"),
            row("left", steps_done=False, assessment="不清楚"),
        ],
    )
    results = by_id(run_file(path, AFTER_2022_DEADLINE, rules="tmall-2023"))
    done = results["done"]
    assert done["outcome"] == "renewed"
    (gate,) = [f for f in done["findings"] if f["rule"] == "BL01"]
    assert gate["status"] == "warn" and "不清楚" in gate["message"] and "DL01" in gate["message"]
    # steps left past the deadline: whether the flag stopped them cannot be told, but they
    # were not done either way, so the renewal failed (the flag stays an error finding)
    assert results["left"]["outcome"] == "failed"
    assert statuses(results["left"])["BL01"] == "error"


def test_a_clear_blocker_reads_as_english_whatever_its_label(tmp_path):
    """A blocker not set says so in words that hold for every label: "Not " before the
    label made "Not no brand authorisation" and "Not unpaid software service fee" (ex24)."""
    path = export(tmp_path, [row("free", steps_done=True)])
    (result,) = run_file(path, MID_2022_WINDOW, rules="tmall-2023", lang="en").results
    messages = {f["rule"]: f["message"] for f in result["findings"] if f["status"] == "pass"}
    assert messages["BL01"] == "Not flagged: failing the merchant assessment"
    assert not [m for m in messages.values() if m.startswith("Not ") and "flagged" not in m]
