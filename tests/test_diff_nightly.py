"""What changed since last night, where the two nights do not line up: another rule year,
a JSON Lines report (no header), an id that becomes or stops being duplicated, reports in
two languages, and files that are not renewal reports of a schema this version reads."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import EXPORT_HEADER, ROOT, XLSX, renewal, renewed_row

from renewal import readback
from renewal.diff import compare, render_markdown
from renewal.readback import LoadedReport, MerchantRecord
from renewal.report import SCHEMA

BEFORE_DEADLINE = ["--as-of", "2021-12-20"]  # tmall-2022's window closes 2021-12-26 18:00
NEXT_YEAR = ["--as-of", "2022-12-20"]  # inside tmall-2023's window
NEVER = ["--fail-on", "never"]
AGREEMENT = EXPORT_HEADER.index("协议签署时间")


def export(path: Path, *rows: list[object]) -> Path:
    lines = [",".join(EXPORT_HEADER)] + [",".join(map(str, row)) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def unsigned(merchant_id: str) -> list[object]:
    """A merchant that has not signed the agreement: pending (DL02 fail) before the deadline."""
    row = renewed_row(merchant_id)
    row[AGREEMENT] = ""
    return row


def report(tmp: Path, name: str, source: Path, *options: str) -> Path:
    out = tmp / name
    ran = renewal("check", source, *options, *NEVER, "-q", "-o", out)
    assert ran.returncode == 0, ran.stderr
    return out


def diff_json(old: Path, new: Path, *options: str) -> tuple[int, dict[str, Any]]:
    ran = renewal("diff", old, new, "-f", "json", *options)
    assert ran.returncode in (0, 1), ran.stderr
    return ran.returncode, json.loads(ran.stdout)


# --- the nightly run against a baseline of another rule year ---------------------------------


@pytest.fixture
def year_boundary(tmp_path: Path) -> tuple[Path, Path]:
    """Last night's report made under tmall-2022, chosen by the as-of as a job that pins no
    --rules chooses it, and the same export, which tonight falls under tmall-2023."""
    source = export(tmp_path / "export.csv", renewed_row("m1"), renewed_row("m2"), unsigned("m3"))
    return report(tmp_path, "last.json", source, *BEFORE_DEADLINE), source


def test_a_baseline_of_another_rule_year_is_said_and_is_a_new_start(year_boundary):
    last, source = year_boundary
    # no -o: the run diffs a scratch JSON Lines report, which has no header of its own
    ran = renewal("check", source, *NEXT_YEAR, "--baseline", last, "--fail-on", "new")
    assert ran.returncode == 0, ran.stderr
    err = ran.stderr.splitlines()
    assert err[0] == "renewal: 注意：两份报告的规则集或工具版本不同，差异可能来自规则变化"
    assert "renewal: 规则集：tmall-2022 → tmall-2023" in err
    summary = next(line for line in err if "新增失败" in line)
    assert summary.startswith("renewal: 有变差")  # the diff still says what it saw …
    assert err[-1].startswith("renewal: 基准报告的规则集为 tmall-2022，本次为 tmall-2023")
    assert "--fail-on new 不因此失败" in err[-1]  # … and why it does not page on it
    # `renewal diff` of the same two nights still exits 1: it is a diff, not a gate
    tonight = report(source.parent, "tonight.json", source, *NEXT_YEAR)
    assert renewal("diff", last, tonight).returncode == 1


def test_the_rule_year_notice_is_said_even_quiet_and_in_english(year_boundary, tmp_path):
    last, source = year_boundary
    out = tmp_path / "tonight.jsonl"
    ran = renewal(
        "check", source, *NEXT_YEAR, "--baseline", last, "--fail-on", "new", "-q", "--lang", "en",
        "-o", out,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    err = ran.stderr
    assert "renewal: rule set: tmall-2022 → tmall-2023" in err
    assert "--fail-on new does not fail on them" in err
    assert "newly failing" not in err  # --quiet drops the summary line, not the notices


def test_a_rule_file_changed_under_the_same_id_is_said_and_still_counted(tmp_path):
    source = export(tmp_path / "a.csv", renewed_row("m1"), renewed_row("m2"))
    last = report(tmp_path, "last.json", source, "--rules", "tmall-2022", *BEFORE_DEADLINE)
    edited = tmp_path / "my-2022.toml"
    shutil.copyfile(ROOT / "rules" / "tmall-2022.toml", edited)
    with edited.open("a", encoding="utf-8") as rules:
        rules.write("# a local copy\n")
    tonight = export(tmp_path / "b.csv", renewed_row("m1"), unsigned("m2"))
    ran = renewal(
        "check", tonight, "--rules", edited, *BEFORE_DEADLINE, "--baseline", last,
        "--fail-on", "new",
    )  # fmt: skip
    assert ran.returncode == 1, ran.stderr  # m2 newly fails DL02: news, rule file or not
    assert "renewal: 规则文件 sha256：" in ran.stderr
    assert "规则集：" not in ran.stderr and "本次报告是新的起点" not in ran.stderr


# --- JSON Lines: no header, no end -----------------------------------------------------------


def test_a_json_lines_baseline_is_flagged_even_quiet(tmp_path):
    source = export(tmp_path / "a.csv", renewed_row("m1"), unsigned("m2"))
    last = report(tmp_path, "last.jsonl", source, *BEFORE_DEADLINE)
    ran = renewal("check", source, *BEFORE_DEADLINE, "--baseline", last, "--fail-on", "new", "-q")
    assert ran.returncode == 0, ran.stderr
    (line,) = ran.stderr.splitlines()
    assert line.startswith("renewal: 注意：last.jsonl 是 JSON Lines 报告，没有报告头")
    assert "规则集" in line and "截断" in line


def test_a_json_lines_copy_cut_at_a_line_end_is_flagged(tmp_path):
    source = export(tmp_path / "a.csv", renewed_row("m1"), unsigned("m2"), renewed_row("m3"))
    full = report(tmp_path, "full.jsonl", source, *BEFORE_DEADLINE)
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"".join(full.read_bytes().splitlines(keepends=True)[:2]))
    code, diff = diff_json(full, cut)
    assert code == 0 and [m["merchant_id"] for m in diff["gone"]] == ["m3"]
    assert diff["caveats"] == [
        {"code": "no_header", "side": "old", "file": "full.jsonl"},
        {"code": "no_header", "side": "new", "file": "cut.jsonl"},
    ]
    table = renewal("diff", full, cut, "--lang", "en").stdout
    assert table.splitlines()[1].startswith("Note: full.jsonl is a JSON Lines report, which")
    top = " ".join(table.split("Nothing got worse")[0].split())  # the notices, unwrapped
    assert "Note: cut.jsonl is a JSON Lines report, which has no header" in top
    assert "nor whether the file was cut short at the end of a line" in top
    markdown = renewal("diff", full, cut, "-f", "markdown").stdout
    assert "> ⚠️ 注意：cut.jsonl 是 JSON Lines 报告，没有报告头" in markdown
    # JSON on stdout is for a program: a person running it reads the notices on stderr
    ran = renewal("diff", full, cut, "-f", "json")
    notes = ran.stderr.splitlines()
    assert len(notes) == 2
    assert notes[0].startswith("renewal: 注意：full.jsonl 是 JSON Lines 报告，没有报告头")
    assert notes[1].startswith("renewal: 注意：cut.jsonl 是 JSON Lines 报告，没有报告头")
    whole = report(tmp_path, "full.json", source, *BEFORE_DEADLINE)
    assert renewal("diff", whole, whole, "-f", "json").stderr == ""


def test_a_json_lines_copy_cut_inside_its_last_line_is_refused(tmp_path):
    source = export(tmp_path / "a.csv", renewed_row("m1"), unsigned("m2"))
    full = report(tmp_path, "full.jsonl", source, *BEFORE_DEADLINE)
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(full.read_bytes()[:-1])  # the last line parses, but has no line end
    for args in (("diff", cut, full), ("diff", full, cut)):
        ran = renewal(*args, "--lang", "en")
        assert ran.returncode == 2
        assert ran.stderr.splitlines() == [
            f"renewal: {cut}: the last line (line 2) has no line end; the file may be cut short"
        ]
    ran = renewal("check", source, *BEFORE_DEADLINE, "--baseline", cut, "--fail-on", "new")
    assert ran.returncode == 2 and ran.stderr.strip() == (
        f"renewal: {cut}：最后一行（第 2 行）没有换行，文件可能不完整"
    )


# --- an id that becomes duplicated, and a duplicate resolved ---------------------------------


def test_an_id_pasted_twice_is_its_change_not_a_merchant_gone(tmp_path):
    last = export(
        tmp_path / "last.csv", renewed_row("M001"), renewed_row("DUP1"), renewed_row("DUP1"),
        renewed_row("M002"),
    )  # fmt: skip
    tonight = export(
        tmp_path / "tonight.csv", renewed_row("M001"), renewed_row("M001"), renewed_row("DUP1"),
        renewed_row("M002"),
    )  # fmt: skip
    old = report(tmp_path, "last.json", last, *BEFORE_DEADLINE)
    new = report(tmp_path, "tonight.json", tonight, *BEFORE_DEADLINE)
    code, diff = diff_json(old, new)
    assert code == 1

    def rows(section: str) -> list[tuple[str, str, int]]:
        return [(i["keyed_by"], i["merchant_id"], i["row"]) for i in diff[section]]

    assert [(i["merchant_id"], i["row"], i["from"], i["to"]) for i in diff["outcome_worse"]] == [
        ("M001", 2, "renewed", "error")
    ]
    assert diff["outcome_worse"][0]["keyed_by"] == "duplicate"
    assert [(i["merchant_id"], i["rule"], i["to"]) for i in diff["newly_failing"]] == [
        ("M001", "LD03", "error")
    ]
    assert rows("added") == [("duplicate", "M001", 3)]  # the pasted copy
    # DUP1 resolved: its first row is now the merchant, renewed; the other row is gone
    assert [(i["merchant_id"], i["from"], i["to"]) for i in diff["outcome_better"]] == [
        ("DUP1", "error", "renewed")
    ]
    assert [(i["merchant_id"], i["rule"], i["from"]) for i in diff["fixed"]] == [
        ("DUP1", "LD03", "error")
    ]
    assert rows("gone") == [("duplicate", "DUP1", 4)]
    table = renewal("diff", old, new).stdout
    worse = table.split("结果变差 (1)")[1].split("结果变好")[0]
    assert "tonight.csv 第 2 行（ID M001 重复）" in worse and "已续签 → 数据错误" in worse


def test_pairing_is_by_order_within_an_id():
    def row(merchant_id: str, number: int, outcome: str) -> MerchantRecord:
        return MerchantRecord(merchant_id, "s", number, None, outcome, 0.0, {}, {})

    old = LoadedReport("a.json", {}, [row("x", 2, "renewed"), row("x", 3, "pending")])
    new = LoadedReport("b.json", {}, [row("x", 5, "pending"), row("x", 6, "pending")])
    diff = compare(old, new)
    assert diff["added"] == diff["gone"] == []
    assert [(i["row"], i["from"], i["to"]) for i in diff["outcome_worse"]] == [
        (5, "renewed", "pending")
    ]


# --- a report in the other language ----------------------------------------------------------


def said(code: str, message: str, lang: str | None) -> LoadedReport:
    record = MerchantRecord("m", "s", 2, None, "pending", 0.0, {code: "fail"}, {code: message})
    return LoadedReport(f"{lang}.json", {} if lang is None else {"lang": lang}, [record])


def passed(code: str, lang: str) -> LoadedReport:
    record = MerchantRecord("m", "s", 2, None, "renewed", 0.0, {code: "pass"}, {})
    return LoadedReport(f"{lang}.json", {"lang": lang}, [record])


def test_a_message_in_the_asked_language_stands_as_it_is():
    markdown = render_markdown(
        compare(passed("DL02", "en"), said("DL02", "not signed", "en")), "en"
    )
    assert "- `m` DL02 (Agreement signing) pass → fail: not signed\n" in markdown


@pytest.mark.parametrize(
    ("lang", "source", "line"),
    [
        ("en", "zh", 'DL02 (Agreement signing) pass → fail: as the report says, in Chinese: "尚未签署协议"'),
        ("zh", "en", "DL02（签署协议）通过 → 未通过：报告原文（英文）：「尚未签署协议」"),
        ("en", None, 'DL02 (Agreement signing) pass → fail: as the report says: "尚未签署协议"'),
    ],
)
def test_a_message_in_another_language_is_quoted_after_the_rule_s_name(lang, source, line):
    """The rule is named by what it checks (its label), never by its title, which states
    the passing condition and so read as the opposite after "pass → fail" (ex24)."""
    new = said("DL02", "尚未签署协议", source)
    old = passed("DL02", source or "zh")
    markdown = render_markdown(compare(old, new), lang)
    assert f"- `m` {line}\n" in markdown


def test_diffing_a_chinese_report_in_english_quotes_every_chinese_message(tmp_path):
    source = export(tmp_path / "a.csv", renewed_row("m1"), unsigned("m2"))
    zh = report(tmp_path, "zh.json", source, *BEFORE_DEADLINE)
    fixed = export(tmp_path / "b.csv", unsigned("m1"), renewed_row("m2"))
    en = report(tmp_path, "en.json", fixed, *BEFORE_DEADLINE, "--lang", "en")
    _, diff = diff_json(zh, en)
    assert [(i["merchant_id"], i["message_lang"]) for i in diff["fixed"]] == [("m2", "zh")]
    assert [(i["merchant_id"], i["message_lang"]) for i in diff["newly_failing"]] == [("m1", "en")]
    assert diff["old"]["lang"] == "zh" and diff["new"]["lang"] == "en"
    markdown = renewal("diff", zh, en, "-f", "markdown", "--lang", "en").stdout
    (fixed_line,) = [line for line in markdown.splitlines() if line.startswith("- `m2` DL02")]
    assert 'as the report says, in Chinese: "' in fixed_line
    (failing,) = [line for line in markdown.splitlines() if line.startswith("- `m1` DL02")]
    assert "as the report says" not in failing and not re.search(r"[\u4e00-\u9fff]{4}", failing)


# --- the summary's outcomes; files that are not reports ---------------------------------------


def test_waived_is_counted_in_every_summary(tmp_path):
    source = export(tmp_path / "a.csv", renewed_row("m1"), unsigned("m2"))
    ran = renewal("check", source, *BEFORE_DEADLINE, *NEVER, "-f", "json")
    outcomes = json.loads(ran.stdout)["summary"]["outcomes"]
    assert list(outcomes) == ["error", "failed", "pending", "waived", "renewed", "exempt"]
    assert outcomes["waived"] == 0 and outcomes["pending"] == 1
    old = report(tmp_path, "r.json", source, *BEFORE_DEADLINE)
    _, diff = diff_json(old, old)
    assert diff["totals"]["old"]["outcomes"]["waived"] == 0
    assert list(diff["totals"]["new"]["outcomes"]) == list(outcomes)


def test_this_version_reads_the_schema_it_writes():
    assert SCHEMA in readback.REPORT_SCHEMAS


def _first_line(report_bytes: bytes, edit: Any) -> bytes:
    """The streamed layout (header on line 1) with its header edited."""
    first, rest = report_bytes.split(b"\n", 1)
    header = orjson.loads(first.removesuffix(b',"merchants":[') + b"}")
    edit(header)
    return orjson.dumps(header)[:-1] + b',"merchants":[\n' + rest


@pytest.mark.parametrize(
    ("name", "make", "said"),
    [
        ("empty-list.json", lambda r: b"[]\n", "not a renewal report (a bare JSON list"),
        (
            "merchant-list.json",
            lambda r: orjson.dumps(orjson.loads(r)["merchants"]),
            "not a renewal report (a bare JSON list",
        ),
        (
            "schema2.json",
            lambda r: orjson.dumps({**orjson.loads(r), "schema": "renewal-report/2"}),
            'report schema "renewal-report/2" is not one this version reads (renewal-report/1)',
        ),
        (
            "schema2-streamed.json",
            lambda r: _first_line(r, lambda h: h.update(schema="renewal-report/2")),
            'report schema "renewal-report/2" is not one this version reads',
        ),
        (
            "no-schema.json",
            lambda r: orjson.dumps({k: v for k, v in orjson.loads(r).items() if k != "schema"}),
            "not a renewal report (no schema)",
        ),
        (
            "no-schema-streamed.json",
            lambda r: _first_line(r, lambda h: h.pop("schema")),
            "not a renewal report (no schema)",
        ),
    ],
)
def test_a_file_of_no_or_another_schema_is_refused(tmp_path, name, make, said):
    good = report(tmp_path, "good.json", XLSX, "--rules", "tmall-2022", *BEFORE_DEADLINE)
    bad = tmp_path / name
    bad.write_bytes(make(good.read_bytes()))
    for args in ((bad, good), (good, bad)):
        ran = renewal("diff", *args, "--lang", "en")
        assert ran.returncode == 2, ran.stderr
        lines = ran.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"renewal: {bad}: {said}"), ran.stderr
    ran = renewal("check", XLSX, "--rules", "tmall-2022", *BEFORE_DEADLINE, "--baseline", bad)
    assert ran.returncode == 2 and len(ran.stderr.splitlines()) == 1 and name in ran.stderr


def test_the_diff_says_when_each_report_was_evaluated_and_flags_an_old_one_evaluated_later(
    tmp_path,
):
    """A nightly diff names each side's as-of, so a change made only by time passing
    (pending → failed at the deadline) can be told from a change in the data; an old report
    evaluated after the new one (an earlier night re-run) is flagged, since such changes
    then count the wrong way round: in the table, the markdown, the JSON and a --baseline
    check's stderr, in either language."""
    from conftest import XLSX, renewal

    def night(as_of: str, name: str) -> Path:
        out = tmp_path / name
        run = renewal("check", XLSX, "--rules", "tmall-2022", "--as-of", as_of, "-q", "-o", out)
        assert run.returncode in (0, 1), run.stderr
        return out

    before = night("2021-12-26 12:00", "d1.json")
    after = night("2021-12-27 12:00", "d2.json")
    forward = renewal("diff", before, after)
    assert "评估时间：2021-12-26 12:00 → 2021-12-27 12:00（北京时间）" in forward.stdout
    assert "晚于新报告" not in forward.stdout
    backward = renewal("diff", after, before, "-f", "markdown", "--lang", "en")
    assert "Evaluated at: 2021-12-27 12:00 → 2021-12-26 12:00 (Beijing time)" in backward.stdout
    assert "was evaluated at 2021-12-27 12:00, later than the new one" in backward.stdout
    document = json.loads(renewal("diff", after, before, "-f", "json").stdout)
    assert [c["code"] for c in document["caveats"]] == ["as_of_backwards"]
    gate = renewal(
        "check",
        XLSX,
        "--rules",
        "tmall-2022",
        "--as-of",
        "2021-12-26 12:00",
        "--baseline",
        after,
        "--fail-on",
        "new",
        "-q",
        "-o",
        tmp_path / "d3.json",
    )
    assert "旧报告 d2.json 的评估时间 2021-12-27 12:00 晚于新报告的 2021-12-26 12:00" in gate.stderr
