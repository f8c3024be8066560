"""Cells calamine reads as blank though they are not, however the file spells them.

- A formula's saved empty text (=IF(…,"",…), as Excel and LibreOffice save it: t="str"
  with an empty value) is a blank, not a formula without its result; a program that never
  calculated its formulas (openpyxl, xlsxwriter) writes something else, which still is.
- An Excel error (#N/A, #DIV/0! …) is an unreadable cell naming it in any legal sheet XML:
  elements under a prefix (<x:c>, the .NET Open XML SDK's default), attributes in another
  order or quote, another prefix for r:id, cells and rows without their r; and in an ods.
- An xls cannot be searched: the run says once that a blank may be an error there.

The workbooks are written here part by part, so each test says exactly what the file holds.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
import xlsxwriter
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewed_row, run_file
from test_workbook_kinds import ods_package

from renewal.intake.export import open_export
from renewal.intake.unread import unread_cells
from renewal.intake.values import EXCEL_ERROR_REASON, UNSAVED_REASON
from renewal.intake.workbook_facts import column_letter

BALANCE = EXPORT_HEADER.index("保证金余额")  # H
FEE_PAID = EXPORT_HEADER.index("年费已缴")  # I
TOPUP = len(EXPORT_HEADER)  # N, when a test adds 保证金补缴时间
XLS = Path(__file__).resolve().parent / "corpus" / "kinds" / "date1904.xls"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"


class Raw(str):
    """A cell given as its XML, `{r}` where its reference attribute goes (r="H2")."""


def sheet_xml(rows: list[list[object]], refs: bool = True, row_refs: bool = True) -> str:
    """<sheetData> of `rows` from row 1: text as inline strings, a `Raw` as it is, None as
    no cell; each cell and row with its r, or without (then `<c/>` holds a blank's place)."""
    lines = []
    for number, cells in enumerate(rows, start=1):
        xml = []
        for index, value in enumerate(cells):
            r = f' r="{column_letter(index)}{number}"' if refs else ""
            if isinstance(value, Raw):
                xml.append(value.replace("{r}", r))
            elif value is None:
                xml.append("" if refs else "<c/>")
            else:
                text = escape(str(value))
                xml.append(f'<c{r} t="inlineStr"><is><t>{text}</t></is></c>')
        attribute = f' r="{number}"' if row_refs else ""
        lines.append(f"<row{attribute}>{''.join(xml)}</row>")
    return f"<sheetData>{''.join(lines)}</sheetData>"


def prefixed(xml: str, prefix: str) -> str:
    """Every element of the main namespace under `prefix`, as the Open XML SDK writes it."""
    xml = xml.replace(f'xmlns="{MAIN}"', f'xmlns:{prefix}="{MAIN}"')
    return re.sub(r"<(/?)([A-Za-z]\w*)([\s/>])", rf"<\1{prefix}:\2\3", xml)


def xlsx(
    path: Path,
    sheets: dict[str, str],
    prefix: str = "",
    relationship_prefix: str = "r",
    recalculate: bool = False,
) -> Path:
    """An xlsx of `sheets` (name -> <sheetData> XML), written part by part: its elements
    under `prefix` when one is given, its sheets' relationship ids under
    `relationship_prefix`, and fullCalcOnLoad when it is to be calculated on opening."""
    names = list(sheets)
    calculation = '<calcPr calcId="124519" fullCalcOnLoad="1"/>' if recalculate else ""
    book = (
        f'<workbook xmlns="{MAIN}" xmlns:{relationship_prefix}="{RELATIONSHIPS}"><sheets>'
        + "".join(
            f'<sheet name="{escape(name)}" sheetId="{n}" {relationship_prefix}:id="rId{n}"/>'
            for n, name in enumerate(names, start=1)
        )
        + f"</sheets>{calculation}</workbook>"
    )
    relations = (
        f'<Relationships xmlns="{PACKAGE}">'
        + "".join(
            f'<Relationship Id="rId{n}" Target="worksheets/sheet{n}.xml"'
            f' Type="{RELATIONSHIPS}/worksheet"/>'
            for n in range(1, len(names) + 1)
        )
        + "</Relationships>"
    )
    package = (
        f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" Target="xl/workbook.xml"'
        f' Type="{RELATIONSHIPS}/officeDocument"/></Relationships>'
    )
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="rels"'
        ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for n in range(1, len(names) + 1)
        )
        + "</Types>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", package)
        archive.writestr("xl/workbook.xml", prefixed(book, prefix) if prefix else book)
        archive.writestr("xl/_rels/workbook.xml.rels", relations)
        for n, name in enumerate(names, start=1):
            sheet = f'<worksheet xmlns="{MAIN}">{sheets[name]}</worksheet>'
            archive.writestr(
                f"xl/worksheets/sheet{n}.xml", prefixed(sheet, prefix) if prefix else sheet
            )
    return path


def error(name: str, formula: str = "VLOOKUP(A2,价目!A:B,2,FALSE)") -> Raw:
    return Raw(f'<c{{r}} t="e"><f>{escape(formula)}</f><v>{name}</v></c>')


def merchant_rows(balance: object, fee_paid: object) -> list[list[object]]:
    """The header and two renewed merchants, the first with these two cells."""
    first = renewed_row("100000000001")
    first[BALANCE], first[FEE_PAID] = balance, fee_paid
    return [EXPORT_HEADER, first, renewed_row("100000000002")]


def unreadable(path: Path) -> dict[str, dict[str, tuple[str, str]]]:
    return {m.merchant_id: m.unreadable for m in open_export(path).merchants}


# -- a saved empty text is a blank --------------------------------------------------------


def topup_rows(*topups: object) -> list[list[object]]:
    """Merchants that renewed, with 保证金补缴时间 (N) beside them: one a merchant."""
    rows: list[list[object]] = [[*EXPORT_HEADER, "保证金补缴时间"]]
    for n, topup in enumerate(topups, start=1):
        rows.append([*renewed_row(f"10000000000{n}"), topup])
    return rows


@pytest.mark.parametrize(
    "saved",
    [
        # Excel: PhpSpreadsheet issue #1977 shows it writing ="" so
        Raw('<c{r} t="str"><f>IF(H2&gt;=50000,"","待补缴")</f><v/></c>'),
        # LibreOffice
        Raw('<c{r} s="0" t="str"><f aca="false">IF(H2&gt;=50000,"","待补缴")</f><v></v></c>'),
    ],
    ids=["excel", "libreoffice"],
)
def test_a_formulas_saved_empty_text_is_a_blank(tmp_path, saved):
    """=IF(…,"",…) under 保证金补缴时间 saved by Excel or LibreOffice: no top-up, as a blank
    cell says; the merchant renewed and no note asks to save the file again (which would
    change nothing: Excel writes the same). A formula without its result beside it, as a
    program writes one, is still unreadable."""
    unsaved = Raw('<c{r}><f>IF(H3&gt;=50000,"","待补缴")</f><v/></c>')
    path = xlsx(tmp_path / "e.xlsx", {"商家": sheet_xml(topup_rows(saved, unsaved))})
    assert unread_cells(path, "商家") == {3: {TOPUP: '=IF(H3>=50000,"","待补缴")'}}
    assert unreadable(path) == {
        "100000000001": {},
        "100000000002": {"deposit_topped_up_at": ('=IF(H3>=50000,"","待补缴")', UNSAVED_REASON)},
    }
    run = run_file(path, AFTER_DEADLINE)
    outcomes = {result["merchant_id"]: result["outcome"] for result in run.results}
    assert outcomes == {"100000000001": "renewed", "100000000002": "error"}
    (note,) = run.summary["notes"]
    assert (note["code"], note["cells"]) == ("note.formulas", "N3")


def test_a_helper_formula_filled_down_past_the_data_makes_no_merchants(tmp_path):
    """ID长度 =IF(A2="","",LEN(A2)) filled down to row 20, two merchants above: the rows
    below them hold its saved empty text and nothing else, and are blank rows, not
    merchants without an id (LibreOffice saved it)."""
    rows: list[list[object]] = [[*EXPORT_HEADER, "ID长度"]]
    for number in range(2, 21):
        formula = f'<f aca="false">IF(A{number}="","",LEN(A{number}))</f>'
        if number <= 3:
            rows.append(
                [*renewed_row(f"10000000000{number}"), Raw(f"<c{{r}}>{formula}<v>12</v></c>")]
            )
        else:
            rows.append(
                [None] * len(EXPORT_HEADER) + [Raw(f'<c{{r}} t="str">{formula}<v></v></c>')]
            )
    path = xlsx(tmp_path / "e.xlsx", {"商家": sheet_xml(rows)})
    assert unread_cells(path, "商家") == {}
    export = open_export(path)
    assert [m.merchant_id for m in export.merchants] == ["100000000002", "100000000003"]
    assert (export.blank_rows, export.notes) == (17, [])


def test_a_helper_formula_a_program_filled_down_without_results_makes_no_rows(tmp_path):
    """The same helper column in a workbook openpyxl wrote, on 商家 and on 违规记录: no
    result is kept, so its cells are unreadable and a note names them (calamine does not
    even see the rows below the data: they are read all the same); but a row with
    nothing else on it is no merchant and no merchant's penalty."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    sheet.append([*EXPORT_HEADER, "ID长度"])
    for number in range(2, 8):
        data = renewed_row(f"10000000000{number}") if number <= 3 else [None] * len(EXPORT_HEADER)
        sheet.append([*data, f'=IF(A{number}="","",LEN(A{number}))'])
    penalties = book.create_sheet("违规记录")
    penalties.append(["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态", "ID长度"])
    penalties.append(["100000000002", "2021-06-01", "一般违规", 2, "无", "=LEN(A2)"])
    for number in range(3, 6):
        penalties.append([None] * 5 + [f'=IF(A{number}="","",LEN(A{number}))'])
    book.save(path := tmp_path / "e.xlsx")
    export = open_export(path)
    assert [m.merchant_id for m in export.merchants] == ["100000000002", "100000000003"]
    assert export.skipped_lines == 4
    assert export.unmatched(export.attached) == []
    formulas = [named for key, named in export.notes if key == "note.formulas"]
    assert [(named["sheet"], named["cells"]) for named in formulas] == [
        ("违规记录", ["F2", "F3", "F4", "F5"])
    ]
    (note,) = export.unsaved_notes()
    assert note[1]["cells"] == ["N2", "N3", "N4", "N5", "N6", "N7"]


def test_what_openpyxl_and_xlsxwriter_write_for_a_formula_they_never_calculated(tmp_path):
    """openpyxl writes no type and an empty value; xlsxwriter writes a 0 (or, told the
    result is "", an empty value with no type) and asks for the workbook to be calculated
    when opened. Each is a formula without its result: unreadable, never ¥0. A text result
    the program gave (t="str") is read as given; a 0 in a workbook Excel saved is a 0."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    for row in merchant_rows("=40000+10000", '=IF(1,"","x")'):
        sheet.append(row)
    book.save(by_openpyxl := tmp_path / "openpyxl.xlsx")
    with zipfile.ZipFile(by_openpyxl) as archive:
        written = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="H2"><f>40000+10000</f><v /></c>' in written

    writer = xlsxwriter.Workbook(by_xlsxwriter := tmp_path / "xlsxwriter.xlsx")
    sheet = writer.add_worksheet("商家")
    for number, row in enumerate(merchant_rows(None, None)):
        sheet.write_row(number, 0, row)
    sheet.write_formula(1, BALANCE, "=40000+10000")
    sheet.write_formula(1, FEE_PAID, '=IF(1,"","x")', None, "")
    sheet.write_formula(2, BALANCE, '="50000"', None, "50000")
    writer.close()
    with zipfile.ZipFile(by_xlsxwriter) as archive:
        written = archive.read("xl/worksheets/sheet1.xml").decode()
        calculation = archive.read("xl/workbook.xml").decode()
    assert '<c r="H2"><f>40000+10000</f><v>0</v></c>' in written
    assert '<c r="I2"><f>IF(1,"","x")</f><v></v></c>' in written
    assert '<c r="H3" t="str"><f>"50000"</f><v>50000</v></c>' in written
    assert 'fullCalcOnLoad="1"' in calculation

    expected = {"deposit_balance": ("=40000+10000", UNSAVED_REASON)}
    expected["annual_fee_paid"] = ('=IF(1,"","x")', UNSAVED_REASON)
    for path in (by_openpyxl, by_xlsxwriter):
        assert unreadable(path) == {"100000000001": expected, "100000000002": {}}

    excel_saved = xlsx(  # the same cells as Excel saves them: a 0 is what the formula gave
        tmp_path / "excel.xlsx",
        {"商家": sheet_xml(merchant_rows(Raw("<c{r}><f>40000-40000</f><v>0</v></c>"), "60000"))},
    )
    assert unread_cells(excel_saved, "商家") == {}
    (first, _) = open_export(excel_saved).merchants
    assert (first.deposit_balance, first.unreadable) == (0, {})


# -- error cells in any legal XML ---------------------------------------------------------


ERRORS = merchant_rows(error("#N/A"), error("#DIV/0!", "1/0"))
FOUND = {2: {BALANCE: "#N/A", FEE_PAID: "#DIV/0!"}}
READ = {
    "100000000001": {
        "deposit_balance": ("#N/A", EXCEL_ERROR_REASON),
        "annual_fee_paid": ("#DIV/0!", EXCEL_ERROR_REASON),
    },
    "100000000002": {},
}


def _reordered(xml: str) -> str:
    """Each cell's r after its other attributes: <c t="e" r="H2">."""
    return re.sub(r'<c r="([A-Z]+\d+)"([^>]*?)(/?)>', r'<c\2 r="\1"\3>', xml)


def _single_quoted(xml: str) -> str:
    return re.sub(r'(\s[\w:]+)="([^"]*)"', r"\1='\2'", xml)


@pytest.mark.parametrize(
    ("sheet", "options"),
    [
        (sheet_xml(ERRORS), {}),
        (sheet_xml(ERRORS), {"prefix": "x"}),
        (_reordered(sheet_xml(ERRORS)), {}),
        (sheet_xml(ERRORS), {"relationship_prefix": "ns1"}),
        (sheet_xml(ERRORS, refs=False), {}),
        (sheet_xml(ERRORS, refs=False, row_refs=False), {"prefix": "x"}),
        (_single_quoted(sheet_xml(ERRORS)), {}),
        (sheet_xml(ERRORS).replace("<v>#", '<v xml:space="preserve">#'), {}),
    ],
    ids=[
        "excel",
        "prefixed",
        "attributes-reordered",
        "ns1-id",
        "cells-without-r",
        "prefixed-rows-and-cells-without-r",
        "single-quotes",
        "value-attribute",
    ],
)
def test_an_error_cell_is_unreadable_however_the_xml_spells_it(tmp_path, sheet, options):
    path = xlsx(tmp_path / "e.xlsx", {"商家": sheet}, **options)
    assert unread_cells(path, "商家") == FOUND
    assert unreadable(path) == READ


def test_a_formula_without_its_result_in_prefixed_xml(tmp_path):
    """<x:c r="H2"><x:f>…</x:f><x:v /></x:c>, as the Open XML SDK writes a formula a
    program set and nothing calculated."""
    cell = Raw("<c{r}><f>40000+10000</f><v /></c>")
    path = xlsx(tmp_path / "e.xlsx", {"商家": sheet_xml(merchant_rows(cell, "60000"))}, prefix="x")
    assert unread_cells(path, "商家") == {2: {BALANCE: "=40000+10000"}}
    run = run_file(path, AFTER_DEADLINE)
    (note,) = run.summary["notes"]
    assert (note["code"], note["cells"]) == ("note.formulas", "H2")


def test_cells_without_r_are_counted_as_calamine_counts_them(tmp_path):
    """A cell without r is in the column after the cell before it, one with r where r
    says (a row may mix them), and an empty <c/> holds a place; a row without r is the
    row after the one before. The errors land on the cells calamine reads as blank."""
    row = renewed_row("100000000001")
    cells = [f'<c r="A4" t="inlineStr"><is><t>{row[0]}</t></is></c>']
    cells += [f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in row[1:4]]
    cells += [f'<c r="E4" t="inlineStr"><is><t>{row[4]}</t></is></c>', "<c/>", "<c/>"]
    cells += ['<c t="e"><v>#N/A</v></c>', '<c t="e"><f>1/0</f><v>#DIV/0!</v></c>']
    cells += [f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in row[9:]]
    merchant = f"<row>{''.join(cells)}</row>"
    header = sheet_xml([EXPORT_HEADER], refs=False, row_refs=False)[
        len("<sheetData>") : -len("</sheetData>")
    ]
    blank = '<row r="2"><c r="A2" t="inlineStr"><is><t>说明</t></is></c></row>'
    path = xlsx(
        tmp_path / "e.xlsx",
        {"商家": f"<sheetData>{header}{blank}<row/>{merchant}</sheetData>"},
    )
    assert unread_cells(path, "商家") == {4: {BALANCE: "#N/A", FEE_PAID: "#DIV/0!"}}
    (merchant_read,) = [m for m in open_export(path).merchants if m.merchant_id]
    assert merchant_read.contract_signed_at is not None  # E: placed by its r
    assert merchant_read.signup_at is None and merchant_read.agreement_signed_at is None
    assert merchant_read.unreadable == READ["100000000001"]


def test_cells_without_r_are_counted_across_a_long_sheet(tmp_path):
    """The sheet's XML is read a megabyte at a time: rows and cells without r are counted
    across the pieces, and an error deep in the sheet lands on its row."""
    rows = [EXPORT_HEADER] + [renewed_row(f"1{n:011d}") for n in range(1, 30_001)]
    rows[29_000][BALANCE] = error("#REF!")
    sheet = sheet_xml(rows, refs=False, row_refs=False)
    assert len(sheet) > 3 << 20
    path = xlsx(tmp_path / "long.xlsx", {"商家": sheet})
    assert unread_cells(path, "商家") == {29_001: {BALANCE: "#REF!"}}


# -- ods ----------------------------------------------------------------------------------


def ods_cell(value: object) -> str:
    if isinstance(value, Raw):
        return value
    if value is None:
        return "<table:table-cell/>"
    text = f"<text:p>{escape(str(value))}</text:p>"
    return f'<table:table-cell office:value-type="string">{text}</table:table-cell>'


def ods(path: Path, rows: list[str]) -> Path:
    """An ods whose sheet 商家 holds `rows` (<table:table-row> XML), with the parts calamine
    reads, as LibreOffice writes them."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"'
        ' xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
        ' office:version="1.3"><office:body><office:spreadsheet>'
        '<table:table table:name="说明"><table:table-row>'
        f"{ods_cell('这张表不是商家')}</table:table-row></table:table>"
        f'<table:table table:name="商家">{"".join(rows)}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    return ods_package(path, content, "1.3")


def ods_row(cells: list[object], repeated: int = 1) -> str:
    attribute = f' table:number-rows-repeated="{repeated}"' if repeated > 1 else ""
    return f"<table:table-row{attribute}>{''.join(map(ods_cell, cells))}</table:table-row>"


def libreoffice_error(shown: str, formula: str) -> Raw:
    return Raw(
        f'<table:table-cell table:formula="of:={escape(formula, {chr(34): "&quot;"})}"'
        ' office:value-type="string" office:string-value="" calcext:value-type="error">'
        f"<text:p>{shown}</text:p></table:table-cell>"
    )


def test_an_ods_error_cell_is_unreadable_not_blank(tmp_path):
    """An ods LibreOffice saved: #N/A, and Err:502 (which it saves as #VALUE! in an
    xlsx), each on the cell calamine reads as blank, its rows and columns counted with
    their repeats; and a formula with no value type, whose result the file does not keep."""
    first = renewed_row("100000000001")
    first[BALANCE] = libreoffice_error("#N/A", 'VLOOKUP("nope";[.T1:.T2];1;FALSE())')
    first[FEE_PAID] = libreoffice_error("Err:502", 'DATEVALUE("x")')
    second = renewed_row("100000000002")
    second[BALANCE] = Raw('<table:table-cell table:formula="of:=[.H2]+[.I2]"/>')
    squeezed = first[:5] + [Raw('<table:table-cell table:number-columns-repeated="2"/>')]
    squeezed += first[7:]  # 续签报名时间 and 协议签署时间 blank: one cell repeated twice
    rows = [ods_row(EXPORT_HEADER), ods_row([None], repeated=3), ods_row(squeezed), ods_row(second)]
    path = ods(tmp_path / "e.ods", rows)
    assert unread_cells(path, "商家") == {
        5: {BALANCE: "#N/A", FEE_PAID: "#VALUE!"},
        6: {BALANCE: "=H2+I2"},
    }
    assert unreadable(path) == {
        "100000000001": {
            "deposit_balance": ("#N/A", EXCEL_ERROR_REASON),
            "annual_fee_paid": ("#VALUE!", EXCEL_ERROR_REASON),
        },
        "100000000002": {"deposit_balance": ("=H2+I2", UNSAVED_REASON)},
    }


# -- xls ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        (
            "zh",
            "这是 .xls 格式的工作簿：其中的 Excel 错误值（#N/A、#DIV/0! 等）读出来与空白单元格无法区分",
        ),
        ("en", "an Excel error value (#N/A, #DIV/0! …) cannot be told from a blank cell"),
    ],
    ids=["zh", "en"],
)
def test_an_xls_says_once_that_a_blank_may_be_an_error(tmp_path, lang, says):
    """In an xls python-calamine reads an error as blank and nothing can tell: a blank
    amount is ¥0. The run says so once, and how to fix it (save as .xlsx); an xlsx's run
    does not."""
    notes = run_file(XLS, AFTER_DEADLINE, lang=lang).summary["notes"]
    (note,) = [note for note in notes if note["code"] == "note.errors_unseen"]
    assert says in note["message"] and ".xlsx" in note["message"]
    path = xlsx(tmp_path / "e.xlsx", {"商家": sheet_xml(merchant_rows("50000", "60000"))})
    assert run_file(path, AFTER_DEADLINE).summary["notes"] == []
