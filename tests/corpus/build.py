"""Build the corpus of broken and hostile inputs: `python tests/corpus/build.py DIR`.

One builder per class of input the CLI must refuse with exit 2 and one line naming the file.
Each builder writes into the directory it is given and returns the path to hand the CLI
(a file, or a directory for the classes that are about directories). Nothing generated here
is committed: the tests build the corpus into pytest's tmp_path.

The zip bombs stream their sheet through the deflater in chunks, so building them takes a
few seconds and little memory: `bomb.xlsx` is about 2 MB and declares (and really inflates
to) more than 2 GB; `lying-bomb.xlsx` inflates to 1 GB while its zip directory claims 50 kB.
Password protection needs msoffcrypto-tool (`.venv/bin/pip install msoffcrypto-tool`);
without it that class is left out and its test skips.
"""

from __future__ import annotations

import csv
import io
import struct
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

HEADER = [
    "商家ID",
    "店铺名称",
    "店铺类型",
    "商标状态",
    "主营类目",
    "合同签署时间",
    "续签报名时间",
    "协议签署时间",
    "保证金余额",
    "年费已缴",
    "年费缴纳时间",
    "处罚申诉中",
    "严重违规扣分",
    "一般违规扣分",
]
ROWS = [
    [
        "m1",
        "某某旗舰店",
        "旗舰店",
        "R",
        "男装",
        "2020-01-01 10:00",
        "2021-11-20 10:00",
        "2021-11-20 10:00",
        "50000",
        "60000",
        "2021-11-20 10:00",
        "否",
        "0",
        "0",
    ],
    [
        "m2",
        "某某专卖店",
        "专卖店",
        "TM",
        "女装",
        "2020-03-01 10:00",
        "",
        "",
        "0",
        "0",
        "",
        "否",
        "0",
        "0",
    ],
]

BOMB_INFLATED = 2_300_000_000
"""Bytes the zip bomb's sheet inflates to: over 2 GB (and over 2 GiB)."""
BOMB_CHUNK = 8 * 1024 * 1024
BILLION_LAUGHS_DEPTH = 10
PASSWORD = "renewal-2022"

SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
SHEET_TAIL = b"</sheetData></worksheet>"
SHEET_ENTRY = "xl/worksheets/sheet1.xml"

Builder = Callable[[Path], Path]
CASES: dict[str, Builder] = {}


def case(name: str) -> Callable[[Builder], Builder]:
    def register(builder: Builder) -> Builder:
        CASES[name] = builder
        return builder

    return register


def workbook_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """An xlsx written by openpyxl, one sheet per entry, in order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def valid_workbook() -> bytes:
    return workbook_bytes({"商家": [HEADER, *ROWS]})


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def replace_entry(source: bytes, target: Path, name: str, write: Callable[[zipfile.ZipFile], None]):
    """Copy the workbook `source` to `target` with entry `name` written by `write` instead."""
    with (
        zipfile.ZipFile(io.BytesIO(source)) as original,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy,
    ):
        assert name in original.namelist(), original.namelist()
        for entry in original.infolist():
            if entry.filename == name:
                write(copy)
            else:
                copy.writestr(entry, original.read(entry.filename))


@case("truncated_xlsx")
def truncated_xlsx(directory: Path) -> Path:
    """A valid workbook cut at half its bytes (an interrupted download)."""
    data = valid_workbook()
    path = directory / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


@case("corrupt_xlsx")
def corrupt_xlsx(directory: Path) -> Path:
    """A valid zip holding a workbook whose sheet XML is garbage."""
    path = directory / "corrupt.xlsx"
    garbage = b"\x00\x01garbage<<<not xml at all>>>\xff\xfe" * 64
    replace_entry(valid_workbook(), path, SHEET_ENTRY, lambda z: z.writestr(SHEET_ENTRY, garbage))
    return path


@case("zip_not_workbook")
def zip_not_workbook(directory: Path) -> Path:
    """A zip of a text file, named like a workbook."""
    path = directory / "notes.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", "这不是工作簿 / not a workbook\n")
    return path


@case("encrypted_xlsx")
def encrypted_xlsx(directory: Path) -> Path:
    """A password-protected workbook: an OLE compound file with an EncryptedPackage stream.

    Needs msoffcrypto-tool; raises ImportError without it (the test skips then)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    path = directory / "protected.xlsx"
    with path.open("wb") as out:
        OOXMLFile(io.BytesIO(valid_workbook())).encrypt(PASSWORD, out)
    return path


@case("empty_xlsx")
def empty_xlsx(directory: Path) -> Path:
    path = directory / "empty.xlsx"
    path.write_bytes(b"")
    return path


@case("empty_csv")
def empty_csv(directory: Path) -> Path:
    path = directory / "empty.csv"
    path.write_bytes(b"")
    return path


@case("empty_sheet")
def empty_sheet(directory: Path) -> Path:
    """A workbook whose merchant sheet 商家 has no cells at all."""
    path = directory / "empty-sheet.xlsx"
    path.write_bytes(workbook_bytes({"商家": []}))
    return path


@case("header_only")
def header_only(directory: Path) -> Path:
    """The merchant sheet has its header row and no merchant rows."""
    path = directory / "header-only.xlsx"
    path.write_bytes(workbook_bytes({"商家": [HEADER]}))
    return path


SHIFT_JIS_NAME = "「テスト」ｶﾌｪ"
"""Full-width kana and 「」 are Shift-JIS byte pairs that GB18030 happens to accept (as
nonsense); the three half-width katakana after them are single bytes 0xA1-0xDF, so the last
one is a GB18030 lead byte followed by the comma, which GB18030 does not allow."""


@case("shift_jis_csv")
def shift_jis_csv(directory: Path) -> Path:
    """A CSV saved as Shift-JIS (a Japanese Excel), with English-key headers."""
    path = directory / "shift-jis.csv"
    header = ["merchant_id", "shop_name", "contract_signed_at"]
    text = csv_text([header, ["m1", SHIFT_JIS_NAME, "2020-01-01 10:00"]])
    data = text.encode("shift_jis")
    for encoding in ("utf-8", "gb18030"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        raise AssertionError(f"the Shift-JIS sample decodes as {encoding}")
    path.write_bytes(data)
    return path


@case("nul_csv")
def nul_csv(directory: Path) -> Path:
    """A CSV with NUL bytes inside its rows (a binary file or a broken export tool)."""
    path = directory / "nul.csv"
    rows = [HEADER, ROWS[0], ["m2\x00\x00\x00", "坏\x00店", *ROWS[1][2:]]]
    path.write_bytes(csv_text(rows).encode("utf-8"))
    assert b"\x00" in path.read_bytes()
    return path


@case("missing_column")
def missing_column(directory: Path) -> Path:
    """No 合同签署时间 column: a required column is missing."""
    path = directory / "missing-column.csv"
    drop = HEADER.index("合同签署时间")
    rows = [[cell for i, cell in enumerate(row) if i != drop] for row in [HEADER, *ROWS]]
    path.write_text(csv_text(rows), encoding="utf-8")
    return path


@case("duplicate_column")
def duplicate_column(directory: Path) -> Path:
    """保证金余额 twice (once with a unit): which one is right cannot be told."""
    path = directory / "duplicate-column.xlsx"
    header = [*HEADER, "保证金余额(元)"]
    rows = [[*row, "1"] for row in ROWS]
    path.write_bytes(workbook_bytes({"商家": [header, *rows]}))
    return path


def write_bomb(path: Path, inflated: int) -> None:
    """A copy of the valid workbook whose sheet1.xml is valid XML padded with spaces to
    `inflated` bytes, streamed through the deflater in chunks (small memory, ~2 s a GB)."""
    chunk = b" " * BOMB_CHUNK

    def write(archive: zipfile.ZipFile) -> None:
        info = zipfile.ZipInfo(SHEET_ENTRY, date_time=(2021, 12, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=inflated > 0x7FFFFFFF) as entry:
            entry.write(SHEET_HEAD)
            remaining = inflated - len(SHEET_HEAD) - len(SHEET_TAIL)
            while remaining > 0:
                piece = chunk if remaining >= len(chunk) else chunk[:remaining]
                entry.write(piece)
                remaining -= len(piece)
            entry.write(SHEET_TAIL)

    replace_entry(valid_workbook(), path, SHEET_ENTRY, write)


@case("zip_bomb")
def zip_bomb(directory: Path) -> Path:
    """An xlsx whose sheet1.xml inflates to more than 2 GB from about 2 MB, and says so in
    the zip directory."""
    path = directory / "bomb.xlsx"
    write_bomb(path, BOMB_INFLATED)
    return path


LYING_INFLATED = 1_000_000_000
LYING_DECLARED_SIZE = 50_000


@case("zip_bomb_lying")
def zip_bomb_lying(directory: Path) -> Path:
    """A zip bomb whose local header and central directory both claim the sheet inflates to
    50 kB: a guard that trusts the directory lets it through, so the reader must stop at
    the declared size rather than inflate the real 1 GB."""
    path = directory / "lying-bomb.xlsx"
    write_bomb(path, LYING_INFLATED)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET_ENTRY)
    assert info.file_size == LYING_INFLATED and not info.extra, "expected a plain (non-zip64) entry"
    local = info.header_offset
    assert data[local : local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, local + 22, LYING_DECLARED_SIZE)  # uncompressed size
    name = SHEET_ENTRY.encode()
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.find(b"PK\x01\x02", central + 4)
        assert central > 0
    struct.pack_into("<I", data, central + 24, LYING_DECLARED_SIZE)
    path.write_bytes(data)
    return path


def billion_laughs_xml(depth: int = BILLION_LAUGHS_DEPTH) -> bytes:
    """A sheet whose DOCTYPE defines entities ten deep, each ten of the one before: the one
    cell that uses the last would expand to 10**depth copies of "lol"."""
    entities = ['<!ENTITY lol0 "lol">']
    for level in range(1, depth):
        body = f"&lol{level - 1};" * 10
        entities.append(f'<!ENTITY lol{level} "{body}">')
    doctype = "<!DOCTYPE worksheet [\n" + "\n".join(entities) + "\n]>\n"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + doctype
        + '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "<sheetData>"
        + '<row r="1">'
        + "".join(
            f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{name}</t></is></c>'
            for i, name in enumerate(["商家ID", "店铺名称", "合同签署时间"])
        )
        + "</row>"
        + '<row r="2"><c r="A2" t="inlineStr"><is><t>m1</t></is></c>'
        + f'<c r="B2" t="inlineStr"><is><t>&lol{depth - 1};</t></is></c>'
        + '<c r="C2" t="inlineStr"><is><t>2020-01-01 10:00</t></is></c></row>'
        + "</sheetData></worksheet>"
    ).encode("utf-8")


@case("billion_laughs")
def billion_laughs(directory: Path) -> Path:
    """An XML entity-expansion attempt in the sheet XML."""
    path = directory / "laughs.xlsx"
    xml = billion_laughs_xml()
    replace_entry(valid_workbook(), path, SHEET_ENTRY, lambda z: z.writestr(SHEET_ENTRY, xml))
    return path


@case("directory_input")
def directory_input(directory: Path) -> Path:
    """A directory named like an export."""
    path = directory / "export.xlsx"
    path.mkdir()
    return path


@case("valid_xlsx")
def valid_xlsx(directory: Path) -> Path:
    """A good export: the input of the classes whose problem is the output path."""
    path = directory / "valid.xlsx"
    path.write_bytes(valid_workbook())
    return path


@case("output_directory")
def output_directory(directory: Path) -> Path:
    """A directory named like a report, for `-o`."""
    path = directory / "report.json"
    path.mkdir()
    return path


def build(directory: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Build the named classes (all by default) into `directory`; name -> path."""
    directory.mkdir(parents=True, exist_ok=True)
    built: dict[str, Path] = {}
    for name in names or list(CASES):
        try:
            built[name] = CASES[name](directory)
        except ImportError as exc:  # msoffcrypto-tool missing: leave that class out
            print(f"skipped {name}: {exc}", file=sys.stderr)
    return built


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/corpus/build.py DIR")
    for name, built_path in build(Path(sys.argv[1])).items():
        size = built_path.stat().st_size if built_path.is_file() else 0
        print(f"{name:18} {size:>10}  {built_path}")
