"""The fallback for merchants that do not renew: moving to a 淘宝企业店铺."""

from __future__ import annotations

from datetime import date, timedelta

from renewal import i18n
from renewal.checks.context import Context
from renewal.checks.evidence import source, unusable
from renewal.checks.registry import Role, rule
from renewal.intake.values import split_categories
from renewal.model import Finding, Merchant, Status, finding
from renewal.ruleset import Clause, RuleParams


class ExcludedCategories(Clause):
    names: list[str]
    """A category is excluded when its name contains one of these."""


class TransferParams(RuleParams):
    window_days: int
    period_from: date | None = None
    period_to: date | None = None
    """A fixed period instead of the rolling window (2019年度 counted calendar 2018)."""
    serious_points_below: float
    general_points_below: float
    appeal_pending_excludes: bool
    excluded_categories: ExcludedCategories


@rule("TB01", "transfer.honest_operation", "transfer", Role.FALLBACK, TransferParams)
def honest_operation(merchant: Merchant, params: TransferParams, ctx: Context) -> Finding:
    """Eligible to move to a 淘宝企业店铺 (honest operation, 诚信经营).

    Fails when: in the window of days ending on the evaluation date (both ends included),
    serious-violation (严重违规) points reach the serious limit, or general-violation
    (一般违规) points reach the general limit; or a penalty appeal is pending (处罚申诉中,
    or any violation row 申诉中); or a category is a listed special category. A violation
    whose appeal succeeded (申诉成功) does not count. Points come from the 违规记录 sheet
    when the export has one, else from the already-summed 严重违规扣分 and 一般违规扣分
    columns.
    Passes when: both totals are below their limits, no appeal is pending and no category
    is excluded.
    Not applicable when: the merchant renewed or is exempt, or is already moving to a 淘宝企业
    店铺 (转淘宝企业店铺中 is 是): `transfer_eligible` is then null.
    Remediation: a merchant that cannot renew and is not eligible must exit Tmall.
    Source: 「针对未完成续签但诚信经营(近365天累计无严重违规12分及以上或一般违规48分的处罚记录,且未在处罚申诉中)的商家,天猫将提供转入淘宝企业店铺继续经营的技术支持(除特殊类目)」
    """
    if merchant.taobao_transfer_in_progress:
        return finding("TB01", Status.SKIP, ctx.constant("TB01.transferring"))
    if merchant.violation_problems:
        first = merchant.violation_problems[0].source
        return finding("TB01", Status.ERROR, ctx.text("TB01.bad_record"), source=first)
    last_day = ctx.as_of.date()
    first_day = last_day - timedelta(days=params.window_days - 1)
    if params.period_from is not None and params.period_to is not None:
        # a fixed period still ends at the as-of: a later penalty has not happened yet
        first_day, last_day = params.period_from, min(params.period_to, last_day)
    appeal = bool(merchant.appeal_pending)
    if ctx.has_violations_sheet:
        serious = general = 0.0
        for violation in merchant.violations or ():
            if violation.appeal == "pending":
                appeal = True
            if (
                violation.appeal == "succeeded"
                or not first_day <= violation.penalized_on <= last_day
            ):
                continue
            if violation.kind == "serious":
                serious += violation.points
            else:
                general += violation.points
        if "appeal_pending" in merchant.unreadable:
            problem = unusable(merchant, "TB01", ("appeal_pending",), ctx)
            assert problem is not None
            return problem
    elif "serious_points" in ctx.columns or "general_points" in ctx.columns:
        problem = unusable(
            merchant, "TB01", ("serious_points", "general_points", "appeal_pending"), ctx
        )
        if problem is not None:
            return problem
        serious = merchant.serious_points or 0.0
        general = merchant.general_points or 0.0
    else:
        return finding("TB01", Status.ERROR, ctx.text("TB01.unknown"))

    serious_limit = params.serious_points_below
    general_limit = params.general_points_below

    def values() -> dict[str, object]:
        return {
            "days": params.window_days,
            "serious": i18n.points(serious),
            "general": i18n.points(general),
            "serious_limit": i18n.points(serious_limit),
            "general_limit": i18n.points(general_limit),
        }

    reasons: list[str] = []
    if serious >= serious_limit or general >= general_limit:
        shown = values()
        if serious >= serious_limit:
            reasons.append(ctx.text("TB01.serious", **shown))
        if general >= general_limit:
            reasons.append(ctx.text("TB01.general", **shown))
    if appeal and params.appeal_pending_excludes:
        reasons.append(ctx.constant("TB01.appeal"))
    for category in split_categories(merchant.category or ""):
        if any(name in category for name in params.excluded_categories.names):
            reasons.append(ctx.text("TB01.category", category=category))
    expected = {
        "serious_below": params.serious_points_below,
        "general_below": params.general_points_below,
    }
    actual = {"serious": serious, "general": general, "appeal_pending": appeal}
    where = source(merchant, "merchant_id", ctx)
    if not reasons:
        # the same few point totals recur: the message is formatted once for each
        message = ctx.repeated("TB01.eligible", f"{serious}|{general}", values)
        return finding("TB01", Status.PASS, message, expected, actual, where)
    separator = "；" if ctx.lang == "zh" else "; "
    message = ctx.text("TB01.ineligible", reasons=separator.join(reasons))
    return finding("TB01", Status.FAIL, message, expected, actual, where)
