"""Properties of a run over arbitrary cell values, found by hypothesis.

Any value written into any column of an otherwise valid export row (text with CJK,
full-width digits, formulas, markup and control characters; floats with nan and inf;
huge ints; datetimes; dates; booleans; blanks) gives exactly one result per non-blank row,
numbered as the row is in the file; nothing is raised but `IntakeError`. The JSON report of
such a run is valid JSON, and text comes back in it as the same text.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from datetime import date, datetime
from pathlib import Path

import openpyxl
import orjson
from conftest import AFTER_DEADLINE, Collect
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from renewal.intake.columns import MERCHANT_COLUMNS
from renewal.intake.tables import IntakeError
from renewal.pipeline import check_file
from renewal.render.jsonout import JsonRenderer
from renewal.ruleset import load

RULES = load("tmall-2022")
HEADER = [column.header for column in MERCHANT_COLUMNS]
ID = HEADER.index("商家ID")
SHOP = HEADER.index("店铺名称")
VALID = {
    "商家ID": "m",
    "店铺名称": "某某旗舰店",
    "店铺类型": "旗舰店",
    "主营类目": "男装",
    "商标状态": "R",
    "合同签署时间": "2020-01-01 10:00",
    "续签报名时间": "2021-11-20 10:00",
    "协议签署时间": "2021-11-20 10:00",
    "保证金应缴": "",
    "保证金余额": "50000",
    "保证金补缴时间": "",
    "保证金履约险续保时间": "",
    "年费应缴": "",
    "年费已缴": "60000",
    "年费缴纳时间": "2021-11-20 10:00",
    "处罚申诉中": "否",
    "严重违规扣分": "0",
    "一般违规扣分": "0",
    "体验分": "4.8",
    "服务开通时间": "",
    "考核不达标": "否",
    "软件服务费未缴清": "否",
    "无品牌授权": "否",
    "退出流程中": "否",
    "主体变更中": "否",
    "转淘宝企业店铺中": "否",
    "年检信息待更新": "否",
}
assert list(VALID) == HEADER

Cell = str | int | float | bool | datetime | date | None

# A line whose first text starts like these is a 合计/总计 line (the data ends there) or a
# note, by design: such text is left out of the generated values, so that every generated
# row is a merchant row. (Broader than the reader's list on purpose.)
MARKERS = (
    "合计",
    "总计",
    "小计",
    "汇总",
    "总数",
    "total",
    "grand",
    "注",
    "说明",
    "数据来源",
    "备注",
    "提示",
    "note",
)


def is_marker(text: str) -> bool:
    folded = unicodedata.normalize("NFKC", text).strip().casefold().replace(" ", "")
    return folded.startswith(MARKERS)


SPECIAL_TEXT = [
    "=1+1",
    '=HYPERLINK("x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "<script>alert(1)</script>",
    "１２３４５６",  # full-width digits
    "５万",
    "２０２１－１１－２０",
    "¥60,000.00",
    "是",
    "TM",
    "2021年11月20日 24时",
    "   ",
    "\t",
    "\u3000",  # ideographic space
    "\u2028",
    "a\r\nb",
    "\x1b[31m",
    '"',
    "nan",
    "inf",
    "1e308",
    "9" * 40,
]
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ANY_CHAR = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")


def texts(char: st.SearchStrategy[str] = ANY_CHAR) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(SPECIAL_TEXT),
        st.text(st.one_of(char, CJK), max_size=24),
    ).filter(lambda s: not is_marker(s))


def cells(text: st.SearchStrategy[str]) -> st.SearchStrategy[Cell]:
    return st.one_of(
        text,
        st.floats(),  # nan and ±inf included
        st.integers(),
        st.integers(min_value=-(10**20), max_value=10**20),
        st.datetimes(),
        st.dates(),
        st.booleans(),
        st.sampled_from(["", None]),
    )


CSV_CELLS = cells(texts())
# openpyxl refuses to write most C0 control characters at all: not the reader's problem
XLSX_CELLS = cells(texts().filter(lambda s: not ILLEGAL_CHARACTERS_RE.search(s)))


@st.composite
def exports(draw, cell: st.SearchStrategy[Cell]) -> dict:
    """1-4 merchant rows, each valid but for one arbitrary cell in any column, with blank
    rows in between; sometimes every id is blank."""
    count = draw(st.integers(1, 4))
    blank_ids = draw(st.booleans()) and draw(st.booleans())
    rows: list[list[Cell] | None] = []  # None: a blank row
    for index in range(count):
        for _ in range(draw(st.integers(0, 2))):
            rows.append(None)
        row: list[Cell] = list(VALID.values())
        row[ID] = f"m{index}"
        row[draw(st.integers(0, len(HEADER) - 1))] = draw(cell)
        if blank_ids:
            row[ID] = draw(st.sampled_from(["", None, " "]))
        rows.append(row)
    return {"rows": rows, "blank_ids": blank_ids, "lang": draw(st.sampled_from(["zh", "en"]))}


def csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat(" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def write_csv(path: Path, rows: list[list[Cell] | None], blank_style: int = 0) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for row in rows:
            if row is None:
                writer.writerow([] if blank_style % 2 else [""] * len(HEADER))
                blank_style += 1
            else:
                writer.writerow([csv_cell(value) for value in row])


def write_xlsx(path: Path, rows: list[list[Cell] | None], formulas: bool) -> None:
    """Text starting with '=' is written as a formula (no cached value, as openpyxl
    leaves it) when `formulas`, else as the literal text an export tool would write."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    sheet.append(HEADER)
    for row in rows:
        sheet.append([] if row is None else row)
    if not formulas:
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"
    book.save(path)


def merchant_rows(rows: list[list[Cell] | None]) -> list[int]:
    """The spreadsheet row (CSV record) of each merchant: the header is row 1."""
    return [number for number, row in enumerate(rows, start=2) if row is not None]


def check(path: Path, lang: str, json_out: Path | None = None) -> Collect | None:
    """Run the real pipeline; None when the file is refused as a whole (IntakeError),
    which must then name the file. Any other exception fails the test."""
    collect = Collect()
    renderers: list = [collect]
    if json_out is not None:
        renderers.append(JsonRenderer(json_out))
    try:
        check_file(path, RULES, AFTER_DEADLINE, lang, renderers)
    except IntakeError as exc:
        assert path.name in exc.message(lang), exc.message(lang)
        return None
    return collect


def assert_one_result_per_row(run: Collect | None, export: dict, sheet: str) -> None:
    assert run is not None, "a valid header with merchant rows was refused as a whole"
    rows = export["rows"]
    assert [r["row"] for r in run.results] == merchant_rows(rows)
    assert all(r["sheet"] == sheet for r in run.results)
    merchants = [row for row in rows if row is not None]
    for result, row in zip(run.results, merchants, strict=True):
        if export["blank_ids"]:
            assert result["merchant_id"] is None and result["outcome"] == "error", result
        elif isinstance(row[ID], str) and re.fullmatch(r"m[0-9]+", row[ID]):
            assert result["merchant_id"] == row[ID]
    summary = run.summary
    assert summary["merchants"] == len(merchants)
    assert sum(summary["outcomes"].values()) == len(merchants)  # type: ignore[union-attr]


SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@settings(SETTINGS, max_examples=100)
@given(export=exports(CSV_CELLS), blank_style=st.integers(0, 1))
@example(
    export={"rows": [["", *list(VALID.values())[1:]]] * 3, "blank_ids": True, "lang": "zh"},
    blank_style=0,
)
def test_csv_any_cell_gives_one_result_per_row(export, blank_style):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "export.csv"
        out = Path(directory) / "report.json"
        write_csv(path, export["rows"], blank_style)
        run = check(path, export["lang"], out)
        assert_one_result_per_row(run, export, "export.csv")
        document = json.loads(out.read_bytes())  # valid JSON, as written
        assert document["merchants"] == json.loads(orjson.dumps(run.results))  # type: ignore[union-attr]


@settings(SETTINGS, max_examples=40)
@given(export=exports(XLSX_CELLS), formulas=st.booleans())
def test_xlsx_any_cell_gives_one_result_per_row(export, formulas):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "export.xlsx"
        write_xlsx(path, export["rows"], formulas)
        assert_one_result_per_row(check(path, export["lang"]), export, "商家")


DANGEROUS_NAMES = [
    "<script>alert(1)</script>",
    '=HYPERLINK("x")',
    '=HYPERLINK("http://evil.example","点我")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '"quoted", with comma',
    "back\\slash \\u0000 and \\n",
    "</script><!--",
    "行1\n行2",
    "a\u2028b\u2029c",
    "🏪店铺",
    '{"merchant_id": "x"}',
]


def round_trip_names() -> st.SearchStrategy[str]:
    """Text the reader keeps as it is: already NFKC (width-folded) and trimmed."""
    return st.one_of(
        st.sampled_from(DANGEROUS_NAMES),
        st.text(st.one_of(ANY_CHAR, CJK), min_size=1, max_size=40).map(
            lambda s: unicodedata.normalize("NFKC", s).strip()
        ),
    ).filter(
        lambda s: s != ""
        and unicodedata.is_normalized("NFKC", s)
        and not is_marker(s)
        # an apostrophe before a digit or a formula's first character is the one a spreadsheet
        # user types to keep a number text (values._quoted): the value is what follows it
        and not re.match(r"'[0-9=+\-@]", s)
    )


@settings(SETTINGS, max_examples=60)
@given(name=round_trip_names())
def test_shop_name_comes_back_as_the_same_text_in_json(name):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "export.csv"
        out = Path(directory) / "report.json"
        row: list[Cell] = list(VALID.values())
        row[ID], row[SHOP] = "m1", name
        write_csv(path, [row])
        run = check(path, "zh", out)
        assert run is not None
        raw = out.read_bytes()
        document = json.loads(raw)
        (merchant,) = document["merchants"]
        assert isinstance(merchant["shop_name"], str)
        assert merchant["shop_name"].encode("utf-8") == name.encode("utf-8")
        assert orjson.dumps(name) in raw  # the string as JSON writes it, nothing added


def test_dangerous_names_through_the_cli_as_json_text(tmp_path):
    """A real process, -f json on stdout, CSV and xlsx: every name comes back verbatim."""
    rows: list[list[Cell] | None] = []
    for index, name in enumerate(DANGEROUS_NAMES):
        row: list[Cell] = list(VALID.values())
        row[ID], row[SHOP] = f"m{index}", name
        rows.append(row)
    csv_path = tmp_path / "export.csv"
    xlsx_path = tmp_path / "export.xlsx"
    write_csv(csv_path, rows)
    write_xlsx(xlsx_path, rows, formulas=False)
    for path in (csv_path, xlsx_path):
        result = subprocess.run(
            [sys.executable, "-m", "renewal", "check", str(path), "--rules", "tmall-2022"]
            + ["--as-of", "2021-12-27 00:00", "-f", "json", "--fail-on", "never"],
            capture_output=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        document = json.loads(result.stdout)
        names = [m["shop_name"] for m in document["merchants"]]
        assert names == DANGEROUS_NAMES, path.name
