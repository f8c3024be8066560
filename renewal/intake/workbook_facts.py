"""What a workbook's bytes say that python-calamine does not: which format the file is,
whatever its name says (calamine picks its reader by the name), whether it counts its
dates from 1904, where an Excel Table's totals row is, and which zip entry holds an xlsx's
workbook and each of its sheets (`sheet_part`, found as calamine finds them). Each reads
only the small parts it needs (a zip's directory, xl/workbook.xml and the relationships, the
first records of an xls), never a sheet.
"""

from __future__ import annotations

import html
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""How an OLE compound file begins: a legacy .xls (or a password-protected xlsx)."""

FORMATS = ("xlsx", "xlsm", "xlsb", "xls", "ods")
"""The workbook formats a file can be, as `input.kind` names them."""

DAMAGED = (
    OSError,
    zipfile.BadZipFile,
    KeyError,
    IndexError,
    ValueError,
    EOFError,
    zlib.error,
    struct.error,
)
"""What reading a damaged file's parts raises: then the part says nothing (here, and in
the unread-cell search), and calamine, which reads the same file, says what is wrong
with it."""


_CONTENT_TYPES = "[Content_Types].xml"


def workbook_format(path: Path) -> str | None:
    """The format the file's bytes are: an OLE file is an xls; a zip is an xlsx (xlsm
    when its content types say it holds macros), an xlsb or an ods by the part that holds
    its workbook. None when they are none of these (a damaged zip, a zip of anything else,
    bytes of no workbook at all)."""
    try:
        with path.open("rb") as stream:
            magic = stream.read(8)
        if magic == OLE_MAGIC:
            return "xls"
        if not magic.startswith(b"PK"):
            return None
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                types = archive.read(_CONTENT_TYPES) if _CONTENT_TYPES in names else b""
                return "xlsm" if b"macroEnabled.main+xml" in types else "xlsx"
            if "xl/workbook.bin" in names:
                return "xlsb"
            if "content.xml" in names:
                kind = archive.read("mimetype") if "mimetype" in names else b""
                return "ods" if not kind or kind.strip().endswith(b".spreadsheet") else None
    except DAMAGED:
        return None
    return None


def uses_1904(path: Path, kind: str | None) -> bool:
    """Whether the workbook counts its dates from 1904-01-01 (Mac Excel's date system):
    in an xlsx, `<workbookPr date1904="1"/>`; in an ods, a null date of 1904-01-01; in an
    xls, its DATEMODE record. An xlsb is not looked into (its flag is in binary records),
    nor is anything that does not read: it counts from 1900."""
    try:
        if kind in ("xlsx", "xlsm"):
            with zipfile.ZipFile(path) as archive:
                return _DATE1904.search(archive.read("xl/workbook.xml")) is not None
        if kind == "ods":
            return _ods_1904(path)
        if kind == "xls":
            return _xls_1904(path)
    except DAMAGED:
        return False
    return False


_DATE1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*?\sdate1904\s*=\s*[\"'](?:1|true)[\"']")
_NULL_DATE = re.compile(rb"<(?:\w+:)?null-date\b[^>]*?date-value\s*=\s*[\"']([0-9-]+)")
_ODS_TABLE = re.compile(rb"<(?:\w+:)?table\s")
_ODS_HEAD_MAX = 16 << 20
"""An ods names its null date before its first table; its styles come first, rarely more
than a few hundred kilobytes. Past this much, there is no null date to find."""


def _ods_1904(path: Path) -> bool:
    """content.xml names the day a cell's number 0 is (its null date, 1899-12-30 unless
    said) before the first table: read up to there, not the sheets below it."""
    with zipfile.ZipFile(path) as archive, archive.open("content.xml") as stream:
        head, read = b"", 0
        while read < _ODS_HEAD_MAX and (chunk := stream.read(1 << 16)):
            read += len(chunk)
            head = head[-4096:] + chunk  # an element cut between two chunks is whole here
            found = _NULL_DATE.search(head)
            if found is not None:
                return found.group(1) == b"1904-01-01"
            if _ODS_TABLE.search(head):
                return False
    return False


_END_OF_CHAIN = 0xFFFFFFFA
"""Sector numbers from here up end a chain or mark a free or special sector."""
_DATEMODE, _EOF = 0x0022, 0x000A
_GLOBALS_MAX = 1 << 20
"""DATEMODE comes among the first records of an xls: a few hundred bytes in."""


def _xls_1904(path: Path) -> bool:
    """The DATEMODE record (1: the 1904 system) of an xls's workbook globals, read from the
    compound file's Workbook stream by following its sectors (MS-CFB): the header, the
    sectors of the allocation table it names, the directory, the stream's first sectors;
    or, for a stream under the file's cutoff (4096 bytes: a small sheet LibreOffice
    saved), its 64-byte sectors inside the mini stream, by the mini allocation table."""
    with path.open("rb") as stream:
        header = stream.read(512)
        if len(header) < 512 or not header.startswith(OLE_MAGIC):
            return False
        shift, mini_shift = struct.unpack_from("<HH", header, 0x1E)
        if shift not in (9, 12):
            return False
        size = 1 << shift
        per = size // 4
        fat_count, first_directory = struct.unpack_from("<II", header, 0x2C)
        cutoff, first_minifat = struct.unpack_from("<II", header, 0x38)
        next_difat, difat_count = struct.unpack_from("<II", header, 0x44)
        fat = list(struct.unpack_from("<109I", header, 0x4C))
        for _ in range(difat_count):  # a file past ~7 MB lists more FAT sectors
            if next_difat >= _END_OF_CHAIN:
                break
            stream.seek((next_difat + 1) * size)
            *more, next_difat = struct.unpack(f"<{per}I", stream.read(size))
            fat += more
        fat = fat[:fat_count]

        def following(sector: int) -> int:
            stream.seek((fat[sector // per] + 1) * size + sector % per * 4)
            return int(struct.unpack("<I", stream.read(4))[0])

        def chain(sector: int) -> list[bytes]:
            """The sectors of a chain from `sector`, as many as the globals need."""
            blocks: list[bytes] = []
            while sector < _END_OF_CHAIN and len(blocks) * size < _GLOBALS_MAX:
                stream.seek((sector + 1) * size)
                blocks.append(stream.read(size))
                sector = following(sector)
            return blocks

        directory = b"".join(chain(first_directory))
        for at in range(0, len(directory) - 127, 128):
            entry = directory[at : at + 128]
            length = struct.unpack_from("<H", entry, 0x40)[0]
            name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace").casefold()
            if entry[0x42] == 2 and name in ("workbook", "book"):
                start, stream_size = struct.unpack_from("<II", entry, 0x74)
                if stream_size >= cutoff:
                    return _datemode(b"".join(chain(start)))
                # in the mini stream, which the root entry (the directory's first) holds
                mini = b"".join(chain(struct.unpack_from("<I", directory, 0x74)[0]))
                table = b"".join(chain(first_minifat))
                following_mini = struct.unpack(f"<{len(table) // 4}I", table)
                unit = 1 << mini_shift
                data = bytearray()
                for _ in range(stream_size // unit + 1):  # a chain that loops ends too
                    if start >= _END_OF_CHAIN:
                        break
                    data += mini[start * unit : (start + 1) * unit]
                    start = following_mini[start]
                return _datemode(bytes(data))
    return False


def _datemode(globals_: bytes) -> bool:
    """Whether the workbook globals' records (type, length, data) hold DATEMODE 1 before
    their EOF."""
    at = 0
    while at + 4 <= len(globals_):
        kind, length = struct.unpack_from("<HH", globals_, at)
        if kind == _DATEMODE and length >= 2:
            return bool(struct.unpack_from("<H", globals_, at + 4)[0] == 1)
        if kind == _EOF:
            return False
        at += 4 + length
    return False


@dataclass(frozen=True, slots=True)
class TableTotals:
    """An Excel Table (ListObject) with a totals row: the rows of the sheet that are its
    totals (1-based, as the sheet numbers them) and its columns (0-based: from column A as
    the table part names them, from a row's first cell on a `RawTable`)."""

    name: str
    first_row: int
    last_row: int
    first: int
    last: int


_TABLE_TAG = re.compile(r"<(?:\w+:)?table\s[^>]*>")
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


def table_totals(archive: zipfile.ZipFile, sheet_part: str) -> list[TableTotals]:
    """The Tables of the sheet whose part is `sheet_part` (xl/worksheets/sheet1.xml) that
    have a totals row (`totalsRowCount`), from the sheet's relationships and each table's
    part: a few hundred bytes each. A part that is missing or does not read is no Table."""
    folder, _, name = sheet_part.rpartition("/")
    try:
        relations = archive.read(f"{folder}/_rels/{name}.rels").decode("utf-8", "replace")
    except DAMAGED:
        return []
    found: list[TableTotals] = []
    for element in _RELATIONSHIP.findall(relations):
        attributes = xml_attributes(element)
        target = html.unescape(attributes.get("Target", ""))
        if not attributes.get("Type", "").endswith("/table") or not target:
            continue
        if attributes.get("TargetMode") == "External":
            continue
        part = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        try:
            with archive.open(posixpath.normpath(part)) as stream:
                head = stream.read(1 << 16).decode("utf-8", "replace")
        except DAMAGED:
            continue
        tag = _TABLE_TAG.search(head)
        if tag is not None:
            totals = _totals(xml_attributes(tag.group()))
            if totals is not None:
                found.append(totals)
    return found


def _totals(table: dict[str, str]) -> TableTotals | None:
    """The totals rows of a table part's `<table>` attributes, if it has any."""
    try:
        count = int(table.get("totalsRowCount", "0"))
    except ValueError:
        return None
    ref = _REF.fullmatch(table.get("ref", "").upper())
    if count <= 0 or ref is None or ref.group(3) is None:
        return None
    first, last = column_index(ref.group(1).encode()), column_index(ref.group(3).encode())
    top, bottom = int(ref.group(2)), int(ref.group(4))
    if bottom - count < top:
        return None
    name = html.unescape(table.get("displayName") or table.get("name") or "")
    return TableTotals(name, bottom - count + 1, bottom, first, last)


# -- an xlsx's parts ---------------------------------------------------------------------


def sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    """The zip entry of an xlsx sheet, found as calamine finds it: the workbook part in the
    folder _rels/.rels names (xl/, nearly always), the sheet's relationship id (r:id, under
    whatever prefix the file gives the relationships namespace: ns1:id from some writers),
    and that id's target in the workbook's relationships. A zip entry is found whatever
    the case of its name, as calamine finds it."""
    book = workbook_part(archive)
    if book is None:
        return None
    folder, text = book
    relationship = None
    for element in _SHEET.findall(text):
        attributes = xml_attributes(element)
        if html.unescape(attributes.get("name", "")) == sheet:
            relationship = attributes.get("id")
    if relationship is None:
        return None
    relations = _read(archive, f"{folder}_rels/workbook.xml.rels")
    for element in _RELATIONSHIP.findall(relations or ""):
        attributes = xml_attributes(element)
        if attributes.get("Id") == relationship:
            target = html.unescape(attributes.get("Target", ""))
            found = target.lstrip("/") if target.startswith("/") else folder + target
            return _entry(archive, posixpath.normpath(found))
    return None


_SHEET = re.compile(r"<(?:\w+:)?sheet\s[^>]*>")
_RELATIONSHIP = re.compile(r"<(?:\w+:)?Relationship\s[^>]*>")
_ATTRIBUTE = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def xml_attributes(element: str) -> dict[str, str]:
    """An element's attributes by their local name (r:id, ns1:id as id), their values as
    written: a caller unescapes what it reads as text."""
    return {
        name.rpartition(":")[2]: double or single
        for name, double, single in _ATTRIBUTE.findall(element)
    }


def column_index(letters: bytes) -> int:
    """b"A" -> 0, b"Z" -> 25, b"AA" -> 26."""
    column = 0
    for letter in letters:
        column = column * 26 + letter - 64  # A=1 … Z=26
    return column - 1


def column_letter(index: int) -> str:
    """A column as Excel names it, from its 0-based index (`column_index`'s inverse): 0 -> A,
    25 -> Z, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(ord("A") + rest) + name
    return name


def workbook_part(archive: zipfile.ZipFile) -> tuple[str, str] | None:
    """The folder of an xlsx's workbook part and the part's XML; None for a zip that is no
    xlsx (an ods, an xlsb)."""
    folder = "xl/"
    for element in _RELATIONSHIP.findall(_read(archive, "_rels/.rels") or ""):
        attributes = xml_attributes(element)
        if attributes.get("Type", "").endswith("/officeDocument"):
            target = attributes.get("Target", "").lstrip("/")
            folder = target[: target.rfind("/") + 1]
    text = _read(archive, f"{folder}workbook.xml")
    return None if text is None else (folder, text)


def _read(archive: zipfile.ZipFile, name: str) -> str | None:
    entry = _entry(archive, name)
    return None if entry is None else archive.read(entry).decode("utf-8", "replace")


def _entry(archive: zipfile.ZipFile, name: str) -> str | None:
    """The zip entry named `name`, whatever its case (a zip made on Windows: XL/Workbook.xml)."""
    names = archive.namelist()
    if name in names:
        return name
    wanted = name.lower()
    return next((entry for entry in names if entry.replace("\\", "/").lower() == wanted), None)
