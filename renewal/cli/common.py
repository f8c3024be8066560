"""What the commands share: exit codes, the options several take, the one-line messages of
a usage problem, and the choice of a rule set."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from renewal.render import Format
    from renewal.ruleset import RuleSet
    from renewal.waivers import Waivers

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
        "--as-of",
        metavar="TIME",
        help="评估时间（北京时间）/ evaluation time, Beijing time (default: now)",
    ),
]
Language = Annotated[
    Lang,
    typer.Option(
        "--lang",
        case_sensitive=False,  # EN, En: the user asked for English all the same
        # a nightly job's or a reader's standing choice, which --lang overrides
        envvar="RENEWAL_LANG",
        help="消息语言 zh | en（大小写均可；默认取环境变量 RENEWAL_LANG，否则 zh）/ the language of the messages, zh | en (any case; default RENEWAL_LANG, else zh)",
    ),
]
RulesByAsOf = Annotated[
    str | None,
    typer.Option(
        "--rules",
        "-r",
        metavar="ID|FILE",
        help="规则集 ID 或 TOML 文件 / rule set id or file (default: the renewal that ends the year --as-of is in, e.g. tmall-2022 for any moment after 2020-12-31 24时 up to 2021-12-31 24时; else the nearest, said on stderr)",
    ),
]
Sheet = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="NAME",
        help="工作簿中要检查的商家工作表（默认：名为 商家 等的工作表，或唯一带商家表头的那张）；其续表（如 商家 (2)）一并读取 / the workbook's merchant sheet to check (default: the one named 商家, merchants and the like, or the only one with the merchant header); the sheets continuing it (商家 (2), say) are read with it",
    ),
]
"""`--sheet`, as check, remind and self-check take it."""

_MESSAGES = {
    "zh": {
        "bad_as_of": "--as-of 无法解析：{value!r}（示例：2021-12-30 12:00、2021-12-30T12:00:00+08:00、2021-12-30）",
        "same_file": "{path}：输出文件就是输入文件，拒绝覆盖",
        "same_input": "{path}：输出文件就是 {option} 读取的文件 {source}，拒绝覆盖",
        "stdout_closed": "无法写入标准输出：它已关闭",
        "format_conflict": "{path}：扩展名表示 {named} 格式，与 --format {given} 不符（去掉 --format，或改用 .{ext} 扩展名）",
        "output_dir": "{path}：输出路径是一个目录",
        "output_parent": "{path}：输出目录不存在",
        "output_unwritable": "{path}：没有写入权限，无法在这里写报告",
        "output_failed": "{path}：无法写入（{reason}）",
        "loop": "符号链接绕成了一个圈",
        "cwd_gone": "当前工作目录已被删除",
        "stdout_twice": "标准输出（-o -、/dev/stdout、/dev/fd/1）只能给一次",
        "disk_full": "磁盘空间不足，报告没有写完，之前的报告保持原样（{reason}）",
        "disk_full_at": "{places} 所在的磁盘空间不足，报告没有写完，之前的报告保持原样",
        "temporary_dir": "临时目录 {path}",
        "standard_output": "标准输出",
        "disk_full_streams": "{places} 所在的磁盘空间不足，报告没有写完",
        "write_failed": "写入失败，报告没有写完，之前的报告保持原样（{reason}）",
        "rules": "规则文件错误：{detail}",
        "waivers": "豁免清单（--waivers）错误：{detail}",
        "format": "无法从输出文件扩展名判断格式：{path}（请用 --format 指定）",
        "bad_format": "--format {value!r} 不可用：可选 {choices}",
        "output_twice": "同一个输出文件给了两次",
        "xlsx_stdout": "Excel 报告要写入文件：用 -o 报告.xlsx",
        "xlsx_terminal": "{path} 是终端：Excel 报告是二进制文件，不能显示在终端上；用 -o 报告.xlsx",
        "new_needs_baseline": "--fail-on new 需要 --baseline（上次的 JSON 报告）",
        "bad_due_soon": "--due-soon 无法解析：{value!r}（示例：3天、72小时、1天12小时、72h、3d、90m）",
        "format_unwritten": "{path}：扩展名对应的 {format} 格式这里不写：可选 {choices}",
        "internal": "renewal 内部错误（这是一个缺陷，请报告）：{detail}",
        "written": "已写入 {path}",
    },
    "en": {
        "bad_as_of": "cannot read --as-of {value!r} (examples: 2021-12-30 12:00, 2021-12-30T12:00:00+08:00, 2021-12-30)",
        "same_file": "{path}: the output is the input file; refusing to write over it",
        "same_input": "{path}: the output is {source}, the file {option} reads; refusing to write over it",
        "stdout_closed": "cannot write standard output: it is closed",
        "format_conflict": "{path}: its extension says {named}, but --format says {given} (drop --format, or name the file .{ext})",
        "output_dir": "{path}: the output path is a directory",
        "output_parent": "{path}: the output directory does not exist",
        "output_unwritable": "{path}: no permission to write the report there",
        "output_failed": "{path}: cannot be written ({reason})",
        "loop": "its symbolic links go round in a loop",
        "cwd_gone": "the working directory has been removed",
        "stdout_twice": "standard output (-o -, /dev/stdout, /dev/fd/1) can be given only once",
        "disk_full": "the disk is full: the report was not finished and any earlier one is unchanged ({reason})",
        "disk_full_at": "no space left on the disk of {places}: the report was not finished and any earlier one is unchanged",
        "temporary_dir": "the temporary directory {path}",
        "standard_output": "standard output",
        "disk_full_streams": "no space left on the disk of {places}: the report was not finished",
        "write_failed": "writing failed: the report was not finished and any earlier one is unchanged ({reason})",
        "rules": "rule set error: {detail}",
        "waivers": "waiver list (--waivers) error: {detail}",
        "format": "cannot tell the format from the output file's extension: {path} (use --format)",
        "bad_format": "--format {value!r} is not one of: {choices}",
        "output_twice": "the same output file is given twice",
        "xlsx_stdout": "an Excel report needs a file: use -o report.xlsx",
        "xlsx_terminal": "{path} is a terminal: an Excel report is binary and cannot be shown there; use -o report.xlsx",
        "new_needs_baseline": "--fail-on new needs --baseline (an earlier JSON report)",
        "bad_due_soon": "cannot read --due-soon {value!r} (examples: 72h, 3d, 90m, 1d12h, or in Chinese 3天, 72小时)",
        "format_unwritten": "{path}: its extension asks for {format}, which this command does not write: choose from {choices}",
        "internal": "renewal internal error (a bug, please report it): {detail}",
        "written": "wrote {path}",
    },
}


class UsageProblem(Exception):
    """A problem with what the user asked for: one line, exit 2."""


def say(lang: str, key: str, **values: object) -> str:
    return _MESSAGES[lang][key].format(**values)


def bad_format(value: str, choices: list[str], lang: str) -> UsageProblem:
    """A --format the command does not write, and the ones it does."""
    from renewal.i18n import listed

    return UsageProblem(say(lang, "bad_format", value=value, choices=listed(choices, lang)))


def format_conflict(path: Path, named: str, given: str, lang: str) -> UsageProblem:
    """An output whose extension names one format while --format names another."""
    ext = {"table": "txt", "junit": "xml"}.get(given, given)
    return UsageProblem(say(lang, "format_conflict", path=path, named=named, given=given, ext=ext))


def fail(message: str, code: int = EXIT_USAGE) -> typer.Exit:
    typer.echo(f"renewal: {message}", err=True)
    return typer.Exit(code)


def parse_as_of(value: str | None, lang: str) -> datetime:
    """The moment of evaluation in Beijing time; now when not given. An `--as-of` that is
    not a moment is a usage problem, said in the user's language."""
    from renewal.intake.dates import parse_datetime
    from renewal.intake.values import Unreadable
    from renewal.timeutil import BEIJING

    if value is None:
        return datetime.now(BEIJING).replace(microsecond=0)
    try:
        moment = parse_datetime(value.strip())
    except Unreadable:
        moment = None
    if moment is None:
        raise UsageProblem(say(lang, "bad_as_of", value=value))
    return moment


def is_stdout(output: Path) -> bool:
    """`-o -`, the usual name of standard output."""
    return str(output) == "-"


def names_stdout(output: Path) -> bool:
    """`-o -`, or another name of the run's standard output (`/dev/stdout`, `/dev/fd/1`,
    `/proc/self/fd/1`): given twice, two reports would run into one stream."""
    from renewal.render.output import inherited_descriptor

    return is_stdout(output) or inherited_descriptor(output) == 1


def output_formats(
    outputs: list[Path],
    explicit: Format | None,
    lang: str,
    stdout_format: Format,
    writes: Sequence[str] | None = None,
    bare: Format | None = None,
) -> list[tuple[Format, Path | None]]:
    """Each `-o` with the format it is written in, as check and remind both pick it (None
    for standard output): a file's extension decides, --format when it names none; beside
    `-o -`, --format is standard output's (`-f json -o - -o r.xlsx`), else a file whose
    extension names another than --format is refused, never a "JSON" holding another
    format. `-o -` is in --format's format, else `stdout_format`, and never a workbook.
    `writes`: the formats the command writes (an extension naming another is refused);
    `bare`: the format of a file with no extension and no --format (`-o /dev/stdout`,
    `-o report`; None: refused, as is an extension naming no format). A workbook is never
    written to a terminal. Standard output given twice is for the caller."""
    from renewal.i18n import listed
    from renewal.render import Format

    to_stdout = any(is_stdout(path) for path in outputs)
    targets: list[tuple[Format, Path | None]] = []
    for path in outputs:
        if is_stdout(path):
            if explicit is Format.XLSX:
                raise UsageProblem(say(lang, "xlsx_stdout"))
            targets.append((explicit or stdout_format, None))
            continue
        named = Format.from_path(path)
        if writes is not None and named is not None and named.value not in writes:
            choices = listed(list(writes), lang)
            raise UsageProblem(
                say(lang, "format_unwritten", path=path, format=named.value, choices=choices)
            )
        if named not in (None, explicit) and explicit is not None and not to_stdout:
            raise format_conflict(path, named, explicit, lang)
        chosen = named or explicit
        if chosen is None:
            if bare is None or path.suffix:
                raise UsageProblem(say(lang, "format", path=path))
            chosen = bare
        if chosen is Format.XLSX and _is_terminal(path):  # -f xlsx -o /dev/stdout, on screen
            raise UsageProblem(say(lang, "xlsx_terminal", path=path))
        targets.append((chosen, path))
    return targets


def _is_terminal(path: Path) -> bool:
    """Whether `path` is a terminal (/dev/stdout on screen, /dev/tty). Only a character
    device is opened to ask: opening and closing a FIFO would end its reader's input."""
    import stat

    try:
        if not stat.S_ISCHR(os.stat(path).st_mode):
            return False
        descriptor = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        return os.isatty(descriptor)
    finally:
        os.close(descriptor)


def check_output(output: Path, input_path: Path, lang: str) -> None:
    """Refuse, before anything is read, an output that cannot be written or would write
    over the input. A pipe or a device (`-o /dev/stdout`) is written straight."""
    from renewal.i18n import os_reason
    from renewal.render.output import is_stream, real_target

    try:
        output.resolve()
    except RuntimeError:  # Python's "Symlink loop from …"
        reason = say(lang, "loop")
        raise UsageProblem(say(lang, "output_failed", path=output, reason=reason)) from None
    except OSError as exc:  # a relative path in a working directory since removed, say
        gone = not output.is_absolute() and exc.errno == errno.ENOENT
        reason = say(lang, "cwd_gone") if gone else os_reason(exc, lang)
        raise UsageProblem(say(lang, "output_failed", path=output, reason=reason)) from None
    if output.is_dir():
        raise UsageProblem(say(lang, "output_dir", path=output))
    if is_stream(output):
        if output.exists() and not os.access(output, os.W_OK):
            raise UsageProblem(say(lang, "output_unwritable", path=output))
        return
    real = real_target(output)
    parent = real.parent if str(real.parent) else Path(".")
    if not parent.is_dir():
        raise UsageProblem(say(lang, "output_parent", path=output))
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UsageProblem(say(lang, "output_unwritable", path=output))
    if _same_file(output, input_path):
        raise UsageProblem(say(lang, "same_file", path=output))


def _same_file(output: Path, source: Path) -> bool:
    """Whether writing `output` would write over `source`, however each is named: samefile
    also catches another path to the same file (./, a symbolic link, a hard link)."""
    return output.exists() and source.exists() and os.path.samefile(output, source)


def refuse_inputs(
    outputs: Iterable[Path], inputs: Iterable[tuple[str, Path | None]], lang: str
) -> None:
    """Refuse an output that is a file the run reads besides the export (check_output
    refuses that one): the --waivers list, the rule file. Named another way (./, a
    symbolic link, a hard link) too. Each input is (the option that names it, its path)."""
    from renewal.render.output import is_stream

    sources = [(option, path) for option, path in inputs if path is not None]
    for output in outputs:
        if is_stdout(output) or is_stream(output):
            continue
        for option, source in sources:
            if _same_file(output, source):
                raise UsageProblem(
                    say(lang, "same_input", path=output, option=option, source=source)
                )


def need_stdout(lang: str) -> None:
    """Refuse, before any work, a run whose result goes to a standard output that was
    closed (`>&-`): Python then has none, and the result would go nowhere."""
    if sys.stdout is None:
        raise UsageProblem(say(lang, "stdout_closed"))


def read_waivers(path: Path | None, ruleset: RuleSet, lang: str) -> Waivers | None:
    """The --waivers list, read against the run's year (a waiver naming a rule it lacks
    could never apply). One that cannot be used is said as a rule file's is, naming the
    option: its path alone would read as the export's."""
    from renewal.intake.tables import IntakeError
    from renewal.waivers import load_waivers

    if path is None:
        return None
    try:
        return load_waivers(path, ruleset)
    except IntakeError as exc:
        raise UsageProblem(say(lang, "waivers", detail=exc.message(lang))) from None


def data_notes(summary: Mapping[str, object], rows_left_out: bool = False) -> None:
    """Intake's notes about the file on stderr, as `check` says them without --quiet;
    with `rows_left_out`, only those saying merchant rows are in no report
    (report.ROWS_LEFT_OUT), which `remind` says even with --quiet."""
    from renewal.report import note_messages

    for message in note_messages(summary, True if rows_left_out else None):
        typer.echo(f"renewal: {message}", err=True)


def chosen_ruleset(
    rules: str | None, moment: datetime, language: str, quiet: bool = False
) -> tuple[Any, str]:
    """The rule set a run uses and how it was chosen, as `check` chooses it; a note on
    stderr when no bundled year covers the as-of. An empty --rules is given, and refused
    (`ruleset.resolve`), never taken for no --rules."""
    from renewal.report import nearest_note
    from renewal.rule_errors import RuleSetError, UnknownRuleSet
    from renewal.ruleset import Selection, choose, load

    try:
        selection = Selection(load(rules), "given") if rules is not None else choose(moment)
    except UnknownRuleSet as exc:
        raise UsageProblem(exc.message(language)) from None
    except RuleSetError as exc:
        raise UsageProblem(say(language, "rules", detail=exc.message(language))) from None
    note_passed_over(rules, language)
    if selection.how == "nearest" and not quiet:
        typer.echo(f"renewal: {nearest_note(selection.ruleset, moment, language)}", err=True)
    return selection.ruleset, selection.how


def note_passed_over(rules: str | None, language: str) -> None:
    """Say on stderr, even with --quiet, that `--rules 2025` used the bundled rule set
    although a file named 2025 is in the working directory, and how to name the file: a
    bare name used to mean the file, and a script that still means it must not change
    year unseen."""
    from renewal.i18n import catalog
    from renewal.ruleset import bundled_id, passed_over

    path = passed_over(rules)
    if rules is None or path is None:
        return
    said = catalog(language)["ruleset.passed_over"].format(
        ref=rules, id=bundled_id(rules), path=f".{os.sep}{path}"
    )
    typer.echo(f"renewal: {said}", err=True)


def disk_full(targets: list[tuple[Any, Path | None]], scratch: bool, lang: str) -> str:
    """A full disk, naming where the run wrote: standard output and the devices or pipes
    written straight, the directories of its report files (one per file system), and the
    temporary directory when an Excel report's parts, a report spooled for standard output
    or the diff's scratch report went there. An earlier report is said to be unchanged
    only where there are report files: what went to standard output is gone. For `check`
    and `remind` alike."""
    from renewal.render import Format
    from renewal.render.output import disks_of, is_stream

    streams: list[str] = []
    files: list[Path] = []
    for _, path in targets:
        if path is None or is_stdout(path):
            streams.append(say(lang, "standard_output"))
        elif is_stream(path):
            streams.append(str(path))
        else:
            files.append(path)
    temporary = scratch or bool(streams) or any(f is Format.XLSX for f, _ in targets)
    places = streams + [
        say(lang, "temporary_dir", path=place) if is_temporary else str(place)
        for place, is_temporary in disks_of(files, temporary)
    ]
    joined = (" 或 " if lang == "zh" else " or ").join(places)
    return say(lang, "disk_full_at" if files else "disk_full_streams", places=joined)
