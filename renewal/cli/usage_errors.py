"""Click's usage errors (no such option or command, a missing argument, a bad value, extra
arguments ...) said as every other message of renewal is: one line in the user's language,
naming what the user typed, then where to find help. Never hard-wrapped: a long path stays
whole, where typer's own box breaks it at 80 columns.

The message is rebuilt from what the exception carries (the option name, the parameter, the
value pydantic was given) rather than translated from click's English; an error this module
does not know is still said in the user's language, with click's text as the detail.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from enum import Enum

import typer

# typer (0.29) parses with its own private copy of click, `typer._click`, and re-exports only
# BadParameter (as typer.BadParameter) of its usage errors: the rest are imported from there,
# here and nowhere else. If typer moves them, this import is the one line to change.
from typer._click.exceptions import (
    BadOptionUsage,
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
    UsageError,
)

__all__ = ["UsageError", "usage_message"]

# click's wording of the errors that carry nothing but their message (patterns compiled on
# first use, by `re`'s cache: start-up does not pay for them)
_NO_SUCH_COMMAND = r"(?s)No such command (?P<name>.+?)\.(?: Did you mean (?P<matches>.+)\?)?\Z"
_EXTRA_ARGUMENTS = r"(?s)Got unexpected extra argument(?:s|\(s\))? \((?P<extra>.*)\)\Z"
_NEEDS_VALUES = r"requires (?:an argument|(?P<count>\d+) arguments)"
_QUOTED = r"'((?:[^'\\]|\\.)*)'"

_BOUNDS = {
    "greater_than_equal": ("ge", "usage.at_least"),
    "greater_than": ("gt", "usage.more_than"),
    "less_than_equal": ("le", "usage.at_most"),
    "less_than": ("lt", "usage.less_than"),
}
_KINDS = {
    "int_parsing": "usage.not_integer",
    "int_type": "usage.not_integer",
    "int_from_float": "usage.not_integer",
    "float_parsing": "usage.not_number",
    "float_type": "usage.not_number",
}
"""pydantic's error types (typer converts values with pydantic) that have our own wording."""


def usage_message(exc: UsageError, args: list[str], lang: str, app: typer.Typer) -> str | None:
    """What to print for `exc`, raised on the command line `args` (without the program):
    `renewal: <problem>` and a line saying where help is; None when typer has already
    printed what is needed (no arguments at all: the help)."""
    if isinstance(exc, NoArgsIsHelpError):
        return None
    problem = _problem(exc, args, lang)
    ctx = exc.ctx
    if ctx is not None:
        command, help_option = ctx.command_path, ctx.help_option_names[0]
    else:
        # an error of the option parser itself (`--jobs` without a value) carries no context
        option = exc.option_name if isinstance(exc, BadOptionUsage) else None
        command, help_option = _command_path(args, app, option), "--help"
    hint = _say("usage.hint", lang, command=_plain(command), help=help_option)
    return f"renewal: {problem}\n{hint}"


def _problem(exc: UsageError, args: list[str], lang: str) -> str:
    if isinstance(exc, NoSuchOption):
        problem = _say("usage.no_such_option", lang, option=_plain(exc.option_name))
        matches = sorted(_plain(name) for name in exc.possibilities or ())
        return _suggesting(problem, matches, lang)
    if isinstance(exc, BadOptionUsage):
        option = _plain(exc.option_name)
        needs = re.search(_NEEDS_VALUES, exc.message)
        if needs and needs["count"]:
            return _say("usage.needs_values", lang, option=option, count=needs["count"])
        if needs:
            return _say("usage.needs_value", lang, option=option)
        if "does not take a value" in exc.message:
            return _say("usage.takes_no_value", lang, option=option)
    if isinstance(exc, MissingParameter) and exc.param is not None:
        param = exc.param
        if param.param_type_name == "argument":
            return _say("usage.missing_argument", lang, argument=_quoted(param.name or "?"))
        return _say("usage.missing_option", lang, option=param.opts[0])
    if isinstance(exc, BadParameter) and exc.param is not None:
        return _bad_value(exc, args, lang)
    if exc.message == "Missing command.":
        return _say("usage.missing_command", lang)
    command = re.match(_NO_SUCH_COMMAND, exc.message)
    name = _literal(command["name"]) if command else None
    if command and name is not None:
        problem = _say("usage.no_such_command", lang, command=_quoted(name))
        matches = [_quoted(match) for match in re.findall(_QUOTED, command["matches"] or "")]
        return _suggesting(problem, matches, lang)
    extra = re.match(_EXTRA_ARGUMENTS, exc.message)
    if extra:
        return _say("usage.extra_arguments", lang, extra=_plain(extra["extra"]))
    return _say("usage.other", lang, detail=_plain(exc.format_message()))


def _bad_value(exc: BadParameter, args: list[str], lang: str) -> str:
    """A value the option or argument cannot take, the option named as it was typed
    (`-j` or `--jobs`) and the value as it was typed."""
    param = exc.param
    assert param is not None
    error = _first_error(exc)
    given = error.get("input") if error else None
    value = given if isinstance(given, str) else None
    if param.param_type_name == "argument":
        name = _quoted(param.name or "?")
    else:
        names = param.opts + param.secondary_opts
        name, typed = _typed_option(names, args, value)
        value = value if value is not None else typed
        envvar = getattr(param, "envvar", None)
        if isinstance(envvar, str) and not _typed_option_in(names, args):
            # not on the command line: the value came from the environment (RENEWAL_LANG)
            name = _say("usage.envvar", lang, name=envvar)
    shown = _quoted(value) if value is not None else "?"
    choices = getattr(getattr(param, "type_descriptor", None), "choices", None)
    if choices:
        listed = [str(c.value) if isinstance(c, Enum) else str(c) for c in choices]
        return _say("usage.bad_choice", lang, option=name, value=shown, choices=listed)
    kind = str(error.get("type", "")) if error else ""
    context = error.get("ctx") if error else None
    bounds = context if isinstance(context, Mapping) else {}
    if kind in _BOUNDS and _BOUNDS[kind][0] in bounds:
        limit_key, key = _BOUNDS[kind]
        reason = _say(key, lang, limit=bounds[limit_key])
    elif kind in _KINDS:
        reason = _say(_KINDS[kind], lang)
    else:
        reason = _plain(exc.message.removeprefix("Value error, "))
    return _say("usage.bad_value", lang, option=name, value=shown, reason=reason)


def _typed_option_in(names: list[str], args: list[str]) -> bool:
    """Whether the command line gives one of `names` (`--lang en`, `--lang=en`)."""
    return _typed_option(names, args, None)[1] is not None or any(
        arg in names for arg in args
    )


def _first_error(exc: BadParameter) -> Mapping[str, object] | None:
    """The first error of the pydantic ValidationError behind `exc`, if there is one:
    its type (int_parsing, greater_than_equal ...), the input and the bounds."""
    cause = exc.__cause__
    errors = getattr(cause, "errors", None)
    if not callable(errors):
        return None
    try:
        found = errors(include_url=False)
    except TypeError:
        return None
    if isinstance(found, list) and found and isinstance(found[0], Mapping):
        return found[0]
    return None


def _typed_option(names: list[str], args: list[str], value: str | None) -> tuple[str, str | None]:
    """The spelling of the option the user typed (`--jobs`, `-j`, `--jobs=4`, `-j4`) and its
    value: the last use given `value`, else the last use; the first name when not typed."""
    uses: list[tuple[str, str | None]] = []
    for index, arg in enumerate(args):
        if arg == "--":
            break
        for name in names:
            if arg == name:
                uses.append((name, args[index + 1] if index + 1 < len(args) else None))
            elif name.startswith("--") and arg.startswith(f"{name}="):
                uses.append((name, arg[len(name) + 1 :]))
            elif len(name) == 2 and arg[:2] == name and len(arg) > 2 and not arg.startswith("--"):
                uses.append((name, arg[2:]))
    chosen = [use for use in uses if use[1] == value] or uses
    if not chosen:
        return (names[0] if names else "?"), None
    return chosen[-1]


def _command_path(args: list[str], app: typer.Typer, option: str | None) -> str:
    """`python -m renewal check`, as click names a command, for an error that came without
    one: the program as click detects it, then the command the line names, unless the
    `option` at fault is one of the program's own (`--version=1`)."""
    from typer.main import get_command

    main = sys.modules.get("__main__")
    package = getattr(main, "__package__", None)
    path = sys.argv[0] if sys.argv and sys.argv[0] else "renewal"
    if package:
        module = os.path.splitext(os.path.basename(path))[0]
        program = f"python -m {package if module == '__main__' else f'{package}.{module}'}"
    else:
        program = os.path.basename(path)
    root = get_command(app)
    commands = getattr(root, "commands", {})
    named = next((arg for arg in args if not arg.startswith("-")), None)
    own = {name for param in root.params for name in param.opts + param.secondary_opts}
    return f"{program} {named}" if named in commands and option not in own else program


def _suggesting(problem: str, matches: list[str], lang: str) -> str:
    """`problem`, then click's guesses at what was meant, if it has any."""
    if not matches:
        return problem
    return _say("usage.did_you_mean", lang, problem=problem, matches=matches)


def _say(key: str, lang: str, **values: object) -> str:
    from renewal.i18n import formatted

    return formatted(key, values, lang)


def _literal(text: str) -> str | None:
    """The string a Python repr (click's `{name!r}`) stands for; None if it is not one."""
    from ast import literal_eval

    try:
        value = literal_eval(text)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def _plain(text: str) -> str:
    """`text` as typed, but a control character (an escape sequence would restyle the
    terminal) or an undecodable byte written out as Python writes it: \\x1b, \\udcff."""
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def _quoted(text: str) -> str:
    return f"'{_plain(text)}'"
