"""The CSV report: the same annotated rows as the Excel report's first sheet, in UTF-8 with
a BOM so that Excel shows the Chinese correctly.

A CSV cell has no type, so text that a spreadsheet would take for a formula (it starts
with =, +, -, @, a tab or a carriage return) is written with a leading apostrophe, the
usual guard (renewal.render.cells): Excel shows it as text. Reading the file back with a
CSV reader gives that apostrophe too; it is the price of not running a merchant's text.
Text of digits that a spreadsheet would change into another number (an id with a leading
zero, or longer than 15 digits) is written as `="…"` (`_KEPT_DIGITS`).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, time, timedelta
from typing import BinaryIO

from renewal.intake.columns import MERCHANT_COLUMNS
from renewal.intake.dates import from_1904
from renewal.model import MerchantResult
from renewal.render.annotated import (
    AnnotatedRenderer,
    Moments,
    annotation,
    headers,
    left_out,
)
from renewal.render.cells import guard_text
from renewal.report import ReportHeader


def text_of(value: object) -> str:
    """A cell as a spreadsheet would show it, guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, str):
        if (len(value) > 15 or value[:1] == "0") and _KEPT_DIGITS.fullmatch(value):
            return f'="{value}"'
        if value[:2] == '="' and _TEXT_KEPT.fullmatch(value):
            return value  # the export's own ="00012345", the same guard: kept as it came
        return guard_text(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        shown = value.replace(tzinfo=None)
        if shown.microsecond:
            shown = shown.replace(microsecond=0)
        return shown.isoformat(sep=" ")
    if isinstance(value, date | time | timedelta):
        return str(value)
    return text_of(str(value))


_KEPT_DIGITS = re.compile(r"0\d+|\d{16,}", re.ASCII)
"""Digits a spreadsheet opening the CSV would turn into a number and change: a leading zero
(00012345 becomes 12345) or more than 15 digits (a 19-digit id becomes 1.23E+18). Such text
is written as `="00012345"`, which Excel and LibreOffice keep as the text inside, and which
renewal reads back as that text, as it reads an export's."""


_TEXT_KEPT = re.compile(r'="[^"]*"')
"""A cell an export wrote as `="00012345"` so that Excel keeps it text: a formula that can
only give back the text inside, as the `="…"` this report writes for such digits. Written
as it came; an apostrophe before it would make the id read back as `="00012345"`, another
merchant (ex20 §3)."""


def _date_columns(header: ReportHeader) -> list[int]:
    """The export's columns that hold dates and moments."""
    kinds = {column.key: column.kind for column in MERCHANT_COLUMNS}
    dated = ("datetime", "date", "expiry")
    return [column for key, column in header.positions.items() if kinds.get(key) in dated]


class CsvRenderer(AnnotatedRenderer):
    """The annotated rows as CSV (see renewal.render.annotated)."""

    def write(
        self, stream: BinaryIO, summary: dict[str, object], fixes: dict[int, MerchantResult]
    ) -> None:
        header = self.header
        assert header is not None
        lang = header.lang
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=False)
        try:
            writer = csv.writer(text)
            own = self.own_header()
            width = len(own)
            appended = headers(lang)
            # no 应缴年费 in a year without a fee, no 原工作表 for rows of one sheet, as in the xlsx
            dropped = left_out(header)
            for at in dropped:
                del appended[at]
            writer.writerow([text_of(name) for name in own] + appended)
            moments = Moments()
            padding = [""] * width
            # a 1904 workbook's serials in its date columns, as the 1900 system holds them: a
            # CSV has no date system, and read again the report must give the same days
            shifted = _date_columns(header) if header.date1904 else []
            for result, cells in self.spool.replay(fixes):
                for column in shifted:
                    if column < len(cells):
                        cells[column] = from_1904(cells[column])
                row = [text_of(value) for value in cells]
                if len(row) < width:
                    row += padding[: width - len(row)]
                extra = annotation(result, lang, moments)
                for at in dropped:
                    del extra[at]
                row += [text_of(value) for value in extra]
                writer.writerow(row)
            text.flush()
        finally:
            text.detach()
