"""One check run: open the export, evaluate every merchant, feed every renderer, once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from renewal.checks.context import Context
from renewal.engine import Plan, Tally, run
from renewal.intake.export import open_export
from renewal.render import Renderer
from renewal.report import ReportHeader, summary
from renewal.ruleset import RuleSet


@dataclass
class Outcome:
    header: ReportHeader
    summary: dict[str, object]
    warned: int


def check_file(
    path: Path, ruleset: RuleSet, as_of: datetime, lang: str, renderers: Sequence[Renderer]
) -> Outcome:
    export = open_export(path)
    ctx = Context.create(
        as_of=as_of,
        cycle=ruleset.cycle,
        lang=lang,
        columns=export.columns,
        has_violations_sheet=export.has_violations_sheet,
        has_qualifications_sheet=export.has_qualifications_sheet,
    )
    header = ReportHeader.of(export, ruleset, as_of, lang)
    for renderer in renderers:
        renderer.begin(header)
    tally = Tally()
    for result in run(export.merchants, Plan.of(ruleset), ctx, tally):
        for renderer in renderers:
            renderer.add(result)
    totals = summary(export, tally.summary())
    fixes = tally.fixes(export.header.sheet, ctx)
    for renderer in renderers:
        renderer.finish(totals, fixes)
    return Outcome(header, totals, tally.warned)
