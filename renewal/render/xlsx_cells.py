"""The workbook's cells: formats, typed writes that keep export text as text (a value
that would start a formula gets Excel's quote prefix), and sheets that continue on a new
sheet at Excel's row limit. Used by the annotated workbook (`renewal.render.xlsx`)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta

import xlsxwriter
from rich.cells import cell_len
from xlsxwriter.format import Format as CellFormat
from xlsxwriter.worksheet import Worksheet

from renewal.render.cells import GUARDED_INITIALS, needs_guard
from renewal.render.evidence import evidence_text
from renewal.timeutil import BEIJING

MAX_ROWS = 1_048_576
"""Excel's rows per sheet, the header row included."""

MAX_CHARS = 32_767
"""Excel's characters per cell: longer text is cut to fit, ending in an ellipsis."""

MONEY_FORMAT = '"¥"#,##0.00;-"¥"#,##0.00'
"""Amounts in yuan as the other views write them (¥90,000.00; the minus before the sign,
as `i18n.yuan` puts it: -¥5.00, never ¥-5.00)."""

FILLS = {
    "error": ("#E4C1F9", "#5B2C6F"),
    "failed": ("#FFC7CE", "#9C0006"),
    "pending": ("#FFEB9C", "#9C5700"),
    "waived": ("#DDEBF7", "#1F4E78"),
    "renewed": ("#C6EFCE", "#006100"),
    "exempt": ("#EDEDED", "#404040"),
}


_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


class Sheets:
    """Rows written in order to a sheet, continued on a new sheet at Excel's row limit,
    each continuation starting with the same header row."""

    def __init__(
        self,
        book: xlsxwriter.Workbook,
        name: str,
        header: list[tuple[str, CellFormat]],
        setup: Callable[[Worksheet], None],
    ) -> None:
        self.book = book
        self.name = name
        self.header = header
        self.setup = setup
        self.sheets: list[tuple[Worksheet, int]] = []
        self.sheet: Worksheet = self._new()
        self.row = 1

    def _new(self) -> Worksheet:
        number = len(self.sheets) + 1
        name = self.name if number == 1 else f"{self.name[:26]} ({number})"
        sheet = self.book.add_worksheet(name)
        self.setup(sheet)
        for column, (text, fmt) in enumerate(self.header):
            sheet.write_string(0, column, text, fmt)
        sheet.freeze_panes(1, 0)
        self.sheets.append((sheet, 0))
        return sheet

    def next_row(self) -> tuple[Worksheet, int]:
        if self.row >= MAX_ROWS:
            self._close_current()
            self.sheet = self._new()
            self.row = 1
        row = self.row
        self.row += 1
        return self.sheet, row

    def _close_current(self) -> None:
        sheet, _ = self.sheets[-1]
        self.sheets[-1] = (sheet, self.row - 1)

    def finish(self) -> None:
        """An autofilter over each sheet's rows."""
        self._close_current()
        for sheet, last in self.sheets:
            sheet.autofilter(0, 0, max(last, 1), len(self.header) - 1)


def sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts (31 characters, none of []:*?/\\), distinct from `taken`."""
    cleaned = _excel_name(name) or "merchants"
    return cleaned if cleaned not in taken else f"{cleaned[:28]} (1)"


def _excel_name(name: str) -> str:
    """`name` as Excel takes a sheet name: none of []:*?/\\, no quote at its ends, 31
    characters at most (empty when nothing is left)."""
    return _SHEET_NAME_BAD.sub("_", name).strip("'")[:31]


def text_width(text: str) -> float:
    """The column width (in Excel's units, the width of a digit) that shows `text` on one
    line: a Chinese character or full-width mark takes about two digits, and a little room
    is left for the cell's margins and a font wider than Excel's default."""
    return cell_len(text) * 1.1 + 1


def finding_value(
    formats: Formats, sheet: Worksheet, row: int, column: int, value: object, lang: str
) -> None:
    """A finding's expected or actual value: a number as a number, a report time as a
    date and time, anything else as words (`renewal.render.evidence`), wrapped: the
    cell to its right is seldom empty."""
    if value is None:
        return
    if isinstance(value, bool):
        formats.text(sheet, row, column, evidence_text(value, lang), formats.wrap)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value)
    elif isinstance(value, str):
        moment = _iso_moment(value)
        if moment is not None:
            # a fraction of a second shown (to the millisecond, as far as Excel goes) when
            # there is one: 18:00:00.500 after a deadline at 18:00:00
            shown = formats.moment_fraction if moment.microsecond else formats.moment
            sheet.write_datetime(row, column, moment, shown)
        else:
            formats.text(sheet, row, column, value, formats.wrap)
    else:
        formats.text(sheet, row, column, evidence_text(value, lang), formats.wrap)


def _iso_moment(text: str) -> datetime | None:
    """A report time (ISO 8601 with the Beijing offset) as the naive Beijing time it is."""
    if len(text) < 19 or text[10] != "T" or text[4] != "-":
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.astimezone(BEIJING).replace(tzinfo=None) if moment.tzinfo else moment


class Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top"}
        )
        self.appended_header = book.add_format(
            {"bold": True, "bg_color": "#FCE4D6", "text_wrap": True, "valign": "top"}
        )
        self.plain = book.add_format()
        self.guarded = book.add_format({"quote_prefix": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.wrap_guarded = book.add_format(
            {"text_wrap": True, "valign": "top", "quote_prefix": True}
        )
        self.money = book.add_format({"num_format": MONEY_FORMAT})
        self.whole = book.add_format({"num_format": "0"})
        self.minute = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.moment_fraction = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss.000"})
        self.day = book.add_format({"num_format": "yyyy-mm-dd"})
        self.clock = book.add_format({"num_format": "hh:mm:ss"})
        self.duration = book.add_format({"num_format": "[h]:mm:ss"})
        self.bold = book.add_format({"bold": True})
        self.urgent = book.add_format({"bold": True, "font_color": "#C00000"})
        self.outcome = {
            outcome: book.add_format({"bg_color": fill, "font_color": font})
            for outcome, (fill, font) in FILLS.items()
        }
        self.cut: list[tuple[str, int, int]] = []
        """The cells whose text was longer than MAX_CHARS: sheet name, row, column."""

    def too_long(
        self, sheet: Worksheet, row: int, column: int, value: str, fmt: CellFormat | None
    ) -> None:
        """Text over Excel's limit, which xlsxwriter cut silently: written again ending
        in an ellipsis, so the cell shows it was cut, and remembered for 汇总's note."""
        sheet.write_string(row, column, value[: MAX_CHARS - 1] + "…", fmt)
        self.cut.append((sheet.get_name(), row, column))

    def text(
        self, sheet: Worksheet, row: int, column: int, value: str, fmt: CellFormat | None = None
    ) -> None:
        """Text that stays text: a formula-like start gets the quote prefix. Empty text
        leaves the cell empty."""
        if not value:
            return
        if needs_guard(value):
            fmt = self.wrap_guarded if fmt is self.wrap else self.guarded
        if sheet.write_string(row, column, value, fmt):
            self.too_long(sheet, row, column, value, fmt)

    def writer(self) -> Callable[[Worksheet, int, int, object], None]:
        """Writes one raw export cell with its own type."""
        text = self.text
        moment, day, clock, duration = self.moment, self.day, self.clock, self.duration

        def write(sheet: Worksheet, row: int, column: int, value: object) -> None:
            kind = type(value)
            if kind is str:
                text(sheet, row, column, value)  # type: ignore[arg-type]
            elif kind is float or kind is int:
                if math.isfinite(value):  # type: ignore[arg-type]
                    sheet.write_number(row, column, value)
                else:
                    sheet.write_string(row, column, str(value))
            elif kind is bool:
                sheet.write_boolean(row, column, value)
            elif kind is datetime:
                assert isinstance(value, datetime)
                sheet.write_datetime(row, column, value.replace(tzinfo=None), moment)
            elif kind is date:
                sheet.write_datetime(row, column, value, day)
            elif kind is time:
                sheet.write_datetime(row, column, value, clock)
            elif kind is timedelta:
                sheet.write_datetime(row, column, value, duration)
            else:
                text(sheet, row, column, str(value))

        return write


SAMPLED_ROWS = 100
"""The rows below a handed-back sheet's header whose values size its columns."""


def hand_back(
    book: xlsxwriter.Workbook,
    formats: Formats,
    name: str,
    header_row: int,
    rows: Iterable[tuple[int, list[object]]],
) -> None:
    """A sheet of the export written back as read (a supporting sheet: 违规记录, 资质 …):
    each row at its own row number, the rows above the header too, so the report has it
    where a finding cites it (违规记录 row 5), and each cell with its own type as
    `Formats.writer` writes the merchant sheet's (text stays text, a formula-like start
    with the quote prefix; dates and times as date cells). The header row is bold, frozen
    and filtered; each column as wide as the header and the first rows below it need."""
    sheet = book.add_worksheet(_free_name(book, name))
    write_cell = formats.writer()
    put_text = sheet.write_string
    guarded, too_long = formats.guarded, formats.too_long
    widths: dict[int, float] = {}
    sampled_to = header_row + SAMPLED_ROWS
    header_width = last = 0
    for number, cells in rows:
        if number > MAX_ROWS:  # never from a workbook Excel can open
            break
        row = number - 1
        last = number
        if number == header_row:
            header_width = _header_cells(formats, sheet, row, cells)
        else:
            for column, value in enumerate(cells):  # text is most cells: written inline
                if type(value) is str:
                    if value:
                        fmt = guarded if value[0] in GUARDED_INITIALS else None
                        if put_text(row, column, value, fmt):
                            too_long(sheet, row, column, value, fmt)
                elif value is not None:
                    write_cell(sheet, row, column, value)
        if number <= sampled_to:
            for column, value in enumerate(cells):
                shown = _shown_width(value)
                if shown > widths.get(column, 0):
                    widths[column] = shown
    for column, shown in widths.items():
        if shown > DEFAULT_WIDTH:
            sheet.set_column(column, column, min(shown, 50))
    if header_width:
        sheet.freeze_panes(header_row, 0)
        sheet.autofilter(header_row - 1, 0, max(last, header_row + 1) - 1, header_width - 1)


DEFAULT_WIDTH = 8.43
"""Excel's column width when none is set."""


def _header_cells(formats: Formats, sheet: Worksheet, row: int, cells: list[object]) -> int:
    """The header row, bold; the columns up to its last named one."""
    write_cell = formats.writer()
    width = 0
    for column, value in enumerate(cells):
        if type(value) is str:
            formats.text(sheet, row, column, value, formats.header)
        elif value is not None:
            write_cell(sheet, row, column, value)
        if value != "" and value is not None:
            width = column + 1
    return width


def _shown_width(value: object) -> float:
    """The column width a cell needs to show whole, not as ######## or cut off."""
    if isinstance(value, datetime):
        return 19
    if isinstance(value, date):
        return 11
    if isinstance(value, str):
        return text_width(value.split("\n", 1)[0]) if value else 0
    if value is None or isinstance(value, bool):
        return 0
    return len(str(value)) + 1


def _free_name(book: xlsxwriter.Workbook, name: str) -> str:
    """`name` when it is one Excel takes and no sheet of the report has (in any case);
    else one that is: the report's own sheets keep their names."""
    taken = {sheet.get_name().casefold() for sheet in book.worksheets()}
    cleaned = _excel_name(name) or "sheet"
    found, number = cleaned, 1
    while found.casefold() in taken:
        number += 1
        found = f"{cleaned[:26]} ({number})"
    return found
