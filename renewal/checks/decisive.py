"""Whether a day alone can be judged: the moments the year's checks compare a moment with.

A moment (合同签署时间, 续签报名时间 … in an export, or typed as an answer) given as a day
with no time of day (`2024-11-20`, `20241120`, a workbook date cell) is read as that day's
00:00. On most days every time of the day gives the same verdict, and the day alone is
kept. On a day that a moment a check compares it with falls inside (the window opens at
12:00, the deadline is 18:00, the scope cut-off is 10:00), the time that day decides: the
self-check interview asks it (renewal/interview.py), and a check run takes the cell for
unreadable, saying why (`judged`, which the engine calls). Both ask `undecided` here, so
the two cannot drift. The interview also asks about the day of an as-of in the past; a
check run does not (`Judging.of_export`), so that its report depends on the input, the
rules and the as-of alone, not on when it runs.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from renewal import i18n, reasons
from renewal.checks.assessment import AssessmentParams
from renewal.checks.deposit import DepositParams
from renewal.checks.scope import ScopeParams
from renewal.model import Merchant
from renewal.ruleset import Cycle, RuleParams, RuleSet
from renewal.timeutil import BEIJING

WINDOW_STEPS = {"signup_at": "DL01", "agreement_signed_at": "DL02", "annual_fee_paid_at": "AF01"}
"""Moments that count when inside the window, both ends included, and the step that reads
each (DL01, DL02, AF01)."""

BY_DEADLINE = ("deposit_topped_up_at", "deposit_insurance_renewed_at")
"""Moments that count when no later than the deadline, however early (DP01)."""

PRESENT = timedelta(minutes=1)
"""An as-of less than this before the clock is now: what was done that day was done by it."""


class Compared(NamedTuple):
    """A moment a check compares a field with."""

    at: datetime | date
    """The moment; or another field's day alone, which cannot be ordered within its day."""
    later_side: bool
    """Whether the moment itself counts with the times after it (the window's opening)
    rather than before it (the deadline, the cut-off)."""
    why: str
    """The catalogue key (`ask.why_*`) saying why, formatted with `at`."""


@dataclass(frozen=True, slots=True)
class Judging:
    """What a day alone is judged against: the year's enabled rules, its window, and the
    as-of when a time after it that day would not have happened yet (the as-of is past)."""

    rules: Mapping[str, RuleParams]
    cycle: Cycle
    as_of: datetime | None
    """None when the as-of is now or later: whatever was done that day was done by it."""

    @classmethod
    def of(cls, ruleset: RuleSet, as_of: datetime | None) -> Judging:
        """Against `as_of` when it is past (see `as_past`), else against the year alone."""
        rules = {code: params for code, params in ruleset.rules.items() if params.enabled}
        return cls(rules, ruleset.cycle, as_of)

    @classmethod
    def of_export(cls, ruleset: RuleSet) -> Judging:
        """For a check run: never against the as-of. Whether an as-of is past depends on
        when the run happens, and a report depends only on the input, the rules and the
        as-of (the same command gives the same bytes tonight and next month); a day alone
        on the as-of's day counts as done by it, as the export recorded it."""
        return cls.of(ruleset, None)


def as_past(as_of: datetime, now: datetime) -> bool:
    """Whether something done on the as-of's day may have been done after it."""
    return as_of < now - PRESENT


def compared(
    field: str, judging: Judging, merchant: Merchant, days: Mapping[str, date]
) -> Iterator[Compared]:
    """The moments the year's checks compare `field` with. `days` are the merchant's other
    moments given as a day alone: a sibling given so comes as its day, since on the same
    day the two cannot be ordered."""
    rules, cycle, as_of = judging.rules, judging.cycle, judging.as_of
    deposit = rules.get("DP01")
    cash = deposit if isinstance(deposit, DepositParams) else None
    insured = cash is not None and cash.insurance is not None
    step = WINDOW_STEPS.get(field)
    windowed = step is not None and step in rules
    if windowed:  # done inside the window, both ends included
        yield Compared(cycle.window_opens, True, "ask.why_opens")
    by_deadline = (field == "deposit_topped_up_at" and cash is not None) or (
        field == "deposit_insurance_renewed_at" and insured
    )
    if windowed or by_deadline:
        yield Compared(cycle.window_closes, False, "ask.why_closes")
        if as_of is not None:  # done after the as-of: not done yet then
            yield Compared(as_of, False, "ask.why_as_of")
    scope = rules.get("SC01")
    if field == "contract_signed_at" and isinstance(scope, ScopeParams):
        yield Compared(scope.signed_at_or_before, False, "ask.why_cutoff")
    assessment = rules.get("AS01")
    if field == "service_opened_at" and isinstance(assessment, AssessmentParams):
        yield Compared(assessment.opened_before, True, "ask.why_opened")
    if cash is None or not insured:
        return
    # the policy counts when renewed no later than the agreement's signing
    if field == "deposit_insurance_renewed_at":
        earlier = cash.insurance_earlier_year
        if earlier is not None:
            yield Compared(earlier.before, True, "ask.why_earlier")
        yield from _sibling("agreement_signed_at", False, "ask.why_signed", merchant, days)
    elif field == "agreement_signed_at":
        yield from _sibling("deposit_insurance_renewed_at", True, "ask.why_insured", merchant, days)


def _sibling(
    field: str, later_side: bool, why: str, merchant: Merchant, days: Mapping[str, date]
) -> Iterator[Compared]:
    """Another moment a check orders this one against, if given: its moment, or its day
    when it was given as a day alone."""
    at: datetime | None = getattr(merchant, field)
    if at is not None:
        yield Compared(days.get(field, at), later_side, why)


def undecided(
    field: str, day: date, judging: Judging, merchant: Merchant, days: Mapping[str, date]
) -> Compared | None:
    """Why the verdict on `field` done on `day` depends on the time that day: a moment a
    check compares it with falls inside the day, or is the day's first moment where that
    moment itself counts with the time before it (signed at or before the cut-off). None
    when any time that day gives the same verdict."""
    start = datetime.combine(day, time(), BEIJING)
    end = start + timedelta(days=1)
    for found in compared(field, judging, merchant, days):
        at = found.at
        if not isinstance(at, datetime):  # another field's day alone: no order within it
            if at == day:
                return found
        elif start < at < end or (at == start and not found.later_side):
            return found
    return None


def decisive_days(field: str, ruleset: RuleSet) -> list[date]:
    """The days on which a day alone in `field` cannot be judged in any row, for any as-of:
    those of the year's fixed moments the time that day decides (the window's opening, the
    deadline, the cut-off …). What the fill-in template tells the person filling it in."""
    judging = Judging.of_export(ruleset)
    days: list[date] = []
    for found in compared(field, judging, Merchant(sheet="", row=0), {}):
        at = found.at
        if not isinstance(at, datetime):
            continue
        local = at.astimezone(BEIJING)
        midnight = local.time() == time()
        if not (midnight and found.later_side) and local.date() not in days:
            days.append(local.date())  # 00:00 counted with what is before: that day decides
    return sorted(days)


def why(found: Compared, lang: str) -> str:
    """What the time that day decides, in `lang` (e.g. 续签 2024-11-20 12:00 开始)."""
    at = found.at
    shown = i18n.moment(at) if isinstance(at, datetime) else i18n.day(at)
    return i18n.catalog(lang)[found.why].format(at=shown)


def judged(merchant: Merchant, judging: Judging, lang: str) -> Merchant:
    """The merchant with each moment cell that gave a day alone on a day where its time
    decides taken for unreadable (its value dropped, the reason saying what the time
    decides), as a cell that cannot be read is: the rules that read it report `error`
    naming it. Every such cell is judged against the row as read, so two siblings given
    as the same day (the policy's renewal, the agreement's signing) are both taken. The
    others keep their 00:00, which any time of their day would give the same verdict as.
    The merchant given is left as it is."""
    days = {field: getattr(merchant, field).date() for field, _ in merchant.day_only}
    taken = [
        (field, raw, found)
        for field, raw in merchant.day_only
        if (found := undecided(field, days[field], judging, merchant, days)) is not None
    ]
    if not taken:
        return merchant
    settled = copy.copy(merchant)
    settled.unreadable = dict(merchant.unreadable)
    texts = i18n.catalog(lang)
    for field, raw, found in taken:
        setattr(settled, field, None)
        reason = texts["cell.day_alone"].format(why=why(found, lang))
        settled.unreadable[field] = (raw, reasons.Worded(reason))
    return settled
