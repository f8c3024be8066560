"""A progress bar on stderr for runs long enough to wonder about.

It appears only when stderr is a terminal, only after the run has taken a couple of
seconds (a small export finishes before it would flicker), and never with --quiet, so
piped output and CI logs stay clean. It is transient: it leaves no lines behind.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

DELAY_SECONDS = 2.0

_TEXT = {
    "zh": {"check": "检查商家", "write": "写入报告", "unit": "行"},
    "en": {"check": "checking merchants", "write": "writing the report", "unit": "rows"},
}


class RunProgress:
    """Rows checked out of an estimate, with rate and time left; then the report writing."""

    def __init__(self, enabled: bool, lang: str, total: int | None = None) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.text = _TEXT["en" if lang == "en" else "zh"]
        self.total = total
        self._started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None

    def estimate(self, total: int | None) -> None:
        self.total = total

    def rows(self, done: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self._started < DELAY_SECONDS:
                return
            self._open()
        assert self._bar is not None and self._task is not None
        total = self.total if self.total is None or done <= self.total else done
        self._bar.update(self._task, completed=done, total=total)

    def writing(self) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, description=self.text["write"])

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def _open(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            Task,
            TaskProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

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
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.text["check"], total=self.total)
