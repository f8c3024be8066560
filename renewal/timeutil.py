"""Beijing time: the clock every rule and every naive export time is read in."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta, timezone

BEIJING_OFFSET = timedelta(hours=8)

BEIJING_NAME = "Asia/Shanghai"
"""What a rule file's `timezone` says: the clock its times are read in."""

BEIJING = timezone(BEIJING_OFFSET, BEIJING_NAME)
"""Rule times and naive export times are Beijing time, UTC+8: a fixed offset, not the tz
database's Asia/Shanghai, whose history (summer time 1986-1991, +08:05:43 before 1901)
would put +09:00 on a 1990 summer moment and +08:06 on a placeholder 0001-01-01."""


def to_beijing(moment: datetime) -> datetime:
    """Return an aware datetime in Beijing time; a naive one is taken to be Beijing time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=BEIJING)
    return moment.astimezone(BEIJING)


NO_EXPIRY = date.max
"""The expiry of what stays valid indefinitely (a document 长期有效): Excel's last day, as
many systems write it. It never lapses."""

NEVER = datetime.max.replace(tzinfo=BEIJING)
"""The lapse of what never lapses: later than every moment."""


_MIDNIGHT = time(0)
_ONE_DAY = timedelta(days=1)
_LAPSES: dict[date, datetime] = {}
_LAPSES_MAX = 100_000


def lapse_of(expires: date | datetime) -> datetime:
    """The first moment something valid until `expires` no longer is: the moment written
    (Beijing time), or 00:00 of the day after a day, which is valid through its end.

    Expiry days repeat over a large 资质 sheet and building an aware moment costs a
    microsecond or two, so a day's lapse is remembered (up to a bound)."""
    if isinstance(expires, datetime):
        return expires
    found = _LAPSES.get(expires)
    if found is None:
        if expires >= NO_EXPIRY:
            return NEVER
        found = datetime.combine(expires + _ONE_DAY, _MIDNIGHT, BEIJING)
        if len(_LAPSES) < _LAPSES_MAX:
            _LAPSES[expires] = found
    return found


def valid_through(lapse: datetime) -> date | datetime:
    """How a lapse is said: a lapse at 00:00 as the day whose end it is (2022-12-31 24时,
    written 2022-12-31, 2022-12-31 24:00 or 2023-01-01 00:00, is valid through 2022-12-31),
    any other as the moment itself."""
    local = to_beijing(lapse)
    if local == NEVER:
        return NO_EXPIRY
    if local.time() == _MIDNIGHT:
        return (local - _ONE_DAY).date()
    return local


_UNITS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("w", 604800, ("个星期", "星期", "周", "w")),
    ("d", 86400, ("天", "日", "d")),
    ("h", 3600, ("个小时", "小时", "时", "h")),
    ("m", 60, ("分钟", "分", "m")),
    ("s", 1, ("秒钟", "秒", "s")),
)
"""Each unit of a duration, its seconds and how it is written: the Latin letter or, as
Chinese users type it, 天 / 日, 小时, 分钟, 秒, 周 / 星期 (longest spelling first)."""

_DURATION = re.compile(
    r"\s*".join(
        rf"(?:(?P<{unit}>\d+)\s*(?:{'|'.join(map(re.escape, names))}))?"
        for unit, _, names in _UNITS
    )
)
_SECONDS_IN = {unit: seconds for unit, seconds, _ in _UNITS}


def parse_duration(text: str) -> timedelta:
    """A length of time as typed on the command line: `7d`, `72h`, `1d12h`, `90m`, `2w`,
    or in Chinese `7天`, `3日`, `72小时`, `1天12小时`, `90分钟`, `2周`.

    Units are w(eeks), d(ays), h(ours), m(inutes) and s(econds), case-insensitive, each at
    most once and largest first; full-width digits and letters read as ASCII. A bare number
    is refused: days or hours? Zero with a unit (`0d`, `0s`) is zero: for `remind --within`
    only a deadline exactly at the as-of, for `--due-soon` no merchant. Raises ValueError.
    """
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    match = _DURATION.fullmatch(folded)
    if match is None or not any(match.groupdict().values()):
        raise ValueError(f"duration {text!r}: expected e.g. 7d, 72h, 1d12h, 7天 or 72小时")
    seconds = sum(int(n) * _SECONDS_IN[unit] for unit, n in match.groupdict().items() if n)
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"duration {text!r}: too long") from None


def seconds_left(deadline: datetime, as_of: datetime) -> int:
    """Whole seconds from `as_of` to `deadline`, as the time left is counted everywhere:
    truncated; negative once the deadline has passed, and at least one second past it when
    it has passed by less (the engine fails a merchant at any moment after the deadline, so
    that must not read as the deadline itself, 0). Only the deadline itself is 0: part of
    a second before it is one second left, as part of one after it is one second past."""
    left = (deadline - as_of).total_seconds()
    if left > 0:
        return max(int(left), 1)
    return 0 if left == 0 else min(int(left), -1)
