"""One spreadsheet cell to one typed value.

Cells come from python-calamine (str, float for every number, bool, naive datetime, date,
timedelta/time for durations) or from the csv module (always str). Every parser gives
None for a blank cell and raises `Unreadable` for anything else it cannot read, so the
caller can report the cell and carry on; no other exception escapes, whatever the input.
These run once per cell of a possibly million-row export, so the common forms take the
cheapest path there is and regexes are kept for the rest.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta, timezone

from dateutil import parser as _dateutil

from renewal.timeutil import BEIJING, to_beijing

MAX_VALUE_CHARS = 64
"""Longer strings are no date or number; the cap also bounds regex and dateutil work."""

MAX_AMOUNT = 1e12
"""No renewal amount comes near a trillion yuan; a bigger one is a misplaced id or junk."""

EXCEL_SERIAL_MAX = 2958465
"""Excel's last day, 9999-12-31, in the 1900 date system."""

EXCEL_DIGITS = 15
"""Excel keeps 15 significant digits of a number; longer ids typed as numbers are lost."""

_EXCEL_EPOCH = datetime(1899, 12, 30)
"""Day 0 for serials from 61 on; below 60 it is a day later (Excel's fake 1900-02-29)."""

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
        (?:
            (?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,6}))?)?
          | (?P<cH>\d{1,2})\s*[时点]\s*(?:(?P<cM>\d{1,2})\s*分\s*(?:(?P<cS>\d{1,2})\s*秒)?)?
        )
        \s*(?P<tz>Z|UTC|GMT|(?:UTC|GMT)?(?P<tzs>[-+])(?P<tzh>\d{1,2})(?::?(?P<tzm>\d{2}))?)?
    )?
    """,
    re.VERBOSE | re.ASCII | re.IGNORECASE,
)
_DAY_MONTH_YEAR = re.compile(r"\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{4}", re.ASCII)
_TIME_ONLY = re.compile(
    r"\d{1,2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?|\s*[时点](?:\s*\d{1,2}\s*分)?)", re.ASCII
)
_FOUR_DIGIT_RUN = re.compile(r"(?<!\d)\d{4}(?!\d)", re.ASCII)
_LONG_DIGIT_RUN = re.compile(r"\d{5}", re.ASCII)
_MONTH_NAME = re.compile(r"(?<![a-z])(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", re.I)
_AMOUNT = re.compile(
    r"""
    (?P<s1>[-+]?)\s*(?:¥|RMB|CNY|人民币)?\s*(?P<s2>[-+]?)\s*
    (?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    \s*(?P<wan>万)?\s*(?:元整?|RMB|CNY)?
    """,
    re.VERBOSE | re.ASCII | re.IGNORECASE,
)
_POINTS = re.compile(r"(?P<sign>[-+]?)\s*(?P<n>\d+(?:\.\d+)?|\.\d+)\s*分?", re.ASCII)
_INTEGRAL_TEXT = re.compile(r"(\d+)\.0*", re.ASCII)
_SCIENTIFIC = re.compile(r"[-+]?\d+(?:\.\d+)?E[-+]\d+", re.ASCII | re.IGNORECASE)
_CATEGORY_SEPARATORS = re.compile(r"[、，,;；\r\n]+")
_TRADEMARK_SEPARATORS = re.compile(r"[、,/;|\s]+")

_DASHES = frozenset({"-", "--", "—", "——", "–"})
_YES = ("是", "有", "y", "yes", "true", "1", "1.0", "√", "✓", "✔", "对")
_NO = ("否", "无", "n", "no", "false", "0", "0.0", "×", "✗", "✘", "错")
_BOOLS = {**dict.fromkeys(_YES, True), **dict.fromkeys(_NO, False)}
_TRADEMARKS = {
    **dict.fromkeys(("r", "®", "r标", "注册商标", "已注册"), "R"),
    **dict.fromkeys(("tm", "tm标", "商标注册申请受理通知书", "申请中", "受理"), "TM"),
}
BOOL_CHOICES = (_YES[0], _NO[0])
"""What a template's 是/否 drop-down offers: the first spelling of each."""
TRADEMARK_CHOICES = tuple(dict.fromkeys(_TRADEMARKS.values()))
"""What a template's 商标状态 drop-down offers: the statuses themselves (R, TM)."""


class Unreadable(ValueError):
    """A cell that holds something but not a value of the column's kind.

    Its text is a short English reason; the caller adds file, sheet, row and column.
    """


_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 200_000


def normalize_text(s: str) -> str:
    """Fold full-width forms to ASCII (NFKC) and trim; most cells need neither fold nor copy.

    Chinese cells repeat (store types, categories, 是/否), and checking a CJK string for
    NFKC costs a microsecond, so folded forms are remembered, up to a bound.
    """
    if s.isascii():
        return s.strip()
    folded = _FOLDED.get(s)
    if folded is None:
        folded = s if unicodedata.is_normalized("NFKC", s) else unicodedata.normalize("NFKC", s)
        folded = folded.strip()
        if len(_FOLDED) < _FOLDED_MAX:
            _FOLDED[s] = folded
    return folded


def _clean(s: str) -> str:
    """normalize_text, refusing text that could not be written out again."""
    t = normalize_text(s)
    if not t.isascii():
        try:
            t.encode("utf-8")
        except UnicodeEncodeError:
            raise Unreadable("text contains invalid characters (lone surrogates)") from None
    return t


def _short(s: str) -> str:
    """A cleaned string meant to hold a date or number, which is never long."""
    t = _clean(s)
    if len(t) > MAX_VALUE_CHARS:
        raise Unreadable("text too long for this column")
    return t


def _finite(v: int | float) -> float:
    """A Python number as a finite float; NaN, infinities and giant ints are not numbers."""
    try:
        f = float(v)
    except OverflowError:
        raise Unreadable("number too large") from None
    if not math.isfinite(f):
        raise Unreadable("not a finite number")
    return f


def _wrong_type(v: object, expected: str) -> Unreadable:
    if isinstance(v, bool):
        return Unreadable(f"a yes/no value, expected {expected}")
    if isinstance(v, date | time | timedelta):
        return Unreadable(f"a date or time, expected {expected}")
    return Unreadable(f"unexpected {type(v).__name__} cell, expected {expected}")


# -- text and ids ----------------------------------------------------------------------


def parse_text(v: object) -> str | None:
    """Trimmed, width-folded text, so that rule tables match full-width input too."""
    if isinstance(v, str):
        return _clean(v) or None
    if v is None:
        return None
    if isinstance(v, int):  # bool too: True / False
        try:
            return str(v)
        except ValueError:  # beyond Python's int-to-text digit limit
            raise Unreadable("number too large") from None
    if isinstance(v, float):
        if not math.isfinite(v):
            raise Unreadable("not a finite number")
        # calamine gives every number as float; 12.0 was typed 12
        if v.is_integer() and abs(v) < 1e16:
            return str(int(v))
        return repr(v)
    if isinstance(v, date | time):
        return v.isoformat()
    if isinstance(v, timedelta):
        return str(v)
    raise _wrong_type(v, "text")


def parse_id(v: object) -> str | None:
    """A merchant id as text; a number is only an id if Excel can have kept every digit."""
    if isinstance(v, str):
        t = _clean(v)
        if not t:
            return None
        if t.isdigit() and t.isascii():
            return t
        integral = _INTEGRAL_TEXT.fullmatch(t)
        if integral:
            return integral.group(1)
        if _SCIENTIFIC.fullmatch(t):
            raise Unreadable(
                "id in scientific notation: digits already lost; format the column as text"
            )
        return t
    if v is None:
        return None
    if isinstance(v, bool):
        raise _wrong_type(v, "a merchant id")
    if isinstance(v, int | float):
        if isinstance(v, float) and not math.isfinite(v):
            raise Unreadable("not a finite number")
        if isinstance(v, float) and not v.is_integer():
            raise Unreadable("a number with a fraction is not a merchant id")
        if v < 0:
            raise Unreadable("a negative number is not a merchant id")
        if v >= 10**EXCEL_DIGITS:
            raise Unreadable(
                f"number over {EXCEL_DIGITS} digits: digits may be lost; store ids as text"
            )
        return str(int(v))
    raise _wrong_type(v, "a merchant id")


# -- dates and times ---------------------------------------------------------------------


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
        raise _wrong_type(v, "a date")
    if isinstance(v, int | float):
        return _datetime_from_number(v)
    if isinstance(v, str):
        return _datetime_from_text(str(v))
    if isinstance(v, time | timedelta):
        raise Unreadable("a time of day or duration with no date")
    raise _wrong_type(v, "a date")


def parse_date(v: object) -> date | None:
    """A calendar day; any time of day is dropped after reading the moment in Beijing time."""
    if type(v) is datetime:
        return v.date() if v.tzinfo is None else _to_beijing(v).date()
    if type(v) is date:
        return v
    moment = parse_datetime(v)
    return None if moment is None else moment.date()


def _to_beijing(moment: datetime) -> datetime:
    try:
        return to_beijing(moment)
    except (OverflowError, ValueError):
        raise Unreadable("date out of range") from None


def _datetime_from_number(v: int | float) -> datetime:
    """An Excel serial date (1900 system); an 8-digit whole number may also be YYYYMMDD.

    Serials stop at 2958465 (9999-12-31), so a YYYYMMDD number cannot be mistaken for one.
    """
    f = _finite(v)
    if f.is_integer() and 10_000_101 <= f <= 99_991_231:
        n = int(f)
        try:
            return datetime(n // 10000, n // 100 % 100, n % 100, tzinfo=BEIJING)
        except ValueError:
            raise Unreadable("number is neither an Excel date nor a YYYYMMDD date") from None
    if f < 1:
        raise Unreadable("Excel serial below 1: a time of day with no date")
    if f >= EXCEL_SERIAL_MAX + 1:
        raise Unreadable("number too large for an Excel date")
    days, seconds = divmod(round(f * 86400), 86400)
    if days == 60:
        raise Unreadable("Excel serial 60 is 1900-02-29, a day that does not exist")
    if days > EXCEL_SERIAL_MAX:
        raise Unreadable("number too large for an Excel date")
    epoch = _EXCEL_EPOCH if days > 60 else _EXCEL_EPOCH + timedelta(days=1)
    return (epoch + timedelta(days=days, seconds=seconds)).replace(tzinfo=BEIJING)


def _datetime_from_text(s: str) -> datetime | None:
    if s.isascii():
        t = s.strip()
        iso = t.replace("/", "-") if "/" in t else t
    else:
        t = iso = _clean(s)
    if not t:
        return None
    if len(t) > MAX_VALUE_CHARS:
        raise Unreadable("text too long to be a date")
    # fromisoformat also takes ISO week dates and any separator; those go the slow way
    if "W" not in iso and (len(iso) <= 10 or iso[10] in " T"):
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
    return _datetime_last_resort(t)


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
        minute = int(g("M") or g("cM") or 0)
        second = int(g("S") or g("cS") or 0)
        fraction = g("f")
        micro = int(fraction.ljust(6, "0")) if fraction else 0
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


# -- numbers -----------------------------------------------------------------------------


def parse_amount(v: object) -> float | None:
    """CNY, to the fen; '-' alone is how exports leave an amount blank."""
    if isinstance(v, str):
        t = _short(v)
        if not t or t in _DASHES:
            return None
        match = _AMOUNT.fullmatch(t)
        if not match:
            raise Unreadable("not an amount (expected e.g. 50000, 50,000元, ¥60,000.00 or 5万)")
        if match["s1"] and match["s2"]:
            raise Unreadable("amount has two signs")
        amount = float(match["n"].replace(",", ""))
        if match["wan"]:
            amount *= 10_000
        if "-" in (match["s1"], match["s2"]):
            amount = -amount
    elif v is None:
        return None
    elif isinstance(v, int | float) and not isinstance(v, bool):
        amount = _finite(v)
    else:
        raise _wrong_type(v, "an amount")
    if abs(amount) >= MAX_AMOUNT:
        raise Unreadable("amount too large")
    return round(amount, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


def parse_points(v: object) -> float | None:
    """Violation points: never negative."""
    points = _plain_number(v, "violation points")
    if points is not None and points < 0:
        raise Unreadable("violation points cannot be negative")
    return points


def parse_score(v: object) -> float | None:
    """A score such as the 4.8 of 体验分, optionally written with 分."""
    return _plain_number(v, "a score")


def _plain_number(v: object, expected: str) -> float | None:
    if isinstance(v, str):
        t = _short(v)
        if not t:
            return None
        match = _POINTS.fullmatch(t)
        if not match:
            raise Unreadable(f"not a number, expected {expected}")
        number = float(match["n"])
        return -number if match["sign"] == "-" and number else number
    if v is None:
        return None
    if isinstance(v, int | float) and not isinstance(v, bool):
        return _finite(v) + 0.0
    raise _wrong_type(v, expected)


# -- flags and statuses ------------------------------------------------------------------


def parse_bool(v: object) -> bool | None:
    """Yes/no in the many spellings exports use (是/否, Y/N, √/×, 1/0, ...)."""
    if isinstance(v, str):
        t = _short(v)
        if not t:
            return None
        flag = _BOOLS.get(t.lower())
        if flag is None:
            raise Unreadable("not a yes/no value (expected 是/否 or Y/N)")
        return flag
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, int | float) and v in (0, 1):
        return v == 1
    if isinstance(v, int | float):
        raise Unreadable("a number other than 1 or 0 is not a yes/no value")
    raise _wrong_type(v, "a yes/no value")


def parse_trademark(v: object) -> str | None:
    """'TM' or 'R' for a store that may list several brands.

    The deposit depends on the weakest brand: one TM (application only) makes the store TM.
    """
    if v is None:
        return None
    if not isinstance(v, str):
        raise _wrong_type(v, "R or TM")
    t = _clean(v)
    if not t:
        return None
    statuses = set()
    for token in _TRADEMARK_SEPARATORS.split(t):
        if token:
            status = _TRADEMARKS.get(token.lower())
            if status is None:
                raise Unreadable("unknown trademark status (expected R or TM)")
            statuses.add(status)
    if not statuses:
        raise Unreadable("no trademark status (expected R or TM)")
    return "TM" if "TM" in statuses else "R"


_SPLIT: dict[str, tuple[str, ...]] = {}
_SPLIT_MAX = 4096


def split_categories(v: str) -> tuple[str, ...]:
    """A 主营类目 cell may name several categories; '/' is part of a name, not a separator.

    Category cells repeat from row to row and several rules read them, so the split is
    remembered (up to a bound)."""
    found = _SPLIT.get(v)
    if found is None:
        found = tuple(c for c in (normalize_text(p) for p in _CATEGORY_SEPARATORS.split(v)) if c)
        if len(_SPLIT) < _SPLIT_MAX:
            _SPLIT[v] = found
    return found
