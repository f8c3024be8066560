"""The merchant-facing commands: one merchant's checklist (renewal/selfcheck.py,
renewal/render/checklist.py) and the reminders before the deadline
(renewal/render/reminders.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from renewal.cli.common import (
    AsOf,
    Lang,
    Language,
    RulesByAsOf,
    UsageProblem,
    bad_format,
    check_output,
    chosen_ruleset,
    fail,
    is_stdout,
    parse_as_of,
    say,
)


def self_check(
    export: Annotated[
        Path | None,
        typer.Argument(
            help="商家导出文件；不给则在终端逐项提问 / export file; without it, questions in the terminal"
        ),
    ] = None,
    merchant: Annotated[
        list[str] | None,
        typer.Option(
            "--merchant", "-m", metavar="ID", help="商家ID，可重复 / merchant id (repeatable)"
        ),
    ] = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all", metavar="", help="文件中每个商家一份清单 / a checklist for every merchant"
        ),
    ] = False,
    rules: RulesByAsOf = None,
    as_of: AsOf = None,
    lang: Language = Lang.ZH,
) -> None:
    """一个商家的续签自查清单 / one merchant's renewal as a checklist: each step, what to pay, where, the time left."""
    from renewal import i18n, selfcheck
    from renewal.intake.tables import IntakeError
    from renewal.interview import InterviewEnded

    language = lang.value
    try:
        moment = parse_as_of(as_of, language)
        ruleset, how = chosen_ruleset(rules, moment, language)
        if export is None:
            lists = selfcheck.interactive(ruleset, moment, language, how)
        else:
            lists = selfcheck.checklists(
                export, ruleset, moment, language, merchant or [], every, how
            )
    except (UsageProblem, selfcheck.SelfCheckProblem) as exc:
        raise fail(str(exc)) from None
    except IntakeError as exc:
        raise fail(exc.message(language)) from None
    except (InterviewEnded, EOFError):
        raise fail(i18n.catalog(language)["ask.eof"]) from None
    except KeyboardInterrupt:
        typer.echo("", err=True)
        raise typer.Exit(130) from None
    from renewal.screen import printable

    for number, lines in enumerate(lists):
        if number:
            typer.echo("\n" + "─" * 60 + "\n")
        typer.echo("\n".join(map(printable, lines)))


def remind(
    export: Annotated[Path, typer.Argument(help="商家导出文件 / merchant export")],
    within: Annotated[
        str,
        typer.Option(
            "--within",
            metavar="DURATION",
            help="截止时间在此期限内 / deadlines within this period (7d, 72h, 1d12h)",
        ),
    ] = "7d",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="写入 CSV 文件 / write the reminders to this file (CSV)",
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table | csv (default: csv with --output, else table)",
        ),
    ] = None,
    rules: RulesByAsOf = None,
    as_of: AsOf = None,
    lang: Language = Lang.ZH,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", metavar="", help="nothing on stderr but errors")
    ] = False,
) -> None:
    """截止前提醒名单 / merchants with something outstanding and the deadline within --within: CSV for a mail merge or SMS, or a table."""
    from renewal import i18n
    from renewal.intake.tables import IntakeError
    from renewal.pipeline import check_file, default_jobs
    from renewal.render.reminders import ReminderRenderer
    from renewal.timeutil import parse_duration

    language = lang.value
    texts = i18n.catalog(language)
    try:
        moment = parse_as_of(as_of, language)
        try:
            period = parse_duration(within)
        except ValueError:
            raise UsageProblem(texts["rm.bad_within"].format(value=within)) from None
        chosen = fmt or ("csv" if output is not None else "table")
        if chosen not in ("csv", "table"):
            raise bad_format(str(fmt), ["table", "csv"], language)
        if output is not None and is_stdout(output):
            output = None  # `-o -`: the CSV (or --format's table) on standard output
        if output is not None:
            check_output(output, export, language)
        ruleset, how = chosen_ruleset(rules, moment, language)
        reminders = ReminderRenderer(ruleset, moment, period, language)
        check_file(
            export, ruleset, moment, language, [reminders], jobs=default_jobs(export), selected=how
        )
        if chosen == "csv":
            reminders.write_csv(output)
        else:
            reminders.write_table(output)
    except UsageProblem as exc:
        raise fail(str(exc)) from None
    except IntakeError as exc:
        raise fail(exc.message(language)) from None
    if not quiet:
        if reminders.errors:
            typer.echo(
                f"renewal: {texts['rm.errors'].format(count=len(reminders.errors))}", err=True
            )
        if chosen == "csv":
            typer.echo(f"renewal: {reminders.title()}", err=True)
        if output is not None:
            typer.echo(say(language, "written", path=output), err=True)
