"""From a spreadsheet export to typed `Merchant` records.

The header row is found by content (the first rows are searched for the required headers),
so a title line above it does no harm. The supporting sheets (违规记录, 资质) are read
first and indexed by merchant id; the merchant sheet is then streamed, one `Merchant` per
non-blank row, so a million-row CSV never sits in memory.

A merchant table continued past Excel's row limit (商家, 商家 (2), … as renewal's own
report continues one) is read as one table: the rows of a continuation sheet are numbered
`part * PART_ROWS + row` on their way through (`Export.rows`), and each `Merchant` names
its own sheet and row.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import itertools
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from renewal import i18n
from renewal.intake.columns import (
    BLOCKER_FIELDS,
    MERCHANT_COLUMNS,
    MERCHANT_SHEETS,
    QUALIFICATION_COLUMNS,
    QUALIFICATION_SHEETS,
    VIOLATION_COLUMNS,
    VIOLATION_SHEETS,
    Column,
    normalize_header,
    normalize_sheet,
    sheet_stem,
)
from renewal.intake.header import HEADER_SEARCH_ROWS, Header, find_header
from renewal.intake.records import (
    HelperRows,
    ReadPlan,
    filled_unread,
    is_blank,
    is_blank_cell,
    is_example,
    is_note,
    is_subtotal,
    is_total,
    may_be_marker,
    read_plan,
    read_record,
)
from renewal.intake.supporting import Supporting, index_sheets, qualification_from, violation_from
from renewal.intake.tables import (
    CSV_SUFFIXES,
    DEFAULT_MAX_INFLATED_MB,
    WORKBOOK_SUFFIXES,
    IntakeError,
    Merged,
    Phrase,
    RawTable,
    Row,
    UnreadCells,
    Workbook,
    file_digest,
    fill_merged,
    given_path,
    guard_archive,
    in_thread,
    is_workbook,
    merged_below,
    read_csv,
    shown_name,
    spooled_as,
    text_preview,
    unread_cells,
)
from renewal.intake.unread import ERRORS_UNSEEN
from renewal.model import Merchant, Qualification, SourceRef, Violation

PART_ROWS = 1 << 21
"""A continuation sheet's rows are numbered from its place (1, 2, …) times this on their
way from `Export.rows` to `Export.merchant_from`: above any sheet's last row (1,048,576),
so a row number alone says which sheet it is on, and rows keep their order."""

_CONTINUATION_MERCHANT_DIGITS = r"\d{1,3}"
"""A merchant sheet's continuation number: 商家 (2), 商家3; not 商家2023, a year's sheet."""

_SPACED_TOTAL = re.compile(r"(\s*[合总汇小])\s+([计总数])")
"""A totals label spelt with a space inside it: 合 计, and 合　计 as Chinese reports pad a
two-character label to the width of a longer one with an ideographic space."""


def is_total_line(cells: list[object]) -> bool:
    """A 合计/总计 line (`records.is_total`), its label also spelt with a space inside it
    (合 计, 合　计, 总 计): the label is matched with its spaces removed, as a header is.
    Asked only of the rare line `may_be_marker` lets through, so the copy costs nothing."""
    if is_total(cells):
        return True
    unspaced: list[object] | None = None
    for index, cell in enumerate(cells):
        if type(cell) is str and _SPACED_TOTAL.match(cell):
            if unspaced is None:
                unspaced = list(cells)
            unspaced[index] = _SPACED_TOTAL.sub(r"\1\2", cell, count=1)
    return unspaced is not None and is_total(unspaced)


@dataclass
class ContinuedPart:
    """A sheet that continues the merchant sheet (商家 (2) after 商家): its rows are read
    under the first sheet's header, laid out as the first sheet lays them out."""

    table: RawTable
    header: Header
    """Its own header, found by content as the first sheet's is."""
    layout: Header
    """The first sheet's columns under this sheet's name and header row: the header its
    rows are read under once `order` has put their cells in the first sheet's places."""
    order: list[int | None] | None
    """Where each of the first sheet's columns is in this sheet, when they are not in the
    same places (None: the cells are read as they are)."""
    merged: list[Merged]
    after_header: Iterator[Row] | None


@dataclass
class Export:
    """An opened export: where its merchant rows are, and what is known about it.

    `rows()` gives the raw rows after the header and `merchant_from()` turns one into a
    `Merchant`, so rows can be split between processes; `merchants` does both in one go.
    """

    path: Path
    size: int
    sha256: str
    kind: str
    """What the file is, by its content: "csv", or a workbook format (xlsx, xlsm, xlsb,
    xls, ods: `workbook_facts.FORMATS`)."""
    encoding: str | None
    header: Header
    table: RawTable
    violations: Supporting[Violation] | None = None
    qualifications: Supporting[Qualification] | None = None
    notes: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    """Things the user should know about the file: (catalogue key, values)."""
    rows_read: int = 0
    blank_rows: int = 0
    skipped_lines: int = 0
    """Lines that are not merchants: a 合计/总计 line, the sparse lines after it, notes, a
    group's 汇总 line, a template's example row, and rows with nothing in the columns
    renewal reads (`helper_rows`)."""
    helper_rows: HelperRows = field(default_factory=HelperRows)
    read_at: tuple[int, ...] = ()
    """The columns renewal reads (the header's positions), taken once: a row without a
    商家ID is a merchant only when one of them holds something."""
    ended_at: int | None = None
    """The row of the first 合计/总计 line, if any: below it only rows that look like
    merchants are read (`_like_merchant`). An Excel Table's totals row is one, known from
    the start (`table_totals`)."""
    table_totals: frozenset[int] = frozenset()
    """The merchant sheets' Excel Table totals rows, numbered as `rows()` numbers them: the
    workbook says they are totals, even when the first cell is a COUNT (a number, read
    as a merchant id otherwise), so each is skipped as the 合计 line is."""
    after_total: list[int] = field(default_factory=list)
    """Rows below the 合计/总计 line read as merchants: a note names them."""
    header_again: list[int] = field(default_factory=list)
    """Rows that spell the header again (a second export pasted below the first): skipped
    lines, and a note naming them."""
    attached: set[str] = field(default_factory=set)
    """Merchant ids that supporting rows were attached to."""
    filled: set[str] = field(default_factory=set)
    """The blocker fields (BLOCKER_FIELDS) some merchant row holds something in, read or
    not: a blocker column the year does not know is worth a note only when it is used."""
    watching: set[str] = field(default_factory=set)
    """The blocker fields the export has and no row has filled yet."""
    _after_header: Iterator[Row] | None = None
    plan: ReadPlan = field(default_factory=list)
    merged: list[Merged] = field(default_factory=list)
    """The merchant sheet's merged areas below the header: each row reads their value."""
    continued: list[ContinuedPart] = field(default_factory=list)
    """The sheets that continue the merchant sheet (商家 (2), 商家3 …), in order."""
    spool: IO[bytes] | None = None
    """The copy `path` names when the export came down a pipe (see `_spool`): held open
    while the export is read."""

    @property
    def file_name(self) -> str:
        """The export's name as the report shows it: the name the user gave (not its
        spooled copy's), its bytes that are not UTF-8 as U+FFFD."""
        return shown_name(given_path(self.path).name)

    def note_end(self, number: int, cells: list[object]) -> None:
        """Watch for the 合计/总计 line in rows read but not checked (another worker's)."""
        if self.ended_at is None:
            if may_be_marker(cells) and is_total_line(cells):
                self.ended_at = number

    def _like_merchant(self, cells: list[object]) -> bool:
        """Below the 合计/总计 line: whether a row fills at least half of the recognised
        columns, as a merchant row does. Averages, signatures (制表人：…) and export
        times there fill a few cells and are skipped; a merchant pasted below the totals
        is read, so it is not lost."""
        positions = self.header.positions.values()
        filled = sum(
            1 for index in positions if index < len(cells) and not is_blank_cell(cells[index])
        )
        return filled * 2 >= len(positions)

    def _unread_only(self, number: int, cells: list[object]) -> bool:
        """Whether a row without a 商家ID holds nothing in any column renewal reads (its
        other cells hold something, or it would be blank): then it is one of `helper_rows`,
        and skipped. An id-less row with a contract date or an amount on it is a merchant
        whose id is missing, and stays an error row."""
        filled = filled_unread(cells, self.read_at)
        if filled is None:
            return False
        self.helper_rows.add(number, filled)
        self.skipped_lines += 1
        return True

    def merchant_from(self, number: int, cells: list[object]) -> Merchant | None:
        """One merchant row, typed and joined with its supporting rows; None for a line that
        is not a merchant (blank, a note, a 合计/总计 line, a row below it that does not
        look like a merchant, a template's example row, the header spelt again, a row with
        nothing in the columns renewal reads)."""
        below = self.ended_at is not None and number >= self.ended_at
        if below and (
            number == self.ended_at or number in self.table_totals or not self._like_merchant(cells)
        ):
            self.skipped_lines += 1
            return None
        sheet, row = self.table.name, number
        if number >= PART_ROWS and self.continued:  # on a continuation sheet (a CSV has none)
            sheet, row = self.place(number)
        id_index = self.header.positions["merchant_id"]
        id_cell = cells[id_index] if len(cells) > id_index else None
        # Most rows have an id: only a row without one is checked for being blank.
        idless = id_cell == "" or id_cell is None
        if idless:
            if is_blank(cells):
                self.blank_rows += 1
                return None
            if is_subtotal(cells):  # a group's 汇总 line (分类汇总): skipped, not the end
                self.skipped_lines += 1
                return None
        elif type(id_cell) is str and not id_cell.isdigit():
            if is_blank_cell(id_cell):  # spaces that show nothing
                if is_blank(cells):
                    self.blank_rows += 1
                    return None
                idless = True
            elif is_example(id_cell):
                self.skipped_lines += 1
                return None
            elif self._header_of(number).spelt_again(self.path, row, cells):
                self.header_again.append(number)
                self.skipped_lines += 1
                return None
        if may_be_marker(cells):  # cheap test first: most rows are merchants
            if is_total_line(cells):
                if self.ended_at is None:
                    self.ended_at = number
                self.skipped_lines += 1
                return None
            if is_note(cells):
                self.skipped_lines += 1
                return None
        if idless and self._unread_only(number, cells):  # after the 合计 test: it ends the data
            return None
        self.rows_read += 1
        if below:
            self.after_total.append(number)
        record, bad = read_record(cells, self.plan)
        if self.watching:  # nearly always empty: few exports have blocker columns
            used = {name for name in self.watching if name in record or name in bad}
            self.filled |= used
            self.watching -= used
        merchant = Merchant.__new__(Merchant)
        state = merchant.__dict__  # the fast way in; see Merchant's docstring
        state.update(record)
        state["sheet"] = sheet
        state["row"] = row
        state["unreadable"] = bad
        merchant_id = merchant.merchant_id
        if merchant_id is None:
            return merchant
        if self.violations is not None:
            state["violations"], problems = self.violations.records_of(merchant_id, self.attached)
            if problems:
                state["violation_problems"] = problems
        if self.qualifications is not None:
            documents, problems = self.qualifications.records_of(merchant_id, self.attached)
            state["qualifications"] = documents
            if problems:
                state["qualification_problems"] = problems
        return merchant

    def place(self, number: int) -> tuple[str, int]:
        """The sheet and row of a row number as `rows()` gives it."""
        if number < PART_ROWS or not self.continued:  # a CSV's lines go on past PART_ROWS
            return self.table.name, number
        part, row = divmod(number, PART_ROWS)
        return self.continued[part - 1].table.name, row

    def _header_of(self, number: int) -> Header:
        if number < PART_ROWS or not self.continued:
            return self.header
        return self.continued[number // PART_ROWS - 1].layout

    def _label(self, number: int) -> str:
        """A row as a note names it: its number, after its sheet's name on a continuation
        sheet (商家 (2)!7, as a spreadsheet names a place on another sheet)."""
        sheet, row = self.place(number)
        return f"{sheet}!{row}" if sheet != self.table.name else str(row)

    @property
    def sheets(self) -> list[str]:
        """The merchant sheet and the sheets that continue it."""
        return [self.table.name, *(part.table.name for part in self.continued)]

    @property
    def size_hint(self) -> int | None:
        """About how many rows the merchant sheets have, for a progress bar."""
        hints = [self.table.size_hint, *(part.table.size_hint for part in self.continued)]
        return None if None in hints else sum(hint or 0 for hint in hints)

    @property
    def columns(self) -> dict[str, str]:
        return self.header.texts

    @property
    def has_violations_sheet(self) -> bool:
        return self.violations is not None

    @property
    def has_qualifications_sheet(self) -> bool:
        return self.qualifications is not None

    def rows(self, fresh: bool = False) -> Iterator[Row]:
        """The raw rows after the header: the reader intake opened, or a fresh one."""
        if not fresh and self._after_header is not None:
            rows, self._after_header = self._after_header, None
        else:
            rows = (row for row in self.table.reopen() if row[0] > self.header.row)
        if self.merged:
            rows = fill_merged(rows, self.merged)
        cut = self.header.report_columns_at
        if cut is not None:  # an earlier check's verdict: this run's replaces it
            rows = ((number, cells[:cut]) for number, cells in rows)
        if self.continued:
            more = (self._continued_rows(index, fresh) for index in range(len(self.continued)))
            rows = itertools.chain(rows, itertools.chain.from_iterable(more))
        return rows

    def _continued_rows(self, index: int, fresh: bool) -> Iterator[Row]:
        """A continuation sheet's rows after its header, numbered past the sheets before it
        (PART_ROWS), their cells where the first sheet has its columns."""
        part = self.continued[index]
        if not fresh and part.after_header is not None:
            rows, part.after_header = part.after_header, None
        else:
            rows = (row for row in part.table.reopen() if row[0] > part.header.row)
        if part.merged:
            rows = fill_merged(rows, part.merged)
        cut, order = part.header.report_columns_at, part.order
        offset = (index + 1) * PART_ROWS
        for number, cells in rows:
            if cut is not None:
                cells = cells[:cut]
            if order is not None:
                width = len(cells)
                cells = [cells[at] if at is not None and at < width else "" for at in order]
            yield number + offset, cells

    @property
    def merchants(self) -> Iterator[Merchant]:
        for number, cells in self.rows():
            merchant = self.merchant_from(number, cells)
            if merchant is not None:
                yield merchant

    def header_again_notes(self) -> list[tuple[str, dict[str, object]]]:
        """A note naming the rows that spell the header again."""
        if not self.header_again:
            return []
        rows = [self._label(row) for row in sorted(self.header_again)]
        return [("note.header_again", {"rows": i18n.first_named(rows), "count": len(rows)})]

    def helper_rows_notes(self) -> list[tuple[str, dict[str, object]]]:
        """A note on the rows that hold something only in columns renewal does not read:
        how many, which (as runs: 5–50), and those columns, by letter and header; one for
        the merchant sheets, and one for each supporting sheet that has any (违规记录!19–32:
        no one's record, so not among the unmatched supporting rows either)."""
        label, place = self._label, self.place
        runs = [label(a) + ("" if a == b else f"–{place(b)[1]}") for a, b in self.helper_rows.spans]
        notes = _helper_note("note.helper_rows", self.helper_rows, runs, self.header)
        for supporting in (self.violations, self.qualifications):
            for part in supporting.parts if supporting is not None else ():
                spans = part.helper_rows.spans
                runs = [f"{part.name}!{a}" + ("" if a == b else f"–{b}") for a, b in spans]
                notes += _helper_note("note.helper_records", part.helper_rows, runs, part.header)
        return notes

    def unsaved_notes(self) -> list[tuple[str, dict[str, object]]]:
        """A note naming the merchant sheet's formula cells without a saved result on rows
        read as merchants: not on the title above the header, the 合计/总计 line, nor the
        lines below it that are not merchants (its own SUM, say)."""
        read = set(self.after_total)
        notes: list[tuple[str, dict[str, object]]] = []
        sheets = [(self.table, self.header), *((p.table, p.header) for p in self.continued)]
        for index, (table, header) in enumerate(sheets):
            offset = index * PART_ROWS
            cells = [
                name
                for name in table.unsaved
                if (row := int(name.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))) > header.row
                and (self.ended_at is None or offset + row < self.ended_at or offset + row in read)
            ]
            if cells:
                values = {
                    "sheet": table.name,
                    "count": len(cells),
                    "cells": i18n.first_named(cells),
                }
                notes.append(("note.formulas", values))
        return notes

    def after_total_notes(self) -> list[tuple[str, dict[str, object]]]:
        """A note naming the merchant rows found below the 合计/总计 line: "after it" when
        some are on a sheet that continues its sheet (商家 (2)!2 is not below row 22 of
        商家), `note.after_total.continued`."""
        if not self.after_total or self.ended_at is None:
            return []
        rows = [self._label(row) for row in sorted(self.after_total)]
        total: object = self.ended_at
        if self.place(self.ended_at)[0] != self.table.name:
            total = self._label(self.ended_at)
        values: dict[str, object] = {
            "total": total,
            "rows": i18n.first_named(rows),
            "count": len(rows),
        }
        sheet = self.place(self.ended_at)[0]
        later = any(self.place(row)[0] != sheet for row in self.after_total)
        return [("note.after_total.continued" if later else "note.after_total", values)]

    def spanning_notes(self) -> list[tuple[str, dict[str, object]]]:
        """A note naming the merchant rows of a CSV that run over several lines, read as
        Excel reads them; and one naming those whose quoting looks broken
        (`Spanning.broken`), whose following lines were most likely swallowed."""
        spanning = self.table.spanning
        above = sum(1 for row in spanning.rows if row <= self.header.row)  # a title's, say
        rows = [str(row) for row in spanning.rows if row > self.header.row]
        if not rows:
            return []
        count = spanning.count - above
        notes: list[tuple[str, dict[str, object]]] = [
            ("note.multiline", {"rows": i18n.first_named(rows, count), "count": count})
        ]
        columns = spanning.report_columns
        width = columns[1] if columns is not None else len(self.header.names)
        broken, many = spanning.broken(width, self.header.row)
        if broken:
            values = {"rows": i18n.first_named(list(map(str, broken)), many), "count": many}
            notes.append(("note.open_quote", {**values, "width": width}))
        return notes

    def cut_short_notes(self) -> list[tuple[str, dict[str, object]]]:
        """A note when the CSV's last line has no line end and fewer fields than the
        header: a copy cut short in transfer, or taken while it was still being written.
        Its row is checked as read (a cell it lacks is blank, so it is most likely an
        error row); the note says why, and that merchants after it may be missing."""
        unended = self.table.unended
        if unended is None or unended[0] <= self.header.row:
            return []
        row, found = unended
        expected = len(self.header.names)
        if found >= expected:
            return []
        values: dict[str, object] = {
            "file": self.file_name,
            "row": row,
            "found": found,
            "expected": expected,
        }
        return [("note.cut_short", values)]

    def unmatched(self, attached: set[str]) -> list[tuple[str | None, SourceRef]]:
        """Supporting rows that belong to no merchant row: their merchant id is not on the
        merchant sheet, or is blank or unreadable. Nothing read is silently dropped."""
        orphans: list[tuple[str | None, SourceRef]] = []
        for supporting in (self.violations, self.qualifications):
            if supporting is None:
                continue
            for merchant_id in supporting.rows:
                if merchant_id not in attached:
                    orphans += [(merchant_id, ref) for ref in supporting.refs_of(merchant_id)]
            orphans += [(None, ref) for ref in supporting.unattributable]
        return orphans


def _helper_note(
    code: str, helper: HelperRows, runs: list[str], header: Header
) -> list[tuple[str, dict[str, object]]]:
    """`code`'s note on one sheet's (or the merchant sheets') helper rows: their `runs` as
    a note names rows, and the columns that held something, by letter and header; none
    when there are none."""
    if not helper.count:
        return []
    names = header.names
    columns = [
        f"{header.letter(index)} {text_preview(names[index])}".rstrip()
        if index < len(names)
        else header.letter(index)
        for index in sorted(helper.columns)
    ]
    values: dict[str, object] = {
        "rows": i18n.first_named(runs),
        "count": helper.count,
        "columns": i18n.first_named(columns),
    }
    return [(code, values)]


def _spool(path: Path, limit_mb: int) -> tuple[Path, IO[bytes], int, str]:
    """An export that cannot be opened twice (a pipe, a FIFO, `<(zcat …)`, standard input)
    read once into an unnamed temporary file in TMPDIR, with its size and SHA-256: the
    copy's path, the open copy (it is gone once closed, however the run ends), the size and
    the digest. Intake opens a file several times (its encoding, its layout, its rows; a
    workbook's directory and sheets), and a forked worker opens it again: the copy is read
    through /proc/self/fd, which every process that inherits the descriptor can open
    afresh. A stream longer than `limit_mb` (--max-inflated-mb) is refused rather than
    let fill the disk."""
    named = not os.path.isdir("/proc/self/fd")  # not Linux: the copy needs a name
    try:
        copy: IO[bytes] = tempfile.NamedTemporaryFile() if named else tempfile.TemporaryFile()  # noqa: SIM115 - held by the Export
    except OSError as exc:
        raise _spool_failed(path, exc) from exc
    digest = hashlib.sha256()
    size, limit = 0, limit_mb * 1024 * 1024
    try:
        with path.open("rb") as stream:
            while True:
                try:
                    chunk = stream.read(1 << 20)
                except OSError as exc:
                    raise IntakeError("intake.unreadable", path=path, reason=exc) from exc
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise IntakeError("intake.stream_too_big", path=path, limit=limit_mb)
                digest.update(chunk)
                try:
                    copy.write(chunk)
                except OSError as exc:
                    raise _spool_failed(path, exc) from exc
        try:
            copy.flush()
        except OSError as exc:
            raise _spool_failed(path, exc) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            copy.close()
        raise
    where = Path(copy.name) if named else Path(f"/proc/self/fd/{copy.fileno()}")
    spooled_as(where, path)
    return where, copy, size, digest.hexdigest()


def _spool_failed(path: Path, exc: OSError) -> IntakeError:
    """The temporary directory could not hold a piped export: full, say."""
    where = tempfile.gettempdir()
    return IntakeError("intake.spool_failed", path=path, directory=where, reason=exc)


def _handed_over(path: Path, mode: int) -> bool:
    """Whether the export is read once, through a copy: a pipe or a FIFO, and any file
    named by a descriptor (/dev/stdin, /dev/fd/N, /proc/self/fd/N: `< export.csv`), which
    names another file in a forked worker (whose standard input is /dev/null)."""
    return stat.S_ISFIFO(mode) or path.parts[:2] in (("/", "dev"), ("/", "proc"))


def _parsed(book: Workbook, name: str, unread: Callable[[], UnreadCells] | None = None) -> RawTable:
    """`book.table(name, unread)`, parsed in a thread while this one waits: calamine does
    not look at signals while it parses (seconds for a large sheet), a thread's join does,
    so Ctrl-C ends the run at once rather than when the sheet is read."""
    return in_thread(functools.partial(book.table, name, unread))()


Found = tuple[RawTable, Header, Iterator[Row]]
"""A sheet read to find its header: the table, the header, the rows after it."""


def _merchant_sheet(
    path: Path, book: Workbook, supporting: set[str], parsed: dict[str, RawTable]
) -> tuple[str, Found | None]:
    """The merchant sheet of a workbook that names none (商家, merchants, …): the only
    sheet besides the supporting ones (and the sheets that continue it), or else the one
    whose header can be found (a sheet of instructions often comes first), read here and
    handed on. Two sheets with the header that do not continue one another (商家2022 and
    商家2023) are refused, naming them (and those Excel does not show: one sees a single
    sheet): the run would otherwise check one and drop the other's merchants without a
    word. The sheets read that are not the merchants' are left in `parsed`, where the
    supporting sheets are looked for by their header."""
    candidates = [name for name in book.sheet_names if name not in supporting]
    after = {name: _merchant_continuations(book, candidates, name)[1:] for name in candidates}
    firsts = [name for name in candidates if not any(name in more for more in after.values())]
    if len(firsts) <= 1:
        return (firsts or book.sheet_names)[0], None
    failures: list[IntakeError] = []
    found: list[tuple[str, Found]] = []
    for name in candidates:
        if any(name in after[other] for other, _ in found):
            continue  # read with the sheet it continues
        table = _parsed(book, name)
        try:
            header, rows = find_header(path, table, MERCHANT_COLUMNS)
        except IntakeError as exc:
            failures.append(exc)
            parsed[name] = table
            continue
        found.append((name, (table, header, rows)))
    # a continuation found before the sheet it continues (in the workbook's order) goes with it
    heads = [(name, f) for name, f in found if not any(name in after[o] for o, _ in found)]
    if len(heads) == 1:
        return heads[0]
    if heads:
        sheets = [name for name, _ in heads]
        shown = [name for name in sheets if name not in book.hidden] or sheets
        raise IntakeError(
            "intake.merchant_sheets",
            path=path,
            sheets=sheets,
            first=shown[0],
            hidden=_hidden_among(book, sheets),
        )
    # a sheet naming some of the columns is the one meant: say what it lacks
    partial = [exc for exc in failures if exc.key == "intake.missing_column"]
    if partial:
        raise partial[0]
    names = [column.header for column in MERCHANT_COLUMNS if column.required]
    raise IntakeError(
        "intake.no_header_any", path=path, sheets=candidates, names=names, rows=HEADER_SEARCH_ROWS
    )


def _hidden_among(book: Workbook, sheets: list[str]) -> Phrase | str:
    """What a refusal naming `sheets` says of those Excel does not show, where the user
    sees fewer sheets than it names: a very hidden one (as a macro leaves a stale copy)
    is not even in Excel's Unhide list. Nothing when all of them show."""
    hidden = [name for name in sheets if name in book.hidden and name not in book.very_hidden]
    very = [name for name in sheets if name in book.very_hidden]
    if hidden and very:
        return Phrase("intake.hidden_among.both", (("hidden", hidden), ("very_hidden", very)))
    if very:
        return Phrase("intake.hidden_among.very_hidden", (("very_hidden", very),))
    if hidden:
        return Phrase("intake.hidden_among.hidden", (("hidden", hidden),))
    return ""


def _chosen_sheet(path: Path, names: list[str], wanted: str) -> str:
    """The sheet `--sheet` names: as written, or as sheet names compare (full-width,
    spaces, case)."""
    if wanted in names:
        return wanted
    found = _pick_sheet(names, (wanted,))
    if found is None:
        raise IntakeError("intake.no_such_sheet", path=path, sheet=wanted, sheets=names)
    return found


def _merchant_header(
    path: Path, table: RawTable, kind: str, elsewhere: Callable[[Phrase], None] | None = None
) -> tuple[Header, Iterator[Row]]:
    """The merchant table's header; a CSV that has none is called a file, not a sheet.
    A sheet named 商家 that is empty, or has a header and no merchant below it, is told to
    `elsewhere` (`_merchants_elsewhere`) before it is refused: another sheet may hold them."""
    try:
        header, rows = find_header(path, table, MERCHANT_COLUMNS)
    except IntakeError as exc:
        if kind == "csv" and exc.key == "intake.no_header":
            raise IntakeError("intake.no_header_file", **exc.values) from None
        if elsewhere is not None and exc.key == "intake.sheet_empty":
            elsewhere(Phrase("intake.holds_none.empty"))
        raise
    if elsewhere is None:
        return header, rows
    ahead, holds = _up_to_merchant(header, rows)  # nearly always the row after the header
    if not holds:
        elsewhere(Phrase("intake.holds_none.header_only", (("row", header.shown_row),)))
    return header, itertools.chain(ahead, rows)


def _appeals_unread(
    header: Header, violations: Supporting[Violation] | None
) -> list[tuple[str, dict[str, object]]]:
    """A note when nothing in the export says whether a penalty is under appeal: no
    处罚申诉中 column, and a 违规记录 sheet without 申诉状态 (each of its rows then reads as
    not appealed). Without the sheet TB01 itself says it cannot decide."""
    if violations is None or "appeal_pending" in header.positions:
        return []
    if any("appeal_status" in part.header.positions for part in violations.parts):
        return []
    return [("note.appeals_unread", {"sheet": violations.parts[0].name})]


def _up_to_merchant(header: Header, rows: Iterator[Row]) -> tuple[list[Row], bool]:
    """The rows after the header up to the first that may be a merchant (not blank, not a
    template's example row), taken from `rows`; and whether there is one."""
    ahead: list[Row] = []
    position = header.positions["merchant_id"]
    for number, cells in rows:
        ahead.append((number, cells))
        if not is_blank(cells) and not (position < len(cells) and is_example(cells[position])):
            return ahead, True
    return ahead, False


def _merchants_elsewhere(
    path: Path, book: Workbook, sheet: str, others: list[str], state: Phrase
) -> None:
    """Refuse the sheet named 商家 that holds no merchants (`state`: empty, or a header
    alone) naming the sheets that have the merchant header and merchant rows, with the
    `--sheet` that checks one. Not read in their place: a sheet the export does not name
    may be last year's list or a working copy, and a verdict on the wrong merchants is
    worse than a run asked again. Nothing when no other sheet has them (the sheet's own
    refusal follows)."""
    holders: list[str] = []
    for name in others:
        try:
            header, rows = find_header(path, _parsed(book, name), MERCHANT_COLUMNS)
        except IntakeError:
            continue
        if _up_to_merchant(header, rows)[1]:
            holders.append(name)
    if holders:
        raise IntakeError(
            "intake.merchants_elsewhere",
            path=path,
            sheet=sheet,
            state=state,
            sheets=holders,
            first=holders[0],
        )


def _misnamed(path: Path, kind: str) -> list[tuple[str, dict[str, object]]]:
    """A note when the content is not what the file's name says: text named .xls or
    .xlsx, read as text; a workbook named .csv, read as a workbook; an xlsx named .xls
    (as back-office systems often name one), read as an xlsx."""
    suffix = path.suffix.lower()
    if kind == "csv" and suffix in WORKBOOK_SUFFIXES:
        return [("note.text_named_workbook", {"suffix": path.suffix})]
    if kind != "csv" and suffix in CSV_SUFFIXES:
        return [("note.workbook_named_text", {"suffix": path.suffix})]
    if kind != "csv" and kind not in _NAMED_FORMATS.get(suffix, (kind,)):
        return [("note.workbook_named_other", {"suffix": path.suffix, "kind": kind})]
    return []


_NAMED_FORMATS = {
    ".xlsx": ("xlsx", "xlsm"),
    ".xlsm": ("xlsx", "xlsm"),
    ".xls": ("xls",),
    ".xlsb": ("xlsb",),
    ".ods": ("ods",),
}
"""The workbook formats a workbook extension names (an xlsx with macros named .xlsx is no
news: Excel opens either)."""


def _table_totals(export: Export) -> frozenset[int]:
    """The totals rows below the merchant sheets' headers of the Excel Tables there that
    hold the 商家ID column (a small Table beside the data is not the merchants'), numbered
    as `Export.rows` numbers them."""
    sheets = [(export.table, export.header)]
    sheets += [(part.table, part.header) for part in export.continued]
    found: set[int] = set()
    for index, (table, header) in enumerate(sheets):
        column = header.positions["merchant_id"]
        found.update(
            index * PART_ROWS + row
            for totals in table.totals
            if totals.first <= column <= totals.last
            for row in range(totals.first_row, totals.last_row + 1)
            if row > header.row
        )
    return frozenset(found)


def _pick_sheet(names: list[str], wanted: tuple[str, ...]) -> str | None:
    normalized = {normalize_sheet(name): name for name in names}
    for candidate in wanted:
        found = normalized.get(normalize_sheet(candidate))
        if found is not None:
            return found
    return None


def _continuations(names: list[str], first: str) -> list[str]:
    """`first` and the sheets that continue it past Excel's row limit: 资质2, 资质(3), …"""
    stem = normalize_sheet(first)
    pattern = re.compile(re.escape(stem) + r"[-_ ]?[(（]?\d+[)）]?$")
    return [first] + [
        name for name in names if name != first and pattern.match(normalize_sheet(name))
    ]


def _named_sheet(names: list[str], wanted: tuple[str, ...]) -> str | None:
    """The sheet of a kind found by its name: one of `wanted` as sheet names compare, or
    else as `sheet_stem` folds them: 违规记录表, and 违规记录 - 表格 1 as Apple Numbers
    names a table's worksheet."""
    found = _pick_sheet(names, wanted)
    if found is not None:
        return found
    stems: dict[str, str] = {}
    for name in names:
        stems.setdefault(sheet_stem(name), name)
    return next((stems[s] for s in map(sheet_stem, wanted) if s in stems), None)


@dataclass(frozen=True)
class SupportingKind:
    """A supporting sheet's kind: the names it goes by (the first is its own), the columns
    its header names, and what a message calls it."""

    key: str
    """violations | qualifications, as the notes' keys say it."""
    sheets: tuple[str, ...]
    columns: tuple[Column, ...]


SUPPORTING_KINDS = (
    SupportingKind("violations", VIOLATION_SHEETS, VIOLATION_COLUMNS),
    SupportingKind("qualifications", QUALIFICATION_SHEETS, QUALIFICATION_COLUMNS),
)


@dataclass
class SheetLayout:
    """Which sheets of a workbook hold what, before any of them is read for its rows."""

    first: str
    """The merchant sheet (the first of them, when it is continued)."""
    found: Found | None
    """The merchant sheet, when it was read to find it."""
    named: bool
    """The merchant sheet was found by its name (商家), not by --sheet or its header."""
    supporting: dict[str, list[str]]
    """Each supporting kind's sheets (the first and those continuing it), or none."""
    parsed: dict[str, RawTable] = field(default_factory=dict)
    """Supporting sheets read to find them: their rows are taken from here, not read again."""
    notes: list[tuple[str, dict[str, object]]] = field(default_factory=list)
    later: Callable[[], list[tuple[str, dict[str, object]]]] | None = None
    """The notes still being found (`_beside_named`): waited for once the sheets are read."""

    def table(
        self, book: Workbook, name: str, unread: dict[str, Callable[[], UnreadCells]]
    ) -> RawTable:
        """A supporting sheet: as read to find it, let go of here, or else parsed now."""
        found = self.parsed.pop(name, None)
        return found if found is not None else _parsed(book, name, unread[name])


def _sheet_layout(path: Path, book: Workbook, sheet: str | None) -> SheetLayout:
    """Which sheet holds what: each kind by its name first (商家, 违规记录, 资质, and the
    names near them: `_named_sheet`), else by its header. A supporting sheet under another
    name (Sheet2, 违规明细) is read as the merchant sheet is, and a note says so: left out,
    the transfer test would run on no violations and QL01 would say there is no 资质 sheet,
    though it is there. Two sheets with one kind's header that do not continue one another
    are refused, naming them, as two merchant sheets are; a sheet with a supporting header
    beside the one of that name is named in a note, as not read."""
    names = book.sheet_names
    supporting: dict[str, list[str]] = {}
    for kind in SUPPORTING_KINDS:
        named = _named_sheet(names, kind.sheets)
        supporting[kind.key] = _continuations(names, named) if named else []
    first = (
        _named_sheet(names, MERCHANT_SHEETS) if sheet is None else _chosen_sheet(path, names, sheet)
    )
    layout = SheetLayout(first or "", None, first is not None and sheet is None, supporting)
    if first is None:
        claimed = {name for group in supporting.values() for name in group}
        layout.first, layout.found = _merchant_sheet(path, book, claimed, layout.parsed)
    # a supporting sheet read as the merchants' (the only sheet there is, or --sheet's
    # choice) is not read as supporting rows too
    for key, group in supporting.items():
        if layout.first in group:
            supporting[key] = []
    claimed = {name for group in supporting.values() for name in group}
    merchants = _merchant_continuations(
        book, [name for name in names if name not in claimed], layout.first
    )
    others = [name for name in names if name not in claimed and name not in merchants]
    if not others:
        layout.parsed.clear()
        return layout
    read = {key: group[0] for key, group in supporting.items() if group}  # found by name
    if len(read) == len(SUPPORTING_KINDS):
        # nothing left to find: the other sheets (renewal's own 明细 in a report checked
        # again, say) are looked at meanwhile, from a handle of their own, for the note
        layout.parsed.clear()
        asked = {**read, "merchants": layout.first}
        layout.later = in_thread(functools.partial(_beside_named, path, others, asked))
        return layout
    seen = _by_header(path, book, others, layout.parsed)
    layout.notes += _unread_notes(seen, {**read, "merchants": layout.first})
    for kind in SUPPORTING_KINDS:
        candidates = seen[kind.key]
        if not candidates or supporting[kind.key]:
            continue
        after = {name: _continuations(candidates, name)[1:] for name in candidates}
        heads = [name for name in candidates if not any(name in more for more in after.values())]
        if len(heads) > 1:
            raise IntakeError(
                "intake.supporting_sheets",
                path=path,
                sheets=heads,
                table=Phrase(f"sheet.{kind.key}"),
                name=kind.sheets[0],
                hidden=_hidden_among(book, heads),
            )
        group = [heads[0], *after[heads[0]]]
        supporting[kind.key] = group
        values: dict[str, object] = {"sheets": group, "name": kind.sheets[0]}
        layout.notes.append((f"note.{kind.key}_by_header", values))
    kept = {name for group in supporting.values() for name in group}
    layout.parsed = {name: table for name, table in layout.parsed.items() if name in kept}
    return layout


def _unread_notes(
    seen: dict[str, list[str]], named: dict[str, str]
) -> list[tuple[str, dict[str, object]]]:
    """A note naming the sheets with a supporting kind's header beside the sheet of that
    name, which is the one read: their rows are not added to it, and not dropped unsaid;
    and the same for the merchant header beside the merchant sheet read (商家 beside
    Sheet2 or 商家2023, a year's sheet kept in the workbook: its merchants are not
    checked, and a note says so, rather than a run refused for an archive)."""
    notes: list[tuple[str, dict[str, object]]] = []
    for key, sheet in named.items():
        if seen[key]:
            values = {"sheet": sheet, "sheets": seen[key], "count": len(seen[key])}
            notes.append((f"note.{key}_unread", values))
    return notes


def _beside_named(
    path: Path, others: list[str], named: dict[str, str]
) -> list[tuple[str, dict[str, object]]]:
    """`_unread_notes` for the sheets `others`, read from a handle of their own."""
    return _unread_notes(_by_header(path, Workbook(path), others, {}), named)


def _by_header(
    path: Path, book: Workbook, sheets: list[str], parsed: dict[str, RawTable]
) -> dict[str, list[str]]:
    """The sheets among `sheets` whose header is a supporting kind's, by kind, in the
    workbook's order. Each is read once (or taken from `parsed`, read already), and kept in
    `parsed`, its rows from the first, when its header is one; a sheet that cannot be read
    (a chart, a macro sheet) is none. Under `merchants`, the sheets with the merchant
    header (not kept: they are not read)."""
    seen: dict[str, list[str]] = {kind.key: [] for kind in SUPPORTING_KINDS}
    seen["merchants"] = []
    for name in sheets:
        table = parsed.pop(name, None)
        if table is None:
            try:
                table = _parsed(book, name)
            except IntakeError:
                continue
        for kind in SUPPORTING_KINDS:
            try:
                find_header(path, _afresh(table), kind.columns)
            except IntakeError:
                continue
            seen[kind.key].append(name)
            parsed[name] = _afresh(table)
            break
        else:
            try:
                _, rows = find_header(path, _afresh(table), MERCHANT_COLUMNS)
            except IntakeError:
                continue
            if any(not is_blank(cells) for _, cells in rows):  # merchants left unread
                seen["merchants"].append(name)
    return seen


def _afresh(table: RawTable) -> RawTable:
    """The sheet read again from its first row (it is parsed already: nothing is re-read)."""
    return dataclasses.replace(table, rows=table.reopen())


def _merchant_continuations(book: Workbook, names: list[str], first: str) -> list[str]:
    """The merchant sheet `first` and the sheets among `names` that continue it: 商家 (2)
    (renewal's own report names its next sheet so, after the name's first 26 characters),
    商家2, 商家（3）, Merchants 2, as the supporting sheets are continued.

    Four digits are a year (商家2023 is not 商家 continued); after a name ending in a digit
    the number is set apart (Sheet1 (2), not Sheet12); and a sheet Excel shows continues
    no hidden one, nor the other way round (Excel names a copy of 商家 商家 (2): the
    original hidden beside it is a stale copy, not the first part)."""
    shapes = {
        re.escape(stem) + (r"(?:[-_]|[(（])" if stem[-1:].isdigit() else r"[-_]?[(（]?")
        for stem in {normalize_sheet(first), normalize_sheet(first[:26])}
    }
    pattern = re.compile(
        "(?:" + "|".join(sorted(shapes)) + ")" + _CONTINUATION_MERCHANT_DIGITS + r"[)）]?$"
    )
    hidden = first in book.hidden
    return [first] + [
        name
        for name in names
        if name != first
        and (name in book.hidden) == hidden
        and pattern.match(normalize_sheet(name))
    ]


def _continued_part(path: Path, first: Header, table: RawTable) -> ContinuedPart | None:
    """A continuation sheet, its header found by content; None for an empty one."""
    try:
        header, rows = find_header(path, table, MERCHANT_COLUMNS)
    except IntakeError as exc:
        if exc.key == "intake.sheet_empty":
            return None  # nothing on it to read
        raise
    layout = dataclasses.replace(first, sheet=header.sheet, row=header.row)
    order = _order(path, first, header)
    return ContinuedPart(table, header, layout, order, merged_below(table, header.row), rows)


def _copied(path: Path, first: RawTable, header: Header, part: ContinuedPart) -> bool:
    """Whether a continuation is a copy of the first sheet rather than more of its rows:
    Excel's Move or Copy names a copy of 商家 商家 (2), as a continuation is named. A copy
    starts with the first sheet's first merchant row; a continuation never does (each
    merchant is on one row). A copy that holds nothing the first sheet does not (each of its
    rows is the first sheet's in the same place: a backup, perhaps since added to) is not
    read, and a note says so: read, every merchant would be an error for being on two
    rows. One that goes its own way after that is refused, naming both sheets and the row:
    which of the two holds the rows meant cannot be told."""
    ours = _data_rows(first.reopen(), header, None)
    theirs = _data_rows(part.table.reopen(), part.header, part.order)
    mine, copied = next(ours, None), next(theirs, None)
    if mine is None or copied is None or mine[1] != copied[1]:
        return False  # the usual case, told at the first row
    for number, cells in theirs:
        mine = next(ours, None)
        if mine is None or mine[1] != cells:
            raise IntakeError(
                "intake.sheet_copy",
                path=path,
                sheet=first.name,
                copy=part.table.name,
                row=number,
            )
    return True


def _data_rows(
    rows: Iterator[Row], header: Header, order: list[int | None] | None
) -> Iterator[Row]:
    """A merchant sheet's rows below its header that are not blank, their cells where the
    first sheet has its columns (`order`), without the empty cells at their end."""
    cut = header.report_columns_at
    for number, cells in rows:
        if number <= header.row:
            continue
        if cut is not None:
            cells = cells[:cut]
        if order is not None:
            cells = [cells[at] if at is not None and at < len(cells) else "" for at in order]
        end = len(cells)
        while end and is_blank_cell(cells[end - 1]):
            end -= 1
        if end:
            yield number, cells[:end]


def _order(path: Path, first: Header, part: Header) -> list[int | None] | None:
    """Where each of the first sheet's columns is on a continuation sheet: None when each
    is where the first sheet has it. The sheets must have the same recognised columns (a
    column on one only would be read for some merchants and blank for the others); the
    columns renewal does not read follow their names, for the reports that hand them back."""
    if part.names == first.names:
        return None
    if part.positions.keys() != first.positions.keys():
        keys = sorted(part.positions.keys() ^ first.positions.keys())
        names = [first.texts.get(key) or part.texts[key] for key in keys]
        raise IntakeError(
            "intake.continued_columns",
            path=path,
            sheet=part.sheet,
            row=part.row,
            first=first.sheet,
            names=names,
        )
    if part.scales != first.scales:  # 保证金余额（万元） on one, in yuan on the other
        keys = [key for key in part.positions if part.scales.get(key) != first.scales.get(key)]
        names = [part.texts[key] for key in keys]
        raise IntakeError(
            "intake.continued_units",
            path=path,
            sheet=part.sheet,
            row=part.row,
            first=first.sheet,
            names=names,
        )
    read = set(part.positions.values())
    spare: dict[str, int] = {}
    for index, name in enumerate(part.names):
        if name and index not in read:
            spare.setdefault(normalize_header(name), index)
    column_of = {index: key for key, index in first.positions.items()}
    order: list[int | None] = []
    for index, name in enumerate(first.names):
        key = column_of.get(index)
        if key is not None:
            order.append(part.positions[key])
        else:
            order.append(spare.pop(normalize_header(name), None) if name else None)
    if order == list(range(len(order))) and len(part.names) <= len(first.names):
        return None
    return order


def _tables(
    path: Path, names: list[str], unread: dict[str, Callable[[], UnreadCells]]
) -> list[RawTable]:
    """The sheets `names`, parsed one after the other from a handle of their own."""
    book = Workbook(path)
    return [book.table(name, unread[name]) for name in names]


def open_export(
    path: Path, max_inflated_mb: int = DEFAULT_MAX_INFLATED_MB, sheet: str | None = None
) -> Export:
    """Open an export and prepare its merchant stream; raise IntakeError for an unusable file.
    `sheet` names the merchant sheet of a workbook (`check --sheet`) rather than letting
    intake find it. `-` is standard input, as `-o -` is standard output."""
    if str(path) == "-":
        path = Path("/dev/stdin")
    if not path.exists():
        raise IntakeError("intake.no_file", path=path)
    if path.is_dir():
        raise IntakeError("intake.is_dir", path=path)
    given = path
    spool: IO[bytes] | None = None
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise IntakeError("intake.unreadable", path=path, reason=exc.strerror or exc) from exc
    if not stat.S_ISREG(mode) and not stat.S_ISFIFO(mode):
        # a terminal, /dev/zero, a socket: nothing to check, or nothing that ends
        raise IntakeError("intake.not_file", path=path)
    if _handed_over(path, mode):
        path, spool, size, sha256 = _spool(path, max_inflated_mb)
    else:
        try:
            size, sha256 = file_digest(path)
        except OSError as exc:
            raise IntakeError("intake.unreadable", path=path, reason=exc.strerror or exc) from exc
    if size == 0:
        raise IntakeError("intake.empty", path=path)

    violations: Supporting[Violation] | None = None
    qualifications: Supporting[Qualification] | None = None
    encoding: str | None = None
    found: Found | None = None  # the merchant sheet, when it was read to find it
    continued_tables: list[RawTable] = []  # the sheets that continue it
    hidden = False  # the merchant sheet is one Excel does not show
    sheet_notes: list[tuple[str, dict[str, object]]] = []  # which sheet was read as what
    elsewhere: Callable[[Phrase], None] | None = None  # the merchants on another sheet
    if is_workbook(path):
        guard_archive(path, max_inflated_mb)
        book = Workbook(path)
        names = book.sheet_names
        if not names:
            raise IntakeError("intake.no_sheets", path=path)
        layout = _sheet_layout(path, book, sheet)
        first, found, sheet_notes = layout.first, layout.found, layout.notes
        violation_names = layout.supporting["violations"]
        qualification_names = layout.supporting["qualifications"]
        supporting = {*violation_names, *qualification_names}
        merchant_names = _merchant_continuations(
            book, [name for name in names if name not in supporting], first
        )
        hidden = first in book.hidden
        if layout.named:
            others = [name for name in names if name not in supporting and name != first]
            elsewhere = functools.partial(_merchants_elsewhere, path, book, first, others)
        # the merchant sheets still to parse: all of them, or those after the first when it
        # was read to find it
        parse = merchant_names if found is None else merchant_names[1:]
        # calamine reads an error cell (#N/A) and a formula with no saved result as blank:
        # each sheet's XML is searched for them in a thread of its own (inflating releases
        # the GIL), meanwhile
        unread = {
            name: in_thread(functools.partial(unread_cells, path, name))
            for name in [*violation_names, *qualification_names, *parse]
            if name not in layout.parsed  # read already, to find it by its header
        }
        # calamine parses a sheet without holding the GIL: with supporting sheets to read
        # and index, the merchant sheets are parsed meanwhile in a thread, from a second
        # handle on the file (one handle parses one sheet at a time)
        loading = (
            in_thread(functools.partial(_tables, path, parse, unread))
            if parse and (violation_names or qualification_names)
            else None
        )
        try:
            # each supporting sheet is parsed, indexed and let go before the next one:
            # the index holds the rows it needs, calamine's copy of the sheet can go
            if violation_names:
                tables = (layout.table(book, name, unread) for name in violation_names)
                violations = index_sheets(path, tables, VIOLATION_COLUMNS, violation_from)
            if qualification_names:
                tables = (layout.table(book, name, unread) for name in qualification_names)
                qualifications = index_sheets(
                    path, tables, QUALIFICATION_COLUMNS, qualification_from
                )
        except Exception:
            if loading is not None:
                with contextlib.suppress(Exception):
                    loading()  # not left parsing in the background; this error is the one told
            raise
        # an interrupt (Ctrl-C, or SIGTERM's SystemExit) is not held up by the merchant
        # sheets' parse: the process ends, and the parse with it
        if loading is not None:
            parsed = loading()
        else:
            parsed = [_parsed(book, name, unread[name]) for name in parse]
        if found is not None:
            table, continued_tables = found[0], parsed
        else:
            table, *continued_tables = parsed
        if layout.later is not None:  # the other sheets, looked at meanwhile
            sheet_notes = [*sheet_notes, *layout.later()]
        kind = book.format
    else:
        if sheet is not None:
            raise IntakeError("intake.sheet_of_text", path=path, sheet=sheet)
        encoding, table = read_csv(path)
        kind = "csv"

    header, rows = _merchant_header(path, table, kind, elsewhere) if found is None else found[1:]
    if (
        violations is not None
        and not violations.rows
        and not violations.unattributable
        and header.positions.keys() & {"serious_points", "general_points"}
    ):
        # A 违规记录 sheet with no penalty in it (a template's, left unfilled) says nothing:
        # the summed points columns, when the merchant sheet has them, are read instead.
        violations = None
    export = Export(
        path=path,
        size=size,
        sha256=sha256,
        kind=kind,
        encoding=encoding,
        header=header,
        table=table,
        violations=violations,
        qualifications=qualifications,
        _after_header=rows,
        notes=_misnamed(given, kind) + sheet_notes,
        spool=spool,
    )
    export.plan = read_plan(header, MERCHANT_COLUMNS, table.date1904)
    export.read_at = tuple(sorted(set(header.positions.values())))
    export.watching = set(BLOCKER_FIELDS) & header.positions.keys()
    export.merged = merged_below(table, header.row)
    for more in continued_tables:
        part = _continued_part(path, header, more)
        if part is not None and _copied(path, table, header, part):
            export.notes.append(("note.sheet_copy", {"sheet": table.name, "copy": more.name}))
        elif part is not None:
            export.continued.append(part)
    if export.continued:
        export.notes.append(("note.continued", {"sheet": table.name, "sheets": export.sheets[1:]}))
    export.table_totals = _table_totals(export)
    if export.table_totals:  # the data ends there, as at a 合计 line
        export.ended_at = min(export.table_totals)
    # the merchant sheet's formula cells are named once its rows are read (`unsaved_notes`):
    # one on the 合计 line or below it, which no merchant reads, is no news
    sheets: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
        (table.name, tuple(area.name for area in export.merged), ())
    ]
    sheets += [
        (part.table.name, tuple(area.name for area in part.merged), ()) for part in export.continued
    ]
    for records in (violations, qualifications):
        if records is not None:
            sheets += [(part.name, part.merged, part.unsaved) for part in records.parts]
    for name, areas, unsaved in sheets:
        for key, cells in (("note.formulas", unsaved), ("note.merged", areas)):
            if cells:
                named = {"sheet": name, "count": len(cells), "cells": i18n.first_named([*cells])}
                export.notes.append((key, named))
    if kind in ERRORS_UNSEEN:  # an error cell (#N/A) reads as blank there, and is not found
        export.notes.append(("note.errors_unseen", {"format": f".{kind}"}))
    export.notes += header.unit_notes()  # 保证金余额（万元）: read ×10,000, said once
    export.notes += _appeals_unread(header, violations)
    if hidden:  # a stale copy hidden behind the sheet someone updates, say
        export.notes.append(("note.hidden_sheet", {"sheet": table.name}))
    if header.report_columns_at is not None:
        column = header.report_columns_at + 1
        export.notes.append(("note.report_again", {"sheet": table.name, "column": column}))
        if violations is None and qualifications is None:  # the CSV report: merchant rows alone
            export.notes.append(("note.report_alone", {"sheet": table.name}))
    return export
