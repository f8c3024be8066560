"""JUnit XML: one testsuite per rule family, one testcase per merchant and rule.

For CI dashboards (Jenkins, GitLab, Azure DevOps …) that already show JUnit results: each
merchant is a class and each of its findings a test named `[CODE] title`. Load problems
(LD01–LD04) go in a suite named `load`. The shape is the common Jenkins/Surefire one:
`testsuites > testsuite > properties, testcase > failure | error | skipped`.

Dashboards know a test by its class and name, and nightly jobs follow it across runs by
them, so each (classname, name) is unique in a document and stays the same from run to
run. The classname is the merchant id as read; a row whose id is blank is `row №N`, and
each row of an id on more than one row (all LD03 errors) is `ID (row №N)`. The `№` is what
keeps those apart from every real id: intake folds ids to NFKC, which spells `№` "No", so
no merchant id holds one (and this module folds it too, whatever hands it an id). A code a
merchant has more than once (LD04, one per unreadable cell) is named with its cell:
`[LD04] title (sheet S, row R, column C)`. Names and classnames are identifiers, the
same in every language; the messages and the failure texts are in the report's language
(`--lang`).

Status mapping: `fail` is a `<failure type="fail">`, `error` an `<error>`, `skip` a
`<skipped>`, `pass` a plain testcase. JUnit has no warning, so a `warn` finding is a
`<failure type="warning">`: dashboards show it as a failure, and whether the run fails is
decided by `--fail-on` (the exit code), not by the XML. A `waived` finding (`--waivers`) is
a `<skipped message="已豁免：…">` (`waived: …`) whose text holds the evidence and the
waiver (reason, approver, ticket, expiry): an agreed exception, not a failure. A merchant
due soon (`--due-soon`) has 即将截止：还剩 … (`due soon: … left`) on the message and in the
text of each of its failures. The document carries no time or timestamp, so the same
input, rules and as-of give the same bytes.

The failure text says its values as the messages do (`renewal.render.evidence`): a time
as `2021-12-26 18:00`, TB01's points in words, one line per item (a line break inside a
message or a value shows as ⏎). Text from an export cannot reorder how a CI page shows
what follows it: the bidirectional embedding, override and isolate controls (U+202A–U+202E,
U+2066–U+2069) become U+FFFD, as characters XML cannot hold do.

A million merchants make about nine million testcases, so none is kept in memory: each is
written, as one line, to its family's scratch file as it arrives, prefixed with its row
index and status; only the counters are kept. At the end the document is assembled from
the scratch files, the prefixes cut off during the copy. Rows re-issued as duplicates
(`fixes`) are dropped from every suite, their counts taken back, and their replacement's
testcases (with the shop name the row had, kept in one more scratch file) put in at the
same place.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape, quoteattr

import orjson

from renewal import i18n
from renewal.checks import FAMILIES, REGISTRY
from renewal.model import MerchantResult
from renewal.render.evidence import evidence_text, one_line
from renewal.render.output import atomic_file, scratch_file
from renewal.report import ReportHeader

LOAD_FAMILY = "load"
LOAD_TITLES = {
    "LD01": "Merchant id (商家ID) blank or unreadable",
    "LD02": "Contract date (合同签署时间) blank or unreadable",
    "LD03": "Merchant id on more than one row",
    "LD04": "A cell that cannot be read",
}
"""Load problems are not registered checks: their titles are fixed here."""

_KINDS = {"pass": b"P", "fail": b"F", "warn": b"W", "skip": b"S", "error": b"E", "waived": b"S"}
_PREFIX = re.compile(rb"^\d+ [PFWSE] ", re.MULTILINE)
_NOT_XML = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
"""Characters XML 1.0 cannot hold even as a reference (a cell may carry a control byte),
and the bidirectional controls (U+202A–U+202E, U+2066–U+2069) with which a shop name
would reverse or reorder the text shown after it on a CI page."""
_TEXT_ENTITIES = {"\n": "&#10;", "\r": "&#13;"}
"""Line breaks in text become references, so that each testcase stays on one scratch line."""
_CHUNK = 1 << 20


def _family_rank() -> dict[str, int]:
    """`load` first, then the families in the order of the check modules (scope, blockers,
    steps, deposit, fee, …), so suites come out in a fixed order whatever the input."""
    modules = [module.__name__ for module in FAMILIES]
    rank = {LOAD_FAMILY: 0}
    ordered = sorted(
        REGISTRY.values(),
        key=lambda r: (
            modules.index(r.check.__module__) if r.check.__module__ in modules else len(modules)
        ),
    )
    for registered in ordered:
        rank.setdefault(registered.family, len(rank))
    return rank


_RANK = _family_rank()


def family_of(code: str) -> str:
    if code.startswith("LD"):
        return LOAD_FAMILY
    registered = REGISTRY.get(code)
    return registered.family if registered is not None else code[:2].lower()


def title_of(code: str) -> str:
    registered = REGISTRY.get(code)
    if registered is not None:
        return registered.title.rstrip(".")
    return LOAD_TITLES.get(code, code)


def _clean(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _attr(value: str) -> str:
    return quoteattr(_clean(value))


def _text(value: str) -> str:
    return escape(_clean(value), _TEXT_ENTITIES)


def _shown(value: object, texts: dict[str, str], lang: str) -> str:
    """An evidence value as the messages say it; a number as the JSON report has it."""
    if value is None:
        return texts["junit.none"]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return orjson.dumps(value).decode()
    return evidence_text(value, lang)


ROW_MARK = "№"
"""Only in the classnames made up for rows (see the module's docstring): NFKC spells it
"No", so no merchant id from intake holds it."""


def classname(result: dict[str, Any], repeated: bool = False) -> str:
    """The merchant's class: its id; `row №N` when the id is blank; `ID (row №N)` for each
    row of an id on more than one row (`repeated`)."""
    merchant_id = result["merchant_id"]
    row = result["row"]
    if not merchant_id:
        return f"row {ROW_MARK}{row}"
    if ROW_MARK in merchant_id:  # intake folds it already; a report from elsewhere may not
        merchant_id = merchant_id.replace(ROW_MARK, "No")
    return f"{merchant_id} (row {ROW_MARK}{row})" if repeated else merchant_id


@cache
def _name_attr(code: str) -> str:
    return _attr(f"[{code}] {title_of(code)}")


def _name_attrs(findings: list[dict[str, Any]]) -> list[str]:
    """Each finding's test name, quoted: `[CODE] title`; a code the merchant has more than
    once is named with the cell of each (and a number, should two name the same cell)."""
    codes = [str(found["rule"]) for found in findings]
    if len(set(codes)) == len(codes):
        return [_name_attr(code) for code in codes]
    times = Counter(codes)
    taken: set[str] = set()
    names = []
    for code, found in zip(codes, findings, strict=True):
        if times[code] == 1:
            names.append(_name_attr(code))
            continue
        source = found.get("source")
        where = f" ({_cell(source)})" if source else ""
        name = f"[{code}] {title_of(code)}{where}"
        again = 1
        while name in taken:
            again += 1
            name = f"[{code}] {title_of(code)}{where} #{again}"
        taken.add(name)
        names.append(_attr(name))
    return names


def _cell(source: dict[str, Any]) -> str:
    where = f"sheet {source['sheet']}, row {source['row']}"
    return f"{where}, column {source['column']}" if source.get("column") else where


def testcases(
    result: dict[str, Any], lang: str, repeated: bool = False
) -> Iterator[tuple[str, bytes, bytes]]:
    """Each finding of a merchant as (suite, status letter, one line of XML); `repeated`
    for a row of an id on more than one row."""
    findings = result["findings"]
    class_attr = _attr(classname(result, repeated))
    for found, name in zip(findings, _name_attrs(findings), strict=True):
        kind, xml = testcase(result, found, f"name={name} classname={class_attr}", lang)
        yield family_of(found["rule"]), kind, xml


def testcase(
    result: dict[str, Any], found: dict[str, Any], names: str, lang: str
) -> tuple[bytes, bytes]:
    """One finding as (status letter, one line of XML); `names` is the testcase's name and
    classname attributes."""
    status = str(found["status"])
    kind = _KINDS.get(status, b"E")
    head = f"    <testcase {names}"
    if kind == b"P":
        return kind, f"{head}/>".encode()
    texts = i18n.catalog(lang)
    message = " ".join(str(found["message"]).split())
    if status == "waived":
        body = _text(_details(result, found, texts, lang))
        waived = texts["junit.waived"].format(message=message)
        return kind, (
            f"{head}><skipped message={_attr(waived)}>{body}</skipped></testcase>"
        ).encode()
    if kind == b"S":
        return kind, f"{head}><skipped message={_attr(message)}/></testcase>".encode()
    soon = _due_soon(result, texts, lang)
    if soon:
        message = texts["junit.noted"].format(message=message, note=soon)
    element, failure_type = {b"F": ("failure", "fail"), b"W": ("failure", "warning")}.get(
        kind, ("error", status)
    )
    body = _text(_details(result, found, texts, lang))
    return kind, (
        f"{head}><{element} type={_attr(failure_type)} message={_attr(message)}>"
        f"{body}</{element}></testcase>"
    ).encode()


def _details(
    result: dict[str, Any], found: dict[str, Any], texts: dict[str, str], lang: str
) -> str:
    """The failure text: what was expected and read, where, and what to do."""
    lines = [
        str(found["message"]),
        texts["junit.expected"].format(value=_shown(found["expected"], texts, lang)),
        texts["junit.actual"].format(value=_shown(found["actual"], texts, lang)),
    ]
    source = found["source"]
    if source:
        key = "junit.source" if source.get("column") else "junit.source_row"
        lines.append(texts[key].format(**source))
    if found.get("owed") is not None:
        lines.append(texts["junit.owed"].format(value=_shown(found["owed"], texts, lang)))
    lines.append(texts["junit.remedy"].format(value=_shown(found["remedy"], texts, lang)))
    waiver = found.get("waiver")
    if waiver:
        # a date alone is valid through that day and lapses at its end (Waiver.said)
        kind = "moment" if "T" in str(waiver["expires"]) else "day"
        state = texts[f"waiver.{'lapsed' if waiver['expired'] else 'valid'}.{kind}"]
        lines.append(
            texts["junit.waiver_ticket" if waiver.get("ticket") else "junit.waiver"].format(
                reason=waiver["reason"],
                approver=waiver["approver"],
                ticket=waiver.get("ticket"),
                state=state.format(expires=_shown(waiver["expires"], texts, lang)),
            )
        )
    soon = _due_soon(result, texts, lang)
    if soon:
        deadline = _shown(result.get("deadline"), texts, lang)
        lines.append(texts["junit.deadline"].format(soon=soon, deadline=deadline))
    shop = result.get("shop_name")
    merchant = (result["merchant_id"] or texts["junit.blank_id"]) + (f" {shop}" if shop else "")
    lines.append(
        texts["junit.merchant"].format(merchant=merchant, sheet=result["sheet"], row=result["row"])
    )
    return "\n".join(one_line(line) for line in lines)


def _due_soon(result: dict[str, Any], texts: dict[str, str], lang: str) -> str:
    """`due soon: 2d 3h left` / `即将截止：还剩 2天3小时` for a merchant --due-soon marks,
    `due now` / `现在截止` for one at the deadline itself (`i18n.time_left_phrase`), else
    empty."""
    if not result.get("due_soon"):
        return ""
    seconds = result["time_left_seconds"]
    left = i18n.time_left_phrase(seconds, lang)
    return (
        texts["junit.due_soon"].format(left=left) if i18n.marked_due_soon(seconds, True) else left
    )


@dataclass
class _Suite:
    name: str
    stream: BinaryIO
    counts: dict[bytes, int] = field(default_factory=lambda: dict.fromkeys(_KINDS.values(), 0))

    def write(self, index: int, kind: bytes, xml: bytes) -> None:
        self.stream.write(b"%d %s %s\n" % (index, kind, xml))
        self.counts[kind] += 1

    @property
    def totals(self) -> tuple[int, int, int, int]:
        """tests, failures (fail and warn), errors, skipped."""
        c = self.counts
        return sum(c.values()), c[b"F"] + c[b"W"], c[b"E"], c[b"S"]


class JUnitRenderer:
    """Testcases streamed to a scratch file per family; the document written at the end."""

    wants_cells = False
    wants_shop_names = False

    def __init__(self, target: Path | None) -> None:
        self.target = target
        self.header: ReportHeader | None = None
        self._lang = "zh"
        self._files = ExitStack()
        self._suites: dict[str, _Suite] = {}
        self._shops: BinaryIO = self._files.enter_context(scratch_file(target))
        self._index = 0

    def begin(self, header: ReportHeader) -> None:
        self.header = header
        self._lang = "en" if header.lang == "en" else "zh"

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None:
        result = orjson.loads(line)
        self._record(self._index, result)
        shop = result["shop_name"]
        if shop:  # kept on disk for the rows a duplicate id replaces (see `_apply`)
            self._shops.write(b"%d %s\n" % (self._index, orjson.dumps(shop)))
        self._index += 1

    def _record(self, index: int, result: dict[str, Any]) -> None:
        for family, kind, xml in testcases(result, self._lang):
            self._suite(family).write(index, kind, xml)

    def _suite(self, name: str) -> _Suite:
        suite = self._suites.get(name)
        if suite is None:
            stream = self._files.enter_context(scratch_file(self.target))
            suite = self._suites[name] = _Suite(name, stream)
        return suite

    def finish(self, summary: dict[str, object], fixes: dict[int, MerchantResult]) -> None:
        try:
            if fixes:
                self._apply(fixes)
            if self.target is None:
                self._emit(sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                with atomic_file(self.target) as out:
                    self._emit(out)
        finally:
            self._files.close()

    def _apply(self, fixes: dict[int, MerchantResult]) -> None:
        """Rewrite each suite without the rows of duplicated ids, with their replacement's
        testcases (LD03 errors, each classed by its row) in their place; the counters
        follow."""
        shops = self._shops_of(fixes)
        inserts: dict[str, list[tuple[int, bytes, bytes]]] = {}
        for index in sorted(fixes):
            result = orjson.loads(orjson.dumps(fixes[index]))
            result["shop_name"] = shops.get(index)
            for family, kind, xml in testcases(result, self._lang, repeated=True):
                inserts.setdefault(family, []).append((index, kind, xml))
        for name in inserts:
            self._suite(name)
        for name, old in list(self._suites.items()):
            new = _Suite(name, self._files.enter_context(scratch_file(self.target)))
            pending = iter(inserts.get(name, ()))
            waiting = next(pending, None)
            old.stream.seek(0)
            for line in old.stream:
                space = line.index(b" ")
                index = int(line[:space])
                while waiting is not None and waiting[0] < index:
                    new.write(*waiting)
                    waiting = next(pending, None)
                if index in fixes:
                    continue
                new.stream.write(line)
                new.counts[line[space + 1 : space + 2]] += 1
            while waiting is not None:
                new.write(*waiting)
                waiting = next(pending, None)
            self._suites[name] = new

    def _shops_of(self, fixes: dict[int, MerchantResult]) -> dict[int, str]:
        """The shop names of the replaced rows, as this renderer read them: a fix comes
        without one, and another renderer filling it in must not change these bytes."""
        shops: dict[int, str] = {}
        self._shops.seek(0)
        for line in self._shops:
            index, _, shop = line.partition(b" ")
            if int(index) in fixes:
                shops[int(index)] = orjson.loads(shop)
        return shops

    def _emit(self, out: BinaryIO) -> None:
        assert self.header is not None
        suites = sorted(
            (s for s in self._suites.values() if s.totals[0]),
            key=lambda s: (_RANK.get(s.name, len(_RANK)), s.name),
        )
        totals = [sum(column) for column in zip(*(s.totals for s in suites), strict=True)]
        tests, failures, errors, skipped = totals or [0, 0, 0, 0]
        ruleset_id = str(self.header.ruleset["id"])
        out.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(
            f'<testsuites name={_attr(f"renewal {ruleset_id}")} tests="{tests}" '
            f'failures="{failures}" errors="{errors}" skipped="{skipped}">\n'.encode()
        )
        properties = "".join(
            f"      <property name={_attr(name)} value={_attr(value)}/>\n"
            for name, value in self._properties()
        ).encode()
        for suite in suites:
            tests, failures, errors, skipped = suite.totals
            out.write(
                f'  <testsuite name={_attr(suite.name)} tests="{tests}" '
                f'failures="{failures}" errors="{errors}" skipped="{skipped}">\n'
                "    <properties>\n".encode()
            )
            out.write(properties)
            out.write(b"    </properties>\n")
            _copy_stripped(suite.stream, out)
            out.write(b"  </testsuite>\n")
        out.write(b"</testsuites>\n")

    def _properties(self) -> Iterable[tuple[str, str]]:
        """What was checked, against what, as of when: enough to reproduce the run."""
        assert self.header is not None
        header = self.header
        yield "ruleset.id", str(header.ruleset["id"])
        yield "ruleset.sha256", str(header.ruleset["sha256"])
        # how the rule set was chosen (given, by the as-of, or the nearest when no year
        # covers it), and then the note the other reports carry
        yield "ruleset.selected", str(header.ruleset["selected"])
        if header.ruleset.get("note"):
            yield "ruleset.note", str(header.ruleset["note"])
        yield "as_of", header.as_of.isoformat()
        yield "input.file", str(header.input["file"])
        yield "input.sha256", str(header.input["sha256"])
        yield "tool.version", header.tool["version"]


def _copy_stripped(stream: BinaryIO, out: BinaryIO) -> None:
    """Copy a scratch file a chunk at a time, cutting each line's index and status prefix."""
    stream.seek(0)
    carry = b""
    while chunk := stream.read(_CHUNK):
        chunk = carry + chunk
        cut = chunk.rfind(b"\n") + 1
        carry = chunk[cut:]
        out.write(_PREFIX.sub(b"", chunk[:cut]))
    out.write(_PREFIX.sub(b"", carry))
