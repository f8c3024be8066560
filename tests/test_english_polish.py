"""What a reader of English found rough in the reports (ex24, findings 4–8): a column header
drawn over the next one in the HTML page, Summary labels cut off in the workbook, Chinese
words given without their meaning, wording that says more or less than it means (a date
"until" which a waiver is valid through, "the changes above" when none were printed,
amounts without ¥), and rows of a continuation sheet said to be "below" a 合计 line."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewal, renewed_row, run_file
from rich.cells import cell_len
from test_html import Visit

from renewal import catalog
from renewal.ruleset import bundled_ids, load

AGREEMENT = EXPORT_HEADER.index("协议签署时间")
BALANCE = EXPORT_HEADER.index("保证金余额")
STORE_TYPE = EXPORT_HEADER.index("店铺类型")
BEFORE_DEADLINE = ("--rules", "tmall-2022", "--as-of", "2021-12-20 12:00", "--fail-on", "never")
"""Inside tmall-2022's window, which closes 2021-12-26 18:00; exit 0 whatever is found."""
LANGS = ("zh", "en")


def unsigned(merchant_id: str) -> list[object]:
    """A merchant that has not signed the agreement: DL02 fails, pending."""
    row = renewed_row(merchant_id)
    row[AGREEMENT] = ""
    return row


def short_balance(merchant_id: str) -> list[object]:
    """A merchant whose deposit balance is ¥20,000 short of ¥50,000: DP01 fails."""
    row = renewed_row(merchant_id)
    row[BALANCE] = "30000"
    return row


def csv_export(path: Path, *rows: list[object]) -> Path:
    lines = [",".join(EXPORT_HEADER)] + [",".join(map(str, row)) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def waiver_file(path: Path) -> Path:
    """w1 valid through a day, w2 expired the day before the as-of, w3 until a moment
    within 7 days of it."""
    path.write_text(
        "merchant_id,rule,reason,approver,ticket,expires\n"
        "w1,DL02,offline signing,Jane,OPS-1,2021-12-31\n"
        "w2,DL02,bank delay,John,,2021-12-19\n"
        "w3,DL02,system outage,Jane,,2021-12-25 18:00\n",
        encoding="utf-8",
    )
    return path


# --- #4 the HTML table's headers --------------------------------------------------------------

HEADS = """() => [...document.querySelectorAll('#merchant-table thead th')].map(th => {
    const range = document.createRange();
    range.selectNodeContents(th);
    const text = range.getBoundingClientRect();
    const cell = th.getBoundingClientRect();
    const inner = cell.right - parseFloat(getComputedStyle(th).paddingRight);
    return [th.textContent, text.right - inner, cell.width];
})"""
"""Each header's text, how far it runs past its cell's content box (px), and the cell's width
(0 where the header row is not laid out: the cards of a phone)."""


def test_no_header_of_the_merchant_table_runs_over_the_next(browser: Any, tmp_path: Path) -> None:
    """Ids as short as A1 made the id column narrower than the word "Merchant", drawn over
    "Shop name" (and "Row" and "Taobao transfer" a few px past theirs): each column is at
    least as wide as its header's longest word, in either language, at 1280 px and just
    above the width where the table becomes cards; on a phone the header row is hidden and
    each value is labelled, so nothing overflows there either."""
    source = csv_export(tmp_path / "e.csv", renewed_row("A1"), unsigned("A2"), short_balance("A3"))
    for lang in LANGS:
        page_file = tmp_path / f"r-{lang}.html"
        ran = renewal("check", source, *BEFORE_DEADLINE, "--lang", lang, "-q", "-o", page_file)
        assert ran.returncode == 0, ran.stderr
        for width in (1280, 1101, 390):
            seen = Visit(browser, page_file, "en-US" if lang == "en" else "zh-CN")
            seen.page.set_viewport_size({"width": width, "height": 900})
            page = seen.open()
            heads = page.evaluate(HEADS)
            laid_out = [(text, over) for text, over, cell in heads if cell > 0]
            if width > 1100:
                assert len(laid_out) == len(heads) == 10
            else:
                assert laid_out == []  # cards: each value after its column's name
            assert [(text, over) for text, over in laid_out if over > 0.5] == [], (lang, width)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            seen.clean()
            seen.close()


# --- #5 the workbook's Summary sheet ----------------------------------------------------------


def _summary(path: Path, lang: str) -> Any:
    book = openpyxl.load_workbook(path)
    return book["Summary" if lang == "en" else "汇总"]


@pytest.mark.parametrize("lang", LANGS)
def test_every_summary_label_fits_its_column(tmp_path: Path, lang: str) -> None:
    """Column A was 34 wide, and the labels beside a value in column B run to 61
    characters in English (what the counts leave out) and to 44 columns in Chinese (two
    for a Chinese character): column A is as wide as the longest one."""
    source = csv_export(
        tmp_path / "e.csv", renewed_row("w0"), unsigned("w1"), unsigned("w2"), unsigned("w3")
    )
    out = tmp_path / "r.xlsx"
    options = ("--waivers", waiver_file(tmp_path / "waivers.csv"), "--lang", lang)
    ran = renewal("check", source, *BEFORE_DEADLINE, *options, "-q", "-o", out)
    assert ran.returncode == 0, ran.stderr
    sheet = _summary(out, lang)
    width = sheet.column_dimensions["A"].width
    labels = [
        str(row[0].value)
        for row in sheet.iter_rows(max_col=2)
        if row[0].value is not None and row[1].value is not None
    ]
    unused = {
        "en": "Waivers unused (no failing or warning finding to cover)",
        "zh": "未使用的豁免（商家没有对应的未通过或警告项）",
    }[lang]
    due_soon = {
        "en": "Pending merchants with less than 3d left (--due-soon)",
        "zh": "距截止不足 3天 的待完成商家（--due-soon）",
    }[lang]
    assert {unused, due_soon} <= set(labels)
    assert [label for label in labels if cell_len(label) > width] == []
    assert width < 71


def test_a_label_wider_than_column_a_may_be_wraps(tmp_path: Path) -> None:
    """A store type is data, as long as the export typed it: column A stops at 70 and
    such a label wraps there, rather than push the counts out of view."""
    typed = "旗舰店(" + "这是一段写进店铺类型里的很长的说明" * 5 + ")"
    odd = renewed_row("m2")
    odd[STORE_TYPE] = typed
    source = csv_export(tmp_path / "e.csv", renewed_row("m1"), odd)
    out = tmp_path / "r.xlsx"
    ran = renewal("check", source, *BEFORE_DEADLINE, "--lang", "en", "-q", "-o", out)
    assert ran.returncode == 0, ran.stderr
    sheet = _summary(out, "en")
    assert 70 <= sheet.column_dimensions["A"].width < 71  # xlsxwriter adds the cell's margin
    (cell,) = [row[0] for row in sheet.iter_rows(max_col=1) if row[0].value == typed]
    assert cell.alignment.wrap_text
    count = sheet.cell(row=cell.row, column=2)
    assert count.value is not None and not count.alignment.wrap_text  # the label alone


# --- #6 Chinese words with their meaning -------------------------------------------------------


def _violations_export(path: Path) -> Path:
    """A 违规记录 row with no 违规类型, and one whose 申诉状态 is no word the readers take."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    sheet.append(EXPORT_HEADER)
    sheet.append(renewed_row("m1"))
    violations = book.create_sheet("违规记录")
    violations.append(["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"])
    violations.append(["m1", "2021-06-01", None, 2, "无"])
    violations.append(["m1", "2021-06-01", "一般违规", 2, "待定"])
    book.save(path)
    return path


def test_the_words_a_violation_row_must_hold_are_glossed_in_english(tmp_path: Path) -> None:
    """The message "expected 严重违规 or 一般违规" told a reader of English what to type,
    not what it means; the Chinese message is as it was."""
    export = _violations_export(tmp_path / "e.xlsx")
    said = {
        lang: {
            f["message"]
            for f in run_file(export, AFTER_DEADLINE, lang=lang).results[0]["findings"]
            if f["rule"] == "LD04"
        }
        for lang in LANGS
    }
    assert said["en"] == {
        "Sheet 违规记录 row 2: cannot read 违规类型 value '': expected 严重违规 (serious) or"
        " 一般违规 (general)",
        "Sheet 违规记录 row 3: cannot read 申诉状态 value '待定': expected 无 (none), 申诉中"
        " (appeal pending), 申诉成功 (appeal upheld) or 申诉失败 (appeal rejected)",
    }
    assert len(said["zh"]) == 2
    for words in ("应为 严重违规 或 一般违规", "应为 无/申诉中/申诉成功/申诉失败"):
        assert any(message.endswith(words) for message in said["zh"])


def test_a_rule_tables_rows_are_headed_in_english_from_the_rule_file() -> None:
    """`consequences 店铺进入监管` named a block by its Chinese value: in English the rule
    file's own English of it (`outcome_en`), or its English alias beside it; Chinese as
    it was."""
    ruleset = load("tmall-2023")
    english = [line for _, line in catalog.explain_lines("QL01", ruleset, "en")]
    assert "consequences the store goes under supervision (监管)" in english
    assert "consequences the brand is pre-delisted (预摘牌)" in english
    assert not [line for line in english if line.startswith("consequences 店铺")]
    deposit = [line for _, line in catalog.explain_lines("DP01", ruleset, "en")]
    assert "table 旗舰店 (flagship)" in deposit
    assert "table 卖场型旗舰店 (marketplace flagship)" in deposit
    chinese = [line for _, line in catalog.explain_lines("QL01", ruleset, "zh")]
    assert any(line.endswith(" 店铺进入监管") for line in chinese)


@pytest.mark.parametrize("code", ["BL01", "BL02", "BL04", "BL05", "BL06", "AS02"])
def test_the_yes_and_no_words_of_a_rules_documentation_are_glossed(code: str) -> None:
    """Passes when "it is 否 or blank": 否 (no), and 是 (yes) where a rule fails on it."""
    ruleset = load("tmall-2022" if code == "AS02" else "tmall-2023")
    text = " ".join(line for _, line in catalog.explain_lines(code, ruleset, "en"))
    assert "否 (no) or blank" in text
    assert not re.search(r"否 or blank", text)
    assert code == "AS02" or "is 是 (yes)" in text


def test_no_rule_explanation_names_the_briefs_file() -> None:
    """A note citing `domain.md §6.2` named a file no reader has; README says such a figure
    is shown as from the project's brief, without a path: the notes say 项目规则简报 / the
    brief, and so does the documentation. `explain` and the HTML page's rule details are
    the same lines."""
    named = {"zh": "项目规则简报 §6.2", "en": "Note: The brief §6.2. The brief marks it sourced"}
    for ruleset_id in bundled_ids():
        ruleset = load(ruleset_id)
        for lang in LANGS:
            for code in (*ruleset.rules, "LD01"):
                lines = [line for _, line in catalog.explain_lines(code, ruleset, lang)]
                assert not [line for line in lines if "domain.md" in line], (ruleset_id, code)
    said = {
        lang: "\n".join(line for _, line in catalog.explain_lines("QL01", load("tmall-2023"), lang))
        for lang in LANGS
    }
    for lang in LANGS:
        assert named[lang] in said[lang]


# --- #7 wording --------------------------------------------------------------------------------


def test_ql01_says_when_the_contract_year_ends_once(tmp_path: Path) -> None:
    """QL01 said the end twice: "before the contract year ends (the end of 2022-12-31)"."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    sheet.append(EXPORT_HEADER)
    sheet.append(renewed_row("m1"))
    documents = book.create_sheet("资质")
    documents.append(["商家ID", "资质类型", "证书编号", "到期日期"])
    documents.append(["m1", "质检报告", "Q1", "2022-06-30"])
    book.save(tmp_path / "e.xlsx")
    (result,) = run_file(tmp_path / "e.xlsx", AFTER_DEADLINE, lang="en").results
    (message,) = [f["message"] for f in result["findings"] if f["rule"] == "QL01"]
    assert message == (
        "Qualification '质检报告' expires on 2022-06-30, before the contract year ends at the"
        " end of 2022-12-31"
    )


WAIVER_ENDS = {
    "en": ("valid through 2021-12-31", "expired at the end of 2021-12-19",
           "valid until 2021-12-25 18:00"),
    "zh": ("有效至 2021-12-31", "已于 2021-12-19 到期", "有效至 2021-12-25 18:00"),
}  # fmt: skip
"""How w1, w2 and w3 of `waiver_file` end, as of 2021-12-20 12:00."""


def test_a_waiver_of_a_date_alone_is_valid_through_it(tmp_path: Path) -> None:
    """A date alone is valid through that whole day: "valid until 2021-12-31" read as
    ending when it starts, and "expired on 2021-12-19" as lapsing that day, when it lapsed
    at 2021-12-20 00:00. A moment is valid until itself. The finding, stderr and JUnit say
    it alike; Chinese (有效至, 已于 … 到期) already meant it, and is as it was."""
    source = csv_export(tmp_path / "e.csv", unsigned("w1"), unsigned("w2"), unsigned("w3"))
    waivers = waiver_file(tmp_path / "waivers.csv")
    for lang, (through, lapsed, until) in WAIVER_ENDS.items():
        report, junit = tmp_path / f"r-{lang}.json", tmp_path / f"r-{lang}.xml"
        ran = renewal(
            "check", source, *BEFORE_DEADLINE, "--lang", lang,
            "--waivers", waivers, "-o", report, "-o", junit,
        )  # fmt: skip
        assert ran.returncode == 0, ran.stderr
        merchants = json.loads(report.read_text(encoding="utf-8"))["merchants"]
        messages = {
            m["merchant_id"]: next(f["message"] for f in m["findings"] if f["rule"] == "DL02")
            for m in merchants
        }
        assert through in messages["w1"] and lapsed in messages["w2"]
        assert until in messages["w3"]
        text = junit.read_text(encoding="utf-8")
        assert through in text and lapsed in text and until in text
        assert lapsed in ran.stderr and until in ran.stderr  # the expired and ending-soon notes
        if lang == "en":
            everything = "\n".join([*messages.values(), text, ran.stderr])
            assert "valid until 2021-12-31" not in everything
            assert "expired on" not in everything


def test_the_new_rule_year_notice_holds_with_and_without_quiet(tmp_path: Path) -> None:
    """With -q no change is printed, so "the changes above are not counted" pointed at
    nothing: the notice names what it means, the changes since the baseline."""
    source = csv_export(tmp_path / "e.csv", renewed_row("m1"), unsigned("m2"))
    last = tmp_path / "last.json"
    made = renewal("check", source, *BEFORE_DEADLINE, "-q", "-o", last)
    assert made.returncode == 0, made.stderr
    for lang, said, gone in (
        ("en", "so the changes since the baseline are not counted as news", "changes above"),
        ("zh", "与基准报告相比的变化不计为新问题", "以上变化"),
    ):
        for quiet in ((), ("-q",)):
            ran = renewal(
                "check", source, "--as-of", "2022-12-20", "--baseline", last,
                "--fail-on", "new", "--lang", lang, *quiet, "-o", tmp_path / "tonight.json",
            )  # fmt: skip
            assert ran.returncode == 0, ran.stderr
            assert said in ran.stderr and gone not in ran.stderr


@pytest.mark.parametrize(
    ("lang", "expected", "owed"),
    [("en", "expected ¥50,000 · read ¥30,000", "owed ¥20,000"),
     ("zh", "应为 ¥50,000 · 实际 ¥30,000", "尚欠 ¥20,000")],
)  # fmt: skip
def test_a_finding_card_shows_its_amounts_as_money(
    browser: Any, tmp_path: Path, lang: str, expected: str, owed: str
) -> None:
    """The evidence line read "expected 50,000 · read 30,000" beside "owed ¥20,000";
    the waiver beside a finding says its end as the messages do."""
    source = csv_export(tmp_path / "e.csv", short_balance("d1"), unsigned("w1"))
    page_file = tmp_path / "r.html"
    waivers = waiver_file(tmp_path / "waivers.csv")
    options = ("--lang", lang, "--waivers", waivers, "-q", "-o", page_file)
    ran = renewal("check", source, *BEFORE_DEADLINE, *options)
    assert ran.returncode == 0, ran.stderr
    seen = Visit(browser, page_file, "en-US" if lang == "en" else "zh-CN")
    page = seen.open()
    lines: dict[str, list[str]] = {}
    for merchant_id in ("d1", "w1"):
        page.fill("#search", merchant_id)
        page.locator("#merchant-rows tr.merchant").first.click()
        lines[merchant_id] = page.locator("#merchant-rows tr.detail p.evidence").all_inner_texts()
        page.locator("#merchant-rows tr.merchant").first.click()
    (deposit,) = [line for line in lines["d1"] if owed in line]
    assert deposit.startswith(expected)
    through = "valid through 2021-12-31" if lang == "en" else "有效至 2021-12-31"
    assert any(line.endswith(through) for line in lines["w1"])
    seen.clean()
    seen.close()


# --- #8 rows after a 合计 line, on the sheet that continues it ---------------------------------


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Row 4 is a 合计 (totals) line, but rows 商家 (2)!2, 商家 (2)!3 after it (2 in all)"),
        ("zh", "第 4 行是合计行，但其后第 商家 (2)!2、商家 (2)!3 行（共 2 行）仍像商家行"),
    ],
)  # fmt: skip
def test_rows_of_a_continuation_sheet_are_after_the_totals_line(
    tmp_path: Path, lang: str, said: str
) -> None:
    """Rows on 商家 (2) are not below row 4 of 商家: they come after it."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    for cells in (EXPORT_HEADER, renewed_row("m1"), renewed_row("m2")):
        sheet.append(cells)
    sheet.append(["合计", "", "", "", "", "", "", 100000, 120000])
    continued = book.create_sheet("商家 (2)")
    for cells in (EXPORT_HEADER, renewed_row("m3"), renewed_row("m4")):
        continued.append(cells)
    book.save(tmp_path / "e.xlsx")
    run = run_file(tmp_path / "e.xlsx", AFTER_DEADLINE, lang=lang)
    assert [r["merchant_id"] for r in run.results] == ["m1", "m2", "m3", "m4"]
    notes = [n for n in run.summary["notes"] if str(n["code"]).startswith("note.after_total")]
    assert [n["code"] for n in notes] == ["note.after_total.continued"]
    assert said in notes[0]["message"]
    assert "below" not in notes[0]["message"] and "其下" not in notes[0]["message"]
