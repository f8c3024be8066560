"""`renewal self-check`: one merchant's checklist, from a file or from answers on stdin.

The expected states are those each row was built to have (the scenario table below), not
output copied from the program."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXPORT_HEADER, ROOT, renewal, renewed_row

from renewal.ruleset import StepParams, load

RULES = "tmall-2022"
MID_WINDOW = "2021-12-20 12:00"  # 6 days 6 hours before the 2021-12-26 18:00 deadline
AFTER_DEADLINE = "2021-12-27 00:00"
RULESET = load(RULES)
STEPS = ("DL01", "DL02", "DP01", "AF01")  # the 2022 steps, in the announcement's order
PARAMS = {code: RULESET.rules[code] for code in STEPS}
assert all(isinstance(params, StepParams) for params in PARAMS.values())
LABEL = {code: params.label for code, params in PARAMS.items()}  # type: ignore[attr-defined]
LABEL_EN = {code: params.label_en for code, params in PARAMS.items()}  # type: ignore[attr-defined]
WHERE = {code: params.where for code, params in PARAMS.items()}  # type: ignore[attr-defined]

COLUMN = {name: index for index, name in enumerate(EXPORT_HEADER)}


def scenario(name: str, merchant_id: str) -> list[object]:
    """A row of the agency file; each scenario is one known set of step states."""
    row = renewed_row(merchant_id)
    if name == "no-agreement":
        row[COLUMN["协议签署时间"]] = ""
    elif name == "deposit-short":
        row[COLUMN["保证金余额"]] = "20000"  # 旗舰店 R owes 50,000: 30,000 short
    elif name == "signup-late":
        row[COLUMN["续签报名时间"]] = "2021-12-26 18:00:01"
    elif name == "fee-late":
        row[COLUMN["年费缴纳时间"]] = "2021-12-26 19:30"
    elif name == "nothing-done":
        for column in ("续签报名时间", "协议签署时间", "年费缴纳时间"):
            row[COLUMN[column]] = ""
        row[COLUMN["保证金余额"]] = "0"
        row[COLUMN["年费已缴"]] = "0"
        row[COLUMN["严重违规扣分"]] = "12"  # not eligible for the Taobao transfer
    return row


SCENARIOS = ("renewed", "no-agreement", "deposit-short", "signup-late", "fee-late", "nothing-done")
AGENCY = [(f"store-{n:02d}", SCENARIOS[(n - 1) % len(SCENARIOS)]) for n in range(1, 31)]
"""An agency's 30 stores, each scenario five times."""
STORE_OF = {name: merchant_id for merchant_id, name in reversed(AGENCY)}

DONE, MISSING, LATE = "已完成", "未完成", "逾期"
# (as-of, scenario) -> the state of each step, in STEPS order
EXPECTED = {
    (MID_WINDOW, "renewed"): (DONE, DONE, DONE, DONE),
    (MID_WINDOW, "no-agreement"): (DONE, MISSING, DONE, DONE),
    (MID_WINDOW, "deposit-short"): (DONE, DONE, MISSING, DONE),
    (MID_WINDOW, "signup-late"): (MISSING, DONE, DONE, DONE),  # 18:00:01 has not happened yet
    (MID_WINDOW, "fee-late"): (DONE, DONE, DONE, MISSING),
    (MID_WINDOW, "nothing-done"): (MISSING, MISSING, MISSING, MISSING),
    (AFTER_DEADLINE, "renewed"): (DONE, DONE, DONE, DONE),
    (AFTER_DEADLINE, "no-agreement"): (DONE, MISSING, DONE, DONE),
    (AFTER_DEADLINE, "signup-late"): (LATE, DONE, DONE, DONE),
    (AFTER_DEADLINE, "fee-late"): (DONE, DONE, DONE, LATE),
    (AFTER_DEADLINE, "nothing-done"): (MISSING, MISSING, MISSING, MISSING),
}


def write_export(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, "店铺名称"])
        for merchant_id, name in rows:
            writer.writerow([*scenario(name, merchant_id), f"{name}旗舰店"])
    return path


@pytest.fixture(scope="module")
def agency(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_export(tmp_path_factory.mktemp("agency") / "agency.csv", AGENCY)


def step_states(text: str, labels: dict[str, str] = LABEL) -> tuple[str, ...]:
    """The [state] shown on each step's line, in STEPS order."""
    found = {}
    for line in text.splitlines():
        match = re.match(r"\s+\d+\. \[(.+?)\] (.+)$", line)
        if match:
            found[match.group(2)] = match.group(1)
    return tuple(found[labels[code]] for code in STEPS)


def step_block(text: str, code: str, labels: dict[str, str] = LABEL) -> str:
    """The lines of one step: its own line and the indented lines under it."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.endswith(f"] {labels[code]}"))
    end = start + 1
    while end < len(lines) and lines[end].startswith("     "):
        end += 1
    return "\n".join(lines[start:end])


@pytest.mark.parametrize(("as_of", "name"), sorted(EXPECTED))
def test_each_store_of_an_agency_file_gets_its_own_step_states(agency, as_of, name):
    merchant_id = STORE_OF[name]
    run = renewal(
        "self-check", agency, "--merchant", merchant_id, "--rules", RULES, "--as-of", as_of
    )
    assert run.returncode == 0, run.stderr
    assert f"商家 {merchant_id}「{name}旗舰店」" in run.stdout.splitlines()[0]
    assert step_states(run.stdout) == EXPECTED[(as_of, name)]


def test_a_missing_step_says_how_much_and_where_before_the_deadline(agency):
    run = renewal(
        "self-check",
        agency,
        "-m",
        STORE_OF["deposit-short"],
        "--rules",
        RULES,
        "--as-of",
        MID_WINDOW,
    )
    deposit = step_block(run.stdout, "DP01")
    assert "还需缴纳：¥30,000" in deposit
    assert f"去哪里办：{WHERE['DP01']}" in deposit
    assert "还需缴纳合计：¥30,000" in run.stdout
    assert "截止时间：2021-12-26 18:00，还剩 6天6小时" in run.stdout
    # the consequences come from the rule set's cycle
    missed = RULESET.cycle.missed
    assert missed is not None
    assert f"{missed.agreement}将于 2022-01-01 00:00" in run.stdout
    assert f"（{missed.supervision_means}）" in run.stdout
    assert f"天猫自 {RULESET.cycle.exit_from} 起协助退出天猫" in run.stdout
    # eligible for the Taobao transfer: 0 points, no appeal
    assert "[如果没有完成续签：可以转入]" in run.stdout


def test_nothing_done_totals_the_money_and_closes_the_transfer(agency):
    run = renewal(
        "self-check",
        agency,
        "-m",
        STORE_OF["nothing-done"],
        "--rules",
        RULES,
        "--as-of",
        MID_WINDOW,
    )
    # 旗舰店 R: deposit 50,000; 男装 is a 60,000 fee tier in 2022
    assert "还需缴纳合计：¥110,000（保证金 ¥50,000，年费 ¥60,000）" in run.stdout
    assert "还有 4 项没有完成" in run.stdout
    transfer = run.stdout[run.stdout.index("淘宝企业店铺（") :]
    assert "不能转入" in transfer and "12" in transfer


def test_after_the_deadline_it_says_the_deadline_passed_and_no_longer_where(agency):
    run = renewal(
        "self-check",
        agency,
        "-m",
        STORE_OF["fee-late"],
        "--rules",
        RULES,
        "--as-of",
        AFTER_DEADLINE,
    )
    assert run.returncode == 0
    assert "截止时间：2021-12-26 18:00，已截止（已过 6小时）" in run.stdout
    assert "截止前没有全部完成，因此：" in run.stdout
    fee = step_block(run.stdout, "AF01")
    assert "截止后才办理，不计入本次续签" in fee
    assert "去哪里办" not in fee


def test_time_left_is_counted_in_days_and_hours(agency):
    as_of = "2021-12-23 13:30"  # 3 days 4 hours 30 minutes before the deadline
    zh = renewal("self-check", agency, "-m", "store-02", "--rules", RULES, "--as-of", as_of)
    assert "还剩 3天4小时" in zh.stdout
    en = renewal(
        "self-check", agency, "-m", "store-02", "--rules", RULES, "--as-of", as_of, "--lang", "en"
    )
    assert "3d 4h left" in en.stdout


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        # the steps timed against the window; a deposit topped up before it counts
        ("zh", "续签开放：2021-11-19 12:00（18天10小时后）；开放前的续签报名、签署协议、缴纳年费不计入本次续签"),
        (
            "en",
            "Renewal opens: 2021-11-19 12:00 (in 18d 10h); Renewal sign-up, Agreement signing,"
            " Annual fee payment done before then do not count",
        ),
    ],
)
def test_before_the_window_opens_it_says_when(agency, lang, said):
    args = ["self-check", agency, "-m", "store-01", "--rules", RULES, "--lang", lang]
    assert said in renewal(*args, "--as-of", "2021-11-01 02:00").stdout
    assert "续签开放" not in renewal(*args, "--as-of", MID_WINDOW).stdout  # then only the deadline


def test_before_the_2025_window_only_the_signing_is_said_not_to_count(agency):
    """2025年度: a deposit (or a policy) in place before the window counts; only the
    signing is timed against it, and the one step is said in the singular."""
    args = ["self-check", agency, "-m", "store-01", "--rules", "tmall-2025"]
    zh = renewal(*args, "--as-of", "2024-11-18 10:00").stdout
    assert "；开放前的签署协议不计入本次续签" in zh, zh
    en = renewal(*args, "--as-of", "2024-11-18 10:00", "--lang", "en").stdout
    assert "; Agreement signing done before then does not count" in en, en


def test_english_checklist(agency):
    run = renewal(
        "self-check",
        agency,
        "-m",
        STORE_OF["deposit-short"],
        "--rules",
        RULES,
        "--as-of",
        MID_WINDOW,
        "--lang",
        "en",
    )
    assert run.returncode == 0
    assert run.stdout.startswith("Renewal checklist: merchant store-03")
    assert step_states(run.stdout, LABEL_EN) == ("done", "done", "missing", "done")
    assert "Still to pay: ¥30,000" in step_block(run.stdout, "DP01", LABEL_EN)
    assert not re.search(r"[\u4e00-\u9fff]", run.stdout.splitlines()[1])  # the rules line
    assert "If anything is still missing at the deadline:" in run.stdout


def test_repeated_merchant_gives_one_checklist_each_in_file_order(agency):
    run = renewal(
        "self-check",
        agency,
        "-m",
        "store-05",
        "-m",
        "store-01",
        "--rules",
        RULES,
        "--as-of",
        MID_WINDOW,
    )
    titles = [line for line in run.stdout.splitlines() if line.startswith("续签自查清单")]
    assert [t.split()[1] for t in titles] == [
        "store-01「renewed旗舰店」",
        "store-05「fee-late旗舰店」",
    ]


def test_several_merchants_and_no_merchant_option_names_the_ids_and_exits_2(agency):
    run = renewal("self-check", agency, "--rules", RULES, "--as-of", MID_WINDOW)
    assert run.returncode == 2
    assert run.stdout == ""
    assert len(run.stderr.strip().splitlines()) == 1
    assert "30 个商家" in run.stderr and "--merchant" in run.stderr and "--all" in run.stderr
    assert all(merchant_id in run.stderr for merchant_id, _ in AGENCY)
    assert "Traceback" not in run.stderr


def test_all_prints_one_checklist_per_store(agency):
    run = renewal("self-check", agency, "--all", "--rules", RULES, "--as-of", MID_WINDOW)
    assert run.returncode == 0
    titles = [line for line in run.stdout.splitlines() if line.startswith("续签自查清单")]
    assert [t.split()[1].split("「")[0] for t in titles] == [m for m, _ in AGENCY]


def test_a_merchant_id_not_in_the_file_exits_2_naming_it(agency):
    run = renewal("self-check", agency, "-m", "store-99", "--rules", RULES, "--as-of", MID_WINDOW)
    assert run.returncode == 2
    assert run.stdout == ""
    assert "store-99" in run.stderr and "agency.csv" in run.stderr and "store-01" in run.stderr
    assert "store-01、store-02" in run.stderr  # listed as Chinese lists things
    assert "Traceback" not in run.stderr


def test_ids_not_in_the_file_are_listed_in_english_with_commas(agency):
    wanted = ("-m", "store-98", "-m", "store-99")
    run = renewal("self-check", agency, *wanted, "-r", RULES, "--as-of", MID_WINDOW, "--lang", "en")
    assert run.returncode == 2
    assert "store-98, store-99" in run.stderr and "store-01, store-02" in run.stderr


def test_one_merchant_file_needs_no_merchant_option(tmp_path):
    path = write_export(tmp_path / "one.csv", [("solo", "no-agreement")])
    run = renewal("self-check", path, "--rules", RULES, "--as-of", MID_WINDOW)
    assert run.returncode == 0, run.stderr
    assert step_states(run.stdout) == EXPECTED[(MID_WINDOW, "no-agreement")]
    assert f"去哪里办：{WHERE['DL02']}" in step_block(run.stdout, "DL02")


def test_a_merchant_id_written_as_a_number_is_found(tmp_path):
    path = write_export(tmp_path / "one.csv", [("1234567890123", "renewed"), ("77", "renewed")])
    run = renewal(
        "self-check", path, "-m", "1234567890123.0", "--rules", RULES, "--as-of", MID_WINDOW
    )
    assert run.returncode == 0, run.stderr
    assert "商家 1234567890123「" in run.stdout


def test_a_rule_file_without_the_missed_block_still_says_the_consequences(tmp_path):
    text = (ROOT / "rules" / "tmall-2022.toml").read_text(encoding="utf-8")
    start = text.index("[cycle.missed]")
    end = text.index("\n\n", start)
    stripped = tmp_path / "no-missed.toml"
    stripped.write_text(text[:start] + text[end + 2 :], encoding="utf-8")
    path = write_export(tmp_path / "one.csv", [("solo", "no-agreement")])
    run = renewal("self-check", path, "--rules", stripped, "--as-of", MID_WINDOW)
    assert run.returncode == 0, run.stderr
    assert "天猫合同将于 2022-01-01 00:00" in run.stdout
    assert "店铺同时进入监管状态" in run.stdout


def test_unreadable_file_exits_2(tmp_path):
    run = renewal("self-check", tmp_path / "nothing.csv", "--rules", RULES)
    assert run.returncode == 2 and "nothing.csv" in run.stderr and "Traceback" not in run.stderr


# --- without a file: the questions on stdin -------------------------------------------------

# store type 1 (旗舰店), R, 男装, the contract date, sign-up done at 2021-11-20 10:00,
# agreement not done, deposit balance 20000 (short: no top-up time is asked), fee 60000
# paid at 2021-11-20 10:00, the assessment not failed, 0 and 0 points, no appeal
ANSWERS = [
    "1",
    "R",
    "男装",
    "2020-01-01 10:00",
    "是",
    "2021-11-20 10:00",
    "否",
    "20000",
    "60000",
    "2021-11-20 10:00",
    "否",
    "0",
    "0",
    "否",
]


def ask(*args: str, answers: list[str]) -> subprocess.CompletedProcess[str]:
    """The interview, answered a line at a time."""
    return renewal("self-check", *args, answers=answers)


def test_answers_on_stdin_give_the_same_steps_as_the_same_row_in_a_file(tmp_path):
    run = ask("--rules", RULES, "--as-of", MID_WINDOW, answers=ANSWERS)
    assert run.returncode == 0, run.stderr
    row = renewed_row("same")
    row[COLUMN["协议签署时间"]] = ""
    row[COLUMN["保证金余额"]] = "20000"
    path = tmp_path / "same.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, row])
    from_file = renewal("self-check", path, "--rules", RULES, "--as-of", MID_WINDOW)
    assert step_states(run.stdout) == (DONE, MISSING, MISSING, DONE)
    body = run.stdout.split("\n", 1)[1]  # everything but the title (the merchant id differs)
    assert body == from_file.stdout.split("\n", 1)[1]
    assert "店铺类型" in run.stderr  # the questions go to stderr, the checklist to stdout
    assert "店铺类型" not in run.stdout


def test_a_bad_answer_is_asked_again(tmp_path):
    answers = ["7", "旗舰店", "X", *ANSWERS[1:3], "not a date", *ANSWERS[3:]]
    run = ask("--rules", RULES, "--as-of", MID_WINDOW, answers=answers)
    assert run.returncode == 0, run.stderr
    assert run.stderr.count("请重新输入") == 3
    # why, in the language of the questions
    assert "输入有误：无法识别的商标状态（应为 R 或 TM）。请重新输入" in run.stderr
    assert "输入有误：不是日期（示例：2021-11-25 14:30）。请重新输入" in run.stderr
    assert step_states(run.stdout) == (DONE, MISSING, MISSING, DONE)


def test_a_time_after_the_as_of_is_asked_again():
    """The checks count a step dated after the as-of as not done: an answer saying so is
    a typo (or the wrong year), not a done step."""
    answers = [*ANSWERS[:5], "2021-12-21 10:00", *ANSWERS[5:]]
    run = ask("--rules", RULES, "--as-of", MID_WINDOW, answers=answers)
    assert run.returncode == 0, run.stderr
    # understood, but not yet done then: not called misunderstood (ex22 §9)
    said = "请重新输入：晚于评估时间 2021-12-20 12:00，那时还没有发生"
    assert run.stderr.count(said) == 1, run.stderr
    assert step_states(run.stdout) == (DONE, MISSING, MISSING, DONE)


def test_a_contract_after_the_cut_off_stops_the_questions_exempt():
    run = ask(
        "--rules", RULES, "--as-of", MID_WINDOW, answers=["1", "R", "男装", "2021-11-19 10:01"]
    )
    assert run.returncode == 0, run.stderr
    assert "结论：无需续签" in run.stdout


def test_english_questions_and_answers():
    answers = ["1", "X", "R", "男装", "2020-01-01 10:00", "y", "2021-11-20 10:00", "n", "50000"]
    answers += ["", "0", "n", "0", "0", "n"]
    run = ask("--rules", RULES, "--as-of", MID_WINDOW, "--lang", "en", answers=answers)
    assert run.returncode == 0, run.stderr
    assert "Store type" in run.stderr
    assert "Not understood: unknown trademark status (expected R or TM). Please try again" in (
        run.stderr
    )
    assert step_states(run.stdout, LABEL_EN) == ("done", "missing", "done", "missing")
    assert "Still to pay: ¥60,000" in step_block(run.stdout, "AF01", LABEL_EN)


def test_input_ending_early_exits_2_without_a_traceback():
    run = ask("--rules", RULES, "--as-of", MID_WINDOW, answers=ANSWERS[:3])
    assert run.returncode == 2
    assert run.stdout == ""
    assert "输入已结束" in run.stderr and "Traceback" not in run.stderr
    # on a line of its own, not after the question left open (ex22 §9)
    assert "\nrenewal: 输入已结束" in run.stderr


def test_ctrl_c_exits_130_without_a_traceback():
    env = {**os.environ}
    env.pop("RENEWAL_DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "renewal", "self-check", "--rules", RULES],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdin is not None and process.stderr is not None
    seen = b""
    while "店铺类型".encode() not in seen or not seen.endswith(b": "):
        chunk = os.read(process.stderr.fileno(), 1024)
        assert chunk, seen.decode(errors="replace")
        seen += chunk
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert out == b""
    assert b"Traceback" not in seen + err


def test_the_total_says_the_known_amount_beside_the_unknown_one(tmp_path):
    """2023年度: a 医药 store ¥200,000 short of its deposit whose category has no fee tier:
    the total says the ¥200,000 (as check's deposit_shortfall does) and that the fee is
    unknown, not only that something is unknown."""
    import csv
    import json

    from conftest import EXPORT_HEADER, renewed_row

    row = renewed_row("med")
    row[EXPORT_HEADER.index("主营类目")] = "医药"
    row[EXPORT_HEADER.index("保证金余额")] = "100000"  # 医药 owes ¥300,000
    for column in ("续签报名时间", "协议签署时间"):
        row[EXPORT_HEADER.index(column)] = ""
    # ¥45,000 paid: enough for the ¥30,000 tier, not the ¥60,000 one, so the tier decides
    row[EXPORT_HEADER.index("年费已缴")] = "45000"
    row[EXPORT_HEADER.index("年费缴纳时间")] = "2022-11-25 10:00"
    path = tmp_path / "med.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, row])
    args = ("self-check", path, "--rules", "tmall-2023")
    mid = renewal(*args, "--as-of", "2022-12-01 10:00").stdout
    assert "还需缴纳：保证金 ¥200,000，另有年费金额无法确定，见上面各步骤" in mid, mid
    after = renewal(*args, "--as-of", "2022-12-27 10:00", "--lang", "en").stdout
    assert "Unpaid at the deadline: deposit ¥200,000, and the annual fee amount is unknown" in after
    report = renewal("check", path, "--rules", "tmall-2023", "--as-of", "2022-12-01 10:00", "-f", "json")
    merchant = json.loads(report.stdout)["merchants"][0]
    assert merchant["deposit_shortfall"] == 200000 and merchant["annual_fee_due"] is None
