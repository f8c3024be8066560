"""The reminders as an Excel workbook: the CSV's columns and rows, typed.

For staff who work in Excel: a header row kept in view, an autofilter, columns as wide as
what they hold, the amount a number shown as money, the deadline a date and time, the
source row a number. Everything else is text written as text: an id or a phone number of
digits stays text (a leading zero or the 16th digit is kept), and text from the export
that a spreadsheet would take for a formula gets Excel's quote prefix instead of the CSV's
leading apostrophe, so it shows as typed and stays text when edited. A sheet after the
rows (说明 / About) says the run in words, with how many error rows were left out, and
intake's notes about the file (a merchant sheet not read, a file cut short first): the
workbook that goes to the boss says what it does not list.
"""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, BinaryIO

from rich.cells import cell_len

from renewal import i18n
from renewal.render.xlsx_book import Workbook
from renewal.render.xlsx_cells import Formats, Sheets

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

    from renewal.render.reminders import Reminder, ReminderRenderer

_WIDEST = {"missing": 60, "data_error": 60}
"""Columns that may grow beyond the usual cap, their text wrapped past it."""
_CAP = 40
_DEADLINE_WIDTH = 17
"""yyyy-mm-dd hh:mm and a margin: never ########."""


def _texts(renderer: ReminderRenderer, reminder: Reminder) -> dict[str, str]:
    """The text columns of one reminder, unguarded (the workbook's quote prefix guards)."""
    return {
        "merchant_id": reminder.merchant_id,
        "shop_name": reminder.shop_name,
        **reminder.contacts,
        "missing": reminder.missing,
        "amount_unknown": renderer.unknown_text(reminder),
        "left": i18n.time_left(reminder.seconds_left, renderer.lang),
        "data_error": reminder.data_error,
        **({"source_sheet": reminder.sheet} if renderer.several_sheets() else {}),
    }


def _widths(
    fields: list[str], headers: list[str], reminders: list[Reminder], rows: list[dict[str, str]]
) -> list[float]:
    """Each column as wide as its widest value or header (CJK counts two), capped."""
    widest = {field: cell_len(header) for field, header in zip(fields, headers, strict=True)}
    for row in rows:
        for field, text in row.items():
            widest[field] = max(widest.get(field, 0), cell_len(text))
    for reminder in reminders:
        if reminder.amount is not None:
            widest["amount"] = max(widest["amount"], len(f"{reminder.amount:,.2f}"))
        widest["row"] = max(widest["row"], len(str(reminder.row)))
    widest["deadline"] = max(widest["deadline"], _DEADLINE_WIDTH)
    return [min(widest[field] + 2, _WIDEST.get(field, _CAP)) for field in fields]


def write_workbook(renderer: ReminderRenderer, stream: BinaryIO) -> None:
    fields, headers = renderer.fields(), renderer.headers()
    reminders = renderer.reminders()
    texts = [_texts(renderer, reminder) for reminder in reminders]
    widths = _widths(fields, headers, reminders, texts)
    book = Workbook(
        stream,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    # the as-of, not the wall clock, as the creation time: a rerun gives the same file
    created = renderer.as_of.astimezone(UTC).replace(tzinfo=None)
    book.set_properties({"title": renderer.title(), "created": created})
    formats = Formats(book)

    def setup(sheet: Worksheet) -> None:
        for column, (field, width) in enumerate(zip(fields, widths, strict=True)):
            fmt = formats.wrap if field in _WIDEST else None
            sheet.set_column(column, column, width, fmt)

    sheets = Sheets(
        book,
        i18n.catalog(renderer.lang)["rm.sheet"],
        [(header, formats.header) for header in headers],
        setup,
    )
    for reminder, text in zip(reminders, texts, strict=True):
        sheet, row = sheets.next_row()
        for column, field in enumerate(fields):
            if field == "amount":
                if reminder.amount is not None:
                    sheet.write_number(row, column, reminder.amount, formats.money)
            elif field == "deadline":
                moment = reminder.deadline.replace(tzinfo=None)  # Beijing time, as shown
                sheet.write_datetime(row, column, moment, formats.minute)
            elif field == "row":
                sheet.write_number(row, column, reminder.row)
            else:
                wrap = formats.wrap if field in _WIDEST else None
                formats.text(sheet, row, column, text[field], wrap)
    sheets.finish()
    # the run in words on a sheet of its own, after the rows (which a script reads from the
    # first sheet, header on top): the title, and the error rows left out, if any, and the
    # merchants left out because they cannot renew
    about = book.add_worksheet(i18n.catalog(renderer.lang)["rm.about"])
    about.set_column(0, 0, 120, formats.wrap)
    about.write_string(0, 0, renderer.title(left_out=False), formats.bold)
    if renderer.errors:
        about.write_string(1, 0, renderer.errors_note(), formats.urgent)
    if renderer.final:  # nearly never: merchants that cannot renew whatever they do
        about.write_string(1 + bool(renderer.errors), 0, renderer.final_note(), formats.urgent)
    # then intake's notes, as check's 汇总 has them: first those saying merchant rows were
    # not read (a sheet, the lines after a cut), whose merchants no reminder reaches
    below = 1 + bool(renderer.errors) + bool(renderer.final)
    for offset, note in enumerate([*renderer.rows_unread, *renderer.notes]):
        urgent = offset < len(renderer.rows_unread)
        about.write_string(below + offset, 0, note, formats.urgent if urgent else None)
    book.close()
