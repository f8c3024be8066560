"""The cells python-calamine reads as blank though they are not, found in the sheet's XML:

- an Excel error value (#N/A from a VLOOKUP that found nothing, #REF!, #DIV/0! …):
  python-calamine issue #105. The error's name is what the cell holds;
- a formula whose result the file does not keep (a program wrote the workbook and Excel
  never saved it): a `values.Unsaved`, showing the formula.

A blank balance is ¥0, so either would be a wrong verdict. An xlsx (or xlsm) sheet's XML
and an ods's content.xml are searched; an xls or xlsb keeps its cells in binary records,
which are not (`ERRORS_UNSEEN`: the run says so). Byte searches and regexes rather than
an XML parser, so no entity is ever expanded, and a sheet with no such cell costs a few
byte searches a megabyte.
"""

from __future__ import annotations

import functools
import html
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from renewal.intake.values import EXCEL_ERRORS, Unsaved
from renewal.intake.workbook_facts import DAMAGED, column_index, sheet_part, workbook_part

UnreadCells = dict[int, dict[int, str]]
"""Cells calamine reads as blank that are not blank, by row number and 0-based column."""

ERRORS_UNSEEN = ("xls", "xlsb")
"""The workbook formats (`workbook_facts.FORMATS`) whose error cells this module cannot
find: their cells are binary records, and python-calamine reads an error there as blank
with no way to ask (no option, no other call). Reading the records here would be a
reader of a binary format of its own; the run says once that a blank may be an error."""

_HELD_AT_MOST = 8 << 20
"""How much XML is held waiting for the end of a cell (or of a row, when counting): past
this, the XML is no sheet renewal can read, and the search gives up on it."""


def unread_cells(path: Path, sheet: str) -> UnreadCells:
    """The cells of `sheet` that calamine reads as blank though they are not, by row
    number and 0-based column, each where calamine puts it (its reference, r="J2"; or,
    where a cell has none, counted as calamine counts). The whole sheet is searched, a
    megabyte at a time, and only a piece holding such a cell's mark is looked at closely
    (the 100k-row bench sheet: 0.1 s). Nothing for a file that is neither an xlsx nor an
    ods, or has no such sheet."""
    place = _place(path, sheet)
    if place is None:
        return {}
    chunks = functools.partial(_part_xml, path, place.part)
    if place.ods:
        return _ods_unread(chunks(), sheet)
    return _xlsx_unread(chunks, place.placeholders)


@dataclass(frozen=True, slots=True)
class _Place:
    part: str
    """The zip entry holding the sheet's cells."""
    ods: bool = False
    """An ods: `part` is content.xml, which holds every sheet."""
    placeholders: bool = False
    """The workbook asks to be calculated afresh when it is opened (fullCalcOnLoad), as
    the libraries that write formulas without calculating them do: a formula's 0 there
    is what xlsxwriter writes when it is not told the result, not a result."""


def _place(path: Path, sheet: str) -> _Place | None:
    try:
        with zipfile.ZipFile(path) as archive:
            book = workbook_part(archive)
            if book is None:
                names = set(archive.namelist())
                return _Place("content.xml", ods=True) if "content.xml" in names else None
            part = sheet_part(archive, sheet)
            if part is None:
                return None
            return _Place(part, placeholders=_FULL_CALCULATION.search(book[1]) is not None)
    except DAMAGED:
        return None


_FULL_CALCULATION = re.compile(r"<(?:\w+:)?calcPr\b[^>]*?\sfullCalcOnLoad\s*=\s*[\"'](?:1|true)")


def _part_xml(path: Path, part: str) -> Iterator[bytes]:
    """The XML of a zip entry, inflated a megabyte at a time; it stops where the zip is
    corrupt."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
            while chunk := stream.read(1 << 20):
                yield chunk
    except DAMAGED:
        return


# -- xlsx --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Spelling:
    """How a sheet's XML spells the marks searched for: with its elements' prefix (x:, as
    the .NET Open XML SDK writes them by default, or none) and its attributes' quote."""

    cell: bytes
    cell_end: bytes
    row: bytes
    row_end: bytes
    formula: bytes
    errors: tuple[bytes, ...]
    """How an error cell's type is written: t="e"."""
    unsaved: tuple[bytes, ...]
    """How a formula cell may end when it has no result: with the formula (</f></c>), with
    an element that holds nothing (<v/></c>, <v /></c>, a shared formula's <f …/></c>), or
    with an empty value (<v></v></c>); in a workbook of `_Place.placeholders`, with a 0.
    A cell that ends otherwise has a result. A piece of XML without a formula, or without
    one of these, holds no formula cell without a result, and is not looked at closely."""
    placeholders: bool


def _spelling(data: bytes, placeholders: bool) -> _Spelling | None:
    """The spelling of the sheet whose XML begins with `data`, from its sheetData element
    and the first attribute after it; None until that element has been read."""
    found = _SHEET_DATA.search(data)
    if found is None:
        return None
    prefix = found.group(1) or b""
    quote = _QUOTE.search(data, found.end())
    q = quote.group(1) if quote is not None else b'"'

    def element(name: bytes) -> bytes:
        return b"<" + prefix + name

    def end(name: bytes) -> bytes:
        return b"</" + prefix + name + b">"

    unsaved: tuple[bytes, ...] = (
        end(b"f") + end(b"c"),
        b"/>" + end(b"c"),
        element(b"v>") + end(b"v") + end(b"c"),
    )
    if placeholders:
        unsaved += (element(b"v>0") + end(b"v") + end(b"c"),)
    return _Spelling(
        cell=element(b"c"),
        cell_end=end(b"c"),
        row=element(b"row"),
        row_end=end(b"row"),
        formula=element(b"f"),
        errors=(b"t=" + q + b"e" + q,),
        unsaved=unsaved,
        placeholders=placeholders,
    )


_SHEET_DATA = re.compile(rb"<(?:([A-Za-z_][\w.-]*:))?sheetData[\s/>]")
_QUOTE = re.compile(rb"""\s[\w:.-]+\s*=\s*(["'])""")


def _xlsx_unread(chunks: Callable[[], Iterator[bytes]], placeholders: bool) -> UnreadCells:
    """The fast path: each piece of the sheet cut after its last whole cell, and looked
    at closely only when it holds a mark; each cell found is placed by its reference. A
    cell without one (r is optional) sends the search back to the top, to count
    (`_counted`)."""
    found: UnreadCells = {}
    spelling: _Spelling | None = None
    tail = b""
    for chunk in chunks():
        data = tail + chunk
        if spelling is None:
            spelling = _spelling(data, placeholders)
            if spelling is None:
                if len(data) < _HELD_AT_MOST:
                    tail = data
                    continue
                return found  # no cells in 8 MB: no sheet
        cut = data.rfind(spelling.cell_end) + len(spelling.cell_end)
        if cut < len(spelling.cell_end):  # no whole cell yet: read on
            tail = data if len(data) < _HELD_AT_MOST else data[-4096:]
            continue
        for start in _marked_cells(data, cut, spelling):
            cell = _element_at(data, start, cut, spelling.cell_end)
            if cell is None or cell.content is None:
                continue
            value = _reading(cell.tag, cell.content, spelling.placeholders)
            if value is None:
                continue
            place = _reference(cell.tag)
            if place is None:
                return _counted(chunks(), spelling)
            found.setdefault(place[0], {})[place[1]] = value
        tail = data[cut:]
    return found


def _marked_cells(data: bytes, end: int, spelling: _Spelling) -> set[int]:
    """Where the cells that hold a mark begin, in `data` up to `end`."""
    starts: set[int] = set()
    for mark in _marks_in(data, 0, end, spelling):
        at = data.find(mark, 0, end)
        while at >= 0:
            start = _element_before(data, spelling.cell, at)
            if start >= 0:
                starts.add(start)
            at = data.find(mark, at + len(mark), end)
    return starts


def _marks_in(data: bytes, start: int, end: int, spelling: _Spelling) -> list[bytes]:
    """The marks worth searching for between `start` and `end`: an error's where there is
    an e, a formula's ends where there is a formula. A one-byte search first (memchr):
    most sheets have no e or f in their cells' XML at all, and a search for a longer mark
    costs ten times as much."""
    marks: list[bytes] = []
    if data.find(b"e", start, end) >= 0:
        marks += [mark for mark in spelling.errors if data.find(mark, start, end) >= 0]
    if data.find(b"f", start, end) >= 0 and data.find(spelling.formula, start, end) >= 0:
        marks += [mark for mark in spelling.unsaved if data.find(mark, start, end) >= 0]
    return marks


_NAME_ENDS = frozenset(b" \t\r\n/>")
"""What follows an element's name in a tag: <c r=…>, <c>, <c/>; not <col …>, <cfRule …>."""
_NAME_END_BYTES = frozenset(bytes([end]) for end in _NAME_ENDS)


def _element_before(data: bytes, name: bytes, at: int) -> int:
    """Where the last element `name` that begins before `at` begins; -1 if none does."""
    start = data.rfind(name, 0, at)
    while start >= 0 and data[start + len(name) : start + len(name) + 1] not in _NAME_END_BYTES:
        start = data.rfind(name, 0, start)
    return start


def _element_after(data: bytes, name: bytes, at: int, end: int) -> int:
    """Where the first element `name` that begins at or after `at` (before `end`) begins;
    -1 if none does."""
    start = data.find(name, at, end)
    while start >= 0 and (start + len(name) >= end or data[start + len(name)] not in _NAME_ENDS):
        start = data.find(name, start + len(name), end)
    return start


class _Element(NamedTuple):
    tag: bytes
    """Its start tag, attributes and all."""
    content: bytes | None
    """What lies between its start and end tags; None for an empty element (<c …/>)."""
    after: int
    """Where what follows it begins."""


def _element_at(data: bytes, start: int, end: int, closing: bytes) -> _Element | None:
    """The element that begins at `start` and ends with `closing` (or is empty), whole
    before `end`."""
    tag_end = data.find(b">", start, end)
    if tag_end < 0:
        return None
    tag = data[start : tag_end + 1]
    if data[tag_end - 1] == ord("/"):
        return _Element(tag, None, tag_end + 1)
    close = data.find(closing, tag_end, end)
    if close < 0:
        return None
    return _Element(tag, data[tag_end + 1 : close], close + len(closing))


_TYPE = re.compile(rb"""\st\s*=\s*["'](\w*)["']""")
_REFERENCE = re.compile(rb"""\sr\s*=\s*["']\$?([A-Za-z]{1,3})\$?([0-9]{1,7})["']""")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v(?:\s[^>]*)?(?:/>|>([^<]*)</)")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f(?:\s[^>]*)?(?:/>|>([^<]*)</)")
_INLINE = re.compile(rb"<(?:[\w.-]+:)?is[\s/>]")


def _reading(tag: bytes, content: bytes, placeholders: bool) -> str | None:
    """What a cell holds that calamine reads as blank: its error's name, or its formula
    as an `Unsaved`; None when calamine reads the cell as the file has it.

    A formula cell's value tells a saved result from none. Excel and LibreOffice save a
    formula's empty text (=IF(…,"",…)) as t="str" with an empty value (<v/>, <v></v>):
    calamine reads that as the blank it is. A program that never calculated the formula
    writes no t (a number, by default) and no value: openpyxl <f>…</f><v/> (or <v />),
    xlsxwriter <v></v> when told the result is "" (t="str" only for a non-empty text),
    the .NET SDK and others no <v> at all; an empty number is no number, so that is no
    result, whatever t says when there is no <v>. xlsxwriter's own default is <v>0</v>:
    no different from a saved 0, save that such a workbook asks to be calculated afresh
    on opening (`_Place.placeholders`), which a workbook Excel saved never does."""
    kind_found = _TYPE.search(tag)
    kind = kind_found.group(1) if kind_found is not None else b"n"
    value = _VALUE.search(content)
    text = value.group(1) if value is not None else None  # None: no <v>, or <v/>
    if kind == b"e":
        error = html.unescape((text or b"").decode("utf-8", "replace")).strip()
        return error or None
    formula = _FORMULA.search(content)
    if formula is None or _INLINE.search(content) is not None:
        return None
    if text:
        if not (placeholders and kind == b"n" and text.strip() == b"0"):
            return None  # a saved result
    elif kind == b"str" and value is not None:
        return None  # a saved empty text
    shown = formula.group(1)
    return Unsaved(f"={html.unescape(shown.decode('utf-8', 'replace'))}" if shown else "=…")


def _reference(tag: bytes) -> tuple[int, int] | None:
    """A cell's row number and 0-based column, from its reference (r="J2")."""
    found = _REFERENCE.search(tag)
    if found is None:
        return None
    return int(found.group(2)), column_index(found.group(1).upper())


_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["']([0-9]{1,7})["']""")


def _counted(chunks: Iterator[bytes], spelling: _Spelling) -> UnreadCells:
    """The sheet searched again from the top, each cell placed as calamine places it: by
    its r, else in the column after the cell before it in its row; its row by the row's
    r, else the row after the one before. Each piece is cut after its last whole row.
    Where the rows have their r (cells without one are what sends the search here), only
    the rows that hold a mark are looked at; else every row of the piece is counted."""
    found: UnreadCells = {}
    row = 0  # 0-based, as calamine counts: the row the next <row> without r is
    tail = b""
    for chunk in chunks:
        data = tail + chunk
        cut = data.rfind(spelling.row_end) + len(spelling.row_end)
        if cut < len(spelling.row_end):
            if len(data) < _HELD_AT_MOST:
                tail = data
                continue
            return found  # a row of more than 8 MB: no sheet
        marked = {
            _element_before(data, spelling.row, at) for at in _marked_cells(data, cut, spelling)
        }
        last = _element_before(data, spelling.row, cut)
        numbers = {start: _row_number(data, start, cut) for start in {*marked, last} - {-1}}
        known = {start: number for start, number in numbers.items() if number is not None}
        if len(known) < len(numbers):
            row = _count_rows(data, cut, row, spelling, found)
        else:
            for start in marked - {-1}:
                tag_end = data.find(b">", start, cut)
                close = data.find(spelling.row_end, tag_end, cut)
                if data[tag_end - 1] != ord("/") and close >= 0:
                    _count_cells(data, tag_end + 1, close, known[start], spelling, found)
            row = known[last] + 1 if last >= 0 else row
        tail = data[cut:]
    return found


def _row_number(data: bytes, start: int, end: int) -> int | None:
    """The 0-based index of the row whose tag begins at `start`, from its r."""
    tag_end = data.find(b">", start, end)
    number = _ROW_NUMBER.search(data, start, tag_end + 1) if tag_end >= 0 else None
    return None if number is None else int(number.group(1)) - 1


def _count_rows(data: bytes, end: int, row: int, spelling: _Spelling, found: UnreadCells) -> int:
    at = 0
    while (start := _element_after(data, spelling.row, at, end)) >= 0:
        tag_end = data.find(b">", start, end)
        if tag_end < 0:
            break
        number = _ROW_NUMBER.search(data, start, tag_end + 1)
        if number is not None:
            row = int(number.group(1)) - 1
        if data[tag_end - 1] == ord("/"):  # <row r="5"/>: a row of no cells
            row += 1
            at = tag_end + 1
            continue
        close = data.find(spelling.row_end, tag_end, end)
        if close < 0:
            break
        if _marks_in(data, tag_end, close + len(spelling.row_end), spelling):
            _count_cells(data, tag_end + 1, close, row, spelling, found)
        row += 1
        at = close + len(spelling.row_end)
    return row


def _count_cells(
    data: bytes, at: int, end: int, row: int, spelling: _Spelling, found: UnreadCells
) -> None:
    column = 0
    while (start := _element_after(data, spelling.cell, at, end)) >= 0:
        cell = _element_at(data, start, end, spelling.cell_end)
        if cell is None:
            return
        place = _reference(cell.tag) or (row + 1, column)
        if cell.content is not None:
            value = _reading(cell.tag, cell.content, spelling.placeholders)
            if value is not None:
                found.setdefault(place[0], {})[place[1]] = value
        column = place[1] + 1
        at = cell.after


# -- ods ---------------------------------------------------------------------------------


def _ods_unread(chunks: Iterator[bytes], sheet: str) -> UnreadCells:
    """An ods sheet: its table in content.xml (which holds them all), read a piece at a
    time. An ods names no cell, so its rows and cells are counted, each with its repeats
    (table:number-rows-repeated, table:number-columns-repeated), as calamine counts them;
    only a row that holds a mark has its cells counted."""
    found: UnreadCells = {}
    row = 0  # 0-based
    inside = False
    tail = b""
    for chunk in chunks:
        data = tail + chunk
        at = 0
        if not inside:
            at = _ods_table(data, sheet)
            if at < 0:  # not yet: a tag cut in two is whole next time
                tail = data[max(data.rfind(b"<"), 0) :]
                continue
            inside = True
        table_end = data.find(b"</table:table>", at)
        end = table_end
        if end < 0:
            end = data.rfind(_ODS_ROW_END) + len(_ODS_ROW_END)
            if end < len(_ODS_ROW_END):  # no whole row yet
                if len(data) - at >= _HELD_AT_MOST:
                    return found
                tail = data[at:]
                continue
        row = _ods_rows(data, at, end, row, found)
        if table_end >= 0:
            return found
        tail = data[end:]
    return found


_ODS_TABLE = re.compile(rb"<table:table\s[^>]*>")
_ODS_ROW = b"<table:table-row"
_ODS_ROW_END = b"</table:table-row>"
_ODS_CELLS = (
    (b"<table:table-cell", b"</table:table-cell>"),
    (b"<table:covered-table-cell", b"</table:covered-table-cell>"),
)
_ODS_MARKS = (b'value-type="error"', b'string-value=""', b"table:formula=")
"""What a row with an error or a formula without a result holds: LibreOffice's error type
(calcext:value-type="error"), the empty text calamine reads for an error, a formula."""
_ROWS_AT_MOST = 1 << 20
_COLUMNS_AT_MOST = 1 << 14
"""Excel's limits, which calamine reads an ods within."""


def _ods_table(data: bytes, sheet: str) -> int:
    """Where the rows of the table named `sheet` begin; -1 if its start is not in `data`."""
    for found in _ODS_TABLE.finditer(data):
        name = _byte_attributes(found.group()).get(b"table:name", b"")
        if html.unescape(name.decode("utf-8", "replace")) == sheet:
            return found.end()
    return -1


def _ods_rows(data: bytes, at: int, end: int, row: int, found: UnreadCells) -> int:
    while (start := _element_after(data, _ODS_ROW, at, end)) >= 0:
        element = _element_at(data, start, end, _ODS_ROW_END)
        if element is None:
            break
        repeats = _repeats(element.tag, b"table:number-rows-repeated")
        content = element.content
        if content is not None and any(mark in content for mark in _ODS_MARKS):
            _ods_cells(content, row, repeats, found)
        row += repeats
        at = element.after
    return row


def _ods_cells(data: bytes, row: int, rows: int, found: UnreadCells) -> None:
    column = 0
    at = 0
    while True:
        starts = [
            (_element_after(data, name, at, len(data)), name, end) for name, end in _ODS_CELLS
        ]
        start, _, closing = min(((s, n, e) for s, n, e in starts if s >= 0), default=(-1, b"", b""))
        if start < 0:
            return
        cell = _element_at(data, start, len(data), closing)
        if cell is None:
            return
        repeats = _repeats(cell.tag, b"table:number-columns-repeated")
        value = _ods_reading(cell.tag, cell.content or b"")
        if value is not None:
            for number in range(row + 1, min(row + rows, _ROWS_AT_MOST) + 1):
                line = found.setdefault(number, {})
                for index in range(column, min(column + repeats, _COLUMNS_AT_MOST)):
                    line[index] = value
        column += repeats
        at = cell.after


def _repeats(tag: bytes, name: bytes) -> int:
    count = _byte_attributes(tag).get(name, b"1")
    return int(count) if count.isdigit() and int(count) > 0 else 1


_BYTE_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _byte_attributes(tag: bytes) -> dict[bytes, bytes]:
    return {name: double or single for name, double, single in _BYTE_ATTRIBUTE.findall(tag)}


def _ods_reading(tag: bytes, content: bytes) -> str | None:
    """What an ods cell holds that calamine reads as blank: an error, which LibreOffice
    writes as the empty text (office:string-value="") with the error's type beside it and
    its name shown (#N/A, Err:502); a formula with no value type, whose result the file
    does not keep. None when calamine reads the cell as the file has it."""
    attributes = _byte_attributes(tag)
    formula = attributes.get(b"table:formula")
    if attributes.get(b"calcext:value-type") == b"error":
        return _excel_error(_ods_text(content)) or "#N/A"
    if formula is None:
        return None
    if b"office:value-type" not in attributes:
        return Unsaved(_ods_formula(formula))
    if attributes.get(b"office:string-value") == b"":  # another writer's error, shown only
        return _excel_error(_ods_text(content))
    return None


_TAG = re.compile(rb"<[^>]*>")


def _ods_text(content: bytes) -> str:
    return html.unescape(_TAG.sub(b"", content).decode("utf-8", "replace")).strip()


_LIBREOFFICE_ERROR = re.compile(r"Err:(\d{3})")
_LIBREOFFICE_ERRORS = {
    502: "#VALUE!",
    503: "#NUM!",
    504: "#VALUE!",
    508: "#VALUE!",
    509: "#VALUE!",
    510: "#VALUE!",
    511: "#VALUE!",
    519: "#VALUE!",
    521: "#NULL!",
    522: "#VALUE!",
    524: "#REF!",
    525: "#NAME?",
    532: "#DIV/0!",
}
"""LibreOffice's error codes (Err:502) as it names them when it saves the file as xlsx:
the names Excel shows, which renewal knows as errors (`values.EXCEL_ERRORS`). Any other
code it saves as #N/A."""


def _excel_error(shown: str) -> str | None:
    """The Excel name of an error as a spreadsheet shows it (#N/A; LibreOffice's Err:502 is
    #VALUE!); None for text that is no error."""
    if shown.upper() in EXCEL_ERRORS:
        return shown.upper()
    code = _LIBREOFFICE_ERROR.fullmatch(shown)
    return None if code is None else _LIBREOFFICE_ERRORS.get(int(code.group(1)), "#N/A")


_ODS_REFERENCE = re.compile(r"\[([^\]]*)\]")


def _ods_formula(formula: bytes) -> str:
    """An ods formula as LibreOffice shows it: of:=SUM([.B2:.B9]) is =SUM(B2:B9)."""
    text = html.unescape(formula.decode("utf-8", "replace"))
    text = text.split(":", 1)[1] if re.match(r"\w+:=", text) else text
    return _ODS_REFERENCE.sub(lambda ref: ref.group(1).lstrip(".").replace(":.", ":"), text)
