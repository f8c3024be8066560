"""`renewal self-check` without a file, on what the questions used to leave out: the
2022年度 day-to-day assessment (AS02, a warning beside the verdict), and what a merchant is
told to do when an answer leaves a step undecided (find out and answer again: there is no
row to fix).

Labels, places and outcomes come from the rule files and the message catalogue."""

from __future__ import annotations

from conftest import EXPORT_HEADER, ROOT, renewal, renewed_row, write_csv
from test_interview_answers import MID, answers_2022
from test_selfcheck_unknowns import PART
from test_selfcheck_unknowns import answers as unknown_fee_answers

from renewal import i18n
from renewal.checks.assessment import DailyAssessmentParams
from renewal.ruleset import load

R2022 = load("tmall-2022")
DAILY = R2022.rules["AS02"]
assert isinstance(DAILY, DailyAssessmentParams)
ZH, EN = i18n.catalog("zh"), i18n.catalog("en")
DONE = ["2021-11-25 10:00"]


def daily_prompt(lang: str) -> str:
    en = lang == "en"
    label, where = (DAILY.label_en, DAILY.where_en) if en else (DAILY.label, DAILY.where)
    # asked as of MID, which is past
    asked = i18n.catalog(lang)["ask.daily_assessment_as_of"]
    return asked.format(label=label, where=where, as_of=MID)


def renewed_2022(failed: str) -> list[str]:
    """Every 2022 step done in the window; `failed` answers the assessment question."""
    answers = answers_2022(DONE, DONE, DONE)
    assert answers[-4] == "否"  # the assessment, before the points and the appeal
    answers[-4] = failed
    return answers


def test_2022_asks_the_daily_assessment_and_warns_of_a_failed_one():
    run = renewal("self-check", "--rules", "tmall-2022", "--as-of", MID, answers=renewed_2022("是"))
    assert run.returncode == 0, run.stderr
    assert run.stderr.count(daily_prompt("zh")) == 1
    assert "结论：已续签" in run.stdout  # a warning, not a failure: the verdict stands
    # said as answered, with no rule code (ex22 §7)
    warned = [line for line in run.stdout.splitlines() if "你回答店铺经营考核不达标" in line]
    assert len(warned) == 1 and DAILY.outcome in warned[0], run.stdout
    assert "AS02" not in run.stdout


def test_a_passed_daily_assessment_says_nothing():
    run = renewal("self-check", "--rules", "tmall-2022", "--as-of", MID, answers=renewed_2022("否"))
    assert run.returncode == 0, run.stderr
    assert daily_prompt("zh") in run.stderr
    assert "AS02" not in run.stdout and DAILY.outcome not in run.stdout


def test_the_english_question_names_the_assessment_and_its_board():
    answers = renewed_2022("y")
    answers[answers.index("是")] = "y"  # the steps' yes, as typed in English
    answers[answers.index("是")] = "y"
    answers[-1] = "n"
    run = renewal(
        "self-check", "--rules", "tmall-2022", "--as-of", MID, "--lang", "en", answers=answers
    )
    assert run.returncode == 0, run.stderr
    assert daily_prompt("en") in run.stderr
    assert DAILY.outcome_en in run.stdout


def test_a_year_with_the_assessment_step_asks_it_once(tmp_path):
    """A rule file with both the 2019 assessment step (AS01) and the 2022 warning (AS02):
    the one column, 考核不达标, is asked once, at the step."""
    text = (ROOT / "rules" / "tmall-2019.toml").read_text(encoding="utf-8")
    block = (ROOT / "rules" / "tmall-2022.toml").read_text(encoding="utf-8").split("[rules.AS02]")
    as02 = "[rules.AS02]" + block[1].split("\n[", 1)[0]
    both = tmp_path / "both.toml"
    both.write_text(text.replace("[rules.TB01]", f"{as02}\n[rules.TB01]", 1), encoding="utf-8")
    # 旗舰店 R 男装, every step done, opened before the assessment date, failed it
    answers = ["1", "R", "男装", "2016-01-01 10:00", "是", "2018-11-01 10:00", "是"]
    answers += ["2018-11-02 10:00", "150000", "", "60000", "2018-11-02 10:00"]
    answers += ["2015-01-01 10:00", "是", "0", "0", "否"]
    run = renewal("self-check", "--rules", both, "--as-of", "2018-12-20 12:00", answers=answers)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count(ZH["ask.assessment"]) == 1
    assert daily_prompt("zh") not in run.stderr


def test_an_undecided_answer_is_found_out_and_answered_again_not_a_row_fixed():
    """The fee a category's table does not give, answered 不知道: the checklist says the
    answers leave it undecided and asks the merchant to find out and run the questions
    again, not to fix a row of a file it never saw."""
    typed = unknown_fee_answers("", paid=PART)
    run = renewal("self-check", "--rules", "tmall-2022", "--as-of", MID, answers=typed)
    assert run.returncode == 0, run.stderr
    assert ZH["sc.error_answers"] in run.stdout and ZH["sc.error"] not in run.stdout
    assert ZH["next.fix_answers"] in run.stdout
    fix_row = ZH["next.fix_data"].split("{row}")[0]  # 修正第
    assert fix_row not in run.stdout
    verdict = ZH["sc.outcome"].format(outcome=ZH["sc.outcome.answers_error"])
    assert verdict in run.stdout and ZH["outcome.error"] not in run.stdout


def test_the_same_row_in_a_file_is_still_told_which_row_to_fix(tmp_path):
    """The same unknown fee in a file: that row is to be fixed, by its number."""
    row = renewed_row("M1")
    column = {name: n for n, name in enumerate(EXPORT_HEADER)}
    row[column["主营类目"]] = "旅游"  # in no fee tier; 年费应缴 blank
    row[column["年费已缴"]] = PART  # enough for one tier, not the other: the tier decides
    path = write_csv(tmp_path / "one.csv", EXPORT_HEADER, [row])
    run = renewal("self-check", path, "--rules", "tmall-2022", "--as-of", MID)
    assert run.returncode == 0, run.stderr
    assert ZH["next.fix_data"].format(row=2) in run.stdout
    assert ZH["sc.error"] in run.stdout and ZH["next.fix_answers"] not in run.stdout
