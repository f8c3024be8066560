"""`renewal self-check`: one merchant's renewal as a checklist, from a file or from answers.

Both ways go through the one pipeline: with a file, `check_file` runs on it and the
checklist renderer keeps the merchants asked for; without one, the answers typed in the
terminal (renewal/interview.py) become a one-row export (a temporary CSV, or a workbook
when a 资质 sheet goes with it, under the intake's Chinese headers) that runs through the
same `check_file`. So a verdict is never decided twice.

Several merchants and no --merchant: the run names the ids the file has and exits 2,
unless --all asks for every checklist. An agency asks for the stores it wants by id.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from renewal import i18n
from renewal.intake.tables import DEFAULT_MAX_INFLATED_MB
from renewal.intake.values import Unreadable, parse_id
from renewal.render.checklist import Checklist, ChecklistRenderer
from renewal.render.wrapping import wrapped
from renewal.report import note_messages
from renewal.ruleset import RuleSet
from renewal.screen import printable

if TYPE_CHECKING:
    from rich.console import Console

    from renewal.waivers import Waivers

LISTED_IDS = 50
"""At most this many ids are named when the file has several merchants."""

RULE_WIDTH = 60
"""The line between two checklists, at most this wide."""


class SelfCheckProblem(Exception):
    """What the user asked for cannot be done: one line, exit 2."""


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
    answers: bool = False,
    waivers: Waivers | None = None,
    sheet: str | None = None,
    unread_to: list[str] | None = None,
) -> list[list[str]]:
    """The checklist lines of each merchant asked for, in the file's order. `answers`
    as for `check_file`: true for the interview's answers, whose days alone it settled;
    `sheet` as well (a workbook's merchant sheet, `self-check --sheet`). `unread_to`,
    when given and no id is asked for (--all, or a file of one merchant), receives the
    notes saying merchant rows were not read: checklists that look like the whole file's
    may not be.

    Raises SelfCheckProblem for an id the file does not have, or for several merchants
    with neither --merchant nor --all; IntakeError for a file that cannot be used. Both
    problems list the file's ids, and with them the notes saying merchant rows were not
    read (another merchant sheet, the lines after a cut): the id asked for may be there.
    """
    from renewal.pipeline import check_file

    wanted = wanted_ids(merchants)
    collector = ChecklistRenderer(wanted, keep_all)
    run = check_file(
        path,
        ruleset,
        as_of,
        lang,
        [collector],
        max_inflated_mb=max_inflated_mb,
        selected=selected,
        answers=answers,
        waivers=waivers,
        sheet=sheet,
    )
    texts = i18n.catalog(lang)
    name = shown_path or str(path)
    present = {merchant_id for merchant_id, _ in collector.ids if merchant_id is not None}
    # why an id may be missing from the ids listed: a merchant sheet not read, a file cut
    unread = note_messages(run.summary, rows_left_out=True)
    if wanted:
        missing = [merchant_id for merchant_id in wanted if merchant_id not in present]
        if missing:
            said = texts["sc.unknown_id"].format(
                path=name, ids=i18n.listed(missing, lang), known=_listed(collector.ids, lang)
            )
            raise SelfCheckProblem(_with_notes(said, unread, lang))
    elif len(collector.ids) > 1 and not keep_all:
        # several rows: of several merchants, or of one id on several rows (then each row
        # is an LD03 error, and its checklists are shown, as --merchant would)
        count, repeated = _repeated(collector.ids, lang)
        if count > 1:
            said = texts["sc.several"].format(
                path=name, count=count, repeated=repeated, known=_listed(collector.ids, lang)
            )
            raise SelfCheckProblem(_with_notes(said, unread, lang))
    if unread_to is not None and not wanted:
        unread_to.extend(unread)
    view = Checklist(ruleset, as_of, lang, answers)
    assert collector.header is not None
    view.know_header(collector.header)
    return [view.lines(result, cells) for result, cells in collector.chosen()]


def output_width(console: Console | None = None) -> int | None:
    """The width to fold checklists to: the terminal's (rich's, which follows COLUMNS and
    the real terminal) on a terminal or when COLUMNS is set; None for a pipe or a file
    without COLUMNS, so each item stays on one line for grep and the like. `console`:
    another stream's (the questions', on stderr); standard output's by default."""
    if console is None:
        from rich.console import Console

        console = Console()
    if console.is_terminal or os.environ.get("COLUMNS", "").strip().isdigit():
        return console.width
    return None


def printed(lists: Sequence[Sequence[str]], width: int | None) -> str:
    """The checklists as printed: export text made printable, each line folded to
    `width` (none: as they are), a rule between two checklists."""
    rule = "─" * (RULE_WIDTH if width is None else min(RULE_WIDTH, width))
    return f"\n\n{rule}\n\n".join(
        "\n".join(wrapped([printable(line) for line in lines], width)) for lines in lists
    )


def _with_notes(said: str, notes: list[str], lang: str) -> str:
    """A problem naming the file's ids, with the notes that may explain an id not among
    them joined on as clauses (the problem starts with the path, which keeps its case)."""
    joint = "; " if lang == "en" else "；"
    return joint.join([said, *(i18n.clause(note, lang) for note in notes)])


def _names(ids: list[tuple[str | None, int]], lang: str) -> list[str]:
    """Each merchant of the file once, in the file's order: an id on several rows is one
    merchant; a row with a blank id is one of its own, named by its row."""
    texts = i18n.catalog(lang)
    return list(
        dict.fromkeys(
            merchant_id if merchant_id is not None else texts["sc.blank_id"].format(row=row)
            for merchant_id, row in ids
        )
    )


def _repeated(ids: list[tuple[str | None, int]], lang: str) -> tuple[int, str]:
    """How many merchants the rows are, as `_listed` names them, and what to say of the
    ids on more than one row ("" when none is): the count and the list must agree."""
    merchants = len(_names(ids, lang))
    if merchants == len(ids):  # nearly always: one row each
        return merchants, ""
    rows = Counter(merchant_id for merchant_id, _ in ids if merchant_id is not None)
    named = i18n.catalog(lang)["sc.repeated_id"]  # error-dup（2 行）: each with its rows
    repeated = [named.format(id=key, n=count) for key, count in rows.items() if count > 1]
    values = {"rows": len(ids), "ids": i18n.first_named(repeated), "count": len(repeated)}
    return merchants, i18n.formatted("sc.repeated_ids", values, lang)


def _listed(ids: list[tuple[str | None, int]], lang: str) -> str:
    texts = i18n.catalog(lang)
    names = _names(ids, lang)
    text = i18n.listed(names[:LISTED_IDS], lang)
    if len(names) > LISTED_IDS:
        text += " " + texts["sc.more_ids"].format(count=len(names))
    return text


# --- without a file: the answers --------------------------------------------------------


def interactive(
    ruleset: RuleSet, as_of: datetime, lang: str, selected: str = "given"
) -> list[list[str]]:
    """Ask, then check the answers as a one-row export through the same pipeline."""
    from renewal.intake.tables import IntakeError
    from renewal.interview import Asker, interview, write_export

    answers = interview(ruleset, lang, Asker(lang, as_of))
    shown = i18n.catalog(lang)["ask.answers"]
    with tempfile.TemporaryDirectory(prefix="renewal-self-check-") as folder:
        path = write_export(answers, Path(folder))
        try:
            # the interview asked the time of each day alone where it decides: a day
            # kept alone is one it judged, not to be judged again
            return checklists(
                path, ruleset, as_of, lang, [], False, selected, shown_path=shown, answers=True
            )
        except IntakeError as exc:
            # the user gave no file: a message names the answers, never the temporary one
            named = {str(path), path.name, folder}
            values = {k: shown if str(v) in named else v for k, v in exc.values.items()}
            raise IntakeError(exc.key, **values) from None
