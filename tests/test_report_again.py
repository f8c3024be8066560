"""A report checked again: ops staff fix values in the annotated xlsx or CSV renewal wrote
and run it once more. The earlier verdict's columns are not data, and this run's replace
them."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import XLSX, renewal

RUN = ("--rules", "tmall-2022", "--as-of", "2021-12-20", "--fail-on", "never", "-q")


def merchants(report: Path) -> list[tuple[str, int, str]]:
    return [
        (m["merchant_id"], m["row"], m["outcome"])
        for m in json.loads(report.read_text())["merchants"]
    ]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_report_checked_again_gives_the_same_verdicts(
    tmp_path: Path, kind: str, lang: str
) -> None:
    first = tmp_path / f"first.{kind}"
    first_json = tmp_path / "first.json"
    done = renewal("check", XLSX, *RUN, "--lang", lang, "-o", first, "-o", first_json)
    assert done.returncode == 0, done.stderr
    again = tmp_path / "again.json"
    again_xlsx = tmp_path / "again.xlsx"
    run = renewal("check", first, *RUN[:-1], "-o", again, "-o", again_xlsx)
    assert run.returncode == 0, run.stderr
    before = [(m, outcome) for m, _, outcome in merchants(first_json)]
    assert [(m, outcome) for m, _, outcome in merchants(again)] == before
    notes = json.loads(again.read_text())["summary"]["notes"]
    said = [note for note in notes if note["code"] == "note.report_again"]
    assert len(said) == 1 and said[0]["column"] == 19  # the fixture's 18 columns, then ours
    assert "renewal 的检查报告" in run.stderr
    header = [cell.value for cell in next(openpyxl.load_workbook(again_xlsx).worksheets[0].rows)]
    assert header.count("检查结果") == 1 and header.count("原行号") == 1
    assert header.index("检查结果") == 18


def test_a_value_fixed_in_the_report_changes_the_verdict(tmp_path: Path) -> None:
    first = tmp_path / "first.xlsx"
    assert renewal("check", XLSX, *RUN, "-o", first).returncode == 0
    book = openpyxl.load_workbook(first)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    outcome, paid_at = header.index("检查结果"), header.index("年费缴纳时间")
    fee, paid = header.index("年费应缴"), header.index("年费已缴")
    row = next(
        r
        for r in sheet.iter_rows(min_row=2)
        if r[outcome].value == "待完成"
        and r[fee].value
        and r[paid].value is not None
        and r[paid].value < r[fee].value
        and not r[header.index("问题")].value.count("\n")
    )
    merchant = row[0].value
    row[paid].value = row[fee].value
    row[paid_at].value = "2021-12-01 10:00"
    book.save(tmp_path / "fixed.xlsx")
    report = tmp_path / "again.json"
    assert renewal("check", tmp_path / "fixed.xlsx", *RUN, "-o", report).returncode == 0
    found = {m: outcome for m, _, outcome in merchants(report)}
    assert found[merchant] == "renewed"


def test_an_export_with_only_some_of_the_names_is_read_as_it_is(tmp_path: Path) -> None:
    """A column of the export's own called 检查结果 is its data: only the whole block, in
    order, is an earlier verdict."""
    path = tmp_path / "e.csv"
    path.write_text("商家ID,合同签署时间,检查结果\nm1,2022-01-01 10:00,已核对\n", encoding="utf-8")
    out = tmp_path / "r.xlsx"
    run = renewal("check", path, *RUN, "-o", out)
    assert run.returncode == 0, run.stderr
    header = [cell.value for cell in next(openpyxl.load_workbook(out).worksheets[0].rows)]
    assert header[:3] == ["商家ID", "合同签署时间", "检查结果"] and header[3] == "检查结果"
    assert "renewal 的检查报告" not in run.stderr
