"""The rule catalogue on a terminal: `renewal rules` and `renewal explain`.

What is printed comes from `renewal.catalog` (the registry's docstrings and the rule
file's figures); this module only lays it out for the terminal.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from renewal.catalog import (
    CYCLE,
    LOAD,
    WORDS,
    explain_lines,
    is_summary,
    load_ruleset,
    rule_rows,
)
from renewal.render.fitted import Column, fill, fit_table


def _console() -> Console:
    return Console(soft_wrap=False, highlight=False, markup=False, emoji=False)


TABLE_WIDTH = 140
"""Narrower than this, each rule is a block of lines: in a six-column table the figures
and the quoted clause would be a dozen characters wide."""


def print_rules(ref: str | None, lang: str, fmt: str) -> None:
    """`renewal rules`: a rich table on the terminal, or the rows as a JSON list."""
    ruleset = load_ruleset(ref, lang)
    rows = rule_rows(ruleset, lang)
    if fmt == "json":
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    name = ruleset.name if lang == "zh" else ruleset.name_en
    draw_rules(_console(), f"{name} ({ruleset.id})", rows, lang)


def draw_rules(console: Console, title: str, rows: list[dict[str, Any]], lang: str) -> None:
    """The catalogue at the console's width: a table from TABLE_WIDTH columns on when its
    columns fit (`fit_table`), else a block per rule, the year's cycle first as if it were
    one (`catalog.rule_rows`); then the load problems. Lines break
    only between pieces (`fitted.fill`): an amount or a date-time is never split."""
    text = WORDS[lang]
    rules = [row for row in rows if row["role"] != LOAD]
    wide = console.width >= TABLE_WIDTH
    table = _rules_table(console, title, rules, text, lang) if wide else None
    if table is None:
        _print_blocks(console, title, rules, text)
    else:
        console.print(table)
    problems = [[row["code"], row["title"]] for row in rows if row["role"] == LOAD]
    columns = [Column(text["code"], unbroken=True), Column(text["title"])]
    listed = fit_table(columns, problems, console.width, title=text["load_title"])
    if listed is not None:
        console.print(listed)
        return
    console.print(Text("\n".join(fill(text["load_title"], console.width))))
    for code, what in problems:
        console.print(Text("\n".join(fill(f"{code}  {what}", console.width))))


def print_explain(code: str, ref: str | None, lang: str) -> None:
    ruleset = load_ruleset(ref, lang)
    console = _console()
    for indent, line in explain_lines(code, ruleset, lang):
        if not line:
            console.print()
            continue
        style = "bold" if indent == 0 else ""
        for part in fill(line, max(console.width - indent, 20)):
            console.print(Text(" " * indent + part, style=style), soft_wrap=True)


def _rules_table(
    console: Console, title: str, rules: list[dict[str, Any]], text: dict[str, str], lang: str
) -> Table | None:
    """A row per rule. Where some quotes are the brief's summary, the last column is
    headed 原文或摘要 and each summary says so: no summary is read as a document's words."""
    summaries = any(is_summary(row["source"]) for row in rules)
    columns = [
        Column(text["code"], unbroken=True),
        Column(text["slug"], unbroken=True),
        Column(text["title"], weight=2),
        Column(text["figures"], readable=16, weight=3),
        Column(text["mark"], readable=12, widest=24),
        Column(text["quote_or_summary" if summaries else "quote"], weight=3),
    ]
    colon = "：" if lang == "zh" else ": "
    cells = [
        [
            *_code_and_slug(row),
            row["title"] + ("" if row["enabled"] else text["disabled"]),
            "\n".join(row["brief"]),
            row["mark_summary"],
            (f"{text['summary']}{colon}" if is_summary(row["source"]) else "")
            + f"「{row['quote']}」",
        ]
        for row in rules
    ]
    return fit_table(columns, cells, console.width, title=title, show_lines=True)


def _code_and_slug(row: dict[str, Any]) -> tuple[str, str]:
    """A row's code and slug cells. The cycle is no rule: no code, and its name (what
    `renewal explain` takes) in the slug's place, so the code column stays as narrow as
    the rule codes."""
    if row["role"] == CYCLE:
        return "", row["code"]
    return row["code"], row["slug"]


def _print_blocks(
    console: Console, title: str, rules: list[dict[str, Any]], text: dict[str, str]
) -> None:
    """A rule a block: its code, slug and title, then this year's figures, the mark and
    the quoted clause under labels (摘要 where it is the brief's summary, not 原文)."""
    console.print(Text("\n".join(fill(title, console.width)), style="bold"))
    console.print()
    names = (text["figures"], text["mark"], text["quote"], text["summary"])
    label_width = max(cell_len(label) for label in names)
    room = console.width - 2 - label_width - 2  # the indent, the labels, the gap
    for row in rules:
        disabled = "" if row["enabled"] else text["disabled"]
        slug = f"  {row['slug']}" if row["slug"] else ""  # the cycle has none
        console.print(Text.assemble((row["code"], "bold"), slug, disabled))
        for line in fill(row["title"], console.width - 2):
            console.print(Text("  " + line, style="bold"))
        details = Table.grid(padding=(0, 2))
        details.add_column(no_wrap=True, style="dim")
        details.add_column(no_wrap=True)
        quoted = text["summary"] if is_summary(row["source"]) else text["quote"]
        labels = (text["figures"], text["mark"], quoted)
        values = ("\n".join(row["brief"]), row["mark_summary"], f"「{row['quote']}」")
        for label, value in zip(labels, values, strict=True):
            details.add_row(label, Text("\n".join(fill(value, room))))
        console.print(Padding(details, (0, 0, 1, 2)))
