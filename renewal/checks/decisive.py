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

The as-of settles some of those days itself. A step done after it is not done yet at it,
so a step's day wholly after the as-of (the deadline's day, checked a week before) gives
"not done yet" at any time of it; and where what was done on the as-of's own day was done
by it (a check run, or an as-of that is now), only the times up to the as-of are possible,
so a deadline later that day cannot be crossed. The contract's signing and the service's
opening are history whatever the as-of: their days are judged against the year alone.
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

NOT_YET = frozenset((*WINDOW_STEPS, *BY_DEADLINE))
"""Moments every check that reads them counts as not done yet when after the as-of (the
steps, the deposit's top-up and its policy; a signing after the as-of does not order the
policy either), so the as-of alone can settle their day."""

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
    """What a day alone is judged against: the year's enabled rules, its window, the as-of
    when a time after it that day would not have happened yet (the as-of is past), and the
    as-of the checks judge at, which settles the days it makes any time give one verdict."""

    rules: Mapping[str, RuleParams]
    cycle: Cycle
    as_of: datetime | None
    """None when the as-of is now or later: whatever was done that day was done by it."""
    horizon: datetime | None = None
    """The as-of the checks judge at (`NOT_YET`); None where no as-of is known: the days
    the year alone decides (`decisive_days`, for any as-of)."""

    @classmethod
    def of(
        cls, ruleset: RuleSet, as_of: datetime | None, horizon: datetime | None = None
    ) -> Judging:
        """Against `as_of` when it is past (see `as_past`), else against the year alone;
        and against `horizon`, the as-of the checks will judge at."""
        rules = {code: params for code, params in ruleset.rules.items() if params.enabled}
        return cls(rules, ruleset.cycle, as_of, horizon)

    @classmethod
    def of_export(cls, ruleset: RuleSet, as_of: datetime | None = None) -> Judging:
        """For a check run at `as_of`: never against the as-of as past. Whether an as-of is
        past depends on when the run happens, and a report depends only on the input, the
        rules and the as-of (the same command gives the same bytes tonight and next month);
        a day alone on the as-of's day counts as done by it, as the export recorded it."""
        return cls.of(ruleset, None, as_of)


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
    when any time that day gives the same verdict: also when the as-of settles it (see the
    module's docstring), a step's day wholly after it, or on its own day the times up to it."""
    start = datetime.combine(day, time(), BEIJING)
    end = start + timedelta(days=1)
    last_included = False  # the day's times are [start, end)
    horizon = judging.horizon
    if horizon is not None and field in NOT_YET:
        if horizon < start:  # not done yet at the as-of, whatever the time
            return None
        if judging.as_of is None and horizon < end:  # done by the as-of: [start, horizon]
            end, last_included = horizon, True
    for found in compared(field, judging, merchant, days):
        at = found.at
        if not isinstance(at, datetime):  # another field's day alone: no order within it
            if at == day:
                return found
        elif found.later_side:  # the times before `at` against those from it on
            if start < at and (at <= end if last_included else at < end):
                return found
        elif start <= at < end:  # the times up to `at` against those after it
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
