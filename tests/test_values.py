"""Cell parsers: every accepted form, every boundary, every refusal, and no stray exceptions."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renewal.intake.dates import parse_date, parse_datetime
from renewal.intake.values import (
    Unreadable,
    normalize_text,
    parse_amount,
    parse_bool,
    parse_due,
    parse_id,
    parse_points,
    parse_score,
    parse_text,
    parse_trademark,
    split_categories,
)
from renewal.timeutil import BEIJING

PARSERS: list[Callable[[object], object]] = [
    parse_text,
    parse_id,
    parse_datetime,
    parse_date,
    parse_amount,
    parse_points,
    parse_score,
    parse_bool,
    parse_trademark,
]

BLANKS = [None, "", " ", "\t", "\n", "\u3000", "\xa0", " \u3000\xa0 "]


def _id(value: object) -> str:
    """A short test id; repr of a 5000-digit int would itself fail."""
    if isinstance(value, int) and abs(value) > 10**30:
        return f"int_{len(str(abs(value))) if abs(value) < 10**4000 else 'huge'}"
    if type(value) is object:  # its repr is its address, which differs between processes
        return "object"
    return repr(value)[:40]


def bj(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=BEIJING)


# -- blank and normalize_text ------------------------------------------------------------


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
@pytest.mark.parametrize("blank", BLANKS, ids=_id)
def test_blank_is_none_for_every_parser(parse: Callable[[object], object], blank: object) -> None:
    assert parse(blank) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain", "plain"),
        ("  padded\t", "padded"),
        ("织锦旗舰店", "织锦旗舰店"),
        ("１２３", "123"),
        ("ＡＢｃ", "ABc"),
        ("，（）：", ",():"),
        ("\u3000全角空格\u3000", "全角空格"),
        ("\xa0nbsp\xa0", "nbsp"),
        ("", ""),
        # invisible characters at either end (a BOM mid-file, zero-width spaces from a page)
        ("\ufeff商家ID", "商家ID"),
        ("\u200b 100000000001\u200b", "100000000001"),
        ("织锦\u2060 ", "织锦"),
        ("\ufeff", ""),
        ("a\u200bb", "a\u200bb"),
        # the text formula an export writes so that Excel keeps a value as text
        ('="100000000001"', "100000000001"),
        ('  ="007" ', "007"),
        ('="织锦旗舰店"', "织锦旗舰店"),
        ('＝"１２３"', "123"),
        ('="say ""hi"""', 'say "hi"'),
        ('=""', ""),
        # not that formula: as written
        ('="a"&"b"', '="a"&"b"'),
        ('="open', '="open'),
        ('="', '="'),
        ("=SUM(A1)", "=SUM(A1)"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("parse", "raw", "expected"),
    [
        (parse_id, '="100000000001"', "100000000001"),
        (parse_text, '="织锦旗舰店"', "织锦旗舰店"),
        (parse_datetime, '="2021-11-22 09:30"', datetime(2021, 11, 22, 9, 30, tzinfo=BEIJING)),
        (parse_datetime, '="2021年11月22日"', datetime(2021, 11, 22, tzinfo=BEIJING)),
        (parse_date, '="2021/11/22"', date(2021, 11, 22)),
        (parse_amount, '="50,000元"', 50000.0),
        (parse_points, '="12"', 12.0),
        (parse_points, "'12", 12.0),
        (parse_amount, "'50,000", 50000.0),
        (parse_datetime, "'2021-11-22 09:30", datetime(2021, 11, 22, 9, 30, tzinfo=BEIJING)),
        (parse_text, '\'=HYPERLINK("x")', '=HYPERLINK("x")'),  # as renewal's CSV report writes it
        (parse_score, '="4.8"', 4.8),
        (parse_bool, '="是"', True),
        (parse_trademark, '="R"', "R"),
    ],
    ids=lambda value: getattr(value, "__name__", None) or _id(value),
)
def test_every_parser_reads_inside_excel_text_formulas_and_after_an_apostrophe(
    parse: Callable[[object], object], raw: str, expected: object
) -> None:
    assert parse(raw) == expected


@pytest.mark.parametrize("parse", PARSERS, ids=lambda p: p.__name__)
@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", " #n/a "])
def test_an_excel_error_value_is_unreadable_for_every_parser(
    parse: Callable[[object], object], error: str
) -> None:
    """A CSV saved from a sheet holds the error's text where the formula failed."""
    with pytest.raises(Unreadable, match="an Excel error value"):
        parse(error)


def test_unreadable_is_a_value_error_with_a_reason() -> None:
    with pytest.raises(ValueError, match="ambiguous day/month order; use YYYY-MM-DD"):
        parse_datetime("11/12/2021")


# -- parse_text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  织锦旗舰店 ", "织锦旗舰店"),
        ("女装/女士精品", "女装/女士精品"),
        ("服饰配件／皮带", "服饰配件/皮带"),
        (12.0, "12"),
        (-3.0, "-3"),
        (12.5, "12.5"),
        (1e20, "1e+20"),
        (7, "7"),
        (True, "True"),
        (datetime(2021, 11, 25, 14, 30), "2021-11-25T14:30:00"),
        (date(2021, 11, 25), "2021-11-25"),
        (time(14, 30), "14:30:00"),
        (timedelta(hours=2), "2:00:00"),
    ],
)
def test_parse_text(raw: object, expected: str) -> None:
    assert parse_text(raw) == expected


@pytest.mark.parametrize(
    "raw", [math.nan, math.inf, -math.inf, "bad\ud800", 10**5000, object(), b"bytes"], ids=_id
)
def test_parse_text_unreadable(raw: object) -> None:
    with pytest.raises(Unreadable):
        parse_text(raw)


# -- parse_id ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (1234567890123.0, "1234567890123"),
        (1234567890123, "1234567890123"),
        ("1234567890123.0", "1234567890123"),
        ("1234567890123.00", "1234567890123"),
        ("1234567890123", "1234567890123"),
        ("  ＡＢ１２３ ", "AB123"),
        ("renewed-all-steps", "renewed-all-steps"),
        ("007", "007"),
        ("12345678901234567890", "12345678901234567890"),
        (999_999_999_999_999.0, "999999999999999"),
        (0.0, "0"),
        ("'100000000001", "100000000001"),  # typed to keep Excel from 1E+11; kept in a CSV
        ("＇100000000001", "100000000001"),
        ("1000 0000 0001", "100000000001"),
        ("1000\u3000 0000", "10000000"),
        ("'s-shop", "'s-shop"),  # an apostrophe before a letter is the id's own
        ("shop 12", "shop 12"),  # spaces inside an id that is not all digits stay
        ("9" * 64, "9" * 64),  # the longest id read
    ],
)
def test_parse_id(raw: object, expected: str) -> None:
    assert parse_id(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1.23457E+12", "scientific notation"),
        ("1.23457e+12", "scientific notation"),
        ("1E+13", "scientific notation"),
        (True, "yes/no"),
        (False, "yes/no"),
        (12.5, "fraction"),
        (-3.0, "negative"),
        (-3, "negative"),
        (1e15, "15 digits"),
        (10**15, "15 digits"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        (datetime(2021, 1, 1), "date"),
        (date(2021, 1, 1), "date"),
        ("x\ud800", "surrogate"),
        ("9" * 65, "too long"),  # a column pasted into one cell is no id
        ("x" * 40_000, "too long"),
    ],
    ids=_id,
)
def test_parse_id_unreadable(raw: object, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        parse_id(raw)


# -- parse_datetime ------------------------------------------------------------------------

MOMENT = bj(2021, 11, 25, 14, 30)
MIDNIGHT = bj(2021, 11, 25)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-11-25 14:30", MOMENT),
        ("2021-11-25 14:30:00", MOMENT),
        ("2021-11-25T14:30", MOMENT),
        ("2021-11-25T14:30:00", MOMENT),
        ("2021-11-25T14:30:00+08:00", MOMENT),
        ("2021-11-25T14:30+08:00", MOMENT),
        ("2021-11-25T06:30:00Z", MOMENT),
        ("2021-11-25 06:30:00Z", MOMENT),
        ("2021-11-25 06:30Z", MOMENT),
        ("2021-11-25 14:30:00 +08:00", MOMENT),
        ("2021-11-25T01:30:00-05:00", MOMENT),
        ("2021/11/25 14:30", MOMENT),
        ("2021/11/25 14:30:00", MOMENT),
        ("2021/11/5 9:05", bj(2021, 11, 5, 9, 5)),
        ("2021/11/5 9:05:07", bj(2021, 11, 5, 9, 5, 7)),
        ("2021.11.25", MIDNIGHT),
        ("2021.11.25 14:30", MOMENT),
        ("20211125", MIDNIGHT),
        ("2021-11-25", MIDNIGHT),
        ("2021-1-5", bj(2021, 1, 5)),
        ("2021年11月25日", MIDNIGHT),
        ("2021年11月25号", MIDNIGHT),
        ("2021年11月25日 14:30", MOMENT),
        ("2021年11月25日 14:30:00", MOMENT),
        ("2021年11月25日14:30", MOMENT),
        ("2021年11月25日14时30分", MOMENT),
        ("2021年11月25日14时30分00秒", MOMENT),
        ("2021年11月25日 14时", bj(2021, 11, 25, 14)),
        ("2021年11月25日 14点30分", MOMENT),
        ("2021-11-25 14:30:00.123", bj(2021, 11, 25, 14, 30, 0, 123000)),
        ("2021/11/25 14:30:00.5", bj(2021, 11, 25, 14, 30, 0, 500000)),
        ("２０２１－１１－２５　１４：３０", MOMENT),
        ("２０２１年１１月２５日　１４：３０", MOMENT),
        ("２０２１年１１月２５日", MIDNIGHT),
        ("  2021-11-25 14:30  ", MOMENT),
        ("\u30002021-11-25 14:30\u3000", MOMENT),
        ("2021-12-31 24:00", bj(2022, 1, 1)),
        ("2021-12-31 24:00:00", bj(2022, 1, 1)),
        ("2021年12月31日24时", bj(2022, 1, 1)),
        ("2021年12月31日 24:00", bj(2022, 1, 1)),
        ("2021-12-31 23:59:59", bj(2021, 12, 31, 23, 59, 59)),
        ("2020-02-29", bj(2020, 2, 29)),
        ("Nov 25, 2021 2:30 PM", MOMENT),
        ("2021-11-25 下午2:30", MOMENT),
        ("2021/11/25 下午 2:30:00", MOMENT),
        ("2021-11-25 下午02:30:00", MOMENT),
        ("2021年11月25日 下午2点30分", MOMENT),
        ("2021年11月25日下午2点半", MOMENT),  # 点半 is how half past is said (ex22 §10)
        ("2021-11-25 14点半", MOMENT),
        ("2021-11-25 2:30 PM", MOMENT),
        ("2021-11-25 pm 2:30", MOMENT),
        ("2021-11-25 下午14:30", MOMENT),
        ("2021-11-25 上午12:00", MIDNIGHT),
        ("2021-11-25 12:30 PM", bj(2021, 11, 25, 12, 30)),
        ("2021-11-25 上午9:05", bj(2021, 11, 25, 9, 5)),
        # the other words for parts of the day, and the clock named beside the moment
        ("2021年11月25日 中午12时", bj(2021, 11, 25, 12)),
        ("2021年11月25日中午12:30", bj(2021, 11, 25, 12, 30)),
        ("2021-11-25 中午1点", bj(2021, 11, 25, 13)),
        ("2021-11-25 中午11:30", bj(2021, 11, 25, 11, 30)),
        ("2021年11月25日晚上6时01分", bj(2021, 11, 25, 18, 1)),
        ("2021-11-25 傍晚6点", bj(2021, 11, 25, 18)),
        ("2021-11-25 晚上12点", bj(2021, 11, 26)),
        ("2021-11-25 凌晨2点", bj(2021, 11, 25, 2)),
        ("2021-11-25 早上8:30", bj(2021, 11, 25, 8, 30)),
        ("2021-11-25 14:30（北京时间）", MOMENT),
        ("2021-11-25 14:30 北京时间", MOMENT),
        ("北京时间 2021-11-25 14:30", MOMENT),
        ("2021-11-25 14:30 (Beijing time)", MOMENT),
        ("25 November 2021", MIDNIGHT),
        ("2021-11-25 06:30 UTC", MOMENT),
        ("2021-11-25 14:30 UTC+8", MOMENT),
        ("2021/11/25 14:30 GMT+08:00", MOMENT),
        ("2021-11-25 14:30 +0800", MOMENT),
        ("2021年11月25日 06:30Z", MOMENT),
        ("2021-11-25 14.30", MOMENT),  # a dot typed for the colon: not 14:00:00.3
        ("2021.11.25 14.30.00", MOMENT),
        ("2021年11月25日 下午2.30", MOMENT),
    ],
)
def test_parse_datetime_text(raw: str, expected: datetime) -> None:
    parsed = parse_datetime(raw)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is BEIJING


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (datetime(2021, 11, 25, 14, 30), MOMENT),
        (datetime(2021, 11, 25, 6, 30, tzinfo=UTC), MOMENT),
        (date(2021, 11, 25), MIDNIGHT),
        (44525.0, MIDNIGHT),
        (44525, MIDNIGHT),
        (44525 + 14.5 / 24, MOMENT),
        # a workbook's number is read to the millisecond: 0.4 s past 14:30 is past it
        (44525 + (14.5 * 3600 + 0.4) / 86400, MOMENT + timedelta(milliseconds=400)),
        (44525.6041666, MOMENT - timedelta(milliseconds=6)),
        ("44525", MIDNIGHT),  # a date column saved to CSV as General
        # text with fewer than 8 decimals cannot tell a millisecond: to the second
        ("44525.6041666", MOMENT),
        ("44525.6041667", MOMENT),
        ("44525.60417129630", MOMENT + timedelta(milliseconds=400)),
        (1, bj(1900, 1, 1)),
        (59, bj(1900, 2, 28)),
        (59.5, bj(1900, 2, 28, 12)),
        (61, bj(1900, 3, 1)),
        (2958465, bj(9999, 12, 31)),
        (2958465.5, bj(9999, 12, 31, 12)),
        (20211125, MIDNIGHT),
        (20211125.0, MIDNIGHT),
    ],
    ids=_id,
)
def test_parse_datetime_cells(raw: object, expected: datetime) -> None:
    parsed = parse_datetime(raw)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is BEIJING
    assert parsed.replace(tzinfo=None) == expected.replace(tzinfo=None)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("2021-12-31 24:01", "time of day"),
        ("2021-12-31 24:00:01", "time of day"),
        ("2021年12月31日24时01分", "time of day"),
        ("2021-11-25 25:00", "time of day"),
        ("2021-11-25 14:60", "time of day"),
        ("2021-11-25 上午13:00", "time of day"),
        ("2021-11-25 下午0:30", "time of day"),
        ("2021-11-25 上午10:00 PM", "AM/PM given twice"),
        ("2021-11-25 中午6点", "time of day"),
        ("2021-11-25 凌晨13:00", "time of day"),
        ("北京时间", "not a date"),
        ("2021-02-30", "no such calendar date"),
        ("2021年2月30日", "no such calendar date"),
        ("2021/13/01", "no such calendar date"),
        ("20210230", "no such calendar date"),
        ("2021-02-29", "no such calendar date"),
        ("11/12/2021", "ambiguous day/month order; use YYYY-MM-DD"),
        ("25/11/2021", "ambiguous day/month order"),
        ("11-12-2021 14:30", "ambiguous day/month order"),
        ("2021 11 12", "not a date"),
        ("14:30", "no date"),
        ("14:30:00", "no date"),
        ("14时30分", "no date"),
        ("待补录", "not a date"),
        ("garbage", "not a date"),
        ("2021", "not a date"),
        ("Nov 2021", "incomplete date"),
        ("November 2021", "incomplete date"),
        ("2021-11", "not a date"),
        ("1Nov11.at2021", "not a date"),  # dateutil would read 2021 as 20:21
        ("Nov 5, 2021 2021", "not a date"),
        ("Nov 5, 12021", "not a date"),
        ("21-11-25", "not a date"),
        ("2021", "not a date"),  # four digits are a year, not a serial
        ("445250", "not a date"),
        ("4452.5", "not a date"),
        ("2021-W47-4", "not a date"),
        ("2021-11-25x14:30", "not a date"),
        ("2021-11-25 14:30 CST", "not a date"),
        # a month and a day typed without the year: said so, not just "not a date"
        ("11月25日", "with no year"),
        ("11月25日 10:00", "with no year"),
        ("11月25号下午3点", "with no year"),
        ("11-25", "with no year"),
        ("11/25 14:30", "with no year"),
        ("Nov 25, 2021 14:30 CST", "time zone name"),
        ("2021-11-25 14:30+24:00", "offset"),
        ("0001-01-01T00:00:00+08:00", "out of range"),
        ("9999-12-31 24:00", "out of range"),
        ("2021-11-25" + " " * 100 + "x", "too long"),
        ("2021-11-25\ud800", "surrogate"),
        (0, "below 1"),
        (0.5, "below 1"),
        (-1.0, "below 1"),
        (60, "1900-02-29"),
        (60.5, "1900-02-29"),
        (2958466, "too large"),
        (2958465.99999999999, "too large"),  # rounds up into 10000-01-01
        (5_000_000, "too large"),
        (20211131, "YYYYMMDD"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        (-math.inf, "finite"),
        (10**400, "too large"),
        (True, "yes/no"),
        (timedelta(hours=3), "no date"),
        (time(14, 30), "no date"),
        (b"2021-11-25", "bytes"),
    ],
    ids=_id,
)
def test_parse_datetime_unreadable(raw: object, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        parse_datetime(raw)


def test_excel_serials_60_and_61_straddle_the_fake_leap_day() -> None:
    day_59 = parse_datetime(59)
    day_61 = parse_datetime(61)
    assert day_59 is not None and day_61 is not None
    assert (day_61 - day_59) == timedelta(days=1)
    with pytest.raises(Unreadable):
        parse_datetime(60)


# -- parse_date ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2031/05/20", date(2031, 5, 20)),
        ("2022-12-31", date(2022, 12, 31)),
        ("2022年6月30日", date(2022, 6, 30)),
        ("2022-06-30 00:00:00", date(2022, 6, 30)),
        ("2022-06-30 14:30", date(2022, 6, 30)),
        ("2022-06-29T20:00:00Z", date(2022, 6, 30)),  # 04:00 next day in Beijing
        ("2022-06-30 24:00", date(2022, 7, 1)),
        (datetime(2022, 6, 30, 23, 59), date(2022, 6, 30)),
        (datetime(2022, 6, 29, 20, tzinfo=UTC), date(2022, 6, 30)),
        (date(2022, 6, 30), date(2022, 6, 30)),
        (44525.0, date(2021, 11, 25)),
        (44525.9, date(2021, 11, 25)),
        (20220630, date(2022, 6, 30)),
    ],
    ids=_id,
)
def test_parse_date(raw: object, expected: date) -> None:
    parsed = parse_date(raw)
    assert parsed == expected
    assert type(parsed) is date


@pytest.mark.parametrize(
    "raw", ["2021-02-30", "11/12/2021", "14:30", "长期", 60, True, time(0, 0)], ids=_id
)
def test_parse_date_unreadable(raw: object) -> None:
    with pytest.raises(Unreadable):
        parse_date(raw)


# -- parse_amount --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (50000, 50000.0),
        (50000.0, 50000.0),
        ("50000", 50000.0),
        ("50,000", 50000.0),
        ("50，000", 50000.0),
        ("50,000元", 50000.0),
        ("¥60,000.00", 60000.0),
        ("￥60000", 60000.0),
        ("RMB 60000", 60000.0),
        ("rmb60000", 60000.0),
        ("60000 CNY", 60000.0),
        ("人民币60000元", 60000.0),
        ("60000元整", 60000.0),
        ("5万", 50000.0),
        ("5万元", 50000.0),
        ("1.5万", 15000.0),
        ("0.07万", 700.0),
        ("10w", 100000.0),
        ("1.5W元", 15000.0),
        ("６００００", 60000.0),
        (" 60000 ", 60000.0),
        ("1,234,567.891", 1234567.89),
        # three decimals that cannot be a dot grouping thousands, or with 万: still read
        ("0.500", 0.5),
        ("1234.567", 1234.57),
        ("50.0000", 50.0),
        ("1.500万", 15000.0),
        (1234.567, 1234.57),
        (".5", 0.5),
        ("-500", -500.0),
        ("-¥500", -500.0),
        ("¥-500", -500.0),
        ("+500", 500.0),
        (-1200.5, -1200.5),
        ("-0", 0.0),
        ("-", None),
        ("－", None),
        ("—", None),
    ],
    ids=_id,
)
def test_parse_amount(raw: object, expected: float | None) -> None:
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw", [-60000, -1.0, "-1", "-¥500", "¥-0.01", "-5万"])
def test_an_amount_due_or_paid_is_never_negative(raw: object) -> None:
    """A balance may be overdrawn; an amount due or paid below zero is a typo that would
    otherwise read as nothing to pay."""
    assert parse_amount(raw) is not None and parse_amount(raw) < 0  # type: ignore[operator]
    with pytest.raises(Unreadable, match="cannot be negative"):
        parse_due(raw)


@pytest.mark.parametrize(
    ("raw", "expected"), [("0", 0.0), ("-0", 0.0), ("5万", 50000.0), ("", None)]
)
def test_parse_due_reads_what_parse_amount_reads(raw: object, expected: float | None) -> None:
    assert parse_due(raw) == expected


def test_parse_amount_has_no_negative_zero() -> None:
    value = parse_amount(-0.001)
    assert value == 0.0 and math.copysign(1.0, value) == 1.0


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (math.nan, "finite"),
        (math.inf, "finite"),
        (-math.inf, "finite"),
        (10**400, "too large"),
        (1e12, "too large"),
        ("9" * 60, "too large"),
        ("9" * 100, "too long"),
        (True, "yes/no"),
        (False, "yes/no"),
        ("abc", "not an amount"),
        ("50,00", "not an amount"),
        ("5,0000", "not an amount"),
        ("--5", "two signs"),
        ("-¥-5", "two signs"),
        ("5万万", "not an amount"),
        ("5ww", "not an amount"),
        ("5k", "not an amount"),
        ("1.2.3", "not an amount"),
        ("50.000", "group thousands"),
        ("¥1.500元", "group thousands"),
        ("-2.000", "group thousands"),
        ("¥", "not an amount"),
        (datetime(2021, 1, 1), "date"),
        (timedelta(days=1), "date or time"),
    ],
    ids=_id,
)
def test_parse_amount_unreadable(raw: object, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        parse_amount(raw)


# -- parse_points and parse_score ----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, 12.0),
        (12.0, 12.0),
        (0, 0.0),
        (1.5, 1.5),
        ("12", 12.0),
        ("12分", 12.0),
        ("12 分", 12.0),
        ("１２分", 12.0),
        (" 6 ", 6.0),
        ("+6", 6.0),
        ("-0", 0.0),
        (-0.0, 0.0),
    ],
    ids=_id,
)
def test_parse_points(raw: object, expected: float) -> None:
    assert parse_points(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (-1, "negative"),
        (-0.5, "negative"),
        ("-2", "negative"),
        ("-2分", "negative"),
        ("twelve", "not a number"),
        ("12点", "not a number"),
        ("-", "not a number"),
        (math.nan, "finite"),
        (math.inf, "finite"),
        (10**400, "too large"),
        (True, "yes/no"),
        (date(2021, 1, 1), "date"),
    ],
    ids=_id,
)
def test_parse_points_unreadable(raw: object, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        parse_points(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(4.8, 4.8), (5, 5.0), ("4.8", 4.8), ("4.8分", 4.8), ("４．８分", 4.8), ("-1.5", -1.5)],
    ids=_id,
)
def test_parse_score(raw: object, expected: float) -> None:
    assert parse_score(raw) == expected


@pytest.mark.parametrize("raw", ["高", "4,8", "4.8.1", math.nan, True, "4.8%"], ids=_id)
def test_parse_score_unreadable(raw: object) -> None:
    with pytest.raises(Unreadable):
        parse_score(raw)


# -- parse_bool ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["是", "有", "Y", "y", "yes", "YES", "Yes", "true", "TRUE", "1", "1.0", "√", "✓", "对", "Ｙ"]
    + [1, 1.0, True, " 是 "],
    ids=_id,
)
def test_parse_bool_true(raw: object) -> None:
    assert parse_bool(raw) is True


@pytest.mark.parametrize(
    "raw",
    ["否", "无", "N", "n", "no", "NO", "false", "False", "0", "0.0", "×", "✗", "错"]
    + [0, 0.0, False, "\u3000否\u3000"],
    ids=_id,
)
def test_parse_bool_false(raw: object) -> None:
    assert parse_bool(raw) is False


@pytest.mark.parametrize(
    "raw", ["maybe", "是否", "2", "x", 2, 0.5, -1, math.nan, date(2021, 1, 1)], ids=_id
)
def test_parse_bool_unreadable(raw: object) -> None:
    with pytest.raises(Unreadable):
        parse_bool(raw)


# -- parse_trademark -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("R", "R"),
        ("r", "R"),
        ("®", "R"),
        ("注册商标", "R"),
        ("已注册", "R"),
        ("R/R", "R"),
        ("R、R", "R"),
        ("R，注册商标", "R"),
        ("TM", "TM"),
        ("tm", "TM"),
        ("Tm", "TM"),
        ("™", "TM"),
        ("ＴＭ", "TM"),
        ("商标注册申请受理通知书", "TM"),
        ("申请中", "TM"),
        ("受理", "TM"),
        ("R、TM", "TM"),
        ("R,TM", "TM"),
        ("R/TM", "TM"),
        ("TM、R、R", "TM"),
        ("R;申请中", "TM"),
        (" R \n TM ", "TM"),
        ("R商标", "R"),
        ("TM商标", "TM"),
        ("商标注册证", "R"),
        ("R+TM", "TM"),
        ("R＋R", "R"),
    ],
)
def test_parse_trademark(raw: str, expected: str) -> None:
    assert parse_trademark(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("X", "unknown"),
        ("R、X", "unknown"),
        ("RTM", "unknown"),
        ("、", "no trademark status"),
        ("/ /", "no trademark status"),
        (1, "R or TM"),
        (True, "yes/no"),
    ],
    ids=_id,
)
def test_parse_trademark_unreadable(raw: object, reason: str) -> None:
    with pytest.raises(Unreadable, match=reason):
        parse_trademark(raw)


# -- split_categories ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("女装/女士精品", ["女装/女士精品"]),
        ("女装/女士精品、服饰配件/皮带/帽子/围巾", ["女装/女士精品", "服饰配件/皮带/帽子/围巾"]),
        ("a，b,c;d；e\nf\r\ng", ["a", "b", "c", "d", "e", "f", "g"]),
        (" a 、、 b ,", ["a", "b"]),
        ("服饰配件／皮带", ["服饰配件/皮带"]),
        ("", []),
        (" 、，\n", []),
    ],
)
def test_split_categories(raw: str, expected: list[str]) -> None:
    assert split_categories(raw) == tuple(expected)


# -- nothing but a value or Unreadable, whatever comes in -----------------------------------

CELLS = st.one_of(
    st.text(),
    st.floats(allow_nan=True),
    st.integers(),
    st.datetimes(),
    st.dates(),
    st.none(),
    st.booleans(),
)


def _value_or_unreadable(parse: Callable[[object], object], cell: object, kind: type) -> None:
    try:
        value = parse(cell)
    except Unreadable as exc:
        assert str(exc)
        return
    assert value is None or isinstance(value, kind)


@settings(max_examples=300)
@given(CELLS)
def test_parse_text_total(cell: object) -> None:
    _value_or_unreadable(parse_text, cell, str)


@settings(max_examples=300)
@given(CELLS)
def test_parse_id_total(cell: object) -> None:
    _value_or_unreadable(parse_id, cell, str)


@settings(max_examples=300)
@given(CELLS)
def test_parse_datetime_total(cell: object) -> None:
    try:
        value = parse_datetime(cell)
    except Unreadable as exc:
        assert str(exc)
        return
    assert value is None or (isinstance(value, datetime) and value.tzinfo is BEIJING)


@settings(max_examples=300)
@given(CELLS)
def test_parse_date_total(cell: object) -> None:
    try:
        value = parse_date(cell)
    except Unreadable as exc:
        assert str(exc)
        return
    assert value is None or type(value) is date


@settings(max_examples=300)
@given(CELLS)
def test_parse_amount_total(cell: object) -> None:
    _value_or_unreadable(parse_amount, cell, float)


@settings(max_examples=300)
@given(CELLS)
def test_parse_points_total(cell: object) -> None:
    try:
        value = parse_points(cell)
    except Unreadable as exc:
        assert str(exc)
        return
    assert value is None or (isinstance(value, float) and value >= 0)


@settings(max_examples=300)
@given(CELLS)
def test_parse_score_total(cell: object) -> None:
    _value_or_unreadable(parse_score, cell, float)


@settings(max_examples=300)
@given(CELLS)
def test_parse_bool_total(cell: object) -> None:
    _value_or_unreadable(parse_bool, cell, bool)


@settings(max_examples=300)
@given(CELLS)
def test_parse_trademark_total(cell: object) -> None:
    try:
        value = parse_trademark(cell)
    except Unreadable as exc:
        assert str(exc)
        return
    assert value in (None, "TM", "R")


@given(st.text())
def test_split_categories_total(cell: str) -> None:
    parts = split_categories(cell)
    assert all(isinstance(p, str) and p and p == p.strip() for p in parts)


@given(st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 30)))
def test_parse_datetime_round_trips_its_own_text(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    assert parse_datetime(moment.isoformat(sep=" ")) == moment.replace(tzinfo=BEIJING)
    assert parse_datetime(moment.strftime("%Y年%m月%d日 %H:%M:%S")) == moment.replace(
        tzinfo=BEIJING
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("素语（杭州）旗舰店", "素语（杭州）旗舰店"),  # full-width brackets stay as written
        ("  Ａ＆Ｂ旗舰店\u200b ", "Ａ＆Ｂ旗舰店"),
        ('="素语旗舰店"', "素语旗舰店"),
        ("   ", None),
        ("plain shop", "plain shop"),
    ],
)
def test_parse_name_keeps_a_name_as_written(raw: str, expected: str | None) -> None:
    from renewal.intake.values import parse_name

    assert parse_name(raw) == expected


def test_a_shop_name_reaches_the_report_as_written(tmp_path) -> None:
    from conftest import AFTER_DEADLINE, run_file

    path = tmp_path / "e.csv"
    path.write_text(
        "商家ID,店铺名称,合同签署时间\nm1,素语（杭州）旗舰店,2022-01-01\n", encoding="utf-8"
    )
    (result,) = run_file(path, AFTER_DEADLINE).results
    assert result["shop_name"] == "素语（杭州）旗舰店"


@pytest.mark.parametrize(
    "text", ["1990-07-01 12:00", "1988-04-17 02:30", "0001-01-01", "1900-01-01"]
)
def test_beijing_time_is_utc_plus_8_whatever_the_year(text: str) -> None:
    """A naive time is Beijing time, UTC+8, not the tz database's Asia/Shanghai history
    (summer time 1986-1991, local mean time before 1901)."""
    moment = parse_datetime(text)
    assert moment is not None and moment.utcoffset() == timedelta(hours=8)
    assert moment.replace(tzinfo=None) == datetime.fromisoformat(text)
