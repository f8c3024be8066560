"""What is wrong with a rule file, said in the user's language.

A rule file's problem is one line naming the file and the dotted key. It is kept as a
message key and its values, not as text, so `check`, `rules`, `explain` and
`validate-rules` can say it in Chinese by default and in English with `--lang en`. What
pydantic finds wrong with a value is said from the kind of problem (a date that is not a
date, a word outside its choices), with the value that was written.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any, TypeGuard

from pydantic_core import ErrorDetails

from renewal import i18n

_MESSAGES: dict[str, dict[str, str]] = {
    "zh": {
        "no_bundled": "{where}：没有内置规则集",
        "not_found": "{path}：找不到规则文件",
        "unreadable": "{path}：无法读取（{detail}）",
        "not_utf8": "{path}：不是 UTF-8 文本",
        "toml": "{path}：第 {line} 行第 {column} 列：TOML 语法错误（{detail}）",
        "toml_end": "{path}：文件末尾：TOML 语法错误（{detail}）",
        "not_table": "{path}：rules：应为按规则代码分组的表（[rules.XX01]）",
        "unknown_code": "{path}：rules.{code}：没有这个规则代码（已知：{known}）",
        "unknown_key": "{path}：{key}：未知的键；是不是「{close}」？",
        "unknown_key_of": "{path}：{key}：未知的键；可用的键：{known}",
        "invalid": "{path}：{key}：{problem}",
        "schema": "{path}：schema：应为「{expected}」，实际为「{got}」",
        "undeclared_source": "{path}：{key}.source：「{source}」未在 [sources] 中声明",
        "unknown_step": "{path}：{key}：本规则集没有步骤 {step}（已有的步骤：{steps}）",
        "not_later_than": "{path}：{key}：{value} 不晚于 {other}（{other_value}），前后矛盾",
        "earlier_than": "{path}：{key}：{value} 早于 {other}（{other_value}），前后矛盾",
        "later_than": "{path}：{key}：{value} 晚于 {other}（{other_value}），前后矛盾",
        "contract_year": "{path}：contract_year：{year} 年度应于 {year}-12-31 24时结束，"
        "但 cycle.contract_year_ends 是 {value}，前后矛盾",
        "unknown_ruleset": "没有规则集 {ref}（未找到该年度的续签公告）；最接近的：{nearest}",
    },
    "en": {
        "no_bundled": "no bundled rule sets found in {where}",
        "not_found": "{path}: rule set file not found",
        "unreadable": "{path}: cannot read ({detail})",
        "not_utf8": "{path}: not UTF-8 text",
        "toml": "{path}: line {line}, column {column}: TOML syntax error ({detail})",
        "toml_end": "{path}: at the end of the file: TOML syntax error ({detail})",
        "not_table": "{path}: rules: expected a table of rule codes ([rules.XX01])",
        "unknown_code": "{path}: rules.{code}: unknown rule code (known: {known})",
        "unknown_key": "{path}: {key}: unknown key; did you mean '{close}'?",
        "unknown_key_of": "{path}: {key}: unknown key; expected one of: {known}",
        "invalid": "{path}: {key}: {problem}",
        "schema": "{path}: schema: expected '{expected}', got '{got}'",
        "undeclared_source": "{path}: {key}.source: '{source}' is not declared under [sources]",
        "unknown_step": "{path}: {key}: this rule set has no step {step} (its steps: {steps})",
        "not_later_than": "{path}: {key}: {value} is not after {other} ({other_value}): "
        "inconsistent",
        "earlier_than": "{path}: {key}: {value} is before {other} ({other_value}): inconsistent",
        "later_than": "{path}: {key}: {value} is after {other} ({other_value}): inconsistent",
        "contract_year": "{path}: contract_year: the {year} contract year should end at "
        "{year}-12-31 24:00, but cycle.contract_year_ends is {value}: inconsistent",
        "unknown_ruleset": "No rule set {ref} (no renewal announcement was found for that "
        "year); nearest bundled: {nearest}",
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
    "finite_number": "number",
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
}
"""pydantic's error types (and renewal.ruleset's own: a moment without a time, a quoted
number, a timezone other than Beijing's; TB01's period given both ways or neither), by the
kind of problem they are said as."""

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
        shown = {
            name: problem(value, lang) if _is_problem(value) else value
            for name, value in self.values.items()
        }
        return i18n.filled(_MESSAGES[lang][self.key], shown, lang)


class UnknownRuleSet(RuleSetError):
    """An id that names no bundled rule set; `nearest` are the bundled ones around it."""

    def __init__(self, ref: str, nearest: list[str]) -> None:
        super().__init__("unknown_ruleset", ref=ref, nearest=nearest)
        self.ref = ref
        self.nearest = nearest


def toml_error(path: object, exc: tomllib.TOMLDecodeError) -> RuleSetError:
    """tomllib says where ("… (at line 3, column 5)"): the line and column lead the message."""
    text = str(exc)
    where = re.search(r"\s*\(at line (\d+), column (\d+)\)$", text)
    if where is not None:
        detail = text[: where.start()]
        return RuleSetError("toml", path=path, line=where[1], column=where[2], detail=detail)
    detail = re.sub(r"\s*\(at end of document\)$", "", text)
    return RuleSetError("toml_end", path=path, detail=detail)


def problem(error: Mapping[str, Any], lang: str) -> str:
    """What pydantic found wrong with one value, in `lang`, with the value written."""
    kind = _KIND_OF_TYPE.get(str(error["type"]), "other")
    context: Mapping[str, Any] = error.get("ctx") or {}
    values: dict[str, object] = {"input": _written(error.get("input")), "detail": error["msg"]}
    if kind == "choice":  # pydantic says "'a', 'b' or 'c'"
        choices = re.split(r", | or ", str(context.get("expected", "")))
        values["expected"] = i18n.listed(choices, lang)
    elif kind in _LIMIT_OF:
        values["limit"] = context.get(_LIMIT_OF[kind], "")
    elif kind == "prefix_not_named":
        values["stray"] = i18n.listed([str(name) for name in context.get("stray", [])], lang)
    return _PROBLEMS[lang][kind].format(**values)


def _is_problem(value: object) -> TypeGuard[Mapping[str, Any]]:
    return isinstance(value, dict) and "type" in value and "msg" in value


def _written(value: object) -> str:
    """A value as the rule file wrote it (text in quotes), cut short when long."""
    shown = value if isinstance(value, str) else str(value)
    if len(shown) > 60:
        shown = shown[:57] + "…"
    return repr(shown) if isinstance(value, str) else shown


def first_problem(errors: list[ErrorDetails]) -> ErrorDetails:
    """A misspelt key shows up twice (the unknown key, and the real one as missing); the
    unknown key is the one to report."""
    return sorted(errors, key=lambda e: e["type"] != "extra_forbidden")[0]
