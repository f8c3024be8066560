"""Approved exceptions (`renewal check --waivers FILE`): one row per (merchant, rule) that
someone with the authority has agreed may fail until a date.

The file (CSV, a workbook or TOML) is read once, before the run, into an immutable
`Waivers`; a row that is incomplete, names a rule the selected year does not have (unknown,
or another year's: it could never apply) or has an unreadable date stops the run (exit 2,
naming the file and row), never silently ignored. The engine applies a
waiver after the rules have run (`waive`, a pure step): a fail or warn it covers becomes
`waived`, with the reason and approver in the finding; once expired it no longer applies
and the finding keeps its real status, saying the waiver expired.

An expiry is Beijing time. A date without a time is valid through that whole day (until
00:00 of the next); a moment is valid until that moment. Errors are not waivable: a cell
that cannot be read is data to fix, not an exception someone can approve. Nor are the
scope and fallback rules (they decide whether a merchant must renew and whether it may
move to Taobao, not whether it did), nor load problems.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from renewal import i18n, reasons
from renewal.intake import dates, values
from renewal.intake.columns import Column, alias_table, normalize_header, normalize_sheet
from renewal.intake.tables import (
    DEFAULT_MAX_INFLATED_MB,
    IntakeError,
    Workbook,
    guard_archive,
    is_workbook,
    read_csv,
    text_preview,
)
from renewal.model import Finding, Status, WaiverNote
from renewal.timeutil import lapse_of

if TYPE_CHECKING:
    from renewal.checks.context import Context
    from renewal.ruleset import RuleSet

EXPIRING_WITHIN = timedelta(days=7)
"""A waiver that ends this close to the as-of (or closer) is a warning."""

HEADER_SEARCH_ROWS = 30

WAIVER_COLUMNS: tuple[Column, ...] = (
    Column(
        "merchant_id", "商家ID", "id", ("商家id", "商户ID", "卖家ID", "店铺ID", "seller_id"), True
    ),
    Column("rule", "规则", "text", ("规则代码", "规则编号", "rule_code", "code"), True),
    Column("reason", "原因", "text", ("豁免原因", "理由"), True),
    Column("approver", "审批人", "text", ("批准人", "approved_by"), True),
    Column("ticket", "工单", "text", ("工单号", "ticket_id")),
    Column(
        "expires",
        "到期",
        "datetime",
        ("到期时间", "到期日期", "有效期至", "expires_at", "expires_on", "expiry"),
        True,
    ),
)
_ALIASES = alias_table(WAIVER_COLUMNS)
_NAMES = {column.key: f"{column.header}/{column.key}" for column in WAIVER_COLUMNS}
WAIVER_SHEETS = ("豁免", "waivers", "waiver", "豁免清单")
TOML_TABLES = ("waiver", "waivers", "豁免")
"""A TOML waiver file is an array of tables under one of these names: `[[waiver]]`."""

WAIVABLE_ROLES = ("blocker", "step", "advisory")


class WaiverError(IntakeError):
    """A waiver file that cannot be used: one line naming the file and the row (or the
    `[[waiver]]` entry), exit 2. `at` says how the place is named: row, sheet_row, entry."""

    def message(self, lang: str, command: str = "check") -> str:  # none names a command
        texts = i18n.catalog(lang)
        place = texts[f"waiver.at.{self.values.get('at', 'row')}"]
        where = place.format(**self.values)
        first_where = place.format(**{**self.values, "row": self.values.get("first")})
        found = self.values
        if self.key == "waiver.unreadable":  # a value parser's reason, in English
            found = {**found, "reason": reasons.reason(str(found["reason"]), lang)}
        if "role" in found:  # a rule's role is an identifier; say it in the user's language
            from renewal.catalog import role_label

            found = {**found, "role": role_label(str(found["role"]), lang)}
        return i18n.formatted(self.key, {**found, "where": where, "first_where": first_where}, lang)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (self.key, self.values))


def _rebuild(key: str, found: dict[str, object]) -> WaiverError:
    return WaiverError(key, **found)


@dataclass(frozen=True, slots=True)
class Waiver:
    """One approved exception: this merchant may fail this rule until `ends_at`."""

    merchant_id: str
    rule: str
    reason: str
    approver: str
    ticket: str | None
    expires: date | datetime
    """As written: a day (valid through it) or a moment in Beijing time."""
    ends_at: datetime
    """The first moment it no longer applies."""
    row: int
    """Its row in the file (its number among the `[[waiver]]` entries of a TOML file)."""

    def active(self, as_of: datetime) -> bool:
        return as_of < self.ends_at

    def expiring(self, as_of: datetime) -> bool:
        """Still in force, but ends within EXPIRING_WITHIN of the as-of (exactly 7 days
        counts)."""
        return as_of < self.ends_at and self.ends_at - as_of <= EXPIRING_WITHIN

    def expires_iso(self) -> str:
        return self.expires.isoformat()

    def expires_text(self) -> str:
        if isinstance(self.expires, datetime):
            return i18n.moment(self.expires)
        return i18n.day(self.expires)

    def said(self, lang: str) -> dict[str, str]:
        """Its end as the messages word it: `expires`, and `valid` and `lapsed` (a day alone
        is valid through its end, "valid through 2021-12-31", and lapses at it, "expired at
        the end of 2021-12-20": "until" and "on" that day read as its start)."""
        texts = i18n.catalog(lang)
        kind = "moment" if isinstance(self.expires, datetime) else "day"
        expires = self.expires_text()
        return {
            "expires": expires,
            "valid": texts[f"waiver.valid.{kind}"].format(expires=expires),
            "lapsed": texts[f"waiver.lapsed.{kind}"].format(expires=expires),
        }

    def note(self, expired: bool) -> WaiverNote:
        return {
            "reason": self.reason,
            "approver": self.approver,
            "ticket": self.ticket,
            "expires": self.expires_iso(),
            "expired": expired,
        }

    def listed(self) -> dict[str, object]:
        """How the report's summary lists it."""
        return {
            "row": self.row,
            "merchant_id": self.merchant_id,
            "rule": self.rule,
            "expires": self.expires_iso(),
        }


@dataclass(frozen=True)
class Waivers:
    """Every waiver of one file, in file order, and an index by merchant id and rule."""

    file: str
    """The file's name, as the report and messages show it."""
    entries: tuple[Waiver, ...]
    place: str
    """How the file names a waiver's position: `row`, `sheet_row` or `entry`."""
    sheet: str | None
    by_merchant: Mapping[str, Mapping[str, Waiver]]

    @classmethod
    def of(
        cls, file: str, entries: Iterable[Waiver], place: str = "row", sheet: str | None = None
    ) -> Waivers:
        listed = tuple(entries)
        index: dict[str, dict[str, Waiver]] = {}
        for waiver in listed:
            index.setdefault(waiver.merchant_id, {})[waiver.rule] = waiver
        return cls(file, listed, place, sheet, index)

    def where(self, waiver: Waiver, lang: str) -> str:
        """`第 3 行`, `sheet 豁免 row 3`, `[[waiver]] #3` …, for a note on stderr."""
        texts = i18n.catalog(lang)
        return texts[f"waiver.at.{self.place}"].format(sheet=self.sheet, row=waiver.row)


def waive(found: Finding, waiver: Waiver, ctx: Context) -> None:
    """Apply `waiver` to the finding of its rule, in place. Only a fail or warn is waived;
    an expired waiver leaves the status and says when it expired."""
    status = found["status"]
    if status is not Status.FAIL and status is not Status.WARN:
        return
    expired = not waiver.active(ctx.as_of)
    if expired:
        text = ctx.constant(
            "waiver.expired",
            f"{waiver.merchant_id}|{waiver.rule}",
            reason=waiver.reason,
            approver=waiver.approver,
            **waiver.said(ctx.lang),
        )
    else:
        found["status"] = Status.WAIVED
        text = ctx.constant(
            "waiver.applied_ticket" if waiver.ticket else "waiver.applied",
            f"{waiver.merchant_id}|{waiver.rule}",
            reason=waiver.reason,
            approver=waiver.approver,
            ticket=waiver.ticket,
            **waiver.said(ctx.lang),
        )
    found["message"] = i18n.clauses([found["message"], text], ctx.lang)
    found["waiver"] = waiver.note(expired)


def accounting(
    waivers: Waivers,
    applied: set[tuple[str | None, str]],
    as_of: datetime,
    present: Collection[str],
) -> dict[str, object]:
    """The summary's `waivers`: how many findings were waived, and which waivers have
    expired, end within EXPIRING_WITHIN, covered nothing (in force, its merchant in the
    export, but no fail or warn of that merchant and rule was found: fixed, or never
    failing), or name a merchant id on no row of the export (`present`): a mistyped id or a
    merchant gone from the export, listed whether in force or not, and never as unused."""
    return {
        "file": waivers.file,
        "entries": len(waivers.entries),
        "applied": len(applied),
        "expired": [w.listed() for w in waivers.entries if not w.active(as_of)],
        "expiring": [w.listed() for w in waivers.entries if w.expiring(as_of)],
        "unused": [
            w.listed()
            for w in waivers.entries
            if w.active(as_of)
            and w.merchant_id in present
            and (w.merchant_id, w.rule) not in applied
        ],
        "not_in_export": [w.listed() for w in waivers.entries if w.merchant_id not in present],
    }


ACCOUNT_KINDS = ("expired", "expiring", "unused", "not_in_export")
"""The summary's lists of waivers, in the order they are told."""


def summary_line(accounts: Mapping[str, object], lang: str) -> str:
    """One line of counts for the terminal: waived findings, then each list's length, the
    waivers of merchants not in the export said as their number asks (1 for a merchant)."""
    found = {kind: accounts.get(kind) for kind in ACCOUNT_KINDS}
    counts = {kind: len(v) if isinstance(v, list) else 0 for kind, v in found.items()}
    strangers = {"count": counts.pop("not_in_export")}
    applied = accounts.get("applied", 0)
    return i18n.catalog(lang)["waiver.note.summary"].format(
        applied=f"{applied:,}" if isinstance(applied, int) else applied,
        **{kind: f"{count:,}" for kind, count in counts.items()},
        not_in_export=i18n.formatted("waiver.note.summary.not_in_export", strangers, lang),
    )


# --- reading ------------------------------------------------------------------------------


def load_waivers(path: Path, ruleset: RuleSet | None = None) -> Waivers:
    """Read a waiver file (by extension: .toml, a workbook, else CSV); WaiverError or
    IntakeError when it cannot be used. Given the run's `ruleset`, a waiver may name only
    that year's waivable rules; without one, any year's."""
    if not path.exists():
        raise IntakeError("intake.no_file", path=path)
    if path.is_dir():
        raise IntakeError("waiver.is_dir", path=path)
    if path.stat().st_size == 0:
        raise IntakeError("intake.empty", path=path)
    try:
        with path.open("rb"):
            pass  # one that opens: each reader below says what is wrong with its content
    except OSError as exc:
        raise IntakeError("intake.unreadable", path=path, reason=exc.strerror or exc) from exc
    if path.suffix.lower() == ".toml":
        return Waivers.of(path.name, _from_toml(path, ruleset), "entry")
    if is_workbook(path):
        guard_archive(path, DEFAULT_MAX_INFLATED_MB)
        book = Workbook(path)
        wanted = {normalize_sheet(name) for name in WAIVER_SHEETS}
        sheet = next(
            (name for name in book.sheet_names if normalize_sheet(name) in wanted),
            book.sheet_names[0] if book.sheet_names else None,
        )
        if sheet is None:
            raise IntakeError("intake.no_sheets", path=path)
        rows = book.table(sheet).rows
        return Waivers.of(path.name, _from_rows(path, rows, sheet, ruleset), "sheet_row", sheet)
    _, table = read_csv(path)
    return Waivers.of(path.name, _from_rows(path, table.rows, None, ruleset), "row")


def _place(sheet: str | None, row: int) -> dict[str, object]:
    return {"at": "row" if sheet is None else "sheet_row", "sheet": sheet, "row": row}


def _from_rows(
    path: Path,
    rows: Iterator[tuple[int, list[object]]],
    sheet: str | None,
    ruleset: RuleSet | None,
) -> list[Waiver]:
    positions = _header(path, rows, sheet)
    entries: list[Waiver] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in rows:
        if all(_blank(cell) for cell in cells):
            continue
        raw = {
            key: cells[index] if index < len(cells) else None for key, index in positions.items()
        }
        waiver = _waiver(path, raw, number, _place(sheet, number), ruleset)
        _refuse_duplicate(path, waiver, seen, _place(sheet, number))
        entries.append(waiver)
    return entries


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header(
    path: Path, rows: Iterator[tuple[int, list[object]]], sheet: str | None
) -> dict[str, int]:
    """The first row (of the first HEADER_SEARCH_ROWS) naming 商家ID and 规则, as field ->
    column index. A missing required column or one given twice is an error."""
    for number, cells in rows:
        found: dict[str, int] = {}
        for index, cell in enumerate(cells):
            if not isinstance(cell, str):
                continue
            column = _ALIASES.get(normalize_header(cell))
            if column is None:
                continue
            if column.key in found:
                raise WaiverError(
                    "waiver.duplicate_column",
                    path=path,
                    column=_NAMES[column.key],
                    **_place(sheet, number),
                )
            found[column.key] = index
        if "merchant_id" in found and "rule" in found:
            missing = [_NAMES[c.key] for c in WAIVER_COLUMNS if c.required and c.key not in found]
            if missing:
                raise WaiverError(
                    "waiver.missing_column",
                    path=path,
                    names=missing,
                    **_place(sheet, number),
                )
            return found
        if number >= HEADER_SEARCH_ROWS:
            break
    raise WaiverError(
        "waiver.no_header",
        path=path,
        rows=HEADER_SEARCH_ROWS,
        at="file" if sheet is None else "sheet",
        sheet=sheet,
        row=0,
    )


def _from_toml(path: Path, ruleset: RuleSet | None) -> list[Waiver]:
    try:
        with path.open("rb") as stream:
            document = tomllib.load(stream)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WaiverError("waiver.toml", path=path, reason=exc, at="file", row=0) from None
    entries: list[Waiver] = []
    seen: dict[tuple[str, str], int] = {}
    for key, value in document.items():
        if key not in TOML_TABLES:
            raise WaiverError("waiver.toml_key", path=path, name=key, at="file", row=0)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise WaiverError("waiver.toml_shape", path=path, name=key, at="file", row=0)
        for number, item in enumerate(value, len(entries) + 1):
            place: dict[str, object] = {"at": "entry", "sheet": None, "row": number}
            raw: dict[str, object] = {}
            for name, cell in item.items():
                column = _ALIASES.get(normalize_header(name))
                if column is None:
                    raise WaiverError("waiver.unknown_key", path=path, name=name, **place)
                if column.key in raw:
                    raise WaiverError(
                        "waiver.duplicate_column", path=path, column=_NAMES[column.key], **place
                    )
                raw[column.key] = cell
            waiver = _waiver(path, raw, number, place, ruleset)
            _refuse_duplicate(path, waiver, seen, place)
            entries.append(waiver)
    return entries


def _refuse_duplicate(
    path: Path, waiver: Waiver, seen: dict[tuple[str, str], int], place: dict[str, object]
) -> None:
    """Two waivers for one merchant and rule: which reason and expiry hold is not clear."""
    first = seen.setdefault((waiver.merchant_id, waiver.rule), waiver.row)
    if first != waiver.row:
        raise WaiverError(
            "waiver.duplicate",
            path=path,
            merchant_id=waiver.merchant_id,
            rule=waiver.rule,
            first=first,
            **place,
        )


def _waiver(
    path: Path,
    raw: Mapping[str, object],
    row: int,
    place: dict[str, object],
    ruleset: RuleSet | None,
) -> Waiver:
    def read(key: str, parse: Callable[[object], object]) -> object:
        try:
            value = parse(raw.get(key))
        except values.Unreadable as exc:
            shown = text_preview(raw.get(key))
            raise WaiverError(
                "waiver.unreadable",
                path=path,
                column=_NAMES[key],
                raw=shown,
                reason=exc,
                **place,
            ) from None
        if value is None and key != "ticket":
            raise WaiverError("waiver.blank", path=path, column=_NAMES[key], **place)
        return value

    merchant_id = str(read("merchant_id", values.parse_id))
    rule = _rule(path, str(read("rule", values.parse_text)), place, ruleset)
    # said back as written (a reason's 全角 punctuation kept): nothing is matched against them
    reason = str(read("reason", values.parse_name))
    approver = str(read("approver", values.parse_name))
    ticket = read("ticket", values.parse_name)
    expires = read("expires", parse_expiry)
    assert isinstance(expires, date)
    return Waiver(
        merchant_id=merchant_id,
        rule=rule,
        reason=reason,
        approver=approver,
        ticket=None if ticket is None else str(ticket),
        expires=expires,
        ends_at=ends_at(expires),
        row=row,
    )


def waivable_codes(ruleset: RuleSet | None) -> list[str]:
    """The rule codes a waiver may name, sorted: the blocker, step and advisory rules that
    `ruleset` enables (every registered one without a rule set)."""
    from renewal.checks import REGISTRY

    codes = REGISTRY if ruleset is None else [c for c in ruleset.rules if ruleset.params(c)]
    return sorted(c for c in codes if c in REGISTRY and REGISTRY[c].role in WAIVABLE_ROLES)


def _rule(path: Path, text: str, place: dict[str, object], ruleset: RuleSet | None) -> str:
    """The rule code a waiver names, refused when it is unknown, not waivable, or not a
    rule of the run's year: such a waiver could never apply, so it is the same mistake as
    an unknown code (a stale row or the wrong file), and stops the run as that does."""
    from renewal.checks import REGISTRY

    code = text.strip().upper()
    registered = REGISTRY.get(code)
    if registered is None:
        if re.fullmatch(r"LD\d\d", code):
            raise WaiverError("waiver.not_waivable_load", path=path, rule=code, **place)
        known = ", ".join(waivable_codes(ruleset))
        raise WaiverError("waiver.unknown_rule", path=path, rule=text, known=known, **place)
    if registered.role not in WAIVABLE_ROLES:
        raise WaiverError(
            "waiver.not_waivable", path=path, rule=code, role=registered.role, **place
        )
    if ruleset is not None and ruleset.params(code) is None:
        raise WaiverError(
            "waiver.not_in_ruleset",
            path=path,
            rule=code,
            ruleset=ruleset.id,
            known=", ".join(waivable_codes(ruleset)),
            **place,
        )
    return code


def parse_expiry(cell: object) -> date | datetime | None:
    """A day (a date alone: valid through that whole day) or a moment, Beijing time
    (`dates.parse_expiry`, which a qualification's 到期日期 is read by too)."""
    return dates.parse_expiry(cell)


def ends_at(expires: date | datetime) -> datetime:
    """The first moment a waiver no longer applies: the moment written, or 00:00 of the
    day after a date."""
    return lapse_of(expires)
