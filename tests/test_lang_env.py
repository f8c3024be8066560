"""RENEWAL_LANG: the language every command speaks unless --lang says otherwise (ex24: an
English reader's nightly job had to repeat --lang en on every line)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent.parent / "fixtures" / "merchants-2022.csv"
ARGS = ["check", str(FIXTURE), "--rules", "tmall-2022", "--as-of", "2021-12-27 00:00"]


def run(args: list[str], lang: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RENEWAL_LANG", "LANG", "LC_ALL")}
    if lang is not None:
        env["RENEWAL_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "renewal", *args], capture_output=True, text=True, env=env
    )


def test_the_variable_sets_the_language_and_the_option_overrides_it() -> None:
    english = run([*ARGS, "--limit", "1"], "EN")
    assert english.stdout.startswith("Tmall 2022 contract-year renewal"), english.stdout
    chinese = run([*ARGS, "--limit", "1", "--lang", "zh"], "en")
    assert chinese.stdout.startswith("天猫2022年度商家续签"), chinese.stdout
    assert run([*ARGS, "--limit", "1"], None).stdout.startswith("天猫2022年度商家续签")


def test_the_locale_is_not_read() -> None:
    env = {k: v for k, v in os.environ.items() if k != "RENEWAL_LANG"}
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    done = subprocess.run(
        [sys.executable, "-m", "renewal", *ARGS, "--limit", "1"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.stdout.startswith("天猫2022年度商家续签")


def test_a_bad_value_in_the_variable_is_named_as_the_variable() -> None:
    done = run([*ARGS], "fr")
    assert done.returncode == 2
    assert "环境变量 RENEWAL_LANG 'fr' 不可用" in done.stderr
    assert "the environment variable RENEWAL_LANG 'fr' is not one of: zh, en" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_error_before_the_command_runs_is_in_the_variable_s_language() -> None:
    done = run([*ARGS, "--bogus"], "en")
    assert done.returncode == 2
    assert "no such option: --bogus" in done.stderr and "没有" not in done.stderr
