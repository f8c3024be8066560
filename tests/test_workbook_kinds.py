"""What a workbook is, and what calamine does not say about it.

- A workbook in the 1904 date system (Mac Excel's) holds its dates as days since
  1904-01-01: a serial in a General cell ("paste values") means a day 1462 days later than
  the same number in the usual 1900 system, in the merchant sheet and the supporting ones.
- Its content decides how a workbook is opened, not its name: an xlsx named .xls, an xls or
  an ods named .xlsx are read (calamine picks its reader by the name), `input.kind` says
  what the file is, and a note says the name is wrong. An Excel 4.0 macro sheet, which
  calamine cannot read past, is refused as what it is, not as a damaged file.
- An Excel Table's totals row is no merchant, even when its first cell is a COUNT.

The legacy .xls is `tests/corpus/kinds/date1904.xls`, made by LibreOffice from the script
beside it (Python writes no xls); the ods files are written here.
"""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewal, renewed_row, run_file
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from openpyxl.worksheet.table import Table

from renewal.intake.export import open_export
from renewal.intake.tables import IntakeError, Phrase
from renewal.model import Merchant
from renewal.timeutil import BEIJING

XLS_1904 = Path(__file__).resolve().parent / "corpus" / "kinds" / "date1904.xls"

CONTRACT = datetime(2020, 1, 1, 10, 0)
RENEWED = datetime(2021, 11, 20, 10, 0)
PENALIZED = datetime(2021, 6, 1)
EXPIRES = datetime(2023, 3, 31)
MOMENT_COLUMNS = [EXPORT_HEADER.index(name) for name in ("续签报名时间", "协议签署时间")]
MOMENT_COLUMNS.append(EXPORT_HEADER.index("年费缴纳时间"))
CONTRACT_COLUMN = EXPORT_HEADER.index("合同签署时间")
VIOLATION_HEADER = ["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"]
QUALIFICATION_HEADER = ["商家ID", "资质类型", "证书编号", "到期日期"]


def serial(moment: datetime, system: int = 1904) -> float:
    """Excel's serial of `moment` in the 1904 or the 1900 date system (after 1900-03-01)."""
    zero = datetime(1904, 1, 1) if system == 1904 else datetime(1899, 12, 30)
    return (moment - zero) / timedelta(days=1)


def renewed_in(system: int, merchant_id: str = "100000000001") -> list[object]:
    """A merchant that renewed on 2021-11-20 10:00, its times held as `system` serials."""
    row = renewed_row(merchant_id)
    row[CONTRACT_COLUMN] = serial(CONTRACT, system)
    for column in MOMENT_COLUMNS:
        row[column] = serial(RENEWED, system)
    return row


def sheets_in(system: int) -> dict[str, list[list[object]]]:
    """商家, 违规记录 and 资质, every date a `system` serial in a General cell."""
    return {
        "商家": [EXPORT_HEADER, renewed_in(system)],
        "违规记录": [
            VIOLATION_HEADER,
            ["100000000001", serial(PENALIZED, system), "一般违规", 2, "无"],
        ],
        "资质": [
            QUALIFICATION_HEADER,
            ["100000000001", "商标注册证", "T1", serial(EXPIRES, system)],
        ],
    }


def xlsx(path: Path, sheets: dict[str, list[list[object]]], date1904: bool = False) -> Path:
    book = openpyxl.Workbook()
    if date1904:
        book.epoch = CALENDAR_MAC_1904
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def ods(path: Path, sheets: dict[str, list[list[object]]], null_date: str | None = None) -> Path:
    """An OpenDocument spreadsheet as LibreOffice writes one, with the parts calamine reads:
    text cells and float cells, and the null date (the day a number 0 is) when given."""

    def cell(value: object) -> str:
        if isinstance(value, str):
            text = f"<text:p>{escape(value)}</text:p>"
            return f'<table:table-cell office:value-type="string">{text}</table:table-cell>'
        return f'<table:table-cell office:value-type="float" office:value="{value!r}"/>'

    settings = ""
    if null_date is not None:
        settings = (
            "<table:calculation-settings>"
            f'<table:null-date table:date-value="{null_date}"/>'
            "</table:calculation-settings>"
        )
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(map(cell, row)) + "</table:table-row>" for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{settings}{tables}</office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    return ods_package(path, content, "1.2")


def ods_package(path: Path, content: str, version: str) -> Path:
    """An ods file of `content` (content.xml) and the parts beside it that LibreOffice
    writes: the stored mimetype first, and the manifest of ODF `version`."""
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
        f' manifest:version="{version}"><manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        mimetype = "application/vnd.oasis.opendocument.spreadsheet"
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


def merchants(path: Path) -> list[Merchant]:
    return list(open_export(path).merchants)


def beijing(moment: datetime) -> datetime:
    return moment.replace(tzinfo=BEIJING)


def dates_read(merchant: Merchant) -> tuple[object, ...]:
    return (
        merchant.contract_signed_at,
        merchant.signup_at,
        merchant.agreement_signed_at,
        merchant.annual_fee_paid_at,
        [violation.penalized_on for violation in merchant.violations],
        [document.expires for document in merchant.qualifications],
    )


EXPECTED_DATES = (
    beijing(CONTRACT),
    beijing(RENEWED),
    beijing(RENEWED),
    beijing(RENEWED),
    [PENALIZED.date()],
    [EXPIRES.date()],
)


# -- the 1904 date system ---------------------------------------------------------------


def test_general_serials_of_a_1904_xlsx_are_its_days(tmp_path):
    """`<workbookPr date1904="1"/>`: a serial in a General cell is read in the workbook's
    own system, on the merchant sheet, in 违规记录 and in 资质 alike."""
    path = xlsx(tmp_path / "mac.xlsx", sheets_in(1904), date1904=True)
    (merchant,) = merchants(path)
    assert dates_read(merchant) == EXPECTED_DATES


def test_a_1900_xlsx_keeps_its_serials(tmp_path):
    """The same dates as 1900 serials in an ordinary workbook: read as they were."""
    path = xlsx(tmp_path / "pc.xlsx", sheets_in(1900))
    (merchant,) = merchants(path)
    assert dates_read(merchant) == EXPECTED_DATES


def test_a_1904_workbooks_verdicts(tmp_path):
    """Read in the 1900 system, this merchant would have signed up in 2017, before the
    window: failed, where it renewed."""
    path = xlsx(tmp_path / "mac.xlsx", sheets_in(1904), date1904=True)
    run = run_file(path, AFTER_DEADLINE)
    assert [(r["merchant_id"], r["outcome"]) for r in run.results] == [("100000000001", "renewed")]


def test_the_xlsx_report_of_a_1904_workbook_counts_from_1904_too(tmp_path):
    """The report hands the export's serials back as they are: it counts from 1904 as
    the export does, so checked again it gives the same verdicts, and its own dates
    (截止时间) are still the right days."""
    path = xlsx(tmp_path / "mac.xlsx", sheets_in(1904), date1904=True)
    report = tmp_path / "report.xlsx"
    as_of = ("--rules", "tmall-2022", "--as-of", "2021-12-27 00:00", "--fail-on", "never")
    assert renewal("check", path, *as_of, "-o", report).returncode == 0
    book = openpyxl.load_workbook(report)
    assert book.epoch == CALENDAR_MAC_1904
    sheet = book.worksheets[0]
    heads = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, heads.index("截止时间") + 1).value == datetime(2021, 12, 26, 18, 0)
    again = renewal("check", report, *as_of, "-f", "json")
    outcomes = [(m["merchant_id"], m["outcome"]) for m in json.loads(again.stdout)["merchants"]]
    assert outcomes == [("100000000001", "renewed")]


def test_the_csv_report_of_a_1904_workbook_writes_its_serials_as_1900_ones(tmp_path):
    """A CSV has no date system: the report writes a 1904 serial as the 1900 system's
    number of the same day, so checked again it gives the same verdicts."""
    path = xlsx(tmp_path / "mac.xlsx", sheets_in(1904), date1904=True)
    report = tmp_path / "report.csv"
    as_of = ("--rules", "tmall-2022", "--as-of", "2021-12-27 00:00", "--fail-on", "never")
    assert renewal("check", path, *as_of, "-o", report).returncode == 0
    with report.open(encoding="utf-8-sig") as stream:
        rows = list(csv.reader(stream))
    signed_up = rows[1][rows[0].index("续签报名时间")]
    assert float(signed_up) == pytest.approx(serial(RENEWED, 1900))
    again = renewal("check", report, *as_of, "-f", "json")
    outcomes = [(m["merchant_id"], m["outcome"]) for m in json.loads(again.stdout)["merchants"]]
    assert outcomes == [("100000000001", "renewed")]


def test_a_1904_workbooks_date_cells_numbers_and_text_stay_as_they_are(tmp_path):
    """Only a serial of the workbook's is moved: a date-formatted cell is a date already
    (calamine converts it in the workbook's system), and a YYYYMMDD number, text and a
    time of day (below 1) are no serials of its."""
    row = renewed_in(1904)
    row[CONTRACT_COLUMN] = CONTRACT  # a date cell, which openpyxl writes in 1904 serials
    row[MOMENT_COLUMNS[0]] = 20211120  # a YYYYMMDD number
    row[MOMENT_COLUMNS[1]] = "2021-11-20 10:00"
    row[MOMENT_COLUMNS[2]] = 0.5  # a time of day with no date
    path = xlsx(tmp_path / "mac.xlsx", {"商家": [EXPORT_HEADER, row]}, date1904=True)
    (merchant,) = merchants(path)
    assert merchant.contract_signed_at == beijing(CONTRACT)
    assert merchant.signup_at == beijing(datetime(2021, 11, 20))
    assert merchant.agreement_signed_at == beijing(RENEWED)
    assert merchant.annual_fee_paid_at is None
    assert set(merchant.unreadable) == {"annual_fee_paid_at"}


def test_a_1904_and_a_1900_workbook_read_the_same_number_each_in_its_own_system(tmp_path):
    """Each workbook's read plan remembers what a number gave, for its own system: the
    same serial in two workbooks read one after the other is two days 1462 days apart."""
    number = serial(RENEWED, 1904)
    row_1904 = renewed_in(1904)
    row_1900 = renewed_in(1900)
    row_1900[MOMENT_COLUMNS[0]] = number
    mac = xlsx(tmp_path / "mac.xlsx", {"商家": [EXPORT_HEADER, row_1904]}, date1904=True)
    pc = xlsx(tmp_path / "pc.xlsx", {"商家": [EXPORT_HEADER, row_1900]})
    assert merchants(mac)[0].signup_at == beijing(RENEWED)
    assert merchants(pc)[0].signup_at == beijing(RENEWED - timedelta(days=1462))


def test_an_ods_whose_null_date_is_1904(tmp_path):
    """LibreOffice keeps a 1904 workbook's system as the null date 1904-01-01."""
    path = ods(tmp_path / "mac.ods", sheets_in(1904), null_date="1904-01-01")
    (merchant,) = merchants(path)
    assert dates_read(merchant) == EXPECTED_DATES


def test_an_ods_with_the_usual_null_date(tmp_path):
    path = ods(tmp_path / "pc.ods", sheets_in(1900), null_date="1899-12-30")
    (merchant,) = merchants(path)
    assert dates_read(merchant) == EXPECTED_DATES


def test_an_xls_in_the_1904_system():
    """The xls's DATEMODE record says 1904 (its workbook stream, small enough to lie in
    the compound file's mini stream)."""
    export = open_export(XLS_1904)
    assert export.kind == "xls"
    (merchant,) = export.merchants
    assert merchant.contract_signed_at == beijing(CONTRACT)
    assert merchant.signup_at == beijing(RENEWED)
    assert [violation.penalized_on for violation in merchant.violations] == [PENALIZED.date()]


# -- the content decides, not the name ------------------------------------------------------


def _xlsx_named(folder: Path, name: str) -> Path:
    return xlsx(folder / name, {"商家": [EXPORT_HEADER, renewed_row("100000000001")]})


def _xls_named(folder: Path, name: str) -> Path:
    return Path(shutil.copyfile(XLS_1904, folder / name))


def _ods_named(folder: Path, name: str) -> Path:
    return ods(folder / name, {"商家": [EXPORT_HEADER, renewed_row("100000000001")]})


@pytest.mark.parametrize(
    ("make", "name", "kind"),
    [
        (_xlsx_named, "export.xls", "xlsx"),
        (_xls_named, "export.xlsx", "xls"),
        (_ods_named, "export.xlsx", "ods"),
        (_ods_named, "export.xls", "ods"),
        (_xlsx_named, "export.XLSX", "xlsx"),
    ],
)
def test_a_workbook_is_read_as_what_it_is(tmp_path, make, name, kind):
    """calamine picks its reader by the name (it read an xlsx named .xls as a broken xls,
    and called it damaged); renewal opens the file as what its bytes are, says so, and
    names the format in `input.kind`."""
    path = make(tmp_path, name)
    export = open_export(path)
    assert export.kind == kind
    assert [merchant.merchant_id for merchant in export.merchants] == ["100000000001"]
    suffix = Path(name).suffix
    expected = (
        []
        if suffix == ".XLSX"
        else [("note.workbook_named_other", {"suffix": suffix, "kind": kind})]
    )
    assert [note for note in export.notes if note[0].startswith(NAMED_NOTES)] == expected


NAMED_NOTES = ("note.workbook_named_", "note.text_named_")
"""The notes that say a file is not what its name says (an xls has others: its error
cells cannot be told from blanks)."""


@pytest.mark.parametrize(
    ("make", "name", "kind"),
    [
        (_xlsx_named, "export.xlsx", "xlsx"),
        (_xls_named, "export.xls", "xls"),
        (_ods_named, "export.ods", "ods"),
    ],
)
def test_input_kind_says_what_the_file_is(tmp_path, make, name, kind):
    run = run_file(make(tmp_path, name), AFTER_DEADLINE)
    assert run.header is not None
    assert run.header.input["kind"] == kind
    codes = [note["code"] for note in run.summary["notes"]]
    assert [code for code in codes if code.startswith(NAMED_NOTES)] == []


def test_the_json_report_names_an_ods_export(tmp_path):
    path = _ods_named(tmp_path, "export.xlsx")
    done = renewal("check", path, "--rules", "tmall-2022", "--as-of", "2021-12-27", "-f", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["input"]["kind"] == "ods"
    assert [note["code"] for note in report["summary"]["notes"]] == ["note.workbook_named_other"]


MACRO_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xm:macrosheet'
    b' xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    b' xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1">'
    b'<c r="A1" t="str"><f>HALT()</f><v>TRUE</v></c></row></sheetData></xm:macrosheet>'
)


def with_macro_sheet(source: Path, path: Path) -> Path:
    """`source` with a hidden Excel 4.0 macro sheet 宏1, as Excel saves one in an xlsm."""
    edits = {
        "xl/workbook.xml": (
            b"</sheets>",
            '<sheet name="宏1" sheetId="9" state="hidden" r:id="rIdM"/></sheets>'.encode(),
        ),
        "xl/_rels/workbook.xml.rels": (
            b"</Relationships>",
            b'<Relationship Id="rIdM" Type="http://schemas.microsoft.com/office/2006/'
            b'relationships/xlMacrosheet" Target="macrosheets/sheet1.xml"/></Relationships>',
        ),
        "[Content_Types].xml": (
            b"</Types>",
            b'<Override PartName="/xl/macrosheets/sheet1.xml"'
            b' ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>',
        ),
    }
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename in edits:
                mark, replacement = edits[item.filename]
                assert mark in data
                data = data.replace(mark, replacement)
            new.writestr(item.filename, data)
        new.writestr("xl/macrosheets/sheet1.xml", MACRO_SHEET)
    return path


def test_an_excel_4_macro_sheet_is_refused_as_what_it_is(tmp_path):
    """calamine refuses a workbook with an XLM macro sheet whole (`Unrecognized
    sheet:type`), with no option to read its worksheets: the file is not damaged, and the
    user is told which sheet to delete, or to save the workbook as .xlsx."""
    source = _xlsx_named(tmp_path, "plain.xlsx")
    path = with_macro_sheet(source, tmp_path / "macro.xlsm")
    with pytest.raises(IntakeError) as refused:
        open_export(path)
    assert refused.value.key == "intake.not_workbook"
    assert refused.value.values["reason"] == Phrase("workbook.macro_sheet", (("sheets", ["宏1"]),))
    zh, en = refused.value.message("zh"), refused.value.message("en")
    assert "Excel 4.0 宏表 宏1" in zh and "已损坏" not in zh.replace("没有损坏", "")
    assert "Excel 4.0 macro sheet 宏1" in en and "save the workbook as .xlsx" in en


# -- an Excel Table's totals row ------------------------------------------------------------


def with_table(path: Path, rows: list[list[object]], ref: str, totals: bool = True) -> Path:
    """A 商家 sheet of `rows` with an Excel Table over `ref`, its last row the totals row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    for row in rows:
        sheet.append(row)
    table = Table(displayName="商家表", ref=ref, totalsRowCount=1 if totals else None)
    table._initialise_columns()
    sheet.add_table(table)
    book.save(path)
    return path


def totals_line(count: object) -> list[object]:
    """A Table's totals row as Excel keeps it once calculated: SUBTOTAL(103, …)'s count
    under 商家ID, the sums of the amounts, no label."""
    line: list[object] = [""] * len(EXPORT_HEADER)
    line[0] = count
    line[EXPORT_HEADER.index("保证金余额")] = 100000
    line[EXPORT_HEADER.index("年费已缴")] = 120000
    return line


def outcomes(run) -> list[tuple[str | None, str]]:
    return [(r["merchant_id"], r["outcome"]) for r in run.results]


def test_a_tables_totals_row_with_a_count_is_not_a_merchant(tmp_path):
    """Read by its cells alone, the count 2 would be merchant 2's id, an error row."""
    rows = [EXPORT_HEADER, renewed_row("m1"), renewed_row("m2"), totals_line(2)]
    path = with_table(tmp_path / "table.xlsx", rows, "A1:M4")
    run = run_file(path, AFTER_DEADLINE)
    assert outcomes(run) == [("m1", "renewed"), ("m2", "renewed")]
    assert run.summary["other_lines_skipped"] == 1
    assert run.summary["notes"] == []


def test_a_merchant_below_a_tables_totals_row_is_still_read(tmp_path):
    """As below a 合计 line: a row pasted under the Table that looks like a merchant's."""
    rows = [EXPORT_HEADER, renewed_row("m1"), totals_line(1), renewed_row("m3")]
    path = with_table(tmp_path / "table.xlsx", rows, "A1:M3")
    run = run_file(path, AFTER_DEADLINE)
    assert outcomes(run) == [("m1", "renewed"), ("m3", "renewed")]
    assert [note["code"] for note in run.summary["notes"]] == ["note.after_total"]


def test_a_table_beside_the_merchants_ends_nothing(tmp_path):
    """A small Table right of the data (a lookup of fees, with its own total) is not the
    merchants': the merchant on its totals row's line is read."""
    rows = [list(EXPORT_HEADER), renewed_row("m1"), renewed_row("m2"), renewed_row("m3")]
    for row, extra in zip(rows, [["档位", "年费"], ["A", 30000], ["合计", 30000]], strict=False):
        row += ["", *extra]  # a copy of the header: the shared one stays as it is
    path = with_table(tmp_path / "side.xlsx", rows, "O1:P3")
    run = run_file(path, AFTER_DEADLINE)
    assert outcomes(run) == [("m1", "renewed"), ("m2", "renewed"), ("m3", "renewed")]


def test_a_table_without_totals_row_ends_nothing(tmp_path):
    rows = [EXPORT_HEADER, renewed_row("m1"), renewed_row("2")]
    path = with_table(tmp_path / "table.xlsx", rows, "A1:M3", totals=False)
    run = run_file(path, AFTER_DEADLINE)
    assert outcomes(run) == [("m1", "renewed"), ("2", "renewed")]


def test_a_supporting_tables_totals_row_is_no_record(tmp_path):
    """违规记录 as a Table whose totals row counts its records under 商家ID: the count is
    no merchant's id, so no supporting row is left unmatched."""
    path = xlsx(
        tmp_path / "violations.xlsx",
        {
            "商家": [EXPORT_HEADER, renewed_row("m1")],
            "违规记录": [
                VIOLATION_HEADER,
                ["m1", "2021-06-01", "一般违规", 2, "无"],
                [1, "", "", 2, ""],
            ],
        },
    )
    book = openpyxl.load_workbook(path)
    table = Table(displayName="违规表", ref="A1:E3", totalsRowCount=1)
    table._initialise_columns()
    book["违规记录"].add_table(table)
    book.save(path)
    run = run_file(path, AFTER_DEADLINE)
    assert outcomes(run) == [("m1", "renewed")]
    assert run.summary["unmatched_supporting_rows"] == []
