"""The self-check view: one merchant's result as a plain-language checklist.

Every verdict comes from the result's findings; this module only says them in words: each
renewal step as done, missing or late, the money still to pay and where in 商家中心 to do
it, the deadline and the time left, what missing it costs (from the rule set's cycle) and
whether the 淘宝企业店铺 fallback is open. A status or outcome it does not know (added
after it was written) is shown by its catalogue label, or its own name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import orjson

from renewal import i18n
from renewal.checks.registry import REGISTRY, Role
from renewal.intake.columns import MERCHANT_COLUMNS
from renewal.intake.dates import parse_datetime
from renewal.intake.values import Unreadable
from renewal.model import MerchantResult
from renewal.report import ReportHeader
from renewal.ruleset import RuleSet
from renewal.timeutil import seconds_left, to_beijing, valid_through

Result = dict[str, Any]
"""A merchant result as decoded from its canonical JSON form."""

_TIME_FIELDS = frozenset(c.key for c in MERCHANT_COLUMNS if c.kind == "datetime")

OPEN_STATES = ("missing", "late", "blocked", "error", "final")
"""The step states that leave a renewal incomplete; any other state (done, not applicable,
or one this view does not know, such as a waived step) does not. A `final` step is no
task: nothing done by the deadline makes it good."""


def deadline_line(deadline: datetime, as_of: datetime, lang: str) -> str:
    """截止时间：…，还剩 2天3小时 / 现在截止 / 已截止（已过 6小时）: the time left worded as
    every other output words it (`i18n.time_left_phrase`), truncated to whole seconds."""
    left = i18n.time_left_phrase(seconds_left(deadline, as_of), lang)
    return i18n.catalog(lang)["sc.deadline"].format(deadline=i18n.moment(deadline), left=left)


def normalised(result: MerchantResult | Result) -> Result:
    """A result in the form every renderer reads (JSON types), whichever form it came in."""
    decoded: Result = orjson.loads(orjson.dumps(result))
    return decoded


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return to_beijing(datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


class Checklist:
    """Turns results of one run into checklists; knows the rule set, the as-of and the
    export's header (to read the time of a step that was done late)."""

    def __init__(self, ruleset: RuleSet, as_of: datetime, lang: str, answers: bool = False) -> None:
        self.ruleset = ruleset
        self.as_of = to_beijing(as_of)
        self.lang = lang
        self.texts = i18n.catalog(lang, answers)
        self.answers = answers
        """The results are of the self-check's typed answers, not of a file's rows: said
        in their words (`i18n.ANSWERS_FORM`), with no rule code."""
        self.columns: tuple[str, ...] = ()
        self.positions: dict[str, int] = {}
        enabled = [(code, p) for code, p in ruleset.rules.items() if p.enabled]
        self.steps = [code for code, _ in enabled if _role(code) == Role.STEP]
        self.blockers = [code for code, _ in enabled if _role(code) == Role.BLOCKER]
        self.fallback = [code for code, _ in enabled if _role(code) == Role.FALLBACK]

    def know_header(self, header: ReportHeader) -> None:
        self.columns = header.columns
        self.positions = header.positions

    # --- words for the rule set's data -----------------------------------------------

    def _param(self, code: str, name: str) -> str | None:
        params = self.ruleset.params(code)
        if params is None:
            return None
        value = getattr(params, f"{name}_en" if self.lang == "en" else name, None)
        return value if isinstance(value, str) else None

    def label(self, code: str) -> str:
        return self._param(code, "label") or code

    def _midnight(self, moment: datetime) -> str:
        """2022-01-01 00:00 is said as the announcements say it: 2021-12-31 24时, the day
        whose end it is (`timeutil.valid_through`)."""
        shown = i18n.moment(moment)
        ended = valid_through(moment)
        if isinstance(ended, datetime):
            return shown
        said = self.texts["sc.midnight"].format(day=i18n.day(ended))
        return f"{shown} ({said})" if self.lang == "en" else f"{shown}（{said}）"

    def _deadline(self, result: Result, deadline: datetime, anything_open: bool) -> str:
        """The deadline with the time left for a merchant that has some (the report's
        time_left_seconds: a pending one); with how long ago it passed for one that missed
        it; alone for the others: a renewed merchant has nothing to count down to."""
        if result.get("time_left_seconds") is not None or (anything_open and self.as_of > deadline):
            return deadline_line(deadline, self.as_of, self.lang)
        return self.texts["sc.deadline_only"].format(deadline=i18n.moment(deadline))

    # --- one step --------------------------------------------------------------------

    def step_state(self, found: Result, cells: Sequence[object] | None) -> str:
        """done / missing / late / blocked / na / error / warn / final (failed, and nothing
        done by the deadline can make it good), or the status itself."""
        status = found.get("status")
        if status == "pass":
            return "done"
        if status == "fail" and found.get("final"):
            return "final"
        if status == "fail":
            at = self._act_time(found, cells)
            deadline = self.ruleset.cycle.window_closes
            return "late" if at is not None and deadline < at <= self.as_of else "missing"
        if status == "skip":
            return "blocked" if found.get("actual") in self.blockers else "na"
        if status in ("error", "warn"):
            return str(status)
        return str(status)

    def _act_time(self, found: Result, cells: Sequence[object] | None) -> datetime | None:
        """When the step was done: the finding's own time, or the time cell it points at."""
        at = _moment(found.get("actual"))
        if at is not None:
            return at
        source = found.get("source")
        column = source.get("column") if isinstance(source, dict) else None
        if cells is None or column is None:
            return None
        for field, index in self.positions.items():
            if field in _TIME_FIELDS and index < len(self.columns) and index < len(cells):
                if self.columns[index] == column:
                    try:
                        return parse_datetime(cells[index])
                    except Unreadable:
                        return None
        return None

    def state_label(self, state: str) -> str:
        return self.texts.get(f"sc.state.{state}") or self.texts.get(f"status.{state}") or state

    # --- the whole checklist ---------------------------------------------------------

    def lines(self, result: Result, cells: Sequence[object] | None) -> list[str]:
        t = self.texts
        findings: list[Result] = list(result.get("findings") or [])
        by_rule: dict[str, Result] = {}
        for found in findings:
            by_rule.setdefault(str(found.get("rule")), found)
        outcome = str(result.get("outcome"))
        merchant = result.get("merchant_id") or t["sc.blank_id"].format(row=result.get("row"))
        shop = result.get("shop_name")
        shop_text = (f"「{shop}」" if self.lang != "en" else f" ({shop})") if shop else ""
        out = [
            t["sc.title"].format(merchant=merchant, shop=shop_text),
            t["sc.ruleset"].format(
                name=self.ruleset.name_en if self.lang == "en" else self.ruleset.name,
                id=self.ruleset.id,
                as_of=i18n.moment(self.as_of),
            ),
            "",
        ]
        states = {
            code: self.step_state(by_rule[code], cells) for code in self.steps if code in by_rule
        }
        open_steps = [code for code, state in states.items() if state in OPEN_STATES]
        # an error row still has the steps known to be outstanding, beside the undecided ones
        known_open = [code for code in open_steps if states[code] != "error"]
        # typed answers with one unknown are not a "data error" of a file: it cannot be told
        label = i18n.outcome_label(outcome, self.lang)
        if self.answers and outcome == "error":
            label = t["sc.outcome.answers_error"]
        verdict = t["sc.outcome"].format(outcome=label)
        passed = self.as_of > self.ruleset.cycle.window_closes
        counted = known_open  # a step that cannot be told is not counted as outstanding
        # before the deadline, a step nothing can make good is no task: said apart
        final = [] if passed else [code for code in counted if states[code] == "final"]
        counted = [code for code in counted if code not in final]
        if outcome in ("pending", "failed", "error") and counted:
            key = "sc.outstanding_missed" if passed else "sc.outstanding"
            verdict += t[key].format(count=len(counted))
        if outcome in ("pending", "error") and final:
            verdict += t["sc.outstanding_final"].format(count=len(final))
        out.append(verdict)

        if outcome == "error":
            out += ["", t["sc.error_answers" if self.answers else "sc.error"]]
            out += [f"  - {f.get('message')}" for f in findings if f.get("status") == "error"]
            if not states:  # not evaluated at all: no id or contract date, a duplicated id
                if result.get("next_action"):
                    out += ["", t["sc.next"].format(action=result["next_action"])]
                return out
            out.append("")
        if outcome == "exempt":
            scope = next((f for f in findings if f.get("rule") == "SC01"), None)
            if scope is not None:
                out.append(str(scope.get("message")))
            return out

        deadline = _moment(result.get("deadline")) or self.ruleset.cycle.window_closes
        opens = self.ruleset.cycle.window_opens
        if self.as_of < opens:  # nothing can be done before then, and nothing done counts
            until = i18n.duration(seconds_left(opens, self.as_of), self.lang)
            # only the steps timed against the window (sign-up, signing, the fee): a deposit
            # topped up, or a policy renewed, before it counts
            bound = [self.label(c) for c in self.steps if _family(c) in _WINDOW_BOUND]
            values = {"opens": i18n.moment(opens), "until": until, "steps": bound}
            out.append(i18n.formatted("sc.opens", {**values, "count": len(bound)}, self.lang))
        out.append(self._deadline(result, deadline, bool(open_steps)))
        if outcome == "renewed":
            until = i18n.day((self.ruleset.cycle.contract_year_ends - timedelta(seconds=1)).date())
            out.append(t["sc.renewed"].format(until=until))

        out += ["", t["sc.steps"]]
        for number, code in enumerate((c for c in self.steps if c in by_rule), start=1):
            out += self._step_lines(number, code, by_rule[code], states[code])
        out += self._blocker_lines(by_rule)
        out += ["", self._total(result, states)]
        if result.get("next_action"):  # a renewed merchant's too: a warning's remedy
            out.append(t["sc.next"].format(action=result["next_action"]))
        if (
            outcome in ("pending", "failed")
            or (outcome == "error" and known_open)
            or (outcome not in _KNOWN_OUTCOMES and open_steps)
        ):
            # an error row with a step known missing after the deadline did miss it
            did_miss = outcome == "failed" or (outcome == "error" and passed)
            title = "did" if did_miss else "final" if final else "if"
            out += ["", *self._missed_lines(title)]
        out += ["", *self._transfer_lines(outcome, by_rule, bool(final))]
        others = [
            f
            for f in findings
            if f.get("rule") not in self.steps
            and f.get("rule") not in self.blockers
            and f.get("rule") not in self.fallback
            and f.get("status") not in ("pass", "skip")
        ]
        if others:
            out += ["", t["sc.other"]]
            item = t["sc.other.item"]  # a file's names the rule code; the answers' do not
            out += [
                "  "
                + item.format(
                    state=self.state_label(str(f.get("status"))),
                    rule=f.get("rule"),
                    message=f.get("message"),
                )
                for f in others
            ]
        return out

    def _step_lines(self, number: int, code: str, found: Result, state: str) -> list[str]:
        t = self.texts
        lines = [f"  {number}. [{self.state_label(state)}] {self.label(code)}"]
        indent = "     "
        if found.get("message"):
            lines.append(f"{indent}{found['message']}")
        if state == "late":
            lines.append(f"{indent}{t['sc.late_note']}")
        if state in ("missing", "blocked", "error"):
            passed = self.as_of > self.ruleset.cycle.window_closes
            owed = found.get("owed")
            money = _family(code) in ("deposit", "fee")
            if isinstance(owed, int | float) and owed > 0:
                key = "sc.unpaid" if passed else "sc.owed"
                amount = i18n.yuan(float(owed))
                if found.get("owed_at_least"):  # a payment time unread: the least owed
                    amount = t["sc.at_least"].format(amount=amount)
                lines.append(f"{indent}{t[key].format(amount=amount)}")
            elif owed is None and state in ("missing", "error") and money and not passed:
                lines.append(f"{indent}{t['sc.owed_unknown']}")
            where = self._param(code, "where")
            if where and not passed:  # after the deadline it can no longer be done
                lines.append(f"{indent}{t['sc.where'].format(where=where)}")
        return lines

    def _blocker_lines(self, by_rule: dict[str, Result]) -> list[str]:
        t = self.texts
        present = [code for code in self.blockers if code in by_rule]
        if not present:
            return []
        lines = ["", t["sc.blockers"]]
        for code in present:
            found = by_rule[code]
            status = found.get("status")
            if status == "fail":
                mark = t["sc.blocker.on"]
            elif status == "pass":
                mark = t["sc.blocker.off"]
            elif status == "skip":
                mark = t["sc.blocker.unchecked"]
            else:
                mark = self.state_label(str(status))
            lines.append(f"  [{mark}] {self.label(code)}")
            if status != "pass" and found.get("message"):
                lines.append(f"     {found['message']}")
            if status == "fail":
                fix = self._param(code, "fix") or found.get("remedy")
                if fix:
                    lines.append(f"     {t['sc.fix'].format(fix=fix)}")
        return lines

    def _total(self, result: Result, states: dict[str, str]) -> str:
        t = self.texts
        deposit, fee = result.get("deposit_shortfall"), result.get("annual_fee_due")
        # a part known only as the least owed (a payment time that cannot be read)
        least = {
            _family(str(found.get("rule")))
            for found in result.get("findings") or []
            if found.get("owed_at_least")
        }
        parts = []
        for kind, amount in (("deposit", deposit), ("fee", fee)):
            if isinstance(amount, int | float) and amount > 0:
                shown = i18n.yuan(float(amount))
                if kind in least:
                    shown = t["sc.at_least"].format(amount=shown)
                parts.append(t[f"sc.total.{kind}"].format(amount=shown))
        money_steps = [c for c in states if _family(c) in ("deposit", "fee")]
        unknown = [
            kind
            for kind, amount, code in (("deposit", deposit, "DP01"), ("fee", fee, "AF01"))
            if amount is None and code in money_steps
        ]
        separator = "，" if self.lang != "en" else ", "
        passed = self.as_of > self.ruleset.cycle.window_closes
        if unknown and parts and len(unknown) == 1:
            # what is known is said, beside the amount that is not (the report's own split)
            key = "sc.total.partly_missed" if passed else "sc.total.partly"
            what = t[f"sc.total.unknown.{unknown[0]}"]
            return t[key].format(parts=separator.join(parts), unknown=what)
        if unknown:
            return t["sc.total.unknown"]
        if not parts:
            return t["sc.total.none"]
        total = i18n.yuan(float(deposit or 0) + float(fee or 0))
        if least:
            total = t["sc.at_least"].format(amount=total)
        key = "sc.total.missed" if self.as_of > self.ruleset.cycle.window_closes else "sc.total"
        return t[key].format(total=total, parts=separator.join(parts))

    def _missed_lines(self, title: str) -> list[str]:
        """What missing the deadline costs: as done (`did`), as what follows a step that
        can no longer be made good (`final`: no "if" about it), or as a condition (`if`)."""
        t = self.texts
        cycle = self.ruleset.cycle
        missed = cycle.missed
        if missed is not None:
            agreement = missed.agreement_en if self.lang == "en" else missed.agreement
            means: str | None = (
                missed.supervision_means_en if self.lang == "en" else (missed.supervision_means)
            )
        else:
            agreement, means = t["sc.missed.contract"], None
        ended = self.as_of >= cycle.terminates_at
        at = self._midnight(cycle.terminates_at)
        ends = t["sc.missed.ended" if ended else "sc.missed.ends"].format(
            agreement=agreement, at=at, year=self.ruleset.contract_year
        )
        if at.endswith("）"):  # a full-width bracket is its own space: 24时）终止
            ends = ends.replace(f"{at} ", at)
        parts = [ends]
        if cycle.supervision:
            parts.append(
                t["sc.missed.supervision"].format(means=means)
                if means
                else t["sc.missed.supervision_plain"]
            )
        if cycle.exit_from:
            parts.append(t["sc.missed.exit"].format(exit_from=cycle.exit_from))
        end = "。" if self.lang != "en" else "."
        return [t[f"sc.missed.{title}"], f"  {i18n.clauses(parts, self.lang)}{end}"]

    def _transfer_lines(self, outcome: str, by_rule: dict[str, Result], final: bool) -> list[str]:
        """The fallback's verdict; for a merchant still before the deadline, what holds if
        it does not renew, or (`final`: a step can no longer be made good) after it."""
        t = self.texts
        lines = [t["sc.transfer"]]
        code = self.fallback[0] if self.fallback else None
        found = by_rule.get(code) if code is not None else None
        if found is None:
            lines.append(f"  {t['sc.transfer.absent']}")
            return lines
        status = found.get("status")
        if status == "skip":
            if outcome in ("pending", "failed", "error"):  # already moving: no verdict to give
                lines.append(f"  {found.get('message')}")
            else:
                why = i18n.clause(str(found.get("message")), self.lang)
                lines.append(f"  {i18n.sentence(t['sc.transfer.na'].format(why=why), self.lang)}")
            return lines
        # the finding's own verdict: the report's transfer_eligible for a pending or failed
        # merchant, and for an error row the test on what could be read (null there)
        eligible = {"pass": True, "fail": False}.get(str(status))
        until = found.get("open_until")
        if eligible is True and isinstance(until, str):
            # the last day to apply (before the entrance opens, the message says when it does)
            closes = i18n.day(date.fromisoformat(until))
            verdict = t["sc.transfer.open_until"].format(closes=closes)
        else:
            verdict = (
                t["sc.transfer.open"]
                if eligible is True
                else t["sc.transfer.closed"]
                if eligible is False
                else t["sc.transfer.unknown"]
            )
        if outcome in ("pending", "error"):
            condition = t["sc.transfer.after" if final else "sc.transfer.if"]
            verdict = f"{condition}：{verdict}" if self.lang != "en" else f"{condition}: {verdict}"
        lines.append(f"  [{verdict}] {found.get('message')}")
        return lines


_KNOWN_OUTCOMES = frozenset(("exempt", "renewed", "pending", "failed", "error"))

_WINDOW_BOUND = frozenset(("deadline", "fee"))
"""The step families whose act counts only inside the window (DL01/DL02's `step.early`,
AF01's `AF01.early`); a deposit or a policy paid before it is part of what is held."""


def _family(code: str) -> str | None:
    found = REGISTRY.get(code)
    return None if found is None else found.family


def _role(code: str) -> str | None:
    rule = REGISTRY.get(code)
    return rule.role if rule is not None else None


class ChecklistRenderer:
    """Keeps the results a self-check prints: those of the wanted merchant ids, or (when
    none is named) the first merchant's rows (a file of one merchant needs no --merchant,
    whether its id is on one row or several), or every row with `keep_all`. Every row's id
    is noted, so a run can say which ids the file has."""

    wants_cells = True
    wants_shop_names = False

    def __init__(self, wanted: Sequence[str], keep_all: bool) -> None:
        self.wanted = set(wanted)
        self.keep_all = keep_all
        self.header: ReportHeader | None = None
        self.ids: list[tuple[str | None, int]] = []
        """(merchant id, row) of every merchant row, in input order."""
        self.kept: dict[int, tuple[Result, list[object] | None]] = {}
        self._index = 0

    def begin(self, header: ReportHeader) -> None:
        self.header = header

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None:
        index = self._index
        self._index += 1
        result: Result = orjson.loads(line)
        merchant_id = result.get("merchant_id")
        self.ids.append((merchant_id, int(result.get("row") or 0)))
        if self.wanted:
            keep = merchant_id in self.wanted
        else:
            first = self.ids[0][0]
            keep = self.keep_all or index == 0 or (first is not None and merchant_id == first)
        if keep:
            self.kept[index] = (result, cells)

    def finish(self, summary: dict[str, object], fixes: dict[int, MerchantResult]) -> None:
        for index, fix in fixes.items():
            if index in self.kept:
                result, cells = self.kept[index]
                replaced = normalised(fix)
                replaced["shop_name"] = result.get("shop_name")
                self.kept[index] = (replaced, cells)

    def chosen(self) -> list[tuple[Result, list[object] | None]]:
        """The kept results in input order."""
        return [self.kept[index] for index in sorted(self.kept)]
