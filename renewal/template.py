"""`renewal template`: an empty export for a merchant or an agency to fill in by hand.

The workbook has every intake column under its Chinese header (what 商家中心 exports and
what `check`'s messages quote), the English keys in a hidden row below it (intake reads the
pair as one header), a drop-down list wherever the value is a choice, date and amount
formats, a comment on each header saying what to enter and where in 商家中心 to find it,
one example row (商家ID 示例, which intake skips as it skips a note line), and the 违规记录
and 资质 sheets. The lists come from the tables intake reads the values with, and the store
types from the rule set's deposit table, so a value picked from a list is a value `check`
reads. `--lang` changes the comments and the instructions only: headers, sheet names and
list words stay Chinese, so templates written in either language are the same file to
`check`, and rows from a platform export can be pasted in as they are.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from renewal import i18n
from renewal.checks.blockers import BlockerParams
from renewal.checks.decisive import decisive_days
from renewal.checks.deposit import DepositParams
from renewal.checks.fee import AnnualFeeParams
from renewal.checks.qualifications import QualificationParams
from renewal.checks.registry import REGISTRY
from renewal.checks.scope import ScopeParams
from renewal.intake.columns import (
    MERCHANT_COLUMNS,
    MERCHANT_SHEETS,
    QUALIFICATION_COLUMNS,
    QUALIFICATION_SHEETS,
    VIOLATION_COLUMNS,
    VIOLATION_SHEETS,
    Column,
)
from renewal.intake.records import EXAMPLE_ID
from renewal.intake.supporting import APPEAL_STATE_CHOICES, VIOLATION_KIND_CHOICES
from renewal.intake.values import BOOL_CHOICES, TRADEMARK_CHOICES
from renewal.render.output import atomic_file
from renewal.ruleset import RuleSet, StepParams
from renewal.template_help import CATEGORY_DECIDES, HELP, INSTRUCTIONS, SHEET_HELP, TEXT
from renewal.timeutil import to_beijing

LAST_ROW = 1_048_575
"""Excel's last row (0-based): drop-downs and formats reach every row a user may fill."""
HEADER, KEYS, EXAMPLE = 0, 1, 2
"""0-based rows: the Chinese header, the hidden English keys, the example row."""

STEP_OF: dict[str, str] = {
    "signup_at": "DL01",
    "agreement_signed_at": "DL02",
    "deposit_required": "DP01",
    "deposit_balance": "DP01",
    "deposit_topped_up_at": "DP01",
    "deposit_insurance_renewed_at": "DP01",
    "annual_fee_required": "AF01",
    "annual_fee_paid": "AF01",
    "annual_fee_paid_at": "AF01",
    "service_opened_at": "AS01",
}
"""Columns whose place in 商家中心 is the step's own `where` in the rule file."""

_FORMATS = {
    "id": "@",
    "text": "@",
    "name": "@",
    "trademark": "@",
    "bool": "@",
    "datetime": "yyyy-mm-dd hh:mm",
    "date": "yyyy-mm-dd",
    "expiry": "yyyy-mm-dd",
    "amount": "#,##0.00",
    "due": "#,##0.00",
    "points": "General",
    "score": "General",
}
_WIDTHS = {"datetime": 18, "date": 12, "expiry": 12, "amount": 14, "due": 14, "id": 16}
_EXAMPLE_CATEGORY = "男装"
"""The example's category when the year has no fee table to take one from."""


class TemplateProblem(Exception):
    """The template cannot be written where asked: one line, exit 2."""


@dataclass(frozen=True)
class Sheet:
    """One sheet of the template: the intake's name for it and its columns."""

    name: str
    columns: tuple[Column, ...]
    kind: str  # merchant | violation | qualification


SHEETS = (
    Sheet(MERCHANT_SHEETS[0], MERCHANT_COLUMNS, "merchant"),
    Sheet(VIOLATION_SHEETS[0], VIOLATION_COLUMNS, "violation"),
    Sheet(QUALIFICATION_SHEETS[0], QUALIFICATION_COLUMNS, "qualification"),
)


def used_columns(ruleset: RuleSet) -> dict[str, list[str]]:
    """Merchant column -> the codes of the year's rules that read it."""
    used: dict[str, list[str]] = {}
    for code in ruleset.rules:
        params = ruleset.params(code)
        if params is None:
            continue
        rule = REGISTRY.get(code)
        reads = list(rule.reads) if rule is not None else []
        if isinstance(params, BlockerParams):
            reads.append(params.column)
        if isinstance(params, DepositParams) and params.insurance is not None:
            reads.append("deposit_insurance_renewed_at")
        for key in reads:
            used.setdefault(key, []).append(code)
    return used


def choices(column: Column, ruleset: RuleSet) -> tuple[tuple[str, ...], bool]:
    """The drop-down words of a column (none when it is not a choice) and whether another
    value is refused (False: Excel warns but lets it in)."""
    if column.key == "store_type":
        deposit = ruleset.params("DP01")
        if isinstance(deposit, DepositParams):
            return tuple(tier.store_type for tier in deposit.table), False
        return (), False
    if column.kind == "bool":
        return BOOL_CHOICES, True
    if column.kind == "trademark":
        return TRADEMARK_CHOICES, True
    if column.key == "violation_type":
        return VIOLATION_KIND_CHOICES, True
    if column.key == "appeal_status":
        return APPEAL_STATE_CHOICES, True
    return (), False


def _naive(moment: datetime) -> datetime:
    """A Beijing-time moment as the naive datetime a spreadsheet cell holds."""
    return to_beijing(moment).replace(tzinfo=None)


def example_rows(ruleset: RuleSet, lang: str) -> dict[str, dict[str, object]]:
    """Sheet kind -> the example's values: a merchant that renews under `ruleset` (a test
    checks it does), with the amounts the rule set would require left blank to compute."""
    used = used_columns(ruleset)
    cycle = ruleset.cycle
    done = _naive(min(cycle.window_opens + timedelta(days=1), cycle.window_closes))
    scope = ruleset.params("SC01")
    cutoff = scope.signed_at_or_before if isinstance(scope, ScopeParams) else cycle.window_opens
    signed = _naive(cutoff - timedelta(days=365)).replace(hour=10, minute=0, second=0)
    deposit = ruleset.params("DP01")
    fee = ruleset.params("AF01")
    category = fee.tiers[0].category if isinstance(fee, AnnualFeeParams) else _EXAMPLE_CATEGORY
    merchant: dict[str, object] = {
        "merchant_id": EXAMPLE_ID,
        "shop_name": TEXT[lang]["example_shop"],
        "category": category,
        "contract_signed_at": signed,
        "signup_at": done,
        "agreement_signed_at": done,
        "appeal_pending": BOOL_CHOICES[1],
        "serious_points": 0,
        "general_points": 0,
        "service_opened_at": signed,
    }
    if isinstance(deposit, DepositParams) and deposit.table:
        tier = next((t for t in deposit.table if t.R is not None), deposit.table[0])
        trademark = TRADEMARK_CHOICES[0]
        required = deposit.required_for(tier.store_type, trademark, category)
        merchant.update(store_type=tier.store_type, trademark=trademark)
        if required is not None:
            merchant.update(deposit_balance=required, deposit_topped_up_at=done)
    if isinstance(fee, AnnualFeeParams):
        paid = fee.required_for(category)
        if paid is not None:
            merchant.update(annual_fee_paid=paid, annual_fee_paid_at=done)
    for column in MERCHANT_COLUMNS:
        if column.kind == "bool":
            merchant.setdefault(column.key, BOOL_CHOICES[1])
    shown = {"merchant_id", "shop_name"}
    merchant = {key: value for key, value in merchant.items() if key in used or key in shown}
    until = _valid_until(ruleset)
    return {
        "merchant": merchant,
        "violation": {
            "merchant_id": EXAMPLE_ID,
            "penalized_on": (done - timedelta(days=60)).date(),
            "violation_type": VIOLATION_KIND_CHOICES[1],
            "points": 2,
            "appeal_status": APPEAL_STATE_CHOICES[0],
        },
        "qualification": {
            "merchant_id": EXAMPLE_ID,
            "qualification_type": TEXT[lang]["example_document"],
            "certificate_no": TEXT[lang]["example_certificate"],
            "expires_on": _naive(until).date() + timedelta(days=365),
        },
    }


def _valid_until(ruleset: RuleSet) -> datetime:
    """The moment a document must stay valid until: QL01's, else the new contract year's end."""
    validity = ruleset.params("QL01")
    if isinstance(validity, QualificationParams):
        return validity.must_stay_valid_until
    return ruleset.cycle.contract_year_ends


def example_times(ruleset: RuleSet) -> dict[str, str]:
    """The times the hints give as examples, from the rule set's own year, so a 2022
    template never shows a 2025 date: a time inside the window, a penalty date before it,
    and the last day of the new contract year, through which a document must stay valid."""
    cycle = ruleset.cycle
    opens = to_beijing(cycle.window_opens)
    inside = (opens + timedelta(days=6)).replace(hour=14, minute=30, second=0, microsecond=0)
    if inside > cycle.window_closes:  # a window of under a week: its opening day
        inside = opens
    until = _valid_until(ruleset)
    return {
        "datetime": i18n.moment(inside),
        "date": i18n.day((opens - timedelta(days=60)).date()),
        "expiry": i18n.day((to_beijing(until) - timedelta(seconds=1)).date()),
    }


def header_comment(sheet: Sheet, column: Column, ruleset: RuleSet, lang: str) -> str:
    """What to enter in a column, where in 商家中心 it is, and whether the year uses it."""
    text = TEXT[lang]
    en = lang == "en"
    lines = [f"{column.header} ({column.key})"]
    if sheet.kind == "merchant":
        readers = used_columns(ruleset).get(column.key)
        if column.required:
            lines.append(text["required"])
        elif readers:
            lines.append(text["used"].format(ruleset=ruleset.id, codes=", ".join(readers)))
        elif column.key != "shop_name":
            lines.append(text["unused"].format(ruleset=ruleset.id))
    else:
        readers = [code for code in _SHEET_READERS[sheet.kind] if ruleset.params(code)]
        if not readers:
            lines.append(text["sheet_unused"].format(ruleset=ruleset.id))
        elif column.required:
            lines.append(text["required_here"])
    lines.append(HELP[sheet.kind][column.key][1 if en else 0])
    if sheet.kind == "merchant" and column.key == "category":
        decides = [
            CATEGORY_DECIDES[code][1 if en else 0]
            for code in used_columns(ruleset).get("category", [])
            if code in CATEGORY_DECIDES
        ]
        if decides:
            what = i18n.listed(decides, lang)
            lines.append(text["category_decides"].format(ruleset=ruleset.id, what=what))
    step = ruleset.params(STEP_OF.get(column.key, "")) if sheet.kind == "merchant" else None
    if isinstance(step, StepParams):
        label, where = (step.label_en, step.where_en) if en else (step.label, step.where)
        lines.append(text["where"].format(label=label, where=where))
    blocker = next(
        (
            p
            for p in (ruleset.params(code) for code in ruleset.rules)
            if isinstance(p, BlockerParams) and p.column == column.key
        ),
        None,
    )
    if blocker is not None and sheet.kind == "merchant":
        blocks = i18n.listed([_step_label(ruleset, code, lang) for code in blocker.blocks], lang)
        label, fix = (blocker.label_en, blocker.fix_en) if en else (blocker.label, blocker.fix)
        lines.append(text["blocker"].format(label=label, blocks=blocks, fix=fix))
    if column.key == "expires_on":
        validity = ruleset.params("QL01")
        if isinstance(validity, QualificationParams):
            last = i18n.day((validity.must_stay_valid_until - timedelta(seconds=1)).date())
            lines.append(text["valid_until"].format(day=last))
    words, strict = choices(column, ruleset)
    if words:
        lines.append(text["pick" if strict else "pick_or_type"].format(words=" / ".join(words)))
    kind_hint = text.get(f"kind.{column.kind}")
    days = decisive_days(column.key, ruleset) if column.kind == "datetime" else []
    if days:
        listed = i18n.listed([i18n.day(day) for day in days], lang)
        kind_hint = text["kind.datetime.days"].format(days=listed, **example_times(ruleset))
    elif kind_hint:
        kind_hint = kind_hint.format(**example_times(ruleset))
    if kind_hint:
        lines.append(kind_hint)
    if column.key == "merchant_id" and sheet.kind != "merchant":
        lines.append(SHEET_HELP[sheet.kind][1 if en else 0])
    return "\n".join(lines)


_SHEET_READERS = {"violation": ("TB01",), "qualification": ("QL01", "QR01")}


def _step_label(ruleset: RuleSet, code: str, lang: str) -> str:
    params = ruleset.params(code)
    if isinstance(params, StepParams):
        return params.label_en if lang == "en" else params.label
    return code


def _comment_size(text: str, lang: str) -> dict[str, int]:
    """Enough room for the text: a comment box does not grow by itself."""
    per_line = 44 if lang == "en" else 22
    lines = sum(max(1, math.ceil(len(line) / per_line)) for line in text.split("\n"))
    return {"width": 330, "height": 16 * lines + 16}


class _Styles:
    """The workbook's cell formats, made once."""

    def __init__(self, book: xlsxwriter.Workbook) -> None:
        base = {"valign": "top"}
        self.header = {
            state: book.add_format(
                {**base, "bold": True, "text_wrap": True, "border": 1, "bg_color": colour}
                | ({"font_color": "#7F7F7F"} if state == "unused" else {})
            )
            for state, colour in (
                ("required", "#F8CBAD"),
                ("used", "#DDEBF7"),
                ("unused", "#EDEDED"),
            )
        }
        self.keys = book.add_format({"font_color": "#7F7F7F", "italic": True})
        self.column = {kind: book.add_format({"num_format": fmt}) for kind, fmt in _FORMATS.items()}
        self.example = {
            kind: book.add_format(
                {"num_format": fmt, "italic": True, "font_color": "#7F7F7F", "bg_color": "#FFF2CC"}
            )
            for kind, fmt in _FORMATS.items()
        }
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})


def _write_sheet(
    book: xlsxwriter.Workbook,
    styles: _Styles,
    sheet: Sheet,
    ruleset: RuleSet,
    example: dict[str, object],
    lang: str,
) -> None:
    text = TEXT[lang]
    page: Worksheet = book.add_worksheet(sheet.name)
    used = used_columns(ruleset)
    sheet_used = sheet.kind == "merchant" or any(
        ruleset.params(code) for code in _SHEET_READERS[sheet.kind]
    )
    for index, column in enumerate(sheet.columns):
        if column.required:
            state = "required"
        elif sheet.kind == "merchant":
            state = "used" if column.key in used or column.key == "shop_name" else "unused"
        else:
            state = "used" if sheet_used else "unused"
        width = max(_WIDTHS.get(column.kind, 10), 2 * len(column.header) + 2)
        page.set_column(index, index, width, styles.column[column.kind])
        page.write_string(HEADER, index, column.header, styles.header[state])
        page.write_string(KEYS, index, column.key, styles.keys)
        comment = header_comment(sheet, column, ruleset, lang)
        page.write_comment(HEADER, index, comment, _comment_size(comment, lang))
        _write_example_cell(page, index, column, example.get(column.key), styles)
        words, strict = choices(column, ruleset)
        if words:
            page.data_validation(
                EXAMPLE,
                index,
                LAST_ROW,
                index,
                {
                    "validate": "list",
                    "source": list(words),
                    "ignore_blank": True,
                    "error_type": "stop" if strict else "warning",
                    "error_title": text["list_title"],
                    "error_message": text["list_stop" if strict else "list_warning"].format(
                        words=" / ".join(words), ruleset=ruleset.id
                    ),
                },
            )
    page.set_row(HEADER, 48)
    page.set_row(KEYS, None, None, {"hidden": True})
    note = text["example_note"]
    page.write_comment(EXAMPLE, 0, note, _comment_size(note, lang))
    page.freeze_panes(EXAMPLE, 1)


def _write_example_cell(
    page: Worksheet, index: int, column: Column, value: object, styles: _Styles
) -> None:
    style = styles.example[column.kind]
    if value is None:
        page.write_blank(EXAMPLE, index, None, style)
    elif isinstance(value, datetime | date):
        page.write_datetime(EXAMPLE, index, value, style)
    elif isinstance(value, int | float):
        page.write_number(EXAMPLE, index, value, style)
    else:
        page.write_string(EXAMPLE, index, str(value), style)


def _write_instructions(
    book: xlsxwriter.Workbook, styles: _Styles, ruleset: RuleSet, target: Path, ref: str, lang: str
) -> None:
    text = TEXT[lang]
    page: Worksheet = book.add_worksheet(text["instructions_sheet"])
    page.set_column(0, 0, 110, styles.wrap)
    cycle = ruleset.cycle
    scope = ruleset.params("SC01")
    cutoff = scope.signed_at_or_before if isinstance(scope, ScopeParams) else cycle.window_opens
    name = ruleset.name_en if lang == "en" else ruleset.name
    steps = [
        text["step"].format(
            code=code,
            label=params.label_en if lang == "en" else params.label,
            where=params.where_en if lang == "en" else params.where,
        )
        for code in ruleset.rules
        if isinstance(params := ruleset.params(code), StepParams)
    ]
    values: dict[str, Any] = {
        "name": name,
        "ruleset": ruleset.id,
        "ref": ref,
        "opens": i18n.moment(cycle.window_opens),
        "closes": i18n.moment(cycle.window_closes),
        "cutoff": i18n.moment(cutoff),
        "file": target.name,
        "merchants": MERCHANT_SHEETS[0],
        "violations": VIOLATION_SHEETS[0],
        "qualifications": QUALIFICATION_SHEETS[0],
        "example": EXAMPLE_ID,
        "first_row": EXAMPLE + 2,
        "example_row": EXAMPLE + 1,
        **example_times(ruleset),
    }
    lines = [text["title"].format(**values), ""]
    lines += [line.format(**values) for line in INSTRUCTIONS[lang]]
    lines += ["", text["steps"].format(**values), *steps]
    for row, line in enumerate(lines):
        page.write_string(row, 0, line, styles.title if row == 0 else styles.wrap)


def build(ruleset: RuleSet, lang: str, target: Path, ref: str | None = None) -> bytes:
    """The template workbook's bytes; `ref` is how the instructions name the rule set to
    check with (the --rules given, else the id)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(
        {"title": TEXT[lang]["title"].format(name=ruleset.name, ruleset=ruleset.id)}
    )
    styles = _Styles(book)
    examples = example_rows(ruleset, lang)
    for sheet in SHEETS:
        _write_sheet(book, styles, sheet, ruleset, examples[sheet.kind], lang)
    _write_instructions(book, styles, ruleset, target, ref or ruleset.id, lang)
    book.close()
    return buffer.getvalue()


def write(target: Path, ruleset: RuleSet, lang: str, force: bool, ref: str | None = None) -> None:
    """Write the template atomically; refuse to replace a file unless `force` (a template
    is filled in by hand: the file there may be someone's work, not a report to rerun)."""
    messages = i18n.catalog(lang)
    if target.suffix.lower() != ".xlsx":
        raise TemplateProblem(messages["template.suffix"].format(path=target))
    if target.is_dir():
        raise TemplateProblem(messages["template.is_dir"].format(path=target))
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise TemplateProblem(messages["template.no_dir"].format(path=target))
    if target.exists() and not force:
        raise TemplateProblem(messages["template.exists"].format(path=target))
    content = build(ruleset, lang, target, ref)
    with atomic_file(target) as stream:
        stream.write(content)
