"""`renewal self-check` without a file: answers a merchant types that the questions must read
as meant: a day with no time of day, digits an input method writes, an Excel error value
typed by hand, many categories, and the English store-type names.

Moments, amounts and store types come from the rule files; a day alone is asked about
only where a check compares the answer with a moment inside that day."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import date, datetime, time, timedelta

import pytest
from conftest import merchant_done_inside, renewal

from renewal import i18n
from renewal.checks.deposit import DepositParams
from renewal.checks.scope import ScopeParams
from renewal.engine import Plan, evaluate
from renewal.interview import Asker, Interview
from renewal.model import Merchant
from renewal.ruleset import RuleSet, load
from renewal.timeutil import BEIJING

R2019, R2022, R2025 = load("tmall-2019"), load("tmall-2022"), load("tmall-2025")
CYCLE = R2022.cycle
OPENS, CLOSES = CYCLE.window_opens, CYCLE.window_closes
OPENING_DAY, DEADLINE_DAY = i18n.day(OPENS.date()), i18n.day(CLOSES.date())
SCOPE = R2022.rules["SC01"]
DEPOSIT = R2022.rules["DP01"]
assert isinstance(SCOPE, ScopeParams) and isinstance(DEPOSIT, DepositParams)
REQUIRED = DEPOSIT.required_for("旗舰店", "R", "女装")
assert REQUIRED is not None
MID = "2021-12-20 12:00"
AFTER = "2021-12-28 12:00"  # after the deadline, before the agreement ends
DAY_ONLY = "只填了日期"  # the start of the explanation when the time is asked
AGAIN = "请重新输入"
STEPS = {"DL01": "续签报名", "DL02": "签署协议", "DP01": "缴存保证金", "AF01": "缴纳年费"}


def ask(*args: str, answers: list[str]) -> subprocess.CompletedProcess[str]:
    return renewal("self-check", *args, answers=answers)


def answers_2022(
    signup: list[str], agreement: list[str], fee_at: list[str], top_up: list[str] | None = None
) -> list[str]:
    """旗舰店 R 女装, contract long before the cut-off, both steps done, the deposit in full
    (with `top_up`'s answers for its top-up time; `[]` where it is not asked, a store type
    owing more), the 女装 fee paid, the assessment not failed, no points."""
    answers = ["1", "R", "女装", "2019-06-01", "是", *signup, "是", *agreement]
    answers += [str(int(REQUIRED)), *([""] if top_up is None else top_up), "6万", *fee_at]
    return [*answers, "否", "0", "0", "否"]


def states(text: str) -> dict[str, str]:
    found = {
        label: state for state, label in re.findall(r"^ +\d+\. \[(.+?)\] (.+)$", text, re.MULTILINE)
    }
    return {code: found[label] for code, label in STEPS.items() if label in found}


# --- a day with no time of day -----------------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "state"), [("14:00", "已完成"), ("下午2:00", "已完成"), ("11:00", "未完成")]
)
def test_a_day_alone_on_the_opening_day_is_asked_its_time(clock, state):
    day = [OPENING_DAY, clock]
    run = ask("--rules", "tmall-2022", "--as-of", MID, answers=answers_2022(day, day, day))
    assert run.returncode == 0, run.stderr
    # asked three times (sign-up, agreement, fee), saying why: the window opened that day
    assert run.stderr.count(DAY_ONLY) == 3, run.stderr
    assert i18n.moment(OPENS) in run.stderr
    assert AGAIN not in run.stderr
    found = states(run.stdout)
    assert (found["DL01"], found["DL02"], found["AF01"]) == (state,) * 3
    if state == "已完成":
        assert "还需缴纳：" not in run.stdout  # the fee already paid is not asked for again
    else:
        assert f"{OPENING_DAY} {clock}" in run.stdout


@pytest.mark.parametrize(("clock", "done"), [("17:59", True), ("18:01", False)])
def test_a_day_alone_on_the_deadline_day_is_asked_its_time(clock, done):
    inside = ["2021-11-25 10:00"]
    # a top-up after the deadline asks the balance then, which decides: ¥40,000, short
    top_up = [DEADLINE_DAY, clock, *([] if done else ["40000"])]
    answers = answers_2022([DEADLINE_DAY, clock], inside, inside, top_up)
    run = ask("--rules", "tmall-2022", "--as-of", AFTER, answers=answers)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count(DAY_ONLY) == 2, run.stderr  # the sign-up and the top-up
    # each time question names its answer (ex22 §5: two on one day were told apart by order)
    for header in ("续签报名时间", "保证金补缴时间"):
        assert f"「{header}」{DEADLINE_DAY} 几点" in run.stderr
    assert i18n.moment(CLOSES) in run.stderr
    found = states(run.stdout)
    assert (found["DL01"] == "已完成", found["DP01"] == "已完成") == (done, done)


def test_a_day_alone_elsewhere_is_taken_and_judged_as_any_time_that_day():
    day = "2021-11-25"
    run = ask("--rules", "tmall-2022", "--as-of", MID, answers=answers_2022([day], [day], [day]))
    assert run.returncode == 0, run.stderr
    assert DAY_ONLY not in run.stderr
    late = [f"{day} 23:59"]
    timed = ask("--rules", "tmall-2022", "--as-of", MID, answers=answers_2022(late, late, late))
    assert timed.returncode == 0, timed.stderr
    assert states(run.stdout) == states(timed.stdout) == dict.fromkeys(STEPS, "已完成")
    # a day after the deadline is late whatever the time
    after = ["2021-12-27"]
    run = ask("--rules", "tmall-2022", "--as-of", AFTER, answers=answers_2022(after, [day], [day]))
    assert run.returncode == 0, run.stderr
    assert DAY_ONLY not in run.stderr
    assert states(run.stdout)["DL01"] != "已完成"


@pytest.mark.parametrize(("clock", "exempt"), [("10:00", False), ("10:01", True)])
def test_a_contract_signed_on_the_cut_off_day_is_asked_its_time(clock, exempt):
    cutoff = SCOPE.signed_at_or_before
    day = i18n.day(cutoff.date())
    answers = ["1", "R", "女装", day, clock]
    if not exempt:
        inside = ["2021-11-25 10:00"]
        answers = [*answers, *answers_2022(inside, inside, inside)[4:]]
    run = ask("--rules", "tmall-2022", "--as-of", MID, answers=answers)
    assert run.returncode == 0, run.stderr
    assert DAY_ONLY in run.stderr and i18n.moment(cutoff) in run.stderr
    assert ("结论：无需续签" in run.stdout) == exempt


def test_a_day_alone_on_the_as_of_day_is_asked_its_time():
    """Re-checking as of a past moment: on its day, the time says whether the step had
    been done by then."""
    as_of = "2021-12-20 12:00"
    inside = ["2021-11-25 10:00"]
    fee_at = ["2021-12-20", "13:00", "11:00"]  # 13:00 is after the as-of: asked again
    run = ask(
        "--rules", "tmall-2022", "--as-of", as_of, answers=answers_2022(inside, inside, fee_at)
    )
    assert run.returncode == 0, run.stderr
    assert DAY_ONLY in run.stderr and "晚于评估时间 2021-12-20 12:00" in run.stderr
    assert states(run.stdout)["AF01"] == "已完成"


BLOCKERS_2025 = [code for code in R2025.rules if code.startswith("BL")]
BEFORE_DEPOSIT_2025 = ["1", "R", "", "2020-01-01 10:00", *["否"] * len(BLOCKERS_2025)]
DEPOSIT_2025 = R2025.rules["DP01"]
assert isinstance(DEPOSIT_2025, DepositParams)
REQUIRED_2025 = DEPOSIT_2025.required_for("旗舰店", "R", "")
assert REQUIRED_2025 is not None


@pytest.mark.parametrize(("clock", "counts"), [("09:00", True), ("11:00", False)])
def test_a_policy_renewed_on_the_signing_day_is_asked_its_time(clock, counts):
    """The policy counts only if renewed before the agreement was signed: given as a day,
    the signing's time on that day is learnt later, and then the policy's time is asked."""
    answers = [*BEFORE_DEPOSIT_2025, "是", "2024-11-25", "是", "2024-11-25 10:00", clock]
    cash = [] if counts else [str(int(REQUIRED_2025 - 20000))]  # short: no top-up time
    run = ask(
        "--rules",
        "tmall-2025",
        "--as-of",
        "2024-12-20 12:00",
        answers=[*answers, *cash, "0", "0", "否"],
    )
    assert run.returncode == 0, run.stderr
    assert DAY_ONLY in run.stderr and "2024-11-25 10:00" in run.stderr
    assert ("的保证金余额（元）" in run.stderr) != counts  # as of the past as-of
    found = states(run.stdout)
    assert found["DP01"] == ("已完成" if counts else "未完成")


FIELDS = (
    "contract_signed_at",
    "signup_at",
    "agreement_signed_at",
    "deposit_topped_up_at",
    "deposit_insurance_renewed_at",
    "annual_fee_paid_at",
    "service_opened_at",
)


def verdict(merchant: Merchant, ruleset: RuleSet, as_of: datetime) -> object:
    from renewal.checks.context import Context
    from renewal.intake.columns import HEADER_OF

    ctx = Context.create(as_of, ruleset.cycle, "zh", HEADER_OF)
    result = evaluate(merchant, Plan.of(ruleset), ctx)
    return result["outcome"], [(f["rule"], f["status"], f["owed"]) for f in result["findings"]]


def days_to_try(ruleset: RuleSet, as_of: datetime) -> list[date]:
    """Every day around each moment a rule file names, and around the as-of."""
    moments = [ruleset.cycle.window_opens, ruleset.cycle.window_closes, as_of]
    for params in ruleset.rules.values():
        for value in vars(params).values():
            moments += [value] if isinstance(value, datetime) else []
            before = getattr(value, "before", None)
            moments += [before] if isinstance(before, datetime) else []
    return sorted({(m + timedelta(days=n)).date() for m in moments for n in (-1, 0, 1)})


MIDNIGHTS = R2022.model_copy(
    update={
        "cycle": CYCLE.model_copy(
            update={
                "window_opens": datetime(2021, 11, 19, tzinfo=BEIJING),
                "window_closes": datetime(2021, 12, 27, tzinfo=BEIJING),  # 2021-12-26 24时
            }
        )
    }
)
"""2022 with a window from a day's first moment to another's (24时): the moment itself is
inside the window, so the opening day needs no time and the day after the last does."""


@pytest.mark.parametrize(
    "ruleset", [R2019, R2022, R2025, MIDNIGHTS], ids=["2019", "2022", "2025", "midnights"]
)
@pytest.mark.parametrize("after_deadline", [False, True], ids=["mid-window", "after-deadline"])
def test_a_day_taken_alone_gets_the_same_verdict_at_any_time_that_day(ruleset, after_deadline):
    """Where the interview takes a day with no time, every time of that day gives the same
    verdict (outcome, every finding's status and amount owed): checked by running the
    year's checks on the merchant at times across the day."""
    closes = ruleset.cycle.window_closes
    as_of = closes + timedelta(days=1, hours=5) if after_deadline else closes - timedelta(days=6)
    inside = ruleset.cycle.window_opens + timedelta(days=3)
    base = merchant_done_inside(
        ruleset,
        inside,
        sheet="",
        deposit_balance=1e9,
        annual_fee_required=1000.0,
        annual_fee_paid=1000.0,
        service_opened_at=ruleset.cycle.window_opens - timedelta(days=3000),
        serious_points=0.0,
        general_points=0.0,
        appeal_pending=False,
    )
    clocks = [time(0), time(0, 0, 1), time(6), time(10), time(10, 1), time(12), time(17, 59)]
    clocks += [time(18), time(18, 1), time(23, 59, 59)]
    undecided_days = 0
    for field in FIELDS:
        for insured in (None, inside - timedelta(hours=1), inside + timedelta(hours=1)):
            for day in [*days_to_try(ruleset, as_of), inside.date()]:
                interview = Interview(ruleset, "zh", Asker("zh", as_of))
                # with a policy, no cash: whether the policy counts decides the deposit
                cash = base.deposit_balance if insured is None else 0.0
                merchant = dataclasses.replace(
                    base, deposit_insurance_renewed_at=insured, deposit_balance=cash
                )
                interview.merchant = merchant
                if interview.undecided(field, day) is not None:
                    undecided_days += 1
                    continue
                seen = set()
                for clock in clocks:
                    at = datetime.combine(day, clock, BEIJING)
                    if at > as_of:
                        continue  # the interview refuses a time after the as-of
                    setattr(merchant, field, at)
                    seen.add(repr(verdict(merchant, ruleset, as_of)))
                assert len(seen) <= 1, (field, day, insured)
    assert undecided_days  # the opening and deadline days at least


def test_the_opening_and_deadline_days_are_undecided_for_a_step():
    # after the deadline: a day after the as-of is not done yet, whatever its time
    as_of = datetime(2021, 12, 28, 12, tzinfo=BEIJING)
    interview = Interview(R2022, "zh", Asker("zh", as_of))
    for field in ("signup_at", "agreement_signed_at", "annual_fee_paid_at"):
        assert interview.undecided(field, OPENS.date()) is not None
        assert interview.undecided(field, CLOSES.date()) is not None
        assert interview.undecided(field, date(2021, 11, 25)) is None
    assert interview.undecided("deposit_topped_up_at", OPENS.date()) is None  # any top-up counts
    assert interview.undecided("deposit_topped_up_at", CLOSES.date()) is not None
    interview = Interview(MIDNIGHTS, "zh", Asker("zh", as_of))
    assert interview.undecided("signup_at", date(2021, 11, 19)) is None
    assert interview.undecided("signup_at", date(2021, 12, 26)) is None
    assert interview.undecided("signup_at", date(2021, 12, 27)) is not None  # 00:00 only


# --- digits at a numbered choice ---------------------------------------------------------

INSIDE = ["2021-11-25 10:00"]
AFTER_STORE_TYPE = answers_2022(INSIDE, INSIDE, INSIDE)[1:]
SHORT_AFTER_STORE_TYPE = answers_2022(INSIDE, INSIDE, INSIDE, top_up=[])[1:]
"""After a store type owing more than REQUIRED (专营店, 卖场型旗舰店): short, its top-up time
is not asked."""


SPECIALTY = DEPOSIT.required_for("专营店", "R", "女装")
assert SPECIALTY is not None and SPECIALTY > REQUIRED


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("typed", ["①", "²", "١", "#N/A", "1.", "+1"])
def test_a_character_that_is_not_a_plain_digit_is_asked_again(typed, lang):
    answers = [typed, "3", *SHORT_AFTER_STORE_TYPE]  # asked again, then 3) 专营店
    run = ask("--rules", "tmall-2022", "--as-of", MID, "--lang", lang, answers=answers)
    assert run.returncode == 0, run.stderr
    assert "Error" not in run.stderr and "内部错误" not in run.stderr
    assert run.stderr.count("请重新输入" if lang == "zh" else "Please try again") == 1
    still = "还需缴纳：" if lang == "zh" else "Still to pay: "
    assert f"{still}{i18n.yuan(SPECIALTY - REQUIRED)}" in run.stdout


def test_a_full_width_number_picks_a_choice():
    run = ask("--rules", "tmall-2022", "--as-of", MID, answers=["３", *SHORT_AFTER_STORE_TYPE])
    assert run.returncode == 0, run.stderr
    assert AGAIN not in run.stderr
    assert f"还需缴纳：{i18n.yuan(SPECIALTY - REQUIRED)}" in run.stdout


# --- an Excel error value typed as an answer ---------------------------------------------


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "输入有误：不是日期（示例：2021-11-25 14:30）。请重新输入"),
        ("en", "Not understood: not a date (expected e.g. 2021-11-25 14:30). Please try again"),
    ],
)
def test_a_typed_excel_error_is_an_answer_that_cannot_be_read(lang, said):
    answers = [*AFTER_STORE_TYPE[:2], "#N/A", *AFTER_STORE_TYPE[2:]]
    run = ask("--rules", "tmall-2022", "--as-of", MID, "--lang", lang, answers=["1", *answers])
    assert run.returncode == 0, run.stderr
    assert said in run.stderr
    assert "公式" not in run.stderr and "formula" not in run.stderr


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "输入有误：无法识别这个回答。请重新输入"),
        ("en", "Not understood: this answer cannot be read"),
    ],
)
def test_a_typed_excel_error_as_a_category_cannot_be_read(lang, said):
    answers = ["1", "R", "#N/A", *AFTER_STORE_TYPE[1:]]
    run = ask("--rules", "tmall-2022", "--as-of", MID, "--lang", lang, answers=answers)
    assert run.returncode == 0, run.stderr
    assert said in run.stderr
    assert "公式" not in run.stderr and "formula" not in run.stderr


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("zh", "输入有误：不是是/否值（应为 是/否 或 Y/N）。请重新输入"),
        ("en", "Not understood: not a yes/no answer (expected y or n). Please try again"),
    ],
)
@pytest.mark.parametrize("typed", ["x", "#N/A"])
def test_a_yes_no_question_refuses_in_the_words_of_its_prompt(typed, lang, said):
    """Under a (y/n) prompt an answer it cannot read is told what (y/n) takes, not the
    是/否 of an export's column, which an English reader was never asked to type."""
    answers = answers_2022(["2021-11-25 10:00"], ["2021-11-25 10:00"], ["2021-11-25 10:00"])
    answers[4:4] = [typed]  # at the first yes/no question, then 是 as planned
    run = ask("--rules", "tmall-2022", "--as-of", MID, "--lang", lang, answers=answers)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count(said) == 1, run.stderr
    if lang == "en":
        assert "是/否" not in run.stderr


# --- many categories ---------------------------------------------------------------------


@pytest.mark.parametrize("count", [16, 40])
def test_many_categories_split_by_semicolons_are_checked(count):
    answers = ["1", "R", ";".join(["女装"] * count), *AFTER_STORE_TYPE[2:]]
    run = ask("--rules", "tmall-2022", "--as-of", MID, answers=answers)
    assert run.returncode == 0, run.stderr
    assert "renewal-self-check" not in run.stderr + run.stdout
    assert states(run.stdout) == dict.fromkeys(STEPS, "已完成")


# --- English store-type names --------------------------------------------------------------


def test_english_store_types_are_shown_as_they_are_typed():
    run = ask(
        "--rules",
        "tmall-2022",
        "--as-of",
        MID,
        "--lang",
        "en",
        answers=["Marketplace flagship", *SHORT_AFTER_STORE_TYPE[1:]],
    )
    assert run.returncode == 0, run.stderr
    assert "_" not in run.stderr.split("Store type", 1)[1].split(":", 1)[0]
    assert "卖场型旗舰店 (marketplace flagship)" in run.stderr
    assert "Please try again" not in run.stderr
    tier = DEPOSIT.tier_for("卖场型旗舰店")
    assert tier is not None and tier.any is not None  # one amount, no trademark asked


@pytest.mark.parametrize(
    ("lang", "start", "required"),
    [("zh", "店铺类型", "请重新输入：必须填写"), ("en", "Store type", "an answer is needed")],
)
def test_the_store_type_prompt_balances_its_brackets_and_asks_again_when_left_empty(
    lang, start, required
):
    """The store type has no default (the intro's "[default]" promises none here): an
    empty answer is said to be required, and the numbered list reads as a list, not as
    "1) …" inside the prompt's own brackets."""
    answers = ["", "1", *AFTER_STORE_TYPE]
    run = ask("--rules", "tmall-2022", "--as-of", MID, "--lang", lang, answers=answers)
    assert run.returncode == 0, run.stderr
    prompt = start + run.stderr.split(start, 1)[1].split(": ", 1)[0]
    assert "[" not in prompt  # no default offered
    for opening, closing in ("()", "（）"):
        assert prompt.count(opening) == prompt.count(closing), prompt
    assert "1)" not in prompt and "1. 旗舰店" in prompt
    assert run.stderr.count(required) == 1, run.stderr
    if lang == "en":
        assert "type one of the choices" not in run.stderr
