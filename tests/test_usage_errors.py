"""Command-line usage errors (no such option or command, a missing argument, a bad value ...)
are said as renewal says everything: in Chinese, or in English with --lang en anywhere on
the line; naming what the user typed; exit 2; a pointer to --help; never hard-wrapped."""

from __future__ import annotations

import re
import subprocess

import pytest
from conftest import CSV, renewal

CJK = re.compile(r"[\u4e00-\u9fff]")


def usage_error(result: subprocess.CompletedProcess[str], lang: str) -> str:
    """The problem line of a usage error, after checking what every usage error shares:
    exit 2, two lines on stderr (the problem, where help is) in `lang`, no traceback, no
    box drawn around it."""
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    assert "─" not in result.stderr and "│" not in result.stderr, result.stderr
    problem, hint = result.stderr.rstrip("\n").split("\n")
    assert problem.startswith("renewal: "), result.stderr
    if lang == "zh":
        assert CJK.search(problem), problem
        assert "查看用法" in hint, hint
    else:
        assert not CJK.search(result.stderr), result.stderr
        assert hint.startswith("Try '") and hint.endswith("for help."), hint
    return problem


def hint_names(result: subprocess.CompletedProcess[str], command: str) -> bool:
    """Whether the help line points at `renewal COMMAND --help` (run as `python -m renewal`)."""
    return f"renewal {command} --help'" in result.stderr.splitlines()[-1]


def names(problem: str, option: str) -> bool:
    """Whether `problem` names `option` as a word of its own (`-j`, not inside `--jobs`)."""
    return re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", problem) is not None


LANGS = [("zh", []), ("en", ["--lang", "en"])]


@pytest.mark.parametrize(("lang", "flag"), LANGS)
def test_no_such_option_names_it_and_keeps_clicks_guess(lang, flag):
    result = renewal("check", CSV, "--limt", "3", *flag)
    problem = usage_error(result, lang)
    assert "--limt" in problem
    assert "--limit" in problem.replace("--limt", "")  # click's "did you mean"
    assert hint_names(result, "check")


@pytest.mark.parametrize(("lang", "flag"), LANGS)
def test_no_such_option_without_a_guess(lang, flag):
    result = renewal("rules", "--zzz", *flag)
    problem = usage_error(result, lang)
    assert "--zzz" in problem and problem.count("--") == 1
    assert hint_names(result, "rules")


@pytest.mark.parametrize(("lang", "flag"), LANGS)
def test_no_such_command_names_it_and_suggests_the_near_one(lang, flag):
    result = renewal("chek", CSV, *flag)
    problem = usage_error(result, lang)
    assert "'chek'" in problem and "'check'" in problem
    assert "renewal --help'" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(("lang", "flag"), LANGS)
def test_missing_argument_is_named(lang, flag):
    result = renewal("template", *flag)
    problem = usage_error(result, lang)
    assert "'target'" in problem
    assert hint_names(result, "template")


@pytest.mark.parametrize(("lang", "flag"), LANGS)
@pytest.mark.parametrize(
    ("typed", "option", "value"),
    [
        (["--jobs", "abc"], "--jobs", "abc"),
        (["-j", "abc"], "-j", "abc"),
        (["--jobs=x1"], "--jobs", "x1"),
        (["-j0"], "-j", "0"),
        (["--limit", "1.5"], "--limit", "1.5"),
    ],
)
def test_a_bad_value_names_the_option_as_typed_and_the_value(lang, flag, typed, option, value):
    result = renewal("check", CSV, *typed, *flag)
    problem = usage_error(result, lang)
    assert names(problem, option) and f"'{value}'" in problem
    other = {"--jobs": "-j", "-j": "--jobs"}.get(option)
    assert other is None or not names(problem, other), problem
    assert hint_names(result, "check")


def test_a_value_below_the_minimum_says_the_minimum():
    zh = usage_error(renewal("check", CSV, "--jobs", "0"), "zh")
    en = usage_error(renewal("check", CSV, "--jobs", "0", "--lang", "en"), "en")
    assert "1" in zh.split("'0'")[1] and "at least 1" in en


@pytest.mark.parametrize(("lang", "flag"), LANGS)
def test_a_bad_choice_lists_the_choices(lang, flag):
    result = renewal("check", CSV, "--fail-on", "bogus", *flag)
    problem = usage_error(result, lang)
    assert "--fail-on" in problem and "'bogus'" in problem
    for choice in ("failed", "due-soon", "pending", "warn", "new", "never"):
        assert choice in problem


@pytest.mark.parametrize(("lang", "flag"), LANGS)
def test_extra_arguments_are_named(lang, flag):
    result = renewal("check", CSV, *flag, "surplus-one", "surplus-two")
    problem = usage_error(result, lang)
    assert "surplus-one surplus-two" in problem


@pytest.mark.parametrize(("lang", "flag"), LANGS)
def test_an_option_missing_its_value(lang, flag):
    # the option parser's own error carries no command: the hint still names it
    result = renewal("self-check", *flag, "--merchant")
    problem = usage_error(result, lang)
    assert "--merchant" in problem
    assert hint_names(result, "self-check")


@pytest.mark.parametrize(("lang", "flag"), LANGS)
def test_a_flag_given_a_value(lang, flag):
    result = renewal("check", CSV, "--quiet=yes", *flag)
    problem = usage_error(result, lang)
    assert "--quiet" in problem and "yes" not in problem
    assert hint_names(result, "check")


def test_an_error_of_the_program_itself_points_at_its_help():
    result = renewal("--version=1", "check")
    assert "--version" in usage_error(result, "zh")
    assert "renewal --help'" in result.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "lang"),
    [
        (["--lang", "en", "--bogus"], "en"),
        (["--bogus", "--lang", "en"], "en"),
        (["--lang=en", "--bogus"], "en"),
        (["--lang", "en", "--lang", "zh", "--bogus"], "zh"),
        (["--lang=zh", "--lang=en", "--bogus"], "en"),
        (["--lang", "EN", "--bogus"], "en"),
        (["--lang=En", "--bogus"], "en"),
        (["--bogus"], "zh"),
    ],
)
def test_the_language_is_the_last_lang_on_the_line(args, lang):
    """--lang is an option of each command (no environment variable sets it); the last one
    given wins, as click takes it, even when the error is about something else."""
    problem = usage_error(renewal("check", CSV, *args), lang)
    assert "--bogus" in problem


EVERY_COMMAND = [
    (["check", CSV, "--rules", "tmall-2022", "--as-of", "2021-12-27", "--limit", "1"], "Outcome"),
    (["rules", "--rules", "tmall-2022"], "Contract signed at or before the cut-off"),
    (["explain", "DP01", "--rules", "tmall-2022"], "balance at least the required amount"),
    (["validate-rules", "rules/tmall-2022.toml"], "8 rules"),
    (["years"], "terminates"),
    (["template", "{tmp}/t.xlsx", "--rules", "tmall-2022"], "wrote the template"),
    (["diff", "{tmp}/none.json", "{tmp}/none.json"], "cannot read"),
    (["self-check", CSV, "-m", "none", "--rules", "tmall-2022"], "no merchant id none"),
    (
        ["remind", CSV, "--rules", "tmall-2022", "--as-of", "2021-12-20"],
        "with something outstanding",
    ),
]


@pytest.mark.parametrize("case", ["EN", "En", "eN"])
@pytest.mark.parametrize(
    ("args", "english"), EVERY_COMMAND, ids=[str(args[0]) for args, _ in EVERY_COMMAND]
)
def test_lang_is_taken_in_any_case_by_every_command(tmp_path, args, english, case):
    """`--lang EN` asks for English as plainly as `--lang en`: every command speaks it."""
    from conftest import ROOT

    given = [str(arg).replace("{tmp}", str(tmp_path)) for arg in args]
    result = renewal(*given, "--lang", case, cwd=ROOT)
    assert "Traceback" not in result.stderr
    assert english in result.stdout + result.stderr, result.stderr
    assert "不可用" not in result.stderr


@pytest.mark.parametrize("command", ["check", "years", "template"])
def test_an_unknown_lang_is_refused_in_both_languages(command):
    """A --lang renewal does not speak leaves unsaid which language the user reads: the
    refusal, and where help is, are said in Chinese and in English."""
    args = [CSV] if command == "check" else ["t.xlsx"] if command == "template" else []
    result = renewal(command, *args, "--lang", "fr")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    zh_problem, zh_hint, en_problem, en_hint = result.stderr.rstrip("\n").split("\n")
    assert zh_problem.startswith("renewal: ") and "'fr'" in zh_problem
    assert CJK.search(zh_problem) and "查看用法" in zh_hint
    assert en_problem.startswith("renewal: ") and "'fr'" in en_problem
    assert "zh, en" in en_problem and not CJK.search(en_problem + en_hint)
    assert en_hint.startswith("Try '") and f"renewal {command} --help'" in en_hint


def test_a_long_value_is_not_wrapped_on_a_narrow_terminal(tmp_path):
    far = tmp_path.joinpath(*[f"a-rather-long-directory-name-{n}" for n in range(4)])
    extra = str(far / "merchants-export-2021.csv")
    assert len(extra) > 160
    result = renewal("check", CSV, extra, columns=80)
    problem = usage_error(result, "zh")
    assert extra in problem


def test_control_characters_typed_are_shown_escaped():
    result = renewal("check", CSV, "--bo\x1b[31mgus")
    problem = usage_error(result, "zh")
    assert "\x1b" not in result.stderr and "--bo\\x1b[31mgus" in problem


def test_no_arguments_still_print_the_help():
    result = renewal()
    assert result.returncode == 2 and result.stderr == ""
    assert "Usage" in result.stdout and "check" in result.stdout


def test_help_and_version_are_unchanged():
    helped = renewal("check", "--help")
    assert helped.returncode == 0 and "--fail-on" in helped.stdout and helped.stderr == ""
    version = renewal("--version")
    assert version.returncode == 0 and version.stdout.startswith("renewal ")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_missing_required_option_is_named(lang):
    """No renewal command has a required option yet: a real typer app with one shows the
    message main() would print (the same function, the same click exception)."""
    import typer

    from renewal.cli.usage_errors import UsageError, usage_message

    app = typer.Typer()

    @app.command()
    def run(rules: str = typer.Option(..., "--rules")) -> None:  # pragma: no cover - not run
        pass

    @app.command()
    def other() -> None:  # pragma: no cover - not run: two commands make a group
        pass

    with pytest.raises(UsageError) as raised:
        app(["run"], standalone_mode=False)
    said = usage_message(raised.value, ["run"], lang, app)
    assert said is not None
    problem, hint = said.split("\n")
    assert "--rules" in problem and "run --help'" in hint
    assert bool(CJK.search(said)) == (lang == "zh")
