"""What a check may know besides the merchant and its parameters: the moment of evaluation,
the year's window, the language, and which columns the export had. No clock, no I/O.

The engine also finds here what the user decided for the run: the approved exceptions
(`--waivers`, read before the run) and how near the deadline is "due soon" (`--due-soon`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from renewal import i18n, reasons
from renewal.ruleset import Cycle
from renewal.timeutil import seconds_left, to_beijing

if TYPE_CHECKING:
    from renewal.checks.decisive import Judging
    from renewal.waivers import Waivers

REPEATED_MAX = 4096
"""How many variants of repeating messages a run keeps (see `Context.repeated`)."""

DUE_SOON_SECONDS = 72 * 3600
"""--due-soon's default: a pending merchant with less than this left is due soon."""


@dataclass(frozen=True, slots=True)
class Context:
    as_of: datetime
    cycle: Cycle
    lang: str
    columns: Mapping[str, str]
    """Merchant field -> the export's own header, for every column the export has."""
    has_violations_sheet: bool = False
    has_qualifications_sheet: bool = False
    catalog: dict[str, str] = field(default_factory=dict)
    deadline_text: str = ""
    waivers: Waivers | None = None
    """The run's approved exceptions; None without --waivers."""
    due_soon_seconds: int = DUE_SOON_SECONDS
    seconds_left: int = 0
    """From the as-of to the deadline: the time left of every pending merchant."""
    judging: Judging | None = None
    """How a moment cell that gave a day alone is judged (renewal/checks/decisive.py);
    None when the run's days alone were settled before it (the self-check interview asks
    the time where it decides)."""
    fee_year: bool = True
    """Whether the year has an annual fee step (`checks.has_fee`): in one without (2025年度
    on), no merchant owes a fee, even one whose row cannot be read."""
    answers: bool = False
    """The export is the self-check interview's answers (renewal/interview.py): an error is
    fixed by answering again, not by editing a row of a file, and `catalog` says a message
    in the answers' words where it has them (`i18n.ANSWERS_FORM`: no column, no rule code)."""
    sheet: str = ""
    """The merchant sheet's name, the first when others continue it (商家 (2) …): a row on
    another sheet is named with its sheet, as its number alone names a row of each."""
    reviewed_categories: tuple[str, ...] = ()
    """The categories the year's qualification review covers (`checks.reviewed_categories`:
    QR01's, 2019年度; none in a year without it). A document of a store in one is held to
    the deadline, so QL01 does not tell that store that renewal does not review it."""
    _constants: dict[str, str] = field(default_factory=dict)
    _repeated: dict[str, str] = field(default_factory=dict)

    @classmethod
    def create(
        cls,
        as_of: datetime,
        cycle: Cycle,
        lang: str,
        columns: Mapping[str, str],
        has_violations_sheet: bool = False,
        has_qualifications_sheet: bool = False,
        waivers: Waivers | None = None,
        due_soon_seconds: int = DUE_SOON_SECONDS,
        judging: Judging | None = None,
        fee_year: bool = True,
        answers: bool = False,
        reviewed_categories: tuple[str, ...] = (),
        sheet: str = "",
    ) -> Context:
        as_of = to_beijing(as_of)  # dates (the 365 days, "expired today") are Beijing dates
        return cls(
            as_of=as_of,
            cycle=cycle,
            lang=lang,
            columns=columns,
            has_violations_sheet=has_violations_sheet,
            has_qualifications_sheet=has_qualifications_sheet,
            catalog=i18n.catalog(lang, answers),  # the answers' own words where they differ
            deadline_text=i18n.moment(cycle.window_closes),
            waivers=waivers,
            due_soon_seconds=due_soon_seconds,
            seconds_left=seconds_left(cycle.window_closes, as_of),
            judging=judging,
            fee_year=fee_year,
            answers=answers,
            reviewed_categories=reviewed_categories,
            sheet=sheet,
        )

    def text(self, key: str, **values: object) -> str:
        """The message `key` in this run's language."""
        return self.catalog[key].format(**values)

    def reason(self, text: str) -> str:
        """Why a cell is unreadable (a value parser's English reason), in this run's language."""
        return reasons.said(text, self.lang)

    def constant(self, key: str, variant: str = "", **values: object) -> str:
        """A message that is the same for every merchant of the run, formatted once.

        Its values must be run constants (the deadline, a rule's label); `variant` tells
        apart the uses of one key with different constants, e.g. the rule code. A moment or
        a day may be passed as it is: it is written out (`i18n.moment`, `i18n.day`) only the
        first time, not on every merchant.
        """
        cache = f"{key}|{variant}" if variant else key
        found = self._constants.get(cache)
        if found is None:
            shown = {name: _shown(value) for name, value in values.items()}
            found = self._constants[cache] = self.catalog[key].format(**shown)
        return found

    def repeated(self, key: str, variant: str, values: Callable[[], Mapping[str, object]]) -> str:
        """A message that depends on a few merchant values which recur from row to row
        (point totals, say): `variant` names those values, and `values()` gives the
        message's values the first time that variant is seen. Up to REPEATED_MAX variants
        are kept; past that a message is formatted for each merchant, as with `text`."""
        cache = f"{key}|{variant}"
        found = self._repeated.get(cache)
        if found is None:
            found = self.catalog[key].format(**values())
            if len(self._repeated) < REPEATED_MAX:
                self._repeated[cache] = found
        return found

    @property
    def due_soon(self) -> bool:
        """Whether a merchant pending at the as-of is due soon (--due-soon): less than that
        left, told from the span itself, not `seconds_left`, which reads part of a second
        as a whole one (half a second left is less than --due-soon 1s)."""
        return (self.cycle.window_closes - self.as_of).total_seconds() < self.due_soon_seconds

    @property
    def deadline_passed(self) -> bool:
        return self.as_of > self.cycle.window_closes

    def close_unknown(self, closes: date | None) -> bool:
        """Whether the contracts have ended and no source gives the day the transfer
        entrance `closes`: an eligible merchant is told to check that it is still open,
        not told for ever that it may apply (the years with a source close it when the
        contracts end). Here, not in the transfer rule, so that the fallback's finding and
        the engine's next action, which reads no rule's module, ask the one question."""
        return closes is None and self.as_of >= self.cycle.terminates_at


def _shown(value: object) -> object:
    """A message value as the catalogue shows it: moments and days written out."""
    if isinstance(value, datetime):
        return i18n.moment(value)
    if isinstance(value, date):
        return i18n.day(value)
    return value
