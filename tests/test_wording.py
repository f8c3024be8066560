"""How renewal words what it shows (ex16 §7, §8).

- Sources: a figure held only in the project's brief of the rules across years is shown
  from that brief by name, never by its path (a file no user has), and its quote as a
  summary (摘要 / Summary), not as a document's text (原文 / Quote); a quote from a real
  announcement keeps 原文. In `renewal rules`, `renewal explain` and the HTML report's
  rule details, every figure keeps its sourced/inferred mark.
- English casing: a message that starts a cell or a line starts with a capital letter, and
  a message joined into another after "; " reads as a clause, in lower case (not a name
  such as Tmall); both said in one place, `i18n.sentence`, `i18n.clause`, `i18n.clauses`.
- A blank cell a message quotes is said to be blank (为空 / is blank), never as 「」.
- The template's examples are times of the rule set's own year, and 主营类目's comment says
  only what that year decides by it (no fee tier in a year with no annual fee).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row, run_file, write_csv
from rich.console import Console

from renewal import catalog, i18n
from renewal.checks.blockers import BlockerParams
from renewal.intake.columns import MERCHANT_COLUMNS
from renewal.render.html import rule_explanations
from renewal.render.rulebook import draw_rules
from renewal.ruleset import SourceKind, bundled_ids, load
from renewal.timeutil import BEIJING

BRIEF_NAME = {"zh": "项目规则简报（据历年公告整理）", "en": "the project's brief of the rules"}
QUOTE = {"zh": "原文", "en": "Quote"}
SUMMARY = {"zh": "摘要", "en": "Summary"}
SOURCE = {"zh": "出处", "en": "Source"}
MARK = {"zh": "依据", "en": "Mark"}
COLON = {"zh": "：", "en": ": "}
LANGS = ("zh", "en")


# --- sources: the brief by name, its quotes as a summary ----------------------------------


def _cited(lines: list[str], lang: str) -> list[tuple[str, str, str]]:
    """(quote label, source line, mark line) of each block `explain` cites: a quote line
    is followed by its source and its mark."""
    found = []
    labels = (QUOTE[lang] + COLON[lang], SUMMARY[lang] + COLON[lang])
    for index, line in enumerate(lines):
        if line.startswith(labels):
            label = line.split(COLON[lang], 1)[0]
            found.append((label, lines[index + 1], lines[index + 2]))
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ruleset_id", bundled_ids())
def test_explain_names_the_brief_and_calls_its_quotes_a_summary(ruleset_id: str, lang: str) -> None:
    """Every block of every rule: from the brief, 摘要 and the brief's name without a path;
    from a document, 原文 and the document's title and address; and its mark either way."""
    ruleset = load(ruleset_id)
    summaries = documents = 0
    for code in ruleset.rules:
        lines = [text for _, text in catalog.explain_lines(code, ruleset, lang)]
        for label, source, mark in _cited(lines, lang):
            assert source.startswith(SOURCE[lang] + COLON[lang]), (code, source)
            assert mark.startswith(MARK[lang] + COLON[lang]), (code, mark)
            assert "domain.md" not in source and "file:" not in source, (code, source)
            from_brief = BRIEF_NAME[lang] in source
            assert label == (SUMMARY[lang] if from_brief else QUOTE[lang]), (code, source)
            summaries += from_brief
            documents += not from_brief
    assert summaries and documents  # every bundled year cites both


def test_explain_dp01_2025_as_the_user_reads_it() -> None:
    """The report's case: 卖场型 ¥150,000 from the brief, 旗舰店 from Tmall's fee schedule."""
    out = renewal("explain", "DP01", "--rules", "tmall-2025").stdout
    assert "../shared/domain.md" not in out and "file:" not in out
    flat = re.sub(r"\n\s*", "", out)  # the terminal wraps long lines
    assert "摘要：「卖场型旗舰店 (marketplace flagship) | ¥150,000" in flat
    assert f"出处：{BRIEF_NAME['zh']}依据：inferred（推断）" in flat
    assert "原文：「Flagship Store, Franchise Store: ™100,000RMB; ® 50,000RMB」" in flat
    assert "出处：Tmall fee schedule (official English page)" in flat
    english = renewal("explain", "DP01", "--rules", "tmall-2025", "--lang", "en").stdout
    assert "Summary: 「卖场型旗舰店" in english and "Quote: 「Flagship Store" in english
    assert "domain.md" not in english.split("In tmall-2025")[1].split("Note:")[0]


def _drawn(ruleset_id: str, lang: str, width: int) -> str:
    ruleset = load(ruleset_id)
    console = Console(file=io.StringIO(), width=width, soft_wrap=False, highlight=False)
    draw_rules(console, ruleset.id, catalog.rule_rows(ruleset, lang), lang)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(out, str)
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_rules_blocks_label_each_quote_by_where_it_comes_from(lang: str) -> None:
    """On a narrow terminal, a block per rule: 2025's cut-off (SC01) and blockers are the
    brief's summary; 2022's steps quote the announcement."""
    blocks = _drawn("tmall-2025", lang, 100)
    rules = dict(re.findall(r"^(\w\w\d\d)  .*?\n(.*?)(?=^\w\w\d\d  |\Z)", blocks, re.M | re.S))
    for code in ("SC01", "BL01", "BL07"):
        assert re.search(rf"^\s+{SUMMARY[lang]}\s+「", rules[code], re.M), (code, rules[code])
        assert not re.search(rf"^\s+{QUOTE[lang]}\s+「", rules[code], re.M), code
    announced = dict(
        re.findall(
            r"^(\w\w\d\d)  .*?\n(.*?)(?=^\w\w\d\d  |\Z)",
            _drawn("tmall-2022", lang, 100),
            re.M | re.S,
        )
    )
    assert re.search(rf"^\s+{QUOTE[lang]}\s+「", announced["DL01"], re.M), announced["DL01"]


@pytest.mark.parametrize("lang", LANGS)
def test_rules_table_heads_the_column_quote_or_summary_and_marks_each_summary(
    lang: str,
) -> None:
    table = _drawn("tmall-2025", lang, 220)
    heading = {"zh": "原文或摘要", "en": "Quote or summary"}[lang]
    assert heading in table.splitlines()[2]  # the header row, under the title and the rule
    row = next(line for line in table.splitlines() if "│ SC01 " in line)
    assert f"{SUMMARY[lang]}{COLON[lang]}「" in row


@pytest.mark.parametrize("lang", LANGS)
def test_the_html_rule_details_say_what_explain_says(lang: str) -> None:
    rules = rule_explanations(load("tmall-2025"), lang)
    said = rules["DP01"]["lines"]
    assert isinstance(said, list)
    lines = [str(text) for _, text in said]
    assert not [line for line in lines if line.startswith(SOURCE[lang]) and "domain.md" in line]
    cited = _cited(lines, lang)
    assert {label for label, _, _ in cited} == {QUOTE[lang], SUMMARY[lang]}
    assert all((label == SUMMARY[lang]) == (BRIEF_NAME[lang] in where) for label, where, _ in cited)


@pytest.mark.parametrize("ruleset_id", bundled_ids())
def test_a_source_that_is_the_brief_is_marked_as_the_brief(ruleset_id: str) -> None:
    """So that a rule file citing the brief cannot show it as a document: the brief's
    path is in its url, and only its source says kind = "brief"."""
    for name, source in load(ruleset_id).sources.items():
        brief = source.url.endswith("domain.md")
        assert (source.kind == SourceKind.BRIEF) == brief, name


# --- English casing, in one place ---------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        (["first clear: a", "Agreement signing"], "First clear: a; agreement signing"),
        (["Deposit insurance x", "Deposit balance ¥0"], "Deposit insurance x; deposit balance ¥0"),
        (
            ["the agreement ends", "Tmall assists its exit"],
            "The agreement ends; Tmall assists its exit",
        ),
        (
            ["DL02 blocked", "TM trademark", "「无」 unread"],
            "DL02 blocked; TM trademark; 「无」 unread",
        ),
    ],
)
def test_clauses_start_a_sentence_and_lower_a_joined_clause(parts: list[str], joined: str) -> None:
    assert i18n.clauses(parts, "en") == joined
    assert i18n.clauses(["保证金不足", "Deposit"], "zh") == "保证金不足；Deposit"


def _findings(path: Path, as_of: str, rules: str) -> list[dict[str, Any]]:
    moment = datetime.fromisoformat(as_of).replace(tzinfo=BEIJING)
    (result,) = run_file(path, moment, rules=rules, lang="en").results
    found: list[dict[str, Any]] = result["findings"]
    return found


def test_a_message_joined_after_another_reads_as_a_clause(tmp_path: Path) -> None:
    """2025: an earlier year's policy, no cash: 「…does not count; deposit balance ¥0…」."""
    cells = renewed_row("6")
    cells[6] = ""  # 协议签署时间: not signed yet
    cells[7] = "0"  # 保证金余额
    path = write_csv(
        tmp_path / "e.csv",
        [*EXPORT_HEADER, "保证金履约险续保时间"],
        [[*cells, "2023-12-20 09:00"]],
    )
    deposit = next(
        f for f in _findings(path, "2024-12-24 10:00", "tmall-2025") if f["rule"] == "DP01"
    )
    assert deposit["message"].startswith("Deposit insurance renewed at 2023-12-20 09:00")
    assert "does not count; deposit balance ¥0, required ¥50,000" in deposit["message"]


def test_a_message_starting_with_a_label_starts_with_a_capital(tmp_path: Path) -> None:
    cells = renewed_row("3")
    cells[6] = ""
    path = write_csv(tmp_path / "b.csv", [*EXPORT_HEADER, "考核不合格"], [[*cells, "是"]])
    blocker = next(
        f for f in _findings(path, "2024-12-24 10:00", "tmall-2025") if f["rule"] == "BL01"
    )
    assert (
        blocker["message"] == "Failing the merchant assessment: cannot renew until this is cleared"
    )


def test_a_fee_of_nothing_is_said_as_a_sentence(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", [*EXPORT_HEADER, "年费应缴"], [[*renewed_row("0"), "0"]])
    fee = next(f for f in _findings(path, "2021-12-20 09:30", "tmall-2022") if f["rule"] == "AF01")
    assert fee["message"] == "The 2022 annual software fee due is ¥0: nothing to pay"


def test_every_english_finding_starts_with_a_capital(tmp_path: Path) -> None:
    """A store of 2025 held by each blocker in turn, and the fixture at every stage of the
    2022 window: no message or remedy of any rule starts with a small letter."""
    from conftest import XLSX

    ruleset = load("tmall-2025")
    flags = [p.column for p in ruleset.rules.values() if isinstance(p, BlockerParams)]
    headers = [next(c.header for c in MERCHANT_COLUMNS if c.key == key) for key in flags]
    rows = []
    for held in range(len(flags)):
        cells = renewed_row(f"held-{held}")
        cells[6] = ""  # not signed yet
        rows.append([*cells, *("是" if i == held else "否" for i in range(len(flags)))])
    path = write_csv(tmp_path / "held.csv", [*EXPORT_HEADER, *headers], rows)
    runs = [(path, "2024-12-24 10:00", "tmall-2025")]
    runs += [(XLSX, at, "tmall-2022") for at in ("2021-11-01 12:00", "2021-12-27 00:00")]
    for export, as_of, rules in runs:
        moment = datetime.fromisoformat(as_of).replace(tzinfo=BEIJING)
        for result in run_file(export, moment, rules=rules, lang="en").results:
            for found in result["findings"]:
                for said in (found["message"], found["remedy"] or "X"):
                    assert not ("a" <= said[:1] <= "z"), (as_of, found["rule"], said)


def test_the_checklist_says_what_follows_a_missed_deadline_as_a_sentence(tmp_path: Path) -> None:
    pending = renewed_row("1")
    pending[5] = ""  # 续签报名时间: not signed up yet
    path = write_csv(tmp_path / "s.csv", EXPORT_HEADER, [pending])
    out = renewal(
        "self-check", path, "--rules", "tmall-2022", "--as-of", "2021-12-20 09:30", "--lang", "en"
    ).stdout
    line = next(line for line in out.splitlines() if "merchant service agreement" in line)
    assert line.strip().startswith("The Tmall merchant service agreement")
    flat = " ".join(out.split())
    assert "; the store goes under supervision" in flat and "; Tmall assists its exit" in flat


def test_the_checklist_says_why_no_transfer_is_needed_in_one_sentence(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", EXPORT_HEADER, [renewed_row("1")])
    out = renewal(
        "self-check", path, "--rules", "tmall-2022", "--as-of", "2021-12-20 09:30", "--lang", "en"
    ).stdout
    assert "\n  Not needed: renewed or not in scope; not applicable\n" in out


# --- a blank cell is said to be blank -----------------------------------------------------


@pytest.mark.parametrize(
    ("blank", "zh", "en"),
    [
        (
            "店铺类型",
            "「保证金应缴」为空，店铺类型也为空（商标状态「R」）",
            "保证金应缴 (deposit due) is blank, and so is 店铺类型 (store type), with 商标状态 (trademark) 'R'",
        ),
        (
            "商标状态",
            "「保证金应缴」为空，商标状态也为空（店铺类型「专营店」）",
            "and so is 商标状态 (trademark), with 店铺类型 (store type) '专营店'",
        ),
    ],
)
def test_a_blank_cell_of_the_deposit_table_is_said_blank(
    tmp_path: Path, blank: str, zh: str, en: str
) -> None:
    cells = renewed_row("b")
    cells[1] = "专营店"
    cells[EXPORT_HEADER.index(blank)] = ""
    path = write_csv(tmp_path / "d.csv", [*EXPORT_HEADER, "保证金应缴"], [[*cells, ""]])
    as_of = datetime(2021, 12, 20, 9, 30, tzinfo=BEIJING)
    for lang, said in (("zh", zh), ("en", en)):
        (result,) = run_file(path, as_of, lang=lang).results
        deposit = next(f for f in result["findings"] if f["rule"] == "DP01")
        assert said in deposit["message"] and "「」" not in deposit["message"], deposit
        assert "''" not in deposit["message"]


def test_a_blank_category_is_said_blank_and_a_listed_one_quoted(tmp_path: Path) -> None:
    rows = [renewed_row("blank"), renewed_row("other")]
    rows[0][3] = ""
    rows[1][3] = "旅游"  # in no fee tier
    for row in rows:  # ¥45,000 paid: enough for one tier, not the other, so the tier decides
        row[EXPORT_HEADER.index("年费已缴")] = "45000"
    path = write_csv(tmp_path / "c.csv", [*EXPORT_HEADER, "年费应缴"], [[*r, ""] for r in rows])
    as_of = datetime(2021, 12, 20, 9, 30, tzinfo=BEIJING)
    zh = {r["merchant_id"]: r for r in run_file(path, as_of).results}
    en = {r["merchant_id"]: r for r in run_file(path, as_of, lang="en").results}

    def fee(result: dict[str, Any]) -> str:
        message: str = next(f["message"] for f in result["findings"] if f["rule"] == "AF01")
        return message

    assert fee(zh["blank"]) == "无法确定应缴年费：「年费应缴」为空，主营类目也为空"
    assert fee(en["blank"]).endswith("is blank, and so is 主营类目 (category)")
    assert fee(zh["other"]).endswith("且主营类目「旅游」不在年费表中")  # as before
    assert fee(en["other"]).endswith("category '旅游' is not in the fee table")


# --- the template: the rule set's own year ------------------------------------------------


def _comments(path: Path) -> dict[tuple[str, str], str]:
    book = openpyxl.load_workbook(path)
    found = {
        (sheet.title, str(cell.value)): cell.comment.text
        for sheet in book.worksheets
        for cell in sheet[1]
        if cell.comment is not None
    }
    found[("instructions", "")] = "\n".join(
        str(cell.value) for cell in book.worksheets[-1]["A"] if cell.value
    )
    return found


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("ruleset_id", bundled_ids())
def test_the_templates_examples_are_of_its_own_year(
    ruleset_id: str, lang: str, tmp_path: Path
) -> None:
    ruleset = load(ruleset_id)
    path = tmp_path / "t.xlsx"
    assert renewal("template", path, "--rules", ruleset_id, "--lang", lang).returncode == 0
    years = {
        str(year) for year in range(ruleset.cycle.window_opens.year - 1, ruleset.contract_year + 1)
    }
    texts = _comments(path)
    for where, text in texts.items():
        for year in re.findall(r"\b(20\d\d)-\d\d-\d\d\b", text):
            assert year in years, (where, year, text)
    hint = {"zh": "如 ", "en": "e.g. "}[lang]
    signed = texts[("商家", "合同签署时间")]
    example = signed.split(hint, 1)[1][:16]
    inside = datetime.fromisoformat(example).replace(tzinfo=BEIJING)
    assert ruleset.cycle.window_opens <= inside <= ruleset.cycle.window_closes, example
    assert f"{hint}{example}" in texts[("instructions", "")]
    category = texts[("商家", "主营类目")]
    tier = {"zh": "年费档位", "en": "annual fee tier"}[lang]
    assert (tier in category) == ("AF01" in ruleset.rules), category


def test_remind_joins_its_items_as_one_english_sentence(tmp_path: Path) -> None:
    """Two blockers and a blocked step in one 待完成事项 cell: the first item starts the
    sentence, the ones after it continue it (not 'First clear: a; First clear: b')."""
    header = ["商家ID", "店铺类型", "商标状态", "主营类目", "合同签署时间", "保证金余额"]
    header += ["软件服务费未缴清", "无品牌授权"]
    export = tmp_path / "blocked.csv"
    export.write_text(
        ",".join(header) + "\nm1,旗舰店,R,男装,2017-08-01 10:00,50000,是,是\n", encoding="utf-8"
    )
    done = renewal(
        "remind", export, "--rules", "tmall-2025", "--as-of", "2024-12-24 10:00",
        "--within", "30d", "--lang", "en", "-f", "csv", "-q",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (row,) = list(csv.DictReader(io.StringIO(done.stdout.lstrip("\ufeff"))))
    items = row["missing"].split("; ")
    assert items[0].startswith("First clear: ")
    assert all(item[:1].islower() for item in items[1:]), items
