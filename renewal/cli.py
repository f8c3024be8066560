"""The command line: a thin typer shell that wires options to intake, engine and render.

Exit codes: 0 nothing reached the --fail-on level; 1 something did; 2 usage error,
unreadable input, missing required column or broken rule set; 3 an internal error (a bug:
the message says so). No traceback is shown unless RENEWAL_DEBUG=1.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from renewal import __version__
from renewal.intake.tables import DEFAULT_MAX_INFLATED_MB

if TYPE_CHECKING:
    from renewal.waivers import Waivers

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="天猫年度商家续签合规检查 / Tmall annual merchant renewal compliance checker.",
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_FOUND, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class FailOn(StrEnum):
    FAILED = "failed"
    DUE_SOON = "due-soon"
    """failed, plus pending merchants with less than --due-soon left."""
    PENDING = "pending"
    WARN = "warn"
    NEW = "new"
    """Only what got worse since --baseline: for a nightly job that pages on news."""
    NEVER = "never"


class Lang(StrEnum):
    ZH = "zh"
    EN = "en"


# Options several commands share, declared once.
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="评估时间（北京时间）/ evaluation time, Beijing time (default: now)"
    ),
]
Language = Annotated[Lang, typer.Option("--lang", help="zh | en")]
RulesByAsOf = Annotated[
    str | None,
    typer.Option(
        "--rules",
        "-r",
        help="规则集 ID 或 TOML 文件 / rule set id or file (default: the year running at --as-of)",
    ),
]

_MESSAGES = {
    "zh": {
        "bad_as_of": "--as-of 无法解析：{value!r}（示例：2021-12-30 12:00、2021-12-30T12:00:00+08:00、2021-12-30）",
        "same_file": "{path}：输出文件就是输入文件，拒绝覆盖",
        "output_dir": "{path}：输出路径是一个目录",
        "output_parent": "{path}：输出目录不存在",
        "rules": "规则文件错误：{detail}",
        "format": "无法从输出文件扩展名判断格式：{path}（请用 --format 指定）",
        "output_twice": "同一个输出文件给了两次",
        "xlsx_stdout": "Excel 报告要写入文件：用 -o 报告.xlsx",
        "new_needs_baseline": "--fail-on new 需要 --baseline（上次的 JSON 报告）",
        "bad_due_soon": "--due-soon 无法解析：{value!r}（示例：72h、3d、90m、1d12h）",
        "internal": "renewal 内部错误（这是一个缺陷，请报告）：{detail}",
        "written": "已写入 {path}",
    },
    "en": {
        "bad_as_of": "cannot read --as-of {value!r} (examples: 2021-12-30 12:00, 2021-12-30T12:00:00+08:00, 2021-12-30)",
        "same_file": "{path}: the output is the input file; refusing to write over it",
        "output_dir": "{path}: the output path is a directory",
        "output_parent": "{path}: the output directory does not exist",
        "rules": "rule set error: {detail}",
        "format": "cannot tell the format from the output file's extension: {path} (use --format)",
        "output_twice": "the same output file is given twice",
        "xlsx_stdout": "an Excel report needs a file: use -o report.xlsx",
        "new_needs_baseline": "--fail-on new needs --baseline (an earlier JSON report)",
        "bad_due_soon": "cannot read --due-soon {value!r} (examples: 72h, 3d, 90m, 1d12h)",
        "internal": "renewal internal error (a bug, please report it): {detail}",
        "written": "wrote {path}",
    },
}


class UsageProblem(Exception):
    """A problem with what the user asked for: one line, exit 2."""


def _say(lang: str, key: str, **values: object) -> str:
    return _MESSAGES[lang][key].format(**values)


def _fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"renewal: {message}", err=True)
    return typer.Exit(code)


def parse_as_of(value: str | None) -> datetime:
    """The moment of evaluation in Beijing time; now when not given."""
    from renewal.intake.values import Unreadable, parse_datetime
    from renewal.timeutil import BEIJING

    if value is None:
        return datetime.now(BEIJING).replace(microsecond=0)
    try:
        moment = parse_datetime(value.strip())
    except Unreadable as exc:
        raise ValueError(value) from exc
    if moment is None:
        raise ValueError(value)
    return moment


def _check_output(output: Path, input_path: Path, lang: str) -> None:
    if output.is_dir():
        raise UsageProblem(_say(lang, "output_dir", path=output))
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise UsageProblem(_say(lang, "output_parent", path=output))
    # samefile also catches another path to the same file (a symlink, a hard link)
    if output.exists() and input_path.exists() and os.path.samefile(output, input_path):
        raise UsageProblem(_say(lang, "same_file", path=output))


@app.command()
def check(
    export: Annotated[
        Path, typer.Argument(help="商家导出文件 / merchant export (.xlsx .xlsm .xls .csv)")
    ],
    rules: Annotated[
        str | None,
        typer.Option(
            "--rules",
            "-r",
            help="规则集 ID 或 TOML 文件 / rule set id or file (default: the year whose contract year is running at --as-of)",
        ),
    ] = None,
    as_of: AsOf = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="table | json | jsonl | junit | xlsx | csv: the format of stdout, or of an --output whose extension does not say (default: table)",
        ),
    ] = None,
    output: Annotated[
        list[Path] | None,
        typer.Option(
            "--output",
            "-o",
            help="写入文件，可重复；格式取自扩展名 / write to this file, atomically; repeat for several formats from one run",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="exit 1 when a merchant reaches this level: failed < due-soon < pending < warn; new: when something got worse since --baseline",
        ),
    ] = FailOn.FAILED,
    waivers: Annotated[
        Path | None,
        typer.Option(
            "--waivers",
            help="豁免清单 / approved exceptions (CSV, xlsx or TOML: 商家ID, 规则, 原因, 审批人, 工单, 到期)",
        ),
    ] = None,
    due_soon: Annotated[
        str,
        typer.Option(
            "--due-soon",
            help="pending merchants with less than this left are due soon (72h, 3d, 90m, 1d12h)",
        ),
    ] = "72h",
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            help="上次的 JSON 报告，对比变化 / an earlier JSON report to diff this run against",
        ),
    ] = None,
    lang: Language = Lang.ZH,
    limit: Annotated[
        int, typer.Option("--limit", help="table: most urgent merchants to list (0 = all)")
    ] = 50,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="no progress bar and no 'wrote' line on stderr")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            help="processes (default: 2 on a large export with 2+ cores, else 1)",
        ),
    ] = None,
    max_inflated_mb: Annotated[
        int,
        typer.Option(
            "--max-inflated-mb",
            min=1,
            help="refuse a workbook that inflates beyond this many MB (zip bomb guard)",
        ),
    ] = DEFAULT_MAX_INFLATED_MB,
) -> None:
    """检查导出文件中每个商家的续签情况 / check every merchant of an export against a renewal year's rules."""
    from renewal.intake.tables import IntakeError
    from renewal.pipeline import check_file, default_jobs
    from renewal.progress import RunProgress
    from renewal.render import Format, renderer
    from renewal.timeutil import parse_duration
    from renewal.waivers import load_waivers

    language = lang.value
    exceptions = None
    try:
        try:
            moment = parse_as_of(as_of)
        except ValueError:
            raise UsageProblem(_say(language, "bad_as_of", value=as_of)) from None
        if fail_on is FailOn.NEW and baseline is None:
            raise UsageProblem(_say(language, "new_needs_baseline"))
        try:
            due_soon_seconds = int(parse_duration(due_soon).total_seconds())
        except ValueError:
            raise UsageProblem(_say(language, "bad_due_soon", value=due_soon)) from None
        exceptions = load_waivers(waivers) if waivers is not None else None
        before = _load_baseline(baseline, language) if baseline is not None else None
        outputs = output or []
        for path in outputs:
            _check_output(path, export, language)
        if len({path.resolve() for path in outputs}) < len(outputs):
            raise UsageProblem(_say(language, "output_twice"))
        explicit: Format | None = None
        if fmt is not None:
            try:
                explicit = Format(fmt)
            except ValueError:
                choices = ", ".join(f.value for f in Format)
                raise UsageProblem(f"--format {fmt!r}: {choices}") from None
        targets: list[tuple[Format, Path | None]] = []
        for path in outputs:
            # one output: an explicit --format wins; several: each file's extension decides
            if explicit is not None and len(outputs) == 1:
                found: Format | None = explicit
            else:
                found = Format.from_path(path) or explicit
            if found is None:
                raise UsageProblem(_say(language, "format", path=path))
            targets.append((found, path))
        if not outputs:
            if explicit is Format.XLSX:
                raise UsageProblem(_say(language, "xlsx_stdout"))
            targets.append((explicit or Format.TABLE, None))
        report_file = next((p for f, p in targets if f in (Format.JSON, Format.JSONL)), None)
        scratch = None
        if before is not None and report_file is None:
            # the diff reads this run's report: write one, one merchant a line, and drop it
            scratch = Path(tempfile.mkdtemp(prefix="renewal-")) / "report.jsonl"
            targets.append((Format.JSONL, scratch))
            report_file = scratch
        progress = RunProgress(enabled=not quiet, lang=language)
        ruleset, how = _chosen_ruleset(rules, moment, language, quiet)
        result = check_file(
            export,
            ruleset,
            moment,
            language,
            [renderer(chosen, path, limit) for chosen, path in targets],
            jobs=jobs or default_jobs(export),
            progress=progress,
            max_inflated_mb=max_inflated_mb,
            selected=how,
            waivers=exceptions,
            due_soon_seconds=due_soon_seconds,
        )
    except UsageProblem as exc:
        raise _fail(str(exc)) from None
    except IntakeError as exc:
        raise _fail(exc.message(language)) from None
    finally:
        if "progress" in locals():
            progress.close()

    notes = result.summary.get("notes")
    if isinstance(notes, list) and not quiet:
        for note in notes:
            typer.echo(f"renewal: {note['message']}", err=True)
    if exceptions is not None and not quiet:
        for line in waiver_notes(result.summary, exceptions, language):
            typer.echo(f"renewal: {line}", err=True)
    if not quiet:
        for path in output or []:
            typer.echo(_say(language, "written", path=path), err=True)
    worse = False
    if before is not None and report_file is not None:
        from renewal import diff as report_diff

        try:
            changes = report_diff.compare(before, report_diff.load_report(report_file))
        finally:
            if scratch is not None:
                shutil.rmtree(scratch.parent, ignore_errors=True)
        worse = bool(changes["worse"])
        if not quiet:
            typer.echo(f"renewal: {report_diff.summary_line(changes, language)}", err=True)
    if fail_on is FailOn.NEW:
        raise typer.Exit(EXIT_FOUND if worse else EXIT_OK)
    outcomes = result.summary["outcomes"]
    assert isinstance(outcomes, dict)
    soon = result.summary.get("due_soon")
    due = soon["merchants"] if isinstance(soon, dict) else 0
    raise typer.Exit(exit_code(outcomes, result.warned, fail_on, due))


def _load_baseline(path: Path, lang: str) -> Any:
    """The earlier report, read before the run so a bad baseline fails fast."""
    from renewal import diff as report_diff

    try:
        return report_diff.load_report(path)
    except report_diff.DiffInputError as exc:
        raise UsageProblem(exc.message(lang)) from None


def waiver_notes(summary: dict[str, object], waivers: Waivers, lang: str) -> list[str]:
    """stderr lines for a run with --waivers: the counts, then each expired, ending-soon
    and unused waiver with its place in the file."""
    from renewal import i18n

    texts = i18n.catalog(lang)
    accounts = summary.get("waivers")
    if not isinstance(accounts, dict):
        return []
    lines = [
        texts["waiver.note.summary"].format(
            applied=accounts["applied"],
            expired=len(accounts["expired"]),
            expiring=len(accounts["expiring"]),
            unused=len(accounts["unused"]),
        )
    ]
    by_row = {waiver.row: waiver for waiver in waivers.entries}
    for kind in ("expired", "expiring", "unused"):
        for listed in accounts[kind]:
            waiver = by_row[listed["row"]]
            lines.append(
                texts[f"waiver.note.{kind}"].format(
                    file=waivers.file,
                    where=waivers.where(waiver, lang),
                    merchant_id=waiver.merchant_id,
                    rule=waiver.rule,
                    expires=waiver.expires_text(),
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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"renewal {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="show the version")
    ] = False,
) -> None:
    """天猫年度商家续签合规检查 / Tmall annual merchant renewal compliance checker."""


# --- the rule catalogue: thin wrappers over renewal.catalog ------------------------------

_RULES_HELP = "规则集 ID 或 TOML 文件 / rule set id or file (default: the newest bundled)"


@app.command("rules")
def rules_catalogue(
    ruleset_ref: Annotated[str | None, typer.Option("--rules", "-r", help=_RULES_HELP)] = None,
    lang: Language = Lang.ZH,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json")] = "table",
) -> None:
    """列出规则集的全部规则 / list a rule set's rules with this year's figures and their sources."""
    from renewal import catalog

    try:
        catalog.print_rules(ruleset_ref, lang.value, fmt)
    except catalog.CatalogProblem as exc:
        raise _fail(str(exc)) from None


@app.command()
def explain(
    code: Annotated[str, typer.Argument(help="规则代码 / rule code, e.g. DP01 (any case)")],
    ruleset_ref: Annotated[str | None, typer.Option("--rules", "-r", help=_RULES_HELP)] = None,
    lang: Language = Lang.ZH,
) -> None:
    """说明一条规则 / explain a rule: when it fails or passes, what to do, its source and figures."""
    from renewal import catalog

    try:
        catalog.print_explain(code, ruleset_ref, lang.value)
    except catalog.CatalogProblem as exc:
        raise _fail(str(exc)) from None


@app.command("validate-rules")
def validate_rules(
    files: Annotated[list[str], typer.Argument(help="规则文件 / rule files (.toml)")],
) -> None:
    """校验规则文件 / validate rule files; stops at the first problem, naming the file and key."""
    from renewal import catalog

    for path in files:
        try:
            typer.echo(catalog.validated(path))
        except catalog.CatalogProblem as exc:
            raise _fail(str(exc)) from None


@app.command()
def years(lang: Language = Lang.ZH) -> None:
    """列出内置的续签年度 / the bundled renewal cycles: window, termination and steps in order."""
    from renewal import catalog

    try:
        for line in catalog.year_lines(lang.value):
            typer.echo(line)
    except catalog.CatalogProblem as exc:
        raise _fail(str(exc)) from None


@app.command()
def template(
    target: Annotated[
        Path, typer.Argument(help="要写入的模板 / the template file to write (.xlsx)")
    ],
    ruleset_ref: Annotated[
        str | None,
        typer.Option(
            "--rules",
            "-r",
            help="规则集 ID 或 TOML 文件 / rule set id or file (default: the year whose contract year is running now, as check picks it)",
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option("--lang", help="zh | en: comments and instructions (headers stay Chinese)"),
    ] = Lang.ZH,
    force: Annotated[
        bool, typer.Option("--force", help="覆盖已有文件 / write over an existing file")
    ] = False,
) -> None:
    """写出待填写的导出模板 / write an empty export to fill in by hand and check: every column, drop-downs, help on each header."""
    from renewal import i18n
    from renewal import template as blank
    from renewal.report import nearest_note

    language = lang.value
    now = parse_as_of(None)
    try:
        # the note on a nearest year is said once the template is written, not before
        ruleset, how = _chosen_ruleset(ruleset_ref, now, language, quiet=True)
        blank.write(target, ruleset, language, force, ruleset_ref)
    except UsageProblem as exc:
        raise _fail(str(exc)) from None
    except blank.TemplateProblem as exc:
        raise _fail(str(exc)) from None
    if how == "nearest":
        typer.echo(f"renewal: {nearest_note(ruleset, now, language)}", err=True)
    shown = ruleset_ref or ruleset.id
    typer.echo(
        i18n.catalog(language)["template.written"].format(path=target, ruleset=shown), err=True
    )


@app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="旧报告 / the earlier report (.json or .jsonl)")],
    new: Annotated[Path, typer.Argument(help="新报告 / the later report (.json or .jsonl)")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json | markdown")] = "table",
    lang: Language = Lang.ZH,
    limit: Annotated[
        int, typer.Option("--limit", help="table/markdown: items a section (0 = all)")
    ] = 50,
) -> None:
    """对比两份报告 / what changed between two reports; exit 1 when something got worse."""
    from renewal import diff as report_diff

    try:
        chosen = report_diff.DiffFormat(fmt)
    except ValueError:
        choices = ", ".join(f.value for f in report_diff.DiffFormat)
        raise _fail(f"--format {fmt!r}: {choices}") from None
    try:
        code = report_diff.run(old, new, chosen, lang.value, limit)
    except report_diff.DiffInputError as exc:
        raise _fail(exc.message(lang.value)) from None
    raise typer.Exit(code)


# --- one merchant's checklist, and reminders before the deadline (renewal/selfcheck.py,
# renewal/render/checklist.py, renewal/render/reminders.py) -------------------------------


def _chosen_ruleset(
    rules: str | None, moment: datetime, language: str, quiet: bool = False
) -> tuple[Any, str]:
    """The rule set a run uses and how it was chosen, as `check` chooses it; a note on
    stderr when no bundled year covers the as-of."""
    from renewal import i18n
    from renewal.report import nearest_note
    from renewal.ruleset import RuleSetError, Selection, UnknownRuleSet, choose, load

    try:
        selection = Selection(load(rules), "given") if rules else choose(moment)
    except UnknownRuleSet as exc:
        detail = i18n.catalog(language)["ruleset.unknown"].format(
            ref=exc.ref, nearest=", ".join(exc.nearest)
        )
        raise UsageProblem(detail) from None
    except RuleSetError as exc:
        raise UsageProblem(_say(language, "rules", detail=exc)) from None
    if selection.how == "nearest" and not quiet:
        typer.echo(f"renewal: {nearest_note(selection.ruleset, moment, language)}", err=True)
    return selection.ruleset, selection.how


@app.command("self-check")
def self_check(
    export: Annotated[
        Path | None,
        typer.Argument(
            help="商家导出文件；不给则在终端逐项提问 / export file; without it, questions in the terminal"
        ),
    ] = None,
    merchant: Annotated[
        list[str] | None,
        typer.Option("--merchant", "-m", help="商家ID，可重复 / merchant id (repeatable)"),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="文件中每个商家一份清单 / a checklist for every merchant")
    ] = False,
    rules: RulesByAsOf = None,
    as_of: AsOf = None,
    lang: Language = Lang.ZH,
) -> None:
    """一个商家的续签自查清单 / one merchant's renewal as a checklist: each step, what to pay, where, the time left."""
    from renewal import i18n, selfcheck
    from renewal.intake.tables import IntakeError

    language = lang.value
    try:
        try:
            moment = parse_as_of(as_of)
        except ValueError:
            raise UsageProblem(_say(language, "bad_as_of", value=as_of)) from None
        ruleset, how = _chosen_ruleset(rules, moment, language)
        if export is None:
            lists = selfcheck.interactive(ruleset, moment, language, how)
        else:
            lists = selfcheck.checklists(
                export, ruleset, moment, language, merchant or [], every, how
            )
    except (UsageProblem, selfcheck.SelfCheckProblem) as exc:
        raise _fail(str(exc)) from None
    except IntakeError as exc:
        raise _fail(exc.message(language)) from None
    except (selfcheck.InterviewEnded, EOFError):
        raise _fail(i18n.catalog(language)["ask.eof"]) from None
    except KeyboardInterrupt:
        typer.echo("", err=True)
        raise typer.Exit(130) from None
    for number, lines in enumerate(lists):
        if number:
            typer.echo("\n" + "─" * 60 + "\n")
        typer.echo("\n".join(lines))


@app.command()
def remind(
    export: Annotated[Path, typer.Argument(help="商家导出文件 / merchant export")],
    within: Annotated[
        str,
        typer.Option(
            "--within", help="截止时间在此期限内 / deadlines within this period (7d, 72h, 1d12h)"
        ),
    ] = "7d",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="写入 CSV 文件 / write the reminders to this file (CSV)"
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="table | csv (default: csv with --output, else table)"),
    ] = None,
    rules: RulesByAsOf = None,
    as_of: AsOf = None,
    lang: Language = Lang.ZH,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="nothing on stderr but errors")
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
        try:
            moment = parse_as_of(as_of)
        except ValueError:
            raise UsageProblem(_say(language, "bad_as_of", value=as_of)) from None
        try:
            period = parse_duration(within)
        except ValueError:
            raise UsageProblem(texts["rm.bad_within"].format(value=within)) from None
        chosen = fmt or ("csv" if output is not None else "table")
        if chosen not in ("csv", "table"):
            raise UsageProblem(texts["rm.bad_format"].format(value=fmt))
        if output is not None:
            _check_output(output, export, language)
        ruleset, how = _chosen_ruleset(rules, moment, language)
        reminders = ReminderRenderer(ruleset, moment, period, language)
        check_file(
            export, ruleset, moment, language, [reminders], jobs=default_jobs(export), selected=how
        )
        if chosen == "csv":
            reminders.write_csv(output)
        else:
            reminders.write_table(output)
    except UsageProblem as exc:
        raise _fail(str(exc)) from None
    except IntakeError as exc:
        raise _fail(exc.message(language)) from None
    if not quiet:
        if reminders.errors:
            typer.echo(
                f"renewal: {texts['rm.errors'].format(count=len(reminders.errors))}", err=True
            )
        if chosen == "csv":
            typer.echo(f"renewal: {reminders.title()}", err=True)
        if output is not None:
            typer.echo(_say(language, "written", path=output), err=True)


def main() -> None:
    """Entry point: no traceback reaches the user unless RENEWAL_DEBUG=1."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        if os.environ.get("RENEWAL_DEBUG") == "1":
            raise
        lang = "en" if "--lang" in sys.argv and "en" in sys.argv else "zh"
        typer.echo(f"renewal: {_say(lang, 'internal', detail=repr(exc))}", err=True)
        sys.exit(EXIT_INTERNAL)
