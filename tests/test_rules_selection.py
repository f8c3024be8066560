"""How a --rules value picks a rule set, and what `renewal rules` and `renewal explain` show
of a year's [cycle].

A bundled id (in any case, or its bare year) is the bundled set even beside a file or
folder of that name in the working directory; a value with a path separator or ending in
.toml is a path; a year with no bundled set points at the rule file beside it; an empty
value, a device and a directory are refused saying what they are. The tester's findings
4, 6 and 9 (a hand-written tmall-2026.toml)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import CSV, renewal

from renewal import catalog
from renewal.briefs import cycle_brief
from renewal.catalog import CatalogProblem, cycle_lines, rule_rows, validated
from renewal.render.html import rule_explanations
from renewal.rule_errors import RuleSetError, UnknownRuleSet
from renewal.ruleset import Clause, Cycle, bundled_dir, load, passed_over, resolve

BUNDLED_2025 = bundled_dir() / "tmall-2025.toml"


def rule_file_2026(path: Path) -> Path:
    """Next year's rule file as a user writes it: tmall-2022's moved on four years (window
    2025-11-19 12:00 → 2025-12-26 18:00, id tmall-2026), saved at `path`."""
    text = (bundled_dir() / "tmall-2022.toml").read_text(encoding="utf-8")
    for year in range(2025, 2014, -1):  # the latest first: no year is moved twice
        text = text.replace(str(year), str(year + 4))
    path.write_text(text, encoding="utf-8")
    return path


def one_line(run: subprocess.CompletedProcess[str]) -> str:
    """The one line a refusal says on stderr, after checking it is one (exit 2)."""
    assert run.returncode == 2, (run.returncode, run.stderr)
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in lines[0], lines
    return lines[0]


# --- a bundled id beside a file or folder of its name (#6) -------------------------------


@pytest.mark.parametrize("written", ["2025", "tmall-2025", "TMALL-2025", " 2025 "])
@pytest.mark.parametrize("kind", ["folder", "notes", "rule file"])
def test_a_bundled_id_wins_over_a_file_or_folder_of_its_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, kind: str
) -> None:
    """A `2025/` folder of exports, a `tmall-2025` of notes, or next year's rule file saved
    as `2025`: `--rules 2025` is the bundled tmall-2025 all the same."""
    monkeypatch.chdir(tmp_path)
    there = tmp_path / written
    if kind == "folder":
        there.mkdir()
    elif kind == "notes":
        there.write_text("notes\n", encoding="utf-8")
    else:
        rule_file_2026(there)
    assert resolve(written) == BUNDLED_2025
    assert load(written).id == "tmall-2025"


def test_a_value_with_a_separator_or_ending_in_toml_is_a_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rule_file_2026(tmp_path / "2025")
    (tmp_path / "sub").mkdir()
    rule_file_2026(tmp_path / "sub" / "2025")
    rule_file_2026(tmp_path / "2025.TOML")
    for written in (f".{os.sep}2025", "sub/2025", "2025.TOML", str(tmp_path / "2025")):
        assert resolve(written) == Path(written), written
        assert load(written).id == "tmall-2026", written
    # a path that is not there is a missing file, never taken for the id
    with pytest.raises(RuleSetError) as missing:
        resolve("elsewhere/2025")
    assert missing.value.key == "not_found"
    # a name that is no bundled id is still looked for as a file
    rule_file_2026(tmp_path / "mine")
    assert load("mine").id == "tmall-2026"


def test_what_was_passed_over_is_a_rule_file_of_that_name_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rule_file_2026(tmp_path / "2025")
    (tmp_path / "tmall-2023").mkdir()
    assert passed_over("2025") == Path("2025")
    assert passed_over("tmall-2023") is None  # a folder is no rule file: nothing to say
    assert passed_over(f".{os.sep}2025") is None  # a path: the file itself was used
    assert passed_over("2024") is None and passed_over(None) is None


def test_check_says_which_was_used_and_how_to_name_the_file(tmp_path: Path) -> None:
    rule_file_2026(tmp_path / "2025")
    bundled = renewal(
        "check", CSV, "--rules", "2025", "--as-of", "2024-12-31", "-f", "json", "-q",
        "--lang", "en", cwd=tmp_path,
    )  # fmt: skip
    assert json.loads(bundled.stdout)["ruleset"]["id"] == "tmall-2025", bundled.stderr
    assert bundled.stderr.strip() == (
        "renewal: --rules 2025 is the bundled rule set tmall-2025, not the file 2025 in this "
        f"directory; to use the file, write --rules .{os.sep}2025"
    )
    mine = renewal(
        "check", CSV, "--rules", f".{os.sep}2025", "--as-of", "2025-12-27", "-f", "json",
        "-q", cwd=tmp_path,
    )  # fmt: skip
    assert json.loads(mine.stdout)["ruleset"]["id"] == "tmall-2026", mine.stderr
    assert mine.stderr == ""


# --- a year with no bundled set, an empty value, a device (#9) ---------------------------


@pytest.mark.parametrize("written", ["2026", "tmall-2026", "TMALL-2026"])
@pytest.mark.parametrize("saved_as", ["tmall-2026.toml", "2026.toml"])
def test_an_unknown_year_points_at_the_rule_file_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, saved_as: str
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnknownRuleSet) as alone:
        resolve(written)
    assert alone.value.message("zh").startswith(f"没有规则集 {written}（未找到该年度的续签公告）")
    rule_file_2026(tmp_path / saved_as)
    with pytest.raises(UnknownRuleSet) as beside:
        resolve(written)
    local = f".{os.sep}{saved_as}"
    assert beside.value.message("en") == (
        f"No bundled rule set {written}; did you mean the rule file in this directory: "
        f"--rules {local}?"
    )
    assert beside.value.message("zh") == (
        f"没有内置规则集 {written}；是不是要用当前目录下的规则文件：--rules {local}？"
    )


def test_the_unknown_year_s_hint_on_the_command_line(tmp_path: Path) -> None:
    rule_file_2026(tmp_path / "tmall-2026.toml")
    line = one_line(renewal("check", CSV, "--rules", "2026", "--lang", "en", cwd=tmp_path))
    assert line.endswith(
        f"did you mean the rule file in this directory: --rules .{os.sep}tmall-2026.toml?"
    )


@pytest.mark.parametrize(
    "command",
    [
        ["check", str(CSV)],
        ["remind", str(CSV)],
        ["self-check", str(CSV), "--all"],
        ["rules"],
        ["explain", "DP01"],
        ["template", "blank.xlsx"],
    ],
)
@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "renewal: --rules is empty (an unset variable in a script?)"),
        ("zh", "renewal: --rules 为空（脚本中的变量没有设置？）"),
    ],
)
def test_an_empty_rules_is_refused_by_every_command(
    tmp_path: Path, command: list[str], lang: str, said: str
) -> None:
    """`--rules "$RULES"` with RULES unset: refused, never the default year (check) nor the
    working directory (rules)."""
    line = one_line(renewal(*command, "--rules", "", "--lang", lang, cwd=tmp_path))
    assert line.startswith(said), line
    assert not (tmp_path / "blank.xlsx").exists()


def test_a_device_is_no_regular_file() -> None:
    with pytest.raises(RuleSetError) as device:
        resolve("/dev/null")
    assert (
        device.value.message("en")
        == "/dev/null: not a regular file (a device, a pipe …), so not a rule file"
    )
    with pytest.raises(CatalogProblem, match="^/dev/null：不是普通文件"):
        validated("/dev/null", "zh")
    line = one_line(renewal("check", CSV, "--rules", "/dev/null", "--lang", "en"))
    assert line == (
        "renewal: rule set error: /dev/null: not a regular file (a device, a pipe …), so "
        "not a rule file"
    )


# --- validate-rules takes files, and says so (#9) ----------------------------------------


def test_validate_rules_suggests_no_bundled_id_it_would_refuse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate-rules checks the file the user wrote: a directory is told to give a .toml
    file (not a bundled id, which validate-rules does not take); a bundled id with no file
    of its name is told where the bundled set is shown; a file named like one is that file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    with pytest.raises(CatalogProblem) as folder:
        validated("drafts", "en")
    assert (
        str(folder.value)
        == "drafts: a directory, not a rule file; give the path of a .toml rule file"
    )
    with pytest.raises(CatalogProblem) as folder_zh:
        validated("drafts", "zh")
    assert "ID" not in str(folder_zh.value) and str(folder_zh.value).startswith("drafts：是目录")
    with pytest.raises(CatalogProblem) as bundled:
        validated("2025", "en")
    assert str(bundled.value) == (
        "2025: rule set file not found (validate-rules checks the rule files you write; the "
        "bundled rule set tmall-2025 was checked when shipped: renewal rules --rules "
        "tmall-2025 shows it)"
    )
    rule_file_2026(tmp_path / "2025")
    assert validated("2025", "en")[0] == "ok 2025 (tmall-2026, 8 rules)"
    with pytest.raises(CatalogProblem, match="^the rule file's path is empty$"):
        validated("", "en")


# --- the year's [cycle] in `renewal rules` and `renewal explain` (#4) --------------------


def test_rules_json_starts_with_the_cycle_and_its_quote_source_and_mark(tmp_path: Path) -> None:
    path = rule_file_2026(tmp_path / "tmall-2026.toml")
    run = renewal("rules", "--rules", path, "--format", "json", "--lang", "en")
    assert run.returncode == 0, run.stderr
    rows = json.loads(run.stdout)
    cycle = rows[0]
    assert (cycle["code"], cycle["role"]) == ("cycle", "cycle")
    assert rows[1]["code"] == "SC01"
    params = cycle["params"]
    assert params["window_opens"] == "2025-11-19T12:00:00+08:00"
    assert params["window_closes"] == "2025-12-26T18:00:00+08:00"
    assert params["terminates_at"] == "2026-01-01T00:00:00+08:00"
    assert params["contract_year_ends"] == "2027-01-01T00:00:00+08:00"
    assert (params["exit_from"], params["supervision"]) == ("2026-01", True)
    written = load(str(path)).cycle
    assert cycle["quote"] == written.quote and cycle["mark"] == "sourced"
    assert params["missed"]["quote"] == written.missed.quote  # type: ignore[union-attr]
    assert cycle["source"]["id"] == "announcement"
    assert cycle["source"]["url"] == "https://www.maijiaw.com/article/503372"
    assert cycle["brief"][:3] == [
        "window 2025-11-19 12:00 → 2025-12-26 18:00 (the deadline; both ends included)",
        "old contracts terminate 2026-01-01 00:00 (2025-12-31 24时)",
        "new contract year ends 2027-01-01 00:00 (2026-12-31 24时)",
    ]
    assert (
        "deadline missed: the store is put under supervision (监管), its exit assisted from 2026-01"
        in cycle["brief"]
    )


@pytest.mark.parametrize("columns", [250, 80])
def test_rules_shows_the_cycle_above_the_rules(tmp_path: Path, columns: int) -> None:
    """On a wide terminal (a table) and a narrow one (a block per rule) alike."""
    path = rule_file_2026(tmp_path / "tmall-2026.toml")
    run = renewal("rules", "--rules", path, columns=columns)
    assert run.returncode == 0, run.stderr
    flat = "".join(line.strip(" │") for line in run.stdout.splitlines())
    window = flat.find("续签期 2025-11-19 12:00 → 2025-12-26 18:00")
    assert 0 <= window < flat.find("SC01"), run.stdout
    assert "旧合同终止 2026-01-01 00:00（2025-12-31 24时）" in flat
    assert "本次续签预计将于2025年11月19日12时开始" in flat  # the cycle's own quote


@pytest.mark.parametrize("written", ["cycle", "CYCLE"])
def test_explain_cycle_gives_each_block_s_quote_source_and_mark(
    tmp_path: Path, written: str
) -> None:
    path = rule_file_2026(tmp_path / "tmall-2026.toml")
    run = renewal("explain", written, "--rules", path, "--lang", "en", columns=400)
    assert run.returncode == 0, run.stderr
    lines = [line.strip() for line in run.stdout.splitlines()]
    assert lines[:2] == ["cycle", "Renewal cycle: the window, its deadline and the termination"]
    assert "In tmall-2026 (Tmall 2026 contract-year renewal)" in lines
    assert "window 2025-11-19 12:00 → 2025-12-26 18:00 (the deadline; both ends included)" in lines
    source = "Source: 天猫2026年度商家续签公告 — https://www.maijiaw.com/article/503372"
    assert lines.count(source) == 2  # the cycle's, and its `missed` block's
    assert lines.count("Mark: sourced") == 2
    assert any(line.startswith("missed ") and "《天猫商户服务协议》" in line for line in lines)
    quotes = [line for line in lines if line.startswith("Quote: 「")]
    assert quotes[0].startswith(
        "Quote: 「本次续签预计将于2025年11月19日12时开始至2025年12月26日18时结束"
    )


def test_explain_lists_cycle_among_what_it_takes() -> None:
    line = one_line(renewal("explain", "XX01", "--lang", "en"))
    assert line.endswith(", LD04, cycle"), line


def test_the_zh_explanation_names_the_nested_block_in_chinese() -> None:
    lines = [text for _, text in cycle_lines(load("tmall-2022"), "zh")]
    assert "逾期后果 《天猫商户服务协议》" in lines
    assert "续签期 2021-11-19 12:00 → 2021-12-26 18:00（截止时间；两端都含）" in lines
    assert "逾期未续签：店铺进入监管状态，2022-01 起协助退出" in lines


@pytest.mark.parametrize(
    "ruleset_id", ["tmall-2019", "tmall-2021", "tmall-2022", "tmall-2023", "tmall-2025"]
)
def test_every_key_of_every_bundled_cycle_is_in_the_catalogue(ruleset_id: str) -> None:
    ruleset = load(ruleset_id)
    row = rule_rows(ruleset, "en")[0]
    assert row["role"] == catalog.CYCLE
    assert set(row["params"]) == set(Cycle.model_fields) - set(Clause.model_fields)
    assert row["mark"] == ruleset.cycle.mark.value and row["quote"] == ruleset.cycle.quote
    assert rule_explanations(ruleset, "en")["cycle"]["title"] == row["title"]  # the HTML report


def test_a_cycle_key_without_words_is_shown_by_its_name() -> None:
    """A key added to [cycle] later is shown, not left out of the review."""

    class LaterCycle(Cycle):
        grace_days: int

    cycle = load("tmall-2022").cycle
    later = LaterCycle.model_validate({**cycle.model_dump(), "grace_days": 3})
    assert cycle_brief(later, "en")[-1] == "grace_days: 3"
    assert cycle_brief(cycle, "en")[-1].startswith("the agreement that terminates: ")
