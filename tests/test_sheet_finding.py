"""Which sheet is read as what: the supporting sheets are found as the merchant sheet is (by
their name, the names near it and the one Apple Numbers gives, else by their header), a
yes/no column is found under the question that asks it, and the refusals about sheets say
what renewal knows of them (hidden, empty, a copy) and how to go on."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewal, renewed_row, run_file

from renewal.intake.columns import (
    MERCHANT_COLUMNS,
    QUALIFICATION_COLUMNS,
    VIOLATION_COLUMNS,
    alias_table,
    asked,
    normalize_header,
)
from renewal.intake.export import open_export
from renewal.intake.tables import IntakeError

VIOLATION_HEAD = ["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"]
QUALIFICATION_HEAD = ["商家ID", "资质类型", "证书编号", "到期日期"]
APPEAL = EXPORT_HEADER.index("处罚申诉中")


def failed_row(merchant_id: str, appeal: str = "否") -> list[object]:
    """A merchant that never signed up: failed after the deadline, so the transfer test
    applies; 0 points, and `appeal` under 处罚申诉中."""
    cells = renewed_row(merchant_id)
    cells[EXPORT_HEADER.index("续签报名时间")] = ""
    cells[APPEAL] = appeal
    return cells


def book(
    path: Path, sheets: dict[str, list[list[object]]], states: dict[str, str] | None = None
) -> Path:
    """A workbook of `sheets` in order; `states` hides some (hidden, veryHidden)."""
    states = states or {}
    made = openpyxl.Workbook()
    made.remove(made.active)
    for name, rows in sheets.items():
        sheet = made.create_sheet(name)
        for cells in rows:
            sheet.append(cells)
        sheet.sheet_state = states.get(name, "visible")
    made.active = next(i for i, name in enumerate(sheets) if name not in states)
    made.save(path)
    return path


def transfer(path: Path) -> dict[str, object]:
    """Each merchant's transfer_eligible."""
    return {
        r["merchant_id"]: r["transfer_eligible"] for r in run_file(path, AFTER_DEADLINE).results
    }


def notes(path: Path, lang: str = "zh") -> dict[str, str]:
    """The run's notes about the file, by code."""
    said = run_file(path, AFTER_DEADLINE, lang=lang).summary["notes"]
    assert isinstance(said, list)
    return {note["code"]: note["message"] for note in said}


def refused(path: Path, *args: str) -> tuple[str, str]:
    """The one line `check` says on stderr in each language; exit 2, no traceback."""
    said = []
    for lang in ("zh", "en"):
        result = renewal("check", path, "--rules", "tmall-2022", "--lang", lang, *args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        said.append(result.stderr)
    return said[0], said[1]


# --- finding 4: the supporting sheets -----------------------------------------------------


@pytest.mark.parametrize(
    ("violations", "qualifications"),
    [
        ("违规记录 - 表格 1", "资质 - 表格 1"),  # Apple Numbers, in Chinese
        ("违规记录 - Table 1", "资质 - Table 1"),  # and in English
        ("违规记录表", "资质表"),
        ("违规明细", "资质明细"),
    ],
)
def test_supporting_sheets_under_a_near_name_are_read_by_their_name(
    tmp_path: Path, violations: str, qualifications: str
) -> None:
    """The sheet names other programs and people give the supporting sheets: read as the
    sheets they are, with no note (the name says what they are)."""
    path = book(
        tmp_path / "e.xlsx",
        {
            "导出摘要": [["此文档已从 Numbers 导出。"]],
            "商家 - 表格 1": [EXPORT_HEADER, failed_row("m1"), failed_row("m2")],
            violations: [VIOLATION_HEAD, ["m1", "2021-06-01", "一般违规", 2, "申诉中"]],
            qualifications: [QUALIFICATION_HEAD, ["m2", "品牌授权书", "A1", "2022-01-10"]],
        },
    )
    export = open_export(path)
    assert export.table.name == "商家 - 表格 1"
    assert export.violations is not None and export.violations.parts[0].name == violations
    assert export.qualifications is not None
    assert export.qualifications.parts[0].name == qualifications
    assert transfer(path) == {"m1": False, "m2": True}
    (ql01,) = [
        f
        for r in run_file(path, AFTER_DEADLINE).results
        if r["merchant_id"] == "m2"
        for f in r["findings"]
        if f["rule"] == "QL01"
    ]
    assert ql01["status"] == "warn" and "品牌授权书" in ql01["message"]
    assert notes(path) == {}


def test_supporting_sheets_under_other_names_are_found_by_their_header(tmp_path: Path) -> None:
    """Sheet2 and Sheet3 hold the 违规记录 and 资质 headers: read as those sheets, a note
    naming each, so the transfer test sees m1's appeal and QL01 m2's expiring document."""
    path = book(
        tmp_path / "e.xlsx",
        {
            "商家": [EXPORT_HEADER, failed_row("m1"), failed_row("m2")],
            "Sheet2": [VIOLATION_HEAD, ["m1", "2021-06-01", "一般违规", 2, "申诉中"]],
            "Sheet3": [["资质表"], QUALIFICATION_HEAD, ["m2", "品牌授权书", "A1", "2022-01-10"]],
        },
    )
    assert transfer(path) == {"m1": False, "m2": True}
    export = open_export(path)
    assert export.qualifications is not None
    assert [part.name for part in export.qualifications.parts] == ["Sheet3"]
    said = notes(path)
    assert said["note.violations_by_header"] == (
        "没有名为「违规记录」的工作表，工作表 Sheet2 的表头是违规记录的"
        "（商家ID、处罚日期、违规类型、扣分）：已作为违规记录读取"
    )
    assert "工作表 Sheet3 的表头是资质的" in said["note.qualifications_by_header"]
    english = notes(path, "en")
    assert "sheet Sheet2 has the violations header" in english["note.violations_by_header"]


def test_an_unnamed_workbook_finds_every_sheet_by_its_header(tmp_path: Path) -> None:
    """No sheet has a known name: the merchant sheet is the one with its header, and the
    sheets read to find it are not read again to find the supporting ones."""
    path = book(
        tmp_path / "e.xlsx",
        {
            "说明": [["请勿修改表头"]],
            "Sheet1": [EXPORT_HEADER, failed_row("m1"), failed_row("m2")],
            "Sheet2": [VIOLATION_HEAD, ["m2", "2021-06-01", "严重违规", 12, "无"]],
        },
    )
    assert transfer(path) == {"m1": True, "m2": False}
    assert list(notes(path)) == ["note.violations_by_header"]


def test_two_sheets_with_the_violations_header_are_refused_naming_both(tmp_path: Path) -> None:
    """Reading one would drop the other's penalties without a word; the hidden one is
    said to be hidden, as one sees a single sheet."""
    path = book(
        tmp_path / "e.xlsx",
        {
            "商家": [EXPORT_HEADER, failed_row("m1")],
            "Sheet2": [VIOLATION_HEAD, ["m1", "2021-06-01", "一般违规", 2, "无"]],
            "Sheet3": [VIOLATION_HEAD, ["m1", "2021-07-01", "严重违规", 12, "无"]],
        },
        {"Sheet3": "hidden"},
    )
    with pytest.raises(IntakeError) as error:
        open_export(path)
    assert (error.value.key, error.value.values["sheets"]) == (
        "intake.supporting_sheets",
        ["Sheet2", "Sheet3"],
    )
    zh, en = refused(path)
    assert "没有名为「违规记录」的工作表，而工作表 Sheet2、Sheet3 都有违规记录表头" in zh
    assert "其中 Sheet3 是隐藏的工作表" in zh and "请把要读的那张改名为「违规记录」" in zh
    assert "sheets Sheet2, Sheet3 all have the violations sheet (违规记录) header" in en
    # a sheet that continues another is read with it, not a second candidate
    continued = book(
        tmp_path / "continued.xlsx",
        {
            "商家": [EXPORT_HEADER, failed_row("m1"), failed_row("m2")],
            "Penalties": [VIOLATION_HEAD, ["m1", "2021-06-01", "一般违规", 2, "无"]],
            "Penalties 2": [VIOLATION_HEAD, ["m2", "2021-07-01", "严重违规", 12, "无"]],
        },
    )
    assert transfer(continued) == {"m1": True, "m2": False}


def test_a_sheet_with_a_supporting_header_beside_the_named_one_is_said_not_read(
    tmp_path: Path,
) -> None:
    """违规记录 is the one read; Sheet2's penalties are not added to it, and a note names it:
    its rows are not silently left out."""
    path = book(
        tmp_path / "e.xlsx",
        {
            "商家": [EXPORT_HEADER, failed_row("m1")],
            "违规记录": [VIOLATION_HEAD],
            "资质": [QUALIFICATION_HEAD],
            "Sheet2": [VIOLATION_HEAD, ["m1", "2021-07-01", "严重违规", 12, "无"]],
        },
    )
    assert transfer(path) == {"m1": True}
    said = notes(path)
    assert said["note.violations_unread"] == (
        "工作表「Sheet2」也有违规记录的表头，但没有读取：违规记录读自「违规记录」；"
        "若其中有要核对的处罚，请并入「违规记录」"
    )
    assert (
        "Sheet Sheet2 also has the violations header but was not read"
        in notes(path, "en")["note.violations_unread"]
    )


# --- finding 5: a yes/no column headed as a question ---------------------------------------


@pytest.mark.parametrize(
    "heading", ["是否处罚申诉中", "处罚是否申诉中", "处罚申诉中?", "申诉中？", "是否处罚申诉中？"]
)
def test_the_appeal_column_headed_as_a_question_is_read(tmp_path: Path, heading: str) -> None:
    header = [heading if name == "处罚申诉中" else name for name in EXPORT_HEADER]
    path = book(
        tmp_path / "e.xlsx",
        {
            "商家": [header, failed_row("m1", "Y"), failed_row("m2", "否")],
            "违规记录": [VIOLATION_HEAD],
        },
    )
    export = open_export(path)
    assert export.header.texts["appeal_pending"] == heading
    assert transfer(path) == {"m1": False, "m2": True}


def test_a_question_names_only_its_own_yes_no_column() -> None:
    """Every question form of a 是/否 column finds that column, none is another column's
    name, and a question about a column that is no yes/no (年费是否已缴: an amount) finds
    nothing: it is not read as the amount."""
    for columns in (MERCHANT_COLUMNS, VIOLATION_COLUMNS, QUALIFICATION_COLUMNS):
        table = alias_table(columns)
        names = {
            normalize_header(name): column.key
            for column in columns
            for name in (column.header, column.key, *column.aliases)
        }
        for column in columns:
            if column.kind != "bool":
                continue
            for name in (column.header, *column.aliases):
                for form in asked(normalize_header(name)):
                    assert names.get(form, column.key) == column.key, form
                    assert table[form].key == column.key, form
    merchants = alias_table(MERCHANT_COLUMNS)
    assert normalize_header("年费是否已缴") not in merchants
    assert merchants[normalize_header("是否考核不达标")].key == "assessment_failed"


def test_without_the_appeal_column_the_transfer_says_where_appeals_were_looked_for(
    tmp_path: Path,
) -> None:
    """Beside a 违规记录 sheet the column may be left out: the appeals read are the sheet's
    rows, and the message says no more. A sheet without 申诉状态 tells nothing of appeals:
    a note says so."""
    header = [name for name in EXPORT_HEADER if name != "处罚申诉中"]
    rows = [[c for i, c in enumerate(failed_row(m)) if i != APPEAL] for m in ("m1", "m2")]
    path = book(
        tmp_path / "e.xlsx",
        {
            "商家": [header, *rows],
            "违规记录": [VIOLATION_HEAD, ["m1", "2021-06-01", "一般违规", 2, "无"]],
        },
    )
    results = run_file(path, AFTER_DEADLINE).results
    messages = {f["message"] for r in results for f in r["findings"] if f["rule"] == "TB01"}
    assert messages == {
        "可转入淘宝企业店铺：近365天严重违规 0 分（<12），一般违规 2 分（<48），"
        "违规记录中没有申诉中的处罚（导出没有「处罚申诉中」列，违规记录以外的申诉未核对）",
        "可转入淘宝企业店铺：近365天严重违规 0 分（<12），一般违规 0 分（<48），"
        "违规记录中没有申诉中的处罚（导出没有「处罚申诉中」列，违规记录以外的申诉未核对）",
    }
    assert "note.appeals_unread" not in notes(path)
    no_states = book(
        tmp_path / "no-states.xlsx",
        {
            "商家": [header, *rows],
            "违规记录": [VIOLATION_HEAD[:4], ["m1", "2021-06-01", "一般违规", 2]],
        },
    )
    assert notes(no_states)["note.appeals_unread"] == (
        "导出没有「处罚申诉中」列，工作表「违规记录」也没有「申诉状态」列：无从得知处罚是否在申诉中，"
        "转淘宝企业店铺（TB01）没有核对申诉"
    )
    # with the column the message is as before
    plain = book(
        tmp_path / "plain.xlsx",
        {"商家": [EXPORT_HEADER, failed_row("m1")], "违规记录": [VIOLATION_HEAD[:4]]},
    )
    (finding,) = [
        f
        for r in run_file(plain, AFTER_DEADLINE).results
        for f in r["findings"]
        if f["rule"] == "TB01"
    ]
    assert finding["message"].endswith("，无申诉中的处罚")
    assert "note.appeals_unread" not in notes(plain)


# --- finding 9: what the refusals about sheets say ---------------------------------------


@pytest.mark.parametrize(
    ("state", "zh_said", "en_said"),
    [
        ("hidden", "其中 Sheet2 是隐藏的工作表", "(Sheet2: hidden, so Excel does not show it"),
        (
            "veryHidden",
            "其中 Sheet2 是深度隐藏（very hidden）的工作表：Excel 不显示它，「取消隐藏」里也找不到",
            "(Sheet2: very hidden, so Excel does not show it and its Unhide list does not offer it",
        ),
    ],
)
def test_two_merchant_sheets_one_hidden_are_refused_saying_which_is_hidden(
    tmp_path: Path, state: str, zh_said: str, en_said: str
) -> None:
    """One sees Sheet1 alone and is told there are two: the message says the other is
    hidden, and suggests --sheet with the one that shows, even when it comes second."""
    path = book(
        tmp_path / "e.xlsx",
        {
            "Sheet2": [EXPORT_HEADER, renewed_row("old")],
            "Sheet1": [EXPORT_HEADER, renewed_row("m1")],
            "违规记录": [VIOLATION_HEAD],
        },
        {"Sheet2": state},
    )
    zh, en = refused(path)
    assert "工作表 Sheet2、Sheet1 都有商家表头" in zh and zh_said in zh
    assert "（如 --sheet Sheet1）" in zh
    assert en_said in en and "(--sheet Sheet1, say)" in en
    assert [r["merchant_id"] for r in run_sheet(path, "Sheet1")] == ["m1"]
    # both showing: the message is as it was
    shown = book(
        tmp_path / "shown.xlsx",
        {
            "Sheet2": [EXPORT_HEADER, renewed_row("old")],
            "Sheet1": [EXPORT_HEADER, renewed_row("m1")],
        },
    )
    zh, _ = refused(shown)
    assert "不知道该检查哪一张；请用 renewal check --sheet 指定一张（如 --sheet Sheet2）" in zh


def run_sheet(path: Path, sheet: str) -> list[dict[str, object]]:
    import json

    result = renewal(
        "check", path, "--rules", "tmall-2022", "-f", "json", "--fail-on", "never", "--sheet", sheet
    )
    assert result.returncode == 0, result.stderr
    merchants: list[dict[str, object]] = json.loads(result.stdout)["merchants"]
    return merchants


@pytest.mark.parametrize(
    ("named", "zh_state", "en_state"),
    [
        ([], "工作表「商家」为空", "sheet 商家 is empty"),
        (
            [EXPORT_HEADER],
            "工作表「商家」第 1 行是表头，但下面没有商家数据",
            "sheet 商家 has the header on row 1 and no merchant rows below it",
        ),
        (  # renewal's own template, left unfilled: its example row is no merchant
            [EXPORT_HEADER, ["示例", *[""] * (len(EXPORT_HEADER) - 1)], []],
            "工作表「商家」第 1 行是表头，但下面没有商家数据",
            "sheet 商家 has the header on row 1 and no merchant rows below it",
        ),
    ],
)
def test_an_empty_merchant_sheet_names_the_sheet_that_has_the_merchants(
    tmp_path: Path, named: list[list[object]], zh_state: str, en_state: str
) -> None:
    """Refused, not read in its place: a sheet the export does not name may be last year's
    list or a working copy. The message says which sheet holds merchants, and the --sheet
    that checks it."""
    path = book(
        tmp_path / "e.xlsx",
        {
            "商家": named,
            "说明": [["请勿修改表头"]],
            "Sheet1": [EXPORT_HEADER, renewed_row("m1")],
            "违规记录": [VIOLATION_HEAD],
        },
    )
    zh, en = refused(path)
    assert (
        f"{zh_state}，而工作表 Sheet1 有商家表头和商家行；若要检查的是它，请用 renewal check --sheet Sheet1"
        in zh
    )
    assert f"{en_state}, but sheet Sheet1 has the merchant header and merchant rows" in en
    assert "renewal check --sheet Sheet1" in en
    assert [r["merchant_id"] for r in run_sheet(path, "Sheet1")] == ["m1"]


def test_an_empty_merchant_sheet_alone_is_refused_as_before(tmp_path: Path) -> None:
    """No other sheet has merchants: the sheet's own refusal."""
    empty = book(tmp_path / "empty.xlsx", {"商家": [], "说明": [["请勿修改表头"]]})
    zh, _ = refused(empty)
    assert "工作表「商家」为空" in zh and "--sheet" not in zh
    header_only = book(
        tmp_path / "header.xlsx", {"商家": [EXPORT_HEADER], "Sheet1": [EXPORT_HEADER]}
    )
    zh, _ = refused(header_only)
    assert "工作表「商家」第 1 行是表头，但下面没有商家数据" in zh and "--sheet" not in zh


def test_a_copy_of_the_merchant_sheet_is_not_read_as_more_rows(tmp_path: Path) -> None:
    """Excel's Move or Copy names a copy of 商家 商家 (2): it repeats the rows from the first
    merchant, so it is a backup, not a continuation. Not read (every merchant would
    otherwise be an error on two rows), and a note says so; also when rows were added to
    商家 since the copy was made."""
    rows = [EXPORT_HEADER, renewed_row("m1"), renewed_row("m2")]
    for original in (rows, [*rows, renewed_row("m3")]):
        path = book(
            tmp_path / "e.xlsx", {"商家": original, "商家 (2)": rows, "违规记录": [VIOLATION_HEAD]}
        )
        results = run_file(path, AFTER_DEADLINE).results
        expected = [r[0] for r in original[1:]]
        assert [(r["merchant_id"], r["sheet"], r["outcome"]) for r in results] == [
            (merchant, "商家", "renewed") for merchant in expected
        ]
        assert notes(path)["note.sheet_copy"] == (
            "工作表「商家 (2)」的商家行就是「商家」的（多半是 Excel「移动或复制」留下的副本），"
            "不是续表：没有读取"
        )
    # a continuation that does not start with the first sheet's rows is read as before
    continued = book(
        tmp_path / "continued.xlsx",
        {"商家": rows, "商家 (2)": [EXPORT_HEADER, renewed_row("m3")]},
    )
    assert [r["sheet"] for r in run_file(continued, AFTER_DEADLINE).results] == [
        "商家",
        "商家",
        "商家 (2)",
    ]


def test_a_copy_that_went_its_own_way_is_refused_naming_both_sheets(tmp_path: Path) -> None:
    """The copy starts with 商家's rows but differs further on (edited, or rows added to
    the copy): which sheet holds the rows meant cannot be told, so --sheet is asked for."""
    changed = renewed_row("m2")
    changed[EXPORT_HEADER.index("保证金余额")] = "10000"
    path = book(
        tmp_path / "e.xlsx",
        {
            "商家": [EXPORT_HEADER, renewed_row("m1"), renewed_row("m2")],
            "商家 (2)": [EXPORT_HEADER, renewed_row("m1"), changed],
        },
    )
    with pytest.raises(IntakeError) as error:
        open_export(path)
    assert error.value.key == "intake.sheet_copy" and error.value.values["row"] == 3
    zh, en = refused(path)
    assert "工作表「商家 (2)」从第一个商家起与「商家」相同" in zh and "第 3 行不同" in zh
    assert "renewal check --sheet 商家 只检查其中一张" in zh
    assert "sheet 商家 (2) starts with the merchant rows of sheet 商家" in en
    assert [r["merchant_id"] for r in run_sheet(path, "商家 (2)")] == ["m1", "m2"]
    longer = book(
        tmp_path / "longer.xlsx",
        {
            "商家": [EXPORT_HEADER, renewed_row("m1")],
            "商家 (2)": [EXPORT_HEADER, renewed_row("m1"), renewed_row("m2")],
        },
    )
    with pytest.raises(IntakeError) as error:
        open_export(longer)
    assert error.value.key == "intake.sheet_copy"
