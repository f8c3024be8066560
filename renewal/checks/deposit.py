"""The deposit step: the 保证金 balance must reach the required amount inside the window."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from renewal import i18n
from renewal.checks.context import Context
from renewal.checks.evidence import source, unusable
from renewal.checks.registry import Role, rule
from renewal.intake.values import split_categories
from renewal.model import Finding, Merchant, Status, finding
from renewal.ruleset import Amount, Clause, StepParams


class DepositTier(Clause):
    """The deposit for one store type: by trademark status, or one amount for any."""

    store_type: str
    aliases: list[str] = Field(default_factory=list)
    R: Amount | None = None
    TM: Amount | None = None
    any: Amount | None = None


class CategoryDeposit(Clause):
    """A special category's deposit, replacing the general table for stores in it: one
    amount (`any`) or one per store type (`by_store_type`)."""

    names: list[str]
    """A 主营类目 belongs to this category when its name contains one of these."""
    any: Amount | None = None
    by_store_type: dict[str, Amount] = Field(default_factory=dict)

    def amount_for(self, store_type: str | None) -> float | None:
        if self.any is not None:
            return self.any
        return self.by_store_type.get(store_type or "")


class InsuranceClause(Clause):
    """The year lets a 保证金履约险 (performance-bond insurance) stand in for a cash top-up,
    provided the policy is renewed before the agreement is signed."""


class DepositParams(StepParams):
    table: list[DepositTier]
    categories: list[CategoryDeposit] = Field(default_factory=list)
    insurance: InsuranceClause | None = None

    def required_for(
        self, store_type: str | None, trademark: str | None, category: str | None = None
    ) -> float | None:
        """The highest amount over the store's categories: a special category's own amount,
        else the general table's; None when something needed is unknown."""
        general = self.general_for(store_type, trademark)
        amounts: list[float] = []
        for name in split_categories(category or "") or ("",):
            special = next((c for c in self.categories if any(n in name for n in c.names)), None)
            amount = special.amount_for(store_type) if special is not None and name else None
            amount = general if amount is None else amount
            if amount is None:
                return None
            amounts.append(amount)
        return max(amounts)

    def general_for(self, store_type: str | None, trademark: str | None) -> float | None:
        """The general table's amount; None when the store type or trademark does not say."""
        if store_type is None:
            return None
        for tier in self.table:
            if store_type == tier.store_type or store_type in tier.aliases:
                if tier.any is not None:
                    return tier.any
                if trademark == "TM":
                    return tier.TM
                if trademark == "R":
                    return tier.R
                return None
        return None


@rule("DP01", "deposit.balance", "deposit", Role.STEP, DepositParams)
def deposit_balance(merchant: Merchant, params: DepositParams, ctx: Context) -> Finding:
    """Deposit (保证金) balance at least the required amount, topped up inside the window.

    Fails when: the balance is below the required amount, or the top-up that made it enough
    was paid after the deadline (or after the as-of, when the balance before it is unknown).
    A blank balance counts as zero.
    Passes when: the balance reaches the required amount, and any top-up time is no later
    than the deadline (a top-up before the window is simply part of the balance).
    In a year whose rule file has an `insurance` block (2025年度), a 保证金履约险 renewed
    (保证金履约险续保时间) inside the window and no later than the agreement's signing meets
    the step whatever the balance; one renewed after signing, or after the deadline, fails.
    Not applicable when: the merchant is exempt.
    Remediation: top up the shortfall in one payment (一次性补足) before the deadline, or renew
    the insurance before signing.
    The required amount comes from 保证金应缴 when filled, else from the rule set: a special
    category's own amount (图书音像, 医药, 新车/二手车 …) or the general table by 店铺类型 and
    商标状态 (TM if any brand is TM); a store in several categories owes the highest. When
    neither gives it, the row is an error.
    Source: 「若已缴存的保证金金额不足,则须在续签时间内一次性补足。」 and 《天猫店铺保证金规则》.
    """
    optional = ("deposit_topped_up_at", "deposit_required", "deposit_insurance_renewed_at")
    problem = unusable(merchant, "DP01", ("deposit_balance",), ctx, optional)
    if problem is not None:
        return problem
    renewed = merchant.deposit_insurance_renewed_at
    if params.insurance is not None and renewed is not None and renewed <= ctx.as_of:
        return _insurance(merchant, renewed, ctx)

    required = merchant.deposit_required
    if required is None:
        required = params.required_for(merchant.store_type, merchant.trademark, merchant.category)
    if required is None:
        where = source(merchant, "deposit_required", ctx)
        given = "deposit_required" in ctx.columns
        message = ctx.text(
            "DP01.unknown" if given else "DP01.unknown_no_column",
            column=where["column"],
            store_type=merchant.store_type or "",
            trademark=merchant.trademark or "",
        )
        return finding("DP01", Status.ERROR, message, source=where)

    balance = merchant.deposit_balance or 0.0
    owed = round(max(0.0, required - balance), 2)
    where = source(merchant, "deposit_balance", ctx)
    topped_up = merchant.deposit_topped_up_at
    counts = topped_up is None or (topped_up <= ctx.as_of and topped_up <= ctx.cycle.window_closes)
    if owed == 0 and counts:
        return finding("DP01", Status.PASS, ctx.constant("DP01.ok"), required, balance, where, 0.0)

    values = {
        "balance": i18n.money(balance),
        "required": i18n.money(required),
        "owed": i18n.money(owed),
        "deadline": ctx.deadline_text,
    }
    label_where = params.where_en if ctx.lang == "en" else params.where
    if topped_up is not None and topped_up > ctx.as_of:
        # Re-checking as of a moment before the top-up: the balance then is not in the export.
        message = ctx.text("DP01.after_as_of", at=i18n.moment(topped_up))
        remedy = ctx.text("DP01.remedy_unknown", required=values["required"], where=label_where)
        return finding("DP01", Status.FAIL, message, required, None, where, None, remedy)
    if topped_up is not None and topped_up > ctx.cycle.window_closes:
        # Late: nothing paid now counts for this renewal, so there is nothing left to tell.
        message = ctx.text("DP01.late", at=i18n.moment(topped_up), **values)
        late_at = source(merchant, "deposit_topped_up_at", ctx)
        return finding("DP01", Status.FAIL, message, required, balance, late_at, owed)
    key = "DP01.short_missed" if ctx.deadline_passed else "DP01.short"
    remedy = ctx.text("DP01.remedy", owed=i18n.money(owed), where=label_where)
    return finding(
        "DP01", Status.FAIL, ctx.text(key, **values), required, balance, where, owed, remedy
    )


def _insurance(merchant: Merchant, renewed: datetime, ctx: Context) -> Finding:
    """The deposit met by a 保证金履约险 renewed before signing, inside the window."""
    where = source(merchant, "deposit_insurance_renewed_at", ctx)
    signed = merchant.agreement_signed_at
    if signed is not None and signed <= ctx.as_of and renewed > signed:
        values = {"at": i18n.moment(renewed), "signed": i18n.moment(signed)}
        return finding(
            "DP01",
            Status.FAIL,
            ctx.text("DP01.insurance_after_signing", **values),
            signed,
            renewed,
            where,
        )
    if renewed > ctx.cycle.window_closes:
        message = ctx.text(
            "DP01.insurance_late", at=i18n.moment(renewed), deadline=ctx.deadline_text
        )
        return finding("DP01", Status.FAIL, message, ctx.cycle.window_closes, renewed, where)
    if renewed < ctx.cycle.window_opens:
        message = ctx.text(
            "DP01.insurance_early",
            at=i18n.moment(renewed),
            opens=i18n.moment(ctx.cycle.window_opens),
        )
        return finding("DP01", Status.FAIL, message, ctx.cycle.window_opens, renewed, where)
    return finding(
        "DP01",
        Status.PASS,
        ctx.constant("DP01.insurance_ok"),
        ctx.cycle.window_closes,
        renewed,
        where,
        0.0,
    )
