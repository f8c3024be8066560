"""One row's cells to typed fields, and the lines of a table that are not records: blank
lines, a template's example row, notes, a group's 汇总 line (Excel's 分类汇总), and the
合计/总计 line that ends the data."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from renewal.intake import dates, values
from renewal.intake.columns import Column
from renewal.intake.dates import parse_datetime
from renewal.intake.header import Header
from renewal.intake.tables import text_preview
from renewal.intake.values import normalize_text

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

_COLUMN_PARSERS: dict[str, Callable[[object], Any]] = {
    "appeal_pending": values.parse_appeal_pending,
}
"""A column read otherwise than its kind is: 处罚申诉中 takes 申诉状态's words too."""


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


def _moment_reader(not_done: frozenset[str]) -> Callable[[object], Hit]:
    """A moment column's reader (合同签署时间, 续签报名时间 …): a day alone is told apart, so
    that the engine can judge whether its time decides a verdict. Only a cell read as
    00:00 is looked at again, and a moment at 00:00 is rare, so this costs nearly every
    cell one look at its hour. Text among `not_done` (a step's 无, 未报名) is no time,
    as a blank is: looked for only in a cell that is no moment, so it costs the rest
    nothing."""

    def read(raw: object) -> Hit:
        try:
            moment = parse_datetime(raw)
        except values.Unreadable as exc:
            if type(raw) is str and normalize_text(raw).casefold() in not_done:
                return True, None
            return False, str(exc)
        if moment is None or moment.hour or moment.minute or moment.second or moment.microsecond:
            return True, moment
        return (None if dates.names_day_alone(raw) else True), moment

    return read


_read_moment = _moment_reader(frozenset())
_read_done_at = _moment_reader(values.NOT_DONE)
_DONE_AT = frozenset(
    ("signup_at", "agreement_signed_at", "deposit_topped_up_at", "annual_fee_paid_at")
)
"""The columns that say when a renewal step was done, where 无 or 未报名 means not yet."""


def read_plan(header: Header, columns: tuple[Column, ...], date1904: bool = False) -> ReadPlan:
    """How to read the rows under `header`. A workbook in the 1904 date system
    (`date1904`) gets date readers that move a serial to the 1900 system first: the cost
    is theirs alone, and each plan's memory is its own, so a serial remembered is
    remembered as its own workbook reads it. An amount column whose header gives its unit
    as 万元 or 千元 (`Header.scales`) gets a reader that scales its numbers: decided here,
    once per column, so every other column reads as it would without."""
    plan: ReadPlan = []
    for c in columns:
        if c.key in header.positions:
            repeats = c.kind in _REPEATING or c.key in _REPEATING_TEXT
            seen: dict[object, Hit] | None = {} if repeats else None
            parse = _COLUMN_PARSERS.get(c.key) or PARSERS[c.kind]
            factor = header.scales.get(c.key)
            if factor is not None:
                parse = values.scaled_amount(factor, due=c.kind == "due")
            if c.kind == "datetime":
                read = _read_done_at if c.key in _DONE_AT else _read_moment
            else:
                read = _reader(parse)
            if date1904 and c.kind in _DATE_KINDS:
                read = _in_1904(read)
            plan.append((c.key, header.positions[c.key], read, seen))
    return plan


_DATE_KINDS = frozenset({"datetime", "date", "expiry"})


def _in_1904(read: Callable[[object], Hit]) -> Callable[[object], Hit]:
    """`read` for a workbook in the 1904 date system: a serial is moved to the 1900 system
    first (`dates.from_1904`)."""

    def shifted(raw: object) -> Hit:
        return read(dates.from_1904(raw))

    return shifted


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


_TOTAL = re.compile(r"(?:合计|总计|汇总|小计|总数|grand total|total)(?:$|[\s:：(（\d])")
"""A 合计/总计 word on its own, or followed by a separator or a count: not 'Totalcare旗舰店',
nor '汇总优品旗舰店'. 汇总 is what Chinese Excel writes on a Table's totals row (Total in
English) and, after the groups of 分类汇总, 总计 (Grand Total) on the line ending them."""


_SUBTOTAL = re.compile(r"(?P<group>.*\S)(?:\s*(?:汇总|小计|合计)|\s+(?:sub)?total)")
"""A group's total: the group's name, then 汇总 (Total in English Excel) as 分类汇总
(Subtotal) writes it, '旗舰店 汇总'; or 小计/合计 after it, as typed by hand."""


_GRAND = frozenset({"总", "grand"})
"""Group names that are not a group: 总合计 and Grand Total end the data."""


NOTE_MARKERS = ("注：", "注:", "注 ", "说明", "数据来源", "备注：", "备注:", "提示", "note:")


_MARKER_INITIALS = frozenset("合总汇小注說说数數备備提tTnNgG注")


def may_be_marker(cells: list[object]) -> bool:
    """Whether a line could be a 合计/总计 or a note line, judged by its first text's first
    character: false for nearly every merchant row, at the cost of one look."""
    first = _first_text(cells)
    return first is not None and first[:1] in _MARKER_INITIALS


_LEAD = 4
"""How far into a row a total or note line's label is looked for."""


def _first_text(cells: list[object]) -> str | None:
    """The first non-blank cell, when it is text and among the first few cells; when those
    are blank, the first text further right that does not start like a figure (a sum: 1…,
    ¥…, (…, #DIV/0!): 分类汇总 writes 总计 in the column it groups by, which may be right
    of the sums. One look at a cell or two for a row of an export that starts at column E."""
    for cell in cells[:_LEAD]:
        if cell in ("", None):
            continue
        return cell.strip() if isinstance(cell, str) else None
    for cell in cells[_LEAD:]:
        if isinstance(cell, str) and type(cell) is not values.Unsaved:
            text = cell.strip()
            if text and text[0] not in _FIGURE_INITIALS:
                return text
    return None


_FIGURE_INITIALS = frozenset("0123456789０１２３４５６７８９+-－.¥￥(（#")
"""How a sum's text may begin: a digit, a sign, ¥, a bracket, an Excel error's #."""


def _label(cells: list[object]) -> str | None:
    """The only text of a line whose other cells are figures: numbers, a formula's result
    or its error, or in a CSV an amount's text. A totals line is that (its label and its
    sums); a merchant row has more text than one cell."""
    label: str | None = None
    for cell in cells:
        if is_blank_cell(cell) or not isinstance(cell, str) or _figure(cell):
            continue
        if label is not None:
            return None
        label = cell.strip()
    return label


def _figure(cell: str) -> bool:
    """Text that stands for a number: a formula without its saved result, an Excel error
    value (#DIV/0! from an average over nothing), or an amount as a CSV writes one."""
    if type(cell) is values.Unsaved:
        return True
    text = cell.strip()
    if text[:1] == "#" and text.upper() in values.EXCEL_ERRORS:
        return True
    try:
        values.parse_amount(text)  # a dash, too: an amount left blank
    except values.Unreadable:
        return False
    return True


def is_total(cells: list[object]) -> bool:
    """A 合计/总计 line: the data ends here (what follows are totals and notes). Words after
    the 合计 ('Total Care旗舰店', '汇总 好物') make it a name, unless the line holds no other
    text ('合计（共 8 家）' beside its sums): a shop's name on a merchant's row is not."""
    first = _first_text(cells)
    if first is None:
        return False
    text = values.normalize_text(first).casefold()
    found = _TOTAL.match(text)
    if found is None:
        return False
    return _LETTER.search(text, found.end()) is None or _label(cells) is not None


_LETTER = re.compile(r"[^\W\d_]")


def is_subtotal(cells: list[object]) -> bool:
    """A group's total inside the data, as Excel's 分类汇总 (Subtotal) puts one below each
    group: '旗舰店 汇总' ('旗舰店 Total') in the column grouped by, the group's sums beside
    it. The caller asks only about a line with nothing under 商家ID: a shop named '好物
    汇总' on a merchant's row is that merchant. Not a merchant, and unlike the 合计/总计
    line it does not end the data: the next group follows."""
    label = _label(cells)
    if label is None:
        return False
    found = _SUBTOTAL.fullmatch(values.normalize_text(label).casefold())
    return found is not None and found["group"].strip() not in _GRAND


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


def filled_unread(cells: list[object], read_at: tuple[int, ...]) -> list[int] | None:
    """The columns a row holds something in, when none of them is one renewal reads
    (`read_at`): a helper row (`HelperRows`), on the merchant sheet or a supporting one.
    None for a row with something in a column renewal reads."""
    width = len(cells)
    for index in read_at:
        if index < width and not is_blank_cell(cells[index]):
            return None
    return [index for index, cell in enumerate(cells) if not is_blank_cell(cell)]


@dataclass
class HelperRows:
    """The rows that hold something only in columns renewal does not read, every column it
    reads blank: a 序号 numbered down past the data, a 备注 or status column pre-filled
    (未联系) on empty rows, a helper formula filled down. Nothing on them can be checked and
    nothing says whose they are: no merchants (on a supporting sheet, no one's record),
    skipped as a blank line is, and named in one note, as runs of rows, with the columns
    that held something."""

    spans: list[list[int]] = field(default_factory=list)
    """Runs of such rows, [first, last], in order: a column filled down past the data is
    one run, however long."""
    count: int = 0
    columns: set[int] = field(default_factory=set)
    """The columns (indexes into a row's cells) that held something on them."""

    def add(self, number: int, columns: list[int]) -> None:
        self.count += 1
        self.columns.update(columns)
        if self.spans and self.spans[-1][1] == number - 1:
            self.spans[-1][1] = number
        else:
            self.spans.append([number, number])

    def absorb(self, other: HelperRows) -> None:
        """Another worker's rows (its blocks lie between this one's): the runs joined."""
        self.count += other.count
        self.columns |= other.columns
        joined: list[list[int]] = []
        for first, last in sorted([*self.spans, *other.spans]):
            if joined and joined[-1][1] >= first - 1:
                joined[-1][1] = max(joined[-1][1], last)
            else:
                joined.append([first, last])
        self.spans = joined


def only_unsaved_beside(cells: list[object], header: Header) -> bool:
    """A row whose recognised columns are blank and whose other cells are blank or
    formulas without a saved result: a helper column (=IF(A2="","",LEN(A2))) filled down
    past the data in a workbook a program wrote. Nothing on it can be read, and nothing
    says whose row it is."""
    columns = set(header.positions.values())
    return all(
        is_blank_cell(cell) or (type(cell) is values.Unsaved and index not in columns)
        for index, cell in enumerate(cells)
    )
