"""`renewal check`: one export, one rule year, every report format asked for, and an exit
code a nightly job can act on."""

from __future__ import annotations

import errno
import secrets
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from renewal.cli.common import (
    EXIT_FOUND,
    EXIT_OK,
    AsOf,
    FailOn,
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
    is_stdout,
    names_stdout,
    need_stdout,
    output_formats,
    parse_as_of,
    read_waivers,
    refuse_inputs,
    say,
)
from renewal.intake.tables import DEFAULT_MAX_INFLATED_MB

if TYPE_CHECKING:
    from renewal.baseline import Verdict
    from renewal.readback import LoadedReport
    from renewal.render import Format
    from renewal.render.output import Publication
    from renewal.report import ReportHeader
    from renewal.waivers import Waivers


def check(
    export: Annotated[
        Path,
        typer.Argument(
            help="商家导出文件 / merchant export (.xlsx .xlsm .xls .ods .csv)",
            readable=False,  # intake says why a file cannot be read, in --lang
        ),
    ],
    rules: RulesByAsOf = None,
    as_of: AsOf = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table | json | jsonl | junit | xlsx | csv | html：标准输出的格式（默认 table）；扩展名不表示格式的 --output 也用它，表示另一格式的 --output 被拒绝 / the format of stdout, or of an --output whose extension names none; an --output whose extension names another is refused (default: table)",
        ),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="写入文件，可重复；格式取自扩展名 / write to this file, atomically; repeat for several formats from one run",
            readable=False,  # it is replaced, not read
        ),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            metavar="LEVEL",  # the levels are in the help: listed here they narrow it by half
            help="有商家达到此级别时退出码为 1：failed < due-soon < pending < warn；new：与 --baseline 相比有变差时；never：从不 / exit 1 when a merchant reaches this level: failed < due-soon < pending < warn; new: when something got worse since --baseline; never: not at all",
        ),
    ] = FailOn.FAILED,
    waivers: Annotated[
        Path | None,
        typer.Option(
            "--waivers",
            metavar="FILE",
            help="豁免清单，CSV、xlsx 或 TOML / approved exceptions (CSV, xlsx or TOML: 商家ID, 规则, 原因, 审批人, 工单, 到期)",
            readable=False,
        ),
    ] = None,
    due_soon: Annotated[
        str,
        typer.Option(
            "--due-soon",
            metavar="DURATION",
            help="剩余时间不足 --due-soon 的待完成商家为即将截止（如 72h、3天、72小时）/ pending merchants with less than this left are due soon (72h, 3d, 90m, 1d12h; 3天, 72小时)",
        ),
    ] = "72h",
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="上次的 JSON 报告，对比变化；可以就是 -o 的文件 / an earlier JSON report to diff this run against; may be the -o file, read whole before it is replaced",
            readable=False,
        ),
    ] = None,
    lang: Language = Lang.ZH,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            metavar="N",
            help="表格中列出最紧急的商家数（0 为全部；默认标准输出 50，-o 文件全部）/ table: most urgent merchants to list (0 = all; default 50 on standard output, all in an -o file)",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            metavar="",
            help="不显示进度条和“已写入”行，stderr 上也没有数据和豁免的提示（JSON 报告的 summary 仍有）；没有规则集覆盖 --as-of 时仍会说明，--fail-on new 因变差退出 1 时仍显示对比结果行 / no progress bar, no 'wrote' line and no notes about the data or the waivers on stderr (the JSON report's summary keeps them); that no rule set covers --as-of is still said, and so is the --baseline summary line when --fail-on new exits 1 on it",
        ),
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            metavar="N",
            help="进程数（默认：大型导出且有 2 个以上 CPU 核时为 2，否则为 1）/ processes (default: 2 on a large export with 2+ cores, else 1)",
        ),
    ] = None,
    max_inflated_mb: Annotated[
        int,
        typer.Option(
            "--max-inflated-mb",
            min=1,
            metavar="MB",
            help="工作簿解压后超过此 MB 数即拒绝（防范压缩炸弹）；从管道读入的导出也以此为上限 / refuse a workbook that inflates beyond this many MB (zip bomb guard), and a piped export longer than that",
        ),
    ] = DEFAULT_MAX_INFLATED_MB,
    sheet: Sheet = None,
) -> None:
    """检查导出文件中每个商家的续签情况 / check every merchant of an export against a renewal year's rules."""
    from renewal.intake.tables import IntakeError
    from renewal.pipeline import check_file
    from renewal.progress import RunProgress
    from renewal.render import Format, renderer
    from renewal.render.output import Publication, is_stream
    from renewal.timeutil import parse_duration

    language = lang.value
    exceptions = None
    scratch: Path | None = None
    verdict: Verdict | None = None
    try:
        moment = parse_as_of(as_of, language)
        if fail_on is FailOn.NEW and baseline is None:
            raise UsageProblem(say(language, "new_needs_baseline"))
        try:
            due_soon_seconds = int(parse_duration(due_soon).total_seconds())
        except ValueError:
            raise UsageProblem(say(language, "bad_due_soon", value=due_soon)) from None
        before = _load_baseline(baseline, language) if baseline is not None else None
        outputs = output or [Path("-")]  # no --output: standard output, as `-o -`
        files = [path for path in outputs if not is_stdout(path)]
        to_stdout = len(files) < len(outputs)
        if sum(names_stdout(path) for path in outputs) > 1:  # -o - -o /dev/stdout, say
            raise UsageProblem(say(language, "stdout_twice"))
        for path in files:
            check_output(path, export, language)
        if len({path.resolve() for path in files}) < len(files):
            raise UsageProblem(say(language, "output_twice"))
        explicit: Format | None = None
        if fmt is not None:
            try:
                explicit = Format(fmt)
            except ValueError:
                raise bad_format(fmt, [f.value for f in Format], language) from None
        # a file with no extension (-o report, -o /dev/stdout) is in --format's, else the table
        targets = output_formats(
            outputs, explicit, language, stdout_format=Format.TABLE, bare=Format.TABLE
        )
        if to_stdout:
            need_stdout(language)
        # the diff reads this run's report back: a JSON or JSON Lines file (not a pipe) …
        report = next(
            (
                (chosen, path)
                for chosen, path in targets
                if chosen in (Format.JSON, Format.JSONL) and path is not None
                and not is_stream(path)
            ),
            None,
        )  # fmt: skip
        if before is not None and report is None:
            # … else one, one merchant a line, written to be read and never linked in: an
            # unnamed file, freed however the run ends (its name is never made)
            scratch = Path(tempfile.gettempdir()) / f"renewal-{secrets.token_hex(8)}.jsonl"
            targets.append((Format.JSONL, scratch))
            report = (Format.JSONL, scratch)
        progress = RunProgress(enabled=not quiet, lang=language)
        # said even with --quiet, as remind and the baseline's notices are: the verdicts
        # rest on a rule set the as-of is not in (a JSON Lines report has no header to say it)
        # ... but not twice on one screen: the table on a terminal says it in its heading
        on_screen = sys.stdout is not None and sys.stdout.isatty()
        shown = on_screen and all(f is Format.TABLE and p is None for f, p in targets)
        ruleset, how = chosen_ruleset(rules, moment, language, quiet=shown)
        # --baseline may be an output: it was read whole above, and the report replaces it
        # only once complete (the rolling `--baseline last.json -o last.json`)
        refuse_inputs(files, [("--rules", Path(ruleset.path)), ("--waivers", waivers)], language)
        # read against the run's year: a waiver naming a rule it lacks could never apply
        exceptions = read_waivers(waivers, ruleset, language)
        # Every report file stays unnamed until the run has done everything else, the
        # verdict against the baseline included; then all are linked in at once. A run
        # killed before leaves last night's reports, baseline and all, as they were.
        with Publication() as reports:
            result = check_file(
                export,
                ruleset,
                moment,
                language,
                [renderer(chosen, path, limit) for chosen, path in targets],
                jobs=jobs,
                progress=progress,
                max_inflated_mb=max_inflated_mb,
                selected=how,
                waivers=exceptions,
                due_soon_seconds=due_soon_seconds,
                sheet=sheet,
            )
            if before is not None and report is not None:
                verdict = _against_baseline(
                    before, reports, report, result.header, language, fail_on
                )
            progress.close()  # its thread gone, SIGTERM waits for the last step as a whole
            reports.publish(withheld=[] if scratch is None else [scratch])
    except UsageProblem as exc:
        raise fail(str(exc)) from None
    except IntakeError as exc:
        raise fail(exc.message(language)) from None
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT) or "targets" not in locals():
            raise
        raise fail(disk_full(targets, scratch is not None, language)) from None
    finally:
        if "progress" in locals():
            progress.close()

    if not quiet:
        data_notes(result.summary)
    if exceptions is not None and not quiet:
        for line in waiver_notes(result.summary, exceptions, language):
            typer.echo(f"renewal: {line}", err=True)
    if not quiet:
        for path in output or []:
            if not is_stdout(path):
                typer.echo(say(language, "written", path=path), err=True)
    worse = False
    if verdict is not None:
        worse = verdict.worse
        for line in verdict.stderr_lines(quiet):
            typer.echo(f"renewal: {line}", err=True)
    if fail_on is FailOn.NEW:
        raise typer.Exit(EXIT_FOUND if worse else EXIT_OK)
    outcomes = result.summary["outcomes"]
    assert isinstance(outcomes, dict)
    soon = result.summary.get("due_soon")
    due = soon["merchants"] if isinstance(soon, dict) else 0
    raise typer.Exit(exit_code(outcomes, result.warned, fail_on, due))


def _load_baseline(path: Path, lang: str) -> Any:
    """The earlier report, read before the run so a bad baseline fails fast."""
    from renewal import readback

    try:
        return readback.load_report(path)
    except readback.UnreadableReport as exc:
        raise UsageProblem(exc.message(lang)) from None


def _against_baseline(
    before: LoadedReport,
    reports: Publication,
    report: tuple[Format, Path],
    header: ReportHeader,
    lang: str,
    fail_on: FailOn,
) -> Verdict:
    """Tonight against the baseline, tonight's report read from its file before it has
    its name: the baseline it replaces (`-o last.json`) is still last night's meanwhile."""
    from renewal import baseline as nightly
    from renewal.render import Format

    chosen, path = report
    tonight = nightly.tonight(
        reports.reading(path), header, name=path.name, lines=chosen is Format.JSONL
    )
    return nightly.against(before, tonight, lang, gating=fail_on is FailOn.NEW)


def waiver_notes(summary: dict[str, object], waivers: Waivers, lang: str) -> list[str]:
    """stderr lines for a run with --waivers: the counts, then each expired, ending-soon
    and unused waiver, and each naming a merchant not in the export, with its place in the
    file."""
    from renewal import i18n
    from renewal.waivers import ACCOUNT_KINDS, summary_line

    texts = i18n.catalog(lang)
    accounts = summary.get("waivers")
    if not isinstance(accounts, dict):
        return []
    lines = [summary_line(accounts, lang)]
    by_row = {waiver.row: waiver for waiver in waivers.entries}
    for kind in ACCOUNT_KINDS:
        for listed in accounts.get(kind, []):
            waiver = by_row[listed["row"]]
            lines.append(
                texts[f"waiver.note.{kind}"].format(
                    file=waivers.file,
                    where=waivers.where(waiver, lang),
                    merchant_id=waiver.merchant_id,
                    rule=waiver.rule,
                    **waiver.said(lang),
                )
            )
    return lines


def exit_code(outcomes: dict[str, int], warned: int, fail_on: FailOn, due_soon: int = 0) -> int:
    """1 when a merchant reaches the --fail-on level: failed (and error) < due-soon (pending
    with less than --due-soon left) < pending < warn. Waived merchants count for none."""
    if fail_on is FailOn.NEVER:
        return EXIT_OK
    reached = outcomes.get("failed", 0) + outcomes.get("error", 0)
    if fail_on is FailOn.DUE_SOON:
        reached += due_soon
    if fail_on in (FailOn.PENDING, FailOn.WARN):
        reached += outcomes.get("pending", 0)
    if fail_on is FailOn.WARN:
        reached += warned
    return EXIT_FOUND if reached else EXIT_OK
