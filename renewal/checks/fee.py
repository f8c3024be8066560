"""The annual fee step: the new contract year's 软件服务年费 paid in full inside the window."""

from __future__ import annotations

from pydantic import Field

from renewal import i18n
from renewal.checks.context import Context
from renewal.checks.evidence import StepState, source, step_state, unusable
from renewal.checks.registry import Role, rule
from renewal.intake.values import split_categories
from renewal.model import Finding, Merchant, Status, finding
from renewal.ruleset import Amount, Clause, StepParams, Year


class FeeTier(Clause):
    """The annual fee of one 一级类目."""

    category: str
    aliases: list[str] = Field(default_factory=list)
    fee: Amount


class AnnualFeeParams(StepParams):
    year: Year
    """The contract year the fee is for."""
    tiers: list[FeeTier]

    def required_for(self, category: str | None) -> float | None:
        """The highest tier among the store's categories; None if any category is unknown."""
        if not category:
            return None
        fees: list[float] = []
        for name in split_categories(category):
            fee = next((t.fee for t in self.tiers if name == t.category or name in t.aliases), None)
            if fee is None:
                return None
            fees.append(fee)
        return max(fees) if fees else None


@rule("AF01", "fee.annual", "fee", Role.STEP, AnnualFeeParams)
def annual_fee(merchant: Merchant, params: AnnualFeeParams, ctx: Context) -> Finding:
    """The new year's annual software fee (软件服务年费) paid in full inside the window.

    Fails when: 年费缴纳时间 is blank, after the as-of, before the window opened (that is last
    year's fee) or after the deadline, or 年费已缴 is below the required fee. An amount in
    年费已缴 with a blank 年费缴纳时间 fails saying so (nothing places the payment inside the
    window), and its remedy is to fill in the time if it was paid, or else to pay.
    Passes when: the fee was paid in full at a time inside the window, both ends included;
    or the fee due is ¥0 (年费应缴 0), when there is nothing to pay.
    Not applicable when: the merchant is exempt, or the year has no annual fee (no AF01 block).
    Remediation: pay the outstanding fee in 商家中心-续签服务专区 before the deadline.
    The required fee comes from 年费应缴 when filled, else from the year's tier table by
    主营类目 (a store in several categories pays the highest tier); when neither gives it,
    the row is an error.
    Source: 「请您在续签时间内及时完成2022年度软件服务年费缴纳,避免影响续签完成。」
    """
    needed = ("annual_fee_paid", "annual_fee_paid_at")
    problem = unusable(merchant, "AF01", needed, ctx, optional=("annual_fee_required",))
    if problem is not None:
        return problem

    required = merchant.annual_fee_required
    if required is None:
        required = params.required_for(merchant.category)
    if required is None:
        where = source(merchant, "annual_fee_required", ctx)
        key = "AF01.unknown" if "annual_fee_required" in ctx.columns else "AF01.unknown_no_column"
        message = ctx.text(key, column=where["column"], category=merchant.category or "")
        return finding("AF01", Status.ERROR, message, source=where)

    paid = merchant.annual_fee_paid or 0.0
    at = merchant.annual_fee_paid_at
    if required <= 0:  # waived for the store, say: there is no payment to place in time
        where = source(merchant, "annual_fee_required", ctx)
        message = ctx.constant("AF01.nothing_due", year=params.year)
        return finding("AF01", Status.PASS, message, required, paid, where, 0.0)
    state = step_state(at, ctx)
    counted = paid if state is StepState.DONE else 0.0
    where = source(merchant, "annual_fee_paid_at", ctx)
    if state is StepState.DONE and counted >= required:
        message = ctx.constant("AF01.ok", year=params.year)
        return finding("AF01", Status.PASS, message, required, paid, where, 0.0)

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
            # an amount but no time: nothing places the payment inside the window
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
