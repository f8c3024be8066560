"""The rule catalogue on a terminal: `renewal rules` and `renewal explain`.

What is printed comes from `renewal.catalog` (the registry's docstrings and the rule
file's figures); this module only lays it out for the terminal.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from renewal.catalog import (
    LOAD,
    WORDS,
    explain_lines,
    load_ruleset,
    rule_rows,
)


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

    text = WORDS[lang]
    name = ruleset.name if lang == "zh" else ruleset.name_en
    console = _console()
    rules = [row for row in rows if row["role"] != LOAD]
    if console.width < TABLE_WIDTH:
        _print_blocks(console, f"{name} ({ruleset.id})", rules, text)
    else:
        _print_table(console, f"{name} ({ruleset.id})", rules, text)
    problems = Table(title=text["load_title"])
    problems.add_column(text["code"], no_wrap=True)
    problems.add_column(text["title"], overflow="fold")
    for row in rows:
        if row["role"] == LOAD:
            problems.add_row(Text(row["code"]), Text(row["title"]))
    console.print(problems)


def print_explain(code: str, ref: str | None, lang: str) -> None:
    ruleset = load_ruleset(ref, lang)
    console = _console()
    for indent, line in explain_lines(code, ruleset, lang):
        if not line:
            console.print()
            continue
        style = "bold" if indent == 0 else ""
        wrapped = Text(line, style=style).wrap(console, max(console.width - indent, 20))
        for part in wrapped:
            part.rstrip()
            console.print(Text(" " * indent) + part, soft_wrap=True)


def _print_table(
    console: Console, title: str, rules: list[dict[str, Any]], text: dict[str, str]
) -> None:
    table = Table(title=title, show_lines=True)
    table.add_column(text["code"], no_wrap=True)
    table.add_column(text["slug"], max_width=24, overflow="fold")
    table.add_column(text["title"], ratio=2, overflow="fold")
    table.add_column(text["figures"], ratio=3, overflow="fold")
    table.add_column(text["mark"], max_width=22, overflow="fold")
    table.add_column(text["quote"], ratio=3, overflow="fold")
    for row in rules:
        title = row["title"] + ("" if row["enabled"] else text["disabled"])
        cells = (row["code"], row["slug"], title, "\n".join(row["brief"]), row["mark_summary"])
        table.add_row(*(Text(str(cell)) for cell in cells), Text(f"「{row['quote']}」"))
    console.print(table)


def _print_blocks(
    console: Console, title: str, rules: list[dict[str, Any]], text: dict[str, str]
) -> None:
    """A rule a block: its code, slug and title, then this year's figures, the mark and
    the quoted clause under labels."""
    console.print(Text(title, style="bold"))
    console.print()
    for row in rules:
        disabled = "" if row["enabled"] else text["disabled"]
        console.print(Text.assemble((row["code"], "bold"), "  ", row["slug"], disabled))
        console.print(Padding(Text(row["title"], style="bold"), (0, 0, 0, 2)))
        details = Table.grid(padding=(0, 2))
        details.add_column(no_wrap=True, style="dim")
        details.add_column(overflow="fold")
        details.add_row(text["figures"], Text("\n".join(row["brief"])))
        details.add_row(text["mark"], Text(row["mark_summary"]))
        details.add_row(text["quote"], Text(f"「{row['quote']}」"))
        console.print(Padding(details, (0, 0, 1, 2)))
