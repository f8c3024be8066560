"""The Excel report: the user's export handed back, annotated, plus 汇总 and 明细 sheets.

Written with xlsxwriter in constant_memory mode (rows go to disk as they are finished, so
memory stays flat at a million rows; io-benchmarks.md measured it at 0.55x the time of
openpyxl's write_only), to files that do not outlive the run (renewal.render.xlsx_book).
Text from the export is written as text, never as a formula: a cell
that would start one (=, +, -, @, tab, CR) gets Excel's quote prefix, so it shows as typed
and stays text even when edited.

Sheets: the annotated rows (named as the export's sheet, with a frozen header, an
autofilter and outcome colours), 汇总 (counts per outcome, per failing rule and per store
type; the rule set, as-of and input stamp), 明细 (one row per finding that is neither a
pass nor not applicable), then the export's supporting sheets (违规记录, 资质 …) as the
run read them, so that the report checked again judges as this run did. A sheet that
would pass Excel's row limit continues on another.
The cells and sheets are written through `renewal.render.xlsx_cells`; 汇总 is drawn by
`renewal.render.xlsx_summary`.

What staff act on is never cut off by the cell beside it: 店铺名称, 问题 and 下一步 wrap
(no row height is written, so Excel fits each row to its wrapped text when it opens the
file), and 剩余时间 is as wide as its longest text in the report's language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import BinaryIO

from xlsxwriter.format import Format as CellFormat
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from renewal import i18n
from renewal.catalog import find
from renewal.checks.deposit import DepositParams
from renewal.intake.columns import MERCHANT_COLUMNS
from renewal.intake.values import Unreadable, parse_text
from renewal.model import MerchantResult
from renewal.render.annotated import (
    APPENDED,
    AnnotatedRenderer,
    Moments,
    SupportingSheets,
    annotation,
    headers,
    left_out,
    source_text,
    without_sheet,
)
from renewal.render.cells import GUARDED_INITIALS
from renewal.render.output import OutputError
from renewal.render.xlsx_book import Workbook
from renewal.render.xlsx_cells import (
    MAX_CHARS,
    Formats,
    Sheets,
    finding_value,
    hand_back,
    sheet_name,
    text_width,
)
from renewal.render.xlsx_summary import DETAIL_STATUSES, write_summary
from renewal.report import ReportHeader

_TEXT = {
    "zh": {
        "summary": "汇总",
        "detail": "明细",
        "title": "续签检查汇总",
        "ruleset": "规则集",
        "as_of": "评估时间（北京时间）",
        "deadline": "截止时间",
        "input": "输入文件",
        "size": "文件大小（字节）",
        "sha256": "SHA-256",
        "sheet": "工作表 / 表头行",
        "tool": "工具版本",
        "outcomes": "按检查结果",
        "count": "商家数",
        "total": "合计",
        "deposit_total": "尚欠保证金合计",
        "fee_total": "应缴年费合计",
        "deposit_shortfall_unknown": "保证金金额未知（家，未计入合计）",
        "annual_fee_due_unknown": "年费金额未知（家，未计入合计）",
        "eligible": "可转淘宝企业店",
        "due_soon": "距截止不足 {within} 的待完成商家（--due-soon）",
        "waivers": "豁免文件（--waivers）",
        "waivers_applied": "已生效的豁免",
        "waivers_expired": "已过期的豁免",
        "waivers_expiring": "7 天内到期的豁免",
        "waivers_unused": "未使用的豁免（商家没有对应的未通过或警告项）",
        "waivers_not_in_export": "商家不在导出中的豁免",
        "rules": "按规则（未通过、警告、错误、已豁免的商家数）",
        "rule": "规则",
        "title_col": "名称",
        "store_types": "按店铺类型",
        "store_type": "店铺类型",
        "blank": "（空）",
        "file": "读取情况",
        "rows_read": "商家行",
        "blank_rows": "跳过的空行",
        "other_lines": "跳过的其他行（合计、说明等）",
        "unmatched": "未对应商家的违规/资质行",
        "duplicates": "重复的商家ID",
        "notes": "提示",
        "cut": (
            "{count} 个单元格的文字超过 Excel 每格 {limit} 个字符的上限，已截断并以“…”结尾"
            "（第一个：工作表「{sheet}」{cell}）；完整内容见 JSON 或 CSV 报告"
        ),
        "cut.one": (
            "1 个单元格的文字超过 Excel 每格 {limit} 个字符的上限，已截断并以“…”结尾"
            "（工作表「{sheet}」{cell}）；完整内容见 JSON 或 CSV 报告"
        ),
        "status": "状态",
        "message": "说明",
        "expected": "应为",
        "actual": "实际",
        "source": "来源",
        "owed": "欠款",
        "remedy": "处理办法",
    },
    "en": {
        "summary": "Summary",
        "detail": "Findings",
        "title": "Renewal check summary",
        "ruleset": "Rule set",
        "as_of": "As of (Beijing time)",
        "deadline": "Deadline",
        "input": "Input file",
        "size": "Size (bytes)",
        "sha256": "SHA-256",
        "sheet": "Sheet / header row",
        "tool": "Tool version",
        "outcomes": "By outcome",
        "count": "Merchants",
        "total": "Total",
        "deposit_total": "Deposit still owed",
        "fee_total": "Annual fee still owed",
        "deposit_shortfall_unknown": "Merchants whose deposit owed is unknown (not in the total)",
        "annual_fee_due_unknown": "Merchants whose annual fee owed is unknown (not in the total)",
        "eligible": "May move to a Taobao enterprise store",
        "due_soon": "Pending merchants with less than {within} left (--due-soon)",
        "waivers": "Waiver file (--waivers)",
        "waivers_applied": "Waivers applied",
        "waivers_expired": "Waivers expired",
        "waivers_expiring": "Waivers ending within 7 days",
        "waivers_unused": "Waivers unused (no failing or warning finding to cover)",
        "waivers_not_in_export": "Waivers for merchants not in the export",
        "rules": "By rule (merchants failing, warned, in error, waived)",
        "rule": "Rule",
        "title_col": "Title",
        "store_types": "By store type",
        "store_type": "Store type",
        "blank": "(blank)",
        "file": "Reading",
        "rows_read": "Merchant rows",
        "blank_rows": "Blank lines skipped",
        "other_lines": "Other lines skipped (totals, notes)",
        "unmatched": "Violation/qualification rows with no merchant",
        "duplicates": "Duplicated merchant ids",
        "notes": "Notes",
        "cut": (
            "{count} cells held more than Excel's {limit} characters a cell and were cut,"
            " ending in “…” (the first: sheet {sheet}, {cell}); the JSON or CSV report has"
            " them in full"
        ),
        "cut.one": (
            "A cell held more than Excel's {limit} characters a cell and was cut, ending in"
            " “…” (sheet {sheet}, {cell}); the JSON or CSV report has it in full"
        ),
        "status": "Status",
        "message": "Message",
        "expected": "Expected",
        "actual": "Actual",
        "source": "Source",
        "owed": "Owed",
        "remedy": "Remedy",
    },
}


_KIND_WIDTHS = {"datetime": 19, "date": 11, "amount": 13, "due": 13, "id": 16, "name": 24}
"""Widths the export's own columns get, by what they hold: wide enough that Excel shows a
date and time, not ########, and a shop name (wrapped, see `_export_columns`) on one or two
lines. A column renewal does not read keeps Excel's default."""


def _export_columns(
    header: ReportHeader, formats: Formats
) -> dict[int, tuple[float, CellFormat | None]]:
    """Column -> (width, default format) for the export's columns renewal reads. An id
    column's numbers are shown whole (format 0), not as 2.90935E+12: calamine hands back a
    cell's value, not the export's number format. A shop name wraps: a long one is shown
    whole, not cut off by the cell to its right."""
    kinds = {column.key: column.kind for column in MERCHANT_COLUMNS}
    found: dict[int, tuple[float, CellFormat | None]] = {}
    for field, column in header.positions.items():
        kind = kinds.get(field)
        if kind in _KIND_WIDTHS:
            shown = {"id": formats.whole, "name": formats.wrap}.get(kind)
            found[column] = (_KIND_WIDTHS[kind], shown)
    return found


_NUMBER_KINDS = frozenset({"amount", "due", "points", "score"})
"""The export's columns whose cells intake reads as numbers (see `_csv_numbers`)."""

_PLAIN_NUMBER = re.compile(r"0|-?[1-9]\d{0,9}(?:\.\d{0,4}[1-9])?|-?0\.\d{0,4}[1-9]")
"""A number written as Excel's General format shows it: no sign but a minus, no leading
zero, no trailing zero after the point, no grouping, unit or exponent, and few enough
digits that Excel keeps and shows them all (`50000`, `-1234.5`, `4.8`)."""


def _csv_numbers(header: ReportHeader) -> list[int]:
    """The columns of a CSV export whose plain numbers the workbook writes as numbers.

    A CSV has no types, so every cell would be text, and an amount column would SUM to 0.
    A cell of an amount, points or score column (`_NUMBER_KINDS`) whose text is a plain
    number (`_PLAIN_NUMBER`) is written as that number, which Excel shows exactly as it
    was typed; anything else (`50,000元`, `5万`, `060000`, `12.50`) stays text, as typed.
    Ids and every other column stay text (a long id as a number loses digits), and so do
    dates: a date cell shows every time in one format, not as it was typed (`2021/12/26`,
    `2021年12月26日24时`). A workbook export keeps the types its own cells have."""
    if header.input.get("kind") != "csv":
        return []
    kinds = {column.key: column.kind for column in MERCHANT_COLUMNS}
    return sorted(
        column for field, column in header.positions.items() if kinds.get(field) in _NUMBER_KINDS
    )


def _store_type_group(header: ReportHeader) -> Callable[[object], str]:
    """A 店铺类型 cell -> the store type 汇总 counts it under: the deposit table's name for
    the type the deposit rule resolves it to (旗舰, flagship and 旗舰店 are one type); a type
    the rule set does not know (or a year without the deposit rule) as intake reads it,
    trimmed and width-folded; blank as ""."""
    rules = header.rules
    params = rules.params("DP01") if rules is not None else None
    deposit = params if isinstance(params, DepositParams) else None

    def group(raw: object) -> str:
        try:
            text = parse_text(raw) or ""
        except Unreadable:
            text = str(raw).strip()
        if deposit is None or not text:
            return text
        return deposit.store_type_name(text) or text

    return group


_APPENDED_COLUMNS: dict[str, tuple[float, Callable[[Formats], CellFormat | None]]] = {
    "outcome": (10, lambda formats: None),
    "problems": (60, lambda formats: formats.wrap),
    "deposit_due": (12, lambda formats: formats.money),
    "fee_due": (12, lambda formats: formats.money),
    "deadline": (17, lambda formats: None),
    "time_left": (14, lambda formats: None),
    "transfer": (14, lambda formats: None),
    "next_action": (60, lambda formats: formats.wrap),
    "source_sheet": (12, lambda formats: None),
}
"""The appended columns' widths and default formats (剩余时间's width is set again once
its longest text is known; 原行号 keeps Excel's default; 原工作表 shows 商家 (2) whole)."""

EXCEL_COLUMNS = 16_384
"""Columns in a worksheet, A to XFD: the file format's limit."""


class XlsxRenderer(AnnotatedRenderer):
    """The annotated workbook (see renewal.render.annotated); always to a file."""

    def __init__(self, target: Path) -> None:
        super().__init__(target)

    def begin(self, header: ReportHeader) -> None:
        super().begin(header)
        self.refuse_too_wide(len(header.columns))  # before the rows, where the header says so

    def refuse_too_wide(self, width: int) -> None:
        """The verdict goes in columns after the export's own; a sheet ends at XFD. 原工作表
        counts once the rows are known to come from more than one sheet (at `write`)."""
        assert self.header is not None
        appended = len(APPENDED) - (without_sheet(self.header) is not None)
        if width + appended > EXCEL_COLUMNS:
            reason = i18n.catalog(self.header.lang)["xlsx.too_wide"].format(
                width=f"{width:,}", appended=appended, limit=f"{EXCEL_COLUMNS:,}"
            )
            raise OutputError(self.target or Path("-"), reason)

    def write(
        self, stream: BinaryIO, summary: dict[str, object], fixes: dict[int, MerchantResult]
    ) -> None:
        header = self.header
        assert header is not None
        supporting = SupportingSheets(header)  # the first is parsed meanwhile
        lang = header.lang
        text = {**_TEXT["en" if lang == "en" else "zh"], **i18n.listing_labels(lang)}
        book = Workbook(
            stream,
            {
                "constant_memory": True,
                "nan_inf_to_errors": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "date_1904": header.date1904,
            },
        )
        # the as-of, not the wall clock, as the creation time: a rerun gives the same file
        created = header.as_of.astimezone(UTC).replace(tzinfo=None)
        book.set_properties({"title": text["title"], "created": created})
        formats = Formats(book)
        own = self.own_header()
        width = len(own)
        # no 应缴年费 column in a year without an annual fee (2025年度), and no 原工作表 when
        # every row is on one sheet, as in the CSV
        dropped = left_out(header)
        kept = [at for at in range(len(APPENDED)) if at not in dropped]
        appended = [headers(lang)[at] for at in kept]
        place = {APPENDED[at]: width + offset for offset, at in enumerate(kept)}
        fee_column = place.get("fee_due")
        self.refuse_too_wide(width)
        data_name = sheet_name(
            str(header.input.get("sheet") or "merchants"), {text["summary"], text["detail"]}
        )

        export_widths = _export_columns(header, formats)
        # a cell that needs the quote prefix keeps its column's wrapping
        guards = {
            column: formats.wrap_guarded
            for column, (_, column_format) in export_widths.items()
            if column_format is formats.wrap
        }
        left_column = place["time_left"]
        lefts: set[str] = set()  # every 剩余时间 written: the column is as wide as the widest

        def data_setup(sheet: Worksheet) -> None:
            for column, (column_width, column_format) in export_widths.items():
                sheet.set_column(column, column, column_width, column_format)
            for key, (column_width, column_format) in _APPENDED_COLUMNS.items():
                if key in place:
                    sheet.set_column(place[key], place[key], column_width, column_format(formats))

        data = Sheets(
            book,
            data_name,
            [(name, formats.header) for name in own]
            + [(name, formats.appended_header) for name in appended],
            data_setup,
        )
        summary_sheet = book.add_worksheet(sheet_name(text["summary"], set()))
        sheet_column, row_column = place.get("source_sheet"), place["source_row"]
        # 明细 names a finding's row as the rows do: by its sheet too when there are several
        shift = int(sheet_column is not None)
        detail_head = [
            text["merchant_id"],
            text["shop"],
            *([appended[sheet_column - width]] if sheet_column is not None else []),
            appended[row_column - width],
            appended[place["outcome"] - width],
            text["rule"],
            text["title_col"],
            text["status"],
            text["message"],
            text["expected"],
            text["actual"],
            text["source"],
            text["owed"],
            text["remedy"],
        ]

        def detail_setup(sheet: Worksheet) -> None:
            sheet.set_column(0, 1, 18)
            if shift:
                sheet.set_column(2, 2, _APPENDED_COLUMNS["source_sheet"][0])
            sheet.set_column(5 + shift, 5 + shift, 30)
            sheet.set_column(7 + shift, 7 + shift, 60, formats.wrap)
            # a date and time with its seconds, not ########
            sheet.set_column(8 + shift, 9 + shift, 20)
            sheet.set_column(10 + shift, 10 + shift, 24)
            # the last column: its text runs on, never cut
            sheet.set_column(12 + shift, 12 + shift, 50)

        detail = Sheets(
            book,
            sheet_name(text["detail"], set()),
            [(name, formats.header) for name in detail_head],
            detail_setup,
        )

        moments = Moments()
        by_rule: dict[str, Counter[str]] = {}
        by_store: dict[str, Counter[str]] = {}
        store_column = header.positions.get("store_type")
        store_group = _store_type_group(header)
        store_groups: dict[tuple[type, object], str] = {}  # a run has a few store types
        numbers = _csv_numbers(header)
        titles: dict[str, str] = {}
        write_cell = formats.writer()
        guarded, wrap, urgent, money = formats.guarded, formats.wrap, formats.urgent, formats.money
        after_fee = place["deadline"]  # 截止时间 and the columns after it, in order
        for result, cells in self.spool.replay(fixes):
            sheet, row = data.next_row()
            put_text = sheet.write_string
            for column in numbers:  # a CSV export's plain numbers, as numbers
                if column < len(cells):
                    value = cells[column]
                    if type(value) is str and _PLAIN_NUMBER.fullmatch(value):
                        cells[column] = float(value)
            for column, value in enumerate(cells):  # text is most cells: written inline
                if type(value) is str:
                    if value:  # a non-zero status: longer than a cell holds
                        fmt = guards.get(column, guarded) if value[0] in GUARDED_INITIALS else None
                        if put_text(row, column, value, fmt):
                            formats.too_long(sheet, row, column, value, fmt)
                elif value is not None:
                    write_cell(sheet, row, column, value)
            outcome = str(result["outcome"])
            extra = annotation(result, lang, moments)
            label, problems, deposit, fee, deadline, left, transfer, action, on, source_row = extra
            put_text(row, width, label, formats.outcome.get(outcome, formats.plain))
            formats.text(sheet, row, width + 1, problems, wrap)
            if deposit is not None:
                sheet.write_number(row, width + 2, deposit, money)
            if fee is not None and fee_column is not None:
                sheet.write_number(row, fee_column, fee, money)
            if deadline is not None:
                sheet.write_datetime(row, after_fee, deadline, formats.minute)
            left_format = urgent if result.get("due_soon") else None
            formats.text(sheet, row, after_fee + 1, left, left_format)
            lefts.add(left)
            formats.text(sheet, row, after_fee + 2, transfer)
            formats.text(sheet, row, after_fee + 3, action, wrap)
            if sheet_column is not None:
                formats.text(sheet, row, sheet_column, on)
            sheet.write_number(row, row_column, source_row)
            store = ""
            if store_column is not None and store_column < len(cells):
                raw = cells[store_column]
                if raw is not None:
                    key = (type(raw), raw)
                    grouped = store_groups.get(key)
                    if grouped is None:
                        grouped = store_groups[key] = store_group(raw)
                    store = grouped
            by_store.setdefault(store, Counter())[outcome] += 1
            for found in result["findings"]:
                status = str(found["status"])
                if status not in DETAIL_STATUSES:
                    continue
                code = found["rule"]
                by_rule.setdefault(code, Counter())[status] += 1
                title = titles.get(code)
                if title is None:
                    entry = find(code)
                    title = titles[code] = entry.title(lang) if entry is not None else code
                where, at = detail.next_row()
                formats.text(where, at, 0, result["merchant_id"] or "")
                formats.text(where, at, 1, result["shop_name"] or "")
                if shift:
                    formats.text(where, at, 2, on)
                where.write_number(at, 2 + shift, result["row"])
                outcome_format = formats.outcome.get(outcome, formats.plain)
                where.write_string(at, 3 + shift, extra[0], outcome_format)
                where.write_string(at, 4 + shift, code)
                where.write_string(at, 5 + shift, title)
                where.write_string(at, 6 + shift, i18n.status_label(status, lang))
                formats.text(where, at, 7 + shift, found["message"] or "", wrap)
                finding_value(formats, where, at, 8 + shift, found["expected"], lang)
                finding_value(formats, where, at, 9 + shift, found["actual"], lang)
                formats.text(
                    where,
                    at,
                    10 + shift,
                    source_text(dict(found["source"]) if found["source"] else None, lang),
                )
                if found["owed"] is not None:
                    where.write_number(at, 11 + shift, found["owed"], formats.money)
                formats.text(where, at, 12 + shift, found["remedy"] or "")
        # as wide as the widest time left written, marks included (1天6小时（即将截止）),
        # and not narrower than the header: widths are written when the workbook closes
        left_width = max(text_width(text) for text in (*lefts, appended[left_column - width]))
        for sheet, _ in data.sheets:
            sheet.set_column(left_column, left_column, max(left_width, 10))
        data.finish()
        detail.finish()
        # the export's supporting sheets after the report's own, so that a report checked
        # again is judged with them
        supporting.each(lambda name, at, rows: hand_back(book, formats, name, at, rows))
        if formats.cut:
            where, at, column = formats.cut[0]
            cut = text[i18n.counted_key(text, "cut", len(formats.cut))].format(
                count=f"{len(formats.cut):,}",
                limit=f"{MAX_CHARS:,}",
                sheet=where,
                cell=xl_rowcol_to_cell(at, column),
            )
            notes = summary.get("notes")
            summary = {
                **summary,
                "notes": [*(notes if isinstance(notes, list) else []), {"message": cut}],
            }
        write_summary(
            summary_sheet, formats, text, header, summary, by_rule, by_store, titles, lang
        )
        book.close()
