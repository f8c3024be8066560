"""Finding a table's header: the first rows are searched for the one that names every
required column, so a title line above it does no harm; a header over two rows (a merged
group heading above its columns) is read as one."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from renewal import i18n
from renewal.intake.columns import (
    MERCHANT_COLUMNS,
    REPORT_COLUMNS,
    Column,
    alias_table,
    normalize_header,
    read_header,
)
from renewal.intake.tables import IntakeError, RawTable, Row
from renewal.intake.workbook_facts import column_letter

HEADER_SEARCH_ROWS = 30

_MERCHANT_ALIASES = alias_table(MERCHANT_COLUMNS)


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
    report_columns_at: int | None = None
    """Where an earlier check's result columns begin, when the table is renewal's own
    report checked again (0-based): the cells from there on are not export data."""
    scales: dict[str, int] = field(default_factory=dict)
    """field -> yuan per unit, for an amount column whose header writes its amounts in 万元
    or 千元 (10,000, 1,000): decided here, once, so that reading its cells
    (`records.read_plan`) costs nothing more, and any other column reads as ever."""
    first_column: int = 0
    """The sheet's first used column (RawTable.first_column), for the columns' letters."""
    top: int | None = None
    """The first of the header's rows when it takes two, `row` being the last (a template's
    hidden row of English keys under its names; a group label over its sub-headers): the
    row the user reads the header on. None when the header is the one row `row`."""

    @property
    def shown_row(self) -> int:
        """The row a message names as the header's: its first, where the user reads it."""
        return self.row if self.top is None else self.top

    def letter(self, index: int) -> str:
        """The letter of the column at `index` of a row, as Excel shows it above the sheet."""
        return column_letter(self.first_column + index)

    def unit_notes(self) -> list[tuple[str, dict[str, object]]]:
        """A note naming the amount columns read in 万元 (or, in another, in 千元), with the
        factor: an amount read as ten thousand times what the cell shows is said once, so
        that a user who sees ¥50,000 where the sheet shows 5 knows why."""
        notes: list[tuple[str, dict[str, object]]] = []
        for factor in sorted(set(self.scales.values()), reverse=True):
            keys = sorted(
                (key for key, f in self.scales.items() if f == factor),
                key=self.positions.__getitem__,
            )
            values: dict[str, object] = {
                "sheet": self.sheet,
                "letters": [self.letter(self.positions[key]) for key in keys],
                "columns": [self.texts[key] for key in keys],
                "count": len(keys),
                "factor": factor,
            }
            notes.append(("note.scaled_columns", values))
        return notes

    def spelt_again(self, path: Path, number: int, cells: list[object]) -> bool:
        """Whether a row below the header is a header itself, as where a second export was
        pasted under the first. Only a row whose 商家ID cell is not a number is asked, and
        one whose 商家ID cell is not a column's name costs one lookup.

        It is this header again (True: not a merchant) when it names the required columns
        and every column it names is where this header has it; extra or missing columns
        that are not read do not matter. Naming them in other places (the second export's
        columns in another order) refuses the file, naming both rows: every row below would
        be read under the wrong names. So does writing an amount column in another unit
        (保证金余额 under 保证金余额（万元）): the rows below would be read in this one's."""
        position = self.positions["merchant_id"]
        cell = cells[position] if position < len(cells) else None
        aliases = _MERCHANT_ALIASES
        # the cheap test first: a name without what trails it (商家ID of 商家ID（必填）)
        if not isinstance(cell, str) or normalize_header(cell) not in aliases:
            return False
        named: dict[str, int] = {}
        moved = False
        unit: tuple[int, str] | None = None  # the first column in place in another unit
        for index, value in enumerate(cells):
            if value in ("", None):
                continue
            if not isinstance(value, str):
                return False  # a number or a date: data, not a header
            heading = read_header(value, aliases)
            column = heading.column
            if column is None:
                continue
            named[column.key] = index
            if self.positions.get(column.key) != index:
                # a group label of a two-row header (保证金 over 应缴 | 余额) is in place
                # where this header's name there begins with it
                name = normalize_header(value)
                here = normalize_header(self.names[index]) if index < len(self.names) else ""
                moved = moved or not (here.startswith(name) and here != name)
            elif unit is None and (
                heading.foreign or heading.factor != self.scales.get(column.key, 1)
            ):
                unit = index, value.strip()
        if not all(key in named for key in ("merchant_id", "contract_signed_at")):
            return False
        if moved:
            raise IntakeError(
                "intake.other_layout", path=path, sheet=self.sheet, row=number, header=self.row
            )
        if unit is not None:
            index, text = unit
            raise IntakeError(
                "intake.other_units",
                path=path,
                sheet=self.sheet,
                row=number,
                header=self.row,
                letter=self.letter(index),
                column=text,
                first=self.names[index],
            )
        return True


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
        cut = report_columns_at(cells)
        width = len(cells)
        if cut is not None:
            cells = cells[:cut]
        headings = (read_header(str(c), aliases) for c in cells if c not in (None, ""))
        matched = {heading.column.key for heading in headings if heading.column is not None}
        if best is None or len(matched) > best[0]:
            best = (len(matched), number, cells)
        if all(c.key in matched for c in required):
            header = _header(path, table, number, cells, aliases)
            header.report_columns_at = cut
            if cut is not None:  # before the next row is read: its line breaks are the report's
                table.spanning.report_columns = (cut, width)
            following = next(table.rows, None)
            if following is None:
                return header, table.rows
            if _repeats_header(header, following[1], aliases):
                # the same header spelt again (a template's hidden row of English keys):
                # part of the header, whose names stay the first row's
                header.top, header.row = header.row, following[0]
                return header, table.rows
            combined = _two_row_header(path, table, header, cells, following, aliases)
            if combined is not None:
                combined.report_columns_at = cut
                combined.top = header.row
                return combined, table.rows
            return header, itertools.chain([following], table.rows)
        if number >= HEADER_SEARCH_ROWS:
            break
    if best is None:
        raise IntakeError("intake.sheet_empty", path=path, sheet=table.name)
    if best[0] == 0:
        names = [c.header for c in required]
        raise IntakeError(
            "intake.no_header", path=path, sheet=table.name, names=names, rows=HEADER_SEARCH_ROWS
        )
    header = _header(path, table, best[1], best[2], aliases)
    missing = [c for c in required if c.key not in header.positions]
    names = [f"{c.header} ({c.key})" for c in missing]
    raise IntakeError(
        "intake.missing_column", path=path, sheet=table.name, row=best[1], names=names
    )


def _report_headers() -> tuple[tuple[str, ...], ...]:
    """The appended columns' headers as each language writes them, compared folded: the
    xlsx and CSV reports leave out 应缴年费 in a year without an annual fee, and 原工作表
    when every merchant row is on one sheet (nearly always), so each is looked for with
    and without either."""
    return tuple(
        tuple(
            normalize_header(i18n.catalog(lang)[f"annotated.{key}"])
            for key in REPORT_COLUMNS
            if key not in left_out
        )
        for left_out in (
            ("source_sheet",),
            ("fee_due", "source_sheet"),
            (),
            ("fee_due",),
        )
        for lang in ("zh", "en")
    )


_REPORT_HEADERS = _report_headers()


def report_columns_at(cells: list[object]) -> int | None:
    """Where renewal's own result columns (检查结果 … 原行号, in order: with or without
    应缴年费 and 原工作表, see `_report_headers`) begin in a header row: the table is a
    report being checked again, say after fixing values in it, and those columns are an
    earlier verdict, not data. None for an export."""
    for start in range(len(cells)):
        cell = cells[start]
        if not isinstance(cell, str):
            continue
        first = normalize_header(cell)
        for names in _REPORT_HEADERS:
            width = len(names)
            if first == names[0] and start + width <= len(cells) and all(
                isinstance(cells[start + offset], str)
                and normalize_header(str(cells[start + offset])) == names[offset]
                for offset in range(1, width)
            ):
                return start
    return None


def _repeats_header(header: Header, cells: list[object], aliases: dict[str, Column]) -> bool:
    """The row names, cell for cell, the columns the header row names (in other words: 商家ID
    over merchant_id), in the same units, and nothing else."""
    named = 0
    for index, cell in enumerate(cells):
        if cell in ("", None):
            continue
        if not isinstance(cell, str):
            return False
        heading = read_header(cell, aliases)
        column = heading.column
        if column is None or header.positions.get(column.key) != index:
            return False
        if heading.foreign or heading.factor != header.scales.get(column.key, 1):
            return False
        named += 1
    return named == len(header.positions)


def _two_row_header(
    path: Path,
    table: RawTable,
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
        if read_header(parent + str(child), aliases).column is not None:
            names[index] = parent + str(child)
            joined = True
        else:
            names[index] = child
    return _header(path, table, number, names, aliases) if joined else None


def _header(
    path: Path, table: RawTable, number: int, cells: list[object], aliases: dict[str, Column]
) -> Header:
    """The header at row `number`. Two columns that are one field refuse the file, as does
    an amount column in another currency than the yuan: no cell of it could be read right.
    Both say the columns as the export spells them, with their letters."""
    positions: dict[str, int] = {}
    texts: dict[str, str] = {}
    scales: dict[str, int] = {}
    start = table.first_column
    for index, cell in enumerate(cells):
        if cell in (None, ""):
            continue
        heading = read_header(str(cell), aliases)
        column = heading.column
        if column is None:
            continue
        text = str(cell).strip()
        if column.key in positions:
            raise IntakeError(
                "intake.duplicate_column",
                path=path,
                sheet=table.name,
                row=number,
                column=column.header,
                first=texts[column.key],
                first_letter=column_letter(start + positions[column.key]),
                second=text,
                second_letter=column_letter(start + index),
            )
        if heading.foreign:
            raise IntakeError(
                "intake.not_yuan",
                path=path,
                sheet=table.name,
                row=number,
                column=text,
                letter=column_letter(start + index),
            )
        positions[column.key] = index
        texts[column.key] = text
        if heading.factor != 1:
            scales[column.key] = heading.factor
    names = tuple("" if cell in (None, "") else str(cell).strip() for cell in cells)
    return Header(
        table.name, number, positions, texts, names, scales=scales, first_column=start
    )
