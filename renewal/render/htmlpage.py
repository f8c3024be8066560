"""The part of the HTML report drawn in Python: its words, the page's head, the summary
cards and the frame of the merchant table, which the page's script fills in. A card's
figures are HTML text, wrapped by the page, beside bars that are SVG shapes only, so no
amount or count is ever cut off at the edge of a drawing.

Every text that comes from a report is escaped here; the chart needs no script, so it
shows even where scripts are off.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from html import escape
from pathlib import Path

from renewal import i18n
from renewal.report import ReportHeader, due_soon, due_soon_sentence, shown_outcomes, summed
from renewal.timeutil import seconds_left

ASSETS = Path(__file__).resolve().parent / "assets"

_OUTCOME_COLOURS = {
    "error": "#a21caf",
    "failed": "#dc2626",
    "pending": "#d97706",
    "waived": "#7c3aed",
    "renewed": "#16a34a",
    "exempt": "#0891b2",
}
_STATUS_COLOURS = {
    "error": "#a21caf",
    "fail": "#dc2626",
    "warn": "#d97706",
    "waived": "#7c3aed",
    "pass": "#16a34a",
    "skip": "#9aa5b1",
}
_OTHER_COLOUR = "#6b7280"
"""An outcome or status this page does not know yet still renders, in grey."""
_OWED_COLOURS = {"deposit": "#dc2626", "fee": "#d97706"}

_PAGE_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "{name}（{id}）检查报告",
        "meta": "评估时间 {as_of} · 截止 {deadline}（北京时间）· 规则集 {file} · {tool}",
        "input": "导出文件 {file}（{kind}，工作表「{sheet}」第 {row} 行为表头，SHA-256 {sha}…）",
        "summary": "概况",
        "by_outcome": "各结果商家数（共 {total} 个）",
        "money": "尚欠金额",
        "deposit_total": "应补保证金",
        "fee_total": "应缴年费",
        "owed_total": "合计 {total}；可转淘宝企业店 {eligible} 家",
        "owed_unknown": "未计入：保证金金额未知 {deposit:,} 家，年费金额未知 {fee:,} 家",
        "owed_unknown_deposit": "未计入：保证金金额未知 {deposit:,} 家",
        "countdown": "距截止",
        "window": "续签期 {opens} → {deadline}",
        "at_as_of": "评估时间 {as_of} 时剩余：",
        "now": "此刻剩余（按本机时钟）：",
        "as_of_mark": "评估时间",
        "capped": (
            "本页只列出 {shown} 个商家（共 {total} 个，按紧急程度优先："
            "数据错误、未续签、待完成……），另有 {count:,} 个未列出；"
            "完整名单请用 JSON 或 xlsx 报告（renewal check … -o report.json）。"
        ),
        "capped.one": (
            "本页只列出 {shown} 个商家（共 {total} 个，按紧急程度优先："
            "数据错误、未续签、待完成……），另有 1 个未列出；"
            "完整名单请用 JSON 或 xlsx 报告（renewal check … -o report.json）。"
        ),
        "merchants": "商家",
        "outcome": "结果",
        "all": "全部结果",
        "search": "搜索商家ID或店铺名称",
        "order": "排序",
        "urgent": "最紧急优先",
        "by_row": "按行号",
        "rules": "规则说明",
        "noscript": "商家表格需要 JavaScript；上方图表不需要。",
        "unmatched": "另有 {count:,} 行辅助表记录的商家ID不在商家表中。",
        "unmatched.one": "另有 1 行辅助表记录的商家ID不在商家表中。",
        "duplicates": "{count:,} 个商家ID出现在多行，这些行都是数据错误。",
        "duplicates.one": "1 个商家ID出现在多行，这些行都是数据错误。",
    },
    "en": {
        "title": "{name} ({id}): renewal check",
        "meta": "As of {as_of} · deadline {deadline} (Beijing time) · rule file {file} · {tool}",
        "input": "Export {file} ({kind}, sheet {sheet}, header on row {row}, SHA-256 {sha}…)",
        "summary": "Summary",
        "by_outcome": "Merchants by outcome ({total} in all)",
        "money": "Still owed",
        "deposit_total": "Deposit",
        "fee_total": "Annual fee",
        "owed_total": "Total {total}; {eligible} may move to a Taobao enterprise store",
        "owed_unknown": "Not counted: deposit unknown for {deposit:,}, fee unknown for {fee:,}",
        "owed_unknown_deposit": "Not counted: deposit unknown for {deposit:,}",
        "countdown": "Time to the deadline",
        "window": "Window {opens} → {deadline}",
        "at_as_of": "Left at the as-of ({as_of}): ",
        "now": "Left now (this computer's clock): ",
        "as_of_mark": "as of",
        "capped": (
            "This page lists {shown} of {total} merchants, the most urgent first (error, "
            "failed, pending …); {count:,} more are not shown. For all of them use the JSON or "
            "xlsx report (renewal check … -o report.json)."
        ),
        "capped.one": (
            "This page lists {shown} of {total} merchants, the most urgent first (error, "
            "failed, pending …); 1 more is not shown. For all of them use the JSON or "
            "xlsx report (renewal check … -o report.json)."
        ),
        "merchants": "Merchants",
        "outcome": "Outcome",
        "all": "All outcomes",
        "search": "Search merchant id or shop name",
        "order": "Order",
        "urgent": "Most urgent first",
        "by_row": "By row",
        "rules": "The rules",
        "noscript": "The merchant table needs JavaScript; the chart above does not.",
        "unmatched": "{count:,} supporting rows name a merchant id not on the merchant sheet.",
        "unmatched.one": "1 supporting row names a merchant id not on the merchant sheet.",
        "duplicates": "{count:,} merchant ids are on more than one row; all their rows are errors.",
        "duplicates.one": "1 merchant id is on more than one row; all its rows are errors.",
    },
}
"""What the page itself says, in Python (the chart is drawn here)."""

_TEXT = {lang: {**words, **i18n.listing_labels(lang)} for lang, words in _PAGE_WORDS.items()}
"""The page's words with the merchant table's columns, named as every listing names them."""

SCRIPT_TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "yes": "是",
        "no": "否",
        "none": "没有符合条件的商家",
        "showing": "显示 {shown} / {matched} 个商家",
        "more": "再显示 {count} 个（还有 {left} 个）",
        "open": "查看检查结果",
        "expected": "应为",
        "actual": "实际",
        "read_from": "读自",
        "owed": "尚欠",
        "remedy": "处理：",
        "explain": "规则说明与出处",
        "no_explanation": "规则集中没有 {code} 的说明",
        "cell": "「{sheet}」表第 {row} 行「{column}」",
        "cell_row": "「{sheet}」表第 {row} 行",
        "next": "下一步：",
        "waiver": "豁免：",
        "approver": "审批人",
        "ticket": "工单",
        "unknown": "未知",
        "unknown_note": "金额未知，未计入尚欠合计",
        "list": "、",
    },
    "en": {
        "yes": "yes",
        "no": "no",
        "none": "No merchant matches",
        "showing": "Showing {shown} of {matched} merchants",
        "more": "Show {count} more ({left} left)",
        "open": "Show the findings",
        "expected": "expected",
        "actual": "read",
        "read_from": "from",
        "owed": "owed",
        "remedy": "To do:",
        "explain": "The rule and its source",
        "no_explanation": "The rule set has no explanation for {code}",
        "cell": "sheet {sheet} row {row}, {column}",
        "cell_row": "sheet {sheet} row {row}",
        "next": "Next:",
        "waiver": "Waiver:",
        "approver": "approved by",
        "ticket": "ticket",
        "unknown": "unknown",
        "unknown_note": "amount unknown, not in the totals still owed",
        "list": ", ",
    },
}
"""What the page's script says; the time left, the due-soon mark, the words of a dict
of evidence and a waiver's end come from i18n (`left.*`, `annotated.due_soon`, `evidence.*`,
`waiver.valid.*`, `waiver.lapsed.*`)."""

STATUS_LABELS = {
    lang: {
        status: i18n.status_label(status, lang)
        for status in ("pass", "fail", "warn", "skip", "error", "waived")
    }
    for lang in ("zh", "en")
}
"""The finding statuses as the xlsx report, the terminal and i18n name them."""

_CLASS_NAME = re.compile(r"[a-z][a-z0-9_-]*")


def _counted(text: Mapping[str, str], key: str, count: int, **values: object) -> str:
    """The page's sentence `key` about `count` things: its `.one` form for one (1 merchant
    id is, not 1 merchant ids are), the count written with thousands separators."""
    return text[i18n.counted_key(text, key, count)].format(count=count, **values)


def _hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode()


@cache
def stylesheet() -> str:
    """The stylesheet, with a colour per outcome and status (`--c` of a badge)."""
    rules = [(ASSETS / "report.css").read_text(encoding="utf-8")]
    for prefix, colours in (("o", _OUTCOME_COLOURS), ("s", _STATUS_COLOURS), ("k", _OWED_COLOURS)):
        for name, colour in colours.items():
            rules.append(f".{prefix}-{name} {{ --c: {colour}; }}")
        rules.append(f".{prefix}-other {{ --c: {_OTHER_COLOUR}; }}")
    return "\n".join(rules) + "\n"


@cache
def script() -> str:
    """The page's script: it builds the merchant table, the findings and the countdown."""
    return (ASSETS / "report.js").read_text(encoding="utf-8")


def _outcome_css(value: str) -> str:
    return f"o-{value}" if value in _OUTCOME_COLOURS and _CLASS_NAME.fullmatch(value) else "o-other"


def outcome_rows(summary: dict[str, object], lang: str) -> list[dict[str, object]]:
    """The summary's outcomes in its order (most urgent first), each with label and count."""
    return [
        {
            "value": value,
            "label": i18n.outcome_label(value, lang),
            "count": count,
            "css": _outcome_css(value),
        }
        for value, count in shown_outcomes(summary)
    ]


# --- the part of the page drawn here: head, summary chart, table frame -------------------


def _moment(value: object) -> str:
    return i18n.moment(value) if isinstance(value, datetime) else "—"


def page_top(
    header: ReportHeader,
    lang: str,
    summary: dict[str, object],
    style: str,
    script: str,
    shown: int,
    total: int,
) -> str:
    text = _TEXT[lang]
    ruleset = header.ruleset
    title = text["title"].format(name=header.ruleset_name(), id=ruleset.get("id"))
    policy = (
        f"default-src 'none'; script-src '{_hash(script)}'; style-src '{_hash(style)}'; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    source = header.input
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{escape(policy)}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<link rel="icon" href="data:,">',
        f"<title>{escape(title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(title)}</h1>",
        '<p class="meta">'
        + escape(
            text["meta"].format(
                as_of=i18n.moment(header.as_of),
                deadline=_moment(ruleset.get("deadline")),
                file=ruleset.get("file"),
                tool=f"{header.tool.get('name')} {header.tool.get('version')}",
            )
        )
        + "</p>",
        '<p class="meta">'
        + escape(
            text["input"].format(
                file=source.get("file"),
                kind=source.get("kind"),
                sheet=source.get("sheet"),
                row=source.get("header_row"),
                sha=str(source.get("sha256") or "")[:12],
            )
        )
        + "</p>",
    ]
    notes = [str(ruleset["note"])] if ruleset.get("note") else []
    found = summary.get("notes")
    for note in found if isinstance(found, list) else []:
        if isinstance(note, dict):
            notes.append(str(note.get("message", "")))
    unmatched = summary.get("unmatched_supporting_rows")
    if isinstance(unmatched, list) and unmatched:
        notes.append(_counted(text, "unmatched", len(unmatched)))
    duplicates = summary.get("duplicate_ids")
    if isinstance(duplicates, int) and duplicates:
        notes.append(_counted(text, "duplicates", duplicates))
    parts += [f'<p class="note">{escape(note)}</p>' for note in notes]
    parts += [
        '<section id="summary">',
        f"<h2>{escape(text['summary'])}</h2>",
        '<div class="cards">',
        _outcome_card(summary, lang),
        _money_card(summary, lang, header.has_fee()),
        _countdown_card(header, lang, summary),
        "</div>",
        "</section>",
    ]
    if shown < total:
        notice = _counted(text, "capped", total - shown, shown=f"{shown:,}", total=f"{total:,}")
        parts.append(f'<p class="capped" id="capped">{escape(notice)}</p>')
    # no 应缴年费 column in a year without an annual fee (2025年度): ¥0 on every row
    columns = [
        column
        for column in (
            "row",
            "merchant_id",
            "shop",
            "outcome",
            "reason",
            "deposit",
            "fee",
            "transfer",
            "next",
            "left",
        )
        if column != "fee" or header.has_fee()
    ]
    parts += [
        '<section id="merchants">',
        f"<h2>{escape(text['merchants'])}</h2>",
        '<div class="controls">',
        f'<label for="outcome">{escape(text["outcome"])}</label>',
        f'<select id="outcome"><option value="">{escape(text["all"])}</option></select>',
        f'<input id="search" type="search" placeholder="{escape(text["search"])}"'
        f' aria-label="{escape(text["search"])}">',
        f'<label for="order">{escape(text["order"])}</label>',
        f'<select id="order"><option value="urgent">{escape(text["urgent"])}</option>'
        f'<option value="row">{escape(text["by_row"])}</option></select>',
        '<span id="shown-count"></span>',
        "</div>",
        f'<noscript><p class="note">{escape(text["noscript"])}</p></noscript>',
        '<table class="merchants" id="merchant-table"><colgroup>'
        + "".join(f'<col class="c-{c}">' for c in columns)
        + "</colgroup><thead><tr>"
        + "".join(f"<th>{escape(text[c])}</th>" for c in columns)
        + '</tr></thead><tbody id="merchant-rows"></tbody></table>',
        '<button id="more" type="button" hidden></button>',
        "</section>",
        '<section id="rules">',
        f"<h2>{escape(text['rules'])}</h2>",
        '<div id="rule-list"></div>',
        "</section>",
        "</main>",
        '<script type="application/json" id="report-data">',
    ]
    return "\n".join(parts)


def _svg_text(x: float, y: float, content: str, anchor: str = "start", css: str = "") -> str:
    kind = f' class="{css}"' if css else ""
    return f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}"{kind}>{escape(content)}</text>'


def _bar(x: float, y: float, width: float, height: float, colour: str) -> str:
    return (
        f'<rect x="{x:g}" y="{y:g}" width="{max(width, 0):.1f}" height="{height:g}" '
        f'rx="3" fill="{colour}"></rect>'
    )


def _share_bar(slices: list[tuple[float, str]]) -> str:
    """A bar as wide as its box, split into slices (a fraction of the width each, in its
    colour) on the grey of its track (the stylesheet's); only shapes, so nothing in it can
    be cut off: every figure is text beside it, laid out by the page and wrapped."""
    shapes = []
    at = 0.0
    for fraction, colour in slices:
        width = 100 * min(max(fraction, 0.0), 1.0 - at)
        shapes.append(
            f'<rect x="{at * 100:.3f}" y="0" width="{width:.3f}" height="1" fill="{colour}"></rect>'
        )
        at += width / 100
    return (
        '<svg class="bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">'
        + "".join(shapes)
        + "</svg>"
    )


def _outcome_card(summary: dict[str, object], lang: str) -> str:
    """A bar per outcome, its name before it and its count after it, as text: a count of a
    million stays whole however narrow the card."""
    text = _TEXT[lang]
    outcomes = outcome_rows(summary, lang)
    counts = [int(o["count"]) if isinstance(o["count"], int) else 0 for o in outcomes]
    most = max(counts, default=0) or 1
    rows = []
    for outcome, count in zip(outcomes, counts, strict=True):
        colour = _OUTCOME_COLOURS.get(str(outcome["value"]), _OTHER_COLOUR)
        rows.append(
            f"<div><dt>{escape(str(outcome['label']))}</dt>"
            f'<dd class="track">{_share_bar([(count / most, colour)])}</dd>'
            f'<dd class="count">{count:,}</dd></div>'
        )
    merchants = summary.get("merchants", sum(counts))
    return _card(
        text["by_outcome"].format(total=f"{merchants:,}" if isinstance(merchants, int) else "—"),
        f'<dl class="bars" id="outcome-chart">{"".join(rows)}</dl>',
    )


def _money_card(summary: dict[str, object], lang: str, fee: bool) -> str:
    """Deposit still to top up and annual fee still due, over every merchant, each named
    beside its amount in text (an amount of billions wraps, it is never cut off), then one
    bar split by what each is of the whole. No fee in a year without an annual fee."""
    text = _TEXT[lang]
    amounts = [("deposit", text["deposit_total"], summed(summary, "deposit_shortfall_total"))]
    if fee:
        amounts.append(("fee", text["fee_total"], summed(summary, "annual_fee_due_total")))
    total = sum(amount for _, _, amount in amounts)
    figures = "".join(
        f'<div class="k-{key}"><dt><span class="swatch"></span>{escape(label)}</dt>'
        f'<dd id="owed-{key}">{escape(i18n.yuan(amount))}</dd></div>'
        for key, label, amount in amounts
    )
    share = [
        (amount / total if total > 0 else 0.0, _OWED_COLOURS[key]) for key, _, amount in amounts
    ]
    eligible = summary.get("transfer_eligible", 0)
    said = text["owed_total"].format(
        total=i18n.yuan(total), eligible=f"{eligible:,}" if isinstance(eligible, int) else "—"
    )
    lines = [f'<p class="owed-total">{escape(said)}</p>']
    deposit = int(summed(summary, "deposit_shortfall_unknown"))
    unknown_fee = int(summed(summary, "annual_fee_due_unknown")) if fee else 0
    if deposit or unknown_fee:  # merchants left out of the totals: an error row, an unknown balance
        key = "owed_unknown" if fee else "owed_unknown_deposit"
        unknown = text[key].format(deposit=deposit, fee=unknown_fee)
        lines.append(f'<p class="owed-unknown">{escape(unknown)}</p>')
    return _card(
        text["money"],
        f'<div class="owed" id="money-chart"><dl class="figures">{figures}</dl>'
        + _share_bar(share)
        + "".join(lines)
        + "</div>",
    )


def _countdown_card(header: ReportHeader, lang: str, summary: dict[str, object]) -> str:
    """The window as a line, the as-of marked on it; the time left at the as-of, and now;
    how many pending merchants are due soon (--due-soon), as the terminal counts them."""
    text = _TEXT[lang]
    opens = header.ruleset.get("window_opens")
    deadline = header.ruleset.get("deadline")
    if not isinstance(opens, datetime) or not isinstance(deadline, datetime):
        return _card(text["countdown"], "")
    span = (deadline - opens).total_seconds() or 1.0
    done = min(max((header.as_of - opens).total_seconds() / span, 0.0), 1.0)
    left_seconds = seconds_left(deadline, header.as_of)
    left = i18n.time_left(left_seconds, lang)
    marker = 16 + 368 * done
    shapes = [
        _svg_text(200, 28, left, anchor="middle", css="big"),
        _bar(16, 56, 368, 12, "#d9e2ec"),
        _bar(16, 56, 368 * done, 12, "#dc2626" if left_seconds <= 0 else "#1f6feb"),
        f'<line x1="{marker:.1f}" y1="40" x2="{marker:.1f}" y2="74" stroke="#1f2933" '
        'stroke-width="2"></line>',
        _as_of_mark(marker, text["as_of_mark"]),
        _svg_text(16, 90, i18n.moment(opens), css="small"),
        _svg_text(384, 90, i18n.moment(deadline), anchor="end", css="small"),
    ]
    window = text["window"].format(opens=i18n.moment(opens), deadline=i18n.moment(deadline))
    body = (
        f'<svg id="countdown-chart" viewBox="0 0 400 100" role="img" aria-label="{escape(window)}">'
        + "".join(shapes)
        + "</svg>"
        + f'<p class="countdown">{escape(text["at_as_of"].format(as_of=i18n.moment(header.as_of)))}'
        + f'<strong id="left-at-as-of">{escape(left)}</strong></p>'
        + f'<p class="countdown">{escape(text["now"])}<strong id="live-countdown"></strong></p>'
        + _due_soon_line(summary, lang)
    )
    return _card(text["countdown"], body)


def _as_of_mark(marker: float, label: str) -> str:
    """评估时间 above the bar, beside the top of its marker, on the side of the marker with
    room: the window's two ends are named below the bar, so in the last week the as-of is
    never read as a second line of the deadline's label (nor near the start of the opening's),
    and no width of label or position of marker makes the names overlap."""
    if marker > 200:
        return _svg_text(marker - 5, 50, label, anchor="end", css="small")
    return _svg_text(marker + 5, 50, label, css="small")


def _due_soon_line(summary: dict[str, object], lang: str) -> str:
    """846 个待完成商家距截止不足 3天（--due-soon）, as the terminal says it; nothing when
    none is due soon or the summary does not count them (a report read back)."""
    soon = due_soon(summary)
    if soon is None or not soon[0]:
        return ""
    said = due_soon_sentence(soon[0], soon[1], lang)
    return f'<p class="due-soon" id="due-soon">{escape(said)}</p>'


def _card(title: str, body: str) -> str:
    return f'<div class="card"><h3>{escape(title)}</h3>{body}</div>'
