"""`renewal self-check` without a file: the questions asked on the terminal, answered as a
merchant would, for the bundled years whose rules need more than the 2022 questions.

Expected amounts and dates come from the rule files; the states are those each set of
answers was built to have."""

from __future__ import annotations

import csv
import re
import subprocess

import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row

from renewal import i18n
from renewal.checks.deposit import DepositParams
from renewal.checks.scope import ScopeParams
from renewal.ruleset import load

R2019, R2022, R2025 = load("tmall-2019"), load("tmall-2022"), load("tmall-2025")
DEPOSIT_2022 = R2022.rules["DP01"]
DEPOSIT_2025 = R2025.rules["DP01"]
assert isinstance(DEPOSIT_2022, DepositParams) and isinstance(DEPOSIT_2025, DepositParams)
AGAIN = "请重新输入"


def ask(*args: str, answers: list[str]) -> subprocess.CompletedProcess[str]:
    """The interview, answered a line at a time."""
    return renewal("self-check", *args, answers=answers)


def step_line(text: str, label: str) -> tuple[str, str]:
    """A step's [state] and the indented lines under it."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith(f"] {label}"))
    state = re.match(r"\s+\d+\. \[(.+?)\]", lines[start])
    assert state is not None
    end = start + 1
    while end < len(lines) and lines[end].startswith("     "):
        end += 1
    return state.group(1), "\n".join(lines[start + 1 : end])


# --- store types: what the export accepts ----------------------------------------------

MID_2022 = "2021-12-20 12:00"
AFTER_TRADEMARK_2022 = ["男装", "2020-01-01 10:00", "是", "2021-11-20 10:00", "否", "20000"]
AFTER_TRADEMARK_2022 += ["60000", "2021-11-20 10:00", "否", "0", "0", "否"]
"""2022, after the trademark: 男装, sign-up done, agreement not, ¥20,000 of deposit (short:
no top-up time is asked), the 男装 fee paid, the assessment not failed, no points."""
AFTER_STORE_TYPE_2022 = ["R", *AFTER_TRADEMARK_2022]

ALIASES = [(tier.store_type, alias) for tier in DEPOSIT_2022.table for alias in tier.aliases]


@pytest.mark.parametrize(("store_type", "alias"), ALIASES)
def test_a_store_type_alias_is_taken_as_the_export_takes_it(tmp_path, store_type, alias):
    tier = DEPOSIT_2022.tier_for(store_type)
    assert tier is not None
    # one amount for any trademark: the trademark is not asked
    after = AFTER_STORE_TYPE_2022 if tier.any is None else AFTER_TRADEMARK_2022
    run = ask("--rules", "tmall-2022", "--as-of", MID_2022, answers=[alias, *after])
    assert run.returncode == 0, run.stderr
    assert AGAIN not in run.stderr
    # the same word in an export's 店铺类型 column gives the same deposit step
    row = renewed_row("same")
    column = {name: n for n, name in enumerate(EXPORT_HEADER)}
    row[column["店铺类型"]], row[column["协议签署时间"]] = alias, ""
    row[column["保证金余额"]] = "20000"
    path = tmp_path / "alias.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, row])
    from_file = renewal("self-check", path, "--rules", "tmall-2022", "--as-of", MID_2022)
    assert from_file.returncode == 0, from_file.stderr
    label = DEPOSIT_2022.label
    assert step_line(run.stdout, label) == step_line(from_file.stdout, label)
    required = DEPOSIT_2022.general_for(store_type, "R")
    assert required is not None and required > 20000
    assert f"还需缴纳：{i18n.yuan(required - 20000)}" in step_line(run.stdout, label)[1]


def test_a_store_type_the_export_does_not_know_is_asked_again():
    answers = ["旗舰点", "旗舰", *AFTER_STORE_TYPE_2022]
    run = ask("--rules", "tmall-2022", "--as-of", MID_2022, answers=answers)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count(AGAIN) == 1


def test_answers_from_a_pipe_refused_twice_running_stop_the_questions():
    """Piped (not typed at a terminal), a second refused answer to one question means the
    lines are out of step with the questions: exit 2, no checklist, rather than take the
    next questions' answers here (ex22 §2: a mistyped contract date read the sign-up time
    as the contract's, and the store was told 无需续签 with exit 0)."""
    answers = ["旗舰点", "flagshp", "旗舰", *AFTER_STORE_TYPE_2022]
    run = ask("--rules", "tmall-2022", "--as-of", MID_2022, answers=answers)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.count(AGAIN) == 2
    assert "连续两次无法读取" in run.stderr and "Traceback" not in run.stderr
    typo = ["1", "R", "女装", "去年6月1日", "否", "否", "否", "否", "否", "否", "是"]
    run = ask("--rules", "tmall-2023", "--as-of", "2022-12-01 12:00", answers=typo)
    assert run.returncode == 2 and "无需续签" not in run.stdout


def test_english_store_types_show_the_rule_file_english_name():
    answers = ["Specialty", *AFTER_STORE_TYPE_2022]
    run = ask("--rules", "tmall-2022", "--as-of", MID_2022, "--lang", "en", answers=answers)
    assert run.returncode == 0, run.stderr
    for tier in DEPOSIT_2022.table:
        english = next(a for a in tier.aliases if a.isascii()).replace("_", " ")  # as typed
        assert f"{tier.store_type} ({english})" in run.stderr
    assert "Please try again" not in run.stderr  # its case aside, a name the table has
    required = DEPOSIT_2022.general_for("专营店", "R")
    assert required is not None
    assert f"Still to pay: {i18n.yuan(required - 20000)}" in run.stdout


# --- 2025: the deposit insurance or cash -------------------------------------------------

MID_2025 = "2024-12-20 12:00"
BLOCKERS_2025 = [code for code in R2025.rules if code.startswith("BL")]
BEFORE_DEPOSIT_2025 = ["1", "R", "", "2020-01-01 10:00", *["否"] * len(BLOCKERS_2025)]
TRANSFER = ["0", "0", "否"]
REQUIRED_2025 = DEPOSIT_2025.general_for("旗舰店", "R")
assert REQUIRED_2025 is not None
EARLIER = DEPOSIT_2025.insurance_earlier_year
assert EARLIER is not None
CASH_PROMPT = "的保证金余额（元）"  # 截至评估时间 … 的: the as-of is past


@pytest.mark.parametrize(
    ("renewed", "known_at_once"),
    [
        ("2024-11-26 10:00", False),  # after the signing: known once the signing is
        ("2023-12-01 10:00", True),  # an earlier year's renewal
        ("", True),  # not renewed at all
    ],
    ids=["after-signing", "earlier-year", "not-renewed"],
)
def test_a_policy_that_cannot_count_leaves_the_cash_to_decide(renewed, known_at_once):
    short = 20000.0
    cash = [str(int(REQUIRED_2025 - short))]  # short: no top-up time is asked
    signing = ["是", "2024-11-25 10:00"]
    answers = [*BEFORE_DEPOSIT_2025, "是", renewed]
    answers += [*cash, *signing] if known_at_once else [*signing, *cash]
    run = ask("--rules", "tmall-2025", "--as-of", MID_2025, answers=[*answers, *TRANSFER])
    assert run.returncode == 0, run.stderr
    assert CASH_PROMPT in run.stderr
    asked_first = run.stderr.index(CASH_PROMPT) < run.stderr.index("签署协议")
    assert asked_first == known_at_once
    state, lines = step_line(run.stdout, DEPOSIT_2025.label)
    assert state == "未完成"
    assert f"还需缴纳：{i18n.yuan(short)}" in lines  # the cash shortfall, not the whole amount


def test_enough_cash_meets_the_deposit_whatever_the_policy():
    answers = [*BEFORE_DEPOSIT_2025, "是", "2023-12-01 10:00", str(int(REQUIRED_2025)), ""]
    answers += ["否", *TRANSFER]
    run = ask("--rules", "tmall-2025", "--as-of", MID_2025, answers=answers)
    assert run.returncode == 0, run.stderr
    assert step_line(run.stdout, DEPOSIT_2025.label)[0] == "已完成"


def test_a_policy_renewed_after_the_deadline_does_not_count():
    after = "2025-01-02 12:00"
    answers = [*BEFORE_DEPOSIT_2025, "是", "2024-12-31 10:00", "0", "否", *TRANSFER]
    run = ask("--rules", "tmall-2025", "--as-of", after, answers=answers)
    assert run.returncode == 0, run.stderr
    assert CASH_PROMPT in run.stderr
    state, lines = step_line(run.stdout, DEPOSIT_2025.label)
    # the question asked for the renewal before signing, and this one is after the
    # deadline: it does not count, and the cash, short, fails the step (in a file, where
    # the column holds the latest renewal, it is an error: tests/test_latest_topup.py; as
    # the interview's own words said it did not count, ex22 §6)
    assert state == "未完成" and "2024-12-31 10:00" in lines
    assert "晚于截止时间 2024-12-30 18:00，不计入" in lines


def test_a_policy_that_counts_asks_no_cash():
    renewed = "2024-11-22 10:00"  # after the earlier-year bound, before signing
    answers = [*BEFORE_DEPOSIT_2025, "是", renewed, "是", "2024-11-25 10:00", *TRANSFER]
    run = ask("--rules", "tmall-2025", "--as-of", MID_2025, answers=answers)
    assert run.returncode == 0, run.stderr
    assert CASH_PROMPT not in run.stderr
    assert step_line(run.stdout, DEPOSIT_2025.label)[0] == "已完成"
    assert "结论：已完成续签" in run.stdout or "已续签" in run.stdout


def test_without_the_policy_the_cash_is_asked_at_the_deposit_step():
    answers = [*BEFORE_DEPOSIT_2025, "否", str(int(REQUIRED_2025)), "", "否", *TRANSFER]
    run = ask("--rules", "tmall-2025", "--as-of", MID_2025, answers=answers)
    assert run.returncode == 0, run.stderr
    assert run.stderr.index(CASH_PROMPT) < run.stderr.index("签署协议")
    assert step_line(run.stdout, DEPOSIT_2025.label)[0] == "已完成"


# --- 2019: the contract date, the assessment and the qualification review -------------

MID_2019 = "2018-12-20 12:00"
SCOPE_2019 = R2019.rules["SC01"]
assert isinstance(SCOPE_2019, ScopeParams)


def test_the_contract_example_is_a_date_inside_the_renewal():
    run = ask("--rules", "tmall-2019", "--as-of", MID_2019, answers=["1", "R", "男装"])
    match = re.search(r"合同签署时间（如 (\d{4}-\d\d-\d\d \d\d:\d\d)）", run.stderr)
    assert match is not None, run.stderr
    assert match.group(1) <= i18n.moment(SCOPE_2019.signed_at_or_before)


def answers_2019(category: str, opened: str, review: list[str], fee_listed: bool) -> list[str]:
    """旗舰店 R, every step done and paid (the fee's amount given when the table has none),
    the store opened at `opened`, then the review's answers, then no points."""
    answers = ["1", "R", category, "2016-01-01 10:00", "是", "2018-11-01 10:00", "是"]
    answers += ["2018-11-02 10:00", "150000", ""]
    answers += [] if fee_listed else ["60000"]
    answers += ["60000", "2018-11-02 10:00", opened]
    return [*answers, *review, "0", "0", "否"]


def test_a_store_opened_after_the_assessment_date_is_not_asked_about_it():
    answers = answers_2019("服务大类", "2018-01-05", [""], fee_listed=False)
    run = ask("--rules", "tmall-2019", "--as-of", MID_2019, answers=answers)
    assert run.returncode == 0, run.stderr
    assert "运营能力考核是否不达标" not in run.stderr
    assert step_line(run.stdout, "运营能力考核")[0] == "已完成"


@pytest.mark.parametrize(
    ("document", "state"),
    [
        ([""], "已完成"),
        (["ICP许可证", "2018-12-01"], "未完成"),
        (["ICP许可证", "2019-06-30"], "已完成"),
    ],
    ids=["none", "expired", "valid"],
)
def test_a_reviewed_category_is_asked_about_its_qualifications(document, state):
    answers = answers_2019("服务大类", "2016-05-01", ["否", *document], fee_listed=False)
    run = ask("--rules", "tmall-2019", "--as-of", MID_2019, answers=answers)
    assert run.returncode == 0, run.stderr
    assert "数据错误" not in run.stdout and "无法判断" not in run.stdout
    found, lines = step_line(run.stdout, "资质审核")
    assert found == state
    if state == "未完成":
        assert "ICP许可证" in lines and "2018-12-01" in lines


def test_a_category_without_the_review_is_not_asked_about_qualifications():
    answers = answers_2019("男装", "2016-05-01", ["否"], fee_listed=True)
    run = ask("--rules", "tmall-2019", "--as-of", MID_2019, answers=answers)
    assert run.returncode == 0, run.stderr
    assert "资质" not in run.stderr
    assert step_line(run.stdout, "资质审核")[0] == "已完成"


# --- yes/no as a merchant says it --------------------------------------------------------


def test_a_spoken_no_is_a_no():
    answers = [*BEFORE_DEPOSIT_2025[:4], *["没有"] * len(BLOCKERS_2025), "不是"]
    answers += [str(int(REQUIRED_2025)), "", "还没有", *TRANSFER]
    run = ask("--rules", "tmall-2025", "--as-of", MID_2025, answers=answers)
    assert run.returncode == 0, run.stderr
    assert AGAIN not in run.stderr
    assert step_line(run.stdout, DEPOSIT_2025.label)[0] == "已完成"
    assert step_line(run.stdout, "签署协议")[0] == "未完成"


ANSWERS_2023 = [
    *["1", "R", "女装/女士精品", "2020-06-01 10:00", *["否"] * 6],
    *["是", "2022-11-22 10:00", "是", "2022-11-22 11:00"],
]
"""tmall-2023 up to the deposit: a 旗舰店 R 女装, signed up and signed inside the window."""
FEE_2023 = ["60000", "2022-11-24 10:00", *TRANSFER]


@pytest.mark.parametrize(
    ("at_deadline", "verdict", "step"),
    [
        ("30000", "结论：未续签，有 1 项没有按时完成", "[未完成] 缴存保证金"),
        ("50000", "结论：已续签", "[已完成] 缴存保证金"),
    ],
)
def test_a_top_up_after_the_deadline_asks_the_balance_at_the_deadline(at_deadline, verdict, step):
    """ex22 §1: the balance is ¥50,000 now, after a top-up on 12-27, the day after the
    deadline. A file cannot tell whether it was enough by then (DP01's error); the merchant
    can: asked, its balance at the deadline decides, and the top-up after it counts for
    nothing. Short then, the renewal failed, ¥20,000 short; enough then, it renewed."""
    deposit = ["50000", "2022-12-27 08:00", at_deadline]
    run = ask(
        "--rules", "tmall-2023", "--as-of", "2022-12-28 10:00",
        answers=[*ANSWERS_2023, *deposit, *FEE_2023],
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "截止时（2022-12-26 18:00）的保证金余额（元）" in run.stderr
    lines = run.stdout.splitlines()
    assert verdict in lines
    assert any(line.strip().endswith(step) for line in lines)
    if at_deadline == "30000":
        assert "截止 2022-12-26 18:00 时保证金余额 ¥30,000，低于应缴 ¥50,000，差 ¥20,000" in (
            run.stdout
        )


def test_a_balance_below_zero_is_taken_as_a_file_takes_it():
    """ex22 §4: an account overdrawn by deductions (−¥2,000) was refused as 'an amount due
    or paid cannot be negative'; answered 0, the merchant was told ¥2,000 less than check
    tells the same row. Required ¥50,000: ¥52,000 short."""
    deposit = ["-2000"]  # short: no top-up time is asked
    run = ask(
        "--rules", "tmall-2023", "--as-of", "2022-12-01 12:00",
        answers=[*ANSWERS_2023, *deposit, *FEE_2023],
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert AGAIN not in run.stderr
    assert "尚差 ¥52,000" in run.stdout
