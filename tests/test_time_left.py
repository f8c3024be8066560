"""The time left before the deadline, worded and rounded one way in every output.

One as-of, one merchant (`failed-no-signup` of the bundled fixture: it never signed up, so
it is pending until the 2021-12-26 18:00 deadline and failed after it), every output of
`renewal check` (table, JSON, CSV, xlsx, JUnit, HTML), `renewal self-check` and `renewal
remind`, in both languages: at the deadline, one second, 30 seconds and 2d 23h 59m 30s
before it, and one second after it. The wording expected is the specification's (days and
hours, hours and minutes, minutes, seconds; always rounded down; 现在截止 / due now at the
deadline itself, with no "due soon" beside it), written out here, not read from the program.

The HTML page's script words the time left itself (its live countdown and its merchant
table); a browser test holds it equal to `renewal.i18n.time_left` over many spans.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import XLSX, renewal
from hypothesis import given
from hypothesis import strategies as st
from test_html import Visit

from renewal import i18n
from renewal.timeutil import BEIJING, parse_duration, seconds_left

DEADLINE = datetime(2021, 12, 26, 18, 0, tzinfo=BEIJING)
MERCHANT = "failed-no-signup"
RULES = ["--rules", "tmall-2022"]
LANGS = ("zh", "en")
ALMOST_3_DAYS = 2 * 86400 + 23 * 3600 + 59 * 60 + 30

CASES: dict[str, tuple[int, dict[str, str]]] = {
    # name: (seconds left, the time left as a cell shows it, per language)
    "at the deadline": (0, {"zh": "现在截止", "en": "due now"}),
    "one second before": (1, {"zh": "1秒", "en": "1s"}),
    "30 s before": (30, {"zh": "30秒", "en": "30s"}),
    "2d 23h 59m 30s before": (ALMOST_3_DAYS, {"zh": "2天23小时", "en": "2d 23h"}),
}
AFTER = -1
"""One second after the deadline: the merchant has failed and has no time left."""


def as_of(seconds: int) -> str:
    return (DEADLINE - timedelta(seconds=seconds)).strftime("%Y-%m-%d %H:%M:%S")


def marked(cell: str, lang: str) -> str:
    """A cell of a merchant --due-soon marks (every case here is under the default 72h)."""
    return f"{cell}（即将截止）" if lang == "zh" else f"{cell} (due soon)"


def sentence(cell: str, seconds: int, lang: str) -> str:
    """The time left inside a sentence: 还剩 30秒 / 30s left; the deadline itself as is."""
    if seconds == 0:
        return cell
    return f"还剩 {cell}" if lang == "zh" else f"{cell} left"


def squashed(text: str) -> str:
    """Text without whitespace, so a phrase a narrow terminal wrapped reads through."""
    return "".join(text.split())


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


@dataclass
class Outputs:
    """Everything one as-of in one language says about MERCHANT."""

    json: dict[str, Any]
    csv_cell: str
    xlsx_cell: object
    junit_messages: list[str]
    junit_texts: list[str]
    table_block: str
    self_check: str
    remind: list[dict[str, str]]
    page: Path


def run_all(folder: Path, seconds: int, lang: str) -> Outputs:
    """Every output at DEADLINE - seconds, in `lang`, written under `folder`."""
    moment = as_of(seconds)
    files = [folder / f"r.{ext}" for ext in ("json", "csv", "xlsx", "xml", "html")]
    common = [*RULES, "--as-of", moment, "--lang", lang]
    ran = renewal("check", XLSX, *common, "--fail-on", "never", "-q", *_each("-o", files))
    assert ran.returncode == 0, ran.stderr
    report = json.loads(files[0].read_text(encoding="utf-8"))
    merchant = next(m for m in report["merchants"] if m["merchant_id"] == MERCHANT)

    left_header = "剩余时间" if lang == "zh" else "Time left"
    id_header = "商家ID"  # the export's own column, kept as it was
    row = next(r for r in read_csv(files[1]) if r[id_header] == MERCHANT)
    sheet = openpyxl.load_workbook(files[2], read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    head = list(rows[0])
    xlsx_row = next(r for r in rows[1:] if r[head.index(id_header)] == MERCHANT)

    cases = [
        c for c in ET.parse(files[3]).getroot().iter("testcase") if c.get("classname") == MERCHANT
    ]
    failures = [c.find("failure") for c in cases]
    found = [f for f in failures if f is not None]

    # a terminal under 100 columns: a block per merchant, from its head line to a blank one
    table = renewal("check", XLSX, *common, "--fail-on", "never", "--limit", "0", columns=90)
    assert table.returncode == 0, table.stderr
    block = re.search(rf"^\S.*\s{MERCHANT}\s.*\n(?:.+\n)*", table.stdout, re.MULTILINE)
    assert block is not None, table.stdout

    checked = renewal("self-check", XLSX, "-m", MERCHANT, *common)
    assert checked.returncode == 0, checked.stderr
    reminders = folder / "remind.csv"
    reminded = renewal("remind", XLSX, *common, "--within", "7d", "-q", "-o", reminders)
    assert reminded.returncode == 0, reminded.stderr
    return Outputs(
        json=merchant,
        csv_cell=row[left_header],
        xlsx_cell=xlsx_row[head.index(left_header)],
        junit_messages=[str(f.get("message")) for f in found],
        junit_texts=[f.text or "" for f in found],
        table_block=block.group(0),
        self_check=checked.stdout,
        remind=[
            r
            for r in read_csv(reminders)
            if r["商家ID" if lang == "zh" else "merchant_id"] == MERCHANT
        ],
        page=files[4],
    )


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int, str], Outputs]:
    """Every output at an as-of in a language, run once for the module."""

    @cache
    def made(seconds: int, lang: str) -> Outputs:
        return run_all(tmp_path_factory.mktemp(f"{lang}{seconds}"), seconds, lang)

    return made


def _each(option: str, paths: list[Path]) -> list[str]:
    return [part for path in paths for part in (option, str(path))]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", list(CASES))
def test_every_output_words_the_time_left_alike(outputs: Any, case: str, lang: str) -> None:
    seconds, cells = CASES[case]
    cell = cells[lang]
    seen = outputs(seconds, lang)
    # the JSON: pending, the seconds left, due soon (under the default 72h), and its words
    assert seen.json["outcome"] == "pending"
    assert seen.json["time_left_seconds"] == seconds
    assert seen.json["due_soon"] is True
    assert i18n.time_left(seen.json["time_left_seconds"], lang) == cell
    # the annotated reports: the time left, marked as due soon while some is left
    shown = cell if seconds == 0 else marked(cell, lang)
    assert seen.csv_cell == shown
    assert seen.xlsx_cell == shown
    # the terminal table: the time left in a sentence after the next action
    phrase = sentence(cell, seconds, lang)
    if seconds:
        soon = "即将截止" if lang == "zh" else "due soon"
        tail = f"（{phrase}，{soon}）" if lang == "zh" else f" ({phrase}, {soon})"
    else:
        tail = f"（{phrase}）" if lang == "zh" else f" ({phrase})"
    assert squashed(tail) in squashed(seen.table_block)
    # JUnit: the note on each of the merchant's failures, in the report's language
    if lang == "zh":
        note = f"即将截止：{phrase}" if seconds else phrase
        tail, line = f"（{note}）", f"\n{note}（截止 2021-12-26 18:00）\n"
    else:
        note = f"due soon: {phrase}" if seconds else phrase
        tail, line = f" ({note})", f"\n{note} (deadline 2021-12-26 18:00)\n"
    assert seen.junit_messages and all(m.endswith(tail) for m in seen.junit_messages)
    assert all(line in t for t in seen.junit_texts)
    # the self-check's deadline line
    label = "截止时间：2021-12-26 18:00，" if lang == "zh" else "Deadline: 2021-12-26 18:00, "
    assert f"{label}{phrase}\n" in seen.self_check
    # the reminders: the time left alone, the deadline in its own column
    left_column = "剩余时间" if lang == "zh" else "time_left"
    assert [r[left_column] for r in seen.remind] == [cell]


@pytest.mark.parametrize("lang", LANGS)
def test_at_the_deadline_nothing_says_due_soon(outputs: Any, lang: str) -> None:
    """0 s left: the deadline is now. The merchant is still pending and still counted as
    due soon (`due_soon` true, so --fail-on due-soon fails on it), but no output calls it
    "due soon" beside "due now", nor says the deadline has passed."""
    seen = outputs(0, lang)
    soon = "即将截止" if lang == "zh" else "due soon"
    passed = "已截止" if lang == "zh" else "deadline passed"
    for text in (seen.csv_cell, str(seen.xlsx_cell), seen.table_block, seen.self_check):
        assert soon not in text and passed not in text
    assert all(soon not in m and passed not in m for m in seen.junit_messages)
    assert [r["剩余时间" if lang == "zh" else "time_left"] for r in seen.remind] == [
        "现在截止" if lang == "zh" else "due now"
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_one_second_after_the_deadline_there_is_no_time_left(outputs: Any, lang: str) -> None:
    seen = outputs(AFTER, lang)
    assert seen.json["outcome"] == "failed"
    assert (seen.json["time_left_seconds"], seen.json["due_soon"]) == (None, False)
    assert seen.csv_cell == "" and seen.xlsx_cell is None
    words = ("还剩", "现在截止", "即将截止") if lang == "zh" else ("left,", "due now", "due soon")
    assert all(word not in m for m in seen.junit_messages for word in words)
    assert not any(word in squashed(seen.table_block) for word in map(squashed, words))
    ago = "已截止（已过 1秒）" if lang == "zh" else "deadline passed (1s ago)"
    label = "截止时间：2021-12-26 18:00，" if lang == "zh" else "Deadline: 2021-12-26 18:00, "
    assert f"{label}{ago}\n" in seen.self_check
    assert seen.remind == []


# --- the one function -----------------------------------------------------------------

_ZH_UNITS = {"天": 86400, "小时": 3600, "分钟": 60, "秒": 1}
_EN_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def _read_back(text: str, lang: str) -> int:
    """The seconds a span as written says, read independently of the program: at most two
    parts, each a number and a unit, largest unit first, in the language's spacing."""
    units = _ZH_UNITS if lang == "zh" else _EN_UNITS
    alternatives = "|".join(map(re.escape, units))
    parts = re.findall(rf"(\d+)({alternatives})", text)
    assert ("" if lang == "zh" else " ").join(n + u for n, u in parts) == text
    sizes = [units[u] for _, u in parts]
    assert 1 <= len(parts) <= 2 and sizes == sorted(set(sizes), reverse=True), text
    return sum(int(n) * units[u] for n, u in parts)


@given(st.integers(min_value=1, max_value=400 * 86400))
def test_a_span_is_rounded_down_to_the_unit_it_is_shown_in(seconds: int) -> None:
    """Never more time than there is, and never a whole unit less: to the hour from a day
    up, to the minute from a minute up, to the second under a minute."""
    precision = 3600 if seconds >= 86400 else 60 if seconds >= 60 else 1
    for lang in LANGS:
        shown = _read_back(i18n.duration(seconds, lang), lang)
        assert shown <= seconds < shown + precision
    # the English form reads back as --due-soon and --within read a duration
    english = i18n.duration(seconds, "en")
    assert parse_duration(english).total_seconds() == _read_back(english, "en")


@pytest.mark.parametrize(
    ("seconds", "zh", "en"),
    [
        (59, "59秒", "59s"),
        (60, "1分钟", "1m"),
        (3599, "59分钟", "59m"),
        (3600, "1小时", "1h"),
        (3661, "1小时1分钟", "1h 1m"),
        (86399, "23小时59分钟", "23h 59m"),
        (3 * 86400, "3天", "3d"),
        (3 * 86400 + 3600, "3天1小时", "3d 1h"),
    ],
)
def test_span_boundaries(seconds: int, zh: str, en: str) -> None:
    assert (i18n.duration(seconds, "zh"), i18n.duration(seconds, "en")) == (zh, en)


def test_the_due_soon_summary_names_the_threshold_as_a_span(tmp_path: Path) -> None:
    """--due-soon 72h is '3天' / '3d' (a zero part left out), as every span is written."""
    for lang, within in (("zh", "距截止不足 3天（--due-soon）"), ("en", "less than 3d left")):
        ran = renewal(
            "check", XLSX, *RULES, "--as-of", as_of(30), "--lang", lang, "--fail-on", "never"
        )
        assert ran.returncode == 0, ran.stderr
        assert within in ran.stdout


# --- the page's script ------------------------------------------------------------------


@pytest.fixture(scope="module")
def open_page(browser: Any) -> Iterator[Callable[[Path, str], Visit]]:
    """A page in headless Chromium, from tests/test_html.py's browser (skipped without one,
    unless RENEWAL_REQUIRE_BROWSER=1)."""
    opened: list[Visit] = []

    def visit(path: Path, lang: str) -> Visit:
        opened.append(Visit(browser, path, "zh-CN" if lang == "zh" else "en-US"))
        return opened[-1]

    yield visit
    for one in opened:
        one.close()


SPANS = [0, 1, 30, 59, 60, 61, 3599, 3600, 3661, 86399, 86400, 90061, ALMOST_3_DAYS, 40 * 86400]


@pytest.mark.parametrize("lang", LANGS)
def test_the_page_words_the_time_left_as_python_does(
    open_page: Any,
    outputs: Any,
    lang: str,
) -> None:
    """The page at each as-of: the time left at the as-of, the merchant's row and the live
    countdown (the browser's clock set to the as-of) all say what the other outputs say."""
    for case, (seconds, cells) in CASES.items():
        made = outputs(seconds, lang)
        seen: Visit = open_page(made.page, lang)
        seen.page.clock.set_fixed_time(DEADLINE - timedelta(seconds=seconds))
        page = seen.open()
        row = page.locator(
            "#merchant-rows tr.merchant", has=page.locator(f'td.id:text-is("{MERCHANT}")')
        )
        # the row as the CSV and the workbook write it, due soon marked while some is left
        assert made.csv_cell == (marked(cells[lang], lang) if seconds else cells[lang]), case
        assert row.locator("td").nth(9).inner_text() == made.csv_cell, case
        assert page.locator("#left-at-as-of").inner_text() == cells[lang], case
        assert page.locator("#live-countdown").inner_text() == cells[lang], case
        seen.clean()


@pytest.mark.parametrize("lang", LANGS)
def test_the_live_countdown_is_the_python_wording(
    open_page: Any,
    outputs: Any,
    lang: str,
) -> None:
    """The script's countdown against `i18n.time_left` of `seconds_left`, over spans on
    each side of every unit, parts of a second around the deadline, and after it."""
    moments = [DEADLINE - timedelta(seconds=s) for s in SPANS]
    moments += [DEADLINE + timedelta(seconds=s) for s in (0.4, 1, 3600)]
    moments += [DEADLINE - timedelta(seconds=s) for s in (0.6, 59.5, 86399.9)]
    page_file = outputs(30, lang).page
    for moment in moments:
        seen: Visit = open_page(page_file, lang)
        seen.page.clock.set_fixed_time(moment)
        page = seen.open()
        expected = i18n.time_left(seconds_left(DEADLINE, moment), lang)
        assert page.locator("#live-countdown").inner_text() == expected, moment
        seen.close()
