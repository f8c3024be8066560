"""The 2019 qualification review (QR01) holds the documents to the deadline, at any as-of.

A store in a reviewed category (服务大类, 电子票务凭证) passes only when every document in the
资质 sheet is valid through the deadline (2018-12-26 18:00): a document that lapses before
it fails the step before it has lapsed too, so the same data gives one verdict over time
(pending, then failed; never renewed, then pending). Beside it, QL01's advice does not
tell a reviewed store that renewal does not review its documents.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import EXPORT_HEADER, run_file
from test_rule_cases import columns_without, merchant_with

from renewal.checks import REGISTRY, reviewed_categories
from renewal.checks.context import Context
from renewal.ruleset import load
from renewal.timeutil import BEIJING

HEADER = [*EXPORT_HEADER[:8], "年费应缴", *EXPORT_HEADER[8:], "服务开通时间", "考核不达标"]
"""A 2019 export's merchant sheet: the fee owed and the operating assessment's columns."""

BEFORE_THE_LAPSE = datetime(2018, 11, 1, 12, 0, tzinfo=BEIJING)
BETWEEN_LAPSE_AND_DEADLINE = datetime(2018, 12, 2, 0, 0, tzinfo=BEIJING)
AFTER_THE_DEADLINE = datetime(2018, 12, 26, 18, 0, 1, tzinfo=BEIJING)
AS_OFS = (BEFORE_THE_LAPSE, BETWEEN_LAPSE_AND_DEADLINE, AFTER_THE_DEADLINE)


def store(merchant_id: str, category: str = "服务大类") -> list[object]:
    """A 旗舰店 R that did every 2019 step on 2018-10-19, inside the window, and paid the
    deposit and fee its category owes."""
    deposit, fee = (10000, 30000) if category == "服务大类" else (150000, 60000)
    done = "2018-10-19 10:00"
    return [merchant_id, "旗舰店", "R", category, "2017-10-18 14:00", done, done, deposit] + [
        fee,
        fee,
        done,
        "否",
        0,
        0,
        "2017-08-01 09:00",
        "否",
    ]


DOCUMENTS: dict[str, tuple[str, object]] = {
    # merchant id: (主营类目, 营业执照's 到期日期)
    "lapses-2018-12-01": ("服务大类", "2018-12-01"),
    "ticketing-lapses-2018-12-01": ("电子票务凭证", "2018-12-01"),
    "lapses-the-day-before-the-deadline": ("服务大类", "2018-12-25"),
    "valid-through-the-deadline-day": ("服务大类", "2018-12-26"),
    "lapses-at-the-deadline": ("服务大类", "2018-12-26 18:00"),
    "lapses-a-minute-after-the-deadline": ("服务大类", "2018-12-26 18:01"),
    "lapses-after-the-deadline": ("服务大类", "2019-01-15"),
    "lapses-in-the-contract-year": ("服务大类", "2019-06-30"),
    "no-expiry": ("服务大类", "长期"),
    "not-reviewed-lapses-in-the-contract-year": ("男装", "2019-06-30"),
}


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "商家"
    sheet.append(HEADER)
    for merchant_id, (category, _) in DOCUMENTS.items():
        sheet.append(store(merchant_id, category))
    documents = book.create_sheet("资质")
    documents.append(["商家ID", "资质类型", "证书编号", "到期日期"])
    for merchant_id, (_, expires) in DOCUMENTS.items():
        documents.append([merchant_id, "营业执照", "N1", expires])
    path: Path = tmp_path_factory.mktemp("qr01") / "qr01-2019.xlsx"
    book.save(path)
    return path


def results(path: Path, as_of: datetime, lang: str = "zh") -> dict[str, dict[str, Any]]:
    return {r["merchant_id"]: r for r in run_file(path, as_of, "tmall-2019", lang).results}


def rule(result: dict[str, Any], code: str) -> dict[str, Any]:
    return next(f for f in result["findings"] if f["rule"] == code)


def verdicts(path: Path, as_of: datetime) -> dict[str, tuple[str, str]]:
    return {m: (r["outcome"], rule(r, "QR01")["status"]) for m, r in results(path, as_of).items()}


LAPSING_BEFORE_THE_DEADLINE = (
    "lapses-2018-12-01",
    "ticketing-lapses-2018-12-01",
    "lapses-the-day-before-the-deadline",
    "lapses-at-the-deadline",
)
VALID_THROUGH_THE_DEADLINE = (
    "valid-through-the-deadline-day",
    "lapses-a-minute-after-the-deadline",
    "lapses-after-the-deadline",
    "lapses-in-the-contract-year",
    "no-expiry",
    "not-reviewed-lapses-in-the-contract-year",
)


@pytest.mark.parametrize("as_of", AS_OFS, ids=["before-lapse", "after-lapse", "after-deadline"])
def test_one_verdict_over_time_for_the_same_data(export: Path, as_of: datetime) -> None:
    """Before the deadline a document lapsing before it leaves the step undone (pending),
    whether it has lapsed yet or not; after the deadline it has failed. A document valid
    through the deadline passes at every as-of."""
    unfinished = "failed" if as_of > datetime(2018, 12, 26, 18, tzinfo=BEIJING) else "pending"
    expected = {
        **dict.fromkeys(LAPSING_BEFORE_THE_DEADLINE, (unfinished, "fail")),
        **dict.fromkeys(VALID_THROUGH_THE_DEADLINE, ("renewed", "pass")),
    }
    assert verdicts(export, as_of) == expected


def test_before_the_lapse_names_the_document_its_lapse_and_the_deadline(export: Path) -> None:
    merchant = results(export, BEFORE_THE_LAPSE)["lapses-2018-12-01"]
    review = rule(merchant, "QR01")
    assert review["message"] == (
        "类目「服务大类」须资质审核，资质「营业执照」将于 2018-12-01 到期，"
        "早于截止时间 2018-12-26 18:00"
    )
    assert (review["expected"], review["actual"]) == ("2018-12-26T18:00:00+08:00", "2018-12-01")
    assert review["source"] == {"sheet": "资质", "row": 2, "column": "到期日期"}
    assert merchant["next_action"] == (
        "在「商家中心-资质管理」更新截止前失效的资质并通过审核，截止 2018-12-26 18:00"
    )
    english = results(export, BEFORE_THE_LAPSE, "en")["lapses-2018-12-01"]
    assert rule(english, "QR01")["message"] == (
        "Category '服务大类' has a qualification review and '营业执照' expires on 2018-12-01,"
        " before the deadline 2018-12-26 18:00"
    )
    assert english["next_action"] == (
        "Renew the qualifications that lapse before the deadline in 商家中心-资质管理"
        " (Merchant Center, qualifications) and pass the review, by 2018-12-26 18:00"
    )


def test_between_the_lapse_and_the_deadline_says_it_expired(export: Path) -> None:
    merchant = results(export, BETWEEN_LAPSE_AND_DEADLINE)["lapses-2018-12-01"]
    assert rule(merchant, "QR01")["message"] == (
        "类目「服务大类」须资质审核，资质「营业执照」已于 2018-12-01 过期"
    )
    assert merchant["next_action"].endswith("截止 2018-12-26 18:00")


def test_a_pass_says_valid_through_the_deadline(export: Path) -> None:
    merchant = results(export, BEFORE_THE_LAPSE)["lapses-after-the-deadline"]
    review = rule(merchant, "QR01")
    assert review["message"] == "资质审核类目：全部资质有效至截止时间 2018-12-26 18:00"
    assert review["expected"] == "2018-12-26T18:00:00+08:00"


# --- QL01 beside the review --------------------------------------------------------------

REVIEWED_ZH = "资质审核要求全部资质有效至截止时间 2018-12-26 18:00"
REVIEWED_EN = "the qualification review requires every document valid through the deadline"
NOT_REVIEWED_ZH = "续签不审查资质"
NOT_REVIEWED_EN = "renewal does not review it"


@pytest.mark.parametrize("as_of", AS_OFS, ids=["before-lapse", "after-lapse", "after-deadline"])
def test_ql01_does_not_tell_a_reviewed_store_that_renewal_does_not_review_it(
    export: Path, as_of: datetime
) -> None:
    for lang, reviewed, not_reviewed in (
        ("zh", REVIEWED_ZH, NOT_REVIEWED_ZH),
        ("en", REVIEWED_EN, NOT_REVIEWED_EN),
    ):
        found = results(export, as_of, lang)
        for merchant_id in ("lapses-2018-12-01", "ticketing-lapses-2018-12-01"):
            advice = rule(found[merchant_id], "QL01")
            assert advice["status"] == "warn"
            assert reviewed in advice["remedy"] and not_reviewed not in advice["remedy"]


def test_ql01_advice_is_the_next_action_of_a_renewed_store(export: Path) -> None:
    """A reviewed store whose document lapses after the deadline but inside the contract
    year: QR01 passes, and QL01's advice is all there is to do; a store outside the review
    is still told renewal does not review it."""
    found = results(export, BEFORE_THE_LAPSE)
    reviewed = found["lapses-in-the-contract-year"]
    assert reviewed["next_action"] == (
        "在「商家中心-资质管理」更新资质（资质审核要求全部资质有效至截止时间 2018-12-26 18:00，"
        "此后失效也会影响经营）"
    )
    other = found["not-reviewed-lapses-in-the-contract-year"]
    assert rule(other, "QR01")["message"] == "不属于须资质审核的类目"
    assert other["next_action"] == (
        "在「商家中心-资质管理」更新资质（续签不审查资质，但失效会影响经营）"
    )
    english = results(export, BEFORE_THE_LAPSE, "en")
    assert english["lapses-in-the-contract-year"]["next_action"] == (
        "Update the qualification in 商家中心-资质管理 (Merchant Center, qualifications);"
        " the qualification review requires every document valid through the deadline"
        " 2018-12-26 18:00, and one that lapses later still affects trading"
    )
    assert NOT_REVIEWED_EN in english["not-reviewed-lapses-in-the-contract-year"]["next_action"]


def test_only_a_year_with_the_review_names_its_categories() -> None:
    assert reviewed_categories(load("tmall-2019")) == ("服务大类", "电子票务凭证")
    assert reviewed_categories(load("tmall-2022")) == ()


def test_ql01_for_an_unreadable_category_in_a_review_year_makes_neither_claim() -> None:
    """An unreadable 主营类目 may or may not be a reviewed one: the advice neither says the
    review holds the document nor that renewal does not review it."""
    rules = load("tmall-2019")
    ctx = Context.create(
        as_of=BEFORE_THE_LAPSE,
        cycle=rules.cycle,
        lang="zh",
        columns=columns_without(),
        has_qualifications_sheet=True,
        reviewed_categories=reviewed_categories(rules),
    )
    merchant = merchant_with(
        category=None,
        unreadable={"category": ("#N/A", "a formula error (#N/A) in the spreadsheet")},
        qualifications=[{"kind": "营业执照", "expires": date(2019, 6, 30)}],
    )
    params = rules.params("QL01")
    assert params is not None
    advice = REGISTRY["QL01"].check(merchant, params, ctx)
    assert advice["status"] == "warn"
    assert advice["remedy"] == "在「商家中心-资质管理」更新资质（失效会影响经营）"
