"""Data-driven rule cases, the sqlfluff way: one `tests/cases/<CODE>.toml` per rule, and
`<CODE>-<what>.toml` for more cases of the rule under another rule set.

Each file names its rule set (`rules = "tmall-2022"`) and holds named cases under
`[cases.<name>]`:

    as_of                 when the check runs (an offset datetime, +08:00)
    merchant              field overrides on DEFAULT_MERCHANT below; `violations` and
                          `qualifications` are arrays of tables, `unreadable` maps a field to
                          [raw text, reason]
    blank                 fields left blank in the row (None; TOML has no null)
    columns_absent        fields whose column the export lacks
    violations_sheet      whether the export has a 违规记录 sheet (default false)
    qualifications_sheet  whether the export has a 资质 sheet (default false)
    lang                  "zh" (default) or "en"
    expect                { status = "...", owed = ..., message_contains = "..." }; owed,
                          message_contains and remedy_contains are optional; the last two
                          may be lists of substrings (facts such as amounts and times, not
                          whole sentences, so rewording a message does not break a case)

The registered check is called directly, so `pytest -k DP01` runs one rule's cases.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from renewal.checks import REGISTRY
from renewal.checks.context import Context
from renewal.intake.columns import HEADER_OF
from renewal.model import Merchant, Qualification, Status, Violation, source_ref
from renewal.ruleset import RuleSet, load
from renewal.timeutil import BEIJING, to_beijing

CASES_DIR = Path(__file__).resolve().parent / "cases"

DEFAULT_MERCHANT: dict[str, Any] = {
    "sheet": "商家",
    "row": 2,
    "merchant_id": "M0001",
    "shop_name": "示例旗舰店",
    "store_type": "旗舰店",
    "category": "女装/女士精品",  # the 60,000 fee tier
    "trademark": "R",
    # in scope: signed well before the cut-off (2021-11-19 10:00)
    "contract_signed_at": datetime(2021, 3, 1, 10, 0, tzinfo=BEIJING),
    # every step done inside the window (2021-11-19 12:00 .. 2021-12-26 18:00)
    "signup_at": datetime(2021, 11, 20, 10, 0, tzinfo=BEIJING),
    "agreement_signed_at": datetime(2021, 11, 20, 10, 30, tzinfo=BEIJING),
    "deposit_balance": 50_000.0,  # 旗舰店 with R trademarks
    "annual_fee_paid": 60_000.0,
    "annual_fee_paid_at": datetime(2021, 11, 20, 11, 0, tzinfo=BEIJING),
    "appeal_pending": False,
    "serious_points": 0.0,
    "general_points": 0.0,
    "experience_score": 4.8,
    # a store opened after 2017-07-01: the 2019年度 operating assessment does not apply
    "service_opened_at": datetime(2018, 3, 1, 9, 0, tzinfo=BEIJING),
    "assessment_failed": False,
}
"""A valid, fully renewed, in-scope 旗舰店 with R trademarks and a clean record."""

CASE_KEYS = {
    "as_of",
    "merchant",
    "blank",
    "columns_absent",
    "violations_sheet",
    "qualifications_sheet",
    "lang",
    "expect",
}
EXPECT_KEYS = {"status", "owed", "message_contains", "remedy_contains"}


def beijing(value: object) -> datetime:
    """A case's datetime must carry its offset; it is compared in Beijing time."""
    assert isinstance(value, datetime) and value.tzinfo is not None, f"not an offset time: {value}"
    return to_beijing(value)


def merchant_with(**overrides: Any) -> Merchant:
    """DEFAULT_MERCHANT with `overrides`; violations and qualifications as plain dicts (an
    unknown key in one raises), `unreadable` values as [raw, reason]."""
    fields = {**DEFAULT_MERCHANT, **overrides}
    if fields.get("violations") is not None:
        fields["violations"] = [
            Violation(**{"appeal": "none", **v, "source": source_ref("违规记录", index + 2)})
            for index, v in enumerate(fields["violations"])
        ]
    if fields.get("qualifications") is not None:
        fields["qualifications"] = [
            Qualification(**{"number": None, **q, "source": source_ref("资质", index + 2)})
            for index, q in enumerate(fields["qualifications"])
        ]
    fields["unreadable"] = {k: tuple(v) for k, v in fields.get("unreadable", {}).items()}
    for name, value in fields.items():
        if isinstance(value, datetime):
            fields[name] = beijing(value)
    return Merchant(**fields)


def columns_without(absent: list[str] | tuple[str, ...] = ()) -> dict[str, str]:
    """Merchant field -> header for every merchant column except `absent`."""
    unknown = set(absent) - set(HEADER_OF)
    assert not unknown, f"not merchant columns: {sorted(unknown)}"
    return {field: header for field, header in HEADER_OF.items() if field not in absent}


@cache
def ruleset(ref: str) -> RuleSet:
    """A bundled rule set by id, or a test rule file named relative to tests/cases."""
    return load(str(CASES_DIR / ref)) if ref.endswith(".toml") else load(ref)


RULE_SETS = ("tmall-2022", "tmall-2023", "tmall-2025", "tmall-2019")
"""Where the default-merchant test finds each rule's parameters (the first that has it)."""


def code_of(path: Path) -> str:
    """The rule a case file is for: `DP01.toml` and `DP01-2025.toml` are both DP01's."""
    return path.stem.split("-", 1)[0]


@dataclass(frozen=True)
class Case:
    code: str
    name: str
    rules: str
    spec: Mapping[str, Any]
    file: str = ""
    """The case file's stem, when it is not the code alone."""

    @property
    def id(self) -> str:
        return f"{self.file or self.code}-{self.name}"

    @property
    def expect(self) -> Mapping[str, Any]:
        expect: Mapping[str, Any] = self.spec["expect"]
        return expect

    def merchant(self) -> Merchant:
        overrides = dict(self.spec.get("merchant", {}))
        for name in self.spec.get("blank", []):
            assert name not in overrides, f"{self.id}: {name} both set and blank"
            assert name in Merchant.__dataclass_fields__, f"{self.id}: unknown field {name}"
            overrides[name] = None
        return merchant_with(**overrides)

    def context(self) -> Context:
        return Context.create(
            as_of=beijing(self.spec["as_of"]),
            cycle=ruleset(self.rules).cycle,
            lang=self.spec.get("lang", "zh"),
            columns=columns_without(self.spec.get("columns_absent", [])),
            has_violations_sheet=self.spec.get("violations_sheet", False),
            has_qualifications_sheet=self.spec.get("qualifications_sheet", False),
        )


def load_cases() -> list[Case]:
    """Every case of every file, validated enough that a typo in a case fails loudly."""
    cases: list[Case] = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(document) == {"rules", "cases"}, f"{path.name}: top-level keys {set(document)}"
        for name, spec in document["cases"].items():
            where = f"{path.name}: cases.{name}"
            assert set(spec) <= CASE_KEYS, f"{where}: unknown keys {set(spec) - CASE_KEYS}"
            assert "as_of" in spec and "expect" in spec, f"{where}: needs as_of and expect"
            expect = spec["expect"]
            assert set(expect) <= EXPECT_KEYS, f"{where}: unknown expect keys"
            assert expect["status"] in set(Status), f"{where}: bad status {expect['status']!r}"
            cases.append(Case(code_of(path), name, document["rules"], spec, path.stem))
    return cases


CASES = load_cases()


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_rule_case(case: Case) -> None:
    rule = REGISTRY[case.code]
    params = ruleset(case.rules).params(case.code)
    assert params is not None, f"{case.rules} has no enabled {case.code} block"

    finding = rule.check(case.merchant(), params, case.context())

    assert finding["rule"] == case.code
    expect = case.expect
    assert finding["status"] == Status(expect["status"]), finding["message"]
    if "owed" in expect:
        assert finding["owed"] == pytest.approx(expect["owed"]), finding["message"]
    wanted = expect.get("message_contains", [])
    for part in [wanted] if isinstance(wanted, str) else wanted:
        assert part in finding["message"], finding["message"]
    wanted = expect.get("remedy_contains", [])
    for part in [wanted] if isinstance(wanted, str) else wanted:
        assert part in (finding["remedy"] or ""), finding["remedy"]


def test_every_rule_has_a_passing_and_a_non_passing_case() -> None:
    statuses: dict[str, set[str]] = {code: set() for code in REGISTRY}
    for case in CASES:
        statuses.setdefault(case.code, set()).add(case.expect["status"])
    for code, seen in statuses.items():
        assert "pass" in seen, f"{code} has no pass case"
        assert seen - {"pass"}, f"{code} has no non-pass case"


def test_every_case_file_names_a_registered_rule_in_its_rule_set() -> None:
    files = sorted(CASES_DIR.glob("*.toml"))
    assert files, "no case files"
    for path in files:
        code = code_of(path)
        assert code in REGISTRY, f"{path.name}: {code} is not a registered rule"
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        assert ruleset(document["rules"]).params(code) is not None


@pytest.mark.parametrize("as_of", [datetime(2021, 12, 1, 12, 0), datetime(2021, 12, 27, 0, 0)])
def test_default_merchant_passes_every_rule(as_of: datetime) -> None:
    """The base every case edits is valid: each rule passes it, in the window and after."""
    merchant = merchant_with(
        qualifications=[{"kind": "商标注册证", "expires": date(2025, 1, 1)}]
    )
    ctx = Context.create(
        as_of=as_of.replace(tzinfo=BEIJING),
        cycle=ruleset("tmall-2022").cycle,
        lang="zh",
        columns=columns_without(),
        has_qualifications_sheet=True,
    )
    for code, rule in REGISTRY.items():
        params = next(p for ref in RULE_SETS if (p := ruleset(ref).params(code)) is not None)
        finding = rule.check(merchant, params, ctx)
        assert finding["status"] is Status.PASS, (code, finding["message"])
