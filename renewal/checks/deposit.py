"""The deposit step: the 保证金 balance must reach the required amount inside the window."""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from renewal import i18n
from renewal.checks.categories import named_by
from renewal.checks.context import Context
from renewal.checks.evidence import absent, owed_between, said_at, source, unusable
from renewal.checks.registry import Role, rule
from renewal.intake.values import DASHES, normalize_text, split_categories
from renewal.model import Finding, Merchant, Status, finding
from renewal.ruleset import (
    Amount,
    Clause,
    Moment,
    Names,
    StepParams,
    Text,
    names_and_aliases,
    unique_names,
)


class DepositTier(Clause):
    """The deposit for one store type: by trademark status (`R` and `TM`), or one amount for
    any (`any`), never both: which would count is not said. `R` or `TM` alone is refused too:
    every store of that type with the other status would have no deposit, an error asking
    to fix the export for a slip in the rule file (no year has such a row)."""

    store_type: Text
    aliases: list[Text] = Field(default_factory=list)
    R: Amount | None = None
    TM: Amount | None = None
    any: Amount | None = None

    @model_validator(mode="after")
    def _one_way(self) -> DepositTier:
        if self.any is not None and (self.R is not None or self.TM is not None):
            raise PydanticCustomError(
                "any_and_trademark", "any beside R or TM", {"at": "any", "amount": self.any}
            )
        if self.any is None and self.R is None and self.TM is None:
            raise PydanticCustomError("no_amount", "no amount")
        if self.any is None and (self.R is None or self.TM is None):
            written, missing = ("R", "TM") if self.TM is None else ("TM", "R")
            raise PydanticCustomError(
                "one_trademark", "R or TM alone", {"written": written, "missing": missing}
            )
        return self


class CategoryDeposit(Clause):
    """A special category's deposit, replacing the general table for stores in it: one
    amount (`any`) or one per store type (`by_store_type`, keyed by the general table's
    store types; an alias there is read as the general table reads it), never both."""

    names: Names
    """A 主营类目 belongs to this category when it is one of these, read as
    `renewal.checks.categories` reads a compound name: 度假线路/签证送关/旅游服务 and
    出境旅游 are 旅游, OTC药品/国际医药 is 医药; 旅游鞋 and 旅游用品 are not."""
    any: Amount | None = None
    by_store_type: dict[str, Amount] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _one_way(self) -> CategoryDeposit:
        if self.any is not None and self.by_store_type:
            raise PydanticCustomError(
                "any_and_by_store_type", "any beside by_store_type", {"at": "any"}
            )
        if self.any is None and not self.by_store_type:
            raise PydanticCustomError("no_category_amount", "no amount")
        return self


class InsuranceClause(Clause):
    """The year lets a 保证金履约险 (performance-bond insurance) stand in for the cash
    deposit, provided the policy is renewed before the agreement is signed; cash remains
    the alternative (「需提前完成续保或用现金缴纳」)."""


class EarlierYear(Clause):
    """A 保证金履约险 renewed before `before` is an earlier year's renewal and does not
    count. Its own block, so its mark is its own: the insurance quote names no such bound."""

    before: Moment


class DepositParams(StepParams):
    table: Annotated[list[DepositTier], Field(min_length=1)]
    categories: list[CategoryDeposit] = Field(default_factory=list)
    insurance: InsuranceClause | None = None
    insurance_earlier_year: EarlierYear | None = None
    """Without it, any renewal no later than signing and the deadline counts."""

    @field_validator("table")
    @classmethod
    def _one_row_per_store_type(cls, table: list[DepositTier]) -> list[DepositTier]:
        """A store type, or an alias, names one row: in two, which amount counts is not said
        (the first row would win, silently)."""
        unique_names(names_and_aliases(table, "store_type"))
        return table

    @field_validator("categories")
    @classmethod
    def _one_row_per_category(
        cls, categories: list[CategoryDeposit], info: ValidationInfo
    ) -> list[CategoryDeposit]:
        """A category names one row; `by_store_type` names store types of the general table
        (by name or alias), each once."""
        unique_names(
            (index, f"{index}.names.{at}", name)
            for index, special in enumerate(categories)
            for at, name in enumerate(special.names)
        )
        table: list[DepositTier] | None = info.data.get("table")
        if table is None:  # the table itself was refused
            return categories
        rows = {
            name.casefold(): tier for tier in table for name in (tier.store_type, *tier.aliases)
        }
        for index, special in enumerate(categories):
            seen: dict[str, str] = {}
            for name in special.by_store_type:
                at = f"{index}.by_store_type.{name}"
                tier = rows.get(name.casefold())
                if tier is None:
                    raise PydanticCustomError(
                        "not_store_type",
                        "not a store type of the table",
                        {"at": at, "name": name, "known": [t.store_type for t in table]},
                    )
                if tier.store_type in seen:
                    raise PydanticCustomError(
                        "duplicate_name",
                        "one store type written twice",
                        {"at": at, "other": seen[tier.store_type], "name": name},
                    )
                seen[tier.store_type] = at
        return categories

    @cached_property
    def special_words(self) -> tuple[str, ...]:
        """Every special category's names, for one `named_by` call per category."""
        return tuple(name for special in self.categories for name in special.names)

    def specials_for(self, category: str) -> list[CategoryDeposit]:
        """The special categories a 主营类目 is, in the rule file's order."""
        words = set(named_by(category, self.special_words))
        return [c for c in self.categories if words.intersection(c.names)]

    @cached_property
    def tiers_by_name(self) -> dict[str, DepositTier]:
        """Each row under its name and its `aliases`, case-folded (Flagship, flagship);
        the first row to claim a name keeps it."""
        named: dict[str, DepositTier] = {}
        for tier in self.table:
            for name in (tier.store_type, *tier.aliases):
                named.setdefault(name.casefold(), tier)
        return named

    def tier_for(self, store_type: str | None) -> DepositTier | None:
        """The general table's row for a 店铺类型 written as its name or one of its
        `aliases`, in any letter case: the one place a store type is resolved."""
        if store_type is None:
            return None
        return self.tiers_by_name.get(store_type.casefold())

    def store_type_name(self, store_type: str | None) -> str | None:
        """The general table's name for a store type; text it does not know, as written."""
        tier = self.tier_for(store_type)
        return tier.store_type if tier is not None else store_type

    def required_for(
        self, store_type: str | None, trademark: str | None, category: str | None = None
    ) -> float | None:
        """The highest amount over the store's categories: a special category's own amount
        (the highest, for a name that is two of them), else the general table's; None when
        something needed is unknown."""
        general = self.general_for(store_type, trademark)
        amounts: list[float] = []
        for name in split_categories(category or "") or ("",):
            special = [
                amount
                for amount in (self._special_amount(c, store_type) for c in self.specials_for(name))
                if amount is not None
            ]
            amount = max(special) if special else general
            if amount is None:
                return None
            amounts.append(amount)
        return max(amounts)

    def _special_amount(self, special: CategoryDeposit, store_type: str | None) -> float | None:
        """A special category's amount for this store type; None: the general table's."""
        if special.any is not None:
            return special.any
        wanted = self.store_type_name(store_type)
        return next(
            (
                amount
                for name, amount in special.by_store_type.items()
                if self.store_type_name(name) == wanted
            ),
            None,
        )

    def general_for(self, store_type: str | None, trademark: str | None) -> float | None:
        """The general table's amount; None when the store type or trademark does not say."""
        tier = self.tier_for(store_type)
        if tier is None:
            return None
        if tier.any is not None:
            return tier.any
        if trademark == "TM":
            return tier.TM
        if trademark == "R":
            return tier.R
        return None


NO_POLICY = frozenset(
    (
        *("无", "否", "没有", "暂无", "未投保", "未续保", "未购买", "无保险", "不适用"),
        *("n", "no", "none", "null", "n/a", "na", "/", "\\", "0", "×", "✗", "✘"),
        *DASHES,
    )
)
"""What a merchant without a 保证金履约险 writes in 保证金履约险续保时间 (read after folding
full-width forms, in any letter case): the column the 2025年度 template adds is filled by
every merchant, and one with no policy says so rather than leaving it blank."""


def says_no_policy(raw: str) -> bool:
    """Whether an unreadable 保证金履约险续保时间 says there is no policy (`NO_POLICY`)
    rather than a renewal time that could not be read (已续保, 2024-11-31, a day alone)."""
    return normalize_text(raw).casefold() in NO_POLICY


@rule(
    "DP01",
    "deposit.balance",
    "deposit",
    Role.STEP,
    DepositParams,
    reads=(
        "store_type",
        "trademark",
        "category",
        "deposit_required",
        "deposit_balance",
        "deposit_topped_up_at",
    ),
)
def deposit_balance(merchant: Merchant, params: DepositParams, ctx: Context) -> Finding:
    """Deposit (保证金) balance at least the required amount, topped up inside the window.

    Fails when: the balance is below the required amount (a top-up after the deadline beside
    it does not count), or, before the deadline, the top-up that made it enough was paid
    after the as-of (the balance before it is unknown; a balance still short after such a
    top-up was lower still before it, so its shortfall is owed at least, and the message
    says so). A blank balance counts as zero. A balance below the required amount fails
    whatever 保证金补缴时间 holds: one that cannot be read leaves at least the shortfall owed
    (more if that top-up came after the as-of), and the message says so; beside a balance
    that meets the amount, such a cell is an error naming it, as whether that top-up counts
    decides. Once the deadline has passed, a balance that meets the amount beside a
    保证金补缴时间 after the deadline (before or after the as-of) is an error naming that
    cell: exports hold the latest top-up there, so whether the balance was already enough
    by the deadline (topped up again after a deduction: the step was done) or this top-up
    is what made it enough (not made up in time) cannot be told. The column should hold
    the top-up inside the window that made the balance enough, or be blank if it was
    already enough; a later top-up written over it makes the row a data error to fix.
    Passes when: the balance reaches the required amount, and any top-up time is no later
    than the deadline (a top-up before the window is simply part of the balance).
    In a year whose rule file has an `insurance` block (2025年度), a 保证金履约险 renewed
    (保证金履约险续保时间) no later than the agreement's signing and the deadline, and not
    before `insurance_earlier_year.before` (an earlier year's renewal), also meets the step,
    whatever the cash cells hold. The two are alternatives: a policy that does not count
    leaves the cash balance to decide, and the merchant owes the cash shortfall. A cash
    top-up inside the window counts even after the signing, though the source asks for cash
    too before signing (our reading, inferred: the rule file's note on `insurance` says
    why). Once the deadline has passed, a renewal after it (before or after the as-of) may
    have been written over one before signing that counted (exports hold the latest
    renewal): whether the policy counts cannot be told, an error naming the cell unless the
    cash alone meets the deposit; the column should hold the renewal before signing (the
    self-check's questions ask for that one, so there a renewal after the deadline simply
    does not count, and the cash decides). A
    renewal after signing but by the deadline does not count (the order the rule is for);
    before the deadline, a renewal after the as-of is not done yet, and the cash decides.
    A 保证金履约险续保时间 that cannot be read as a moment is a policy that does not
    count, and the cash decides: a balance that meets the deposit passes. When the cash falls
    short, a cell that says there is no policy (无, 否, 未投保, 未续保, N/A, / …) fails like a
    blank one, the message saying the policy does not count; any other unreadable policy
    cell (已续保, a time that cannot be read) might be a policy that counts, and the row is an
    error naming the cell. Likewise, with 协议签署时间 unreadable, whether the policy counts
    cannot be told: an error, unless the cash alone meets the deposit. In a year without the
    `insurance` block, 保证金履约险续保时间 is not read at all (an unreadable one gives only
    the row's LD04 warning).
    Not applicable when: the merchant is exempt.
    Remediation: top up the shortfall in one payment (一次性补足) before the deadline, or,
    while the agreement is not signed, renew the insurance before signing. A time column
    holding a top-up or renewal after the deadline: check the history and put in it the one
    that counted (or leave 保证金补缴时间 blank if the balance was already enough).
    The required amount comes from 保证金应缴 when filled, else from the rule set: a special
    category's own amount (图书音像, 医药, 新车/二手车 …) or the general table by 店铺类型 and
    商标状态 (TM if any brand is TM); a store in several categories owes the highest. A store
    type written as one of the table's aliases (专营, specialty …) is that row's store type,
    for the special categories too. When neither gives the amount, the row is an error. A
    cell the table is looked up by matters only where the amount turns on it: an unreadable
    主营类目 always (it chooses between a special category's row and the general table), an
    unreadable 商标状态 or 店铺类型 only where no row gives the amount without it (卖场型旗舰店's
    one amount for any trademark, a special category's `any` amount and 图书音像's amount by
    store type need no 商标状态; `any` needs no 店铺类型 either).
    Source: 「若已缴存的保证金金额不足,则须在续签时间内一次性补足。」 and 《天猫店铺保证金规则》;
    2025年度: 「需提前完成续保或用现金缴纳才能签订续签协议」.
    """
    problem = absent(merchant, "DP01", ("deposit_balance",), ctx)
    if problem is not None:
        return problem
    insured = _policy(merchant, params, ctx) if params.insurance is not None else None
    if insured is not None and insured["status"] is Status.PASS:
        return insured
    cash = _cash(merchant, params, ctx)
    if insured is None or cash["status"] is Status.PASS:
        return cash
    if insured["status"] is Status.ERROR:  # the cash falls short: the policy would decide
        return insured
    return _neither(merchant, insured, cash, ctx)


def _policy(merchant: Merchant, params: DepositParams, ctx: Context) -> Finding | None:
    """The 保证金履约险 in a year with the insurance: None when there is none to weigh (blank,
    or, before the deadline, renewed after the as-of: not yet then); a pass when it counts;
    a failure saying why it does not (the cash decides); an error when whether it counts
    cannot be told (the cash decides unless it falls short). Once the deadline has passed,
    a renewal after it is such an error, whether before or after the as-of: the column
    holds the latest renewal, which may have overwritten one before signing that counted.
    The self-check's questions ask for the renewal before signing itself, so there one
    after the deadline is a policy that does not count, and the cash decides."""
    field = "deposit_insurance_renewed_at"
    bad = merchant.unreadable.get(field)
    if bad is not None:
        if not says_no_policy(bad[0]):
            return unusable(merchant, "DP01", (), ctx, (field,))
        where = source(merchant, field, ctx)
        message = ctx.text("DP01.insurance_none", column=where["column"], raw=bad[0])
        return finding("DP01", Status.FAIL, message, actual=bad[0], source=where)
    renewed = merchant.deposit_insurance_renewed_at
    if renewed is not None and ctx.deadline_passed and renewed > ctx.cycle.window_closes:
        if ctx.answers:  # the self-check asked for the renewal that counts: this one does not
            message = ctx.text(
                "DP01.insurance_late",
                at=said_at(merchant, field, renewed),
                deadline=ctx.deadline_text,
            )
            where = source(merchant, field, ctx)
            return finding("DP01", Status.FAIL, message, ctx.cycle.window_closes, renewed, where)
        closes = ctx.cycle.window_closes
        return _overwritten(merchant, field, renewed, "insurance_late_unknown", closes, renewed, ctx)
    if renewed is None or renewed > ctx.as_of:
        return None
    # whether the policy counts turns on the signing: an unreadable one cannot say
    signing = unusable(merchant, "DP01", (), ctx, ("agreement_signed_at",))
    return signing or _insurance(merchant, renewed, params.insurance_earlier_year, ctx)


def _overwritten(
    merchant: Merchant,
    field: str,
    at: datetime,
    what: str,
    expected: object,
    actual: object,
    ctx: Context,
) -> Finding:
    """A time column after the deadline, seen once the deadline has passed, where the verdict
    turns on what it held by then: platform exports keep the latest event in 保证金补缴时间
    and 保证金履约险续保时间, so a top-up or renewal that counted may have been written over
    by a later one. A merchant topped up again after a routine deduction reads the same as
    one whose late top-up is what made the balance enough; a policy renewed before signing
    and again later, the same as one renewed only late. Failing either would turn a renewed
    merchant into a failed one overnight, or bill it the whole cash deposit; passing would
    let a late one count. An error naming the cell (`DP01.{what}`), with what to put in it
    (`DP01.remedy_{what}`)."""
    where = source(merchant, field, ctx)
    column = where["column"] or ""
    values = {"at": said_at(merchant, field, at), "deadline": ctx.deadline_text, "column": column}
    message = ctx.text(f"DP01.{what}", **values)
    remedy = ctx.text(f"DP01.remedy_{what}", column=column)
    return finding("DP01", Status.ERROR, message, expected, actual, where, None, remedy)


def _cash(merchant: Merchant, params: DepositParams, ctx: Context) -> Finding:
    """The deposit met (or not) by the cash balance. A top-up time that cannot be read
    matters only where the balance meets the deposit (whether that top-up counts decides);
    short of it, the step fails whatever the time, owing at least the shortfall (more, if
    the top-up came after the as-of: the balance then was lower). Once the deadline has
    passed, a balance that meets the deposit beside a top-up after the deadline is an error
    (`_overwritten`): the column holds the latest top-up."""
    problem = unusable(merchant, "DP01", (), ctx, ("deposit_balance", "deposit_required"))
    if problem is not None:
        return problem
    required, problem = _required(merchant, params, ctx)
    if problem is not None:
        return problem
    assert required is not None

    balance = merchant.deposit_balance or 0.0
    owed = round(max(0.0, required - balance), 2)
    where = source(merchant, "deposit_balance", ctx)
    bad = merchant.unreadable.get("deposit_topped_up_at")
    if bad is not None:  # nearly never
        if owed == 0:  # whether the top-up that made it enough counts: the time decides
            problem = unusable(merchant, "DP01", (), ctx, ("deposit_topped_up_at",))
            assert problem is not None
            return problem
        column = source(merchant, "deposit_topped_up_at", ctx)["column"]
        shown = {"balance": i18n.yuan(balance), "required": i18n.yuan(required)}
        shown |= {"owed": i18n.yuan(owed), "column": column or "", "raw": bad[0]}
        message = ctx.text("DP01.unread_time_short", **shown)
        where_to = params.where_en if ctx.lang == "en" else params.where
        remedy = ctx.text("DP01.remedy_unread_time", where=where_to, **shown)
        found = finding("DP01", Status.FAIL, message, required, balance, where, None, remedy)
        return owed_between(found, owed)
    topped_up = merchant.deposit_topped_up_at
    counts = topped_up is None or (topped_up <= ctx.as_of and topped_up <= ctx.cycle.window_closes)
    if owed == 0 and counts:
        return finding("DP01", Status.PASS, ctx.constant("DP01.ok"), required, balance, where, 0.0)

    values = {
        "balance": i18n.yuan(balance),
        "required": i18n.yuan(required),
        "owed": i18n.yuan(owed),
        "deadline": ctx.deadline_text,
    }
    label_where = params.where_en if ctx.lang == "en" else params.where
    if owed == 0 and ctx.deadline_passed and topped_up is not None:  # rarely
        # here after the deadline (before or after the as-of): the column holds the latest
        # top-up, so whether the balance was enough by the deadline is not in the export
        field = "deposit_topped_up_at"
        return _overwritten(merchant, field, topped_up, "late_unknown", required, balance, ctx)
    if topped_up is not None and topped_up > ctx.as_of:
        # Re-checking as of a moment before the top-up: the balance then is not in the export.
        # Short even after it, the balance before was lower still: that shortfall is the least
        # owed; else the shortfall is unknown.
        remedy = ctx.text("DP01.remedy_unknown", required=values["required"], where=label_where)
        at = said_at(merchant, "deposit_topped_up_at", topped_up)
        key = "DP01.after_as_of_short" if owed > 0 else "DP01.after_as_of"
        message = ctx.text(key, at=at, **values)
        found = finding("DP01", Status.FAIL, message, required, None, where, None, remedy)
        return owed_between(found, owed)
    if topped_up is not None and topped_up > ctx.cycle.window_closes:
        # Late, the balance still short: nothing paid now counts for this renewal, so there
        # is nothing left to tell.
        at = said_at(merchant, "deposit_topped_up_at", topped_up)
        message = ctx.text("DP01.late", at=at, **values)
        late_at = source(merchant, "deposit_topped_up_at", ctx)
        return finding("DP01", Status.FAIL, message, required, balance, late_at, owed)
    key = "DP01.short_missed" if ctx.deadline_passed else "DP01.short"
    remedy = ctx.text("DP01.remedy", owed=i18n.yuan(owed), where=label_where)
    return finding(
        "DP01", Status.FAIL, ctx.text(key, **values), required, balance, where, owed, remedy
    )


def _required(
    merchant: Merchant, params: DepositParams, ctx: Context
) -> tuple[float | None, Finding | None]:
    """The amount the cash must reach, or the error saying why it cannot be told. A cell
    the table is looked up by is asked about only where the amount turns on it."""
    if merchant.deposit_required is not None:
        return merchant.deposit_required, None
    # 主营类目 chooses between a special category's row and the general table: always needed
    problem = unusable(merchant, "DP01", (), ctx, ("category",))
    if problem is not None:
        return None, problem
    required = params.required_for(merchant.store_type, merchant.trademark, merchant.category)
    if required is not None:  # found without whatever cell is unreadable: it did not matter
        return required, None
    problem = unusable(merchant, "DP01", (), ctx, ("store_type", "trademark"))
    if problem is not None:
        return None, problem
    where = source(merchant, "deposit_required", ctx)
    given = "deposit_required" in ctx.columns
    message = ctx.text(
        "DP01.unknown" if given else "DP01.unknown_no_column",
        column=where["column"],
        store_type=merchant.store_type or "",
        trademark=merchant.trademark or "",
    )
    return None, finding("DP01", Status.ERROR, message, source=where)


def _insurance(
    merchant: Merchant, renewed: datetime, earlier: EarlierYear | None, ctx: Context
) -> Finding:
    """The deposit met by a 保证金履约险 renewed before signing (by the as-of, so by the
    deadline: `_policy` has taken a later one); a failing finding says why the policy does
    not count (the cash balance then decides)."""
    where = source(merchant, "deposit_insurance_renewed_at", ctx)
    signed = merchant.agreement_signed_at
    if signed is not None and signed <= ctx.as_of and renewed > signed:
        values = {
            "at": said_at(merchant, "deposit_insurance_renewed_at", renewed),
            "signed": said_at(merchant, "agreement_signed_at", signed),
        }
        return finding(
            "DP01",
            Status.FAIL,
            ctx.text("DP01.insurance_after_signing", **values),
            signed,
            renewed,
            where,
        )
    # a renewal after the deadline never comes here (seen by the as-of, the deadline has
    # passed): `_policy` has taken it
    if earlier is not None and renewed < earlier.before:
        message = ctx.text(
            "DP01.insurance_early",
            at=said_at(merchant, "deposit_insurance_renewed_at", renewed),
            since=i18n.moment(earlier.before),
        )
        return finding("DP01", Status.FAIL, message, earlier.before, renewed, where)
    return finding(
        "DP01",
        Status.PASS,
        ctx.constant("DP01.insurance_ok"),
        ctx.cycle.window_closes,
        renewed,
        where,
        0.0,
    )


def _neither(merchant: Merchant, insured: Finding, cash: Finding, ctx: Context) -> Finding:
    """Neither the policy nor the cash meets the deposit: the cash finding (its amounts and
    shortfall), saying first why the policy does not count. Renewing the policy is offered
    as the other way only while it can still help: the agreement not yet signed, the
    deadline not passed; and only to a merchant that has a policy to renew (not to one whose
    cell says there is none, as not to one that left it blank)."""
    message = ctx.text("DP01.neither", insurance=insured["message"], cash=cash["message"])
    remedy = cash["remedy"]
    signed = merchant.agreement_signed_at
    unsigned = signed is None or signed > ctx.as_of
    has_policy = merchant.deposit_insurance_renewed_at is not None
    if remedy is not None and has_policy and unsigned and not ctx.deadline_passed:
        remedy = ctx.text("DP01.remedy_or_insurance", cash=remedy)
    found = finding(
        "DP01",
        cash["status"],
        message,
        cash["expected"],
        cash["actual"],
        cash["source"],
        cash["owed"],
        remedy,
    )
    if "owed_at_least" in cash:  # a top-up time that cannot be read: the least owed
        found["owed_at_least"] = cash["owed_at_least"]
    return found
