"""A row with an unreadable cell whose renewal has certainly failed: past the deadline a
step certainly not done (missing, late, or stopped by a blocker) fails the renewal whatever
the unreadable cells hold, so the row is `failed` and given the transfer test, not an
`error` told to fix a cell that can change nothing. Before the deadline, or when no step
is certainly missing, it stays an `error`."""

from __future__ import annotations

import json

from conftest import EXPORT_HEADER, renewal, renewed_row, write_csv

from renewal.ruleset import load

R2022 = load("tmall-2022")
CLOSES = R2022.cycle.window_closes
AFTER = "2021-12-26 18:00:01"  # one second past the deadline
BEFORE = "2021-12-20 12:00"
COLUMN = {name: n for n, name in enumerate(EXPORT_HEADER)}
assert CLOSES.strftime("%Y-%m-%d %H:%M:%S") == "2021-12-26 18:00:00"


def row(merchant_id: str, **cells: str) -> list[object]:
    """A renewed 2022 row with some cells replaced, by their Chinese header."""
    found = renewed_row(merchant_id)
    for header, value in cells.items():
        found[COLUMN[header]] = value
    return found


def results(tmp_path, rows: list[list[object]], as_of: str) -> dict[str, dict]:
    path = write_csv(tmp_path / "export.csv", EXPORT_HEADER, rows)
    run = renewal("check", path, "--rules", "tmall-2022", "--as-of", as_of, "-f", "jsonl", "-q")
    assert run.returncode in (0, 1), run.stderr
    return {r["merchant_id"]: r for r in map(json.loads, run.stdout.splitlines())}


UNREAD_SIGNUP_NO_AGREEMENT = {"续签报名时间": "#N/A", "协议签署时间": ""}
UNREAD_SIGNUP = {"续签报名时间": "#N/A"}


def test_past_the_deadline_a_missing_step_fails_whatever_an_unreadable_cell_holds(tmp_path):
    found = results(
        tmp_path,
        [row("M1", **UNREAD_SIGNUP_NO_AGREEMENT), row("CONTROL", 协议签署时间="")],
        AFTER,
    )
    merchant, control = found["M1"], found["CONTROL"]
    assert merchant["outcome"] == control["outcome"] == "failed"
    # given the transfer test, as the row with every cell readable is
    assert merchant["transfer_eligible"] is control["transfer_eligible"] is True
    assert merchant["next_action"] == control["next_action"]
    # the unreadable cell is still said: the step that reads it, and an LD04 warning
    by_rule = {f["rule"]: f for f in merchant["findings"]}
    assert by_rule["DL01"]["status"] == "error" and by_rule["DL02"]["status"] == "fail"
    assert by_rule["LD04"]["status"] == "warn" and by_rule["LD04"]["actual"] == "#N/A"


def test_a_step_signed_late_fails_too(tmp_path):
    late = {"续签报名时间": "#N/A", "协议签署时间": "2021-12-27 10:00"}
    assert results(tmp_path, [row("M1", **late)], "2021-12-28 12:00")["M1"]["outcome"] == "failed"


def test_before_the_deadline_the_row_is_still_an_error(tmp_path):
    """Before the deadline the verdict waits on the data: the row is an error, told to fix
    it and to sign the agreement it certainly still has to sign."""
    merchant = results(tmp_path, [row("M1", **UNREAD_SIGNUP_NO_AGREEMENT)], BEFORE)["M1"]
    assert merchant["outcome"] == "error" and merchant["transfer_eligible"] is None
    assert "第 2 行" in merchant["next_action"]


def test_past_the_deadline_with_no_step_certainly_missing_the_row_is_an_error(tmp_path):
    """Every step but the unreadable one done in time: whether it renewed turns on the
    unreadable cell."""
    merchant = results(tmp_path, [row("M1", **UNREAD_SIGNUP)], AFTER)["M1"]
    assert merchant["outcome"] == "error" and merchant["transfer_eligible"] is None


def test_the_summary_counts_it_as_failed(tmp_path):
    path = write_csv(
        tmp_path / "export.csv", EXPORT_HEADER, [row("M1", **UNREAD_SIGNUP_NO_AGREEMENT)]
    )
    run = renewal("check", path, "--rules", "tmall-2022", "--as-of", AFTER, "-f", "json", "-q")
    outcomes = json.loads(run.stdout)["summary"]["outcomes"]
    assert outcomes["failed"] == 1 and outcomes["error"] == 0
