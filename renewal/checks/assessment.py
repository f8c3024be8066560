"""Reviews some years added to the renewal itself (2019年度): the operating assessment of
older stores, and the qualification review of service categories; and the day-to-day
assessment a year's announcement warns of without making it a step (2022年度)."""

from __future__ import annotations

from functools import cached_property

from renewal.checks.categories import listed_among
from renewal.checks.context import Context
from renewal.checks.evidence import absent, gloss, source, unusable
from renewal.checks.qualifications import shown
from renewal.checks.registry import Role, rule
from renewal.intake.columns import HEADER_OF
from renewal.model import Finding, Merchant, Status, finding, source_ref
from renewal.ruleset import Clause, Moment, Names, RuleParams, StepParams, Text


class AssessmentPeriod(Clause):
    """When the assessment's period ends: its result is the one the renewal reads, so once
    the period is over a failed assessment cannot be made good in this renewal. Its own
    block, so its mark is its own: the announcement's quote names no period."""

    ends: Moment
    """The first moment after the period (2018-09-30 24时 is `2018-10-01T00:00:00+08:00`)."""


class AssessmentParams(StepParams):
    opened_before: Moment
    """Stores whose service opened before this moment must pass the assessment."""
    period: AssessmentPeriod | None = None
    """Without it, a failed assessment is told as one still to meet by the deadline."""


@rule(
    "AS01",
    "assessment.operating",
    "assessment",
    Role.STEP,
    AssessmentParams,
    reads=("service_opened_at", "assessment_failed"),
)
def operating_assessment(merchant: Merchant, params: AssessmentParams, ctx: Context) -> Finding:
    """Older stores passed the operating assessment (运营能力考核, 2019年度).

    Fails when: the store's service opened (服务开通时间) before the year's date and
    考核不达标 is 是 (yes). Once the assessment period is over at the as-of (the rule file's
    `period.ends`; in 2019年度 it ended before the window opened), the failure is final: it
    cannot be made good in this renewal, and the finding says so (`final: true`). The
    merchant stays `pending` until the deadline makes it `failed`, but is not told to do
    the assessment by the deadline: its next action says what is left (the 淘宝企业店铺
    fallback after the deadline, where TB01 allows), and `remind` leaves it out.
    Passes when: the service opened on or after that date (the assessment does not apply),
    or 考核不达标 is 否 (no) or blank (a blank 是/否 flag reads as 否). With 服务开通时间 blank and
    考核不达标 否 or blank, it passes too: whether or not the assessment applies, it was not
    failed, and the message says so.
    Not applicable when: the merchant is exempt; a year without an AS01 block.
    Remediation: meet the assessment standard while its period runs; a store that fails it
    cannot renew, and once the period is over nothing in this renewal makes it good.
    The row is an error when the export lacks 服务开通时间 or 考核不达标, or when the verdict
    turns on a cell that cannot be told: 考核不达标 unreadable for a store that opened
    before the date or whose 服务开通时间 is blank or unreadable; 服务开通时间 blank or
    unreadable beside 考核不达标 是 (whether the failed assessment applies cannot be
    decided). The message names the cell. A cell the verdict does not turn on gives only the row's LD04 warning: an
    unreadable 考核不达标 for a store that opened on or after the date (not assessed), an
    unreadable 服务开通时间 beside 考核不达标 否 or blank (not failed, so a pass either way,
    as with a blank one).
    Source: 2019年度: 「服务开通时间在2017年7月1日之前的商家需要参加运营考核能力」 (efef.com.cn/news/81506.html).
    """
    problem = absent(merchant, "AS01", ("service_opened_at", "assessment_failed"), ctx)
    if problem is not None:
        return problem
    opened = merchant.service_opened_at
    where = source(merchant, "service_opened_at", ctx)
    label = params.label_en if ctx.lang == "en" else params.label
    if opened is not None and opened >= params.opened_before:
        # not assessed: 考核不达标 is not read, whatever it holds
        message = ctx.constant("AS01.not_needed", before=params.opened_before)
        return finding("AS01", Status.PASS, message, params.opened_before, opened, where)
    # from here the flag decides
    problem = unusable(merchant, "AS01", (), ctx, ("assessment_failed",))
    if problem is not None:
        return problem
    if opened is None and not merchant.assessment_failed:
        # not failed: a pass whether the assessment applies or not
        flag = source(merchant, "assessment_failed", ctx)
        bad = merchant.unreadable.get("service_opened_at")
        if bad is None:
            message = ctx.constant("AS01.passed_either_way", column=where["column"], label=label)
        else:
            message = ctx.text(
                "AS01.unreadable_either_way", column=where["column"], raw=bad[0], label=label
            )
        return finding("AS01", Status.PASS, message, False, False, flag)
    if opened is None:
        # 是: whether it applies turns on the opening time, unreadable or blank
        problem = unusable(merchant, "AS01", (), ctx, ("service_opened_at",))
        if problem is not None:
            return problem
        message = ctx.text("AS01.unknown", column=where["column"], label=label)
        return finding("AS01", Status.ERROR, message, params.opened_before, None, where)
    where = source(merchant, "assessment_failed", ctx)
    if merchant.assessment_failed:
        period = params.period
        if period is not None and period.ends <= ctx.as_of:
            # over: the result stands, so there is nothing to do about it by the deadline
            message = ctx.constant("AS01.failed_final", label=label, ends=period.ends)
            remedy = ctx.constant("AS01.remedy_final")
            found = finding("AS01", Status.FAIL, message, False, True, where, None, remedy)
            found["final"] = True
            return found
        where_to = params.where_en if ctx.lang == "en" else params.where
        remedy = ctx.text("AS01.remedy", where=where_to)
        return finding(
            "AS01",
            Status.FAIL,
            ctx.constant("AS01.failed", label=label),
            False,
            True,
            where,
            None,
            remedy,
        )
    return finding(
        "AS01", Status.PASS, ctx.constant("AS01.passed", label=label), False, False, where
    )


class DailyAssessmentParams(RuleParams):
    """The day-to-day merchant assessment as a year's announcement names it, where it is
    watched, and what failing it leads to, in its own words."""

    label: Text
    label_en: Text
    where: Text
    """Where the merchant watches the assessment (「考核看板」)."""
    where_en: Text
    outcome: Text
    """What failing it leads to (「无法继续经营」)."""
    outcome_en: Text


@rule(
    "AS02",
    "assessment.daily",
    "assessment",
    Role.ADVISORY,
    DailyAssessmentParams,
    reads=("assessment_failed",),
)
def daily_assessment(merchant: Merchant, params: DailyAssessmentParams, ctx: Context) -> Finding:
    """Not failing the day-to-day merchant assessment (经营考核, 2022年度).

    Fails when: never; the year's renewal has no assessment step, and its announcement
    names nothing that stops sign-up. 考核不达标 是 is a `warn` whatever the renewal's
    verdict: the announcement says the assessment runs day to day and that a store failing
    it cannot go on trading (the rule file's `outcome`), so a store told only 已续签 would
    be misled. An unreadable 考核不达标 is a `warn` naming the cell (whether it was failed
    is not known); the verdict does not turn on it.
    Passes when: 考核不达标 is 否 (no) or blank (a blank 是/否 flag reads as 否).
    Not applicable when: the export has no 考核不达标 column (skipped); a year without an
    AS02 block (in 2023年度 and 2025年度 a failed assessment stops renewal: BL01; in
    2019年度 older stores' assessment was a step: AS01).
    Remediation: watch the assessment on the 考核看板 and meet its standard.
    Source: 2022年度: 「经营考核已在日常进行,请您务必实时关注考核看板了解考核情况,以免因考核不达标而无法继续经营」 (husay.cn/a/202210/2366378.html).
    """
    en = ctx.lang == "en"
    label = params.label_en if en else params.label
    outcome = params.outcome_en if en else params.outcome
    field = "assessment_failed"
    if field not in ctx.columns:
        column = HEADER_OF[field]
        message = ctx.constant("AS02.no_column", column=column, gloss=gloss(field), label=label)
        return finding(
            "AS02", Status.SKIP, message, source=source_ref(merchant.sheet, merchant.row, column)
        )
    where = source(merchant, field, ctx)
    where_to = params.where_en if en else params.where
    bad = merchant.unreadable.get(field) if merchant.unreadable else None
    if bad is not None:
        message = ctx.text(
            "AS02.unreadable", column=where["column"], raw=bad[0], label=label, outcome=outcome
        )
        remedy = ctx.constant("AS02.remedy", where=where_to)
        return finding("AS02", Status.WARN, message, False, bad[0], where, None, remedy)
    if merchant.assessment_failed:
        message = ctx.constant("AS02.failed", column=where["column"], label=label, outcome=outcome)
        remedy = ctx.constant("AS02.remedy", where=where_to)
        return finding("AS02", Status.WARN, message, False, True, where, None, remedy)
    message = ctx.constant("AS02.passed", label=label)
    return finding("AS02", Status.PASS, message, False, merchant.assessment_failed, where)


class ReviewParams(StepParams):
    categories: Names
    """A store is reviewed when a 主营类目 is one of these, as `renewal.checks.categories`
    reads a compound name."""

    @cached_property
    def words(self) -> tuple[str, ...]:
        """`categories` as the matcher's cache key, built once."""
        return tuple(self.categories)


@rule(
    "QR01", "qualification.review", "qualification", Role.STEP, ReviewParams, reads=("category",)
)
def qualification_review(merchant: Merchant, params: ReviewParams, ctx: Context) -> Finding:
    """Service categories passed the qualification review (资质审核, 2019年度).

    Fails when: the store is in a listed category (服务大类, 电子票务凭证) and a qualification
    document lapses by the deadline. The review holds the documents to the deadline: one
    already lapsed, or one that will lapse before the deadline, fails the step at any
    as-of (before the deadline the merchant is `pending`, told which document lapses when),
    and one lapsing after the deadline does not undo it. So the verdict does not change
    with the as-of on the same data: a store is not renewed on 11-01 and then pending on
    12-02 because a document it already had lapsed in between. A 到期日期 that is a date
    alone is valid through the whole of that day; one with a time lapses at that moment
    (Beijing time; 24时 is 00:00 of the next day, so `2018-12-25 24:00` lapses when
    `2018-12-25` does, before a deadline of 2018-12-26 18:00; `2018-12-26 18:00` lapses at
    the deadline, which is too early); 长期 never lapses.
    Passes when: the store is in none of the listed categories, or it has documents in the
    资质 sheet and every one of them is valid through the deadline.
    Not applicable when: the merchant is exempt; a year without a QR01 block.
    Remediation: renew the documents that lapse before the deadline in 商家中心-资质管理,
    before the deadline.
    The row is an error for a listed category when the export has no 资质 sheet, when the
    sheet has no document of the merchant, or when one of its documents cannot be read and
    none lapses by the deadline: a review is not passed on documents nobody has seen. An
    unreadable 主营类目 may be a listed one: the merchant passes when a review would
    (documents in the 资质 sheet, every one readable and valid through the deadline), and
    the row gets only its LD04 warning; otherwise the row is an error naming the cell.
    Reading the review as "every document valid through the deadline" is our inference:
    the export has no review result.
    Source: 2019年度: 服务大类 and 电子票务凭证 were not self-service and kept the qualification review (the project's brief, §1.1).
    """
    categories = listed_among(merchant.category, params.words)
    bad = merchant.unreadable.get("category")
    if not categories and bad is None:
        return finding("QR01", Status.PASS, ctx.constant("QR01.not_needed"))
    # the review holds the documents to the deadline, whatever the as-of: a lapse the export
    # already shows fails the step now, not only once the day has come
    judged = ctx.cycle.window_closes
    documents = merchant.qualifications or ()
    lapsing = sorted((d for d in documents if d.lapses_at <= judged), key=lambda d: d.lapses_at)
    if not categories and bad is not None:
        # an unreadable 主营类目 may be a reviewed one: it passes only where a review would
        seen = bool(documents) and not merchant.qualification_problems
        if ctx.has_qualifications_sheet and seen and not lapsing:
            where = source(merchant, "category", ctx)
            message = ctx.text(
                "QR01.unreadable_either_way",
                column=where["column"],
                raw=bad[0],
                deadline=ctx.deadline_text,
            )
            return finding("QR01", Status.PASS, message, judged, None, where)
        problem = unusable(merchant, "QR01", (), ctx, ("category",))
        assert problem is not None
        return problem
    if not ctx.has_qualifications_sheet:
        return finding("QR01", Status.ERROR, ctx.text("QR01.no_sheet", category=categories[0]))
    if not lapsing:
        if merchant.qualification_problems:
            where = merchant.qualification_problems[0].source
            message = ctx.text(
                "QR01.unreadable",
                category=categories[0],
                sheet=where["sheet"],
                row=where["row"],
                column=where["column"],
            )
            return finding("QR01", Status.ERROR, message, judged, None, where)
        if not documents:
            message = ctx.text("QR01.no_documents", category=categories[0])
            remedy = ctx.constant("QR01.remedy_documents")
            return finding("QR01", Status.ERROR, message, judged, None, None, None, remedy)
        passed = ctx.constant("QR01.passed", deadline=judged)
        return finding("QR01", Status.PASS, passed, judged, None)
    first = lapsing[0]
    values = {"category": categories[0], "kind": first.kind, "on": shown(first.valid_through)}
    if first.lapses_at <= ctx.as_of:
        message = ctx.text("QR01.expired", **values)
    else:  # not lapsed yet, but before the deadline: said now, while it can still be renewed
        message = ctx.text("QR01.expiring", deadline=ctx.deadline_text, **values)
    return finding(
        "QR01",
        Status.FAIL,
        message,
        judged,
        first.valid_through,
        first.source,
        None,
        ctx.constant("QR01.remedy"),
    )
