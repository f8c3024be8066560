"""From a spreadsheet export to typed `Merchant` records.

The header row is found by content (the first rows are searched for the required headers),
so a title line above it does no harm. The supporting sheets (违规记录, 资质) are read
first and indexed by merchant id; the merchant sheet is then streamed, one `Merchant` per
non-blank row, so a million-row CSV never sits in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import re
import threading
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from renewal.intake import values
from renewal.intake.columns import (
    BLOCKER_FIELDS,
    MERCHANT_COLUMNS,
    MERCHANT_SHEETS,
    QUALIFICATION_COLUMNS,
    QUALIFICATION_SHEETS,
    VIOLATION_COLUMNS,
    VIOLATION_SHEETS,
    Column,
    alias_table,
    normalize_header,
    normalize_sheet,
)
from renewal.intake.tables import (
    DEFAULT_MAX_INFLATED_MB,
    IntakeError,
    RawTable,
    Row,
    Workbook,
    formulas_without_values,
    guard_archive,
    is_workbook,
    read_csv,
    text_preview,
)
from renewal.model import CellProblem, Merchant, Qualification, SourceRef, Violation, source_ref

HEADER_SEARCH_ROWS = 30

PARSERS: dict[str, Callable[[object], Any]] = {
    "id": values.parse_id,
    "text": values.parse_text,
    "datetime": values.parse_datetime,
    "date": values.parse_date,
    "amount": values.parse_amount,
    "points": values.parse_points,
    "score": values.parse_score,
    "bool": values.parse_bool,
    "trademark": values.parse_trademark,
}

VIOLATION_KINDS = {
    "严重违规": "serious",
    "serious": "serious",
    "一般违规": "general",
    "general": "general",
}
APPEAL_STATES = {
    "": "none",
    "无": "none",
    "none": "none",
    "未申诉": "none",
    "申诉中": "pending",
    "pending": "pending",
    "申诉成功": "succeeded",
    "succeeded": "succeeded",
    "申诉失败": "failed",
    "failed": "failed",
    "申诉驳回": "failed",
}


def _choices(words: dict[str, str]) -> tuple[str, ...]:
    """One word per value, its first Chinese spelling: what a template's drop-down offers."""
    first: dict[str, str] = {}
    for word, value in words.items():
        if word and not word.isascii():
            first.setdefault(value, word)
    return tuple(first.values())


VIOLATION_KIND_CHOICES = _choices(VIOLATION_KINDS)
APPEAL_STATE_CHOICES = _choices(APPEAL_STATES)

EXAMPLE_ID = "示例"
"""The 商家ID of a template's example row. A row whose 商家ID is this word (or `example`)
is not a merchant: it is skipped like a note line. A real merchant id is a number."""
_EXAMPLE_IDS = frozenset({EXAMPLE_ID, "example"})


@dataclass
class Header:
    """Where a table's header is and which column holds which field."""

    sheet: str
    row: int
    positions: dict[str, int]
    """field -> 0-based column index"""
    texts: dict[str, str]
    """field -> the header text as written in the export"""
    names: tuple[str, ...] = ()
    """Every header cell in column order, as written (blank for an unnamed column): the
    columns an annotated report hands back."""


@dataclass
class Export:
    """An opened export: where its merchant rows are, and what is known about it.

    `rows()` gives the raw rows after the header and `merchant_from()` turns one into a
    `Merchant`, so rows can be split between processes; `merchants` does both in one go.
    """

    path: Path
    size: int
    sha256: str
    kind: str  # "xlsx" | "csv"
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
    """Lines that are not merchants: a 合计/总计 line, the lines after it, notes, and a
    template's example row."""
    ended_at: int | None = None
    """The row of the 合计/总计 line, if any: the data ends there."""
    attached: set[str] = field(default_factory=set)
    """Merchant ids that supporting rows were attached to."""
    filled: set[str] = field(default_factory=set)
    """The blocker fields (BLOCKER_FIELDS) some merchant row holds something in, read or
    not: a blocker column the year does not know is worth a note only when it is used."""
    watching: set[str] = field(default_factory=set)
    """The blocker fields the export has and no row has filled yet."""
    _after_header: Iterator[Row] | None = None
    plan: ReadPlan = field(default_factory=list)

    def note_end(self, number: int, cells: list[object]) -> None:
        """Watch for the 合计/总计 line in rows read but not checked (another worker's)."""
        if self.ended_at is None:
            first = _first_text(cells)
            if first and first[0] in _MARKER_INITIALS and _is_total(cells):
                self.ended_at = number

    def merchant_from(self, number: int, cells: list[object]) -> Merchant | None:
        """One merchant row, typed and joined with its supporting rows; None for a line that
        is not a merchant (blank, a note, a 合计/总计 line or anything after it, a
        template's example row)."""
        if self.ended_at is not None and number >= self.ended_at:
            self.skipped_lines += 1
            return None
        id_index = self.header.positions["merchant_id"]
        id_cell = cells[id_index] if len(cells) > id_index else None
        # Most rows have an id: only a row without one is checked for being blank.
        if id_cell == "" or id_cell is None:
            if _is_blank(cells):
                self.blank_rows += 1
                return None
        elif type(id_cell) is str and not id_cell.isdigit() and _is_example(id_cell):
            self.skipped_lines += 1
            return None
        first = _first_text(cells)
        if first and first[0] in _MARKER_INITIALS:  # cheap test first: most rows are merchants
            if _is_total(cells):
                self.ended_at = number
                self.skipped_lines += 1
                return None
            if _is_note(cells):
                self.skipped_lines += 1
                return None
        self.rows_read += 1
        record, bad = _read_record(cells, self.plan)
        if self.watching:  # nearly always empty: few exports have blocker columns
            used = {name for name in self.watching if name in record or name in bad}
            self.filled |= used
            self.watching -= used
        merchant = Merchant.__new__(Merchant)
        state = merchant.__dict__  # the fast way in; see Merchant's docstring
        state.update(record)
        state["sheet"] = self.table.name
        state["row"] = number
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
            return rows
        return (row for row in self.table.reopen() if row[0] > self.header.row)

    @property
    def merchants(self) -> Iterator[Merchant]:
        for number, cells in self.rows():
            merchant = self.merchant_from(number, cells)
            if merchant is not None:
                yield merchant

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


def _digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            size += len(chunk)
            digest.update(chunk)
    return size, digest.hexdigest()


def find_header(
    path: Path, table: RawTable, columns: tuple[Column, ...]
) -> tuple[Header, Iterator[Row]]:
    """The header is the first row, within the first rows, that names every required column.

    Returns the header and the rest of the rows after it.
    """
    aliases = alias_table(columns)
    required = [c for c in columns if c.required]
    best: tuple[int, int, list[object]] | None = None
    for number, cells in table.rows:
        matched = {
            aliases[n].key
            for n in (normalize_header(str(c)) for c in cells if c not in (None, ""))
            if n in aliases
        }
        if best is None or len(matched) > best[0]:
            best = (len(matched), number, cells)
        if all(c.key in matched for c in required):
            header = _header(path, table.name, number, cells, aliases)
            following = next(table.rows, None)
            if following is None:
                return header, table.rows
            if _repeats_header(header, following[1], aliases):
                # the same header spelt again (a template's hidden row of English keys):
                # part of the header, whose names stay the first row's
                header.row = following[0]
                return header, table.rows
            combined = _two_row_header(path, table.name, header, cells, following, aliases)
            if combined is not None:
                return combined, table.rows
            return header, itertools.chain([following], table.rows)
        if number >= HEADER_SEARCH_ROWS:
            break
    if best is None:
        raise IntakeError("intake.sheet_empty", path=path, sheet=table.name)
    if best[0] == 0:
        names = "、".join(c.header for c in required)
        raise IntakeError(
            "intake.no_header", path=path, sheet=table.name, names=names, rows=HEADER_SEARCH_ROWS
        )
    header = _header(path, table.name, best[1], best[2], aliases)
    missing = [c for c in required if c.key not in header.positions]
    names = "、".join(f"{c.header} ({c.key})" for c in missing)
    raise IntakeError(
        "intake.missing_column", path=path, sheet=table.name, row=best[1], names=names
    )


def _repeats_header(header: Header, cells: list[object], aliases: dict[str, Column]) -> bool:
    """The row names, cell for cell, the columns the header row names (in other words: 商家ID
    over merchant_id), and nothing else."""
    named = 0
    for index, cell in enumerate(cells):
        if cell in ("", None):
            continue
        column = aliases.get(normalize_header(str(cell))) if isinstance(cell, str) else None
        if column is None or header.positions.get(column.key) != index:
            return False
        named += 1
    return named == len(header.positions)


def _two_row_header(
    path: Path,
    sheet: str,
    header: Header,
    top: list[object],
    below: Row,
    aliases: dict[str, Column],
) -> Header | None:
    """A header over two rows: a group label merged across sub-headers (保证金 over 应缴 |
    余额) reads as 保证金应缴 | 保证金余额. The row below counts as a second header row only
    when it holds text alone, nothing under 商家ID, and a parent+child name that is a
    known column; otherwise it is data. A merged cell's label stands in its first column,
    so each blank label is read as the one to its left."""
    number, cells = below
    id_position = header.positions["merchant_id"]
    if id_position < len(cells) and cells[id_position] not in ("", None):
        return None
    # a cell of spaces is blank: joined to its label it would only spell the label again
    filled = [
        (index, cell)
        for index, cell in enumerate(cells)
        if cell is not None and not (isinstance(cell, str) and not cell.strip())
    ]
    if not filled or not all(isinstance(cell, str) for _, cell in filled):
        return None
    parents: list[str] = []
    for cell in top:
        parents.append(
            str(cell).strip() if cell not in ("", None) else (parents[-1] if parents else "")
        )
    names: list[object] = [*top, *[""] * max(0, len(cells) - len(top))]
    joined = False
    for index, child in filled:
        parent = parents[index] if index < len(parents) else ""
        if normalize_header(parent + str(child)) in aliases:
            names[index] = parent + str(child)
            joined = True
        else:
            names[index] = child
    return _header(path, sheet, number, names, aliases) if joined else None


def _header(
    path: Path, sheet: str, number: int, cells: list[object], aliases: dict[str, Column]
) -> Header:
    positions: dict[str, int] = {}
    texts: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if cell in (None, ""):
            continue
        column = aliases.get(normalize_header(str(cell)))
        if column is None:
            continue
        if column.key in positions:
            raise IntakeError(
                "intake.duplicate_column",
                path=path,
                sheet=sheet,
                row=number,
                column=column.header,
                first=positions[column.key] + 1,
                second=index + 1,
            )
        positions[column.key] = index
        texts[column.key] = str(cell).strip()
    names = tuple("" if cell in (None, "") else str(cell).strip() for cell in cells)
    return Header(sheet, number, positions, texts, names)


ReadPlan = list[tuple[str, int, Callable[[object], Any], "dict[object, tuple[bool, Any]] | None"]]
"""Per field read: its key, its column, its parser, and the parser's memory (None for a
kind whose cells do not repeat)."""


def _read_record(
    cells: list[object], plan: ReadPlan
) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    found: dict[str, Any] = {}
    bad: dict[str, tuple[str, str]] = {}
    width = len(cells)
    for key, index, parse, seen in plan:
        if index >= width:
            continue
        raw = cells[index]
        if raw == "" or raw is None:
            continue
        # A remembered cell (the same fee, 是/否, store type) costs one lookup; the memory
        # is inline rather than a wrapper around `parse`, which cost a call per cell.
        # Only text and floats are remembered: they repeat, and neither is equal to a
        # value of another kind (a bool is never looked up, so True is not 1.0).
        if seen is not None and type(raw) in _REMEMBERED_TYPES:
            hit = seen.get(raw)
            if hit is None:
                hit = _parsed(parse, raw)
                if len(seen) < _REMEMBER_MAX:
                    seen[raw] = hit
        else:
            hit = _parsed(parse, raw)
        if not hit[0]:
            bad[key] = (text_preview(raw), hit[1])
        elif hit[1] is not None:
            found[key] = hit[1]
    return found, bad


def _parsed(parse: Callable[[object], Any], raw: object) -> tuple[bool, Any]:
    """(True, the value) or (False, why the cell is unreadable)."""
    try:
        return True, parse(raw)
    except values.Unreadable as exc:
        return False, str(exc)


def _plan(header: Header, columns: tuple[Column, ...]) -> ReadPlan:
    plan: ReadPlan = []
    for c in columns:
        if c.key in header.positions:
            repeats = c.kind in _REPEATING or c.key in _REPEATING_TEXT
            seen: dict[object, tuple[bool, Any]] | None = {} if repeats else None
            plan.append((c.key, header.positions[c.key], PARSERS[c.kind], seen))
    return plan


_REPEATING = frozenset({"datetime", "date", "amount", "points", "score", "bool", "trademark"})
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


_TOTAL = re.compile(r"(?:合计|总计|小计|总数|total)(?:$|[\s:：(（\d])")
"""A 合计/总计 word on its own, or followed by a separator or a count: not 'Totalcare旗舰店'."""
NOTE_MARKERS = ("注：", "注:", "注 ", "说明", "数据来源", "备注：", "备注:", "提示", "note:")
_MARKER_INITIALS = frozenset("合总小注說说数數备備提tTnN注")


def _first_text(cells: list[object]) -> str | None:
    """The first non-blank cell, when it is text and among the first few cells."""
    for cell in cells[:4]:
        if cell in ("", None):
            continue
        return cell.strip() if isinstance(cell, str) else None
    return None


def _is_total(cells: list[object]) -> bool:
    """A 合计/总计 line: the data ends here (what follows are totals and notes)."""
    first = _first_text(cells)
    if first is None:
        return False
    return _TOTAL.match(values.normalize_text(first).casefold()) is not None


def _is_note(cells: list[object]) -> bool:
    """A line whose only text is a note (注：…, 说明, 数据来源 …): not a merchant."""
    filled = [cell for cell in cells if cell not in ("", None)]
    if len(filled) != 1 or not isinstance(filled[0], str):
        return False
    return values.normalize_text(filled[0]).casefold().startswith(NOTE_MARKERS)


def _is_example(cell: object) -> bool:
    """The 商家ID of a template's example row: exactly 示例 (or `example`), nothing longer."""
    return isinstance(cell, str) and values.normalize_text(cell).casefold() in _EXAMPLE_IDS


def _is_blank(cells: list[object]) -> bool:
    return all(c == "" or c is None or (isinstance(c, str) and not c.strip()) for c in cells)


@dataclass
class SheetPart:
    """One sheet of a supporting table: a table split over 资质, 资质2, … has several."""

    name: str
    header: Header
    plan: ReadPlan


Record = TypeVar("Record", Violation, Qualification)


@dataclass
class Supporting(Generic[Record]):
    """A supporting table (违规记录, 资质) indexed by merchant id. Only the id is read up
    front; a row is parsed when its merchant is, which in a parallel run is in a worker."""

    parts: list[SheetPart]
    rows: dict[str, list[tuple[int, int, list[object]]]]
    """merchant id -> (part, row number, cells)"""
    unattributable: list[SourceRef]
    """Rows whose merchant id is blank or unreadable: they can belong to no merchant."""
    parse: Callable[[SheetPart, int, list[object]], Record | CellProblem]

    def records_of(
        self, merchant_id: str, attached: set[str]
    ) -> tuple[list[Record], tuple[CellProblem, ...]]:
        """The merchant's rows, read; the ones that cannot be read, as problems."""
        found: list[Record] = []
        problems: list[CellProblem] = []
        rows = self.rows.get(merchant_id)
        if rows:
            attached.add(merchant_id)
            for part, number, cells in rows:
                item = self.parse(self.parts[part], number, cells)
                if isinstance(item, CellProblem):
                    problems.append(item)
                else:
                    found.append(item)
        return found, tuple(problems)

    def refs_of(self, merchant_id: str) -> list[SourceRef]:
        found = self.rows.get(merchant_id, ())
        return [source_ref(self.parts[part].name, number) for part, number, _ in found]


def _problem(part: SheetPart, number: int, bad: dict[str, tuple[str, str]]) -> CellProblem:
    key, (raw, reason) = next(iter(bad.items()))
    where = source_ref(part.name, number, part.header.texts.get(key, key))
    return CellProblem(where, raw, reason)


def _index(
    path: Path,
    tables: Iterable[RawTable],
    columns: tuple[Column, ...],
    parse: Callable[[SheetPart, int, list[object]], Record | CellProblem],
) -> Supporting[Record]:
    index: dict[str, list[tuple[int, int, list[object]]]] = {}
    orphans: list[SourceRef] = []
    parts: list[SheetPart] = []
    for part, table in enumerate(tables):
        header, rows = find_header(path, table, columns)
        # the id is read here, once; a row's other cells when its merchant's row is
        others = tuple(c for c in columns if c.key != "merchant_id")
        parts.append(SheetPart(table.name, header, _plan(header, others)))
        id_index = header.positions["merchant_id"]
        for number, cells in rows:
            raw = cells[id_index] if id_index < len(cells) else ""
            merchant_id: str | None = None
            if type(raw) is str and raw.isdigit() and raw.isascii():
                merchant_id = raw  # the usual id, as parse_id would give it back
            elif raw not in ("", None):
                try:
                    merchant_id = values.parse_id(raw)
                except values.Unreadable:
                    merchant_id = None
                if _is_example(raw):
                    continue
            if merchant_id is None:
                if not _is_blank(cells):
                    orphans.append(source_ref(table.name, number, header.texts["merchant_id"]))
                continue
            index.setdefault(merchant_id, []).append((part, number, cells))
    return Supporting(parts, index, orphans, parse)


def _violation(part: SheetPart, number: int, cells: list[object]) -> Violation | CellProblem:
    record, bad = _read_record(cells, part.plan)
    kind = VIOLATION_KINDS.get(str(record.get("violation_type", "")).strip())
    appeal = APPEAL_STATES.get(str(record.get("appeal_status", "")).strip())
    if kind is None and "violation_type" not in bad:
        raw = text_preview(record.get("violation_type", ""))
        bad["violation_type"] = (raw, "expected 严重违规 or 一般违规")
    if appeal is None and "appeal_status" not in bad:
        raw = text_preview(record.get("appeal_status", ""))
        bad["appeal_status"] = (raw, "expected 无/申诉中/申诉成功/申诉失败")
    for key in ("penalized_on", "points"):
        if key not in record and key not in bad:
            bad[key] = ("", "blank")
    if bad or kind is None or appeal is None:
        return _problem(part, number, bad)
    ref = source_ref(part.name, number, part.header.texts.get("points"))
    return Violation(record["penalized_on"], kind, record["points"], appeal, ref)


def _qualification(
    part: SheetPart, number: int, cells: list[object]
) -> Qualification | CellProblem:
    record, bad = _read_record(cells, part.plan)
    if "expires_on" not in record and "expires_on" not in bad:
        bad["expires_on"] = ("", "blank")
    if bad:
        return _problem(part, number, bad)
    ref = source_ref(part.name, number, part.header.texts.get("expires_on"))
    kind = record.get("qualification_type") or ""
    return Qualification(str(kind), record.get("certificate_no"), record["expires_on"], ref)


def _in_thread(load: Callable[[str], RawTable], name: str) -> Callable[[], RawTable]:
    """Start `load(name)` in a thread; the returned function waits for its table (or
    raises what it raised). What a one-worker concurrent.futures pool would do, without
    its 20 ms import on every workbook check."""
    result: list[RawTable] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(load(name))
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="renewal-sheet", daemon=True)
    thread.start()

    def wait() -> RawTable:
        thread.join()
        if failure:
            raise failure[0]
        return result[0]

    return wait


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


def open_export(path: Path, max_inflated_mb: int = DEFAULT_MAX_INFLATED_MB) -> Export:
    """Open an export and prepare its merchant stream; raise IntakeError for an unusable file."""
    if not path.exists():
        raise IntakeError("intake.no_file", path=path)
    if path.is_dir():
        raise IntakeError("intake.is_dir", path=path)
    try:
        size, sha256 = _digest(path)
    except OSError as exc:
        raise IntakeError("intake.unreadable", path=path, reason=exc.strerror or exc) from exc
    if size == 0:
        raise IntakeError("intake.empty", path=path)

    violations: Supporting[Violation] | None = None
    qualifications: Supporting[Qualification] | None = None
    encoding: str | None = None
    if is_workbook(path):
        guard_archive(path, max_inflated_mb)
        book = Workbook(path)
        if not book.sheet_names:
            raise IntakeError("intake.no_sheets", path=path)
        sheet = _pick_sheet(book.sheet_names, MERCHANT_SHEETS) or book.sheet_names[0]
        violation_sheet = _pick_sheet(book.sheet_names, VIOLATION_SHEETS)
        qualification_sheet = _pick_sheet(book.sheet_names, QUALIFICATION_SHEETS)
        supporting = {violation_sheet, qualification_sheet} - {None, sheet}
        # calamine parses a sheet without holding the GIL: with supporting sheets to read
        # and index, the merchant sheet is parsed meanwhile in a thread, from a second
        # handle on the file (one handle parses one sheet at a time)
        loading = _in_thread(lambda name: Workbook(path).table(name), sheet) if supporting else None
        try:
            # each supporting sheet is parsed, indexed and let go before the next one:
            # the index holds the rows it needs, calamine's copy of the sheet can go
            if violation_sheet is not None and violation_sheet != sheet:
                names = _continuations(book.sheet_names, violation_sheet)
                violations = _index(path, map(book.table, names), VIOLATION_COLUMNS, _violation)
            if qualification_sheet is not None and qualification_sheet != sheet:
                names = _continuations(book.sheet_names, qualification_sheet)
                qualifications = _index(
                    path, map(book.table, names), QUALIFICATION_COLUMNS, _qualification
                )
        except BaseException:
            if loading is not None:
                with contextlib.suppress(BaseException):
                    loading()  # not left parsing in the background; this error is the one told
            raise
        table = book.table(sheet) if loading is None else loading()
        kind = "xlsx"
        if zipfile.is_zipfile(path):
            cells = formulas_without_values(path, sheet)
            if cells:
                shown = "、".join(cells[:10]) + (" …" if len(cells) > 10 else "")
                values_ = {"sheet": sheet, "count": len(cells), "cells": shown}
                export_notes = [("note.formulas", values_)]
            else:
                export_notes = []
        else:
            export_notes = []
    else:
        encoding, table = read_csv(path)
        kind = "csv"
        export_notes = []

    header, rows = find_header(path, table, MERCHANT_COLUMNS)
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
        notes=export_notes,
    )
    export.plan = _plan(header, MERCHANT_COLUMNS)
    export.watching = set(BLOCKER_FIELDS) & header.positions.keys()
    return export
