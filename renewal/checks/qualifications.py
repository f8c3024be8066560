"""Qualification documents: not reviewed at renewal, so an expiry is a warning only."""

from __future__ import annotations

from datetime import datetime, timedelta

from renewal import i18n
from renewal.checks.context import Context
from renewal.checks.registry import Role, rule
from renewal.model import Finding, Merchant, SourceRef, Status, finding
from renewal.ruleset import RuleParams


class QualificationParams(RuleParams):
    must_stay_valid_until: datetime
    """The end of the new contract year: a document that lapses before it warrants a warning."""


@rule("QL01", "qualification.expiry", "qualification", Role.ADVISORY, QualificationParams)
def qualification_expiry(merchant: Merchant, params: QualificationParams, ctx: Context) -> Finding:
    """Qualifications valid through the new contract year.

    Fails when: never; renewal has no qualification review. A document already expired at
    the as-of, or expiring before the new contract year ends, is a `warn`. A document is
    valid through the whole of its 到期日期: one dated the last day of the contract year is
    fine, one dated the day before is not.
    Passes when: every qualification of the merchant is valid beyond the contract year.
    Not applicable when: the export has no 资质 sheet, or the merchant has no documents in it.
    Remediation: update the document in 商家中心-资质管理 before it lapses; a lapsed one can
    lead to 监管 or the brand's authorisation being withdrawn.
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
        if document.expires_on < today:
            notes.append(
                ctx.text("QL01.expired", kind=document.kind, on=i18n.day(document.expires_on))
            )
        elif document.expires_on < last_valid_day:
            notes.append(
                ctx.text(
                    "QL01.expiring",
                    kind=document.kind,
                    on=i18n.day(document.expires_on),
                    until=i18n.day(last_valid_day),
                )
            )
        else:
            continue
        first = first or document.source
    if not notes:
        message = ctx.constant("QL01.ok", until=i18n.day(last_valid_day))
        return finding(
            "QL01", Status.PASS, message, last_valid_day, earliest.expires_on, earliest.source
        )
    found = finding("QL01", Status.WARN, "；".join(notes) if ctx.lang == "zh" else "; ".join(notes))
    found["expected"] = last_valid_day
    found["actual"] = earliest.expires_on
    found["source"] = first
    found["remedy"] = ctx.text("QL01.remedy")
    return found
