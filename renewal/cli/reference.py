"""The commands about the rules themselves and about reports: the rule catalogue, one rule
explained, rule files validated, the bundled years, a blank template, and two reports
compared. Thin wrappers over renewal.catalog, renewal.template and renewal.diff."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from renewal.cli.common import (
    Lang,
    Language,
    UsageProblem,
    bad_format,
    chosen_ruleset,
    fail,
    need_stdout,
    note_passed_over,
    parse_as_of,
    refuse_inputs,
)

_RULES_HELP = "规则集 ID 或 TOML 文件 / rule set id or file (default: the newest bundled)"


def rules_catalogue(
    ruleset_ref: Annotated[
        str | None, typer.Option("--rules", "-r", metavar="ID|FILE", help=_RULES_HELP)
    ] = None,
    lang: Language = Lang.ZH,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f", metavar="FORMAT", help="table | json：输出格式 / the output format"
        ),
    ] = "table",
) -> None:
    """列出规则集的全部规则 / list a rule set's rules with this year's figures and their sources."""
    from renewal.catalog import CatalogProblem
    from renewal.render.rulebook import print_rules

    if fmt not in ("table", "json"):
        raise fail(str(bad_format(fmt, ["table", "json"], lang.value)))
    try:
        need_stdout(lang.value)
        print_rules(ruleset_ref, lang.value, fmt)
        note_passed_over(ruleset_ref, lang.value)
    except (CatalogProblem, UsageProblem) as exc:
        raise fail(str(exc)) from None


def explain(
    code: Annotated[
        str,
        typer.Argument(
            help="规则代码，如 DP01，大小写均可；cycle 为续签周期（续签期、截止、合同终止）"
            " / rule code, e.g. DP01 (any case), or cycle: the window, deadline and termination"
        ),
    ],
    ruleset_ref: Annotated[
        str | None, typer.Option("--rules", "-r", metavar="ID|FILE", help=_RULES_HELP)
    ] = None,
    lang: Language = Lang.ZH,
) -> None:
    """说明一条规则 / explain a rule: when it fails or passes, what to do, its source and figures."""
    from renewal.catalog import CatalogProblem
    from renewal.render.rulebook import print_explain

    try:
        need_stdout(lang.value)
        print_explain(code, ruleset_ref, lang.value)
        note_passed_over(ruleset_ref, lang.value)
    except (CatalogProblem, UsageProblem) as exc:
        raise fail(str(exc)) from None


def validate_rules(
    files: Annotated[list[str], typer.Argument(help="规则文件 / rule files (.toml)")],
    lang: Language = Lang.ZH,
) -> None:
    """校验规则文件 / validate rule files; stops at the first problem, naming the file and key."""
    from renewal import catalog

    try:
        need_stdout(lang.value)
    except UsageProblem as exc:
        raise fail(str(exc)) from None
    seen: dict[str, tuple[str, str]] = {}  # each id's first file: two files of one id
    for path in files:
        try:
            line, warnings = catalog.validated(path, lang.value, seen)
            typer.echo(line)
            for warning in warnings:
                typer.echo(f"renewal: {warning}", err=True)
        except catalog.CatalogProblem as exc:
            raise fail(str(exc)) from None


def years(lang: Language = Lang.ZH) -> None:
    """列出内置的续签年度 / the bundled renewal cycles: window, termination and steps in order."""
    from renewal import catalog

    try:
        need_stdout(lang.value)
        for line in catalog.year_lines(lang.value):
            typer.echo(line)
    except (catalog.CatalogProblem, UsageProblem) as exc:
        raise fail(str(exc)) from None


def template(
    target: Annotated[
        Path,
        typer.Argument(help="要写入的模板 / the template file to write (.xlsx)", readable=False),
    ],
    ruleset_ref: Annotated[
        str | None,
        typer.Option(
            "--rules",
            "-r",
            metavar="ID|FILE",
            help="规则集 ID 或 TOML 文件 / rule set id or file (default: the year whose contract year is running now, as check picks it)",
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option(
            "--lang",
            case_sensitive=False,
            envvar="RENEWAL_LANG",
            help="批注和说明的语言 zh | en（表头保持中文）/ comments and instructions, zh | en (headers stay Chinese)",
        ),
    ] = Lang.ZH,
    force: Annotated[
        bool, typer.Option("--force", metavar="", help="覆盖已有文件 / write over an existing file")
    ] = False,
) -> None:
    """写出待填写的导出模板 / write an empty export to fill in by hand and check: every column, drop-downs, help on each header."""
    from renewal import i18n
    from renewal import template as blank
    from renewal.report import nearest_note

    language = lang.value
    now = parse_as_of(None, language)
    try:
        # the note on a nearest year is said once the template is written, not before
        ruleset, how = chosen_ruleset(ruleset_ref, now, language, quiet=True)
        refuse_inputs([target], [("--rules", Path(ruleset.path))], language)
        blank.write(target, ruleset, language, force, ruleset_ref)
    except UsageProblem as exc:
        raise fail(str(exc)) from None
    except blank.TemplateProblem as exc:
        raise fail(str(exc)) from None
    if how == "nearest":
        typer.echo(f"renewal: {nearest_note(ruleset, now, language)}", err=True)
    shown = ruleset_ref or ruleset.id
    typer.echo(
        i18n.catalog(language)["template.written"].format(path=target, ruleset=shown), err=True
    )


def diff(
    old: Annotated[
        Path,
        typer.Argument(help="旧报告 / the earlier report (.json or .jsonl)", readable=False),
    ],
    new: Annotated[
        Path,
        typer.Argument(help="新报告 / the later report (.json or .jsonl)", readable=False),
    ],
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="table | json | markdown：输出格式 / the output format",
        ),
    ] = "table",
    lang: Language = Lang.ZH,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            metavar="N",
            help="table、markdown 每节最多列出的项数（0 为全部）/ table/markdown: items a section (0 = all)",
        ),
    ] = 50,
) -> None:
    """对比两份报告 / what changed between two reports; exit 1 when something got worse."""
    from renewal import diff as report_diff
    from renewal import readback

    try:
        chosen = report_diff.DiffFormat(fmt)
    except ValueError:
        choices = [f.value for f in report_diff.DiffFormat]
        raise fail(str(bad_format(fmt, choices, lang.value))) from None
    try:
        need_stdout(lang.value)
    except UsageProblem as exc:
        raise fail(str(exc)) from None
    try:
        code = report_diff.run(old, new, chosen, lang.value, limit)
    except readback.UnreadableReport as exc:
        raise fail(exc.message(lang.value)) from None
    raise typer.Exit(code)
