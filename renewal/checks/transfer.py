"""The fallback for merchants that do not renew: moving to a 淘宝企业店铺."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from renewal import i18n
from renewal.checks.categories import is_one_of
from renewal.checks.context import Context
from renewal.checks.evidence import absent, source, unusable
from renewal.checks.registry import Role, rule
from renewal.intake.values import split_categories
from renewal.model import Finding, Merchant, SourceRef, Status, ViolationProblem, finding
from renewal.ruleset import Clause, Days, Flag, Names, Points, RuleParams, Text
from renewal.timeutil import to_beijing


class ExcludedCategories(Clause):
    names: Names
    """A category is excluded when it is one of these, read as `renewal.checks.categories`
    reads a compound name (as the deposit's special categories are): 汽车保险 is 保险,
    保险箱 is not."""

    prefixes: list[Text] = Field(default_factory=list)
    """Names that are channels, not goods (天猫国际): a category that begins with one is
    excluded too (天猫国际进口). Each must be among `names`."""

    @model_validator(mode="after")
    def _prefixes_named(self) -> ExcludedCategories:
        stray = [name for name in self.prefixes if name not in self.names]
        if stray:
            raise PydanticCustomError(
                "prefix_not_named", "prefixes not in names: {stray}", {"stray": stray}
            )
        return self

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(self.names)

    @cached_property
    def channel_words(self) -> frozenset[str]:
        return frozenset(self.prefixes)


class EntranceState(StrEnum):
    NOT_OPEN = "not_open"
    OPEN = "open"
    CLOSED = "closed"


class TransferEntrance(Clause):
    """When the year's 转淘宝企业店铺 entrance is open, as far as a source says: either day
    may be left out. Whole days, Beijing dates: open from the start of `opens` to the end
    of `closes`."""

    opens: date | None = None
    closes: date | None = None
    """The last day a merchant may apply (included)."""

    def state(self, as_of: datetime) -> EntranceState:
        day = to_beijing(as_of).date()
        if self.opens is not None and day < self.opens:
            return EntranceState.NOT_OPEN
        if self.closes is not None and day > self.closes:
            return EntranceState.CLOSED
        return EntranceState.OPEN


class TransferParams(RuleParams):
    window_days: Days | None = None
    """The rolling window: the days ending on the evaluation date."""
    period_from: date | None = None
    period_to: date | None = None
    """A fixed period instead of the rolling window (2019年度 counted calendar 2018)."""
    serious_points_below: Points
    general_points_below: Points
    appeal_pending_excludes: Flag
    excluded_categories: ExcludedCategories
    entrance: TransferEntrance | None = None
    """Left out when no source gives the entrance's days."""

    @model_validator(mode="after")
    def _one_period(self) -> TransferParams:
        fixed = self.period_from is not None and self.period_to is not None
        partly = (self.period_from is None) != (self.period_to is None)
        if partly or fixed == (self.window_days is not None):
            raise PydanticCustomError("window_or_period", "window_days, or a whole period")
        return self


def counted_period(params: TransferParams, lang: str) -> str:
    """The period the points are counted over, as the messages and briefs say it."""
    texts = i18n.catalog(lang)
    if params.period_from is not None and params.period_to is not None:
        start, end = i18n.day(params.period_from), i18n.day(params.period_to)
        return texts["TB01.period"].format(start=start, end=end)
    return texts["TB01.window"].format(days=params.window_days)


@rule(
    "TB01",
    "transfer.honest_operation",
    "transfer",
    Role.FALLBACK,
    TransferParams,
    reads=(
        "category",
        "appeal_pending",
        "serious_points",
        "general_points",
        "taobao_transfer_in_progress",
    ),
)
def honest_operation(merchant: Merchant, params: TransferParams, ctx: Context) -> Finding:
    """Eligible to move to a Taobao enterprise store (淘宝企业店铺; honest operation, 诚信经营).

    Fails when: the year's entrance has closed (the evaluation date is past `entrance.closes`);
    or, over the rule's period (the `window_days` ending on the evaluation date, both ends
    included, or the fixed `period_from`..`period_to` up to the evaluation date),
    serious-violation (严重违规) points reach the serious limit, or general-violation (一般违规)
    points reach the general limit; or a penalty appeal is pending (处罚申诉中, or any
    violation row 申诉中, however old its penalty, but not one penalized after the evaluation
    date, which had not been given yet, nor appealed); or a category is a listed special
    category. A violation whose appeal succeeded (申诉成功) does not count.
    Points: each kind's total is the larger of the 违规记录 sheet's rows in the period and the
    merchant's own already-summed 严重违规扣分 / 一般违规扣分 column, so either source can
    exclude and nothing is counted twice (the column is a total, the rows may be the same
    penalties). Without a 违规记录 sheet the columns are needed (an export without them is
    an error on every row); with one, a column is read when the export has it.
    Passes when: both totals are below their limits, no appeal is pending, no category is
    excluded and the entrance has not closed; before `entrance.opens` the message says when
    it opens, and once the contracts have ended (`cycle.terminates_at`) in a year whose
    entrance has no known last day, that no source gives it (check it is still open). An
    appeal is read from the 处罚申诉中 column and from the 违规记录 rows' 申诉状态. Beside a
    违规记录 sheet the column may be missing: the appeals looked for are then the sheet's
    rows alone, and the message says no more than that (no row under
    appeal, the column not there: an appeal on a penalty the sheet does not list is not
    seen). A sheet without 申诉状态 as well tells nothing of appeals, and a note says so.
    A cell that cannot be read matters only where the verdict turns on it: any one reason
    that can be read refuses the transfer whatever the unreadable cells hold (points that
    already reach a limit, with 处罚申诉中 unreadable; a pending appeal, with a points cell
    unreadable), and the row gets only its LD04 warning. So does a 违规记录 row that cannot
    be read whole but whose 申诉状态 reads 申诉中 (an appeal typed as a row of its own: 商家ID
    and 申诉中, the rest blank): it refuses the transfer as any row under appeal does, unless
    its 处罚日期 reads after the evaluation date. Its 处罚日期 blank or unreadable, it counts,
    as the undated 处罚申诉中 column counts: the row is in the file because the appeal is,
    and nothing on it says the penalty came after the evaluation date (only a run dated
    before the export was drawn could meet one not given yet). A merchant that nothing readable
    refuses is an error naming the cell that might: an unreadable 严重违规扣分, 一般违规扣分,
    处罚申诉中 (where a pending appeal refuses), 主营类目 or 违规记录 row. An unreadable
    转淘宝企业店铺中 is an error whatever else holds: whether the test applies turns on it.
    Not applicable when: the merchant renewed or is exempt, or is already moving to a 淘宝企业
    店铺 (转淘宝企业店铺中 is 是): `transfer_eligible` is then null.
    A merchant whose verdict cannot be decided (outcome `error`) is still judged on what can
    be read, as it may turn out not to have renewed: the message says the test applies only
    then, and `transfer_eligible` stays null.
    Remediation: a merchant that cannot renew and is not eligible must exit Tmall.
    Source: 「针对未完成续签但诚信经营(近365天累计无严重违规12分及以上或一般违规48分的处罚记录,且未在处罚申诉中)的商家,天猫将提供转入淘宝企业店铺继续经营的技术支持(除特殊类目)」
    """
    found = _judge(merchant, params, ctx)
    if params.entrance is not None and params.entrance.closes is not None:
        found["open_until"] = params.entrance.closes
    return found


def _judge(merchant: Merchant, params: TransferParams, ctx: Context) -> Finding:
    """The finding, before the entrance's last day is put on it."""
    if merchant.taobao_transfer_in_progress:
        return finding("TB01", Status.SKIP, ctx.constant("TB01.transferring"))
    # whether the test applies at all turns on 转淘宝企业店铺中, when it is there
    problem = unusable(merchant, "TB01", (), ctx, ("taobao_transfer_in_progress",))
    if problem is not None:
        return problem
    entrance = params.entrance
    state = entrance.state(ctx.as_of) if entrance is not None else EntranceState.OPEN
    if state is EntranceState.CLOSED:
        assert entrance is not None and entrance.closes is not None
        # decided whatever the merchant's record says: there is nowhere left to apply
        message = ctx.constant("TB01.closed", closes=entrance.closes)
        return finding("TB01", Status.FAIL, message, entrance.closes, ctx.as_of.date())
    fields = ("serious_points", "general_points", "appeal_pending")
    if ctx.has_violations_sheet:
        problem = None  # the columns are optional beside the sheet
    elif "serious_points" in ctx.columns or "general_points" in ctx.columns:
        problem = absent(merchant, "TB01", fields, ctx)
    else:
        return finding("TB01", Status.ERROR, ctx.text("TB01.unknown"))
    if problem is not None:
        return problem

    rows = _sheet_totals(merchant, params, ctx)
    serious = max(rows.serious, merchant.serious_points or 0.0)
    general = max(rows.general, merchant.general_points or 0.0)
    appeal = bool(merchant.appeal_pending) or rows.appeal is not None
    serious_limit = params.serious_points_below
    general_limit = params.general_points_below

    def values() -> dict[str, object]:
        return {
            "period": counted_period(params, ctx.lang),
            "serious": i18n.points(serious),
            "general": i18n.points(general),
            "serious_limit": i18n.points(serious_limit),
            "general_limit": i18n.points(general_limit),
        }

    reasons: list[str] = []
    deciding: list[SourceRef] = []  # the cell each reason comes from, in the same order
    if serious >= serious_limit or general >= general_limit:
        shown = values()
        if serious >= serious_limit:
            reasons.append(ctx.text("TB01.serious", **shown))
            deciding.append(rows.points_source("serious", merchant, ctx))
        if general >= general_limit:
            reasons.append(ctx.text("TB01.general", **shown))
            deciding.append(rows.points_source("general", merchant, ctx))
    if appeal and params.appeal_pending_excludes:
        reasons.append(ctx.constant("TB01.appeal"))
        pending_row = None if merchant.appeal_pending else rows.appeal
        deciding.append(pending_row or source(merchant, "appeal_pending", ctx))
    for category in split_categories(merchant.category or ""):
        excluded = params.excluded_categories
        if is_one_of(category, excluded.words, excluded.channel_words):
            reasons.append(ctx.text("TB01.category", category=category))
            deciding.append(source(merchant, "category", ctx))
    expected = {
        "serious_below": params.serious_points_below,
        "general_below": params.general_points_below,
    }
    actual = {"serious": serious, "general": general, "appeal_pending": appeal}
    where = deciding[0] if deciding else rows.points_source("serious", merchant, ctx)
    if not reasons:
        # eligible only if nothing that cannot be read might refuse the transfer
        problem = _unknown(merchant, params, ctx)
        if problem is not None:
            return problem
        # without the 处罚申诉中 column (beside a 违规记录 sheet: without both it is an
        # error above) the appeals read are the sheet's rows: the message says no more
        key = "TB01.eligible" if "appeal_pending" in ctx.columns else "TB01.eligible_rows"
        # the same few point totals recur: the message is formatted once for each
        message = ctx.repeated(key, f"{serious}|{general}", values)
        if state is EntranceState.NOT_OPEN:
            assert entrance is not None
            message += ctx.constant("TB01.opens", opens=entrance.opens)
        elif ctx.close_unknown(entrance.closes if entrance is not None else None):
            message += ctx.constant("TB01.close_unknown")
        return finding("TB01", Status.PASS, message, expected, actual, where)
    separator = "；" if ctx.lang == "zh" else "; "
    message = ctx.text("TB01.ineligible", reasons=separator.join(reasons))
    return finding("TB01", Status.FAIL, message, expected, actual, where)


def _unknown(merchant: Merchant, params: TransferParams, ctx: Context) -> Finding | None:
    """The error for a merchant that nothing readable refuses, when something that cannot
    be read might: a 违规记录 row, a points cell, 处罚申诉中 (where a pending appeal
    refuses) or 主营类目. None when every such cell was read."""
    if merchant.violation_problems:
        first = merchant.violation_problems[0].source
        return finding("TB01", Status.ERROR, ctx.text("TB01.bad_record"), source=first)
    if not merchant.unreadable:  # nearly every row
        return None
    appeal = ("appeal_pending",) if params.appeal_pending_excludes else ()
    cells = ("serious_points", "general_points", *appeal, "category")
    return unusable(merchant, "TB01", (), ctx, cells)


@dataclass(slots=True)
class _SheetTotals:
    """What the 违规记录 rows of one merchant add up to in the period, and where."""

    serious: float = 0.0
    general: float = 0.0
    appeal: SourceRef | None = None
    """The first row under appeal penalized by the as-of, however long ago: a penalty of
    a later day had not been given yet, so neither had an appeal against it. Failing a
    readable row, the 申诉状态 cell of one that cannot be read whole but reads 申诉中,
    undated or penalized by the as-of."""
    first: dict[str, SourceRef] = field(default_factory=dict)
    """Each kind's first row counted in the period."""

    def points_source(self, kind: str, merchant: Merchant, ctx: Context) -> SourceRef:
        """Where a kind's total comes from: the merchant's own points column when it is at
        least the rows' total, else the first row counted; the merchant's row when neither
        is there (no points at all)."""
        column = f"{kind}_points"
        total = self.serious if kind == "serious" else self.general
        if column in ctx.columns and (getattr(merchant, column) or 0.0) >= total:
            return source(merchant, column, ctx)
        row = self.first.get(kind) or next(iter(self.first.values()), None)
        if row is not None:
            return row
        other = "general_points" if kind == "serious" else "serious_points"
        return source(merchant, other if other in ctx.columns else "merchant_id", ctx)


def _sheet_totals(merchant: Merchant, params: TransferParams, ctx: Context) -> _SheetTotals:
    """The 违规记录 rows' serious and general points in the period, and the row under
    appeal, if any."""
    totals = _SheetTotals()
    last_day = today = ctx.as_of.date()
    if params.period_from is not None and params.period_to is not None:
        # a fixed period still ends at the as-of: a later penalty has not happened yet
        first_day, last_day = params.period_from, min(params.period_to, last_day)
    else:
        first_day = last_day - timedelta(days=(params.window_days or 0) - 1)
    for violation in merchant.violations or ():
        if violation.appeal == "pending" and totals.appeal is None:
            if violation.penalized_on <= today:
                totals.appeal = violation.source
        if violation.appeal == "succeeded" or not first_day <= violation.penalized_on <= last_day:
            continue
        if violation.kind == "serious":
            totals.serious += violation.points
        else:
            totals.general += violation.points
        totals.first.setdefault(violation.kind, violation.source)
    for problem in merchant.violation_problems:  # nearly always none
        # a row unreadable elsewhere whose 申诉状态 reads 申诉中: undated, it counts as the
        # 处罚申诉中 column does (see honest_operation's docstring)
        if totals.appeal is None and isinstance(problem, ViolationProblem) and problem.appeal:
            if problem.penalized_on is None or problem.penalized_on <= today:
                totals.appeal = problem.appeal
    return totals
