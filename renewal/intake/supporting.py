"""The supporting sheets (违规记录, 资质): indexed by merchant id when the export is opened,
each row read when its merchant is."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from renewal.intake import values
from renewal.intake.columns import Column
from renewal.intake.header import Header, find_header
from renewal.intake.records import (
    HelperRows,
    ReadPlan,
    filled_unread,
    is_blank,
    is_example,
    only_unsaved_beside,
    read_plan,
    read_record,
)
from renewal.intake.tables import RawTable, fill_merged, merged_below, text_preview
from renewal.model import (
    CellProblem,
    Qualification,
    SourceRef,
    Violation,
    ViolationProblem,
    source_ref,
)

VIOLATION_KINDS = {
    "严重违规": "serious",
    "serious": "serious",
    "一般违规": "general",
    "general": "general",
}


def _choices(words: dict[str, str]) -> tuple[str, ...]:
    """One word per value, its first Chinese spelling: what a template's drop-down offers."""
    first: dict[str, str] = {}
    for word, value in words.items():
        if word and not word.isascii():
            first.setdefault(value, word)
    return tuple(first.values())


VIOLATION_KIND_CHOICES = _choices(VIOLATION_KINDS)


APPEAL_STATE_CHOICES = _choices(values.APPEAL_STATES)


@dataclass
class SheetPart:
    """One sheet of a supporting table: a table split over 资质, 资质2, … has several."""

    name: str
    header: Header
    plan: ReadPlan
    merged: tuple[str, ...] = ()
    """The merged areas below the header whose value was read on each of their rows."""
    unsaved: tuple[str, ...] = ()
    """Its formula cells without a saved result, each unreadable (tables.unread_cells)."""
    helper_rows: HelperRows = field(default_factory=HelperRows)
    """Its rows with something only in columns renewal does not read (a 序号 numbered down
    past the records): no one's record, so not listed as unmatched rows either."""


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


def index_sheets(
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
        merged = merged_below(table, header.row)
        if merged:  # a merchant id merged over its several records reads on each of them
            rows = fill_merged(rows, merged)
        # the id is read here, once; a row's other cells when its merchant's row is
        others = tuple(c for c in columns if c.key != "merchant_id")
        names = tuple(area.name for area in merged)
        plan = read_plan(header, others, table.date1904)
        part_of = SheetPart(table.name, header, plan, names, table.unsaved)
        parts.append(part_of)
        id_index = header.positions["merchant_id"]
        read_at = tuple(header.positions.values())
        totals = {  # an Excel Table's totals row: its COUNT under 商家ID is no merchant's
            row
            for area in table.totals
            if area.first <= id_index <= area.last
            for row in range(area.first_row, area.last_row + 1)
        }
        for number, cells in rows:
            if totals and number in totals:
                continue
            raw = cells[id_index] if id_index < len(cells) else ""
            merchant_id: str | None = None
            if type(raw) is str and raw.isdigit() and raw.isascii():
                merchant_id = raw  # the usual id, as parse_id would give it back
            elif raw not in ("", None):
                try:
                    merchant_id = values.parse_id(raw)
                except values.Unreadable:
                    merchant_id = None
                if is_example(raw):
                    continue
            if merchant_id is None:
                if is_blank(cells) or only_unsaved_beside(cells, header):
                    continue
                filled = filled_unread(cells, read_at)
                if filled is None:
                    orphans.append(source_ref(table.name, number, header.texts["merchant_id"]))
                else:
                    part_of.helper_rows.add(number, filled)
                continue
            index.setdefault(merchant_id, []).append((part, number, cells))
    return Supporting(parts, index, orphans, parse)


def violation_from(part: SheetPart, number: int, cells: list[object]) -> Violation | CellProblem:
    record, bad = read_record(cells, part.plan)
    kind = VIOLATION_KINDS.get(str(record.get("violation_type", "")).strip())
    appeal = values.appeal_state(record.get("appeal_status"))
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
        problem = _problem(part, number, bad)
        if appeal != "pending":  # nearly every bad row
            return problem
        # an appeal typed on a row of its own: its 申诉中 still refuses the transfer (TB01)
        column = part.header.texts.get("appeal_status")
        return ViolationProblem(
            problem.source,
            problem.raw,
            problem.reason,
            source_ref(part.name, number, column),
            record.get("penalized_on"),
        )
    ref = source_ref(part.name, number, part.header.texts.get("points"))
    return Violation(record["penalized_on"], kind, record["points"], appeal, ref)


def qualification_from(
    part: SheetPart, number: int, cells: list[object]
) -> Qualification | CellProblem:
    record, bad = read_record(cells, part.plan)
    if "expires_on" not in record and "expires_on" not in bad:
        bad["expires_on"] = ("", "blank")
    if bad:
        return _problem(part, number, bad)
    ref = source_ref(part.name, number, part.header.texts.get("expires_on"))
    kind = record.get("qualification_type") or ""
    return Qualification(str(kind), record.get("certificate_no"), record["expires_on"], ref)
