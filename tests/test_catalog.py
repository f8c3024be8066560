"""The rule catalogue: `renewal rules`, `explain`, `validate-rules` and `years` as a user runs
them (real processes, both languages), and the README's rule table kept in step with the
registry and the newest bundled rule set."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, renewal

from renewal import briefs, catalog
from renewal import readme as readme_table
from renewal.checks import REGISTRY
from renewal.checks.deposit import DepositParams
from renewal.ruleset import bundled_dir, bundled_ids, load

LOAD_CODES = ["LD01", "LD02", "LD03", "LD04"]
DEPOSIT_QUOTE = "若已缴存的保证金金额不足,则须在续签时间内一次性补足"


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# --- the catalogue's own tables ----------------------------------------------------------


def test_every_registered_code_and_load_code_has_a_chinese_title() -> None:
    known = set(REGISTRY) | set(catalog.LOAD_DOCS)
    assert set(LOAD_CODES) <= known
    assert known - set(catalog.TITLES_ZH) == set(), "add a Chinese title to catalog.TITLES_ZH"
    assert set(catalog.TITLES_ZH) - known == set(), "a Chinese title for a code nobody reports"


@pytest.mark.parametrize("code", [entry.code for entry in catalog.entries()])
def test_every_section_of_the_documentation_is_found(code: str) -> None:
    """The parser finds each docstring section (test_registry checks they are written)."""
    entry = catalog.find(code.lower())
    assert entry is not None
    bodies = catalog.sections(entry.doc)
    assert list(bodies) == [section.prefix for section in catalog.SECTIONS]
    assert all(bodies.values()), bodies


def test_a_wrapped_line_joins_without_a_space_between_chinese_characters() -> None:
    doc = "Title.\n\n    Fails when: moving to a 淘宝企业\n    店铺 now, or\n    later.\n"
    assert catalog.sections(doc) == {"Fails when:": "moving to a 淘宝企业店铺 now, or later."}


# --- renewal rules -----------------------------------------------------------------------


@pytest.mark.parametrize("ruleset_id", bundled_ids())
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rules_json_has_a_row_per_rule_then_the_load_codes(ruleset_id: str, lang: str) -> None:
    result = renewal("rules", "--rules", ruleset_id, "--lang", lang, "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    ruleset = load(ruleset_id)
    # the rule set's [cycle] first: the window every rule is judged against
    assert [row["code"] for row in rows] == ["cycle", *ruleset.rules, *LOAD_CODES]
    for row in rows[1:]:
        code = row["code"]
        expected = catalog.TITLES_ZH[code] if lang == "zh" else catalog.find(code).title_en  # type: ignore[union-attr]
        assert row["title"] == expected
        if row["role"] == "load":
            assert row["params"] is None
            continue
        params = ruleset.rules[code]
        assert row["slug"] == REGISTRY[code].slug
        assert row["role"] == REGISTRY[code].role
        assert row["brief"], code
        assert (row["mark"], row["quote"]) == (params.mark.value, params.quote)
        url = ruleset.sources[params.source].url  # a file held beside the project: no address
        assert row["source"]["url"] == ("" if url.startswith("file:") else url)


def test_rules_json_briefs_carry_the_years_figures() -> None:
    result = renewal("rules", "--rules", "tmall-2022", "--lang", "en", "--format", "json")
    rows = {row["code"]: row for row in json.loads(result.stdout)}
    assert rows["SC01"]["brief"] == ["contract signed at or before 2021-11-19 10:00"]
    assert rows["DP01"]["brief"][1:5] == [
        "旗舰店 R ¥50,000 / TM ¥100,000",
        "专卖店 R ¥50,000 / TM ¥100,000",
        "专营店 R ¥100,000 / TM ¥150,000",
        "卖场型旗舰店 ¥150,000 (any trademark)",
    ]
    # the special categories replace the table for stores in them: one line each
    categories = rows["DP01"]["brief"][5:]
    assert "category 图书音像: 旗舰店 ¥50,000 / 专卖店 ¥50,000 / 专营店 ¥100,000" in categories
    assert "category 医药, 医疗服务: ¥300,000" in categories
    deposit = load("tmall-2022").rules["DP01"]
    assert isinstance(deposit, DepositParams)
    assert len(categories) == len(deposit.categories) == 8
    assert rows["AF01"]["brief"][1] == "2022 fee ¥30,000: 服饰配件/皮带/帽子/围巾"
    assert rows["AF01"]["brief"][2].startswith("2022 fee ¥60,000: 女装/女士精品, 男装")
    # the undated older table's tiers are not this year's: inferred (sourced-weak in 2023,
    # the year its page labels it)
    assert rows["AF01"]["mark_summary"] == "sourced; tiers: 5/9 inferred"
    assert rows["TB01"]["brief"][0] == "serious < 12 and general < 48 points in 365 days"
    assert rows["TB01"]["mark_summary"] == "sourced; excluded_categories: sourced-weak"
    assert rows["QL01"]["brief"] == ["valid through 2022-12-31, the end of the new contract year"]
    assert rows["TB01"]["params"]["window_days"] == 365


@pytest.mark.parametrize(
    ("lang", "heading", "dp01_title"),
    [("zh", "本年参数", "保证金余额不低于应缴金额"), ("en", "This year", "Deposit (保证金)")],
)
def test_rules_table_lists_the_newest_rule_set(lang: str, heading: str, dp01_title: str) -> None:
    result = renewal("rules", "--lang", lang)
    assert result.returncode == 0, result.stderr
    newest = load(None)
    assert newest.id in result.stdout
    assert heading in result.stdout
    assert dp01_title in result.stdout
    for code in [*newest.rules, *LOAD_CODES]:
        assert f"│ {code} │" in result.stdout, code


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_rules_on_a_narrow_terminal_are_blocks_not_a_table(lang: str) -> None:
    """On 80 columns each rule is a block: its code and slug, its title, then this year's
    figures, the mark and the quoted clause, every line within the terminal."""
    from rich.cells import cell_len

    result = renewal("rules", "--rules", "tmall-2022", "--lang", lang, columns=80)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80, result.stdout
    ruleset = load("tmall-2022")
    heads = [line for line in lines if line.split(" ")[0] in ruleset.rules]
    assert [head.split()[:2] for head in heads] == [
        [code, REGISTRY[code].slug] for code in ruleset.rules
    ]
    figures = "本年参数" if lang == "zh" else "This year"
    at = lines.index(next(head for head in heads if head.startswith("DP01")))
    end = next(n for n in range(at, len(lines)) if not lines[n].strip())  # a blank line
    block = lines[at:end]
    assert any(line.lstrip().startswith(figures) for line in block), block
    assert "¥50,000" in "\n".join(block)
    for code in LOAD_CODES:  # the load problems stay a two-column table
        assert f"│ {code} │" in result.stdout, code


def test_rules_refuses_an_unknown_format_and_an_unknown_rule_set() -> None:
    assert "json" in one_line_error(renewal("rules", "--format", "xml", "--lang", "en"))
    line = one_line_error(renewal("rules", "--rules", "tmall-1999", "--lang", "en"))
    assert "tmall-1999" in line and bundled_ids()[0] in line


# --- renewal explain ---------------------------------------------------------------------


def test_explain_in_english_shows_the_documentation_then_the_years_figures() -> None:
    result = renewal("explain", "dp01", "--rules", "tmall-2022", "--lang", "en")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    lines = out.splitlines()
    assert lines[0].startswith("DP01  deposit.balance")
    assert lines[1] == REGISTRY["DP01"].title
    for heading in ("Fails when", "Passes when", "Not applicable when", "Remediation", "Source"):
        assert heading in lines, heading
    assert "the balance is below the required amount" in out
    assert f"「{DEPOSIT_QUOTE}" in out  # the docstring's Source section
    assert f"Quote: 「保证金要求:{DEPOSIT_QUOTE}" in out  # the rule file's quote
    assert "In tmall-2022 (Tmall 2022 contract-year renewal)" in out
    assert "旗舰店 R ¥50,000 / TM ¥100,000" in out
    assert "天猫2022年度商家续签公告 — https://www.maijiaw.com/article/503372" in out
    assert "Mark: sourced" in out
    # the order: documentation, then the rule file
    assert out.index("Fails when") < out.index("Remediation") < out.index("In tmall-2022")


def test_explain_in_chinese_has_chinese_headings_over_the_english_body() -> None:
    result = renewal("explain", "Dp01", "--rules", "tmall-2022")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    lines = out.splitlines()
    assert lines[1] == catalog.TITLES_ZH["DP01"]
    for heading in ("失败条件", "通过条件", "不适用", "处理办法", "来源"):
        assert heading in lines, heading
    assert "Fails when" not in out
    assert "英文" in out  # the one-line note that the bodies are English
    assert "the balance is below the required amount" in out
    assert f"原文：「保证金要求:{DEPOSIT_QUOTE}" in out
    assert "依据：sourced（有出处）" in out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_a_load_code(lang: str) -> None:
    result = renewal("explain", "ld03", "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert catalog.find("LD03").title(lang) in result.stdout  # type: ignore[union-attr]
    assert "same 商家ID is on more than one row" in result.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explain_an_unknown_code_lists_the_known_ones(lang: str) -> None:
    line = one_line_error(renewal("explain", "XX99", "--lang", lang))
    assert "XX99" in line
    for code in [*REGISTRY, *LOAD_CODES]:
        assert code in line


# --- renewal validate-rules --------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "line"),
    [("zh", "ok {path}（{id}，{rules} 条规则）"), ("en", "ok {path} ({id}, {rules} rules)")],
)
def test_validate_rules_passes_every_bundled_file(lang: str, line: str) -> None:
    files = sorted(bundled_dir().glob("tmall-*.toml"))
    result = renewal("validate-rules", *files, "--lang", lang)
    assert result.returncode == 0, result.stderr
    expected = [
        line.format(path=path, id=load(str(path)).id, rules=len(load(str(path)).rules))
        for path in files
    ]
    assert result.stdout.splitlines() == expected


def test_validate_rules_stops_at_the_first_broken_file(tmp_path: Path) -> None:
    good = bundled_dir() / "tmall-2022.toml"
    text = good.read_text(encoding="utf-8")
    assert "serious_points_below =" in text
    broken = tmp_path / "tmall-2022-typo.toml"
    broken.write_text(text.replace("serious_points_below =", "serious_points_bellow ="), "utf-8")
    result = renewal("validate-rules", good, broken, good)
    line = one_line_error(result)
    assert str(broken) in line
    assert "rules.TB01.serious_points_bellow：未知的键；是不是「serious_points_below」？" in line
    assert result.stdout.splitlines() == [
        f"ok {good}（tmall-2022，{len(load(str(good)).rules)} 条规则）"
    ]
    line = one_line_error(renewal("validate-rules", broken, "--lang", "en"))
    assert (
        "rules.TB01.serious_points_bellow: unknown key; did you mean 'serious_points_below'?"
        in line
    )


# What each kind of mistake in a rule file is said as: (sed-like edit, zh, en).
RULE_FILE_MISTAKES = [
    (
        ("window_closes = 2021-12-26T18:00:00+08:00", 'window_closes = "next friday"'),
        "cycle.window_closes：应为日期时间，如 2021-12-26T18:00:00+08:00（写的是 'next friday'）",
        "cycle.window_closes: expected a date and time such as 2021-12-26T18:00:00+08:00 "
        "(got 'next friday')",
    ),
    (
        ("window_opens = 2021-11-19T12:00:00+08:00", "window_opens == 2021-11-19T12:00:00+08:00"),
        "第 {line} 行第 15 列：TOML 语法错误（",
        "line {line}, column 15: TOML syntax error (",
    ),
    (
        ('mark = "sourced-weak"', 'mark = "weak"'),
        "mark：应为 'sourced'、'sourced-weak'、'inferred' 之一（写的是 'weak'）",
        "mark: expected one of 'sourced', 'sourced-weak', 'inferred' (got 'weak')",
    ),
    (
        ("[rules.DL01]", "[rules.DL09]"),
        "rules.DL09：没有这个规则代码（已知：AF01、AS01、",
        "rules.DL09: unknown rule code (known: AF01, AS01, ",
    ),
    (
        ("window_closes = 2021-12-26T18:00:00+08:00", "window_closes = 2021-10-26T18:00:00+08:00"),
        "cycle.window_closes：2021-10-26T18:00:00+08:00 不晚于 cycle.window_opens"
        "（2021-11-19T12:00:00+08:00），前后矛盾",
        "cycle.window_closes: 2021-10-26T18:00:00+08:00 is not after cycle.window_opens "
        "(2021-11-19T12:00:00+08:00): inconsistent",
    ),
]


@pytest.mark.parametrize(("edit", "zh", "en"), RULE_FILE_MISTAKES)
def test_a_rule_file_mistake_is_said_in_the_users_language(
    tmp_path: Path, edit: tuple[str, str], zh: str, en: str
) -> None:
    text = (bundled_dir() / "tmall-2022.toml").read_text(encoding="utf-8")
    assert edit[0] in text
    broken = tmp_path / "mine.toml"
    broken.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    line = text[: text.index(edit[0])].count("\n") + 1  # where a TOML syntax error is
    zh, en = zh.format(line=line), en.format(line=line)
    said_zh = one_line_error(renewal("validate-rules", broken))
    said_en = one_line_error(renewal("validate-rules", broken, "--lang", "en"))
    assert said_zh.startswith(f"renewal: {broken}：") and zh in said_zh
    assert said_en.startswith(f"renewal: {broken}: ") and en in said_en
    check = renewal(
        "check",
        ROOT / "fixtures" / "merchants-2022.csv",
        "--rules",
        broken,
        "--as-of",
        "2021-12-20",
    )
    assert check.returncode == 2 and zh in one_line_error(check)


def test_validate_rules_needs_a_file() -> None:
    assert renewal("validate-rules").returncode == 2
    line = one_line_error(renewal("validate-rules", "no-such-rules.toml"))
    assert "no-such-rules.toml" in line


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "：是目录，不是规则文件"), ("en", ": a directory")]
)
def test_validate_rules_says_a_directory_is_one(tmp_path: Path, lang: str, said: str) -> None:
    """A directory exists: it is not "not found", it is no file; said as --rules says it."""
    line = one_line_error(renewal("validate-rules", tmp_path, "--lang", lang))
    assert line.startswith(f"renewal: {tmp_path}{said}"), line
    assert "not found" not in line and "找不到" not in line
    assert line == one_line_error(renewal("rules", "--rules", tmp_path, "--lang", lang))


@pytest.mark.parametrize(
    ("lang", "said"), [("zh", "：无法读取（没有权限）"), ("en", "(permission denied)")]
)
def test_validate_rules_says_why_a_file_cannot_be_read_in_words(
    tmp_path: Path, lang: str, said: str
) -> None:
    from test_output_safety import _as_a_user

    prefix = _as_a_user()
    locked = tmp_path / "mine.toml"
    locked.write_bytes((ROOT / "rules" / "tmall-2022.toml").read_bytes())
    locked.chmod(0)
    try:
        line = one_line_error(renewal("validate-rules", locked, "--lang", lang, prefix=prefix))
    finally:
        locked.chmod(0o644)
    assert line.startswith(f"renewal: {locked}") and said in line, line
    assert "Permission denied" not in line


# --- renewal years -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "steps"),
    [
        ("zh", "续签报名 → 签署协议 → 缴存保证金 → 缴纳年费"),
        ("en", "Renewal sign-up → Agreement signing → Deposit top-up → Annual fee payment"),
    ],
)
def test_years_lists_each_bundled_cycle_on_one_line(lang: str, steps: str) -> None:
    result = renewal("years", "--lang", lang)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == bundled_ids()
    line_2022 = lines[bundled_ids().index("tmall-2022")]
    assert "2021-11-19 12:00 → 2021-12-26 18:00" in line_2022
    assert "2022-01-01 00:00" in line_2022
    assert line_2022.endswith(steps)


# --- the README --------------------------------------------------------------------------


def test_readme_rule_table_is_up_to_date() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme_table.readme_block(readme) == readme_table.readme_rule_table(), (
        "README.md's rule table is stale: run `python -m renewal.readme --write-readme`"
    )


def test_readme_rule_table_has_a_row_per_rule_of_the_newest_rule_set() -> None:
    table = readme_table.readme_rule_table()
    newest = load(None)
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows[1:]] == list(newest.rules)
    assert f"Rules in `{newest.id}`" in table


def test_write_readme_replaces_only_the_block(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    before, after = "# title\n\nabove\n\n", "\nbelow\n"
    stale = f"{readme_table.README_START}\n| stale |\n{readme_table.README_END}\n"
    readme.write_text(before + stale + after, encoding="utf-8")
    assert readme_table.write_readme(readme) is True
    text = readme.read_text(encoding="utf-8")
    block = f"{readme_table.README_START}\n{readme_table.readme_rule_table()}{readme_table.README_END}\n"
    assert text == before + block + after
    assert readme_table.write_readme(readme) is False


# --- start-up ----------------------------------------------------------------------------


def test_the_cli_module_imports_neither_the_catalogue_nor_rich_nor_pydantic() -> None:
    probe = "import sys, renewal.cli; print(sorted(m for m in ('renewal.catalog', 'rich', 'pydantic') if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_a_parameter_model_without_a_brief_of_its_own_is_shown_field_by_field() -> None:
    from datetime import datetime

    from renewal.ruleset import Mark, RuleParams
    from renewal.timeutil import BEIJING

    class NewParams(RuleParams):
        opens: datetime
        limit: int

    params = NewParams(
        source="s",
        mark=Mark.INFERRED,
        quote="q",
        opens=datetime(2030, 1, 2, 3, 4, tzinfo=BEIJING),
        limit=7,
    )
    assert briefs.brief(params, "en") == ["opens: 2030-01-02 03:04", "limit: 7"]
    assert briefs.mark_summary(params) == "inferred"


def test_explain_a_rule_the_rule_set_does_not_have() -> None:
    missing = sorted(set(REGISTRY) - set(load("tmall-2022").rules))
    if not missing:
        pytest.skip("tmall-2022 has every registered rule")
    result = renewal("explain", missing[0], "--rules", "tmall-2022", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "Rule set tmall-2022 has no such rule." in result.stdout


def test_rules_brief_names_the_2025_insurance_alternative() -> None:
    result = renewal("rules", "--rules", "tmall-2025", "--format", "json")
    dp01 = {row["code"]: row for row in json.loads(result.stdout)}["DP01"]["brief"]
    assert "或以保证金履约险代替现金（须不晚于签署协议续保）" in dp01
    assert "2024-01-01 00:00 前续保的不计" in dp01
    without = renewal("rules", "--rules", "tmall-2022", "--format", "json")
    dp01_2022 = {row["code"]: row for row in json.loads(without.stdout)}["DP01"]["brief"]
    assert not any("履约险" in line for line in dp01_2022)


def test_rules_brief_names_the_2019_assessment_cut_off_and_review_categories() -> None:
    result = renewal("rules", "--rules", "tmall-2019", "--format", "json")
    rows = {row["code"]: row for row in json.loads(result.stdout)}
    assert "服务开通时间早于 2017-07-01 00:00 的店铺须参加" in rows["AS01"]["brief"]
    assert "须资质审核的类目：服务大类、电子票务凭证" in rows["QR01"]["brief"]
    english = renewal("rules", "--rules", "tmall-2019", "--format", "json", "--lang", "en")
    rows = {row["code"]: row for row in json.loads(english.stdout)}
    assert "stores whose service opened before 2017-07-01 00:00" in rows["AS01"]["brief"]
    assert "categories under review: 服务大类, 电子票务凭证" in rows["QR01"]["brief"]


def test_an_english_title_keeps_chinese_only_in_brackets():
    """A title says every term in English (a Taobao enterprise store, as every message
    says it); the Chinese of the announcement may follow in brackets, as a gloss."""
    import re

    for entry in catalog.entries():
        bare = re.sub(r"\([^()]*\)", "", entry.title("en"))
        assert re.search(r"[\u4e00-\u9fff]", bare) is None, entry.title("en")
    transfer = catalog.find("TB01")
    assert transfer is not None
    assert transfer.title("en").startswith("Eligible to move to a Taobao enterprise store (")
