"""Reading a renewal report back: for `renewal diff` and for `renewal check --baseline`.

Only the keys needed here are read, and the optional ones (`summary.notes`,
`ruleset.selected` …) may be missing, so a baseline written by an older tool version still
diffs. Input is a `renewal check --format json` report (a JSON object whose `schema` is one
this version reads: every version so far wrote `renewal-report/1`), or `.jsonl` with one
merchant per line. A bare JSON list, or an object of another or no schema, is refused: it
names no rule set, and a report of a schema not yet known may mean something else by the
same keys.

JSON Lines has no header (a consumer reads every line as a merchant, so renewal adds none):
such a file names no rule set, as-of or merchant count, so the diff cannot say whether the
rules changed, nor notice a copy cut short at the end of a line; `LoadedReport.headless`
marks it, and the diff says so. A copy cut inside a line is refused (that line is not JSON,
or the last line has no line end, which renewal always writes).

Memory: a report in the layout `renewal check` writes (header on line 1, one merchant a
line) and `.jsonl` are read a line at a time, each merchant cut down at once to a small
record (its rule statuses, the messages of its failing rules, outcome, money owed), so
only those records stay in memory. Any other layout (pretty-printed, say) is
parsed whole with orjson.loads: the bytes plus about four times the file's size in Python
objects at the peak, freed merchant by merchant as they are cut down.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

OUTCOME_RANK: dict[str, int] = {
    "renewed": 0,
    "exempt": 0,
    "waived": 1,
    "pending": 2,
    "failed": 3,
    "error": 4,
}
"""Best (0) to worst (4); the order behind "worse" and "better"."""

BAD_STATUSES = frozenset({"fail", "error", "warn"})
"""A finding with one of these statuses is failing; pass, skip or absent is not."""

REPORT_SCHEMAS = ("renewal-report/1",)
"""The `schema` of every report this version reads (renewal.report.SCHEMA among them)."""


_MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "cannot_read": "{path}：无法读取（{detail}）",
        "not_json": "{path}：不是有效的 JSON：第 {line} 行第 {column} 列无法解析"
        "（文件可能不完整或被改过）",
        "not_json_line": "{path}：第 {line} 行不是有效的 JSON：第 {column} 列无法解析",
        "workbook": "{path}：这是 Excel 工作簿，不是 renewal 的 JSON 报告"
        "（JSON 报告由 renewal check -o 报告.json 写出）",
        "not_report": "{path}：不是 renewal 的 JSON 报告：内容不是 JSON",
        "truncated": "{path}：文件不完整，merchants 列表没有结束",
        "no_line_end": "{path}：最后一行（第 {line} 行）没有换行，文件可能不完整",
        "bare_list": "{path}：不是 renewal 报告（只是一个 JSON 列表，没有报告头）",
        "no_schema": "{path}：不是 renewal 报告（没有 schema）",
        "other_schema": "{path}：报告格式 {schema} 不是本版本能读的（{known}）",
        "no_merchants": "{path}：不是 renewal 报告（没有 merchants 列表）",
        "not_object": "{path}：不是 renewal 报告（第 {index} 个商家不是 JSON 对象）",
        "bad_outcome": "{path}：不是 renewal 报告（第 {index} 个商家的 outcome 为 {value}）",
        "bad_row": "{path}：不是 renewal 报告（第 {index} 个商家的 row 为 {value}）",
        "bad_findings": "{path}：不是 renewal 报告（第 {index} 个商家的 findings 不是列表）",
        "no_rule": "{path}：不是 renewal 报告（第 {index} 个商家有一条 finding 没有 rule）",
    },
    "en": {
        "cannot_read": "{path}: cannot read ({detail})",
        "not_json": "{path}: not valid JSON: cannot be parsed at line {line}, column {column} "
        "(the file may be cut short or edited)",
        "not_json_line": "{path}: line {line} is not valid JSON: "
        "cannot be parsed at column {column}",
        "workbook": "{path}: an Excel workbook, not a renewal JSON report "
        "(renewal check -o report.json writes one)",
        "not_report": "{path}: not a renewal JSON report: its content is not JSON",
        "truncated": "{path}: truncated, the merchants list does not end",
        "no_line_end": "{path}: the last line (line {line}) has no line end; "
        "the file may be cut short",
        "bare_list": "{path}: not a renewal report (a bare JSON list, no report header)",
        "no_schema": "{path}: not a renewal report (no schema)",
        "other_schema": "{path}: report schema {schema} is not one this version reads ({known})",
        "no_merchants": "{path}: not a renewal report (no merchants list)",
        "not_object": "{path}: not a renewal report (merchant #{index} is not a JSON object)",
        "bad_outcome": "{path}: not a renewal report (merchant #{index}: outcome {value})",
        "bad_row": "{path}: not a renewal report (merchant #{index}: row {value})",
        "bad_findings": "{path}: not a renewal report (merchant #{index}: findings is not a list)",
        "no_rule": "{path}: not a renewal report (merchant #{index}: a finding without a rule)",
    },
}


class UnreadableReport(Exception):
    """An input file that cannot be diffed: one line naming the file, exit 2."""

    def __init__(self, key: str, path: Path, **values: object) -> None:
        super().__init__(key, path, values)
        self.key, self.path, self.values = key, path, values

    def message(self, lang: str) -> str:
        values = dict(self.values)
        if self.key == "cannot_read":  # the system's reason, in words where it is a common one
            from renewal.i18n import os_reason

            values["detail"] = os_reason(values["detail"], lang)
        return _MESSAGES[lang][self.key].format(path=self.path, **values)


@dataclass(slots=True)
class MerchantRecord:
    """What the diff needs of one merchant row, and nothing more."""

    merchant_id: str | None
    sheet: str
    row: int
    shop_name: str | None
    outcome: str
    owed: float | None
    statuses: dict[str, str]
    bad_messages: dict[str, str]
    deposit_shortfall: float | None = None
    annual_fee_due: float | None = None
    """The two parts of `owed` (None: not known), which the totals sum apart as the report's
    summary does: a merchant whose fee is known but whose deposit is not counts its fee."""


@dataclass(slots=True)
class LoadedReport:
    name: str
    header: dict[str, Any]
    merchants: list[MerchantRecord]
    headless: bool = False
    """JSON Lines: no header, so no rule set, as-of or count to check the file against."""


_INTERN: dict[str, str] = {}


def _interned(value: str) -> str:
    return _INTERN.setdefault(value, value)


def _record(raw: object, index: int, path: Path) -> MerchantRecord:
    def bad(key: str, value: object = None) -> UnreadableReport:
        shown = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()[:60]
        return UnreadableReport(key, path, index=index + 1, value=shown)

    if not isinstance(raw, dict):
        raise bad("not_object")
    outcome = raw.get("outcome")
    if outcome not in OUTCOME_RANK:
        raise bad("bad_outcome", outcome)
    merchant_id = raw.get("merchant_id")
    row = raw.get("row")
    if not isinstance(row, int):
        raise bad("bad_row", row)
    findings = raw.get("findings") or []
    if not isinstance(findings, list):
        raise bad("bad_findings")
    statuses: dict[str, str] = {}
    bad_messages: dict[str, str] = {}
    for finding in findings:
        if not isinstance(finding, dict) or not isinstance(finding.get("rule"), str):
            raise bad("no_rule")
        rule = _interned(finding["rule"])
        status = _interned(str(finding.get("status")))
        statuses[rule] = status
        if status in BAD_STATUSES:
            bad_messages[rule] = str(finding.get("message") or "")
    shortfall, fee = raw.get("deposit_shortfall"), raw.get("annual_fee_due")
    deposit = float(shortfall) if isinstance(shortfall, int | float) else None
    due = float(fee) if isinstance(fee, int | float) else None
    owed = None if deposit is None or due is None else deposit + due
    shop_name = raw.get("shop_name")
    return MerchantRecord(
        merchant_id=None if merchant_id is None else str(merchant_id),
        sheet=_interned(str(raw.get("sheet") or "")),
        row=row,
        shop_name=None if shop_name is None else str(shop_name),
        outcome=_interned(outcome),
        owed=owed,
        statuses=statuses,
        bad_messages=bad_messages,
        deposit_shortfall=deposit,
        annual_fee_due=due,
    )


_BOM = b"\xef\xbb\xbf"
"""An editor on Windows may save the report back with one; JSON does not allow it."""


def _jsonl_merchants(path: Path) -> Iterator[object]:
    last = (0, True)  # the last line holding a merchant, and whether it ends in a line end
    with path.open("rb") as lines:
        for number, line in enumerate(lines, 1):
            if number == 1:
                line = line.removeprefix(_BOM)
            if not line.strip():
                continue
            last = (number, line.endswith(b"\n"))
            try:
                yield orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                raise _not_json(path, line, exc, line=number) from None
    if not last[1]:  # cut short just after a closing brace: the line parses, but no writer
        raise UnreadableReport("no_line_end", path, line=last[0])  # ends a file like that


def _not_json(
    path: Path, data: bytes, exc: orjson.JSONDecodeError, line: int | None = None
) -> UnreadableReport:
    """Why `data` (the file, or its `line`) is no report, in words rather than the
    decoder's: a workbook given for a report (its bytes are a zip or an OLE file); a file
    whose first line is no JSON at all (a CSV, say); else JSON broken at a place, named."""
    if line in (None, 1):
        if data.startswith(_WORKBOOK_MAGIC):
            return UnreadableReport("workbook", path)
        if not data.lstrip().startswith((b"{", b"[")):
            return UnreadableReport("not_report", path)
    if line is None:
        return UnreadableReport("not_json", path, line=exc.lineno, column=exc.colno)
    return UnreadableReport("not_json_line", path, line=line, column=exc.colno)


_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
"""How an Excel workbook's bytes begin: a zip (xlsx) or an OLE file (xls)."""

_STREAM_OPENING = b'"merchants":['
"""How `renewal check --format json` lays a report out: the header on the first line, ending
with this, then one merchant a line (each but the last ending in a comma), then `]}`."""


def _check_schema(path: Path, header: dict[str, Any]) -> None:
    schema = header.get("schema")
    if schema is None:
        raise UnreadableReport("no_schema", path)
    if schema not in REPORT_SCHEMAS:
        shown = orjson.dumps(schema, option=orjson.OPT_NON_STR_KEYS).decode()[:60]
        raise UnreadableReport("other_schema", path, schema=shown, known=", ".join(REPORT_SCHEMAS))


def _streamed(path: Path, lines: BinaryIO, first: bytes) -> LoadedReport:
    """The canonical layout read a line at a time: only the small records stay in memory."""
    try:
        header = orjson.loads(first.rstrip() + b"]}")
    except orjson.JSONDecodeError as exc:
        raise _not_json(path, first, exc, line=1) from None
    if not isinstance(header, dict):
        raise UnreadableReport("no_merchants", path)
    _check_schema(path, header)
    records: list[MerchantRecord] = []
    for number, line in enumerate(lines, 2):
        body = line.rstrip(b" \t\r\n,")
        if body == b"]}":
            return LoadedReport(path.name, header, records)
        try:
            raw = orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise _not_json(path, body, exc, line=number) from None
        records.append(_record(raw, len(records), path))
    raise UnreadableReport("truncated", path)


def _parsed(path: Path, data: bytes) -> LoadedReport:
    """Any other layout (pretty-printed, saved back by an editor …): parsed whole."""
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise _not_json(path, data, exc) from None
    del data
    if isinstance(document, list):
        raise UnreadableReport("bare_list", path)
    if not isinstance(document, dict) or not isinstance(document.get("merchants"), list):
        raise UnreadableReport("no_merchants", path)
    _check_schema(path, document)
    merchants = document.pop("merchants")
    header: dict[str, Any] = document
    records: list[MerchantRecord] = []
    for index in range(len(merchants)):
        raw, merchants[index] = merchants[index], None  # free each merchant once read
        records.append(_record(raw, index, path))
    return LoadedReport(path.name, header, records)


def load_report(path: Path, json_lines: bool | None = None) -> LoadedReport:
    """Read a report (or merchant list) into small records; UnreadableReport when unusable.
    `json_lines`: whether it is JSON Lines; by default its extension (.jsonl) says."""
    if json_lines is None:
        json_lines = path.suffix.lower() == ".jsonl"
    try:
        if json_lines:
            records = [_record(raw, i, path) for i, raw in enumerate(_jsonl_merchants(path))]
            return LoadedReport(path.name, {}, records, headless=True)
        with path.open("rb") as lines:
            first = lines.readline().removeprefix(_BOM)
            if first.rstrip().endswith(_STREAM_OPENING):
                return _streamed(path, lines, first)
            data = first + lines.read()
    except OSError as exc:
        detail = exc.strerror or type(exc).__name__
        raise UnreadableReport("cannot_read", path, detail=detail) from None
    return _parsed(path, data)
