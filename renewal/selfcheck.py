"""`renewal self-check`: one merchant's renewal as a checklist, from a file or from answers.

Both ways go through the one pipeline: with a file, `check_file` runs on it and the
checklist renderer keeps the merchants asked for; without one, the answers typed in the
terminal become a one-row export (a temporary CSV under the intake's Chinese headers) that
runs through the same `check_file`. So a verdict is never decided twice.

Several merchants and no --merchant: the run names the ids the file has and exits 2,
unless --all asks for every checklist. An agency asks for the stores it wants by id.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from renewal import i18n, reasons
from renewal.checks.deposit import DepositParams
from renewal.checks.fee import AnnualFeeParams
from renewal.checks.registry import REGISTRY, Role
from renewal.checks.transfer import TransferParams, counted_period
from renewal.intake.columns import HEADER_OF
from renewal.intake.dates import parse_datetime
from renewal.intake.tables import DEFAULT_MAX_INFLATED_MB
from renewal.intake.values import (
    Unreadable,
    parse_bool,
    parse_due,
    parse_id,
    parse_points,
    parse_text,
    parse_trademark,
)
from renewal.render.checklist import Checklist, ChecklistRenderer
from renewal.ruleset import RuleSet, StepParams

LISTED_IDS = 50
"""At most this many ids are named when the file has several merchants."""

STORE_TYPES = ("旗舰店", "专卖店", "专营店", "卖场型旗舰店")
"""Offered when the year has no deposit table to take the store types from."""

T = TypeVar("T")


class SelfCheckProblem(Exception):
    """What the user asked for cannot be done: one line, exit 2."""


class InterviewEnded(Exception):
    """The input ended before every question was answered."""


def wanted_ids(values: Sequence[str]) -> list[str]:
    """--merchant values read as intake reads the 商家ID column (so 1001.0 finds 1001)."""
    found: list[str] = []
    for value in values:
        try:
            merchant_id = parse_id(value)
        except Unreadable:
            merchant_id = value.strip()
        if merchant_id and merchant_id not in found:
            found.append(merchant_id)
    return found


def checklists(
    path: Path,
    ruleset: RuleSet,
    as_of: datetime,
    lang: str,
    merchants: Sequence[str],
    keep_all: bool,
    selected: str = "given",
    max_inflated_mb: int = DEFAULT_MAX_INFLATED_MB,
    shown_path: str | None = None,
) -> list[list[str]]:
    """The checklist lines of each merchant asked for, in the file's order.

    Raises SelfCheckProblem for an id the file does not have, or for several merchants
    with neither --merchant nor --all; IntakeError for a file that cannot be used.
    """
    from renewal.pipeline import check_file

    wanted = wanted_ids(merchants)
    collector = ChecklistRenderer(wanted, keep_all)
    check_file(
        path, ruleset, as_of, lang, [collector], max_inflated_mb=max_inflated_mb, selected=selected
    )
    texts = i18n.catalog(lang)
    name = shown_path or str(path)
    present = {merchant_id for merchant_id, _ in collector.ids if merchant_id is not None}
    if wanted:
        missing = [merchant_id for merchant_id in wanted if merchant_id not in present]
        if missing:
            raise SelfCheckProblem(
                texts["sc.unknown_id"].format(
                    path=name, ids=i18n.listed(missing, lang), known=_listed(collector.ids, lang)
                )
            )
    elif len(collector.ids) > 1 and not keep_all:
        raise SelfCheckProblem(
            texts["sc.several"].format(
                path=name, count=len(collector.ids), known=_listed(collector.ids, lang)
            )
        )
    view = Checklist(ruleset, as_of, lang)
    assert collector.header is not None
    view.know_header(collector.header)
    return [view.lines(result, cells) for result, cells in collector.chosen()]


def _listed(ids: list[tuple[str | None, int]], lang: str) -> str:
    texts = i18n.catalog(lang)
    names = list(
        dict.fromkeys(
            merchant_id if merchant_id is not None else texts["sc.blank_id"].format(row=row)
            for merchant_id, row in ids
        )
    )
    text = i18n.listed(names[:LISTED_IDS], lang)
    if len(names) > LISTED_IDS:
        text += " " + texts["sc.more_ids"].format(count=len(names))
    return text


# --- without a file: the questions -----------------------------------------------------


class Asker:
    """Asks one question at a time on the terminal (prompts on stderr, so stdout holds only
    the checklist) and re-asks until the answer reads as the column it fills would."""

    def __init__(self, lang: str, as_of: datetime) -> None:
        from rich.console import Console

        self.lang = lang
        self.as_of = as_of  # the checks' moment: a time after it has not happened yet
        self.texts = i18n.catalog(lang)
        self.console = Console(stderr=True, highlight=False)

    def say(self, text: str) -> None:
        from rich.markup import escape

        self.console.print(escape(text))

    def _read(self, prompt: str, default: str | None) -> str:
        from rich.markup import escape

        shown = f"{prompt} [{default}]" if default not in (None, "") else prompt
        try:
            answer = self.console.input(escape(shown) + ": ")
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
            answer = self._read(prompt, default)
            try:
                read = parse(answer)
            except Unreadable as exc:
                self.say(self.texts["ask.again"].format(reason=reasons.reason(str(exc), self.lang)))
                continue
            if read is None and required:
                self.say(self.texts["ask.again"].format(reason=self.texts["ask.required"]))
                continue
            return answer, read

    def when(self, prompt: str, required: bool = True) -> tuple[str, datetime | None]:
        """A moment something was done: re-asked if it is after the as-of, which the checks
        would count as not done yet."""
        while True:
            answer, read = self.value(prompt, parse_datetime, required=required)
            if read is None or read <= self.as_of:
                return answer, read
            moment = i18n.moment(self.as_of)
            self.say(
                self.texts["ask.again"].format(reason=self.texts["ask.future"].format(as_of=moment))
            )

    def yes_no(self, prompt: str, default: bool = False) -> bool:
        choices = self.texts["ask.yes_no"]
        if self.lang == "en":
            shown, answer = f"{prompt} ({choices})", "y" if default else "n"
        else:
            shown, answer = f"{prompt}（{choices}）", "是" if default else "否"
        _, read = self.value(shown, parse_bool, answer)
        return bool(read)

    def choice(self, prompt: str, choices: Sequence[str]) -> str:
        numbered = " ".join(f"{n}) {c}" for n, c in enumerate(choices, start=1))
        while True:
            answer = self._read(prompt.format(choices=numbered), None)
            if answer.isdigit() and 1 <= int(answer) <= len(choices):
                return choices[int(answer) - 1]
            text = parse_text(answer) or ""
            if text in choices:
                return text
            self.say(self.texts["ask.again"].format(reason=self.texts["ask.choice"]))


def interview(ruleset: RuleSet, lang: str, asker: Asker) -> dict[str, str]:
    """Ask what the year's rules need to know; the answers by the intake's own headers."""
    texts = i18n.catalog(lang)
    cycle = ruleset.cycle
    example = i18n.moment(cycle.window_opens)
    answers: dict[str, str] = {"merchant_id": texts["ask.merchant_id"]}
    asker.say(
        texts["ask.intro"].format(
            name=ruleset.name_en if lang == "en" else ruleset.name,
            deadline=i18n.moment(cycle.window_closes),
        )
    )
    rules = {code: params for code, params in ruleset.rules.items() if params.enabled}
    deposit = rules.get("DP01")
    fee = rules.get("AF01")

    types = (
        [tier.store_type for tier in deposit.table] if isinstance(deposit, DepositParams) else []
    )
    store_type = asker.choice(texts["ask.store_type"], types or list(STORE_TYPES))
    answers["store_type"] = store_type
    tier = (
        next((t for t in deposit.table if t.store_type == store_type), None)
        if isinstance(deposit, DepositParams)
        else None
    )
    trademark: str | None = None
    if tier is None or tier.any is None:
        answers["trademark"], trademark = asker.value(texts["ask.trademark"], parse_trademark)
    category_prompt = texts["ask.category"] if fee is not None else texts["ask.category_optional"]
    answers["category"], category = asker.value(
        category_prompt, parse_text, required=fee is not None
    )
    answers["contract_signed_at"], signed = asker.when(texts["ask.contract"])
    cutoff = getattr(rules.get("SC01"), "signed_at_or_before", None)
    if isinstance(cutoff, datetime) and signed is not None and signed > cutoff:
        asker.say(texts["ask.exempt"].format(cutoff=i18n.moment(cutoff)))
        return answers

    for code, params in rules.items():
        rule = REGISTRY.get(code)
        if rule is None:
            continue
        if rule.role == Role.BLOCKER:
            column = getattr(params, "column", None)
            if isinstance(column, str) and column not in answers:
                label = getattr(params, "label_en" if lang == "en" else "label", code)
                flag = asker.yes_no(texts["ask.blocker"].format(label=label))
                answers[column] = "是" if flag else "否"
        elif rule.role == Role.STEP:
            _ask_step(code, params, answers, asker, lang, example, store_type, trademark, category)
        elif rule.role == Role.FALLBACK and isinstance(params, TransferParams):
            period = counted_period(params, lang)
            asker.say(texts["ask.transfer"])
            answers["serious_points"], _ = asker.value(
                texts["ask.serious"].format(period=period), parse_points, "0"
            )
            answers["general_points"], _ = asker.value(
                texts["ask.general"].format(period=period), parse_points, "0"
            )
            answers["appeal_pending"] = "是" if asker.yes_no(texts["ask.appeal"]) else "否"
    return answers


def _ask_step(
    code: str,
    params: Any,
    answers: dict[str, str],
    asker: Asker,
    lang: str,
    example: str,
    store_type: str,
    trademark: str | None,
    category: str | None,
) -> None:
    texts = i18n.catalog(lang)
    label = (
        (params.label_en if lang == "en" else params.label)
        if isinstance(params, StepParams)
        else code
    )
    if isinstance(params, DepositParams):
        if params.insurance is not None and asker.yes_no(texts["ask.insurance"]):
            answers["deposit_insurance_renewed_at"], _ = asker.when(
                texts["ask.insurance_at"].format(example=example)
            )
            answers.setdefault("deposit_balance", "")
            return
        if params.required_for(store_type, trademark, category) is None:
            answers["deposit_required"], _ = asker.value(texts["ask.deposit_required"], parse_due)
        answers["deposit_balance"], _ = asker.value(texts["ask.deposit_balance"], parse_due, "0")
        answers["deposit_topped_up_at"], _ = asker.when(
            texts["ask.deposit_topped_up"], required=False
        )
    elif isinstance(params, AnnualFeeParams):
        year = params.year
        if params.required_for(category) is None:
            answers["annual_fee_required"], _ = asker.value(
                texts["ask.fee_required"].format(year=year), parse_due
            )
        answers["annual_fee_paid"], paid = asker.value(
            texts["ask.fee_paid"].format(year=year), parse_due, "0"
        )
        answers["annual_fee_paid_at"] = ""
        if paid:
            answers["annual_fee_paid_at"], _ = asker.when(
                texts["ask.fee_paid_at"].format(example=example)
            )
    elif code == "AS01":
        answers["service_opened_at"], _ = asker.when(texts["ask.service_opened"])
        if "assessment_failed" not in answers:
            answers["assessment_failed"] = "是" if asker.yes_no(texts["ask.assessment"]) else "否"
    elif code in ("DL01", "DL02"):
        field = "signup_at" if code == "DL01" else "agreement_signed_at"
        answers[field] = ""
        if asker.yes_no(texts["ask.step_done"].format(label=label)):
            answers[field], _ = asker.when(
                texts["ask.step_at"].format(label=label, example=example)
            )


def write_export(answers: dict[str, str], directory: Path) -> Path:
    """The answers as a one-row export under the intake's Chinese headers."""
    path = directory / "self-check.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([HEADER_OF[field] for field in answers])
        writer.writerow(list(answers.values()))
    return path


def interactive(
    ruleset: RuleSet, as_of: datetime, lang: str, selected: str = "given"
) -> list[list[str]]:
    """Ask, then check the answers as a one-row export through the same pipeline."""
    answers = interview(ruleset, lang, Asker(lang, as_of))
    with tempfile.TemporaryDirectory(prefix="renewal-self-check-") as folder:
        path = write_export(answers, Path(folder))
        return checklists(path, ruleset, as_of, lang, [], False, selected)
