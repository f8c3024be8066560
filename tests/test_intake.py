"""Reading exports: headers found by content, aliases, encodings, supporting sheets."""

from __future__ import annotations

import csv
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, XLSX, renewal, renewed_row, run_file
from test_workbook_kinds import xlsx as workbook

from renewal.intake.export import open_export
from renewal.intake.tables import IntakeError, detect_encoding
from renewal.timeutil import BEIJING

HEADER = EXPORT_HEADER
RENEWED = renewed_row("m1")


def merchants(path: Path) -> list:
    export = open_export(path)
    return list(export.merchants)


def test_header_below_a_title_line_is_found_and_stamped(tmp_path):
    path = workbook(
        tmp_path / "e.xlsx", {"续签名单": [["天猫续签名单 2021-12-01"], [], HEADER, RENEWED]}
    )
    export = open_export(path)
    rows = list(export.merchants)
    assert (export.header.sheet, export.header.row) == ("续签名单", 3)
    assert [(m.merchant_id, m.row) for m in rows] == [("m1", 4)]
    assert run_file(path, AFTER_DEADLINE).results[0]["outcome"] == "renewed"


def test_columns_in_any_order_with_units_and_english_keys(tmp_path):
    header = ["deposit_balance", "合同签署时间", "Merchant_ID", "店铺类型\n(必填)", "商标状态"]
    path = tmp_path / "e.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, ["50000", "2020-01-01", "m1", "旗舰店", "R"]])
    export = open_export(path)
    assert export.columns == {
        "deposit_balance": "deposit_balance",
        "contract_signed_at": "合同签署时间",
        "merchant_id": "Merchant_ID",
        "store_type": "店铺类型\n(必填)",
        "trademark": "商标状态",
    }
    (merchant,) = list(export.merchants)
    assert (merchant.merchant_id, merchant.deposit_balance, merchant.store_type) == (
        "m1",
        50000.0,
        "旗舰店",
    )


def test_a_forms_required_star_and_closing_colon_are_not_part_of_the_name(tmp_path):
    header = ["*商家ID", "＊合同签署时间：", "保证金余额(元):", "店铺类型*"]
    path = tmp_path / "e.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, ["m1", "2020-01-01", "50000", "旗舰店"]])
    export = open_export(path)
    assert export.columns == {
        "merchant_id": "*商家ID",
        "contract_signed_at": "＊合同签署时间：",
        "deposit_balance": "保证金余额(元):",
        "store_type": "店铺类型*",
    }
    (merchant,) = list(export.merchants)
    assert (merchant.merchant_id, merchant.deposit_balance) == ("m1", 50000.0)


def test_unit_suffix_in_header(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(
        '商家ID,合同签署时间,保证金余额(元),年费已缴（元）\nm1,2020-01-01,"50,000",6万\n',
        encoding="utf-8",
    )
    (merchant,) = merchants(path)
    assert (merchant.deposit_balance, merchant.annual_fee_paid) == (50000.0, 60000.0)


def test_same_column_twice_is_refused(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text(
        "商家ID,合同签署时间,保证金余额,保证金余额(元)\nm1,2020-01-01,1,2\n", encoding="utf-8"
    )
    with pytest.raises(IntakeError) as error:
        open_export(path)
    assert (
        error.value.message("zh")
        == f"{path}：工作表「e.csv」第 1 行：C 列「保证金余额」与 D 列「保证金余额(元)」都是「保证金余额」列，无法判断该读哪一列；请删去其中一列或改名"
    )


def test_missing_required_column(tmp_path):
    path = workbook(tmp_path / "e.xlsx", {"商家": [["商家ID", "店铺名称"], ["m1", "x"]]})
    with pytest.raises(IntakeError) as error:
        open_export(path)
    assert error.value.key == "intake.missing_column"
    assert "合同签署时间 (contract_signed_at)" in error.value.message("en")
    assert "sheet 商家: row 1" in error.value.message("en")


@pytest.mark.parametrize(
    ("encoding", "bom", "detected"),
    [
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-8", b"", "utf-8"),
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),
    ],
)
def test_csv_encodings(tmp_path, encoding, bom, detected):
    path = tmp_path / "e.csv"
    path.write_bytes(bom + (",".join(HEADER) + "\n" + ",".join(RENEWED) + "\n").encode(encoding))
    assert detect_encoding(path) == detected
    (merchant,) = merchants(path)
    assert merchant.store_type == "旗舰店"


def test_gb18030_after_a_long_ascii_start_is_still_detected(tmp_path):
    """A sample of plain ASCII proves nothing: the whole file is checked."""
    path = tmp_path / "e.csv"
    ascii_rows = "".join(f"m{i},2020-01-01 10:00\n" for i in range(8000))
    path.write_bytes(
        (
            "merchant_id,contract_signed_at,shop_name\n" + ascii_rows + "m-last,2020-01-01,旗舰店\n"
        ).encode("gb18030")
    )
    assert path.stat().st_size > 64 * 1024
    assert detect_encoding(path) == "gb18030"
    assert merchants(path)[-1].shop_name == "旗舰店"


def test_tab_separated_text(tmp_path):
    path = tmp_path / "e.txt"
    path.write_text("\t".join(HEADER) + "\n" + "\t".join(RENEWED) + "\n", encoding="utf-8")
    assert merchants(path)[0].merchant_id == "m1"


def test_cells_written_as_excel_text_formulas_are_their_text(tmp_path):
    """Exports that keep long ids and dates as text in Excel write them ="…" in the CSV."""
    path = tmp_path / "e.csv"
    wrapped = [f'="{cell}"' for cell in renewed_row("100000000001")]
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        csv.writer(stream).writerows([HEADER, wrapped])
    assert path.read_text(encoding="utf-8-sig").splitlines()[1].startswith('"=""1000')
    (merchant,) = merchants(path)
    assert merchant.merchant_id == "100000000001"
    assert merchant.unreadable == {}
    assert merchant.signup_at == datetime(2021, 11, 20, 10, 0, tzinfo=BEIJING)
    assert merchant.deposit_balance == 50000
    assert run_file(path, AFTER_DEADLINE).results[0]["outcome"] == "renewed"


def test_blank_rows_are_skipped_and_counted(tmp_path):
    path = workbook(
        tmp_path / "e.xlsx", {"商家": [HEADER, RENEWED, [], ["", " "], ["m2", *RENEWED[1:]]]}
    )
    export = open_export(path)
    assert [(m.merchant_id, m.row) for m in export.merchants] == [("m1", 2), ("m2", 5)]
    assert (export.rows_read, export.blank_rows) == (2, 2)


def test_numeric_ids_and_excel_datetimes(tmp_path):
    row = [1234567890123, "旗舰店", "R", "男装", datetime(2020, 1, 1, 10, 0), date(2021, 11, 20)]
    path = workbook(tmp_path / "e.xlsx", {"商家": [HEADER[:6], row]})
    (merchant,) = merchants(path)
    assert merchant.merchant_id == "1234567890123"
    assert merchant.contract_signed_at == datetime(2020, 1, 1, 10, 0, tzinfo=BEIJING)
    assert merchant.signup_at == datetime(2021, 11, 20, 0, 0, tzinfo=BEIJING)


def test_unreadable_cell_is_kept_with_its_reason(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("商家ID,合同签署时间,保证金余额\nm1,2020-01-01,很多\n", encoding="utf-8")
    (merchant,) = merchants(path)
    raw, reason = merchant.unreadable["deposit_balance"]
    assert raw == "很多" and reason


def _with_error_cells(path: Path, sheet_xml: str, cells: dict[str, str]) -> None:
    """Rewrite the workbook so that each of `cells` (A1 name -> error) holds a formula
    whose cached value is that error, as Excel saves a failed VLOOKUP."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts[sheet_xml].decode("utf-8")
    for name, error in cells.items():
        start = xml.index(f'<c r="{name}"')
        end = xml.index("</c>", start) + len("</c>")
        xml = (
            xml[:start]
            + f'<c r="{name}" t="e"><f>VLOOKUP(A1,X!A:B,2,0)</f><v>{error}</v></c>'
            + xml[end:]
        )
    parts[sheet_xml] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_an_excel_error_cell_is_unreadable_not_blank(tmp_path):
    """#N/A from a lookup that found nothing: calamine reads it as blank, and a blank
    balance is ¥0, so the merchant would have been told it owes the whole deposit."""
    penalties = [
        ["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"],
        ["m1", "2021-03-01", "一般违规", 2, "无"],
    ]
    path = workbook(tmp_path / "e.xlsx", {"商家": [HEADER, RENEWED], "违规记录": penalties})
    # H2: 保证金余额; E2: 合同签署时间; D2 on the penalties: 扣分
    _with_error_cells(path, "xl/worksheets/sheet1.xml", {"H2": "#N/A", "E2": "#REF!"})
    _with_error_cells(path, "xl/worksheets/sheet2.xml", {"D2": "#DIV/0!"})
    export = open_export(path)
    (merchant,) = list(export.merchants)
    reason = "an Excel error value: the formula that made it failed"
    assert merchant.unreadable == {
        "deposit_balance": ("#N/A", reason),
        "contract_signed_at": ("#REF!", reason),
    }
    (problem,) = merchant.violation_problems
    assert (problem.raw, problem.reason, problem.source["row"]) == ("#DIV/0!", reason, 2)
    run = run_file(path, AFTER_DEADLINE)
    (result,) = run.results
    assert result["outcome"] == "error"
    messages = [f["message"] for f in result["findings"]]
    assert "「保证金余额」的值「#N/A」无法读取：Excel 错误值，算出它的公式出错了" in messages


def test_error_cells_are_found_anywhere_in_a_long_sheet(tmp_path):
    """The sheet's XML is searched a megabyte at a time: errors on either side of a
    chunk's edge are all found, at their row and column."""
    from renewal.intake.tables import unread_cells

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    errors = {}
    for row in range(1, 40_001):
        sheet.append([f"m{row}", "2020-01-01 10:00", 50000, "一些说明文字"])
        if row % 997 == 0:
            cell = sheet.cell(row, 3)
            cell.value, cell.data_type = "#N/A", "e"
            errors[row] = {2: "#N/A"}
    path = tmp_path / "long.xlsx"
    book.save(path)
    import zipfile

    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 3 * (1 << 20)
    assert unread_cells(path, "商家") == errors
    assert unread_cells(path, "no such sheet") == {}
    assert unread_cells(tmp_path / "missing.xlsx", "商家") == {}


def test_an_unnamed_merchant_sheet_is_the_first_with_the_header(tmp_path):
    """No sheet is called 商家: a sheet of instructions first, the data on Sheet2, and
    违规记录 before both. The merchants are the sheet whose header is found."""
    penalties = [
        ["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"],
        ["m1", "2021-03-01", "一般违规", 2, "无"],
    ]
    path = workbook(
        tmp_path / "e.xlsx",
        {
            "违规记录": penalties,
            "填写说明": [["本表由运营导出，请勿修改表头"], ["数据日期：2021-12-01"]],
            "Sheet2": [HEADER, RENEWED],
        },
    )
    export = open_export(path)
    assert (export.header.sheet, export.header.row) == ("Sheet2", 1)
    (merchant,) = list(export.merchants)
    assert (merchant.merchant_id, [v.points for v in merchant.violations]) == ("m1", [2])
    assert run_file(path, AFTER_DEADLINE).results[0]["outcome"] == "renewed"


def test_no_sheet_with_the_header_names_every_sheet_looked_at(tmp_path):
    path = workbook(tmp_path / "e.xlsx", {"说明": [["请勿修改"]], "数据": [["备注"], ["x"]]})
    with pytest.raises(IntakeError) as error:
        open_export(path)
    assert error.value.key == "intake.no_header_any"
    assert error.value.message("zh") == (
        f"{path}：各工作表（说明、数据）前 30 行中都找不到包含 商家ID、合同签署时间 的表头"
    )


def test_a_sheet_with_part_of_the_header_is_the_one_the_message_is_about(tmp_path):
    path = workbook(
        tmp_path / "e.xlsx", {"说明": [["请勿修改"]], "数据": [["商家ID", "店铺名称"], ["m1", "x"]]}
    )
    with pytest.raises(IntakeError) as error:
        open_export(path)
    assert error.value.key == "intake.missing_column"
    assert error.value.values["sheet"] == "数据"


def test_supporting_sheets_join_by_id_and_report_orphans_and_bad_rows(tmp_path):
    path = workbook(
        tmp_path / "e.xlsx",
        {
            "商家": [HEADER, RENEWED],
            "违规记录": [
                ["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"],
                ["m1", date(2021, 6, 1), "严重违规", 6, "无"],
                ["m1", date(2021, 7, 1), "严重违规", "很多", "无"],
                ["ghost", date(2021, 7, 1), "一般违规", 2, "无"],
                ["", date(2021, 7, 2), "一般违规", 2, "无"],
            ],
            "资质": [
                ["商家ID", "资质类型", "证书编号", "到期日期"],
                ["m1", "品牌授权书", "A1", date(2030, 1, 1)],
            ],
        },
    )
    export = open_export(path)
    (merchant,) = list(export.merchants)
    assert [(v.points, v.kind, v.source["row"]) for v in merchant.violations] == [
        (6.0, "serious", 2)
    ]
    assert [(p.source["row"], p.source["column"], p.raw) for p in merchant.violation_problems] == [
        (3, "扣分", "很多")
    ]
    assert [q.expires for q in merchant.qualifications] == [date(2030, 1, 1)]
    orphans = [
        (merchant_id, ref["sheet"], ref["row"])
        for merchant_id, ref in export.unmatched(export.attached)
    ]
    assert orphans == [("ghost", "违规记录", 4), (None, "违规记录", 5)]
    result = run_file(path, AFTER_DEADLINE).results[0]
    statuses = {(f["rule"], f["status"]) for f in result["findings"]}
    assert ("LD04", "warn") in statuses


def test_a_negative_amount_due_or_paid_is_an_error_row_but_a_balance_may_be(tmp_path):
    """年费应缴 -60000 read as a number passed as 'nothing to pay'; 保证金应缴 -1 likewise."""
    header = [*EXPORT_HEADER, "保证金应缴", "年费应缴"]
    rows = [[*renewed_row(f"m{n}"), "50000", "60000"] for n in range(4)]
    rows[0][header.index("年费应缴")] = "-60000"
    rows[1][header.index("保证金应缴")] = "-1"
    rows[2][header.index("年费已缴")] = "-¥1"
    rows[3][header.index("保证金余额")] = "-5"  # overdrawn: short by 50,005
    path = tmp_path / "neg.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, *rows])
    results = run_file(path, AFTER_DEADLINE).results
    assert [r["outcome"] for r in results] == ["error", "error", "error", "failed"]
    for result, column in zip(results, ["年费应缴", "保证金应缴", "年费已缴"], strict=False):
        (load,) = [f for f in result["findings"] if f["rule"].startswith("LD")]
        assert load["source"]["column"] == column and "不能是负数" in load["message"], load
    assert results[3]["deposit_shortfall"] == 50005.0


def test_empty_and_directory_inputs(tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(IntakeError) as error:
        open_export(empty)
    assert error.value.key == "intake.empty"
    with pytest.raises(IntakeError) as error:
        open_export(tmp_path)
    assert error.value.key == "intake.is_dir"


def test_not_a_workbook(tmp_path):
    path = tmp_path / "e.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(IntakeError) as error:
        open_export(path)
    assert error.value.key == "intake.not_workbook"


@pytest.mark.parametrize(
    ("content", "zh", "en"),
    [
        ("cut", "文件不完整或已损坏，可能没有下载或复制完", "cut short or damaged"),
        ("garbage", "文件不完整或已损坏", "cut short or damaged"),  # PK, then no zip
        ("zip", "这是一个 zip 压缩包，但里面没有 Excel 工作簿", "a zip archive with no Excel"),
        ("binary", "内容既不是 xlsx 也不是 xls 格式", "neither xlsx nor xls"),
    ],
)
def test_an_unreadable_workbook_is_said_in_words(tmp_path, content, zh, en):
    """Why a workbook cannot be opened, in the user's language: not the reader library's
    English (invalid Zip archive: Could not find EOCD, File not found '_rels/.rels')."""
    path = tmp_path / "e.xlsx"
    if content == "cut":  # an interrupted download: the zip's directory, at its end, is gone
        path.write_bytes(XLSX.read_bytes()[:4000])
    elif content == "garbage":
        path.write_bytes(b"PK\x03\x04garbage")
    elif content == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "not a workbook")
    else:
        path.write_bytes(bytes(range(256)) * 8)
    for lang, said in (("zh", f"{path}：不是可读取的工作簿（{zh}"), ("en", en)):
        result = renewal("check", path, "--rules", "tmall-2022", "--lang", lang)
        assert result.returncode == 2 and said in result.stderr, result.stderr
        for leak in ("EOCD", "invalid Zip", "File not found", "Zip archive"):
            assert leak not in result.stderr


def test_a_supporting_table_continued_on_more_sheets_is_read_whole(tmp_path):
    """Past Excel's row limit an export continues a table on 资质2, 资质(3), …"""
    head = ["商家ID", "资质类型", "证书编号", "到期日期"]
    path = workbook(
        tmp_path / "e.xlsx",
        {
            "商家": [HEADER, RENEWED],
            "资质": [head, ["m1", "营业执照", "A", date(2030, 1, 1)]],
            "资质2": [head, ["m1", "品牌授权书", "B", date(2022, 3, 1)]],
            "资质（3）": [head, ["m1", "质检报告", "C", date(2031, 1, 1)]],
            "资质说明": [["这是说明，不是资质表"]],
        },
    )
    (merchant,) = merchants(path)
    assert sorted((q.kind, q.source["sheet"]) for q in merchant.qualifications) == [
        ("品牌授权书", "资质2"),
        ("营业执照", "资质"),
        ("质检报告", "资质（3）"),
    ]


def test_formula_cells_without_cached_values_are_unreadable_and_named(tmp_path):
    """A workbook written by a script holds formulas and no values: calamine reads them as
    blank, and a blank balance is ¥0. Each is an unreadable cell showing its formula, and
    a note names them."""
    header = ["商家ID", "合同签署时间", "保证金余额"]
    path = workbook(
        tmp_path / "e.xlsx",
        {"商家": [header, ["m1", "2020-01-01", "=40000+10000"], ["m2", "2020-01-01", 50000]]},
    )
    run = run_file(path, AFTER_DEADLINE, lang="en")
    (note,) = run.summary["notes"]
    assert note["code"] == "note.formulas" and note["cells"] == "C2" and note["count"] == 1
    assert (
        "Sheet 商家 has 1 formula cell whose result the file does not keep (C2)"
        in (note["message"])
    )
    first, second = run.results
    assert (first["outcome"], first["deposit_shortfall"]) == ("error", None)
    (unread,) = [f for f in first["findings"] if f["rule"] == "LD04"]
    assert unread["actual"] == "=40000+10000"
    assert "a formula with no saved result" in unread["message"]
    assert not [f for f in second["findings"] if f["rule"] == "LD04"]


def test_formula_cells_without_values_are_found_below_the_top_of_a_long_sheet(tmp_path):
    """The whole sheet is searched, as for error cells: a formula deep in a 40,000-row
    sheet (several megabytes of XML) is found, on the 违规记录 sheet too."""
    from renewal.intake.tables import unread_cells

    rows = [[f"m{n}", "2020-01-01 10:00", 50000, "一些说明文字" * 3] for n in range(40_000)]
    rows[39_000][2] = "=SUM(1,2)"
    penalties = [  # with 申诉状态: a sheet without it beside no 处罚申诉中 is a note of its own
        ["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"],
        ["m5", "2021-03-01", "一般违规", "=1+1", "无"],
    ]
    header = ["商家ID", "合同签署时间", "保证金余额", "备注"]
    path = workbook(tmp_path / "long.xlsx", {"商家": [header, *rows], "违规记录": penalties})
    found = unread_cells(path, "商家")
    assert found == {39_002: {2: "=SUM(1,2)"}}
    export = open_export(path)
    merchants_ = {m.merchant_id: m for m in export.merchants}
    assert merchants_["m39000"].unreadable["deposit_balance"][0] == "=SUM(1,2)"
    (problem,) = merchants_["m5"].violation_problems
    assert (problem.raw, problem.source["row"]) == ("=1+1", 2)
    notes = export.unsaved_notes() + export.notes  # the merchant sheet's, once it is read
    assert [(key, named["sheet"], named["cells"]) for key, named in notes] == [
        ("note.formulas", "商家", ["C39002"]),
        ("note.formulas", "违规记录", ["D2"]),
    ]


def test_a_formula_on_the_total_line_or_the_title_is_no_news(tmp_path):
    """The 合计 line's own SUM without a saved result (a workbook written by a program) and a
    formula in the title above the header are on lines no merchant reads: no note asks to
    re-save the file for them. One on a merchant row, or on a merchant pasted below the 合计
    line, still is named."""
    header = ["商家ID", "合同签署时间", "保证金余额"]
    rows = [
        ["=\"续签名单\"&\"2022\"", None, None],
        header,
        ["m1", "2020-01-01 10:00", 50000],
        ["m2", "2020-01-01 10:00", "=40000+10000"],
        ["合计", None, "=SUM(C3:C4)"],
        ["m9", "2020-01-01 10:00", "=1+1"],
    ]
    path = workbook(tmp_path / "total.xlsx", {"商家": rows})
    export = open_export(path)
    assert [m.merchant_id for m in export.merchants] == ["m1", "m2", "m9"]
    (note,) = export.unsaved_notes()
    assert note[1]["cells"] == ["C4", "C6"]


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("zh", "有 12 个公式单元格没有保存计算结果（C2、C3、C4、C5、C6、C7、C8、C9、C10、C11 …）"),
        (
            "en",
            "has 12 formula cells whose result the file does not keep (C2, C3, C4, C5, C6, C7, C8, C9, C10, C11 …)",
        ),
    ],
)
def test_the_formula_cells_are_listed_as_the_language_lists_them(tmp_path, lang, says):
    """The message lists the first ten cells in the reader's language, and so does the
    report's own `cells` field: no Chinese 、 in an English report."""
    header = ["商家ID", "合同签署时间", "保证金余额"]
    rows = [[f"m{n}", "2020-01-01", "=40000+10000"] for n in range(12)]
    path = workbook(tmp_path / "e.xlsx", {"商家": [header, *rows]})
    (note,) = run_file(path, AFTER_DEADLINE, lang=lang).summary["notes"]
    assert says in note["message"]
    comma = {"zh": "、", "en": ", "}[lang]
    assert note["cells"] == comma.join(f"C{n}" for n in range(2, 12)) + " …"
    assert note["cells"] in note["message"]


def test_missing_columns_are_listed_as_the_language_lists_them(tmp_path):
    path = tmp_path / "e.csv"
    path.write_text("店铺名称,保证金余额\n甲店,1\n", encoding="utf-8")
    with pytest.raises(IntakeError) as refused:
        open_export(path)
    assert refused.value.message("zh").endswith(
        "缺少必需列 商家ID (merchant_id)、合同签署时间 (contract_signed_at)"
    )
    assert refused.value.message("en").endswith(
        "missing required column 商家ID (merchant_id), 合同签署时间 (contract_signed_at)"
    )


def test_no_formula_note_for_an_ordinary_workbook():
    from conftest import XLSX

    assert run_file(XLSX, AFTER_DEADLINE).summary["notes"] == []


def test_one_merchant_spelt_two_ways_joins_and_is_a_duplicate(tmp_path):
    """`'100000000001` (an apostrophe typed to keep Excel from 1E+11) and
    `1000 0000 0001` are the merchant 100000000001 of the 违规记录 sheet: its 12 serious
    points close the fallback, and the two rows that name it are duplicates."""
    first = renewed_row("'100000000001")
    first[HEADER.index("续签报名时间")] = ""  # failed, so the fallback is asked
    path = workbook(
        tmp_path / "e.xlsx",
        {
            "商家": [HEADER, first, renewed_row("m2")],
            "违规记录": [
                ["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"],
                ["1000 0000 0001", date(2021, 6, 1), "严重违规", 12, "无"],
            ],
        },
    )
    (result, _) = run_file(path, AFTER_DEADLINE).results
    assert result["merchant_id"] == "100000000001"
    assert result["outcome"] == "failed" and result["transfer_eligible"] is False
    twice = workbook(
        tmp_path / "twice.xlsx", {"商家": [HEADER, first, renewed_row("100000000001")]}
    )
    outcomes = [(r["merchant_id"], r["outcome"]) for r in run_file(twice, AFTER_DEADLINE).results]
    assert outcomes == [("100000000001", "error"), ("100000000001", "error")]


def test_a_hidden_merchant_sheet_is_said_in_a_note(tmp_path):
    """A stale 商家 sheet hidden behind the one someone updates is still the sheet its name
    picks; a note says it is hidden, so nobody mistakes it for the visible one."""
    path = workbook(tmp_path / "e.xlsx", {"商家": [HEADER, RENEWED], "商家（最新）": [HEADER]})
    book = openpyxl.load_workbook(path)
    book["商家"].sheet_state = "hidden"
    book.active = 1
    book.save(path)
    notes = open_export(path).notes
    assert notes == [("note.hidden_sheet", {"sheet": "商家"})]
    run = run_file(path, AFTER_DEADLINE, lang="en")
    (note,) = run.summary["notes"]
    assert "sheet 商家, which is hidden" in note["message"]
    shown = workbook(tmp_path / "shown.xlsx", {"商家": [HEADER, RENEWED]})
    assert open_export(shown).notes == []


def test_an_interrupt_while_sheets_are_parsed_ends_the_opening_at_once(tmp_path, monkeypatch):
    """Ctrl-C while a large workbook opens: each sheet is parsed off the main thread (the
    main thread only waits, and a wait sees the signal; calamine does not look at signals
    while it parses), and the interrupt does not wait for the merchant sheet's parse."""
    import threading

    from renewal.intake import export as export_module
    from renewal.intake.tables import Workbook

    path = workbook(
        tmp_path / "e.xlsx",
        {
            "商家": [HEADER, RENEWED],
            "违规记录": [["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"]],
        },
    )
    parsed_on: dict[str, bool] = {}
    started, release = threading.Event(), threading.Event()
    finished: list[str] = []
    table = Workbook.table

    def slow_table(self, name, unread=None):
        parsed_on[name] = threading.current_thread() is threading.main_thread()
        if name == "商家":  # a long parse, still going when the interrupt comes
            started.set()
            release.wait(timeout=10)
            finished.append(name)
        return table(self, name, unread)

    def interrupted(path, tables, *args):
        list(tables)  # the supporting sheets are parsed, then Ctrl-C
        started.wait(timeout=10)
        raise KeyboardInterrupt

    monkeypatch.setattr(Workbook, "table", slow_table)
    monkeypatch.setattr(export_module, "index_sheets", interrupted)
    try:
        with pytest.raises(KeyboardInterrupt):
            open_export(path)
        assert finished == []  # not held up until the merchant sheet was read
    finally:
        release.set()
    assert parsed_on == {"商家": False, "违规记录": False}
