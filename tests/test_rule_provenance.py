"""Every quote and mark in rules/*.toml is honest about where its figures come from.

The project standard: every date, amount, threshold and step lives in a rule file "with the
sentence it comes from", marked sourced, sourced-weak or inferred as ../shared/domain.md
marks it. What can be checked mechanically, block by block (any table of a rule file with a
`quote`: the cycle, a rule, a row of one of a rule's tables):

- a block is marked no stronger than the source it cites (inferred < sourced-weak < sourced);
- its quote is held text, never made up: it occurs in ../shared/seeds/* or ../shared/domain.md;
- a quote that is not a source's own words (a seed, or a quotation in domain.md: 「…」, a
  `>` block quote, or a row of a fee table domain.md transcribes) is domain.md's own summary,
  and cites `brief` (domain.md, marked inferred), not the web page domain.md summarises;
- a quotation held only in domain.md is cited to a page domain.md names beside it.

Texts are compared after normalising: NFKC (full-width punctuation to half-width), curly
quotes to straight ones, markdown emphasis dropped, all whitespace removed. 「……」 in a quote
marks an elision: its pieces must occur in order in one quotation.

Whether a quote supports the figure beside it is not checked here: that is a reading, which
the block's note gives.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import ROOT

from renewal.ruleset import Mark

SHARED = ROOT.parent / "shared"
DOMAIN = SHARED / "domain.md"
SEEDS = SHARED / "seeds"
RULE_FILES = sorted((ROOT / "rules").glob("tmall-*.toml"))

ELISION = "……"
BRIEF = "brief"
TRANSCRIBED_TABLE = "| 一级类目 |"
"""The header that starts the fee tables of domain.md §3.3: category names and figures copied
from a source's table, so a row of one is the source's own data. Every other table of
domain.md is its own summary (English wording, several sources per row)."""

pytestmark = pytest.mark.skipif(
    not DOMAIN.is_file(), reason="../shared (domain.md and the seeds) is not beside the repo"
)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    for curly, straight in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'")):
        text = text.replace(curly, straight)
    text = text.replace("**", "").replace("`", "")
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class Quotation:
    """A source's own words as held: a seed, or a quotation in domain.md with the lines
    around it that say whose words they are (empty for a seed)."""

    text: str
    context: str


def _context(lines: list[str], index: int) -> str:
    """The line of a quotation and the lines it belongs to: up through the continuation
    lines of a list item, the rows of a table or a block quote (and blank lines before
    them), to the line that heads them, which names the page."""
    found = [lines[index]]
    at = index
    while at > 0 and (lines[at].startswith((" ", "|", ">")) or not lines[at].strip()):
        at -= 1
        found.append(lines[at])
    return "\n".join(found)


@cache
def quotations() -> tuple[Quotation, ...]:
    found = [Quotation(normalise(seed.read_text("utf-8")), "") for seed in sorted(SEEDS.glob("*"))]
    lines = DOMAIN.read_text("utf-8").splitlines()
    in_transcribed_table = False
    for index, line in enumerate(lines):
        in_transcribed_table = line.startswith(TRANSCRIBED_TABLE) or (
            in_transcribed_table and line.startswith("|")
        )
        passages = re.findall(r"「(.*?)」", line)
        if line.startswith(">"):
            passages.append(line.lstrip("> ").strip('"'))
        if in_transcribed_table and not line.startswith(("|---", TRANSCRIBED_TABLE)):
            passages.append(line)
        context = _context(lines, index)
        found += [Quotation(normalise(passage), context) for passage in passages]
    return tuple(found)


@cache
def held_text() -> tuple[str, ...]:
    """Everything a quote may be taken from: each seed, and domain.md."""
    return tuple(normalise(p.read_text("utf-8")) for p in [*sorted(SEEDS.glob("*")), DOMAIN])


def occurs(quote: str, text: str) -> bool:
    """The quote is in `text`; with elisions, its pieces are, in order."""
    at = 0
    for piece in (normalise(part) for part in quote.split(ELISION)):
        found = text.find(piece, at)
        if found < 0:
            return False
        at = found + len(piece)
    return True


def site(url: str) -> str:
    """The name domain.md calls a page's site by: `maijiaw` for www.maijiaw.com/…, `11467`
    for blog.11467.com/…, the address itself when it is a bare IP."""
    host = urlsplit(url).hostname or url
    labels = host.split(".")
    return host if host.replace(".", "").isdigit() else labels[-2] if len(labels) > 1 else host


def blocks(document: Any, key: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every table of a rule file that carries a quote, with its dotted key."""
    if isinstance(document, dict):
        if "quote" in document:
            yield key, document
        for name, value in document.items():
            yield from blocks(value, f"{key}.{name}" if key else name)
    elif isinstance(document, list):
        for index, item in enumerate(document):
            yield from blocks(item, f"{key}[{index}]")


def problems(path: Path) -> list[str]:
    document = tomllib.loads(path.read_text("utf-8"))
    sources: dict[str, dict[str, Any]] = document["sources"]
    found: list[str] = []
    for name, cited in sources.items():
        if cited["url"].endswith("shared/domain.md") and cited["mark"] != "inferred":
            found.append(f"sources.{name}: domain.md is a summary, marked {cited['mark']}")
    for key, block in blocks(document):
        quote, mark, source = block["quote"], block["mark"], block["source"]
        cited = sources.get(source)
        if cited is None:
            continue  # undeclared: renewal.ruleset refuses the file
        if Mark(mark).stronger_than(Mark(cited["mark"])):  # as renewal.ruleset.load refuses
            found.append(f"{key}: marked {mark}, but its source {source} is {cited['mark']}")
        if not any(occurs(quote, text) for text in held_text()):
            found.append(f"{key}: quote is in no seed and not in domain.md: {quote[:60]!r}")
            continue
        held = [q for q in quotations() if occurs(quote, q.text)]
        if not held and source != BRIEF:
            found.append(
                f"{key}: quote is domain.md's own wording, not a source's, yet cites "
                f"{source} (cite {BRIEF}): {quote[:60]!r}"
            )
        elif held and source != BRIEF and all(q.context for q in held):
            name = site(cited["url"])
            if not any(name.casefold() in q.context.casefold() for q in held):
                found.append(
                    f"{key}: domain.md gives this quotation beside no page of {name} "
                    f"(source {source}): {quote[:60]!r}"
                )
    return found


@pytest.mark.parametrize("path", RULE_FILES, ids=[p.stem for p in RULE_FILES])
def test_every_quote_is_held_text_and_no_mark_is_stronger_than_its_source(path: Path) -> None:
    found = problems(path)
    assert not found, f"{path.name}:\n" + "\n".join(found)


# --- the checker itself: each rule catches what it is for ----------------------------------

ANNOUNCEMENT = {"title": "t", "url": "https://www.maijiaw.com/article/541458", "mark": "sourced"}
BRIEF_SOURCE = {"title": "b", "url": "file:../shared/domain.md", "mark": "inferred"}
DEADLINE = "逾期(2022年12月26日18时截止)未完成续签"


def checked(tmp_path: Path, block: str) -> list[str]:
    sources = (
        f"[sources.announcement]\n{_toml(ANNOUNCEMENT)}\n[sources.brief]\n{_toml(BRIEF_SOURCE)}"
    )
    path = tmp_path / "tmall-2099.toml"
    path.write_text(f"{sources}\n[cycle]\n{block}\n", "utf-8")
    return problems(path)


def _toml(table: dict[str, str]) -> str:
    return "".join(f'{key} = "{value}"\n' for key, value in table.items())


@pytest.mark.parametrize(
    "block",
    [
        # a source's words, cited to the page domain.md names beside them
        f'source = "announcement"\nmark = "sourced"\nquote = "{DEADLINE}"',
        # full-width punctuation and spaces do not matter
        'source = "announcement"\nmark = "sourced"\n'
        'quote = "逾期（2022年12月26日18时截止） 未完成续签"',
        # an elision, pieces in order
        'source = "brief"\nmark = "inferred"\nquote = "哪些情况不能报名续签?……5)主体变更流程中"',
        # domain.md's own wording, cited as such
        'source = "brief"\nmark = "inferred"\nquote = "The deadline is usually 26 Dec 18:00."',
        # a row of a fee table domain.md transcribes
        'source = "brief"\nmark = "inferred"\nquote = "男装 | 5% | 60,000"',
    ],
)
def test_honest_blocks_pass(tmp_path: Path, block: str) -> None:
    assert checked(tmp_path, block) == []


@pytest.mark.parametrize(
    ("block", "complaint"),
    [
        (  # R3: sourced on a source marked inferred
            'source = "brief"\nmark = "sourced"\nquote = "The deadline is usually 26 Dec 18:00."',
            "marked sourced, but its source brief is inferred",
        ),
        (  # R1: a header and a cell of domain.md's table joined into a sentence
            'source = "announcement"\nmark = "sourced"\n'
            'quote = "Scope cut-off (signed ≤) 2022-11-21 10:00 (inclusive)"',
            "quote is in no seed and not in domain.md",
        ),
        (  # R2, R4: domain.md's English summary cited to the web page
            'source = "announcement"\nmark = "sourced"\n'
            'quote = "The deadline is usually 26 Dec 18:00."',
            "domain.md's own wording, not a source's, yet cites announcement",
        ),
        (  # a real quotation, cited to a page it is not from
            'source = "announcement"\nmark = "sourced"\n'
            'quote = "服务开通时间在2017年7月1日之前的商家需要参加运营考核能力"',
            "beside no page of maijiaw",
        ),
        (  # an elision whose pieces are out of order
            'source = "brief"\nmark = "inferred"\nquote = "5)主体变更流程中……哪些情况不能报名续签?"',
            "quote is in no seed and not in domain.md",
        ),
    ],
)
def test_dishonest_blocks_are_named(tmp_path: Path, block: str, complaint: str) -> None:
    found = checked(tmp_path, block)
    assert len(found) == 1 and found[0].startswith("cycle: ") and complaint in found[0], found
