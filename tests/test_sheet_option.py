"""`--sheet NAME` on remind and self-check, as on check: a workbook with two merchant sheets
(商家2022, 商家2023) is refused naming the command that was run, and --sheet picks one.
self-check's questions in the terminal have no sheets: --sheet there is refused."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row

RULES = "tmall-2022"
MID_WINDOW = "2021-12-20 12:00"  # the deadline, 2021-12-26 18:00, is within 7 days
AGREEMENT = EXPORT_HEADER.index("协议签署时间")


def pending_row(merchant_id: str) -> list[object]:
    """A merchant that has not signed the agreement: pending, reminded before the deadline."""
    row = renewed_row(merchant_id)
    row[AGREEMENT] = ""
    return row


def two_years(path: Path) -> Path:
    """Two sheets with the merchant header, neither continuing the other."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, ids in (("商家2022", ["a1"]), ("商家2023", ["b1", "b2"])):
        sheet = book.create_sheet(name)
        sheet.append(EXPORT_HEADER)
        for merchant_id in ids:
            sheet.append(pending_row(merchant_id))
    book.save(path)
    return path


def reminded(stdout: str) -> list[str]:
    """The merchant ids of remind's CSV on standard output."""
    return [row["商家ID"] for row in csv.DictReader(io.StringIO(stdout.lstrip("\ufeff")))]


@pytest.mark.parametrize(
    ("command", "extra"),
    [
        ("remind", ["--format", "csv"]),
        ("self-check", ["--all"]),
        ("check", []),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_two_merchant_sheets_are_refused_naming_the_command_run(tmp_path, command, extra, lang):
    path = two_years(tmp_path / "two.xlsx")
    result = renewal(command, path, "--rules", RULES, "--as-of", MID_WINDOW, *extra, "--lang", lang)
    assert result.returncode == 2, result.stderr
    assert f"renewal {command} --sheet" in result.stderr
    assert "商家2022" in result.stderr and "商家2023" in result.stderr
    if command != "check":
        assert "renewal check" not in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize(("sheet", "ids"), [("商家2022", ["a1"]), ("商家2023", ["b1", "b2"])])
def test_remind_sheet_reads_the_sheet_named(tmp_path, sheet, ids):
    path = two_years(tmp_path / "two.xlsx")
    result = renewal(
        "remind", path, "--rules", RULES, "--as-of", MID_WINDOW, "-f", "csv", "--sheet", sheet
    )
    assert result.returncode == 0, result.stderr
    assert reminded(result.stdout) == ids


def test_remind_sheet_as_sheet_names_compare_and_one_not_there(tmp_path):
    path = two_years(tmp_path / "two.xlsx")
    # full-width digits name the same sheet, as for check
    result = renewal(
        "remind",
        path,
        "--rules",
        RULES,
        "--as-of",
        MID_WINDOW,
        "-f",
        "csv",
        "--sheet",
        "商家２０２３",
    )
    assert result.returncode == 0, result.stderr
    assert reminded(result.stdout) == ["b1", "b2"]
    result = renewal("remind", path, "--rules", RULES, "--as-of", MID_WINDOW, "--sheet", "商家2024")
    assert result.returncode == 2 and "商家2024" in result.stderr and "商家2023" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_self_check_sheet_reads_the_sheet_named(tmp_path):
    path = two_years(tmp_path / "two.xlsx")
    args = ("self-check", path, "--rules", RULES, "--as-of", MID_WINDOW, "--lang", "en")
    result = renewal(*args, "--sheet", "商家2023", "--merchant", "b2")
    assert result.returncode == 0, result.stderr
    assert "b2" in result.stdout and "b1" not in result.stdout
    # b2 is on 商家2023 only: on 商家2022 it is an id the file does not have
    result = renewal(*args, "--sheet", "商家2022", "--merchant", "b2")
    assert result.returncode == 2 and "b2" in result.stderr and "a1" in result.stderr
    assert result.stdout == ""
    # one merchant on the sheet: no --merchant needed
    result = renewal(*args, "--sheet", "商家2022")
    assert result.returncode == 0, result.stderr
    assert "a1" in result.stdout


def test_sheet_of_a_csv_is_refused_by_remind_and_self_check(tmp_path):
    path = tmp_path / "e.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, pending_row("c1")])
    for command in ("remind", "self-check"):
        result = renewal(
            command,
            path,
            "--rules",
            RULES,
            "--as-of",
            MID_WINDOW,
            "--sheet",
            "商家",
            "--lang",
            "en",
        )
        assert result.returncode == 2 and "--sheet" in result.stderr and "CSV" in result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "逐项提问"), ("en", "questions in the terminal")]
)
def test_self_check_without_export_refuses_sheet_before_asking(lang, said):
    result = renewal(
        "self-check",
        "--rules",
        RULES,
        "--as-of",
        MID_WINDOW,
        "--sheet",
        "商家",
        "--lang",
        lang,
        answers=["1"] * 40,
    )
    assert result.returncode == 2
    assert "--sheet" in result.stderr and said in result.stderr
    # refused before the first question, and no checklist
    assert result.stdout == "" and "?" not in result.stderr and "？" not in result.stderr


def test_a_continuation_with_other_columns_names_the_command_run(tmp_path):
    book = openpyxl.Workbook()
    first = book.active
    first.title = "商家"
    first.append(EXPORT_HEADER)
    first.append(pending_row("m1"))
    second = book.create_sheet("商家 (2)")
    second.append([*EXPORT_HEADER, "店铺名称"])  # a recognised column the first sheet lacks
    second.append([*pending_row("m2"), "m2旗舰店"])
    path = tmp_path / "e.xlsx"
    book.save(path)
    result = renewal("remind", path, "--rules", RULES, "--as-of", MID_WINDOW, "--lang", "en")
    assert result.returncode == 2 and "renewal remind --sheet" in result.stderr
    assert "renewal check" not in result.stderr
    # --sheet picks the first sheet alone? It still reads its continuation: the second is
    # the one that can be checked alone
    result = renewal(
        "remind", path, "--rules", RULES, "--as-of", MID_WINDOW, "-f", "csv", "--sheet", "商家 (2)"
    )
    assert result.returncode == 0, result.stderr
    assert reminded(result.stdout) == ["m2"]
