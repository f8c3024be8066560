"""The self-check's questions and their checklist in a shop owner's words (ex22 §7, §9).

The answers typed at the terminal become a one-row export checked as a file is
(renewal/selfcheck.py), but a checklist of them names no column, cell or export, and no
rule code: the merchant answered questions, and BL03 means nothing to it. A checklist of
a file keeps a file's words. The rows below are written as the interview writes its
answers (`interview.write_export`: the intake's Chinese headers), and checked once as the
answers and once as a file, through `selfcheck.checklists`.

The questions are folded by the checklist's own rules (renewal/render/wrapping.py), not by
rich at whatever column it reaches: a date-time, Ctrl-C or （是/否） is never split.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from conftest import renewal, run_file, write_csv
from rich.cells import cell_len
from rich.console import Console

from renewal import i18n, selfcheck
from renewal.intake.columns import HEADER_OF
from renewal.interview import Asker
from renewal.ruleset import RuleSet, load
from renewal.timeutil import BEIJING

R2022, R2023, R2025 = load("tmall-2022"), load("tmall-2023"), load("tmall-2025")

BLOCKERS_2023 = ("assessment_failed", "software_fee_unpaid", "no_brand_authorization")
BLOCKERS_2023 += ("exit_in_progress", "entity_change_in_progress", "taobao_transfer_in_progress")


def answered(**cells: str) -> dict[str, str]:
    """A 旗舰店 R 女装 store with every 2023 step done in the window and no blocker, as
    the interview writes it, with `cells` (by field) in place."""
    row = {
        "merchant_id": "自查",
        "store_type": "旗舰店",
        "trademark": "R",
        "category": "女装/女士精品",
        "contract_signed_at": "2020-06-01 10:00",
        **dict.fromkeys(BLOCKERS_2023, "否"),
        "signup_at": "2022-11-22 10:00",
        "agreement_signed_at": "2022-11-22 11:00",
        "deposit_balance": "50000",
        "deposit_topped_up_at": "",
        "annual_fee_paid": "60000",
        "annual_fee_paid_at": "2022-11-24 10:00",
        "serious_points": "0",
        "general_points": "0",
        "appeal_pending": "否",
    }
    return {**row, **cells}


def checklist(
    folder: Path, ruleset: RuleSet, as_of: str, cells: dict[str, str], lang: str, answers: bool
) -> str:
    """The checklist of `cells` as the interview's answers (`answers`) or as a file's row."""
    path = write_csv(
        folder / ("answers.csv" if answers else "export.csv"),
        [HEADER_OF[field] for field in cells],
        [list(cells.values())],
    )
    moment = datetime.fromisoformat(as_of).replace(tzinfo=BEIJING)
    (lines,) = selfcheck.checklists(path, ruleset, moment, lang, [], False, answers=answers)
    return "\n".join(lines)


def label(ruleset: RuleSet, code: str, lang: str) -> str:
    params = ruleset.rules[code]
    return str(getattr(params, "label_en" if lang == "en" else "label"))


BLOCKER_DONE = answered(assessment_failed="是")
"""b14: 考核不达标 answered 是, every step it stops done in the window."""
BLOCKED = answered(no_brand_authorization="是", signup_at="", agreement_signed_at="")
BLOCKED |= {"annual_fee_paid": "0", "annual_fee_paid_at": ""}
"""s09: 无品牌授权 answered 是, neither sign-up nor signing done."""
INSPECTION = answered(annual_inspection_pending="是", agreement_signed_at="", category="男装")
for gone in ("signup_at", "annual_fee_paid", "annual_fee_paid_at"):  # 2025年度 asks none
    del INSPECTION[gone]
"""s28 (2025年度): 年检信息待更新 answered 是, the agreement not signed."""
DAILY = answered(assessment_failed="是", contract_signed_at="2019-06-01 10:00")
DAILY |= {"signup_at": "2021-11-22 10:00", "agreement_signed_at": "2021-11-22 11:00"}
DAILY |= {"annual_fee_paid_at": "2021-11-24 10:00"}
for gone in BLOCKERS_2023[1:]:  # 2022年度 has no blockers, only the daily assessment
    del DAILY[gone]
"""c06 (2022年度): the day-to-day assessment answered failed, every step done."""
FEE_UNKNOWN = answered(category="零食/坚果/特产", annual_fee_required="", annual_fee_paid="30000")
"""b19b: a category the fee table does not list, its fee answered 不知道."""
DEPOSIT_UNKNOWN = answered(store_type="旗舰店（自营）", deposit_required="")
"""A store type the deposit table does not list (a rule file's own), its deposit answered
不知道."""

CASES = {
    "blocker-done": (R2023, "2022-12-01 12:00", BLOCKER_DONE),
    "blocked": (R2023, "2022-12-01 12:00", BLOCKED),
    "blocked-after": (R2023, "2022-12-27 09:00", BLOCKED),
    "inspection": (R2025, "2024-12-05 12:00", INSPECTION),
    "daily": (R2022, "2021-12-01 12:00", DAILY),
    "fee-unknown": (R2023, "2022-12-27 09:00", FEE_UNKNOWN),
    "deposit-unknown": (R2023, "2022-12-01 12:00", DEPOSIT_UNKNOWN),
}

FILE_WORDS = re.compile(
    r"导出|「[^」]*」(?:为|的值)|export|column|\bis (?:blank|yes)\b|(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?!\d)"
)
"""A file's words: the export, a cell 「列」为…, a column, a rule code (BL03, DL01)."""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_a_checklist_of_answers_names_no_column_export_or_rule_code(tmp_path, case, lang):
    ruleset, as_of, cells = CASES[case]
    said = checklist(tmp_path, ruleset, as_of, cells, lang, answers=True)
    assert FILE_WORDS.findall(said) == [], said
    # the same facts in a file are told in a file's words, which were the answers' too
    assert FILE_WORDS.search(checklist(tmp_path, ruleset, as_of, cells, lang, answers=False))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_blocker_beside_its_steps_done_is_said_from_the_answers(tmp_path, lang):
    steps = [label(R2023, code, lang) for code in ("DL01", "DL02")]
    values = {"label": label(R2023, "BL01", lang), "steps": i18n.listed(steps, lang)}
    said = checklist(tmp_path, R2023, "2022-12-01 12:00", BLOCKER_DONE, lang, answers=True)
    assert i18n.catalog(lang)["blocker.done_anyway.answers"].format(**values) in said
    if lang == "zh":
        assert (
            "考核不达标，但你的回答显示它限制的环节已在续签期内完成（续签报名、签署协议）" in said
        )
    else:
        assert "your answers say the steps it stops were done" in said
    # a file's row: the export shows them, each step with its code
    from_file = checklist(tmp_path, R2023, "2022-12-01 12:00", BLOCKER_DONE, lang, answers=False)
    coded = i18n.listed([f"{c} {s}" for c, s in zip(("DL01", "DL02"), steps, strict=True)], lang)
    assert coded in from_file and ("导出显示" in from_file or "the export shows" in from_file)


@pytest.mark.parametrize(
    ("ruleset", "as_of", "cells", "code", "lang", "said"),
    [
        (R2023, "2022-12-01 12:00", BLOCKED, "BL03", "zh", "因「无品牌授权」无法办理"),
        (R2023, "2022-12-27 09:00", BLOCKED, "BL03", "en", "Blocked: no brand authorisation"),
        (R2025, "2024-12-05 12:00", INSPECTION, "BL07", "en", "Blocked: annual inspection"),
    ],
)
def test_a_blocked_step_names_its_blocker_by_its_title_alone(
    tmp_path, ruleset, as_of, cells, code, lang, said
):
    answers = checklist(tmp_path, ruleset, as_of, cells, lang, answers=True)
    assert said in answers and code not in answers
    from_file = checklist(tmp_path, ruleset, as_of, cells, lang, answers=False)
    coded = i18n.catalog(lang)["step.blocked"].format(code=code, label=label(ruleset, code, lang))
    assert coded in from_file and said not in from_file


@pytest.mark.parametrize(
    ("lang", "said", "cell"),
    [
        (
            "zh",
            "  [提醒] 你回答店铺经营考核不达标：经营考核在日常进行",
            "AS02 「考核不达标」为是：",
        ),
        (
            "en",
            "  [warning] You answered that the store is failing the merchant",
            "AS02 考核不达标",
        ),
    ],
)
def test_the_daily_assessment_is_warned_of_as_it_was_answered(tmp_path, lang, said, cell):
    answers = checklist(tmp_path, R2022, "2021-12-01 12:00", DAILY, lang, answers=True)
    assert said in answers and cell not in answers and "AS02" not in answers
    assert "结论：已续签" in answers or "Verdict: renewed" in answers  # a warning alone
    assert cell in checklist(tmp_path, R2022, "2021-12-01 12:00", DAILY, lang, answers=False)


@pytest.mark.parametrize(
    ("lang", "said", "cell"),
    [
        ("zh", "主营类目「零食/坚果/特产」不在年费表中，你也不知道应缴多少", "「年费应缴」为空"),
        ("en", "is not in the fee table, and you did not know the amount due", "年费应缴 (annual"),
    ],
)
def test_an_amount_answered_not_known_is_said_so(tmp_path, lang, said, cell):
    answers = checklist(tmp_path, R2023, "2022-12-27 09:00", FEE_UNKNOWN, lang, answers=True)
    assert said in answers and cell not in answers
    assert answers.count(said) == 2  # among what cannot be judged, and at its step
    assert cell in checklist(tmp_path, R2023, "2022-12-27 09:00", FEE_UNKNOWN, lang, False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_deposit_answered_not_known_is_said_so(tmp_path, lang):
    said = i18n.catalog(lang)["DP01.unknown.answers"]
    answers = checklist(tmp_path, R2023, "2022-12-01 12:00", DEPOSIT_UNKNOWN, lang, answers=True)
    assert said in answers
    assert said not in checklist(tmp_path, R2023, "2022-12-01 12:00", DEPOSIT_UNKNOWN, lang, False)


@pytest.mark.parametrize(
    ("cells", "rule", "message"),
    [
        (BLOCKED, "DL01", "因 BL03（无品牌授权）无法办理"),
        (
            BLOCKER_DONE,
            "BL01",
            "导出显示它限制的环节已在续签期内完成（DL01 续签报名、DL02 签署协议）",
        ),
        (FEE_UNKNOWN, "AF01", "「年费应缴」为空"),
    ],
)
def test_a_check_run_keeps_the_files_words(tmp_path, cells, rule, message):
    """`check` reads an export, never answers: its findings name the code and the cell."""
    path = write_csv(tmp_path / "export.csv", [HEADER_OF[f] for f in cells], [list(cells.values())])
    moment = datetime(2022, 12, 1, 12, tzinfo=BEIJING)
    (result,) = run_file(path, moment, rules="tmall-2023").results
    (found,) = [f for f in result["findings"] if f["rule"] == rule]
    assert message in found["message"]


# --- the questions, folded ---------------------------------------------------------------

AS_OF = datetime(2022, 12, 1, 12, tzinfo=BEIJING)
INTRO = i18n.catalog("zh")["ask.intro"].format(
    name=R2023.name, deadline=i18n.moment(R2023.cycle.window_closes)
)
DEADLINE = "2022-12-26 18:00"


def asker_at(width: int, lang: str = "zh") -> tuple[Asker, io.StringIO]:
    asker = Asker(lang, AS_OF)
    screen = io.StringIO()
    asker.console = Console(file=screen, width=width, force_terminal=True, highlight=False)
    return asker, screen


def whole_in_lines(text: str, width: int, *whole: str) -> None:
    """Every line of `text` fits `width`, and each of `whole` is on one of them."""
    lines = text.splitlines()
    assert all(cell_len(line) <= width for line in lines), "\n".join(lines)
    for token in whole:
        assert any(token in line for line in lines), (token, lines)


@pytest.mark.parametrize("width", [40, 80, 100])
def test_the_intro_is_folded_as_the_checklist_is(width):
    asker, screen = asker_at(width)
    asker.say(INTRO)
    whole_in_lines(screen.getvalue(), width, DEADLINE, "Ctrl-C")
    # line for line as the checklist would print it at that width
    assert screen.getvalue() == selfcheck.printed([[INTRO]], width) + "\n"


@pytest.mark.parametrize(
    "code",
    [
        "BL01",  # rich: 店铺目前是否存在「考核不达标」的情况？（ / 是/否） [否]:
        "BL05",  # rich: …「主体变更流程中」的情况 / ？（是/否） [否]:
    ],
)
def test_a_yes_no_prompt_keeps_its_choices_whole(monkeypatch, code):
    width, lang = 40, "zh"
    asker, screen = asker_at(width, lang)
    monkeypatch.setattr("builtins.input", lambda: "")
    question = i18n.catalog(lang)["ask.blocker"].format(label=label(R2023, code, lang))
    assert asker.yes_no(question) is False  # the default, 否
    shown = screen.getvalue()
    whole_in_lines(shown, width, "（是/否）")
    lines = shown.splitlines()
    assert not any(line.lstrip().startswith(("？", "）", "?", ")")) for line in lines), lines
    assert shown.endswith(": ")  # the answer is typed after the prompt, on its last line


def test_without_a_width_the_questions_are_not_folded(monkeypatch):
    """A pipe or a file without COLUMNS: each line as it is (rich folded it at 80)."""
    asker = Asker("zh", AS_OF)
    screen = io.StringIO()
    asker.console = Console(file=screen, width=80, force_terminal=False, highlight=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    asker.say(INTRO)
    assert screen.getvalue() == INTRO + "\n"


FIRST_ANSWERS = ["1", "R", "女装/女士精品", "2020-06-01 10:00"]
"""Up to the first yes/no question of 2023 (a blocker); then the input ends."""


@pytest.mark.parametrize("width", [40, 80])
def test_the_questions_on_a_narrow_terminal(width):
    run = renewal(
        "self-check", "--rules", "tmall-2023", "--as-of", "2022-12-01 12:00",
        columns=width, answers=FIRST_ANSWERS,
    )  # fmt: skip
    assert run.returncode == 2  # the input ended at the first blocker
    # piped, an answer is not echoed: on a terminal each prompt's line ends with it
    shown = run.stderr.replace(": ", ":\n")
    # the deadline in the intro, the contract's example time, the first blocker's 是/否
    whole_in_lines(shown, width, DEADLINE, "Ctrl-C", "2019-06-01 10:00", "（是/否）")


def test_the_questions_piped_without_columns_stay_on_their_lines():
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    run = subprocess.run(
        [sys.executable, "-m", "renewal", "self-check", "--rules", "tmall-2023"]
        + ["--as-of", "2022-12-01 12:00"],
        input="".join(f"{answer}\n" for answer in FIRST_ANSWERS),
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 2
    assert INTRO in run.stderr.splitlines()
