"""The reminders view: merchants with something outstanding whose deadline falls within a
period, one row each, ready for a mail merge or an SMS import (CSV), for Excel (a workbook,
written by `renewal.render.reminders_xlsx`) or for reading (table).

Contact details are the export's own columns (店铺名称, and 联系人 / 联系电话 / 邮箱 when
the export has them, found by header text, so intake does not have to know them). What is
missing, the amount and the time left come from the merchant's result; nothing is judged
here. Text written to the CSV is guarded so a spreadsheet never runs it as a formula, and
the export's digits a spreadsheet would change are kept as the check CSV keeps them (="…").
Both marks are for a spreadsheet and show in a merge tool's fields; the workbook needs
neither (Excel's quote prefix, and ids as text).

The amount is what is known to be owed: when the deposit short or the annual fee due is
not known, the amount is the other part alone and the next column names the part left out
(保证金 / 年费), so a letter can say "at least" and a script can tell a complete amount by
that column being empty. Blank amount: neither part is known. A part known only as the
least owed (a payment time that cannot be read beside an amount short of the fee) counts
that least, and is named there too.

A merchant in `error` whose row still shows something outstanding whatever its unreadable
cell holds (a blocker set, a step missing, a known shortfall) is reminded of those things,
its amount a lower bound as above, and its last column says what data to fix: a nightly
SMS job must not stop reminding exactly the stores whose data is messy. An error row with
nothing certainly outstanding is left out, and counted (`errors`) in the title, the
workbook and on stderr.

A merchant with a step that nothing done by the deadline can make good (a `final`
finding: 2019年度's operating assessment, failed in a period that ended before the window
opened) is left out too, though it stays `pending` until the deadline: it cannot renew
whatever it does, so a reminder, nightly by SMS, would ask it to do what can no longer be
done, and listing its other steps would ask it to pay for a renewal it cannot get. It is
counted (`final`) in the title, the workbook and on stderr; `check` tells it what is left.
"""

from __future__ import annotations

import csv
import heapq
import io
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from renewal import i18n
from renewal.checks import REGISTRY, has_fee
from renewal.intake.columns import normalize_header
from renewal.model import MerchantResult
from renewal.render.cells import guard_text
from renewal.render.checklist import OPEN_STATES, Checklist
from renewal.render.csvout import text_of
from renewal.render.fitted import Column, fill, fit_table
from renewal.render.output import atomic_file
from renewal.render.table import merchant_block
from renewal.report import ReportHeader, note_messages
from renewal.ruleset import RuleSet
from renewal.screen import printable
from renewal.timeutil import seconds_left, to_beijing

if TYPE_CHECKING:
    from rich.console import Console

CONTACT_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("contact", ("联系人", "联系人姓名", "负责人", "contact", "contact_name")),
    (
        "phone",
        ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "phone", "mobile", "tel"),
    ),
    ("email", ("邮箱", "电子邮箱", "邮件", "电子邮件", "email", "e-mail", "mail")),
)
"""Contact fields a reminder carries when the export has them, by header (folded as intake
folds headers: no spaces, units or width differences)."""


@dataclass(frozen=True, slots=True)
class Reminder:
    merchant_id: str
    shop_name: str
    contacts: dict[str, str]
    missing: str
    amount: float | None
    """CNY known to be still owed (deposit short and annual fee due); None when neither is
    known."""
    unknown: tuple[str, ...]
    """The parts whose amount is not known in full: "deposit", "fee". Left out of `amount`,
    or counted at the least owed where that is known."""
    deadline: datetime
    seconds_left: int
    row: int
    data_error: str = ""
    """For a merchant in `error`: what cannot be read or told (its findings in error), the
    data to fix; empty for every other merchant."""
    sheet: str = ""
    """The sheet `row` is on: shown only when the rows came from more than one sheet
    (商家 and 商家 (2) …), where a row number alone names a row on each."""


def cell_text(value: object) -> str:
    """A raw export cell as text, as the spreadsheet showed it (a phone number typed as a
    number comes back without its `.0`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    if isinstance(value, datetime):
        return i18n.moment(to_beijing(value))
    return str(value).strip()


def _amount_text(amount: float) -> str:
    return str(int(amount)) if amount == int(amount) else f"{amount:.2f}"


class ReminderRenderer:
    wants_cells = True
    wants_shop_names = False

    def __init__(self, ruleset: RuleSet, as_of: datetime, within: timedelta, lang: str) -> None:
        self.view = Checklist(ruleset, as_of, lang)
        self.ruleset = ruleset
        self.has_fee = has_fee(ruleset)
        self.as_of = to_beijing(as_of)
        self.until = self.as_of + within
        self.within = within
        self.lang = lang
        self.header: ReportHeader | None = None
        self.contact_at: dict[str, int] = {}
        """contact field -> 0-based column of the export"""
        self.kept: dict[int, Reminder] = {}
        self.errors: set[int] = set()
        """The rows in `error` left out: nothing certainly outstanding, or not evaluated at
        all (no id or contract date, a duplicated id)."""
        self.final: set[int] = set()
        """The rows left out because a step can no longer be made good (a `final` finding):
        nothing they do by the deadline renews them, so there is nothing to remind them of."""
        self.rows_unread: list[str] = []
        """Intake's notes saying merchant rows were not read (report.ROWS_LEFT_OUT): a
        merchant sheet beside the one read, the lines after a cut. Nobody is reminded there."""
        self.notes: list[str] = []
        """Intake's other notes about the file, as `check` says them."""
        self._index = 0

    def begin(self, header: ReportHeader) -> None:
        self.header = header
        self.view.know_header(header)
        folded = [normalize_header(name) for name in header.columns]
        for field, names in CONTACT_COLUMNS:
            wanted = {normalize_header(name) for name in names}
            position = next((i for i, name in enumerate(folded) if name in wanted), None)
            if position is not None:
                self.contact_at[field] = position

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None:
        index = self._index
        self._index += 1
        if not attention:  # renewed or exempt, nothing flagged: nothing to remind of
            return
        result: dict[str, Any] = orjson.loads(line)
        deadline = _deadline(result)
        reminder = self._reminder(result, cells, index, deadline)
        if reminder is not None:
            self.kept[index] = reminder
        elif result.get("outcome") == "error" and index not in self.final:
            # left out for its data: not one with something certain to do whose deadline is
            # only outside the period (it is reminded once the period reaches it)
            if deadline is None or self._within(deadline) or not self._missing(result, cells):
                self.errors.add(index)

    def finish(self, summary: dict[str, object], fixes: dict[int, MerchantResult]) -> None:
        for index in fixes:  # a duplicated id: every row of it is an error, not a reminder
            self.kept.pop(index, None)
            self.final.discard(index)
            self.errors.add(index)
        self.rows_unread = note_messages(summary, rows_left_out=True)
        self.notes = note_messages(summary, rows_left_out=False)

    def _reminder(
        self,
        result: dict[str, Any],
        cells: list[object] | None,
        index: int,
        deadline: datetime | None,
    ) -> Reminder | None:
        """A pending merchant's reminder; an error row's, of what it certainly has to do,
        when it has anything (see the module's docstring); None for any other, and for one
        that cannot renew whatever it does by the deadline (noted in `final`)."""
        outcome = result.get("outcome")
        if outcome != "pending" and outcome != "error":
            return None
        if deadline is None or not self._within(deadline):  # outside --within, or no deadline
            return None
        if _cannot_renew(result):  # nearly never
            self.final.add(index)
            return None
        missing = self._missing(result, cells)
        data_error = ""
        if outcome == "error":
            if not missing:  # nothing is certain but the data error: `check` tells it
                return None
            data_error = self._data_error(result)
        raw = cells or []
        contacts = {
            field: cell_text(raw[position]) if position < len(raw) else ""
            for field, position in self.contact_at.items()
        }
        shop_name = result.get("shop_name") or ""
        assert self.header is not None
        shop_at = self.header.positions.get("shop_name")
        if shop_at is not None and shop_at < len(raw) and raw[shop_at] not in (None, ""):
            shop_name = cell_text(raw[shop_at])  # as the export wrote it, for the letter
        parts = {"deposit": result.get("deposit_shortfall")}
        if self.has_fee:  # 2025年度 has no annual fee: its 0 is no known part of the amount
            parts["fee"] = result.get("annual_fee_due")
        known = [owed for owed in parts.values() if owed is not None]
        # a part owed at least this much (its money step says so) is not known in full
        least = {
            _family(str(found.get("rule")))
            for found in result.get("findings") or []
            if found.get("owed_at_least")
        }
        return Reminder(
            merchant_id=str(result.get("merchant_id") or ""),
            shop_name=shop_name,
            contacts=contacts,
            missing=missing,
            amount=round(sum(known), 2) if known else None,
            unknown=tuple(part for part, owed in parts.items() if owed is None or part in least),
            deadline=deadline,
            seconds_left=seconds_left(deadline, self.as_of),
            row=int(result.get("row") or 0),
            data_error=data_error,
            sheet=str(result.get("sheet") or ""),
        )

    def _within(self, deadline: datetime) -> bool:
        """Whether a deadline falls inside the reminder period (`--within` from the as-of):
        a row whose deadline is outside it is left out for that, as a pending row is,
        whatever its data."""
        return self.as_of <= deadline <= self.until

    def _data_error(self, result: dict[str, Any]) -> str:
        """What an error row cannot be judged on: its findings in error, each naming its
        cell or what cannot be told, in one sentence."""
        said: list[str] = []
        for found in result.get("findings") or []:
            message = str(found.get("message") or "")
            if found.get("status") == "error" and message and message not in said:
                said.append(message)
        return i18n.clauses(said, self.lang)

    def _missing(self, result: dict[str, Any], cells: list[object] | None) -> str:
        texts = i18n.catalog(self.lang)
        view = self.view
        findings = {str(f.get("rule")): f for f in result.get("findings") or []}
        items: list[str] = []
        for code in view.blockers:
            if findings.get(code, {}).get("status") == "fail":
                items.append(texts["rm.blocker"].format(label=view.label(code)))
        for code in view.steps:
            found = findings.get(code)
            if found is None:
                continue
            state = view.step_state(found, cells)
            # an undecided step is not certain; a final one is no task (such rows are left out)
            if state not in OPEN_STATES or state == "error" or state == "final":
                continue
            if state == "blocked":
                blocker = view.label(str(found.get("actual")))
                items.append(texts["rm.blocked"].format(label=view.label(code), blocker=blocker))
            else:
                items.append(view.label(code))
        return i18n.clauses(items, self.lang)

    # --- output ----------------------------------------------------------------------

    def reminders(self) -> list[Reminder]:
        return [self.kept[index] for index in sorted(self.kept)]

    def several_sheets(self) -> bool:
        """Whether the rows came from more than one sheet: then 原工作表 stands before 原行号
        (`ReportHeader.several_sheets`); an export of one sheet has the columns it always had."""
        return self.header is not None and self.header.several_sheets()

    def fields(self) -> list[str]:
        contact = [field for field, _ in CONTACT_COLUMNS if field in self.contact_at]
        return [
            "merchant_id",
            "shop_name",
            *contact,
            "missing",
            "amount",
            "amount_unknown",
            "deadline",
            "left",
            *(["source_sheet"] if self.several_sheets() else []),
            "row",
            "data_error",  # last: the columns before it keep their places
        ]

    def headers(self) -> list[str]:
        """The column names people read, in the table and the workbook: words."""
        texts = i18n.catalog(self.lang)
        return [texts[f"rm.{field}"] for field in self.fields()]

    def csv_headers(self) -> list[str]:
        """The CSV's column names: a mail merge or an SMS template names its fields by
        them, so in English they are CSV_KEYS, fixed names without spaces or brackets
        that no rewording changes; in Chinese the table's words, as they always were."""
        if self.lang == "en":
            return [CSV_KEYS[field] for field in self.fields()]
        return self.headers()

    def unknown_text(self, reminder: Reminder) -> str:
        """The parts left out of the amount, in words: 保证金；年费 / deposit; annual fee."""
        texts = i18n.catalog(self.lang)
        separator = "；" if self.lang != "en" else "; "
        return separator.join(texts[f"rm.part.{part}"] for part in reminder.unknown)

    def cells_of(self, reminder: Reminder) -> list[str]:
        """One CSV row: every text guarded; the amount and row are numbers renewal wrote.
        The export's own text (the id, the shop, the contacts) goes through the check
        CSV's `text_of`, so digits a spreadsheet would change (000000000000000002, an id
        over 15 digits, a phone number with its leading 0) are written as ="…" as there:
        a double-clicked CSV saved again must not write back 2 or 3.2E+18."""
        values = {
            "merchant_id": text_of(reminder.merchant_id),
            "shop_name": text_of(reminder.shop_name),
            **{field: text_of(text) for field, text in reminder.contacts.items()},
            "missing": guard_text(reminder.missing),
            "amount": "" if reminder.amount is None else _amount_text(reminder.amount),
            "amount_unknown": self.unknown_text(reminder),
            "deadline": i18n.moment(reminder.deadline),
            "left": i18n.time_left(reminder.seconds_left, self.lang),
            "source_sheet": text_of(reminder.sheet),
            "row": str(reminder.row),
            "data_error": guard_text(reminder.data_error),
        }
        return [values[field] for field in self.fields()]

    def write_csv(self, target: Path | None) -> None:
        """UTF-8 with a BOM (Excel then shows the Chinese), written atomically to a file."""
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.csv_headers())
        for reminder in self.reminders():
            writer.writerow(self.cells_of(reminder))
        data = ("\ufeff" + buffer.getvalue()).encode("utf-8")
        if target is None:
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
            return
        with atomic_file(target) as stream:
            stream.write(data)

    def write_xlsx(self, target: Path) -> None:
        """An Excel workbook of the same rows, written atomically to a file."""
        from renewal.render.reminders_xlsx import write_workbook

        with atomic_file(target) as stream:
            write_workbook(self, stream)

    def title(self, left_out: bool = True) -> str:
        """The run in a sentence: the rule set, its deadline, the as-of, the period asked
        for (exactly: `period_text`), how many merchants are listed and how many of them
        have a data error; and, unless `left_out` is false (stderr says it on a line of its
        own), how many error rows are left out, and how many merchants that cannot renew
        whatever they do, so a table or a workbook handed on says it."""
        texts = i18n.catalog(self.lang)
        said = texts["rm.title.one" if len(self.kept) == 1 else "rm.title"].format(
            name=self.ruleset.name_en if self.lang == "en" else self.ruleset.name,
            id=self.ruleset.id,
            deadline=i18n.moment(self.ruleset.cycle.window_closes),
            as_of=i18n.moment(self.as_of),
            within=period_text(int(self.within.total_seconds()), self.lang),
            count=len(self.kept),
        )
        flawed = sum(1 for reminder in self.kept.values() if reminder.data_error)
        if flawed:
            said += texts["rm.title.flawed"].format(count=flawed)
        if left_out and self.errors:
            said += ("；" if self.lang != "en" else "; ") + self.errors_note()
        if left_out and self.final:
            said += ("；" if self.lang != "en" else "; ") + self.final_note()
        return said

    def errors_note(self) -> str:
        """How many rows were left out for a data error (`errors`): `1 more row has …` /
        `2 more rows have …`."""
        count = len(self.errors)
        key = "rm.errors.one" if count == 1 else "rm.errors"
        return i18n.catalog(self.lang)[key].format(count=count)

    def final_note(self) -> str:
        """How many merchants were left out because they cannot renew whatever they do by
        the deadline (`final`)."""
        count = len(self.final)
        key = "rm.final.one" if count == 1 else "rm.final"
        return i18n.catalog(self.lang)[key].format(count=count)

    def write_table(self, target: Path | None, limit: int = 0) -> None:
        """The table, on standard output (`target` None) or in a file, listing the `limit`
        most urgent merchants at most (0: all), as `check`'s table lists its own: the CLI
        picks `limit` by `render.table_limit`, a page on standard output and every merchant
        in a file asked for by name (`-o r.txt`), the list someone works through, unless
        --limit says otherwise."""
        from rich.console import Console

        if target is None:
            self.draw(Console(soft_wrap=False, highlight=False), limit)
            return
        with atomic_file(target) as stream:
            text = io.TextIOWrapper(stream, encoding="utf-8", write_through=True)
            self.draw(Console(file=text, width=200, no_color=True, highlight=False), limit)
            text.detach()

    def draw(self, console: Console, limit: int = 0) -> None:
        """The title, then a row per merchant: a table when it fits the console with every
        unbroken column (id, phone, e-mail, amount, time left, row) whole and the others at
        a readable width (`fitted.fit_table`), else a block per merchant. Lines break only
        between pieces (`fitted.fill`): an amount, a time left, a date-time or an address
        is never split. With a `limit`, only that many (`listed`), and a line after them
        saying how many more there are and how to see them."""
        from rich.text import Text

        texts = i18n.catalog(self.lang)
        console.print(Text("\n".join(fill(self.title(), console.width)), style="bold"))
        if not self.kept:
            return
        chosen = self.listed(limit)
        # the deadline is the run's, said in the title: the CSV repeats it on every row
        # for a mail merge, the table gives its width to the columns that differ (and
        # to the unknown parts of an amount, or to data errors, only when a row has one)
        partly = any(reminder.unknown for reminder in chosen)
        flawed = any(reminder.data_error for reminder in chosen)
        fields = [
            field
            for field in self.fields()
            if field != "deadline"
            and (partly or field != "amount_unknown")
            and (flawed or field != "data_error")
        ]
        named = dict(zip(self.fields(), self.headers(), strict=True))
        columns = [
            Column(
                named[field],
                unbroken=field in _UNBROKEN,
                weight=_WEIGHTS.get(field, 1),
                cut=field in ("shop_name", "contact"),
                justify="right" if field in ("amount", "row") else "left",
            )
            for field in fields
        ]
        rows = []
        for reminder in chosen:
            shown = dict(zip(self.fields(), self._table_cells(reminder, texts), strict=True))
            rows.append([shown[field] for field in fields])
        table = fit_table(
            columns, rows, console.width, show_header=True, header_style="bold", show_lines=True
        )
        if table is None:
            self._draw_blocks(console, texts, chosen)
        else:
            console.print(table)
        hidden = len(self.kept) - len(chosen)
        if hidden > 0:  # as check says it, the way to the rest beside the count
            more = texts[i18n.counted_key(texts, "rm.more", hidden)].format(count=hidden)
            console.print(Text("\n".join(fill(more, console.width)), style="dim"))

    def listed(self, limit: int = 0) -> list[Reminder]:
        """The reminders a table lists: every one, or with a `limit` that many of the most
        urgent (the least time left, then the most owed), as `check --limit` keeps its
        most urgent; listed in the export's row order all the same, the order of the CSV
        and the workbook, so a capped table is those files with rows left out."""
        if limit <= 0 or len(self.kept) <= limit:
            return self.reminders()
        urgent = heapq.nsmallest(
            limit,
            self.kept.items(),
            key=lambda item: (item[1].seconds_left, -(item[1].amount or 0.0), item[0]),
        )
        return [reminder for _, reminder in sorted(urgent, key=lambda item: item[0])]

    def _draw_blocks(
        self, console: Console, texts: dict[str, str], chosen: list[Reminder]
    ) -> None:
        """A block per merchant for a narrow terminal, as `check` lists them: a line naming
        the row, the id and the shop, then each other column on a line of its own."""
        from rich.text import Text

        named = dict(zip(self.fields(), self.headers(), strict=True))
        headed = ("merchant_id", "shop_name", "deadline", "row")  # in the block's first line
        listed = [field for field in self.fields() if field not in headed]
        for reminder in chosen:
            shown = dict(zip(self.fields(), self._table_cells(reminder, texts), strict=True))
            head = [(shown["merchant_id"], "bold"), (shown["shop_name"], "")]
            rows: list[tuple[str, Text]] = [
                (named[field], Text(shown[field])) for field in listed if shown[field]
            ]
            console.print(merchant_block(reminder.row, head, rows, self.lang, console.width))

    def _table_cells(self, reminder: Reminder, texts: dict[str, str]) -> list[str]:
        amount = texts["rm.unknown"] if reminder.amount is None else i18n.yuan(reminder.amount)
        contacts = [reminder.contacts[f] for f, _ in CONTACT_COLUMNS if f in self.contact_at]
        return [
            printable(reminder.merchant_id),
            printable(reminder.shop_name),
            *map(printable, contacts),
            reminder.missing,
            amount,
            self.unknown_text(reminder),
            i18n.moment(reminder.deadline),
            i18n.time_left(reminder.seconds_left, self.lang),
            *([printable(reminder.sheet)] if self.several_sheets() else []),
            str(reminder.row),
            printable(reminder.data_error),
        ]


CSV_KEYS = {
    "merchant_id": "merchant_id",
    "shop_name": "shop_name",
    "contact": "contact",
    "phone": "phone",
    "email": "email",
    "missing": "missing",
    "amount": "amount_due_cny",
    "amount_unknown": "amount_unknown",
    "deadline": "deadline",
    "left": "time_left",
    "source_sheet": "source_sheet",
    "row": "source_row",
    "data_error": "data_error",
}
"""The English CSV's column names, by field: merge fields, not words (see csv_headers)."""

_UNBROKEN = frozenset({"merchant_id", "phone", "email", "amount", "left", "row"})
"""Reminder table columns never wrapped: an id, a phone number or an address broken over
two lines is copied or dialled wrong, an amount or a time left misread. When the table
cannot give them their whole width, the merchants are listed as blocks."""

_WEIGHTS = {"missing": 3, "shop_name": 2, "data_error": 3}
"""The wrapped columns' shares of the width left over (the others: 1)."""


def _deadline(result: dict[str, Any]) -> datetime | None:
    """A result's deadline, read once per row; None for an error row never evaluated."""
    text = result.get("deadline")
    return to_beijing(datetime.fromisoformat(text)) if isinstance(text, str) else None


def _cannot_renew(result: dict[str, Any]) -> bool:
    """Whether a step failed that nothing done by the deadline can make good (a `final`
    finding): a reminder would ask the store to do what can no longer be done."""
    return any(
        found.get("final") and found.get("status") == "fail"
        for found in result.get("findings") or []
    )


def _family(code: str) -> str | None:
    """A rule's family; a money step's is the part of the amount it owes ("deposit",
    "fee"), as `Reminder.unknown` names the parts."""
    found = REGISTRY.get(code)
    return None if found is None else found.family


def period_text(seconds: int, lang: str) -> str:
    """A period as the user asked for it, every unit kept: 6天5小时59分钟, 1d 30m. Unlike
    `i18n.duration` (a time left, rounded down to two units), nothing is dropped: the
    title says the period the filter used. Weeks read as days."""
    texts = i18n.catalog(lang)
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, rest = divmod(rest, 60)
    parts = [(unit, n) for unit, n in (("d", days), ("h", hours), ("m", minutes), ("s", rest)) if n]
    if not parts:  # --within 0d: 0天 as asked, not a time left's 0秒
        return texts["left.d"].format(n=0)
    return texts["left.join"].join(texts[f"left.{unit}"].format(n=n) for unit, n in parts)
