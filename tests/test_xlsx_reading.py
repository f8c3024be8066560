"""What a reader of the workbook (and of the CSV and JUnit made beside it) sees: the text
staff act on not cut off, store types counted as the deposit rule reads them, evidence in
words, one rule a line, English that agrees in number, times as the messages write them,
and a CSV export's amounts as numbers. Workbooks are read back with openpyxl and, where
openpyxl hides it, as the XML Excel reads."""

from __future__ import annotations

import csv
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest
from openpyxl.utils import get_column_letter
from rich.cells import cell_len

from renewal import i18n
from renewal.checks.deposit import DepositParams
from renewal.ruleset import RuleSet
from tests.conftest import EXPORT_HEADER, renewal, renewed_row

DUE_SOON_AS_OF = "2021-12-25 12:00"
"""1 day 6 hours before the 2022 deadline: a pending merchant is due soon."""

LABELS = {
    "zh": {"shop": "店铺名称", "next": "下一步", "left": "剩余时间", "problems": "问题"},
    "en": {"shop": "店铺名称", "next": "Next action", "left": "Time left", "problems": "Problems"},
}
HEADER = [*EXPORT_HEADER, "店铺名称"]


def pending_row(merchant_id: str, shop: str = "小店") -> list[object]:
    """A merchant under HEADER whose agreement is not signed yet (DL02 pending)."""
    row = [*renewed_row(merchant_id), shop]
    row[EXPORT_HEADER.index("协议签署时间")] = ""
    return row


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def check(export: Path, *args: str | Path, as_of: str = DUE_SOON_AS_OF, lang: str = "zh") -> str:
    """Run `renewal check` as a user does; return its stderr."""
    done = renewal(
        "check", export, "--rules", "tmall-2022", "--as-of", as_of, "--fail-on", "never",
        "--lang", lang, *args,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stderr


def sheet_xml(path: Path, number: int = 1) -> str:
    with zipfile.ZipFile(path) as book:
        return book.read(f"xl/worksheets/sheet{number}.xml").decode()


def column_of(sheet: Any, name: str) -> int:
    """The 1-based column of the header `name` in row 1."""
    return [cell.value for cell in sheet[1]].index(name) + 1


# --- 1. what staff act on is not cut off -------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_next_action_and_shop_names_wrap_and_time_left_fits(tmp_path: Path, lang: str) -> None:
    long_name = "很长的店铺名称" * 60
    export = write_csv(
        tmp_path / "e.csv",
        HEADER,
        [pending_row("p1", long_name), pending_row("p2", "=HYPERLINK(1)"), pending_row("p3")],
    )
    check(export, "-o", tmp_path / "r.xlsx", "-o", tmp_path / "r.json", lang=lang)
    report = orjson.loads((tmp_path / "r.json").read_bytes())
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    sheet = book.worksheets[0]
    labels = LABELS[lang]
    shop, following, left = (column_of(sheet, labels[k]) for k in ("shop", "next", "left"))
    assert [m["due_soon"] for m in report["merchants"]] == [True, True, True]
    for row, merchant in enumerate(report["merchants"], start=2):
        action = sheet.cell(row, following)
        assert action.value == merchant["next_action"] and action.alignment.wrap_text
        assert sheet.cell(row, shop).alignment.wrap_text
        # the cell beside the time left is never empty, so the column must hold it whole
        shown = sheet.cell(row, left).value
        assert i18n.catalog(lang)["annotated.due_soon"].format(left="") in shown
        width = sheet.column_dimensions[get_column_letter(left)].width
        assert width >= cell_len(shown), (shown, width)
    guarded = sheet.cell(3, shop)
    assert guarded.value == "=HYPERLINK(1)" and guarded.quotePrefix and guarded.alignment.wrap_text
    # no row height is written, so Excel fits each row to its wrapped text on opening
    rows = re.findall(r"<row [^>]*>", sheet_xml(tmp_path / "r.xlsx"))
    assert len(rows) == 4
    assert not [r for r in rows if "ht=" in r or "customHeight" in r]


# --- 2. 汇总 counts store types as the deposit rule reads them ------------------------


def test_summary_counts_a_store_type_under_every_alias_as_one(
    tmp_path: Path, ruleset_2022: RuleSet
) -> None:
    deposit = ruleset_2022.params("DP01")
    assert isinstance(deposit, DepositParams)
    flagship = next(tier for tier in deposit.table if tier.store_type == "旗舰店")
    spellings = [flagship.store_type, *flagship.aliases, flagship.aliases[0].upper()]
    spellings.append(unicodedata.normalize("NFKC", spellings[0]).join("  "))  # spaces
    wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in flagship.aliases[0])
    spellings.append(wide)  # full-width letters, as intake folds them
    unknown = ["官方直营店", " 官方直营店 "]
    rows = [renewed_row(f"m{n}") for n in range(len(spellings) + len(unknown) + 1)]
    for row, spelling in zip(rows, [*spellings, *unknown, ""], strict=True):
        row[EXPORT_HEADER.index("店铺类型")] = spelling
    export = write_csv(tmp_path / "e.csv", EXPORT_HEADER, rows)
    check(export, "-o", tmp_path / "r.xlsx")
    summary = [list(r) for r in openpyxl.load_workbook(tmp_path / "r.xlsx")["汇总"].values]
    start = next(n for n, row in enumerate(summary) if row[0] == "按店铺类型") + 2
    end = next(n for n in range(start, len(summary)) if summary[n][0] is None)
    totals = {row[0]: row[len([c for c in summary[start - 1] if c is not None]) - 1]
              for row in summary[start:end]}  # fmt: skip
    assert totals == {"旗舰店": len(spellings), "官方直营店": 2, "（空）": 1}


# --- 3. evidence in words -----------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_transfer_evidence_is_written_in_words(tmp_path: Path, lang: str) -> None:
    row = renewed_row("points")  # never signed up: failed, and too many points to transfer
    row[EXPORT_HEADER.index("严重违规扣分")] = "12"
    row[EXPORT_HEADER.index("续签报名时间")] = row[EXPORT_HEADER.index("协议签署时间")] = ""
    export = write_csv(tmp_path / "e.csv", EXPORT_HEADER, [row])
    outputs = ("-o", tmp_path / "r.xlsx", "-o", tmp_path / "r.xml")
    check(export, *outputs, as_of="2021-12-27 00:00", lang=lang)
    detail = openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[2]
    (tb01,) = [r for r in detail.iter_rows(min_row=2, values_only=True) if r[4] == "TB01"]
    expected, actual = tb01[8], tb01[9]
    serious = i18n.catalog(lang)["evidence.serious"].format(value="12")
    below = i18n.catalog(lang)["evidence.serious_below"].format(value="12")
    for cell in (expected, actual):
        assert "{" not in cell and '"' not in cell and "_" not in cell, cell
    assert below in expected and serious in actual
    assert i18n.catalog(lang)["annotated.no"] in actual  # no appeal pending
    text = "\n".join(
        failure.text or ""
        for case in ET.parse(tmp_path / "r.xml").getroot().iter("testcase")
        if case.get("name", "").startswith("[TB01]")
        for failure in case
    )
    assert below in text and serious in text and "{" not in text


def test_evidence_text_labels_known_keys_and_keeps_unknown_ones() -> None:
    from renewal.render.evidence import evidence_text

    zh = evidence_text({"general_below": 48.0, "odd_key": 2.5, "appeal_pending": True}, "zh")
    parts = zh.split(i18n.catalog("zh")["evidence.join"])
    assert parts[0] == i18n.catalog("zh")["evidence.general_below"].format(value="48")
    assert "odd_key" in parts[1] and "2.5" in parts[1]
    assert parts[2].endswith(i18n.catalog("zh")["annotated.yes"])
    assert evidence_text("2021-12-26T18:00:00+08:00", "en") == "2021-12-26 18:00"
    assert evidence_text("2022-12-31", "en") == "2022-12-31"  # a day alone stays a day


# --- 4. one rule a line -------------------------------------------------------------


def test_a_line_break_in_a_message_does_not_read_as_another_rule(tmp_path: Path) -> None:
    broken = "id\nnewline"
    rows = [pending_row(broken, "甲店"), pending_row(broken, "乙店"), pending_row("ok")]
    export = write_csv(tmp_path / "e.csv", HEADER, rows)
    outputs = ("r.xlsx", "r.csv", "r.xml", "r.json")
    check(export, *(arg for name in outputs for arg in ("-o", tmp_path / name)))
    report = orjson.loads((tmp_path / "r.json").read_bytes())
    ld03 = [f["message"] for m in report["merchants"] for f in m["findings"] if f["rule"] == "LD03"]
    assert ld03 and all(broken in message for message in ld03)  # the JSON keeps it exact
    rule_line = re.compile(r"^[A-Z]{2}\d{2} ")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[0]
    problems = column_of(sheet, "问题")
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as stream:
        csv_rows = list(csv.reader(stream))
    cells = [sheet.cell(row, problems).value for row in (2, 3)]
    cells += [row[problems - 1] for row in csv_rows[1:3]]
    for cell in cells:
        assert "LD03" in cell and "id⏎newline" in cell
        assert all(rule_line.match(line) for line in cell.split("\n")), cell
    for case in ET.parse(tmp_path / "r.xml").getroot().iter("testcase"):
        for child in case:
            assert "\nnewline" not in (child.text or ""), child.text


# --- 5. English that agrees in number -----------------------------------------------


def test_english_says_one_formula_cell_and_one_waiver_applied(tmp_path: Path) -> None:
    export = tmp_path / "e.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    sheet.append(EXPORT_HEADER)
    sheet.append(pending_row("formula")[: len(EXPORT_HEADER)])
    sheet.append(pending_row("waived")[: len(EXPORT_HEADER)])
    sheet.cell(2, EXPORT_HEADER.index("年费已缴") + 1, "=30000*2")  # no saved result
    book.save(export)
    waivers = write_csv(
        tmp_path / "w.csv",
        ["商家ID", "规则", "原因", "审批人", "到期"],
        [["waived", "DL02", "系统故障", "王经理", "2021-12-31"]],
    )
    err = check(export, "--waivers", waivers, "-o", tmp_path / "r.xlsx", lang="en")
    assert "has 1 formula cell whose result" in err and "1 formula cells" not in err
    assert "waivers: 1 applied;" in err and "1 findings" not in err
    summary = [str(r[0]) for r in openpyxl.load_workbook(tmp_path / "r.xlsx")["Summary"].values]
    assert any("has 1 formula cell whose result" in line for line in summary)


def test_every_merchant_center_place_in_english_has_its_gloss() -> None:
    """商家中心-… is the name staff find on the page; in English it is followed by what it
    is, as the rule files' `where_en` write it: 商家中心-资金管理-保证金账户 (Merchant
    Center, funds, deposit account)."""
    place = re.compile(r"商家中心[-\w()（）]*-\w+(?!\w)(.{0,30})")
    gloss = re.compile(r" \((the old )?Merchant Center\b")
    unglossed = [
        (key, text)
        for key, text in i18n.catalog("en").items()
        for after in place.findall(text)
        if not gloss.match(after)
    ]
    assert unglossed == []


# --- 6. JUnit: times as the messages write them, no reordering controls -----------


def test_junit_times_read_as_messages_and_bidi_controls_are_neutralised(tmp_path: Path) -> None:
    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    rows = [pending_row("bidi", f"店{controls}abc")]
    rows[0][EXPORT_HEADER.index("保证金余额")] = "10000"  # deposit short: DP01 fails too
    export = write_csv(tmp_path / "e.csv", HEADER, rows)
    check(export, "-o", tmp_path / "r.xml", "-o", tmp_path / "r.json")
    document = (tmp_path / "r.xml").read_text(encoding="utf-8")
    assert not set(controls) & set(document)
    root = ET.parse(tmp_path / "r.xml").getroot()
    texts = [child.text or "" for case in root.iter("testcase") for child in case]
    assert any("（截止 2021-12-26 18:00）" in text for text in texts)
    iso = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
    assert [text for text in texts if iso.search(text)] == []
    report = orjson.loads((tmp_path / "r.json").read_bytes())
    assert controls in report["merchants"][0]["shop_name"]  # the JSON keeps the name exact


# --- 7. a CSV export's numbers --------------------------------------------------------


def test_a_csv_exports_plain_amounts_become_numbers_and_the_rest_stays_as_typed(
    tmp_path: Path,
) -> None:
    balances = ["50000", "-1234.5", "50,000元", "060000", "12.50", "5万", "0"]
    rows = []
    for n, balance in enumerate(balances):
        row = renewed_row(f"{100000000001 + n}")  # digits-only ids: text, every digit kept
        row[EXPORT_HEADER.index("保证金余额")] = balance
        rows.append(row)
    export = write_csv(tmp_path / "e.csv", EXPORT_HEADER, rows)
    check(export, "-o", tmp_path / "r.xlsx", as_of="2021-12-27 00:00")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[0]
    got = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    balance = EXPORT_HEADER.index("保证金余额")
    numbers = {"50000": 50000, "-1234.5": -1234.5, "0": 0}  # the rest stay text, as typed
    assert [row[balance] for row in got] == [numbers.get(typed, typed) for typed in balances]
    assert [row[0] for row in got] == [str(100000000001 + n) for n in range(len(balances))]
    signed = EXPORT_HEADER.index("合同签署时间")
    assert {row[signed] for row in got} == {"2020-01-01 10:00"}  # dates: text, as typed
    points = EXPORT_HEADER.index("严重违规扣分")
    assert {row[points] for row in got} == {0}


def test_a_workbook_exports_text_amount_stays_text(tmp_path: Path) -> None:
    """A workbook keeps its own cells' types: an amount someone stored as text is text."""
    export = tmp_path / "e.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    sheet.append(EXPORT_HEADER)
    sheet.append(renewed_row("m1"))  # every cell a string, the balance "50000" included
    book.save(export)
    check(export, "-o", tmp_path / "r.xlsx", as_of="2021-12-27 00:00")
    got = [c.value for c in openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[0][2]]
    assert got[EXPORT_HEADER.index("保证金余额")] == "50000"


def test_an_evidence_key_named_like_a_joining_word_is_shown_as_a_key():
    """evidence.other and evidence.join say how values are put together; a key so named is
    not taken for a label (nor raises)."""
    from renewal.render.evidence import evidence_text

    assert evidence_text({"other": 1, "join": 2.0, "serious": 12.0}, "zh") == (
        "other：1；join：2；严重违规扣分 12"
    )
