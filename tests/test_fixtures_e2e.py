"""The bundled fixtures through the real loader and engine: exact verdicts per merchant.

Merchant ids in the fixture say what they expect as of 2021-12-27 00:00 (see
fixtures/README.md); these tests hold the engine to exactly that, in all three encodings.
"""

from __future__ import annotations

import json

import pytest
from conftest import AFTER_DEADLINE, CSV, CSV_GB, MID_WINDOW, XLSX, renewal, run_file

from renewal.model import Status

FILES = [XLSX, CSV, CSV_GB]

# (merchant id, rule) pairs that do not pass, for the failed merchants: what each case breaks.
FAILED_RULES = {
    ("failed-signup-one-second-late", "DL01"),
    ("failed-no-signup", "DL01"),
    ("failed-no-agreement", "DL02"),
    ("failed-deposit-short", "DP01"),
    ("failed-deposit-derived-zhuanying-tm-short", "DP01"),
    ("failed-fee-partial", "AF01"),
    ("failed-fee-paid-before-window", "AF01"),
    # the transfer cases all miss the agreement; the ineligible ones also fail TB01
    *{
        (merchant, "DL02")
        for merchant in (
            "failed-transfer-11-serious",
            "failed-no-transfer-12-serious",
            "failed-transfer-47-general",
            "failed-no-transfer-48-general",
            "failed-no-transfer-appeal-pending",
            "failed-no-transfer-appeal-flag-y",
            "failed-transfer-appeal-succeeded",
            "failed-transfer-violation-day-366",
            "failed-no-transfer-violation-day-365",
        )
    },
    ("failed-no-transfer-12-serious", "TB01"),
    ("failed-no-transfer-48-general", "TB01"),
    ("failed-no-transfer-appeal-pending", "TB01"),
    ("failed-no-transfer-appeal-flag-y", "TB01"),
    ("failed-no-transfer-violation-day-365", "TB01"),
}

ERROR_RULES = {
    ("error-unknown-store-type", "DP01"),
    ("error-deposit-topup-late", "DP01"),
    ("error-unknown-category", "AF01"),
    ("error-no-contract-date", "LD02"),
    ("error-contract-date-unreadable", "LD02"),
    ("error-dup", "LD03"),
    (None, "LD01"),
}


def expected_outcome(merchant_id: str | None) -> str:
    if merchant_id is None:
        return "error"
    if merchant_id == "1234567890123":  # the numeric id case, a renewed merchant
        return "renewed"
    return merchant_id.split("-", 1)[0]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_row_once_with_the_outcome_its_id_names(path):
    run = run_file(path, AFTER_DEADLINE)
    rows = [r["row"] for r in run.results]
    assert rows == sorted(set(rows)), "each input row exactly once, in input order"
    assert len(rows) == 43
    assert [(r["merchant_id"], r["outcome"]) for r in run.results] == [
        (r["merchant_id"], expected_outcome(r["merchant_id"])) for r in run.results
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_exact_failing_and_error_rules(path):
    run = run_file(path, AFTER_DEADLINE)
    not_passing = {
        (r["merchant_id"], f["rule"])
        for r in run.results
        if r["outcome"] in ("failed", "error")
        for f in r["findings"]
        if f["status"] in (Status.FAIL, Status.ERROR)
    }
    assert not_passing == FAILED_RULES | ERROR_RULES


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_transfer_eligibility_exactly_as_named(path):
    run = run_file(path, AFTER_DEADLINE)
    verdicts = {
        r["merchant_id"]: r["transfer_eligible"] for r in run.results if r["outcome"] == "failed"
    }
    assert verdicts == {merchant: "no-transfer" not in merchant for merchant in verdicts}
    others = {r["transfer_eligible"] for r in run.results if r["outcome"] != "failed"}
    assert others == {None}


def test_qualification_warnings_only_where_expected():
    run = run_file(XLSX, AFTER_DEADLINE)
    warned = {
        (r["merchant_id"], f["rule"])
        for r in run.results
        for f in r["findings"]
        if f["status"] == Status.WARN
    }
    assert warned == {("renewed-warn-qualification-expires-2022", "QL01")}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_mid_window_failures_are_pending(path):
    """Inside the window nothing has failed yet; steps dated after the as-of are not done."""
    run = run_file(path, MID_WINDOW)
    outcomes = {r["merchant_id"]: r["outcome"] for r in run.results}
    for merchant_id, outcome in outcomes.items():
        named = expected_outcome(merchant_id)
        if merchant_id == "renewed-at-deadline-exactly":
            assert outcome == "pending"  # its steps are dated 2021-12-26 18:00, after the as-of
        elif merchant_id == "error-deposit-topup-late":
            assert outcome == "pending"  # its top-up is dated 2021-12-26 20:15, after the as-of
        elif named == "failed":
            assert outcome == "pending", merchant_id
        else:
            assert outcome == named, merchant_id
    pending = [r for r in run.results if r["outcome"] == "pending"]
    assert all(r["time_left_seconds"] == (25 * 86400 + 6 * 3600) for r in pending)


def test_amounts_owed():
    run = run_file(XLSX, AFTER_DEADLINE)
    owed = {r["merchant_id"]: (r["deposit_shortfall"], r["annual_fee_due"]) for r in run.results}
    assert owed["failed-deposit-short"] == (20000.0, 0.0)
    assert owed["failed-deposit-derived-zhuanying-tm-short"] == (50000.0, 0.0)
    assert owed["failed-fee-partial"] == (0.0, 30000.0)
    assert owed["failed-fee-paid-before-window"] == (0.0, 60000.0)
    assert owed["renewed-all-steps"] == (0.0, 0.0)
    assert owed["exempt-signed-after-cutoff"] == (0.0, 0.0)
    assert owed["error-unknown-store-type"] == (None, 0.0)
    assert run.summary["deposit_shortfall_total"] == 70000.0
    assert run.summary["annual_fee_due_total"] == 90000.0


def test_summary_counts_match_the_rows():
    run = run_file(XLSX, AFTER_DEADLINE)
    outcomes = run.summary["outcomes"]
    assert isinstance(outcomes, dict)
    for outcome, count in outcomes.items():
        assert count == sum(1 for r in run.results if r["outcome"] == outcome)
    assert run.summary["merchants"] == run.summary["rows_read"] == 43
    assert run.summary["duplicate_ids"] == 1


def test_english_messages():
    run = run_file(XLSX, AFTER_DEADLINE, lang="en")
    result = next(r for r in run.results if r["merchant_id"] == "failed-no-signup")
    signup = next(f for f in result["findings"] if f["rule"] == "DL01")
    assert signup["message"] == "Renewal sign-up not done by the deadline 2021-12-26 18:00"
    assert result["next_action"] is not None and "Taobao enterprise store" in result["next_action"]


def test_the_totals_say_how_many_amounts_are_unknown_and_leave_out_a_fee_no_year_has():
    """The table's totals count only known amounts, so they say how many merchants' amount
    is unknown beside each; a year without an annual fee (2025年度) names no fee total."""
    import json

    from conftest import renewal

    mid = ("--as-of", "2021-12-20 12:00", "-q", "--fail-on", "never")
    report = json.loads(renewal("check", XLSX, *mid, "-f", "json").stdout)
    unknown_deposit = sum(m["deposit_shortfall"] is None for m in report["merchants"])
    unknown_fee = sum(m["annual_fee_due"] is None for m in report["merchants"])
    assert unknown_deposit and unknown_fee  # the fixture has error rows
    assert report["summary"]["deposit_shortfall_unknown"] == unknown_deposit
    assert report["summary"]["annual_fee_due_unknown"] == unknown_fee
    known = sum(m["deposit_shortfall"] or 0 for m in report["merchants"])
    assert report["summary"]["deposit_shortfall_total"] == known
    table = renewal("check", XLSX, *mid, "--limit", "1").stdout.replace("\n", "")
    assert f"（另有 {unknown_deposit} 家金额未知）" in table
    assert f"年费 ¥{report['summary']['annual_fee_due_total']:,.0f}（另有 {unknown_fee} 家" in table
    later = ("--rules", "tmall-2025", "--as-of", "2024-12-20 12:00", "-q", "--fail-on", "never")
    table_2025 = renewal("check", XLSX, *later, "--limit", "1").stdout
    assert "尚欠保证金" in table_2025 and "年费" not in table_2025


def test_the_totals_line_agrees_with_its_counts_and_groups_thousands(tmp_path):
    """One merchant's amount unknown is said in the singular, and the table's counts of
    1,000 or more (the outcomes, those that may move to Taobao) are grouped as the line at
    its end groups them."""
    import csv

    from conftest import EXPORT_HEADER, renewed_row

    store, category = EXPORT_HEADER.index("店铺类型"), EXPORT_HEADER.index("主营类目")
    signup = EXPORT_HEADER.index("续签报名时间")
    unknown = renewed_row("unknown")
    unknown[store], unknown[category] = "怪店", "宠物"  # in neither the deposit nor fee table
    unknown[EXPORT_HEADER.index("年费已缴")] = "45000"  # one tier's fee, not the other's
    pending = renewed_row("p")
    pending[signup] = ""
    path = tmp_path / "e.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        rows = [unknown, *([f"p{n}", *pending[1:]] for n in range(1000))]
        csv.writer(stream).writerows([EXPORT_HEADER, *rows])
    mid = ("--as-of", "2021-12-20 12:00", "-q", "--fail-on", "never", "--limit", "1")
    table = renewal("check", path, *mid, "--lang", "en").stdout
    line = " ".join(table.split())
    assert "deposit ¥0 (and 1 merchant's amount unknown)" in line
    assert "annual fee ¥0 (and 1 merchant's amount unknown)" in line
    assert "; 1,000 may move to a Taobao enterprise store" in line
    assert "│ pending │ 1,000 │" in line and "│ Total │ 1,001 │" in line
    chinese = " ".join(renewal("check", path, *mid).stdout.split())
    assert "（另有 1 家金额未知）" in chinese and "可转淘宝企业店 1,000 家" in chinese


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_html_and_xlsx_totals_name_no_fee_in_a_year_without_one(tmp_path, lang):
    """The HTML money card and the workbook's 汇总 sheet total the fee only in a year that
    has one, as the table does: 2025年度 abolished it, and a fee of ¥0 beside the deposit
    would read as nothing left to pay rather than nothing to pay at all."""
    import openpyxl
    from conftest import renewal

    from renewal.render import htmlpage, xlsx

    fee_label = htmlpage._TEXT[lang]["fee_total"]
    fee_line = xlsx._TEXT[lang]["fee_total"]
    years = {
        "tmall-2022": ("2021-12-20 12:00", True),
        "tmall-2025": ("2024-12-20 12:00", False),
    }
    for rules, (as_of, has_fee) in years.items():
        html, workbook = tmp_path / f"{rules}.html", tmp_path / f"{rules}.xlsx"
        for out in (html, workbook):
            args = ("--rules", rules, "--as-of", as_of, "--lang", lang, "--fail-on", "never")
            renewal("check", XLSX, *args, "-q", "-o", str(out))
        money = html.read_text(encoding="utf-8").split('id="money-chart"')[1].split("</svg>")[0]
        assert (fee_label in money) is has_fee, rules
        book = openpyxl.load_workbook(workbook, read_only=True)
        labels = [row[0] for row in book[xlsx._TEXT[lang]["summary"]].iter_rows(values_only=True)]
        assert xlsx._TEXT[lang]["deposit_total"] in labels
        assert (fee_line in labels) is has_fee, rules


@pytest.mark.parametrize(
    ("as_of", "lang", "said"),
    [
        ("2021-12-27 00:00", "zh", "续签已截止：合同于 2022-01-01 00:00 终止、店铺进入监管"),
        ("2022-01-02 00:00", "zh", "续签已截止：合同已于 2022-01-01 00:00 终止、店铺已进入监管"),
        (
            "2021-12-27 00:00",
            "en",
            "Renewal closed: the contract ends at 2022-01-01 00:00 and the store goes under",
        ),
        (
            "2022-01-01 00:00",
            "en",
            "Renewal closed: the contract ended at 2022-01-01 00:00 and the store is under",
        ),
    ],
)
def test_a_failed_merchants_next_action_says_whether_the_contract_has_ended(
    as_of: str, lang: str, said: str
) -> None:
    """After the deadline the contract ends at 2021-12-31 24时; from that moment on the
    next action says it ended (合同已于…终止), not that it ends."""
    ran = renewal(
        "check", XLSX, "--rules", "tmall-2022", "--as-of", as_of, "--lang", lang, "-f", "json"
    )
    failed = [m for m in json.loads(ran.stdout)["merchants"] if m["outcome"] == "failed"]
    assert failed and all(m["next_action"].startswith(said) for m in failed), failed[0]
