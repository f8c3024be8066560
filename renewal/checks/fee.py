"""The annual fee step: the new contract year's 软件服务年费 paid in full inside the window."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated

from pydantic import Field, field_validator

from renewal import i18n
from renewal.checks.categories import named_by
from renewal.checks.context import Context
from renewal.checks.evidence import StepState, absent, source, step_state, unusable
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
    def _required(self) -> dict[str, float | None]:
        """`required_for` by 主营类目 as written: category names repeat from row to row."""
        return {}

    def required_for(self, category: str | None) -> float | None:
        """The highest tier among the store's categories (the fee is charged at the highest
        category). None when a category the table does not know could raise it: one the
        table's top tier already covers leaves nothing above to be unknown."""
        text = category or ""
        if text in self._required:
            return self._required[text]
        fees = [self.fee_for(name) for name in split_categories(text)]
        known = [fee for fee in fees if fee is not None]
        required = None
        if known and (len(known) == len(fees) or max(known) >= self.top_fee):
            required = max(known)
        if len(self._required) < 4096:
            self._required[text] = required
        return required


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
    whole fee: nothing paid inside the window can have happened yet.
    Passes when: the fee was paid in full at a time inside the window, both ends included;
    or the fee due is ¥0 (年费应缴 0), when there is nothing to pay.
    Not applicable when: the merchant is exempt, or the year has no annual fee (no AF01 block).
    Remediation: pay the outstanding fee in 商家中心-续签服务专区 before the deadline; for an
    amount with no time, fill in 年费缴纳时间 if it was paid inside the window.
    The row is an error (the fee owed unknown) when 年费已缴 covers the fee but 年费缴纳时间 is
    blank, once the window has opened: nothing says whether the payment was this year's,
    inside the window, or an earlier one. It is also an error when the required fee cannot be
    told: it comes from 年费应缴 when filled, else from the year's tier table by 主营类目. The
    fee goes by the first-level category (「年费金额以一级类目为参照」): a 主营类目 is in a tier
    when it begins with the tier's name or an alias, read as `renewal.checks.categories`
    reads a compound name (女装/女士精品/连衣裙 is 女装/女士精品). A store in several
    categories pays the highest tier (「若店鋪有多個類目按照最高類目收取」), so one category in
    the table's top tier decides the fee even beside a category the table does not know;
    otherwise such a category, or a blank 主营类目, leaves the fee unknown. A payment cell is
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

    required = merchant.annual_fee_required
    if required is None:
        # the tier goes by 主营类目: an unreadable one is named as the export holds it
        problem = unusable(merchant, "AF01", (), ctx, ("category",))
        if problem is not None:
            return problem
        required = params.required_for(merchant.category)
    if required is None:
        where = source(merchant, "annual_fee_required", ctx)
        key = "AF01.unknown" if "annual_fee_required" in ctx.columns else "AF01.unknown_no_column"
        # beside categories the table knows, name only the others; else the cell as written
        category = merchant.category or ""
        unknown = params.unknown_categories(category)
        known = len(unknown) < len(split_categories(category))
        named = "、".join(unknown) if unknown and known else category
        message = ctx.text(key, column=where["column"], category=named)
        return finding("AF01", Status.ERROR, message, source=where)

    paid = merchant.annual_fee_paid or 0.0
    at = merchant.annual_fee_paid_at
    if required <= 0:  # waived for the store, say: there is no payment to place in time
        where = source(merchant, "annual_fee_required", ctx)
        message = ctx.constant("AF01.nothing_due", year=params.year)
        return finding("AF01", Status.PASS, message, required, paid, where, 0.0)
    # a time with nothing paid is no payment (as a readable one is): only an amount needs it
    problem = unusable(merchant, "AF01", (), ctx, ("annual_fee_paid",))
    if problem is not None:
        return problem
    if paid and "annual_fee_paid_at" in merchant.unreadable:  # nearly never
        return _unread_time(merchant, required, paid, params, ctx)
    state = step_state(at, ctx)
    counted = paid if state is StepState.DONE else 0.0
    where = source(merchant, "annual_fee_paid_at", ctx)
    if state is StepState.DONE and counted >= required:
        message = ctx.constant("AF01.ok", year=params.year)
        return finding("AF01", Status.PASS, message, required, paid, where, 0.0)
    if at is None and paid > 0 and ctx.as_of >= ctx.cycle.window_opens:
        return _undated(required, paid, params, ctx, where)

    year = params.year
    deadline = ctx.deadline_text
    if state is StepState.LATE:
        assert at is not None
        owed = max(0.0, required - paid)
        message = ctx.text("AF01.late", at=i18n.moment(at), deadline=deadline)
    elif state is StepState.EARLY:
        assert at is not None
        owed = required
        opens = i18n.moment(ctx.cycle.window_opens)
        message = ctx.text("AF01.early", at=i18n.moment(at), opens=opens, year=year)
    else:
        owed = max(0.0, required - counted)
        if state is StepState.MISSING and at is not None:
            # re-checking as of a moment before the payment: not paid yet then
            message = ctx.text("AF01.after_as_of", at=i18n.moment(at), deadline=deadline)
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
                required=i18n.yuan(required),
            )
        elif counted > 0:
            message = ctx.text(
                "AF01.partial",
                year=year,
                paid=i18n.yuan(paid),
                required=i18n.yuan(required),
                owed=i18n.yuan(owed),
            )
        else:
            message = ctx.text(
                "AF01.unpaid", year=year, required=i18n.yuan(required), deadline=deadline
            )
    owed = round(owed, 2)
    found = finding("AF01", Status.FAIL, message, required, paid, where, owed)
    if state is not StepState.LATE:  # after a late payment there is nothing left to pay
        label_where = params.where_en if ctx.lang == "en" else params.where
        # an amount with no time may be a payment nobody dated: say both ways out
        key = "AF01.remedy_no_time" if at is None and paid > 0 else "AF01.remedy"
        found["remedy"] = ctx.text(
            key, year=year, owed=i18n.yuan(owed), where=label_where, column=where["column"]
        )
    return found


def _undated(
    required: float, paid: float, params: AnnualFeeParams, ctx: Context, where: SourceRef
) -> Finding:
    """An amount in 年费已缴 with a blank 年费缴纳时间, once the window has opened: the
    payment may be this year's, made inside the window by the as-of, or an earlier one that
    does not count. Enough to cover the fee, the step cannot be decided; short of it, the
    step fails either way, but the amount owed is the rest or the whole fee."""
    column = where["column"]
    label_where = params.where_en if ctx.lang == "en" else params.where
    deadline = ctx.deadline_text
    whole = i18n.yuan(required)
    if paid >= required:
        message = ctx.text("AF01.no_time", column=column, paid=i18n.yuan(paid), deadline=deadline)
        remedy = ctx.text(
            "AF01.remedy_no_time", year=params.year, owed=whole, where=label_where, column=column
        )
        return finding("AF01", Status.ERROR, message, required, paid, where, None, remedy)
    rest = i18n.yuan(round(required - paid, 2))
    values = {"column": column, "paid": i18n.yuan(paid), "required": whole, "owed": rest}
    message = ctx.text("AF01.no_time_short", deadline=deadline, **values)
    remedy = ctx.text("AF01.remedy_no_time_short", year=params.year, where=label_where, **values)
    return finding("AF01", Status.FAIL, message, required, paid, where, None, remedy)


def _unread_time(
    merchant: Merchant, required: float, paid: float, params: AnnualFeeParams, ctx: Context
) -> Finding:
    """An amount in 年费已缴 beside a 年费缴纳时间 that cannot be read. Whatever the time, a
    payment short of the fee leaves the step failing: inside the window by the as-of (or
    late) it leaves the rest owed, before the window or after the as-of the whole fee, so the
    rest is owed at least, and the finding says so (`owed_at_least`). As of before the window
    opens every time gives the whole fee: too early, or not paid yet. Only an amount that
    covers the fee, once the window is open, turns on the time: an error naming the cell."""
    where = source(merchant, "annual_fee_paid_at", ctx)
    raw = merchant.unreadable["annual_fee_paid_at"][0]
    values = {"column": where["column"], "raw": raw, "paid": i18n.yuan(paid)}
    label_where = params.where_en if ctx.lang == "en" else params.where
    whole = i18n.yuan(required)
    if ctx.as_of < ctx.cycle.window_opens:
        opens = i18n.moment(ctx.cycle.window_opens)
        message = ctx.text("AF01.unread_time_early", opens=opens, year=params.year, **values)
        remedy = ctx.text("AF01.remedy", year=params.year, owed=whole, where=label_where)
        return finding("AF01", Status.FAIL, message, required, paid, where, required, remedy)
    if paid >= required:
        problem = unusable(merchant, "AF01", (), ctx, ("annual_fee_paid_at",))
        assert problem is not None
        return problem
    owed = round(required - paid, 2)
    values |= {"required": whole, "owed": i18n.yuan(owed)}
    message = ctx.text("AF01.unread_time_short", deadline=ctx.deadline_text, **values)
    remedy = ctx.text(
        "AF01.remedy_unread_time_short", year=params.year, where=label_where, **values
    )
    found = finding("AF01", Status.FAIL, message, required, paid, where, owed, remedy)
    found["owed_at_least"] = True
    return found
