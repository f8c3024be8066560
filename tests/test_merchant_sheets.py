"""Which sheets hold the merchants: a merchant sheet continued on 商家 (2), 商家2 … is read
as one table, each row named by its own sheet; two sheets that both hold merchants and do
not continue one another are refused, naming them, unless --sheet picks one."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewal, renewed_row, run_file

from renewal import pipeline
from renewal.intake.export import PART_ROWS, open_export
from renewal.intake.tables import IntakeError

HEADER = [*EXPORT_HEADER, "店铺名称"]


def row(merchant_id: str, shop: str | None = None) -> list[object]:
    return [*renewed_row(merchant_id), shop or f"{merchant_id}旗舰店"]


def workbook(
    path: Path, sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = ()
) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for cells in rows:
            sheet.append(cells)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.active = next(i for i, name in enumerate(sheets) if name not in hidden)
    book.save(path)
    return path


def places(path: Path, jobs: int = 1) -> list[tuple[str, str, int]]:
    """(merchant id, sheet, row) of every result, in report order."""
    return [
        (r["merchant_id"], r["sheet"], r["row"])
        for r in run_file(path, AFTER_DEADLINE, jobs=jobs).results
    ]


@pytest.mark.parametrize("second", ["商家 (2)", "商家2", "商家（2）", "商家_2", "商家(3)"])
def test_a_merchant_sheet_continued_on_another_is_read_as_one_table(tmp_path, second):
    """The continuation's header is found by content (a title line above it here), and its
    rows keep their own numbers: a finding names the sheet and row the value is on."""
    path = workbook(
        tmp_path / "e.xlsx",
        {
            "商家": [HEADER, row("m1"), row("m2")],
            second: [
                ["续表"],
                HEADER,
                row("m3"),
                [*renewed_row("m4")[:7], "余额不详", *row("m4")[8:]],
            ],
        },
    )
    expected = [("m1", "商家", 2), ("m2", "商家", 3), ("m3", second, 3), ("m4", second, 4)]
    for jobs in (1, 2):
        assert places(path, jobs) == expected
    run = run_file(path, AFTER_DEADLINE)
    (bad,) = [r for r in run.results if r["merchant_id"] == "m4"]
    sources = [f["source"] for f in bad["findings"] if f["status"] == "error"]
    assert {"sheet": second, "row": 4, "column": "保证金余额"} in sources
    assert run.summary["rows_read"] == 4
    (note,) = run.summary["notes"]
    assert note["code"] == "note.continued" and second in note["message"]
    assert run.header is not None and run.header.input["sheet"] == "商家"


def test_renewal_s_own_report_continued_past_the_row_limit_is_read_whole(tmp_path):
    """Past 1,048,576 rows the xlsx report goes on in a sheet named after the first 26
    characters of the first sheet's name and (2); English sheet names continue as well."""
    long_name = "天猫商家续签导出全部商家明细表运营部第二版本最终定稿二〇二一"  # 30 characters
    assert len(long_name) > 26
    path = workbook(
        tmp_path / "e.xlsx",
        {
            long_name: [HEADER, row("m1")],
            "汇总": [["检查结果", "商家数"]],
            f"{long_name[:26]} (2)": [HEADER, row("m2")],
        },
    )
    assert [p[:2] for p in places(path)] == [("m1", long_name), ("m2", f"{long_name[:26]} (2)")]
    english = workbook(
        tmp_path / "en.xlsx",
        {"Merchants": [HEADER, row("m1")], "Merchants 2": [HEADER, row("m2")]},
    )
    assert places(english) == [("m1", "Merchants", 2), ("m2", "Merchants 2", 2)]


def test_an_unnamed_merchant_sheet_continues_too_after_instructions(tmp_path):
    """No sheet called 商家: the instructions sheet first still does no harm, and Sheet1's
    continuation is read with it (Sheet12 would be another sheet, not Sheet1's twelfth)."""
    path = workbook(
        tmp_path / "e.xlsx",
        {
            "说明": [["请勿修改表头"]],
            "Sheet1": [HEADER, row("m1")],
            "Sheet1 (2)": [HEADER, row("m2")],
        },
    )
    assert places(path) == [("m1", "Sheet1", 2), ("m2", "Sheet1 (2)", 2)]
    # the continuation before its first sheet in the workbook's order: read after it
    later = workbook(
        tmp_path / "later.xlsx",
        {"Data (2)": [HEADER, row("m2")], "说明": [["请勿修改表头"]], "Data": [HEADER, row("m1")]},
    )
    assert places(later) == [("m1", "Data", 2), ("m2", "Data (2)", 2)]
    # a sheet named like a continuation of one without the header is a sheet of its own
    copied = workbook(
        tmp_path / "copied.xlsx",
        {"Sheet1": [["请勿修改表头"]], "Sheet1 (2)": [HEADER, row("m1")], "Sheet2": [["备注"]]},
    )
    assert places(copied) == [("m1", "Sheet1 (2)", 2)]


def test_a_continuation_with_its_columns_elsewhere_is_read_by_their_names(tmp_path):
    """The continuation's columns in another order, with a column renewal does not read:
    each value is read from its own column, and handed on where the first sheet has it."""
    moved = [*reversed(HEADER), "备注"]
    second = [*reversed(row("m2", "第二店")), "一些备注"]
    second[moved.index("保证金余额")] = "10000"  # short of the 50,000 a 旗舰店 R owes
    path = workbook(tmp_path / "e.xlsx", {"商家": [HEADER, row("m1")], "商家2": [moved, second]})
    export = open_export(path)
    first, other = export.merchants
    assert (other.merchant_id, other.shop_name, other.sheet, other.row) == (
        "m2",
        "第二店",
        "商家2",
        2,
    )
    assert other.deposit_balance == 10000
    (_, cells), (_, moved_cells) = export.rows(fresh=True)
    assert len(moved_cells) == len(HEADER) and moved_cells[0] == "m2"
    results = run_file(path, AFTER_DEADLINE).results
    assert [r["deposit_shortfall"] for r in results] == [0, 40000]


def test_a_continuation_with_other_columns_is_refused_naming_both_sheets(tmp_path):
    """A column on one sheet only would be read for some merchants and blank for the rest."""
    fewer = [name for name in HEADER if name != "保证金余额"]
    path = workbook(
        tmp_path / "e.xlsx",
        {
            "商家": [HEADER, row("m1")],
            "商家 (2)": [
                [],
                fewer,
                [c for h, c in zip(HEADER, row("m2"), strict=True) if h != "保证金余额"],
            ],
        },
    )
    with pytest.raises(IntakeError) as error:
        open_export(path)
    assert error.value.key == "intake.continued_columns"
    message = error.value.message("zh")
    assert (
        "「商家 (2)」续接「商家」" in message and "第 2 行" in message and "保证金余额" in message
    )
    result = renewal("check", path, "--rules", "tmall-2022", "--lang", "en")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "sheet 商家 (2) continues sheet 商家" in result.stderr, result.stderr


def test_an_empty_continuation_is_nothing_to_read_and_one_without_a_header_is_refused(tmp_path):
    empty = workbook(tmp_path / "empty.xlsx", {"商家": [HEADER, row("m1")], "商家2": []})
    assert places(empty) == [("m1", "商家", 2)]
    headless = workbook(
        tmp_path / "headless.xlsx", {"商家": [HEADER, row("m1")], "商家2": [row("m2")]}
    )
    with pytest.raises(IntakeError) as error:
        open_export(headless)
    assert (error.value.key, error.value.values["sheet"]) == ("intake.no_header", "商家2")


def test_one_id_on_two_sheets_is_a_duplicate_naming_each_sheet_and_row(tmp_path, monkeypatch):
    """Found however the rows are split into blocks and between processes (a block per
    row here, so the sheets change between blocks)."""
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 1)
    path = workbook(
        tmp_path / "e.xlsx",
        {
            "商家": [HEADER, row("m1", "甲店"), row("m2")],
            "商家 (2)": [HEADER, row("m3"), row("m1", "乙店")],
        },
    )
    for jobs in (1, 2):
        for lang, named in (
            ("zh", "在工作表「商家」第 2 行、工作表「商家 (2)」第 3 行重复出现"),
            ("en", "appears on sheet 商家 row 2, sheet 商家 (2) row 3:"),
        ):
            run = run_file(path, AFTER_DEADLINE, lang=lang, jobs=jobs)
            dupes = [r for r in run.results if r["outcome"] == "error"]
            assert [(r["merchant_id"], r["sheet"], r["row"]) for r in dupes] == [
                ("m1", "商家", 2),
                ("m1", "商家 (2)", 3),
            ]
            for dupe in dupes:
                (finding,) = dupe["findings"]
                assert finding["rule"] == "LD03" and named in finding["message"]
                assert (finding["source"]["sheet"], finding["source"]["row"]) == (
                    dupe["sheet"],
                    dupe["row"],
                )
            assert run.summary["duplicate_ids"] == 1
    # the table lists both rows with their shop names, read again from their own sheets
    result = renewal(
        "check", path, "--rules", "tmall-2022", "--as-of", "2021-12-27 00:00", "--limit", "0", "-q"
    )
    assert result.returncode == 1 and "甲店" in result.stdout and "乙店" in result.stdout


def test_the_same_id_twice_on_one_sheet_is_still_named_by_rows(tmp_path):
    path = workbook(
        tmp_path / "e.xlsx", {"商家": [HEADER, row("m1")], "商家2": [HEADER, row("m2"), row("m2")]}
    )
    messages = {r["findings"][0]["message"] for r in run_file(path, AFTER_DEADLINE).results[1:]}
    assert messages == {"商家ID m2 在第 2、3 行重复出现，无法确定以哪一行为准"}


@pytest.mark.parametrize(
    "names", [("商家2022", "商家2023"), ("2022年商家", "2023年商家"), ("Sheet1", "Sheet12")]
)
def test_two_merchant_sheets_that_continue_nothing_are_refused_naming_both(tmp_path, names):
    """Two years' merchants side by side: checking the first found would drop the other's
    rows without a word. The message names both and how to pick one; --sheet picks it."""
    first, second = names
    path = workbook(
        tmp_path / "e.xlsx",
        {
            "说明": [["两年的名单"]],
            first: [HEADER, row("m1")],
            second: [HEADER, row("y1"), row("y2")],
        },
    )
    with pytest.raises(IntakeError) as error:
        open_export(path)
    assert (error.value.key, error.value.values["sheets"]) == (
        "intake.merchant_sheets",
        [first, second],
    )
    for lang, said in (
        ("zh", f"工作表 {first}、{second} 都有商家表头"),
        ("en", f"sheets {first}, {second} all have the merchant header"),
    ):
        result = renewal("check", path, "--rules", "tmall-2022", "--lang", lang)
        assert result.returncode == 2 and said in result.stderr and "--sheet" in result.stderr
        assert result.stdout == ""
    assert places_of(path, second) == [(second, ""), ("y1", second), ("y2", second)]
    assert places_of(path, first) == [(first, ""), ("m1", first)]


def places_of(path: Path, sheet: str) -> list[tuple[str, str]]:
    """`check --sheet SHEET`: the report's input sheet, then (merchant id, sheet) of each."""
    result = renewal(
        "check",
        path,
        "--rules",
        "tmall-2022",
        "--as-of",
        "2021-12-27 00:00",
        "-f",
        "json",
        "--fail-on",
        "never",
        "--sheet",
        sheet,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    return [(report["input"]["sheet"], "")] + [
        (m["merchant_id"], m["sheet"]) for m in report["merchants"]
    ]


def test_sheet_picks_by_name_as_sheet_names_compare_and_refuses_what_is_not_there(tmp_path):
    path = workbook(
        tmp_path / "e.xlsx",
        {
            "商家": [HEADER, row("m1")],
            "Merchants B": [HEADER, row("b1")],
            "商家 (2)": [HEADER, row("m2")],
        },
    )
    assert places_of(path, "merchants b") == [("Merchants B", ""), ("b1", "Merchants B")]
    # the sheet --sheet names is read with its continuations
    assert places_of(path, "商家") == [("商家", ""), ("m1", "商家"), ("m2", "商家 (2)")]
    result = renewal("check", path, "--rules", "tmall-2022", "--sheet", "商户", "--lang", "en")
    assert result.returncode == 2
    assert "no sheet is named 商户 (the sheets are 商家, Merchants B, 商家 (2))" in result.stderr
    text = tmp_path / "e.csv"
    text.write_text(
        ",".join(HEADER) + "\n" + ",".join(map(str, row("m1"))) + "\n", encoding="utf-8"
    )
    result = renewal("check", text, "--rules", "tmall-2022", "--sheet", "商家", "--lang", "en")
    assert result.returncode == 2 and "has no sheets to pick with --sheet 商家" in result.stderr


def test_a_visible_copy_beside_its_hidden_original_is_no_continuation(tmp_path):
    """Excel names a copy of 商家 商家 (2): kept beside the original hidden, it is another
    version of the same rows, not their continuation. The named sheet is read, as before,
    and a note says it is hidden; another says the copy was not read, as its merchants
    (m2 here) are in no report."""
    path = workbook(
        tmp_path / "e.xlsx",
        {"商家": [HEADER, row("m1")], "商家 (2)": [HEADER, row("m1"), row("m2")]},
        hidden=("商家",),
    )
    export = open_export(path)
    assert export.sheets == ["商家"]
    assert [code for code, _ in export.notes] == ["note.merchants_unread", "note.hidden_sheet"]
    assert export.notes[0][1]["sheets"] == ["商家 (2)"]


def test_notes_name_continuation_rows_by_their_sheet(tmp_path):
    """The header spelt again on the continuation (another export pasted below) and a
    formula without a saved result there: the notes name the continuation's rows."""
    path = workbook(
        tmp_path / "e.xlsx",
        {"商家": [HEADER, row("m1")], "商家 (2)": [HEADER, row("m2"), HEADER, row("m3")]},
    )
    run = run_file(path, AFTER_DEADLINE, lang="en")
    assert [r["merchant_id"] for r in run.results] == ["m1", "m2", "m3"]
    notes = {note["code"]: note["message"] for note in run.summary["notes"]}
    assert "at row 商家 (2)!3" in notes["note.header_again"], notes


def test_a_csv_line_past_the_continuation_numbering_is_still_on_the_csv(tmp_path):
    """A CSV has no continuation sheets: a line numbered past PART_ROWS (a CSV of more than
    two million lines) is that line of that file."""
    text = tmp_path / "e.csv"
    text.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    export = open_export(text)
    merchant = export.merchant_from(PART_ROWS + 5, row("m1"))
    assert merchant is not None
    assert (merchant.sheet, merchant.row) == (export.table.name, PART_ROWS + 5)
    assert export.place(PART_ROWS + 5) == (export.table.name, PART_ROWS + 5)
