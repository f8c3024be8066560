"""JSON, the canonical form, and JSON Lines: one merchant per line.

The JSON document puts the summary before the merchants, but the summary is known only at
the end, so merchants are streamed to a scratch file and the document is assembled once
the run is over; rows re-issued as duplicates are swapped in during that copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import orjson

from renewal.model import MerchantResult
from renewal.render.output import scratch_file, write_report
from renewal.report import ReportHeader


def dumps(value: object) -> bytes:
    """orjson writes dataclasses in field order and aware datetimes with their offset."""
    return orjson.dumps(value)


class JsonLinesRenderer:
    """Merchant records, one per line: for a million rows and for stream processing."""

    wants_cells = False

    document = False
    line_end = b"\n"

    def __init__(self, target: Path | None) -> None:
        self.target = target
        self._scratch = scratch_file(target)
        self._stream: BinaryIO = self._scratch.__enter__()
        self.header: ReportHeader | None = None
        self._count = 0

    def begin(self, header: ReportHeader) -> None:
        self.header = header

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None:
        self._stream.write(line + self.line_end)
        self._count += 1

    def finish(self, summary: dict[str, object], fixes: dict[int, MerchantResult]) -> None:
        try:
            write_report(self.target, lambda out: self._emit(out, summary, fixes))
        finally:
            self._scratch.__exit__(None, None, None)

    def _emit(
        self, out: BinaryIO, summary: dict[str, object], fixes: dict[int, MerchantResult]
    ) -> None:
        if self.document:
            assert self.header is not None
            head = {
                "schema": self.header.schema,
                "tool": self.header.tool,
                "ruleset": self.header.ruleset,
                "as_of": self.header.as_of,
                "lang": self.header.lang,
                "input": self.header.input,
                "summary": summary,
            }
            out.write(dumps(head)[:-1] + b',"merchants":[\n')
        self._stream.seek(0)
        if fixes:
            self._copy_with_fixes(out, fixes)
        else:
            self._copy(out)
        if self.document:
            out.write(b"\n]}\n" if self._count else b"]}\n")

    def _copy(self, out: BinaryIO) -> None:
        """A byte copy; in a document the last line's trailing comma is left out."""
        trailing = len(self.line_end) if self.document and self._count else 0
        remaining = self._stream.seek(0, 2) - trailing
        self._stream.seek(0)
        while remaining > 0:
            chunk = self._stream.read(min(remaining, 1 << 20))
            if not chunk:
                break
            out.write(chunk)
            remaining -= len(chunk)

    def _copy_with_fixes(self, out: BinaryIO, fixes: dict[int, MerchantResult]) -> None:
        """Rows found to carry a duplicated id are swapped in; their shop name is kept."""
        last = self._count - 1
        for index, line in enumerate(self._stream):
            fix = fixes.get(index)
            if fix is not None:
                # a copy: every renderer receives the same fixes
                shop_name = orjson.loads(line.rstrip(b",\n")).get("shop_name")
                line = dumps({**fix, "shop_name": shop_name}) + self.line_end
            if self.document and index == last:
                line = line[: -len(self.line_end)]
            out.write(line)


class JsonRenderer(JsonLinesRenderer):
    """One document: header, summary, then every merchant in input order, one per line."""

    document = True
    line_end = b",\n"
