"""Conditions that stop a merchant from signing up or signing at all (2023年度 on).

Each blocker reads one optional 是/否 column. A merchant with a blocker cannot complete the
steps it blocks: those steps are reported as skipped "blocked by BLnn" rather than as
failures of their own, and the merchant's next action is to clear the blocker first.

A step the export shows done inside the window counts all the same: the flag did not stop
it when it was done (the column has no date; the flag may have been set since). When every
step a blocker stops is done so, the blocker warns instead of failing, asking to check
the flag (the engine's `_done_anyway`).
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import field_validator
from pydantic_core import PydanticCustomError

from renewal.checks.context import Context
from renewal.checks.evidence import source, unusable
from renewal.checks.qualifications import other_document, renewed_by, shown
from renewal.checks.registry import Role, rule
from renewal.intake.columns import BLOCKER_FIELDS, HEADER_OF
from renewal.model import Finding, Merchant, Qualification, Status, finding, source_ref
from renewal.ruleset import Clause, Names, RuleParams, Text


class LapsedDocuments(Clause):
    """资质 documents whose lapse says what a blocker's flag says (an expired 品牌授权
    beside 无品牌授权), so that the flag read 否 beside one is in doubt."""

    names: Names
    """A 资质类型 is one of these when it contains one of them (as QL01's consequences)."""


class BlockerParams(RuleParams):
    column: str
    """The merchant field (是/否 column) that says the blocker applies."""
    label: Text
    label_en: Text
    fix: Text
    fix_en: Text
    blocks: Names
    """The step codes a merchant with this blocker cannot complete."""
    lapsed_documents: LapsedDocuments | None = None
    """Documents of the 资质 sheet that, lapsed by the as-of, put a flag read 否 (or blank,
    or a column the export lacks) in doubt: the blocker warns instead of passing. None: the
    flag alone decides."""

    @field_validator("column")
    @classmethod
    def _known_column(cls, value: str) -> str:
        if value not in BLOCKER_FIELDS:  # said as pydantic says a choice (see rule_errors)
            expected = ", ".join(repr(field) for field in BLOCKER_FIELDS)
            raise PydanticCustomError(
                "choice", "expected one of {expected}", {"expected": expected}
            )
        return value


def blocker(code: str, merchant: Merchant, params: BlockerParams, ctx: Context) -> Finding:
    field = params.column
    label = params.label_en if ctx.lang == "en" else params.label
    if field not in ctx.columns:
        column = HEADER_OF[field]
        lapsed = _lapsed(merchant, params, ctx)
        if lapsed is not None:  # nearly never: an expired document where the column is not
            said = {"column": column, "gloss": params.label_en, "label": label}
            return _in_doubt(code, "blocker.lapsed_no_column", lapsed, said, params, ctx)
        # glossed by the rule's English label: the column is the tool's own, not the export's
        message = ctx.constant("blocker.no_column", code, column=column, gloss=params.label_en)
        return finding(
            code, Status.SKIP, message, source=source_ref(merchant.sheet, merchant.row, column)
        )
    problem = unusable(merchant, code, (field,), ctx)
    if problem is not None:
        return problem
    value = getattr(merchant, field)
    where = source(merchant, field, ctx)
    if value:
        fix = params.fix_en if ctx.lang == "en" else params.fix
        message = ctx.constant("blocker.on", code, label=label)
        return finding(
            code,
            Status.FAIL,
            message,
            False,
            True,
            where,
            None,
            ctx.constant("blocker.fix", code, fix=fix),
        )
    lapsed = _lapsed(merchant, params, ctx)
    if lapsed is not None:  # nearly never: an expired document beside a flag read 否
        return _in_doubt(
            code, "blocker.lapsed", lapsed, {"column": where["column"], "label": label}, params, ctx
        )
    return finding(
        code, Status.PASS, ctx.constant("blocker.off", code, label=label), False, value, where
    )


def _lapsed(
    merchant: Merchant, params: BlockerParams, ctx: Context
) -> tuple[Qualification, Qualification | None] | None:
    """The first of the merchant's documents named by `lapsed_documents` to have lapsed by
    the as-of (as QL01 calls it expired), with the document of its 资质类型 valid beyond it
    (`qualifications.renewed_by`), if any; None when none has lapsed. One with no such
    document beside it comes first: it is the one that puts the flag most in doubt. An
    unreadable 资质 row is QL01's to report: it puts nothing in doubt here."""
    wanted = params.lapsed_documents
    documents = merchant.qualifications
    if wanted is None or not documents:  # nearly every row
        return None
    lapsed = [
        (document, renewed_by(document, documents, ctx.as_of))
        for document in documents
        if document.lapses_at <= ctx.as_of and any(name in document.kind for name in wanted.names)
    ]
    return min(lapsed, key=lambda pair: (pair[1] is not None, pair[0].lapses_at), default=None)


def _in_doubt(
    code: str,
    key: str,
    lapsed: tuple[Qualification, Qualification | None],
    values: Mapping[str, object],
    params: BlockerParams,
    ctx: Context,
) -> Finding:
    """A flag that says the blocker does not apply (or no flag) beside a document whose
    lapse says it may: a warning asking to check, with the blocker's fix. Not a failure:
    that the lapse is the blocker is our reading, and the steps it blocks are not held up
    on it. With a document of the same type valid beyond the lapsed one (most often the
    same one renewed as a new row), the message names it and says the lapse matters only
    if it is not that one renewed, and the remedy asks to check that before the fix."""
    document, renewal = lapsed
    said = {"kind": document.kind, "on": shown(document.valid_through), **values}
    fix = params.fix_en if ctx.lang == "en" else params.fix
    if renewal is None:
        message = ctx.text(key, **said)
        remedy = ctx.constant("blocker.fix", code, fix=fix)
    else:  # blocker.lapsed_renewed, blocker.lapsed_no_column_renewed
        message = ctx.text(f"{key}_renewed", other=other_document(renewal, ctx), **said)
        at = {"sheet": renewal.source["sheet"], "row": renewal.source["row"]}
        remedy = ctx.text("blocker.fix_renewed", kind=document.kind, fix=fix, **at)
    found = finding(code, Status.WARN, message, None, document.valid_through, document.source)
    found["remedy"] = remedy
    return found


@rule("BL01", "blocker.assessment", "blocker", Role.BLOCKER, BlockerParams)
def assessment(merchant: Merchant, params: BlockerParams, ctx: Context) -> Finding:
    """Not failing the merchant assessment (考核不达标).

    Fails when: 考核不达标 is 是 (yes): the merchant cannot sign up or sign, and the steps
    the rule file lists under `blocks` that are not done yet are reported as blocked. When every one
    of them is recorded done inside the window, the flag did not stop them (it may have been
    set since): they count, and the finding warns instead, asking to check the flag. A flag
    that cannot be read is an error (the row's outcome cannot be told), except beside those
    steps all done inside the window, where it decides nothing: a warning naming the cell.
    So for every blocker (BL01–BL07).
    Passes when: 考核不达标 is 否 (no) or blank.
    Not applicable when: the export has no 考核不达标 column (reported as skipped), or the
    merchant is exempt.
    Remediation: meet the assessment standard (考核看板 in 商家中心) before the deadline.
    Source: 2023年度: 「哪些情况不能报名续签? 1)考核不达标 …」 (cymth.com/post/68336.html).
    """
    return blocker("BL01", merchant, params, ctx)


@rule("BL02", "blocker.software_fee", "blocker", Role.BLOCKER, BlockerParams)
def software_fee(merchant: Merchant, params: BlockerParams, ctx: Context) -> Finding:
    """No unpaid software service fee (软件服务费未缴清).

    Fails when: 软件服务费未缴清 is 是 (yes), unless every step it blocks is done inside the
    window (then it warns: see BL01).
    Passes when: it is 否 (no) or blank.
    Not applicable when: the export has no such column, or the merchant is exempt.
    Remediation: pay the outstanding software service fee first.
    Source: 2023年度: 「2)店铺存在软件服务费未缴清」; 2025年度: 「未缴清类目软件服务费或基础软件服务费」.
    """
    return blocker("BL02", merchant, params, ctx)


@rule("BL03", "blocker.brand_authorization", "blocker", Role.BLOCKER, BlockerParams)
def brand_authorization(merchant: Merchant, params: BlockerParams, ctx: Context) -> Finding:
    """Brand authorisation present (旗舰店、专卖店、专营店无品牌授权).

    Fails when: 无品牌授权 is 是 (yes), unless every step it blocks is done inside the window
    (then it warns: see BL01).
    Passes when: it is 否 (no) or blank, and no brand authorisation of the merchant in the 资质
    sheet has lapsed by the as-of. One that has (a 资质类型 containing a name of the rule
    file's `lapsed_documents`, 品牌授权; lapsed as QL01 reads 到期日期) beside a flag 否 or
    blank is a `warn`: the same run would otherwise say 没有 (no such problem) beside QL01's
    "品牌授权 expired". A warning, not a failure: that an expired authorisation is 无品牌授权
    is our reading (it leads to 预摘牌 first, with 15 days to appeal, and the store may hold
    others), so it asks to check the column and blocks no step. So too when the export has
    no 无品牌授权 column. A brand authorisation renewed as a new 资质 row (每份资质一行)
    leaves the lapsed row beside it, and a store may hold two (two brands), so the warning
    stays; but when another document of the same 资质类型 is valid beyond the lapsed one
    (one lapsed with none is said first), the message names it (row, 证书编号, expiry) and
    says the lapse matters only if it is not the same document renewed.
    Not applicable when: the export has no such column and no brand authorisation has
    lapsed, or the merchant is exempt.
    Remediation: upload a valid brand authorisation in 商家中心-资质管理 first; beside a
    valid document of the same type, check first whether it is the lapsed one renewed, and
    upload only if it is not.
    Source: 2023年度: 「3)旗舰店、专卖店、专营店无品牌授权」; 2025年度: "no brand
    authorisation" (the project's brief, §1.1); an expired brand authorisation leads to 预摘牌
    (the brief, §6.2).
    """
    return blocker("BL03", merchant, params, ctx)


@rule("BL04", "blocker.exit", "blocker", Role.BLOCKER, BlockerParams)
def exit_in_progress(merchant: Merchant, params: BlockerParams, ctx: Context) -> Finding:
    """Not in an exit process (店铺处于退出流程中).

    Fails when: 退出流程中 is 是 (yes), unless every step it blocks is done inside the window
    (then it warns: see BL01).
    Passes when: it is 否 (no) or blank.
    Not applicable when: the export has no such column, or the merchant is exempt.
    Remediation: withdraw the exit application, if the store is to stay, before signing up.
    Source: 2023年度: 「4)店铺处于退出流程中」.
    """
    return blocker("BL04", merchant, params, ctx)


@rule("BL05", "blocker.entity_change", "blocker", Role.BLOCKER, BlockerParams)
def entity_change(merchant: Merchant, params: BlockerParams, ctx: Context) -> Finding:
    """Not in a change of legal entity (主体变更流程中).

    Fails when: 主体变更中 is 是 (yes), unless every step it blocks is done inside the window
    (then it warns: see BL01).
    Passes when: it is 否 (no) or blank.
    Not applicable when: the export has no such column, or the merchant is exempt.
    Remediation: complete or cancel the entity change first.
    Source: 2023年度: 「5)主体变更流程中」.
    """
    return blocker("BL05", merchant, params, ctx)


@rule("BL06", "blocker.taobao_transfer", "blocker", Role.BLOCKER, BlockerParams)
def taobao_transfer(merchant: Merchant, params: BlockerParams, ctx: Context) -> Finding:
    """Not moving to a Taobao enterprise store (转入淘宝网企业店铺流程中).

    Fails when: 转淘宝企业店铺中 is 是 (yes), unless every step it blocks is done inside the
    window (then it warns: see BL01); such a merchant is also not reported as eligible for
    the transfer again (TB01 is skipped).
    Passes when: it is 否 (no) or blank.
    Not applicable when: the export has no such column, or the merchant is exempt.
    Remediation: cancel the transfer to renew on Tmall, or let it complete.
    Source: 2023年度: 「6)转入淘宝网企业店铺流程中」.
    """
    return blocker("BL06", merchant, params, ctx)


@rule("BL07", "blocker.annual_inspection", "blocker", Role.BLOCKER, BlockerParams)
def annual_inspection(merchant: Merchant, params: BlockerParams, ctx: Context) -> Finding:
    """Annual inspection information up to date (年检信息待更新, from 2025年度).

    Fails when: 年检信息待更新 is 是 (yes), unless every step it blocks is done inside the
    window (then it warns: see BL01).
    Passes when: it is 否 (no) or blank.
    Not applicable when: the export has no such column, the year does not know this
    blocker, or the merchant is exempt.
    Remediation: update the annual inspection information first.
    Source: 2025年度: the brief's summary of the 2025 renewal (its §1.1, citing
    wopengpower.com/thread-18195-1-1.html and two other pages) lists 年检信息待更新 among
    what stops signing; no sentence of a source is quoted for it, so it is inferred.
    """
    return blocker("BL07", merchant, params, ctx)
