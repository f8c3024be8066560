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
from renewal.checks.assessment import AssessmentParams, DailyAssessmentParams, ReviewParams
from renewal.checks.blockers import BlockerParams
from renewal.checks.deposit import DepositParams
from renewal.checks.fee import AnnualFeeParams
from renewal.checks.qualifications import QualificationParams
from renewal.checks.scope import ScopeParams
from renewal.checks.transfer import TransferParams, counted_period
from renewal.ruleset import Clause, Cycle, RuleParams, StepParams
from renewal.timeutil import to_beijing, valid_through

_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "step": "{label} · {where}",
        "scope": "合同签署时间不晚于 {cutoff}（含）",
        "any_trademark": "{store_type} {amount}（不论商标）",
        "category": "特殊类目 {names}：{amounts}",
        "insurance": "或以保证金履约险代替现金（须不晚于签署协议续保）",
        "insurance_before": "{before} 前续保的不计",
        "fee": "{year}年度年费 {amount}：{names}",
        "qualification": "资质须有效至 {last_day}（新合同年度结束）",
        "limits": "{period}严重违规 <{serious} 分、一般违规 <{general} 分",
        "appeal": "处罚申诉中不可转入",
        "excluded": "特殊类目除外：{names}",
        "entrance": "转入入口开放：{opens} 至 {closes}",
        "entrance_opens": "转入入口 {opens} 起开放（关闭日期无出处）",
        "entrance_closes": "转入入口开放至 {closes}",
        "blocker": "{label}：无法完成 {blocks}",
        "assessment": "服务开通时间早于 {before} 的店铺须参加",
        "assessment_period": "考核期 {ends} 结束：此后不达标即无法补救",
        "review": "须资质审核的类目：{names}",
        "daily_assessment": "{label}不达标则{outcome}（仅提醒，不是续签环节）· {where}",
        "lapsed": "资质「{names}」已过期：提醒核对本列",
        "window": "续签期 {opens} → {closes}（截止时间；两端都含）",
        "terminates": "旧合同终止 {at}",
        "year_ends": "新合同年度至 {at}",
        "missed_supervised": "逾期未续签：店铺进入监管状态，{month} 起协助退出",
        "missed_exit": "逾期未续签：{month} 起协助退出",
        "missed_agreement": "终止的协议 {agreement}；监管即「{means}」",
        "midnight": "{at}（{day} 24时）",
    },
    "en": {
        "step": "{label} · {where}",
        "scope": "contract signed at or before {cutoff}",
        "any_trademark": "{store_type} {amount} (any trademark)",
        "category": "category {names}: {amounts}",
        "insurance": "or a 保证金履约险 policy instead of cash (renewed no later than signing)",
        "insurance_before": "a renewal before {before} does not count",
        "fee": "{year} fee {amount}: {names}",
        "qualification": "valid through {last_day}, the end of the new contract year",
        "limits": "serious < {serious} and general < {general} points {period}",
        "appeal": "not while a penalty appeal is pending",
        "excluded": "excluded categories: {names}",
        "entrance": "entrance open {opens} to {closes}",
        "entrance_opens": "entrance opens {opens} (no source gives its close)",
        "entrance_closes": "entrance open until {closes}",
        "blocker": "{label}: blocks {blocks}",
        "assessment": "stores whose service opened before {before}",
        "assessment_period": "period ends {ends}: after it, a failure is final",
        "review": "categories under review: {names}",
        "daily_assessment": "a store failing the {label} {outcome} (a warning only) · {where}",
        "lapsed": "an expired {names} document: a warning to check the column",
        "window": "window {opens} → {closes} (the deadline; both ends included)",
        "terminates": "old contracts terminate {at}",
        "year_ends": "new contract year ends {at}",
        "missed_supervised": "deadline missed: the store is put under supervision (监管), "
        "its exit assisted from {month}",
        "missed_exit": "deadline missed: the store's exit is assisted from {month}",
        "missed_agreement": "the agreement that terminates: {agreement}; supervision means {means}",
        "midnight": "{at} ({day} 24时)",
    },
}
"""The briefs' words in each language; the figures come from the rule file."""

FIELD_ZH: dict[str, str] = {
    "table": "保证金表",
    "categories": "特殊类目",
    "insurance": "保证金履约险",
    "insurance_earlier_year": "往年续保的履约险",
    "tiers": "年费档位",
    "consequences": "资质过期后果",
    "excluded_categories": "除外类目",
    "entrance": "转入入口",
    "lapsed_documents": "过期资质",
    "period": "考核期",
    "missed": "逾期后果",
}
"""The rule-file fields whose blocks cite their own source, as the Chinese views name
them (`mark_summary`, `nested_clauses`); English names them by the field itself, as the
rule file does. A test holds every such field of every parameter model named here."""


def field_label(name: str, lang: str) -> str:
    return FIELD_ZH.get(name, name) if lang == "zh" else name


def _words(lang: str) -> dict[str, str]:
    return _WORDS["zh" if lang == "zh" else "en"]


def minute(value: datetime) -> str:
    """Beijing time to the minute."""
    return to_beijing(value).strftime("%Y-%m-%d %H:%M")


def _step(params: StepParams, lang: str) -> list[str]:
    english = lang != "zh"
    label, where = (params.label_en, params.where_en) if english else (params.label, params.where)
    return [_words(lang)["step"].format(label=label, where=where)]


def _scope(params: ScopeParams, lang: str) -> list[str]:
    return [_words(lang)["scope"].format(cutoff=minute(params.signed_at_or_before))]


def _deposit(params: DepositParams, lang: str) -> list[str]:
    words = _words(lang)
    rows = []
    for tier in params.table:
        if tier.any is not None:
            amount = i18n.yuan(tier.any)
            rows.append(words["any_trademark"].format(store_type=tier.store_type, amount=amount))
            continue
        amounts = [
            f"{mark} {i18n.yuan(amount)}"
            for mark, amount in (("R", tier.R), ("TM", tier.TM))
            if amount is not None
        ]
        rows.append(f"{tier.store_type} {' / '.join(amounts)}")
    for special in params.categories:
        if special.any is not None:
            amounts = [i18n.yuan(special.any)]
        else:
            amounts = [f"{kind} {i18n.yuan(n)}" for kind, n in special.by_store_type.items()]
        names = i18n.listed(special.names, lang)
        rows.append(words["category"].format(names=names, amounts=" / ".join(amounts)))
    if params.insurance is not None:
        rows.append(words["insurance"])
    if params.insurance_earlier_year is not None:
        before = minute(params.insurance_earlier_year.before)
        rows.append(words["insurance_before"].format(before=before))
    return _step(params, lang) + rows


def _annual_fee(params: AnnualFeeParams, lang: str) -> list[str]:
    """The tiers grouped by fee: two lines say more than nine that repeat the amount."""
    by_fee: dict[float, list[str]] = {}
    for tier in params.tiers:
        by_fee.setdefault(tier.fee, []).append(tier.category)
    rows = [
        _words(lang)["fee"].format(
            year=params.year, amount=i18n.yuan(fee), names=i18n.listed(names, lang)
        )
        for fee, names in sorted(by_fee.items())
    ]
    return _step(params, lang) + rows


def _qualification(params: QualificationParams, lang: str) -> list[str]:
    last_day = i18n.day((params.must_stay_valid_until - timedelta(microseconds=1)).date())
    return [_words(lang)["qualification"].format(last_day=last_day)]


def _transfer(params: TransferParams, lang: str) -> list[str]:
    words = _words(lang)
    limits = words["limits"].format(
        period=counted_period(params, lang),
        serious=i18n.points(params.serious_points_below),
        general=i18n.points(params.general_points_below),
    )
    rows = [limits]
    if params.appeal_pending_excludes:
        rows.append(words["appeal"])
    rows.append(words["excluded"].format(names=i18n.listed(params.excluded_categories.names, lang)))
    entrance = params.entrance
    opens = i18n.day(entrance.opens) if entrance is not None and entrance.opens else None
    closes = i18n.day(entrance.closes) if entrance is not None and entrance.closes else None
    if opens and closes:
        rows.append(words["entrance"].format(opens=opens, closes=closes))
    elif opens:
        rows.append(words["entrance_opens"].format(opens=opens))
    elif closes:
        rows.append(words["entrance_closes"].format(closes=closes))
    return rows


def _assessment(params: AssessmentParams, lang: str) -> list[str]:
    words = _words(lang)
    rows = [words["assessment"].format(before=minute(params.opened_before))]
    if params.period is not None:
        rows.append(words["assessment_period"].format(ends=minute(params.period.ends)))
    return _step(params, lang) + rows


def _review(params: ReviewParams, lang: str) -> list[str]:
    names = i18n.listed(params.categories, lang)
    return _step(params, lang) + [_words(lang)["review"].format(names=names)]


def _blocker(params: BlockerParams, lang: str) -> list[str]:
    label = params.label if lang == "zh" else params.label_en
    rows = [_words(lang)["blocker"].format(label=label, blocks=", ".join(params.blocks))]
    if params.lapsed_documents is not None:
        names = i18n.listed(params.lapsed_documents.names, lang)
        rows.append(_words(lang)["lapsed"].format(names=names))
    return rows


def _daily_assessment(params: DailyAssessmentParams, lang: str) -> list[str]:
    en = lang != "zh"
    label, where = (params.label_en, params.where_en) if en else (params.label, params.where)
    outcome = params.outcome_en if en else params.outcome
    words = _words(lang)["daily_assessment"]
    return [words.format(label=label, outcome=outcome, where=where)]


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
    AssessmentParams: _assessment,
    ReviewParams: _review,
    DailyAssessmentParams: _daily_assessment,
}


def brief(params: RuleParams, lang: str) -> list[str]:
    """A year's parameters of one rule, a line each: the most specific brief known, or every
    field by name."""
    for kind in type(params).__mro__:
        shown = _BRIEFS.get(kind)
        if shown is not None:
            return shown(params, lang)
    return _generic(params, lang)


_CYCLE_SHOWN = frozenset(
    {
        "window_opens",
        "window_closes",
        "terminates_at",
        "contract_year_ends",
        "supervision",
        "exit_from",
        "missed",
    }
)
"""The [cycle] keys `cycle_brief` words; any other is shown by its name."""


def cycle_brief(cycle: Cycle, lang: str) -> list[str]:
    """The year's [cycle], a line each: the window, whose close is every step's deadline,
    the old contracts' termination, the new contract year's end, and what a merchant who
    misses the deadline loses. These moments decide every verdict and are the likeliest to
    be left over from last year's file, so a key added to [cycle] without words here is
    still shown, by its name, as `_generic` shows a rule's."""
    words = _words(lang)
    english = lang != "zh"
    rows = [
        words["window"].format(
            opens=minute(cycle.window_opens), closes=minute(cycle.window_closes)
        ),
        words["terminates"].format(at=_midnight(cycle.terminates_at, words)),
        words["year_ends"].format(at=_midnight(cycle.contract_year_ends, words)),
        words["missed_supervised" if cycle.supervision else "missed_exit"].format(
            month=cycle.exit_from
        ),
    ]
    if cycle.missed is not None:
        missed = cycle.missed
        rows.append(
            words["missed_agreement"].format(
                agreement=missed.agreement_en if english else missed.agreement,
                means=missed.supervision_means_en if english else missed.supervision_means,
            )
        )
    for name, value in own_fields(cycle).items():
        if name not in _CYCLE_SHOWN:
            rows.append(f"{name}: {value}")
    return rows


def _midnight(value: datetime, words: dict[str, str]) -> str:
    """A moment to the minute; at 00:00 with the day before's 24时 beside it, as the
    announcements write a termination (2021-12-31 24时 is 2022-01-01 00:00): the day whose
    end it is (`timeutil.valid_through`)."""
    ended = valid_through(value)
    if isinstance(ended, datetime):
        return minute(value)
    return words["midnight"].format(at=minute(value), day=i18n.day(ended))


def own_fields(clause: Clause) -> dict[str, Any]:
    return clause.model_dump(mode="json", exclude=set(RuleParams.model_fields))


def nested_clauses(params: Clause, lang: str = "en") -> list[tuple[str, Clause]]:
    """The blocks inside a rule's block that cite their own source: table rows, tiers, lists.

    Each is named by its field (`field_label`) and, for a row, its first own text value
    (`table 旗舰店`, in Chinese `保证金表 旗舰店`), in English as `_row_name` gives it.
    """
    found: list[tuple[str, Clause]] = []
    for name in type(params).model_fields:
        value = getattr(params, name)
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, Clause):
                label = _row_name(item, lang)
                found.append((f"{field_label(name, lang)} {label}".strip(), item))
    return found


def _row_name(row: Clause, lang: str) -> str:
    """A row's first own text value; in English, the rule file's English of it where the
    row has one (`outcome_en`: `consequences the store goes under supervision (监管)`, not
    `consequences 店铺进入监管`), else with the English alias the row lists for it beside
    it (`table 旗舰店 (flagship)`). Nothing is translated here: the words are the file's."""
    fields = own_fields(row)
    key, label = next(((k, v) for k, v in fields.items() if isinstance(v, str)), ("", ""))
    if lang == "zh" or not label:
        return str(label)
    english = fields.get(f"{key}_en")
    if isinstance(english, str) and english:
        return english
    aliases = fields.get("aliases")
    alias = next((a for a in aliases if a.isascii()), None) if isinstance(aliases, list) else None
    return f"{label} ({alias.replace('_', ' ')})" if alias and not str(label).isascii() else label


def mark_summary(params: Clause, lang: str = "en") -> str:
    """The block's mark, and how many of its rows are marked otherwise (`sourced; tiers: 5/9
    sourced-weak`, in Chinese `sourced；年费档位：5/9 sourced-weak`): a weaker row must not
    hide behind a sourced block. The marks stay codes in both languages, as the README and
    the rule files spell them; the fields are named in the language (`field_label`)."""
    zh = lang == "zh"
    parts = [params.mark.value]
    for name in type(params).model_fields:
        value = getattr(params, name)
        items = value if isinstance(value, list) else [value]
        rows = [item for item in items if isinstance(item, Clause)]
        differing = Counter(row.mark.value for row in rows if row.mark != params.mark)
        if differing:
            of = f"/{len(rows)} " if isinstance(value, list) else None
            counts = [f"{n}{of}{mark}" if of else mark for mark, n in sorted(differing.items())]
            listed = ("、" if zh else ", ").join(counts)
            parts.append(f"{field_label(name, lang)}{'：' if zh else ': '}{listed}")
    return ("；" if zh else "; ").join(parts)
