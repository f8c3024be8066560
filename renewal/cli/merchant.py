"""The merchant-facing commands: one merchant's checklist (renewal/selfcheck.py,
renewal/render/checklist.py) and the reminders before the deadline
(renewal/render/reminders.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    format_conflict,
    is_stdout,
    need_stdout,
    parse_as_of,
    refuse_inputs,
    say,
)

if TYPE_CHECKING:
    from renewal.render import Format


def self_check(
    export: Annotated[
        Path | None,
        typer.Argument(
            help="商家导出文件；不给则在终端逐项提问 / export file; without it, questions in the terminal",
            readable=False,  # intake says why a file cannot be read, in --lang
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
    waivers: Annotated[
        Path | None,
        typer.Option(
            "--waivers",
            metavar="FILE",
            help="豁免清单，同 check；已豁免的项在清单中标为已豁免 / approved exceptions, as for check: a waived step is shown as waived",
            readable=False,
        ),
    ] = None,
    lang: Language = Lang.ZH,
) -> None:
    """一个商家的续签自查清单 / one merchant's renewal as a checklist: each step, what to pay, where, the time left."""
    from renewal import i18n, selfcheck
    from renewal.intake.tables import IntakeError
    from renewal.interview import InterviewEnded
    from renewal.waivers import load_waivers

    language = lang.value
    try:
        need_stdout(language)
        moment = parse_as_of(as_of, language)
        ruleset, how = chosen_ruleset(rules, moment, language)
        if waivers is not None and export is None:
            raise UsageProblem(i18n.catalog(language)["sc.waivers_need_file"])
        exceptions = load_waivers(waivers, ruleset) if waivers is not None else None
        if export is None:
            lists = selfcheck.interactive(ruleset, moment, language, how)
        else:
            lists = selfcheck.checklists(
                export,
                ruleset,
                moment,
                language,
                merchant or [],
                every,
                how,
                waivers=exceptions,
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
    typer.echo(selfcheck.printed(lists, selfcheck.output_width()))


def remind(
    export: Annotated[Path, typer.Argument(help="商家导出文件 / merchant export", readable=False)],
    within: Annotated[
        str,
        typer.Option(
            "--within",
            metavar="DURATION",
            help="截止时间在此期限内（7天、72小时、1天12小时）/ deadlines within this period (7d, 72h, 1d12h); 0d: only a deadline exactly at --as-of",
        ),
    ] = "7d",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="写入文件，格式取自扩展名：.csv（邮件合并、短信导入）、.xlsx（Excel）、.txt（表格），无扩展名时按 --format，否则为 CSV / write the reminders to this file, atomically, in the format its extension names: .csv (mail merge, SMS import), .xlsx (Excel workbook), .txt (table); when it has none, --format's, else CSV",
            readable=False,  # it is replaced, not read
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table | csv | xlsx: the format of stdout, or of an --output whose extension names none; an --output whose extension names another is refused (default: from --output's extension, else table; xlsx needs --output)",
        ),
    ] = None,
    rules: RulesByAsOf = None,
    as_of: AsOf = None,
    waivers: Annotated[
        Path | None,
        typer.Option(
            "--waivers",
            metavar="FILE",
            help="豁免清单，同 check；已豁免的项不再提醒 / approved exceptions, as for check: a waived finding is not outstanding",
            readable=False,
        ),
    ] = None,
    lang: Language = Lang.ZH,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", metavar="", help="nothing on stderr but errors")
    ] = False,
) -> None:
    """截止前提醒名单 / merchants with something outstanding and the deadline within --within: CSV for a mail merge or SMS, an Excel workbook, or a table."""
    from renewal import i18n
    from renewal.intake.tables import IntakeError
    from renewal.pipeline import check_file, default_jobs
    from renewal.render import Format
    from renewal.render.reminders import ReminderRenderer
    from renewal.timeutil import parse_duration
    from renewal.waivers import load_waivers

    language = lang.value
    texts = i18n.catalog(language)
    try:
        moment = parse_as_of(as_of, language)
        try:
            period = parse_duration(within)
        except ValueError:
            raise UsageProblem(texts["rm.bad_within"].format(value=within)) from None
        chosen = _remind_format(fmt, output, language)
        if output is not None and is_stdout(output):
            output = None  # `-o -`: the CSV (or --format's table) on standard output
        if output is not None:
            check_output(output, export, language)
        else:
            need_stdout(language)
        ruleset, how = chosen_ruleset(rules, moment, language)
        inputs = [("--rules", Path(ruleset.path)), ("--waivers", waivers)]
        refuse_inputs([output] if output is not None else [], inputs, language)
        exceptions = load_waivers(waivers, ruleset) if waivers is not None else None
        reminders = ReminderRenderer(ruleset, moment, period, language)
        result = check_file(
            export,
            ruleset,
            moment,
            language,
            [reminders],
            jobs=default_jobs(export),
            selected=how,
            waivers=exceptions,
        )
        if chosen is Format.CSV:
            reminders.write_csv(output)
        elif chosen is Format.XLSX:
            assert output is not None  # refused on standard output by _remind_format
            reminders.write_xlsx(output)
        else:
            reminders.write_table(output)
    except UsageProblem as exc:
        raise fail(str(exc)) from None
    except IntakeError as exc:
        raise fail(exc.message(language)) from None
    if not quiet:
        if exceptions is not None:
            from renewal.cli.check import waiver_notes

            for line in waiver_notes(result.summary, exceptions, language):
                typer.echo(f"renewal: {line}", err=True)
        if reminders.errors:
            typer.echo(f"renewal: {reminders.errors_note()}", err=True)
        if chosen is not Format.TABLE:  # the table says it in its own first line
            typer.echo(f"renewal: {reminders.title()}", err=True)
        if output is not None:
            typer.echo(say(language, "written", path=output), err=True)


REMIND_FORMATS = ("table", "csv", "xlsx")


def _remind_format(fmt: str | None, output: Path | None, lang: str) -> Format:
    """What `remind` writes, picked as `check` picks it: the output's extension (.csv,
    .xlsx, .txt for the table), else --format. An extension naming a format remind does
    not write (.json, .html …), or another than an explicit --format's, is refused; one
    naming no format (.xls, .dat) needs --format; an output with no extension (`-o -`,
    `/dev/stdout`, a bare name) is --format's, else a CSV, as it always was. A workbook
    needs a file."""
    from renewal.i18n import listed
    from renewal.render import Format

    explicit: Format | None = None
    if fmt is not None:
        if fmt not in REMIND_FORMATS:
            raise bad_format(fmt, list(REMIND_FORMATS), lang)
        explicit = Format(fmt)
    named = None if output is None or is_stdout(output) else Format.from_path(output)
    if named is not None and named.value not in REMIND_FORMATS:
        choices = listed(list(REMIND_FORMATS), lang)
        raise UsageProblem(
            say(lang, "format_unwritten", path=output, format=named.value, choices=choices)
        )
    if output is not None and named is not None and explicit is not None and named is not explicit:
        raise format_conflict(output, named, explicit, lang)
    if output is None:
        chosen = explicit or Format.TABLE
    elif explicit is not None or named is not None:
        chosen = explicit or named or Format.CSV
    elif is_stdout(output) or not output.suffix:
        chosen = Format.CSV
    else:
        raise UsageProblem(say(lang, "format", path=output))
    if chosen is Format.XLSX and (output is None or is_stdout(output)):
        raise UsageProblem(say(lang, "xlsx_stdout"))
    return chosen
