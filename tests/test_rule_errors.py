"""A rule file's problems are said in either language, from pydantic's kind of problem."""

from __future__ import annotations

import string
from datetime import datetime
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, Field, ValidationError

from renewal import rule_errors
from renewal.rule_errors import RuleSetError, problem
from renewal.ruleset import bundled_dir, load


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("table", [rule_errors._MESSAGES, rule_errors._PROBLEMS])
def test_both_languages_say_the_same_things_with_the_same_values(
    table: dict[str, dict[str, str]],
) -> None:
    assert table["zh"].keys() == table["en"].keys()
    for key, text in table["zh"].items():
        assert placeholders(text) == placeholders(table["en"][key]), key


def test_every_kind_of_problem_has_words() -> None:
    kinds = set(rule_errors._KIND_OF_TYPE.values()) | {"other"}
    assert kinds == rule_errors._PROBLEMS["en"].keys()


class Sample(BaseModel):
    days: int = Field(gt=0)
    share: float = Field(le=1.5)
    kind: Literal["serious", "general"]
    when: datetime


def first_error(**values: object) -> dict[str, object]:
    base: dict[str, object] = {
        "days": 3,
        "share": 0.5,
        "kind": "serious",
        "when": "2021-12-26T18:00:00+08:00",
    }
    with pytest.raises(ValidationError) as raised:
        Sample.model_validate(base | values)
    return dict(raised.value.errors()[0])


@pytest.mark.parametrize(
    ("values", "zh", "en"),
    [
        ({"days": 0}, "应大于 0（写的是 0）", "expected more than 0 (got 0)"),
        ({"share": 2}, "应不大于 1.5（写的是 2）", "expected at most 1.5 (got 2)"),
        ({"days": 1.5}, "应为整数（写的是 1.5）", "expected a whole number (got 1.5)"),
        (
            {"kind": "minor"},
            "应为 'serious'、'general' 之一（写的是 'minor'）",
            "expected one of 'serious', 'general' (got 'minor')",
        ),
        ({"when": "soon"}, "应为日期时间", "expected a date and time"),
    ],
)
def test_a_value_problem_is_said_with_the_value_written(
    values: dict[str, object], zh: str, en: str
) -> None:
    error = first_error(**values)
    assert zh in problem(error, "zh")
    assert en in problem(error, "en")


def test_a_long_value_is_cut_short() -> None:
    said = problem(first_error(when="x" * 500), "en")
    assert len(said) < 200 and said.endswith("…')")


def test_str_is_english_and_say_follows_the_language() -> None:
    error = RuleSetError("not_found", path="mine.toml")
    assert str(error) == "mine.toml: rule set file not found"
    assert error.message("zh") == "mine.toml：找不到规则文件"


def test_a_blocker_column_outside_the_known_ones_is_a_choice(tmp_path: Path) -> None:
    text = (bundled_dir() / "tmall-2023.toml").read_text(encoding="utf-8")
    assert 'column = "assessment_failed"' in text
    broken = tmp_path / "mine.toml"
    broken.write_text(text.replace('"assessment_failed"', '"assessment_fail"', 1), "utf-8")
    with pytest.raises(RuleSetError) as raised:
        load(str(broken))
    said = raised.value.message("zh")
    assert said.startswith(f"{broken}：rules.BL01.column：应为 'assessment_failed'、")
    assert said.endswith("之一（写的是 'assessment_fail'）")


def test_a_transfer_prefix_must_be_one_of_the_excluded_names(tmp_path: Path) -> None:
    text = (bundled_dir() / "tmall-2022.toml").read_text(encoding="utf-8")
    assert 'prefixes = ["天猫国际", "世博会专有"]' in text
    broken = tmp_path / "mine.toml"
    broken.write_text(text.replace('"世博会专有"]', '"天猫超市"]', 1), "utf-8")
    with pytest.raises(RuleSetError) as raised:
        load(str(broken))
    assert raised.value.message("zh").endswith(
        "rules.TB01.excluded_categories：prefixes 中的 天猫超市 不在 names 中"
    )
    assert raised.value.message("en").endswith("天猫超市 in prefixes is not in names")
