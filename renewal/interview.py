"""`renewal self-check` without a file: the questions on the terminal.

What the year's rules need to know is asked one question at a time, each answer read as the
export column it fills would read it, and written as a one-row export (renewal/selfcheck.py
checks it through the same pipeline as a file). Where what to ask next depends on a rule's
verdict (does the deposit insurance count? is this category reviewed? does the assessment
apply?), the year's own check is asked on the answers so far, so the questions cannot drift
from the rules.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

from renewal import i18n, reasons
from renewal.checks import (
    category_names,
    decisive,
    has_fee,
    lists_category,
    reviewed_categories,
)
from renewal.checks.assessment import DailyAssessmentParams, ReviewParams
from renewal.checks.context import Context
from renewal.checks.decisive import PRESENT, Judging, as_past
from renewal.checks.deposit import DepositParams
from renewal.checks.fee import AnnualFeeParams
from renewal.checks.registry import REGISTRY, Role
from renewal.checks.transfer import TransferParams, counted_period
from renewal.engine import Plan, evaluate
from renewal.intake.columns import HEADER_OF, QUALIFICATION_COLUMNS
from renewal.intake.dates import names_day_alone, parse_date, parse_datetime
from renewal.intake.values import (
    EXCEL_ERROR_REASON,
    Unreadable,
    normalize_text,
    parse_amount,
    parse_bool,
    parse_due,
    parse_points,
    parse_text,
    parse_trademark,
    split_categories,
)
from renewal.model import Finding, Merchant, Outcome, Status
from renewal.ruleset import RuleSet, StepParams
from renewal.timeutil import BEIJING

STORE_TYPES = ("旗舰店", "专卖店", "专营店", "卖场型旗舰店")
"""Offered when the year has no deposit table to take the store types from."""

SPOKEN_YES_NO = {
    **dict.fromkeys(("是的", "对的", "有的", "已完成", "完成了", "已经完成"), True),
    **dict.fromkeys(
        ("没有", "没", "不是", "不", "未", "没完成", "未完成", "还没", "还没有"), False
    ),
}
"""How a merchant answers a yes/no question in words, beside what a 是/否 column reads."""

UNKNOWN_WORDS = frozenset(
    (
        *("不知道", "不清楚", "不确定", "不晓得", "不记得", "未知", "不详"),
        *("don't know", "dont know", "do not know", "not sure", "unknown"),
    )
)
"""How a merchant says it does not know an amount the rule set's tables do not give (read
after width folding, in any letter case): the cell is left blank, as a file leaves one."""

OTHER_CATEGORY_WORDS = frozenset(("其他", "其它", "other", "others"))
"""How a merchant says its store is in an ordinary category, none of those the rule set
lists (read in any letter case): taken as typed, a category no table lists, which is what
the checks judge as a general one (ex24 §1)."""

EXAMPLE_CATEGORIES = 6
"""How many of the rule set's categories a refused category answer names as examples."""

T = TypeVar("T")

DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
"""Full-width digits, as a Chinese input method types them, to ASCII."""

NOT_AN_ANSWER = "?"
"""Text no typed parser reads (dates, amounts, points, yes/no, trademarks): its reason is
the one given for an Excel error value typed as an answer."""

BOM = "\ufeff"
"""What Windows Notepad writes before the first line of a file it saves as UTF-8."""

_UNDECODED = re.compile("[\ud800-\udfff]")
"""A lone surrogate: how stdin reads a byte that is not UTF-8 (`surrogateescape`)."""

RELATIVE_DAYS = {
    **dict.fromkeys(("今天", "今日", "today"), 0),
    **dict.fromkeys(("昨天", "昨日", "yesterday"), 1),
    "前天": 2,
}
"""A day named by a word in a moment's answer: how many days before the as-of's day."""

_RELATIVE_DAY = re.compile(
    rf"({'|'.join(RELATIVE_DAYS)})(?![a-z])(?:\s+at(?![a-z]))?\s*", re.IGNORECASE
)
_AM_PM_HOUR = re.compile(
    r"(?<![\d:.])(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s*m\.?(?![a-z])", re.IGNORECASE | re.ASCII
)
_COMPACT_MOMENT = re.compile(r"(\d{8})\s+(\d{2})(\d{2})", re.ASCII)
"""20221121 1500: the YYYYMMDD day the intake reads, with the time as four digits."""


class InterviewEnded(Exception):
    """The input ended before every question was answered."""


class AnswersAdrift(Exception):
    """Answers read from a pipe or a file (not typed at a terminal) refused twice running
    for one question: the lines after a refused one are most likely meant for the later
    questions, and taking them here would shift every answer after (a mistyped contract
    date once ended in 无需续签, exit 0, for a store that must renew: ex22 §2)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Asker:
    """Asks one question at a time on the terminal (prompts on stderr, so stdout holds only
    the checklist) and re-asks until the answer reads as the column it fills would."""

    def __init__(self, lang: str, as_of: datetime) -> None:
        from rich.console import Console

        self.lang = lang
        self.as_of = as_of  # the checks' moment: a time after it has not happened yet
        now = datetime.now(BEIJING)
        self.as_of_past = as_past(as_of, now)
        """Whether something done on the as-of's day may have been done after it."""
        self.as_of_now = not self.as_of_past and as_of < now + PRESENT
        """Whether the as-of is now: else the questions ask about it, not about today (an
        amount worded "current" was judged at a past as-of that refused the later times)."""
        if isinstance(sys.stdin, io.TextIOWrapper):
            # bytes that are not UTF-8 (answers saved in GBK) come through as lone
            # surrogates, refused in words (`answer`), rather than fail the whole read
            sys.stdin.reconfigure(errors="surrogateescape")
        self.texts = i18n.catalog(lang)
        self.console = Console(stderr=True, highlight=False)
        self.typed = bool(sys.stdin is not None and sys.stdin.isatty())
        """Answers typed at a terminal, where a refused one is simply typed again."""
        self._asked = ""  # the question last read, and how often its answer was refused
        self._refused = 0

    def say(self, text: str) -> None:
        for line in self._folded(text):
            self._print(line)

    def _folded(self, text: str, room: int = 0) -> list[str]:
        """`text` folded as the checklist is (`render.wrapping`: at a space or between
        Chinese characters, never inside a date-time, an amount, Ctrl-C or （是/否）), to the
        width of the questions' stream less `room` columns; as it is where that stream has
        none (`selfcheck.output_width`: a pipe or a file without COLUMNS). Rich folded it
        at whatever column it reached: 截止 2022-12-26 / 18:00）, （ / 是/否） (ex22 §9)."""
        from renewal.render.wrapping import wrapped
        from renewal.selfcheck import output_width

        width = output_width(self.console)
        return wrapped(text.splitlines() or [""], None if width is None else width - room)

    def _print(self, line: str, end: str = "\n") -> None:
        """A line already folded: rich neither folds it again nor reads markup in it."""
        self.console.print(line, end=end, markup=False, emoji=False, soft_wrap=True)

    def again(self, reason: str, understood: bool = False) -> None:
        """Say why the answer is asked again: one `understood` (read, but needed or after the
        as-of) is not called misunderstood (ex22 §9)."""
        key = "ask.again_refused" if understood else "ask.again"
        self.say(self.texts[key].format(reason=reason))
        self._refused += 1
        if not self.typed and self._refused >= 2:  # one correction, as a typist makes
            raise AnswersAdrift(reason)

    def _read(self, prompt: str, default: str | None) -> str:
        if prompt != self._asked:
            self._asked, self._refused = prompt, 0

        shown = f"{prompt} [{default}]" if default not in (None, "") else prompt
        # folded as `say` folds, one column kept for the space the answer is typed after
        *above, last = self._folded(f"{shown}:", room=1)
        for line in above:
            self._print(line)
        self._print(f"{last} ", end="")
        try:
            answer = input()
        except EOFError:
            raise InterviewEnded from None
        answer = answer.strip()
        return answer if answer else (default or "")

    def value(
        self,
        prompt: str,
        parse: Callable[[object], T | None],
        default: str | None = None,
        required: bool = True,
    ) -> tuple[str, T | None]:
        """The answer as typed (what goes in the export) and as read."""
        while True:
            answer = self.answer(prompt, default)
            try:
                read = parse(answer)
            except Unreadable as exc:
                self.again(self.unreadable(parse, str(exc)))
                continue
            if read is None and required:
                self.again(self.texts["ask.required"], understood=True)
                continue
            return answer, read

    def answer(self, prompt: str, default: str | None) -> str:
        """The answer to `prompt` as text: without the byte-order mark Windows Notepad puts
        before a file's first line (the first answer, 1, was refused as no choice), and
        asked again when it holds bytes that are not UTF-8, saying so in words a shop owner
        can act on (the parser's "lone surrogates" could not be)."""
        while True:
            answer = self._read(prompt, default)
            if answer.startswith(BOM):
                answer = answer.removeprefix(BOM).strip() or (default or "")
            if not _UNDECODED.search(answer):
                return answer
            self.again(self.texts["ask.undecodable_typed" if self.typed else "ask.undecodable"])

    def unreadable(self, parse: Callable[[object], object], reason: str) -> str:
        """Why an answer cannot be read, in the asker's language. An Excel error value
        (#N/A) typed as an answer came from no formula: it is refused as the question
        refuses any text it cannot read, with the parser's own reason for such text (not a
        date, not an amount ...), or, where any text would do, as unreadable."""
        if reason == EXCEL_ERROR_REASON:
            try:
                parse(NOT_AN_ANSWER)
            except Unreadable as exc:
                reason = str(exc)
            else:
                return self.texts["ask.unreadable"]
        return reasons.reason(reason, self.lang)

    def when(self, prompt: str, required: bool = True) -> tuple[str, datetime | None]:
        """A moment something was done: re-asked if it is after the as-of, which the checks
        would count as not done yet. Said as people say it (昨天下午3点, 3pm, 20221121 1500:
        `_spoken_moment`), it goes in the export as the intake reads it."""
        today = self.as_of.astimezone(BEIJING).date()

        def moment(value: object) -> datetime | None:
            return parse_datetime(_spoken_moment(value, today) if type(value) is str else value)

        while True:
            answer, read = self.value(prompt, moment, required=required)
            if read is None or read <= self.as_of:
                return _spoken_moment(answer, today), read
            shown = i18n.moment(self.as_of)
            self.again(self.texts["ask.future"].format(as_of=shown), understood=True)

    def time_on(self, day: date, why: str, what: str) -> tuple[str, datetime]:
        """The time of day of something given as `day` alone, where `why` says what that
        day's time decides; a whole moment typed again is taken too."""
        t = self.texts
        shown = i18n.day(day)
        self.say(t["ask.day_only"].format(day=shown, why=why))
        while True:
            # named, as two answers on one day are asked one after the other (ex22 §5)
            answer = self.answer(t["ask.time_of_day"].format(day=shown, what=what), None)
            if not answer:
                self.again(t["ask.required"], understood=True)
                continue
            found = _moment_on(shown, answer, self.as_of.astimezone(BEIJING).date())
            if found is None:
                self.again(t["ask.time_again"])
            elif found[1] > self.as_of:
                moment = i18n.moment(self.as_of)
                self.again(t["ask.future"].format(as_of=moment), understood=True)
            else:
                return found

    def yes_no(self, prompt: str, default: bool = False) -> bool:
        choices = self.texts["ask.yes_no"]
        if self.lang == "en":
            shown, answer = f"{prompt} ({choices})", "y" if default else "n"
        else:
            shown, answer = f"{prompt}（{choices}）", "是" if default else "否"
        _, read = self.value(shown, self._yes_or_no, answer)
        return bool(read)

    def _yes_or_no(self, value: object) -> bool | None:
        """A yes/no answer; one it cannot read is refused in the words of the question's
        (y/n), not in those of an export's 是/否 column."""
        try:
            return _spoken_bool(value)
        except Unreadable:
            raise Unreadable(self.texts["ask.not_yes_no"]) from None

    def choice(
        self,
        prompt: str,
        choices: Sequence[str],
        shown: Sequence[str] | None = None,
        read: Callable[[str], str | None] | None = None,
    ) -> str:
        """One of `choices`, by its number, its text, or whatever `read` takes for it; there
        is no default, so an empty answer is asked again as required. Listed 1. 旗舰店、
        2. 专卖店 (1. 旗舰店 (flagship), 2. … in English): a "1)" inside the prompt's own
        brackets would leave them unbalanced."""
        items = [f"{n}. {c}" for n, c in enumerate(shown or choices, start=1)]
        numbered = i18n.listed(items, self.lang)
        while True:
            answer = self.answer(prompt.format(choices=numbered), None)
            if not answer:
                self.again(self.texts["ask.required"], understood=True)
                continue
            number = _number(answer)
            if number is not None and 1 <= number <= len(choices):
                return choices[number - 1]
            try:
                text = parse_text(answer) or ""
            except Unreadable:  # #N/A, say: none of the choices
                text = ""
            if text in choices:
                return text
            found = read(text) if read is not None and text else None
            if found is not None:
                return found
            self.again(self.texts["ask.choice"])


def _number(answer: str) -> int | None:
    """A choice's number in ASCII or full-width digits. Other characters Unicode calls
    digits (①, ², ١) are no number here: they are asked again like any other answer."""
    digits = answer.translate(DIGITS)
    return int(digits) if digits.isascii() and digits.isdecimal() else None


def _day_only(answer: str, read: datetime) -> bool:
    """Whether `answer`, read as `read`, named a day and no time of day (2021-11-19,
    2021年11月19日, 20211119, Nov 19, 2021): read as that day's 00:00, when nothing was
    done. Such an answer still reads when a time of day is written after it; one that
    has a time (00:00 typed, 24时 the day before) does not."""
    return read.time() == time() and names_day_alone(answer)


def _moment_on(day: str, answer: str, today: date) -> tuple[str, datetime] | None:
    """A time of day typed for `day` (14:30, 下午2:30, 14时30分, 3pm), or a whole moment
    typed again (昨天下午3点 with `today` the as-of's day), as the export's text and as
    read; None when it is neither."""
    for typed in (f"{day} {answer}", answer):
        text = _spoken_moment(typed, today)
        try:
            read = parse_datetime(text)
        except Unreadable:
            continue
        if read is not None and not _day_only(text, read):
            return text, read
    return None


def _spoken_moment(text: str, today: date) -> str:
    """A moment typed as people say one, as the intake reads it: a day named by a word
    (今天, 昨天, 前天, today, yesterday: days before `today`, the as-of's Beijing day;
    昨天下午3点 is that day at 15:00, 昨天 alone that day alone, whose time is asked where it
    decides), an hour with am/pm and no minutes (3pm, 3 PM: 3:00 PM) and a compact day with
    a four-digit time (20221121 1500). The answers' own: the export readers are on the
    hot path of million-row files, where no platform writes these. Text that has none of
    them comes back as typed."""
    folded = normalize_text(text)
    spoken = folded
    relative = _RELATIVE_DAY.match(spoken)
    if relative is not None:
        day = today - timedelta(days=RELATIVE_DAYS[relative.group(1).casefold()])
        spoken = f"{day.isoformat()} {spoken[relative.end() :]}".rstrip()
    compact = _COMPACT_MOMENT.fullmatch(spoken)
    if compact is not None:
        spoken = f"{compact[1]} {compact[2]}:{compact[3]}"
    spoken = _AM_PM_HOUR.sub(_clock, spoken)
    return spoken if spoken != folded else text


def _clock(hour: re.Match[str]) -> str:
    """3pm as 3:00 PM, 3:30 p.m. as 3:30 PM: the forms the intake reads."""
    return f"{hour[1]}:{hour[2] or '00'} {hour[3].upper()}M"


def _or_unknown(parse: Callable[[object], T | None]) -> Callable[[object], T | None]:
    """`parse`, with an empty answer or one of UNKNOWN_WORDS read as not known (None).
    Typographic apostrophes (don’t) are the typed ones."""

    def read(value: object) -> T | None:
        text = parse_text(value)  # #N/A typed raises here, and is asked again (Asker.unreadable)
        if text is None or text.replace("’", "'").casefold() in UNKNOWN_WORDS:
            return None
        return parse(value)

    return read


def _spoken_bool(value: object) -> bool | None:
    try:
        return parse_bool(value)
    except Unreadable:
        spoken = SPOKEN_YES_NO.get(parse_text(value) or "")
        if spoken is None:
            raise
        return spoken


@dataclass
class Answers:
    """What the merchant answered, as the export's cells."""

    row: dict[str, str]
    """The merchant row, by the intake's field names."""
    documents: list[tuple[str, str]] | None = None
    """The 资质 sheet's rows (type, expiry day) when the year's review asked for them."""


class Interview:
    """The questions of one year's rules, in the rule file's order."""

    def __init__(self, ruleset: RuleSet, lang: str, asker: Asker) -> None:
        self.ruleset = ruleset
        self.lang = lang
        self.asker = asker
        self.texts = i18n.catalog(lang)
        self.rules = {code: p for code, p in ruleset.rules.items() if p.enabled}
        self.answers = Answers({"merchant_id": self.texts["ask.merchant_id"]})
        self.merchant = Merchant(sheet="", row=0)
        """The answers as read, for asking a rule what follows from them."""
        self.example = i18n.moment(ruleset.cycle.window_opens)
        self.insured: DepositParams | None = None
        """The deposit while whether the insurance counts waits on the agreement's signing."""
        self.day_only: dict[str, date] = {}
        """Moments answered as a day alone (read as its 00:00) whose time has not been asked."""
        self.judging = Judging.of(ruleset, asker.as_of if asker.as_of_past else None, asker.as_of)
        """What a day alone is judged against, as a check run judges an export's."""

    # -- reading an answer into its column --

    def ask(
        self,
        field: str,
        prompt: str,
        parse: Callable[[object], Any],
        default: str | None = None,
        required: bool = True,
    ) -> Any:
        self.answers.row[field], read = self.asker.value(prompt, parse, default, required)
        setattr(self.merchant, field, read)
        return read

    def ask_unknown(self, field: str, prompt: str, parse: Callable[[object], Any]) -> Any:
        """An amount the merchant may not know (Enter, or 不知道): then the cell is blank,
        as in a file, and the rule that needs it says it cannot tell, rather than the
        merchant typing 0 to get past the question and being told there is nothing to pay."""
        answer, read = self.asker.value(prompt, _or_unknown(parse), required=False)
        self.answers.row[field] = "" if read is None else answer
        setattr(self.merchant, field, read)
        return read

    def when(self, field: str, prompt: str, required: bool = True) -> datetime | None:
        answer, read = self.asker.when(prompt, required)
        self.answers.row[field] = answer
        setattr(self.merchant, field, read)
        if read is not None and _day_only(answer, read):
            self.day_only[field] = read.date()
        self.settle(field)
        settled: datetime | None = getattr(self.merchant, field)  # its time asked, maybe
        return settled

    def settle(self, first: str) -> None:
        """Ask the time of day of each moment answered as a day alone whose day the checks
        cannot judge without it (see `undecided`): the one just answered first, then any
        earlier one that a later answer made undecided (a policy renewed on the day the
        agreement was signed). On any other day every time gives the same verdict, and the
        day alone is kept."""
        while True:
            fields = sorted(self.day_only, key=lambda field: field != first)
            found = ((f, self.undecided(f, self.day_only[f])) for f in fields)
            field, why = next(((f, why) for f, why in found if why is not None), ("", None))
            if why is None:
                return
            day = self.day_only.pop(field)
            header = HEADER_OF.get(field, field)
            what = f"{header} ({field.replace('_', ' ')})" if self.lang == "en" else header
            self.answers.row[field], read = self.asker.time_on(day, why, what)
            setattr(self.merchant, field, read)

    def undecided(self, field: str, day: date) -> str | None:
        """Why the verdict on `field` done on `day` depends on the time that day (see
        `decisive.undecided`), judged on the answers so far; None when any time that day
        gives the same verdict."""
        found = decisive.undecided(field, day, self.judging, self.merchant, self.day_only)
        return None if found is None else decisive.why(found, self.lang)

    def flag(self, field: str, prompt: str) -> bool:
        answer = self.asker.yes_no(prompt)
        self.answers.row[field] = "是" if answer else "否"
        setattr(self.merchant, field, answer)
        return answer

    def passes(self, code: str, params: Any, **cells: Any) -> bool:
        """Whether the year's own check passes on the answers so far (and `cells`), with
        every column present and no 资质 sheet."""
        return self.judged(code, params, **cells)["status"] is Status.PASS

    def judged(self, code: str, params: Any, **cells: Any) -> Finding:
        """The year's own check's finding on the answers so far (and `cells`), as `passes`,
        judged as answers are (`Context.answers`)."""
        merchant = dataclasses.replace(self.merchant, **cells)
        cycle = self.ruleset.cycle
        ctx = Context.create(self.asker.as_of, cycle, self.lang, HEADER_OF, answers=True)
        return REGISTRY[code].check(merchant, params, ctx)

    def renewed(self) -> bool:
        """Whether the answers so far renew the store, as the engine judges the one-row
        export they become (its columns those answered, as `selfcheck.interactive` runs
        it): then the fallback is never looked at. A year's review that asked for a 资质
        sheet is judged without it, so such a store is never taken for renewed here."""
        columns = {field: HEADER_OF[field] for field in self.answers.row}
        ctx = Context.create(
            self.asker.as_of,
            self.ruleset.cycle,
            self.lang,
            columns,
            fee_year=has_fee(self.ruleset),
            answers=True,
            reviewed_categories=reviewed_categories(self.ruleset),
        )
        merchant = dataclasses.replace(self.merchant, merchant_id=self.answers.row["merchant_id"])
        return evaluate(merchant, Plan.of(self.ruleset), ctx)["outcome"] is Outcome.RENEWED

    def worded(self, key: str, **values: object) -> str:
        """The question `key`, or, when the as-of is not now, its `_as_of` form, which asks
        about that moment: an amount asked as "current" was judged at a past as-of whose
        later times were refused, so a merchant could give no answer that was true at
        both (ex22 §3)."""
        if self.asker.as_of_now:
            return self.texts[key].format(**values)
        as_of = i18n.moment(self.asker.as_of)
        return self.texts[f"{key}_as_of"].format(as_of=as_of, **values)

    # -- the questions --

    def run(self) -> Answers:
        t = self.texts
        cycle = self.ruleset.cycle
        name = self.ruleset.name_en if self.lang == "en" else self.ruleset.name
        self.asker.say(t["ask.intro"].format(name=name, deadline=i18n.moment(cycle.window_closes)))
        if not self.asker.as_of_now:  # the questions are about then (`worded`)
            self.asker.say(t["ask.as_of"].format(as_of=i18n.moment(self.asker.as_of)))
        self.store()
        cutoff = getattr(self.rules.get("SC01"), "signed_at_or_before", None)
        # an example no renewal year would call too recent (the cut-off is the window's)
        example = f"{cycle.window_opens.year - 3}-06-01 10:00"
        signed = self.when("contract_signed_at", t["ask.contract"].format(example=example))
        if isinstance(cutoff, datetime) and signed is not None and signed > cutoff:
            self.asker.say(t["ask.exempt"].format(cutoff=i18n.moment(cutoff)))
            return self.answers

        for code, params in self.rules.items():
            rule = REGISTRY.get(code)
            if rule is None:
                continue
            if rule.role == Role.BLOCKER:
                column = getattr(params, "column", None)
                if isinstance(column, str) and column not in self.answers.row:
                    label = getattr(params, "label_en" if self.lang == "en" else "label", code)
                    self.flag(column, self.worded("ask.blocker", label=label))
            elif rule.role == Role.STEP:
                self.step(code, params)
            elif isinstance(params, DailyAssessmentParams):
                self.daily_assessment(params)
        self.cash_if_uninsured()  # the agreement's signing is known now
        for code, params in self.rules.items():
            if isinstance(params, TransferParams):
                self.transfer(code, params)
        return self.answers

    def store(self) -> None:
        """Store type, trademark and category: what the amounts depend on."""
        t = self.texts
        deposit = self.rules.get("DP01")
        table = deposit if isinstance(deposit, DepositParams) else None
        types = [tier.store_type for tier in table.table] if table is not None else []
        shown = types
        if table is not None and self.lang == "en":
            # the rule file's English name beside each, written as it is typed (an alias
            # marketplace_flagship as marketplace flagship), as it is also accepted
            ascii_names = ([a for a in tier.aliases if a.isascii()] for tier in table.table)
            english = [_spoken(names[0]) if names else None for names in ascii_names]
            shown = [f"{n} ({e})" if e else n for n, e in zip(types, english, strict=True)]
        store_type = self.asker.choice(
            t["ask.store_type"], types or list(STORE_TYPES), shown, _store_type_reader(table)
        )
        self.answers.row["store_type"] = self.merchant.store_type = store_type
        tier = table.tier_for(store_type) if table is not None else None
        if tier is None or tier.any is None:
            self.ask("trademark", t["ask.trademark"], parse_trademark)
        fee = "AF01" in self.rules
        prompt = t["ask.category"] if fee else t["ask.category_optional"]
        self.category(prompt, required=fee)

    def category(self, prompt: str, required: bool) -> None:
        """The 主营类目, asked again while a category in it is none the year's tables list
        (`checks.lists_category`) nor one of OTHER_CATEGORY_WORDS. The checks judge such a
        category as a general one, which is right for an ordinary category and wrong for
        one typed as no table writes it: `travel` was charged the general deposit and let
        move to a 淘宝企业店铺, which 旅游 is shut out of, with only the fee step saying it
        did not know the category (ex24 §1). The rule files give no English names of
        categories, so the answer is asked for in Chinese, with a few of the year's own as
        examples; a store in an ordinary category says 其他 (other)."""
        names = category_names(self.ruleset)
        examples = list(names[:EXAMPLE_CATEGORIES])
        if len(names) > EXAMPLE_CATEGORIES:
            examples.append("…")
        while True:
            answer, read = self.asker.value(prompt, parse_text, required=required)
            typed = split_categories(read or "")
            unlisted = [
                name
                for name in typed
                if name.casefold() not in OTHER_CATEGORY_WORDS
                and not lists_category(self.ruleset, name)
            ]
            if not unlisted or not names:  # a year listing none judges every one alike
                break
            # the answer as typed when none of it is listed (2019-06-01 10:00 is one answer)
            shown = read if len(unlisted) == len(typed) else i18n.listed(unlisted, self.lang)
            said = self.texts["ask.category_unlisted"].format(
                categories=shown, examples=i18n.listed(examples, self.lang)
            )
            self.asker.again(said, understood=True)
        self.answers.row["category"], self.merchant.category = answer, read

    def step(self, code: str, params: Any) -> None:
        t = self.texts
        if isinstance(params, DepositParams):
            if params.insurance is None:
                self.cash(params)
            elif self.asker.yes_no(t["ask.insurance"]):
                at = t["ask.insurance_at"].format(example=self.example)
                self.when("deposit_insurance_renewed_at", at, required=False)
                self.answers.row["deposit_balance"] = ""
                self.insured = params
                self.cash_if_uninsured()
            else:
                self.cash(params)
        elif isinstance(params, AnnualFeeParams):
            self.fee(params)
        elif code == "AS01":
            self.when("service_opened_at", t["ask.service_opened"])
            if "assessment_failed" in self.answers.row:
                return
            if self.passes(code, params, assessment_failed=True):
                self.answers.row["assessment_failed"] = ""  # opened too late to be assessed
            else:
                self.flag("assessment_failed", t["ask.assessment"])
        elif isinstance(params, ReviewParams):
            self.review(code, params)
        elif code in ("DL01", "DL02"):
            label = _label(code, params, self.lang)
            field = "signup_at" if code == "DL01" else "agreement_signed_at"
            self.answers.row[field] = ""
            if self.asker.yes_no(self.worded("ask.step_done", label=label)):
                self.when(field, t["ask.step_at"].format(label=label, example=self.example))

    def cash(self, params: DepositParams) -> None:
        t = self.texts
        m = self.merchant
        if params.required_for(m.store_type, m.trademark, m.category) is None:
            self.ask_unknown("deposit_required", t["ask.deposit_required"], parse_due)
        # a balance may be below zero (deductions), as a file's is: read as a file reads it
        self.ask("deposit_balance", self.worded("ask.deposit_balance"), parse_amount, "0")
        self.answers.row["deposit_topped_up_at"] = ""
        if self.short(params):
            return  # no top-up made it enough: the time cannot change the step
        prompt = self.worded("ask.deposit_topped_up")
        topped_up = self.when("deposit_topped_up_at", prompt, required=False)
        closes = self.ruleset.cycle.window_closes
        if topped_up is not None and topped_up > closes:
            # in a file such a top-up leaves the balance at the deadline unknown (DP01's
            # error); a merchant knows it: asked, it is what decides, and the top-up after
            # the deadline goes (ex22 §1: the balance at the deadline made up the step)
            self.asker.say(t["ask.deposit_late"].format(at=i18n.moment(topped_up)))
            prompt = t["ask.deposit_at_deadline"].format(deadline=i18n.moment(closes))
            self.ask("deposit_balance", prompt, parse_amount)
            self.answers.row["deposit_topped_up_at"] = ""
            self.merchant.deposit_topped_up_at = None

    def short(self, params: DepositParams) -> bool:
        """Whether the cash balance answered is short of the deposit, DP01 owing a known
        shortfall with no top-up time: a balance short at the as-of fails the step whatever
        time a top-up had (a later one is refused as not done yet), so the time of "the
        top-up that made it enough" is not asked, and its cell is left blank, as in a
        file. An amount due that is not known is no shortfall: the time is asked."""
        found = self.judged("DP01", params, deposit_topped_up_at=None)
        return found["status"] is Status.FAIL and (found["owed"] or 0.0) > 0

    def cash_if_uninsured(self) -> None:
        """The insurance and the cash are alternatives: a policy that does not count leaves
        the cash balance to decide, and then it is asked. Whether the policy counts, DP01
        itself says (with no cash at all, does the step pass?); a policy renewed after
        signing does not, so while the signing is still to be asked, so is the cash."""
        params = self.insured
        if params is None:
            return
        renewed = self.merchant.deposit_insurance_renewed_at
        if renewed is None:
            self.asker.say(self.texts["ask.insurance_none"])
        elif self.passes("DP01", params, deposit_balance=0.0, deposit_topped_up_at=None):
            if "DL02" in self.rules and "agreement_signed_at" not in self.answers.row:
                return  # asked again once the signing is known
            self.insured = None
            return
        else:
            self.asker.say(self.texts["ask.insurance_uncounted"].format(at=i18n.moment(renewed)))
        self.insured = None
        self.cash(params)

    def fee(self, params: AnnualFeeParams) -> None:
        t = self.texts
        year = params.year
        if params.required_for(self.merchant.category) is None:
            prompt = t["ask.fee_required"].format(year=year)
            self.ask_unknown("annual_fee_required", prompt, parse_due)
        prompt = self.worded("ask.fee_paid", year=year)
        paid = self.ask("annual_fee_paid", prompt, parse_due, "0")
        self.answers.row["annual_fee_paid_at"] = ""
        if paid:
            self.when("annual_fee_paid_at", t["ask.fee_paid_at"].format(example=self.example))

    def review(self, code: str, params: ReviewParams) -> None:
        """A reviewed category's documents: the earliest to expire decides the review. A
        category the review does not cover passes without the 资质 sheet."""
        if self.passes(code, params):
            return
        t = self.texts
        self.asker.say(t["ask.review"].format(label=_label(code, params, self.lang)))
        _, kind = self.asker.value(t["ask.review_kind"], parse_text, required=False)
        # none expiring: its documents are 长期 (QR01 passes no store without documents)
        self.answers.documents = [] if kind else [("全部资质", "长期")]
        if kind:
            example = i18n.day(self.ruleset.cycle.window_closes.date())
            prompt = t["ask.review_expires"].format(kind=kind, example=example)
            answer, _ = self.asker.value(prompt, parse_date)
            self.answers.documents.append((kind, answer))

    def daily_assessment(self, params: DailyAssessmentParams) -> None:
        """The day-to-day assessment (AS02, 2022年度): not a step, but a store failing it
        cannot go on trading, which the checklist then says beside its verdict. Asked once
        (a year with the AS01 step asked it there)."""
        if "assessment_failed" in self.answers.row:
            return
        en = self.lang == "en"
        label, where = (params.label_en, params.where_en) if en else (params.label, params.where)
        prompt = self.worded("ask.daily_assessment", label=label, where=where)
        self.flag("assessment_failed", prompt)

    def transfer(self, code: str, params: TransferParams) -> None:
        """The points and the appeal, which decide the 淘宝企业店铺 fallback: asked only
        where they can change it. Not for a store the answers renew (the fallback is never
        looked at), nor where the year's own check refuses or skips the transfer with no
        points and no appeal (a category it excludes, an entrance closed at the as-of, a
        transfer already under way): then their cells are left blank, as in a file, which
        the check reads as none."""
        fields = ("serious_points", "general_points", "appeal_pending")
        none = {"serious_points": 0.0, "general_points": 0.0, "appeal_pending": False}
        if self.renewed() or not self.passes(code, params, **none):
            self.answers.row.update(dict.fromkeys(fields, ""))
            return
        t = self.texts
        period = counted_period(params, self.lang)
        self.asker.say(t["ask.transfer"])
        serious = self.worded("ask.serious", period=period)
        self.ask("serious_points", serious, parse_points, "0")
        general = self.worded("ask.general", period=period)
        self.ask("general_points", general, parse_points, "0")
        self.flag("appeal_pending", self.worded("ask.appeal"))


def _label(code: str, params: Any, lang: str) -> str:
    if isinstance(params, StepParams):
        return params.label_en if lang == "en" else params.label
    return code


_WORD_GAPS = re.compile(r"[\s_-]+")
"""Between the words of an English store type: marketplace flagship, marketplace-flagship."""


def _spoken(alias: str) -> str:
    """An alias as a person writes it: marketplace_flagship as marketplace flagship."""
    return alias.replace("_", " ")


def _store_type_reader(table: DepositParams | None) -> Callable[[str], str | None] | None:
    """A store type as the deposit table resolves it (its name or an alias, in any letter
    case: Flagship, as the export's flagship; an alias's words apart as shown, marketplace
    flagship), given by the table's own name."""
    if table is None:
        return None

    def read(text: str) -> str | None:
        tier = table.tier_for(text) or table.tier_for(_WORD_GAPS.sub("_", text))
        return tier.store_type if tier is not None else None

    return read


def interview(ruleset: RuleSet, lang: str, asker: Asker) -> Answers:
    """Ask what the year's rules need to know."""
    return Interview(ruleset, lang, asker).run()


def write_export(answers: Answers, directory: Path) -> Path:
    """The answers as a one-row export under the intake's Chinese headers: a CSV, or a
    workbook when there is a 资质 sheet to go with the merchant's row. The CSV's first line
    is Excel's `sep=,`, which names its delimiter: without it the intake would choose the
    delimiter that splits a line into the most fields, which an answer full of `;` (16
    categories) can be."""
    header = [HEADER_OF[field] for field in answers.row]
    if answers.documents is None:
        path = directory / "self-check.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            stream.write("sep=,\r\n")
            writer = csv.writer(stream)
            writer.writerow(header)
            writer.writerow(list(answers.row.values()))
        return path
    import xlsxwriter

    path = directory / "self-check.xlsx"
    merchant_id = answers.row["merchant_id"]
    columns = {c.key: c.header for c in QUALIFICATION_COLUMNS}
    documents = [
        [columns["merchant_id"], columns["qualification_type"], columns["expires_on"]],
        *([merchant_id, kind, expires] for kind, expires in answers.documents),
    ]
    book = xlsxwriter.Workbook(str(path))
    for name, rows in (("商家", [header, list(answers.row.values())]), ("资质", documents)):
        sheet = book.add_worksheet(name)
        for number, cells in enumerate(rows):
            for column, text in enumerate(cells):
                sheet.write_string(number, column, text)  # typed text stays text
    book.close()
    return path
