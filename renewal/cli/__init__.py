"""The command line: a thin typer shell that wires options to intake, engine and render.

Exit codes: 0 nothing reached the --fail-on level; 1 something did; 2 usage error,
unreadable input, missing required column or broken rule set; 3 an internal error (a bug:
the message says so). No traceback is shown unless RENEWAL_DEBUG=1.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from typer._click.core import Command as ClickCommand
from typer._click.core import Context  # typer's own click: see renewal.cli.usage_errors
from typer.core import TyperCommand, TyperGroup, TyperOption

from renewal import __version__
from renewal.cli import check, merchant, reference
from renewal.cli.common import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, say
from renewal.cli.usage_errors import UsageError, usage_message

HELP_OPTION = "显示本帮助并退出 / show this help and exit"

EXIT_CODES = (
    "退出码 / exit codes: 0 没有商家达到 --fail-on / no merchant reached --fail-on; "
    "1 有商家达到 / at least one did (diff: something got worse); "
    "2 用法错误、输入或规则文件无法使用、磁盘已满 / usage error, unusable input or rule file, "
    "disk full; 3 内部错误（缺陷）/ internal error (a bug)"
)


def _said_both_ways(option: TyperOption | None) -> TyperOption | None:
    """typer's --help option as every other option of renewal is shown: its help in both
    languages (typer's own is "Show this message and exit."), and no <bool> beside it."""
    if option is not None:
        option.help = HELP_OPTION
        option.metavar = ""
    return option


@contextmanager
def _folding_help() -> Iterator[None]:
    """--help with each help text folded where it meets the edge, not cut with "…".

    typer draws the help in rich tables whose cells cut what overflows them, and rich
    overflows them with Chinese: a run of it has no space to break at, and a wrapped line
    as wide as the cell keeps its trailing space when it holds wide characters (rich's
    Text.rstrip_end counts characters, not cells), so the line is cut a cell short, mid
    word. Folded, a long run breaks between two characters, as Chinese may, and the
    trailing space is what is cropped. typer makes every help text in one private function,
    `rich_utils._make_rich_text`; if a typer without it comes, help is drawn as typer does."""
    from rich.text import Text
    from typer import rich_utils

    made = getattr(rich_utils, "_make_rich_text", None)
    if made is None:
        yield
        return

    def folded(**kwargs: Any) -> Any:
        text = made(**kwargs)
        if isinstance(text, Text):
            text.overflow = "fold"
        return text

    setattr(rich_utils, "_make_rich_text", folded)  # noqa: B010 - typer's, for this help only
    try:
        yield
    finally:
        setattr(rich_utils, "_make_rich_text", made)  # noqa: B010


class _BilingualHelp(ClickCommand):
    """--help as renewal shows it, for a command and for the group alike: typer's --help
    option in both languages, and help texts folded at the edge (`_folding_help`)."""

    def get_help_option(self, ctx: Context) -> TyperOption | None:
        return _said_both_ways(super().get_help_option(ctx))

    def format_help(self, ctx: Context, formatter: Any) -> None:
        with _folding_help():
            super().format_help(ctx, formatter)


class Command(_BilingualHelp, TyperCommand):
    pass


class Group(_BilingualHelp, TyperGroup):
    pass


app = typer.Typer(
    cls=Group,
    add_completion=False,
    no_args_is_help=True,
    help="天猫年度商家续签合规检查 / Tmall annual merchant renewal compliance checker.",
    epilog=EXIT_CODES,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"renewal {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            metavar="",
            help="显示版本 / show the version",
        ),
    ] = False,
) -> None:
    """天猫年度商家续签合规检查 / Tmall annual merchant renewal compliance checker."""


# Every command, registered here and nowhere else, in the order --help lists them.
app.command(cls=Command, epilog=EXIT_CODES)(check.check)
app.command("rules", cls=Command)(reference.rules_catalogue)
app.command(cls=Command)(reference.explain)
app.command("validate-rules", cls=Command)(reference.validate_rules)
app.command(cls=Command)(reference.years)
app.command(cls=Command)(reference.template)
app.command(cls=Command)(reference.diff)
app.command("self-check", cls=Command)(merchant.self_check)
app.command(cls=Command)(merchant.remind)


def main() -> None:
    """Entry point: no traceback reaches the user unless RENEWAL_DEBUG=1."""
    if hasattr(signal, "SIGPIPE"):
        # `renewal check … | head` ends quietly when head has read enough, as `cat` does
        # (killed by SIGPIPE, 141 in the shell), not with click's exit 1, which means
        # "a merchant reached --fail-on". Output files are linked in only when complete.
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    _fit_the_terminal()
    try:
        # not standalone: typer hands click's usage errors back instead of printing them in
        # English in a box hard-wrapped at 80 columns, and returns the exit code
        code = app(standalone_mode=False)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except UsageError as exc:
        # a --lang renewal does not know (fr): the user has not said which language they
        # read, so the problem (most likely that very value) is said in both
        asked = told_language(sys.argv[1:])
        for lang in [asked] if asked is not None else ["zh", "en"]:
            said = usage_message(exc, sys.argv[1:], lang, app)
            if said is not None:
                typer.echo(said, err=True)
        sys.exit(EXIT_USAGE)
    except typer.Abort:
        # standalone typer's "Aborted." (end of input at a typer prompt), in the user's language
        from renewal.i18n import catalog

        aborted = catalog(asked_language(sys.argv[1:]))["usage.aborted"]
        typer.echo(f"renewal: {aborted}", err=True)
        sys.exit(1)
    except typer.TyperException as exc:
        # any other error click shows to the user as it stands (a file it could not open)
        typer.echo(f"renewal: {exc.format_message()}", err=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against a traceback
        # imported here: renewal.render pulls in pydantic, which --help must not pay for
        from renewal.i18n import os_reason
        from renewal.render.output import OutputError

        lang = asked_language(sys.argv[1:])
        if isinstance(exc, OutputError):
            # the system's reason (English, whatever --lang) in words where it is a common one
            said = say(lang, "output_failed", path=exc.path, reason=os_reason(exc.reason, lang))
            typer.echo(f"renewal: {said}", err=True)
            sys.exit(EXIT_USAGE)
        if os.environ.get("RENEWAL_DEBUG") == "1":
            raise
        if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
            # the disk filled while writing: the report was not linked in, the old one stands
            typer.echo(f"renewal: {say(lang, 'disk_full', reason=os_reason(exc, lang))}", err=True)
            sys.exit(EXIT_USAGE)
        if isinstance(exc, OSError) and exc.errno in (errno.EFBIG, errno.EIO):
            # the machine's limits or its storage, not a fault of renewal's: as a full disk
            said = say(lang, "write_failed", reason=os_reason(exc, lang))
            typer.echo(f"renewal: {said}", err=True)
            sys.exit(EXIT_USAGE)
        message = say(lang, "internal", detail=repr(exc))
        typer.echo(f"renewal: {message}", err=True)
        sys.exit(EXIT_INTERNAL)
    # commands return None, or raise typer.Exit(code), whose code typer returns here
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _fit_the_terminal() -> None:
    """What the environment says about the terminal, taken as far as it can be used.

    A locale whose encoding has no Chinese (en_US.ISO-8859-1, POSIX without UTF-8 mode)
    would make the first shop name printed an encoding error: what it cannot show is
    shown as ?, the report files (UTF-8) are unaffected. A file name that is not UTF-8
    (a GBK name from a Windows zip) prints the same way. COLUMNS=0, which some job
    runners export, would make every table zero wide, printing nothing: a width that is
    not a positive number is no width, as for Python's shutil.get_terminal_size."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)  # stderr escapes such text
    if reconfigure is not None:
        reconfigure(errors="replace")
    columns = os.environ.get("COLUMNS")
    if columns is not None and not (columns.strip().isdigit() and int(columns) > 0):
        del os.environ["COLUMNS"]


def told_language(args: list[str]) -> str | None:
    """The --lang of a command line typer could not finish with: `--lang en` or
    `--lang=en`, the last one given, in any case (EN, En); else RENEWAL_LANG's, as typer
    reads it; Chinese by default; None when that value is no language renewal speaks."""
    lang = os.environ.get("RENEWAL_LANG") or "zh"
    for index, arg in enumerate(args):
        if arg == "--lang" and index + 1 < len(args):
            lang = args[index + 1]
        elif arg.startswith("--lang="):
            lang = arg.removeprefix("--lang=")
    lang = lang.lower()
    return lang if lang in ("zh", "en") else None


def asked_language(args: list[str]) -> str:
    """`told_language`, Chinese when the value is none renewal speaks."""
    return told_language(args) or "zh"
