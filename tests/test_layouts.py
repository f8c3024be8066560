"""Real-world layouts that must just work: totals, notes, blank lines, title lines."""

from __future__ import annotations

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewed_row, run_file

from renewal import pipeline

HEADER = EXPORT_HEADER
merchant = renewed_row


def layout(tmp_path, rows):
    path = tmp_path / "e.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


ROWS = [
    ["天猫续签名单 2021-12-01"],
    HEADER,
    merchant("m1"),
    [],
    merchant("m2"),
    ["注：保证金单位为元"],
    merchant("m3"),
    ["合计", "", "", "", "", "", "", "150000", "180000"],
    ["数据来源：商家中心导出"],
    ["平均", "", "", "", "", "", "", "50000", "60000"],
    ["制表人：张三", "审核人：李四"],
]


@pytest.mark.parametrize("jobs", [1, 2])
def test_totals_notes_and_blank_lines_are_not_merchants(tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 2)  # rows spread over both workers
    run = run_file(layout(tmp_path, ROWS), AFTER_DEADLINE, jobs=jobs)
    assert [(r["merchant_id"], r["row"]) for r in run.results] == [("m1", 3), ("m2", 5), ("m3", 7)]
    assert run.summary["rows_read"] == 3
    assert run.summary["blank_rows_skipped"] == 1
    # the two notes, the 合计 line, the averages and the signatures below it
    assert run.summary["other_lines_skipped"] == 5
    assert run.summary["notes"] == []
    assert run.header is not None and run.header.input["header_row"] == 2


@pytest.mark.parametrize("jobs", [1, 2])
def test_merchants_below_the_total_line_are_not_lost(tmp_path, monkeypatch, jobs):
    """Rows pasted below the 合计 line that fill a merchant row are read, and a note says
    where; a second 合计 line and the sparse lines there are still skipped."""
    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 2)  # the 合计 line in one worker's block
    rows = [
        HEADER,
        merchant("m1"),
        merchant("m2"),
        ["合计", "", "", "", "", "", "", "100000", "120000"],
        ["平均", "", "", "", "", "", "", "50000", "60000"],
        merchant("m3"),
        ["小计", "", "", "", "", "", "", "50000", "60000"],
        merchant("m4"),
        ["制表人：张三"],
    ]
    run = run_file(layout(tmp_path, rows), AFTER_DEADLINE, jobs=jobs)
    assert [(r["merchant_id"], r["row"]) for r in run.results] == [
        ("m1", 2),
        ("m2", 3),
        ("m3", 6),
        ("m4", 8),
    ]
    assert run.summary["other_lines_skipped"] == 4
    [note] = run.summary["notes"]
    assert (note["code"], note["total"], note["rows"], note["count"]) == (
        "note.after_total",
        4,
        "6、8",
        2,
    )
    assert "第 4 行是合计行" in note["message"]


def test_a_merchant_named_like_a_note_is_still_a_merchant(tmp_path):
    """Only a line whose single text is a note is skipped; a full row is a merchant."""
    row = merchant("说明书旗舰店-001")
    run = run_file(layout(tmp_path, [HEADER, row]), AFTER_DEADLINE)
    assert [r["merchant_id"] for r in run.results] == ["说明书旗舰店-001"]


def test_a_shop_whose_name_starts_like_total_is_not_a_total_line(tmp_path):
    """'Totalcare旗舰店' is a merchant; only 合计/总计/Total as a word ends the data."""
    rows = [
        HEADER,
        merchant("m1"),
        ["", "Totalcare旗舰店"],
        merchant("m3"),
        ["Total: 3"],
        merchant("m4"),
    ]
    run = run_file(layout(tmp_path, rows), AFTER_DEADLINE)
    assert [(r["merchant_id"], r["outcome"]) for r in run.results] == [
        ("m1", "renewed"),
        (None, "error"),
        ("m3", "renewed"),
        ("m4", "renewed"),  # below the Total line, but a merchant row: read
    ]
    assert run.summary["other_lines_skipped"] == 1


def test_a_group_label_merged_over_two_sub_headers(tmp_path):
    """保证金 merged over 应缴 | 余额, 年费 over 应缴 | 已缴, the rest merged over both rows."""
    top = [
        "商家ID",
        "店铺类型",
        "商标状态",
        "主营类目",
        "合同签署时间",
        "续签报名时间",
        "协议签署时间",
        "保证金",
        "",
        "年费",
        "",
        "年费缴纳时间",
        "处罚申诉中",
    ]
    below = ["", "", "", "", "", "", "", "应缴", "余额", "应缴", "已缴", "", ""]
    row = [
        "m1",
        "旗舰店",
        "R",
        "男装",
        "2020-01-01 10:00",
        "2021-11-20 10:00",
        "2021-11-20 10:00",
        "80000",
        "50000",
        "60000",
        "60000",
        "2021-11-20 10:00",
        "否",
    ]
    path = tmp_path / "e.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    for cells in (top, below, row):
        sheet.append(cells)
    for first, last in (("A", "A"), ("H", "I"), ("J", "K")):
        if first != last:
            sheet.merge_cells(f"{first}1:{last}1")
    book.save(path)
    run = run_file(path, AFTER_DEADLINE)
    (result,) = run.results
    # a header over rows 1 and 2 is named by its first row, where the user reads it
    assert result["row"] == 3 and run.header is not None and run.header.input["header_row"] == 1
    deposit = next(f for f in result["findings"] if f["rule"] == "DP01")
    assert (deposit["expected"], deposit["actual"], deposit["owed"]) == (80000.0, 50000.0, 30000.0)
    assert deposit["source"]["column"] == "保证金余额"
    assert result["outcome"] == "failed"


def test_a_data_row_below_the_header_is_not_taken_for_sub_headers(tmp_path):
    rows = [HEADER, ["", "旗舰店", "R", "男装"], merchant("m2")]
    run = run_file(layout(tmp_path, rows), AFTER_DEADLINE)
    assert [(r["merchant_id"], r["row"]) for r in run.results] == [(None, 2), ("m2", 3)]


def test_a_cell_of_spaces_under_a_label_does_not_make_a_data_row_a_sub_header(tmp_path):
    """Found by hypothesis: 店铺名称 over "   " joined to 店铺名称 again, so a first data row
    of text without an id was taken for a second header row and lost."""
    path = tmp_path / "e.csv"  # a CSV: every cell is text, so nothing marks the row as data
    rows = [
        [*HEADER, "店铺名称"],
        ["", *renewed_row("x")[1:], "   "],
        [*renewed_row("m2"), "店2"],
    ]
    path.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    run = run_file(path, AFTER_DEADLINE)
    assert [(r["merchant_id"], r["row"]) for r in run.results] == [(None, 2), ("m2", 3)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_cells_merged_down_over_data_rows_read_on_each_row(tmp_path, monkeypatch, jobs):
    """A hand-kept sheet merges a value down over the rows it applies to: a store type over
    a group of merchants, a merchant id over that merchant's penalty records. Excel shows
    the value on every row, so every row reads it; a note names the areas. The table here
    starts at column B, as a sheet with a margin does."""
    from renewal.intake.export import open_export

    path = tmp_path / "e.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    rows = [merchant(f"m{i}") for i in range(1, 5)]
    for row in rows[1:3]:
        row[1] = None  # 店铺类型 under the merged cell above
    for cells in (HEADER, *rows):
        sheet.append([None, *cells])
    sheet.merge_cells("C2:C4")  # 旗舰店 over m1, m2, m3 (the header is row 1)
    penalties = book.create_sheet("违规记录")
    penalties.append(["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"])
    penalties.append(["m2", "2021-03-01", "一般违规", 2, "无"])
    penalties.append([None, "2021-04-01", "一般违规", 3, "无"])
    penalties.append([None, "2021-05-01", "严重违规", 6, "无"])
    penalties.merge_cells("A2:A4")
    book.save(path)

    export = open_export(path)
    found = {m.merchant_id: m for m in export.merchants}
    assert [found[f"m{i}"].store_type for i in range(1, 5)] == ["旗舰店"] * 4
    assert [v.points for v in found["m2"].violations] == [2, 3, 6]
    assert export.unmatched(export.attached) == []
    assert {(key, values["sheet"], values["cells"][0]) for key, values in export.notes} == {
        ("note.merged", "商家", "C2:C4"),
        ("note.merged", "违规记录", "A2:A4"),
    }

    monkeypatch.setattr(pipeline, "BLOCK_ROWS", 1)  # each row a block: split between workers
    run = run_file(path, AFTER_DEADLINE, jobs=jobs)
    assert [r["merchant_id"] for r in run.results] == ["m1", "m2", "m3", "m4"]
    assert not [f for r in run.results for f in r["findings"] if f["rule"].startswith("LD")]
    assert run.summary["unmatched_supporting_rows"] == []
    messages = [n["message"] for n in run.summary["notes"] if n["code"] == "note.merged"]
    assert messages[0].startswith("工作表「商家」表头以下有 1 处合并单元格（C2:C4）")


def test_a_merged_header_is_not_filled_down_into_the_data(tmp_path):
    """Only areas below the header are filled: 商家ID merged over two header rows stays a
    header, and its first data row is a merchant."""
    path = tmp_path / "e.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    sheet.append(HEADER)
    sheet.append([None] * len(HEADER))
    sheet.append(merchant("m1"))
    sheet.merge_cells("A1:A2")
    book.save(path)
    run = run_file(path, AFTER_DEADLINE)
    assert [(r["merchant_id"], r["row"]) for r in run.results] == [("m1", 3)]
    assert not [n for n in run.summary["notes"] if n["code"] == "note.merged"]


def test_rows_of_spaces_and_invisible_characters_are_blank_lines(tmp_path):
    """A row someone cleared by typing spaces, or a CSV line of ` , , `, shows nothing:
    a blank line, not a merchant with a blank id (which would be an error row)."""
    width = len(HEADER)
    spaces = [" "] * width
    invisible = ["\u3000", "\u200b", " \ufeff"] + [""] * (width - 3)
    rows = [HEADER, merchant("m1"), spaces, invisible, merchant("m2")]
    run = run_file(layout(tmp_path, rows), AFTER_DEADLINE)
    assert [r["merchant_id"] for r in run.results] == ["m1", "m2"]
    assert run.summary["blank_rows_skipped"] == 2
    csv_path = tmp_path / "e.csv"
    lines = [",".join(HEADER), ",".join(merchant("m1")), " , , ", ",".join(merchant("m2"))]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = run_file(csv_path, AFTER_DEADLINE)
    assert [r["merchant_id"] for r in run.results] == ["m1", "m2"]
    assert run.summary["blank_rows_skipped"] == 1


def test_a_row_with_a_blank_looking_id_but_data_is_still_reported(tmp_path):
    """Spaces in the id cell of a row that holds data: an error row, never dropped."""
    row = merchant("m2")
    row[HEADER.index("商家ID")] = "  "
    run = run_file(layout(tmp_path, [HEADER, merchant("m1"), row]), AFTER_DEADLINE)
    assert [(r["merchant_id"], r["outcome"]) for r in run.results] == [
        ("m1", "renewed"),
        (None, "error"),
    ]


def _csv(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


_CSV_HEADER = "商家ID,店铺名称,合同签署时间\n"


def _after_total(tmp_path, count):
    rows = [HEADER, merchant("m1"), ["合计", "", "", "", "", "", "", "50000", "60000"]]
    return layout(tmp_path, [*rows, *(merchant(f"below{n}") for n in range(count))])


def _header_again(tmp_path, count):
    parts = [f"{_CSV_HEADER}m{n},店,2020-01-01\n" for n in range(count + 1)]
    return _csv(tmp_path, "pasted.csv", "".join(parts))


def _multiline(tmp_path, count):
    rows = [f'm{n},"店\n{n}",2020-01-01\n' for n in range(count)]
    return _csv(tmp_path, "multi.csv", _CSV_HEADER + "".join(rows) + "last,店,2020-01-01\n")


@pytest.mark.parametrize(
    ("code", "build", "rows", "one", "two"),
    [
        (
            "note.after_total",
            _after_total,
            ["4", "5"],
            {
                "en": "but row 4 below it looks like a merchant row: checked",
                "zh": "但其下第 4 行仍像商家行，已照常检查",
            },
            {
                "en": "but rows 4, 5 below it (2 in all) look like merchant rows: checked",
                "zh": "但其下第 4、5 行（共 2 行）仍像商家行",
            },
        ),
        (
            "note.header_again",
            _header_again,
            ["3", "5"],
            {
                "en": "at row 3 (most likely several exports pasted together): not a merchant,",
                "zh": "第 3 行又是一遍表头（多半是几份导出拼在了一起），不是商家",
            },
            {
                "en": "at rows 3, 5 (2 in all; most likely several exports pasted together): not merchants,",
                "zh": "第 3、5 行又是一遍表头（共 2 行，",
            },
        ),
        (
            "note.multiline",
            _multiline,
            ["2", "3"],
            {
                "en": "A CSV row runs over several lines of the file (a cell with a line break): row 2;",
                "zh": "CSV 第 2 行的单元格含换行，一行占了文件的多行；",
            },
            {
                "en": "2 CSV rows run over several lines of the file (a cell with a line break): rows 2, 3;",
                "zh": "CSV 有 2 行的单元格含换行，一行占了文件的多行（第 2、3 行）",
            },
        ),
    ],
    ids=["after_total", "header_again", "multiline"],
)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_note_about_one_row_says_row_and_about_several_says_rows(
    tmp_path, code, build, rows, one, two, lang
):
    """The notes about lines of the file agree with their count in English (row 4 looks
    like, rows 4, 5 look like), and the report's own `rows` field lists them as its
    language does, as the message does."""
    comma = {"en": ", ", "zh": "、"}[lang]
    for count, says in ((1, one), (2, two)):
        folder = tmp_path / str(count)
        folder.mkdir()
        run = run_file(build(folder, count), AFTER_DEADLINE, lang=lang)
        (note,) = [n for n in run.summary["notes"] if n["code"] == code]
        assert note["count"] == count
        assert says[lang] in note["message"], note["message"]
        assert note["rows"] == comma.join(rows[:count])
