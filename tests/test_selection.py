"""Which rule set a run uses: given, the cycle running at the as-of, or the nearest one."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewed_row, run_file

from renewal import ruleset as rulesets
from renewal.rule_errors import UnknownRuleSet
from renewal.ruleset import choose, load, resolve
from renewal.timeutil import BEIJING

BUNDLED_2022 = resolve("tmall-2022")


def shifted(text: str, years: int) -> str:
    """The 2022 rule file moved by whole years: every year in it, dates and ids alike."""
    for year in sorted(range(2015, 2026), reverse=years > 0):
        text = text.replace(str(year), str(year + years))
    return text


@pytest.fixture
def bundled(tmp_path, monkeypatch):
    """A bundle of tmall-2019 and tmall-2022, as if shipped."""
    folder = tmp_path / "rules"
    folder.mkdir()
    source = BUNDLED_2022.read_text(encoding="utf-8")
    (folder / "tmall-2022.toml").write_text(source, encoding="utf-8")
    (folder / "tmall-2019.toml").write_text(shifted(source, -3), encoding="utf-8")
    monkeypatch.setattr(rulesets, "bundled_dir", lambda: folder)
    return folder


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("as_of", "chosen", "how"),
    [
        (at(2021, 12, 27), "tmall-2022", "as-of"),
        (at(2021, 1, 1, 0, 0, 1), "tmall-2022", "as-of"),  # the year after 2021-01-01 00:00
        (at(2021, 1, 1, 0, 0, 0), "tmall-2022", "nearest"),  # 2021年度's end, not in the bundle
        (at(2022, 1, 1, 0, 0, 0), "tmall-2022", "as-of"),  # the termination moment ends it
        (at(2022, 1, 1, 0, 0, 1), "tmall-2022", "nearest"),
        (at(2026, 11, 23), "tmall-2022", "nearest"),
        (at(2018, 12, 27), "tmall-2019", "as-of"),
        (at(2019, 1, 1, 0, 0, 0), "tmall-2019", "as-of"),
        (at(2019, 1, 1, 0, 0, 1), "tmall-2019", "nearest"),  # 2020 is nearer 2019's end
        (at(2020, 12, 1), "tmall-2022", "nearest"),  # inside 2021年度's year: 2022's is nearer
    ],
)
def test_the_cycle_running_at_the_as_of(bundled, as_of, chosen, how):
    selection = choose(as_of)
    assert (selection.ruleset.id, selection.how) == (chosen, how)


def test_a_missing_year_names_the_nearest_that_exist(bundled):
    with pytest.raises(UnknownRuleSet) as error:
        resolve("tmall-2020")
    assert error.value.nearest == ["tmall-2019", "tmall-2022"]
    with pytest.raises(UnknownRuleSet) as error:
        resolve("tmall-2024")
    assert error.value.nearest == ["tmall-2022"]


@pytest.mark.parametrize("written", ["tmall-2022", "TMALL-2022", "Tmall-2022", "2022", " 2022 "])
def test_a_bundled_year_in_any_case_or_by_its_year_alone(written):
    assert resolve(written) == BUNDLED_2022


def test_nearest_is_said_on_stderr_and_in_the_report(tmp_path):
    command = [
        sys.executable,
        "-m",
        "renewal",
        "check",
        str(Path(__file__).parent.parent / "fixtures" / "merchants-2022.csv"),
    ]
    result = subprocess.run(
        [*command, "--as-of", "2026-11-23", "-f", "json", "--lang", "en"],
        capture_output=True,
        text=True,
    )
    document = json.loads(result.stdout)
    assert document["ruleset"]["selected"] == "nearest"
    assert document["ruleset"]["note"] == (
        "No bundled rule set covers 2026-11-23 00:00; using the nearest, tmall-2025 (Tmall 2025"
        " contract-year renewal, whose cycle runs until the old contracts end at 2025-01-01"
        " 00:00): its rules may differ from that year's, and its deadline (2024-12-30 18:00)"
        " and the time left are that cycle's, not that year's; give --rules to use another"
        " rule file"
    )
    assert document["ruleset"]["note"] in result.stderr
    quiet = subprocess.run(
        [*command, "--as-of", "2021-12-27", "-f", "json"], capture_output=True, text=True
    )
    assert json.loads(quiet.stdout)["ruleset"]["selected"] == "as-of" and quiet.stderr == ""


def _on_a_terminal(*args: str) -> str:
    """What `renewal check` shows on a terminal (stdout and stderr both), read from a pty."""
    import os

    screen, terminal = os.openpty()
    command = [sys.executable, "-m", "renewal", "check", *args]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=terminal, stderr=terminal)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(screen, 65536)
        except OSError:  # EIO: the program has ended and closed its side
            break
        if not chunk:
            break
        shown += chunk
    os.close(screen)
    process.wait(timeout=60)
    return shown.decode("utf-8", "replace")


def test_the_nearest_note_is_said_once_on_a_terminal():
    """The table on a terminal says the nearest rule set in its heading: not on stderr too,
    which would show the same paragraph twice on one screen; with a report file, stderr says
    it (the file is not on the screen)."""
    export = str(Path(__file__).parent.parent / "fixtures" / "merchants-2022.csv")
    note = "No bundled rule set covers 2030-06-01"
    table = _on_a_terminal(export, "--as-of", "2030-06-01", "--lang", "en")
    assert table.count(note) == 1 and "Outcome" in table
    with tempfile.TemporaryDirectory() as where:
        report = str(Path(where) / "r.json")
        filed = _on_a_terminal(export, "--as-of", "2030-06-01", "--lang", "en", "-o", report)
        assert filed.count(note) == 1


def test_a_rule_file_written_by_a_user_moves_the_verdicts(tmp_path):
    """Next year's file from this year's: move the dates a year on and raise an amount."""
    text = shifted(BUNDLED_2022.read_text(encoding="utf-8"), 1)
    text = text.replace(
        'store_type = "旗舰店"\naliases = ["flagship", "旗舰", "品牌旗舰店"]\nR = 50000',
        'store_type = "旗舰店"\naliases = ["flagship", "旗舰", "品牌旗舰店"]\nR = 80000',
    )
    assert "R = 80000" in text
    mine = tmp_path / "tmall-2023.toml"
    mine.write_text(text, encoding="utf-8")
    ruleset = load(str(mine))
    assert ruleset.id == "tmall-2023"
    assert ruleset.cycle.window_closes == at(2022, 12, 26, 18, 0)

    export = tmp_path / "export.csv"
    rows = [EXPORT_HEADER, renewed_row("last-year"), renewed_row("this-year")]
    rows[2][5:7] = [
        "2022-11-22 10:00",
        "2022-11-22 10:00",
    ]  # sign-up and agreement in 2022's window
    rows[2][9] = "2022-11-22 10:00"  # fee paid in 2022's window
    export.write_text("\n".join(",".join(map(str, row)) for row in rows) + "\n", encoding="utf-8")

    old = {r["merchant_id"]: r for r in run_file(export, AFTER_DEADLINE).results}
    new = {r["merchant_id"]: r for r in run_file(export, at(2022, 12, 27), rules=str(mine)).results}
    assert old["last-year"]["outcome"] == "renewed"
    assert old["this-year"]["outcome"] == "failed"  # its steps are a year late for 2022
    assert new["last-year"]["outcome"] == "failed"  # its steps are a year early for 2023
    assert new["this-year"]["outcome"] == "failed"  # on time, but 50,000 < the new 80,000
    assert new["this-year"]["deposit_shortfall"] == 30000.0
    assert {f["rule"] for f in new["this-year"]["findings"] if f["status"] == "fail"} == {"DP01"}
