"""Why a cell cannot be read, in the reader's language.

The value parsers (`renewal.intake.values`) say why a cell is unreadable in a short English
reason, because they run before any language is known and their reasons end up in several
places: a row's LD01/LD02/LD04 finding, a supporting sheet's LD04, a waiver file's error,
the self-check interview. Each of those formats its message here, so a Chinese message
carries a Chinese reason instead of an English one in the middle of it.
"""

from __future__ import annotations

import re

_ZH: dict[str, str] = {
    # what a column expects (the `expected` part of the reasons below)
    "text": "文本",
    "a merchant id": "商家ID",
    "a date": "日期",
    "an amount": "金额",
    "violation points": "违规扣分",
    "a score": "评分",
    "a yes/no value": "是/否",
    "R or TM": "R 或 TM",
    "an amount due or paid cannot be negative": "应缴或已缴金额不能是负数",
    # numbers and text
    "number too large": "数字过大",
    "not a finite number": "不是有限的数字",
    "text contains invalid characters (lone surrogates)": "文本含有无效字符（孤立的代理码位）",
    "text too long for this column": "文本过长",
    "an Excel error value: the formula that made it failed": "Excel 错误值，算出它的公式出错了",
    "a formula with no saved result: open the file in Excel and save it": (
        "公式没有保存计算结果：请在 Excel 中打开该文件并保存"
    ),
    # merchant ids
    "id in scientific notation: digits already lost; format the column as text": (
        "ID 是科学计数法，位数已经丢失；请把该列设为文本格式"
    ),
    "a number with a fraction is not a merchant id": "带小数的数字不是商家ID",
    "a negative number is not a merchant id": "负数不是商家ID",
    # dates and times
    "a time of day or duration with no date": "只有时刻或时长，没有日期",
    "date out of range": "日期超出范围",
    "number is neither an Excel date nor a YYYYMMDD date": (
        "数字既不是 Excel 日期，也不是 YYYYMMDD 格式的日期"
    ),
    "Excel serial below 1: a time of day with no date": "Excel 日期序号小于 1：只有时刻，没有日期",
    "number too large for an Excel date": "数字超出 Excel 日期的范围",
    "Excel serial 60 is 1900-02-29, a day that does not exist": (
        "Excel 日期序号 60 是 1900-02-29，这一天并不存在"
    ),
    "text too long to be a date": "文本过长，不是日期",
    "no such calendar date": "日历上没有这一天",
    "no such time of day": "没有这个时刻",
    "no such time of day (after 24:00)": "没有这个时刻（晚于 24:00）",
    "no such time of day (AM/PM given twice)": "没有这个时刻（上午/下午标了两次）",
    "no such UTC offset": "没有这个 UTC 时差",
    "ambiguous day/month order; use YYYY-MM-DD": "日、月的顺序不明确；请用 YYYY-MM-DD",
    "a time of day with no date": "只有时刻，没有日期",
    "a month and day with no year (write e.g. 2021-11-25 14:30)": (
        "缺少年份（请写成 2021-11-25 14:30 这样）"
    ),
    "not a date (expected e.g. 2021-11-25 14:30)": "不是日期（示例：2021-11-25 14:30）",
    "incomplete date: year, month and day are all needed": "日期不完整：年、月、日都要有",
    "time zone name not understood; use an offset like +08:00": (
        "无法识别时区名称；请用 +08:00 这样的时差"
    ),
    # amounts, points, yes/no, trademarks
    "not an amount (expected e.g. 50000, 50,000元, ¥60,000.00 or 5万)": (
        "不是金额（示例：50000、50,000元、¥60,000.00、5万）"
    ),
    "amount has two signs": "金额有两个正负号",
    "a dot before three digits may group thousands: write 50000 or 50.00": (
        "小数点后恰好三位，可能是千位分隔：请写成 50000 或 50.00"
    ),
    "amount too large": "金额过大",
    "violation points cannot be negative": "违规扣分不能是负数",
    "not a yes/no value (expected 是/否 or Y/N)": "不是是/否值（应为 是/否 或 Y/N）",
    "a number other than 1 or 0 is not a yes/no value": "1 和 0 以外的数字不是是/否值",
    "unknown trademark status (expected R or TM)": "无法识别的商标状态（应为 R 或 TM）",
    "no trademark status (expected R or TM)": "没有商标状态（应为 R 或 TM）",
    # supporting sheets (违规记录, 资质)
    "expected 严重违规 or 一般违规": "应为 严重违规 或 一般违规",
    "expected 无/申诉中/申诉成功/申诉失败": "应为 无/申诉中/申诉成功/申诉失败",
    "blank": "为空",
}
"""Every fixed reason the parsers give, in Chinese."""

_ZH_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"a yes/no value, expected (?P<expected>.+)"), "是/否值，应为{expected}"),
    (re.compile(r"a date or time, expected (?P<expected>.+)"), "日期或时间，应为{expected}"),
    (
        re.compile(r"unexpected (?P<kind>\w+) cell, expected (?P<expected>.+)"),
        "无法识别的单元格类型，应为{expected}",
    ),
    (re.compile(r"not a number, expected (?P<expected>.+)"), "不是数字，应为{expected}"),
    (
        re.compile(r"number over (?P<digits>\d+) digits: digits may be lost; store ids as text"),
        "数字超过 {digits} 位：位数可能已经丢失；请把 ID 存为文本",
    ),
)
"""The reasons with a part that varies: what the column expects, a type, a digit count."""

_EN_GLOSSED: dict[str, str] = {
    "expected 严重违规 or 一般违规": "expected 严重违规 (serious) or 一般违规 (general)",
    "expected 无/申诉中/申诉成功/申诉失败": (
        "expected 无 (none), 申诉中 (appeal pending), 申诉成功 (appeal upheld)"
        " or 申诉失败 (appeal rejected)"
    ),
}
"""The reasons that name the Chinese words a cell must hold, for a reader of English: the
words stay as they are to be typed, each with its meaning (as "考核不达标 (assessment
failed)" is glossed elsewhere). A yes/no reason needs none: it says "a yes/no value"."""


class Worded(str):
    """A reason already in the reader's language: worded with the run's catalogue rather
    than given by a parser (a day alone where the time decides, see
    renewal/checks/decisive.py), so it is shown as it is."""


def reason(text: str, lang: str) -> str:
    """A parser's reason in `lang`. A reason with no translation (one added to the parsers
    without one here, which a test forbids) is shown as it is rather than lost."""
    if lang == "en" or type(text) is Worded:
        return text
    found = _ZH.get(text)
    if found is not None:
        return found
    for pattern, template in _ZH_PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            parts = {name: _ZH.get(value, value) for name, value in match.groupdict().items()}
            return template.format(**parts)
    return text


def said(text: str, lang: str) -> str:
    """A parser's reason as a message shows it: in Chinese (`reason`), or in English with
    the Chinese words it expects glossed, so that a reader of English knows which to type
    (`reason` gives the parser's own words, which name the values the readers take)."""
    if lang == "en" and type(text) is not Worded:
        return _EN_GLOSSED.get(text, text)
    return reason(text, lang)
