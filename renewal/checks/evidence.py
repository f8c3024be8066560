"""Shared reading helpers for checks: where a value came from, whether it can be used, and
how a moment read is quoted (a day alone as that day)."""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum

from renewal import i18n
from renewal.checks.context import Context
from renewal.intake.columns import HEADER_OF
from renewal.model import Finding, Merchant, SourceRef, Status, finding, source_ref
from renewal.reasons import Worded
from renewal.timeutil import to_beijing


class StepState(StrEnum):
    """Where a step's time falls against the window, as seen at the as-of."""

    DONE = "done"
    MISSING = "missing"  # blank, or after the as-of: not done yet at that moment
    LATE = "late"
    EARLY = "early"


def step_state(at: datetime | None, ctx: Context) -> StepState:
    """Both window ends are inclusive; a time after the as-of has not happened yet."""
    if at is None or at > ctx.as_of:
        return StepState.MISSING
    if at < ctx.cycle.window_opens:
        return StepState.EARLY
    if at > ctx.cycle.window_closes:
        return StepState.LATE
    return StepState.DONE


def source(merchant: Merchant, field: str, ctx: Context) -> SourceRef:
    """The cell a field was read from, named by the export's own header."""
    return source_ref(merchant.sheet, merchant.row, ctx.columns.get(field, HEADER_OF.get(field)))


def gloss(field: str) -> str:
    """A merchant field in English words, said beside the Chinese header of a column that
    the export lacks (服务开通时间 (service opened at)): the English key, whose words are
    what the header means; the key itself is a header intake accepts too."""
    return field.replace("_", " ")


def absent(merchant: Merchant, code: str, fields: tuple[str, ...], ctx: Context) -> Finding | None:
    """An `error` finding when one of the columns `fields` is not in the export, else None:
    the export's shape, said on every row whatever the row holds."""
    for name in fields:
        if name not in ctx.columns:
            column = HEADER_OF.get(name, name)
            message = ctx.text("column.missing", column=column, gloss=gloss(name))
            return finding(
                code, Status.ERROR, message, source=source_ref(merchant.sheet, merchant.row, column)
            )
    return None


def unusable(
    merchant: Merchant,
    code: str,
    fields: tuple[str, ...],
    ctx: Context,
    optional: tuple[str, ...] = (),
) -> Finding | None:
    """An `error` finding when a needed column is absent or a cell it reads is unreadable,
    else None. An `optional` column may be absent, but an unreadable cell in it is still
    an error: a rule never guesses around input it cannot read. Ask about a cell where the
    verdict turns on it, not before: one the verdict does not need (a 商标状态 where the
    deposit is one amount for any trademark) gives only the row's LD04 warning.
    """
    problem = absent(merchant, code, fields, ctx)
    if problem is not None:
        return problem
    if not merchant.unreadable:  # nearly every row
        return None
    for name in (*fields, *optional):
        bad = merchant.unreadable.get(name)
        if bad is not None:
            message = unreadable_said("cell.unreadable", ctx.columns[name], bad, ctx)
            return finding(
                code, Status.ERROR, message, actual=bad[0], source=source(merchant, name, ctx)
            )
    return None


def unreadable_said(key: str, column: str, bad: tuple[str, str], ctx: Context) -> str:
    """The message `key` for a cell that cannot be used, given (raw text, why); or, for a
    day alone on a day where its time decides (`decisive.judged`), that it gave a day and
    what the time decides: the day was read, and "cannot be read" would say otherwise."""
    raw, why = bad
    if type(why) is Worded:
        return ctx.text("cell.undecided_day", column=column, raw=raw, reason=why)
    return ctx.text(key, column=column, raw=raw, reason=ctx.reason(why))


def owed_between(found: Finding, least: float, most: float = math.inf) -> Finding:
    """`found`, a money step's failure, owing what the export bounds but may not tell: the
    amount where `least` and `most` meet; else `least`, said to be the least
    (`owed_at_least`), where that much is certain (a payment after the as-of, or one whose
    time cannot be read, beside an amount still short; a fee whose tier the table cannot
    tell, at least its bottom tier); else an amount not known (None), never ¥0 (a payment
    after the as-of that covers the amount: what was paid before it is not in the export).
    One way for DP01 and AF01, so every output reads a bound alike."""
    least, most = round(max(0.0, least), 2), round(max(0.0, most), 2)
    if least >= most:
        found["owed"] = most
    elif least > 0:
        found["owed"] = least
        found["owed_at_least"] = True
    else:
        found["owed"] = None
    return found


def said_at(merchant: Merchant, field: str, at: datetime) -> str:
    """The moment read from `field` as a message quotes it (`i18n.moment`); the day alone
    where its cell gave no time of day (`Merchant.day_only`): it was read as that day's
    00:00 only so that it can be compared, and 2022-12-27 00:00 would quote a time the
    export never gave. Only a failing finding quotes a moment, so a passing row pays
    nothing, and a row without a day alone one test of an empty tuple."""
    if merchant.day_only and any(name == field for name, _ in merchant.day_only):
        return i18n.day(to_beijing(at).date())
    return i18n.moment(at)


def days_as_given(findings: list[Finding], merchant: Merchant) -> None:
    """Each finding's expected or actual that is a moment read from a cell that gave a day
    alone, made that day (in place), so every report shows the evidence as the export gave
    it (2022-12-27, not 2022-12-27 00:00), as `said_at` quotes it. A value is told by
    being the very moment the merchant holds, never by being equal to it: a rule's own
    moment at 00:00 stays a moment. The engine calls this only for a row with a day alone."""
    days = [
        (moment, to_beijing(moment).date())
        for moment in (getattr(merchant, name) for name, _ in merchant.day_only)
        if moment is not None  # taken for unreadable where its time decides (`judged`)
    ]
    for found in findings:
        for moment, day in days:
            if found["expected"] is moment:
                found["expected"] = day
            if found["actual"] is moment:
                found["actual"] = day
