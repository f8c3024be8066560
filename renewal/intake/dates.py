"""One spreadsheet cell to a moment or a calendar day, in Beijing time.

Excel serials (the 1900 system, with its fake 1900-02-29; as text in a CSV too, five digits
from 1927 to 2173; a 1904 workbook's moved to it by `from_1904`), YYYYMMDD numbers, ISO 8601 with
or without an offset, Chinese dates (2021年11月25日 14时30分), 上午/下午 and AM/PM times,
"24时" as the first moment of the next day, and English month names where dateutil need not
guess. Naive moments are
Beijing time. Like every cell parser, these give None for a blank cell and raise
`Unreadable` with a short English reason for anything else they cannot read. A dash alone
(`-`, `--`, `—`, full-width `－`) is a blank cell here as in an amount (`values.DASHES`):
how exports leave a cell empty, so a step time of `-` is a step not done.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time, timedelta, timezone

from dateutil import parser as _dateutil

from renewal.intake.values import (
    DASHES,
    MAX_VALUE_CHARS,
    Unreadable,
    Unsaved,
    clean_text,
    finite,
    normalize_text,
    wrong_type,
)
from renewal.timeutil import BEIJING, NO_EXPIRY, to_beijing

EXCEL_SERIAL_MAX = 2958465
"""Excel's last day, 9999-12-31, in the 1900 date system."""

_EXCEL_EPOCH = datetime(1899, 12, 30)
"""Day 0 for serials from 61 on; below 60 it is a day later (Excel's fake 1900-02-29)."""

DAYS_1904 = 1462
"""The 1904 date system's day 0 (1904-01-01) in the 1900 system: a serial of a workbook
that counts from 1904 (Mac Excel's date system, `date1904`) is this many days later."""

_YYYYMMDD_FIRST, _YYYYMMDD_LAST = 10_000_101, 99_991_231
"""The whole numbers read as a YYYYMMDD date: far above any serial (2958465)."""

_DATE_TIME = re.compile(
    r"""
    (?P<y>\d{4})
    (?:
        (?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})
      | \s*年\s*(?P<cm>\d{1,2})\s*月\s*(?P<cd>\d{1,2})\s*[日号]?
      | (?P<bm>\d{2})(?P<bd>\d{2})
    )
    (?:
        (?:\s*T\s*|\s+|(?<=[日号]))
        (?:(?P<ap>上午|下午|AM|PM|凌晨|早上|早晨|中午|傍晚|晚上)\s*)?
        (?:
            (?P<H>\d{1,2})(?P<hs>[:.])(?P<M>\d{2})(?:(?P=hs)(?P<S>\d{2})(?:[.,](?P<f>\d{1,6}))?)?
          | (?P<cH>\d{1,2})\s*[时点]\s*
            (?:(?P<cM>\d{1,2})\s*分\s*(?:(?P<cS>\d{1,2})\s*秒)?|(?P<half>半))?
        )
        (?:\s*(?P<pa>AM|PM))?
        \s*(?P<tz>Z|UTC|GMT|(?:UTC|GMT)?(?P<tzs>[-+])(?P<tzh>\d{1,2})(?::?(?P<tzm>\d{2}))?)?
    )?
    """,
    re.VERBOSE | re.ASCII | re.IGNORECASE,
)
_DAY_MONTH_YEAR = re.compile(r"\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4}", re.ASCII)
_NO_YEAR = re.compile(
    r"\d{1,2}\s*(?:月\s*\d{1,2}\s*[日号]?|[-/.]\s*\d{1,2})(?:\s*(?:[上下]午|中午|晚上|凌晨|早上)?\s*"
    r"\d{1,2}(?:\s*[:：时点]\s*\d{0,2}(?:\s*[:：分]\s*\d{0,2})?)?\s*分?)?"
)
"""A month and a day with no year (11月25日, 11-25 14:30): said so, not 'not a date'."""

_TIME_ONLY = re.compile(
    r"\d{1,2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?|\s*[时点](?:\s*\d{1,2}\s*分)?)", re.ASCII
)
_MILLI_DIGITS = 8
"""Decimals a serial needs to tell a millisecond (a day is 86,400,000 of them)."""

_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?", re.ASCII)
"""An Excel serial written as text: five digits are the days from 1927 to 2173."""
_FOUR_DIGIT_RUN = re.compile(r"(?<!\d)\d{4}(?!\d)", re.ASCII)
_LONG_DIGIT_RUN = re.compile(r"\d{5}", re.ASCII)
_MONTH_NAME = re.compile(r"(?<![a-z])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)


def parse_datetime(v: object) -> datetime | None:
    """An aware Beijing-time moment; naive input is taken to be Beijing time already."""
    if type(v) is datetime:
        # combine, not replace(tzinfo=...): a fifth of the cost, which shows over a million rows
        return datetime.combine(v, v.time(), BEIJING) if v.tzinfo is None else _to_beijing(v)
    if type(v) is str:
        return _datetime_from_text(v)
    if v is None:
        return None
    if isinstance(v, datetime):
        return _to_beijing(v)
    if isinstance(v, date):
        return datetime(v.year, v.month, v.day, tzinfo=BEIJING)
    if isinstance(v, bool):
        raise wrong_type(v, "a date")
    if isinstance(v, int | float):
        return _datetime_from_number(v)
    if isinstance(v, str):  # a subclass: a formula with no saved result is refused here
        return _datetime_from_text(clean_text(v))
    if isinstance(v, time | timedelta):
        raise Unreadable("a time of day or duration with no date")
    raise wrong_type(v, "a date")


def parse_date(v: object) -> date | None:
    """A calendar day; any time of day is dropped after reading the moment in Beijing time."""
    if type(v) is datetime:
        return v.date() if v.tzinfo is None else _to_beijing(v).date()
    if type(v) is date:
        return v
    moment = parse_datetime(v)
    return None if moment is None else moment.date()


_TIME_MARK = re.compile(r"[:时点]|\b[ap]\.?m\b", re.IGNORECASE)
"""Text that writes a time of day, even 00:00: `2021-12-20 00:00`, `2021年12月20日24时`."""

_NO_EXPIRY_WORDS = frozenset(
    ("长期", "长期有效", "永久", "永久有效", "无期限", "无固定期限", "不限期", "permanent")
)


def parse_expiry(v: object) -> date | datetime | None:
    """When something valid "until" a cell stops being valid, Beijing time: a day (a date
    alone: valid through that whole day) or a moment (a time of day given: it lapses then).

    A workbook date cell without a time, an Excel serial without a fraction, a TOML date and
    text without a time of day are days; anything with a time of day is a moment, even
    00:00, and "24时" is 00:00 of the next day: `2021-12-31 24:00` lapses when `2021-12-31`
    does."""
    if v is None:
        return None
    if isinstance(v, datetime):
        return parse_datetime(v)
    if isinstance(v, date):
        return v
    if isinstance(v, time):
        raise Unreadable("a time of day with no date")
    moment = parse_datetime(v)
    if moment is None:
        return None
    if moment.time() != time(0):
        return moment
    if isinstance(v, int | float) and not isinstance(v, bool):
        return moment.date()  # an integral serial or YYYYMMDD: a day
    if isinstance(v, str) and _TIME_MARK.search(normalize_text(v)):
        return moment  # "2021-12-20 00:00", "24时": the moment written
    return moment.date()


_SERIAL_DAY = re.compile(r"\d{5}(?:\.0*)?", re.ASCII)
"""A whole Excel serial written as text: a day with no time of day."""

_NOON = timedelta(hours=12)


def names_day_alone(v: object) -> bool:
    """Whether a cell that `parse_datetime` reads as a day's 00:00 named that day and no
    time of day: a workbook date cell, a whole Excel serial or YYYYMMDD number, text
    without a time (`2024-11-20`, `2024年11月20日`, `20241120`, `Nov 20, 2024`). Such text
    still reads with a time of day written after it; text that writes one, 00:00 included
    (`2024-11-20 00:00`, `2024-11-19 24时`), is a moment.

    python-calamine gives a `date` for every workbook cell whose time is 00:00, a
    date-and-time cell at exactly 00:00 too: the two cannot be told apart, and such a cell
    is taken for a day alone."""
    if isinstance(v, datetime):
        return False
    if isinstance(v, date):
        return True
    if isinstance(v, bool):
        return False
    if isinstance(v, int | float):
        return math.isfinite(v) and float(v).is_integer()
    if not isinstance(v, str) or type(v) is Unsaved:
        return False
    text = normalize_text(v)
    if _SERIAL_DAY.fullmatch(text):
        return True
    try:
        read = parse_datetime(text)
        with_time = parse_datetime(f"{text} 12:00")
    except Unreadable:
        return False
    return read is not None and with_time == read + _NOON


def parse_document_expiry(v: object) -> date | datetime | None:
    """A qualification's 到期日期: `parse_expiry`, and 长期 / 永久 (valid indefinitely) as
    NO_EXPIRY."""
    if isinstance(v, str) and normalize_text(v).lower() in _NO_EXPIRY_WORDS:
        return NO_EXPIRY
    return parse_expiry(v)


def from_1904(v: object) -> object:
    """A cell of a workbook in the 1904 date system as the 1900 system holds it: a serial
    held as a plain number (a General cell, as "paste values" leaves a date in a workbook
    from Mac Excel) moved DAYS_1904 later, so that every reader here reads it as the day
    Excel shows. A date-formatted cell is already a date (python-calamine converts it in
    the workbook's system); text, a YYYYMMDD number and a time of day (below 1) are not
    serials of the workbook's and stay as they are."""
    if (type(v) is float or type(v) is int) and 1 <= v < _YYYYMMDD_FIRST:
        return v + DAYS_1904
    return v


def _to_beijing(moment: datetime) -> datetime:
    try:
        return to_beijing(moment)
    except (OverflowError, ValueError):
        raise Unreadable("date out of range") from None


def _datetime_from_number(v: int | float, whole_seconds: bool = False) -> datetime:
    """An Excel serial date (1900 system); an 8-digit whole number may also be YYYYMMDD.

    Serials stop at 2958465 (9999-12-31), so a YYYYMMDD number cannot be mistaken for one.
    A workbook's number holds its moment to about a microsecond: it is read to the
    millisecond, so 18:00:00.4 stays after 18:00. `whole_seconds`: a serial written with too
    few decimals to tell a millisecond (a CSV's General column cut to what the column
    showed: 44519.4166667 is 10:00:00.003) is read to the nearest second instead.
    """
    f = finite(v)
    if f.is_integer() and _YYYYMMDD_FIRST <= f <= _YYYYMMDD_LAST:
        n = int(f)
        try:
            return datetime(n // 10000, n // 100 % 100, n % 100, tzinfo=BEIJING)
        except ValueError:
            raise Unreadable("number is neither an Excel date nor a YYYYMMDD date") from None
    if f < 1:
        raise Unreadable("Excel serial below 1: a time of day with no date")
    if f >= EXCEL_SERIAL_MAX + 1:
        raise Unreadable("number too large for an Excel date")
    unit = 1000 if whole_seconds else 1
    days, millis = divmod(round(f * 86_400_000 / unit) * unit, 86_400_000)
    if days == 60:
        raise Unreadable("Excel serial 60 is 1900-02-29, a day that does not exist")
    if days > EXCEL_SERIAL_MAX:
        raise Unreadable("number too large for an Excel date")
    epoch = _EXCEL_EPOCH if days > 60 else _EXCEL_EPOCH + timedelta(days=1)
    return (epoch + timedelta(days=days, milliseconds=millis)).replace(tzinfo=BEIJING)


def _datetime_from_text(s: str) -> datetime | None:
    if s.isascii():
        t = s.strip()
        iso = t.replace("/", "-") if "/" in t else t
    else:
        t = iso = clean_text(s)
    if not t or t in DASHES:
        return None
    if len(t) > MAX_VALUE_CHARS:
        raise Unreadable("text too long to be a date")
    # fromisoformat also takes ISO week dates, any separator and a fraction of an hour
    # (14.30 as 14:00:00.3, where a hand-typed 14.30 means 14:30); those go the slow way
    if "W" not in iso and (len(iso) <= 10 or (iso[10] in " T" and iso[13:14] != ".")):
        try:
            moment = datetime.fromisoformat(iso)
        except ValueError:
            pass
        else:
            if moment.tzinfo is None:
                return datetime.combine(moment, moment.time(), BEIJING)
            return _to_beijing(moment)
    match = _DATE_TIME.fullmatch(t)
    if match:
        return _datetime_from_match(match)
    if _SERIAL_TEXT.fullmatch(t):
        # a date column saved to CSV as General: the same serial the workbook would hold,
        # or fewer of its digits (8 decimals tell a millisecond: 86,400,000 of them a day)
        point = t.find(".")
        return _datetime_from_number(float(t), point < 0 or len(t) - point - 1 < _MILLI_DIGITS)
    if s.isascii() and (cleaned := clean_text(t)) != t:
        # the fast path above skipped clean_text: ="2021-11-22" is read here, off the
        # common path, and an Excel error (#N/A) is refused by clean_text itself
        return _datetime_from_text(cleaned)
    if (plain := _BEIJING_TIME.sub("", t).strip()) != t and plain:
        # 2021-12-26 18:00（北京时间）: the clock every naive time is read in anyway
        return _datetime_from_text(plain)
    return _datetime_last_resort(t)


_BEIJING_MARK = r"[（(]?\s*(?:北京时间|beijing time)\s*[)）]?"
_BEIJING_TIME = re.compile(rf"^\s*{_BEIJING_MARK}\s*|\s*{_BEIJING_MARK}\s*$", re.IGNORECASE)
"""北京时间 or Beijing time around a moment, bracketed or not: what every naive time is."""


def _datetime_from_match(match: re.Match[str]) -> datetime:
    g = match.group
    year = int(g("y"))
    month = int(g("m") or g("cm") or g("bm"))
    day = int(g("d") or g("cd") or g("bd"))
    hour_text = g("H") or g("cH")
    if hour_text is None:
        hour = minute = second = micro = 0
    else:
        hour = int(hour_text)
        minute = int(g("M") or g("cM") or 0) or (30 if g("half") else 0)  # 3点半: 3:30
        second = int(g("S") or g("cS") or 0)
        fraction = g("f")
        micro = int(fraction.ljust(6, "0")) if fraction else 0
        if g("ap") or g("pa"):
            if g("ap") and g("pa"):
                raise Unreadable("no such time of day (AM/PM given twice)")
            hour = _twelve_hour(hour, (g("ap") or g("pa")).upper())
    zone = g("tz")
    tzinfo = BEIJING if zone is None else _offset(g("tzs"), g("tzh"), g("tzm"))
    try:
        if hour != 24:
            moment = datetime(year, month, day, hour, minute, second, micro, tzinfo=tzinfo)
        else:
            moment = datetime(year, month, day, tzinfo=tzinfo)
    except ValueError:
        try:
            date(year, month, day)
        except ValueError:
            raise Unreadable("no such calendar date") from None
        raise Unreadable("no such time of day") from None
    if hour == 24:
        # 24:00 closes the day: it is the first moment of the next one
        if minute or second or micro:
            raise Unreadable("no such time of day (after 24:00)")
        try:
            moment += timedelta(days=1)
        except OverflowError:
            raise Unreadable("date out of range") from None
    return moment if zone is None else _to_beijing(moment)


_MORNING = frozenset(("上午", "AM", "凌晨", "早上", "早晨"))
_EVENING = frozenset(("下午", "PM", "傍晚", "晚上"))


def _twelve_hour(hour: int, meridiem: str) -> int:
    """上午/AM and 下午/PM (2021-11-22 下午3:00, as Chinese Windows and Java write a moment):
    12 上午 is midnight, 12 下午 noon; a 24-hour time marked 下午 (下午15:00) is taken as it is.
    凌晨, 早上 and 早晨 are mornings, 傍晚 and 晚上 evenings (晚上12点 is the day's end, 24时);
    中午 is around noon: 中午12时 and 中午11:30 as written, 中午1点 13:00."""
    if meridiem == "中午":
        if hour in (1, 2, 3):
            return hour + 12
        if 10 <= hour <= 15:
            return hour
        raise Unreadable("no such time of day")
    evening = meridiem in _EVENING
    if not 0 < hour <= 12 and not (evening and 12 < hour < 24):
        raise Unreadable("no such time of day")
    if meridiem in _MORNING:
        return 0 if hour == 12 else hour
    if meridiem == "晚上" and hour == 12:
        return 24
    return hour + 12 if hour < 12 else hour


def _offset(sign: str | None, hours: str | None, minutes: str | None) -> timezone:
    if sign is None or hours is None:  # Z, UTC or GMT
        return UTC
    h, m = int(hours), int(minutes or 0)
    if h > 23 or m > 59:
        raise Unreadable("no such UTC offset")
    delta = timedelta(hours=h, minutes=m)
    return timezone(-delta if sign == "-" else delta)


def _datetime_last_resort(t: str) -> datetime:
    """dateutil for English month names ('Nov 25, 2021 2:30 PM'), only where it need not guess.

    dateutil makes a date of almost anything, so it gets only text with a month name and
    one 4-digit year, and must read that year as the year. A day/month order, a missing
    day or month, or a zone name it would resolve from this machine's settings are all
    refused rather than guessed.
    """
    if _DAY_MONTH_YEAR.match(t):
        raise Unreadable("ambiguous day/month order; use YYYY-MM-DD")
    if _TIME_ONLY.fullmatch(t):
        raise Unreadable("a time of day with no date")
    if _NO_YEAR.fullmatch(t):
        raise Unreadable("a month and day with no year (write e.g. 2021-11-25 14:30)")
    years = _FOUR_DIGIT_RUN.findall(t)
    if len(years) != 1 or _LONG_DIGIT_RUN.search(t) or not _MONTH_NAME.search(t):
        raise Unreadable("not a date (expected e.g. 2021-11-25 14:30)")
    try:
        month_first = _dateutil.parse(t, default=datetime(2000, 1, 1), tzinfos=_dateutil_zone)
        day_first = _dateutil.parse(
            t, default=datetime(2000, 1, 1), dayfirst=True, tzinfos=_dateutil_zone
        )
        other_default = _dateutil.parse(t, default=datetime(2004, 2, 2), tzinfos=_dateutil_zone)
    except Unreadable:
        raise
    except Exception:  # dateutil raises a zoo of types for junk; all mean "not a date"
        raise Unreadable("not a date (expected e.g. 2021-11-25 14:30)") from None
    if month_first.year != int(years[0]):
        raise Unreadable("not a date (expected e.g. 2021-11-25 14:30)")
    if month_first != day_first:
        raise Unreadable("ambiguous day/month order; use YYYY-MM-DD")
    if month_first != other_default:
        raise Unreadable("incomplete date: year, month and day are all needed")
    if month_first.tzinfo is None:
        return month_first.replace(tzinfo=BEIJING)
    return _to_beijing(month_first)


def _dateutil_zone(name: str | None, offset: int | None) -> timezone | None:
    """Numeric offsets and UTC only: dateutil would read other names from the local machine."""
    if name is None and offset is None:
        return None  # dateutil asks even when the text names no zone
    if offset is not None and (name is None or (offset == 0 and name.upper() in ("UTC", "GMT"))):
        return timezone(timedelta(seconds=offset))
    raise Unreadable("time zone name not understood; use an offset like +08:00")
