"""Every report format from one run over a generated 100k-merchant export, each opened by a
consumer of that format: json and jsonl by orjson, xlsx by openpyxl, csv by the csv module,
JUnit by an XML parser, HTML in Chromium."""

from __future__ import annotations

import csv
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest

from tests.conftest import ROOT, renewal
from tests.test_html import embedded, visit  # noqa: F401 - visit is a fixture (its browser is conftest's)

ROWS = 100_000
FORMATS = ("json", "jsonl", "xlsx", "csv", "html", "xml")


@pytest.fixture(scope="module")
def big_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("large")
    made = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--rows", str(ROWS)]
        + ["--out", str(folder), "--formats", "csv"],
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr
    export = folder / "export-100k.csv"
    outputs = [arg for fmt in FORMATS for arg in ("-o", str(folder / f"r.{fmt}"))]
    done = renewal(
        "check", export, "--rules", "tmall-2022", "--as-of", "2021-12-27 00:00",
        "--fail-on", "never", "-q", *outputs, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = orjson.loads((folder / "r.json").read_bytes())
    return folder, export, report


def test_json_and_jsonl_hold_every_row_once(big_run: tuple[Path, Path, dict[str, Any]]) -> None:
    folder, export, report = big_run
    merchants = report["merchants"]
    assert len(merchants) == report["summary"]["merchants"] == ROWS
    assert [m["row"] for m in merchants] == list(range(2, ROWS + 2))
    lines = (folder / "r.jsonl").read_bytes().splitlines()
    assert [orjson.loads(line) for line in lines] == merchants


def test_xlsx_hands_back_every_row(big_run: tuple[Path, Path, dict[str, Any]]) -> None:
    folder, export, report = big_run
    with export.open(encoding="utf-8-sig", newline="") as stream:
        original = list(csv.reader(stream))
    book = openpyxl.load_workbook(folder / "r.xlsx", read_only=True)
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    width = len(original[0])
    assert list(rows[0][:width]) == original[0]
    assert rows[0][width] == "检查结果"
    assert len(rows) == ROWS + 1
    # every input row once, in order: the ids and the 原行号 column
    assert [str(r[0]) if r[0] is not None else "" for r in rows[1:]] == [o[0] for o in original[1:]]
    assert [r[width + 8] for r in rows[1:]] == [m["row"] for m in report["merchants"]]
    detail = book["明细"]
    findings = sum(
        1 for m in report["merchants"] for f in m["findings"] if f["status"] not in ("pass", "skip")
    )
    assert detail.max_row == findings + 1


def test_csv_round_trips(big_run: tuple[Path, Path, dict[str, Any]]) -> None:
    folder, export, report = big_run
    with export.open(encoding="utf-8-sig", newline="") as stream:
        original = list(csv.reader(stream))
    with (folder / "r.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    width = len(original[0])
    assert len(rows) == ROWS + 1
    guarded = 0
    for row, source in zip(rows[1:], original[1:], strict=True):
        for mine, theirs in zip(row[:width], source, strict=True):
            if mine != theirs:
                assert mine == "'" + theirs  # only the formula guard may change a cell
                guarded += 1
    assert [row[width + 8] for row in rows[1:]] == [str(m["row"]) for m in report["merchants"]]


def test_junit_has_a_testcase_per_merchant_and_rule(
    big_run: tuple[Path, Path, dict[str, Any]],
) -> None:
    folder, export, report = big_run
    cases = 0
    for _, element in ET.iterparse(folder / "r.xml"):
        if element.tag == "testcase":
            cases += 1
            element.clear()
    assert cases == sum(len(m["findings"]) for m in report["merchants"])


def test_html_opens_in_the_browser(
    visit: Any,  # noqa: F811
    big_run: tuple[Path, Path, dict[str, Any]],
) -> None:
    folder, export, report = big_run
    data = embedded(folder / "r.html")
    shown = data["merchants"]
    assert 0 < len(shown) < ROWS  # capped, most urgent first
    seen = visit(folder / "r.html")
    page = seen.open()
    page.select_option("#outcome", "failed")
    assert {outcome for *_, outcome in seen.rows()} == {"failed"}
    # the last failed one embedded: far beyond the rows the page draws at first
    wanted = [m for m in shown if m["outcome"] == "failed"][-1]
    page.select_option("#outcome", "")
    page.fill("#search", wanted["merchant_id"])
    found = seen.rows()
    assert (wanted["row"], wanted["merchant_id"]) in [(row, mid) for row, mid, *_ in found]
    seen.clean()
