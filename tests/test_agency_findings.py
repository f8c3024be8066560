"""An agency's day-by-day test (ex23 §4, §5, §6), through the real loader and CLI.

- §4: `remind` and `self-check` pass on intake's notes. Those saying merchant rows were not
  read (another merchant sheet, a file cut short) are said by remind even with --quiet, and
  on its workbook's 说明 sheet; self-check's "no such id" gives them beside the ids.
- §5: an appeal typed as a 违规记录 row of its own (商家ID and 申诉中, the rest blank) refuses
  the transfer (TB01 `fail`), with the row's LD04 warning, rather than making it an error.
- §6: a qualification renewed as a new 资质 row keeps the lapsed row's BL03 and QL01
  warnings, which name the valid document of the same type and do not say to upload one.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import AFTER_DEADLINE, EXPORT_HEADER, renewal, renewed_row, run_file, write_csv
from test_brand_authorisation import HEADER as HEADER_2025
from test_brand_authorisation import store
from test_qualification_expiry import workbook

from renewal.timeutil import BEIJING

RULES = ("--rules", "tmall-2022")
MID_WINDOW = "2021-12-20 12:00"
AGREEMENT = EXPORT_HEADER.index("协议签署时间")
UNREAD_SHEET = "工作表「新增店铺」也有商家的表头，但没有读取"
CUT_SHORT = "文件多半被截断了"
HEADER_AGAIN = "又是一遍表头"


def not_signed(merchant_id: str) -> list[object]:
    """A 2022 merchant with everything done but the agreement: pending in the window,
    failed after the deadline."""
    row = renewed_row(merchant_id)
    row[AGREEMENT] = ""
    return row


def two_merchant_sheets(path: Path) -> Path:
    """商家 (read) and this week's new stores on 新增店铺 under the same header (not read)."""
    book = openpyxl.Workbook()
    first = book.active
    first.title = "商家"
    for cells in (EXPORT_HEADER, not_signed("m-old")):
        first.append(cells)
    second = book.create_sheet("新增店铺")
    for cells in (EXPORT_HEADER, not_signed("m-new")):
        second.append(cells)
    book.save(path)
    return path


def cut_short(path: Path) -> Path:
    """A CSV export whose last line stops after two fields, with no line end."""
    write_csv(path, EXPORT_HEADER, [not_signed("m-1"), not_signed("m-2")])
    text = path.read_text(encoding="utf-8").rstrip("\r\n")
    last = text.rindex("\n") + 1
    path.write_text(text[: text.index(",", text.index(",", last) + 1)], encoding="utf-8")
    return path


def remind(path: Path, *args: str | Path) -> Any:
    return renewal("remind", path, *RULES, "--as-of", MID_WINDOW, *args)


# --- §4: notes about rows left out ----------------------------------------------------


@pytest.mark.parametrize("quiet", [True, False])
def test_remind_says_a_merchant_sheet_not_read_even_with_quiet(tmp_path, quiet):
    out = tmp_path / "reminders.xlsx"
    run = remind(two_merchant_sheets(tmp_path / "two.xlsx"), "-o", out, *(["-q"] if quiet else []))
    assert run.returncode == 0, run.stderr
    assert UNREAD_SHEET in run.stderr
    # and on the workbook's 说明 sheet, which goes to whoever reads the reminders
    about = openpyxl.load_workbook(out).worksheets[1]
    said = [row[0] for row in about.iter_rows(values_only=True)]
    assert any(UNREAD_SHEET in str(line) for line in said[1:]), said


def test_remind_says_a_file_cut_short_even_with_quiet(tmp_path):
    run = remind(cut_short(tmp_path / "export.csv"), "-o", tmp_path / "r.csv", "-q")
    assert run.returncode == 0, run.stderr
    assert CUT_SHORT in run.stderr


def test_remind_says_other_notes_only_without_quiet(tmp_path):
    """A header pasted again below the data leaves no merchant out: said as check says it,
    not with --quiet."""
    export = write_csv(
        tmp_path / "export.csv",
        EXPORT_HEADER,
        [not_signed("m-1"), EXPORT_HEADER, not_signed("m-2")],
    )
    loud = remind(export, "-o", tmp_path / "loud.csv")
    quiet = remind(export, "-o", tmp_path / "quiet.csv", "-q")
    assert loud.returncode == quiet.returncode == 0, loud.stderr + quiet.stderr
    assert HEADER_AGAIN in loud.stderr
    assert quiet.stderr == ""


def test_self_check_of_an_id_on_a_sheet_not_read_says_why(tmp_path):
    path = two_merchant_sheets(tmp_path / "two.xlsx")
    run = renewal("self-check", path, *RULES, "--as-of", MID_WINDOW, "-m", "m-new")
    assert run.returncode == 2
    assert "没有商家ID m-new" in run.stderr
    assert UNREAD_SHEET in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1  # one line, as any usage problem


def test_self_check_in_english_keeps_the_path_as_typed(tmp_path):
    path = two_merchant_sheets(tmp_path / "two.xlsx")
    args = ("--as-of", MID_WINDOW, "-m", "m-new", "--lang", "en")
    run = renewal("self-check", path, *RULES, *args)
    assert run.returncode == 2
    assert f"renewal: {path}: no merchant id m-new; " in run.stderr
    assert "; sheet 新增店铺 also has the merchant header but was not read" in run.stderr


# --- §5: an appeal typed as a row of its own ----------------------------------------------

VIOLATIONS_HEADER = ["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"]
APPEALS = {
    "own-row": [None, None, None, "申诉中"],
    "dated-row": ["2021-06-01", None, None, "申诉中"],
    "later-row": ["2022-01-05", None, None, "申诉中"],  # penalized after the as-of
    "succeeded-row": [None, None, None, "申诉成功"],
}


def appeals_export(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    for cells in (EXPORT_HEADER, *(not_signed(merchant_id) for merchant_id in APPEALS)):
        sheet.append(cells)
    violations = book.create_sheet("违规记录")
    violations.append(VIOLATIONS_HEADER)
    for merchant_id, cells in APPEALS.items():
        violations.append([merchant_id, *cells])
    book.save(path)
    return path


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_pending_appeal_on_a_row_of_its_own_refuses_the_transfer(tmp_path, jobs):
    run = run_file(appeals_export(tmp_path / "appeals.xlsx"), AFTER_DEADLINE, jobs=jobs)
    results = {result["merchant_id"]: result for result in run.results}
    tb01 = {m: next(f for f in r["findings"] if f["rule"] == "TB01") for m, r in results.items()}
    load = {
        m: {f["status"] for f in r["findings"] if f["rule"] == "LD04"} for m, r in results.items()
    }
    assert {m: (f["status"], results[m]["transfer_eligible"]) for m, f in tb01.items()} == {
        "own-row": ("fail", False),
        "dated-row": ("fail", False),
        # an appeal against a penalty not given by the as-of: the row might hold points
        "later-row": ("error", None),
        # no appeal pending: what the blank cells hold decides
        "succeeded-row": ("error", None),
    }
    assert load == {m: {"warn"} for m in APPEALS}  # each row still says what it lacks
    assert tb01["own-row"]["message"] == "不可转入淘宝企业店铺：处罚申诉中"
    assert tb01["own-row"]["source"] == {"sheet": "违规记录", "row": 2, "column": "申诉状态"}


# --- §6: a qualification renewed as a new row ---------------------------------------------

AS_OF_2025 = datetime(2024, 12, 24, 10, 0, tzinfo=BEIJING)
DOCUMENTS = [
    ["renewed", "品牌授权", "B1-2023", "2024-12-20"],
    ["renewed", "品牌授权", "B1-2024", "2026-12-20"],
    # both lapsed: the later one renews nothing
    ["both-lapsed", "品牌授权", "B2-2023", "2024-12-10"],
    ["both-lapsed", "品牌授权", "B2-2024", "2024-12-20"],
    # one renewed, another brand's lapsed with none: that one is the doubt
    ["one-of-two", "品牌授权", "B3-2023", "2024-12-10"],
    ["one-of-two", "品牌授权", "B3-2024", "2026-12-20"],
    ["one-of-two", "品牌授权书", "B4", "2024-12-20"],
]


def renewed_export(path: Path, header: list[str] = HEADER_2025) -> Path:
    merchants = [store(m)[: len(header)] for m in dict.fromkeys(d[0] for d in DOCUMENTS)]
    return workbook(path, header, merchants, DOCUMENTS)


def findings(path: Path, lang: str = "zh") -> dict[str, dict[str, dict[str, Any]]]:
    run = run_file(path, AS_OF_2025, "tmall-2025", lang=lang)
    return {
        r["merchant_id"]: {f["rule"]: f for f in r["findings"] if f["rule"] in ("BL03", "QL01")}
        for r in run.results
    }


def test_a_renewed_row_is_named_beside_the_lapsed_one(tmp_path):
    found = findings(renewed_export(tmp_path / "renewed.xlsx"))["renewed"]
    other = "「资质」表第 3 行另有一份「品牌授权」（证书编号 B1-2024）有效至 2026-12-20"
    blocker, advice = found["BL03"], found["QL01"]
    # still a warning: a store may hold two brands' authorisations
    assert (blocker["status"], advice["status"]) == ("warn", "warn")
    assert blocker["message"] == (
        f"「无品牌授权」为否或空；资质「品牌授权」已于 2024-12-20 过期，但{other}：若那就是这份"
        "续期后的新证，则无需处理；若不是，请核对本列，若确已无品牌授权，则无法完成续签"
    )
    assert blocker["source"] == {"sheet": "资质", "row": 2, "column": "到期日期"}
    assert blocker["remedy"] == (
        "核对已过期的「品牌授权」是否已续期为「资质」表第 3 行那份；"
        "若不是，在「商家中心-资质管理」上传有效的品牌授权"
    )
    assert advice["message"].startswith("资质「品牌授权」已于 2024-12-20 过期（")
    assert advice["message"].endswith(f"，但{other}：若那就是这份资质续期后的新证，则无需处理")
    assert advice["remedy"].startswith("核对过期的资质是否已由同类的新证续期；若不是，")


def test_a_later_document_that_has_lapsed_too_renews_nothing(tmp_path):
    merchants = findings(renewed_export(tmp_path / "renewed.xlsx"))
    assert "另有一份" in merchants["renewed"]["BL03"]["message"]  # where one does
    found = merchants["both-lapsed"]
    assert found["BL03"]["message"] == (
        "「无品牌授权」为否或空，但资质「品牌授权」已于 2024-12-10 过期：请核对本列；"
        "若确已无品牌授权，则无法完成续签"
    )
    assert found["BL03"]["remedy"].startswith("先在「商家中心-资质管理」上传")
    assert "另有一份" not in found["QL01"]["message"]


def test_the_lapse_with_no_renewal_is_the_one_the_blocker_names(tmp_path):
    found = findings(renewed_export(tmp_path / "renewed.xlsx"))["one-of-two"]
    assert "资质「品牌授权书」已于 2024-12-20 过期" in found["BL03"]["message"]
    assert "另有一份" not in found["BL03"]["message"]
    assert found["BL03"]["remedy"].startswith("先")
    # QL01 names the renewal of the one that has it, and not of the other
    message = found["QL01"]["message"]
    assert message.count("另有一份") == 1 and "（证书编号 B3-2024）" in message
    assert found["QL01"]["remedy"].startswith("在「商家中心-资质管理」更新资质")


def test_without_the_column_in_english(tmp_path):
    header = HEADER_2025[:-1]  # no 无品牌授权
    found = findings(renewed_export(tmp_path / "renewed.xlsx", header), "en")["renewed"]
    other = (
        "sheet 资质 row 3 holds another '品牌授权' (certificate B1-2024), valid through 2026-12-20"
    )
    assert found["BL03"]["message"] == (
        "The export has no column 无品牌授权 (no brand authorisation); qualification '品牌授权' "
        f"expired on 2024-12-20, but {other}: if that is this one renewed, nothing is to be "
        "done; if not, with no brand authorisation, the renewal cannot be completed"
    )
    assert found["BL03"]["remedy"] == (
        "Check whether the expired '品牌授权' was renewed as the one on sheet 资质 row 3; "
        "if not, upload a valid brand authorisation in 商家中心-资质管理"
    )
    assert found["QL01"]["remedy"].startswith(
        "Check whether the expired document was renewed by the newer one of its type; "
        "if not, update the qualification"
    )
