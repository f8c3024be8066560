"""`renewal self-check`: what a merchant does not know, and what a file holds more than once
(ex16 §8).

An amount the rule set's tables do not give (2022: the annual fee of a category the fee
table does not list) may be answered "don't know" (Enter, 不知道): the fee is then unknown,
as a blank 年费应缴 in a file is, rather than the merchant typing 0 and being told there is
nothing to pay. Without --merchant, a file with an id on two rows is counted in merchants,
as the ids listed are, and the message names the repeated id."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import EXPORT_HEADER, ROOT, renewal, renewed_row

from renewal.checks.fee import AnnualFeeParams
from renewal.ruleset import load

RULES = "tmall-2022"
MID_WINDOW = "2021-12-20 12:00"
FEE = load(RULES).rules["AF01"]
assert isinstance(FEE, AnnualFeeParams)
UNLISTED = "旅游"  # a special category of the deposit table (¥10,000), in no fee tier
assert FEE.required_for(UNLISTED) is None


PART = "45000"
"""Paid of a fee the table leaves open: enough for the ¥30,000 tier, not for the ¥60,000
one, so the tier decides (nothing paid would be short of every tier: certainly to do)."""


def answers(fee_required: str, lang: str = "zh", paid: str = "0") -> list[str]:
    """2022, a 旗舰店 R in 旅游 with every step but the fee done; `fee_required` answers
    the question the fee table leaves open, then `paid` (on 2021-11-20 10:00, if any), the
    assessment not failed (Enter: 否) and no points."""
    yes = "y" if lang == "en" else "是"
    done = "2021-11-20 10:00"
    steps = [yes, done, yes, done, "10000", ""]
    fee = [fee_required, paid, done] if paid != "0" else [fee_required, paid]
    return ["旗舰店", "R", UNLISTED, "2020-01-01 10:00", *steps, *fee, "", "0", "0", ""]


def ask(*args: str, typed: list[str]) -> str:
    run = renewal("self-check", "--rules", RULES, "--as-of", MID_WINDOW, *args, answers=typed)
    assert run.returncode == 0, run.stderr
    return run.stdout


def fee_block(text: str, label: str) -> list[str]:
    """The fee step's line and the lines under it."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith(f"] {label}"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("     "):
        end += 1
    return lines[start:end]


def blank_fee_file(tmp_path: Path) -> Path:
    """The same store as a file row, 年费应缴 left blank."""
    row = renewed_row("same")
    column = {name: n for n, name in enumerate(EXPORT_HEADER)}
    row[column["主营类目"]] = UNLISTED
    row[column["保证金余额"]] = "10000"
    row[column["年费已缴"]], row[column["年费缴纳时间"]] = PART, "2021-11-20 10:00"
    path = tmp_path / "blank-fee.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([[*EXPORT_HEADER, "年费应缴"], [*row, ""]])
    return path


@pytest.mark.parametrize("said", ["", "不知道", "不清楚", "ＵＮＫＮＯＷＮ"])
def test_an_unknown_fee_is_unknown_as_a_blank_cell_is(tmp_path, said):
    text = ask(typed=answers(said, paid=PART))
    block = fee_block(text, FEE.label)
    assert block[0].endswith(f"[无法判断] {FEE.label}")
    # said as answered: no cell 「年费应缴」 (ex22 §7)
    assert "主营类目「旅游」不在年费表中，你也不知道应缴多少" in block[1]
    assert "「年费应缴」" not in text
    assert "金额无法确定" in "\n".join(block)
    assert "无需缴纳" not in text and "¥0" not in "\n".join(block)
    # the answer is not kept as the cell's text: the same as a file's blank cell, which
    # names the cell
    from_file = renewal(
        "self-check", blank_fee_file(tmp_path), "--rules", RULES, "--as-of", MID_WINDOW
    )
    assert from_file.returncode == 0, from_file.stderr
    in_file = fee_block(from_file.stdout, FEE.label)
    assert "「年费应缴」为空，且主营类目「旅游」不在年费表中" in in_file[1]
    assert block[:1] + block[2:] == in_file[:1] + in_file[2:]


def test_the_question_says_it_may_be_left_empty():
    run = renewal("self-check", "--rules", RULES, "--as-of", MID_WINDOW, answers=answers(""))
    assert "应缴2022年度年费（元；年费表中没有这个类目；不知道请直接回车）" in run.stderr
    assert "请重新输入" not in run.stderr  # Enter is an answer, not asked again


def test_an_unknown_fee_in_english():
    text = ask("--lang", "en", typed=answers("don’t know", "en", PART))
    block = "\n".join(fee_block(text, FEE.label_en))
    assert block.startswith(f"  4. [cannot tell] {FEE.label_en}")
    assert "category '旅游' is not in the fee table, and you did not know the amount due" in block
    assert "年费应缴 (annual fee due) is blank" not in text
    assert "Still to pay: amount unknown" in block


def test_a_known_fee_is_still_taken():
    text = ask(typed=answers("60000"))
    assert "还需缴纳：¥60,000" in "\n".join(fee_block(text, FEE.label))


def test_text_that_is_no_amount_is_still_asked_again():
    run = renewal(
        "self-check",
        "--rules",
        RULES,
        "--as-of",
        MID_WINDOW,
        answers=answers("六万块吧")[:10] + ["六万块吧", "60000", "0", "", "0", "0", ""],
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("请重新输入") == 1


def test_a_deposit_table_row_without_r_is_refused_before_any_question(tmp_path):
    """A rule file whose deposit table has no amount for an R 旗舰店 (a user's, say) used to
    leave the deposit due to ask, and unknown: such a row is now refused when the file is
    read (`validate-rules` too), naming the row, before a question is asked."""
    text = (ROOT / "rules" / f"{RULES}.toml").read_text(encoding="utf-8")
    flagship = 'store_type = "旗舰店"\naliases = ["flagship", "旗舰", "品牌旗舰店"]\n'
    assert text.count(f"{flagship}R = 50000\n") == 1
    rules = tmp_path / "no-r.toml"
    rules.write_text(text.replace(f"{flagship}R = 50000\n", flagship), encoding="utf-8")
    run = renewal("self-check", "--rules", rules, "--as-of", MID_WINDOW, answers=["旗舰店"])
    assert run.returncode == 2
    assert "第 1 个 [[rules.DP01.table]]" in run.stderr and "没写 R" in run.stderr
    assert "店铺类型" not in run.stderr.split("no-r.toml")[0]  # no question was asked


# --- several merchants, one of them on two rows ------------------------------------------


def agency(tmp_path: Path, ids: list[str]) -> Path:
    path = tmp_path / "agency.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, *(renewed_row(i) for i in ids)])
    return path


def several(path: Path, lang: str = "zh") -> str:
    run = renewal("self-check", path, "--rules", RULES, "--as-of", MID_WINDOW, "--lang", lang)
    assert run.returncode == 2
    return run.stderr


def test_a_repeated_id_is_counted_once_and_named(tmp_path):
    said = several(agency(tmp_path, ["1001", "1002", "1001", "1003"]))
    assert "文件中有 3 个商家（共 4 行，重复的商家ID：1001（2 行））" in said
    assert said.rstrip().endswith("商家ID：1001、1002、1003")


def test_a_repeated_id_in_english(tmp_path):
    said = several(agency(tmp_path, ["1001", "1002", "1001", "1002", "1003"]), "en")
    assert (
        "the file has 3 merchants (5 rows; merchant ids on more than one row: 1001 (2 rows), "
        "1002 (2 rows))"
    ) in " ".join(said.split())
    one = several(agency(tmp_path, ["1001", "1002", "1001"]), "en")
    assert "2 merchants (3 rows; a merchant id on more than one row: 1001 (2 rows))" in " ".join(
        one.split()
    )


def test_one_merchant_on_several_rows_needs_no_merchant_option(tmp_path):
    """A file of one merchant needs no --merchant, whether its id is on one row or on
    several: each row's checklist is printed, as `--merchant 1001` prints them."""
    path = agency(tmp_path, ["1001", "1001"])
    args = ("self-check", path, "--rules", RULES, "--as-of", MID_WINDOW)
    run = renewal(*args)
    assert run.returncode == 0, run.stderr
    assert run.stdout.count("续签自查清单：商家 1001") == 2
    assert run.stdout == renewal(*args, "--merchant", "1001").stdout


def test_no_repeated_id_says_nothing_of_rows(tmp_path):
    said = several(agency(tmp_path, ["1001", "1002", "1003"]))
    assert "文件中有 3 个商家，请用 --merchant" in said and "行" not in said.split("商家ID：")[0]
