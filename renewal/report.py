"""The Report: one header (what was checked, against what, when), the merchants' results
and a summary. Every output format is a view of it; none decides a verdict.

The header carries no wall-clock time, so the same input, rules and as-of give the same
bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from renewal import __version__, i18n
from renewal.intake.export import Export
from renewal.model import SourceRef
from renewal.ruleset import RuleSet

SCHEMA = "renewal-report/1"


@dataclass(slots=True)
class ReportHeader:
    schema: str
    tool: dict[str, str]
    ruleset: dict[str, object]
    as_of: datetime
    lang: str
    input: dict[str, object]
    columns: tuple[str, ...] = ()
    """The export's own header, for the reports that hand its rows back (not serialised)."""
    positions: dict[str, int] = field(default_factory=dict)
    """field -> 0-based column of the export (not serialised)."""
    rules: RuleSet | None = None
    """The rule set itself, for the reports that explain each rule (not serialised)."""
    source: Path | None = None
    """The export as opened, for the xlsx report, which reads its supporting sheets again
    (not serialised)."""
    supporting: tuple[tuple[str, int], ...] = ()
    """The supporting sheets the run read (违规记录, 资质 and their continuations): name and
    header row of each, in the order read (not serialised)."""
    date1904: bool = False
    """The export is a workbook counting its serial dates from 1904: the xlsx report, which
    hands its cells back, counts from 1904 too, so a serial copied reads as the same day
    when the report is checked again (not serialised)."""
    sheets: tuple[str, ...] = ()
    """The sheets the merchant rows came from, in order: 商家 alone, or 商家 and the sheets
    continuing it (商家 (2) …). Known once the rows are read: the pipeline sets it before
    the reports are written (not serialised)."""

    def has_fee(self) -> bool:
        """Whether the year has an annual fee to total (true for a report read back, which
        carries no rule set)."""
        from renewal.checks import has_fee  # the checks load only for a run that uses them

        return self.rules is None or has_fee(self.rules)

    def several_sheets(self) -> bool:
        """Whether the merchant rows came from more than one sheet: then a row number alone
        names a row on each of them (商家 (2) numbers its rows from 2 again), and the
        reports that name rows name their sheets too."""
        return len(self.sheets) > 1

    def ruleset_name(self) -> str:
        """The rule set's name in the report's language (a report read back from an older
        version may carry only the Chinese name)."""
        name = self.ruleset.get("name_en") if self.lang == "en" else None
        return str(name or self.ruleset["name"])

    def document(self) -> dict[str, object]:
        """The header as the JSON report writes it, ahead of its summary and merchants."""
        return {
            "schema": self.schema,
            "tool": self.tool,
            "ruleset": self.ruleset,
            "as_of": self.as_of,
            "lang": self.lang,
            "input": self.input,
        }

    @classmethod
    def of(
        cls, export: Export, ruleset: RuleSet, as_of: datetime, lang: str, selected: str = "given"
    ) -> ReportHeader:
        note = None
        if selected == "nearest":
            note = nearest_note(ruleset, as_of, lang)
        return cls(
            schema=SCHEMA,
            tool={"name": "renewal", "version": __version__},
            ruleset={
                "id": ruleset.id,
                "name": ruleset.name,
                "name_en": ruleset.name_en,
                "file": Path(ruleset.path).name,
                "sha256": ruleset.sha256,
                "window_opens": ruleset.cycle.window_opens,
                "deadline": ruleset.cycle.window_closes,
                "selected": selected,
                "note": note,
            },
            as_of=as_of,
            lang=lang,
            input={
                "file": export.file_name,  # as the user named it, as text JSON can hold
                "size": export.size,
                "sha256": export.sha256,
                "kind": export.kind,
                "encoding": export.encoding,
                "sheet": export.header.sheet,
                "header_row": export.header.shown_row,
            },
            columns=export.header.names,
            positions=export.header.positions,
            rules=ruleset,
            source=export.path,
            supporting=tuple(
                (part.name, part.header.row)
                for records in (export.violations, export.qualifications)
                if records is not None
                for part in records.parts
            ),
            date1904=export.table.date1904,
        )


def nearest_note(ruleset: RuleSet, as_of: datetime, lang: str) -> str:
    """Said on stderr and in the report when no bundled cycle covers the as-of."""
    name = ruleset.name_en if lang == "en" else ruleset.name
    ends = i18n.moment(ruleset.cycle.terminates_at)
    return i18n.catalog(lang)["ruleset.nearest"].format(
        as_of=i18n.moment(as_of),
        id=ruleset.id,
        name=name,
        ends=ends,
        deadline=i18n.moment(ruleset.cycle.window_closes),
    )


def summary(
    export: Export,
    counts: dict[str, object],
    unmatched: list[tuple[str | None, SourceRef]],
    lang: str,
) -> dict[str, object]:
    """The tally's counts plus what intake saw: rows read, blank lines, orphan records,
    and notes about the file (such as formulas without cached values)."""
    return {
        **counts,
        "rows_read": export.rows_read,
        "blank_rows_skipped": export.blank_rows,
        "other_lines_skipped": export.skipped_lines,
        "unmatched_supporting_rows": [
            {"merchant_id": merchant_id, "sheet": ref["sheet"], "row": ref["row"]}
            for merchant_id, ref in sorted(unmatched, key=lambda o: (o[1]["sheet"], o[1]["row"]))
        ],
        "notes": [
            {"code": key, "message": i18n.formatted(key, values, lang), **_fields(values, lang)}
            for key, values in export.notes
        ],
    }


ROWS_LEFT_OUT = frozenset({"note.merchants_unread", "note.cut_short", "note.open_quote"})
"""Intake's notes that say merchant rows are in no report: another sheet with the merchant
header, not read; a file cut short (the merchants after its last line); a quote left open
(the lines after it merged into one row). A command that lists merchants (remind's
reminders, self-check's ids) says these even where it says nothing else about the file,
since a row left out is a merchant nobody hears from. The other notes say how the file was
read: every merchant of it is in the report."""


def note_messages(summary: Mapping[str, object], rows_left_out: bool | None = None) -> list[str]:
    """The messages of intake's notes about the file (`summary["notes"]`), in its order:
    every one; with `rows_left_out` true, only those saying merchant rows are in no report
    (ROWS_LEFT_OUT); false, only the others."""
    notes = summary.get("notes")
    if not isinstance(notes, list):
        return []
    return [
        str(note["message"])
        for note in notes
        if rows_left_out is None or (note.get("code") in ROWS_LEFT_OUT) is rows_left_out
    ]


def _fields(values: dict[str, object], lang: str) -> dict[str, object]:
    """A note's values as the JSON report carries them: a list (the cells of a formula
    note, the rows of a multi-line one) as one text, listed as the report's language lists
    things, as its message does (A9, B9 in English, A9、B9 in Chinese)."""
    return {name: i18n.listed(v, lang) if isinstance(v, list) else v for name, v in values.items()}


def summed(summary: Mapping[str, object], key: str) -> float:
    """A total or a count of the summary, 0 where it has none (a report read back from an
    older version)."""
    value = summary.get(key)
    return float(value) if isinstance(value, int | float) else 0.0


def due_soon(summary: Mapping[str, object]) -> tuple[int, int] | None:
    """How many pending merchants are due soon and the --due-soon threshold in seconds;
    None when the summary does not count them (a report read back from an older version)."""
    soon = summary.get("due_soon")
    if not isinstance(soon, Mapping):
        return None
    count, within = soon.get("merchants"), soon.get("within_seconds")
    if not isinstance(count, int) or not isinstance(within, int):
        return None
    return count, within


def due_soon_sentence(count: int, within: int, lang: str) -> str:
    """1,846 个待完成商家距截止不足 3天（--due-soon）: as the terminal and the page say it,
    1 pending merchant has … in English."""
    values = {"count": count, "within": i18n.duration(within, lang)}
    return i18n.formatted("summary.due_soon", values, lang)


def shown_outcomes(summary: Mapping[str, object]) -> list[tuple[str, int]]:
    """The summary's outcomes as the views list them, in its order: every one, but
    `waived` (counted in every report) only in a run with --waivers or when some merchant
    is waived, so a run without waivers shows no row of 0 for them."""
    counts = summary.get("outcomes")
    if not isinstance(counts, Mapping):
        return []
    waivers = "waivers" in summary
    return [
        (str(value), int(count))
        for value, count in counts.items()
        if value != "waived" or count or waivers
    ]
