"""Beijing time: the clock every rule and every naive export time is read in."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
"""Rule times and naive export times are Beijing time (no daylight saving since 1991)."""

BEIJING_OFFSET = timedelta(hours=8)


def to_beijing(moment: datetime) -> datetime:
    """Return an aware datetime in Beijing time; a naive one is taken to be Beijing time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=BEIJING)
    return moment.astimezone(BEIJING)


_DURATION = re.compile(
    r"(?:(?P<w>\d+)\s*w)?\s*(?:(?P<d>\d+)\s*d)?\s*(?:(?P<h>\d+)\s*h)?"
    r"\s*(?:(?P<m>\d+)\s*m)?\s*(?:(?P<s>\d+)\s*s)?"
)
_SECONDS_IN = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(text: str) -> timedelta:
    """A length of time as typed on the command line: `7d`, `72h`, `1d12h`, `90m`, `2w`.

    Units are w(eeks), d(ays), h(ours), m(inutes) and s(econds), case-insensitive, each at
    most once and largest first. A bare number is refused: days or hours? Raises ValueError.
    """
    match = _DURATION.fullmatch(text.strip().lower())
    if match is None or not any(match.groupdict().values()):
        raise ValueError(f"duration {text!r}: expected e.g. 7d, 72h or 1d12h")
    seconds = sum(int(n) * _SECONDS_IN[unit] for unit, n in match.groupdict().items() if n)
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"duration {text!r}: too long") from None


def seconds_left(deadline: datetime, as_of: datetime) -> int:
    """Whole seconds from `as_of` to `deadline`, as the time left is counted everywhere:
    truncated; negative once the deadline has passed, and at least one second past it when
    it has passed by less (the engine fails a merchant at any moment after the deadline, so
    that must not read as the deadline itself, 0)."""
    left = (deadline - as_of).total_seconds()
    return int(left) if left >= 0 else min(int(left), -1)
