"""Qualification documents: not reviewed at renewal, so an expiry is a warning only."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from renewal import i18n
from renewal.checks.context import Context
from renewal.checks.registry import Role, rule
from renewal.model import Finding, Merchant, SourceRef, Status, finding
from renewal.ruleset import Clause, Moment, RuleParams


class Consequence(Clause):
    """What follows when a kind of authorisation lapses, and how long the merchant has."""

    names: list[str]
    """A 资质类型 is of this kind when it contains one of these."""
    outcome: str
    outcome_en: str
    days: int
    """Days from the lapse to appeal with a valid document."""


class QualificationParams(RuleParams):
    must_stay_valid_until: Moment
    """The end of the new contract year: a document that lapses before it warrants a warning."""
    consequences: list[Consequence] = Field(default_factory=list)
    """First match wins: store-level authorisations before brand authorisations."""

    def consequence_of(self, kind: str) -> Consequence | None:
        return next((c for c in self.consequences if any(n in kind for n in c.names)), None)


@rule("QL01", "qualification.expiry", "qualification", Role.ADVISORY, QualificationParams)
def qualification_expiry(merchant: Merchant, params: QualificationParams, ctx: Context) -> Finding:
    """Qualifications valid through the new contract year.

    Fails when: never; renewal has no qualification review. A document already expired at
    the as-of, or expiring before the new contract year ends, is a `warn`. A document is
    valid through the whole of its 到期日期: one dated the last day of the contract year is
    fine, one dated the day before is not.
    Passes when: every qualification of the merchant is valid beyond the contract year.
    Not applicable when: the export has no 资质 sheet, or the merchant has no documents in it.
    Remediation: update the document in 商家中心-资质管理 before it lapses. The rule file's
    `consequences` say what a lapse leads to: an expired store-level authorisation (旗舰店/
    专卖店 authorisation, the class-35 trademark of a 卖场型旗舰店) puts the store under 监管
    with 90 days to appeal; an expired brand authorisation means 预摘牌 with 15 days; the
    message gives the date by which to act.
    Source: 「续签中不再设置资质审查环节,请您在日常经营中及时更新将要过期的资质」.
    """
    if not ctx.has_qualifications_sheet:
        return finding("QL01", Status.SKIP, ctx.text("QL01.no_sheet"))
    documents = merchant.qualifications or []
    if not documents:
        return finding("QL01", Status.SKIP, ctx.text("QL01.none"))
    until = params.must_stay_valid_until
    last_valid_day = (until - timedelta(microseconds=1)).date()
    today = ctx.as_of.date()
    notes: list[str] = []
    first: SourceRef | None = None
    earliest = min(documents, key=lambda d: d.expires_on)
    for document in sorted(documents, key=lambda d: (d.expires_on, d.kind)):
        values = {"kind": document.kind, "on": i18n.day(document.expires_on)}
        if document.expires_on < today:
            notes.append(ctx.text("QL01.expired", **values))
        elif document.expires_on < last_valid_day:
            notes.append(ctx.text("QL01.expiring", until=i18n.day(last_valid_day), **values))
        else:
            continue
        consequence = params.consequence_of(document.kind)
        if consequence is not None:
            # the lapse is the day after the last valid day; the appeal period runs from it
            act_by = document.expires_on + timedelta(days=1 + consequence.days)
            outcome = consequence.outcome_en if ctx.lang == "en" else consequence.outcome
            notes[-1] += ctx.text(
                "QL01.consequence", outcome=outcome, days=consequence.days, act_by=i18n.day(act_by)
            )
        first = first or document.source
    if not notes:
        message = ctx.constant("QL01.ok", until=last_valid_day)
        return finding(
            "QL01", Status.PASS, message, last_valid_day, earliest.expires_on, earliest.source
        )
    found = finding("QL01", Status.WARN, "；".join(notes) if ctx.lang == "zh" else "; ".join(notes))
    found["expected"] = last_valid_day
    found["actual"] = earliest.expires_on
    found["source"] = first
    found["remedy"] = ctx.text("QL01.remedy")
    return found
