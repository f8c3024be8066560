"""What a check may know besides the merchant and its parameters: the moment of evaluation,
the year's window, the language, and which columns the export had. No clock, no I/O.

The engine also finds here what the user decided for the run: the approved exceptions
(`--waivers`, read before the run) and how near the deadline is "due soon" (`--due-soon`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from renewal import i18n
from renewal.ruleset import Cycle
from renewal.timeutil import to_beijing

if TYPE_CHECKING:
    from renewal.waivers import Waivers

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
    _constants: dict[str, str] = field(default_factory=dict)

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
    ) -> Context:
        as_of = to_beijing(as_of)  # dates (the 365 days, "expired today") are Beijing dates
        return cls(
            as_of=as_of,
            cycle=cycle,
            lang=lang,
            columns=columns,
            has_violations_sheet=has_violations_sheet,
            has_qualifications_sheet=has_qualifications_sheet,
            catalog=i18n.catalog(lang),
            deadline_text=i18n.moment(cycle.window_closes),
            waivers=waivers,
            due_soon_seconds=due_soon_seconds,
            seconds_left=int((cycle.window_closes - as_of).total_seconds()),
        )

    def text(self, key: str, **values: object) -> str:
        """The message `key` in this run's language."""
        return self.catalog[key].format(**values)

    def constant(self, key: str, variant: str = "", **values: object) -> str:
        """A message that is the same for every merchant of the run, formatted once.

        Its values must be run constants (the deadline, a rule's label); `variant` tells
        apart the uses of one key with different constants, e.g. the rule code.
        """
        cache = f"{key}|{variant}"
        found = self._constants.get(cache)
        if found is None:
            found = self._constants[cache] = self.catalog[key].format(**values)
        return found

    @property
    def due_soon(self) -> bool:
        """Whether a merchant pending at the as-of is due soon (--due-soon)."""
        return self.seconds_left < self.due_soon_seconds

    @property
    def deadline_passed(self) -> bool:
        return self.as_of > self.cycle.window_closes
