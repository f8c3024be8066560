"""The CSV report: the same annotated rows as the Excel report's first sheet, in UTF-8 with
a BOM so that Excel shows the Chinese correctly.

A CSV cell has no type, so text that a spreadsheet would take for a formula (it starts
with =, +, -, @, a tab or a carriage return) is written with a leading apostrophe, the
usual guard (renewal.render.cells): Excel shows it as text. Reading the file back with a
CSV reader gives that apostrophe too; it is the price of not running a merchant's text.
"""

from __future__ import annotations

import csv
import io
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import BinaryIO

from renewal.model import MerchantResult
from renewal.render.annotated import Moments, Spool, annotation, headers
from renewal.render.cells import guard_text
from renewal.render.output import atomic_file
from renewal.report import ReportHeader


def text_of(value: object) -> str:
    """A cell as a spreadsheet would show it, guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, str):
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


class CsvRenderer:
    """The annotated rows as CSV, laid out when the run is over (see renewal.render.annotated)."""

    wants_cells = True

    def __init__(self, target: Path | None) -> None:
        self.target = target
        self.spool = Spool(target)
        self.header: ReportHeader | None = None

    def begin(self, header: ReportHeader) -> None:
        self.header = header

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None:
        self.spool.add(line, cells)

    def finish(self, summary: dict[str, object], fixes: dict[int, MerchantResult]) -> None:
        try:
            if self.target is None:
                self._write(sys.stdout.buffer, fixes)
                sys.stdout.buffer.flush()
            else:
                with atomic_file(self.target) as stream:
                    self._write(stream, fixes)
        finally:
            self.spool.close()

    def _write(self, stream: BinaryIO, fixes: dict[int, MerchantResult]) -> None:
        header = self.header
        assert header is not None
        lang = header.lang
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=False)
        try:
            writer = csv.writer(text)
            width = max(self.spool.width, len(header.columns))
            own = [*header.columns, *[""] * (width - len(header.columns))]
            writer.writerow([text_of(name) for name in own] + headers(lang))
            moments = Moments()
            padding = [""] * width
            for result, cells in self.spool.replay(fixes):
                row = [text_of(value) for value in cells]
                if len(row) < width:
                    row += padding[: width - len(row)]
                row += [text_of(value) for value in annotation(result, lang, moments)]
                writer.writerow(row)
            text.flush()
        finally:
            text.detach()
