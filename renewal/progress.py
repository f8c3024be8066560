"""A progress bar on stderr for runs long enough to wonder about.

It appears only when stderr is a terminal, only after the run has taken a couple of
seconds (a small export finishes before it would flicker), and never with --quiet, so
piped output and CI logs stay clean. It is transient: it leaves no lines behind.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

DELAY_SECONDS = 2.0

_TEXT = {
    "zh": {"read": "读取导出文件", "check": "检查商家", "write": "写入报告", "unit": "行"},
    "en": {
        "read": "reading the export",
        "check": "checking merchants",
        "write": "writing the report",
        "unit": "rows",
    },
}


class RunProgress:
    """The export being read (a workbook is parsed whole before its first row: a million
    rows take seconds), then rows checked out of an estimate, with rate and time left,
    then the report writing."""

    def __init__(self, enabled: bool, lang: str, total: int | None = None) -> None:
        # a closed stderr (2>&-, a daemon launcher) is None: nowhere to show a bar
        self.enabled = enabled and sys.stderr is not None and sys.stderr.isatty()
        self.text = _TEXT["en" if lang == "en" else "zh"]
        self.total = total
        self._started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def reading(self) -> None:
        """The export is being opened: if that is still going on after the delay, the bar
        appears saying so (rich animates it and counts the time meanwhile)."""
        if not self.enabled:
            return
        delay = max(0.0, DELAY_SECONDS - (time.monotonic() - self._started))
        self._timer = threading.Timer(delay, self._show, args=(self.text["read"],))
        self._timer.daemon = True
        self._timer.start()

    def _show(self, description: str) -> None:
        with self._lock:
            if self._bar is None:
                self._open(description, None)

    def estimate(self, total: int | None) -> None:
        self.total = total

    def rows(self, done: int) -> None:
        if not self.enabled:
            return
        self._stop_timer()
        total = self.total if self.total is None or done <= self.total else done
        with self._lock:
            if self._bar is None:
                if time.monotonic() - self._started < DELAY_SECONDS:
                    return
                self._open(self.text["check"], total)
            assert self._bar is not None and self._task is not None
            self._bar.update(
                self._task, description=self.text["check"], completed=done, total=total
            )

    def writing(self) -> None:
        """The rows are checked; the report is being finished (for a workbook report, most
        of the run): no count or time left to give, so the bar pulses and the clock runs,
        rather than sit at 100% with nothing left."""
        self._stop_timer()
        with self._lock:
            if self._bar is not None and self._task is not None:
                self._bar.update(self._task, description=self.text["write"])
                # rich's update cannot take a total away: the task itself is told
                for task in self._bar.tasks:
                    if task.id == self._task:
                        task.total = None
                        task.finished_time = None

    def close(self) -> None:
        self._stop_timer()
        with self._lock:
            if self._bar is not None:
                self._bar.stop()
                self._bar = None

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer.join()  # a bar it is opening right now is open before we go on
            self._timer = None

    def _open(self, description: str, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            Task,
            TaskProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        started = self._started

        class RunElapsedColumn(ProgressColumn):
            """The time since the run began, not since the bar appeared (after the delay,
            or after a workbook was read)."""

            def render(self, task: Task) -> Text:
                seconds = int(time.monotonic() - started)
                minutes, second = divmod(seconds, 60)
                hours, minute = divmod(minutes, 60)
                return Text(f"{hours}:{minute:02d}:{second:02d}", style="progress.elapsed")

        class RateColumn(ProgressColumn):
            """Rows per second (rich's own speed column counts bytes)."""

            def render(self, task: Task) -> Text:
                speed = task.finished_speed or task.speed
                return Text(f"{speed:,.0f}/s" if speed else "", style="progress.data.speed")

        self._bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(self.text["unit"]),
            TaskProgressColumn(),
            RateColumn(),
            RunElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(description, total=total)
