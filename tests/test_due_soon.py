"""Due soon (`renewal check --due-soon DURATION`, `--fail-on due-soon`): a pending merchant
with less than the threshold left before the deadline, at the threshold's boundary, in
every report format and in the exit code.

The export is a small CSV checked against the 2022 rules, whose deadline is
2021-12-26 18:00 Beijing time.
"""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import EXPORT_HEADER, Collect, renewal, renewed_row

from renewal.pipeline import check_file
from renewal.ruleset import load
from renewal.timeutil import BEIJING

DEADLINE = datetime(2021, 12, 26, 18, 0, tzinfo=BEIJING)
SIGNUP = EXPORT_HEADER.index("续签报名时间")
SECOND = timedelta(seconds=1)


def moment(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


@pytest.fixture
def export(tmp_path: Path) -> Path:
    pending = renewed_row("pending")
    pending[SIGNUP] = ""
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, pending, renewed_row("renewed")])
    return path


def run(export: Path, as_of: datetime, **options: Any) -> Collect:
    collect = Collect()
    check_file(export, load("tmall-2022"), as_of, "zh", [collect], **options)
    return collect


def squashed(table: str) -> str:
    """A printed table without spaces and cell borders, so wrapped cells read through."""
    return "".join(table.replace("│", " ").split())


def check(export: Path, as_of: datetime, *args: str) -> Any:
    return renewal("check", export, "--rules", "tmall-2022", "--as-of", moment(as_of), *args)


@pytest.mark.parametrize(
    ("left", "due"),
    [
        (timedelta(hours=72) + SECOND, False),
        (timedelta(hours=72), False),
        (timedelta(hours=72) - SECOND, True),
    ],
)
def test_default_threshold_is_72_hours_exclusive(export, left, due):
    ran = run(export, DEADLINE - left)
    pending, renewed = ran.results
    assert pending["outcome"] == "pending"
    assert pending["time_left_seconds"] == int(left.total_seconds())
    assert pending["due_soon"] is due
    assert renewed["due_soon"] is False
    assert ran.summary["due_soon"] == {"within_seconds": 72 * 3600, "merchants": int(due)}


@pytest.mark.parametrize(
    ("left", "due"),
    [
        (timedelta(hours=36) + SECOND, False),
        (timedelta(hours=36), False),
        (timedelta(hours=36) - SECOND, True),
    ],
)
def test_a_threshold_from_the_command_line(export, left, due):
    ran = check(export, DEADLINE - left, "--due-soon", "1d12h", "-f", "json", "--fail-on", "never")
    assert ran.returncode == 0, ran.stderr
    document = json.loads(ran.stdout)
    assert document["merchants"][0]["due_soon"] is due
    assert document["summary"]["due_soon"] == {"within_seconds": 36 * 3600, "merchants": int(due)}


def test_at_the_deadline_itself_a_pending_merchant_is_due_and_after_it_is_failed(export):
    pending, _ = run(export, DEADLINE).results
    assert (pending["outcome"], pending["time_left_seconds"], pending["due_soon"]) == (
        "pending",
        0,
        True,
    )
    failed, _ = run(export, DEADLINE + SECOND).results
    assert (failed["outcome"], failed["due_soon"]) == ("failed", False)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("72h", 72 * 3600),
        ("3d", 3 * 86400),
        ("90m", 90 * 60),
        ("1d12h", 36 * 3600),
        ("1D 12H", 36 * 3600),
    ],
)
def test_duration_forms(export, text, seconds):
    ran = check(
        export,
        DEADLINE - timedelta(days=10),
        "--due-soon",
        text,
        "-f",
        "json",
        "--fail-on",
        "never",
    )
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["summary"]["due_soon"]["within_seconds"] == seconds


@pytest.mark.parametrize("text", ["72", "abc", "3x", "", "12h1d", "-3h", "h"])
def test_a_duration_that_cannot_be_read_is_exit_2(export, text):
    ran = check(export, DEADLINE, "--due-soon", text)
    assert ran.returncode == 2
    assert "Traceback" not in ran.stderr
    (line,) = ran.stderr.strip().splitlines()
    assert "--due-soon" in line and repr(text) in line


def test_fail_on_due_soon(export):
    soon, early = DEADLINE - timedelta(hours=71), DEADLINE - timedelta(hours=73)
    assert check(export, soon, "--fail-on", "due-soon").returncode == 1
    assert check(export, early, "--fail-on", "due-soon").returncode == 0
    assert check(export, early, "--fail-on", "pending").returncode == 1
    assert check(export, soon, "--fail-on", "failed").returncode == 0
    assert check(export, soon, "--fail-on", "due-soon", "--due-soon", "70h").returncode == 0
    # failed rows count at the due-soon level too, as at every level above failed
    assert check(export, DEADLINE + SECOND, "--fail-on", "due-soon").returncode == 1


def test_fail_on_due_soon_with_only_renewed_merchants(tmp_path):
    path = tmp_path / "renewed.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, renewed_row("renewed")])
    assert check(path, DEADLINE - timedelta(hours=1), "--fail-on", "due-soon").returncode == 0


def test_the_table_marks_and_counts_them(export):
    soon = DEADLINE - timedelta(hours=50)
    zh = check(export, soon, "--fail-on", "never")
    assert "还剩2天2小时，即将截止" in squashed(zh.stdout)  # the cell may wrap
    assert "1 个待完成商家距截止不足 3天（--due-soon）" in zh.stdout
    en = check(export, soon, "--fail-on", "never", "--lang", "en")
    assert "(2d2hleft,duesoon)" in squashed(en.stdout)
    early = check(export, DEADLINE - timedelta(days=5), "--fail-on", "never")
    assert "即将截止" not in early.stdout and "距截止不足" not in early.stdout


def test_junit_says_due_soon_on_the_failures(export, tmp_path):
    out = tmp_path / "r.xml"
    ran = check(export, DEADLINE - timedelta(hours=50), "-o", out, "--fail-on", "never")
    assert ran.returncode == 0, ran.stderr
    cases = [c for c in ET.parse(out).getroot().iter("testcase") if c.get("classname") == "pending"]
    failure = next(c for c in cases if c.get("name").startswith("[DL01]")).find("failure")
    assert failure.get("message").endswith("（即将截止：还剩 2天2小时）")
    assert "即将截止：还剩 2天2小时（截止 2021-12-26 18:00）" in failure.text
    renewed = [
        c for c in ET.parse(out).getroot().iter("testcase") if c.get("classname") == "renewed"
    ]
    assert all(c.find("failure") is None for c in renewed)


def test_jsonl_carries_the_flag(export, tmp_path):
    out = tmp_path / "r.jsonl"
    ran = check(export, DEADLINE - timedelta(hours=1), "-o", out, "--fail-on", "never")
    assert ran.returncode == 0, ran.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["merchant_id"], r["due_soon"]) for r in rows] == [
        ("pending", True),
        ("renewed", False),
    ]
    # the flag sits beside the time left in the canonical key order
    keys = list(rows[0])
    assert keys.index("due_soon") == keys.index("time_left_seconds") + 1


def test_the_count_due_soon_agrees_with_its_number_and_groups_thousands(export, tmp_path):
    """1 pending merchant has, 1,000 pending merchants have: on the terminal and the page,
    the count written as the table's other counts are (1,000, not 1000)."""
    soon = DEADLINE - timedelta(hours=50)
    one = check(export, soon, "--fail-on", "never", "--lang", "en")
    assert "1 pending merchant has less than 3d left (--due-soon)" in one.stdout
    page = tmp_path / "one.html"
    assert check(export, soon, "--fail-on", "never", "--lang", "en", "-o", page).returncode == 0
    assert "1 pending merchant has less than 3d left" in page.read_text(encoding="utf-8")
    pending = renewed_row("p")
    pending[SIGNUP] = ""
    many = tmp_path / "many.csv"
    with many.open("w", encoding="utf-8", newline="") as stream:
        rows = [[f"p{n}", *pending[1:]] for n in range(1000)]
        csv.writer(stream).writerows([EXPORT_HEADER, *rows])
    en = check(many, soon, "--fail-on", "never", "--lang", "en", "--limit", "1")
    assert "1,000 pending merchants have less than 3d left (--due-soon)" in en.stdout
    zh = check(many, soon, "--fail-on", "never", "--limit", "1")
    assert "1,000 个待完成商家距截止不足 3天（--due-soon）" in zh.stdout
