"""What is wrong with a rule file, said in the user's language.

A rule file's problem is one line naming the file and the dotted key. It is kept as a
message key and its values, not as text, so `check`, `rules`, `explain` and
`validate-rules` can say it in Chinese by default and in English with `--lang en`. What
pydantic finds wrong with a value is said from the kind of problem (a date that is not a
date, a word outside its choices), with the value that was written.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeGuard

from pydantic_core import ErrorDetails

from renewal import i18n

_MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "no_bundled": "{where}：没有内置规则集",
        "not_found": "{path}：找不到规则文件",
        "not_found_bundled": "{path}：找不到规则文件（validate-rules 只校验你写的规则文件；"
        "内置规则集 {id} 随软件校验过，它的内容用 renewal rules --rules {id} 查看）",
        "is_dir": "{path}：是目录，不是规则文件；请给出 .toml 规则文件的路径",
        "not_regular": "{path}：不是普通文件（是设备、管道等），不能作为规则文件",
        "empty_path": "规则文件的路径为空",
        "unreadable": "{path}：无法读取（{detail}）",
        "not_utf8": "{path}：第 {line} 行：不是 UTF-8 文本（可能是以 GBK 等编码保存的）；"
        "请在编辑器中将文件另存为 UTF-8 编码",
        "toml": "{path}：第 {line} 行第 {column} 列：TOML 语法错误（{detail}）",
        "toml_end": "{path}：文件末尾：TOML 语法错误（{detail}）",
        "not_table": "{path}：rules：应为按规则代码分组的表（[rules.XX01]）",
        "unknown_code": "{path}：rules.{code}：没有这个规则代码（已知：{known}）",
        "unknown_key": "{path}：{key}：未知的键；是不是「{close}」？",
        "unknown_key_of": "{path}：{key}：未知的键；可用的键：{known}",
        "unknown_key_bare": "{path}：{key}：未知的键",
        "invalid": "{path}：{key}：{problem}",
        "toml_h24": "{path}：第 {line} 行：{key}：「24时」要写成次日的 00:00，即 {next}"
        "（写的是 {written}）",
        "schema": "{path}：schema：应为「{expected}」，实际为「{got}」",
        "undeclared_source": "{path}：{key}：「{source}」未在 [sources] 中声明",
        "unknown_step": "{path}：{key}：本规则集没有步骤 {step}（已有的步骤：{steps}）",
        "not_later_than": "{path}：{key}：{value} 不晚于 {other}（{other_value}），前后矛盾",
        "earlier_than": "{path}：{key}：{value} 早于 {other}（{other_value}），前后矛盾",
        "later_than": "{path}：{key}：{value} 晚于 {other}（{other_value}），前后矛盾",
        "contract_year": "{path}：contract_year：{year} 年度应于 {year}-12-31 24时结束，"
        "但 cycle.contract_year_ends 是 {value}，前后矛盾",
        "terminates_at": "{path}：cycle.terminates_at：{value}，但 contract_year 是 {year}："
        "旧合同应于 {expected}（{last_year}-12-31 24时）终止，前后矛盾{hint}",
        "not_year_before": "{path}：{key}：{value} 不在 {last_year} 年（contract_year {year} 的"
        "前一年），前后矛盾{hint}",
        "not_contract_year": "{path}：{key}：{value} 不属于 contract_year {year}，前后矛盾{hint}",
        "mark_stronger": "{path}：{key}：标为 {mark}，但它引用的来源 sources.{source} "
        "标为 {source_mark}；一段内容的可信度不能高于它引用的来源",
        "no_scope": "{path}：rules：没有启用的续签范围规则（{codes}）；没有它，合同在截止时间之后"
        "签署的商家也会被要求续签",
        "no_step": "{path}：rules：没有启用的续签步骤（{codes} 都没有）；没有步骤，"
        "每个商家都会被判为已续签",
        "insurance_without_signing": "{path}：rules.DP01.insurance：保证金履约险须在签署续签协议"
        "之前续保才算数（「才能签订续签协议」），但本规则集没有启用的签署协议步骤（DL02）："
        "协议签署时间一列本年不用，却仍会决定保证金履约险是否算数；请删去 "
        "[rules.DP01.insurance]（有 [rules.DP01.insurance_earlier_year] 的也一并删去），"
        "或保留 DL02",
        "year_named": "{path}：{key}：{value} 说的是 {named} 年度，但 contract_year 是 {year}，"
        "前后矛盾；id、name、name_en 和 contract_year 要一起改成同一年度",
        "out_of_years": "{path}：{key}：{value} 不在 {first} 到 {last} 年之间，像是占位的日期；"
        "请写上实际的日期",
        "unknown_ruleset": "没有规则集 {ref}（未找到该年度的续签公告）；最接近的：{nearest}",
        "unknown_name": "没有规则集 {ref}，也没有这个文件；内置规则集：{nearest}"
        "（也可写年份，如 2022，或规则文件的路径）",
        "unknown_local": "没有内置规则集 {ref}；是不是要用当前目录下的规则文件：--rules {local}？",
        "empty_ref": "--rules 为空（脚本中的变量没有设置？）：请给出内置规则集 ID（如 2022）"
        "或规则文件的路径；要用默认的规则集，就不写 --rules",
    },
    "en": {
        "no_bundled": "no bundled rule sets found in {where}",
        "not_found": "{path}: rule set file not found",
        "not_found_bundled": "{path}: rule set file not found (validate-rules checks the rule "
        "files you write; the bundled rule set {id} was checked when shipped: renewal rules "
        "--rules {id} shows it)",
        "is_dir": "{path}: a directory, not a rule file; give the path of a .toml rule file",
        "not_regular": "{path}: not a regular file (a device, a pipe …), so not a rule file",
        "empty_path": "the rule file's path is empty",
        "unreadable": "{path}: cannot read ({detail})",
        "not_utf8": "{path}: line {line}: not UTF-8 text (saved as GBK or another encoding?); "
        "save the file as UTF-8 in your editor",
        "toml": "{path}: line {line}, column {column}: TOML syntax error ({detail})",
        "toml_end": "{path}: at the end of the file: TOML syntax error ({detail})",
        "not_table": "{path}: rules: expected a table of rule codes ([rules.XX01])",
        "unknown_code": "{path}: rules.{code}: unknown rule code (known: {known})",
        "unknown_key": "{path}: {key}: unknown key; did you mean '{close}'?",
        "unknown_key_of": "{path}: {key}: unknown key; expected one of: {known}",
        "unknown_key_bare": "{path}: {key}: unknown key",
        "invalid": "{path}: {key}: {problem}",
        "toml_h24": "{path}: line {line}: {key}: 24:00 is written as the next day's 00:00, "
        "{next} (got {written})",
        "schema": "{path}: schema: expected '{expected}', got '{got}'",
        "undeclared_source": "{path}: {key}: '{source}' is not declared under [sources]",
        "unknown_step": "{path}: {key}: this rule set has no step {step} (its steps: {steps})",
        "not_later_than": "{path}: {key}: {value} is not after {other} ({other_value}): "
        "inconsistent",
        "earlier_than": "{path}: {key}: {value} is before {other} ({other_value}): inconsistent",
        "later_than": "{path}: {key}: {value} is after {other} ({other_value}): inconsistent",
        "contract_year": "{path}: contract_year: the {year} contract year should end at "
        "{year}-12-31 24:00, but cycle.contract_year_ends is {value}: inconsistent",
        "terminates_at": "{path}: cycle.terminates_at: {value}, but contract_year is {year}: "
        "the old contracts end at {expected} ({last_year}-12-31 24:00): inconsistent{hint}",
        "not_year_before": "{path}: {key}: {value} is not in {last_year}, the year before "
        "contract_year {year}: inconsistent{hint}",
        "not_contract_year": "{path}: {key}: {value} does not belong to contract_year {year}: "
        "inconsistent{hint}",
        "mark_stronger": "{path}: {key}: marked {mark}, but the source it cites, "
        "sources.{source}, is marked {source_mark}: a block is marked no stronger than its "
        "source",
        "no_scope": "{path}: rules: no scope rule is enabled ({codes}); without it, merchants "
        "whose contract was signed after the cut-off would be asked to renew too",
        "no_step": "{path}: rules: no renewal step is enabled (none of {codes}); without a "
        "step, every merchant would count as renewed",
        "insurance_without_signing": "{path}: rules.DP01.insurance: a 保证金履约险 counts only "
        "if renewed before the renewal agreement is signed (「才能签订续签协议」), but this "
        "rule set has no enabled agreement step (DL02): the agreement column, unused this "
        "year, would still decide whether the policy counts; remove [rules.DP01.insurance] "
        "(and [rules.DP01.insurance_earlier_year], if there is one), or keep DL02",
        "year_named": "{path}: {key}: {value} names the {named} renewal, but contract_year is "
        "{year}: inconsistent; id, name, name_en and contract_year change together, to one year",
        "out_of_years": "{path}: {key}: {value} is not within the years {first} to {last}: a "
        "placeholder? Write the actual date",
        "unknown_ruleset": "No rule set {ref} (no renewal announcement was found for that "
        "year); nearest bundled: {nearest}",
        "unknown_name": "No rule set or file {ref}; bundled rule sets: {nearest} (a year such "
        "as 2022, or the path of a rule file, works too)",
        "unknown_local": "No bundled rule set {ref}; did you mean the rule file in this "
        "directory: --rules {local}?",
        "empty_ref": "--rules is empty (an unset variable in a script?): give a bundled rule "
        "set id (such as 2022) or the path of a rule file; for the default rule set, leave "
        "--rules out",
    },
}

_PROBLEMS: dict[str, dict[str, str]] = {
    "zh": {
        "missing": "缺少这个键",
        "datetime": "应为日期时间，如 2021-12-26T18:00:00+08:00（写的是 {input}）",
        "moment": "只写了日期，还需写时间，如 2021-12-26T18:00:00+08:00（只写日期会被当作当天 "
        "00:00；「24时」写成次日 00:00）（写的是 {input}）",
        "beijing": '规则中的时间都是北京时间，只能写 "Asia/Shanghai"（写的是 {input}）',
        "date": "应为日期，如 2021-12-26（写的是 {input}）",
        "number": "应为数字（写的是 {input}）",
        "number_quoted": "应为数字，不加引号（写的是 {input}）",
        "whole": "应为整数（写的是 {input}）",
        "whole_quoted": "应为整数，不加引号（写的是 {input}）",
        "bool": "应为 true 或 false（写的是 {input}）",
        "text": "应为加引号的文本（写的是 {input}）",
        "list": "应为数组 [ … ]（写的是 {input}）",
        "table": "应为表（写的是 {input}）",
        "choice": "应为 {expected} 之一（写的是 {input}）",
        "above": "应大于 {limit}（写的是 {input}）",
        "at_least": "应不小于 {limit}（写的是 {input}）",
        "below": "应小于 {limit}（写的是 {input}）",
        "at_most": "应不大于 {limit}（写的是 {input}）",
        "finite": "应为有限的数字（写的是 {input}）",
        "blank": "不能为空（写的是 {input}）",
        "empty_list": "至少要写一项（写的是 {input}）",
        "year_month": '应为年月，如 "2026-01"（写的是 {input}）',
        "moment_24h": "「24时」要写成次日的 00:00，即 {next}（写的是 {input}）",
        "duplicate_name": "{name} 已写在 {other}：同一个名字写在两行，用哪一行说不清",
        "any_and_trademark": "any（不分商标）与 R/TM 不能同时写，否则用哪个金额说不清；"
        "只写 any，或只写 R 和 TM",
        "no_amount": "没有金额：写 any（不分商标），或 R 和 TM",
        "one_trademark": "只写了 {written}，没写 {missing}：商标状态为 {missing} 的这类店铺会算不出"
        "保证金；R 和 TM 都写，或只写 any（不分商标）",
        "offset": "规则文件中的时间都是北京时间：不写时区，或写 +08:00（写的是 {input}）",
        "any_and_by_store_type": "any 与 by_store_type 不能同时写，否则用哪个金额说不清",
        "no_category_amount": "没有金额：写 any，或 by_store_type",
        "not_store_type": "{name} 不是保证金表（table）中的店铺类型或别名（表中有：{known}）",
        "other": "取值无效：{detail}（写的是 {input}）",
        "window_or_period": "计分期间写 window_days（截至评估日的天数），"
        "或同时写 period_from 和 period_to（固定期间），只写其中一种",
        "prefix_not_named": "prefixes 中的 {stray} 不在 names 中",
    },
    "en": {
        "missing": "missing",
        "datetime": "expected a date and time such as 2021-12-26T18:00:00+08:00 (got {input})",
        "moment": "a date alone: add the time, e.g. 2021-12-26T18:00:00+08:00 (a date alone "
        "would be read as 00:00; 24:00 is written as the next day's 00:00) (got {input})",
        "beijing": 'rule times are Beijing time: the only value is "Asia/Shanghai" (got {input})',
        "date": "expected a date such as 2021-12-26 (got {input})",
        "number": "expected a number (got {input})",
        "number_quoted": "expected a number without quotes (got {input})",
        "whole": "expected a whole number (got {input})",
        "whole_quoted": "expected a whole number without quotes (got {input})",
        "bool": "expected true or false (got {input})",
        "text": "expected quoted text (got {input})",
        "list": "expected an array [ … ] (got {input})",
        "table": "expected a table (got {input})",
        "choice": "expected one of {expected} (got {input})",
        "above": "expected more than {limit} (got {input})",
        "at_least": "expected at least {limit} (got {input})",
        "below": "expected less than {limit} (got {input})",
        "at_most": "expected at most {limit} (got {input})",
        "finite": "expected a finite number (got {input})",
        "blank": "must not be blank (got {input})",
        "empty_list": "expected at least one item (got {input})",
        "year_month": 'expected a month such as "2026-01" (got {input})',
        "moment_24h": "24:00 is written as the next day's 00:00, {next} (got {input})",
        "duplicate_name": "{name} is already in {other}: with a name in two rows, which row "
        "counts is not said",
        "any_and_trademark": "any (whatever the trademark) and R/TM cannot both be written: "
        "which amount counts is not said; write any, or R and TM",
        "no_amount": "no amount: write any (whatever the trademark), or R and TM",
        "one_trademark": "{written} without {missing}: a {missing} store of this type would "
        "have no deposit; give both R and TM, or any (whatever the trademark)",
        "offset": "every time in a rule file is Beijing time: write it without an offset or "
        "with +08:00 (got {input})",
        "any_and_by_store_type": "any and by_store_type cannot both be written: which amount "
        "counts is not said",
        "no_category_amount": "no amount: write any, or by_store_type",
        "not_store_type": "{name} is no store type or alias of the deposit table (table has: "
        "{known})",
        "other": "invalid value: {detail} (got {input})",
        "window_or_period": "the points period is either window_days (the days ending on the "
        "evaluation date) or both period_from and period_to (a fixed period), not both and not "
        "neither",
        "prefix_not_named": "{stray} in prefixes is not in names",
    },
}

_KIND_OF_TYPE: dict[str, str] = {
    "missing": "missing",
    "datetime_type": "datetime",
    "datetime_parsing": "datetime",
    "datetime_from_date_parsing": "datetime",
    "moment_without_time": "moment",
    "beijing_only": "beijing",
    "date_type": "date",
    "date_parsing": "date",
    "date_from_datetime_parsing": "date",
    "date_from_datetime_inexact": "date",
    "float_type": "number",
    "float_parsing": "number",
    "finite_number": "finite",
    "int_type": "whole",
    "int_parsing": "whole",
    "int_from_float": "whole",
    "whole_quoted": "whole_quoted",
    "number_quoted": "number_quoted",
    "bool_type": "bool",
    "bool_parsing": "bool",
    "string_type": "text",
    "list_type": "list",
    "dict_type": "table",
    "model_type": "table",
    "model_attributes_type": "table",
    "enum": "choice",
    "literal_error": "choice",
    "choice": "choice",
    "greater_than": "above",
    "greater_than_equal": "at_least",
    "less_than": "below",
    "less_than_equal": "at_most",
    "window_or_period": "window_or_period",
    "prefix_not_named": "prefix_not_named",
    "blank": "blank",
    "too_short": "empty_list",
    "year_month": "year_month",
    "moment_24h": "moment_24h",
    "duplicate_name": "duplicate_name",
    "any_and_trademark": "any_and_trademark",
    "no_amount": "no_amount",
    "one_trademark": "one_trademark",
    "moment_offset": "offset",
    "any_and_by_store_type": "any_and_by_store_type",
    "no_category_amount": "no_category_amount",
    "not_store_type": "not_store_type",
}
"""pydantic's error types (and renewal.ruleset's own: a moment without a time, a quoted
number, a timezone or an offset other than Beijing's; TB01's period given both ways or
neither; a deposit row with R or TM alone), by the kind of problem they are said as."""

_LIMIT_OF = {"above": "gt", "at_least": "ge", "below": "lt", "at_most": "le"}


class RuleSetError(Exception):
    """A rule set that cannot be found or does not validate: a message key and its values,
    as an IntakeError carries them. `str()` is the English line (for logs and tracebacks);
    `message(lang)` the user's."""

    def __init__(self, key: str, /, **values: object) -> None:
        self.key = key  # positional only: a message may have a value named "key"
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        shown = {name: _said(value, lang) for name, value in self.values.items()}
        if self.key == "unreadable":  # the system's reason, in words where it is a common one
            shown["detail"] = i18n.os_reason(self.values["detail"], lang)
        return i18n.filled(_MESSAGES[lang][self.key], shown, lang)


def _said(value: object, lang: str) -> object:
    """A value of a message as `lang` says it: a value's problem, tomllib's reason, a hint,
    a key inside rows."""
    if _is_problem(value):
        return problem(value, lang)
    if isinstance(value, TomlReason | Hint | Key):
        return value.said(lang)
    return value


class Hint(str):
    """A clause ending a message, said in the run's language; "" says nothing."""

    def said(self, lang: str) -> str:
        return _HINTS[lang][self] if self else ""


_HINTS = {
    "zh": {"stale": "；是不是沿用了去年的日期？"},
    "en": {"stale": "; left over from last year?"},
}


@dataclass(frozen=True)
class Row:
    """A row of an array of tables as its user counts it: `number` from 1, `line` that of
    its `[[table]]` header (None for a row written inline, `tiers = [{…}]`)."""

    table: str
    number: int
    line: int | None

    def said(self, lang: str) -> str:
        if self.line is None:
            return _item(self.table, self.number, lang)
        if lang == "zh":
            return f"第 {self.number} 个 [[{self.table}]]"
        return f"the {_ordinal(self.number)} [[{self.table}]]"


@dataclass(frozen=True)
class Key:
    """A dotted key running through rows of arrays of tables (`rules.AF01.tiers.2.fee`), said
    as its user finds it: the key without row numbers, then the row counted from 1 and the
    line of its header (`rules.AF01.tiers.fee（第 3 个 [[rules.AF01.tiers]]，第 81 行）`).
    `[[…]]` rows carry no written index, so a user counting them from 1 would edit the row
    after the one at fault; the line settles it. An index into an inline array (`names.1`)
    is its item, counted from 1 too. A key of its own table needs none of this: its name
    finds it, and it stays a plain dotted key."""

    name: str
    rows: tuple[Row, ...]
    item: int | None = None
    whole_row: bool = False
    """The key is the row itself (a row with no amount): said as the row."""

    def said(self, lang: str) -> str:
        rows = self.rows[:-1] if self.whole_row else self.rows
        if self.whole_row:
            shown = self.rows[-1].said(lang)
        elif self.item is not None:
            shown = _item(self.name, self.item, lang)
        else:
            shown = self.name
        extras = [row.said(lang) for row in rows]
        line = next((row.line for row in reversed(self.rows) if row.line is not None), None)
        if line is not None:
            extras.append(f"第 {line} 行" if lang == "zh" else f"line {line}")
        if not extras:
            return shown
        if lang == "zh":
            return f"{shown}（{'，'.join(extras)}）"
        return f"{shown} ({', '.join(extras)})"


def _item(array: str, number: int, lang: str) -> str:
    return f"{array} 的第 {number} 项" if lang == "zh" else f"item {number} of {array}"


def _ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st."""
    teens = 10 <= number % 100 <= 20
    return f"{number}{'th' if teens else {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"


_ARRAY_HEADER = re.compile(r"\s*\[\[\s*([^\]]+?)\s*\]\]")


def key_in(loc: Sequence[str | int], text: str) -> Key | str:
    """`loc` (a key as pydantic gives it, an index for each row) as its user finds it in the
    rule file `text`: a plain dotted key when it runs through no row, else a Key whose rows
    are the Nth `[[…]]` header of their table (after the header of the row they are in),
    or, with no such header, rows written inline or items of an inline array."""
    if not any(isinstance(part, int) for part in loc):
        return ".".join(str(part) for part in loc)
    headers = [
        (at, _dotted(found[1]))
        for at, line in enumerate(text.splitlines())
        if (found := _ARRAY_HEADER.match(line)) is not None
    ]
    names: list[str] = []
    rows: list[Row] = []
    after = -1  # the header line of the row the next one is in
    for position, part in enumerate(loc):
        if isinstance(part, str):
            names.append(part)
            continue
        table = ".".join(names)
        its_rows = [at for at, name in headers if name == table and at > after]
        if part < len(its_rows):
            after = its_rows[part]
            rows.append(Row(table, part + 1, after + 1))
        elif position == len(loc) - 1:  # an item of an inline array (or an inline row)
            return Key(table, tuple(rows), item=part + 1)
        else:
            rows.append(Row(table, part + 1, None))
    whole_row = isinstance(loc[-1], int)
    return Key(".".join(names), tuple(rows), whole_row=whole_row)


def _dotted(header: str) -> str:
    """A table header's name as a dotted key: `rules . "AF01" . tiers` is rules.AF01.tiers."""
    return ".".join(part.strip("\"'") for part in re.split(r"\s*\.\s*", header))


class UnknownRuleSet(RuleSetError):
    """An id that names no bundled rule set; `nearest` are the bundled ones around it.
    `local` is a rule file of the working directory the user most likely meant
    (`./tmall-2026.toml` for `--rules 2026`): naming it beats naming the nearest years. An
    empty id (an unset variable in a script) names nothing and is said as that."""

    def __init__(self, ref: str, nearest: list[str], local: str | None = None) -> None:
        # a year with no announcement, or a name that is no year at all (a typo)
        names_a_year = re.search(r"(?<!\d)\d{4}$", ref.strip()) is not None
        key = "unknown_ruleset" if names_a_year else "unknown_name"
        if local is not None:
            key = "unknown_local"
        if not ref.strip():
            key = "empty_ref"
        super().__init__(key, ref=ref, nearest=nearest, local=local)
        self.ref = ref
        self.nearest = nearest
        self.local = local


_H24 = re.compile(r"(?<!\d)24\s*(?::\s*00(?:\s*:\s*00)?(?!\d)|[时時点點])")
_DAY_WRITTEN = re.compile(r"(\d{4})\s*[-/年]\s*(\d{1,2})\s*[-/月]\s*(\d{1,2})")


def next_midnight(written: str) -> str | None:
    """For a moment written at 24:00 or 24时 ("2025-12-28 24:00", "2025年12月28日24时",
    TOML's 2025-12-28T24:00:00+08:00), the same moment as a rule file writes it: the next
    day's T00:00:00, with the offset written (+08:00 when none). None when `written` is not
    such a moment."""
    found = _DAY_WRITTEN.search(written)
    if _H24.search(written) is None or found is None:
        return None
    try:
        day = date(int(found[1]), int(found[2]), int(found[3])) + timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    offset = re.search(r"(?:Z|[+-]\d{2}:\d{2})\s*$", written)
    return f"{day.isoformat()}T00:00:00{offset[0].strip() if offset else '+08:00'}"


_TOML_24H = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]24:00(?::00)?(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?")
"""A TOML datetime at 24:00, which TOML has no such hour for: tomllib stops after its date."""


class Written(str):
    """Text of the file as written (not a TOML string): said without quotes."""


def toml_error(path: object, exc: tomllib.TOMLDecodeError, text: str = "") -> RuleSetError:
    """tomllib says where ("… (at line 3, column 5)"): the line and column lead the message,
    and its English reason is said in the run's language. A moment at 24:00
    (2025-12-28T24:00:00+08:00, which TOML has no such hour for) is said with the key and the
    moment to write instead; `text` is the document, to find them."""
    said = str(exc)
    where = re.search(r"\s*\(at line (\d+), column (\d+)\)$", said)
    if where is None:
        reason = re.sub(r"\s*\(at end of document\)$", "", said)
        return RuleSetError("toml_end", path=path, detail=TomlReason(reason))
    line, column = int(where[1]), int(where[2])
    lines = text.splitlines()
    written = lines[line - 1] if 0 < line <= len(lines) else ""
    moment = _TOML_24H.search(written)
    if moment is not None:
        midnight = next_midnight(moment[0])
        if midnight is not None:
            return RuleSetError(
                "toml_h24",
                path=path,
                line=line,
                key=_key_at(lines, line - 1),
                next=Written(midnight),
                written=Written(moment[0]),
            )
    reason = TomlReason(said[: where.start()])
    return RuleSetError("toml", path=path, line=line, column=column, detail=reason)


def _key_at(lines: list[str], index: int) -> str:
    """The dotted key a `key = value` line sets: its table header's name before it."""
    key = lines[index].split("=", 1)[0].strip().strip("\"'")
    for above in reversed(lines[:index]):
        header = re.match(r"\s*\[\[?\s*([^\]]+?)\s*\]\]?", above)
        if header is not None:
            return f"{header[1]}.{key}"
    return key


class TomlReason(str):
    """tomllib's reason for a syntax error, in English; `said(lang)` says it in `lang`."""

    def said(self, lang: str) -> str:
        for pattern, kind in _TOML_REASONS:
            found = pattern.fullmatch(self)
            if found is None:
                continue
            values = {name: _unrepr(value) for name, value in found.groupdict().items()}
            char = values.get("char")
            if kind == "character" and char in ("\n", "\r"):  # a string left open
                kind = "string_end"
            elif char is not None and len(char) == 1 and not char.isprintable():
                values["char"] = f"U+{ord(char):04X}"
            elif "key" in values:  # ('rules', 'DL01') as TOML writes it: rules.DL01
                values["key"] = ".".join(_unrepr(part) for part in _PARTS.findall(self))
            return _TOML_WORDS[lang][kind].format(**values)
        return _TOML_WORDS[lang]["other"].format(reason=self)


_PARTS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
"""A Python string literal, as tomllib's reasons quote a key part or a character."""


def _unrepr(value: str) -> str:
    """The text a Python string literal stands for ('\\n' is a line end); else `value`."""
    if _PARTS.fullmatch(value) is None:
        return value
    try:
        found = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value
    return found if isinstance(found, str) else value


_TOML_REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), kind)
    for pattern, kind in [
        (r"Invalid statement", "statement"),
        (r"Expected newline or end of document after a statement", "newline"),
        (r"Cannot declare (?P<key>.+) twice", "declared_twice"),
        (r"Cannot overwrite a value", "overwrite"),
        (r"Cannot mutate immutable namespace (?P<key>.+)", "immutable"),
        (r"Cannot redefine namespace (?P<key>.+)", "redefine"),
        (r"Expected ']' at the end of a table declaration", "table_end"),
        (r"Expected ']]' at the end of an array declaration", "array_table_end"),
        (r"Expected '=' after a key in a key/value pair", "equals"),
        (r"Invalid initial character for a key part", "key_start"),
        (r"Unclosed array", "array_end"),
        (r"Unclosed inline table", "inline_end"),
        (r"Duplicate inline table key (?P<key>.+)", "inline_twice"),
        (r"Unescaped '\\' in a string", "backslash"),
        (r"Invalid hex value|Escaped character is not a Unicode scalar value", "escape"),
        (r"Unterminated string", "string_end"),
        (r"Illegal character (?P<char>.+)", "character"),
        (r"Found invalid character (?P<char>.+)", "character"),
        (r"Invalid date or datetime", "datetime"),
        (r"Invalid value", "value"),
        (r"Expected (?P<char>.+)", "expected"),
    ]
]
"""tomllib's reasons (Python 3.11 to 3.13), by the kind of slip they are said as."""

_TOML_WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "statement": "这一行不是合法的语句：应为 键 = 值、[表] 或 [[表数组]]",
        "newline": "一条语句之后、换行之前还有多余的内容",
        "declared_twice": "[{key}] 写了两次",
        "overwrite": "这个键已经有值，不能再写一次",
        "immutable": "{key} 已写成内联表或数组，不能再往里添加",
        "redefine": "{key} 已定义过，不能重新定义",
        "table_end": "表头缺少结尾的 ]",
        "array_table_end": "表数组的表头缺少结尾的 ]]",
        "equals": "键之后应为 =",
        "key_start": "键的开头字符不合法（含空格或中文等的键要加引号）",
        "array_end": "数组缺少结尾的 ]",
        "inline_end": "内联表缺少结尾的 }}",
        "inline_twice": "内联表中的键 {key} 写了两次",
        "backslash": "字符串中的 \\ 没有转义（写成 \\\\，或改用单引号字符串）",
        "escape": "字符串中的转义序列不合法",
        "string_end": "字符串缺少结尾的引号",
        "character": "出现了不允许的字符 {char}",
        "datetime": "日期或时间不合法",
        "value": "值不合法（文本要加引号，日期时间写成 2021-12-26T18:00:00+08:00）",
        "expected": "此处应为 {char}",
        "other": "无法解析",
    },
    "en": {
        "statement": "this line is not a statement: expected key = value, [table] or "
        "[[array of tables]]",
        "newline": "more text after a statement on the same line",
        "declared_twice": "[{key}] is declared twice",
        "overwrite": "this key already has a value",
        "immutable": "{key} is an inline table or array and cannot be added to",
        "redefine": "{key} is already defined",
        "table_end": "a table header is missing its closing ]",
        "array_table_end": "an array-of-tables header is missing its closing ]]",
        "equals": "expected = after the key",
        "key_start": "a key cannot start with this character (quote a key with spaces or Chinese)",
        "array_end": "an array is missing its closing ]",
        "inline_end": "an inline table is missing its closing }}",
        "inline_twice": "key {key} appears twice in an inline table",
        "backslash": "an unescaped \\ in a string (write \\\\, or use a single-quoted string)",
        "escape": "an invalid escape sequence in a string",
        "string_end": "a string is missing its closing quote",
        "character": "a character that is not allowed here: {char}",
        "datetime": "an invalid date or time",
        "value": "an invalid value (quote text; write a date and time as "
        "2021-12-26T18:00:00+08:00)",
        "expected": "expected {char} here",
        "other": "{reason}",
    },
}


def problem(error: Mapping[str, Any], lang: str) -> str:
    """What pydantic found wrong with one value, in `lang`, with the value written."""
    kind = _KIND_OF_TYPE.get(str(error["type"]), "other")
    context: Mapping[str, Any] = error.get("ctx") or {}
    values: dict[str, object] = {"input": _written(error.get("input")), "detail": error["msg"]}
    if kind == "choice":  # pydantic says "'a', 'b' or 'c'"
        choices = re.split(r", | or ", str(context.get("expected", "")))
        values["expected"] = i18n.listed(choices, lang)
    elif kind in _LIMIT_OF:
        limit = context.get(_LIMIT_OF[kind], "")
        integral = isinstance(limit, float) and limit.is_integer()
        values["limit"] = int(limit) if integral else limit
    elif kind == "prefix_not_named":
        values["stray"] = i18n.listed([str(name) for name in context.get("stray", [])], lang)
    elif kind == "moment_24h":
        values["next"] = context.get("next", "")
    elif kind in ("duplicate_name", "not_store_type"):
        values["name"] = _written(context.get("name", ""))
        values["other"] = _said(context.get("other", ""), lang)
        values["known"] = i18n.listed([str(name) for name in context.get("known", [])], lang)
    elif kind == "one_trademark":
        values["written"] = context.get("written", "")
        values["missing"] = context.get("missing", "")
    return _PROBLEMS[lang][kind].format(**values)


def _is_problem(value: object) -> TypeGuard[Mapping[str, Any]]:
    return isinstance(value, dict) and "type" in value and "msg" in value


def _written(value: object) -> str:
    """A value as the rule file wrote it, in TOML's terms (text in quotes, true, a date and
    time as TOML writes one, an array in brackets), cut short when long."""
    if isinstance(value, str) and not isinstance(value, Written):
        shown = value if len(value) <= 60 else value[:57] + "…"
        return repr(shown)
    shown = _toml(value)
    return shown if len(shown) <= 60 else shown[:57] + "…"


def _toml(value: object) -> str:
    if isinstance(value, Written):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, Mapping):
        pairs = (f"{_toml_key(str(k))} = {_toml(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    if value is None:
        return "—"
    return str(value)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def first_problem(errors: list[ErrorDetails]) -> ErrorDetails:
    """A misspelt key shows up twice (the unknown key, and the real one as missing); the
    unknown key is the one to report."""
    return sorted(errors, key=lambda e: e["type"] != "extra_forbidden")[0]
