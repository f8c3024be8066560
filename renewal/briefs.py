"""A year's parameters of one rule, in brief: the lines `renewal rules`, `renewal explain`
and the README's rule table show under each rule, the blocks inside it that cite their own
source, and how their marks (sourced, inferred …) add up. Reads a rule file's blocks,
decides nothing."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from renewal import i18n
from renewal.checks.blockers import BlockerParams
from renewal.checks.deposit import DepositParams
from renewal.checks.fee import AnnualFeeParams
from renewal.checks.qualifications import QualificationParams
from renewal.checks.scope import ScopeParams
from renewal.checks.transfer import TransferParams, counted_period
from renewal.ruleset import Clause, RuleParams, StepParams
from renewal.timeutil import to_beijing


def minute(value: datetime) -> str:
    """Beijing time to the minute."""
    return to_beijing(value).strftime("%Y-%m-%d %H:%M")


def _step(params: StepParams, lang: str) -> list[str]:
    return [
        f"{params.label} · {params.where}"
        if lang == "zh"
        else f"{params.label_en} · {params.where_en}"
    ]


def _scope(params: ScopeParams, lang: str) -> list[str]:
    cutoff = minute(params.signed_at_or_before)
    if lang == "zh":
        return [f"合同签署时间不晚于 {cutoff}（含）"]
    return [f"contract signed at or before {cutoff}"]


def _deposit(params: DepositParams, lang: str) -> list[str]:
    rows = []
    for tier in params.table:
        if tier.any is not None:
            anyone = "（不论商标）" if lang == "zh" else " (any trademark)"
            rows.append(f"{tier.store_type} {i18n.yuan(tier.any)}{anyone}")
            continue
        amounts = [
            f"{mark} {i18n.yuan(amount)}"
            for mark, amount in (("R", tier.R), ("TM", tier.TM))
            if amount is not None
        ]
        rows.append(f"{tier.store_type} {' / '.join(amounts)}")
    for special in params.categories:
        names = i18n.listed(special.names, lang)
        if special.any is not None:
            amounts = [i18n.yuan(special.any)]
        else:
            amounts = [f"{kind} {i18n.yuan(n)}" for kind, n in special.by_store_type.items()]
        head = "特殊类目 " if lang == "zh" else "category "
        colon = "：" if lang == "zh" else ": "
        rows.append(f"{head}{names}{colon}{' / '.join(amounts)}")
    if params.insurance is not None:
        rows.append(
            "或以保证金履约险代替现金（须不晚于签署协议续保）"
            if lang == "zh"
            else "or a 保证金履约险 policy instead of cash (renewed no later than signing)"
        )
    if params.insurance_earlier_year is not None:
        before = minute(params.insurance_earlier_year.before)
        rows.append(
            f"{before} 前续保的不计"
            if lang == "zh"
            else f"a renewal before {before} does not count"
        )
    return _step(params, lang) + rows


def _annual_fee(params: AnnualFeeParams, lang: str) -> list[str]:
    """The tiers grouped by fee: two lines say more than nine that repeat the amount."""
    by_fee: dict[float, list[str]] = {}
    for tier in params.tiers:
        by_fee.setdefault(tier.fee, []).append(tier.category)
    head = f"{params.year}年度年费" if lang == "zh" else f"{params.year} fee"
    colon = "：" if lang == "zh" else ": "
    rows = [
        f"{head} {i18n.yuan(fee)}{colon}{i18n.listed(names, lang)}"
        for fee, names in sorted(by_fee.items())
    ]
    return _step(params, lang) + rows


def _qualification(params: QualificationParams, lang: str) -> list[str]:
    last_day = i18n.day((params.must_stay_valid_until - timedelta(microseconds=1)).date())
    if lang == "zh":
        return [f"资质须有效至 {last_day}（新合同年度结束）"]
    return [f"valid through {last_day}, the end of the new contract year"]


def _transfer(params: TransferParams, lang: str) -> list[str]:
    period = counted_period(params, lang)
    serious = i18n.points(params.serious_points_below)
    general = i18n.points(params.general_points_below)
    names = params.excluded_categories.names
    entrance = params.entrance
    opens = i18n.day(entrance.opens) if entrance is not None and entrance.opens else None
    closes = i18n.day(entrance.closes) if entrance is not None and entrance.closes else None
    if lang == "zh":
        rows = [f"{period}严重违规 <{serious} 分、一般违规 <{general} 分"]
        if params.appeal_pending_excludes:
            rows.append("处罚申诉中不可转入")
        rows.append(f"特殊类目除外：{'、'.join(names)}")
        if opens and closes:
            rows.append(f"转入入口开放：{opens} 至 {closes}")
        elif opens:
            rows.append(f"转入入口 {opens} 起开放（关闭日期无出处）")
        elif closes:
            rows.append(f"转入入口开放至 {closes}")
        return rows
    rows = [f"serious < {serious} and general < {general} points {period}"]
    if params.appeal_pending_excludes:
        rows.append("not while a penalty appeal is pending")
    rows.append(f"excluded categories: {', '.join(names)}")
    if opens and closes:
        rows.append(f"entrance open {opens} to {closes}")
    elif opens:
        rows.append(f"entrance opens {opens} (no source gives its close)")
    elif closes:
        rows.append(f"entrance open until {closes}")
    return rows


def _blocker(params: BlockerParams, lang: str) -> list[str]:
    blocks = ", ".join(params.blocks)
    if lang == "zh":
        return [f"{params.label}：无法完成 {blocks}"]
    return [f"{params.label_en}: blocks {blocks}"]


_OWN_FIELDS_OF_EVERY_RULE = frozenset(RuleParams.model_fields)


def _generic(params: RuleParams, lang: str) -> list[str]:
    """A parameter model without a brief of its own: its fields, as `name: value`."""
    rows = []
    for name in type(params).model_fields:
        if name in _OWN_FIELDS_OF_EVERY_RULE:
            continue
        value = getattr(params, name)
        if isinstance(value, datetime):
            shown = minute(value)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            shown = f"{len(value)} rows"
        elif isinstance(value, Clause):
            shown = json.dumps(own_fields(value), ensure_ascii=False, default=str)
        else:
            shown = str(value)
        rows.append(f"{name}: {shown}")
    return rows


_BRIEFS: dict[type[RuleParams], Callable[[Any, str], list[str]]] = {
    ScopeParams: _scope,
    StepParams: _step,
    DepositParams: _deposit,
    AnnualFeeParams: _annual_fee,
    QualificationParams: _qualification,
    TransferParams: _transfer,
    BlockerParams: _blocker,
}


def brief(params: RuleParams, lang: str) -> list[str]:
    """A year's parameters of one rule, a line each: the most specific brief known, or every
    field by name."""
    for kind in type(params).__mro__:
        shown = _BRIEFS.get(kind)
        if shown is not None:
            return shown(params, lang)
    return _generic(params, lang)


def own_fields(clause: Clause) -> dict[str, Any]:
    return clause.model_dump(mode="json", exclude=set(RuleParams.model_fields))


def nested_clauses(params: RuleParams) -> list[tuple[str, Clause]]:
    """The blocks inside a rule's block that cite their own source: table rows, tiers, lists.

    Each is named by its field and, for a row, its first own text value (`table 旗舰店`).
    """
    found: list[tuple[str, Clause]] = []
    for name in type(params).model_fields:
        value = getattr(params, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, Clause):
                label = next((v for v in own_fields(item).values() if isinstance(v, str)), "")
                found.append((f"{name} {label}".strip(), item))
    return found


def mark_summary(params: RuleParams) -> str:
    """The block's mark, and how many of its rows are marked otherwise (`sourced; tiers: 5/9
    sourced-weak`): a weaker row must not hide behind a sourced block."""
    parts = [params.mark.value]
    for name in type(params).model_fields:
        value = getattr(params, name)
        items = value if isinstance(value, list) else [value]
        rows = [item for item in items if isinstance(item, Clause)]
        differing = Counter(row.mark.value for row in rows if row.mark != params.mark)
        if differing:
            of = f"/{len(rows)} " if isinstance(value, list) else None
            counts = [f"{n}{of}{mark}" if of else mark for mark, n in sorted(differing.items())]
            parts.append(f"{name}: {', '.join(counts)}")
    return "; ".join(parts)
