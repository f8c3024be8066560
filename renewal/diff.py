"""`renewal diff OLD NEW`: what changed between two nights' reports.

Merchants are matched on their merchant id and findings on their rule code, never on row
numbers, so a row inserted or deleted in the export moves nothing. A row whose merchant id
is null has no usable id: it is matched on its row number instead, and reported with its
sheet and row. A row whose id is on several rows of its report (those rows are LD03 errors)
is matched on the id and which of its rows it is (the first, the second …), so neither
moving the rows nor the export's file name (a CSV's "sheet") makes it new.

Outcomes are ranked, best first: renewed = exempt (0) < waived (1) < pending (2) <
failed (3) < error (4). A change to a higher rank is worse, to a lower rank better, and
renewed <-> exempt is a lateral change. A finding is bad when its status is fail, error or
warn, and good when it is pass, skip, waived or absent (the rule is not in that report):
a failure a waiver covers counts as fixed, and one whose waiver expired as newly failing.
Money owed is deposit_shortfall + annual_fee_due; when either is null the amount is unknown
and such merchants are listed on their own, never compared as numbers.

The diff is "worse" (exit 1) when a merchant present in both reports newly fails a rule,
an outcome got worse, a new merchant is failed or error, or the money a merchant owes went
up. Merchants only in one report are listed as added or gone, without their rules.

The reports are read by `renewal.readback`, which also says what inputs it takes.

"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from renewal import __version__, i18n
from renewal.readback import (
    BAD_STATUSES,
    OUTCOME_RANK,
    LoadedReport,
    MerchantRecord,
    load_report,
)
from renewal.screen import printable

SCHEMA = "renewal-diff/1"
DEFAULT_LIMIT = 50
SAMPLE = 10


EXIT_SAME_OR_BETTER, EXIT_WORSE, EXIT_BAD_INPUT = 0, 1, 2


class DiffFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MARKDOWN = "markdown"


SECTIONS = (
    "added",
    "gone",
    "outcome_worse",
    "outcome_better",
    "outcome_lateral",
    "newly_failing",
    "fixed",
    "still_failing",
    "owed_up",
    "owed_down",
    "owed_unknown",
)

_MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "title": "续签报告对比：{old} → {new}",
        "worse": "有变差",
        "not_worse": "无变差",
        "summary": "{verdict}：新增失败 {newly_failing} 项，结果变差 {outcome_worse} 家，"
        "新增失败/错误商家 {added_bad} 家，欠款增加 {owed_up} 家；修复 {fixed} 项，"
        "结果变好 {outcome_better} 家，欠款减少 {owed_down} 家；新增商家 {added} 家，"
        "消失商家 {gone} 家；仍失败 {still_failing} 项",
        "banner": "注意：两份报告的规则集或工具版本不同，差异可能来自规则变化",
        "banner_item": "{field}：{old} → {new}",
        "ruleset_id": "规则集",
        "ruleset_sha256": "规则文件 sha256",
        "tool_version": "工具版本",
        "totals": "合计",
        "totals_merchants": "商家数：{old} → {new}",
        "totals_outcomes": "{outcome}：{old} → {new}",
        "totals_owed": "已知欠款合计：{old} → {new}（欠款未知：{old_unknown} → {new_unknown} 家）",
        "added": "新增商家",
        "gone": "消失商家",
        "outcome_worse": "结果变差",
        "outcome_better": "结果变好",
        "outcome_lateral": "结果变化（同级）",
        "newly_failing": "新增失败",
        "fixed": "已修复",
        "still_failing": "仍失败（共 {count} 项，示例）",
        "owed_up": "欠款增加",
        "owed_down": "欠款减少",
        "owed_unknown": "欠款未知",
        "more": "… 另有 {count} 项",
        "row_key": "{sheet} 第 {row} 行（{id}）",
        "no_id": "无商家ID",
        "dup_id": "ID {id} 重复",
        "unknown": "未知",
        "merchant": "商家",
        "detail": "变化",
        "nothing": "两份报告没有差异",
        "owed": "欠款 {owed}",
        "sep": "，",
    },
    "en": {
        "title": "Renewal report diff: {old} → {new}",
        "worse": "Something got worse",
        "not_worse": "Nothing got worse",
        "summary": "{verdict}: {newly_failing} newly failing, {outcome_worse} outcomes worse, "
        "{added_bad} new failed/error merchants, {owed_up} owe more; {fixed} fixed, "
        "{outcome_better} outcomes better, {owed_down} owe less; {added} merchants added, "
        "{gone} gone; {still_failing} still failing",
        "banner": "Note: the two reports differ in rule set or tool version; "
        "some changes may come from the rules",
        "banner_item": "{field}: {old} → {new}",
        "ruleset_id": "rule set",
        "ruleset_sha256": "rule file sha256",
        "tool_version": "tool version",
        "totals": "Totals",
        "totals_merchants": "merchants: {old} → {new}",
        "totals_outcomes": "{outcome}: {old} → {new}",
        "totals_owed": "known money owed: {old} → {new} (owed unknown: {old_unknown} → "
        "{new_unknown} merchants)",
        "added": "Merchants added",
        "gone": "Merchants gone",
        "outcome_worse": "Outcome worse",
        "outcome_better": "Outcome better",
        "outcome_lateral": "Outcome changed (same rank)",
        "newly_failing": "Newly failing",
        "fixed": "Fixed",
        "still_failing": "Still failing ({count} in all, a sample)",
        "owed_up": "Owe more",
        "owed_down": "Owe less",
        "owed_unknown": "Money owed unknown",
        "more": "… and {count} more",
        "row_key": "{sheet} row {row} ({id})",
        "no_id": "no merchant id",
        "dup_id": "id {id} duplicated",
        "unknown": "unknown",
        "merchant": "Merchant",
        "detail": "Change",
        "nothing": "The two reports do not differ",
        "owed": "owes {owed}",
        "sep": ", ",
    },
}


def _say(lang: str, key: str, **values: object) -> str:
    return _MESSAGES[lang][key].format(**values)


# --- comparing ----------------------------------------------------------------------------

Key = tuple[int, str, int]
"""(0, merchant id, 0) for a merchant matched on its id; (1, merchant id, n) for the n-th
row of a duplicated id; (2, shop name, n) for the n-th row without an id of that shop name
(blank if none): ids sort first, rows without one after, each in a stable order. Neither
the sheet nor the row number is part of a key: a CSV's sheet is its file name, which a
nightly export changes, and a row added or deleted above a row without an id moves it,
which is not news."""

_KEYED_BY = ("merchant_id", "duplicate", "no_id")


def _keyed(records: list[MerchantRecord]) -> dict[Key, MerchantRecord]:
    counts = Counter(r.merchant_id for r in records if r.merchant_id is not None)
    seen: Counter[str] = Counter()
    unnamed: Counter[str] = Counter()
    keyed: dict[Key, MerchantRecord] = {}
    for record in records:
        merchant_id = record.merchant_id
        if merchant_id is None:
            shop = record.shop_name or ""
            unnamed[shop] += 1
            keyed[(2, shop, unnamed[shop])] = record
        elif counts[merchant_id] == 1:
            keyed[(0, merchant_id, 0)] = record
        else:
            seen[merchant_id] += 1
            keyed[(1, merchant_id, seen[merchant_id])] = record
    return keyed


def _who(key: Key, record: MerchantRecord) -> dict[str, Any]:
    return {
        "keyed_by": _KEYED_BY[key[0]],
        "merchant_id": record.merchant_id,
        "sheet": record.sheet,
        "row": record.row,
        "shop_name": record.shop_name,
    }


def _header_value(header: dict[str, Any], *path: str) -> Any:
    value: Any = header
    for part in path:
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _side(report: LoadedReport) -> dict[str, Any]:
    header = report.header
    return {
        "file": report.name,
        "as_of": _header_value(header, "as_of"),
        "ruleset_id": _header_value(header, "ruleset", "id"),
        "ruleset_sha256": _header_value(header, "ruleset", "sha256"),
        "tool_version": _header_value(header, "tool", "version"),
        "merchants": len(report.merchants),
    }


def _totals(records: Iterable[MerchantRecord]) -> dict[str, Any]:
    outcomes = dict.fromkeys(("error", "failed", "pending", "renewed", "exempt"), 0)
    owed, unknown, merchants = 0.0, 0, 0
    for record in records:
        merchants += 1
        if record.outcome not in outcomes:  # waived: listed only when a report has it
            outcomes[record.outcome] = 0
        outcomes[record.outcome] += 1
        if record.owed is None:
            unknown += 1
        else:
            owed += record.owed
    return {"merchants": merchants, "outcomes": outcomes, "owed": owed, "owed_unknown": unknown}


def _both_totals(
    old: Iterable[MerchantRecord], new: Iterable[MerchantRecord]
) -> dict[str, dict[str, Any]]:
    """Both sides' totals, with the same outcomes (waived on both when either has it)."""
    totals = {"old": _totals(old), "new": _totals(new)}
    for side, other in (("old", "new"), ("new", "old")):
        for outcome in totals[other]["outcomes"]:
            totals[side]["outcomes"].setdefault(outcome, 0)
    return totals


def compare(old: LoadedReport, new: LoadedReport) -> dict[str, Any]:
    """The diff document: plain data in a fixed key order, ready for every format."""
    before, after = _keyed(old.merchants), _keyed(new.merchants)
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in SECTIONS}
    still_failing = 0
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        if was is None or now is None:
            record = now if now is not None else was
            assert record is not None
            sections["added" if now is not None else "gone"].append(
                {**_who(key, record), "outcome": record.outcome, "owed": record.owed}
            )
            continue
        who = _who(key, now)
        if was.outcome != now.outcome:
            step = OUTCOME_RANK[now.outcome] - OUTCOME_RANK[was.outcome]
            name = (
                "outcome_worse" if step > 0 else "outcome_better" if step < 0 else "outcome_lateral"
            )
            sections[name].append({**who, "from": was.outcome, "to": now.outcome})
        for rule in sorted(was.statuses.keys() | now.statuses.keys()):
            status_was, status_now = was.statuses.get(rule), now.statuses.get(rule)
            bad_was, bad_now = status_was in BAD_STATUSES, status_now in BAD_STATUSES
            change = {**who, "rule": rule, "from": status_was, "to": status_now}
            if bad_now and not bad_was:
                sections["newly_failing"].append({**change, "message": now.bad_messages[rule]})
            elif bad_was and not bad_now:
                sections["fixed"].append({**change, "message": was.bad_messages[rule]})
            elif bad_was and bad_now:
                still_failing += 1
                if len(sections["still_failing"]) < SAMPLE:
                    sections["still_failing"].append({**change, "message": now.bad_messages[rule]})
        if was.owed is not None and now.owed is not None:
            if now.owed != was.owed:
                name = "owed_up" if now.owed > was.owed else "owed_down"
                sections[name].append(
                    {**who, "from": was.owed, "to": now.owed, "delta": now.owed - was.owed}
                )
        elif was.owed is not None or now.owed is not None:
            sections["owed_unknown"].append({**who, "from": was.owed, "to": now.owed})

    sides = {"old": _side(old), "new": _side(new)}
    changed = {
        field: {"old": sides["old"][field], "new": sides["new"][field]}
        for field in ("ruleset_id", "ruleset_sha256", "tool_version")
        if sides["old"][field] is not None
        and sides["new"][field] is not None
        and sides["old"][field] != sides["new"][field]
    }
    failed = OUTCOME_RANK["failed"]
    added_bad = sum(1 for m in sections["added"] if OUTCOME_RANK[m["outcome"]] >= failed)
    worse = bool(
        sections["newly_failing"] or sections["outcome_worse"] or added_bad or sections["owed_up"]
    )
    counts = {name: len(items) for name, items in sections.items()}
    counts["still_failing"] = still_failing
    counts["added_bad"] = added_bad
    return {
        "schema": SCHEMA,
        "tool": {"name": "renewal", "version": __version__},
        **sides,
        "ruleset_changed": changed or None,
        "worse": worse,
        "outcome_order": ["renewed", "exempt", "waived", "pending", "failed", "error"],
        "counts": counts,
        "totals": _both_totals(before.values(), after.values()),
        **{
            name: ({"count": still_failing, "sample": items} if name == "still_failing" else items)
            for name, items in sections.items()
        },
    }


# --- rendering ----------------------------------------------------------------------------


def _money(value: float | None, lang: str) -> str:
    return _say(lang, "unknown") if value is None else i18n.yuan(value)


def _label(item: dict[str, Any], lang: str) -> str:
    if item["keyed_by"] == "merchant_id":
        return str(item["merchant_id"])
    if item["merchant_id"] is None:
        why = _say(lang, "no_id")
    else:
        why = _say(lang, "dup_id", id=item["merchant_id"])
    return _say(lang, "row_key", sheet=item["sheet"], row=item["row"], id=why)


def _detail(section: str, item: dict[str, Any], lang: str) -> str:
    if section in ("added", "gone"):
        owed = _say(lang, "owed", owed=_money(item["owed"], lang))
        return i18n.outcome_label(item["outcome"], lang) + _say(lang, "sep") + owed
    if section.startswith("outcome_"):
        return f"{i18n.outcome_label(item['from'], lang)} → {i18n.outcome_label(item['to'], lang)}"
    if section in ("newly_failing", "fixed", "still_failing"):
        statuses = (
            item["to"]
            if section == "still_failing" and item["from"] == item["to"]
            else f"{item['from'] or '—'} → {item['to'] or '—'}"
        )
        return f"{item['rule']} {statuses}: {item['message']}"
    text = f"{_money(item['from'], lang)} → {_money(item['to'], lang)}"
    if "delta" in item:
        sign = "+" if item["delta"] > 0 else "-"
        text += f" ({sign}{i18n.yuan(abs(item['delta']))})"
    return text


def _items(diff: dict[str, Any], section: str) -> list[dict[str, Any]]:
    value = diff[section]
    return list(value["sample"]) if section == "still_failing" else list(value)


def _section_title(diff: dict[str, Any], section: str, lang: str) -> str:
    count = diff["counts"][section]
    if section == "still_failing":
        return _say(lang, "still_failing", count=count)
    return f"{_say(lang, section)} ({count})"


def summary_line(diff: dict[str, Any], lang: str) -> str:
    verdict = _say(lang, "worse" if diff["worse"] else "not_worse")
    return _say(lang, "summary", verdict=verdict, **diff["counts"])


def _banner(diff: dict[str, Any], lang: str) -> list[str]:
    changed = diff["ruleset_changed"]
    if not changed:
        return []
    return [_say(lang, "banner")] + [
        _say(lang, "banner_item", field=_say(lang, field), old=pair["old"], new=pair["new"])
        for field, pair in changed.items()
    ]


def _total_lines(diff: dict[str, Any], lang: str) -> list[str]:
    old, new = diff["totals"]["old"], diff["totals"]["new"]
    lines = [_say(lang, "totals_merchants", old=old["merchants"], new=new["merchants"])]
    for outcome in old["outcomes"]:
        lines.append(
            _say(
                lang,
                "totals_outcomes",
                outcome=i18n.outcome_label(outcome, lang),
                old=old["outcomes"][outcome],
                new=new["outcomes"][outcome],
            )
        )
    lines.append(
        _say(
            lang,
            "totals_owed",
            old=_money(old["owed"], lang),
            new=_money(new["owed"], lang),
            old_unknown=old["owed_unknown"],
            new_unknown=new["owed_unknown"],
        )
    )
    return lines


def render_json(diff: dict[str, Any]) -> bytes:
    return orjson.dumps(diff, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def render_markdown(diff: dict[str, Any], lang: str, limit: int = DEFAULT_LIMIT) -> str:
    """For a chat message or a ticket: the summary line, then one bullet list a section."""
    title = _say(lang, "title", old=diff["old"]["file"], new=diff["new"]["file"])
    lines = [f"**{title}**", ""]
    banner = _banner(diff, lang)
    if banner:
        lines += [f"> ⚠️ {banner[0]}"] + [f"> - {line}" for line in banner[1:]] + [""]
    lines += [summary_line(diff, lang), ""]
    for section in SECTIONS:
        items = _items(diff, section)
        if not items:
            continue
        lines.append(f"### {_section_title(diff, section, lang)}")
        lines.append("")
        shown = items if limit <= 0 else items[:limit]
        lines += [
            printable(f"- `{_label(item, lang)}` {_detail(section, item, lang)}") for item in shown
        ]
        hidden = diff["counts"][section] - len(shown)
        if hidden > 0:
            lines.append(f"- {_say(lang, 'more', count=hidden)}")
        lines.append("")
    lines.append(f"### {_say(lang, 'totals')}")
    lines.append("")
    lines += [f"- {line}" for line in _total_lines(diff, lang)]
    return "\n".join(lines) + "\n"


def render_table(
    diff: dict[str, Any], lang: str, console: Console, limit: int = DEFAULT_LIMIT
) -> None:
    """The terminal view: banner, summary line, a rich table a section, then the totals."""
    console.print(_say(lang, "title", old=diff["old"]["file"], new=diff["new"]["file"]))
    for line in _banner(diff, lang):
        console.print(line, style="bold yellow")
    console.print(summary_line(diff, lang), style="bold red" if diff["worse"] else "bold green")
    for section in SECTIONS:
        items = _items(diff, section)
        if not items:
            continue
        table = Table(title=_section_title(diff, section, lang), title_justify="left")
        table.add_column(_say(lang, "merchant"), no_wrap=True)
        table.add_column(_say(lang, "detail"))
        shown = items if limit <= 0 else items[:limit]
        for item in shown:
            # export text (ids, shop names, messages quoting cells) is never markup
            table.add_row(
                Text(printable(_label(item, lang))), Text(printable(_detail(section, item, lang)))
            )
        hidden = diff["counts"][section] - len(shown)
        if hidden > 0:
            table.add_row(_say(lang, "more", count=hidden), "")
        console.print(table)
    console.print(_say(lang, "totals"), style="bold")
    for line in _total_lines(diff, lang):
        console.print(f"  {line}")


def run(
    old_path: Path, new_path: Path, fmt: DiffFormat, lang: str, limit: int = DEFAULT_LIMIT
) -> int:
    """Diff two report files and print the chosen format; the exit code (0 or 1).

    Raises UnreadableReport for a file that cannot be read or is not a report."""
    old = load_report(old_path)
    new = load_report(new_path)
    diff = compare(old, new)
    if fmt is DiffFormat.JSON:
        sys.stdout.buffer.write(render_json(diff))
        sys.stdout.flush()
    elif fmt is DiffFormat.MARKDOWN:
        sys.stdout.write(render_markdown(diff, lang, limit))
    else:
        console = Console(soft_wrap=False, highlight=False, markup=False, emoji=False)
        render_table(diff, lang, console, limit)
    return EXIT_WORSE if diff["worse"] else EXIT_SAME_OR_BETTER
