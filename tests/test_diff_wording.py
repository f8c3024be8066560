"""How `renewal diff` words a changed finding, and how it counts warnings.

A finding is named by its rule code and a neutral name of what the rule looks at (the rule
file's label; a blocker as the blocker it is), never by its title: a title states the
passing condition, so after "pass → warning" it reads as the opposite of what happened. A
warning is not a failure: the summary line (all that `check --baseline` prints) and the
sections count and list warnings apart, while the JSON keeps its keys and adds the counts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row, write_csv

from renewal.catalog import LOAD_DOCS, NAMES, find
from renewal.checks import REGISTRY, Role
from renewal.diff import compare, render_markdown, rule_name, summary_line
from renewal.readback import LoadedReport, MerchantRecord
from renewal.ruleset import bundled_ids, load

RULES = ["--rules", "tmall-2022", "--as-of", "2021-12-20", "--fail-on", "never"]
"""tmall-2022 before its deadline: a store flagged 考核不达标 gets an AS02 warning."""

FLAGGED = "考核不达标"
HEADER = [*EXPORT_HEADER, FLAGGED]


def row(merchant_id: str, flagged: str = "否", fee_paid: str = "60000", signed: bool = True):
    """A renewed 旗舰店 (`renewed_row`), its assessment flag, fee paid and signing as given."""
    cells = [*renewed_row(merchant_id), flagged]
    cells[EXPORT_HEADER.index("年费已缴")] = fee_paid
    if not signed:
        cells[EXPORT_HEADER.index("协议签署时间")] = ""
    return cells


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two nights of Chinese reports (the default, so a nightly job's) and an English one.
    Night 2: m1 is now flagged 考核不达标 (AS02 pass → warning) and has paid only half its
    fee (AF01 pass → fail); m2 is flagged both nights (a warning still open); m3 has not
    signed either night (DL02 still failing)."""
    tmp = tmp_path_factory.mktemp("wording")
    night1 = [row("m1"), row("m2", "是"), row("m3", signed=False)]
    night2 = [row("m1", "是", "30000"), row("m2", "是"), row("m3", signed=False)]
    reports = {}
    for name, rows, lang in (
        ("zh1", night1, "zh"),
        ("zh2", night2, "zh"),
        ("en1", night1, "en"),
        ("en2", night2, "en"),
    ):
        export = write_csv(tmp / f"{name}.csv", HEADER, rows)
        out = tmp / f"{name}.json"
        ran = renewal("check", export, *RULES, "--lang", lang, "-q", "-o", out)
        assert ran.returncode == 0, ran.stderr
        reports[name] = out
    return reports


def lines_of(text: str, merchant: str, rule: str) -> list[str]:
    return [line for line in text.splitlines() if f"{merchant}` {rule}" in line]


def titles(lang: str) -> list[str]:
    """Every rule's title (its passing condition) in `lang`, as the diff used to show it."""
    codes = [*REGISTRY, *LOAD_DOCS]
    return [entry.title(lang).rstrip(".") for code in codes if (entry := find(code))]


# --- the name of a changed finding ------------------------------------------------------------


def test_chinese_reports_read_in_english_name_the_rule_and_quote_the_report(nights):
    """The tester's case: a nightly job's Chinese reports diffed with --lang en. Each
    finding is its code and what the rule looks at, then the report's words, quoted and
    said to be Chinese: never the rule's title, which states the passing condition."""
    ran = renewal("diff", nights["zh1"], nights["zh2"], "--lang", "en", "-f", "markdown")
    assert ran.returncode == 1, ran.stderr
    text = ran.stdout
    (fee,) = lines_of(text, "m1", "AF01")
    assert fee.startswith(
        '- `m1` AF01 (Annual fee payment) pass → fail: as the report says, in Chinese: "2022年度'
    )
    (warned,) = lines_of(text, "m1", "AS02")
    assert warned.startswith(
        "- `m1` AS02 (merchant assessment (经营考核)) pass → warning: "
        'as the report says, in Chinese: "「考核不达标」为是'
    )
    (unsigned,) = lines_of(text, "m3", "DL02")
    assert unsigned.startswith("- `m3` DL02 (Agreement signing) fail: as the report says, in C")
    for title in titles("en"):
        assert title not in text, title


def test_chinese_reports_in_chinese_name_the_rule_and_keep_the_words(nights):
    ran = renewal("diff", nights["zh1"], nights["zh2"], "-f", "markdown")
    text = ran.stdout
    (fee,) = lines_of(text, "m1", "AF01")
    assert fee == (
        "- `m1` AF01（缴纳年费）通过 → 未通过：2022年度软件服务年费已缴 ¥30,000，"
        "应缴 ¥60,000，尚差 ¥30,000"
    )
    (warned,) = lines_of(text, "m1", "AS02")
    assert warned.startswith("- `m1` AS02（经营考核）通过 → 警告：「考核不达标」为是")
    (unsigned,) = lines_of(text, "m3", "DL02")
    assert unsigned.startswith("- `m3` DL02（签署协议）未通过：尚未签署协议")
    for title in titles("zh"):
        assert title not in text, title


def test_english_reports_in_english_name_the_rule_and_keep_the_words(nights):
    ran = renewal("diff", nights["en1"], nights["en2"], "--lang", "en", "-f", "markdown")
    text = ran.stdout
    (fee,) = lines_of(text, "m1", "AF01")
    assert fee.startswith("- `m1` AF01 (Annual fee payment) pass → fail: ")
    assert "as the report says" not in text and not re.search(r"[\u4e00-\u9fff]{6}", fee)
    for title in titles("en"):
        assert title not in text, title


def test_english_reports_in_chinese_quote_the_report(nights):
    text = renewal("diff", nights["en1"], nights["en2"], "-f", "markdown").stdout
    (fee,) = lines_of(text, "m1", "AF01")
    assert fee.startswith("- `m1` AF01（缴纳年费）通过 → 未通过：报告原文（英文）：「")
    assert fee.endswith("」")


def test_the_table_names_a_finding_as_the_markdown_does(nights):
    table = renewal("diff", nights["zh1"], nights["zh2"], "--lang", "en", columns=400).stdout
    assert 'AF01 (Annual fee payment) pass → fail: as the report says, in Chinese: "' in table
    assert "AS02 (merchant assessment (经营考核)) pass → warning: as the report says" in table
    for title in titles("en"):
        assert title not in table, title


def said(lang: str | None, ruleset: str | None, **findings: tuple[str, str]) -> LoadedReport:
    """A one-merchant report in `lang` (None: JSON Lines, no header) made under `ruleset`:
    `findings` as rule=(status, message)."""
    statuses = {rule: status for rule, (status, _) in findings.items()}
    messages = {rule: message for rule, (status, message) in findings.items() if status != "pass"}
    record = MerchantRecord("m", "商家", 2, None, "pending", 0.0, statuses, messages)
    header: dict[str, Any] = {}
    if lang is not None:
        header = {"lang": lang, "ruleset": {"id": ruleset}}
    return LoadedReport(f"{lang}.json", header, [record])


def test_a_blocker_is_named_as_the_blocker_it_is():
    """A blocker's label names the state that stops renewal (考核不达标): said as the
    blocker, so that "pass" reads as "not blocked", in both languages."""
    old = said("zh", "tmall-2023", BL01=("pass", ""))
    new = said("zh", "tmall-2023", BL01=("warn", "考核不达标，但导出显示……"))
    english = render_markdown(compare(old, new), "en")
    assert (
        "- `m` BL01 (blocker: failing the merchant assessment) pass → warning: as the report "
        'says, in Chinese: "考核不达标，但导出显示……"\n'
    ) in english
    chinese = render_markdown(compare(old, new), "zh")
    assert "- `m` BL01（续签限制：考核不达标）通过 → 警告：考核不达标，但导出显示……\n" in chinese
    fixed = render_markdown(compare(new, old), "en")
    assert (
        "- `m` BL01 (blocker: failing the merchant assessment) warning → pass (last time: as "
        'the report says, in Chinese: "考核不达标，但导出显示……")\n'
    ) in fixed


def test_the_name_is_the_label_of_the_reports_own_year():
    """2025 calls the flag 考核不合格: a 2025 report is named in its own year's words."""
    old = said("zh", "tmall-2025", BL01=("pass", ""))
    new = said("zh", "tmall-2025", BL01=("fail", "考核不合格：清除前无法完成续签"))
    assert "BL01（续签限制：考核不合格）通过 → 未通过" in render_markdown(compare(old, new), "zh")


def test_a_report_without_a_header_is_named_and_quoted_without_a_language():
    """JSON Lines names neither its rule set nor its language: the names come from the
    catalogue and the bundled rule files, and the words are quoted as the report's."""
    old = said(None, None, LD03=("error", "商家ID m 重复"), DP01=("pass", ""))
    new = said(None, None, LD03=("error", "商家ID m 重复"), DP01=("fail", "保证金尚差 ¥1"))
    text = render_markdown(compare(old, new), "en")
    assert '- `m` DP01 (Deposit top-up) pass → fail: as the report says: "保证金尚差 ¥1"\n' in text
    assert (
        '- `m` LD03 (Merchant id uniqueness) error: as the report says: "商家ID m 重复"\n' in text
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_rule_of_every_year_has_a_name_that_is_not_its_title(lang):
    """Each code a bundled rule set runs, and each load problem, is named: by the rule
    file's label, or the catalogue's name for a rule without one; never by its title."""
    for ruleset_id in bundled_ids():
        for code in [*load(ruleset_id).rules, *LOAD_DOCS]:
            name = rule_name(code, lang, ruleset_id)
            entry = find(code)
            assert name and entry is not None, (ruleset_id, code)
            assert entry.title(lang).rstrip(".") not in name, (ruleset_id, code, name)
            if REGISTRY.get(code) is not None and REGISTRY[code].role == Role.BLOCKER:
                assert name.startswith("blocker: " if lang == "en" else "续签限制："), name
    # the catalogue names only what no rule file labels: a label is the year's, and data
    labelled = {
        code
        for ruleset_id in bundled_ids()
        for code, params in load(ruleset_id).rules.items()
        if getattr(params, "label", None)
    }
    assert not labelled & set(NAMES)


# --- warnings apart -----------------------------------------------------------------------


def test_the_summary_counts_warnings_apart_in_both_languages(nights):
    """m1's new AS02 warning is not a failure, nor m2's AS02 warning still open."""
    english = renewal("diff", nights["zh1"], nights["zh2"], "--lang", "en", "-f", "markdown")
    assert english.stdout.splitlines()[4] == (
        "Something got worse: 1 newly failing, 1 new warning, 1 outcome worse,"
        " 0 added merchants failed or in error, 1 owes more; 0 fixed, 0 outcomes better,"
        " 0 owe less; 0 merchants added, 0 gone; 1 still failing, 1 warning still open"
    )
    chinese = renewal("diff", nights["zh1"], nights["zh2"], "-f", "markdown")
    assert chinese.stdout.splitlines()[4] == (
        "有变差：新增失败 1 项，新增警告 1 项，结果变差 1 家，新加入商家中失败/错误 0 家，"
        "欠款增加 1 家；修复 0 项，结果变好 0 家，欠款减少 0 家；新增商家 0 家，消失商家 0 家；"
        "仍失败 1 项，仍有警告 1 项"
    )


def section(text: str, title: str) -> list[str]:
    """The bullet lines under a Markdown heading."""
    body = text.split(f"### {title}\n\n", 1)[1]
    return body.split("\n\n", 1)[0].splitlines()


def test_warnings_are_listed_apart_from_failures(nights):
    text = renewal("diff", nights["zh1"], nights["zh2"], "--lang", "en", "-f", "markdown").stdout
    assert [line[:14] for line in section(text, "Newly failing (1)")] == ["- `m1` AF01 (A"]
    assert [line[:14] for line in section(text, "New warnings (1)")] == ["- `m1` AS02 (m"]
    still = section(text, "Still failing (1 in all, a sample)")
    assert [line[:14] for line in still] == ["- `m3` DL02 (A"]
    open_ = section(text, "Warnings still open (1 in all, a sample)")
    assert [line[:14] for line in open_] == ["- `m2` AS02 (m"]
    table = renewal("diff", nights["zh1"], nights["zh2"], columns=400).stdout
    assert "新增失败 (1)" in table and "新增警告 (1)" in table
    assert "仍失败（共 1 项，示例）" in table and "仍有警告（共 1 项，示例）" in table


def test_the_json_keeps_its_keys_and_adds_the_warnings(nights):
    ran = renewal("diff", nights["zh1"], nights["zh2"], "-f", "json")
    diff = json.loads(ran.stdout)
    # as before: every finding failing, in error or warned, the warnings among them
    assert [(i["merchant_id"], i["rule"], i["to"]) for i in diff["newly_failing"]] == [
        ("m1", "AF01", "fail"),
        ("m1", "AS02", "warn"),
    ]
    assert diff["still_failing"]["count"] == 2
    assert diff["counts"]["newly_failing"] == 2 and diff["counts"]["still_failing"] == 2
    # added: how many of those are warnings, and a sample of the ones still open
    assert diff["counts"]["newly_warned"] == 1 and diff["counts"]["still_warned"] == 1
    assert diff["still_warned"]["count"] == 1
    assert [(i["merchant_id"], i["rule"]) for i in diff["still_warned"]["sample"]] == [
        ("m2", "AS02")
    ]


def test_a_warning_changed_to_a_failure_is_listed_as_failing():
    """Grouped by tonight's status: warning → fail is still failing, fail → warning is a
    warning still open."""
    old = said("en", "tmall-2023", QL01=("warn", "expires"), DP01=("fail", "short"))
    new = said("en", "tmall-2023", QL01=("fail", "expired"), DP01=("warn", "in doubt"))
    diff = compare(old, new)
    assert diff["counts"]["still_failing"] == 2 and diff["counts"]["still_warned"] == 1
    text = render_markdown(diff, "en")
    assert section(text, "Still failing (1 in all, a sample)") == [
        "- `m` QL01 (Qualification validity) warning → fail: expired"
    ]
    assert section(text, "Warnings still open (1 in all, a sample)") == [
        "- `m` DP01 (Deposit top-up) fail → warning: in doubt"
    ]
    assert summary_line(diff, "en").endswith("; 1 still failing, 1 warning still open")


def test_the_nightly_gate_says_a_new_warning_is_a_warning(nights, tmp_path):
    """`check --baseline` prints the summary line alone: it must tell a warning from a
    failure, since it is all the page says."""
    export = write_csv(
        tmp_path / "tonight.csv",
        HEADER,
        [row("m1", "是"), row("m2", "是"), row("m3", signed=False)],
    )
    ran = renewal(
        "check", export, *RULES[:4], "--baseline", nights["zh1"], "--fail-on", "new",
        "--lang", "en", "-o", tmp_path / "tonight.json",
    )  # fmt: skip
    assert ran.returncode == 1, ran.stderr
    (summary,) = [line for line in ran.stderr.splitlines() if "got worse" in line]
    assert "0 newly failing, 1 new warning," in summary
    assert summary.endswith("; 1 still failing, 1 warning still open")
