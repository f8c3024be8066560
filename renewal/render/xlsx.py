"""The Excel report: the user's export handed back, annotated, plus 汇总 and 明细 sheets.

Written with xlsxwriter in constant_memory mode (rows go to disk as they are finished, so
memory stays flat at a million rows; io-benchmarks.md measured it at 0.55x the time of
openpyxl's write_only). Text from the export is written as text, never as a formula: a cell
that would start one (=, +, -, @, tab, CR) gets Excel's quote prefix, so it shows as typed
and stays text even when edited.

Sheets: the annotated rows (named as the export's sheet, with a frozen header, an
autofilter and outcome colours), 汇总 (counts per outcome, per failing rule and per store
type; the rule set, as-of and input stamp) and 明细 (one row per finding that is neither a
pass nor not applicable). A sheet that would pass Excel's row limit continues on another.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import BinaryIO

import orjson
import xlsxwriter
from xlsxwriter.format import Format as CellFormat
from xlsxwriter.worksheet import Worksheet

from renewal import i18n
from renewal.catalog import find
from renewal.model import OUTCOME_ORDER, MerchantResult
from renewal.render.annotated import (
    APPENDED,
    AnnotatedRenderer,
    Moments,
    annotation,
    headers,
    source_text,
)
from renewal.render.cells import GUARDED_INITIALS, needs_guard
from renewal.report import ReportHeader
from renewal.timeutil import BEIJING

MAX_ROWS = 1_048_576
"""Excel's rows per sheet, the header row included."""

DETAIL_STATUSES = ("error", "fail", "warn", "waived")
"""明细 lists these findings: a pass or a rule that does not apply is not news."""

_FILLS = {
    "error": ("#E4C1F9", "#5B2C6F"),
    "failed": ("#FFC7CE", "#9C0006"),
    "pending": ("#FFEB9C", "#9C5700"),
    "waived": ("#DDEBF7", "#1F4E78"),
    "renewed": ("#C6EFCE", "#006100"),
    "exempt": ("#EDEDED", "#404040"),
}

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
        "eligible": "可转淘宝企业店",
        "due_soon": "距截止不足 {within} 的待完成商家（--due-soon）",
        "waivers": "豁免文件（--waivers）",
        "waivers_applied": "已生效的豁免",
        "waivers_expired": "已过期的豁免",
        "waivers_expiring": "7 天内到期的豁免",
        "waivers_unused": "未匹配任何商家的豁免",
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
        "eligible": "May move to a Taobao enterprise store",
        "due_soon": "Pending merchants with less than {within} left (--due-soon)",
        "waivers": "Waiver file (--waivers)",
        "waivers_applied": "Waivers applied",
        "waivers_expired": "Waivers expired",
        "waivers_expiring": "Waivers ending within 7 days",
        "waivers_unused": "Waivers that matched nothing",
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
        "status": "Status",
        "message": "Message",
        "expected": "Expected",
        "actual": "Actual",
        "source": "Source",
        "owed": "Owed",
        "remedy": "Remedy",
    },
}

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


class _Sheets:
    """Rows written in order to a sheet, continued on a new sheet at Excel's row limit,
    each continuation starting with the same header row."""

    def __init__(
        self,
        book: xlsxwriter.Workbook,
        name: str,
        header: list[tuple[str, CellFormat]],
        setup: Callable[[Worksheet], None],
    ) -> None:
        self.book = book
        self.name = name
        self.header = header
        self.setup = setup
        self.sheets: list[tuple[Worksheet, int]] = []
        self.sheet: Worksheet = self._new()
        self.row = 1

    def _new(self) -> Worksheet:
        number = len(self.sheets) + 1
        name = self.name if number == 1 else f"{self.name[:26]} ({number})"
        sheet = self.book.add_worksheet(name)
        self.setup(sheet)
        for column, (text, fmt) in enumerate(self.header):
            sheet.write_string(0, column, text, fmt)
        sheet.freeze_panes(1, 0)
        self.sheets.append((sheet, 0))
        return sheet

    def next_row(self) -> tuple[Worksheet, int]:
        if self.row >= MAX_ROWS:
            self._close_current()
            self.sheet = self._new()
            self.row = 1
        row = self.row
        self.row += 1
        return self.sheet, row

    def _close_current(self) -> None:
        sheet, _ = self.sheets[-1]
        self.sheets[-1] = (sheet, self.row - 1)

    def finish(self) -> None:
        """An autofilter over each sheet's rows."""
        self._close_current()
        for sheet, last in self.sheets:
            sheet.autofilter(0, 0, max(last, 1), len(self.header) - 1)


class XlsxRenderer(AnnotatedRenderer):
    """The annotated workbook (see renewal.render.annotated); always to a file."""

    def __init__(self, target: Path) -> None:
        super().__init__(target)

    def write(
        self, stream: BinaryIO, summary: dict[str, object], fixes: dict[int, MerchantResult]
    ) -> None:
        header = self.header
        assert header is not None
        lang = header.lang
        text = {**_TEXT["en" if lang == "en" else "zh"], **i18n.listing_labels(lang)}
        book = xlsxwriter.Workbook(
            stream,
            {
                "constant_memory": True,
                "nan_inf_to_errors": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        # the as-of, not the wall clock, as the creation time: a rerun gives the same file
        created = header.as_of.astimezone(UTC).replace(tzinfo=None)
        book.set_properties({"title": text["title"], "created": created})
        formats = _Formats(book)
        own = self.own_header()
        width = len(own)
        appended = headers(lang)
        data_name = _sheet_name(
            str(header.input.get("sheet") or "merchants"), {text["summary"], text["detail"]}
        )

        def data_setup(sheet: Worksheet) -> None:
            sheet.set_column(width, width, 10)
            sheet.set_column(width + 1, width + 1, 60)
            sheet.set_column(width + 2, width + 3, 12, formats.money)
            sheet.set_column(width + 4, width + 4, 17)
            sheet.set_column(width + 5, width + 6, 14)
            sheet.set_column(width + 7, width + 7, 50)

        data = _Sheets(
            book,
            data_name,
            [(name, formats.header) for name in own]
            + [(name, formats.appended_header) for name in appended],
            data_setup,
        )
        summary_sheet = book.add_worksheet(_sheet_name(text["summary"], set()))
        detail_head = [
            text["merchant_id"],
            text["shop"],
            appended[APPENDED.index("source_row")],
            appended[APPENDED.index("outcome")],
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
            sheet.set_column(5, 5, 30)
            sheet.set_column(7, 7, 60)
            sheet.set_column(10, 10, 24)
            sheet.set_column(12, 12, 50)

        detail = _Sheets(
            book,
            _sheet_name(text["detail"], set()),
            [(name, formats.header) for name in detail_head],
            detail_setup,
        )

        moments = Moments()
        by_rule: dict[str, Counter[str]] = {}
        by_store: dict[str, Counter[str]] = {}
        store_column = header.positions.get("store_type")
        titles: dict[str, str] = {}
        write_cell = formats.writer()
        guarded, wrap, urgent, money = formats.guarded, formats.wrap, formats.urgent, formats.money
        for result, cells in self.spool.replay(fixes):
            sheet, row = data.next_row()
            put_text = sheet.write_string
            for column, value in enumerate(cells):  # text is most cells: written inline
                if type(value) is str:
                    if value:
                        if value[0] in GUARDED_INITIALS:
                            put_text(row, column, value, guarded)
                        else:
                            put_text(row, column, value)
                elif value is not None:
                    write_cell(sheet, row, column, value)
            outcome = str(result["outcome"])
            extra = annotation(result, lang, moments)
            label, problems, deposit, fee, deadline, left, transfer, action, source_row = extra
            put_text(row, width, label, formats.outcome.get(outcome, formats.plain))
            formats.text(sheet, row, width + 1, problems, wrap)
            if deposit is not None:
                sheet.write_number(row, width + 2, deposit, money)
            if fee is not None:
                sheet.write_number(row, width + 3, fee, money)
            if deadline is not None:
                sheet.write_datetime(row, width + 4, deadline, formats.minute)
            formats.text(sheet, row, width + 5, left, urgent if result.get("due_soon") else None)
            formats.text(sheet, row, width + 6, transfer)
            formats.text(sheet, row, width + 7, action)
            sheet.write_number(row, width + 8, source_row)
            store = ""
            if store_column is not None and store_column < len(cells):
                raw = cells[store_column]
                store = "" if raw is None else str(raw).strip()
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
                where.write_number(at, 2, result["row"])
                where.write_string(at, 3, extra[0], formats.outcome.get(outcome, formats.plain))
                where.write_string(at, 4, code)
                where.write_string(at, 5, title)
                where.write_string(at, 6, i18n.status_label(status, lang))
                formats.text(where, at, 7, found["message"] or "")
                _value(formats, where, at, 8, found["expected"])
                _value(formats, where, at, 9, found["actual"])
                formats.text(
                    where,
                    at,
                    10,
                    source_text(dict(found["source"]) if found["source"] else None, lang),
                )
                if found["owed"] is not None:
                    where.write_number(at, 11, found["owed"], formats.money)
                formats.text(where, at, 12, found["remedy"] or "")
        data.finish()
        detail.finish()
        _write_summary(
            summary_sheet, formats, text, header, summary, by_rule, by_store, titles, lang
        )
        book.close()


def _sheet_name(name: str, taken: set[str]) -> str:
    """A name Excel accepts (31 characters, none of []:*?/\\), distinct from `taken`."""
    cleaned = _SHEET_NAME_BAD.sub("_", name).strip("'")[:31] or "merchants"
    return cleaned if cleaned not in taken else f"{cleaned[:28]} (1)"


def _value(formats: _Formats, sheet: Worksheet, row: int, column: int, value: object) -> None:
    """A finding's expected or actual value: a number as a number, anything else as text."""
    if value is None:
        return
    if isinstance(value, bool):
        formats.text(sheet, row, column, str(value).lower())
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value)
    elif isinstance(value, str):
        moment = _iso_moment(value)
        if moment is not None:
            sheet.write_datetime(row, column, moment, formats.moment)
        else:
            formats.text(sheet, row, column, value)
    else:
        formats.text(sheet, row, column, orjson.dumps(value, default=str).decode())


def _iso_moment(text: str) -> datetime | None:
    """A report time (ISO 8601 with the Beijing offset) as the naive Beijing time it is."""
    if len(text) < 19 or text[10] != "T" or text[4] != "-":
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.astimezone(BEIJING).replace(tzinfo=None) if moment.tzinfo else moment


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format(
            {"bold": True, "bg_color": "#D9E1F2", "text_wrap": True, "valign": "top"}
        )
        self.appended_header = book.add_format(
            {"bold": True, "bg_color": "#FCE4D6", "text_wrap": True, "valign": "top"}
        )
        self.plain = book.add_format()
        self.guarded = book.add_format({"quote_prefix": True})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.wrap_guarded = book.add_format(
            {"text_wrap": True, "valign": "top", "quote_prefix": True}
        )
        self.money = book.add_format({"num_format": "#,##0.00"})
        self.minute = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        self.moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.day = book.add_format({"num_format": "yyyy-mm-dd"})
        self.clock = book.add_format({"num_format": "hh:mm:ss"})
        self.duration = book.add_format({"num_format": "[h]:mm:ss"})
        self.bold = book.add_format({"bold": True})
        self.urgent = book.add_format({"bold": True, "font_color": "#C00000"})
        self.outcome = {
            outcome: book.add_format({"bg_color": fill, "font_color": font})
            for outcome, (fill, font) in _FILLS.items()
        }

    def text(
        self, sheet: Worksheet, row: int, column: int, value: str, fmt: CellFormat | None = None
    ) -> None:
        """Text that stays text: a formula-like start gets the quote prefix. Empty text
        leaves the cell empty."""
        if not value:
            return
        if needs_guard(value):
            fmt = self.wrap_guarded if fmt is self.wrap else self.guarded
        sheet.write_string(row, column, value, fmt)

    def writer(self) -> Callable[[Worksheet, int, int, object], None]:
        """Writes one raw export cell with its own type."""
        text = self.text
        moment, day, clock, duration = self.moment, self.day, self.clock, self.duration

        def write(sheet: Worksheet, row: int, column: int, value: object) -> None:
            kind = type(value)
            if kind is str:
                text(sheet, row, column, value)  # type: ignore[arg-type]
            elif kind is float or kind is int:
                if math.isfinite(value):  # type: ignore[arg-type]
                    sheet.write_number(row, column, value)
                else:
                    sheet.write_string(row, column, str(value))
            elif kind is bool:
                sheet.write_boolean(row, column, value)
            elif kind is datetime:
                assert isinstance(value, datetime)
                sheet.write_datetime(row, column, value.replace(tzinfo=None), moment)
            elif kind is date:
                sheet.write_datetime(row, column, value, day)
            elif kind is time:
                sheet.write_datetime(row, column, value, clock)
            elif kind is timedelta:
                sheet.write_datetime(row, column, value, duration)
            else:
                text(sheet, row, column, str(value))

        return write


def _write_summary(
    sheet: Worksheet,
    formats: _Formats,
    text: dict[str, str],
    header: ReportHeader,
    summary: dict[str, object],
    by_rule: dict[str, Counter[str]],
    by_store: dict[str, Counter[str]],
    titles: dict[str, str],
    lang: str,
) -> None:
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 40)
    sheet.set_column(2, 8, 12)
    row = 0

    def line(*values: object, fmt: CellFormat | None = None) -> None:
        nonlocal row
        for column, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, bool):
                formats.text(sheet, row, column, str(value).lower())
            elif isinstance(value, int | float):
                sheet.write_number(row, column, value, fmt)
            elif isinstance(value, datetime):
                sheet.write_datetime(row, column, value, formats.minute)
            else:
                formats.text(sheet, row, column, str(value), fmt)
        row += 1

    ruleset = header.ruleset
    stamp = header.input
    line(text["title"], fmt=formats.bold)
    line(text["ruleset"], f"{ruleset['name']} ({ruleset['id']}, {ruleset['file']})")
    line("", f"SHA-256 {ruleset['sha256']}")
    if ruleset.get("note"):
        line("", str(ruleset["note"]))
    line(text["as_of"], i18n.moment(header.as_of))
    deadline = ruleset.get("deadline")
    if isinstance(deadline, datetime):
        line(text["deadline"], i18n.moment(deadline))
    line(text["input"], str(stamp["file"]))
    line(text["size"], stamp["size"])
    line(text["sha256"], str(stamp["sha256"]))
    line(text["sheet"], f"{stamp['sheet']} / {stamp['header_row']}")
    line(text["tool"], f"{header.tool['name']} {header.tool['version']}")
    row += 1

    outcomes = summary.get("outcomes")
    assert isinstance(outcomes, dict)
    order = [o.value for o in OUTCOME_ORDER if o.value in outcomes]
    order += [name for name in outcomes if name not in order]
    line(text["outcomes"], text["count"], fmt=formats.header)
    for name in order:
        sheet.write_string(
            row, 0, i18n.outcome_label(name, lang), formats.outcome.get(name, formats.plain)
        )
        sheet.write_number(row, 1, int(outcomes[name]))
        row += 1
    line(text["total"], summary.get("merchants"), fmt=formats.bold)
    line(text["deposit_total"], summary.get("deposit_shortfall_total"), fmt=formats.money)
    line(text["fee_total"], summary.get("annual_fee_due_total"), fmt=formats.money)
    line(text["eligible"], summary.get("transfer_eligible"))
    soon = summary.get("due_soon")
    if isinstance(soon, dict):
        within = i18n.time_left(int(soon["within_seconds"]), lang)
        line(text["due_soon"].format(within=within), soon["merchants"], fmt=formats.urgent)
    waivers = summary.get("waivers")
    if isinstance(waivers, dict):
        line(text["waivers"], str(waivers.get("file", "")))
        for key in ("applied", "expired", "expiring", "unused"):
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
