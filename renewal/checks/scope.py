"""Who must renew: the scope cut-off."""

from __future__ import annotations

from datetime import timedelta

from renewal import i18n
from renewal.checks.context import Context
from renewal.checks.evidence import said_at, source
from renewal.checks.registry import Role, rule
from renewal.model import Finding, Merchant, Status, finding
from renewal.ruleset import Moment, RuleParams


class ScopeParams(RuleParams):
    signed_at_or_before: Moment
    """Contracts signed at or before this moment must renew; later ones already run a year."""


@rule(
    "SC01",
    "scope.contract_cutoff",
    "scope",
    Role.SCOPE,
    ScopeParams,
    reads=("contract_signed_at",),
)
def contract_cutoff(merchant: Merchant, params: ScopeParams, ctx: Context) -> Finding:
    """Contract signed at or before the cut-off: the merchant must renew this year.

    Fails when: never; a merchant out of scope is reported as `skip` and its outcome is
    `exempt`.
    Passes when: the contract was signed at or before the cut-off (the cut-off minute itself
    is in scope), so every renewal step applies.
    Not applicable when: the contract was signed after the cut-off; its contract already runs
    to the end of the next contract year.
    Remediation: none; an exempt merchant has nothing to do in this renewal.
    Source: the announcement's 续签商户范围 clause, e.g. 2022年度: 「合同签署时间在2021年11月19日10时之前(包含10时)的商家。」
    """
    signed = merchant.contract_signed_at
    assert signed is not None  # the engine turns a missing contract date into an error row
    where = source(merchant, "contract_signed_at", ctx)
    cutoff = params.signed_at_or_before
    if signed <= cutoff:
        message = ctx.constant("SC01.in", cutoff=cutoff)
        return finding("SC01", Status.PASS, message, cutoff, signed, where)
    valid_until = i18n.day((ctx.cycle.contract_year_ends - timedelta(microseconds=1)).date())
    shown = said_at(merchant, "contract_signed_at", signed)
    message = ctx.text(
        "SC01.out", signed=shown, cutoff=i18n.moment(cutoff), valid_until=valid_until
    )
    return finding("SC01", Status.SKIP, message, cutoff, signed, where)
