"""The progress bar on a terminal: the export being read, rows checked, the report written;
nothing for a run that ends before the delay, and nothing when stderr is not a terminal."""

from __future__ import annotations

import io
import sys
import time

import pytest

from renewal import progress
from renewal.progress import RunProgress


class Terminal(io.StringIO):
    """stderr as a terminal, keeping what is drawn on it."""

    def isatty(self) -> bool:
        return True


def on_terminal(monkeypatch: pytest.MonkeyPatch, delay: float = 0.05) -> Terminal:
    """stderr replaced by a terminal, in the test's body: pytest puts its own capture back
    in sys.stderr between a fixture's setup and the test."""
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(progress, "DELAY_SECONDS", delay)
    return screen


def wait_for(screen: Terminal, text: str) -> bool:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if text in screen.getvalue():
            return True
        time.sleep(0.02)
    return False


def test_a_long_open_shows_reading_then_checking(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = on_terminal(monkeypatch)
    bar = RunProgress(enabled=True, lang="zh")
    bar.reading()
    assert wait_for(terminal, "读取导出文件")  # still opening after the delay: said so
    assert "检查商家" not in terminal.getvalue()
    bar.estimate(1000)
    bar.rows(400)
    assert wait_for(terminal, "检查商家")
    assert wait_for(terminal, "400/1000")
    bar.writing()
    assert wait_for(terminal, "写入报告")
    bar.close()


def test_english(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = on_terminal(monkeypatch)
    bar = RunProgress(enabled=True, lang="en")
    bar.reading()
    assert wait_for(terminal, "reading the export")
    bar.close()


def test_a_quick_run_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = on_terminal(monkeypatch, delay=0.5)
    bar = RunProgress(enabled=True, lang="zh")
    bar.reading()
    bar.estimate(10)
    bar.rows(10)  # the rows are done before the delay: the pending bar is called off
    bar.close()
    time.sleep(0.7)
    assert terminal.getvalue() == ""


@pytest.mark.parametrize("enabled", [True, False])
def test_not_a_terminal_or_quiet_draws_nothing(
    enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = io.StringIO()  # a pipe or a CI log (enabled) or --quiet (not enabled)
    monkeypatch.setattr(sys, "stderr", screen if enabled else Terminal())
    monkeypatch.setattr(progress, "DELAY_SECONDS", 0.0)
    bar = RunProgress(enabled=enabled, lang="zh")
    bar.reading()
    time.sleep(0.2)
    bar.rows(5)
    bar.writing()
    bar.close()
    assert sys.stderr.getvalue() == ""  # type: ignore[attr-defined]


def test_writing_the_report_pulses_with_no_count_left(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the rows are checked the report may still take most of the run (a workbook
    report): the bar says it is writing, with no total, not 1000/1000 100% and 0:00:00
    left."""
    terminal = on_terminal(monkeypatch)
    bar = RunProgress(enabled=True, lang="en")
    bar.estimate(1000)
    time.sleep(0.1)
    bar.rows(1000)
    assert wait_for(terminal, "1000/1000")
    bar.writing()
    assert wait_for(terminal, "writing the report")
    assert wait_for(terminal, "1000/?")
    bar.close()


def test_the_clock_counts_from_the_start_of_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = on_terminal(monkeypatch)
    bar = RunProgress(enabled=True, lang="zh")
    time.sleep(2.1)  # the export took a while to open before the first rows
    bar.estimate(100)
    bar.rows(10)
    # at once, not a second or two after the bar appeared (a clock started with the bar)
    assert wait_for(terminal, "检查商家")
    time.sleep(0.3)
    assert "0:00:02" in terminal.getvalue()
    bar.close()


def test_a_closed_stderr_is_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", None)  # 2>&-: Python has no stderr at all
    bar = RunProgress(enabled=True, lang="zh")
    assert not bar.enabled
    bar.reading()
    bar.rows(5)
    bar.writing()
    bar.close()


def test_a_run_with_stderr_closed_writes_its_report(tmp_path) -> None:
    from conftest import XLSX, renewal

    out = tmp_path / "r.json"
    closed = ("sh", "-c", 'exec "$@" 2>&-', "sh")
    ran = renewal(
        "check", XLSX, "--rules", "tmall-2022", "--as-of", "2021-12-27", "-o", out, prefix=closed
    )
    assert ran.returncode == 1  # failed merchants: the findings' exit code, not a crash (3)
    assert out.exists()
