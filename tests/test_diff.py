"""`renewal diff`: two nights of the bundled fixture, the second edited at known cells, must
differ by exactly those edits; plus exit codes, byte-stable JSON, caps and the banner."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest
from conftest import CSV, XLSX, renewal

from renewal.diff import compare, render_markdown
from renewal.readback import LoadedReport, MerchantRecord

MID_WINDOW = ["--rules", "tmall-2022", "--as-of", "2021-12-01 12:00", "--fail-on", "never"]


def check(export: Path, out: Path, *options: str) -> Path:
    result = renewal("check", export, *(options or MID_WINDOW), "-q", "-o", out)
    assert result.returncode == 0, result.stderr
    return out


def edited_night(tmp: Path) -> Path:
    """A copy of the fixture with five known edits, made as a merchant would make them."""
    book = openpyxl.load_workbook(XLSX)
    sheet = book["商家"]
    column = {cell.value: cell.column for cell in sheet[1]}
    rows = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    template = [cell.value for cell in sheet[rows["renewed-all-steps"]]]

    sheet.cell(rows["failed-no-signup"], column["续签报名时间"], datetime(2021, 11, 25, 10, 0))
    sheet.cell(rows["renewed-all-steps"], column["协议签署时间"]).value = None
    sheet.cell(rows["renewed-at-window-open-exactly"], column["年费应缴"], 80000)
    sheet.delete_rows(rows["failed-fee-partial"])
    # the new row goes where the deleted one left a gap, so the rows keyed by (sheet, row)
    # (the duplicate ids and the blank id at the bottom) stay where they were
    at = rows["error-unknown-store-type"] - 1
    sheet.insert_rows(at)
    for index, value in enumerate(template, 1):
        sheet.cell(at, index, value)
    sheet.cell(at, column["商家ID"], "added-no-agreement")
    sheet.cell(at, column["协议签署时间"]).value = None

    path = tmp / "merchants-night2.xlsx"
    book.save(path)
    return path


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("nights")
    night1 = check(XLSX, tmp / "night1.json")
    night2 = check(edited_night(tmp), tmp / "night2.json")
    return night1, night2


def diff_json(old: Path, new: Path, *options: str) -> tuple[int, dict[str, Any]]:
    result = renewal("diff", old, new, "-f", "json", *options)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def ids(items: list[dict[str, Any]]) -> set[str]:
    return {item["merchant_id"] for item in items}


def pairs(items: list[dict[str, Any]]) -> set[tuple[str, str, str | None, str | None]]:
    return {(i["merchant_id"], i["rule"], i["from"], i["to"]) for i in items}


def test_diff_lists_exactly_the_edits(nights):
    code, diff = diff_json(*nights)
    assert code == 1
    assert diff["worse"] is True
    assert ids(diff["added"]) == {"added-no-agreement"}
    assert diff["added"][0]["outcome"] == "pending"
    assert ids(diff["gone"]) == {"failed-fee-partial"}
    assert {(i["merchant_id"], i["from"], i["to"]) for i in diff["outcome_worse"]} == {
        ("renewed-all-steps", "renewed", "pending"),
        ("renewed-at-window-open-exactly", "renewed", "pending"),
    }
    assert {(i["merchant_id"], i["from"], i["to"]) for i in diff["outcome_better"]} == {
        ("failed-no-signup", "pending", "renewed"),
    }
    assert diff["outcome_lateral"] == []
    assert pairs(diff["newly_failing"]) == {
        ("renewed-all-steps", "DL02", "pass", "fail"),
        ("renewed-at-window-open-exactly", "AF01", "pass", "fail"),
    }
    assert pairs(diff["fixed"]) == {("failed-no-signup", "DL01", "fail", "pass")}
    assert {(i["merchant_id"], i["from"], i["to"], i["delta"]) for i in diff["owed_up"]} == {
        ("renewed-at-window-open-exactly", 0.0, 20000.0, 20000.0)
    }
    assert diff["owed_down"] == [] and diff["owed_unknown"] == []
    assert diff["ruleset_changed"] is None
    # night 1 has 35 failing findings; less the gone merchant's AF01 and the fixed DL01
    assert diff["still_failing"]["count"] == 35 - 2
    assert len(diff["still_failing"]["sample"]) == 10
    assert diff["totals"]["old"]["merchants"] == diff["totals"]["new"]["merchants"] == 43


def test_reverse_diff_is_better_only_where_it_should_be(nights):
    night1, night2 = nights
    code, diff = diff_json(night2, night1)
    assert code == 1  # failed-no-signup falls back to pending: worse that way round
    assert ids(diff["outcome_worse"]) == {"failed-no-signup"}
    assert ids(diff["outcome_better"]) == {"renewed-all-steps", "renewed-at-window-open-exactly"}
    assert ids(diff["owed_down"]) == {"renewed-at-window-open-exactly"}
    assert ids(diff["added"]) == {"failed-fee-partial"}


def test_a_report_against_itself_is_empty_and_exits_0(nights):
    night1, _ = nights
    code, diff = diff_json(night1, night1)
    assert code == 0
    assert diff["worse"] is False
    for section in ("added", "gone", "outcome_worse", "outcome_better", "newly_failing", "fixed"):
        assert diff[section] == [], section
    assert diff["still_failing"]["count"] == 35
    assert diff["owed_up"] == diff["owed_down"] == diff["owed_unknown"] == []


def test_json_is_byte_stable(nights):
    first = renewal("diff", *nights, "-f", "json")
    again = renewal("diff", *nights, "-f", "json")
    assert first.stdout.encode() == again.stdout.encode()
    assert list(json.loads(first.stdout))[:6] == [
        "schema",
        "tool",
        "old",
        "new",
        "ruleset_changed",
        "worse",
    ]


def test_jsonl_report_diffs_like_the_json_one(nights, tmp_path):
    night1, night2 = nights
    lines = tmp_path / "night1.jsonl"
    result = renewal("check", XLSX, *MID_WINDOW, "-q", "-o", lines)
    assert result.returncode == 0, result.stderr
    code, from_lines = diff_json(lines, night2)
    _, from_json = diff_json(night1, night2)
    assert code == 1
    for section in ("added", "gone", "outcome_worse", "newly_failing", "fixed", "owed_up"):
        # the same changes; JSON Lines does not say its messages' language
        unsaid = [{**item, "message_lang": None} for item in from_json[section]]
        said = from_json[section] if section != "fixed" else unsaid
        assert from_lines[section] == said, section
    assert from_lines["old"]["ruleset_id"] is None  # no header in JSON Lines
    assert from_lines["ruleset_changed"] is None
    # … and the diff says what it therefore cannot tell
    assert from_lines["caveats"] == [{"code": "no_header", "side": "old", "file": "night1.jsonl"}]
    assert from_json["caveats"] == []


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_a_report_saved_back_with_a_bom_still_diffs(nights, tmp_path, suffix):
    """Notepad on Windows saves UTF-8 with a byte-order mark, which JSON does not allow."""
    night1, night2 = nights
    report = night1
    if suffix == ".jsonl":
        report = tmp_path / "plain.jsonl"
        assert renewal("check", XLSX, *MID_WINDOW, "-q", "-o", report).returncode == 0
    saved = tmp_path / f"saved{suffix}"
    saved.write_bytes(b"\xef\xbb\xbf" + report.read_bytes())
    code, diff = diff_json(saved, night2)
    _, plain = diff_json(report, night2)
    assert code == 1
    for section in ("added", "gone", "outcome_worse", "newly_failing", "fixed", "owed_up"):
        assert diff[section] == plain[section], section


@pytest.mark.parametrize(
    ("name", "content"),
    [("missing.json", None), ("notes.json", b"not json {"), ("other.json", b'{"a": 1}')],
)
def test_unusable_input_is_one_line_exit_2(nights, tmp_path, name, content):
    bad = tmp_path / name
    if content is not None:
        bad.write_bytes(content)
    for args in ((bad, nights[0]), (nights[0], bad)):
        result = renewal("diff", *args)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and name in lines[0], result.stderr


LATIN = re.compile(r"[A-Za-z]{3,}")
"""An English word: what a Chinese message may hold only as a name (JSON, Excel …)."""


@pytest.mark.parametrize(
    ("given", "zh", "en"),
    [
        ("workbook", "这是 Excel 工作簿，不是 renewal 的 JSON 报告", "an Excel workbook, not"),
        ("csv", "不是 renewal 的 JSON 报告：内容不是 JSON", "not a renewal JSON report"),
        ("broken", "不是有效的 JSON：第 2 行第 8 列无法解析", "line 2, column 8"),  # the comma
        ("directory", "无法读取（这是一个目录）", "cannot read (is a directory)"),
        ("missing", "无法读取（没有这个文件或目录）", "(no such file or directory)"),
    ],
)
def test_a_file_that_is_no_report_is_said_to_be_none_in_words(nights, tmp_path, given, zh, en):
    """A workbook, a CSV, broken JSON, a directory or nothing given as a report: said in
    the user's language, never as the JSON decoder's or the system's English."""
    path = {
        "workbook": XLSX,
        "csv": XLSX.with_suffix(".csv"),
        "broken": tmp_path / "broken.json",
        "directory": tmp_path,
        "missing": tmp_path / "none.json",
    }[given]
    (tmp_path / "broken.json").write_text('{"schema": 1,\n  "a": ,}', encoding="utf-8")
    for command in (("diff", nights[0], path), ("check", XLSX, "--baseline", path)):
        chinese = renewal(*command)
        assert chinese.returncode == 2 and "Traceback" not in chinese.stderr
        (line,) = chinese.stderr.splitlines()
        assert zh in line, line
        said = line.removeprefix(f"renewal: {path}")
        names = ("JSON", "Excel", "renewal", "check", "json")
        assert all(word in names for word in LATIN.findall(said)), said
        english = renewal(*command, "--lang", "en")
        assert english.returncode == 2 and en in english.stderr, english.stderr
        for leak in ("surrogates", "unexpected character", "No such file", "Is a directory"):
            assert leak not in chinese.stderr + english.stderr


def test_table_and_markdown_name_the_changes(nights):
    table = renewal("diff", *nights)
    assert table.returncode == 1
    assert "有变差" in table.stdout and "新增失败 (2)" in table.stdout
    assert "renewed-at-window-open-exactly" in table.stdout
    markdown = renewal("diff", *nights, "-f", "markdown", "--lang", "en")
    assert markdown.returncode == 1
    text = markdown.stdout
    assert text.splitlines()[2] == "Evaluated at: 2021-12-01 12:00 → 2021-12-01 12:00 (Beijing time)"
    assert text.splitlines()[4].startswith("Something got worse: 2 newly failing")
    assert "### Merchants gone (1)\n\n- `failed-fee-partial` pending, owes ¥30,000" in text
    assert "- `renewed-all-steps` DL02 (Agreement signing) pass → fail: " in text


def test_the_summary_agrees_with_each_count_and_chinese_names_the_statuses(nights):
    """1 outcome better, 2 outcomes worse; and a finding's statuses in the words of the
    workbook's 明细 sheet (未通过, 错误), not the report's codes, in a Chinese diff."""
    english = renewal("diff", *nights, "-f", "markdown", "--lang", "en").stdout.splitlines()
    assert english[4] == (
        "Something got worse: 2 newly failing, 2 outcomes worse,"
        " 0 added merchants failed or in error, 1 owes more; 1 fixed, 1 outcome better, 0 owe less; 1 merchant added, 1 gone;"
        " 32 still failing, 1 warning still open"
    )
    chinese = renewal("diff", *nights, "-f", "markdown").stdout
    assert chinese.splitlines()[4] == (
        "有变差：新增失败 2 项，结果变差 2 家，新加入商家中失败/错误 0 家，欠款增加 1 家；"
        "修复 1 项，结果变好 1 家，欠款减少 0 家；新增商家 1 家，消失商家 1 家；仍失败 32 项，仍有警告 1 项"
    )
    assert "- `renewed-all-steps` DL02（签署协议）通过 → 未通过：" in chinese
    assert "- `failed-no-signup` DL01（续签报名）未通过 → 通过（上次：" in chinese  # last night's words
    assert " LD02（合同签署时间）错误：" in chinese  # still failing, the same status on both nights
    codes = r"\b[A-Z]{2}\d\d (pass|fail|warn|skip|error|waived)\b|→ (pass|fail|warn|error)\b"
    assert re.search(codes, chinese) is None


def test_a_problem_not_checked_tonight_is_not_fixed(tmp_path):
    """Last night's workbook had the 资质 sheet, tonight's export (the CSV) has none: each
    QL01 warning is now skipped, which is listed as no longer checked, not as fixed."""
    night1 = check(XLSX, tmp_path / "night1.json")
    night2 = check(CSV, tmp_path / "night2.json")
    code, diff = diff_json(night1, night2)
    unchecked = pairs(diff["unchecked"])
    assert unchecked and {(rule, was, now) for _, rule, was, now in unchecked} == {
        ("QL01", "warn", "skip")
    }
    assert not any(item["rule"] == "QL01" for item in diff["fixed"])
    assert diff["counts"]["unchecked"] == len(unchecked)
    markdown = renewal("diff", night1, night2, "-f", "markdown").stdout
    summary = markdown.splitlines()[4]
    assert f"修复 {diff['counts']['fixed']} 项（另有 {len(unchecked)} 项不再检查）" in summary
    assert "### 不再检查" in markdown and "QL01（资质有效期）警告 → 不适用（上次：资质" in markdown


def test_ruleset_changed_banner(tmp_path):
    as_of = ["--as-of", "2022-12-01", "--fail-on", "never"]
    old = check(XLSX, tmp_path / "2022.json", "--rules", "tmall-2022", *as_of)
    new = check(XLSX, tmp_path / "2023.json", "--rules", "tmall-2023", *as_of)
    _, diff = diff_json(old, new)
    assert set(diff["ruleset_changed"]) == {"ruleset_id", "ruleset_sha256"}
    assert diff["ruleset_changed"]["ruleset_id"] == {"old": "tmall-2022", "new": "tmall-2023"}
    table = renewal("diff", old, new, "--lang", "en")
    assert table.stdout.splitlines()[2].startswith("Note: the two reports differ in rule set")
    assert "rule set: tmall-2022 → tmall-2023" in table.stdout
    markdown = renewal("diff", old, new, "-f", "markdown")
    assert "> ⚠️ 注意：两份报告的规则集或工具版本不同" in markdown.stdout


def test_baseline_from_an_older_tool_still_diffs(nights, tmp_path):
    night1, _ = nights
    document = json.loads(night1.read_text(encoding="utf-8"))
    document["tool"]["version"] = "0.0.9"
    del document["summary"]["notes"], document["ruleset"]["selected"], document["ruleset"]["note"]
    old = tmp_path / "old-tool.json"
    old.write_bytes(orjson.dumps(document))
    code, diff = diff_json(old, night1)
    assert code == 0
    assert diff["ruleset_changed"] == {"tool_version": {"old": "0.0.9", "new": "0.1.0"}}
    markdown = renewal("diff", old, night1, "-f", "markdown", "--lang", "en")
    assert "tool version: 0.0.9 → 0.1.0" in markdown.stdout


# --- the comparison itself, on hand-made records ---------------------------------------------


def record(
    merchant_id: str | None,
    row: int,
    outcome: str = "renewed",
    owed: float | None = 0.0,
    shop: str | None = None,
    **statuses: str,
) -> MerchantRecord:
    bad = {rule: f"{rule} {status}" for rule, status in statuses.items() if status != "pass"}
    return MerchantRecord(merchant_id, "商家", row, shop, outcome, owed, dict(statuses), bad)


def report(*records: MerchantRecord) -> LoadedReport:
    return LoadedReport("r.json", {}, list(records))


def test_rows_without_an_id_are_keyed_by_shop_and_occurrence_and_duplicates_by_occurrence():
    old = report(
        record("a", 2),
        record(None, 3, "error", shop="南栀"),
        record(None, 4, "error"),
        record("d", 5, "error"),
    )
    new = report(
        record(None, 2, "error"),  # rows were added and moved: the same blank-id rows
        record("a", 9),  # moved: still matched on its id
        record(None, 10, "error", shop="南栀"),
        record("d", 11, "error"),
        record("d", 12, "error"),  # d now duplicated: its first and second rows
        record(None, 13, "error", shop="南栀"),  # a second blank-id 南栀 row: new
    )
    diff = compare(old, new)
    # d is still in the export: its row pairs with d's first row tonight (named as tonight
    # names it), and only the second row is new; nothing is gone
    assert diff["gone"] == []
    assert [(i["keyed_by"], i["merchant_id"], i["row"]) for i in diff["added"]] == [
        ("duplicate", "d", 12),
        ("no_id", None, 13),
    ]
    assert diff["worse"] is True  # new error merchants
    markdown = render_markdown(diff, "zh")
    assert "`商家 第 13 行（无商家ID）`" in markdown
    assert "`商家 第 12 行（ID d 重复）`" in markdown
    assert "`商家 第 11 行（ID d 重复）`" not in markdown  # error before and after: no change


def test_moving_rows_without_an_id_changes_nothing():
    """A row deleted at the top moves every row below it, blank-id error rows included:
    they are the backlog, not news, so the nightly gate stays quiet."""
    old = report(record("a", 2), record(None, 3, "error"), record(None, 4, "error"))
    new = report(record(None, 2, "error"), record(None, 3, "error"))
    diff = compare(old, new)
    assert [i["merchant_id"] for i in diff["gone"]] == ["a"] and diff["added"] == []
    assert diff["worse"] is False


def test_a_nightly_export_under_a_new_name_changes_nothing(tmp_path):
    """A CSV's sheet is its file name, and tonight's export is named after tonight: rows
    without an id, and a duplicated id's rows, still match last night's. Reordered, the
    duplicated id's rows match by which of them they are."""
    from conftest import EXPORT_HEADER, renewal, renewed_row

    rows = [renewed_row("m1"), renewed_row("d"), renewed_row(""), renewed_row("d")]
    rows[2][EXPORT_HEADER.index("店铺类型")] = "旗舰店"
    lines = [",".join(EXPORT_HEADER)] + [",".join(map(str, row)) for row in rows]
    last = tmp_path / "export-1122.csv"
    last.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tonight = tmp_path / "export-1123.csv"
    reordered = [lines[0], lines[4], lines[2], lines[3], lines[1]]  # the blank id stays row 4
    tonight.write_text("\n".join(reordered) + "\n", encoding="utf-8")
    run = ("--rules", "tmall-2022", "--as-of", "2021-12-27", "-q")
    assert (
        renewal("check", last, *run, "-o", tmp_path / "r0.json", "--fail-on", "never").returncode
        == 0
    )
    same = renewal("check", tonight, *run, "--baseline", tmp_path / "r0.json", "--fail-on", "new")
    assert same.returncode == 0, same.stderr
    diff = renewal("diff", tmp_path / "r0.json", tmp_path / "r0.json", "--format", "json")
    assert diff.returncode == 0


def test_worse_is_exactly_the_documented_cases():
    base = report(record("a", 2, "renewed", 0.0, DL01="pass"))
    assert not compare(base, base)["worse"]
    lateral = compare(base, report(record("a", 2, "exempt", 0.0, DL01="skip")))
    assert not lateral["worse"] and ids(lateral["outcome_lateral"]) == {"a"}
    warned = compare(base, report(record("a", 2, "renewed", 0.0, DL01="pass", QL01="warn")))
    assert warned["worse"] and pairs(warned["newly_failing"]) == {("a", "QL01", None, "warn")}
    owes = compare(base, report(record("a", 2, "renewed", 5.0, DL01="pass")))
    assert owes["worse"] and ids(owes["owed_up"]) == {"a"}
    unknown = compare(base, report(record("a", 2, "renewed", None, DL01="pass")))
    assert not unknown["worse"] and ids(unknown["owed_unknown"]) == {"a"}
    added_pending = compare(base, report(*base.merchants, record("b", 3, "pending")))
    assert not added_pending["worse"]
    added_failed = compare(base, report(*base.merchants, record("b", 3, "failed")))
    assert added_failed["worse"] and added_failed["counts"]["added_bad"] == 1
    # an error row that is now known to have failed (past the deadline, a step missing) is
    # news, not an improvement; an error row that is now pending or renewed is better
    error = report(record("a", 2, "error", None, DL01="fail", DP01="error"))
    lost = compare(error, report(record("a", 2, "failed", None, DL01="fail", DP01="error")))
    assert lost["worse"] and ids(lost["outcome_worse"]) == {"a"} and not lost["outcome_better"]
    fixed = compare(error, report(record("a", 2, "pending", 0.0, DL01="fail", DP01="pass")))
    assert not fixed["worse"] and ids(fixed["outcome_better"]) == {"a"}


def test_amounts_keep_their_fen_and_put_the_minus_before_the_sign():
    """The diff says amounts as every other view does (i18n.yuan): ¥0.50 is not ¥0, and a
    fall is -¥…, not ¥-…."""
    old = report(record("a", 2, "pending", 5000.5, DL01="fail"))
    new = report(record("a", 2, "pending", 0.25, DL01="fail"))
    markdown = render_markdown(compare(old, new), "en")
    assert "¥5,000.50 → ¥0.25 (-¥5,000.25)" in markdown
    assert "¥-" not in markdown


def test_markdown_caps_each_section():
    many = report(*(record(f"m{n:03}", n + 2, "failed", None) for n in range(60)))
    markdown = render_markdown(compare(report(), many), "en")
    section = markdown.split("### Merchants added (60)\n\n")[1].split("\n\n")[0].splitlines()
    assert len(section) == 51
    assert section[49].startswith("- `m049`")
    assert section[50] == "- … and 10 more"
    assert "- `m050`" not in markdown


def test_cli_format_must_be_known(nights):
    result: subprocess.CompletedProcess[str] = renewal("diff", *nights, "-f", "yaml")
    assert result.returncode == 2
    assert result.stderr.strip() == "renewal: --format 'yaml' 不可用：可选 table、json、markdown"
    result = renewal("diff", *nights, "-f", "yaml", "--lang", "en")
    assert "--format 'yaml' is not one of: table, json, markdown" in result.stderr


def test_a_truncated_report_is_refused_not_half_diffed(nights, tmp_path):
    night1, _ = nights
    lines = night1.read_bytes().splitlines(keepends=True)
    truncated = tmp_path / "truncated.json"
    truncated.write_bytes(b"".join(lines[:10]))  # header and 9 merchants, as a killed run
    result = renewal("diff", truncated, night1, "--lang", "en")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"renewal: {truncated}: truncated, the merchants list does not end"
    )
    result = renewal("diff", truncated, night1)
    assert result.stderr.strip() == f"renewal: {truncated}：文件不完整，merchants 列表没有结束"
    pretty = tmp_path / "pretty.json"
    pretty.write_bytes(orjson.dumps(orjson.loads(night1.read_bytes()), option=orjson.OPT_INDENT_2))
    code, diff = diff_json(pretty, night1)  # any other layout is parsed whole
    assert code == 0 and diff["still_failing"]["count"] == 35


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", '不是 renewal 报告（第 2 个商家的 outcome 为 "great"）'),
        ("en", 'not a renewal report (merchant #2: outcome "great")'),
    ],
)
def test_a_merchant_that_is_not_a_report_entry_is_named_by_its_place(nights, tmp_path, lang, said):
    night1, _ = nights
    document = orjson.loads(night1.read_bytes())
    document["merchants"][1]["outcome"] = "great"
    edited = tmp_path / "edited.json"
    edited.write_bytes(orjson.dumps(document))
    result = renewal("diff", edited, night1, "--lang", lang)
    assert result.returncode == 2
    assert result.stderr.strip().endswith(said) and str(edited) in result.stderr
