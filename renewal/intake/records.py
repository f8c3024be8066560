"""One row's cells to typed fields, and the lines of a table that are not records: blank
lines, a template's example row, notes, and the 合计/总计 line that ends the data."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from renewal.intake import dates, values
from renewal.intake.columns import Column
from renewal.intake.dates import parse_datetime
from renewal.intake.header import Header
from renewal.intake.tables import text_preview

PARSERS: dict[str, Callable[[object], Any]] = {
    "id": values.parse_id,
    "text": values.parse_text,
    "name": values.parse_name,
    "datetime": dates.parse_datetime,
    "date": dates.parse_date,
    "expiry": dates.parse_document_expiry,
    "amount": values.parse_amount,
    "due": values.parse_due,
    "points": values.parse_points,
    "score": values.parse_score,
    "bool": values.parse_bool,
    "trademark": values.parse_trademark,
}


Hit = tuple[bool | None, Any]
"""A cell read: (True, the value), (False, why the cell is unreadable), or, for a moment
column only, (None, its 00:00) when the cell names a day alone."""

ReadPlan = list[tuple[str, int, Callable[[object], Hit], "dict[object, Hit] | None"]]
"""Per field read: its key, its column, its reader, and the reader's memory (None for a
kind whose cells do not repeat)."""


def read_record(
    cells: list[object], plan: ReadPlan
) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    """A row's fields that hold something, and its unreadable cells (raw text, why). A
    moment cell naming a day alone is read as that day's 00:00 and named, with its text,
    under `day_only` among the fields (`Merchant.day_only`): whether its time decides a
    verdict is for the engine to judge, which knows the year's moments."""
    found: dict[str, Any] = {}
    bad: dict[str, tuple[str, str]] = {}
    width = len(cells)
    for key, index, read, seen in plan:
        if index >= width:
            continue
        raw = cells[index]
        if raw == "" or raw is None:
            continue
        # A remembered cell (the same fee, 是/否, store type) costs one lookup; the memory
        # is inline rather than a wrapper around `read`, which cost a call per cell.
        # Only text and floats are remembered: they repeat, and neither is equal to a
        # value of another kind (a bool is never looked up, so True is not 1.0).
        if seen is not None and type(raw) in _REMEMBERED_TYPES:
            hit = seen.get(raw)
            if hit is None:
                hit = read(raw)
                if len(seen) < _REMEMBER_MAX:
                    seen[raw] = hit
        else:
            hit = read(raw)
        if not hit[0]:
            if hit[0] is False:
                bad[key] = (text_preview(raw), hit[1])
            else:  # a day alone (rare): read as its 00:00, and remembered as such
                found[key] = hit[1]
                found["day_only"] = (*found.get("day_only", ()), (key, text_preview(raw)))
        elif hit[1] is not None:
            found[key] = hit[1]
    return found, bad


def _reader(parse: Callable[[object], Any]) -> Callable[[object], Hit]:
    """A cell's `Hit` by `parse`: one call per cell, as calling `parse` in a try would be."""

    def read(raw: object) -> Hit:
        try:
            return True, parse(raw)
        except values.Unreadable as exc:
            return False, str(exc)

    return read


def _read_moment(raw: object) -> Hit:
    """A moment column's cell (合同签署时间, 续签报名时间 …): a day alone is told apart, so
    that the engine can judge whether its time decides a verdict. Only a cell read as
    00:00 is looked at again, and a moment at 00:00 is rare, so this costs nearly every
    cell one look at its hour."""
    try:
        moment = parse_datetime(raw)
    except values.Unreadable as exc:
        return False, str(exc)
    if moment is None or moment.hour or moment.minute or moment.second or moment.microsecond:
        return True, moment
    return (None if dates.names_day_alone(raw) else True), moment


def read_plan(header: Header, columns: tuple[Column, ...]) -> ReadPlan:
    plan: ReadPlan = []
    for c in columns:
        if c.key in header.positions:
            repeats = c.kind in _REPEATING or c.key in _REPEATING_TEXT
            seen: dict[object, Hit] | None = {} if repeats else None
            read = _read_moment if c.kind == "datetime" else _reader(PARSERS[c.kind])
            plan.append((c.key, header.positions[c.key], read, seen))
    return plan


_REPEATING = frozenset(
    {"datetime", "date", "expiry", "amount", "due", "points", "score", "bool", "trademark"}
)
"""Kinds whose cells repeat from row to row (the same fee, 是/否, a sign-up day): what each
gave is remembered. Ids and free text are mostly unique, so they are not."""


_REPEATING_TEXT = frozenset(
    {"store_type", "category", "violation_type", "appeal_status", "qualification_type"}
)
"""Text columns whose words repeat: a store type, a category, a kind of record."""


_REMEMBERED_TYPES = (str, float)


_REMEMBER_MAX = 4096
"""Per column: enough for the fees, flags and days that repeat, little memory (measured on
the 100k GB18030 bench export: intake 1.63 s -> 1.06 s, +4 MiB)."""


EXAMPLE_ID = "示例"
"""The 商家ID of a template's example row. A row whose 商家ID is this word (or `example`)
is not a merchant: it is skipped like a note line. A real merchant id is a number."""


_EXAMPLE_IDS = frozenset({EXAMPLE_ID, "example"})


_TOTAL = re.compile(r"(?:合计|总计|小计|总数|total)(?:$|[\s:：(（\d])")
"""A 合计/总计 word on its own, or followed by a separator or a count: not 'Totalcare旗舰店'."""


NOTE_MARKERS = ("注：", "注:", "注 ", "说明", "数据来源", "备注：", "备注:", "提示", "note:")


_MARKER_INITIALS = frozenset("合总小注說说数數备備提tTnN注")


def may_be_marker(cells: list[object]) -> bool:
    """Whether a line could be a 合计/总计 or a note line, judged by its first text's first
    character: false for nearly every merchant row, at the cost of one look."""
    first = _first_text(cells)
    return first is not None and first[:1] in _MARKER_INITIALS


def _first_text(cells: list[object]) -> str | None:
    """The first non-blank cell, when it is text and among the first few cells."""
    for cell in cells[:4]:
        if cell in ("", None):
            continue
        return cell.strip() if isinstance(cell, str) else None
    return None


def is_total(cells: list[object]) -> bool:
    """A 合计/总计 line: the data ends here (what follows are totals and notes)."""
    first = _first_text(cells)
    if first is None:
        return False
    return _TOTAL.match(values.normalize_text(first).casefold()) is not None


def is_note(cells: list[object]) -> bool:
    """A line whose only text is a note (注：…, 说明, 数据来源 …): not a merchant."""
    filled = [cell for cell in cells if cell not in ("", None)]
    if len(filled) != 1 or not isinstance(filled[0], str):
        return False
    return values.normalize_text(filled[0]).casefold().startswith(NOTE_MARKERS)


def is_example(cell: object) -> bool:
    """The 商家ID of a template's example row: exactly 示例 (or `example`), nothing longer."""
    return isinstance(cell, str) and values.normalize_text(cell).casefold() in _EXAMPLE_IDS


def is_blank_cell(cell: object) -> bool:
    """Empty, or nothing but spaces and invisible characters: a cell that shows nothing."""
    if cell == "" or cell is None:
        return True
    return isinstance(cell, str) and not cell.strip().strip(values.INVISIBLE).strip()


def is_blank(cells: list[object]) -> bool:
    return all(is_blank_cell(cell) for cell in cells)
