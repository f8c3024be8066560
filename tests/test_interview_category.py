"""`renewal self-check` without a file: the main category (主营类目) is one the rule set lists,
or is said to be none of them (ex24 §1).

The checks judge a category no table lists as a general one. An English-speaking merchant
who typed `travel` was so charged the general deposit (¥40,000 short, where 旅游 owes
¥10,000) and told it may move to a 淘宝企业店铺, which 旅游 is shut out of. A category none
of the year's tables keyed by category lists (the deposit's special categories, the fee
tiers, the transfer's excluded categories, the 2019 review's) is asked again, naming it and
some of the year's own; 其他 (other) says the store is in an ordinary category, judged as
before. The rule files give no English names of categories, so none is accepted.

Names, amounts and tables come from the rule files and the message catalogue."""

from __future__ import annotations

import subprocess

import pytest
from conftest import renewal

from renewal import i18n
from renewal.checks import REGISTRY
from renewal.checks.assessment import ReviewParams
from renewal.checks.deposit import DepositParams
from renewal.checks.fee import AnnualFeeParams
from renewal.checks.transfer import TransferParams
from renewal.interview import Asker, Interview
from renewal.ruleset import RuleSet, load

YEARS = ("tmall-2019", "tmall-2021", "tmall-2022", "tmall-2023", "tmall-2025")
RULES = {year: load(year) for year in YEARS}
R2023 = RULES["tmall-2023"]
ZH, EN = i18n.catalog("zh"), i18n.catalog("en")
AS_OF_2023 = "2022-12-27 12:00"  # after the deadline, before the contracts end
DEPOSIT, FEE, TRANSFER = R2023.rules["DP01"], R2023.rules["AF01"], R2023.rules["TB01"]
assert isinstance(DEPOSIT, DepositParams) and isinstance(FEE, AnnualFeeParams)
assert isinstance(TRANSFER, TransferParams)
TRAVEL = "旅游"
assert TRAVEL in TRANSFER.excluded_categories.names  # shut out of the transfer
TRAVEL_DEPOSIT = DEPOSIT.required_for("旗舰店", "R", TRAVEL)
GENERAL_DEPOSIT = DEPOSIT.general_for("旗舰店", "R")
assert TRAVEL_DEPOSIT is not None and GENERAL_DEPOSIT is not None
assert TRAVEL_DEPOSIT < GENERAL_DEPOSIT
BLOCKERS_2023 = [code for code in R2023.rules if code.startswith("BL")]

CATEGORY_TABLES = (DepositParams, AnnualFeeParams, TransferParams, ReviewParams)
"""The rule parameters keyed by category, each as the rule file writes its names."""


def ex24_answers(*category: str) -> list[str]:
    """ex24's cases/answers-2023-*.txt with `category` typed at the category question: a
    旗舰店 R signed long before the cut-off, no blocker, nothing done, a deposit balance of
    the 旅游 deposit, the fee not known, no points and no appeal (a line past the last
    question, as in the tester's file, is left unread)."""
    balance = str(int(TRAVEL_DEPOSIT))
    nothing = ["n"] * (len(BLOCKERS_2023) + 2)  # the blockers, then sign-up and agreement
    return ["1", "R", *category, "2019-06-01 10:00", *nothing, balance, "", "", "0", "0", "0", "n"]


def self_check(lang: str, answers: list[str]) -> subprocess.CompletedProcess[str]:
    """The questions of 2023 answered `answers`, on a terminal wide enough that no message
    is folded."""
    args = ("--rules", "tmall-2023", "--as-of", AS_OF_2023, "--lang", lang)
    return renewal("self-check", *args, answers=answers, columns=1000)


def names_in(params: object) -> list[str]:
    """The category names and aliases one rule's table writes, read from the rule file's
    model itself (not through the interview's own list)."""
    if isinstance(params, DepositParams):
        return [name for special in params.categories for name in special.names]
    if isinstance(params, AnnualFeeParams):
        return [name for tier in params.tiers for name in (tier.category, *tier.aliases)]
    if isinstance(params, TransferParams):
        return list(params.excluded_categories.names)
    if isinstance(params, ReviewParams):
        return list(params.categories)
    return []


def listed_names(ruleset: RuleSet) -> list[str]:
    return [name for p in ruleset.rules.values() if p.enabled for name in names_in(p)]


def store(
    ruleset: RuleSet, lang: str, typed: list[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[str, list[str]]:
    """The store questions answered `typed` (store type 1, trademark R where asked, then
    the category answers): the category's cell, and each refusal's reason. Running out of
    answers ends the test (StopIteration) rather than loops."""
    asker = Asker(lang, ruleset.cycle.window_closes)
    refused: list[str] = []
    monkeypatch.setattr(asker, "again", lambda reason, understood=False: refused.append(reason))
    monkeypatch.setattr(asker, "say", lambda text: None)
    lines = iter(["1", "R", *typed])
    monkeypatch.setattr(asker, "_read", lambda prompt, default: next(lines))
    interview = Interview(ruleset, lang, asker)
    interview.store()
    return interview.answers.row["category"], refused


# --- ex24 §1: an English category is asked again, not judged as a general one -------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_travel_is_asked_again_and_the_answer_travel_then_checks_as_it(lang):
    """The tester's answers with `travel` corrected to 旅游 at the question asked again:
    the checklist is the one 旅游 gives at once (the 旅游 deposit is met, the transfer is
    refused for the category), not the general deposit and an open transfer."""
    corrected = self_check(lang, ex24_answers("travel", TRAVEL))
    direct = self_check(lang, ex24_answers(TRAVEL))
    assert corrected.returncode == direct.returncode == 0, corrected.stderr
    assert corrected.stdout == direct.stdout
    texts = EN if lang == "en" else ZH
    assert texts["TB01.category"].format(category=TRAVEL) in direct.stdout
    assert i18n.yuan(GENERAL_DEPOSIT) not in direct.stdout
    again = "Please try again: " if lang == "en" else "请重新输入："
    assert corrected.stderr.count(again) == 1, corrected.stderr
    refusal = corrected.stderr.split(again, 1)[1].splitlines()[0]
    quoted, other = ("'travel'", '"other"') if lang == "en" else ("「travel」", "「其他」")
    assert quoted in refusal and other in refusal
    assert TRAVEL in refusal  # among the rule set's categories given as examples
    assert direct.stderr.count(again) == 0


def test_the_testers_answers_file_makes_no_checklist():
    """ex24's answers file as it was: `travel`, then the contract date read as a second
    category answer, refused too: answers out of step with the questions, exit 2 and no
    checklist, rather than a checklist of a general category."""
    run = self_check("en", ex24_answers("travel"))
    assert run.returncode == 2, run.stderr
    assert run.stdout == ""
    assert "'travel'" in run.stderr
    assert EN["ask.adrift"].split("(", 1)[0] in run.stderr


# --- which answers are refused -------------------------------------------------------------


@pytest.mark.parametrize("year", ["tmall-2019", "tmall-2022", "tmall-2023", "tmall-2025"])
@pytest.mark.parametrize(
    "typed", ["travel", "Travel", "tourism", "旅游鞋", "保险箱", "家用电器", "2019-06-01 10:00"]
)
def test_a_category_no_table_lists_is_asked_again(year, typed, monkeypatch):
    """English words, and Chinese ones that only contain a listed word (旅游鞋 is a shoe,
    保险箱 a safe: both read as general categories by the checks), are asked again;
    the answer after is taken."""
    cell, refused = store(RULES[year], "zh", [typed, TRAVEL], monkeypatch)
    assert cell == TRAVEL
    assert len(refused) == 1
    assert f"「{typed}」" in refused[0] and "「其他」" in refused[0]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_refusal_names_some_of_the_years_special_categories(lang, monkeypatch):
    _, refused = store(R2023, lang, ["travel", TRAVEL], monkeypatch)
    first = [name for special in DEPOSIT.categories for name in special.names][:3]
    assert all(name in refused[0] for name in first), refused[0]
    assert not any(name in refused[0] for name in names_in(FEE))  # the ordinary tiers: no
    last = "不在其中的普通类目填「其他」" if lang == "zh" else "an ordinary category not among them"
    assert refused[0].endswith(last)


def test_of_several_categories_only_the_unlisted_one_is_named(monkeypatch):
    """A store in several categories, one of them typed in English: asked again, naming
    that one; its listed neighbour is not called unlisted."""
    cell, refused = store(R2023, "en", ["男装, travel", "男装, 旅游"], monkeypatch)
    assert cell == "男装, 旅游"
    assert len(refused) == 1
    assert "'travel'" in refused[0] and "男装" not in refused[0].split(":", 1)[0]


# --- which answers are taken ---------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_every_name_a_table_keyed_by_category_writes_is_taken(year, monkeypatch):
    ruleset = RULES[year]
    names = listed_names(ruleset)
    assert names
    for name in names:
        cell, refused = store(ruleset, "zh", [name], monkeypatch)
        assert (cell, refused) == (name, []), name


@pytest.mark.parametrize(
    "typed",
    [
        "度假线路/签证送关/旅游服务",  # 旅游: deposit and transfer
        "天猫国际进口",  # the transfer's channel 天猫国际
        "汽车保险",  # 保险
        "女装/女士精品/连衣裙",  # the fee's first-level 女装/女士精品
        "ＯＴＣ药品",  # full width, as a Chinese input method types it
        "男装、旅游",
        "男装,旅游",
        "男装；旅游",
        "男装 旅游",
        "男装、其他",  # a listed category beside an ordinary one
    ],
)
def test_names_as_exports_write_them_and_several_at_once_are_taken(typed, monkeypatch):
    assert store(R2023, "zh", [typed], monkeypatch) == (typed, [])


@pytest.mark.parametrize("typed", ["其他", "其它", "other", "Other", "others"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_other_says_an_ordinary_category_in_either_language(typed, lang, monkeypatch):
    assert store(R2023, lang, [typed], monkeypatch) == (typed, [])


def test_a_blank_category_stays_blank_where_it_may_be():
    """2025 has no fee table: the category may be left blank, as before."""
    ruleset = RULES["tmall-2025"]
    assert "AF01" not in ruleset.rules
    blockers = [code for code in ruleset.rules if code.startswith("BL")]
    # no blocker; no insurance, no cash (short: no top-up time); not signed; no points
    answers = ["1", "R", "", "2020-01-01 10:00", *["否"] * len(blockers), "否", "0", "否"]
    args = ("--rules", "tmall-2025", "--as-of", "2024-12-20 12:00")
    run = renewal("self-check", *args, answers=[*answers, "0", "0", "否"])
    assert run.returncode == 0, run.stderr
    assert "请重新输入" not in run.stderr and "输入有误" not in run.stderr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_other_is_judged_as_a_general_category_whose_fee_tier_is_open(lang):
    """家用电器 is in none of 2023's tables: asked again, 其他 is taken, and the store is
    judged as for any category the tables do not list: the general deposit, the transfer
    open, and a fee the table cannot tell, anywhere between its lowest and highest tier
    (asked, and not known), the checklist saying the category is not in the fee table."""
    run = self_check(lang, ex24_answers("家用电器", "其他"))
    assert run.returncode == 0, run.stderr
    texts = EN if lang == "en" else ZH
    assert texts["ask.fee_required"].format(year=FEE.year) in run.stderr
    assert i18n.yuan(GENERAL_DEPOSIT) in run.stdout
    assert texts["ask.transfer"] in run.stderr  # asked: no exclusion closes the transfer
    between = texts["AF01.between"].format(
        least=i18n.yuan(FEE.bottom_fee), most=i18n.yuan(FEE.top_fee)
    )
    assert between in run.stdout
    assert texts["AF01.tier_open"].format(message="", category="其他") in run.stdout


def test_every_rule_reading_the_category_has_a_table_the_interview_knows():
    """A new rule that reads 主营类目 has a table keyed by category the interview must
    check answers against (`checks.lists_category`), or a listed category is refused."""
    reading = {rule.params for rule in REGISTRY.values() if "category" in rule.reads}
    assert reading == set(CATEGORY_TABLES)
