"""`renewal diff OLD NEW`: what changed between two nights' reports.

Merchants are matched on their merchant id and findings on their rule code, never on row
numbers, so a row inserted or deleted in the export moves nothing. A row whose merchant id
is null has no usable id: it is matched on its shop name and which of such rows it is, and
reported with its sheet and row. An id's rows are matched in order, its first row with the
other report's first (see Key), so an id that becomes duplicated (its rows are LD03 errors)
shows as its first row's change plus rows added, not as a merchant gone; neither moving the
rows nor the export's file name (a CSV's "sheet") makes a row new.

A changed finding is named by its rule code and what the rule looks at (`rule_name`: the
rule file's label, 缴存保证金 / Deposit top-up; a blocker's as the blocker it is), never by
the rule's title: a title states the passing condition, so after "pass → warning" it says
the opposite of what happened. Its message is the report's own words, kept with the
language its report names (`message_lang`; none for JSON Lines): they cannot be rebuilt in
another language, so the table and Markdown show them as they stand only in that language,
and otherwise marked as quoted, in which language when it is known. What a side cannot tell
(JSON Lines: no rule set, no end) is listed in `caveats` and said at the top.

Outcomes are ranked, best first: renewed = exempt (0) < waived (1) < pending (2) <
failed (3) < error (4). A change to a higher rank is worse, to a lower rank better, and
renewed <-> exempt is a lateral change; but a change to failed is always worse, from error
too: a row that could not be judged and is now known to have lost its renewal (an error row
past the deadline with a step certainly missing) is news to page for, not an improvement.
A finding is bad when its status is fail, error or warn, and good when it is pass, skip,
waived or absent (the rule is not in that report):
a failure a waiver covers counts as fixed, and one whose waiver expired as newly failing.
A bad finding that is skipped tonight is not fixed but no longer checked (`unchecked`): a
column or sheet the export lost, or a rule that no longer applies; it is not "worse" either.
A warning is bad (a new one is news) but no failure: `newly_failing` and `still_failing`
hold every bad finding, as they always have, and the warnings among them (by tonight's
status) are counted apart (`newly_warned`, `still_warned`, with a sample of the latter),
so the summary line, all that `check --baseline` prints, and the sections say them apart.
Money owed is deposit_shortfall + annual_fee_due; when either is null the amount is unknown
and such merchants are listed on their own, never compared as numbers. The totals sum each
part over the merchants that know it, as the report's summary does (`renewal.owed`), so
the known total owed is the report's own.

The diff is "worse" (exit 1) when a merchant present in both reports newly fails a rule
(or is newly warned by one), an outcome got worse, a new merchant is failed or error, or
the money a merchant owes went up. Merchants only in one report are listed as added or
gone, without their rules.

The reports are read by `renewal.readback`, which also says what inputs it takes.

"""

from __future__ import annotations

import functools
import math
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from renewal import __version__, i18n
from renewal.owed import owed_totals
from renewal.readback import (
    BAD_STATUSES,
    OUTCOME_RANK,
    LoadedReport,
    MerchantRecord,
    load_report,
)
from renewal.screen import printable

if TYPE_CHECKING:  # the rules are loaded only when a finding is named (`rule_name`)
    from renewal.ruleset import RuleSet

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
    "unchecked",
    "still_failing",
    "still_warned",
    "owed_up",
    "owed_down",
    "owed_unknown",
)

_SAMPLED = ("still_failing", "still_warned")
"""The backlog: a count and the first SAMPLE findings, not every one."""

_NEWLY = SECTIONS.index("newly_failing") + 1
VIEWED = (*SECTIONS[:_NEWLY], "newly_warned", *SECTIONS[_NEWLY:])
"""The sections the table and Markdown show: the document's, with the warnings among the
newly failing findings listed apart (`_items`)."""

_MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "title": "续签报告对比：{old} → {new}",
        "as_of_line": "评估时间：{old} → {new}（北京时间）",
        "as_of_backwards": "注意：旧报告 {file} 的评估时间 {old} 晚于新报告的 {new}："
        "随时间而变的结果（如待完成 → 未续签）会反过来算",
        "worse": "有变差",
        "not_worse": "无变差",
        "summary": "{verdict}：{newly_failing}{newly_warned}，{outcome_worse}，{added_bad}，"
        "{owed_up}；{fixed}{unchecked}，{outcome_better}，{owed_down}；{added}，{gone}；"
        "{still_failing}{still_warned}",
        "banner": "注意：两份报告的规则集或工具版本不同，差异可能来自规则变化",
        "banner_item": "{field}：{old} → {new}",
        "no_header": "注意：{file} 是 JSON Lines 报告，没有报告头：看不出两份报告的规则集是否相同，"
        "也看不出该文件是否在某一行末尾被截断（截断的商家会算作消失或新增）；请用 JSON 报告",
        "quoted": "报告原文：「{message}」",
        "quoted_lang": "报告原文（{language}）：「{message}」",
        "named": "（{name}）",
        "blocker_name": "续签限制：{label}",
        "lang_zh": "中文",
        "lang_en": "英文",
        "ruleset_id": "规则集",
        "ruleset_sha256": "规则文件 sha256",
        "tool_version": "工具版本",
        "totals": "合计",
        "totals_merchants": "商家数：{old} → {new}",
        "totals_outcomes": "{outcome}：{old} → {new}",
        "totals_owed": "已知欠款合计：{old} → {new}",
        "totals_unknown": "（未计入：{parts}）",
        "totals_unknown_deposit": "保证金金额未知 {old} → {new} 家",
        "totals_unknown_fee": "年费金额未知 {old} → {new} 家",
        "added": "新增商家",
        "gone": "消失商家",
        "outcome_worse": "结果变差",
        "outcome_better": "结果变好",
        "outcome_lateral": "结果变化（同级）",
        "newly_failing": "新增失败",
        "newly_warned": "新增警告",
        "fixed": "已修复",
        "unchecked": "不再检查（上次的问题这次没有检查）",
        "still_failing": "仍失败（共 {count} 项，示例）",
        "still_warned": "仍有警告（共 {count} 项，示例）",
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
        "finding": "{rule}{name}{statuses}：{message}",
        "finding_was": "{rule}{name}{statuses}（上次：{message}）",
        "sep": "，",
    },
    "en": {
        "title": "Renewal report diff: {old} → {new}",
        "as_of_line": "Evaluated at: {old} → {new} (Beijing time)",
        "as_of_backwards": "Note: the old report {file} was evaluated at {old}, later than the "
        "new one ({new}): outcomes that change with time (such as pending → failed) count "
        "the wrong way round",
        "worse": "Something got worse",
        "not_worse": "Nothing got worse",
        "summary": "{verdict}: {newly_failing}{newly_warned}, {outcome_worse}, {added_bad}, "
        "{owed_up}; {fixed}{unchecked}, {outcome_better}, {owed_down}; {added}, {gone}; "
        "{still_failing}{still_warned}",
        "banner": "Note: the two reports differ in rule set or tool version; "
        "some changes may come from the rules",
        "banner_item": "{field}: {old} → {new}",
        "no_header": "Note: {file} is a JSON Lines report, which has no header: whether the two "
        "reports used the same rule set cannot be told, nor whether the file was cut short at "
        "the end of a line (the merchants cut off would show as gone or added); use the JSON "
        "report",
        "quoted": 'as the report says: "{message}"',
        "quoted_lang": 'as the report says, in {language}: "{message}"',
        "named": " ({name}) ",
        "blocker_name": "blocker: {label}",
        "lang_zh": "Chinese",
        "lang_en": "English",
        "ruleset_id": "rule set",
        "ruleset_sha256": "rule file sha256",
        "tool_version": "tool version",
        "totals": "Totals",
        "totals_merchants": "merchants: {old} → {new}",
        "totals_outcomes": "{outcome}: {old} → {new}",
        "totals_owed": "known money owed: {old} → {new}",
        "totals_unknown": " (not counted: {parts})",
        "totals_unknown_deposit": "deposit unknown for {old} → {new} merchants",
        "totals_unknown_fee": "fee unknown for {old} → {new} merchants",
        "added": "Merchants added",
        "gone": "Merchants gone",
        "outcome_worse": "Outcome worse",
        "outcome_better": "Outcome better",
        "outcome_lateral": "Outcome changed (same rank)",
        "newly_failing": "Newly failing",
        "newly_warned": "New warnings",
        "fixed": "Fixed",
        "unchecked": "No longer checked (last time's problem was not checked this time)",
        "still_failing": "Still failing ({count} in all, a sample)",
        "still_warned": "Warnings still open ({count} in all, a sample)",
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
        "finding": "{rule}{name}{statuses}: {message}",
        "finding_was": "{rule}{name}{statuses} (last time: {message})",
        "sep": ", ",
    },
}


_COUNTED: dict[str, dict[str, tuple[str, str]]] = {
    "zh": {
        "newly_failing": ("新增失败 {n:,} 项", "新增失败 {n:,} 项"),
        "newly_warned": ("，新增警告 {n:,} 项", "，新增警告 {n:,} 项"),
        "outcome_worse": ("结果变差 {n:,} 家", "结果变差 {n:,} 家"),
        "added_bad": ("新加入商家中失败/错误 {n:,} 家", "新加入商家中失败/错误 {n:,} 家"),
        "owed_up": ("欠款增加 {n:,} 家", "欠款增加 {n:,} 家"),
        "fixed": ("修复 {n:,} 项", "修复 {n:,} 项"),
        "unchecked": ("（另有 {n:,} 项不再检查）", "（另有 {n:,} 项不再检查）"),
        "outcome_better": ("结果变好 {n:,} 家", "结果变好 {n:,} 家"),
        "owed_down": ("欠款减少 {n:,} 家", "欠款减少 {n:,} 家"),
        "added": ("新增商家 {n:,} 家", "新增商家 {n:,} 家"),
        "gone": ("消失商家 {n:,} 家", "消失商家 {n:,} 家"),
        "still_failing": ("仍失败 {n:,} 项", "仍失败 {n:,} 项"),
        "still_warned": ("，仍有警告 {n:,} 项", "，仍有警告 {n:,} 项"),
    },
    "en": {
        "newly_failing": ("{n:,} newly failing", "{n:,} newly failing"),
        "newly_warned": (", {n:,} new warning", ", {n:,} new warnings"),
        "outcome_worse": ("{n:,} outcome worse", "{n:,} outcomes worse"),
        "added_bad": (
            "{n:,} added merchant failed or in error",
            "{n:,} added merchants failed or in error",
        ),
        "owed_up": ("{n:,} owes more", "{n:,} owe more"),
        "fixed": ("{n:,} fixed", "{n:,} fixed"),
        "unchecked": (" ({n:,} more no longer checked)", " ({n:,} more no longer checked)"),
        "outcome_better": ("{n:,} outcome better", "{n:,} outcomes better"),
        "owed_down": ("{n:,} owes less", "{n:,} owe less"),
        "added": ("{n:,} merchant added", "{n:,} merchants added"),
        "gone": ("{n:,} gone", "{n:,} gone"),
        "still_failing": ("{n:,} still failing", "{n:,} still failing"),
        "still_warned": (", {n:,} warning still open", ", {n:,} warnings still open"),
    },
}
"""The summary line's counts, each as (one, many): 1 outcome better, 2 outcomes better."""


def _say(lang: str, key: str, **values: object) -> str:
    return _MESSAGES[lang][key].format(**values)


_WHEN_SOME = frozenset({"unchecked", "newly_warned", "still_warned"})
"""Counts the summary line says only when there are some: each qualifies the one before."""


def _counted(lang: str, counts: dict[str, int]) -> dict[str, str]:
    """The summary line's counts in words, each as its number asks (see `_COUNTED`)."""
    return {
        key: ""
        if key in _WHEN_SOME and not counts[key]
        else forms[0 if counts[key] == 1 else 1].format(n=counts[key])
        for key, forms in _COUNTED[lang].items()
    }


def _shown_counts(counts: dict[str, int]) -> dict[str, int]:
    """The document's counts as the views say them: the failing findings without the
    warnings among them, which are said apart (a warning is no failure)."""
    return {
        **counts,
        "newly_failing": counts["newly_failing"] - counts["newly_warned"],
        "still_failing": counts["still_failing"] - counts["still_warned"],
    }


# --- comparing ----------------------------------------------------------------------------

Key = tuple[int, str, int]
"""(0, merchant id, n) for the n-th row (from 1, in report order) of a merchant id, whether
the id is on one row or several; (1, shop name, n) for the n-th row without an id of that
shop name (blank if none): ids sort first, rows without one after, each in a stable order.
So an id's rows pair up in order across the two reports: an id pasted twice tonight is its
first row, now an error (LD03), plus one row added; a duplicate resolved to one row is
that row's change plus one row gone. Neither the sheet nor the row number is part of a
key: a CSV's sheet is its file name, which a nightly export changes, and a row added or
deleted above a row without an id moves it, which is not news."""


@dataclass(slots=True)
class _Keyed:
    record: MerchantRecord
    keyed_by: str
    """merchant_id (its id is on this one row), duplicate (on several rows of its report),
    no_id: how the row is named to a reader."""


def _keyed(records: list[MerchantRecord]) -> dict[Key, _Keyed]:
    counts = Counter(r.merchant_id for r in records if r.merchant_id is not None)
    seen: Counter[str] = Counter()
    unnamed: Counter[str] = Counter()
    keyed: dict[Key, _Keyed] = {}
    for record in records:
        merchant_id = record.merchant_id
        if merchant_id is None:
            shop = record.shop_name or ""
            unnamed[shop] += 1
            keyed[(1, shop, unnamed[shop])] = _Keyed(record, "no_id")
        else:
            seen[merchant_id] += 1
            how = "merchant_id" if counts[merchant_id] == 1 else "duplicate"
            keyed[(0, merchant_id, seen[merchant_id])] = _Keyed(record, how)
    return keyed


def _who(keyed: _Keyed) -> dict[str, Any]:
    record = keyed.record
    return {
        "keyed_by": keyed.keyed_by,
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
        "lang": _lang(report),
        "merchants": len(report.merchants),
    }


def _lang(report: LoadedReport) -> str | None:
    """The language of the report's messages, when its header says (JSON Lines does not)."""
    lang = report.header.get("lang")
    return lang if lang in i18n.LANGS else None


def caveats(old: LoadedReport, new: LoadedReport) -> list[dict[str, str]]:
    """What this diff cannot check: a JSON Lines file names no rule set, as-of or merchant
    count, so a change of rules goes unflagged, and a copy cut short at a line end reads as
    merchants gone (or, as the old side, added). And what it may read the wrong way round:
    an old report evaluated later than the new one (an earlier night re-run), where a
    merchant that turned failed at the deadline reads as failed → pending."""
    found = [
        {"code": "no_header", "side": side, "file": report.name}
        for side, report in (("old", old), ("new", new))
        if report.headless
    ]
    before, after = _moment(old.header.get("as_of")), _moment(new.header.get("as_of"))
    if before is not None and after is not None and before > after:
        found.append(
            {
                "code": "as_of_backwards",
                "side": "old",
                "file": old.name,
                "old": i18n.moment(before),
                "new": i18n.moment(after),
            }
        )
    return found


def _moment(value: object) -> datetime | None:
    """A header's as-of: a moment, or its ISO text as a JSON report writes it."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, datetime) and value.tzinfo is not None else None


def as_of_line(diff: dict[str, Any], lang: str) -> str | None:
    """When each report was evaluated, in Beijing time, when both headers say."""
    before, after = _moment(diff["old"].get("as_of")), _moment(diff["new"].get("as_of"))
    if before is None or after is None:
        return None
    return _say(lang, "as_of_line", old=i18n.moment(before), new=i18n.moment(after))


TOTALS_ORDER = ("error", "failed", "pending", "waived", "renewed", "exempt")
"""Every outcome, as a report's summary lists them (most urgent first), waived included
whether or not a waiver was given."""


def _totals(records: Iterable[_Keyed]) -> dict[str, Any]:
    """A side's counts, and the money owed summed as its report's summary sums it
    (`owed_totals`): `owed` is the known deposit plus the known fee, so a merchant whose
    fee is known but whose deposit is not counts its fee, and the diff's total is the
    report's own; `owed_unknown` counts the merchants with either part unknown."""
    outcomes = dict.fromkeys(TOTALS_ORDER, 0)
    unknown, merchants = 0, 0
    deposits, fees = array("d"), array("d")
    for keyed in records:
        record = keyed.record
        merchants += 1
        outcomes[record.outcome] += 1
        unknown += record.owed is None
        deposit, fee = record.deposit_shortfall, record.annual_fee_due
        deposits.append(math.nan if deposit is None else deposit)
        fees.append(math.nan if fee is None else fee)
    parts = owed_totals(deposits, fees)
    owed = parts["deposit_shortfall_total"] + parts["annual_fee_due_total"]
    return {
        "merchants": merchants,
        "outcomes": outcomes,
        "owed": owed,
        "owed_unknown": unknown,
        **parts,
    }


def compare(old: LoadedReport, new: LoadedReport) -> dict[str, Any]:
    """The diff document: plain data in a fixed key order, ready for every format."""
    before, after = _keyed(old.merchants), _keyed(new.merchants)
    old_lang, new_lang = _lang(old), _lang(new)
    sections: dict[str, list[dict[str, Any]]] = {name: [] for name in SECTIONS}
    still_failing = still_warned = 0
    for key in sorted(before.keys() | after.keys()):
        earlier, tonight = before.get(key), after.get(key)
        if earlier is None or tonight is None:
            present = tonight if tonight is not None else earlier
            assert present is not None
            record = present.record
            sections["added" if tonight is not None else "gone"].append(
                {**_who(present), "outcome": record.outcome, "owed": record.owed}
            )
            continue
        who = _who(tonight)  # named as tonight's report names it
        was, now = earlier.record, tonight.record
        if was.outcome != now.outcome:
            step = OUTCOME_RANK[now.outcome] - OUTCOME_RANK[was.outcome]
            if now.outcome == "failed":  # from error too: the renewal is now known lost
                step = 1
            name = (
                "outcome_worse" if step > 0 else "outcome_better" if step < 0 else "outcome_lateral"
            )
            sections[name].append({**who, "from": was.outcome, "to": now.outcome})
        for rule in sorted(was.statuses.keys() | now.statuses.keys()):
            status_was, status_now = was.statuses.get(rule), now.statuses.get(rule)
            bad_was, bad_now = status_was in BAD_STATUSES, status_now in BAD_STATUSES
            if not (bad_was or bad_now):
                continue
            change = {**who, "rule": rule, "from": status_was, "to": status_now}
            if bad_now:  # the message (and its language) of the report where it fails
                said = {"message": now.bad_messages[rule], "message_lang": new_lang}
            else:
                said = {"message": was.bad_messages[rule], "message_lang": old_lang}
            if bad_now and not bad_was:
                sections["newly_failing"].append({**change, **said})
            elif bad_was and not bad_now:
                sections["unchecked" if status_now == "skip" else "fixed"].append(
                    {**change, **said}
                )
            else:
                still_failing += 1
                if len(sections["still_failing"]) < SAMPLE:
                    sections["still_failing"].append({**change, **said})
                if status_now == "warn":  # its own sample: the failures' may hold none
                    still_warned += 1
                    if len(sections["still_warned"]) < SAMPLE:
                        sections["still_warned"].append({**change, **said})
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
    counts["still_warned"] = still_warned
    counts["added_bad"] = added_bad
    counts["newly_warned"] = sum(1 for item in sections["newly_failing"] if item["to"] == "warn")
    return {
        "schema": SCHEMA,
        "tool": {"name": "renewal", "version": __version__},
        **sides,
        "ruleset_changed": changed or None,
        "worse": worse,
        "caveats": caveats(old, new),
        "outcome_order": ["renewed", "exempt", "waived", "pending", "failed", "error"],
        "counts": counts,
        "totals": {"old": _totals(before.values()), "new": _totals(after.values())},
        **{
            name: {"count": counts[name], "sample": items} if name in _SAMPLED else items
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


_FINDINGS = ("newly_failing", "newly_warned", "fixed", "unchecked", *_SAMPLED)
"""The sections whose items are a rule's finding on a merchant."""


def _detail(diff: dict[str, Any], section: str, item: dict[str, Any], lang: str) -> str:
    if section in ("added", "gone"):
        owed = _say(lang, "owed", owed=_money(item["owed"], lang))
        return i18n.outcome_label(item["outcome"], lang) + _say(lang, "sep") + owed
    if section.startswith("outcome_"):
        return f"{i18n.outcome_label(item['from'], lang)} → {i18n.outcome_label(item['to'], lang)}"
    if section in _FINDINGS:
        was, now = (_status(item[end], lang) for end in ("from", "to"))
        statuses = now if section in _SAMPLED and item["from"] == item["to"] else f"{was} → {now}"
        rule = str(item["rule"])
        # the report whose words are shown first: its year's label
        said_by = ("old", "new") if section in ("fixed", "unchecked") else ("new", "old")
        name = rule_name(rule, lang, *(diff[side]["ruleset_id"] for side in said_by))
        named = _say(lang, "named", name=name) if name else " "
        message = _message(item, lang)
        # fixed or unchecked: the words are last time's, when it was a problem
        key = "finding_was" if section in ("fixed", "unchecked") else "finding"
        return _say(lang, key, rule=rule, name=named, statuses=statuses, message=message)
    text = f"{_money(item['from'], lang)} → {_money(item['to'], lang)}"
    if "delta" in item:
        sign = "+" if item["delta"] > 0 else "-"
        text += f" ({sign}{i18n.yuan(abs(item['delta']))})"
    return text


def _status(status: str | None, lang: str) -> str:
    """A finding's status as the workbook's findings sheet words it (未通过, warning); —
    where the report has no such finding."""
    return "—" if not status else i18n.status_label(status, lang)


def _message(item: dict[str, Any], lang: str) -> str:
    """A finding's message as its report said it: as it stands in that report's language;
    in another, or one unknown (JSON Lines), marked as quoted (and in which language, when
    known), since the report keeps the words, not what to rebuild them from."""
    message, said_in = item["message"] or "", item.get("message_lang")
    if said_in == lang:
        return str(message)
    if said_in is None:
        return _say(lang, "quoted", message=message)
    language = _say(lang, f"lang_{said_in}")
    return _say(lang, "quoted_lang", message=message, language=language)


@functools.cache
def rule_name(code: str, lang: str, *ruleset_ids: str | None) -> str | None:
    """What rule `code` looks at, in `lang`, to name a finding by beside its status: never
    its title, which states the passing condition and so, after "pass → warning", says the
    opposite of what happened. The label of the first of `ruleset_ids` (the reports' rule
    sets) that labels it, else of the newest bundled rule set that does: a step's label
    (缴存保证金 / Deposit top-up), a blocker's said as the blocker it is (its label names
    the state that stops a renewal, 考核不达标). The catalogue names what no rule file
    labels (`NAMES`: SC01, QL01, TB01, the load problems). None for a code this version
    does not know.

    Only bundled rule sets are read: a report names its rule set by id, and a path taken
    from a file being diffed is not one to open."""
    from renewal.catalog import NAMES  # loads the checks: only when a finding is shown
    from renewal.checks import REGISTRY, Role
    from renewal.ruleset import bundled_ids

    if code in NAMES:
        return NAMES[code][lang]
    bundled = bundled_ids()
    for ruleset_id in (*ruleset_ids, *reversed(bundled)):
        if ruleset_id not in bundled:
            continue
        params = _bundled(ruleset_id).rules.get(code)
        label = getattr(params, "label_en" if lang == "en" else "label", None)
        if isinstance(label, str):
            rule = REGISTRY.get(code)
            if rule is not None and rule.role == Role.BLOCKER:
                return _say(lang, "blocker_name", label=label)
            return label
    return None


@functools.cache
def _bundled(ruleset_id: str) -> RuleSet:
    from renewal.ruleset import load

    return load(ruleset_id)


def _items(diff: dict[str, Any], section: str) -> list[dict[str, Any]]:
    """A section's items as the views list them (`VIEWED`): the warnings apart from the
    failures, by tonight's status."""
    if section == "newly_warned":
        return [item for item in diff["newly_failing"] if item["to"] == "warn"]
    if section == "newly_failing":
        return [item for item in diff["newly_failing"] if item["to"] != "warn"]
    if section == "still_failing":
        return [item for item in diff["still_failing"]["sample"] if item["to"] != "warn"]
    value = diff[section]
    return list(value["sample"]) if section in _SAMPLED else list(value)


def _section_title(section: str, count: int, lang: str) -> str:
    if section in _SAMPLED:
        return _say(lang, section, count=count)
    return f"{_say(lang, section)} ({count})"


def _shown_sections(
    diff: dict[str, Any], lang: str, limit: int
) -> Iterator[tuple[str, list[tuple[str, str]], int]]:
    """What the table and Markdown show of each section, in order (`VIEWED`): its title,
    (merchant, change) for each item shown (at most `limit`; 0: all), and how many more it
    holds. A section is shown by its count, not its items: a sample of failures may hold
    only warnings."""
    counts = _shown_counts(diff["counts"])
    for section in VIEWED:
        count = counts[section]
        if not count:
            continue
        items = _items(diff, section)
        shown = items if limit <= 0 else items[:limit]
        rows = [(_label(item, lang), _detail(diff, section, item, lang)) for item in shown]
        yield _section_title(section, count, lang), rows, count - len(shown)


def summary_line(diff: dict[str, Any], lang: str) -> str:
    verdict = _say(lang, "worse" if diff["worse"] else "not_worse")
    counts = _shown_counts(diff["counts"])
    return _say(lang, "summary", verdict=verdict, **_counted(lang, counts))


def notices(diff: dict[str, Any], lang: str) -> list[list[str]]:
    """What to read the diff with, each a heading and its items: the rule sets or tool
    versions differ; a report has no header (JSON Lines) to tell either by."""
    said: list[list[str]] = []
    changed = diff["ruleset_changed"]
    if changed:
        said.append(
            [_say(lang, "banner")]
            + [
                _say(lang, "banner_item", field=_say(lang, field), old=pair["old"], new=pair["new"])
                for field, pair in changed.items()
            ]
        )
    for caveat in diff["caveats"]:
        said.append([_say(lang, caveat["code"], **caveat)])
    return said


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
    owed = _say(lang, "totals_owed", old=_money(old["owed"], lang), new=_money(new["owed"], lang))
    # the merchants left out of each part, as the report's HTML page says them; a part
    # known for every merchant on both sides (the fee of a year without one) is not named
    unknown = [
        _say(lang, f"totals_unknown_{part}", old=old[key], new=new[key])
        for part, key in (
            ("deposit", "deposit_shortfall_unknown"),
            ("fee", "annual_fee_due_unknown"),
        )
        if old[key] or new[key]
    ]
    if unknown:
        owed += _say(lang, "totals_unknown", parts=_say(lang, "sep").join(unknown))
    lines.append(owed)
    return lines


def render_json(diff: dict[str, Any]) -> bytes:
    return orjson.dumps(diff, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


def render_markdown(diff: dict[str, Any], lang: str, limit: int = DEFAULT_LIMIT) -> str:
    """For a chat message or a ticket: the summary line, then one bullet list a section."""
    title = _say(lang, "title", old=diff["old"]["file"], new=diff["new"]["file"])
    lines = [f"**{title}**", ""]
    evaluated = as_of_line(diff, lang)
    if evaluated is not None:
        lines += [evaluated, ""]
    for notice in notices(diff, lang):
        said = [f"> ⚠️ {notice[0]}"] + [f"> - {line}" for line in notice[1:]]
        lines += [printable(line) for line in said] + [""]
    lines += [summary_line(diff, lang), ""]
    for title, rows, hidden in _shown_sections(diff, lang, limit):
        lines.append(f"### {title}")
        lines.append("")
        lines += [printable(f"- `{merchant}` {change}") for merchant, change in rows]
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
    title = _say(lang, "title", old=diff["old"]["file"], new=diff["new"]["file"])
    console.print(Text(printable(title)))  # file names: no markup
    evaluated = as_of_line(diff, lang)
    if evaluated is not None:
        console.print(evaluated)
    for notice in notices(diff, lang):
        for line in notice:
            console.print(Text(printable(line)), style="bold yellow")  # a file name: no markup
    console.print(summary_line(diff, lang), style="bold red" if diff["worse"] else "bold green")
    for title, rows, hidden in _shown_sections(diff, lang, limit):
        table = Table(title=title, title_justify="left")
        table.add_column(_say(lang, "merchant"), no_wrap=True)
        table.add_column(_say(lang, "detail"))
        for merchant, change in rows:
            # export text (ids, shop names, messages quoting cells) is never markup
            table.add_row(Text(printable(merchant)), Text(printable(change)))
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
        for notice in notices(diff, lang):  # the document has them; a person reads stderr
            for line in notice:
                sys.stderr.write(f"renewal: {printable(line)}\n")
    elif fmt is DiffFormat.MARKDOWN:
        # for a chat message or a ticket, as the JSON is for a program: UTF-8 in any
        # locale, never the terminal's encoding (a bot's stripped C locale would turn
        # every Chinese character into ?)
        sys.stdout.buffer.write(render_markdown(diff, lang, limit).encode("utf-8"))
        sys.stdout.buffer.flush()
    else:
        console = Console(soft_wrap=False, highlight=False, markup=False, emoji=False)
        render_table(diff, lang, console, limit)
    return EXIT_WORSE if diff["worse"] else EXIT_SAME_OR_BETTER
