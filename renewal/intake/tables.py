"""Reading the raw tables of an export: a workbook's sheets through python-calamine, a CSV
through the csv module after detecting its encoding. Every row comes out as
(spreadsheet row number, list of cell values); nothing here knows what a merchant is.
"""

from __future__ import annotations

import codecs
import csv
import html
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from renewal.i18n import NAMED_AT_MOST
from renewal.intake.values import Unsaved

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
        self.values = values

    def message(self, lang: str) -> str:
        from renewal import i18n

        return i18n.formatted(self.key, self.values, lang)

    def __str__(self) -> str:
        return self.message("en")

    def __reduce__(self) -> tuple[object, ...]:
        # raised in a worker process and re-raised in the parent: keep key and values
        return (_rebuild_intake_error, (self.key, self.values))


def _rebuild_intake_error(key: str, values: dict[str, object]) -> IntakeError:
    return IntakeError(key, **values)


Row = tuple[int, list[object]]


@dataclass
class Spanning:
    """The CSV rows that run over more than one line of the file: a quoted cell with a line
    break in it. Deliberate (a note typed with Alt+Enter) or a quote left open, which merges
    the lines after it into that row, so they are never checked on their own: either way
    the user is told. The first rows are kept and all are counted; every reader of the file
    reads it from the top, so a row seen again (by another reader, or a second pass) is not
    counted twice, and the reader that read furthest knows the most."""

    rows: list[int] = field(default_factory=list)
    count: int = 0
    last_row: int = 0

    def saw(self, row: int) -> None:
        if row <= self.last_row:
            return
        self.last_row = row
        self.count += 1
        if len(self.rows) < NAMED_AT_MOST:
            self.rows.append(row)

    def absorb(self, other: Spanning) -> None:
        if other.last_row > self.last_row:
            self.rows, self.count, self.last_row = other.rows, other.count, other.last_row


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
    """UTF-8 (with or without BOM), UTF-16 by BOM, else GB18030 (which also covers GBK).

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


def _delimiter(first_line: str) -> str:
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def _text_lines(path: Path, encoding: str) -> Iterator[str]:
    """The file's lines, each decoded on its own, so a bad byte is named by its line.

    A newline byte never occurs inside a UTF-8 or GB18030 character, so splitting the raw
    bytes first is safe; UTF-16 (rare, by BOM only) goes through the text layer instead.
    """
    if encoding == "utf-16":
        with path.open("r", encoding=encoding, newline="") as stream:
            yield from stream
        return
    first = "utf-8-sig" if encoding == "utf-8-sig" else encoding
    rest = "utf-8" if encoding == "utf-8-sig" else encoding
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, 1):
            try:
                line = raw.decode(first if number == 1 else rest)
            except UnicodeDecodeError as exc:
                reason = f"{exc.reason} at byte {exc.start + 1} of the line"
                raise IntakeError(
                    "intake.bad_text", path=path, row=number, encoding=encoding, reason=reason
                ) from None
            if "\x00" in line:  # csv no longer refuses NUL (Python 3.11); a text export has none
                raise IntakeError("intake.nul", path=path, row=number)
            yield line


def _estimate_lines(path: Path) -> int | None:
    """File size over the average length of the first lines: good enough for a progress bar."""
    with path.open("rb") as stream:
        sample = stream.read(SAMPLE_BYTES)
    lines = sample.count(b"\n")
    if not lines:
        return None
    return int(path.stat().st_size / (len(sample) / lines))


def read_csv(path: Path) -> tuple[str, RawTable]:
    """The CSV's rows; the encoding is detected, never taken from the locale."""
    encoding = detect_encoding(path)
    delimiter = _delimiter(next(_text_lines(path, encoding), ""))

    spanning = Spanning()

    def rows() -> Iterator[Row]:
        number = ended = 0  # the record, and the line of the file it ended on
        reader = csv.reader(_text_lines(path, encoding), delimiter=delimiter)
        try:
            for number, cells in enumerate(reader, 1):
                if reader.line_num - ended > 1:
                    spanning.saw(number)
                ended = reader.line_num
                yield number, cells  # type: ignore[misc]  # cells are list[object]
        except csv.Error as exc:
            limit = csv.field_size_limit()
            if str(exc).startswith("field larger than field limit"):
                raise IntakeError(
                    "intake.csv_field", path=path, row=number + 1, limit=limit
                ) from exc
            raise IntakeError("intake.csv", path=path, row=number + 1, reason=exc) from exc

    return encoding, RawTable(path.name, rows(), rows, _estimate_lines(path), spanning)


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


_UNSAVED = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*>\s*'  # a cell
    rb"(?:<f[^>]*/>|<f[^>]*>([^<]*)</f>)\s*"  # holding a formula
    rb"(?:<v\s*/>|<v></v>)?\s*</c>"  # and no value
)
_FORMULA_MARK = b"<f"
_UNSAVED_MARKS = (b"</f></c>", b"/></c>", b"<v></v></c>")
"""How a formula cell with no value ends, as Excel, openpyxl and xlsxwriter write it: a
chunk without a formula, or without one of these, has no such cell and is not searched."""
_ATTRIBUTE = re.compile(r'([\w:]+)="([^"]*)"')


_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*?\st="e"[^>]*>'  # a cell holding an error
    rb"\s*(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?\s*"  # perhaps from a formula
    rb"<v>([^<]{1,20})</v>"  # and its value: #N/A, #REF!, …
)
_ERROR_MARK = b't="e"'
_CELL_END = b"</c>"

UnreadCells = dict[int, dict[int, str]]
"""Cells calamine reads as blank that are not blank, by row number and 0-based column."""


def unread_cells(path: Path, sheet: str) -> UnreadCells:
    """The cells of `sheet` that calamine reads as blank though they are not, by row
    number and 0-based column:

    - an Excel error value (#N/A from a VLOOKUP that found nothing, #REF!, #DIV/0! …):
      python-calamine issue #105. The error's text is what the cell holds;
    - a formula whose result the file does not keep (a program wrote the workbook and
      Excel never saved it): a `values.Unsaved`, showing the formula.

    A blank balance is ¥0, so either would be a wrong verdict. The whole sheet's XML is
    scanned a chunk at a time, and only a chunk with such a cell's mark is searched (the
    100k-row bench sheet: 0.17 s). Regexes rather than an XML parser, so no entity is ever
    expanded. Nothing for a file that is not a zip (.xls, .ods)."""
    found: UnreadCells = {}
    tail = b""
    for chunk in _sheet_xml(path, sheet):
        data = tail + chunk
        cut = data.rfind(_CELL_END) + len(_CELL_END)
        if cut < len(_CELL_END):  # no whole cell yet: read on
            tail = data if len(data) < (8 << 20) else data[-4096:]
            continue
        whole = data[:cut]
        if _ERROR_MARK in whole:
            _add_errors(whole, found)
        if _FORMULA_MARK in whole and any(mark in whole for mark in _UNSAVED_MARKS):
            _add_unsaved(whole, found)
        tail = data[cut:]
    return found


def unsaved_names(found: UnreadCells) -> list[str]:
    """The formula cells without a saved result among `found`, named as Excel names them
    (C5), in sheet order."""
    return [
        f"{_column_name(column)}{row}"
        for row in sorted(found)
        for column, value in sorted(found[row].items())
        if type(value) is Unsaved
    ]


def _sheet_xml(path: Path, sheet: str, limit: int | None = None) -> Iterator[bytes]:
    """The XML of `sheet`, inflated a megabyte at a time, up to `limit` bytes. Nothing for
    a file that is not an xlsx or has no such sheet; it stops where the zip is corrupt
    (calamine, which read the same file first, has said so or read around it)."""
    try:
        with zipfile.ZipFile(path) as archive:
            target = _sheet_part(archive, sheet)
            if target is None:
                return
            with archive.open(target) as stream:
                read = 0
                while limit is None or read < limit:
                    chunk = stream.read(1 << 20 if limit is None else min(1 << 20, limit - read))
                    if not chunk:
                        return
                    read += len(chunk)
                    yield chunk
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error):
        return


def _add_errors(data: bytes, found: UnreadCells) -> None:
    for letters, row, value in _ERROR_CELL.findall(data):
        found.setdefault(int(row), {})[_column_index(letters)] = value.decode("ascii", "replace")


def _add_unsaved(data: bytes, found: UnreadCells) -> None:
    for letters, row, formula in _UNSAVED.findall(data):
        text = html.unescape(formula.decode("utf-8", "replace")) if formula else "…"
        found.setdefault(int(row), {})[_column_index(letters)] = Unsaved(f"={text}")


def _column_index(letters: bytes) -> int:
    """b"A" -> 0, b"Z" -> 25, b"AA" -> 26."""
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64  # A=1 … Z=26
    return column - 1


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip entry of a sheet, from xl/workbook.xml and its relationships."""
    book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
    relationship = None
    for element in re.findall(r"<(?:\w+:)?sheet\s[^>]*>", book):
        attributes = dict(_ATTRIBUTE.findall(element))
        if html.unescape(attributes.get("name", "")) == sheet:
            relationship = attributes.get("r:id")
    if relationship is None:
        return None
    relations = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    for element in re.findall(r"<Relationship\s[^>]*>", relations):
        attributes = dict(_ATTRIBUTE.findall(element))
        if attributes.get("Id") == relationship:
            target = attributes.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


class Workbook:
    """A workbook opened with python-calamine (xlsx, xlsm, xlsb, legacy xls, ods)."""

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineError, CalamineWorkbook

        self.path = path
        try:
            self._book = CalamineWorkbook.from_path(str(path))
        except (CalamineError, OSError, ValueError) as exc:
            raise IntakeError("intake.not_workbook", path=path, reason=exc) from exc
        self.sheet_names: list[str] = list(self._book.sheet_names)

    def table(self, name: str, errors: Callable[[], UnreadCells] | None = None) -> RawTable:
        """The sheet `name`; `errors` gives the cells calamine reads as blank though they
        are not (see `unread_cells`) when they are being found elsewhere meanwhile."""
        from python_calamine import CalamineError

        try:
            sheet = self._book.get_sheet_by_name(name)
        except CalamineError as exc:
            raise IntakeError(
                "intake.sheet_unreadable", path=self.path, sheet=name, reason=exc
            ) from exc

        found = unread_cells(self.path, name) if errors is None else errors()
        first_column = sheet.start[1] if found and sheet.start else 0

        def rows() -> Iterator[Row]:
            # iter_rows starts at the sheet's first row, so the index is the row number - 1.
            # The parsed sheet stays in memory; a forked worker iterates its own copy.
            for index, cells in enumerate(sheet.iter_rows()):
                yield index + 1, cells  # type: ignore[misc]  # cells are list[object]

        def rows_with_errors() -> Iterator[Row]:
            """The rows, each error cell holding its error (#N/A), and each formula cell
            without a saved result its `Unsaved` formula, where calamine left a blank; a
            row's cells start at the sheet's first used column."""
            for number, cells in rows():
                for column, error in found.get(number, {}).items():
                    index = column - first_column
                    if index >= len(cells):  # beyond what calamine took for the used range
                        cells.extend([""] * (index + 1 - len(cells)))
                    if index >= 0 and cells[index] == "":
                        cells[index] = error
                yield number, cells

        read = rows_with_errors if found else rows
        return RawTable(
            name,
            read(),
            read,
            int(sheet.total_height),
            merged=_merged(sheet),
            unsaved=tuple(unsaved_names(found)),
        )


def _merged(sheet: Any) -> tuple[Merged, ...]:
    """The sheet's merged areas of more than one cell. A row's cells start at the sheet's
    first used column, its rows at row 1: calamine's 0-based positions shift by that."""
    spans = getattr(sheet, "merged_cell_ranges", None) or ()  # None: not an xlsx
    start = sheet.start[1] if spans and sheet.start else 0
    found: list[Merged] = []
    for (top, left), (bottom, right) in spans:
        if (top, left) == (bottom, right) or left < start:
            continue  # one cell; or its value lies left of the cells a row holds
        name = f"{_column_name(left)}{top + 1}:{_column_name(right)}{bottom + 1}"
        found.append(Merged(top + 1, left - start, bottom + 1, right - start, name))
    return tuple(found)


def _column_name(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def is_workbook(path: Path) -> bool:
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return True
    if path.suffix.lower() in CSV_SUFFIXES:
        return False
    with path.open("rb") as stream:
        magic = stream.read(8)
    return magic.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def text_preview(value: object, limit: int = 40) -> str:
    """A cell as a message shows it: short, on one line."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
