"""Renderers: each output format is a view of the one Report, chosen through `Format`.

A renderer receives the header, then every merchant's result in input order in its
canonical JSON form (with whether it needs attention, so a renderer that shows only those
decodes only those), then the summary and the results that replace rows found to carry a
duplicated id. A renderer that hands the export's own rows back (`wants_cells`) also
receives each merchant's raw cells as read; the others get None and cost nothing. A
renderer that keeps no row it was not asked to show (`wants_shop_names`) gets those
replacements with their shop names, read again from the export; the others find the shop
name in what they kept and get None.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Protocol, assert_never

from renewal.model import MerchantResult
from renewal.report import ReportHeader


class Renderer(Protocol):
    wants_cells: bool
    wants_shop_names: bool

    def begin(self, header: ReportHeader) -> None: ...

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None: ...

    def finish(self, summary: dict[str, object], fixes: dict[int, MerchantResult]) -> None:
        """`fixes` is shared by every renderer of the run: read it, never change it."""


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    JUNIT = "junit"
    XLSX = "xlsx"
    CSV = "csv"
    HTML = "html"

    @classmethod
    def from_path(cls, path: Path) -> Format | None:
        """The format an output file's extension asks for, if any."""
        suffix = path.suffix.lower().lstrip(".")
        return {
            "json": cls.JSON,
            "jsonl": cls.JSONL,
            "ndjson": cls.JSONL,
            "txt": cls.TABLE,
            "xml": cls.JUNIT,
            "xlsx": cls.XLSX,
            "csv": cls.CSV,
            "html": cls.HTML,
            "htm": cls.HTML,
        }.get(suffix)


TABLE_LIMIT = 50
"""How many merchants a table on standard output lists when --limit is not given."""


def table_limit(limit: int | None, target: Path | None) -> int:
    """How many merchants a table lists (0: all), for `check` and `remind` alike: as many
    as --limit says when it is given; else, on standard output (`target` None), the
    TABLE_LIMIT most urgent, since tens of thousands of rows on a terminal are no page
    anyone reads and take longer to print than the whole run; and in a file asked for by
    name (`-o report.txt`) every one, since a file is read in full or searched."""
    if limit is not None:
        return limit
    return TABLE_LIMIT if target is None else 0


def renderer(fmt: Format, target: Path | None, limit: int | None = None) -> Renderer:
    """The renderer for `fmt`, writing to `target` (stdout when None); `limit` is --limit,
    None when not given (see `table_limit`)."""
    match fmt:
        case Format.TABLE:
            from renewal.render.table import TableRenderer

            return TableRenderer(target, table_limit(limit, target))
        case Format.JSON:
            from renewal.render.jsonout import JsonRenderer

            return JsonRenderer(target)
        case Format.JSONL:
            from renewal.render.jsonout import JsonLinesRenderer

            return JsonLinesRenderer(target)
        case Format.JUNIT:
            from renewal.render.junit import JUnitRenderer

            return JUnitRenderer(target)
        case Format.XLSX:
            from renewal.render.xlsx import XlsxRenderer

            if target is None:
                raise ValueError("an xlsx report needs an output file")
            return XlsxRenderer(target)
        case Format.CSV:
            from renewal.render.csvout import CsvRenderer

            return CsvRenderer(target)
        case Format.HTML:
            from renewal.render.html import HtmlRenderer

            return HtmlRenderer(target)
        case _:
            assert_never(fmt)
