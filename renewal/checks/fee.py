"""The annual fee step: the new contract year's 软件服务年费 paid in full inside the window."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Annotated

from pydantic import Field, field_validator

from renewal import i18n
from renewal.checks.categories import named_by
from renewal.checks.context import Context
from renewal.checks.evidence import (
    StepState,
    absent,
    owed_between,
    said_at,
    source,
    step_state,
    unusable,
)
from renewal.checks.registry import Role, rule
from renewal.intake.values import split_categories
from renewal.model import Finding, Merchant, SourceRef, Status, finding
from renewal.ruleset import Amount, Clause, StepParams, Text, Year, names_and_aliases, unique_names


class FeeTier(Clause):
    """The annual fee of one 一级类目."""

    category: Text
    """The first-level category's name, and `aliases` other names of it: a 主营类目 is in
    this tier when it begins with one of them, read as `renewal.checks.categories` reads a
    compound name (女装/女士精品/连衣裙 and 女装 are 女装/女士精品)."""
    aliases: list[Text] = Field(default_factory=list)
    fee: Amount


class AnnualFeeParams(StepParams):
    year: Year
    """The contract year the fee is for."""
    tiers: Annotated[list[FeeTier], Field(min_length=1)]

    @field_validator("tiers")
    @classmethod
    def _one_tier_per_category(cls, tiers: list[FeeTier]) -> list[FeeTier]:
        """A category, or an alias, names one tier: in two, which fee counts is not said."""
        unique_names(names_and_aliases(tiers, "category"))
        return tiers

    @cached_property
    def words(self) -> tuple[str, ...]:
        """Every tier's name and aliases, for one `named_by` call per category."""
        return tuple(name for tier in self.tiers for name in (tier.category, *tier.aliases))

    @cached_property
    def top_fee(self) -> float:
        """The table's highest fee: no category pays more."""
        return max((tier.fee for tier in self.tiers), default=0.0)

    def fee_for(self, category: str) -> float | None:
        """One category's fee (the highest, for a name two tiers claim); None when the
        table does not know it."""
        names = set(named_by(category, self.words, leading=True))
        fees = [t.fee for t in self.tiers if names.intersection((t.category, *t.aliases))]
        return max(fees, default=None)

    def unknown_categories(self, category: str | None) -> list[str]:
        """The store's categories the table does not know."""
        return [c for c in split_categories(category or "") if self.fee_for(c) is None]

    @cached_property
    def bottom_fee(self) -> float:
        """The table's lowest fee: no category pays less."""
        return min(tier.fee for tier in self.tiers)

    @cached_property
    def _bounds(self) -> dict[str, tuple[float, float]]:
        """`fee_bounds` by 主营类目 as written: category names repeat from row to row."""
        return {}

    def fee_bounds(self, category: str | None) -> tuple[float, float]:
        """The least and the most the store's fee can be. The fee is charged at the highest
        category, and the table's tiers are every fee there is (「分为3万元或6万元两档」): a
        category the table does not know, or a blank 主营类目, may raise it as far as the top
        tier, and no fee is below the bottom one. The two meet where the table tells the fee:
        every category known, or one of them in the top tier, which leaves nothing above to
        be unknown. The one place the table's ends are read, for the verdict and the amount."""
        text = category or ""
        bounds = self._bounds.get(text)
        if bounds is not None:
            return bounds
        fees = [self.fee_for(name) for name in split_categories(text)]
        known = [fee for fee in fees if fee is not None]
        least = max(known, default=self.bottom_fee)
        most = least if known and len(known) == len(fees) else max(least, self.top_fee)
        if len(self._bounds) < 4096:
            self._bounds[text] = (least, most)
        return least, most

    def required_for(self, category: str | None) -> float | None:
        """The store's fee where the table tells it (`fee_bounds` meet); None where the tier
        of a category the table does not know, or of a blank one, would decide it."""
        least, most = self.fee_bounds(category)
        return least if least == most else None


@rule(
    "AF01",
    "fee.annual",
    "fee",
    Role.STEP,
    AnnualFeeParams,
    reads=("category", "annual_fee_required", "annual_fee_paid", "annual_fee_paid_at"),
)
def annual_fee(merchant: Merchant, params: AnnualFeeParams, ctx: Context) -> Finding:
    """The new year's annual software fee (软件服务年费) paid in full inside the window.

    Fails when: nothing is paid (年费已缴 and 年费缴纳时间 blank), 年费缴纳时间 is after the
    as-of, before the window opened (that is last year's fee) or after the deadline, or
    年费已缴 is below the required fee. An amount below the required fee with a blank
    年费缴纳时间 fails too, whenever it was paid, but how much is still owed is unknown: the
    rest, if it was paid inside the window, else the whole fee; the message and remedy say
    both. As of a moment before the window opens, an amount with a blank time fails owing the
    whole fee: nothing paid inside the window can have happened yet. A 年费缴纳时间 after the
    as-of, once the window has opened, leaves what was paid by the as-of unknown: exports
    hold the latest payment, so 年费已缴 is the total up to it, and anything from nothing to
    all but that payment may have been paid before. The fee owed is then unknown (null),
    unless 年费已缴 is short of the fee even with that payment: the rest is owed at least
    (`owed_at_least`), as DP01 does for a top-up after the as-of.
    Passes when: the fee was paid in full at a time inside the window, both ends included;
    or the fee due is ¥0 (年费应缴 0), when there is nothing to pay.
    Not applicable when: the merchant is exempt, or the year has no annual fee (no AF01 block).
    Remediation: pay the outstanding fee in 商家中心-续签服务专区 before the deadline; for an
    amount with no time, fill in 年费缴纳时间 if it was paid inside the window.
    The row is an error (the fee owed unknown) when 年费已缴 covers the fee but 年费缴纳时间 is
    blank, once the window has opened: nothing says whether the payment was this year's,
    inside the window, or an earlier one. The required fee comes from 年费应缴 when filled,
    else from the year's tier table by 主营类目. The fee goes by the first-level category
    (「年费金额以一级类目为参照」): a 主营类目 is in a tier when it begins with the tier's name or
    an alias, read as `renewal.checks.categories` reads a compound name (女装/女士精品/连衣裙
    is 女装/女士精品). A store in several categories pays the highest tier (「若店鋪有多個類目按
    照最高類目收取」), so one category in the table's top tier decides the fee even beside a
    category the table does not know. Otherwise such a category, or a blank 主营类目, leaves
    the tier open, but the table's tiers are every fee there is (「分为3万元或6万元两档」):
    the fee lies between the table's lowest and highest fee (at least the highest tier of
    the store's categories the table knows). A payment of the highest fee or more has paid
    it whatever the tier (the step passes); one below the lowest has certainly not (it fails,
    owing at least the rest of the lowest: `owed_at_least`, the message giving the range and
    naming the category); in between, the tier decides and the row is an error naming the
    category. A late, early or undated payment is judged against both ends likewise. A payment cell is
    read where the verdict turns on it: with a fee of ¥0 neither is; a 年费缴纳时间 that
    cannot be read beside a blank or zero 年费已缴 is no payment, as a readable time with no
    amount is (the row's LD04 warning names the cell); an unreadable 年费已缴 is an error. An
    unreadable time beside an amount below the fee fails whatever the time, owing at least
    the rest (the whole fee if that payment was not inside the window: the message says the
    time could not be read and the amount may be more); as of before the window opens it
    fails owing the whole fee, as a blank time does; beside an amount that covers the fee,
    once the window has opened, it is an error.
    Source: 「请您在续签时间内及时完成2022年度软件服务年费缴纳,避免影响续签完成。」
    """
    needed = ("annual_fee_paid", "annual_fee_paid_at")
    problem = absent(merchant, "AF01", needed, ctx) or unusable(
        merchant, "AF01", (), ctx, ("annual_fee_required",)
    )
    if problem is not None:
        return problem

    due = _due(merchant, params, ctx)
    if not isinstance(due, _Due):  # an unreadable 主营类目
        return due
    paid = merchant.annual_fee_paid or 0.0
    at = merchant.annual_fee_paid_at
    if due.most <= 0:  # waived for the store, say: there is no payment to place in time
        where = source(merchant, "annual_fee_required", ctx)
        message = ctx.constant("AF01.nothing_due", year=params.year)
        return finding("AF01", Status.PASS, message, due.required, paid, where, 0.0)
    # a time with nothing paid is no payment (as a readable one is): only an amount needs it
    problem = unusable(merchant, "AF01", (), ctx, ("annual_fee_paid",))
    if problem is not None:
        return problem
    if paid and "annual_fee_paid_at" in merchant.unreadable:  # nearly never
        return _unread_time(merchant, due, paid, params, ctx)
    state = step_state(at, ctx)
    counted = paid if state is StepState.DONE else 0.0
    where = source(merchant, "annual_fee_paid_at", ctx)
    if state is StepState.DONE and counted >= due.most:
        message = ctx.constant("AF01.ok", year=params.year)
        return finding("AF01", Status.PASS, message, due.required, paid, where, 0.0)
    if at is None and paid > 0 and ctx.as_of >= ctx.cycle.window_opens:
        return _undated(merchant, due, paid, params, ctx, where)
    if counted >= due.least:  # enough for one tier the store may be in, not for another
        return _tier_unknown(merchant, due, ctx)

    year = params.year
    deadline = ctx.deadline_text
    required = due.text(ctx)
    # what is owed, at least and at most: the rest of the fee, as far as the tier tells it
    least, most = due.least - counted, due.most - counted
    # re-checking as of a moment before the latest payment, once a payment may count: 年费已缴
    # is the total up to that payment, so what was paid by the as-of is not in the export
    before_payment = state is StepState.MISSING and at is not None and paid > 0
    before_payment = before_payment and ctx.as_of >= ctx.cycle.window_opens
    if state is StepState.LATE:
        assert at is not None
        least, most = due.least - paid, due.most - paid
        shown = said_at(merchant, "annual_fee_paid_at", at)
        message = ctx.text("AF01.late", at=shown, deadline=deadline)
    elif state is StepState.EARLY:
        assert at is not None
        opens = i18n.moment(ctx.cycle.window_opens)
        shown = said_at(merchant, "annual_fee_paid_at", at)
        message = ctx.text("AF01.early", at=shown, opens=opens, year=year)
    else:
        if before_payment:
            assert at is not None
            # anything from nothing to all but that payment was paid by then: short even with
            # it, the rest is owed at least (as DP01 does for a top-up after the as-of)
            least = due.least - paid
            shown = said_at(merchant, "annual_fee_paid_at", at)
            key = "AF01.after_as_of_short" if least > 0 else "AF01.after_as_of_unknown"
            rest = i18n.yuan(round(max(0.0, least), 2))
            values = {"paid": i18n.yuan(paid), "required": required, "owed": rest}
            message = ctx.text(key, at=shown, deadline=deadline, **values)
        elif state is StepState.MISSING and at is not None:
            # before the window opens, or a time with nothing paid: not paid yet then
            shown = said_at(merchant, "annual_fee_paid_at", at)
            message = ctx.text("AF01.after_as_of", at=shown, deadline=deadline)
        elif state is StepState.MISSING and paid > 0:
            # an amount but no time, as of before the window: nothing inside it yet
            message = ctx.text(
                "AF01.no_time",
                column=where["column"],
                paid=i18n.yuan(paid),
                deadline=deadline,
            )
        elif ctx.deadline_passed:
            message = ctx.text(
                "AF01.missed",
                deadline=deadline,
                year=year,
                paid=i18n.yuan(paid),
                required=required,
            )
        elif counted > 0:
            message = ctx.text(
                "AF01.partial",
                year=year,
                paid=i18n.yuan(paid),
                required=required,
                owed=_amount(least, most, ctx),
            )
        else:
            message = ctx.text("AF01.unpaid", year=year, required=required, deadline=deadline)
    message = due.said(message, ctx)
    # what was paid by the as-of, before that payment, is unknown: DP01's balance is too
    actual = None if before_payment else paid
    found = finding("AF01", Status.FAIL, message, due.required, actual, where)
    owed_between(found, least, most)
    if state is not StepState.LATE:  # after a late payment there is nothing left to pay
        label_where = params.where_en if ctx.lang == "en" else params.where
        # an amount with no time may be a payment nobody dated: say both ways out
        key = "AF01.remedy_no_time" if at is None and paid > 0 else "AF01.remedy"
        key = "AF01.remedy_unknown" if before_payment else key
        found["remedy"] = ctx.text(
            key,
            year=year,
            owed=_amount(least, most, ctx),
            required=required,
            where=label_where,
            column=where["column"],
        )
    return found


@dataclass(frozen=True, slots=True)
class _Due:
    """The fee due as far as the export and the tier table tell it: `least` and `most` meet
    where it is known (年费应缴, or a tier the table knows); apart, where the tier of a
    category the table does not list (`unlisted`, as messages name it) would decide, a
    payment below `least` is short of every tier and one of `most` or more covers any."""

    least: float
    most: float
    unlisted: str = ""

    @property
    def required(self) -> float | None:
        """The fee, the finding's `expected`, where it is known."""
        return self.least if self.least == self.most else None

    def text(self, ctx: Context) -> str:
        """The fee as a message says it: the amount, or the tiers it lies between."""
        return _amount(self.least, self.most, ctx)

    def said(self, message: str, ctx: Context) -> str:
        """`message`, followed, where the tier is open, by why the fee is a range."""
        if self.least == self.most:
            return message
        return ctx.text("AF01.tier_open", message=message, category=self.unlisted)


def _due(merchant: Merchant, params: AnnualFeeParams, ctx: Context) -> _Due | Finding:
    """The fee from 年费应缴 when filled, else bounded by the tier table from 主营类目; the
    error naming an unreadable 主营类目 as the export holds it."""
    if merchant.annual_fee_required is not None:
        return _Due(merchant.annual_fee_required, merchant.annual_fee_required)
    problem = unusable(merchant, "AF01", (), ctx, ("category",))
    if problem is not None:
        return problem
    least, most = params.fee_bounds(merchant.category)
    if least == most:
        return _Due(least, most)
    # beside categories the table knows, name only the others; else the cell as written
    category = merchant.category or ""
    unknown = params.unknown_categories(category)
    known = len(unknown) < len(split_categories(category))
    return _Due(least, most, "、".join(unknown) if unknown and known else category)


def _amount(least: float, most: float, ctx: Context) -> str:
    """An amount owed or due as a message says it: one amount where the two meet, else the
    range (the rest of a fee whose tier the table cannot tell)."""
    least, most = round(max(0.0, least), 2), round(max(0.0, most), 2)
    if least >= most:
        return i18n.yuan(most)
    return ctx.text("AF01.between", least=i18n.yuan(least), most=i18n.yuan(most))


def _tier_unknown(merchant: Merchant, due: _Due, ctx: Context) -> Finding:
    """A payment enough for one tier the store's category may be in and short of another:
    the tier decides, and the table cannot tell it. An error naming the category and the
    blank 年费应缴 (or the column the export lacks) that would have told the fee."""
    where = source(merchant, "annual_fee_required", ctx)
    key = "AF01.unknown" if "annual_fee_required" in ctx.columns else "AF01.unknown_no_column"
    message = ctx.text(key, column=where["column"], category=due.unlisted)
    return finding("AF01", Status.ERROR, message, source=where)


def _undated(
    merchant: Merchant,
    due: _Due,
    paid: float,
    params: AnnualFeeParams,
    ctx: Context,
    where: SourceRef,
) -> Finding:
    """An amount in 年费已缴 with a blank 年费缴纳时间, once the window has opened: the
    payment may be this year's, made inside the window by the as-of, or an earlier one that
    does not count. Enough to cover the fee, the step cannot be decided; short of it, the
    step fails either way, but the amount owed is the rest or the whole fee. Where the tier
    is open, short of one tier and enough for another, the tier decides (an error)."""
    column = where["column"]
    label_where = params.where_en if ctx.lang == "en" else params.where
    deadline = ctx.deadline_text
    whole = due.text(ctx)
    if paid >= due.most:
        message = ctx.text("AF01.no_time", column=column, paid=i18n.yuan(paid), deadline=deadline)
        remedy = ctx.text(
            "AF01.remedy_no_time", year=params.year, owed=whole, where=label_where, column=column
        )
        message = due.said(message, ctx)
        return finding("AF01", Status.ERROR, message, due.required, paid, where, None, remedy)
    if paid >= due.least:
        return _tier_unknown(merchant, due, ctx)
    rest = _amount(due.least - paid, due.most - paid, ctx)
    values = {"column": column, "paid": i18n.yuan(paid), "required": whole, "owed": rest}
    message = due.said(ctx.text("AF01.no_time_short", deadline=deadline, **values), ctx)
    remedy = ctx.text("AF01.remedy_no_time_short", year=params.year, where=label_where, **values)
    return finding("AF01", Status.FAIL, message, due.required, paid, where, None, remedy)


def _unread_time(
    merchant: Merchant, due: _Due, paid: float, params: AnnualFeeParams, ctx: Context
) -> Finding:
    """An amount in 年费已缴 beside a 年费缴纳时间 that cannot be read. Whatever the time, a
    payment short of the fee leaves the step failing: inside the window by the as-of (or
    late) it leaves the rest owed, before the window or after the as-of the whole fee, so the
    rest is owed at least, and the finding says so (`owed_at_least`). As of before the window
    opens every time gives the whole fee: too early, or not paid yet. Only an amount that
    covers the fee, once the window is open, turns on the time: an error naming the cell.
    Where the tier is open, an amount short of one tier and enough for another turns on the
    tier first (an error naming the category)."""
    where = source(merchant, "annual_fee_paid_at", ctx)
    raw = merchant.unreadable["annual_fee_paid_at"][0]
    values = {"column": where["column"], "raw": raw, "paid": i18n.yuan(paid)}
    label_where = params.where_en if ctx.lang == "en" else params.where
    whole = due.text(ctx)
    if ctx.as_of < ctx.cycle.window_opens:
        opens = i18n.moment(ctx.cycle.window_opens)
        message = ctx.text("AF01.unread_time_early", opens=opens, year=params.year, **values)
        remedy = ctx.text("AF01.remedy", year=params.year, owed=whole, where=label_where)
        message = due.said(message, ctx)
        found = finding("AF01", Status.FAIL, message, due.required, paid, where, None, remedy)
        return owed_between(found, due.least, due.most)
    if paid >= due.most:
        problem = unusable(merchant, "AF01", (), ctx, ("annual_fee_paid_at",))
        assert problem is not None
        return problem
    if paid >= due.least:
        return _tier_unknown(merchant, due, ctx)
    least = due.least - paid
    values |= {"required": whole, "owed": i18n.yuan(round(least, 2))}
    message = ctx.text("AF01.unread_time_short", deadline=ctx.deadline_text, **values)
    remedy = ctx.text(
        "AF01.remedy_unread_time_short", year=params.year, where=label_where, **values
    )
    message = due.said(message, ctx)
    found = finding("AF01", Status.FAIL, message, due.required, paid, where, None, remedy)
    return owed_between(found, least, due.most)
