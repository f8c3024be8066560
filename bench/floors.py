"""Floors for bench/run.py: the least a process can do with the same file.

    python bench/floors.py calamine FILE.xlsx            every cell of every sheet
    python bench/floors.py csv FILE.csv [--encoding E]   csv.reader, every cell touched
    python bench/floors.py xlsx-write OUT.xlsx --shape '[[R, C, N], ...]'
                                                         xlsxwriter constant_memory

Each prints one JSON object on stdout: per sheet (one for a CSV), the rows and non-empty
cells it saw (and, for calamine, the widest row). Imports happen inside each subcommand so a floor pays only for what it uses, as the
checker pays for its own imports.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def calamine_floor(path: Path) -> dict[str, object]:
    """Open with python_calamine and turn every cell of every sheet into a Python value."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    sheets: list[dict[str, object]] = []
    for name in book.sheet_names:
        rows = cells = cols = 0
        for row in book.get_sheet_by_name(name).iter_rows():
            rows += 1
            cols = max(cols, len(row))
            for cell in row:
                if cell != "" and cell is not None:
                    cells += 1
        sheets.append({"name": name, "rows": rows, "cols": cols, "cells": cells})
    return {"sheets": sheets}


def csv_floor(path: Path, encoding: str) -> dict[str, object]:
    """csv.reader over the file, every cell compared once."""
    import csv

    rows = cells = 0
    with path.open(encoding=encoding, newline="") as handle:
        for row in csv.reader(handle):
            rows += 1
            for cell in row:
                if cell:
                    cells += 1
    return {"sheets": [{"name": path.name, "rows": rows, "cells": cells}]}


def xlsx_write_floor(path: Path, shape: list[tuple[int, int, int]]) -> dict[str, object]:
    """Write, with xlsxwriter constant_memory, as many rows and non-empty cells per sheet as
    `shape` gives ((rows, cols, cells) per sheet, as the calamine floor counts a report):
    text and numbers alternating, text about as long as a shop name or a finding, so the
    work resembles the report's."""
    import xlsxwriter

    texts = [f"锦素云青旗舰店{n:05d}，保证金不足，须在截止前补缴" for n in range(1000)]
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheets: list[dict[str, object]] = []
    for number, (rows, cols, cells) in enumerate(shape):
        sheet = workbook.add_worksheet(f"sheet{number}")
        per_row = max(1, min(cols, -(-cells // max(rows, 1))))  # the same cells, row by row
        left = cells
        for r in range(rows):
            for c in range(min(per_row, left)):
                if c % 3 == 2:
                    sheet.write_number(r, c, r * 0.5 + c)
                else:
                    sheet.write_string(r, c, texts[(r + c) % len(texts)])
            left -= min(per_row, left)
        sheets.append({"name": f"sheet{number}", "rows": rows, "cells": cells - left})
    workbook.close()
    return {"sheets": sheets}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    calamine = commands.add_parser("calamine")
    calamine.add_argument("path", type=Path)
    csv_parser = commands.add_parser("csv")
    csv_parser.add_argument("path", type=Path)
    csv_parser.add_argument("--encoding", default="utf-8-sig")
    write = commands.add_parser("xlsx-write")
    write.add_argument("path", type=Path)
    write.add_argument(
        "--shape", required=True, help="JSON [[rows, cols, cells], ...], one per sheet"
    )
    args = parser.parse_args(argv)
    if args.command == "calamine":
        counts = calamine_floor(args.path)
    elif args.command == "csv":
        counts = csv_floor(args.path, args.encoding)
    else:
        counts = xlsx_write_floor(args.path, [tuple(s) for s in json.loads(args.shape)])
    json.dump(counts, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
