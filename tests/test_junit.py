"""`renewal check --format junit` as a user runs it, held against the JSON report of the
same run and against the common Jenkins/Surefire JUnit schema (tests/junit.xsd)."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from conftest import AFTER_DEADLINE, EXPORT_HEADER, ROOT, XLSX, digest, renewal, renewed_row
from hypothesis import given
from hypothesis import strategies as st

from renewal.checks import REGISTRY
from renewal.pipeline import check_file
from renewal.render import Format
from renewal.render.jsonout import JsonRenderer
from renewal.render.junit import JUnitRenderer, classname
from renewal.ruleset import load

AFTER = ["--rules", "tmall-2022", "--as-of", "2021-12-27 00:00"]
SCHEMA = ROOT / "tests" / "junit.xsd"
OUTCOME_OF_TAG = {"failure": "fail", "error": "error", "skipped": "skip"}


def family(code: str) -> str:
    return "load" if code.startswith("LD") else REGISTRY[code].family


def status_of(case: ET.Element) -> str:
    children = list(case)
    if not children:
        return "pass"
    (child,) = children
    if child.tag == "failure" and child.get("type") == "warning":
        return "warn"
    return OUTCOME_OF_TAG[child.tag]


def junit_and_json(
    export: Path, tmp_path: Path, *options: str | Path
) -> tuple[ET.Element, dict[str, Any]]:
    xml_path, json_path = tmp_path / "report.xml", tmp_path / "report.json"
    given_options = [*AFTER, "--fail-on", "never", *options]
    ran = renewal("check", export, *given_options, "-o", xml_path)
    assert ran.returncode == 0, ran.stderr
    ran = renewal("check", export, *given_options, "-f", "json", "-o", json_path)
    assert ran.returncode == 0, ran.stderr
    xmlschema.XMLSchema(SCHEMA).validate(xml_path)
    return ET.parse(xml_path).getroot(), json.loads(json_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[ET.Element, dict[str, Any]]:
    return junit_and_json(XLSX, tmp_path_factory.mktemp("junit"))


@pytest.fixture(scope="module")
def fixture_run_en(tmp_path_factory: pytest.TempPathFactory) -> tuple[ET.Element, dict[str, Any]]:
    return junit_and_json(XLSX, tmp_path_factory.mktemp("junit-en"), "--lang", "en")


def expected_classes(merchants: list[dict[str, Any]]) -> list[str]:
    """The class each merchant's testcases should carry, as the JUnit renderer's docstring
    specifies it: the id; `row №N` for a blank id; `ID (row №N)` for each row of an id on
    more than one row."""
    times = Counter(m["merchant_id"] for m in merchants if m["merchant_id"])
    return [
        f"row №{m['row']}"
        if not m["merchant_id"]
        else f"{m['merchant_id']} (row №{m['row']})"
        if times[m["merchant_id"]] > 1
        else m["merchant_id"]
        for m in merchants
    ]


def cases_of(root: ET.Element) -> list[ET.Element]:
    return list(root.iter("testcase"))


def test_suite_counts_match_the_json_report(fixture_run):
    root, document = fixture_run
    expected: dict[str, Counter[str]] = {}
    for merchant in document["merchants"]:
        for found in merchant["findings"]:
            expected.setdefault(family(found["rule"]), Counter())[found["status"]] += 1
    got = {
        suite.get("name"): {
            key: int(suite.get(key)) for key in ("tests", "failures", "errors", "skipped")
        }
        for suite in root.iter("testsuite")
    }
    assert got == {
        name: {
            "tests": sum(c.values()),
            "failures": c["fail"] + c["warn"],
            "errors": c["error"],
            "skipped": c["skip"],
        }
        for name, c in expected.items()
    }
    for key in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(key)) == sum(suite[key] for suite in got.values())
    # each suite's counters agree with its own testcases
    for suite in root.iter("testsuite"):
        statuses = Counter(status_of(case) for case in suite.iter("testcase"))
        assert int(suite.get("tests")) == statuses.total()
        assert int(suite.get("failures")) == statuses["fail"] + statuses["warn"]
        assert int(suite.get("errors")) == statuses["error"]
        assert int(suite.get("skipped")) == statuses["skip"]


def test_every_finding_is_one_testcase(fixture_run):
    root, document = fixture_run
    merchants = document["merchants"]
    expected = Counter(
        (name, f["rule"], f["status"], family(f["rule"]))
        for m, name in zip(merchants, expected_classes(merchants), strict=True)
        for f in m["findings"]
    )
    got = Counter(
        (case.get("classname"), case.get("name")[1:5], status_of(case), suite.get("name"))
        for suite in root.iter("testsuite")
        for case in suite.iter("testcase")
    )
    assert got == expected
    assert all(count == 1 for count in got.values())
    assert ("row №44", "LD01", "error", "load") in got  # a blank id is named by its row
    # a unique id is the class as it was: nightly jobs follow the tests by these names
    assert ("failed-deposit-short", "DP01", "fail", "deposit") in got
    case = next(c for c in root.iter("testcase") if c.get("name").startswith("[DP01]"))
    assert case.get("name") == f"[DP01] {REGISTRY['DP01'].title.rstrip('.')}"


def test_duplicate_rows_are_ld03_errors(fixture_run):
    root, _ = fixture_run
    cases = [
        case for case in root.iter("testcase") if case.get("classname").startswith("error-dup")
    ]
    # one class per row, so a dashboard neither merges nor overwrites them
    assert [case.get("classname") for case in cases] == [
        "error-dup (row №42)",
        "error-dup (row №43)",
    ]
    assert [case.get("name")[:6] for case in cases] == ["[LD03]", "[LD03]"]
    assert [status_of(case) for case in cases] == ["error", "error"]
    texts = [case.find("error").text for case in cases]
    assert "第 42 行" in texts[0] and "第 43 行" in texts[1]
    # each keeps the shop name its own row had
    assert "商家：error-dup 知否旗舰店（「商家」表第 42 行）" in texts[0]
    assert "商家：error-dup 锦瑟永盛专卖店（「商家」表第 43 行）" in texts[1]
    load = next(s for s in root.iter("testsuite") if s.get("name") == "load")
    assert cases[0] in list(load) and cases[1] in list(load)


EVIDENCE_LABELS = {
    "zh": {
        "expected": "应为：{expected}",
        "actual": "实际：{actual}",
        "source": "来源：「{sheet}」表第 {row} 行「{column}」",
        "remedy": "处理：{remedy}",
        "owed": "尚欠：{owed}",
    },
    "en": {
        "expected": "expected: {expected}",
        "actual": "actual: {actual}",
        "source": "source: sheet {sheet}, row {row}, column {column}",
        "remedy": "remedy: {remedy}",
        "owed": "owed: {owed}",
    },
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_failure_text_holds_the_evidence(lang, request):
    root, document = request.getfixturevalue("fixture_run" if lang == "zh" else "fixture_run_en")
    merchant = next(m for m in document["merchants"] if m["merchant_id"] == "failed-deposit-short")
    found = next(f for f in merchant["findings"] if f["rule"] == "DP01")
    case = next(
        c
        for c in root.iter("testcase")
        if c.get("classname") == "failed-deposit-short" and c.get("name").startswith("[DP01]")
    )
    failure = case.find("failure")
    assert failure.get("type") == "fail"
    assert failure.get("message") == found["message"]
    values = {**found, **found["source"]}
    lines = failure.text.split("\n")
    for label in EVIDENCE_LABELS[lang].values():
        assert label.format(**values) in lines, label


def test_warnings_are_failures_of_type_warning(fixture_run):
    root, _ = fixture_run
    warned = [c for c in root.iter("testcase") if c.get("name").startswith("[QL01]")]
    types = {c.find("failure").get("type") for c in warned if c.find("failure") is not None}
    assert types == {"warning"}


def test_properties_say_what_was_checked(fixture_run):
    root, document = fixture_run
    want = {
        "ruleset.id": "tmall-2022",
        "ruleset.sha256": document["ruleset"]["sha256"],
        "ruleset.selected": "given",
        "as_of": "2021-12-27T00:00:00+08:00",
        "input.file": "merchants-2022.xlsx",
        "input.sha256": digest(XLSX),
        "tool.version": document["tool"]["version"],
    }
    for suite in root.iter("testsuite"):
        props = {p.get("name"): p.get("value") for p in suite.find("properties")}
        assert props == want


def test_a_nearest_rule_set_is_said_in_the_properties_and_on_stderr_even_when_quiet(tmp_path):
    """No bundled year covers 2030: the nearest is used, and a CI system reading only the
    JUnit file, or a job run with -q, is told so."""
    out = tmp_path / "r.xml"
    ran = renewal("check", XLSX, "--as-of", "2030-01-01", "--fail-on", "never", "-q", "-o", out)
    assert ran.returncode == 0, ran.stderr
    assert "没有覆盖评估时间 2030-01-01 00:00 的规则集" in ran.stderr
    assert "已写入" not in ran.stderr  # the rest of what -q hides stays hidden
    for suite in ET.parse(out).getroot().iter("testsuite"):
        props = {p.get("name"): p.get("value") for p in suite.find("properties")}
        assert props["ruleset.selected"] == "nearest"
        assert props["ruleset.note"].startswith("没有覆盖评估时间 2030-01-01 00:00 的规则集")


def test_markup_in_names_round_trips_as_text(tmp_path):
    shop = '<script>alert("x")</script> & 店'
    merchant_id = "m\"<1>&'"
    row = renewed_row(merchant_id)
    row[EXPORT_HEADER.index("续签报名时间")] = ""  # DL01 fails: a failure with a body
    export = tmp_path / "e.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([[*EXPORT_HEADER, "店铺名称"], [*row, shop]])
    root, document = junit_and_json(export, tmp_path)
    assert document["merchants"][0]["shop_name"] == shop
    cases = list(root.iter("testcase"))
    assert {case.get("classname") for case in cases} == {merchant_id}
    failure = next(c for c in cases if c.get("name").startswith("[DL01]")).find("failure")
    assert f"商家：{merchant_id} {shop}（「e.csv」表第 2 行）" in failure.text
    raw = (tmp_path / "report.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw


def test_same_bytes_whatever_renders_beside_it(tmp_path):
    """The JSON renderer fills the shop name into the shared fixes; JUnit must not care."""
    alone, beside = tmp_path / "alone.xml", tmp_path / "beside.xml"
    check_file(XLSX, load("tmall-2022"), AFTER_DEADLINE, "zh", [JUnitRenderer(alone)])
    both = [JsonRenderer(tmp_path / "r.json"), JUnitRenderer(beside)]
    check_file(XLSX, load("tmall-2022"), AFTER_DEADLINE, "zh", both)
    assert alone.read_bytes() == beside.read_bytes()


def test_stdout_is_the_same_bytes_and_xml_picks_junit(tmp_path):
    out = tmp_path / "report.xml"
    renewal("check", XLSX, *AFTER, "-o", out)
    again = renewal("check", XLSX, *AFTER, "--format", "junit")
    assert again.returncode == 1
    assert out.read_bytes() == again.stdout.encode("utf-8")
    assert out.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    assert Format.from_path(Path("x.XML")) is Format.JUNIT


# --- every testcase named once, whatever the ids --------------------------------------


def tricky_export(folder: Path) -> Path:
    """Ids that could make two testcases one: an id on two rows, a blank id, ids spelling
    out the names made up for those rows (in the old and the new spelling), and a merchant
    with two unreadable cells (two LD04 warnings) beside one with one."""
    rows = [
        renewed_row("dup"),  # row 2
        renewed_row("dup"),  # row 3
        renewed_row(""),  # row 4: blank
        renewed_row("row-4"),
        renewed_row("row №4"),
        renewed_row("dup (row №2)"),
        renewed_row("two-bad"),
        renewed_row("one-bad"),
    ]
    two_bad, one_bad = rows[-2:]
    two_bad[EXPORT_HEADER.index("保证金余额")] = "lots"
    two_bad[EXPORT_HEADER.index("年费已缴")] = "many"
    one_bad[EXPORT_HEADER.index("保证金余额")] = "lots"
    path = folder / "tricky.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([EXPORT_HEADER, *rows])
    return path


@pytest.fixture(scope="module")
def tricky_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[ET.Element, Any]]:
    folder = tmp_path_factory.mktemp("tricky")
    export = tricky_export(folder)
    runs = {}
    for lang in ("zh", "en"):
        runs[lang] = junit_and_json(export, tmp_path_factory.mktemp(lang), "--lang", lang)
    return runs


def test_no_two_testcases_share_a_class_and_a_name(tricky_runs):
    root, document = tricky_runs["zh"]
    pairs = Counter((case.get("classname"), case.get("name")) for case in cases_of(root))
    assert [pair for pair, times in pairs.items() if times > 1] == []
    # and no two merchants share a class: each class holds exactly one merchant's findings
    merchants = document["merchants"]
    classes = expected_classes(merchants)
    assert len(set(classes)) == len(merchants)
    assert Counter(case.get("classname") for case in cases_of(root)) == Counter(
        {name: len(m["findings"]) for m, name in zip(merchants, classes, strict=True)}
    )
    # the blank row and the real merchant "row-4" are two classes
    blank = next(m for m in merchants if m["merchant_id"] is None)
    assert {c.get("name")[:6] for c in cases_of(root) if c.get("classname") == "row №4"} == {
        f"[{f['rule']}]" for f in blank["findings"]
    }
    assert any(c.get("classname") == "row-4" for c in cases_of(root))


def test_an_id_cannot_spell_a_made_up_class(tricky_runs):
    """The made-up classes carry №, which intake folds to "No" (NFKC) in every id, so a
    merchant whose id is typed as one of them is read as another id."""
    root, document = tricky_runs["zh"]
    ids = {m["merchant_id"] for m in document["merchants"]}
    assert {"row No4", "dup (row No2)"} <= ids
    assert not any("№" in merchant_id for merchant_id in ids if merchant_id)
    classes = {case.get("classname") for case in cases_of(root)}
    assert {"row No4", "dup (row No2)", "row №4", "dup (row №2)", "dup (row №3)"} <= classes


def test_a_code_met_twice_is_named_by_its_cell(tricky_runs):
    root, document = tricky_runs["zh"]
    merchant = next(m for m in document["merchants"] if m["merchant_id"] == "two-bad")
    columns = [f["source"]["column"] for f in merchant["findings"] if f["rule"] == "LD04"]
    names = [
        case.get("name")
        for case in cases_of(root)
        if case.get("classname") == "two-bad" and case.get("name").startswith("[LD04]")
    ]
    title = "[LD04] A cell that cannot be read"
    row = merchant["row"]
    assert sorted(names) == sorted(
        f"{title} (sheet tricky.csv, row {row}, column {column})" for column in columns
    )
    assert len(columns) == 2
    # a code met once keeps its plain name
    once = [c.get("name") for c in cases_of(root) if c.get("classname") == "one-bad"]
    assert title in once


def test_names_are_the_same_in_every_language(tricky_runs):
    """Names and classes identify a test across runs, so --lang does not change them."""
    zh, en = (tricky_runs[lang][0] for lang in ("zh", "en"))
    assert [(c.get("classname"), c.get("name")) for c in cases_of(zh)] == [
        (c.get("classname"), c.get("name")) for c in cases_of(en)
    ]


NFKC_IDS = st.text(min_size=1, max_size=12).map(
    lambda text: unicodedata.normalize("NFKC", text).strip()
)
"""Ids as intake hands them on: folded to NFKC and trimmed (blank ones are None)."""


@given(
    unique=st.sets(NFKC_IDS.filter(bool), max_size=6),
    repeated=st.sets(NFKC_IDS.filter(bool), max_size=3),
    blank_rows=st.sets(st.integers(2, 50), max_size=4),
)
def test_made_up_classes_never_meet_a_real_id(unique, repeated, blank_rows):
    """Any ids on any rows: each row gets a class of its own."""
    repeated -= unique
    rows = iter(range(100, 1000))
    merchants = [{"merchant_id": i, "row": next(rows)} for i in unique]
    merchants += [{"merchant_id": i, "row": next(rows)} for i in repeated for _ in (1, 2)]
    merchants += [{"merchant_id": None, "row": row} for row in blank_rows]
    names = [classname(m, m["merchant_id"] in repeated) for m in merchants]
    assert len(set(names)) == len(names)
    assert [classname(m) for m in merchants if m["merchant_id"] in unique] == [
        m["merchant_id"] for m in merchants if m["merchant_id"] in unique
    ]


# --- the report's language ---------------------------------------------------------------

ENGLISH_LABEL = re.compile(r"^[A-Za-z][A-Za-z ]*: ", re.MULTILINE)
ENGLISH_WORDS = ("(none)", "(blank id)", "due soon", "due now", "waived", "approved", "(deadline ")


@pytest.fixture(scope="module")
def labelled_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ET.Element]:
    """The fixture two days before the deadline (due soon), with a waiver in force and one
    expired, in each language."""
    folder = tmp_path_factory.mktemp("labels")
    waivers = folder / "waivers.csv"
    with waivers.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(
            [
                ["商家ID", "规则", "原因", "审批人", "工单", "到期"],
                ["failed-no-signup", "DL01", "报名系统故障", "张三", "OPS-1", "2021-12-31"],
                ["failed-deposit-short", "DP01", "财务延误", "李四", "", "2021-12-20"],
            ]
        )
    runs = {}
    for lang in ("zh", "en"):
        out = folder / f"{lang}.xml"
        ran = renewal(
            "check", XLSX, "--rules", "tmall-2022", "--as-of", "2021-12-24 16:00",
            "--waivers", waivers, "--lang", lang, "--fail-on", "never", "-q", "-o", out,
        )  # fmt: skip
        assert ran.returncode == 0, ran.stderr
        runs[lang] = ET.parse(out).getroot()
    return runs


def said(root: ET.Element) -> list[tuple[str, str]]:
    """(message, text) of every failure, error and skip."""
    return [
        (child.get("message") or "", child.text or "") for case in cases_of(root) for child in case
    ]


def test_a_chinese_report_says_everything_in_chinese(labelled_runs):
    zh = said(labelled_runs["zh"])
    assert len(zh) > 20
    for message, text in zh:
        assert ENGLISH_LABEL.findall(text) == [], text
        for word in ENGLISH_WORDS:
            assert word not in message and word not in text, (word, message, text)
    texts = "\n".join(text for _, text in zh)
    messages = "\n".join(message for message, _ in zh)
    for label in ("应为：", "实际：", "来源：", "处理：", "尚欠：", "商家："):
        assert label in texts, label
    assert "（即将截止：还剩 2天2小时）" in messages
    assert "即将截止：还剩 2天2小时（截止 2021-12-26 18:00）" in texts
    assert "豁免：报名系统故障（审批人 张三，工单 OPS-1；有效至 2021-12-31）" in texts
    assert "豁免：财务延误（审批人 李四；已于 2021-12-20 到期）" in texts
    assert "商家：（商家ID为空） " in texts
    assert any(message.startswith("已豁免：") for message, _ in zh)


def test_an_english_report_says_it_in_english(labelled_runs):
    en = said(labelled_runs["en"])
    texts = "\n".join(text for _, text in en)
    messages = "\n".join(message for message, _ in en)
    for label in ("expected: ", "actual: ", "source: sheet ", "remedy: ", "owed: ", "merchant: "):
        assert label in texts, label
    assert " (due soon: 2d 2h left)" in messages
    assert "due soon: 2d 2h left (deadline 2021-12-26 18:00)" in texts
    assert "waiver: 报名系统故障 (approved by 张三, ticket OPS-1; valid through 2021-12-31)" in texts
    assert "waiver: 财务延误 (approved by 李四; expired at the end of 2021-12-20)" in texts
    assert "merchant: (blank id) " in texts
    assert any(message.startswith("waived: ") for message, _ in en)
    assert not re.search(r"[应实来处尚]\w?：", texts)
