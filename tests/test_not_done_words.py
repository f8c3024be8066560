"""A step's time column holding a word for "not yet" (无, 未报名, 否 …), as ops staff fill a
hand-kept sheet: the step is not done, as with a blank cell or a dash, not an unreadable
cell that made the row a data error. Only in the four columns that say when a step was
done: 合同签署时间 is no step, and "N/A" may mean the step does not apply."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, MID_WINDOW, renewed_row, run_file, write_csv

COLUMN = {name: index for index, name in enumerate(EXPORT_HEADER)}


def row(merchant_id: str, **cells: object) -> list[object]:
    values = renewed_row(merchant_id)
    for name, value in cells.items():
        values[COLUMN[name]] = value
    return values


def results(tmp_path: Path, rows: list[list[object]], as_of: Any) -> dict[str, dict[str, Any]]:
    path = write_csv(tmp_path / "export.csv", EXPORT_HEADER, rows)
    return {r["merchant_id"]: r for r in run_file(path, as_of).results}


def statuses(result: dict[str, Any]) -> dict[str, str]:
    return {f["rule"]: f["status"] for f in result["findings"]}


@pytest.mark.parametrize(
    ("column", "rule", "beside"),
    [
        ("续签报名时间", "DL01", {}),
        ("协议签署时间", "DL02", {}),
        ("年费缴纳时间", "AF01", {"年费已缴": "0"}),  # a fee paid with no time is an error
    ],
)
@pytest.mark.parametrize("word", ["无", "未报名", "否", "暂无", "ＮＯ", " 未缴纳 ", "×"])
def test_a_word_for_not_yet_is_a_step_not_done(tmp_path, column, rule, beside, word):
    blank = row("blank", **{column: ""}, **beside)
    said = row("said", **{column: word}, **beside)
    by_id = results(tmp_path, [blank, said], AFTER_DEADLINE)
    assert by_id["said"]["outcome"] == "failed"
    assert statuses(by_id["said"])[rule] == "fail"
    # exactly what a blank cell gives, but for the merchant's id and row
    for key in ("outcome", "transfer_eligible", "deposit_shortfall", "annual_fee_due"):
        assert by_id["said"][key] == by_id["blank"][key], key
    assert [f["message"] for f in by_id["said"]["findings"]] == [
        f["message"] for f in by_id["blank"]["findings"]
    ]
    assert "LD04" not in statuses(by_id["said"])  # no warning about the cell


def test_before_the_deadline_it_is_a_step_still_to_do(tmp_path):
    by_id = results(tmp_path, [row("m", 协议签署时间="未签署")], MID_WINDOW)
    assert by_id["m"]["outcome"] == "pending"
    assert statuses(by_id["m"])["DL02"] == "fail"


@pytest.mark.parametrize(
    ("column", "word"),
    [
        ("续签报名时间", "N/A"),  # may mean "does not apply"
        ("续签报名时间", "不适用"),
        ("续签报名时间", "已报名"),  # done, but when?
        ("合同签署时间", "无"),  # no step: when the contract began is not "not yet"
    ],
)
def test_other_words_stay_unreadable(tmp_path, column, word):
    by_id = results(tmp_path, [row("m", **{column: word})], MID_WINDOW)
    assert by_id["m"]["outcome"] == "error"
    unread = [f for f in by_id["m"]["findings"] if f["status"] == "error"]
    assert unread and all(f["actual"] == word for f in unread)
