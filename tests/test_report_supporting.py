"""The xlsx report carries the export's supporting sheets (违规记录, 资质 and their
continuations) as the run read them, so that the report checked again (README: values
may be fixed in it) is judged with the same violations and qualifications."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import CSV, EXPORT_HEADER, XLSX, renewal, renewed_row, run_file

from renewal.intake.tables import IntakeError
from renewal.model import MerchantResult
from renewal.pipeline import check_file
from renewal.render.xlsx import XlsxRenderer
from renewal.report import ReportHeader
from renewal.ruleset import load
from renewal.timeutil import BEIJING

AFTER = ("--rules", "tmall-2022", "--as-of", "2021-12-27", "--fail-on", "never", "-q")

VIOLATION_HEAD = ["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态", "备注"]
QUALIFICATION_HEAD = ["商家ID", "资质类型", "证书编号", "到期日期"]
FORMULA_LIKE = '=HYPERLINK("http://example.com","点此")'


def verdicts(report: Path) -> dict[str, Any]:
    """Each merchant (by id and row) -> outcome, transfer test and every finding."""
    document = json.loads(report.read_text(encoding="utf-8"))
    return {
        (m["merchant_id"], m["row"]): (
            m["outcome"],
            m["transfer_eligible"],
            [(f["rule"], f["status"], f["message"], f["source"]) for f in m["findings"]],
        )
        for m in document["merchants"]
    }


def unmatched(report: Path) -> list[dict[str, object]]:
    return json.loads(report.read_text(encoding="utf-8"))["summary"]["unmatched_supporting_rows"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_fixture_report_checked_again_gives_every_verdict_the_export_gives(
    tmp_path: Path, lang: str
) -> None:
    """The report written at one as-of, checked again at another, judges every merchant as
    the export itself does at that as-of: outcome, transfer test, each rule's status and
    what it cites (the supporting rows keep their sheet and row)."""
    report = tmp_path / "report.xlsx"
    first = renewal(
        "check", XLSX, *AFTER[:3], "2021-12-20", *AFTER[4:], "--lang", lang, "-o", report
    )
    assert first.returncode == 0, first.stderr
    direct, again = tmp_path / "direct.json", tmp_path / "again.json"
    assert renewal("check", XLSX, *AFTER, "--lang", lang, "-o", direct).returncode == 0
    run = renewal("check", report, *AFTER, "--lang", lang, "-o", again)
    assert run.returncode == 0, run.stderr
    expected = verdicts(direct)
    # the merchant row numbers differ (the report's header is its row 1): compare by order
    assert list(verdicts(again).values()) == list(expected.values())
    pending = next(v for (m, _), v in expected.items() if m == "failed-no-transfer-appeal-pending")
    assert pending[1] is False  # the 申诉中 violation row is what decides it
    assert any(
        status == "warn" and rule == "QL01" for v in expected.values() for rule, status, *_ in v[2]
    )
    assert unmatched(again) == unmatched(direct)


def _export(path: Path) -> Path:
    """A workbook export: m1 failed (no agreement) with a serious violation under appeal,
    so it may not move to a Taobao store; m2 renewed with a licence that expires in the
    new contract year (QL01 warns). 违规记录 has a title line above its header, m1's id
    merged over its two rows, a formula-like remark and a row of a merchant not in the
    export; 资质 continues on 资质2."""
    book = openpyxl.Workbook()
    merchants = book.active
    merchants.title = "商家"
    merchants.append(EXPORT_HEADER)
    failed = renewed_row("m1")
    failed[EXPORT_HEADER.index("协议签署时间")] = ""
    merchants.append(failed)
    merchants.append(renewed_row("m2"))
    violations = book.create_sheet("违规记录")
    violations.append(["违规记录（导出于 2021-12-20）"])
    violations.append(VIOLATION_HEAD)
    violations.append(["m1", date(2021, 6, 1), "严重违规", 12, "申诉中", FORMULA_LIKE])
    violations.append([None, date(2021, 7, 1), "一般违规", 2, "无", "-5"])
    violations.merge_cells("A3:A4")
    violations.append(["m9", date(2021, 7, 2), "一般违规", 1, "无", None])
    qualifications = book.create_sheet("资质")
    qualifications.append(QUALIFICATION_HEAD)
    qualifications.append(["m2", "营业执照", "91330106MA2", date(2022, 6, 30)])
    more = book.create_sheet("资质2")
    more.append(QUALIFICATION_HEAD)
    more.append(["m1", "商标注册证", 21870000, datetime(2031, 5, 20, 9, 30)])
    book.save(path)
    return path


def test_the_supporting_sheets_are_handed_back_as_read(tmp_path: Path) -> None:
    export = _export(tmp_path / "export.xlsx")
    report, direct = tmp_path / "report.xlsx", tmp_path / "direct.json"
    done = renewal("check", export, *AFTER, "-o", report, "-o", direct)
    assert done.returncode == 0, done.stderr
    first = verdicts(direct)
    assert first[("m1", 2)][:2] == ("failed", False)
    assert ("QL01", "warn") in [(rule, status) for rule, status, *_ in first[("m2", 3)][2]]

    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ["商家", "汇总", "明细", "违规记录", "资质", "资质2"]
    sheet = book["违规记录"]
    assert sheet["A1"].value == "违规记录（导出于 2021-12-20）"  # the title line, in its place
    assert [cell.value for cell in sheet[2]] == VIOLATION_HEAD
    assert sheet.freeze_panes == "A3"
    assert sheet["A3"].value == "m1" and sheet["A4"].value == "m1"  # the merged id, as read
    day = sheet["B3"]
    assert day.is_date and day.value == datetime(2021, 6, 1) and day.number_format == "yyyy-mm-dd"
    assert sheet["D3"].data_type == "n" and sheet["D3"].value == 12
    assert sheet["C3"].data_type == "s" and sheet["C3"].value == "严重违规"
    for cell, text in ((sheet["F3"], FORMULA_LIKE), (sheet["F4"], "-5")):
        assert cell.data_type == "s" and cell.value == text and cell.quotePrefix
    assert sheet["A5"].value == "m9"
    moment = book["资质2"]["D2"]
    assert moment.is_date and moment.number_format == "yyyy-mm-dd hh:mm:ss"
    assert book["资质2"]["C2"].value == 21870000 and book["资质2"]["C2"].data_type == "n"

    again, twice = tmp_path / "again.json", tmp_path / "twice.xlsx"
    run = renewal("check", report, *AFTER, "-o", again, "-o", twice)
    assert run.returncode == 0, run.stderr
    assert list(verdicts(again).values()) == list(first.values())
    assert unmatched(again) == unmatched(direct) and unmatched(direct)  # m9's row
    # a report of a report carries them on
    assert openpyxl.load_workbook(twice, read_only=True).sheetnames == book.sheetnames


def test_a_csv_export_has_no_supporting_sheets_to_hand_back(tmp_path: Path) -> None:
    report = tmp_path / "report.xlsx"
    assert renewal("check", CSV, *AFTER, "-o", report).returncode == 0
    assert openpyxl.load_workbook(report, read_only=True).sheetnames == [
        "merchants-2022.csv",
        "汇总",
        "明细",
    ]


class _SaveOver:
    """A renderer that saves the export over (as someone might, during a long run) once
    the merchants are checked and before the next renderer writes its report."""

    wants_cells = False
    wants_shop_names = False

    def __init__(self, path: Path) -> None:
        self.path = path

    def begin(self, header: ReportHeader) -> None:
        pass

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None:
        pass

    def finish(self, summary: dict[str, object], fixes: dict[int, MerchantResult]) -> None:
        book = openpyxl.load_workbook(self.path)
        book["违规记录"]["E3"] = "申诉成功"
        book.save(self.path)


def test_an_export_saved_over_during_the_run_is_not_handed_back(tmp_path: Path) -> None:
    """The supporting sheets are read again when the report is written: from a file saved
    over meanwhile they would not be what the merchants were judged with. Refused, naming
    the file, and no report is written."""
    export = _export(tmp_path / "export.xlsx")
    report = tmp_path / "report.xlsx"
    as_of = datetime(2021, 12, 27, tzinfo=BEIJING)
    renderers = [_SaveOver(export), XlsxRenderer(report)]
    with pytest.raises(IntakeError) as refused:
        check_file(export, load("tmall-2022"), as_of, "zh", renderers)
    assert refused.value.key == "intake.changed"
    assert refused.value.message("zh").startswith(f"{export}：检查期间文件被改动")
    assert "the file changed during the run" in refused.value.message("en")
    assert not report.exists()


def test_the_header_names_the_sheets_read(tmp_path: Path) -> None:
    run = run_file(_export(tmp_path / "export.xlsx"), datetime(2021, 12, 27, tzinfo=BEIJING))
    assert run.header is not None
    assert run.header.supporting == (("违规记录", 2), ("资质", 1), ("资质2", 1))


def test_a_sheet_named_as_one_of_the_reports_keeps_the_reports_name(tmp_path: Path) -> None:
    """Excel refuses two sheets of one name (in any case): the report's own sheet keeps
    its name, the export's gets a number."""
    from renewal.render.xlsx_book import Workbook
    from renewal.render.xlsx_cells import Formats, hand_back

    path = tmp_path / "r.xlsx"
    with path.open("wb") as stream:
        book = Workbook(stream, {})
        book.add_worksheet("Summary")
        rows = [(1, ["商家ID", "扣分"]), (2, ["m1", 3.0])]
        hand_back(book, Formats(book), "SUMMARY", 1, iter(rows))
        book.close()
    written = openpyxl.load_workbook(path)
    assert written.sheetnames == ["Summary", "SUMMARY (2)"]
    assert [c.value for c in written["SUMMARY (2)"][2]] == ["m1", 3]
