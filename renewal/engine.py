"""The engine: rule set + merchants + as-of -> one verdict per merchant row.

`evaluate` is a pure function of (merchant, plan, context), so rows can be checked in any
order, in parallel or in partitions. `run` streams: it keeps no rows, only an index of
merchant ids (a duplicated id makes every row that carries it an error, which is only
known once the file has been read, so those rows are re-issued at the end).
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from renewal import i18n
from renewal.checks import REGISTRY, Role, Rule
from renewal.checks.context import Context
from renewal.checks.decisive import judged
from renewal.checks.deposit import says_no_policy
from renewal.checks.evidence import days_as_given, source, unreadable_said
from renewal.model import (
    OUTCOME_ORDER,
    Finding,
    Merchant,
    MerchantResult,
    Outcome,
    Status,
    finding,
    source_ref,
)
from renewal.owed import owed_totals
from renewal.ruleset import RuleParams, RuleSet
from renewal.timeutil import to_beijing
from renewal.waivers import accounting, waive

_OUTCOMES: tuple[Outcome, ...] = tuple(Outcome)
_OUTCOME_INDEX = {outcome: index for index, outcome in enumerate(_OUTCOMES)}


@dataclass(frozen=True)
class Plan:
    """The rules of one rule set, split by role, in the rule file's order."""

    scope: tuple[tuple[Rule[Any], RuleParams], ...]
    blockers: tuple[tuple[Rule[Any], RuleParams], ...]
    steps: tuple[tuple[Rule[Any], RuleParams], ...]
    advisory: tuple[tuple[Rule[Any], RuleParams], ...]
    fallback: tuple[tuple[Rule[Any], RuleParams], ...]
    family_of: dict[str, str]
    """step rule code -> family, for the amounts owed"""

    @classmethod
    def of(cls, ruleset: RuleSet) -> Plan:
        chosen = [
            (REGISTRY[code], params) for code, params in ruleset.rules.items() if params.enabled
        ]
        return cls(
            scope=tuple(p for p in chosen if p[0].role == Role.SCOPE),
            blockers=tuple(p for p in chosen if p[0].role == Role.BLOCKER),
            steps=tuple(p for p in chosen if p[0].role == Role.STEP),
            advisory=tuple(p for p in chosen if p[0].role == Role.ADVISORY),
            fallback=tuple(p for p in chosen if p[0].role == Role.FALLBACK),
            family_of={rule.code: rule.family for rule, _ in chosen if rule.role == Role.STEP},
        )


def _load_findings(merchant: Merchant, ctx: Context) -> list[Finding]:
    """LD findings: what stops a row being evaluated (LD01, LD02) and unreadable cells (LD04)."""
    found: list[Finding] = []
    if (
        merchant.merchant_id is not None
        and merchant.contract_signed_at is not None
        and not merchant.unreadable
        and not merchant.violation_problems
        and not merchant.qualification_problems
    ):
        return found
    if merchant.merchant_id is None:
        found.append(_required_cell("LD01", "merchant_id", merchant, ctx))
    if merchant.contract_signed_at is None:
        found.append(_required_cell("LD02", "contract_signed_at", merchant, ctx))
    for name, (raw, reason) in merchant.unreadable.items():
        if name in ("merchant_id", "contract_signed_at"):
            continue
        if name == "deposit_insurance_renewed_at" and says_no_policy(raw):
            continue  # 无, 未投保 …: a documented "no policy" that DP01 reads, not unreadable
        column = ctx.columns.get(name, name)
        message = unreadable_said("LD04", column, (raw, reason), ctx)
        where = source_ref(merchant.sheet, merchant.row, column)
        found.append(finding("LD04", Status.WARN, message, actual=raw, source=where))
    for problem in (*merchant.violation_problems, *merchant.qualification_problems):
        where = problem.source
        message = ctx.text(
            "LD04.sheet",
            sheet=where["sheet"],
            row=where["row"],
            column=where["column"],
            raw=problem.raw,
            reason=ctx.reason(problem.reason),
        )
        found.append(finding("LD04", Status.WARN, message, actual=problem.raw, source=where))
    return found


def _blocked(step: str, blocker: str, plan: Plan, ctx: Context) -> Finding:
    """A step a blocker stops: skipped, naming the blocker, not failed on its own."""
    params = next(p for r, p in plan.blockers if r.code == blocker)
    label = _label(params, blocker, ctx)
    message = ctx.constant("step.blocked", f"{step}|{blocker}", code=blocker, label=label)
    return finding(step, Status.SKIP, message, actual=blocker)


def _label(params: RuleParams, default: str, ctx: Context) -> str:
    """A step's or a blocker's label in the run's language; `default` for a rule without."""
    return str(getattr(params, "label_en" if ctx.lang == "en" else "label", default))


def _done_anyway(gates: list[Finding], steps: list[Finding], plan: Plan, ctx: Context) -> None:
    """A blocker flag set on a merchant whose export shows every step it stops already done
    inside the window: the flag did not stop them when they were done (it may have been set
    since), so those steps count, and the blocker warns instead of failing. A flag that
    cannot be read (an `error`) beside those steps done decides nothing either way: it
    warns, naming the cell, and the steps count."""
    passed = {found["rule"] for found in steps if found["status"] is Status.PASS}
    labels = {rule.code: params for rule, params in plan.steps}
    for gate, (_, params) in zip(gates, plan.blockers, strict=True):
        stops = [code for code in getattr(params, "blocks", ()) if code in labels]
        status = gate["status"]
        if status not in (Status.FAIL, Status.ERROR) or not stops or not passed.issuperset(stops):
            continue
        # DL01 续签报名 in a file's words; the self-check's answers name the step alone
        said = [ctx.text("blocker.step", code=c, label=_label(labels[c], "", ctx)) for c in stops]
        named = i18n.listed(said, ctx.lang)
        gate["status"] = Status.WARN
        if status is Status.ERROR:
            gate["message"] = ctx.text(
                "blocker.unread_done_anyway", said=gate["message"], steps=named
            )
            continue
        label = _label(params, gate["rule"], ctx)
        gate["message"] = ctx.text("blocker.done_anyway", label=label, steps=named)
        # what to do about it, not "first" to do it: nothing it stops is left to do
        fix = getattr(params, "fix_en" if ctx.lang == "en" else "fix", None)
        if fix:
            gate["remedy"] = i18n.sentence(fix, ctx.lang)


def _required_cell(code: str, field: str, merchant: Merchant, ctx: Context) -> Finding:
    """A cell every row needs is blank (`CODE.missing`) or unreadable (`CODE.unreadable`)."""
    ref = source(merchant, field, ctx)
    column = ref["column"]
    bad = merchant.unreadable.get(field)
    if bad is None:
        message = ctx.constant(f"{code}.missing", column=column)
        return finding(code, Status.ERROR, message, source=ref)
    message = unreadable_said(f"{code}.unreadable", column or field, bad, ctx)
    return finding(code, Status.ERROR, message, actual=bad[0], source=ref)


def _owed(
    findings: list[Finding], family_of: Mapping[str, str]
) -> tuple[float | None, float | None]:
    """The deposit and the annual fee still owed, from the money steps' findings; None
    where an amount is not known, never reported as nothing owed."""
    deposit: float | None = 0.0
    fee: float | None = 0.0
    for found in findings:
        family = family_of.get(found["rule"])
        if family != "deposit" and family != "fee":
            continue
        status = found["status"]
        owed = found["owed"]
        # a waiver excuses the deadline, not the debt: a waived amount is still owed
        unknown = owed is None and (status is Status.FAIL or status is Status.WAIVED)
        amount = None if unknown or status is Status.ERROR else owed or 0.0
        if family == "deposit":
            deposit = None if deposit is None or amount is None else deposit + amount
        else:
            fee = None if fee is None or amount is None else fee + amount
    return (
        None if deposit is None else round(deposit, 2),
        None if fee is None else round(fee, 2),
    )


def evaluate(merchant: Merchant, plan: Plan, ctx: Context) -> MerchantResult:
    """The verdict for one merchant row at the context's as-of."""
    if merchant.day_only and ctx.judging is not None:  # nearly never: days alone
        merchant = judged(merchant, ctx.judging, ctx.lang)
    findings = _load_findings(merchant, ctx)
    if merchant.merchant_id is None or merchant.contract_signed_at is None:
        return _error_result(merchant, findings, ctx)
    mine = None if ctx.waivers is None else ctx.waivers.by_merchant.get(merchant.merchant_id)

    in_scope = True
    for rule, params in plan.scope:
        found = rule.check(merchant, params, ctx)
        findings.append(found)
        in_scope = in_scope and found["status"] is not Status.SKIP

    gates: list[Finding] = []
    step_findings: list[Finding] = []
    if in_scope:
        blocked: dict[str, str] = {}  # step code -> the blocker that stops it
        unsure = False  # a blocker flag that cannot be read
        for rule, params in plan.blockers:
            found = rule.check(merchant, params, ctx)
            if mine is not None and rule.code in mine:
                waive(found, mine[rule.code], ctx)  # a waived blocker no longer blocks
            gates.append(found)
            if found["status"] is Status.FAIL:
                for step in getattr(params, "blocks", ()):
                    blocked.setdefault(step, rule.code)
            elif found["status"] is Status.ERROR:
                unsure = True
        for rule, params in plan.steps:
            stopper = blocked.get(rule.code)
            found = rule.check(merchant, params, ctx)
            if stopper is not None and found["status"] is not Status.PASS:
                found = _blocked(rule.code, stopper, plan, ctx)
            step_findings.append(found)
        if blocked or unsure:  # nearly never: a blocker flag is set, or unreadable
            _done_anyway(gates, step_findings, plan, ctx)
    else:
        exempt_text = ctx.constant("exempt")
        gates = [finding(rule.code, Status.SKIP, exempt_text) for rule, _ in plan.blockers]
        step_findings = [finding(rule.code, Status.SKIP, exempt_text) for rule, _ in plan.steps]
    advisory = [rule.check(merchant, params, ctx) for rule, params in plan.advisory]
    if mine is not None:
        for found in (*step_findings, *advisory):
            waiver = mine.get(found["rule"])
            if waiver is not None:
                waive(found, waiver, ctx)
    findings += gates
    findings += step_findings
    findings += advisory

    statuses = {found["status"] for found in step_findings}
    if not in_scope:
        outcome = Outcome.EXEMPT
    elif Status.ERROR in statuses or any(gate["status"] is Status.ERROR for gate in gates):
        # a step, or whether a blocker applies, cannot be decided; but past the deadline a
        # step certainly not done (missing, late or blocked) has failed the renewal whatever
        # the unreadable cells hold, and the fallback is what is left to decide
        missed = ctx.deadline_passed and not statuses.isdisjoint(_NOT_DONE)
        outcome = Outcome.FAILED if missed else Outcome.ERROR
    elif statuses <= _DONE:
        waived = Status.WAIVED in statuses or (
            mine is not None and any(gate["status"] is Status.WAIVED for gate in gates)
        )
        outcome = Outcome.WAIVED if waived else Outcome.RENEWED
    elif ctx.deadline_passed:
        outcome = Outcome.FAILED
    else:
        outcome = Outcome.PENDING

    transfer_eligible: bool | None = None
    open_until: date | None = None  # the fallback's last day, when its finding gives one
    for rule, params in plan.fallback:
        if outcome in (Outcome.FAILED, Outcome.PENDING):
            found = rule.check(merchant, params, ctx)
            if found["status"] in (Status.PASS, Status.FAIL):
                transfer_eligible = found["status"] is Status.PASS
        elif outcome is Outcome.ERROR:
            # the verdict is unknown, not "renewed": a merchant that turns out not to have
            # renewed needs this test, so it is run on what can be read and says it applies
            # only then; `transfer_eligible` stays null like the verdict
            found = rule.check(merchant, params, ctx)
            if found["status"] in (Status.PASS, Status.FAIL):
                # (for the self-check's answers, their own words: i18n.ANSWERS_FORM)
                found["message"] += ctx.constant("TB01.verdict_unknown")
        elif outcome is Outcome.WAIVED:
            found = finding(rule.code, Status.SKIP, ctx.constant("TB01.waived"))
        else:
            found = finding(rule.code, Status.SKIP, ctx.constant("TB01.na"))
        open_until = open_until or found.get("open_until")
        findings.append(found)

    deposit_owed, fee_owed = _owed(step_findings, plan.family_of)
    if merchant.day_only:  # nearly never: evidence read from a day alone shows that day
        days_as_given(findings, merchant)
    pending = outcome is Outcome.PENDING
    # a dict literal in MerchantResult's key order: the TypedDict call costs twice as much
    return {
        "merchant_id": merchant.merchant_id,
        "row": merchant.row,
        "sheet": merchant.sheet,
        "shop_name": merchant.shop_name,
        "outcome": outcome,
        "transfer_eligible": transfer_eligible,
        "deposit_shortfall": deposit_owed,
        "annual_fee_due": fee_owed,
        "deadline": ctx.cycle.window_closes if in_scope else None,
        "time_left_seconds": ctx.seconds_left if pending else None,
        "due_soon": pending and ctx.due_soon,
        "next_action": _next_action(
            merchant, outcome, findings, transfer_eligible, open_until, ctx
        ),
        "findings": findings,
    }


def _error_result(merchant: Merchant, findings: list[Finding], ctx: Context) -> MerchantResult:
    return MerchantResult(
        merchant_id=merchant.merchant_id,
        row=merchant.row,
        sheet=merchant.sheet,
        shop_name=merchant.shop_name,
        outcome=Outcome.ERROR,
        transfer_eligible=None,
        deposit_shortfall=None,
        annual_fee_due=None if ctx.fee_year else 0.0,  # a year without a fee: nothing owed
        deadline=None,
        time_left_seconds=None,
        due_soon=False,
        next_action=_fix(merchant, ctx),
        findings=findings,
    )


def _fix(merchant: Merchant, ctx: Context) -> str:
    """Fix row N's data (of sheet S, on a sheet continuing the merchant sheet, whose rows
    are numbered from 2 again), or, for the self-check's typed answers, find out and answer
    again."""
    if ctx.answers:
        return ctx.constant("next.fix_answers")
    if ctx.sheet and merchant.sheet != ctx.sheet:
        return ctx.text("next.fix_data_sheet", row=merchant.row, sheet=merchant.sheet)
    return ctx.text("next.fix_data", row=merchant.row)


def _next_action(
    merchant: Merchant,
    outcome: Outcome,
    findings: list[Finding],
    transfer_eligible: bool | None,
    open_until: date | None,
    ctx: Context,
) -> str | None:
    """What the merchant should do first: the first outstanding step, in the rule file's order.
    A failed merchant is told where it goes: a 淘宝企业店铺 (by its last day to apply, when the
    fallback's finding gives it), the exit, or that it is already moving. An error row is
    told to fix its data, and, while the deadline has not passed, the first blocker or step
    it certainly still has to do, whatever the unreadable cell holds. A step that nothing
    done by the deadline can make good (a `final` finding) comes before any other: the
    merchant cannot renew, so it is told so and where it goes after the deadline, in the
    words a failed merchant is told then, not given a deadline to do it by."""
    if outcome is Outcome.ERROR:
        fix = _fix(merchant, ctx)
        if ctx.deadline_passed:
            return fix
        over = _final(findings)
        if over is not None:  # nearly never
            action = _final_action(over, merchant, transfer_eligible, open_until, ctx)
            return ctx.text("next.fix_data_and", fix=fix, action=action)
        for found in findings:
            rule = REGISTRY.get(found["rule"])
            certain = found["status"] is Status.FAIL and found["remedy"]
            if certain and rule is not None and rule.role in _TO_DO:
                return ctx.text("next.fix_data_and", fix=fix, action=_by_deadline(found, ctx))
        return fix
    if outcome is Outcome.FAILED:
        return _after_deadline(merchant, transfer_eligible, open_until, ctx)
    if outcome is Outcome.PENDING:
        over = _final(findings)
        if over is not None:  # nearly never
            return _final_action(over, merchant, transfer_eligible, open_until, ctx)
    for found in findings:
        if found["status"] is Status.FAIL and found["remedy"]:
            if outcome is not Outcome.PENDING:
                return found["remedy"]
            return _by_deadline(found, ctx)
    for found in findings:
        if found["status"] is Status.WARN and found["remedy"]:
            return found["remedy"]
    return None


def _after_deadline(
    merchant: Merchant, transfer_eligible: bool | None, open_until: date | None, ctx: Context
) -> str:
    """Where a merchant that has not renewed goes once the deadline has passed: a 淘宝企业店铺
    (by its last day to apply, when the fallback's finding gives it), the exit, or that it
    is already moving."""
    closes = open_until  # a rule's day, the same all run: each sentence is formatted once
    if merchant.taobao_transfer_in_progress:
        key = "next.transferring"
    elif transfer_eligible is None:
        key = "next.undecided"
    elif transfer_eligible:
        key = "next.transfer" if closes is None else "next.transfer_until"
        if ctx.close_unknown(closes):
            key = "next.transfer.ended"  # no source gives the entrance's last day
    elif closes is not None and to_beijing(ctx.as_of).date() > closes:
        key = "next.exit_closed"
    else:
        key = "next.exit"
    # the same few sentences for every failed merchant of the run; once the old
    # contracts have run out, said as done (合同已于…终止 / the contract ended)
    ended = ctx.as_of >= ctx.cycle.terminates_at
    closure = ctx.constant(
        "next.closure.ended" if ended else "next.closure", terminates=ctx.cycle.terminates_at
    )
    exit_from = ctx.cycle.exit_from
    return ctx.constant(key, closure=closure, exit_from=exit_from, closes=closes or "")


def _final(findings: list[Finding]) -> Finding | None:
    """The first failing step that nothing done by the deadline can make good, if any."""
    for found in findings:
        if found["status"] is Status.FAIL and found.get("final"):
            return found
    return None


def _final_action(
    found: Finding,
    merchant: Merchant,
    transfer_eligible: bool | None,
    open_until: date | None,
    ctx: Context,
) -> str:
    """A merchant still before the deadline that cannot renew whatever it does: the finding
    that says why, and what it will be told once the deadline has passed (`_after_deadline`,
    the fallback where the transfer test allows), with no time left to do it in."""
    then = _after_deadline(merchant, transfer_eligible, open_until, ctx)
    return ctx.text("next.final", said=found["message"], deadline=ctx.deadline_text, then=then)


_TO_DO = frozenset((Role.BLOCKER, Role.STEP))
"""The roles whose failure an error row is told to act on: what stands between it and the
renewal, not an advisory or the fallback."""


def _by_deadline(found: Finding, ctx: Context) -> str:
    """A failing finding's remedy with the deadline, before the deadline has passed."""
    action, deadline = found["remedy"], ctx.deadline_text
    if ctx.as_of < ctx.cycle.window_opens:
        # nothing can be done before the window opens (a fee paid early is last year's):
        # say when it opens
        opens = i18n.moment(ctx.cycle.window_opens)
        return ctx.text("next.when_open", opens=opens, action=action, deadline=deadline)
    return ctx.text("next.by", action=action, deadline=deadline)


def duplicate_result(
    merchant_id: str,
    row: int,
    sheet: str,
    shop_name: str | None,
    rows: list[int],
    ctx: Context,
    sheets: list[str] | None = None,
) -> MerchantResult:
    """Every row of a duplicated merchant id is an error naming its rows: all of them, or
    the first few and how many there are (the message is on each of the rows, so a full
    list would grow with the square of their number). `sheets`, the sheet of each row, when
    they are on more than one (商家 and its continuation 商家 (2)): each row is named with
    its sheet."""
    key = "LD03"
    labels = [str(number) for number in rows]
    if sheets is not None and len(set(sheets)) > 1:
        key = "LD03.sheets"
        labels = [ctx.text("LD03.place", sheet=s, row=r) for s, r in zip(sheets, rows, strict=True)]
    named = i18n.listed(i18n.first_named(labels), ctx.lang)
    if len(rows) > i18n.NAMED_AT_MOST:
        message = ctx.text(f"{key}.many", merchant_id=merchant_id, count=len(rows), rows=named)
    else:
        message = ctx.text(key, merchant_id=merchant_id, rows=named)
    where = source_ref(sheet, row, ctx.columns.get("merchant_id"))
    found = finding("LD03", Status.ERROR, message, actual=merchant_id, source=where)
    merchant = Merchant(sheet=sheet, row=row, merchant_id=merchant_id, shop_name=shop_name)
    return _error_result(merchant, [found], ctx)


_DONE = frozenset((Status.PASS, Status.WAIVED))
"""Step statuses that let a merchant through: renewed, or waived when one is waived."""
_NOT_DONE = frozenset((Status.FAIL, Status.SKIP))
"""Step statuses of a step certainly not done: failed on what could be read, or stopped by a
blocker (a step is skipped only when blocked, or for an exempt merchant)."""
_NO_TRANSFER_VERDICT = 2
_UNKNOWN = math.nan
"""An amount owed that cannot be told, in the tally's arrays: counted apart, never summed."""
_ATTENTION = frozenset((Outcome.ERROR, Outcome.FAILED, Outcome.PENDING))
_FLAGGED = frozenset((Status.WARN, Status.FAIL, Status.ERROR))
"""A merchant needs attention when its outcome is in _ATTENTION or a finding is _FLAGGED."""


@dataclass
class Tally:
    """One compact entry per merchant row, in input order: what the summary and the exit
    code need, without keeping any result. Workers fill one per block; the parent absorbs
    them in order, so a parallel run counts exactly like a sequential one."""

    outcomes: bytearray = field(default_factory=bytearray)
    transfer: bytearray = field(default_factory=bytearray)
    """0 not eligible, 1 eligible, 2 no verdict."""
    attention: bytearray = field(default_factory=bytearray)
    warned: bytearray = field(default_factory=bytearray)
    due_soon: bytearray = field(default_factory=bytearray)
    waived: dict[int, list[str]] = field(default_factory=dict)
    """row index -> the rules waived on that row (rows with a waived finding only)."""
    deposit_owed: array[float] = field(default_factory=lambda: array("d"))
    fee_owed: array[float] = field(default_factory=lambda: array("d"))
    rows: array[int] = field(default_factory=lambda: array("q"))
    sheets: list[tuple[int, str]] = field(default_factory=list)
    """(row index, sheet) where the rows' sheet changes: more than one on a merchant sheet
    continued on 商家 (2) …"""
    ids: list[str | None] = field(default_factory=list)
    duplicate_ids: int = 0
    """How many merchant ids were on more than one row (set by `fixes`)."""

    def record(self, result: MerchantResult) -> None:
        self.rows.append(result["row"])
        if not self.sheets or self.sheets[-1][1] != result["sheet"]:
            self.sheets.append((len(self.rows) - 1, result["sheet"]))
        self.ids.append(result["merchant_id"])
        self.outcomes.append(_OUTCOME_INDEX[result["outcome"]])
        eligible = result["transfer_eligible"]
        self.transfer.append(_NO_TRANSFER_VERDICT if eligible is None else int(eligible))
        deposit, fee = result["deposit_shortfall"], result["annual_fee_due"]
        self.deposit_owed.append(_UNKNOWN if deposit is None else deposit)
        self.fee_owed.append(_UNKNOWN if fee is None else fee)
        statuses = {found["status"] for found in result["findings"]}  # one pass for both flags
        self.attention.append(result["outcome"] in _ATTENTION or not statuses.isdisjoint(_FLAGGED))
        self.warned.append(Status.WARN in statuses)
        self.due_soon.append(result["due_soon"])
        if Status.WAIVED in statuses:
            self.waived[len(self.rows) - 1] = [
                found["rule"] for found in result["findings"] if found["status"] == Status.WAIVED
            ]

    def absorb(self, part: Tally) -> None:
        offset = len(self.rows)
        for index, sheet in part.sheets:
            if not self.sheets or self.sheets[-1][1] != sheet:
                self.sheets.append((offset + index, sheet))
        for index, rules in part.waived.items():
            self.waived[offset + index] = rules
        self.due_soon += part.due_soon
        self.outcomes += part.outcomes
        self.transfer += part.transfer
        self.attention += part.attention
        self.warned += part.warned
        self.deposit_owed += part.deposit_owed
        self.fee_owed += part.fee_owed
        self.rows += part.rows
        self.ids += part.ids

    def duplicates(self) -> dict[str, list[int]]:
        """merchant id -> indexes (0-based, in input order) of every row that carries it,
        for ids on more than one row."""
        first: dict[str, int] = {}
        groups: dict[str, list[int]] = {}
        for index, merchant_id in enumerate(self.ids):
            if merchant_id is None:
                continue
            seen = first.setdefault(merchant_id, index)
            if seen != index:
                groups.setdefault(merchant_id, [seen]).append(index)
        return groups

    def fixes(self, sheet: str, ctx: Context) -> dict[int, MerchantResult]:
        """index -> the error result that replaces each row of a duplicated id (shop name
        left for the renderer, which still has the row it wrote); the tally is corrected."""
        replaced: dict[int, MerchantResult] = {}
        groups = self.duplicates()
        self.duplicate_ids = len(groups)
        starts = [start for start, _ in self.sheets]
        for merchant_id, indexes in groups.items():
            rows = [self.rows[index] for index in indexes]
            sheets = [
                self.sheets[bisect_right(starts, index) - 1][1] if starts else sheet
                for index in indexes
            ]
            for index, on in zip(indexes, sheets, strict=True):
                fix = duplicate_result(merchant_id, self.rows[index], on, None, rows, ctx, sheets)
                replaced[index] = fix
                self.outcomes[index] = _OUTCOME_INDEX[Outcome.ERROR]
                self.transfer[index] = _NO_TRANSFER_VERDICT
                # as `record` stores them: the fix says what is known (no fee in a year without)
                deposit, fee = fix["deposit_shortfall"], fix["annual_fee_due"]
                self.deposit_owed[index] = _UNKNOWN if deposit is None else deposit
                self.fee_owed[index] = _UNKNOWN if fee is None else fee
                self.attention[index] = True
                self.warned[index] = False
                self.due_soon[index] = False
                self.waived.pop(index, None)
        return replaced

    def summary(self, ctx: Context | None = None) -> dict[str, object]:
        """The counts. Given the run's context, also what its options decided: the due-soon
        threshold and count, and (with --waivers) the waivers' accounting. Every outcome
        is counted, `waived` too (0 without --waivers), so a consumer can read any of them."""
        counted = [0] * len(_OUTCOMES)
        for code in self.outcomes:
            counted[code] += 1
        waivers = None if ctx is None else ctx.waivers
        totals: dict[str, object] = {
            "merchants": len(self.outcomes),
            "outcomes": {o.value: counted[_OUTCOME_INDEX[o]] for o in OUTCOME_ORDER},
            "transfer_eligible": self.transfer.count(1),
            "transfer_ineligible": self.transfer.count(0),
            **owed_totals(self.deposit_owed, self.fee_owed),  # as `renewal diff` sums them
            "duplicate_ids": self.duplicate_ids,
        }
        if ctx is not None:
            totals["due_soon"] = {
                "within_seconds": ctx.due_soon_seconds,
                "merchants": self.due_soon.count(1),
            }
        if waivers is not None and ctx is not None:
            applied = {(self.ids[i], rule) for i, rules in self.waived.items() for rule in rules}
            present = {i for i in self.ids if i is not None}
            totals["waivers"] = accounting(waivers, applied, ctx.as_of, present)
        return totals


def run(
    merchants: Iterable[Merchant], plan: Plan, ctx: Context, tally: Tally
) -> Iterator[MerchantResult]:
    """Evaluate merchants in input order, recording each in `tally`. Rows of a duplicated
    id are found once every row has been seen: `tally.fixes()` gives their replacements."""
    for merchant in merchants:
        result = evaluate(merchant, plan, ctx)
        tally.record(result)
        yield result
