"""The rule catalogue: what each rule checks and what a year sets, rendered from the registry
and a rule file, so the documentation cannot drift from the code.

It reads the check docstrings (English, by project rule) and the rule file's blocks, and
decides no verdict. Behind `renewal rules` and `renewal explain` (printed by
`renewal.render.rulebook`), `renewal validate-rules`, `renewal years`, the HTML report's
rule pages and the README's rule table (`renewal.readme`). The lines under each rule that
say what the year sets come from `renewal.briefs`.
"""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from renewal import i18n
from renewal.briefs import (
    brief,
    cycle_brief,
    mark_summary,
    minute,
    nested_clauses,
    own_fields,
)
from renewal.checks import REGISTRY, Role
from renewal.rule_errors import RuleSetError
from renewal.ruleset import (
    Clause,
    RuleSet,
    SourceKind,
    StepParams,
    bundled_id,
    bundled_ids,
    load,
    names_a_path,
)


@dataclass(frozen=True)
class Section:
    """A section of a rule's documentation: its docstring prefix and its headings."""

    prefix: str
    en: str
    zh: str


SECTIONS = (
    Section("Fails when:", "Fails when", "失败条件"),
    Section("Passes when:", "Passes when", "通过条件"),
    Section("Not applicable when:", "Not applicable when", "不适用"),
    Section("Remediation:", "Remediation", "处理办法"),
    Section("Source:", "Source", "来源"),
)

TITLES_ZH: dict[str, str] = {
    "SC01": "合同签署时间不晚于本年度规定时点（不是续签截止时间）的商家须参加本次续签",
    "BL01": "考核达标（考核不达标则无法续签）",
    "BL02": "软件服务费已缴清",
    "BL03": "旗舰店、专卖店、专营店有品牌授权",
    "BL04": "店铺不在退出流程中",
    "BL05": "不在主体变更流程中",
    "BL06": "不在转入淘宝企业店铺流程中",
    "BL07": "年检信息无需更新",
    "AS01": "较早开通的店铺通过运营能力考核（2019年度）",
    "AS02": "日常经营考核未见不达标（仅提醒，2022年度）",
    "QR01": "须审核类目的资质有效至截止时间（2019年度）",
    "DL01": "在续签期内完成续签报名",
    "DL02": "在续签期内签署续签协议",
    "DP01": "保证金余额不低于应缴金额，并在续签期内补足",
    "AF01": "在续签期内缴清新合同年度的软件服务年费",
    "QL01": "资质在新合同年度内持续有效（仅提醒）",
    "TB01": "可转入淘宝企业店铺（诚信经营）",
    "LD01": "商家ID为空或无法读取",
    "LD02": "合同签署时间为空或无法读取",
    "LD03": "商家ID重复",
    "LD04": "单元格无法读取",
}
"""Chinese titles; the English title is the first line of the check's docstring."""

NAMES: dict[str, dict[str, str]] = {
    "SC01": {"zh": "续签范围", "en": "Renewal scope"},
    "QL01": {"zh": "资质有效期", "en": "Qualification validity"},
    "TB01": {"zh": "转入淘宝企业店铺", "en": "Taobao enterprise store transfer"},
    "LD01": {"zh": "商家ID", "en": "Merchant id"},
    "LD02": {"zh": "合同签署时间", "en": "Contract date"},
    "LD03": {"zh": "商家ID唯一性", "en": "Merchant id uniqueness"},
    "LD04": {"zh": "单元格取值", "en": "Cell values"},
}
"""What a rule looks at, for the codes no rule file labels: a name that, beside a status
(`renewal diff`: 通过 → 未通过), cannot read as the finding's opposite, as a title can (it
states the passing condition). The steps' and blockers' names are their rule file's
labels, which are the year's words (`renewal.diff.rule_name`)."""

LOAD = "load"
"""The role shown for load problems: codes the intake and engine report, in any rule set."""

CYCLE = "cycle"
"""The code and role of a rule set's [cycle] in the catalogue: no rule, but the window,
deadline and termination every rule is judged against, with its own quote, source and mark
to review (`renewal explain cycle`)."""

LOAD_DOCS: dict[str, str] = {
    "LD01": """Merchant id (商家ID) blank or unreadable.

    Fails when: 商家ID is blank, or holds a value that is not an id; the row is an `error`
    row and no rule runs on it.
    Passes when: 商家ID holds an id (a number like `1234567890123.0` reads as `1234567890123`).
    Not applicable when: never; every merchant row needs an id.
    Remediation: fill in or correct 商家ID on that row and check again.
    Source: none; the export has to identify each merchant (README, "What the export holds").
    """,
    "LD02": """Contract date (合同签署时间) blank or unreadable.

    Fails when: 合同签署时间 is blank or cannot be read as a time; the row is an `error` row,
    since without it SC01 cannot tell whether the merchant must renew.
    Passes when: 合同签署时间 reads as a time (Beijing time when it has no zone).
    Not applicable when: never; every merchant row needs its contract date.
    Remediation: fill in or correct 合同签署时间 on that row and check again.
    Source: none; the scope clause (SC01) is decided by this date.
    """,
    "LD03": """Merchant id on more than one row.

    Fails when: the same 商家ID is on more than one row of the merchant sheet; every such row
    is an `error` row naming all of them, since nobody can tell which row is right.
    Passes when: each 商家ID is on one row.
    Not applicable when: the row's 商家ID is blank or unreadable (that is LD01).
    Remediation: keep one row per merchant and check again.
    Source: none; one verdict per merchant needs one row per merchant.
    """,
    "LD04": """A cell that cannot be read.

    Fails when: a cell other than 商家ID and 合同签署时间 (on the merchant sheet, 违规记录 or
    资质) holds a value that cannot be read; this is a `warn`, and each rule that needs the
    cell reports `error` naming it.
    Passes when: every cell is blank or readable.
    Not applicable when: never.
    Remediation: correct the cell (README, "Messy and broken inputs", lists what is read)
    and check again.
    Source: none; a value that cannot be read is never taken as a pass.
    """,
}
"""Load problems are not registered checks; their documentation lives here, in the same form."""

ROLE_ZH = {
    Role.SCOPE: "范围",
    Role.BLOCKER: "阻止续签",
    Role.STEP: "续签步骤",
    Role.ADVISORY: "提醒",
    Role.FALLBACK: "转淘宝企业店铺",
    LOAD: "载入问题",
}
MARK_ZH = {"sourced": "有出处", "sourced-weak": "出处较弱", "inferred": "推断"}

WORDS = {
    "zh": {
        "code": "代码",
        "slug": "标识",
        "title": "标题",
        "figures": "本年参数",
        "mark": "依据",
        "quote": "原文",
        "summary": "摘要",
        "quote_or_summary": "原文或摘要",
        "brief_source": "项目规则简报（据历年公告整理）",
        "brief_named": "项目规则简报",
        "source": "出处",
        "note": "备注",
        "disabled": "（本年停用）",
        "load_title": "载入问题（与规则集无关）",
        "load_any": "载入问题与规则集无关，任何年度都一样。",
        "in_ruleset": "{id}（{name}）中的参数",
        "not_in_ruleset": "规则集 {id} 没有这条规则。",
        "english_body": "以下详细说明只有英文版。",
        "documented_in": "详细说明（英文）：renewal explain {code} --rules {id}",
        "unknown_code": "没有规则代码「{code}」；已知代码：{codes}",
        "cycle_title": "续签周期：续签期、截止时间与合同终止",
        "cycle_about": "续签期的结束（window_closes）是每个续签步骤的截止时间：评估时间在此之前，"
        "未完成的步骤为待完成，之后为未完成。不给 --rules 时，选用的规则集是其年度（到旧合同终止 "
        "terminates_at 为止的一年）包含评估时间的那个。",
        "window": "续签期 {opens} → {closes}（北京时间）",
        "terminates": "合同终止 {at}",
        "valid": "ok {path}（{id}，{rules} 条规则）",
        "valid_disabled": "ok {path}（{id}，{rules} 条规则，其中 {disabled} 条停用）",
        "bundled_id": "注意：{path} 的 id 是内置规则集的 {id}，内容却不同；"
        "用它写的报告会被当作内置的 {id}。请改用新的 id",
        "stem_not_id": "注意：{path} 的文件名是 {stem}，id 却是 {id}，报告中会称它为 {id}；"
        "若是 {id} 的草稿可以不管，否则请让文件名与 id 一致",
        "same_id": "注意：{path} 与 {other} 的 id 都是 {id}，内容却不同；用它们写的报告都称为 "
        "{id}，只能靠规则文件名和 sha256 区分。请给其中一个改用新的 id",
    },
    "en": {
        "code": "Code",
        "slug": "Slug",
        "title": "Title",
        "figures": "This year",
        "mark": "Mark",
        "quote": "Quote",
        "summary": "Summary",
        "quote_or_summary": "Quote or summary",
        "brief_source": "the project's brief of the rules across years (compiled from the "
        "announcements)",
        "brief_named": "the brief",
        "source": "Source",
        "note": "Note",
        "disabled": " (disabled this year)",
        "load_title": "Load problems (the same in every rule set)",
        "load_any": "Load problems do not depend on the rule set.",
        "in_ruleset": "In {id} ({name})",
        "not_in_ruleset": "Rule set {id} has no such rule.",
        "english_body": "",
        "documented_in": "The full rule: renewal explain {code} --rules {id}",
        "unknown_code": "unknown rule code {code!r}; known codes: {codes}",
        "cycle_title": "Renewal cycle: the window, its deadline and the termination",
        "cycle_about": "The window's close (window_closes) is every step's deadline: before "
        "it, a step not yet done is pending; after it, missed. Without --rules, the rule set "
        "used is the one whose year (the year up to the old contracts' termination, "
        "terminates_at) holds the as-of.",
        "window": "window {opens} → {closes} Beijing time",
        "terminates": "terminates {at}",
        "valid": "ok {path} ({id}, {rules} rules)",
        "valid_disabled": "ok {path} ({id}, {rules} rules, {disabled} disabled)",
        "bundled_id": "note: {path} keeps the bundled rule set's id {id} but differs from it; "
        "reports made with it would pass for the bundled {id}. Give it an id of its own",
        "stem_not_id": "note: {path} is named {stem} but its id is {id}, which reports will "
        "call it; fine for a draft of {id}, otherwise make the file name and the id agree",
        "same_id": "note: {path} and {other} both have the id {id} but differ; reports made "
        "with either would say {id}, told apart only by the rule file's name and sha256. Give "
        "one of them an id of its own",
    },
}


class CatalogProblem(Exception):
    """What the user asked for cannot be shown: one line on stderr, exit 2."""


# --- the documentation -------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One code of the catalogue: a registered rule, or a load problem."""

    code: str
    slug: str | None
    family: str
    role: str
    doc: str

    @property
    def title_en(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.code

    def title(self, lang: str) -> str:
        return TITLES_ZH.get(self.code, self.title_en) if lang == "zh" else self.title_en


def entries() -> list[Entry]:
    """Every known code: the registered rules by code, then the load problems."""
    found = [
        Entry(rule.code, rule.slug, rule.family, rule.role, inspect.cleandoc(rule.doc))
        for _, rule in sorted(REGISTRY.items())
    ]
    found += [
        Entry(code, None, LOAD, LOAD, inspect.cleandoc(doc)) for code, doc in LOAD_DOCS.items()
    ]
    return found


def find(code: str) -> Entry | None:
    """The entry for `code`, in any case."""
    wanted = code.strip().upper()
    return next((entry for entry in entries() if entry.code == wanted), None)


def sections(doc: str) -> dict[str, str]:
    """The documentation's sections, keyed by docstring prefix, each body as one paragraph.

    A section runs until the next one starts; lines before the first are the title's.
    """
    bodies: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in inspect.cleandoc(doc).splitlines()[1:]:
        text = line.strip()
        starts = next((s.prefix for s in SECTIONS if text.startswith(s.prefix)), None)
        if starts is not None:
            current = bodies.setdefault(starts, [])
            text = text.removeprefix(starts).strip()
        if current is not None and text:
            current.append(text)
    return {prefix: _unwrap(lines) for prefix, lines in bodies.items()}


def _unwrap(lines: list[str]) -> str:
    """Hard-wrapped lines as one paragraph; no space where a line broke between two Chinese
    characters (`淘宝企业` / `店铺`)."""
    text = ""
    for line in lines:
        cjk = text and _is_cjk(text[-1]) and _is_cjk(line[0])
        text += line if not text or cjk else f" {line}"
    return text


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uff00" <= char <= "\uffef"


def role_label(role: str, lang: str) -> str:
    return ROLE_ZH.get(role, role) if lang == "zh" else role


def mark_label(mark: str, lang: str) -> str:
    return f"{mark}（{MARK_ZH[mark]}）" if lang == "zh" and mark in MARK_ZH else mark


# --- the catalogue of a rule set ---------------------------------------------------------


def load_ruleset(ref: str | None, lang: str) -> RuleSet:
    """`ruleset.load`, its problems turned into one line for the user."""
    try:
        return load(ref)
    except RuleSetError as exc:
        raise CatalogProblem(exc.message(lang)) from None


def _source(ruleset: RuleSet, clause: Clause, lang: str) -> dict[str, str]:
    """The cited source: its title and its web address. The project's brief is titled by a
    name a reader understands, in the language. A source held only as a file (the brief, a
    saved page without an address: `url = "file:…"`) is named by its title alone, as its
    path, into a folder beside the project, means nothing to a reader and opens nothing."""
    cited = ruleset.sources.get(clause.source)
    if cited is None:
        return {"id": clause.source, "title": "", "url": "", "mark": "", "kind": ""}
    brief = cited.kind == SourceKind.BRIEF
    return {
        "id": clause.source,
        "title": WORDS[lang]["brief_source"] if brief else cited.title,
        "url": cited.url if _WEB_ADDRESS.match(cited.url) else "",
        "mark": cited.mark.value,
        "kind": cited.kind.value,
    }


_WEB_ADDRESS = re.compile(r"https?://", re.IGNORECASE)
"""An address a reader can open; anything else (`file:../shared/…`) is where the rule file's
authors keep their copy."""


def is_summary(source: dict[str, str]) -> bool:
    """The quote is the brief's summary of the announcements, not a document's own words."""
    return source["kind"] == SourceKind.BRIEF


def quote_label(source: dict[str, str], lang: str) -> str:
    """原文 for a document's own words; 摘要 for the brief's, which are its summary."""
    return WORDS[lang]["summary" if is_summary(source) else "quote"]


def rule_rows(ruleset: RuleSet, lang: str) -> list[dict[str, Any]]:
    """The catalogue as data: the year's cycle first (code and role `cycle`: its window,
    deadline and termination with their quote, source and mark, which a rule file copied
    from last year's most likely leaves stale), a row per rule of the rule set in its
    file's order, then a row per load problem (role `load`, no parameters)."""
    by_code = {entry.code: entry for entry in entries()}
    cycle = ruleset.cycle
    rows: list[dict[str, Any]] = [
        {
            "code": CYCLE,
            "slug": None,
            "family": CYCLE,
            "role": CYCLE,
            "title": WORDS[lang]["cycle_title"],
            "enabled": True,
            "brief": cycle_brief(cycle, lang),
            "params": own_fields(cycle),
            "mark": cycle.mark.value,
            "mark_summary": mark_summary(cycle, lang),
            "quote": cycle.quote,
            "note": cycle.note,
            "source": _source(ruleset, cycle, lang),
        }
    ]
    for code, params in ruleset.rules.items():
        entry = by_code[code]
        rows.append(
            {
                "code": code,
                "slug": entry.slug,
                "family": entry.family,
                "role": entry.role,
                "title": entry.title(lang),
                "enabled": params.enabled,
                "brief": brief(params, lang),
                "params": own_fields(params),
                "mark": params.mark.value,
                "mark_summary": mark_summary(params, lang),
                "quote": params.quote,
                "note": params.note,
                "source": _source(ruleset, params, lang),
            }
        )
    for entry in entries():
        if entry.role == LOAD:
            rows.append(
                {
                    "code": entry.code,
                    "slug": None,
                    "family": LOAD,
                    "role": LOAD,
                    "title": entry.title(lang),
                    "enabled": True,
                    "brief": [],
                    "params": None,
                    "mark": None,
                    "mark_summary": None,
                    "quote": None,
                    "note": None,
                    "source": None,
                }
            )
    return rows


# --- one rule, explained -----------------------------------------------------------------


def explain_lines(
    code: str, ruleset: RuleSet, lang: str, documentation: bool = True
) -> list[tuple[int, str]]:
    """`renewal explain`: (indent, text) lines; headings at 0, their bodies at 2. Without
    `documentation` the rule's English documentation (its docstring's sections, written for
    every year) is left out for a pointer to `renewal explain`: the HTML report in Chinese
    is opened by merchants, who get the title, this year's figures and the source. `cycle`
    (any case) explains the year's [cycle] instead (`cycle_lines`)."""
    if code.strip().casefold() == CYCLE:
        return cycle_lines(ruleset, lang)
    entry = find(code)
    if entry is None:
        codes = i18n.listed([*(e.code for e in entries()), CYCLE], lang)
        raise CatalogProblem(WORDS[lang]["unknown_code"].format(code=code, codes=codes))
    text = WORDS[lang]
    kind = role_label(entry.role, lang)
    header = f"{entry.code}  {entry.slug}  ({entry.family} · {kind})" if entry.slug else entry.code
    lines: list[tuple[int, str]] = [(0, header), (0, entry.title(lang))]
    if not documentation:
        lines.append((0, text["documented_in"].format(code=entry.code, id=ruleset.id)))
    else:
        if lang == "zh":
            lines += [(0, entry.title_en), (0, text["english_body"])]
        bodies = sections(entry.doc)
        for section in SECTIONS:
            lines += [(0, ""), (0, section.zh if lang == "zh" else section.en)]
            lines.append((2, bodies.get(section.prefix, "—")))
    lines.append((0, ""))
    if entry.role == LOAD:
        return [*lines, (0, text["load_any"])]
    params = ruleset.rules.get(entry.code)
    if params is None:
        return [*lines, (0, text["not_in_ruleset"].format(id=ruleset.id))]
    name = ruleset.name if lang == "zh" else ruleset.name_en
    title = text["in_ruleset"].format(id=ruleset.id, name=name)
    lines.append((0, title + ("" if params.enabled else text["disabled"])))
    return lines + _block_lines(params, brief(params, lang), ruleset, lang)


def cycle_lines(ruleset: RuleSet, lang: str) -> list[tuple[int, str]]:
    """`renewal explain cycle`: the year's window, deadline and termination, laid out as a
    rule's figures are (the same lines, then the quote, source and mark of the block and of
    each block inside it), after a word on what they decide."""
    text = WORDS[lang]
    cycle = ruleset.cycle
    name = ruleset.name if lang == "zh" else ruleset.name_en
    lines: list[tuple[int, str]] = [
        (0, CYCLE),
        (0, text["cycle_title"]),
        (2, text["cycle_about"]),
        (0, ""),
        (0, text["in_ruleset"].format(id=ruleset.id, name=name)),
    ]
    return lines + _block_lines(cycle, cycle_brief(cycle, lang), ruleset, lang)


def _block_lines(
    block: Clause, figures: list[str], ruleset: RuleSet, lang: str
) -> list[tuple[int, str]]:
    """A rule's or the cycle's block as `explain` lays it out: its figures in brief, its
    quote, source and mark, then each block inside it with its own."""
    lines = [(2, row) for row in figures]
    lines += _clause_lines(block, ruleset, lang, 2)
    for label, clause in nested_clauses(block, lang):
        lines += [(2, ""), (2, label)]
        lines += _clause_lines(clause, ruleset, lang, 4)
    return lines


def _clause_lines(
    clause: Clause, ruleset: RuleSet, lang: str, indent: int
) -> list[tuple[int, str]]:
    """Where a block's figures come from: its quote (a summary, from the brief), source,
    mark and note. A source held as a file (the brief) is named without its path, a file
    no reader has (`_source`)."""
    text = WORDS[lang]
    colon = "：" if lang == "zh" else ": "
    cited = _source(ruleset, clause, lang)
    where = " — ".join(part for part in (cited["title"] or cited["id"], cited["url"]) if part)
    lines = [
        (indent, f"{quote_label(cited, lang)}{colon}「{clause.quote}」"),
        (indent, f"{text['source']}{colon}{where}"),
        (indent, f"{text['mark']}{colon}{mark_label(clause.mark.value, lang)}"),
    ]
    if clause.note:
        lines.append((indent, f"{text['note']}{colon}{_note(clause.note, ruleset, lang)}"))
    return lines


def _note(note: str, ruleset: RuleSet, lang: str) -> str:
    """A block's note with the project's brief named as its Source line names it (项目规则简报
    / the brief), not by its file name (`domain.md §6.2`): the notes are written by the rule
    file's authors, who cite the brief by the file they keep, which no reader has
    (`_source`). The file is the one the brief's `file:` address names."""
    named = WORDS[lang]["brief_named"]

    def said(match: re.Match[str]) -> str:
        before = match.string[: match.start()].rstrip()
        opens = lang == "en" and (not before or before.endswith("."))  # a sentence
        return named[0].upper() + named[1:] if opens else named

    for cited in ruleset.sources.values():
        held = Path(cited.url.removeprefix("file:")).name
        if cited.kind == SourceKind.BRIEF and cited.url.startswith("file:") and held:
            note = re.sub(rf"(?<![\w./-]){re.escape(held)}(?![\w-])", said, note)
    return note


# --- rule files and years ----------------------------------------------------------------


def validated(
    path: str, lang: str, seen: dict[str, tuple[str, str]] | None = None
) -> tuple[str, list[str]]:
    """`ok <file> (<id>, N rules)` for a rule file that loads, and warnings when it keeps a
    bundled rule set's id with other contents (its reports would name the bundled set) and
    on its id (`_id_notes`; `seen` holds the ids of the files validated before it in one
    run); CatalogProblem naming the file and key otherwise. A file, never a bundled id: what is
    checked is the file the user wrote, and `validate-rules 2025` beside a file 2025 must not
    say ok of the bundled set; a bundled id with no such file is told where that set is
    shown."""
    try:
        file = Path(path)
        if not path.strip():
            raise RuleSetError("empty_path")
        if file.is_dir():  # there, but no file: said as --rules says it, not as not found
            raise RuleSetError("is_dir", path=path)
        if file.exists() and not file.is_file():
            raise RuleSetError("not_regular", path=path)
        if not file.exists():
            bundled = None if names_a_path(path) else bundled_id(path)
            key = "not_found" if bundled is None else "not_found_bundled"
            raise RuleSetError(key, path=path, id=bundled)
        # as a path: a bare 2025 would be read as the bundled id
        ruleset = load(path if names_a_path(path) else os.path.join(os.curdir, path))
    except RuleSetError as exc:
        raise CatalogProblem(exc.message(lang)) from None
    disabled = sum(not params.enabled for params in ruleset.rules.values())
    key = "valid_disabled" if disabled else "valid"
    line = WORDS[lang][key].format(
        path=path, id=ruleset.id, rules=len(ruleset.rules), disabled=disabled
    )
    warnings = []
    if ruleset.id in bundled_ids() and ruleset.sha256 != load(ruleset.id).sha256:
        warnings.append(WORDS[lang]["bundled_id"].format(path=path, id=ruleset.id))
    warnings += _id_notes(path, ruleset, seen if seen is not None else {}, lang)
    return line, warnings


def _id_notes(
    path: str, ruleset: RuleSet, seen: dict[str, tuple[str, str]], lang: str
) -> list[str]:
    """Notes, not refusals, on the id a file goes by in reports: a file name other than its
    id (a draft kept as tmall-2026-draft.toml is fine; a tmall-2027.toml holding tmall-2026
    is a copy whose id was not changed), and an id another file of this run has with other
    contents (`seen`: id to the path and sha256 of the first file with it), whose reports
    both would name one rule set. A bundled id is not said by file name: a changed copy is
    warned about as keeping it, and an unchanged one is that rule set, whatever its name."""
    notes = []
    stem = Path(path).stem
    if stem.casefold() != ruleset.id.casefold() and ruleset.id not in bundled_ids():
        notes.append(WORDS[lang]["stem_not_id"].format(path=path, stem=stem, id=ruleset.id))
    other, sha256 = seen.setdefault(ruleset.id, (path, ruleset.sha256))
    if sha256 != ruleset.sha256:
        notes.append(WORDS[lang]["same_id"].format(path=path, other=other, id=ruleset.id))
    return notes


def year_line(ruleset: RuleSet, lang: str) -> str:
    """One bundled cycle: window, termination and the steps in the rule file's order."""
    text = WORDS[lang]
    cycle = ruleset.cycle
    window = text["window"].format(
        opens=minute(cycle.window_opens), closes=minute(cycle.window_closes)
    )
    steps = [
        (params.label if lang == "zh" else params.label_en)
        if isinstance(params, StepParams)
        else code
        for code, params in ruleset.rules.items()
        if params.enabled and REGISTRY[code].role == Role.STEP
    ]
    terminates = text["terminates"].format(at=minute(cycle.terminates_at))
    return f"{ruleset.id}  {window}  {terminates}  {' → '.join(steps)}"


def year_lines(lang: str) -> Iterator[str]:
    for ruleset_id in bundled_ids():
        yield year_line(load_ruleset(ruleset_id, lang), lang)
