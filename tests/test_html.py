"""The HTML report: a self-contained page, checked as a person sees it, in headless Chromium.

The browser tests need Chromium (Debian's `chromium`) and the `playwright` package (its
Python driver; no browser download). Without them they are skipped, unless
RENEWAL_REQUIRE_BROWSER=1, as CI sets, where a missing browser is a failure.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import (
    AFTER_DEADLINE,
    EXPORT_HEADER,
    XLSX,
    Collect,
    renewal,
    renewed_row,
    write_csv,
)
from test_final_steps_and_bounds import DAY_BEFORE_DEADLINE_2019, HEADER, ROWS_2019

from renewal.model import OUTCOME_ORDER
from renewal.pipeline import check_file
from renewal.render.html import HtmlRenderer
from renewal.report import shown_outcomes
from renewal.ruleset import load
from renewal.timeutil import BEIJING

AFTER = ["--rules", "tmall-2022", "--as-of", "2021-12-27 00:00", "--fail-on", "never", "-q"]
HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    "</script><img src=x onerror=alert(1)>",
    '=HYPERLINK("http://evil.example/","click")',
    "\"Quotes\" & 'apostrophes' &amp; &lt;b&gt;",
    "<!-- not a comment",
    "line\u2028separator\u2029paragraph",
    "{{7*7}} ${alert(1)}",
    'x","outcome":"error","deposit_shortfall":9e9,"annual_fee_due":9e9,"y":"',
]
HOSTILE_ID = "<img src=y onerror=alert(2)>"
HOSTILE_CATEGORY = "<svg onload=alert(3)>"
DATA_BLOCK = re.compile(
    r'<script type="application/json" id="report-data">(.*?)</script>', re.DOTALL
)


# --- building the reports ---------------------------------------------------------------


def embedded(page: Path) -> dict[str, Any]:
    """The data block of a page, as the page's script reads it."""
    blocks = DATA_BLOCK.findall(page.read_text(encoding="utf-8"))
    assert len(blocks) == 1
    data: dict[str, Any] = json.loads(blocks[0])
    return data


def hostile_export(folder: Path) -> Path:
    """A CSV whose shop names, one merchant id and one category are markup or formulas."""
    path = folder / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, "店铺名称"])
        for number, name in enumerate(HOSTILE_NAMES):
            writer.writerow([*renewed_row(f"hostile-{number}"), name])
        failing = renewed_row(HOSTILE_ID)
        failing[EXPORT_HEADER.index("协议签署时间")] = ""  # failed: no agreement
        writer.writerow([*failing, "<b>bold</b>"])
        unknown = renewed_row("hostile-category")
        unknown[EXPORT_HEADER.index("主营类目")] = HOSTILE_CATEGORY  # error: no fee tier
        unknown[EXPORT_HEADER.index("年费已缴")] = "45000"  # one tier's fee, not the other's
        writer.writerow([*unknown, "<i>category</i>"])
    return path


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The bundled fixture checked once into an HTML and a JSON report."""
    folder = tmp_path_factory.mktemp("fixture")
    page, report = folder / "report.html", folder / "report.json"
    result = renewal("check", XLSX, *AFTER, "-o", page, "-o", report)
    assert result.returncode == 0, result.stderr
    return page, json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("hostile")
    export = hostile_export(folder)
    page, report = folder / "report.html", folder / "report.json"
    result = renewal("check", export, *AFTER, "-o", page, "-o", report)
    assert result.returncode == 0, result.stderr
    return page, json.loads(report.read_text(encoding="utf-8"))


# --- the file itself, without a browser -------------------------------------------------

RESOURCE = re.compile(
    r"""(?:\b(?:src|href|action|poster|data|srcset|xlink:href)\s*=\s*["']?\s*(?:https?:)?//)"""
    r"""|(?:url\(\s*["']?\s*(?:https?:)?//)|@import|<link\b(?![^>]*href="data:)|<iframe|<object|<embed""",
    re.IGNORECASE,
)


@pytest.mark.parametrize("run", ["fixture_run", "hostile_run"])
def test_the_page_loads_nothing_from_outside(run: str, request: pytest.FixtureRequest) -> None:
    page, _ = request.getfixturevalue(run)
    text = page.read_text(encoding="utf-8")
    assert RESOURCE.findall(text) == []
    assert re.findall(r"<script\b[^>]*\bsrc=", text) == []
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
    assert policy is not None and "default-src &#x27;none&#x27;" in policy.group(1)


def test_the_data_block_is_the_json_report(fixture_run: tuple[Path, dict[str, Any]]) -> None:
    """Every merchant of the run, duplicates' replacements included, exactly as in JSON."""
    page, report = fixture_run
    data = embedded(page)
    assert data["merchants"] == report["merchants"]
    # every outcome, but no row of 0 waived merchants in a run without --waivers
    counts = report["summary"]["outcomes"]
    assert counts["waived"] == 0 and "waivers" not in report["summary"]
    assert [(o["value"], o["count"]) for o in data["outcomes"]] == [
        (value, count) for value, count in counts.items() if value != "waived"
    ]


def test_the_page_names_each_status_as_the_workbook_does(tmp_path: Path) -> None:
    """One run to a page and a workbook: every status the 明细 sheet names (warn among
    them) is named the same on the page, in both languages."""
    import openpyxl

    for lang in ("zh", "en"):
        page, book = tmp_path / f"r-{lang}.html", tmp_path / f"r-{lang}.xlsx"
        result = renewal("check", XLSX, *AFTER, "--lang", lang, "-o", page, "-o", book)
        assert result.returncode == 0, result.stderr
        statuses = embedded(page)["statuses"]
        detail = openpyxl.load_workbook(book, read_only=True).worksheets[2]
        named: dict[str, set[str]] = {}
        merchants = {m["row"]: m for m in embedded(page)["merchants"]}
        for row in list(detail.iter_rows(min_row=2, values_only=True)):
            rule, label = row[4], row[6]
            findings = merchants[row[2]]["findings"]
            status = next(f["status"] for f in findings if f["rule"] == rule)
            named.setdefault(status, set()).add(label)
        assert "warn" in named  # the fixture has unreadable cells: LD04 warnings
        assert named == {status: {statuses[status]} for status in named}


def test_every_listing_names_the_columns_it_shares_alike(tmp_path: Path) -> None:
    """The terminal table, the page's merchant table and the workbook (its appended columns
    and the 明细 sheet) give a column they share one name, in both languages."""
    import openpyxl

    for lang in ("zh", "en"):
        page, book = tmp_path / f"r-{lang}.html", tmp_path / f"r-{lang}.xlsx"
        written = renewal("check", XLSX, *AFTER, "--lang", lang, "-o", page, "-o", book)
        assert written.returncode == 0, written.stderr
        shown = renewal("check", XLSX, *AFTER, "--lang", lang, "--fail-on", "never")
        assert shown.returncode == 0, shown.stderr
        heads = re.findall(r"<th>([^<]*)</th>", page.read_text(encoding="utf-8"))
        sheets = openpyxl.load_workbook(book, read_only=True).worksheets
        appended = next(sheets[0].iter_rows(max_row=1, values_only=True))
        detail = next(sheets[2].iter_rows(max_row=1, values_only=True))
        tables = [line.split("┃") for line in shown.stdout.splitlines() if "┃" in line]
        table = [cell.strip() for cell in tables[-1] if cell.strip()]  # the merchants, last
        merchant_id = "商家ID" if lang == "zh" else "Merchant id"
        fee = "应缴年费" if lang == "zh" else "Annual fee due"
        next_action = "下一步" if lang == "zh" else "Next action"
        assert merchant_id in heads and merchant_id in table and detail[0] == merchant_id
        assert fee in heads and fee in appended
        assert next_action in heads and next_action in table and next_action in appended
        assert heads[2] == detail[1] == table[2]  # the shop name


def test_hostile_values_cannot_leave_the_data_block(
    hostile_run: tuple[Path, dict[str, Any]],
) -> None:
    page, report = hostile_run
    text = page.read_text(encoding="utf-8")
    block = DATA_BLOCK.findall(text)[0]
    for raw in ("<", ">", "&", "\u2028", "\u2029"):
        assert raw not in block
    assert embedded(page)["merchants"] == report["merchants"]
    assert {m["shop_name"] for m in report["merchants"]} >= set(HOSTILE_NAMES)
    # our two scripts, and nothing a shop name opened; ours holds nothing that would make
    # the HTML parser read past its end
    assert len(re.findall(r"<script\b", text)) == 2
    script = text.rsplit("<script>", 1)[1].split("</script>")[0]
    assert "<!--" not in script and "<script" not in script.lower()
    assert "innerHTML" not in text and "insertAdjacentHTML" not in text


def test_urgency_read_from_the_line_is_the_decoded_one(
    hostile_run: tuple[Path, dict[str, Any]], fixture_run: tuple[Path, dict[str, Any]]
) -> None:
    """The cap ranks merchants from their JSON line without decoding it; a shop name that
    spells out an outcome and amounts must not fool it."""
    from renewal.render.html import _urgency

    rank = {outcome.value: position for position, outcome in enumerate(OUTCOME_ORDER)}
    for _, report in (hostile_run, fixture_run):
        for merchant in report["merchants"]:
            line = orjson.dumps(merchant)
            amounts = (merchant["deposit_shortfall"], merchant["annual_fee_due"])
            # the amount known to be owed, and whether some of it cannot be told (never 0)
            known = sum(amount for amount in amounts if amount is not None)
            expected = (rank[merchant["outcome"]], known, None in amounts)
            assert _urgency(line) == expected


def test_the_same_run_gives_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.htm"
    assert renewal("check", XLSX, *AFTER, "-o", first).returncode == 0
    assert renewal("check", XLSX, *AFTER, "-o", second).returncode == 0
    assert first.read_bytes() == second.read_bytes()
    streamed = renewal("check", XLSX, *AFTER, "--format", "html")
    assert streamed.stdout.encode("utf-8") == first.read_bytes()


def _capped(tmp_path: Path, cap: int) -> tuple[dict[str, Any], str, list[dict[str, Any]]]:
    page = tmp_path / f"cap-{cap}.html"
    collect = Collect()
    check_file(XLSX, load("tmall-2022"), AFTER_DEADLINE, "zh", [HtmlRenderer(page, cap), collect])
    return embedded(page), page.read_text(encoding="utf-8"), collect.results


@pytest.mark.parametrize("cap", [5, 10, 30])
def test_a_capped_page_embeds_the_most_urgent_and_says_so(tmp_path: Path, cap: int) -> None:
    data, text, results = _capped(tmp_path, cap)
    rank = {outcome.value: position for position, outcome in enumerate(OUTCOME_ORDER)}

    def urgency(index: int) -> tuple[int, float, int]:
        result = results[index]
        owed = (result["deposit_shortfall"] or 0) + (result["annual_fee_due"] or 0)
        return (rank[result["outcome"]], -owed, index)

    wanted = sorted(sorted(range(len(results)), key=urgency)[:cap])
    assert data["merchants"] == [results[index] for index in wanted]
    hidden = len(results) - cap
    notice = re.search(r'<p class="capped" id="capped">([^<]*)</p>', text)
    assert notice is not None
    assert f"只列出 {cap} 个商家（共 {len(results)} 个" in notice.group(1)
    assert f"另有 {hidden} 个未列出" in notice.group(1)
    assert "JSON" in notice.group(1) and "xlsx" in notice.group(1)


def test_an_uncapped_page_has_every_merchant_and_no_notice(tmp_path: Path) -> None:
    data, text, results = _capped(tmp_path, 43)
    assert data["merchants"] == results
    assert 'id="capped"' not in text


def test_the_explanations_come_from_the_run_s_rule_file(tmp_path: Path) -> None:
    """A rule file of one's own: its quote, not the bundled one's, explains the rule."""
    from renewal.ruleset import bundled_dir

    bundled = (bundled_dir() / "tmall-2022.toml").read_text(encoding="utf-8")
    quote = "保证金要求:若已缴存的保证金金额不足"
    assert quote in bundled
    own = tmp_path / "own-2022.toml"
    own.write_text(bundled.replace(quote, "OUR OWN QUOTE <b>&", 1), encoding="utf-8")
    page = tmp_path / "own.html"
    result = renewal("check", XLSX, "--rules", own, "--as-of", "2021-12-27 00:00", "-q", "-o", page)
    assert result.returncode == 1, result.stderr
    lines = " ".join(text for _, text in embedded(page)["rules"]["DP01"]["lines"])
    assert "OUR OWN QUOTE <b>&" in lines
    assert quote not in lines


# --- in the browser ---------------------------------------------------------------------


class Visit:
    """A page opened from its file, with everything that went wrong while it was open."""

    def __init__(self, browser: Any, path: Path, lang: str = "zh-CN") -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale=lang)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None,
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = path.resolve().as_uri()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self) -> Any:
        self.page.goto(self.url)
        self.page.wait_for_selector("#merchant-rows tr")
        return self.page

    def rows(self) -> list[tuple[int, str | None, str | None, str]]:
        """(row, merchant id, shop name, outcome) of every merchant row shown."""
        found = self.page.eval_on_selector_all(
            "#merchant-rows tr.merchant",
            """rows => rows.map(r => [
                r.cells[0].textContent.replace(/[^0-9]/g, ''),
                r.querySelector('td.id').textContent,
                r.querySelector('td.shop').textContent,
                r.dataset.outcome])""",
        )
        return [(int(row), mid or None, shop or None, outcome) for row, mid, shop, outcome in found]

    def clean(self) -> None:
        assert self.errors == []
        assert self.dialogs == []
        assert [url for url in self.requests if not url.startswith("file://")] == []

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_visit(path: Path, lang: str = "zh-CN") -> Visit:
        opened.append(Visit(browser, path, lang))
        return opened[-1]

    yield open_visit
    for one in opened:
        one.close()


def _key(merchant: dict[str, Any]) -> tuple[int, str | None, str | None, str]:
    return (merchant["row"], merchant["merchant_id"], merchant["shop_name"], merchant["outcome"])


def test_the_page_loads_clean_and_draws_the_chart(
    visit: Any, fixture_run: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    page_file, report = fixture_run
    seen = visit(page_file)
    page = seen.open()
    summary = report["summary"]
    bars = page.locator("#outcome-chart rect")
    shown = shown_outcomes(summary)  # no bar of 0 waived merchants without --waivers
    assert [value for value, _ in shown] == [o for o in summary["outcomes"] if o != "waived"]
    assert bars.count() == len(shown)
    chart = page.locator("#outcome-chart").text_content()
    for _, count in shown:
        assert str(count) in chart
    money = page.locator("#money-chart").text_content()
    assert f"¥{summary['deposit_shortfall_total']:,.0f}" in money
    assert f"¥{summary['annual_fee_due_total']:,.0f}" in money
    # the deadline (2021-12-26 18:00) had passed at the as-of (2021-12-27 00:00)
    assert page.locator("#left-at-as-of").inner_text() == "已截止"
    assert page.locator("#outcome-chart").bounding_box()["width"] > 200
    assert len(seen.rows()) == summary["merchants"]
    page.screenshot(path=str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").stat().st_size > 10_000
    seen.clean()


def test_on_a_phone_each_merchant_is_a_card_and_nothing_scrolls_sideways(
    visit: Any, fixture_run: tuple[Path, dict[str, Any]]
) -> None:
    """At 390 px the ten-column table would be 840 px wide: each merchant is a card whose
    values are labelled with their column's name, and the page stays within the screen,
    with a merchant's findings and a rule's sources (long URLs) opened."""
    page_file, report = fixture_run
    seen = visit(page_file)
    page = seen.page
    page.set_viewport_size({"width": 390, "height": 844})
    seen.open()
    assert not page.locator("#merchant-table thead").is_visible()
    headers = page.eval_on_selector_all(
        "#merchant-table thead th", "t => t.map(h => h.textContent)"
    )
    first = page.locator("#merchant-rows tr.merchant").first
    labels = first.locator("td").evaluate_all("cells => cells.map(c => c.dataset.label)")
    assert labels == headers
    reason = first.locator("td.reason")
    assert reason.evaluate("c => getComputedStyle(c, '::before').content") == '"原因："'
    assert first.locator("td.id").bounding_box()["width"] < 390
    first.click()
    page.locator("tr.detail details.explain").first.evaluate("e => e.open = true")
    page.locator("#rules details").evaluate_all("all => all.forEach(d => d.open = true)")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert len(seen.rows()) == report["summary"]["merchants"]
    seen.clean()


SHOWN_CELLS = """rows => rows.map(row => Array.from(row.cells)
    .filter(cell => getComputedStyle(cell).display !== "none")
    .map(cell => [cell.dataset.label, getComputedStyle(cell, "::before").content,
                  cell.getBoundingClientRect().width]))"""
"""Per merchant row, each cell shown: its column's name, what is drawn before it, its width."""


@pytest.mark.parametrize(("lang", "colon"), [("zh", "："), ("en", ": ")])
def test_on_a_phone_every_value_is_labelled_in_the_page_s_language(
    visit: Any, tmp_path: Path, lang: str, colon: str
) -> None:
    """With the header row hidden, each value a card shows (row, id, shop and outcome
    included) follows its column's name, written as the page's language writes a label;
    the wide table draws no label in its cells. Two days before the deadline, so that
    pending merchants show a time left too."""
    page_file = tmp_path / f"{lang}.html"
    options = ["--rules", "tmall-2022", "--as-of", "2021-12-24 16:00", "--fail-on", "never"]
    result = renewal("check", XLSX, *options, "--lang", lang, "-q", "-o", page_file)
    assert result.returncode == 0, result.stderr
    seen = visit(page_file, "zh-CN" if lang == "zh" else "en-US")
    page = seen.page
    page.set_viewport_size({"width": 390, "height": 844})
    seen.open()
    headers = page.eval_on_selector_all(
        "#merchant-table thead th", "t => t.map(h => h.textContent)"
    )
    cards = page.eval_on_selector_all("#merchant-rows tr.merchant", SHOWN_CELLS)
    assert len(cards) == len(embedded(page_file)["merchants"])
    shown_labels = set()
    for card in cards:
        for label, before, width in card:
            assert label in headers
            assert before == json.dumps(label + colon, ensure_ascii=False), (label, before)
            assert 0 < width <= 390
            shown_labels.add(label)
    assert shown_labels == set(headers)  # every column is labelled on some card
    page.set_viewport_size({"width": 1280, "height": 900})
    wide = page.eval_on_selector_all("#merchant-rows tr.merchant", SHOWN_CELLS)
    assert {before for card in wide for _, before, _ in card} == {"none"}
    assert all(len(card) == len(headers) for card in wide)
    seen.clean()


def test_filter_by_outcome_shows_exactly_that_outcome(
    visit: Any, fixture_run: tuple[Path, dict[str, Any]]
) -> None:
    page_file, report = fixture_run
    seen = visit(page_file)
    page = seen.open()
    everyone = sorted(_key(m) for m in report["merchants"])
    assert sorted(seen.rows()) == everyone
    for outcome, _ in shown_outcomes(report["summary"]):
        page.select_option("#outcome", outcome)
        wanted = sorted(_key(m) for m in report["merchants"] if m["outcome"] == outcome)
        assert sorted(seen.rows()) == wanted, outcome
        if not wanted:
            assert page.locator("#merchant-rows td.empty").is_visible()
    page.select_option("#outcome", "")
    assert sorted(seen.rows()) == everyone
    seen.clean()


def test_search_by_merchant_id_and_by_shop_name(
    visit: Any, fixture_run: tuple[Path, dict[str, Any]]
) -> None:
    page_file, report = fixture_run
    seen = visit(page_file)
    page = seen.open()
    merchants = report["merchants"]

    def matching(query: str) -> list[tuple[int, str | None, str | None, str]]:
        q = query.lower()
        return sorted(
            _key(m)
            for m in merchants
            if q in (m["merchant_id"] or "").lower() or q in (m["shop_name"] or "").lower()
        )

    repeated = next(
        m["shop_name"]
        for m in merchants
        if sum(other["shop_name"] == m["shop_name"] for other in merchants) > 1
    )
    for query in ("failed-no-transfer", "FAILED-DEPOSIT", "1234567890123", "error-dup", repeated):
        page.fill("#search", query)
        assert sorted(seen.rows()) == matching(query), query
        assert seen.rows(), query
    page.fill("#search", "no such merchant anywhere")
    assert seen.rows() == []
    # search and filter together
    page.fill("#search", "transfer")
    page.select_option("#outcome", "failed")
    both = [m for m in matching("transfer") if m[3] == "failed"]
    assert sorted(seen.rows()) == both and both
    seen.clean()


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_an_opened_merchant_shows_its_findings_with_the_rule_s_explanation_and_source(
    visit: Any, fixture_run: tuple[Path, dict[str, Any]]
) -> None:
    page_file, report = fixture_run
    merchant = next(m for m in report["merchants"] if m["merchant_id"] == "failed-deposit-short")
    failing = next(f for f in merchant["findings"] if f["status"] == "fail")
    seen = visit(page_file)
    page = seen.open()
    page.fill("#search", merchant["merchant_id"])
    page.locator("#merchant-rows tr.merchant button.open").click()
    detail = page.locator("#merchant-rows tr.detail")
    assert detail.is_visible()
    for found in merchant["findings"]:
        assert found["message"] in detail.inner_text()
    card = detail.locator(".finding.s-fail")
    assert card.count() == 1
    explanation = card.locator(".explanation")
    assert explanation.is_visible()  # open for a failing rule
    shown = _flat(explanation.inner_text())
    explained = renewal("explain", failing["rule"], "--rules", "tmall-2022").stdout
    assert "出处" in explained and "失败条件" in explained
    # the Chinese page is a merchant's: the rule file's figures and source, in full, but not
    # the English documentation written for every year, which it points to instead
    documentation = explained.index("失败条件"), explained.index("tmall-2022（")
    for line in explained[documentation[1] :].splitlines():
        assert _flat(line) in shown, line
    for line in explained[documentation[0] : documentation[1]].splitlines():
        if re.search(r"[A-Za-z]{4}", line):
            assert _flat(line) not in shown, line
    assert _flat(f"renewal explain {failing['rule']} --rules tmall-2022") in shown
    link = explanation.locator("a[href^='https://']")
    assert link.count() >= 1 and link.first.get_attribute("rel") == "noopener noreferrer"
    # a passing rule's explanation is there too, one click away
    passing = detail.locator(".finding.s-pass details.explain").first
    assert not passing.locator(".explanation").is_visible()
    passing.locator("summary").click()
    assert passing.locator(".explanation").is_visible()
    # and closing the row takes the findings away again
    page.locator("#merchant-rows tr.merchant button.open").click()
    assert page.locator("#merchant-rows tr.detail").count() == 0
    seen.clean()


def test_an_error_finding_shows_its_message_without_expected_and_actual(
    visit: Any, fixture_run: tuple[Path, dict[str, Any]]
) -> None:
    # DP01 of a top-up after the deadline: balance 50,000 of 50,000 read, verdict unknown;
    # "expected 50,000 · actual 50,000" beside it would read as a contradiction
    _, report = fixture_run
    merchant = next(m for m in report["merchants"] if m["merchant_id"] == "error-deposit-topup-late")
    (dp01,) = [f for f in merchant["findings"] if f["rule"] == "DP01"]
    assert dp01["status"] == "error" and dp01["expected"] == dp01["actual"] == 50000
    seen = visit(fixture_run[0])
    page = seen.open()
    page.fill("#search", merchant["merchant_id"])
    page.locator("#merchant-rows tr.merchant button.open").click()
    card = page.locator("#merchant-rows tr.detail .finding.s-error").filter(has_text="DP01")
    assert card.count() == 1
    assert dp01["message"] in card.inner_text()
    evidence = card.locator("p.evidence")
    shown = evidence.inner_text() if evidence.count() else ""
    assert "应为" not in shown and "实际" not in shown
    # a failing finding keeps them
    page.locator("#merchant-rows tr.merchant button.open").click()
    page.fill("#search", "failed-deposit-short")
    page.locator("#merchant-rows tr.merchant button.open").click()
    failing = page.locator("#merchant-rows tr.detail .finding.s-fail p.evidence")
    assert failing.count() == 1 and "应为" in failing.inner_text()
    seen.clean()


def test_hostile_names_show_as_text(visit: Any, hostile_run: tuple[Path, dict[str, Any]]) -> None:
    page_file, report = hostile_run
    seen = visit(page_file)
    page = seen.open()
    shops = page.eval_on_selector_all(
        "#merchant-rows td.shop", "cells => cells.map(c => c.textContent)"
    )
    assert sorted(shops) == sorted(m["shop_name"] for m in report["merchants"])
    ids = page.eval_on_selector_all(
        "#merchant-rows td.id", "cells => cells.map(c => c.textContent)"
    )
    assert HOSTILE_ID in ids
    assert page.locator("main img, main iframe, main b, main i").count() == 0
    assert page.evaluate("document.scripts.length") == 2
    # typing markup into the search finds the shop that is named so
    page.fill("#search", "<script>")
    assert [shop for _, _, shop, _ in seen.rows()] == [HOSTILE_NAMES[0]]
    page.fill("#search", "script><")
    assert [shop for _, _, shop, _ in seen.rows()] == [HOSTILE_NAMES[1]]
    # a message that quotes a hostile cell is text too
    page.fill("#search", "hostile-category")
    page.locator("#merchant-rows tr.merchant").click()
    assert HOSTILE_CATEGORY in page.locator("#merchant-rows tr.detail").inner_text()
    page.fill("#search", HOSTILE_ID)
    assert [mid for _, mid, _, _ in seen.rows()] == [HOSTILE_ID]
    page.locator("#merchant-rows tr.merchant").click()
    assert page.locator("main img").count() == 0
    seen.clean()


def test_english_labels_and_the_live_countdown(visit: Any, tmp_path: Path) -> None:
    page_file = tmp_path / "en.html"
    result = renewal(
        "check",
        XLSX,
        "--rules",
        "tmall-2022",
        "--as-of",
        "2021-12-01 12:00",
        "--lang",
        "en",
        "--fail-on",
        "never",
        "-q",
        "-o",
        page_file,
    )
    assert result.returncode == 0, result.stderr
    seen = visit(page_file, "en-US")
    # the browser's clock one hour and a half before the deadline (2021-12-26 18:00)
    seen.page.clock.set_fixed_time(datetime(2021, 12, 26, 16, 30, tzinfo=BEIJING))
    page = seen.open()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h2").first.inner_text() == "Summary"
    labels = page.eval_on_selector_all("#outcome option", "o => o.map(x => x.textContent)")
    assert labels[0] == "All outcomes" and any(label.startswith("pending (") for label in labels)
    # 2021-12-01 12:00 to 2021-12-26 18:00 is 25 days and 6 hours
    assert page.locator("#left-at-as-of").inner_text() == "25d 6h"
    assert page.locator("#live-countdown").inner_text() == "1h 30m"
    assert "Show the findings" in page.locator("button.open").first.get_attribute("title")
    seen.clean()


def test_an_outcome_the_page_does_not_know_still_renders(visit: Any, tmp_path: Path) -> None:
    """A report from a newer engine, with an outcome this page has no label for."""
    collect = Collect()
    check_file(XLSX, load("tmall-2022"), AFTER_DEADLINE, "zh", [collect])
    assert collect.header is not None
    renamed = {**collect.results[0], "outcome": "mystery"}
    page_file = tmp_path / "unknown.html"
    renderer = HtmlRenderer(page_file)
    renderer.begin(collect.header)
    for result in [renamed, *collect.results[1:]]:
        renderer.add(orjson.dumps(result), True, None)
    outcomes = dict(collect.summary["outcomes"])  # type: ignore[call-overload]
    outcomes[renamed["outcome"]] = 1
    renderer.finish({**collect.summary, "outcomes": outcomes}, {})
    seen = visit(page_file)
    page = seen.open()
    assert "mystery" in page.locator("#outcome-chart").text_content()
    page.select_option("#outcome", "mystery")
    assert seen.rows() == [_key(renamed)]
    assert page.locator("#merchant-rows .badge.o-other").inner_text() == "mystery"
    seen.clean()


@pytest.mark.parametrize(
    ("ids", "en", "zh"),
    [
        (
            ["a", "a", "b"],
            "1 merchant id is on more than one row; all its rows are errors.",
            "1 个商家ID出现在多行，这些行都是数据错误。",
        ),
        (
            ["a", "a", "b", "b"],
            "2 merchant ids are on more than one row; all their rows are errors.",
            "2 个商家ID出现在多行，这些行都是数据错误。",
        ),
    ],
)
def test_the_note_on_repeated_ids_agrees_with_their_count(tmp_path, ids, en, zh):
    export = tmp_path / "dup.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, *(renewed_row(i) for i in ids)])
    for lang, says in (("en", en), ("zh", zh)):
        page = tmp_path / f"{lang}.html"
        assert renewal("check", export, *AFTER, "--lang", lang, "-o", page).returncode == 0
        assert f'<p class="note">{says}</p>' in page.read_text(encoding="utf-8")


def test_the_reason_shown_is_the_step_that_can_no_longer_be_made_good(
    visit: Any, tmp_path: Path
) -> None:
    """As in the terminal table: a merchant whose failed assessment is over (AS01, final)
    and whose deposit is short too (DP01, earlier in the rule file) is shown the
    assessment as its reason; topping the deposit up would renew nothing."""
    export = write_csv(tmp_path / "export-2019.csv", HEADER, ROWS_2019)
    page_file = tmp_path / "report.html"
    args = ["--rules", "tmall-2019", "--as-of", DAY_BEFORE_DEADLINE_2019, "--fail-on", "never"]
    run = renewal("check", export, *args, "-o", page_file, "-q")
    assert run.returncode == 0, run.stderr
    seen = visit(page_file)
    page = seen.open()
    reasons = dict(
        page.eval_on_selector_all(
            "#merchant-rows tr.merchant",
            "rows => rows.map(r => [r.querySelector('td.id').textContent,"
            " r.querySelector('td.reason').textContent])",
        )
    )
    assert reasons["final-short"].startswith("运营能力考核不达标，无法续签")
    assert reasons["open"].startswith("尚未签署协议")  # its first failure, as before
    seen.clean()
