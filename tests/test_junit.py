"""`renewal check --format junit` as a user runs it, held against the JSON report of the
same run and against the common Jenkins/Surefire JUnit schema (tests/junit.xsd)."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
import xmlschema
from conftest import AFTER_DEADLINE, EXPORT_HEADER, ROOT, XLSX, digest, renewal, renewed_row

from renewal.checks import REGISTRY
from renewal.pipeline import check_file
from renewal.render import Format
from renewal.render.jsonout import JsonRenderer
from renewal.render.junit import JUnitRenderer
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


def junit_and_json(export: Path, tmp_path: Path) -> tuple[ET.Element, dict[str, object]]:
    xml_path, json_path = tmp_path / "report.xml", tmp_path / "report.json"
    ran = renewal("check", export, *AFTER, "--fail-on", "never", "-o", xml_path)
    assert ran.returncode == 0, ran.stderr
    ran = renewal("check", export, *AFTER, "--fail-on", "never", "-f", "json", "-o", json_path)
    assert ran.returncode == 0, ran.stderr
    xmlschema.XMLSchema(SCHEMA).validate(xml_path)
    return ET.parse(xml_path).getroot(), json.loads(json_path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def fixture_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[ET.Element, dict[str, object]]:
    return junit_and_json(XLSX, tmp_path_factory.mktemp("junit"))


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
    expected = Counter(
        (m["merchant_id"] or f"row-{m['row']}", f["rule"], f["status"], family(f["rule"]))
        for m in document["merchants"]
        for f in m["findings"]
    )
    got = Counter(
        (case.get("classname"), case.get("name")[1:5], status_of(case), suite.get("name"))
        for suite in root.iter("testsuite")
        for case in suite.iter("testcase")
    )
    assert got == expected
    unique = [key for key in got if key[0] != "error-dup"]
    assert all(got[key] == 1 for key in unique)
    assert ("row-44", "LD01", "error", "load") in got  # a blank id is named by its row
    case = next(c for c in root.iter("testcase") if c.get("name").startswith("[DP01]"))
    assert case.get("name") == f"[DP01] {REGISTRY['DP01'].title.rstrip('.')}"


def test_duplicate_rows_are_ld03_errors(fixture_run):
    root, _ = fixture_run
    cases = [case for case in root.iter("testcase") if case.get("classname") == "error-dup"]
    assert [case.get("name")[:6] for case in cases] == ["[LD03]", "[LD03]"]
    assert [status_of(case) for case in cases] == ["error", "error"]
    texts = [case.find("error").text for case in cases]
    assert "row 42" in texts[0] and "row 43" in texts[1]
    # each keeps the shop name its own row had
    assert "error-dup 知否旗舰店 (sheet 商家, row 42)" in texts[0]
    assert "error-dup 锦瑟永盛专卖店 (sheet 商家, row 43)" in texts[1]
    load = next(s for s in root.iter("testsuite") if s.get("name") == "load")
    assert cases[0] in list(load) and cases[1] in list(load)


def test_failure_text_holds_the_evidence(fixture_run):
    root, document = fixture_run
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
    assert f"expected: {found['expected']}" in failure.text
    assert f"actual: {found['actual']}" in failure.text
    assert f"row {found['source']['row']}, column {found['source']['column']}" in failure.text
    assert f"remedy: {found['remedy']}" in failure.text


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
        "as_of": "2021-12-27T00:00:00+08:00",
        "input.file": "merchants-2022.xlsx",
        "input.sha256": digest(XLSX),
        "tool.version": document["tool"]["version"],
    }
    for suite in root.iter("testsuite"):
        props = {p.get("name"): p.get("value") for p in suite.find("properties")}
        assert props == want


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
    assert f"merchant: {merchant_id} {shop} (sheet e.csv, row 2)" in failure.text
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
