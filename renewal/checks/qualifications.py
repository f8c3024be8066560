"""Qualification documents: not reviewed at renewal, so an expiry is a warning only (the
one year with a review, 2019年度, has it as its own step, QR01)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from pydantic import Field, field_validator

from renewal import i18n
from renewal.checks.categories import listed_among
from renewal.checks.context import Context
from renewal.checks.registry import Role, rule
from renewal.model import Finding, Merchant, Qualification, SourceRef, Status, finding
from renewal.ruleset import Clause, Days, Moment, Names, RuleParams, Text, unique_names
from renewal.timeutil import NO_EXPIRY, to_beijing, valid_through


class Consequence(Clause):
    """What follows when a kind of authorisation lapses, and how long the merchant has."""

    names: Names
    """A 资质类型 is of this kind when it contains one of these."""
    outcome: Text
    outcome_en: Text
    days: Days
    """Days from the lapse to appeal with a valid document."""


class QualificationParams(RuleParams):
    must_stay_valid_until: Moment
    """The end of the new contract year: a document that lapses before it warrants a warning."""
    consequences: list[Consequence] = Field(default_factory=list)
    """First match wins: store-level authorisations before brand authorisations. A name is
    in one row only."""

    @field_validator("consequences")
    @classmethod
    def _one_row_per_name(cls, consequences: list[Consequence]) -> list[Consequence]:
        unique_names(
            (index, f"{index}.names.{at}", name)
            for index, consequence in enumerate(consequences)
            for at, name in enumerate(consequence.names)
        )
        return consequences

    def consequence_of(self, kind: str) -> Consequence | None:
        return next((c for c in self.consequences if any(n in kind for n in c.names)), None)


@rule("QL01", "qualification.expiry", "qualification", Role.ADVISORY, QualificationParams)
def qualification_expiry(merchant: Merchant, params: QualificationParams, ctx: Context) -> Finding:
    """Qualifications valid through the new contract year.

    Fails when: never; this is advice (a year's qualification review is the QR01 step). A
    document already lapsed at the as-of, or lapsing before the new contract year ends, is
    a `warn`. A 到期日期 that is a date alone is valid through the whole of that day: one
    dated the last day of the contract year is fine, one dated the day before is not. One
    with a time lapses at that moment (Beijing time): `2022-12-31 10:00` lapses on the last
    day, and `2022-12-30 24:00` (24时 is 00:00 of the next day) is the same moment as
    `2022-12-30`. 长期 (no expiry) never lapses. Messages give a date for a lapse at 00:00
    (the day it is valid through), the time otherwise. A document renewed as a new row (the
    template asks for 每份资质一行, and a renewed certificate has a new number) leaves the
    old row lapsed beside it; but a store may hold two documents of one type (two brands'
    authorisations), so the lapse is still warned of, with the other document of its
    资质类型 valid longest beyond it named (row, 证书编号, expiry): the lapse matters only if
    that is not the same document renewed. When each document warned of has one, the
    advice asks to check that before updating anything.
    Passes when: every qualification of the merchant is valid beyond the contract year. A
    资质 row of the merchant's that cannot be read (its 到期日期 unreadable, say) is not
    known to be valid: a `warn` naming its rows, beside what the other documents say.
    Not applicable when: the export has no 资质 sheet, or the merchant has no documents in it.
    Remediation: update the document in 商家中心-资质管理 before it lapses. The advice says
    renewal does not review it, except where the year's qualification review (QR01,
    2019年度) covers the store's category: there the review requires every document valid
    through the deadline (a lapse before it is QR01's failed step, beside this warning),
    and the advice says that instead; for a 主营类目 that cannot be read, it says neither.
    The rule file's `consequences` say what a lapse leads to: an expired store-level
    authorisation (旗舰店/专卖店 authorisation, the class-35 trademark of a 卖场型旗舰店)
    puts the store under 监管 with 90 days to appeal; an expired brand authorisation means
    预摘牌 with 15 days; the message gives the date by which to act (the lapse plus those
    days).
    Source: 「续签中不再设置资质审查环节,请您在日常经营中及时更新将要过期的资质」.
    """
    if not ctx.has_qualifications_sheet:
        return finding("QL01", Status.SKIP, ctx.text("QL01.no_sheet"))
    documents = merchant.qualifications or []
    unread = _unread(merchant, ctx)
    if not documents:
        if unread is not None:
            return unread
        return finding("QL01", Status.SKIP, ctx.text("QL01.none"))
    until = params.must_stay_valid_until
    last_valid = valid_through(until)
    earliest = min(documents, key=lambda d: d.lapses_at)
    if earliest.lapses_at >= until and earliest.lapses_at > ctx.as_of:
        if unread is not None:
            return unread
        message = ctx.constant("QL01.ok", until=last_valid)
        return finding(
            "QL01", Status.PASS, message, last_valid, earliest.valid_through, earliest.source
        )
    # the earliest at least has something to say
    notes: list[str] = []
    first: SourceRef | None = None
    renewed_all = True  # each document warned of has a later one of its type beside it
    # a day is valid through its end: "2022-12-31 24时", so 2022-12-31 23:59 reads as earlier
    year_end = (
        shown(last_valid)
        if isinstance(last_valid, datetime)
        else ctx.text("QL01.day_end", day=i18n.day(last_valid))
    )
    for document in sorted(documents, key=lambda d: (d.lapses_at, d.kind)):
        lapse = document.lapses_at
        values = {"kind": document.kind, "on": shown(document.valid_through)}
        if lapse <= ctx.as_of:
            notes.append(ctx.text("QL01.expired", **values))
        elif lapse < until:
            notes.append(ctx.text("QL01.expiring", until=year_end, **values))
        else:
            continue
        consequence = params.consequence_of(document.kind)
        if consequence is not None:
            # the appeal period runs from the lapse: act before the lapse plus its days
            act_by = lapse + timedelta(days=consequence.days)
            outcome = consequence.outcome_en if ctx.lang == "en" else consequence.outcome
            notes[-1] += ctx.text(
                "QL01.consequence", outcome=outcome, days=consequence.days, act_by=_before(act_by)
            )
        renewal = renewed_by(document, documents, ctx.as_of)
        if renewal is not None:  # a new row beside the old, or a second brand's
            notes[-1] += ctx.text("QL01.renewed", other=other_document(renewal, ctx))
        else:
            renewed_all = False
        first = first or document.source
    if unread is not None:
        notes.append(unread["message"])
    found = finding("QL01", Status.WARN, i18n.clauses(notes, ctx.lang))
    found["expected"] = last_valid
    found["actual"] = earliest.valid_through
    found["source"] = first
    remedy = _remedy(merchant, ctx)
    if renewed_all and unread is None:  # not "update it" for what may be updated already
        remedy = ctx.text("QL01.remedy_if_renewed", remedy=i18n.clause(remedy, ctx.lang))
    found["remedy"] = remedy
    return found


def _unread(merchant: Merchant, ctx: Context) -> Finding | None:
    """A warning naming the merchant's 资质 rows that cannot be read: whether those
    documents are valid is not known. None when every row was read."""
    problems = merchant.qualification_problems
    if not problems:
        return None
    where = problems[0].source
    rows = i18n.first_named([str(problem.source["row"]) for problem in problems])
    values = {"sheet": where["sheet"], "rows": rows, "count": len(problems)}
    message = i18n.formatted("QL01.unread", values, ctx.lang)
    found = finding("QL01", Status.WARN, message, source=where)
    found["remedy"] = _remedy(merchant, ctx)
    return found


def renewed_by(
    document: Qualification, documents: Iterable[Qualification], as_of: datetime
) -> Qualification | None:
    """Another document of the same 资质类型 valid beyond `document`'s lapse and the as-of
    (the one valid longest), or None. The template asks for 每份资质一行, so a certificate
    renewed under a new number is a new row beside the lapsed one; but a store may hold two
    of one type (two brands' authorisations), so this only names it beside the lapse: the
    merchant knows whether it is the same document renewed."""
    after = max(document.lapses_at, as_of)
    kind = document.kind.strip()
    later = (
        other
        for other in documents
        if other is not document and other.kind.strip() == kind and other.lapses_at > after
    )
    return max(later, key=lambda other: other.lapses_at, default=None)


def other_document(document: Qualification, ctx: Context) -> str:
    """A document named beside another's lapse: its row, type, number and expiry."""
    where = document.source
    number = ctx.text("QL01.other_number", number=document.number) if document.number else ""
    if document.expires == NO_EXPIRY:
        valid = ctx.text("QL01.other_no_expiry")
    else:
        valid = ctx.text("QL01.other_until", until=shown(document.valid_through))
    values = {"sheet": where["sheet"], "row": where["row"], "kind": document.kind}
    return ctx.text("QL01.other", number=number, valid=valid, **values)


def _remedy(merchant: Merchant, ctx: Context) -> str:
    """What to do about a document. Renewal does not review it, except in a category the
    year's review covers (QR01, 2019年度): there the review holds it to the deadline, and
    the advice says so rather than contradict that step's finding. A 主营类目 that cannot
    be read may be such a category: its advice makes neither claim."""
    reviewed = ctx.reviewed_categories
    if not reviewed:
        return ctx.constant("QL01.remedy")
    if listed_among(merchant.category, reviewed):
        return ctx.constant("QL01.remedy_reviewed", deadline=ctx.cycle.window_closes)
    if "category" in merchant.unreadable:
        return ctx.constant("QL01.remedy_maybe_reviewed")
    return ctx.constant("QL01.remedy")


def shown(valid: date | datetime) -> str:
    """An expiry as `valid_through` gives it, written out: a day, or a moment."""
    return i18n.moment(valid) if isinstance(valid, datetime) else i18n.day(valid)


def _before(moment: datetime) -> str:
    """A time to act before: 00:00 as its day ("before 2022-03-02"), any other as itself."""
    local = to_beijing(moment)
    return i18n.day(local.date()) if local.time() == time(0) else i18n.moment(local)
