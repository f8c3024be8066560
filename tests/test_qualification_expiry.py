"""A qualification's 到期日期 read as the moment it lapses, through the real loader and CLI.

A date alone is valid through the whole of that day; a time is the moment it lapses (Beijing
time), and 24时 is 00:00 of the next day, so `2018-12-25`, `2018-12-25 24:00` and
`2018年12月25日24时` are one lapse and must give one verdict and one message (QR01 in 2019,
QL01 in 2022). A reviewed store with no document in the 资质 sheet is not passed (QR01).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row, run_file

from renewal.intake import dates
from renewal.model import Qualification, source_ref
from renewal.timeutil import BEIJING, NEVER

# --- reading ------------------------------------------------------------------------------

LAPSE = datetime(2018, 12, 26, 0, 0, tzinfo=BEIJING)


@pytest.mark.parametrize(
    "cell",
    [
        "2018-12-25",
        "2018/12/25",
        "2018年12月25日",
        date(2018, 12, 25),
        43459.0,  # the Excel serial of 2018-12-25
        "2018-12-25 24:00",
        "2018年12月25日24时",
        "2018-12-26 00:00",
        "2018-12-25T16:00:00Z",
    ],
)
def test_every_spelling_of_one_lapse_reads_as_that_lapse(cell):
    document = Qualification(
        "营业执照", None, dates.parse_document_expiry(cell), source_ref("资质", 2)
    )
    assert document.lapses_at == LAPSE
    assert document.valid_through == date(2018, 12, 25)


@pytest.mark.parametrize(
    ("cell", "lapse"),
    [
        ("2018-12-26 10:00", datetime(2018, 12, 26, 10, 0, tzinfo=BEIJING)),
        (datetime(2018, 12, 26, 10, 0), datetime(2018, 12, 26, 10, 0, tzinfo=BEIJING)),
        (43460.75, datetime(2018, 12, 26, 18, 0, tzinfo=BEIJING)),
        ("2018-12-26 下午6:00", datetime(2018, 12, 26, 18, 0, tzinfo=BEIJING)),
    ],
)
def test_a_time_is_the_moment_it_lapses(cell, lapse):
    document = Qualification(
        "营业执照", None, dates.parse_document_expiry(cell), source_ref("资质", 2)
    )
    assert document.lapses_at == lapse
    assert document.valid_through == lapse


@pytest.mark.parametrize("cell", ["长期", "长期有效", "永久", "９９９９-１２-３１"])
def test_no_expiry_never_lapses(cell):
    document = Qualification(
        "营业执照", None, dates.parse_document_expiry(cell), source_ref("资质", 2)
    )
    assert document.lapses_at == NEVER


# --- 2019: the qualification review (QR01) -------------------------------------------------

HEADER_2019 = [
    *EXPORT_HEADER[:8],
    "年费应缴",
    *EXPORT_HEADER[8:],
    "服务开通时间",
    "考核不达标",
]

SAME_LAPSE_2019 = {
    "date-text": "2018-12-25",
    "date-cell": datetime(2018, 12, 25),
    "24h": "2018-12-25 24:00",
    "24h-cn": "2018年12月25日24时",
}
"""Each lapses at 2018-12-26 00:00, before the deadline 2018-12-26 18:00."""

DOCUMENTS_2019: dict[str, object] = {
    **SAME_LAPSE_2019,
    "timed-before-deadline": "2018-12-26 17:59",
    "timed-after-deadline": "2018-12-26 18:01",
    "valid": "2019-06-30",
    "no-expiry": "长期",
    "unreadable": "下个月",
}


def service_store(merchant_id: str) -> list[object]:
    """A 服务大类 旗舰店 that did every 2019 step inside the window."""
    done = "2018-11-01 10:00"
    return [merchant_id, "旗舰店", "R", "服务大类", "2016-01-01 10:00", done, done, 10000] + [
        30000,
        30000,
        done,
        "否",
        0,
        0,
        "2018-03-01 09:00",
        "否",
    ]


def workbook(
    path: Path, header: list[str], merchants: list[list[object]], documents: list[list[object]]
) -> Path:
    """An export with a 商家 sheet under `header` and a 资质 sheet of `documents`
    (商家ID, 资质类型, 证书编号, 到期日期)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    for row in [header, *merchants]:
        sheet.append(row)
    sheet = book.create_sheet("资质")
    for row in [["商家ID", "资质类型", "证书编号", "到期日期"], *documents]:
        sheet.append(row)
    book.save(path)
    return path


def export_2019(path: Path) -> Path:
    merchants = [service_store(merchant_id) for merchant_id in DOCUMENTS_2019]
    merchants.append(service_store("no-documents"))  # on the 商家 sheet, not in 资质
    documents = [[m, "营业执照", "N1", expires] for m, expires in DOCUMENTS_2019.items()]
    return workbook(path, HEADER_2019, merchants, documents)


def check_json(path: Path, *args: str) -> dict[str, dict[str, object]]:
    run = renewal("check", path, "--format", "json", "--fail-on", "never", *args)
    assert run.returncode == 0, run.stderr
    return {m["merchant_id"]: m for m in json.loads(run.stdout)["merchants"]}


def rule(merchant: dict[str, object], code: str) -> dict[str, object]:
    findings = merchant["findings"]
    assert isinstance(findings, list)
    return next(f for f in findings if f["rule"] == code)


@pytest.fixture(scope="module")
def review_2019(tmp_path_factory) -> Path:
    return export_2019(tmp_path_factory.mktemp("qr01") / "qr2019.xlsx")


def test_the_review_after_the_deadline_by_moment(review_2019):
    merchants = check_json(review_2019, "--rules", "2019", "--as-of", "2018-12-27 00:00")
    verdicts = {
        merchant_id: (m["outcome"], rule(m, "QR01")["status"])
        for merchant_id, m in merchants.items()
    }
    assert verdicts == {
        "date-text": ("failed", "fail"),
        "date-cell": ("failed", "fail"),
        "24h": ("failed", "fail"),
        "24h-cn": ("failed", "fail"),
        "timed-before-deadline": ("failed", "fail"),
        "timed-after-deadline": ("renewed", "pass"),
        "valid": ("renewed", "pass"),
        "no-expiry": ("renewed", "pass"),
        "unreadable": ("error", "error"),
        "no-documents": ("error", "error"),
    }
    said = {rule(merchants[m], "QR01")["message"] for m in SAME_LAPSE_2019}
    assert said == {"类目「服务大类」须资质审核，资质「营业执照」已于 2018-12-25 过期"}
    assert {rule(merchants[m], "QR01")["actual"] for m in SAME_LAPSE_2019} == {"2018-12-25"}
    timed = rule(merchants["timed-before-deadline"], "QR01")
    assert "已于 2018-12-26 17:59 过期" in timed["message"]
    unreadable = rule(merchants["unreadable"], "QR01")
    assert "第 10 行" in unreadable["message"] and "到期日期" in unreadable["message"]


def test_the_review_mid_window_holds_documents_to_the_deadline(review_2019):
    # lapsed at the as-of, or lapsing before the deadline: the step fails either way
    for as_of in ("2018-12-26 00:00", "2018-12-25 23:59:59"):
        merchants = check_json(review_2019, "--rules", "2019", "--as-of", as_of)
        assert {
            m: (merchants[m]["outcome"], rule(merchants[m], "QR01")["status"])
            for m in SAME_LAPSE_2019
        } == dict.fromkeys(SAME_LAPSE_2019, ("pending", "fail"))


@pytest.mark.parametrize(
    ("lang", "words", "short"),
    [
        (
            "zh",
            "类目「服务大类」须资质审核，但「资质」表中没有该商家的资质记录，无法判断",
            "没有该商家的资质记录",
        ),
        (
            "en",
            "the qualifications sheet (资质) has no documents for this merchant",
            "no documents for this",
        ),
    ],
)
def test_a_reviewed_store_without_documents_is_not_passed_in_any_view(
    review_2019, tmp_path, lang, words, short
):
    args = ("--rules", "2019", "--as-of", "2018-12-27 00:00", "--lang", lang, "--fail-on", "never")
    merchant = check_json(review_2019, *args)["no-documents"]
    assert merchant["outcome"] == "error"
    assert words in rule(merchant, "QR01")["message"]
    table = renewal("check", review_2019, *args)  # a table cell wraps a long message
    assert any("no-documents" in line and short in line for line in table.stdout.splitlines())
    report = tmp_path / "report.xlsx"
    assert renewal("check", review_2019, *args, "-o", report).returncode == 0
    sheet = openpyxl.load_workbook(report).worksheets[0]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "no-documents")
    assert any(isinstance(cell, str) and words in cell for cell in row)
    checklist = renewal("self-check", review_2019, "--merchant", "no-documents", *args[:-2])
    assert checklist.returncode == 0, checklist.stderr
    assert words in checklist.stdout.replace("\n", "")


# --- 2022: qualifications through the new contract year (QL01) -----------------------------

BEFORE_THE_LAST_DAY = ("2022-12-30", "2022-12-30 24:00", "2022年12月30日24时", "2022-12-31 00:00")
THROUGH_THE_LAST_DAY = ("2022-12-31", "2022-12-31 24:00", "2022年12月31日24时", "2023-01-01 00:00")


def test_ql01_gives_one_verdict_and_one_message_per_lapse(tmp_path):
    cells = [*BEFORE_THE_LAST_DAY, *THROUGH_THE_LAST_DAY, "2022-12-31 10:00"]
    numbered = list(enumerate(cells, start=1))
    merchants = [renewed_row(f"m{number}") for number, _ in numbered]
    documents = [[f"m{number}", "质检报告", "Q", expires] for number, expires in numbered]
    path = workbook(tmp_path / "q2022.xlsx", EXPORT_HEADER, merchants, documents)
    at = datetime(2021, 12, 27, tzinfo=BEIJING)
    results = {r["merchant_id"]: r for r in run_file(path, at).results}
    found = {cell: rule(results[f"m{n}"], "QL01") for n, cell in enumerate(cells, start=1)}
    before = {(found[c]["status"], found[c]["message"]) for c in BEFORE_THE_LAST_DAY}
    assert before == {
        ("warn", "资质「质检报告」将于 2022-12-30 到期，早于合同年度结束（2022-12-31 24时）")
    }
    through = {(found[c]["status"], found[c]["actual"]) for c in THROUGH_THE_LAST_DAY}
    assert through == {("pass", "2022-12-31")}
    timed = found["2022-12-31 10:00"]
    assert timed["status"] == "warn" and "将于 2022-12-31 10:00 到期" in timed["message"]
    # the year's last day runs to its end: 23:59 that day is written as earlier than 24时
    assert timed["message"].endswith("早于合同年度结束（2022-12-31 24时）")


def test_ql01_in_english_names_the_end_of_the_contract_years_last_day(tmp_path):
    path = workbook(
        tmp_path / "q2022.xlsx",
        EXPORT_HEADER,
        [renewed_row("m1")],
        [["m1", "质检报告", "Q", "2022-12-31 23:59"]],
    )
    at = datetime(2021, 12, 27, tzinfo=BEIJING)
    (result,) = run_file(path, at, lang="en").results
    message = rule(result, "QL01")["message"]
    assert message == (
        "Qualification '质检报告' expires on 2022-12-31 23:59, before the contract year ends"
        " at the end of 2022-12-31"
    )


def test_ql01_does_not_say_every_qualification_is_valid_beside_one_it_cannot_read(tmp_path):
    """A 资质 row whose 到期日期 cannot be read is not known to be valid: a warning naming
    it, beside the documents that are fine, and on its own (not 'no documents')."""
    path = workbook(
        tmp_path / "q2022.xlsx",
        EXPORT_HEADER,
        [renewed_row("m1"), renewed_row("m2"), renewed_row("m3")],
        [
            ["m1", "营业执照", "A", "长期"],
            ["m1", "质检报告", "Q", "待补"],
            ["m2", "质检报告", "Q", "下个月"],
            ["m3", "质检报告", "Q", "2022-06-30"],
            ["m3", "营业执照", "A", "不详"],
        ],
    )
    at = datetime(2021, 12, 27, tzinfo=BEIJING)
    results = {r["merchant_id"]: r for r in run_file(path, at).results}
    m1, m2, m3 = (rule(results[m], "QL01") for m in ("m1", "m2", "m3"))
    assert (m1["status"], m1["message"]) == (
        "warn",
        "「资质」表第 3 行的资质无法读取，其有效期未检查",
    )
    assert m1["source"]["row"] == 3
    assert (m2["status"], m2["message"]) == (
        "warn",
        "「资质」表第 4 行的资质无法读取，其有效期未检查",
    )
    assert m3["status"] == "warn" and m3["message"].endswith(
        "「资质」表第 6 行的资质无法读取，其有效期未检查"
    )
    assert "2022-06-30 到期" in m3["message"]
    assert {results[m]["outcome"] for m in ("m1", "m2", "m3")} == {"renewed"}  # advisory
    (english,) = [r for r in run_file(path, at, lang="en").results if r["merchant_id"] == "m1"]
    assert rule(english, "QL01")["message"] == (
        "Sheet 资质 row 3: a qualification that cannot be read; its expiry is not checked"
    )
