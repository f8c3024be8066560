"""Shared reading helpers for checks: where a value came from, and whether it can be used."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from renewal.checks.context import Context
from renewal.intake.columns import HEADER_OF
from renewal.model import Finding, Merchant, SourceRef, Status, finding, source_ref


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
            message = ctx.text("cell.unreadable", column=ctx.columns[name], raw=bad[0])
            return finding(
                code, Status.ERROR, message, actual=bad[0], source=source(merchant, name, ctx)
            )
    return None
