"""The annotated Excel and CSV reports, read back by their consumers: openpyxl and csv."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import orjson
import pytest

from tests.conftest import CSV, EXPORT_HEADER, XLSX, renewal, renewed_row

AS_OF = "2021-12-27 00:00"
APPENDED_ZH = [
    "检查结果",
    "问题",
    "应补保证金",
    "应缴年费",
    "截止时间",
    "剩余时间",
    "可转淘宝企业店",
    "下一步",
    "原行号",
]
LABELS_ZH = {
    "error": "数据错误",
    "failed": "未续签",
    "pending": "待完成",
    "renewed": "已续签",
    "exempt": "无需续签",
    "waived": "已豁免",
}
HOSTILE = [
    '=HYPERLINK("http://evil.example","点我")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "<script>alert(1)</script>",
]


def check(export: Path, tmp_path: Path, *outputs: str, lang: str = "zh") -> dict[str, Any]:
    """Run the CLI once for several outputs; return the JSON report written beside them."""
    args: list[str | Path] = [export, "--rules", "tmall-2022", "--as-of", AS_OF]
    args += ["--fail-on", "never", "--lang", lang, "-o", tmp_path / "r.json"]
    for name in outputs:
        args += ["-o", tmp_path / name]
    done = renewal("check", *args)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = orjson.loads((tmp_path / "r.json").read_bytes())
    return report


def input_rows(path: Path) -> list[list[Any]]:
    """The export's own header and rows, as openpyxl reads them."""
    book = openpyxl.load_workbook(path, read_only=True)
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_xlsx_hands_back_every_row_and_column_with_the_verdict(tmp_path: Path) -> None:
    report = check(XLSX, tmp_path, "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == ["商家", "汇总", "明细", "违规记录", "资质"]  # its sheets follow ours
    sheet = book["商家"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    original = input_rows(XLSX)
    width = len(original[0])
    assert rows[0][:width] == original[0]
    assert rows[0][width:] == APPENDED_ZH
    merchants = report["merchants"]
    assert len(rows) - 1 == len(original) - 1 == len(merchants)
    for row, source, result in zip(rows[1:], original[1:], merchants, strict=True):
        assert row[:width] == source  # the user's cells, typed as they were
        assert row[width] == LABELS_ZH[result["outcome"]]
        assert row[width + 8] == result["row"]
        assert row[width + 2] == result["deposit_shortfall"]
        assert row[width + 3] == result["annual_fee_due"]
        assert (row[width + 7] or None) == result["next_action"]
        failing = [f for f in result["findings"] if f["status"] in ("fail", "warn", "error")]
        for found in failing:
            if found["rule"] != "TB01" or found["status"] == "error":
                assert f"{found['rule']} {found['message']}" in row[width + 1]
        if not failing:
            assert row[width + 1] is None
    assert sheet.freeze_panes == "A2"
    last_column = openpyxl.utils.get_column_letter(width + len(APPENDED_ZH))
    assert sheet.auto_filter.ref == f"A1:{last_column}{len(rows)}"
    # outcome colours: each outcome has its own fill, the same for every row of it
    fills: dict[str, set[str]] = {}
    for number, result in enumerate(merchants, start=2):
        colour = sheet.cell(number, width + 1).fill.fgColor.rgb
        fills.setdefault(result["outcome"], set()).add(colour)
    assert all(len(colours) == 1 for colours in fills.values())
    assert len({next(iter(c)) for c in fills.values()}) == len(fills)


def test_xlsx_summary_and_detail_agree_with_the_json_report(tmp_path: Path) -> None:
    report = check(XLSX, tmp_path, "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    summary = [list(row) for row in book["汇总"].iter_rows(values_only=True)]
    labels = {row[0]: row[1] for row in summary if row and row[0] in LABELS_ZH.values()}
    for outcome, count in report["summary"]["outcomes"].items():
        if outcome == "waived" and not count:  # no row of 0 in a run without --waivers
            assert LABELS_ZH[outcome] not in labels
            continue
        assert labels[LABELS_ZH[outcome]] == count
    text = "\n".join(str(cell) for row in summary for cell in row if cell is not None)
    assert report["input"]["sha256"] in text
    assert report["ruleset"]["sha256"] in text
    assert "2021-12-27 00:00" in text
    detail = [list(row) for row in book["明细"].iter_rows(values_only=True)]
    expected = [
        (m["merchant_id"], m["row"], f["rule"], f["message"])
        for m in report["merchants"]
        for f in m["findings"]
        if f["status"] not in ("pass", "skip")
    ]
    assert [(r[0], r[2], r[4], r[7]) for r in detail[1:]] == expected
    # per rule: the counts of 明细 rows by rule and status
    by_rule = {
        row[0]: row for row in summary if row and isinstance(row[0], str) and len(row[0]) == 4
    }
    for code in {e[2] for e in expected}:
        assert sum(c for c in by_rule[code][2:] if isinstance(c, int)) == sum(
            1 for e in expected if e[2] == code
        )


def test_csv_report_round_trips_through_the_csv_module(tmp_path: Path) -> None:
    report = check(CSV, tmp_path, "r.csv")
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to show Chinese
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    with CSV.open(encoding="utf-8-sig", newline="") as stream:
        original = list(csv.reader(stream))
    width = len(original[0])
    assert rows[0] == original[0] + APPENDED_ZH
    assert len(rows) == len(original) == len(report["merchants"]) + 1
    for row, source, result in zip(rows[1:], original[1:], report["merchants"], strict=True):
        assert row[:width] == source
        assert row[width] == LABELS_ZH[result["outcome"]]
        assert row[width + 8] == str(result["row"])


def hostile_export(path: Path) -> list[str]:
    """A CSV whose shop names, ids and an extra column try to become formulas."""
    header = [*EXPORT_HEADER, "店铺名称", "备注"]
    ids = [f"m{n}" for n in range(len(HOSTILE))] + ["-5", "+8613800000000"]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        for number, merchant_id in enumerate(ids):
            name = HOSTILE[number] if number < len(HOSTILE) else f"店{number}"
            writer.writerow([*renewed_row(merchant_id), name, "=1+2" if number == 0 else "-7"])
    return ids


def test_no_text_from_the_export_becomes_a_formula_in_xlsx(tmp_path: Path) -> None:
    export = tmp_path / "hostile.csv"
    hostile_export(export)
    check(export, tmp_path, "r.xlsx")
    with zipfile.ZipFile(tmp_path / "r.xlsx") as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    shop = header.index("店铺名称") + 1
    for number, name in enumerate(HOSTILE, start=2):
        cell = sheet.cell(number, shop)
        # stored as text, shown as typed; the quote prefix keeps it text when edited.
        # A carriage return is stored as OOXML's escape _x000D_, which openpyxl leaves as is
        assert cell.value.replace("_x000D_", "\r") == name
        assert cell.data_type == "s"
        if name[0] in "=+-@\t\r":
            assert cell.quotePrefix, name
    remark = sheet.cell(2, header.index("备注") + 1)
    assert remark.value == "=1+2" and remark.quotePrefix
    # signed text is guarded too, and keeps its value: the prefix is only a style
    minus = sheet.cell(len(HOSTILE) + 2, 1)
    assert minus.value == "-5" and minus.quotePrefix


def test_no_text_from_the_export_becomes_a_formula_in_csv(tmp_path: Path) -> None:
    export = tmp_path / "hostile.csv"
    ids = hostile_export(export)
    check(export, tmp_path, "r.csv")
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    shop = rows[0].index("店铺名称")
    for row, name in zip(rows[1:], HOSTILE, strict=False):
        if name[0] in "=+-@\t\r":
            assert row[shop] == "'" + name
        else:
            assert row[shop] == name
    for row in rows[1:]:
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r"
    # ids that look like signed numbers are text from the export: guarded as well
    assert [row[0] for row in rows[1:]] == ["'" + i if i[0] in "+-" else i for i in ids]


def test_rows_of_a_duplicated_id_are_errors_in_the_annotated_reports(tmp_path: Path) -> None:
    export = tmp_path / "dup.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(EXPORT_HEADER)
        for merchant_id in ("a", "dup", "b", "dup"):
            writer.writerow(renewed_row(merchant_id))
    check(export, tmp_path, "r.xlsx", "r.csv")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[0]
    width = len(EXPORT_HEADER)
    outcomes = [sheet.cell(n, width + 1).value for n in range(2, 6)]
    assert outcomes == ["已续签", "数据错误", "已续签", "数据错误"]
    assert "LD03" in sheet.cell(3, width + 2).value
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert [row[width] for row in rows[1:]] == outcomes


def test_english_headers_with_lang_en(tmp_path: Path) -> None:
    check(CSV, tmp_path, "r.xlsx", "r.csv", lang="en")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)
    assert book.sheetnames[1:] == ["Summary", "Findings"]
    header = next(book.worksheets[0].iter_rows(values_only=True))
    assert header[-9:] == (
        "Outcome",
        "Problems",
        "Deposit due",
        "Annual fee due",
        "Deadline",
        "Time left",
        "Taobao transfer",
        "Next action",
        "Source row",
    )
    summary = [c for row in book["Summary"].iter_rows(values_only=True) for c in row if c]
    assert "Tmall 2022 contract-year renewal (tmall-2022, tmall-2022.toml)" in summary


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_rule_set_is_named_in_the_reports_language(tmp_path: Path, lang: str) -> None:
    """The JSON header carries both names; the page's title uses the one for --lang."""
    check(CSV, tmp_path, "r.html", lang=lang)
    ruleset = orjson.loads((tmp_path / "r.json").read_bytes())["ruleset"]
    assert (ruleset["name"], ruleset["name_en"]) == (
        "天猫2022年度商家续签",
        "Tmall 2022 contract-year renewal",
    )
    title = (tmp_path / "r.html").read_text(encoding="utf-8").split("<title>")[1]
    wanted = ruleset["name_en"] if lang == "en" else ruleset["name"]
    assert title.startswith(wanted), title[:80]


@pytest.mark.parametrize("cell", ["XFD1", "XFD4", "XFA3"])
def test_an_export_too_wide_for_the_result_columns_is_refused(tmp_path: Path, cell: str) -> None:
    """The verdict goes in nine columns after the export's own; a sheet ends at XFD. A
    stray value out there leaves no room: one line, exit 2, no report, rather than a
    report without its results."""
    with CSV.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))[:6]
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    sheet[cell] = "备注"
    export = tmp_path / "wide.xlsx"
    book.save(export)
    out = tmp_path / "r.xlsx"
    done = renewal("check", export, "--rules", "tmall-2022", "--as-of", AS_OF, "-o", out)
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert str(out) in line and "16,384" in line and "--format csv" in line, line
    assert not out.exists()
    fits = book.active
    fits[cell] = None
    fits["XEU1"] = "备注"  # 16,375 columns and nine more: the last one is XFD
    book.save(export)
    done = renewal("check", export, "--rules", "tmall-2022", "--as-of", AS_OF, "-o", out)
    assert done.returncode == 0, done.stderr  # the fixture's first five merchants renewed
    header = next(
        openpyxl.load_workbook(out, read_only=True).worksheets[0].iter_rows(values_only=True)
    )
    assert len(header) == 16_384 and header[-9] == "检查结果"


def test_the_reports_id_and_time_columns_read_in_excel(tmp_path: Path) -> None:
    """calamine gives a cell's value, not its number format: a 13-digit id written as a
    number showed as 2.90935E+12, and times as ######## in Excel's default width."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(EXPORT_HEADER)
    for number in range(3):
        row: list[object] = list(renewed_row("x"))
        row[0] = 2909349592603 + number
        sheet.append(row)
    export = tmp_path / "ids.xlsx"
    book.save(export)
    out = tmp_path / "r.xlsx"
    done = renewal("check", export, "--rules", "tmall-2022", "--as-of", AS_OF, "-o", out)
    assert done.returncode == 0, done.stderr
    report = openpyxl.load_workbook(out).worksheets[0]
    assert [report.cell(n, 1).value for n in (2, 3, 4)] == [
        2909349592603,
        2909349592604,
        2909349592605,
    ]
    assert {report.cell(n, 1).number_format for n in (2, 3, 4)} == {"0"}
    widths = {}
    for dimension in report.column_dimensions.values():  # openpyxl keeps grouped <col>s once
        for column in range(dimension.min, dimension.max + 1):
            widths[column] = dimension.width
    for name in ("合同签署时间", "续签报名时间", "协议签署时间", "年费缴纳时间"):
        assert widths[EXPORT_HEADER.index(name) + 1] >= 19, name
    assert widths[1] >= 16


def test_parallel_and_sequential_runs_write_the_same_cells(tmp_path: Path) -> None:
    rows = [renewed_row(f"m{n}") for n in range(5000)]
    rows[10][7] = "很多"  # an unreadable balance: an error row
    rows[4000][0] = "m3"  # a duplicate across the two workers' blocks
    export = tmp_path / "big.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(EXPORT_HEADER)
        writer.writerows(rows)
    sheets = []
    for jobs in ("1", "2"):
        out = tmp_path / f"r{jobs}.xlsx"
        done = renewal(
            "check", export, "--rules", "tmall-2022", "--as-of", AS_OF, "--fail-on", "never",
            "--jobs", jobs, "-o", out,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        book = openpyxl.load_workbook(out, read_only=True)
        sheets.append(
            {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
        )
    assert sheets[0] == sheets[1]
    width = len(EXPORT_HEADER)
    data = sheets[0]["big.csv"]  # a CSV's one table is named after the file
    assert len(data) == 5001
    assert data[11][width] == "数据错误" and data[4][width] == data[4001][width] == "数据错误"


def test_xlsx_needs_an_output_file(tmp_path: Path) -> None:
    done = renewal("check", XLSX, "--as-of", AS_OF, "--format", "xlsx")
    assert done.returncode == 2
    assert "-o" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["r.xlsx", "r.csv"])
def test_annotated_reports_never_write_over_the_input(tmp_path: Path, name: str) -> None:
    export = tmp_path / name
    export.write_bytes((XLSX if name.endswith("xlsx") else CSV).read_bytes())
    before = export.read_bytes()
    done = renewal("check", export, "--as-of", AS_OF, "-o", export)
    assert done.returncode == 2
    assert export.read_bytes() == before


def test_waived_and_due_soon_merchants_in_the_annotated_reports(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    rows = [renewed_row("renewed"), renewed_row("waived"), renewed_row("pending")]
    rows[1][6] = rows[2][6] = ""  # no agreement signed yet: DL02 pending
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(EXPORT_HEADER)
        writer.writerows(rows)
    waivers = tmp_path / "waivers.csv"
    with waivers.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["商家ID", "规则", "原因", "审批人", "到期"])
        writer.writerow(["waived", "DL02", "协议系统故障", "王经理", "2021-12-31"])
    done = renewal(
        "check", export, "--rules", "tmall-2022", "--as-of", "2021-12-25 12:00",
        "--waivers", waivers, "--fail-on", "never", "-o", tmp_path / "r.xlsx",
        "-o", tmp_path / "r.csv",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    width = len(EXPORT_HEADER)
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    sheet = book.worksheets[0]
    got = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[width] for row in got] == ["已续签", "已豁免", "待完成"]
    assert "王经理" in got[1][width + 1] and got[1][width + 1].startswith("DL02")
    # 30 hours left, under the default 72h: marked, and only on the pending merchant
    assert got[2][width + 5].endswith("（即将截止）")
    assert not (got[1][width + 5] or "").endswith("（即将截止）")
    summary = [list(r) for r in book["汇总"].iter_rows(values_only=True)]
    lines = {row[0]: row[1] for row in summary if row and row[0]}
    assert lines["已豁免"] == 1
    assert lines["已生效的豁免"] == 1
    assert next(v for k, v in lines.items() if str(k).startswith("距截止不足")) == 1
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as stream:
        csv_rows = list(csv.reader(stream))
    assert [row[width] for row in csv_rows[1:]] == ["已续签", "已豁免", "待完成"]
    assert csv_rows[3][width + 5] == got[2][width + 5]


@pytest.mark.parametrize(
    ("lang", "sheet", "says"),
    [
        ("en", "Summary", "A cell held more than Excel's 32,767 characters a cell and was cut"),
        ("zh", "汇总", "1 个单元格的文字超过 Excel 每格 32,767 个字符的上限，已截断"),
    ],
)
def test_one_cut_cell_is_noted_as_one(tmp_path: Path, lang: str, sheet: str, says: str) -> None:
    export = tmp_path / "long.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(
            [[*EXPORT_HEADER, "店铺名称"], [*renewed_row("m1"), "长" * 40_000]]
        )
    check(export, tmp_path, "r.xlsx", lang=lang)
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    notes = [str(row[0]) for row in book[sheet].iter_rows(values_only=True) if row[0]]
    (note,) = [line for line in notes if "32,767" in line]
    shop = openpyxl.utils.get_column_letter(len(EXPORT_HEADER) + 1)
    assert note.startswith(says) and f"{shop}2" in note, note


def test_text_longer_than_a_cell_holds_is_cut_visibly_and_noted(tmp_path: Path) -> None:
    """Excel keeps 32,767 characters a cell; xlsxwriter cuts the rest without a word.
    The cut cell ends in an ellipsis, and 汇总 says how many were cut and where."""
    export = tmp_path / "long.csv"
    header = [*EXPORT_HEADER, "店铺名称", "备注"]
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerow([*renewed_row("m1"), "长" * 40_000, "ok"])
        writer.writerow([*renewed_row("m2"), "短店", "=" + "1" * 40_000])  # guarded and long
        writer.writerow([*renewed_row("m3"), "正常店", "x" * 32_767])  # exactly fits
    report = check(export, tmp_path, "r.xlsx")
    assert len(report["merchants"]) == 3
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    sheet = book.worksheets[0]
    names = [cell.value for cell in sheet[1]]
    shop, remark = names.index("店铺名称") + 1, names.index("备注") + 1
    cut = sheet.cell(2, shop).value
    assert len(cut) == 32_767 and cut == "长" * 32_766 + "…"
    guarded = sheet.cell(3, remark)
    assert guarded.value == "=" + "1" * 32_765 + "…" and guarded.quotePrefix
    assert sheet.cell(4, remark).value == "x" * 32_767  # nothing cut, no ellipsis
    notes = [str(row[0]) for row in book["汇总"].iter_rows(values_only=True) if row[0]]
    (note,) = [line for line in notes if "32,767" in line]
    shop_cell = f"{openpyxl.utils.get_column_letter(shop)}2"
    assert note.startswith("2 个单元格") and shop_cell in note


def test_csv_report_keeps_digits_a_spreadsheet_would_change(tmp_path: Path) -> None:
    """An id with a leading zero or over 15 digits is written as ="…", so Excel keeps it
    (ex15 §8); renewal reads the report back to the same ids."""
    ids = ["00012345", "1234567890123456789", "0", "123456789012345", "m0001"]
    export = tmp_path / "ids.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(EXPORT_HEADER)
        writer.writerows(renewed_row(merchant_id) for merchant_id in ids)
    check(export, tmp_path, "r.csv")
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as stream:
        written = [row[0] for row in list(csv.reader(stream))[1:]]
    assert written == ['="00012345"', '="1234567890123456789"', "0", "123456789012345", "m0001"]
    again = check(tmp_path / "r.csv", tmp_path)
    assert [m["merchant_id"] for m in again["merchants"]] == ids


def test_csv_report_keeps_an_exports_own_text_guard(tmp_path: Path) -> None:
    """An export that already wrote its ids as ="00012345" gets them back as it wrote them,
    not as '="00012345", which read back as the id ="00012345", another merchant (ex20 §3);
    a formula that is not a text constant is still guarded."""
    ids = ['="00012345"', '="1234567890123456789"', '="100000000001"']
    export = tmp_path / "ids.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, "备注"])
        writer.writerows([*renewed_row(merchant_id), '=HYPERLINK("x")'] for merchant_id in ids)
    first = check(export, tmp_path, "r.csv")
    with (tmp_path / "r.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))[1:]
    assert [row[0] for row in rows] == ids
    assert {row[len(EXPORT_HEADER)] for row in rows} == {'\'=HYPERLINK("x")'}
    again = check(tmp_path / "r.csv", tmp_path)
    assert [m["merchant_id"] for m in again["merchants"]] == [
        m["merchant_id"] for m in first["merchants"]
    ] == ["00012345", "1234567890123456789", "100000000001"]


def test_csv_report_gives_back_a_chinese_shop_name_that_starts_like_a_formula(
    tmp_path: Path,
) -> None:
    """The report guards -店 as '-店; read back, the apostrophe is the guard's, in a
    Chinese name as in an ASCII one (ex20 §8); one before other text is the name's."""
    names = ["-店", "@店", "=店", "+店", "'店"]
    export = tmp_path / "names.csv"
    header = [*EXPORT_HEADER, "店铺名称"]
    with export.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows([*renewed_row(f"m{n}"), name] for n, name in enumerate(names))
    check(export, tmp_path, "r.csv")
    again = check(tmp_path / "r.csv", tmp_path)
    assert [m["shop_name"] for m in again["merchants"]] == names
