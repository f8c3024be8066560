"""How `renewal self-check` lays a checklist out: folded to the terminal's width without
breaking an amount, a time or a span; the deadline with a countdown only for a merchant
that still has one; a time with a fraction of a second shown with it; no stray space in
the Chinese consequences line.

The export is built here, each row one known situation; what is asserted is what each
situation must read like, not text copied from the program."""

from __future__ import annotations

import csv
import fcntl
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row
from rich.cells import cell_len

from renewal import i18n
from renewal.render.wrapping import pieces, wrap
from renewal.timeutil import BEIJING

RULES = ("--rules", "tmall-2022")
MID_WINDOW = "2021-12-20 12:00"  # 6 days 6 hours before the 2021-12-26 18:00 deadline
DEADLINE = "2021-12-26 18:00"
AFTER_DEADLINE = "2021-12-27 00:00"
COLUMN = {name: index for index, name in enumerate(EXPORT_HEADER)}
HALF_SECOND_LATE = "2021-12-26 18:00:00.5"
WIDTHS = (40, 60, 80, 120)
UNFOLDED = 1000
"""A COLUMNS no checklist line reaches: the lines as they are."""


def row(merchant_id: str, **cells: str) -> list[object]:
    found = renewed_row(merchant_id)
    for name, value in cells.items():
        found[COLUMN[name]] = value
    return found


ROWS = {
    "renewed": row("renewed"),
    "deposit-short": row("deposit-short", 保证金余额="20000"),  # 旗舰店 R owes 50,000
    "nothing-done": row(
        "nothing-done",
        续签报名时间="",
        协议签署时间="",
        保证金余额="0",
        年费已缴="0",
        年费缴纳时间="",
    ),
    "signup-24h": row("signup-24h", 续签报名时间="2021-12-26 24:00"),
    "half-second-late": row("half-second-late", 续签报名时间=HALF_SECOND_LATE),
    "unreadable-deposit": row("unreadable-deposit", 保证金余额="五万左右", 协议签署时间=""),
}
SHOP = {
    "renewed": "全部完成旗舰店",
    "deposit-short": "Very-Long-Latin-Shop-Name-Without-Any-Spaces-At-All-Flagship",
    "nothing-done": "什么都没做的一家名字相当长的专营店铺",
}


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("layout") / "agency.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, "店铺名称"])
        for name, cells in ROWS.items():
            writer.writerow([*cells, SHOP.get(name, "")])
    return path


def self_check(export: Path, *args: str, columns: int = UNFOLDED) -> str:
    run = renewal("self-check", export, *RULES, *args, columns=columns)
    assert run.returncode == 0, run.stderr
    return run.stdout


# --- folded to the terminal's width ------------------------------------------------------

WHOLE = re.compile(
    r"-?¥\d[\d,]*(?:\.\d+)?"  # an amount
    r"|\d{4}-\d{2}-\d{2} \d{2}(?::\d{2}(?::\d{2}(?:\.\d+)?)?|时)"  # a date-time, 24时
    r"|\d{4}-\d{2}(?:-\d{2})?"  # a day, a month
    r"|(?:\d+(?:天|小时|分钟|秒))+"  # 6天6小时
    r"|\b\d+[dhms](?: \d+[dhms])*\b"  # 6d 6h
    r"|\b[A-Z]{2}\d{2}\b"  # a rule's code
)
"""What a reader must find on one line: a terminal that breaks it mid-way makes ¥50,000
read as ¥ and 50,000, a deadline as 2021-12 and -26 18:00."""


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _ruled(line: str) -> str:
    return "(rule)" if line and set(line) == {"─"} else line


def lead(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def paired(unfolded: list[str], folded: list[str]) -> list[list[str]]:
    """The folded lines each unfolded line became, in order: nothing lost, nothing added
    (the line between two checklists is as wide as the terminal allows)."""
    unfolded, folded = [_ruled(line) for line in unfolded], [_ruled(line) for line in folded]
    groups: list[list[str]] = []
    at = 0
    for line in unfolded:
        group = [folded[at]]
        at += 1
        while squashed("".join(group)) != squashed(line):
            assert squashed(line).startswith(squashed("".join(group))), (line, group)
            group.append(folded[at])
            at += 1
        groups.append(group)
    assert at == len(folded)
    return groups


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("as_of", [MID_WINDOW, AFTER_DEADLINE])
def test_every_line_fits_the_width_and_nothing_whole_is_broken(
    export: Path, lang: str, as_of: str
) -> None:
    args = ("--as-of", as_of, "--all", "--lang", lang)
    unfolded = self_check(export, *args).splitlines()
    assert max(cell_len(line) for line in unfolded) > max(WIDTHS)  # there is folding to do
    for width in WIDTHS:
        folded = self_check(export, *args, columns=width).splitlines()
        assert [line for line in folded if cell_len(line) > width] == [], width
        for line, group in zip(unfolded, paired(unfolded, folded), strict=True):
            if len(group) == 1:
                assert group == [_ruled(line)]  # a line that fits is left as it is
                continue
            # continuation lines sit under their item, further in than it starts
            assert all(lead(part) > lead(group[0]) for part in group[1:]), group
            item = re.match(r" *\d+\. ", group[0])
            if item:  # under the text after a step's number
                assert all(lead(part) == item.end() for part in group[1:]), group
            # each amount, time, span and code is read whole on one line
            for whole in {found.group(0) for found in WHOLE.finditer(line)}:
                on_lines = sum(part.count(whole) for part in group)
                assert on_lines == line.count(whole), (whole, width, group)
            # a line never starts with a closing mark nor ends with an opening one
            assert not [part for part in group[1:] if part.lstrip()[0] in "，。、；：）」』》,.;:)"]
            assert not [part for part in group[:-1] if part.rstrip()[-1] in "（「『《("]


def test_the_tester_s_lines_at_80_and_60_columns(export: Path) -> None:
    """The report's cases: `…截止 2021-12` / `-26 18:00` at 80, `¥` / `50,000` at 60."""
    args = ("--as-of", MID_WINDOW, "-m", "deposit-short")
    unfolded = self_check(export, *args)
    (next_step,) = [line for line in unfolded.splitlines() if line.startswith("下一步")]
    assert cell_len(next_step) > 60 and "¥30,000" in next_step and DEADLINE in next_step
    for width in (60, 80):
        text = self_check(export, *args, columns=width)
        lines = text.splitlines()
        assert all(cell_len(line) <= width for line in lines)
        for whole in ("¥30,000", DEADLINE, "2021-12-31 24时"):
            assert sum(line.count(whole) for line in lines) == unfolded.count(whole) > 0


def test_the_line_between_checklists_fits_a_narrow_terminal(export: Path) -> None:
    text = self_check(export, "--as-of", MID_WINDOW, "--all", columns=40)
    rules = [line for line in text.splitlines() if set(line) == {"─"}]
    assert len(rules) == len(ROWS) - 1
    assert all(cell_len(line) == 40 for line in rules)


def test_a_real_terminal_s_width_is_followed_without_columns(export: Path) -> None:
    """As the tester ran it: `stty cols 60`, no COLUMNS in the environment."""
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    env.pop("RENEWAL_DEBUG", None)
    primary, secondary = pty.openpty()
    fcntl.ioctl(secondary, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 60, 0, 0))
    args = ("-m", "deposit-short", "--as-of", MID_WINDOW)
    command = [sys.executable, "-m", "renewal", "self-check", str(export), *RULES, *args]
    process = subprocess.Popen(command, stdout=secondary, stderr=subprocess.PIPE, env=env)
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        seen += chunk
    os.close(primary)
    assert process.wait(timeout=60) == 0
    lines = seen.decode().replace("\r\n", "\n").splitlines()
    unfolded = self_check(export, *args).splitlines()
    assert max(cell_len(line) for line in unfolded) > 60
    assert all(cell_len(line) <= 60 for line in lines)
    assert squashed("".join(lines)) == squashed("".join(unfolded))


def test_a_pipe_without_columns_keeps_each_item_on_one_line(export: Path) -> None:
    """Piped into grep or a file, with no COLUMNS to go by: a line an item, as before,
    not rich's default of 80 columns."""
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    env.pop("RENEWAL_DEBUG", None)
    args = ("--all", "--as-of", MID_WINDOW)
    command = [sys.executable, "-m", "renewal", "self-check", str(export), *RULES, *args]
    piped = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == self_check(export, *args)
    assert max(cell_len(line) for line in piped.stdout.splitlines()) > 80


def test_wrap_keeps_spans_and_date_times_whole() -> None:
    line = "  - 截止时间：2021-12-26 18:00:00.5，还剩 6天6小时，应缴 ¥150,000，违规 0 分（<12）"
    for width in range(30, 100):
        parts = wrap(line, width)
        assert all(cell_len(part) <= width for part in parts)
        for whole in ("2021-12-26 18:00:00.5", "6天6小时", "¥150,000", "0 分"):
            assert sum(part.count(whole) for part in parts) == 1, (width, parts)
    assert [piece for _, piece in pieces("6d 6h left")] == ["6d 6h", "left"]


# --- the deadline: a countdown only for a merchant that still has time ------------------

COUNTDOWN = {"zh": ("还剩", "现在截止", "已截止"), "en": ("left", "due now", "deadline passed")}
DEADLINE_ALONE = {"zh": f"截止时间：{DEADLINE}", "en": f"Deadline: {DEADLINE}"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("as_of", [MID_WINDOW, DEADLINE, AFTER_DEADLINE])
def test_a_renewed_merchant_sees_the_deadline_without_a_countdown(
    export: Path, lang: str, as_of: str
) -> None:
    text = self_check(export, "-m", "renewed", "--as-of", as_of, "--lang", lang)
    lines = text.splitlines()
    assert DEADLINE_ALONE[lang] in lines
    assert not any(word in text for word in COUNTDOWN[lang]), text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_error_row_before_the_deadline_has_no_countdown(export: Path, lang: str) -> None:
    text = self_check(export, "-m", "unreadable-deposit", "--as-of", MID_WINDOW, "--lang", lang)
    label = i18n.outcome_label("error", lang)
    assert (f"结论：{label}" if lang == "zh" else f"Verdict: {label}") in text
    assert DEADLINE_ALONE[lang] in text.splitlines()
    assert COUNTDOWN[lang][0] not in text


def test_a_pending_merchant_still_counts_down_and_a_failed_one_is_told_it_passed(
    export: Path,
) -> None:
    pending = self_check(export, "-m", "deposit-short", "--as-of", MID_WINDOW)
    assert f"截止时间：{DEADLINE}，还剩 6天6小时" in pending.splitlines()
    due_now = self_check(export, "-m", "deposit-short", "--as-of", DEADLINE)
    assert f"截止时间：{DEADLINE}，现在截止" in due_now.splitlines()
    failed = self_check(export, "-m", "deposit-short", "--as-of", AFTER_DEADLINE)
    assert f"截止时间：{DEADLINE}，已截止（已过 6小时）" in failed.splitlines()


# --- a time with a fraction of a second -------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2021, 12, 26, 18, 0, 0, 500000, tzinfo=BEIJING), "2021-12-26 18:00:00.5"),
        (datetime(2021, 12, 26, 18, 0, 0, 250000, tzinfo=BEIJING), "2021-12-26 18:00:00.25"),
        (datetime(2021, 12, 26, 18, 0, 0, 1, tzinfo=BEIJING), "2021-12-26 18:00:00.000001"),
        (datetime(2021, 12, 26, 18, 0, 30, 100000, tzinfo=BEIJING), "2021-12-26 18:00:30.1"),
        (datetime(2021, 12, 26, 18, 0, 30, tzinfo=BEIJING), "2021-12-26 18:00:30"),
        (datetime(2021, 12, 26, 18, 0, tzinfo=BEIJING), "2021-12-26 18:00"),
    ],
)
def test_a_moment_shows_its_fraction_of_a_second_when_it_has_one(
    moment: datetime, shown: str
) -> None:
    assert i18n.moment(moment) == shown


MOMENT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_half_a_second_late_says_so_in_the_checklist(export: Path, lang: str) -> None:
    text = self_check(export, "-m", "half-second-late", "--as-of", AFTER_DEADLINE, "--lang", lang)
    late = "[逾期]" if lang == "zh" else "[late]"
    assert late in text
    (line,) = [line for line in text.splitlines() if HALF_SECOND_LATE in line]
    # the time it was done beside the deadline it missed, each as it is: not both 18:00
    assert sorted(MOMENT.findall(line)) == sorted([HALF_SECOND_LATE, DEADLINE])


def test_half_a_second_late_in_the_report_the_table_and_the_workbook(
    export: Path, tmp_path: Path
) -> None:
    report, book = tmp_path / "r.json", tmp_path / "r.xlsx"
    args = ("--as-of", AFTER_DEADLINE, "--fail-on", "never", "-q")
    run = renewal("check", export, *RULES, *args, "-o", report, "-o", book)
    assert run.returncode == 0, run.stderr
    merchant = next(
        m
        for m in json.loads(report.read_text())["merchants"]
        if m["merchant_id"] == "half-second-late"
    )
    found = next(f for f in merchant["findings"] if f["rule"] == "DL01")
    assert found["status"] == "fail"
    assert found["actual"] == "2021-12-26T18:00:00.500000+08:00"  # the full time, as read
    assert HALF_SECOND_LATE in found["message"]
    table = renewal("check", export, *RULES, *args, "--limit", "0")
    assert squashed(HALF_SECOND_LATE) in squashed(table.stdout)
    sheet = openpyxl.load_workbook(book)["明细"]
    shown = [
        cell.number_format
        for line in sheet.iter_rows()
        for cell in line
        if isinstance(cell.value, datetime) and cell.value.microsecond == 500000
    ]
    assert shown and all(form.endswith("ss.000") for form in shown)


# --- the consequences line --------------------------------------------------------------


def test_no_space_between_the_full_width_bracket_and_what_follows(export: Path) -> None:
    zh = self_check(export, "-m", "deposit-short", "--as-of", MID_WINDOW)
    assert "2022-01-01 00:00（2021-12-31 24时）终止" in zh
    assert "） " not in zh
    en = self_check(export, "-m", "deposit-short", "--as-of", MID_WINDOW, "--lang", "en")
    assert "ends at 2022-01-01 00:00 (the end of 2021-12-31), and" in en


def test_half_a_second_late_on_the_page(export: Path, tmp_path: Path, browser: Any) -> None:
    """The page shows a finding's expected and actual times as the messages do."""
    page_file = tmp_path / "page.html"
    args = ("--as-of", AFTER_DEADLINE, "--fail-on", "never", "-q", "-o", page_file)
    run = renewal("check", export, *RULES, *args)
    assert run.returncode == 0, run.stderr
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(page_file.resolve().as_uri())
        page.wait_for_selector("#merchant-rows tr")
        page.fill("#search", "half-second-late")
        page.locator("#merchant-rows tr.merchant button.open").click()
        card = page.locator("#merchant-rows tr.detail .finding.s-fail")
        evidence = card.locator(".evidence").inner_text()
    finally:
        context.close()
    assert sorted(MOMENT.findall(evidence)) == sorted([HALF_SECOND_LATE, DEADLINE])
