"""One check run: open the export, evaluate every merchant, feed every renderer, once.

Each merchant's result is serialised once, by orjson, to its canonical JSON form; every
renderer consumes that form (decoding it only when it needs to), so a row evaluated in a
worker process reaches the renderers exactly as one evaluated here.

On a large export the rows are split between processes: after intake has opened the file
and indexed the supporting sheets, `jobs` workers are forked, each reading the rows on its
own and taking alternate blocks of them. The parent takes the blocks back in input order,
so the output is byte-for-byte the same as a sequential run's.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

import orjson

from renewal.checks import has_fee, reviewed_categories
from renewal.checks.context import DUE_SOON_SECONDS, Context
from renewal.checks.decisive import Judging
from renewal.engine import Plan, Tally, evaluate
from renewal.intake.columns import BLOCKER_FIELDS
from renewal.intake.export import Export, open_export
from renewal.intake.tables import DEFAULT_MAX_INFLATED_MB, IntakeError
from renewal.intake.values import Unreadable, parse_name
from renewal.model import MerchantResult
from renewal.render import Renderer
from renewal.report import ReportHeader, summary
from renewal.ruleset import RuleSet
from renewal.waivers import Waivers

BLOCK_ROWS = 2000
PARALLEL_MIN_BYTES = 4 * 1024 * 1024
"""Below this export size a second process costs more than it saves."""


@dataclass
class CheckRun:
    header: ReportHeader
    summary: dict[str, object]
    warned: int


class Progress(Protocol):
    """Told when the export is being read, the number of merchant rows done so far, and
    when the report is being written."""

    def reading(self) -> None: ...

    def estimate(self, total: int | None) -> None: ...

    def rows(self, done: int) -> None: ...

    def writing(self) -> None: ...


def default_jobs(size: int) -> int:
    """Two processes on an export of `size` bytes when it is large and the machine has two
    cores, else one."""
    return min(2, os.cpu_count() or 1) if size >= PARALLEL_MIN_BYTES else 1


def check_file(
    path: Path,
    ruleset: RuleSet,
    as_of: datetime,
    lang: str,
    renderers: Sequence[Renderer],
    jobs: int | None = None,
    progress: Progress | None = None,
    max_inflated_mb: int = DEFAULT_MAX_INFLATED_MB,
    selected: str = "given",
    waivers: Waivers | None = None,
    due_soon_seconds: int = DUE_SOON_SECONDS,
    answers: bool = False,
    sheet: str | None = None,
) -> CheckRun:
    """Check every merchant of the export at `as_of`. `answers`: the export is the
    self-check interview's answers, whose moments given as a day alone were settled
    before the run (it asked the time where it decides), so none is taken for unreadable
    here, and whose data problems are fixed by answering again, not on a row. `sheet` names
    a workbook's merchant sheet (`check --sheet`). `jobs` None: as many processes as
    `default_jobs` finds worth it for the bytes read, which for an export that came down a
    pipe are its spooled copy's."""
    # Intake builds no reference cycles, only long-lived rows and indexes: the collector,
    # which would walk them again and again as they grow, is off meanwhile (100k-row
    # workbook: 1.26 -> 1.09 s). What intake built then lives for the whole run: frozen,
    # the collector never walks it again, nor touches (so copies) its pages in forked
    # workers. Nothing is collected first: there is no garbage to find.
    if progress is not None:
        progress.reading()
    collecting = gc.isenabled()
    gc.disable()
    try:
        export = open_export(path, max_inflated_mb, sheet)
    finally:
        if collecting:
            gc.enable()
    gc.freeze()
    try:
        header = ReportHeader.of(export, ruleset, as_of, lang, selected)
        return _check(
            export,
            header,
            ruleset,
            as_of,
            lang,
            renderers,
            jobs if jobs is not None else default_jobs(export.size),
            progress,
            waivers,
            due_soon_seconds,
            answers,
        )
    finally:
        gc.unfreeze()


def _check(
    export: Export,
    header: ReportHeader,
    ruleset: RuleSet,
    as_of: datetime,
    lang: str,
    renderers: Sequence[Renderer],
    jobs: int,
    progress: Progress | None,
    waivers: Waivers | None = None,
    due_soon_seconds: int = DUE_SOON_SECONDS,
    answers: bool = False,
) -> CheckRun:
    ctx = Context.create(
        as_of=as_of,
        cycle=ruleset.cycle,
        lang=lang,
        columns=export.columns,
        has_violations_sheet=export.has_violations_sheet,
        has_qualifications_sheet=export.has_qualifications_sheet,
        waivers=waivers,
        due_soon_seconds=due_soon_seconds,
        judging=None if answers else Judging.of_export(ruleset, as_of),
        answers=answers,
        fee_year=has_fee(ruleset),
        reviewed_categories=reviewed_categories(ruleset),
        sheet=export.header.sheet,
    )
    for renderer in renderers:
        renderer.begin(header)
    plan = Plan.of(ruleset)
    tally = Tally()
    if progress is not None:
        progress.estimate(export.size_hint)

    keep_cells = any(renderer.wants_cells for renderer in renderers)

    def deliver(lines: list[bytes], part: Tally, cells: list[list[object]] | None) -> None:
        rows: Sequence[list[object] | None] = cells if cells is not None else [None] * len(lines)
        for line, attention, raw in zip(lines, part.attention, rows, strict=True):
            for renderer in renderers:
                renderer.add(line, bool(attention), raw)
        tally.absorb(part)
        if progress is not None:
            progress.rows(len(tally.rows))

    if jobs > 1:
        attached = _parallel(export, plan, ctx, jobs, keep_cells, deliver)
    else:
        for lines, part, cells in _blocks(export, export.rows(), plan, ctx, keep_cells):
            deliver(lines, part, cells)
        attached = export.attached
    if not tally.rows:
        sheet, row = export.header.sheet, export.header.shown_row
        raise IntakeError("intake.no_rows", path=export.path, sheet=sheet, row=row)
    if progress is not None:
        progress.writing()
    export.notes[:0] = export.unsaved_notes()  # first, as the notes about the file were
    export.notes += (
        _unknown_blockers(export, plan, ruleset)
        + export.header_again_notes()
        + export.helper_rows_notes()
        + export.after_total_notes()
        + export.spanning_notes()
        + export.cut_short_notes()
    )
    fixes = tally.fixes(export.header.sheet, ctx)
    if fixes and any(renderer.wants_shop_names for renderer in renderers):
        _name_fixes(export, fixes)
    totals = summary(export, tally.summary(ctx), export.unmatched(attached), lang)
    # the sheets the rows came from, as read: a continuation with nothing but its header
    # names no row, and the reports name a row's sheet only where two sheets have rows
    header.sheets = tuple(sheet for _, sheet in tally.sheets)
    for renderer in renderers:
        renderer.finish(totals, fixes)
    return CheckRun(header, totals, sum(tally.warned))


def _name_fixes(export: Export, fixes: dict[int, MerchantResult]) -> None:
    """Each replaced row's shop name, read again from the export. The tally keeps ids, not
    names, so that memory does not grow with the rows; this second pass over the rows is
    paid only when an id is duplicated and a renderer asks for it."""
    position = export.header.positions.get("shop_name")
    if position is None:
        return
    wanted = {(fix["sheet"], fix["row"]): fix for fix in fixes.values()}
    for number, cells in export.rows(fresh=True):
        fix = wanted.pop(export.place(number), None)
        if fix is not None and position < len(cells):
            try:
                fix["shop_name"] = parse_name(cells[position])
            except Unreadable:
                pass  # its own row said so; the replacement names no shop
        if not wanted:
            return


def _unknown_blockers(
    export: Export, plan: Plan, ruleset: RuleSet
) -> list[tuple[str, dict[str, object]]]:
    """A blocker column the year does not know is ignored for that year, and said so when
    some row fills it in (an empty column, as in a template, says nothing)."""
    known = {getattr(params, "column", None) for _, params in plan.blockers}
    rules = (*plan.scope, *plan.blockers, *plan.steps, *plan.advisory, *plan.fallback)
    known.update(field for rule, _ in rules for field in rule.reads)
    return [
        ("note.unknown_blocker", {"column": export.columns[field], "ruleset": ruleset.id})
        for field in BLOCKER_FIELDS
        if field in export.filled and field not in known
    ]


Block = tuple[list[bytes], Tally, list[list[object]] | None]
"""Each merchant's JSON line, the block's tally, and (when a renderer wants them) the raw
cells of each merchant row."""


def _blocks(
    export: Export,
    rows: Iterator[tuple[int, list[object]]],
    plan: Plan,
    ctx: Context,
    keep_cells: bool,
) -> Iterator[Block]:
    """Evaluate rows a block at a time."""
    dumps = orjson.dumps
    while block := list(islice(rows, BLOCK_ROWS)):
        yield _evaluate_block(export, block, plan, ctx, dumps, keep_cells)


def _evaluate_block(
    export: Export,
    block: list[tuple[int, list[object]]],
    plan: Plan,
    ctx: Context,
    dumps: Callable[[object], bytes],
    keep_cells: bool,
) -> Block:
    lines: list[bytes] = []
    kept: list[list[object]] | None = [] if keep_cells else None
    part = Tally()
    for number, cells in block:
        merchant = export.merchant_from(number, cells)
        if merchant is None:
            continue
        result = evaluate(merchant, plan, ctx)
        part.record(result)
        lines.append(dumps(result))
        if kept is not None:
            kept.append(cells)
    return lines, part, kept


def _parallel(
    export: Export,
    plan: Plan,
    ctx: Context,
    jobs: int,
    keep_cells: bool,
    deliver: Callable[[list[bytes], Tally, list[list[object]] | None], None],
) -> set[str]:
    """Fork `jobs` workers; block b is worker b % jobs's. Returns the ids supporting rows
    were attached to. A worker's failure (an unreadable row) is re-raised here."""
    fork = multiprocessing.get_context("fork")
    readers: list[Connection] = []
    workers = []
    for index in range(jobs):
        reader, writer = fork.Pipe(duplex=False)
        # the worker closes every read end it inherits (its own and the earlier workers'):
        # the parent must be the only reader, so that once it is gone (killed outright, or
        # done reading after an error) a worker's next send fails and the worker ends,
        # instead of blocking forever on a pipe nobody reads
        worker = fork.Process(
            target=_work,
            args=(export, plan, ctx, index, jobs, keep_cells, writer, [*readers, reader]),
            daemon=True,
        )
        worker.start()
        writer.close()
        readers.append(reader)
        workers.append(worker)
    attached: set[str] = set()
    done: set[int] = set()
    block = 0
    finished = False
    try:
        while len(done) < jobs:
            index = block % jobs
            if index in done:
                block += 1
                continue
            kind, *payload = readers[index].recv()
            if kind == "block":
                deliver(payload[0], payload[1], payload[2])
            elif kind == "end":
                counts, worker_attached, filled, spanning, header_again, total, unended, helper = (
                    payload
                )
                rows_read, blank_rows, skipped_lines = counts
                export.table.unended = unended  # every worker reads the file to its end
                export.header_again += header_again
                export.helper_rows.absorb(helper)
                ended_at, after_total = total
                if ended_at is not None:  # every worker sees the same first 合计 line
                    export.ended_at = ended_at
                export.after_total += after_total
                export.filled |= filled
                export.table.spanning.absorb(spanning)
                export.rows_read += rows_read
                export.blank_rows += blank_rows
                export.skipped_lines += skipped_lines
                attached |= worker_attached
                done.add(index)
            else:
                raise payload[0]
            block += 1
        finished = True
    finally:
        if not finished:  # an error here or in a worker, Ctrl-C, SIGTERM: nothing to wait for
            for reader in readers:
                reader.close()
            for worker in workers:
                worker.kill()
        for worker in workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.kill()
    return attached


def _work(
    export: Export,
    plan: Plan,
    ctx: Context,
    index: int,
    jobs: int,
    keep_cells: bool,
    writer: Connection,
    inherited: list[Connection],
) -> None:
    """A worker: read every row, evaluate the blocks that are this worker's, send them.
    Its parent's death ends it: the kernel signals it (Linux), and in any case its next
    send finds no reader."""
    for reader in inherited:
        reader.close()
    _die_with_parent()
    try:
        dumps = orjson.dumps
        rows = export.rows(fresh=True)
        number = 0
        while block := list(islice(rows, BLOCK_ROWS)):
            if number % jobs == index:
                writer.send(
                    ("block", *_evaluate_block(export, block, plan, ctx, dumps, keep_cells))
                )
            elif export.ended_at is None:
                for row_number, cells in block:  # another worker's rows: only watch for the end
                    export.note_end(row_number, cells)
            number += 1
        counts = (export.rows_read, export.blank_rows, export.skipped_lines)
        writer.send(
            (
                "end",
                counts,
                export.attached,
                export.filled,
                export.table.spanning,
                export.header_again,
                (export.ended_at, export.after_total),
                export.table.unended,
                export.helper_rows,
            )
        )
    except BrokenPipeError:
        pass  # the parent is gone or stopped reading: nobody to tell
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        try:
            writer.send(("error", exc))
        except OSError:
            pass  # the parent is gone
    finally:
        writer.close()


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (PR_SET_PDEATHSIG), so a
    worker of a run killed outright (kill -9, the OOM killer, a watchdog's kill PID) does
    not compute on, holding memory, the unnamed report file's disk space and the job's
    output pipes. Elsewhere, or if the call fails, the closed pipe ends it at its next
    send."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)  # the parent died before the call: no signal will come


_PR_SET_PDEATHSIG = 1
