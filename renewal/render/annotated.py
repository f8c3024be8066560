"""The annotated export: the user's own merchant rows handed back, every column in place,
with the verdict in columns appended after them. The xlsx and CSV reports are two views of
it.

Rows found at the end to carry a duplicated id change their verdict after they were
seen, so the rows are spooled to a scratch file and laid out once the run is over (which
also gives the widest row before the appended columns are placed).

A workbook export's supporting sheets (违规记录, 资质 and their continuations) are handed
back too, by the xlsx report, so that the report checked again judges with them: read
again from the export when the report is written (`SupportingSheets`), not held from
intake until then (at a million merchants, their rows are better let go once checked).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from renewal import i18n
from renewal.intake.columns import REPORT_COLUMNS
from renewal.intake.tables import (
    IntakeError,
    RawTable,
    Row,
    Workbook,
    file_digest,
    fill_merged,
    in_thread,
    merged_below,
)
from renewal.model import MerchantResult
from renewal.render.evidence import one_line
from renewal.render.output import scratch_file, write_report
from renewal.report import ReportHeader
from renewal.timeutil import BEIJING

APPENDED = REPORT_COLUMNS
"""The appended columns, in order; their headers are the catalogue's `annotated.*` texts."""

PROBLEM_STATUSES = ("error", "fail", "warn", "waived")
"""The findings a row's 问题 cell lists, one line each."""


def headers(lang: str) -> list[str]:
    texts = i18n.catalog(lang)
    return [texts[f"annotated.{key}"] for key in APPENDED]


def without_fee(header: ReportHeader) -> int | None:
    """Where 应缴年费 stands among the appended columns when the report leaves it out: in a
    year without an annual fee (2025年度) it would be 0 on every row, which reads as
    "nothing owed" where some categories still pay a software fee that no source names.
    The xlsx and CSV reports drop it alike (a report without it checked again is still
    known as a report: renewal.intake.header). None in a year with a fee."""
    return None if header.has_fee() else APPENDED.index("fee_due")


def without_sheet(header: ReportHeader) -> int | None:
    """Where 原工作表 stands among the appended columns when the report leaves it out: when
    every merchant row is on one sheet, as in nearly every export, 原行号 alone finds the
    row, and the report stays as it always was. Rows read from 商家 and 商家 (2) … are
    numbered on each sheet from its own header, so there each row's sheet stands before its
    number. None when the rows came from more than one sheet."""
    return None if header.several_sheets() else APPENDED.index("source_sheet")


def left_out(header: ReportHeader) -> list[int]:
    """The appended columns the xlsx and CSV reports leave out, by their place among
    APPENDED, the last first: deleted in this order, each leaves the others' places."""
    return [at for at in (without_sheet(header), without_fee(header)) if at is not None]


def problems(result: MerchantResult) -> str:
    """The failed, warned, waived and unreadable rules, one line each (a line break inside
    a message, from an id typed with one, shows as ⏎: a line is a rule). The transfer
    test's own failure is the 可转淘宝企业店 column, not a renewal problem."""
    return "\n".join(
        f"{found['rule']} {one_line(found['message'])}"
        for found in result["findings"]
        if found["status"] in PROBLEM_STATUSES
        and not (found["rule"] == "TB01" and found["status"] != "error")
    )


class Moments:
    """Report times (ISO text with the Beijing offset) as naive Beijing times, as a
    spreadsheet shows them; a run has few distinct deadlines, so each is parsed once."""

    def __init__(self) -> None:
        self._seen: dict[str, datetime] = {}

    def __call__(self, value: object) -> datetime | None:
        if isinstance(value, datetime):  # a duplicate row's replacement is not decoded
            return _naive(value)
        if not isinstance(value, str):
            return None
        found = self._seen.get(value)
        if found is None:
            found = self._seen[value] = _naive(datetime.fromisoformat(value))
        return found


def _naive(moment: datetime) -> datetime:
    return moment.astimezone(BEIJING).replace(tzinfo=None) if moment.tzinfo else moment


def annotation(result: MerchantResult, lang: str, moments: Moments) -> list[Any]:
    """The appended cells of one merchant row, typed (numbers, a naive Beijing time), one
    for each of APPENDED: a report deletes those it leaves out (`left_out`)."""
    texts = i18n.catalog(lang)
    eligible = result["transfer_eligible"]
    return [
        i18n.outcome_label(result["outcome"], lang),
        problems(result),
        result["deposit_shortfall"],
        result["annual_fee_due"],
        moments(result["deadline"]),
        _time_left(result, texts, lang),
        "" if eligible is None else texts["annotated.yes" if eligible else "annotated.no"],
        result["next_action"] or "",
        result["sheet"],
        result["row"],
    ]


def _time_left(result: MerchantResult, texts: dict[str, str], lang: str) -> str:
    """The time left as a person counts it (`i18n.time_left`), marked when it is under
    --due-soon (at the deadline itself it reads 现在截止 / due now, unmarked)."""
    seconds = result["time_left_seconds"]
    left = i18n.time_left(seconds, lang)
    if i18n.marked_due_soon(seconds, bool(result.get("due_soon"))):
        return texts["annotated.due_soon"].format(left=left)
    return left


def source_text(source: dict[str, Any] | None, lang: str) -> str:
    if not source:
        return ""
    texts = i18n.catalog(lang)
    if source.get("column"):
        return texts["annotated.source"].format(**source)
    return texts["annotated.source_row_only"].format(**source)


class Spool:
    """Every merchant's JSON line and raw cells, on disk until the run is over."""

    BATCH = 1000

    def __init__(self, near: Path | None) -> None:
        self._scratch = scratch_file(near)
        self._stream: BinaryIO = self._scratch.__enter__()
        self._batch: list[tuple[bytes, list[object] | None]] = []
        self.count = 0
        self.width = 0
        """The most cells in any row: the appended columns start after it."""

    def add(self, line: bytes, cells: list[object] | None) -> None:
        self._batch.append((line, cells))
        self.count += 1
        if cells is not None and len(cells) > self.width:
            self.width = len(cells)
        if len(self._batch) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            pickle.dump(self._batch, self._stream, protocol=pickle.HIGHEST_PROTOCOL)
            self._batch = []

    def replay(
        self, fixes: dict[int, MerchantResult]
    ) -> Iterator[tuple[MerchantResult, list[object]]]:
        """Each merchant in input order: its result (a duplicate row's replacement swapped in,
        keeping the row's shop name) and its raw cells."""
        self._flush()
        self._stream.seek(0)
        index = 0
        loads = orjson.loads
        while True:
            try:
                batch = pickle.load(self._stream)
            except EOFError:
                return
            for line, cells in batch:
                result: MerchantResult = loads(line)
                fix = fixes.get(index)
                if fix is not None:
                    result = {**fix, "shop_name": result["shop_name"]}  # a copy: fixes are shared
                yield result, cells if cells is not None else []
                index += 1

    def close(self) -> None:
        self._scratch.__exit__(None, None, None)


class AnnotatedRenderer:
    """What the xlsx and CSV reports share: each merchant's line and raw cells spooled
    until the run is over; `write` lays them out."""

    wants_cells = True
    wants_shop_names = False

    def __init__(self, target: Path | None) -> None:
        self.target = target
        self.spool = Spool(target)
        self.header: ReportHeader | None = None

    def begin(self, header: ReportHeader) -> None:
        self.header = header

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None:
        self.spool.add(line, cells)

    def own_header(self) -> list[str]:
        """The export's header, padded to the widest row: the appended columns follow it."""
        assert self.header is not None
        names = list(self.header.columns)
        return names + [""] * (self.spool.width - len(names))

    def finish(self, summary: dict[str, object], fixes: dict[int, MerchantResult]) -> None:
        try:
            write_report(self.target, lambda stream: self.write(stream, summary, fixes))
        finally:
            self.spool.close()

    def write(
        self, stream: BinaryIO, summary: dict[str, object], fixes: dict[int, MerchantResult]
    ) -> None:
        raise NotImplementedError


class SupportingSheets:
    """The export's supporting sheets, read again from the export as intake read them
    (python-calamine, error cells and formulas without a saved result in place, a merged
    area below the header holding its value on each of its rows), one at a time: each
    sheet's rows are iterated once and let go before the next sheet is parsed.

    The first sheet is parsed in a thread from the start (calamine parses without the GIL),
    while the merchant rows are written. Once the last sheet is read, the export's bytes
    must still be the run's (its SHA-256): sheets read from a file saved over during the
    run would not be the ones its merchants were judged with."""

    def __init__(self, header: ReportHeader) -> None:
        self.path = header.source
        self.sheets = header.supporting if header.source is not None else ()
        self.sha256 = header.input.get("sha256")
        self._book: Workbook | None = None
        self._pending = self._parse(0) if self.sheets else None

    def _parse(self, index: int) -> Callable[[], RawTable]:
        name = self.sheets[index][0]

        def parse() -> RawTable:
            assert self.path is not None
            try:
                if self._book is None:
                    self._book = Workbook(self.path)
                return self._book.table(name)
            except (IntakeError, OSError):
                self._refuse_if_changed()
                raise

        return in_thread(parse)

    def each(self, write: Callable[[str, int, Iterator[Row]], None]) -> None:
        """`write(name, header row, rows)` for each sheet in the order read, a row being
        (row number, cells); a sheet is let go before the next one is parsed."""
        for index, (name, header_row) in enumerate(self.sheets):
            assert self._pending is not None
            table = self._pending()
            self._pending = None
            merged = merged_below(table, header_row)
            write(name, header_row, fill_merged(table.rows, merged) if merged else table.rows)
            del table
            if index + 1 < len(self.sheets):
                self._pending = self._parse(index + 1)
        self._book = None
        if self.sheets:
            self._refuse_if_changed()

    def _refuse_if_changed(self) -> None:
        assert self.path is not None
        try:
            unchanged = file_digest(self.path)[1] == self.sha256
        except OSError:
            unchanged = False
        if not unchanged:
            raise IntakeError("intake.changed", path=self.path) from None
