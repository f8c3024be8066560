"""Why a cell is unreadable, in the reader's language: every reason the value parsers give
has a Chinese form, and a Chinese report carries no English reason in its messages."""

from __future__ import annotations

import ast
import csv
import json
import re
from collections.abc import Callable
from datetime import time
from pathlib import Path

import pytest
from conftest import EXPORT_HEADER, ROOT, renewal, renewed_row

from renewal.intake.dates import parse_datetime
from renewal.intake.values import (
    Unreadable,
    parse_amount,
    parse_id,
    parse_points,
    parse_score,
    parse_text,
)
from renewal.reasons import reason

_ALLOWED_LATIN = {"Excel", "YYYY", "MM", "DD", "YYYYMMDD", "UTC", "TM", "ID", "Y", "N", "R"}
"""Latin words a Chinese reason may keep: formats, names and the values a cell may hold."""


def english_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]+", text)) - _ALLOWED_LATIN


def _fixed_reasons() -> set[str]:
    """Every reason written as a plain string in the package: passed to Unreadable, set
    as a supporting sheet's (raw, reason) pair, or named as a constant ending in _REASON."""
    found: set[str] = set()
    for path in (ROOT / "renewal").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Unreadable":
                found |= {a.value for a in node.args if isinstance(a, ast.Constant)}
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Subscript)
                and getattr(node.targets[0].value, "id", None) == "bad"
                and isinstance(node.value, ast.Tuple)
                and isinstance(node.value.elts[1], ast.Constant)
            ):
                found.add(node.value.elts[1].value)
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id.endswith("_REASON")
                and isinstance(node.value, ast.Constant)
            ):
                found.add(node.value.value)
    return found


FIXED = sorted(_fixed_reasons())


def test_the_package_has_fixed_reasons_to_translate() -> None:
    # the scan itself works: these are raised by parse_amount and the 违规记录 reader
    assert "not an amount (expected e.g. 50000, 50,000元, ¥60,000.00 or 5万)" in FIXED
    assert "expected 严重违规 or 一般违规" in FIXED
    assert "an Excel error value: the formula that made it failed" in FIXED  # a constant
    assert len(FIXED) >= 30


@pytest.mark.parametrize("text", FIXED)
def test_every_fixed_reason_reads_in_chinese(text: str) -> None:
    shown = reason(text, "zh")
    assert shown != text
    assert not english_words(shown), shown
    assert reason(text, "en") == text


_VARYING: list[tuple[Callable[[object], object], object]] = [
    (parse_id, True),  # a yes/no value, expected a merchant id
    (parse_amount, time(10, 0)),  # a date or time, expected an amount
    (parse_text, object()),  # unexpected object cell, expected text
    (parse_points, "很多"),  # not a number, expected violation points
    (parse_score, "高"),  # not a number, expected a score
    (parse_id, 1.5e16),  # number over 15 digits
    (parse_datetime, True),  # a yes/no value, expected a date
]


@pytest.mark.parametrize(("parse", "cell"), _VARYING)
def test_a_reason_with_a_varying_part_reads_in_chinese(
    parse: Callable[[object], object], cell: object
) -> None:
    with pytest.raises(Unreadable) as refused:
        parse(cell)
    english = str(refused.value)
    assert english not in FIXED  # a reason built from parts, not one of the fixed ones
    shown = reason(english, "zh")
    assert not english_words(shown), (english, shown)
    assert reason(english, "en") == english


def test_a_reason_nobody_translated_is_shown_rather_than_lost() -> None:
    assert reason("a brand-new reason", "zh") == "a brand-new reason"


def _export(path: Path) -> Path:
    bad = renewed_row("7001")
    bad[EXPORT_HEADER.index("保证金余额")] = "abc"
    bad[EXPORT_HEADER.index("严重违规扣分")] = "-1"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(EXPORT_HEADER)
        writer.writerow(bad)
    return path


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "zh",
            {
                "「保证金余额」的值「abc」无法读取：不是金额（示例：50000、50,000元、¥60,000.00、5万）",
                "「严重违规扣分」的值「-1」无法读取：违规扣分不能是负数",
            },
        ),
        (
            "en",
            {
                "Cannot read 保证金余额 value 'abc': not an amount (expected e.g. 50000, 50,000元, ¥60,000.00 or 5万)",
                "Cannot read 严重违规扣分 value '-1': violation points cannot be negative",
            },
        ),
    ],
)
def test_a_report_gives_the_reason_in_its_language(
    tmp_path: Path, lang: str, expected: set[str]
) -> None:
    out = tmp_path / "report.json"
    args = ["--rules", "tmall-2022", "--as-of", "2021-12-27 00:00", "--lang", lang]
    result = renewal("check", _export(tmp_path / "export.csv"), *args, "-o", out, "-q")
    assert result.returncode == 1, result.stderr
    (merchant,) = json.loads(out.read_text(encoding="utf-8"))["merchants"]
    unreadable = {f["message"] for f in merchant["findings"] if f["rule"] == "LD04"}
    assert unreadable == expected
