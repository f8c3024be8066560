"""Beijing time: the clock every rule and every naive export time is read in."""

from __future__ import annotations

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
