"""The environment a job runs in: a locale without Chinese, COLUMNS=0, standard input
closed, output paths that cannot be resolved. Each is the machine's, not a bug: never exit 3."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import CSV, renewal

RULES_AS_OF = ("--rules", "tmall-2022", "--as-of", "2021-12-26 17:00")


def test_a_locale_without_chinese_prints_the_table_not_an_internal_error():
    """en_US.ISO-8859-1 (here PYTHONIOENCODING=latin-1): what cannot be shown is a ?."""
    env = {**os.environ, "PYTHONIOENCODING": "latin-1", "COLUMNS": "200"}
    command = [sys.executable, "-m", "renewal", "check", str(CSV), *RULES_AS_OF, "--lang", "en"]
    run = subprocess.run([*command, "--fail-on", "never"], capture_output=True, env=env)
    assert run.returncode == 0, run.stderr
    shown = run.stdout.decode("latin-1")
    assert "Tmall 2022 contract-year renewal" in shown and "¥" in shown
    assert "?" in shown  # a shop name's Chinese
    helped = subprocess.run(
        [sys.executable, "-m", "renewal", "--help"], capture_output=True, env=env
    )
    assert helped.returncode == 0 and b"self-check" in helped.stdout


def test_columns_zero_is_no_width_not_an_empty_table():
    """Some job runners export COLUMNS=0: the table is still printed."""
    run = renewal("check", CSV, *RULES_AS_OF, "--fail-on", "never", columns=0)
    assert run.returncode == 0, run.stderr
    assert "合计" in run.stdout and "failed-no-signup" in run.stdout
    assert "tmall-2022" in renewal("rules", "--rules", "2022", columns=0).stdout


def test_self_check_questions_with_standard_input_closed_is_input_ended():
    """`renewal self-check <&-` in a daemon: no answers can come, exit 2 as at end of input."""
    run = renewal("self-check", "--rules", "2022", prefix=("sh", "-c", 'exec "$@" <&-', "sh"))
    assert run.returncode == 2, run.stderr
    assert "输入已结束" in run.stderr and "内部错误" not in run.stderr


def test_an_output_through_a_symbolic_link_loop_is_a_usage_error(tmp_path: Path):
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    run = renewal("check", CSV, *RULES_AS_OF, "-q", "-o", tmp_path / "a.json")
    assert run.returncode == 2
    assert run.stderr.strip() == f"renewal: {tmp_path / 'a.json'}：无法写入（符号链接绕成了一个圈）"


def test_a_relative_output_in_a_removed_working_directory_is_a_usage_error(tmp_path: Path):
    gone = tmp_path / "gone"
    gone.mkdir()
    removed = ("sh", "-c", f'cd "{gone}" && rmdir "{gone}" && exec "$@"', "sh")
    run = renewal("check", CSV, *RULES_AS_OF, "-q", "-o", "r.json", "--lang", "en", prefix=removed)
    assert run.returncode == 2
    assert run.stderr.strip() == (
        "renewal: r.json: cannot be written (the working directory has been removed)"
    )


def test_help_names_the_exit_codes_a_script_keys_on():
    for command in (("--help",), ("check", "--help")):
        shown = " ".join(renewal(*command).stdout.split())
        assert "退出码 / exit codes: 0 " in shown, command
        assert "3 内部错误（缺陷）/ internal error (a bug)" in shown, command
