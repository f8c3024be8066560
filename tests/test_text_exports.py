"""Text exports that are not plain comma or tab CSV, and files whose name says something else
than their content: read as a spreadsheet program reads them, or refused in one clear line
in the user's language."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewal, renewed_row, run_file

from renewal.intake.tables import _csv_problem

HEADER = [*EXPORT_HEADER, "备注"]
IDS = ["t1", "t2", "t3", "t4"]
NOTE = "第一行\n第二行"
"""The 备注 of t2: a cell typed with Alt+Enter, so its row runs over two lines of the file."""
AS_OF = ["--rules", "tmall-2022", "--as-of", "2021-12-27 00:00"]


def records(delimiter: str = ",", note: str = NOTE) -> list[str]:
    """The header and one line per merchant of IDS, each as the csv module writes it,
    without its line ending."""
    lines = []
    for cells in [HEADER, *([*renewed_row(i), note if i == "t2" else ""] for i in IDS)]:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerow(cells)
        lines.append(out.getvalue().removesuffix("\r\n"))  # the ending quotes a line break
    return lines


def joined(lines: list[str], endings: list[str]) -> str:
    """The lines, each ended by the next of `endings` in turn."""
    return "".join(line + endings[i % len(endings)] for i, line in enumerate(lines))


def read(path: Path, lang: str = "zh") -> tuple[list[tuple[str, int]], dict[str, object]]:
    """Each merchant of the report as (id, row), and the summary; every merchant must have
    been read right (each of IDS renewed on time)."""
    run = run_file(path, AFTER_DEADLINE, lang=lang)
    assert {r["outcome"] for r in run.results} == {"renewed"}, run.results
    return [(r["merchant_id"], r["row"]) for r in run.results], run.summary


def notes(summary: dict[str, object]) -> dict[str, dict[str, object]]:
    listed = summary["notes"]
    assert isinstance(listed, list)
    return {note["code"]: note for note in listed}


def refused(path: Path, lang: str) -> str:
    """The one line `renewal check` gives for a file it cannot use (exit 2)."""
    result = renewal("check", path, *AS_OF, "--lang", lang, "-o", path.parent / "r.json")
    assert result.returncode == 2, result.stderr
    (line,) = result.stderr.splitlines()
    assert "Traceback" not in line and "内部错误" not in line and "internal error" not in line
    return line


# --- line endings -------------------------------------------------------------------------

ENDINGS = {
    "old_mac": ["\r"],
    "mixed": ["\r\n", "\n", "\r"],
    "mixed_other_order": ["\r", "\r\n", "\n"],
}


@pytest.mark.parametrize("endings", ENDINGS.values(), ids=ENDINGS.keys())
@pytest.mark.parametrize("cell_break", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_lines_ended_by_a_lone_cr_or_by_a_mix_are_read_as_a_spreadsheet_reads_them(
    tmp_path: Path, endings: list[str], cell_break: str
) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(joined(records(note=NOTE.replace("\n", cell_break)), endings).encode())
    found, summary = read(path)
    assert found == [
        ("t1", 2),
        ("t2", 3),
        ("t3", 4),
        ("t4", 5),
    ]  # rows as a spreadsheet counts them
    assert notes(summary)["note.multiline"]["rows"] == "3"  # the quoted cell still holds its break


@pytest.mark.parametrize("endings", ENDINGS.values(), ids=ENDINGS.keys())
@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "：第 6 行：不是有效的 utf-8 文本"), ("en", ": row 6: not valid utf-8 text")],
)
def test_a_bad_byte_is_named_by_its_line_whatever_ends_the_lines(
    tmp_path: Path, endings: list[str], lang: str, expected: str
) -> None:
    # the file's lines: header 1, t1 2, t2 3-4 (its note has a line break), t3 5, t4 6
    path = tmp_path / "e.csv"
    data = joined(records(), endings).encode()
    path.write_bytes(data.replace(b"t4", b"t\xff4"))
    line = refused(path, lang)
    assert line.startswith(f"renewal: {path}") and expected in line


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", "：第 2 行：不是有效的 utf-8 文本（该行第 5 个字节无法解码）"),
        ("en", ": row 2: not valid utf-8 text (byte 5 of the line cannot be decoded)"),
    ],
)
def test_the_bad_byte_is_named_in_the_users_language(
    tmp_path: Path, lang: str, expected: str
) -> None:
    """Where the line goes wrong, in renewal's own words in either language: not Python's
    decoder's (invalid start byte) inside a Chinese line."""
    path = tmp_path / "e.csv"
    path.write_bytes("商家ID,合同签署时间\r\n".encode() + b"abc,\xff\xfe\xfa,x\r\n")
    line = refused(path, lang)
    assert expected in line, line
    assert "invalid" not in line and "start byte" not in line


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "（文件在一个字符的中间结束，可能不完整）"), ("en", "(the file ends in the middle")],
)
def test_utf16_cut_mid_character_is_said_in_words(tmp_path: Path, lang: str, expected: str) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(b"\xff\xfe" + joined(records("\t"), ["\r\n"]).encode("utf-16-le")[:-3])
    line = refused(path, lang)
    assert expected in line and "truncated data" not in line, line


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stray_nul_bytes_are_still_refused_naming_their_line(tmp_path: Path, lang: str) -> None:
    """A NUL that does not make a UTF-16 pattern: refused, and in a file of old-Mac lines
    named by its own line (3), not by the first."""
    path = tmp_path / "e.csv"
    data = joined(records(note="x"), ["\r"]).encode()
    path.write_bytes(data.replace(b"t2", b"t\x00\x00\x002"))
    line = refused(path, lang)
    expected = "：第 3 行含有 NUL 字节" if lang == "zh" else ": row 3 contains NUL bytes"
    assert line.startswith(f"renewal: {path}") and expected in line


# --- delimiters ---------------------------------------------------------------------------


def test_a_semicolon_separated_export_is_read_and_a_tie_keeps_comma(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text(joined(records(";"), ["\r\n"]), encoding="utf-8", newline="")
    found, _ = read(path)
    assert found == [("t1", 2), ("t2", 3), ("t3", 4), ("t4", 5)]
    # three fields by comma on the header line, three by semicolon on another: comma
    path.write_text(
        "商家ID,合同签署时间,备注\nt1,2020-01-01 10:00,x\nt2;2020-01-01;y\n", encoding="utf-8"
    )
    run = run_file(path, AFTER_DEADLINE)
    assert [(r["merchant_id"], r["row"]) for r in run.results] == [
        ("t1", 2),
        ("t2;2020-01-01;y", 3),
    ]


@pytest.mark.parametrize(
    ("hint", "delimiter"),
    [("sep=;", ";"), ("SEP=;", ";"), ("sep=|", "|")],
    ids=["semicolon", "upper_case", "pipe"],
)
def test_excel_sep_hint_names_the_delimiter_and_is_no_row(
    tmp_path: Path, hint: str, delimiter: str
) -> None:
    """Excel writes and honours a first line `sep=;`. Rows keep the file's line numbers:
    the hint is line 1, the header line 2."""
    path = tmp_path / "e.csv"
    path.write_text(joined([hint, *records(delimiter)], ["\r\n"]), encoding="utf-8", newline="")
    found, summary = read(path)
    assert found == [("t1", 3), ("t2", 4), ("t3", 5), ("t4", 6)]
    assert summary["blank_rows_skipped"] == 0 and summary["other_lines_skipped"] == 0
    assert notes(summary)["note.multiline"]["rows"] == "4"


def test_the_delimiter_is_chosen_from_the_widest_line_not_a_title_line(tmp_path: Path) -> None:
    path = tmp_path / "e.txt"
    path.write_text(joined(["天猫续签商家名单", "", *records("\t")], ["\n"]), encoding="utf-8")
    found, _ = read(path)
    assert found == [("t1", 4), ("t2", 5), ("t3", 6), ("t4", 7)]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", "：文件前 30 行中找不到包含 商家ID、合同签署时间 的表头"),
        ("en", ": no header row naming 商家ID, 合同签署时间 in the first 30 rows of the file"),
    ],
)
def test_a_csv_without_the_header_is_called_a_file_not_a_sheet(
    tmp_path: Path, lang: str, expected: str
) -> None:
    path = tmp_path / "e.csv"
    path.write_text("商户|签约\nm1|2020-01-01\n", encoding="utf-8")
    line = refused(path, lang)
    assert line == f"renewal: {path}{expected}"
    assert "工作表" not in line and "sheet" not in line


# --- UTF-16 without a BOM -----------------------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("delimiter", ["\t", ","], ids=["tab", "comma"])
def test_utf16_without_a_bom_is_recognised_by_its_nul_bytes(
    tmp_path: Path, codec: str, delimiter: str
) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(joined(records(delimiter), ["\r\n"]).encode(codec))
    found, _ = read(path)
    assert found == [("t1", 2), ("t2", 3), ("t3", 4), ("t4", 5)]
    result = renewal("check", path, *AS_OF, "--format", "json", "-o", "-", "-q")
    assert json.loads(result.stdout)["input"]["encoding"] == codec


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "：第 6 行：不是有效的 utf-16 文本"), ("en", ": row 6: not valid utf-16 text")],
)
def test_utf16_cut_short_is_named_by_its_last_line(
    tmp_path: Path, lang: str, expected: str
) -> None:
    path = tmp_path / "e.csv"
    path.write_bytes(b"\xff\xfe" + joined(records("\t"), ["\r\n"]).encode("utf-16-le")[:-3])
    line = refused(path, lang)
    assert line.startswith(f"renewal: {path}") and expected in line


# --- the content decides, not the name ----------------------------------------------------


def text_as_workbook(directory: Path, name: str) -> Path:
    """A GBK tab-separated export named like a workbook, as back-office systems write them."""
    path = directory / name
    path.write_bytes(joined(records("\t"), ["\r\n"]).encode("gbk"))
    return path


@pytest.mark.parametrize("name", ["e.xls", "e.xlsx", "E.XLS"])
@pytest.mark.parametrize(
    ("lang", "told"),
    [
        ("zh", "文件扩展名是 {suffix}，内容却是文本"),
        ("en", "The file is named {suffix} but holds text"),
    ],
)
def test_text_named_like_a_workbook_is_read_as_text_with_a_note(
    tmp_path: Path, name: str, lang: str, told: str
) -> None:
    path = text_as_workbook(tmp_path, name)
    found, summary = read(path, lang)
    assert found == [("t1", 2), ("t2", 3), ("t3", 4), ("t4", 5)]
    note = notes(summary)["note.text_named_workbook"]
    suffix = Path(name).suffix
    assert note["suffix"] == suffix and str(note["message"]).startswith(told.format(suffix=suffix))
    result = renewal("check", path, *AS_OF, "--lang", lang, "-o", tmp_path / "r.json")
    assert result.returncode == 0, result.stderr
    assert f"renewal: {note['message']}" in result.stderr.splitlines()


@pytest.mark.parametrize(
    ("lang", "told"),
    [
        ("zh", "文件扩展名是 .csv，内容却是 Excel 工作簿：已按工作簿读取"),
        ("en", "The file is named .csv but is an Excel workbook: read as a workbook"),
    ],
)
def test_a_workbook_named_csv_is_read_as_a_workbook_with_a_note(
    tmp_path: Path, lang: str, told: str
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "商家"
    for cells in [HEADER, *([*renewed_row(i), ""] for i in IDS)]:
        sheet.append(cells)
    path = tmp_path / "e.csv"
    book.save(path)
    found, summary = read(path, lang)
    assert found == [("t1", 2), ("t2", 3), ("t3", 4), ("t4", 5)]
    assert notes(summary)["note.workbook_named_text"]["message"] == told


HTML = (
    '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8">'
    "</head><body><table><tr><td>商家ID</td><td>合同签署时间</td></tr>"
    "<tr><td>t1</td><td>2020-01-01</td></tr></table></body></html>"
)
XML_SPREADSHEET = (
    '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">\n'
    '<Worksheet ss:Name="商家"><Table><Row><Cell><Data ss:Type="String">商家ID</Data></Cell>'
    "</Row></Table></Worksheet></Workbook>\n"
)


@pytest.mark.parametrize(
    ("name", "content", "zh", "en"),
    [
        (
            "e.xls",
            HTML,
            "：这是网页（HTML）格式的表格，不是 Excel 工作簿；请用 Excel 打开它，另存为 .xlsx 后再检查",
            ": this is a web page (HTML) table, not an Excel workbook; open it in Excel, save it as .xlsx, and check again",
        ),
        (
            "e.csv",
            "\ufeff<!DOCTYPE html>\n" + HTML,
            "：这是网页（HTML）格式的表格",
            ": this is a web page (HTML) table",
        ),
        (
            "e.xls",
            XML_SPREADSHEET,
            "：这是 Excel 2003 XML 格式的表格，无法读取；请用 Excel 打开它，另存为 .xlsx 后再检查",
            ": this is an Excel 2003 XML spreadsheet, which cannot be read; open it in Excel",
        ),
    ],
    ids=["html_as_xls", "html_as_csv", "xml_spreadsheet_as_xls"],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_web_page_table_is_refused_in_one_clear_line(
    tmp_path: Path, name: str, content: str, zh: str, en: str, lang: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    line = refused(path, lang)
    assert line.startswith(f"renewal: {path}{zh if lang == 'zh' else en}")


# --- csv module errors in the user's language ---------------------------------------------


def _csv_errors() -> list[csv.Error]:
    """Real errors of the csv module (a strict reader's, an unsplit line's)."""
    found = []
    for lines, strict in [(['"a"b,c\n'], True), (['"open\n'], True), (["a\rb,c\n"], False)]:
        try:
            list(csv.reader(lines, strict=strict))
        except csv.Error as exc:
            found.append(exc)
    assert len(found) == 3
    return found


@pytest.mark.parametrize("error", _csv_errors(), ids=str)
def test_a_csv_module_error_is_told_in_the_users_language(tmp_path: Path, error: csv.Error) -> None:
    path = tmp_path / "e.csv"
    problem = _csv_problem(path, 7, error)
    chinese = problem.message("zh")
    assert chinese.startswith(f"{path}：第 7 行：")
    assert set(re.findall(r"[A-Za-z]+", chinese.removeprefix(str(path)))) <= {
        "CSV",
        "Excel",
        "xlsx",
    }
    assert problem.message("en") == f"{path}: row 7: cannot parse CSV ({error})"
