"""HTML: one self-contained page for a merchant or a manager to open in a browser.

The page holds a chart of the summary (merchants per outcome, money still owed, the time
left before the deadline), a table of merchants that can be filtered by outcome and
searched by merchant id or shop name, and each merchant's findings with the rule's
explanation and source, the same lines `renewal explain` prints.

Nothing is loaded from the network: the style, the script and the data are inside the
file, and a Content-Security-Policy that allows only that exact style and script (by hash)
makes sure of it. The data is JSON in a `<script type="application/json">` block with `<`,
`>`, `&` and U+2028/9 escaped, so no value can close the block; the script builds the page
with text nodes only, so a shop named `<script>` shows as text. The summary cards are
drawn in Python by `htmlpage` (HTML text beside SVG bars) with every text escaped.

Merchants are streamed to a scratch file and the page is assembled at the end, like the
JSON report. A million merchants would make a page no browser opens, so at most `cap` are
embedded: all of them when they fit, else the most urgent (error, failed, pending first,
then the most money known to be owed, an amount that cannot be told ranking above the same
known amount and so above owing nothing; as the page's "most urgent first" orders them),
and the page says how many are left out and where to find them.
The file carries no wall-clock time: the same run gives the same bytes (the live countdown
is computed by the page from the browser's clock).
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

import orjson

from renewal import i18n
from renewal.checks import REGISTRY
from renewal.intake.columns import MERCHANT_COLUMNS, MONEY_KINDS
from renewal.model import OUTCOME_ORDER, MerchantResult
from renewal.render.htmlpage import (
    SCRIPT_TEXT,
    STATUS_LABELS,
    outcome_rows,
    page_top,
    script,
    stylesheet,
)
from renewal.render.output import scratch_file, write_report
from renewal.report import ReportHeader
from renewal.rule_errors import RuleSetError
from renewal.ruleset import RuleSet, load

DEFAULT_CAP = 20_000
"""Merchants embedded in one page: about 2 KB each, so a page stays under about 50 MB."""

_RANK = {outcome.value: rank for rank, outcome in enumerate(OUTCOME_ORDER)}
_UNKNOWN_RANK = len(OUTCOME_ORDER)

_JSON_ESCAPES = (
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
)


def script_safe(document: bytes) -> bytes:
    """JSON that can sit inside a `<script>` element: no `</script>`, no `<!--`, and no
    character a JavaScript parser would take for a line break. Each is escaped inside its
    string, where `\\uXXXX` means the same character, so the JSON reads the same."""
    for raw, escaped in _JSON_ESCAPES:
        document = document.replace(raw, escaped)
    return document


class HtmlRenderer:
    """The page, with at most `cap` merchants embedded (0: every merchant)."""

    wants_cells = False
    wants_shop_names = False

    def __init__(self, target: Path | None, cap: int = DEFAULT_CAP) -> None:
        self.target = target
        self.cap = cap
        self.header: ReportHeader | None = None
        self._scratch = scratch_file(target)
        self._stream: BinaryIO = self._scratch.__enter__()
        self._offsets: array[int] = array("q")
        self._ranks = bytearray()
        self._owed: array[float] = array("d")
        self._unknown = bytearray()
        self._written = 0

    def begin(self, header: ReportHeader) -> None:
        self.header = header

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None:
        self._offsets.append(self._written)
        self._stream.write(line + b"\n")
        self._written += len(line) + 1
        rank, owed, unknown = _urgency(line)
        self._ranks.append(rank)
        self._owed.append(owed)
        self._unknown.append(unknown)

    def finish(self, summary: dict[str, object], fixes: dict[int, MerchantResult]) -> None:
        try:
            write_report(self.target, lambda out: self._emit(out, summary, fixes))
        finally:
            self._scratch.__exit__(None, None, None)

    # --- which merchants the page embeds --------------------------------------------

    def _embedded(self, fixes: dict[int, MerchantResult]) -> list[int]:
        """Every merchant's index when they fit under the cap, else the most urgent ones;
        in input order either way."""
        total = len(self._offsets)
        for index, fix in fixes.items():
            if index < total:
                self._ranks[index] = _RANK.get(fix["outcome"], _UNKNOWN_RANK)
                self._owed[index], self._unknown[index] = _owed(fix)
        if self.cap <= 0 or total <= self.cap:
            return list(range(total))
        owed, unknown = self._owed, self._unknown
        chosen: list[int] = []
        for rank in range(_UNKNOWN_RANK + 1):
            room = self.cap - len(chosen)
            if room <= 0:
                break
            members = _positions(self._ranks, rank)
            if self._ranks.count(rank) <= room:
                chosen += members
            else:  # the most owed of this outcome, then the first rows
                chosen += heapq.nsmallest(room, members, key=lambda i: (-owed[i], -unknown[i], i))
        return sorted(chosen)

    def _write_merchants(
        self, out: BinaryIO, chosen: list[int], fixes: dict[int, MerchantResult]
    ) -> None:
        for position, index in enumerate(chosen):
            self._stream.seek(self._offsets[index])
            line = self._stream.readline()[:-1]
            fix = fixes.get(index)
            if fix is not None:
                # a copy: every renderer receives the same fixes; the row keeps its shop name
                shop_name = orjson.loads(line).get("shop_name")
                line = orjson.dumps({**fix, "shop_name": shop_name})
            out.write(script_safe(line) if position == 0 else b",\n" + script_safe(line))

    # --- the page -------------------------------------------------------------------

    def _emit(
        self, out: BinaryIO, summary: dict[str, object], fixes: dict[int, MerchantResult]
    ) -> None:
        header = self.header
        assert header is not None
        lang = "en" if header.lang == "en" else "zh"
        chosen = self._embedded(fixes)
        total = len(self._offsets)
        data = _page_data(header, lang, summary)
        head = script_safe(orjson.dumps(data))[:-1] + b',"merchants":['
        style = stylesheet()
        code = script()
        out.write(
            page_top(header, lang, summary, style, code, shown=len(chosen), total=total).encode()
        )
        out.write(head)
        self._write_merchants(out, chosen, fixes)
        out.write(b"]}</script>\n<script>" + code.encode() + b"</script>\n</body>\n</html>\n")


def _positions(ranks: bytearray, rank: int) -> Iterator[int]:
    """The indices holding `rank`, found at C speed."""
    at = ranks.find(rank)
    while at >= 0:
        yield at
        at = ranks.find(rank, at + 1)


def _owed(result: MerchantResult) -> tuple[float, bool]:
    """What a merchant is known to owe, and whether an amount of it cannot be told (an
    error row, an unknown balance). Ranked by the first, then the second: an unknown
    amount is at least what is known, so it comes before the same known amount, and a
    merchant whose amount is unknown before one owing nothing, never as if it were ¥0."""
    deposit, fee = result["deposit_shortfall"], result["annual_fee_due"]
    return (deposit or 0.0) + (fee or 0.0), deposit is None or fee is None


_OUTCOME_KEY = b'"outcome":"'
_DEPOSIT_KEY = b',"deposit_shortfall":'
_FEE_KEY = b',"annual_fee_due":'


def _urgency(line: bytes) -> tuple[int, float, bool]:
    """The outcome's rank and `_owed`, read from a merchant's canonical line without
    decoding it (a million rows: 1 s instead of 4). No JSON string can hold `"outcome":"`
    (its quotes would be escaped), so the first one is the merchant's key, and its amounts
    follow it; a line laid out otherwise is decoded."""
    start = line.find(_OUTCOME_KEY)
    if start >= 0:
        start += len(_OUTCOME_KEY)
        end = line.find(b'"', start)
        deposit = _amount(line, _DEPOSIT_KEY, end)
        fee = _amount(line, _FEE_KEY, end)
        if deposit is not None and fee is not None:
            unknown = math.isnan(deposit) or math.isnan(fee)
            known = (0.0 if math.isnan(deposit) else deposit) + (0.0 if math.isnan(fee) else fee)
            return _RANK.get(line[start:end].decode(), _UNKNOWN_RANK), known, unknown
    result = orjson.loads(line)
    return _RANK.get(result["outcome"], _UNKNOWN_RANK), *_owed(result)


def _amount(line: bytes, key: bytes, after: int) -> float | None:
    """The amount after `key`: NaN for null (cannot be told), None when it is not there."""
    at = line.find(key, after)
    if at < 0:
        return None
    at += len(key)
    token = line[at : line.find(b",", at)]
    if token == b"null":
        return math.nan
    try:
        return float(token)
    except ValueError:
        return None


def _page_data(header: ReportHeader, lang: str, summary: dict[str, object]) -> dict[str, object]:
    """Everything the script needs but the merchants, which are appended as they stream."""
    deadline = header.ruleset.get("deadline")
    left_texts = {
        key: value
        for key, value in i18n.catalog(lang).items()
        if key.startswith(("left.", "evidence.", "waiver.valid.", "waiver.lapsed."))
        or key == "annotated.due_soon"
    }
    return {
        "lang": lang,
        "text": {**SCRIPT_TEXT[lang], **left_texts},
        "outcomes": outcome_rows(summary, lang),
        "statuses": STATUS_LABELS[lang],
        "deadline_ms": int(deadline.timestamp() * 1000) if isinstance(deadline, datetime) else None,
        "fee": header.has_fee(),  # the table's 应缴年费 column, none in a year without a fee
        "rules": rule_explanations(_ruleset_of(header), lang),
        "money_rules": money_rules(),
    }


def money_rules() -> list[str]:
    """The rules whose figures are yuan: those that read an amount column (DP01 the
    deposit, AF01 the annual fee). A finding's expected and read figures are bare numbers
    in the report; the page says these as amounts, ¥ and all, as the message above them
    and the "owed" beside them do."""
    money = {column.key for column in MERCHANT_COLUMNS if column.kind in MONEY_KINDS}
    return sorted(code for code, rule in REGISTRY.items() if money.intersection(rule.reads))


def _ruleset_of(header: ReportHeader) -> RuleSet | None:
    """The run's rule set; a renderer driven without it (a bare header) loads the bundled
    one of the same id, and only when it is the very file the run used."""
    if header.rules is not None:
        return header.rules
    ruleset_id = header.ruleset.get("id")
    try:
        found = load(str(ruleset_id)) if isinstance(ruleset_id, str) else None
    except RuleSetError:
        return None
    return found if found is not None and found.sha256 == header.ruleset.get("sha256") else None


def rule_explanations(ruleset: RuleSet | None, lang: str) -> dict[str, dict[str, object]]:
    """Per rule code of the rule set, and per load problem: its title and the lines
    `renewal explain` prints (its documentation, then this year's figures, quote, source
    and mark)."""
    from renewal import catalog

    if ruleset is None:
        return {}
    explained: dict[str, dict[str, object]] = {}
    for row in catalog.rule_rows(ruleset, lang):
        code = row["code"]
        # in Chinese, a merchant's page: no English documentation written for every year
        lines = catalog.explain_lines(code, ruleset, lang, documentation=lang == "en")
        explained[code] = {"title": row["title"], "lines": [list(line) for line in lines]}
    return explained
