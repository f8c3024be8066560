"""The least work any checker must do per merchant to write renewal's report, with no rule
logic and no cell parsing: build a renewed merchant's result and its seven findings as
plain dicts, serialise them with orjson, write one line each. What is left of a target's
budget after this is what parsing cells and deciding verdicts may cost.

    python bench/least_work.py bench/data/export-100k.xlsx
    python bench/least_work.py bench/data/export-1m.csv

Prints the rows, the seconds to read them (the floor's work), and the best of three runs
of the least work, in total and per merchant, on one core.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson

BEIJING = timezone(timedelta(hours=8))
DEADLINE = datetime(2021, 12, 26, 18, tzinfo=BEIJING)
DONE = "已在续签期内完成续签报名"
SKIPPED = "已续签或无需续签，不适用"


def read_rows(path: Path) -> list[list[object]]:
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as lines:
            return list(csv.reader(lines))[1:]
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("商家")
    return list(sheet.iter_rows())[1:]


def result(cells: list[object], row: int) -> dict[str, object]:
    """A renewed merchant's report entry, shaped as renewal writes one."""
    findings: list[dict[str, object]] = []
    for rule in ("SC01", "DL01", "DL02", "DP01", "AF01"):
        source = {"sheet": "商家", "row": row, "column": "合同签署时间"}
        findings.append(
            {
                "rule": rule,
                "status": "pass",
                "message": DONE,
                "expected": DEADLINE,
                "actual": DEADLINE,
                "source": source,
                "owed": None,
                "remedy": None,
            }
        )
    for rule in ("QL01", "TB01"):
        findings.append(
            {
                "rule": rule,
                "status": "skip",
                "message": SKIPPED,
                "expected": None,
                "actual": None,
                "source": None,
                "owed": None,
                "remedy": None,
            }
        )
    return {
        "merchant_id": str(cells[0]),
        "row": row,
        "sheet": "商家",
        "shop_name": str(cells[1]),
        "outcome": "renewed",
        "transfer_eligible": None,
        "deposit_shortfall": 0.0,
        "annual_fee_due": 0.0,
        "deadline": DEADLINE,
        "time_left_seconds": None,
        "due_soon": False,
        "next_action": None,
        "findings": findings,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("export", type=Path)
    args = parser.parse_args()
    gc.disable()
    start = time.perf_counter()
    rows = read_rows(args.export)
    read = time.perf_counter() - start
    best = float("inf")
    for _ in range(3):
        handle, scratch = tempfile.mkstemp(suffix=".jsonl")  # a new file, as a run writes
        try:
            start = time.perf_counter()
            with os.fdopen(handle, "wb") as out:
                for row, cells in enumerate(rows, 2):
                    out.write(orjson.dumps(result(cells, row)) + b"\n")
            best = min(best, time.perf_counter() - start)
        finally:
            os.unlink(scratch)
    print(
        f"{args.export.name}: {len(rows)} rows, read in {read:.2f} s; least work "
        f"{best:.2f} s, {best / len(rows) * 1e6:.1f} µs a merchant (one core, best of 3)"
    )


if __name__ == "__main__":
    main()
