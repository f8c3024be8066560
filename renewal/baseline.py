"""`renewal check --baseline`: tonight's run diffed against an earlier report, for a nightly
job that pages on news (`--fail-on new`), not on the backlog.

It is `renewal diff` with tonight's report on the new side, plus two decisions a diff of two
files leaves to its reader:

- Tonight's side carries this run's own header, whatever file the run wrote (a JSON Lines
  report, or the scratch one written when no JSON report was asked for, has none), so a
  change of rule set is always seen on that side.
- A baseline made with another rule set (its `ruleset.id` differs: another contract year,
  as when a job that pins no `--rules` crosses the year boundary, since the rule set
  follows the as-of) cannot say what is news: every step of the new year starts undone.
  Such a night is a new starting point: the notice says so on stderr, and nothing counts
  for `--fail-on new`. The next night diffs against tonight's report. A rule file changed
  under the same id, or another tool version, is said on stderr and still counted.

- A large share of the baseline's merchants gone at once (`GONE_SHARE`, `GONE_AT_LEAST`)
  is said: the export may be incomplete. Gone merchants still do not count as worse.

Notices go to stderr even with --quiet, since they explain the exit code; the summary line
does too when it is the reason the run exits 1 under `--fail-on new`, and not otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from renewal import diff as report_diff
from renewal.readback import LoadedReport, load_report

if TYPE_CHECKING:
    from renewal.report import ReportHeader

_MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "new_start": "基准报告的规则集为 {old}，本次为 {new}：两者不可比，"
        "与基准报告相比的变化不计为新问题，--fail-on new 不因此失败；本次报告是新的起点",
        "many_gone": "基准报告的 {had:,} 家商家中有 {gone:,} 家（{share}）不在本次导出中："
        "导出可能不完整（文件被截断，或导出尚未完成）；消失的商家不计为变差",
    },
    "en": {
        "new_start": "the baseline used rule set {old}, this run {new}: the two do not compare, "
        "so the changes since the baseline are not counted as news and --fail-on new does not "
        "fail on them; tonight's report is the new starting point",
        "many_gone": "{gone:,} of the baseline's {had:,} merchants ({share}) are not in this "
        "export: it may be incomplete (the file cut short, or exported before it was "
        "finished); merchants gone do not count as worse",
    },
}


@dataclass(slots=True)
class Verdict:
    worse: bool
    """Whether something got worse that counts as news (what `--fail-on new` exits 1 on)."""
    notices: list[str]
    """Said on stderr even with --quiet: how to read the comparison, ahead of its summary."""
    summary: str
    """The diff's summary line, as `renewal diff` words it."""
    closing: list[str]
    """Said on stderr even with --quiet, after the summary: why news is not counted."""
    gating: bool = False
    """Whether the verdict decides the exit code (`--fail-on new`)."""

    def stderr_lines(self, quiet: bool) -> list[str]:
        """The summary is a result, not a note: --quiet leaves it out, but not from a run
        it makes exit 1, which would page with nothing said about why."""
        said = not quiet or (self.gating and self.worse)
        return self.notices + ([self.summary] if said else []) + self.closing


def tonight(report_file: Path, header: ReportHeader, name: str, lines: bool) -> LoadedReport:
    """This run's report read back, under the run's own header as the JSON report writes it
    (an aware as-of as its text), so a JSON Lines file has one too. It is read before it
    has its name (`renewal.render.output.Publication`): `name` is the one it will have,
    and `lines` says whether it is JSON Lines, which the file's own name cannot."""
    report = load_report(report_file, json_lines=lines)
    document: dict[str, Any] = orjson.loads(orjson.dumps(header.document()))
    return LoadedReport(name, document, report.merchants)


def against(before: LoadedReport, now: LoadedReport, lang: str, gating: bool) -> Verdict:
    """Tonight against the baseline; `gating` when `--fail-on new` decides the exit code."""
    changes = report_diff.compare(before, now)
    notices = [line for notice in report_diff.notices(changes, lang) for line in notice]
    notices += _many_gone(changes, lang)
    summary = report_diff.summary_line(changes, lang)
    other_rules = (changes["ruleset_changed"] or {}).get("ruleset_id")
    if other_rules is None:
        return Verdict(bool(changes["worse"]), notices, summary, [], gating)
    closing = []
    if gating:
        closing.append(_MESSAGES[lang]["new_start"].format(**other_rules))
    return Verdict(False, notices, summary, closing, gating)


GONE_SHARE = 0.10
GONE_AT_LEAST = 10
"""A notice that the export may be incomplete when at least this share of the baseline's
merchants, and at least this many, are not in tonight's export."""


def _many_gone(changes: dict[str, Any], lang: str) -> list[str]:
    """A merchant gone is not news (`--fail-on new` does not fail on it: merchants leave),
    but a large share of them gone at once is more likely an export cut short at a line
    end, or taken before it was finished, than merchants leaving: the gate would be green
    over the missing ones, and the next complete export would page for them as new."""
    gone = changes["counts"]["gone"]
    had = changes["totals"]["old"]["merchants"]
    if gone < GONE_AT_LEAST or gone < GONE_SHARE * had:
        return []
    share = f"{gone / had:.0%}"
    return [_MESSAGES[lang]["many_gone"].format(gone=gone, had=had, share=share)]
