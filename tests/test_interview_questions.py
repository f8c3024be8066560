"""`renewal self-check` without a file: what the questions ask, and which they ask (ex22 §3,
§8, §9, §10).

With an as-of that is not now, the amounts and the yes/no questions ask about that moment
(截至评估时间 …), as the times after it are refused, and the answers then check as a file
of that moment does. A question whose answer cannot change the checklist is not asked
(the transfer's points and appeal for a store that renewed, in an excluded category or
after the entrance closed; the top-up time beside a balance that is short), its cell left
blank as a file leaves it. Times are taken as people type them (3pm, 20221121 1500, 昨天下午
3点). An answer understood but refused is not called misunderstood; a BOM before the first
answer is no part of it, and bytes that are not UTF-8 are said in words.

Amounts, labels and days come from the rule files and the message catalogue."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import renewal, write_csv

from renewal import i18n
from renewal.checks.deposit import DepositParams
from renewal.checks.fee import AnnualFeeParams
from renewal.checks.transfer import TransferParams
from renewal.intake.columns import HEADER_OF
from renewal.intake.dates import names_day_alone, parse_datetime
from renewal.interview import Asker, Interview
from renewal.ruleset import load
from renewal.timeutil import BEIJING

R2022, R2023 = load("tmall-2022"), load("tmall-2023")
ZH, EN = i18n.catalog("zh"), i18n.catalog("en")
MID = "2021-12-20 12:00"
INSIDE = "2021-11-20 10:00"
LATER = "2021-12-22 10:00"  # after MID, before the deadline
DEPOSIT, FEE, TRANSFER = R2022.rules["DP01"], R2022.rules["AF01"], R2022.rules["TB01"]
assert isinstance(DEPOSIT, DepositParams) and isinstance(FEE, AnnualFeeParams)
assert isinstance(TRANSFER, TransferParams)
REQUIRED = DEPOSIT.required_for("旗舰店", "R", "男装")
FEE_DUE = FEE.required_for("男装")
assert REQUIRED is not None and FEE_DUE is not None
SHORT = REQUIRED - 20000
EXCLUDED = TRANSFER.excluded_categories.names[0]  # 旅游: a special deposit, no fee tier
assert FEE.required_for(EXCLUDED) is None
EXCLUDED_DEPOSIT = DEPOSIT.required_for("旗舰店", "R", EXCLUDED)
assert EXCLUDED_DEPOSIT is not None

CELLS_2022 = {
    "merchant_id": "same",
    "store_type": "旗舰店",
    "trademark": "R",
    "category": "男装",
    "contract_signed_at": "2020-01-01 10:00",
    "signup_at": INSIDE,
    "agreement_signed_at": INSIDE,
    "deposit_balance": str(int(REQUIRED)),
    "deposit_topped_up_at": "",
    "annual_fee_paid": str(int(FEE_DUE)),
    "annual_fee_paid_at": INSIDE,
    "assessment_failed": "否",
    "serious_points": "0",
    "general_points": "0",
    "appeal_pending": "否",
}
"""A 2022 旗舰店 R 男装 that renewed, as an export's cells."""
BEFORE_STEPS_2022 = ["1", "R", "男装", "2020-01-01 10:00"]
NO_POINTS = ["0", "0", "否"]


def ask(*args: str, answers: list[str]) -> subprocess.CompletedProcess[str]:
    return renewal("self-check", *args, answers=answers)


def from_file(tmp_path: Path, cells: dict[str, str], *args: str) -> str:
    """`self-check FILE` on a one-row export of `cells`."""
    path = write_csv(tmp_path / "row.csv", [HEADER_OF[f] for f in cells], [list(cells.values())])
    run = renewal("self-check", path, *args)
    assert run.returncode == 0, run.stderr
    return run.stdout


def checked(tmp_path: Path, cells: dict[str, str], *args: str) -> dict[str, object]:
    """`check -f json` on a one-row export of `cells`: the merchant's result."""
    path = write_csv(tmp_path / "row.csv", [HEADER_OF[f] for f in cells], [list(cells.values())])
    run = renewal("check", path, *args, "-f", "json", "--fail-on", "never", "-q")
    assert run.returncode == 0, run.stderr
    found: dict[str, object] = json.loads(run.stdout)["merchants"][0]
    return found


def body(checklist: str) -> str:
    """All but the title, whose merchant id is the file's or 自查."""
    return checklist.split("\n", 1)[1]


# --- §3: a past as-of is asked about -----------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "now"),
    [(timedelta(0), True), (timedelta(days=-30), False), (timedelta(days=30), False)],
    ids=["now", "past", "future"],
)
def test_the_questions_ask_about_the_as_of_unless_it_is_now(offset, now):
    as_of = datetime.now(BEIJING).replace(microsecond=0) + offset
    interview = Interview(R2022, "zh", Asker("zh", as_of))
    for key, values in (
        ("ask.deposit_balance", {}),
        ("ask.fee_paid", {"year": FEE.year}),
        ("ask.step_done", {"label": "续签报名"}),
        ("ask.blocker", {"label": "考核不达标"}),
    ):
        asked = interview.worded(key, **values)
        assert (asked == ZH[key].format(**values)) == now
        assert (i18n.moment(as_of) in asked) != now


def test_a_past_as_of_asks_the_balance_then_and_checks_as_a_file_of_then(tmp_path):
    """ex22 c08: ¥30,000 at the as-of, made up to the whole deposit by a top-up after it.
    Asked 当前保证金余额, the merchant gave today's balance and was told it renewed, while
    a file of today says the balance then is unknown, and the step is not done."""
    answers = [*BEFORE_STEPS_2022, "是", INSIDE, "是", INSIDE, str(int(SHORT))]
    answers += [str(int(FEE_DUE)), INSIDE, "否", *NO_POINTS]  # short: no top-up time
    run = ask("--rules", "tmall-2022", "--as-of", MID, answers=answers)
    assert run.returncode == 0, run.stderr
    assert ZH["ask.deposit_balance_as_of"].format(as_of=MID) in run.stderr
    label = DEPOSIT.label
    step = R2022.rules["DL01"]
    done = ZH["ask.step_done_as_of"].format(as_of=MID, label=getattr(step, "label", ""))
    assert done in run.stderr
    assert "当前" not in run.stderr and "目前" not in run.stderr
    assert ZH["ask.deposit_topped_up_as_of"].format(as_of=MID) not in run.stderr
    assert "请重新输入" not in run.stderr
    # as a file of that moment says, word for word
    then = {**CELLS_2022, "deposit_balance": str(int(SHORT))}
    shown = from_file(tmp_path, then, "--rules", "tmall-2022", "--as-of", MID)
    assert body(run.stdout) == body(shown)
    assert f"[未完成] {label}" in run.stdout
    # a file of a later day (the top-up after the as-of) gives the same verdict
    later = {**CELLS_2022, "deposit_topped_up_at": LATER}
    assert checked(tmp_path, later, "--rules", "tmall-2022", "--as-of", MID)["outcome"] == "pending"
    assert "结论：待完成" in run.stdout


def test_a_fee_paid_after_a_past_as_of_is_not_paid_then(tmp_path):
    """ex22 c09: the fee paid after the as-of. Asked 已缴 (now), the amount given could
    not be placed in time: its time was refused, and a blank one was required."""
    answers = [*BEFORE_STEPS_2022, "是", INSIDE, "是", INSIDE, str(int(REQUIRED)), ""]
    answers += ["0", "否", *NO_POINTS]
    run = ask("--rules", "tmall-2022", "--as-of", MID, answers=answers)
    assert run.returncode == 0, run.stderr
    assert ZH["ask.fee_paid_as_of"].format(as_of=MID, year=FEE.year) in run.stderr
    assert "请重新输入" not in run.stderr
    # as a file of that moment says, word for word
    then = {**CELLS_2022, "annual_fee_paid": "0", "annual_fee_paid_at": ""}
    shown = from_file(tmp_path, then, "--rules", "tmall-2022", "--as-of", MID)
    assert body(run.stdout) == body(shown)
    assert f"还需缴纳合计：{i18n.yuan(FEE_DUE)}" in run.stdout
    # a file of a later day (the payment after the as-of) gives the same verdict
    later = {**CELLS_2022, "annual_fee_paid_at": LATER}
    assert checked(tmp_path, later, "--rules", "tmall-2022", "--as-of", MID)["outcome"] == "pending"
    assert "结论：待完成" in run.stdout


# --- §8: questions that cannot change the checklist ----------------------------------------


def test_a_renewed_store_is_not_asked_the_transfer_questions(tmp_path):
    # every step done; no answers for the points: asked, the input would end (exit 2)
    answers = [*BEFORE_STEPS_2022, "是", INSIDE, "是", INSIDE, str(int(REQUIRED)), ""]
    answers += [str(int(FEE_DUE)), INSIDE, "否"]
    run = ask("--rules", "tmall-2022", "--as-of", MID, answers=answers)
    assert run.returncode == 0, run.stderr
    assert "结论：已续签" in run.stdout
    assert ZH["ask.transfer"] not in run.stderr
    # the balance meets the deposit: when it was made up is asked
    assert ZH["ask.deposit_topped_up_as_of"].format(as_of=MID) in run.stderr
    blank = dict.fromkeys(("serious_points", "general_points", "appeal_pending"), "")
    for points in (blank, {"serious_points": "12", "appeal_pending": "是"}):
        cells = {**CELLS_2022, **points}
        shown = from_file(tmp_path, cells, "--rules", "tmall-2022", "--as-of", MID)
        assert body(run.stdout) == body(shown)


def test_a_category_the_transfer_excludes_is_not_asked_the_transfer_questions(tmp_path):
    # the agreement not signed: pending, but the category refuses the transfer anyway
    answers = ["1", "R", EXCLUDED, "2020-01-01 10:00", "是", INSIDE, "否"]
    answers += [str(int(EXCLUDED_DEPOSIT)), "", "30000", "30000", INSIDE, "否"]
    run = ask("--rules", "tmall-2022", "--as-of", MID, answers=answers)
    assert run.returncode == 0, run.stderr
    assert "结论：待完成" in run.stdout
    assert ZH["ask.transfer"] not in run.stderr
    cells = {
        **CELLS_2022,
        "category": EXCLUDED,
        "agreement_signed_at": "",
        "deposit_balance": str(int(EXCLUDED_DEPOSIT)),
        "annual_fee_required": "30000",
        "annual_fee_paid": "30000",
        **dict.fromkeys(("serious_points", "general_points", "appeal_pending"), ""),
    }
    shown = from_file(tmp_path, cells, "--rules", "tmall-2022", "--as-of", MID)
    assert body(run.stdout) == body(shown)
    assert f"「{EXCLUDED}」" in run.stdout.split("淘宝企业店铺", 1)[1]


def test_after_the_entrance_closed_the_transfer_questions_are_not_asked(tmp_path):
    transfer = R2023.rules["TB01"]
    assert isinstance(transfer, TransferParams) and transfer.entrance is not None
    closes = transfer.entrance.closes
    assert closes is not None
    as_of = f"{closes + timedelta(days=5)} 10:00"
    blockers = [str(p.model_dump()["column"]) for c, p in R2023.rules.items() if c[:2] == "BL"]
    # nothing done, the deposit short (no top-up time), no fee paid (no time)
    answers = ["1", "R", "女装/女士精品", "2020-06-01 10:00", *["否"] * len(blockers)]
    answers += ["否", "否", "0", "0"]
    run = ask("--rules", "tmall-2023", "--as-of", as_of, answers=answers)
    assert run.returncode == 0, run.stderr
    assert "结论：未续签" in run.stdout
    assert ZH["ask.transfer"] not in run.stderr
    cells = {
        "merchant_id": "same",
        "store_type": "旗舰店",
        "trademark": "R",
        "category": "女装/女士精品",
        "contract_signed_at": "2020-06-01 10:00",
        **dict.fromkeys(blockers, "否"),
        "signup_at": "",
        "agreement_signed_at": "",
        "deposit_balance": "0",
        "deposit_topped_up_at": "",
        "annual_fee_paid": "0",
        "annual_fee_paid_at": "",
    }
    blank = dict.fromkeys(("serious_points", "general_points", "appeal_pending"), "")
    for points in (blank, {**blank, "serious_points": "12", "appeal_pending": "是"}):
        shown = from_file(tmp_path, {**cells, **points}, "--rules", "tmall-2023", "--as-of", as_of)
        assert body(run.stdout) == body(shown)


# --- §10: times as people type them ---------------------------------------------------------

AS_OF = datetime(2021, 12, 20, 18, 0, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2021-11-25 3pm", "2021-11-25 15:00"),
        ("2021-11-25 3 PM", "2021-11-25 15:00"),
        ("2021-11-25 3:30pm", "2021-11-25 15:30"),
        ("2021年11月25日 9am", "2021-11-25 09:00"),
        ("2021-11-25 12am", "2021-11-25 00:00"),
        ("20211125 1500", "2021-11-25 15:00"),
        ("今天 15:00", "2021-12-20 15:00"),
        ("昨天下午3点", "2021-12-19 15:00"),
        ("昨天下午3点半", "2021-12-19 15:30"),
        ("yesterday 3pm", "2021-12-19 15:00"),
        ("Yesterday at 9:30 a.m.", "2021-12-19 09:30"),
        ("前天", "2021-12-18"),
        ("today", "2021-12-20"),
    ],
)
def test_a_moment_is_read_as_people_type_it(monkeypatch, typed, meant):
    asker = Asker("zh", AS_OF)
    refused: list[str] = []
    monkeypatch.setattr(asker, "again", lambda reason, understood=False: refused.append(reason))
    lines = iter([typed])  # one answer: asked again, the test fails rather than loops
    monkeypatch.setattr(asker, "_read", lambda prompt, default: next(lines))
    text, read = asker.when("?")
    assert not refused
    assert read == parse_datetime(meant)
    # what goes in the export reads as the answer did, a day alone still a day alone
    assert parse_datetime(text) == read
    assert names_day_alone(text) == (len(meant) == len("2021-12-18"))


@pytest.mark.parametrize("typed", ["3pm", "3 PM", "下午3点", "15:00"])
def test_a_time_of_day_with_am_or_pm_is_taken_at_the_time_question(monkeypatch, typed):
    asker = Asker("en", AS_OF)
    monkeypatch.setattr(asker, "say", lambda text: None)
    lines = iter([typed])
    monkeypatch.setattr(asker, "_read", lambda prompt, default: next(lines))
    text, read = asker.time_on(date(2021, 11, 19), "why", "what")
    assert read == parse_datetime("2021-11-19 15:00") == parse_datetime(text)


@pytest.mark.parametrize(("clock", "state"), [("3pm", "已完成"), ("11am", "未完成")])
def test_yesterday_alone_on_the_opening_day_is_asked_its_time(clock, state):
    """昨天 is a day alone: on the day the window opened (at 12:00) the time decides."""
    opens = R2022.cycle.window_opens
    as_of = i18n.moment(opens + timedelta(days=1))
    answers = [*BEFORE_STEPS_2022, "是", "昨天", clock, "否", str(int(REQUIRED)), ""]
    answers += [str(int(FEE_DUE)), i18n.moment(opens + timedelta(hours=1)), "否", *NO_POINTS]
    run = ask("--rules", "tmall-2022", "--as-of", as_of, answers=answers)
    assert run.returncode == 0, run.stderr
    assert "请重新输入" not in run.stderr
    assert f"「续签报名时间」{i18n.day(opens.date())} 几点" in run.stderr
    found = re.search(r"\[(.+?)\] 续签报名", run.stdout)
    assert found is not None and found.group(1) == state


# --- §9: how an answer is asked again, and how it is read ----------------------------------


def test_an_answer_understood_but_refused_is_not_called_misunderstood():
    answers = ["", "1", "X", "R", "男装", "2020-01-01 10:00", "y", LATER, INSIDE, "n"]
    answers += [str(int(REQUIRED)), "", str(int(FEE_DUE)), INSIDE, "n", *NO_POINTS]
    run = ask("--rules", "tmall-2022", "--as-of", MID, "--lang", "en", answers=answers)
    assert run.returncode == 0, run.stderr
    needed = EN["ask.again_refused"].format(reason=EN["ask.required"])
    future = EN["ask.again_refused"].format(reason=EN["ask.future"].format(as_of=MID))
    assert needed in run.stderr and future in run.stderr
    assert "Not understood: an answer is needed" not in run.stderr
    assert "Not understood: that is after" not in run.stderr
    # what was not understood still says so
    assert run.stderr.count("Not understood:") == 1
    assert "Not understood: unknown trademark status" in run.stderr


def test_a_byte_order_mark_before_the_first_answer_is_no_part_of_it():
    answers = [*BEFORE_STEPS_2022, "是", INSIDE, "是", INSIDE, str(int(REQUIRED)), ""]
    answers += [str(int(FEE_DUE)), INSIDE, "否"]
    answers[0] = "\ufeff" + answers[0]  # as Windows Notepad saves a UTF-8 file
    run = ask("--rules", "tmall-2022", "--as-of", MID, answers=answers)
    assert run.returncode == 0, run.stderr
    assert "请重新输入" not in run.stderr
    assert "结论：已续签" in run.stdout


@pytest.mark.parametrize("strict", [False, True], ids=["surrogateescape", "strict"])
def test_answers_that_are_not_utf8_are_said_in_words(strict):
    """Answers saved in GBK (Notepad's ANSI on a Chinese Windows): refused as characters
    that cannot be read, naming the file's encoding, not as "lone surrogates"; with a
    strict stdin (a UTF-8 locale) not an internal error either."""
    answers = ["1", "R", "男装", "男装", "2020-01-01 10:00"]  # the category twice, in GBK
    env = {**os.environ, "COLUMNS": "250"}
    env.pop("RENEWAL_DEBUG", None)
    env.pop("PYTHONIOENCODING", None)
    if strict:
        env["PYTHONIOENCODING"] = "utf-8:strict"
    run = subprocess.run(
        [sys.executable, "-m", "renewal", "self-check", "--rules", "tmall-2022", "--as-of", MID],
        input="".join(f"{answer}\n" for answer in answers).encode("gbk"),
        capture_output=True,
        env=env,
        timeout=120,
    )
    stderr = run.stderr.decode("utf-8")
    assert run.returncode == 2, stderr  # refused twice running: the answers are adrift
    assert stderr.count(ZH["ask.undecodable"]) == 3, stderr  # twice asked again, then why
    assert "代理" not in stderr and "内部错误" not in stderr and "Traceback" not in stderr
