"""The terminal view: counts per outcome, then the merchants that need attention, most
urgent first, each with its next action and the time left."""

from __future__ import annotations

import heapq
import io
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

import orjson
from rich.cells import cell_len
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from renewal import i18n
from renewal.model import OUTCOME_ORDER, Finding, MerchantResult, Outcome, Status
from renewal.render import TABLE_LIMIT
from renewal.render.fitted import Cell, Column, fill, filled, fit_table
from renewal.report import ReportHeader, due_soon, due_soon_sentence, shown_outcomes, summed
from renewal.screen import printable

TABLE_WIDTH = 100
"""Narrower than this, the merchants are listed one block each, not in a table whose
reason and next-action columns would be a few characters wide."""

_RANK = {outcome: rank for rank, outcome in enumerate(OUTCOME_ORDER)}
_COLOURS = {
    Outcome.ERROR: "magenta",
    Outcome.FAILED: "red",
    Outcome.PENDING: "yellow",
    Outcome.WAIVED: "blue",
    Outcome.RENEWED: "green",
    Outcome.EXEMPT: "cyan",
}
_TEXT = {
    "zh": {
        "title": "{name}（{id}）",
        "when": "评估时间 {as_of}  截止 {deadline}",
        "outcome": "结果",
        "count": "商家数",
        "more": "另有 {count:,} 个商家需要处理，未列出；用 --limit 0 列出全部，或 --format json 输出完整报告",
        "more.one": "另有 1 个商家需要处理，未列出；用 --limit 0 列出全部，或 --format json 输出完整报告",
        "clean": "所有商家均已续签或无需续签，没有需要处理的商家",
        "total": "合计",
        "owed_deposit": "尚欠保证金 {amount}",
        "owed_fee": "，年费 {amount}",
        "owed_unknown": "（另有 {count:,} 家金额未知）",
        "owed_unknown.one": "（另有 1 家金额未知）",
        "owed_eligible": "；可转淘宝企业店 {eligible:,} 家",
        "due_soon": "即将截止",
        "listing": "需要处理的商家，最紧急的在前：",
        "row_n": "第 {row} 行",
    },
    "en": {
        "title": "{name} ({id})",
        "when": "as of {as_of}  deadline {deadline}",
        "outcome": "Outcome",
        "count": "Merchants",
        "more": "{count:,} more merchants need attention; use --limit 0 to list all, or --format json for the full report",
        "more.one": "1 more merchant needs attention; use --limit 0 to list all, or --format json for the full report",
        "clean": "Every merchant has renewed or is exempt: nothing needs attention",
        "total": "Total",
        "owed_deposit": "Still owed: deposit {amount}",
        "owed_fee": ", annual fee {amount}",
        "owed_unknown": " (and {count:,} merchants' amount unknown)",
        "owed_unknown.one": " (and 1 merchant's amount unknown)",
        "owed_eligible": "; {eligible:,} may move to a Taobao enterprise store",
        "due_soon": "due soon",
        "listing": "Merchants needing attention, most urgent first:",
        "row_n": "Row {row}",
    },
}


def _urgency(result: MerchantResult, index: int) -> tuple[int, float, int]:
    owed = (result["deposit_shortfall"] or 0.0) + (result["annual_fee_due"] or 0.0)
    return (_RANK[result["outcome"]], -owed, index)


def _reason(result: MerchantResult) -> str:
    """The one finding that says why: an unreadable cell first, then a step that can no
    longer be made good (a `final` failure: what else is missing changes nothing), then
    the first failure, then the first warning."""
    findings = result["findings"]
    for wanted, final_only in _REASON_ORDER:
        for found in findings:
            if found["status"] == wanted and found["rule"] != "TB01":
                if found.get("final") or not final_only:
                    return _with_why(found, findings)
    return ""


_REASON_ORDER = ((Status.ERROR, False), (Status.FAIL, True), (Status.FAIL, False), (Status.WARN, False))
"""The statuses `_reason` looks for, in turn, and whether only a `final` one will do."""


def _with_why(found: Finding, findings: list[Finding]) -> str:
    """`found`'s message, or, where it names a cell that cannot be read and stops there
    (「续签报名时间」的值「2021年12月26日」无法读取, as a rule words the cell its verdict
    turns on), the row's LD04 warning for that same cell, which says the same and then
    why (只有日期没有时刻：截止时间是 …, 不是金额（示例：…）), in the run's language, as
    LD02's error does: a reader shown a good-looking date called unreadable, with no
    reason, cannot tell what to fix."""
    message = found["message"]
    where = found["source"]
    if where is None or found["rule"] == "LD04":
        return message
    for other in findings:
        if (
            other["rule"] == "LD04"
            and other["source"] == where
            and other["actual"] == found["actual"]
            and other["message"].startswith(message)
        ):
            return other["message"]
    return message


def _owed_line(summary: dict[str, object], header: ReportHeader, text: dict[str, str]) -> str:
    """The amounts still owed over every merchant: the known total of each, how many
    merchants' amount is unknown beside it, and no annual fee in a year without one."""

    def part(key: str, total: str, unknown: str) -> str:
        said = text[key].format(amount=i18n.yuan(summed(summary, total)))
        count = int(summed(summary, unknown))
        if count:
            said += text[i18n.counted_key(text, "owed_unknown", count)].format(count=count)
        return said

    line = part("owed_deposit", "deposit_shortfall_total", "deposit_shortfall_unknown")
    if header.has_fee():
        line += part("owed_fee", "annual_fee_due_total", "annual_fee_due_unknown")
    return line + text["owed_eligible"].format(eligible=int(summed(summary, "transfer_eligible")))


class TableRenderer:
    """Keeps only the `limit` most urgent rows, so a million-row run prints a readable page."""

    wants_cells = False
    wants_shop_names = True  # a row replaced as a duplicate may be one it never kept

    def __init__(self, target: Path | None, limit: int = TABLE_LIMIT) -> None:
        self.target = target
        self.limit = limit
        self.header: ReportHeader | None = None
        self._kept: list[tuple[tuple[int, float, int], int, MerchantResult]] = []
        self._flagged = bytearray()
        """Whether each row needs attention, in input order: as read, then with every row
        found to carry a duplicated id (counted once, whether or not it already was)."""

    def begin(self, header: ReportHeader) -> None:
        self.header = header

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None:
        index = len(self._flagged)
        self._flagged.append(attention)
        if not attention:
            return
        result: MerchantResult = orjson.loads(line)
        entry = (_urgency(result, index), index, result)
        if self.limit <= 0 or len(self._kept) < self.limit:
            heapq.heappush(self._kept, _inverted(entry))
        elif entry[0] < _inverted(self._kept[0])[0]:
            heapq.heapreplace(self._kept, _inverted(entry))

    def finish(self, summary: dict[str, object], fixes: dict[int, MerchantResult]) -> None:
        kept = {index: result for _, index, result in (_inverted(e) for e in self._kept)}
        for index, fix in fixes.items():
            original = kept.get(index)
            if index < len(self._flagged):
                self._flagged[index] = True
            shop_name = original["shop_name"] if original is not None else fix["shop_name"]
            kept[index] = {**fix, "shop_name": shop_name}  # a copy: fixes are shared
        ordered = sorted(kept.items(), key=lambda item: _urgency(item[1], item[0]))
        shown = ordered if self.limit <= 0 else ordered[: self.limit]
        if self.target is None:
            console = Console(soft_wrap=False)
            self._print(console, summary, [r for _, r in shown])
        else:
            from renewal.render.output import atomic_file

            with atomic_file(self.target) as stream:
                text = io.TextIOWrapper(stream, encoding="utf-8", write_through=True)
                console = Console(file=text, width=200, no_color=True)
                self._print(console, summary, [r for _, r in shown])
                text.detach()

    def _print(
        self, console: Console, summary: dict[str, object], shown: list[MerchantResult]
    ) -> None:
        assert self.header is not None
        lang = self.header.lang
        text = {**_TEXT["en" if lang == "en" else "zh"], **i18n.listing_labels(lang)}
        ruleset = self.header.ruleset
        deadline = ruleset["deadline"]
        title = text["title"].format(name=self.header.ruleset_name(), id=ruleset["id"])
        when = text["when"].format(
            as_of=i18n.moment(self.header.as_of),
            deadline=i18n.moment(deadline) if isinstance(deadline, datetime) else deadline,
        )
        # one line when it fits, else the moments on a line of their own, never broken
        together = cell_len(title) + 2 + cell_len(when) <= console.width
        console.print(Text(f"{title}  {when}" if together else f"{title}\n{when}", style="bold"))
        if ruleset.get("note"):
            console.print(Text(str(ruleset["note"]), style="yellow"))
        counts = summary["outcomes"]
        assert isinstance(counts, dict)
        overview = Table(show_header=True, header_style="bold")
        overview.add_column(text["outcome"])
        overview.add_column(text["count"], justify="right")
        listed = dict(shown_outcomes(summary))
        for outcome in OUTCOME_ORDER:
            if outcome.value not in listed:
                continue  # waived, in a run without --waivers
            label = i18n.outcome_label(outcome, lang)
            # the outcome's code beside its Chinese name, as the JSON report spells it
            code = f" ({outcome.value})" if label != outcome.value else ""
            count = counts[outcome.value]
            overview.add_row(f"[{_COLOURS[outcome]}]{label}[/]{code}", f"{count:,}")
        overview.add_row(text["total"], f"{summary['merchants']:,}", style="bold")
        console.print(overview)
        # folded between pieces, as the blocks are: never 另有 6 / 家 or ¥90,0 / 00
        owed = _owed_line(summary, self.header, text)
        console.print(Text("\n".join(fill(owed, console.width))))
        soon = due_soon(summary)
        if soon is not None and soon[0]:
            sentence = due_soon_sentence(soon[0], soon[1], lang)
            console.print(Text("\n".join(fill(sentence, console.width)), style="bold yellow"))
        accounts = summary.get("waivers")
        if isinstance(accounts, dict):
            from renewal.waivers import summary_line

            attend = ("expired", "expiring", "not_in_export")  # a mistyped id needs a look
            console.print(
                summary_line(accounts, lang),
                style="yellow" if any(accounts.get(kind) for kind in attend) else "blue",
            )
        if not shown:
            console.print(text["clean"], style="green")
            return
        if console.width < TABLE_WIDTH or not _print_table(console, shown, lang, text):
            _print_blocks(console, shown, lang, text)
        hidden = self._flagged.count(1) - len(shown)
        if hidden > 0:
            more = text[i18n.counted_key(text, "more", hidden)].format(count=hidden)
            console.print(more, style="dim")


def _print_table(
    console: Console, shown: list[MerchantResult], lang: str, text: Mapping[str, str]
) -> bool:
    """One row per merchant: row, id, shop, outcome, reason, next action, laid out by
    `fitted.fit_table` so that an amount or a time (2022-12-31 24时) is never broken and an
    id never wrapped. False (nothing printed) when the columns do not fit the console."""
    columns = [
        Column(text["row"], unbroken=True, justify="right"),
        Column(text["merchant_id"], unbroken=True),
        Column(text["shop"], cut=True, widest=16),
        Column(text["outcome"], unbroken=True),
        Column(text["reason"], weight=3),
        Column(text["next"], weight=2),
    ]
    rows: list[list[Cell]] = [
        [
            str(result["row"]),
            printable(result["merchant_id"] or ""),  # export text: a Cell is never markup
            printable(result["shop_name"] or ""),
            Text(
                i18n.outcome_label(result["outcome"], lang), style=_COLOURS[result["outcome"]]
            ),
            printable(_reason(result)),
            _next_cell(result, lang, text),
        ]
        for result in shown
    ]
    table = fit_table(
        columns, rows, console.width, show_header=True, header_style="bold", show_lines=True
    )
    if table is None:
        return False
    console.print(table)
    return True


def _print_blocks(
    console: Console, shown: list[MerchantResult], lang: str, text: Mapping[str, str]
) -> None:
    """A block per merchant for a narrow terminal: a line naming the row, the id, the shop
    and the outcome, then the reason and the next action, each on lines of their own."""
    console.print(text["listing"], style="bold")
    for result in shown:
        outcome = result["outcome"]
        head = [
            (result["merchant_id"] or "", "bold"),
            (result["shop_name"] or "", ""),
            (i18n.outcome_label(outcome, lang), _COLOURS[outcome]),
        ]
        rows: list[tuple[str, Text]] = []
        reason = _reason(result)
        if reason:
            rows.append((text["reason"], Text(printable(reason))))
        rows.append((text["next"], _next_cell(result, lang, text)))
        console.print(merchant_block(result["row"], head, rows, lang, console.width))


def merchant_block(
    row: int,
    head: list[tuple[str, str]],
    rows: list[tuple[str, Text]],
    lang: str,
    width: int,
) -> Group:
    """One merchant on a narrow terminal, as check and remind list them: a line naming the
    row and then `head`'s (text, style) parts, with `rows` of (label, value) indented below.
    The head's parts are export text, shown as Text, never markup, through `printable`.
    Each value is folded to the room left on a `width`-column terminal by `fitted.filled`
    (its styles kept), which never breaks an amount or a time (2022-12-31 24时) as rich
    would."""
    parts = [(_TEXT["en" if lang == "en" else "zh"]["row_n"].format(row=row), "dim"), *head]
    line = Text("  ").join(Text(printable(part), style) for part, style in parts if part)
    details = Table.grid(padding=(0, 2))
    details.add_column(no_wrap=True, style="dim")
    details.add_column(overflow="fold")
    label_width = max((cell_len(label) for label, _ in rows), default=0)
    room = width - _BLOCK_INDENT - label_width - 2  # the indent, the labels, the gap
    for label, value in rows:
        details.add_row(label, filled(value, room))
    return Group(line, Padding(details, (0, 0, 1, _BLOCK_INDENT)))


_BLOCK_INDENT = 4
"""How far a merchant block's rows are indented under its first line."""


def _next_cell(result: MerchantResult, lang: str, text: Mapping[str, str]) -> Text:
    """The next action with the time left (`i18n.time_left_phrase`); a merchant due soon
    (--due-soon) is marked, one at the deadline itself reads 现在截止 / due now in red."""
    action = Text(printable(result["next_action"] or ""))
    seconds = result["time_left_seconds"]
    if seconds is None:
        return action
    left = i18n.time_left_phrase(seconds, lang)
    comma, (opening, closing) = (", ", (" (", ")")) if lang == "en" else ("，", ("（", "）"))
    if i18n.marked_due_soon(seconds, bool(result.get("due_soon"))):
        return Text.assemble(
            action, opening, left, comma, (text["due_soon"], "bold red"), closing
        )
    if seconds <= 0:
        return Text.assemble(action, opening, (left, "bold red"), closing)
    return Text.assemble(action, opening, left, closing)


def _inverted(
    entry: tuple[tuple[int, float, int], int, MerchantResult],
) -> tuple[tuple[int, float, int], int, MerchantResult]:
    """heapq is a min-heap; keeping the most urgent N needs the least urgent on top."""
    (rank, owed, index), position, result = entry
    return ((-rank, -owed, -index), position, result)
