"""The merchant-facing commands: one merchant's checklist (renewal/selfcheck.py,
renewal/render/checklist.py) and the reminders before the deadline
(renewal/render/reminders.py)."""

from __future__ import annotations

import errno
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from renewal.cli.common import (
    AsOf,
    Lang,
    Language,
    RulesByAsOf,
    Sheet,
    UsageProblem,
    bad_format,
    check_output,
    chosen_ruleset,
    data_notes,
    disk_full,
    fail,
    names_stdout,
    need_stdout,
    output_formats,
    parse_as_of,
    read_waivers,
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
            "--merchant",
            "-m",
            "--id",
            metavar="ID",
            help="商家ID，可重复 / merchant id (repeatable)",
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
            help="豁免清单，同 check；已豁免的项标为已豁免 / approved exceptions, as for check: a waived step is shown as waived",
            readable=False,
        ),
    ] = None,
    sheet: Sheet = None,
    lang: Language = Lang.ZH,
) -> None:
    """一个商家的续签自查清单 / one merchant's renewal as a checklist: each step, what to pay, where, the time left."""
    from renewal import i18n, selfcheck
    from renewal.intake.tables import IntakeError
    from renewal.interview import AnswersAdrift, InterviewEnded

    language = lang.value
    unread: list[str] = []
    try:
        if sheet is not None and export is None:  # before the rules are named: no use
            raise UsageProblem(i18n.catalog(language)["sc.sheet_need_file"])
        need_stdout(language)
        moment = parse_as_of(as_of, language)
        ruleset, how = chosen_ruleset(rules, moment, language)
        if waivers is not None and export is None:
            raise UsageProblem(i18n.catalog(language)["sc.waivers_need_file"])
        exceptions = read_waivers(waivers, ruleset, language)
        if export is None:
            if sys.stdin is None:  # started with standard input closed (`<&-`): no answers
                raise EOFError
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
                sheet=sheet,
                unread_to=unread,
            )
    except (UsageProblem, selfcheck.SelfCheckProblem) as exc:
        raise fail(str(exc)) from None
    except IntakeError as exc:
        raise fail(exc.message(language, "self-check")) from None
    except (InterviewEnded, EOFError):
        typer.echo("", err=True)  # the question's line is left open: the message on its own
        raise fail(i18n.catalog(language)["ask.eof"]) from None
    except AnswersAdrift as exc:
        raise fail(i18n.catalog(language)["ask.adrift"].format(reason=exc.reason)) from None
    except KeyboardInterrupt:
        typer.echo("", err=True)
        raise typer.Exit(130) from None
    typer.echo(selfcheck.printed(lists, selfcheck.output_width()))
    for note in unread:  # after the lists, on stderr, as remind says them
        typer.echo(f"renewal: {note}", err=True)


def remind(
    export: Annotated[Path, typer.Argument(help="商家导出文件 / merchant export", readable=False)],
    within: Annotated[
        str,
        typer.Option(
            "--within",
            metavar="DURATION",
            help="截止时间在此期限内，如 7天、72小时、1天12小时；0d：只列截止时间恰为 --as-of 的 / deadlines within this period (7d, 72h, 1d12h); 0d: only a deadline exactly at --as-of",
        ),
    ] = "7d",
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="写入文件，可重复；格式取自扩展名 .csv 邮件合并、短信导入，.xlsx Excel 工作簿，.txt 表格；无扩展名时按 --format，否则为 CSV / write the reminders to this file, atomically, in the format its extension names: .csv (mail merge, SMS import), .xlsx (Excel workbook), .txt (table); when it has none, --format's, else CSV; repeat for several formats from one run",
            readable=False,  # it is replaced, not read
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table | csv | xlsx：标准输出的格式（xlsx 须用 --output）；扩展名不表示格式的 --output 也用它，表示另一格式的 --output 被拒绝 / the format of stdout, or of an --output whose extension names none; an --output whose extension names another is refused (default: from --output's extension, else table; xlsx needs --output)",
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
    sheet: Sheet = None,
    lang: Language = Lang.ZH,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            metavar="N",
            help="表格中列出最紧急的商家数（0 为全部；默认标准输出 50，-o 表格文件全部，同 check）；CSV 和 xlsx 总是全部 / table: most urgent merchants to list (0 = all; default 50 on standard output, all in an -o table file, as for check); the CSV and the workbook always list all",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            metavar="",
            help="stderr 上只显示错误、因数据错误未列入提醒的行数，以及有商家行没有读取的提示（未读的商家工作表、被截断的文件）/ nothing on stderr but errors, how many rows a data error left out of the reminders, and the notes saying merchant rows were not read (a merchant sheet not read, a file cut short)",
        ),
    ] = False,
) -> None:
    """截止前提醒名单 / merchants with something outstanding and the deadline within --within: CSV for a mail merge or SMS, an Excel workbook, or a table."""
    from renewal import i18n
    from renewal.intake.tables import IntakeError
    from renewal.pipeline import check_file
    from renewal.render import Format, table_limit
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
        targets = _remind_targets(fmt, output or [], language)
        files = [path for _, path in targets if path is not None]
        for path in files:
            check_output(path, export, language)
        if len({path.resolve() for path in files}) < len(files):
            raise UsageProblem(say(language, "output_twice"))
        if len(files) < len(targets):
            need_stdout(language)
        ruleset, how = chosen_ruleset(rules, moment, language)
        inputs = [("--rules", Path(ruleset.path)), ("--waivers", waivers)]
        refuse_inputs(files, inputs, language)
        exceptions = read_waivers(waivers, ruleset, language)
        reminders = ReminderRenderer(ruleset, moment, period, language)
        result = check_file(
            export,
            ruleset,
            moment,
            language,
            [reminders],
            selected=how,
            waivers=exceptions,
            sheet=sheet,
        )
        # every output from the one run, each written atomically: a file is replaced
        # only once complete, and a refusal above leaves every one untouched
        for chosen, target in targets:
            if chosen is Format.CSV:
                reminders.write_csv(target)
            elif chosen is Format.XLSX:
                assert target is not None  # refused on standard output by _remind_targets
                reminders.write_xlsx(target)
            else:
                reminders.write_table(target, table_limit(limit, target))
    except UsageProblem as exc:
        raise fail(str(exc)) from None
    except IntakeError as exc:
        raise fail(exc.message(language, "remind")) from None
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT) or "targets" not in locals():
            raise
        raise fail(disk_full(targets, False, language)) from None
    # the notes as check says them; with --quiet those saying merchant rows were not read
    # (a sheet, or the lines after a cut), for the same reason as the error rows below
    data_notes(result.summary, rows_left_out=quiet)
    if not quiet and exceptions is not None:
        from renewal.cli.check import waiver_notes

        for line in waiver_notes(result.summary, exceptions, language):
            typer.echo(f"renewal: {line}", err=True)
    if reminders.errors:
        # said even with --quiet: a row left out is a reminder a nightly job did not send,
        # which someone must hear of, as of an error
        typer.echo(f"renewal: {reminders.errors_note()}", err=True)
    if not quiet:
        if reminders.final:  # left out on purpose: nothing by the deadline renews them
            typer.echo(f"renewal: {reminders.final_note()}", err=True)
        # a table on standard output says it in its own first line
        if (Format.TABLE, None) not in targets:
            typer.echo(f"renewal: {reminders.title(left_out=False)}", err=True)
        for path in files:
            typer.echo(say(language, "written", path=path), err=True)


REMIND_FORMATS = ("table", "csv", "xlsx")


def _remind_targets(
    fmt: str | None, outputs: list[Path], lang: str
) -> list[tuple[Format, Path | None]]:
    """What `remind` writes where, picked as `check` picks it: every `-o`, each in the
    format its extension names (.csv, .xlsx, .txt for the table), else --format's. An
    extension naming a format remind does not write (.json, .html …), or another than an
    explicit --format's, is refused (beside `-o -`, --format is standard output's, as for
    check); one naming no format (.xls, .dat) needs --format; an output with no extension
    (`-o -`, `/dev/stdout`, a bare name) is --format's, else a CSV, as it always was.
    Standard output is given once at most, and a workbook needs a file. No `-o`: the
    table (or --format's) on standard output. None is standard output."""
    from renewal.render import Format

    explicit: Format | None = None
    if fmt is not None:
        if fmt not in REMIND_FORMATS:
            raise bad_format(fmt, list(REMIND_FORMATS), lang)
        explicit = Format(fmt)
    if not outputs:
        if explicit is Format.XLSX:
            raise UsageProblem(say(lang, "xlsx_stdout"))
        return [(explicit or Format.TABLE, None)]
    if sum(names_stdout(path) for path in outputs) > 1:  # -o - -o /dev/stdout, say
        raise UsageProblem(say(lang, "stdout_twice"))
    # `-o -`: the CSV (or --format's table) on standard output; a bare file name, a CSV
    return output_formats(
        outputs, explicit, lang, Format.CSV, writes=REMIND_FORMATS, bare=Format.CSV
    )
