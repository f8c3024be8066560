"""The countdown card's names, measured in headless Chromium: the as-of marker's label
(评估时间 / as of) and the window's two ends never overlap and are never stacked one over the
other with nothing between them, where two names would read as one (the as-of as the
deadline, in the last week; as the opening, near the start), at any as-of, on a phone and
on a desktop, in both languages (ex16 §6).

Skipped without Chromium and playwright, unless RENEWAL_REQUIRE_BROWSER=1 (see test_html).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from conftest import XLSX, Collect
from test_html import Visit

from renewal import i18n
from renewal.pipeline import check_file
from renewal.render.html import HtmlRenderer
from renewal.ruleset import load
from renewal.timeutil import BEIJING

LOCALES = {"zh": "zh-CN", "en": "en-US"}
AS_OF_MARK = {"zh": "评估时间", "en": "as of"}
OPENS = datetime(2021, 11, 19, 12, 0, tzinfo=BEIJING)
DEADLINE = datetime(2021, 12, 26, 18, 0, tzinfo=BEIJING)
AS_OF = {
    "before the window": datetime(2021, 11, 1, 12, 0, tzinfo=BEIJING),
    "the window opens": OPENS,
    "a day in": datetime(2021, 11, 20, 12, 0, tzinfo=BEIJING),
    "the middle": datetime(2021, 12, 5, 12, 0, tzinfo=BEIJING),
    "the last week": datetime(2021, 12, 20, 9, 30, tzinfo=BEIJING),
    "the last day": datetime(2021, 12, 26, 8, 0, tzinfo=BEIJING),
    "at the deadline": DEADLINE,
    "after the deadline": datetime(2022, 1, 5, 12, 0, tzinfo=BEIJING),
}
"""The 2022 window is 2021-11-19 12:00 → 2021-12-26 18:00; the last week is past 84% of it."""

BOXES = """svg => {
    const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    return {
        svg: box(svg.getBoundingClientRect()),
        texts: [...svg.querySelectorAll("text")].map(
            t => ({text: t.textContent, ...box(t.getBoundingClientRect())})),
        track: box(svg.querySelector("rect").getBoundingClientRect()),
        marker: box(svg.querySelector("line").getBoundingClientRect()),
    };
}"""
"""The drawn boxes of the card's drawing, in page pixels: each text, the bar's track and
the as-of marker."""


@pytest.fixture()
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_visit(path: Path, lang: str, width: int) -> Visit:
        opened.append(Visit(browser, path, LOCALES[lang]))
        opened[-1].page.set_viewport_size({"width": width, "height": 900})
        return opened[-1]

    yield open_visit
    for one in opened:
        one.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """The fixture's page at each as-of, in each language, drawn once for both widths."""
    folder = tmp_path_factory.mktemp("countdown")
    return {
        (case, lang): _page(folder, lang, as_of)
        for case, as_of in AS_OF.items()
        for lang in LOCALES
    }


def _page(folder: Path, lang: str, as_of: datetime) -> Path:
    collect = Collect()
    check_file(XLSX, load("tmall-2022"), as_of, lang, [collect])
    assert collect.header is not None
    page = folder / f"{as_of:%Y%m%d%H%M}-{lang}.html"
    renderer = HtmlRenderer(page)
    renderer.begin(collect.header)
    for result in collect.results:
        renderer.add(orjson.dumps(result), True, None)
    renderer.finish(collect.summary, {})
    return page


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and _across(a, b)


def _across(a: dict[str, float], b: dict[str, float]) -> bool:
    """The two boxes share some height."""
    return a["top"] < b["bottom"] and b["top"] < a["bottom"]


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_as_of_label_is_never_read_as_an_end_of_the_window(
    visit: Any, pages: dict[tuple[str, str], Path], lang: str, width: int
) -> None:
    ends = {i18n.moment(OPENS), i18n.moment(DEADLINE)}
    seen = visit(pages["the window opens", lang], lang, width)
    for case, as_of in AS_OF.items():
        seen.url = pages[case, lang].resolve().as_uri()
        page = seen.open()
        drawn = page.eval_on_selector("#countdown-chart", BOXES)
        texts, track, marker = drawn["texts"], drawn["track"], drawn["marker"]
        where = f"{case} ({as_of:%Y-%m-%d %H:%M}), {lang}, {width} px: {texts}"
        assert {t["text"] for t in texts} >= {AS_OF_MARK[lang], *ends}, where
        for one in texts:  # whole inside the drawing, which hides what overflows it
            svg = drawn["svg"]
            inside = svg["left"] - 0.5 <= one["left"] and one["right"] <= svg["right"] + 0.5
            assert inside and svg["top"] - 0.5 <= one["top"], where
            assert one["bottom"] <= svg["bottom"] + 0.5, where
        for index, one in enumerate(texts):
            for other in texts[index + 1 :]:
                assert not _overlap(one, other), f"{one['text']} on {other['text']}: {where}"
        label = next(t for t in texts if t["text"] == AS_OF_MARK[lang])
        for end in (t for t in texts if t["text"] in ends):
            stacked = label["left"] < end["right"] and end["left"] < label["right"]
            apart = label["bottom"] <= track["top"] and track["bottom"] <= end["top"]
            # under or over an end of the window, the bar lies between them
            assert not stacked or apart, f"{label['text']} stacked with {end['text']}: {where}"
        # and it names the marker: beside it, at the height of its line
        centre = (marker["left"] + marker["right"]) / 2
        gap = max(label["left"] - centre, centre - label["right"], 0)
        assert gap <= 8 and _across(label, marker), where
    seen.clean()
