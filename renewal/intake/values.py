"""One spreadsheet cell to one typed value.

Cells come from python-calamine (str, float for every number, bool, naive datetime, date,
timedelta/time for durations) or from the csv module (always str). Every parser gives
None for a blank cell and raises `Unreadable` for anything else it cannot read, so the
caller can report the cell and carry on; no other exception escapes, whatever the input.
These run once per cell of a possibly million-row export, so the common forms take the
cheapest path there is and regexes are kept for the rest. Dates and times are read by
`renewal.intake.dates`, on the same terms.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, time, timedelta
from decimal import Decimal

MAX_VALUE_CHARS = 64
"""Longer strings are no date or number; the cap also bounds regex and dateutil work."""

MAX_AMOUNT = 1e12
"""No renewal amount comes near a trillion yuan; a bigger one is a misplaced id or junk."""

EXCEL_DIGITS = 15
"""Excel keeps 15 significant digits of a number; longer ids typed as numbers are lost."""

_AMOUNT = re.compile(
    r"""
    (?P<s1>[-+]?)\s*(?:¥|RMB|CNY|人民币)?\s*(?P<s2>[-+]?)\s*
    (?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    \s*(?P<wan>万|w)?\s*(?:元整?|RMB|CNY)?
    """,
    re.VERBOSE | re.ASCII | re.IGNORECASE,
)
_DOT_GROUPED = re.compile(r"[1-9]\d{0,2}\.\d{3}", re.ASCII)
"""50.000 or ¥1.500: a dot before three digits, which groups thousands where a comma would
in much of the world. A yuan amount has at most two decimals (the fen), so such text is
either 50 or 50,000; it is refused rather than guessed."""
DOT_GROUPED_REASON = "a dot before three digits may group thousands: write 50000 or 50.00"
_POINTS = re.compile(r"(?P<sign>[-+]?)\s*(?P<n>\d+(?:\.\d+)?|\.\d+)\s*分?", re.ASCII)
_INTEGRAL_TEXT = re.compile(r"(\d+)\.0*", re.ASCII)
_SCIENTIFIC = re.compile(r"[-+]?\d+(?:\.\d+)?E[-+]\d+", re.ASCII | re.IGNORECASE)
_CATEGORY_SEPARATORS = re.compile(r"[、，,;；\s]+")
_AROUND_LEVELS = re.compile(r"\s*([/／>＞|｜\-－])\s*")
"""Spaces around a level mark (女装 / 女士精品) join the levels, they separate nothing."""
_TRADEMARK_SEPARATORS = re.compile(r"[、,/;|+＋\s]+")

DASHES = frozenset({"-", "--", "—", "——", "–"})
NOT_DONE = frozenset(
    (
        *("无", "否", "没有", "暂无", "未", "未完成", "未办理", "未报名", "未签署", "未签"),
        *("未缴", "未缴纳", "未缴费", "未补缴", "未付", "未支付", "no", "none", "×", "✗", "✘"),
    )
)
"""What ops staff write in a step's time column (续签报名时间, 协议签署时间, 保证金补缴时间,
年费缴纳时间) for a step not done yet (read after folding full-width forms, in any letter
case): no time, so the step is not done, as a blank or a dash is. Not "N/A" or 不适用,
which may mean the step does not apply rather than that it was not done; and not in 合同签署
时间 or 服务开通时间, where a 无 is no answer to when the contract or the store began."""
_YES = ("是", "有", "y", "yes", "true", "1", "1.0", "√", "✓", "✔", "对")
_NO = ("否", "无", "n", "no", "false", "0", "0.0", "×", "✗", "✘", "错")
_BOOLS = {**dict.fromkeys(_YES, True), **dict.fromkeys(_NO, False)}
_TRADEMARKS = {
    **dict.fromkeys(
        ("r", "®", "r标", "r商标", "®商标", "注册商标", "已注册", "已注册商标", "商标注册证"), "R"
    ),
    **dict.fromkeys(
        ("tm", "tm标", "tm商标", "商标注册申请受理通知书", "申请中", "商标申请中", "受理"), "TM"
    ),
}
BOOL_CHOICES = (_YES[0], _NO[0])
"""What a template's 是/否 drop-down offers: the first spelling of each."""
TRADEMARK_CHOICES = tuple(dict.fromkeys(_TRADEMARKS.values()))
"""What a template's 商标状态 drop-down offers: the statuses themselves (R, TM)."""


class Unreadable(ValueError):
    """A cell that holds something but not a value of the column's kind.

    Its text is a short English reason; the caller adds file, sheet, row and column.
    """


INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
"""Characters that show as nothing: zero-width spaces and joiners, the word joiner, and
U+FEFF (a BOM left inside a file by pasting a second export under the first)."""
_INVISIBLE_EDGES = re.compile(f"^[\\s{INVISIBLE}]+|[\\s{INVISIBLE}]+$")

_FOLDED: dict[str, str] = {}
_FOLDED_MAX = 200_000


def normalize_text(s: str) -> str:
    """Fold full-width forms to ASCII (NFKC) and trim; most cells need neither fold nor copy.
    A cell an export wrote as ="…" so that Excel keeps it text is the text inside.

    Chinese cells repeat (store types, categories, 是/否), and checking a CJK string for
    NFKC costs a microsecond, so folded forms are remembered, up to a bound.
    """
    if s.isascii():
        t = s.strip()
        if t[:1] == "'":
            return _quoted(t)
        return _excel_text(t) if t[:2] == '="' else t
    folded = _FOLDED.get(s)
    if folded is None:
        folded = s if unicodedata.is_normalized("NFKC", s) else unicodedata.normalize("NFKC", s)
        folded = _unwrapped(folded.strip())
        if folded[:1] == "'":
            folded = _quoted(folded)
        if len(_FOLDED) < _FOLDED_MAX:
            _FOLDED[s] = folded
    return folded


def _unwrapped(t: str) -> str:
    """A trimmed cell's text without what only wraps it: invisible characters at its ends,
    and ="…" (see `_excel_text`)."""
    if t and (t[0] in INVISIBLE or t[-1] in INVISIBLE):
        t = _INVISIBLE_EDGES.sub("", t)
    return _excel_text(t) if t[:2] == '="' else t


_QUOTED = frozenset("=+-@0123456789")


def _quoted(t: str) -> str:
    """`'100000000001`, `'+8613800000000`: the apostrophe someone typed so that Excel kept
    a number as text, or a CSV report (renewal's own among them) put before text a
    spreadsheet would otherwise run or turn into a number. In a CSV it stays in the cell;
    the value is what follows. Any other leading apostrophe is part of the text."""
    return t[1:] if t[1:2] in _QUOTED else t


def _excel_text(t: str) -> str:
    """`="00123"`, the text formula exports (Taobao's order export among them) write so that
    Excel shows a long id or a date as it is, not as 1.23E+11: the text inside, its doubled
    quotes undoubled. Anything else that starts with =" is left as it is."""
    inner = t[2:-1]
    if len(t) < 3 or t[-1] != '"' or '"' in inner.replace('""', ""):
        return t
    return inner.replace('""', '"').strip()


EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#EXTERNAL!",
        "#PYTHON!",
    }
)
"""What Excel (and WPS) show in a cell whose formula failed; a CSV saved from the sheet
holds the same text."""

EXCEL_ERROR_REASON = "an Excel error value: the formula that made it failed"


class Unsaved(str):
    """A workbook cell holding a formula whose result the file does not keep (a program
    wrote it and Excel never saved it): calamine reads such a cell as blank, so
    `tables.unread_cells` puts this in its place. It shows as its formula (`=B2*2`); no
    parser reads a value from it."""


UNSAVED_REASON = "a formula with no saved result: open the file in Excel and save it"


def clean_text(s: str) -> str:
    """normalize_text, refusing text that could not be written out again, an Excel error
    value (#N/A), which is no value at all, and a formula with no saved result."""
    if type(s) is Unsaved:
        raise Unreadable(UNSAVED_REASON)
    t = normalize_text(s)
    if t[:1] == "#" and t.upper() in EXCEL_ERRORS:
        raise Unreadable(EXCEL_ERROR_REASON)
    if not t.isascii():
        _refuse_unwritable(t)
    return t


def _refuse_unwritable(t: str) -> None:
    """Text that could not be written out again: a lone surrogate (from a broken CSV)."""
    try:
        t.encode("utf-8")
    except UnicodeEncodeError:
        raise Unreadable("text contains invalid characters (lone surrogates)") from None


def short_text(s: str) -> str:
    """A cleaned string meant to hold a date or number, which is never long."""
    t = clean_text(s)
    if len(t) > MAX_VALUE_CHARS:
        raise Unreadable("text too long for this column")
    return t


def finite(v: int | float) -> float:
    """A Python number as a finite float; NaN, infinities and giant ints are not numbers."""
    try:
        f = float(v)
    except OverflowError:
        raise Unreadable("number too large") from None
    if not math.isfinite(f):
        raise Unreadable("not a finite number")
    return f


def wrong_type(v: object, expected: str) -> Unreadable:
    if isinstance(v, bool):
        return Unreadable(f"a yes/no value, expected {expected}")
    if isinstance(v, date | time | timedelta):
        return Unreadable(f"a date or time, expected {expected}")
    return Unreadable(f"unexpected {type(v).__name__} cell, expected {expected}")


# -- text and ids ----------------------------------------------------------------------


def parse_name(v: object) -> str | None:
    """A name shown as written, a shop's 全角 brackets and spaces kept: trimmed, invisible
    characters dropped at its ends, ="…" unwrapped as for any cell, but never width-folded
    (nothing is matched against it). An ASCII name has nothing to fold and is read as any
    text (`parse_text`). A leading apostrophe before =, +, -, @ or a digit is a CSV's guard
    (renewal's own CSV report writes `'-店`), not the name's, in any script (ex20 §8)."""
    if not isinstance(v, str) or v.isascii():
        return parse_text(v)
    if type(v) is Unsaved:
        raise Unreadable(UNSAVED_REASON)
    t = _unwrapped(v.strip())
    if t[:1] == "'":
        t = _quoted(t)
    _refuse_unwritable(t)
    return t or None


def parse_text(v: object) -> str | None:
    """Trimmed, width-folded text, so that rule tables match full-width input too."""
    if isinstance(v, str):
        return clean_text(v) or None
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
    raise wrong_type(v, "text")


def parse_id(v: object) -> str | None:
    """A merchant id as text; a number is only an id if Excel can have kept every digit."""
    if isinstance(v, str):
        t = clean_text(v)
        if not t:
            return None
        if t.isdigit() and t.isascii() and len(t) <= MAX_VALUE_CHARS:
            return t
        if len(t) > MAX_VALUE_CHARS:  # a column pasted into one cell, not an id
            raise Unreadable("text too long for this column")
        integral = _INTEGRAL_TEXT.fullmatch(t)
        if integral:
            return integral.group(1)
        spaced = "".join(t.split())
        if spaced != t and spaced.isdigit() and spaced.isascii():
            return spaced  # `1000 0000 0001`, grouped to be read aloud: the same merchant
        if _SCIENTIFIC.fullmatch(t):
            raise Unreadable(
                "id in scientific notation: digits already lost; format the column as text"
            )
        return t
    if v is None:
        return None
    if isinstance(v, bool):
        raise wrong_type(v, "a merchant id")
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
    raise wrong_type(v, "a merchant id")


# -- numbers -----------------------------------------------------------------------------


def parse_amount(v: object) -> float | None:
    """CNY, to the fen; '-' alone is how exports leave an amount blank. 万 (or w, as
    it is typed by hand: 10w) is ten thousand. Excel's accounting and currency formats as
    a CSV keeps them, ¥- and (¥1,234.00), are read too (`_as_displayed`)."""
    if isinstance(v, str):
        t = short_text(v)
        if not t or t in DASHES:
            return None
        match = _AMOUNT.fullmatch(t)
        if not match:
            return _as_displayed(t)
        if match["s1"] and match["s2"]:
            raise Unreadable("amount has two signs")
        if not match["wan"] and _DOT_GROUPED.fullmatch(match["n"]):
            raise Unreadable(DOT_GROUPED_REASON)
        amount = float(match["n"].replace(",", ""))
        if match["wan"]:
            amount *= 10_000
        if "-" in (match["s1"], match["s2"]):
            amount = -amount
    elif v is None:
        return None
    elif isinstance(v, int | float) and not isinstance(v, bool):
        amount = finite(v)
    else:
        raise wrong_type(v, "an amount")
    if abs(amount) >= MAX_AMOUNT:
        raise Unreadable("amount too large")
    return round(amount, 2) + 0.0  # + 0.0 turns -0.0 into 0.0


NOT_AN_AMOUNT_REASON = "not an amount (expected e.g. 50000, 50,000元, ¥60,000.00 or 5万)"

_CURRENCY = r"(?:¥|RMB|CNY|人民币)"
_CURRENCY_FIRST = re.compile(_CURRENCY, re.IGNORECASE)
_ACCOUNTING_ZERO = re.compile(_CURRENCY + r"\s*(?:-{1,2}|—{1,2}|–)\s*元?", re.IGNORECASE)
_BRACKETED = re.compile(
    r"(?P<currency>" + _CURRENCY + r")?\s*\((?P<inner>[^()]*)\)\s*元?", re.IGNORECASE
)


def _as_displayed(t: str) -> float:
    """An amount as Excel displays it in its 会计专用 (accounting) and 货币 (currency)
    formats, and so as a CSV saved from the sheet holds it: zero as a dash after the
    currency sign (` ¥-   `: a bare `-` stays an amount left blank, as exports write one),
    a negative in brackets (`(¥1,234.00)`, `¥(1,234.00)`, `(1,234.00)`). Raises
    Unreadable for anything else: only text the plain reading refused comes here."""
    if _ACCOUNTING_ZERO.fullmatch(t):
        return 0.0
    bracketed = _BRACKETED.fullmatch(t)
    if bracketed is None:
        raise Unreadable(NOT_AN_AMOUNT_REASON)
    inner = bracketed["inner"].strip()
    match = _AMOUNT.fullmatch(inner)
    if match is None or (bracketed["currency"] and _CURRENCY_FIRST.match(inner)):
        raise Unreadable(NOT_AN_AMOUNT_REASON)
    if match["s1"] or match["s2"]:
        raise Unreadable("amount has two signs")
    return -(parse_amount(inner) or 0.0) + 0.0  # + 0.0 turns -0.0 into 0.0


def parse_due(v: object) -> float | None:
    """An amount due or paid (应缴, 已缴): never negative. A balance may be (an account
    overdrawn by deductions), so it is read by parse_amount; -60000 due is a typo, and
    read as a number it would pass as nothing to pay."""
    amount = parse_amount(v)
    if amount is not None and amount < 0:
        raise Unreadable(NEGATIVE_DUE_REASON)
    return amount


NEGATIVE_DUE_REASON = "an amount due or paid cannot be negative"

_OWN_UNIT = re.compile(r"[元万¥w]|rmb|cny|人民币", re.IGNORECASE)
"""What an amount's text names its unit or currency by (￥ folds to ¥)."""


def scaled_amount(factor: int, due: bool) -> Callable[[object], float | None]:
    """The reader of an amount column whose header writes its amounts in a unit of `factor`
    yuan (万元: 10,000; 千元: 1,000). A number, or text that is a number alone, is in that
    unit; text that names its own unit or currency (5万, 50,000元, ¥50,000, RMB 5) is read
    as it says, as it is in any column: the header says what a bare figure means, not
    what a cell that says otherwise means. A figure is scaled as the decimal written (not
    a float's product, which can miss by a fen) and then rounded to the fen as
    `parse_amount` rounds: 4.56785 under 万元 reads as 45678.5 typed in yuan does. `due`:
    never negative, as `parse_due`."""
    parse = parse_due if due else parse_amount

    def read(v: object) -> float | None:
        if isinstance(v, str):
            t = short_text(v)
            if _OWN_UNIT.search(t) or parse_amount(t) is None:  # its own unit, or blank
                return parse(t)
            written = _written(t)
        elif isinstance(v, int | float) and not isinstance(v, bool):
            written = Decimal(v) if isinstance(v, int) else Decimal(repr(finite(v)))
        else:
            return parse(v)  # None, or why a yes/no or a date is no amount
        amount = written * factor
        if abs(amount) >= MAX_AMOUNT:
            raise Unreadable("amount too large")
        if due and amount < 0:
            raise Unreadable(NEGATIVE_DUE_REASON)
        return round(float(amount), 2) + 0.0  # + 0.0 turns -0.0 into 0.0

    return read


def _written(t: str) -> Decimal:
    """The figure of an amount's text that `parse_amount` reads and that names no unit of
    its own, as written: `-1,234.5`, or `(1,234.50)`, a negative as Excel's accounting
    format shows one."""
    match = _AMOUNT.fullmatch(t)
    negative = False
    if match is None:
        bracketed = _BRACKETED.fullmatch(t)
        match = _AMOUNT.fullmatch(bracketed["inner"].strip()) if bracketed else None
        negative = True
    if match is None:  # parse_amount read it, so it is one of the two
        raise Unreadable(NOT_AN_AMOUNT_REASON)
    figure = Decimal(match["n"].replace(",", ""))
    if "-" in (match["s1"], match["s2"]):
        negative = not negative
    return -figure if negative else figure


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
        t = short_text(v)
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
        return finite(v) + 0.0
    raise wrong_type(v, expected)


# -- flags and statuses ------------------------------------------------------------------


def parse_bool(v: object) -> bool | None:
    """Yes/no in the many spellings exports use (是/否, Y/N, √/×, 1/0, ...)."""
    if isinstance(v, str):
        t = short_text(v)
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
    raise wrong_type(v, "a yes/no value")


APPEAL_STATES = {
    "": "none",
    "无": "none",
    "none": "none",
    "否": "none",
    "no": "none",
    "未申诉": "none",
    "无申诉": "none",
    "不申诉": "none",
    "放弃申诉": "none",
    "申诉中": "pending",
    "pending": "pending",
    # an appeal filed whose outcome is not written: pending, the side on which TB01
    # refuses the transfer, as a decided one would be spelt 申诉成功 or 申诉失败
    "已申诉": "pending",
    "申诉处理中": "pending",
    "申诉审核中": "pending",
    "申诉待审核": "pending",
    "审核中": "pending",
    "处理中": "pending",
    "appealed": "pending",
    "under appeal": "pending",
    "申诉成功": "succeeded",
    "申诉通过": "succeeded",
    "申诉已通过": "succeeded",
    "成功": "succeeded",
    "已撤销": "succeeded",
    "处罚撤销": "succeeded",
    "succeeded": "succeeded",
    "申诉失败": "failed",
    "申诉驳回": "failed",
    "申诉被驳回": "failed",
    "申诉不通过": "failed",
    "申诉未通过": "failed",
    "驳回": "failed",
    "已驳回": "failed",
    "失败": "failed",
    "failed": "failed",
    "rejected": "failed",
}
"""A penalty appeal's state as 违规记录's 申诉状态 spells it (compared as `appeal_state`
folds it): the four words the template offers and the other words exports and hand-kept
sheets use for them."""


def appeal_state(v: object) -> str | None:
    """A 申诉状态 cell's state (none, pending, succeeded, failed): None when no word of
    APPEAL_STATES names it. Spaces (full-width too) and the case of English are folded."""
    if v is None:
        return "none"
    return APPEAL_STATES.get(normalize_text(str(v)).lower())


def parse_appeal_pending(v: object) -> bool | None:
    """处罚申诉中: yes/no as `parse_bool` reads it, or an appeal's state in 申诉状态's words
    (申诉中 is yes; 无, 申诉成功, 申诉失败 … no)."""
    if isinstance(v, str) and (t := short_text(v)):
        state = APPEAL_STATES.get(t.lower())
        if state is not None:
            return state == "pending"
    return parse_bool(v)


def parse_trademark(v: object) -> str | None:
    """'TM' or 'R' for a store that may list several brands.

    The deposit depends on the weakest brand: one TM (application only) makes the store TM.
    """
    if v is None:
        return None
    if not isinstance(v, str):
        raise wrong_type(v, "R or TM")
    t = clean_text(v)
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
    """A 主营类目 cell may name several categories, separated by 、，,;； or spaces (a
    category name has none: 医药 图书音像 is two); '/' is part of a name, not a separator.

    Category cells repeat from row to row and several rules read them, so the split is
    remembered (up to a bound)."""
    found = _SPLIT.get(v)
    if found is None:
        parts = _CATEGORY_SEPARATORS.split(_AROUND_LEVELS.sub(r"\1", v.strip()))
        found = tuple(c for c in (normalize_text(p) for p in parts) if c)
        if len(_SPLIT) < _SPLIT_MAX:
            _SPLIT[v] = found
    return found
