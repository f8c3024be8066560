"""JSON, the canonical form, and JSON Lines: one merchant per line.

The JSON document puts the summary before the merchants, but the summary is known only at
the end, so merchants are streamed to a scratch file and the document is assembled once
the run is over; rows re-issued as duplicates are swapped in during that copy.
"""

from __future__ import annotations

from array import array
from pathlib import Path
from typing import BinaryIO

import orjson

from renewal.model import MerchantResult
from renewal.render.output import copy_bytes, scratch_file, write_report
from renewal.report import ReportHeader


def dumps(value: object) -> bytes:
    """orjson writes dataclasses in field order and aware datetimes with their offset."""
    return orjson.dumps(value)


class JsonLinesRenderer:
    """Merchant records, one per line: for a million rows and for stream processing."""

    wants_cells = False
    wants_shop_names = False

    document = False
    line_end = b"\n"

    def __init__(self, target: Path | None) -> None:
        self.target = target
        self._scratch = scratch_file(target)
        self._stream: BinaryIO = self._scratch.__enter__()
        self.header: ReportHeader | None = None
        self._ends = array("q")
        """Where each merchant's line ends in the scratch file: one entry per merchant."""

    def begin(self, header: ReportHeader) -> None:
        self.header = header

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None:
        self._stream.write(line + self.line_end)
        self._ends.append((self._ends[-1] if self._ends else 0) + len(line) + len(self.line_end))

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
            out.write(b"\n]}\n" if self._ends else b"]}\n")

    def _copy(self, out: BinaryIO) -> None:
        """A byte copy; in a document the last line's trailing comma is left out."""
        if self._ends:
            trailing = len(self.line_end) if self.document else 0
            copy_bytes(self._stream, out, 0, self._ends[-1] - trailing)

    def _copy_with_fixes(self, out: BinaryIO, fixes: dict[int, MerchantResult]) -> None:
        """Rows found to carry a duplicated id are swapped in; their shop name is kept.
        The lines between them are copied as they are, a stretch at a time."""
        ends = self._ends
        done = 0  # bytes of the scratch copied or replaced so far
        for index in sorted(fixes):
            start = ends[index - 1] if index else 0
            copy_bytes(self._stream, out, done, start - done)
            self._stream.seek(start)
            line = self._stream.read(ends[index] - start)
            # a copy: every renderer receives the same fixes
            shop_name = orjson.loads(line.rstrip(b",\n")).get("shop_name")
            line = dumps({**fixes[index], "shop_name": shop_name}) + self.line_end
            if self.document and index == len(ends) - 1:
                line = line[: -len(self.line_end)]
            out.write(line)
            done = ends[index]
        trailing = len(self.line_end) if self.document and done < ends[-1] else 0
        copy_bytes(self._stream, out, done, ends[-1] - trailing - done)


class JsonRenderer(JsonLinesRenderer):
    """One document: header, summary, then every merchant in input order, one per line."""

    document = True
    line_end = b",\n"
