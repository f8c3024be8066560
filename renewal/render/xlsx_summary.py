"""The workbook's 汇总 sheet: the run's stamp (rule set, as-of, input), counts per outcome,
per failing rule and per store type, money owed, and the notes about the file."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from xlsxwriter.format import Format as CellFormat
from xlsxwriter.worksheet import Worksheet

from renewal import i18n
from renewal.model import OUTCOME_ORDER
from renewal.render.xlsx_cells import Formats, text_width
from renewal.report import ReportHeader, due_soon, shown_outcomes
from renewal.timeutil import BEIJING
from renewal.waivers import ACCOUNT_KINDS

DETAIL_STATUSES = ("error", "fail", "warn", "waived")
"""明细 lists these findings, and 汇总 counts them per rule: a pass or a rule that does not
apply is not news."""

LABEL_WIDTH = (20.0, 70.0)
"""Column A's least and greatest width. It is as wide as the longest label beside a value
(the English ones run to 61 characters, and Excel cuts a label off at the value in column
B): those that say what a count leaves out are the longest. Beyond the greatest (a store
type as long as the export typed it), a label wraps rather than push the values out of
view."""


def write_summary(
    sheet: Worksheet,
    formats: Formats,
    text: dict[str, str],
    header: ReportHeader,
    summary: dict[str, object],
    by_rule: dict[str, Counter[str]],
    by_store: dict[str, Counter[str]],
    titles: dict[str, str],
    lang: str,
) -> None:
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 8, 12)
    row = 0
    least, most = LABEL_WIDTH
    label_width = least

    def label(value: str) -> CellFormat | None:
        """Column A made room for `value`, a label with a value beside it; the format
        that wraps it when it is wider than column A may be (a title, a heading or a note
        alone on its row runs on over the empty cells beside it instead)."""
        nonlocal label_width
        width = text_width(value)
        label_width = max(label_width, min(width, most))
        return formats.wrap if width > most else None

    def line(
        *values: object, fmt: CellFormat | None = None, number: CellFormat | None = None
    ) -> None:
        """A row of cells in `fmt`; its numbers in `number` when given (an amount's ¥
        format on the amount, not on its label)."""
        nonlocal row
        first = fmt
        if len(values) > 1 and isinstance(values[0], str) and values[0]:
            wrap = label(values[0])
            # the catalogue's bold and red labels are all narrower than column A may be
            first = wrap if wrap is not None and fmt is None else fmt
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                formats.text(sheet, row, column, str(value).lower())
            elif isinstance(value, int | float):
                sheet.write_number(row, column, value, fmt if number is None else number)
            elif isinstance(value, datetime):
                sheet.write_datetime(row, column, *_moment_cell(formats, value))
            else:
                formats.text(sheet, row, column, str(value), first if column == 0 else fmt)
        row += 1

    ruleset = header.ruleset
    stamp = header.input
    line(text["title"], fmt=formats.bold)
    line(text["ruleset"], f"{header.ruleset_name()} ({ruleset['id']}, {ruleset['file']})")
    line("", f"SHA-256 {ruleset['sha256']}")
    if ruleset.get("note"):
        line("", str(ruleset["note"]))
    line(text["as_of"], header.as_of)  # date cells, as the merchants' 截止时间
    deadline = ruleset.get("deadline")
    if isinstance(deadline, datetime):
        line(text["deadline"], deadline)
    line(text["input"], str(stamp["file"]))
    line(text["size"], stamp["size"])
    line(text["sha256"], str(stamp["sha256"]))
    line(text["sheet"], f"{stamp['sheet']} / {stamp['header_row']}")
    line(text["tool"], f"{header.tool['name']} {header.tool['version']}")
    row += 1

    outcomes = dict(shown_outcomes(summary))
    order: list[str] = [o.value for o in OUTCOME_ORDER if o.value in outcomes]
    order += [name for name in outcomes if name not in order]
    line(text["outcomes"], text["count"], fmt=formats.header)
    for name in order:
        outcome = i18n.outcome_label(name, lang)
        label(outcome)
        sheet.write_string(row, 0, outcome, formats.outcome.get(name, formats.plain))
        sheet.write_number(row, 1, int(outcomes[name]))
        row += 1
    line(text["total"], summary.get("merchants"), fmt=formats.bold)
    line(text["deposit_total"], summary.get("deposit_shortfall_total"), number=formats.money)
    fee = header.has_fee()  # no annual fee line in a year without one (2025年度)
    if fee:
        line(text["fee_total"], summary.get("annual_fee_due_total"), number=formats.money)
    for key in ("deposit_shortfall_unknown", "annual_fee_due_unknown")[: 2 if fee else 1]:
        if summary.get(key):  # merchants whose amount is left out of the total above
            line(text[key], summary.get(key))
    line(text["eligible"], summary.get("transfer_eligible"))
    soon = due_soon(summary)
    if soon is not None:
        within = i18n.duration(soon[1], lang)
        line(text["due_soon"].format(within=within), soon[0], fmt=formats.urgent)
    waivers = summary.get("waivers")
    if isinstance(waivers, dict):
        line(text["waivers"], str(waivers.get("file", "")))
        for key in ("applied", *ACCOUNT_KINDS):
            found = waivers.get(key)
            line(text[f"waivers_{key}"], len(found) if isinstance(found, list) else found)
    row += 1

    statuses = [s for s in DETAIL_STATUSES if any(s in counts for counts in by_rule.values())]
    line(text["rules"], fmt=formats.bold)
    line(
        text["rule"],
        text["title_col"],
        *(i18n.status_label(s, lang) for s in statuses),
        fmt=formats.header,
    )
    for code in sorted(by_rule):
        line(code, titles.get(code, code), *(by_rule[code][s] for s in statuses))
    row += 1

    line(text["store_types"], fmt=formats.bold)
    line(
        text["store_type"],
        *(i18n.outcome_label(name, lang) for name in order),
        text["total"],
        fmt=formats.header,
    )
    for store in sorted(by_store, key=lambda s: (-sum(by_store[s].values()), s)):
        counts = by_store[store]
        line(store or text["blank"], *(counts[name] for name in order), sum(counts.values()))
    row += 1

    line(text["file"], fmt=formats.bold)
    line(text["rows_read"], summary.get("rows_read"))
    line(text["blank_rows"], summary.get("blank_rows_skipped"))
    line(text["other_lines"], summary.get("other_lines_skipped"))
    unmatched = summary.get("unmatched_supporting_rows")
    line(text["unmatched"], len(unmatched) if isinstance(unmatched, list) else 0)
    line(text["duplicates"], summary.get("duplicate_ids"))
    notes = summary.get("notes")
    if isinstance(notes, list) and notes:
        row += 1
        line(text["notes"], fmt=formats.bold)
        for note in notes:
            line(str(note.get("message", "")))
    sheet.set_column(0, 0, label_width)  # widths are written when the workbook closes


def _moment_cell(formats: Formats, value: datetime) -> tuple[datetime, CellFormat]:
    """A moment as the naive Beijing time a cell holds, shown to the minute as the
    merchants' 截止时间 is, or to the second (and its fraction) when it has them, as
    `i18n.moment` writes it: an as-of of 17:59:59 never shows as 17:59."""
    local = value.astimezone(BEIJING).replace(tzinfo=None) if value.tzinfo else value
    if local.microsecond:
        return local, formats.moment_fraction
    return local, formats.moment if local.second else formats.minute
