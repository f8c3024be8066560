"""Reading the raw tables of an export: a workbook's sheets through python-calamine, a CSV
through the csv module after detecting its encoding. Every row comes out as
(spreadsheet row number, list of cell values); nothing here knows what a merchant is.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import hashlib
import html
import io
import itertools
import os
import re
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import orjson

from renewal.i18n import NAMED_AT_MOST
from renewal.intake.unread import UnreadCells as UnreadCells
from renewal.intake.unread import unread_cells as unread_cells
from renewal.intake.values import Unsaved
from renewal.intake.workbook_facts import (
    DAMAGED,
    TableTotals,
    column_letter,
    table_totals,
    uses_1904,
    workbook_format,
)
from renewal.intake.workbook_facts import sheet_part as _sheet_part

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
SAMPLE_BYTES = 64 * 1024


class IntakeError(Exception):
    """A file that cannot be used at all; the message names the file, sheet, row or column.

    It carries a catalogue key and its values, so the CLI can say it in the user's language.
    """

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        path = values.get("path")
        if _GIVEN and isinstance(path, Path):  # a spooled copy: named as the user named it
            values["path"] = given_path(path)
        self.values = values

    def message(self, lang: str, command: str = "check") -> str:
        """The message in `lang`; one that says what to run again names `command`, the
        one that was run (`renewal remind --sheet`)."""
        from renewal import i18n

        values = {name: _said(name, value, lang) for name, value in self.values.items()}
        return i18n.formatted(self.key, {"command": command, **values}, lang)

    def __str__(self) -> str:
        return self.message("en")


class Phrase(NamedTuple):
    """Part of a message that is said in the reader's language when the message is (an
    IntakeError is raised knowing no language): a catalogue key and its values."""

    key: str
    values: tuple[tuple[str, object], ...] = ()


def _said(name: str, value: object, lang: str) -> object:
    """A message value as the reader reads it: a Phrase in their language, and a reason
    that is the system's (No such file or directory) in words where it is a common one."""
    from renewal import i18n

    if isinstance(value, Phrase):
        return i18n.formatted(value.key, dict(value.values), lang)
    if name == "path" and isinstance(value, Path):
        return shown_name(str(value))
    if name == "reason" and isinstance(value, str | OSError):
        return i18n.os_reason(value, lang)
    return value

    def __reduce__(self) -> tuple[object, ...]:
        # raised in a worker process and re-raised in the parent: keep key and values
        return (_rebuild_intake_error, (self.key, self.values))


def _rebuild_intake_error(key: str, values: dict[str, object]) -> IntakeError:
    return IntakeError(key, **values)


Row = tuple[int, list[object]]


_GIVEN: dict[str, Path] = {}
"""The exports read from a spooled copy (a pipe, a FIFO, standard input: see
`intake.export`), by the path of the copy: the path the user gave each."""


def spooled_as(copy: Path, given: Path) -> None:
    """Name the spooled copy of an export as the user named the export, in every message
    and on the report (`given_path`); a forked worker inherits it."""
    _GIVEN[str(copy)] = given


def given_path(path: Path) -> Path:
    """The path the user gave for a file intake reads from a spooled copy; else `path`."""
    return _GIVEN.get(str(path), path) if _GIVEN else path


def shown_name(name: str) -> str:
    """A file name as report text. A name whose bytes are not UTF-8 (a GBK name that unzip
    left on Linux) reaches Python as surrogate escapes, which JSON, a workbook and a page
    cannot hold: those bytes are shown as U+FFFD, the rest of the name as it is."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "replace")
    return name


@dataclass
class Spanning:
    """The CSV rows that run over more than one line of the file: a quoted cell with a line
    break in it. Deliberate (a note typed with Alt+Enter, a shop name an export wrote with
    its line break, quoted) or a quote left open, which merges the lines after it into that
    row, so they are never checked on their own: either way the user is told, and only the
    rows whose shape says the quoting went wrong (`broken`) are called a quote left open.
    The first rows are kept and all are counted; every reader of the file reads it from the
    top, so a row seen again (by another reader, or a second pass) is not counted twice,
    and the reader that read furthest knows the most."""

    rows: list[int] = field(default_factory=list)
    count: int = 0
    last_row: int = 0
    report_columns: tuple[int, int] | None = None
    """When the CSV is renewal's own report checked again: where its result columns begin
    (0-based) and how many columns the header has. Its 问题 cell lists one finding a line,
    so a row whose line breaks are all in those columns, and which is as wide as the
    header, is the report's own doing, not a quote left open."""
    delimiter: str = ","
    shapes: dict[tuple[int, int, int], list[int]] = field(default_factory=dict)
    """The rows by their shape (`_shape`), the first rows of each, counted in
    `shape_counts`: which shapes are a quote left open is told once the header, and so
    the table's width, is known. A file has few shapes, however many rows."""
    shape_counts: dict[tuple[int, int, int], int] = field(default_factory=dict)

    def saw(self, row: int, cells: list[str]) -> None:
        if row <= self.last_row or self._report_own(cells):
            return
        self.last_row = row
        self.count += 1
        if len(self.rows) < NAMED_AT_MOST:
            self.rows.append(row)
        shape = _shape(cells, self.delimiter)
        self.shape_counts[shape] = self.shape_counts.get(shape, 0) + 1
        kept = self.shapes.setdefault(shape, [])
        if len(kept) < NAMED_AT_MOST:
            kept.append(row)

    def broken(self, width: int, after: int) -> tuple[list[int], int]:
        """The rows below row `after` (the header) whose quoting looks broken in a table
        `width` fields wide, the first of them and how many: a row with fewer fields than
        that (the lines a quote left open swallowed took their separators with them), one
        with something past it, or one with a cell whose line break is followed by a line
        as wide as a row of the file (a row swallowed whole). A line break in a row of the
        table's width, its lines no rows, is a cell typed so (or written so, quoted, as
        renewal's own report writes an export's shop name): read as Excel reads it."""
        rows: list[int] = []
        count = 0
        for shape, kept in self.shapes.items():
            fields, filled, widest_line = shape
            if fields >= width and filled <= width and widest_line < width:
                continue
            below = [row for row in kept if row > after]
            count += self.shape_counts[shape] - (len(kept) - len(below))
            rows += below
        return sorted(rows)[:NAMED_AT_MOST], count

    def _report_own(self, cells: list[str]) -> bool:
        if self.report_columns is None:
            return False
        start, width = self.report_columns
        return len(cells) == width and not any(
            "\n" in cell or "\r" in cell for cell in cells[:start]
        )

    def absorb(self, other: Spanning) -> None:
        if other.last_row > self.last_row:
            self.rows, self.count, self.last_row = other.rows, other.count, other.last_row
            self.shapes, self.shape_counts = other.shapes, other.shape_counts


def _shape(cells: list[str], delimiter: str) -> tuple[int, int, int]:
    """A row's shape, as `Spanning.broken` judges its quoting: how many fields it has, how
    many up to its last that is not empty, and how many fields the widest line after a
    line break inside one of its cells would split into (0 when none has one)."""
    filled = len(cells)
    while filled and not cells[filled - 1]:
        filled -= 1
    widest_line = 0
    for cell in cells:
        if "\n" in cell or "\r" in cell:
            for line in cell.splitlines()[1:]:
                widest_line = max(widest_line, line.count(delimiter) + 1)
    return len(cells), filled, widest_line


@dataclass
class RawTable:
    """One sheet (or the CSV) as rows of cells, with the sheet's name.

    `rows` is the iterator intake reads the header from; `reopen` gives a fresh iterator
    from the first row, so that each worker process of a parallel run reads on its own
    (a CSV needs its own file handle: a shared one would share its offset).
    """

    name: str
    rows: Iterator[Row]
    reopen: Callable[[], Iterator[Row]]
    size_hint: int | None = None
    """About how many rows, for a progress bar."""
    spanning: Spanning = field(default_factory=Spanning)
    """CSV rows over several lines (a workbook's rows are never counted here)."""
    merged: tuple[Merged, ...] = ()
    """The sheet's merged areas (a CSV has none)."""
    unsaved: tuple[str, ...] = ()
    """Its formula cells without a saved result (C5), each unreadable (a CSV has none)."""
    date1904: bool = False
    """The workbook counts its dates from 1904 (Mac Excel's date system): a serial held as
    a plain number is read in that system (`dates.from_1904`)."""
    totals: tuple[TableTotals, ...] = ()
    """Its Excel Tables' totals rows (an xlsx's ListObjects), columns as indexes into a
    row's cells: the workbook says they are no data, whatever their first cell holds."""
    unended: tuple[int, int] | None = None
    """A CSV whose last line has no line end, once read to the end: that row and how many
    fields it has. Every writer ends its rows; a file that stops without one, in a row
    shorter than the header, was most likely cut short (`Export.cut_short_notes`)."""
    first_column: int = 0
    """The sheet's first used column (0 is A), where a row's cells start: a message names a
    column by its letter counted from here (a CSV's rows start at A)."""


@dataclass(frozen=True, slots=True)
class Merged:
    """A merged area of a sheet: Excel shows its top-left value over the whole area and
    stores it only there. Rows are numbered as rows are; columns are indexes into a row's
    cells."""

    first_row: int
    first: int
    last_row: int
    last: int
    name: str
    """As Excel names it: C2:C5."""


def merged_below(table: RawTable, row: int) -> list[Merged]:
    """The table's merged areas that lie wholly below `row` (the header's)."""
    return [area for area in table.merged if area.first_row > row]


def fill_merged(rows: Iterator[Row], areas: list[Merged]) -> Iterator[Row]:
    """The rows with each merged area's blank cells holding its top-left value, as Excel
    shows it: a store type or a merchant id merged down over several rows reads on each."""
    waiting = sorted(areas, key=lambda area: area.first_row)
    open_areas: list[tuple[Merged, object]] = []
    for number, cells in rows:
        while waiting and waiting[0].first_row <= number:
            area = waiting.pop(0)
            if area.first_row == number and area.first < len(cells):
                open_areas.append((area, cells[area.first]))
        if open_areas:
            open_areas = [(area, value) for area, value in open_areas if area.last_row >= number]
            for area, value in open_areas:
                if len(cells) <= area.last:
                    cells.extend([""] * (area.last + 1 - len(cells)))
                for index in range(area.first, area.last + 1):
                    if cells[index] == "" or cells[index] is None:
                        cells[index] = value
        yield number, cells


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16 by BOM or by its NUL bytes, else GB18030 (which
    also covers GBK).

    UTF-8 is tried first because UTF-8 bytes nearly always decode as GB18030 too, into
    nonsense, while GB18030 text almost never passes as UTF-8. A sample that is plain ASCII
    proves nothing, so then the whole file is checked. Text that was valid multi-byte UTF-8
    before its first bad byte is UTF-8 with a corrupt line, not GB18030: the reader will
    name that line.
    """
    with path.open("rb") as stream:
        sample = stream.read(SAMPLE_BYTES)
        if sample.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        if b"\x00" in sample:
            utf16 = _utf16_without_bom(sample)
            if utf16 is not None:
                return utf16
        decoder = codecs.getincrementaldecoder("utf-8")()
        multibyte = False  # valid non-ASCII UTF-8 seen before any bad byte
        chunk = sample
        try:
            decoder.decode(chunk, final=False)
            multibyte = not chunk.isascii()
            while not multibyte and (chunk := stream.read(1 << 20)):
                decoder.decode(chunk, final=False)
                multibyte = not chunk.isascii()
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            if not multibyte and not chunk[: exc.start].isascii():
                multibyte = True
            return "utf-8" if multibyte else "gb18030"
    return "utf-8"


_CONTROL_CHARACTERS = "\x00-\x08\x0e-\x19\x1b-\x1f"
"""Control characters, which text has none of (tab, line breaks, form feed and the old
end-of-file mark \\x1a aside)."""
_CONTROL = re.compile(f"[{_CONTROL_CHARACTERS}]")
_NOT_TEXT = re.compile(f"[{_CONTROL_CHARACTERS}\ufffd]")
"""A control character, or the mark of a byte that did not decode."""
_SEPARATORS = re.compile("[\t\r\n,;]")


def _mostly(text: str, unwanted: re.Pattern[str]) -> bool:
    """At most one character in a hundred is `unwanted`."""
    return len(unwanted.findall(text)) * 100 <= len(text)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 saved without a BOM (as some export tools write "Unicode text"): every ASCII
    character (a digit, a comma, a tab, a line break, of which an export has plenty) leaves a
    NUL in every other byte, the second of each pair in little-endian, the first in
    big-endian. A file whose NULs fall anywhere (a block of zeros in a broken export) is not
    UTF-16 and keeps its NUL refusal; so does one whose NULs, read as UTF-16, do not make
    the line breaks and separators every table has."""
    units = len(sample) // 2
    even = sample[0 : units * 2 : 2].count(0)
    odd = sample[1 : units * 2 : 2].count(0)
    for zeros, stray, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros * 10 < units or stray * 10 > zeros:
            continue
        text = sample[: units * 2].decode(codec, "replace")  # a bad pair: the reader names it
        if _SEPARATORS.search(text) and _mostly(text, _CONTROL):
            return codec
    return None


def _is_text(path: Path) -> bool:
    """Whether the file's first bytes are text in the encoding detected for it: hardly a
    control character or an undecodable byte among them (a binary file is full of both; a
    text export with a corrupt line is text, and the reader names that line)."""
    encoding = detect_encoding(path)
    with path.open("rb") as stream:
        sample = stream.read(SAMPLE_BYTES)
    text = codecs.getincrementaldecoder(encoding)("replace").decode(sample)  # a cut tail waits
    return _mostly(text, _NOT_TEXT)


class _NulByte(Exception):
    """A NUL in the text: `_text_problem` names its line."""


class _NoNul(io.BufferedReader):
    """The file's bytes for the text layer, refusing a NUL: UTF-8 and GB18030 text has none,
    and csv no longer refuses it (Python 3.11). One test per chunk read, not per line."""

    def read(self, size: int | None = -1, /) -> bytes:
        chunk = super().read(size)
        if b"\x00" in chunk:
            raise _NulByte
        return chunk

    def read1(self, size: int = -1, /) -> bytes:
        chunk = super().read1(size)
        if b"\x00" in chunk:
            raise _NulByte
        return chunk


def _text_stream(path: Path, encoding: str) -> io.TextIOWrapper:
    """The file as lines of text, split where a spreadsheet program splits them: at \\r\\n,
    at \\n, and at a lone \\r (an old Mac export, or lines pasted together from several),
    each line keeping its ending so that a quoted cell keeps its line breaks. Decoded by the
    text layer a chunk at a time; a bad byte raises UnicodeDecodeError and a NUL
    `_NulByte`, and `_text_problem` then names the line."""
    raw = io.FileIO(path, "r")
    try:
        buffered = io.BufferedReader(raw) if encoding.startswith("utf-16") else _NoNul(raw)
        return io.TextIOWrapper(buffered, encoding=encoding, newline="")
    except BaseException:
        raw.close()
        raise


def _text_problem(path: Path, encoding: str) -> IntakeError:
    """The first line that is not `encoding` text or holds a NUL, named: reading failed,
    and the text layer does not say on which line. Lines are counted as `_text_stream`
    splits them, and each is decoded on its own; a line break byte never occurs inside a
    UTF-8 or GB18030 character, so the bytes can be split first."""
    if encoding.startswith("utf-16"):
        return _utf16_problem(path, encoding)
    rest = "utf-8" if encoding == "utf-8-sig" else encoding
    number = 0
    with path.open("rb") as stream:
        for raw in stream:
            for line in raw.splitlines(keepends=True) if b"\r" in raw else (raw,):
                number += 1
                try:
                    text = line.decode(encoding if number == 1 else rest)
                except UnicodeDecodeError as exc:
                    reason = Phrase("text.bad_byte", (("byte", exc.start + 1),))
                    return IntakeError(
                        "intake.bad_text", path=path, row=number, encoding=encoding, reason=reason
                    )
                if "\x00" in text:
                    return IntakeError("intake.nul", path=path, row=number)
    raise AssertionError(f"{path}: reading failed, yet every line is {encoding} text")


def _utf16_problem(path: Path, encoding: str) -> IntakeError:
    """Where UTF-16 text goes wrong (a byte short at the end, half a surrogate pair)."""
    data = path.read_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(encoding)
        row = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
        return IntakeError(
            "intake.bad_text", path=path, row=row, encoding=encoding, reason=_utf16_reason(exc)
        )
    raise AssertionError(f"{path}: reading failed, yet it is {encoding} text")


def _utf16_reason(exc: UnicodeDecodeError) -> object:
    """Why UTF-16 text does not decode, in words: a byte short at the end, or half of a
    surrogate pair; Python's own words for anything else."""
    if exc.reason == "truncated data":
        return Phrase("text.cut")
    if "surrogate" in exc.reason or exc.reason == "illegal encoding":
        return Phrase("text.surrogate")
    return exc.reason


def _csv_problem(path: Path, row: int, exc: csv.Error) -> IntakeError:
    """A csv.Error as a message in the user's language: Python's own text is English and
    speaks of the csv module. In the non-strict mode used here, with lines split as
    `_text_stream` splits them, only an overlong cell is known to reach this point."""
    if str(exc).startswith("field larger than field limit"):
        return IntakeError("intake.csv_field", path=path, row=row, limit=csv.field_size_limit())
    return IntakeError("intake.csv", path=path, row=row, reason=str(exc))


DELIMITERS = (",", "\t", ";")
"""The delimiters a CSV export is read with, in order of preference on a tie."""
LAYOUT_LINES = 30
"""The lines the delimiter is chosen from: as many as the header is searched in."""
_SEP_HINT = re.compile(r"sep=(\t|[^\w\s\"'])", re.IGNORECASE)
_MARKUP = re.compile(r"<(?:html|table|!doctype\s+html)\b", re.IGNORECASE)
_XML_SPREADSHEET = re.compile(r"<\?mso-application\s+progid=\"Excel\.Sheet\"|<(?:ss:)?Workbook\b")


def _layout(path: Path, encoding: str) -> tuple[str, bool]:
    """The delimiter, and whether the first line is Excel's `sep=;` hint (Excel writes it
    and honours it; it names the delimiter and is not a row). Without one, of comma, tab
    and semicolon, the one that splits a line at the top of the file (the header, or a row
    below it) into the most fields; comma on a tie. A web page or an XML spreadsheet is
    refused here, whatever the file is called."""
    try:
        with _text_stream(path, encoding) as stream:
            top = list(itertools.islice(stream, LAYOUT_LINES))
    except (UnicodeDecodeError, _NulByte):
        raise _text_problem(path, encoding) from None
    text = "".join(top)
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        if _XML_SPREADSHEET.search(text):
            raise IntakeError("intake.xml_spreadsheet", path=path)
        if _MARKUP.search(text):
            raise IntakeError("intake.html", path=path)
    if text.lstrip("\ufeff \t\r\n").startswith("{") and _renewal_report(top):
        raise IntakeError("intake.renewal_report", path=path)
    hint = _SEP_HINT.fullmatch(top[0].rstrip("\r\n")) if top else None
    if hint is not None:
        return hint.group(1), True
    widths = {delimiter: _widest(top, delimiter) for delimiter in DELIMITERS}
    return max(DELIMITERS, key=widths.__getitem__), False


_REPORT_SCHEMA = re.compile(r'"schema"\s*:\s*"renewal-report/')
_REPORT_LINE_KEYS = frozenset({"merchant_id", "outcome", "findings"})


def _renewal_report(top: list[str]) -> bool:
    """Whether text that opens with `{` is renewal's own JSON report (its schema is named at
    its top) or JSON Lines report (a merchant's result on each line): last night's report
    given where the export goes. `diff` says the reverse of a workbook given as a report."""
    if _REPORT_SCHEMA.search("".join(top)):
        return True
    try:
        first = orjson.loads(top[0].lstrip("\ufeff"))
    except orjson.JSONDecodeError:
        return False
    return isinstance(first, dict) and _REPORT_LINE_KEYS <= first.keys()


def _widest(lines: list[str], delimiter: str) -> int:
    """The most fields `delimiter` splits one of the rows of `lines` into."""
    try:
        return max((len(cells) for cells in csv.reader(lines, delimiter=delimiter)), default=0)
    except csv.Error:
        return 0  # an overlong cell: the reader will say where


def _estimate_lines(path: Path) -> int | None:
    """File size over the average length of the first lines: good enough for a progress bar."""
    with path.open("rb") as stream:
        sample = stream.read(SAMPLE_BYTES)
    lines = sample.count(b"\n") or sample.count(b"\r")
    if not lines:
        return None
    return int(path.stat().st_size / (len(sample) / lines))


def read_csv(path: Path) -> tuple[str, RawTable]:
    """The CSV's rows; the encoding is detected, never taken from the locale. Rows are
    numbered as the file's lines (a `sep=` hint line is line 1, and no row)."""
    encoding = detect_encoding(path)
    delimiter, hinted = _layout(path, encoding)
    first = 2 if hinted else 1

    spanning = Spanning(delimiter=delimiter)

    def rows() -> Iterator[Row]:
        number = first - 1
        ended = 0  # the line of the file (after a hint) the last record ended on
        with _text_stream(path, encoding) as stream:
            try:
                if hinted:
                    next(stream, None)
                reader = csv.reader(stream, delimiter=delimiter)
                cells: list[str] = []
                for number, cells in enumerate(reader, first):
                    if reader.line_num - ended > 1:
                        spanning.saw(number, cells)
                    ended = reader.line_num
                    yield number, cells  # type: ignore[misc]  # cells are list[object]
                # read to the end: once per pass, nothing per row
                if number >= first and not _ends_its_line(stream.fileno(), encoding):
                    table.unended = (number, len(cells))
            except csv.Error as exc:
                raise _csv_problem(path, number + 1, exc) from exc
            except (UnicodeDecodeError, _NulByte):
                raise _text_problem(path, encoding) from None

    name = shown_name(given_path(path).name)  # a CSV's one sheet is the file
    table = RawTable(name, rows(), rows, _estimate_lines(path), spanning)
    return encoding, table


def _ends_its_line(handle: int, encoding: str) -> bool:
    """Whether the text file open as `handle` ends with a line end: its last byte (its last
    two in UTF-16, either byte order) is a \\n or \\r."""
    unit = 2 if encoding.startswith("utf-16") else 1
    size = os.fstat(handle).st_size
    if size < unit:
        return True  # nothing: no line left open
    return os.pread(handle, unit, size - unit) in _LINE_ENDS


_LINE_ENDS = frozenset({b"\n", b"\r", b"\n\x00", b"\r\x00", b"\x00\n", b"\x00\r"})


DEFAULT_MAX_INFLATED_MB = 3072
"""A 1M-row export inflates to about 1 GB of XML; three times that is not an export."""
MAX_RATIO = 200
"""Real sheet XML compresses 5-20 fold; a zip bomb compresses hundreds or thousands fold."""
RATIO_FLOOR_MB = 64


def guard_archive(path: Path, max_inflated_mb: int) -> None:
    """Refuse a zip bomb from the archive's directory, before anything is inflated, and
    say plainly when an Office file is password-protected (it is then not a zip at all)."""
    with path.open("rb") as stream:
        magic = stream.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        _refuse_if_encrypted(path)
        return
    if not zipfile.is_zipfile(path):
        return
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # calamine will say the workbook is unreadable
    inflated = sum(entry.file_size for entry in entries)
    if inflated > max_inflated_mb * 1024 * 1024:
        raise IntakeError(
            "intake.too_big", path=path, inflated=inflated // (1024 * 1024), limit=max_inflated_mb
        )
    for entry in entries:
        if entry.file_size > RATIO_FLOOR_MB * 1024 * 1024:
            ratio = entry.file_size // max(entry.compress_size, 1)
            if ratio > MAX_RATIO:
                raise IntakeError(
                    "intake.bomb",
                    path=path,
                    entry=entry.filename,
                    ratio=ratio,
                    inflated=entry.file_size // (1024 * 1024),
                )


def _refuse_if_encrypted(path: Path) -> None:
    """An encrypted xlsx is an OLE compound file holding an `EncryptedPackage` stream (a
    legacy .xls is also an OLE file, holding `Workbook`, and is fine)."""
    marker = "EncryptedPackage".encode("utf-16-le")
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            if marker in chunk:
                raise IntakeError("intake.encrypted", path=path)


def unsaved_names(found: UnreadCells) -> list[str]:
    """The formula cells without a saved result among `found`, named as Excel names them
    (C5), in sheet order."""
    return [
        f"{column_letter(column)}{row}"
        for row in sorted(found)
        for column, value in sorted(found[row].items())
        if type(value) is Unsaved
    ]


class Workbook:
    """A workbook opened with python-calamine (xlsx, xlsm, xlsb, legacy xls, ods), as the
    format its bytes are, whatever its name says."""

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

        self.path = path
        found = workbook_format(path)
        try:
            with _named_as(path, found) as name:
                self._book = CalamineWorkbook.from_path(name)
        except (CalamineError, OSError, ValueError) as exc:
            reason = _workbook_problem(path, exc)
            raise IntakeError("intake.not_workbook", path=path, reason=reason) from exc
        self.format = found or "xlsx"
        """What the file is (`workbook_facts.FORMATS`): the report's `input.kind`."""
        self.date1904 = uses_1904(path, found)
        """It counts its dates from 1904 (Mac Excel's date system)."""
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self.hidden = frozenset(
            sheet.name
            for sheet in self._book.sheets_metadata
            if sheet.visible != SheetVisibleEnum.Visible
        )
        """The sheets Excel does not show (hidden or very hidden)."""
        self.very_hidden = frozenset(
            sheet.name
            for sheet in self._book.sheets_metadata
            if sheet.visible == SheetVisibleEnum.VeryHidden
        )
        """The hidden sheets Excel's menus cannot unhide (only VBA can)."""

    def table(self, name: str, unread: Callable[[], UnreadCells] | None = None) -> RawTable:
        """The sheet `name`; `unread` gives the cells calamine reads as blank though they
        are not (see `unread_cells`) when they are being found elsewhere meanwhile."""
        from python_calamine import CalamineError

        try:
            sheet = self._book.get_sheet_by_name(name)
        except CalamineError as exc:
            reason = calamine_reason(exc)
            raise IntakeError(
                "intake.sheet_unreadable", path=self.path, sheet=name, reason=reason
            ) from exc

        found = unread_cells(self.path, name) if unread is None else unread()
        first_column = sheet.start[1] if found and sheet.start else 0

        def rows() -> Iterator[Row]:
            # iter_rows starts at the sheet's first row, so the index is the row number - 1.
            # The parsed sheet stays in memory; a forked worker iterates its own copy.
            for index, cells in enumerate(sheet.iter_rows()):
                yield index + 1, cells  # type: ignore[misc]  # cells are list[object]

        def rows_filled() -> Iterator[Row]:
            """The rows, each error cell holding its error (#N/A), and each formula cell
            without a saved result its `Unsaved` formula, where calamine left a blank (or,
            for a formula, read the 0 xlsxwriter writes in place of a result); a row's
            cells start at the sheet's first used column. A formula without a result is no
            cell at all to calamine: the rows below its last that hold one follow."""
            number = 0
            for number, cells in rows():
                _fill(cells, found.get(number, {}), first_column)
                yield number, cells
            for below in sorted(row for row in found if row > number):
                yield below, _fill([], found[below], first_column)

        read = rows_filled if found else rows
        return RawTable(
            name,
            read(),
            read,
            int(sheet.total_height),
            merged=_merged(sheet),
            unsaved=tuple(unsaved_names(found)),
            date1904=self.date1904,
            totals=self._totals(name, sheet.start[1] if sheet.start else 0),
            first_column=sheet.start[1] if sheet.start else 0,
        )

    def _totals(self, name: str, start: int) -> tuple[TableTotals, ...]:
        """The totals rows of the Excel Tables on sheet `name`, columns counted from its
        first used column `start`, as a row's cells are: from its relationships and table
        parts, a few hundred bytes (an xlsx's alone: no other format has them)."""
        if self.format not in ("xlsx", "xlsm"):
            return ()
        try:
            with zipfile.ZipFile(self.path) as archive:
                part = _sheet_part(archive, name)
                found = table_totals(archive, part) if part is not None else []
        except DAMAGED:
            return ()
        return tuple(
            replace(table, first=table.first - start, last=table.last - start) for table in found
        )


@contextlib.contextmanager
def _named_as(path: Path, found: str | None) -> Iterator[str]:
    """A name calamine opens `path` by as the format `found` its bytes are. calamine picks
    its reader by a name's extension (as written: .XLSX picks none), so an xlsx named .xls
    would be read as a broken xls; a name that picks none makes it try each reader, and
    say only that none could. Such a file is opened through a link named for what it is,
    in a directory of its own that is gone once calamine holds the file open; where no
    link can be made, by its own name."""
    reader = _READER_OF.get(found or "")
    if reader is None or _READER_BY_SUFFIX.get(path.suffix) == reader:
        with _utf8_named(path) as name:
            yield name
        return
    folder: str | None = None
    try:
        folder = tempfile.mkdtemp(prefix="renewal-")
        link = os.path.join(folder, f"export.{reader}")
        os.symlink(os.path.abspath(path), link)
    except OSError:
        link = None
    try:
        if link is None:
            with _utf8_named(path) as name:
                yield name
        else:
            yield link
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


_READER_BY_SUFFIX = {
    ".xls": "xls",
    ".xla": "xls",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".xlam": "xlsx",
    ".xlsb": "xlsb",
    ".ods": "ods",
}
"""The reader calamine picks for a name's extension (calamine's `open_workbook_auto`)."""
_READER_OF = {"xls": "xls", "xlsx": "xlsx", "xlsm": "xlsx", "xlsb": "xlsb", "ods": "ods"}
"""The reader for each workbook format (`workbook_facts.FORMATS`)."""


@contextlib.contextmanager
def _utf8_named(path: Path) -> Iterator[str]:
    """A name calamine can open `path` by: its own, or, when its bytes are not UTF-8 (a
    GBK name unzip left on Linux; calamine takes only UTF-8 text), the name of a
    descriptor open on it for the while calamine opens it."""
    name = str(path)
    if shown_name(name) == name or not os.path.isdir("/proc/self/fd"):
        yield name
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        yield f"/proc/self/fd/{descriptor}"
    finally:
        os.close(descriptor)


def _fill(cells: list[object], unread: dict[int, str], first_column: int) -> list[object]:
    """A row's cells with its `unread_cells` in place (columns counted from the sheet's
    first used column): where calamine read a blank, or for a formula the 0 xlsxwriter
    writes in place of its result."""
    for column, value in unread.items():
        index = column - first_column
        if index >= len(cells):  # beyond what calamine took for the used range
            cells.extend([""] * (index + 1 - len(cells)))
        if index >= 0 and (cells[index] == "" or type(value) is Unsaved):
            cells[index] = value
    return cells


def _merged(sheet: Any) -> tuple[Merged, ...]:
    """The sheet's merged areas of more than one cell. A row's cells start at the sheet's
    first used column, its rows at row 1: calamine's 0-based positions shift by that."""
    spans = getattr(sheet, "merged_cell_ranges", None) or ()  # None: not an xlsx
    start = sheet.start[1] if spans and sheet.start else 0
    found: list[Merged] = []
    for (top, left), (bottom, right) in spans:
        if (top, left) == (bottom, right) or left < start:
            continue  # one cell; or its value lies left of the cells a row holds
        name = f"{column_letter(left)}{top + 1}:{column_letter(right)}{bottom + 1}"
        found.append(Merged(top + 1, left - start, bottom + 1, right - start, name))
    return tuple(found)


WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
"""How a workbook's bytes begin: a zip (xlsx, xlsm, xlsb, ods) or an OLE file (xls)."""


def _workbook_problem(path: Path, exc: Exception) -> object:
    """Why calamine cannot open `path`, in words where the bytes say it: a zip without
    the directory that ends every complete one (cut short: an unfinished download or copy,
    or damaged), a zip holding no workbook, or bytes of no workbook format at all (a file
    named .xlsx that is neither a zip nor an OLE file); else calamine's reason, in words
    (`calamine_reason`)."""
    try:
        with path.open("rb") as stream:
            magic = stream.read(8)
        if magic.startswith(b"PK"):
            if not zipfile.is_zipfile(path):
                return Phrase("workbook.cut")
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
            if not names & {"xl/workbook.xml", "xl/workbook.bin", "content.xml"}:
                return Phrase("workbook.zip_not_workbook")
        elif not magic.startswith(b"\xd0\xcf\x11\xe0"):
            return Phrase("workbook.not_a_workbook")
    except (zipfile.BadZipFile, OSError, ValueError):
        return Phrase("workbook.cut")
    if _MACRO_SHEET in str(exc):
        return Phrase("workbook.macro_sheet", (("sheets", _macro_sheets(path, str(exc))),))
    return calamine_reason(exc)


_MACRO_SHEET = "xl/macrosheets/"
"""Where an xlsm keeps an Excel 4.0 (XLM) macro sheet. calamine refuses a workbook with one
whole ("Unrecognized sheet:type: xl/macrosheets/sheet1.xml"), with no option to read its
worksheets anyway: the file is sound, and the user is told what to remove."""


def _macro_sheets(path: Path, said: str) -> list[str]:
    """The names of the workbook's Excel 4.0 macro sheets (often hidden: 宏1, Macro1); the
    part calamine named when they cannot be told."""
    try:
        with zipfile.ZipFile(path) as archive:
            book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
            names = [
                html.unescape(name)
                for name in re.findall(r"<(?:\w+:)?sheet\s[^>]*?\bname=\"([^\"]*)\"", book)
            ]
            found = [
                name
                for name in names
                if (_sheet_part(archive, name) or "").startswith(_MACRO_SHEET)
            ]
    except DAMAGED:
        found = []
    return found or re.findall(r"xl/macrosheets/[^\s\"']+", said)[:1]


_CALAMINE_OS_ERROR = re.compile(r"\(os error (\d+)\)")
_CALAMINE_ZIP = re.compile(
    r"deflate|declared (?:un)?compressed size|crc|checksum|zip|invalid (?:local|central)"
    r"|unexpected ?eof|end of (?:file|stream)|failed to fill whole buffer",
    re.IGNORECASE,
)
_CALAMINE_CONTENT = re.compile(
    r"shared strings|xml|unexpected|invalid|not found|unrecognized|cannot parse|parse",
    re.IGNORECASE,
)


def calamine_reason(exc: Exception) -> object:
    """Why calamine could not read a workbook or a sheet, in the reader's language: its
    words are English (I/O error: corrupt deflate stream). The system's refusal (os error
    N) as the system's reasons are said; compressed data that does not inflate, or not to
    what the zip's directory declares, as a damaged file; content that contradicts itself
    (a shared string that is not there, XML that does not parse) as a damaged workbook;
    anything rarer as damage, in calamine's own words, quoted (the words a search finds)."""
    text = str(exc).strip()
    system = _CALAMINE_OS_ERROR.search(text)
    if system is not None:
        number = int(system.group(1))
        return OSError(number, os.strerror(number))
    if _CALAMINE_ZIP.search(text):
        return Phrase("workbook.corrupt_zip")
    if _CALAMINE_CONTENT.search(text):
        return Phrase("workbook.corrupt_content")
    return Phrase("workbook.damaged", (("said", text),))


def is_workbook(path: Path) -> bool:
    """Whether to open the file as a workbook. Its content decides, not its name: a zip or
    an OLE file is a workbook whatever it is called (an .xlsx renamed .csv), and text named
    like a workbook is read as text (a back-office "Excel" export that is tab-separated
    text named .xls, a CSV renamed .xlsx). Anything else named like a workbook is opened
    as one, for calamine to say what is wrong with it."""
    with path.open("rb") as stream:
        magic = stream.read(8)
    if magic.startswith(WORKBOOK_MAGIC):
        return True
    suffix = given_path(path).suffix.lower()  # a spooled copy's is the given name's
    return suffix in WORKBOOK_SUFFIXES and not _is_text(path)


def text_preview(value: object, limit: int = 40) -> str:
    """A cell as a message shows it: short, on one line."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


Done = TypeVar("Done")


def file_digest(path: Path) -> tuple[int, str]:
    """A file's size and SHA-256 (hex), read in 1 MiB pieces."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest()


def in_thread(work: Callable[[], Done]) -> Callable[[], Done]:
    """Start `work()` in a thread; the returned function waits for its result (or raises
    what it raised), and may be called more than once. What a one-worker
    concurrent.futures pool would do, without its 20 ms import on every workbook check."""
    result: list[Done] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="renewal-sheet", daemon=True)
    thread.start()

    def wait() -> Done:
        thread.join()
        if failure:
            raise failure[0]
        return result[0]

    return wait
