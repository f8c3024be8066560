"""What trails a header is read, not dropped: an amount column's unit (保证金余额（万元） is
read ×10,000, and said once in a note), another currency refuses the file naming the
column, and a bracket that is no unit is part of the name (保证金（应缴） is never the
balance). Two columns that are one field are named as the export spells them, by letter."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewal, renewed_row, run_file

from renewal.intake.export import open_export
from renewal.intake.tables import IntakeError
from renewal.intake.values import parse_amount

BALANCE = EXPORT_HEADER.index("保证金余额")  # H
FEE_PAID = EXPORT_HEADER.index("年费已缴")  # I


def export(
    path: Path,
    header: list[str],
    rows: list[list[object]],
    start: int = 1,
    sheets: dict[str, list[list[object]]] | None = None,
) -> Path:
    """A workbook whose 商家 sheet has `header` and `rows` from column `start` (1 is A),
    then the sheets `sheets`."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    for number, cells in enumerate([header, *rows], 1):
        for offset, value in enumerate(cells):
            sheet.cell(number, start + offset, value)
    for name, more in (sheets or {}).items():
        extra = book.create_sheet(name)
        for cells in more:
            extra.append(cells)
    book.save(path)
    return path


def headed(**names: str) -> list[str]:
    """EXPORT_HEADER with some columns headed otherwise: 保证金余额="保证金余额（万元）"."""
    return [names.get(name, name) for name in EXPORT_HEADER]


def merchant(merchant_id: str, balance: object = 50000.0, paid: object = 60000.0) -> list[object]:
    """A 旗舰店 R merchant that did every step (renewed_row), its balance and fee paid
    as given: the cells under 保证金余额 and 年费已缴."""
    cells = renewed_row(merchant_id)
    cells[BALANCE], cells[FEE_PAID] = balance, paid
    return cells


def read(path: Path) -> dict[str, tuple[float | None, float | None]]:
    """Each merchant's (deposit balance, annual fee paid) as intake reads them."""
    return {
        m.merchant_id or "": (m.deposit_balance, m.annual_fee_paid)
        for m in open_export(path).merchants
    }


def refusal(path: Path) -> tuple[str, str]:
    """The one line `check` says on stderr in each language: exit 2, no traceback."""
    said = []
    for lang in ("zh", "en"):
        result = renewal("check", path, "--rules", "tmall-2022", "--lang", lang)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        said.append(result.stderr.strip())
    return said[0], said[1]


# --- units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "balance"),
    [
        ("保证金余额（万元）", 50000.0),
        ("保证金余额(万)", 50000.0),
        ("保证金余额【万元】", 50000.0),
        ("保证金余额(W)", 50000.0),
        ("保证金余额\n（万元）", 50000.0),
        ("保证金余额/万元", 50000.0),
        ("保证金余额／万元", 50000.0),
        ("保证金余额 万元", 50000.0),
        ("保证金余额（单位：万元）", 50000.0),
        ("保证金余额（万元，含利息）", 50000.0),
        ("保证金余额（人民币万元）", 50000.0),
        ("保证金余额(千元)", 5000.0),
        ("保证金余额（千）", 5000.0),
        ("保证金余额(元)", 5.0),
        ("保证金余额（￥）", 5.0),
        ("保证金余额(RMB)", 5.0),
        ("保证金余额 元", 5.0),
    ],
)
def test_an_amount_column_is_read_in_the_unit_its_header_gives(tmp_path, heading, balance):
    path = export(tmp_path / "e.xlsx", headed(保证金余额=heading), [merchant("m1", 5.0)])
    assert read(path) == {"m1": (balance, 60000.0)}
    assert open_export(path).columns["deposit_balance"] == heading.strip()


def test_in_a_scaled_column_a_bare_figure_takes_its_unit_and_a_value_naming_its_own_keeps_it(
    tmp_path,
):
    """A number or a number's text is in 万; text that says 元, 万 or ¥ says its own unit.
    A figure is scaled as written and rounded to the fen as the amount parser rounds: the
    same as the yuan figure typed (a float's product, 10000.074999…, would round down)."""
    rows = [
        merchant("number", 5.0),
        merchant("text", "5"),
        merchant("wan", "5万"),
        merchant("yuan", "50,000元"),
        merchant("sign", "¥50,000"),
        merchant("fraction", 4.99995),
        merchant("tie", 1.0000075),
        merchant("tie-text", "1.0000075"),
        merchant("accounting", "(1.5)"),
        merchant("dash", "-"),
    ]
    path = export(tmp_path / "e.xlsx", headed(保证金余额="保证金余额（万元）"), rows)
    balances = {key: balance for key, (balance, _) in read(path).items()}
    assert balances == {
        "number": 50000.0,
        "text": 50000.0,
        "wan": 50000.0,
        "yuan": 50000.0,
        "sign": 50000.0,
        "fraction": 49999.5,
        "tie": 10000.08,
        "tie-text": 10000.08,
        "accounting": -15000.0,
        "dash": None,
    }
    assert balances["tie"] == parse_amount(str(Decimal("1.0000075") * 10000))
    assert round(1.0000075 * 10000, 2) != balances["tie"]  # what a float's product gives


def test_a_scaled_amount_due_is_still_never_negative_and_junk_is_still_refused(tmp_path):
    rows = [merchant("negative", paid=-0.5), merchant("junk", paid="五万"), merchant("ok", paid=6)]
    path = export(tmp_path / "e.xlsx", headed(年费已缴="年费已缴（万元）"), rows)
    by_id = {m.merchant_id: m for m in open_export(path).merchants}
    assert by_id["ok"].annual_fee_paid == 60000.0
    assert by_id["negative"].unreadable["annual_fee_paid"][1] == (
        "an amount due or paid cannot be negative"
    )
    assert by_id["junk"].unreadable["annual_fee_paid"][1].startswith("not an amount")


def test_a_unit_word_on_a_column_that_holds_no_amount_is_dropped_as_ever(tmp_path):
    header = headed(
        保证金余额="保证金余额（万元）",
        严重违规扣分="严重违规扣分(分)",
        合同签署时间="合同签署时间（北京时间）",
        处罚申诉中="处罚申诉中（是/否）",
    )
    path = export(tmp_path / "e.xlsx", header, [merchant("m1", 5)])
    columns = open_export(path).columns
    assert columns["serious_points"] == "严重违规扣分(分)"
    assert columns["contract_signed_at"] == "合同签署时间（北京时间）"
    assert columns["appeal_pending"] == "处罚申诉中（是/否）"
    assert read(path) == {"m1": (50000.0, 60000.0)}


# --- the note ------------------------------------------------------------------------------


def test_scaled_columns_are_said_once_in_a_note_naming_each_with_its_letter_and_factor(tmp_path):
    header = headed(保证金余额="保证金余额（万元）", 年费已缴="年费已缴/万元")
    rows = [merchant(f"m{i}", 5, 6) for i in range(3)]
    path = export(tmp_path / "e.xlsx", header, rows)
    for lang, message in (
        (
            "zh",
            "工作表「商家」H、I 列（保证金余额（万元）、年费已缴/万元）的表头写明了金额单位："
            "其中的数都乘以 10,000 换算成元；自带单位的值（如 5万、50,000元、¥50,000）按其自身的单位读",
        ),
        (
            "en",
            "Sheet 商家, columns H, I (保证金余额（万元）, 年费已缴/万元): their headers give the "
            "unit of their amounts: each figure was multiplied by 10,000 into yuan; a value that "
            "names its own unit (5万, 50,000元, ¥50,000) is read in that unit",
        ),
    ):
        notes = run_file(path, AFTER_DEADLINE, lang=lang).summary["notes"]
        assert isinstance(notes, list)
        scaled = [note for note in notes if note["code"] == "note.scaled_columns"]
        assert [note["message"] for note in scaled] == [message]
    result = renewal(
        "check", path, "--rules", "tmall-2022", "--as-of", "2021-12-27 00:00", "-f", "json"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("乘以 10,000") == 1


def test_a_column_in_yuan_has_no_note(tmp_path):
    path = export(tmp_path / "e.xlsx", headed(保证金余额="保证金余额（元）"), [merchant("m1")])
    notes = run_file(path, AFTER_DEADLINE).summary["notes"]
    assert isinstance(notes, list)
    assert not [note for note in notes if note["code"] == "note.scaled_columns"]


def test_columns_in_万元_give_the_verdicts_the_same_data_in_yuan_gives(tmp_path):
    """Renewed, short of deposit, short of fee, short by half a yuan, and text amounts."""
    in_yuan = [
        merchant("renewed", 50000, 60000),
        merchant("deposit-short", 30000, 60000),
        merchant("fee-short", 50000, 30000),
        merchant("half-yuan-short", 49999.5, 60000),
        merchant("text", "5万", "¥60,000"),
    ]
    in_wan = [
        merchant("renewed", 5, 6),
        merchant("deposit-short", 3, 6),
        merchant("fee-short", 5, 3),
        merchant("half-yuan-short", 4.99995, 6),
        merchant("text", "5万", "¥60,000"),
    ]
    yuan = export(tmp_path / "yuan.xlsx", EXPORT_HEADER, in_yuan)
    wan = export(
        tmp_path / "wan.xlsx",
        headed(保证金余额="保证金余额（万元）", 年费已缴="年费已缴（万元）"),
        in_wan,
    )

    def verdicts(path: Path) -> list[tuple[object, ...]]:
        return [
            (
                r["merchant_id"],
                r["outcome"],
                r["deposit_shortfall"],
                r["annual_fee_due"],
                [(f["rule"], f["status"], f["actual"]) for f in r["findings"]],
            )
            for r in run_file(path, AFTER_DEADLINE).results
        ]

    expected = verdicts(yuan)
    assert [v[:4] for v in expected] == [
        ("renewed", "renewed", 0.0, 0.0),
        ("deposit-short", "failed", 20000.0, 0.0),
        ("fee-short", "failed", 0.0, 30000.0),
        ("half-yuan-short", "failed", 0.5, 0.0),
        ("text", "renewed", 0.0, 0.0),
    ]
    assert verdicts(wan) == expected


# --- another currency ----------------------------------------------------------------------


@pytest.mark.parametrize("heading", ["保证金余额（美元）", "保证金余额(USD)", "保证金余额(万美元)"])
def test_an_amount_column_in_another_currency_refuses_the_file_naming_the_column(
    tmp_path, heading
):
    """The export starts at column B: the letter is the sheet's, not the count of cells."""
    path = export(tmp_path / "e.xlsx", headed(保证金余额=heading), [merchant("m1", 5)], start=2)
    zh, en = refusal(path)
    assert zh == (
        f"renewal: {path}：工作表「商家」第 1 行：I 列「{heading}」的金额不是人民币："
        "金额须以元计（表头写明万元或千元的也可以）；请换算成元后再检查"
    )
    assert en == (
        f"renewal: {path}: sheet 商家: row 1: column I ({heading}) gives its amounts in another "
        "currency than the yuan: amounts must be in yuan (or in 万元 or 千元, said in the "
        "header); convert them to yuan and check again"
    )


# --- brackets that are no unit -------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "field"),
    [
        ("保证金（应缴）", "deposit_required"),
        ("保证金（已缴）", "deposit_balance"),
        ("保证金（余额）", "deposit_balance"),
        ("保证金（应补）", None),
        ("保证金（差额）", None),
        ("保证金(万元，应补)", None),
        ("保证金余额（截至12月）", "deposit_balance"),  # a remark, naming no other amount
        ("保证金（截至12月）", "deposit_balance"),
        ("保证金余额（应退）", None),
        ("年费（已缴）", "annual_fee_paid"),
    ],
)
def test_a_bracket_that_is_no_unit_is_part_of_the_name(tmp_path, heading, field):
    """保证金 alone is the balance: what the bracket says decides the column, or leaves it
    unknown, and never makes it the balance it is not."""
    left_out = ("保证金余额", "年费已缴")
    header = [*(name for name in EXPORT_HEADER if name not in left_out), heading]
    cells = [c for h, c in zip(EXPORT_HEADER, merchant("m1"), strict=True) if h not in left_out]
    opened = open_export(export(tmp_path / "e.xlsx", header, [[*cells, 20000]]))
    named = {key for key, text in opened.columns.items() if text == heading}
    assert named == ({field} if field else set())


def test_保证金_应缴_beside_an_account_balance_is_the_amount_due_never_the_balance(tmp_path):
    """The tester's case: read as the balance, a merchant ¥20,000 short was renewed."""
    header = [*EXPORT_HEADER, "保证金（应缴）"]
    header[BALANCE] = "账户余额"
    path = export(tmp_path / "e.xlsx", header, [[*merchant("m1", 30000), 50000]])
    (result,) = run_file(path, AFTER_DEADLINE).results
    assert result["outcome"] != "renewed"
    opened = open_export(path)
    assert opened.columns.get("deposit_required") == "保证金（应缴）"
    assert "deposit_balance" not in opened.columns


# --- one field twice -----------------------------------------------------------------------


def test_one_field_twice_is_named_by_the_exports_headers_and_their_letters(tmp_path):
    header = [*EXPORT_HEADER, "保证金余额（万元）"]
    path = export(tmp_path / "e.xlsx", header, [[*merchant("m1"), 5]])
    zh, en = refusal(path)
    assert zh == (
        f"renewal: {path}：工作表「商家」第 1 行：H 列「保证金余额」与 N 列「保证金余额（万元）」"
        "都是「保证金余额」列，无法判断该读哪一列；请删去其中一列或改名"
    )
    assert en == (
        f"renewal: {path}: sheet 商家: row 1: columns H (保证金余额) and N (保证金余额（万元）) "
        "are both column 保证金余额: which one to read cannot be told; delete or rename one of them"
    )


# --- the same columns in another unit further on -------------------------------------------


def test_a_header_pasted_below_in_another_unit_is_refused(tmp_path):
    """Rows below it would be read in the first header's unit, ten thousand times off."""
    wan = headed(保证金余额="保证金余额（万元）")
    path = export(tmp_path / "e.xlsx", wan, [merchant("m1", 5), EXPORT_HEADER, merchant("m2")])
    with pytest.raises(IntakeError) as error:
        list(open_export(path).merchants)
    assert error.value.key == "intake.other_units"
    assert "第 3 行是另一份表头，其 H 列「保证金余额」与第 1 行的「保证金余额（万元）」金额单位不同" in (
        error.value.message("zh")
    )


def test_a_continuation_sheet_in_another_unit_is_refused(tmp_path):
    wan = headed(保证金余额="保证金余额（万元）")
    path = export(
        tmp_path / "e.xlsx",
        wan,
        [merchant("m1", 5)],
        sheets={"商家 (2)": [EXPORT_HEADER, merchant("m2")]},
    )
    with pytest.raises(IntakeError) as error:
        open_export(path)
    assert error.value.key == "intake.continued_units"
    assert "「商家 (2)」续接「商家」，但第 1 行的表头中 保证金余额 的金额单位与「商家」不同" in (
        error.value.message("zh")
    )
