"""Mistakes made writing next year's rule file that used to load, or to crash (ex25): the
保证金履约险 kept in a year without its agreement step, a moment in another time zone or far
outside any renewal, a deposit row with R or TM alone, an id or name naming another year
than contract_year. Each is refused naming the file and the key, in Chinese by default and
in English, with exit 2; a `[[…]]` row is said counted from 1 with its header's line, a
file in GBK with how to fix it, a misspelt code in an array header by that code. A file
named otherwise than its id, or two files of one id, are noted, not refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CSV, renewal
from test_catalog import one_line_error
from test_rule_validation import NEXT_YEAR, bundled_text, edited, refusal

from renewal import rule_errors
from renewal.ruleset import load


def written(tmp_path: Path, text: str, name: str = "mine.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def header_line(text: str, header: str, number: int) -> int:
    """The line of the `number`th (from 1) `[[header]]` line of `text`."""
    lines = [at for at, line in enumerate(text.splitlines(), 1) if line.strip() == header]
    return lines[number - 1]


# --- the 保证金履约险 is tied to the agreement's signing ------------------------------

NO_SIGNING_ZH = (
    "rules.DP01.insurance：保证金履约险须在签署续签协议之前续保才算数（「才能签订续签协议」），"
    "但本规则集没有启用的签署协议步骤（DL02）：协议签署时间一列本年不用，却仍会决定保证金履约险"
    "是否算数；请删去 [rules.DP01.insurance]（有 [rules.DP01.insurance_earlier_year] 的也一并"
    "删去），或保留 DL02"
)


def without_signing(text: str) -> str:
    """tmall-2025 with its DL02 block deleted and the blockers blocking DP01 instead, as
    ex25's tmall-2026.toml was written."""
    parts = re.split(r"(?m)^(?=\[)", text)
    kept = "".join(part for part in parts if not part.startswith("[rules.DL02]"))
    return kept.replace('blocks = ["DL02"]', 'blocks = ["DP01"]')


def test_insurance_without_the_agreement_step_is_refused(tmp_path: Path) -> None:
    """Before, DP01 still read 协议签署时间, which the template calls unused that year: a
    time in it failed the policy and claimed the whole cash deposit (ex25 #1)."""
    path = written(tmp_path, without_signing(bundled_text("tmall-2025")))
    zh, en = refusal(path)
    assert zh == f"{path}：{NO_SIGNING_ZH}"
    assert en.startswith(f"{path}: rules.DP01.insurance: a 保证金履约险 counts only if renewed ")
    assert en.endswith(
        "remove [rules.DP01.insurance] (and [rules.DP01.insurance_earlier_year], if there is "
        "one), or keep DL02"
    )
    # the fix it gives works
    parts = re.split(r"(?m)^(?=\[)", path.read_text(encoding="utf-8"))
    no_insurance = "".join(p for p in parts if not p.startswith("[rules.DP01.insurance"))
    loaded = load(str(written(tmp_path, no_insurance, "fixed.toml")))
    assert loaded.params("DL02") is None and loaded.params("DP01") is not None


def test_insurance_with_the_agreement_step_turned_off_is_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, "tmall-2025", ("[rules.DL02]\n", "[rules.DL02]\nenabled = false\n"))
    assert refusal(path)[0] == f"{path}：{NO_SIGNING_ZH}"


def test_every_command_refuses_insurance_without_signing(tmp_path: Path) -> None:
    path = written(tmp_path, without_signing(bundled_text("tmall-2025")))
    for args in (
        ("validate-rules", path),
        ("check", CSV, "--rules", path, "--as-of", "2024-12-31"),
        ("rules", "--rules", path),
    ):
        assert one_line_error(renewal(*args)).endswith(NO_SIGNING_ZH), args


# --- every time in a rule file is Beijing time --------------------------------------------

CLOSES = "window_closes = 2024-12-30T18:00:00+08:00"


@pytest.mark.parametrize(
    ("new", "shown"),
    [
        ("window_closes = 2024-12-30T18:00:00Z", "2024-12-30T18:00:00+00:00"),
        ("window_closes = 2024-12-30T18:00:00+00:00", "2024-12-30T18:00:00+00:00"),
        ("window_closes = 2024-12-30T18:00:00-05:00", "2024-12-30T18:00:00-05:00"),
        ('window_closes = "2024-12-30T18:00:00Z"', "'2024-12-30T18:00:00Z'"),
    ],
    ids=["Z", "utc", "minus-5", "quoted-Z"],
)
def test_a_moment_with_another_offset_is_refused(tmp_path: Path, new: str, shown: str) -> None:
    """Before, 18:00Z was taken as 02:00 the next day in Beijing: a merchant signed up at
    18:00:01 renewed (ex25 #2)."""
    path = edited(tmp_path, "tmall-2025", (CLOSES, new))
    zh, en = refusal(path)
    assert zh == (
        f"{path}：cycle.window_closes：规则文件中的时间都是北京时间：不写时区，或写 +08:00"
        f"（写的是 {shown}）"
    )
    assert en == (
        f"{path}: cycle.window_closes: every time in a rule file is Beijing time: write it "
        f"without an offset or with +08:00 (got {shown})"
    )
    # without an offset, the same moment as with +08:00
    bare = edited(tmp_path, "tmall-2025", (CLOSES, "window_closes = 2024-12-30T18:00:00"))
    assert load(str(bare)).cycle.window_closes == load("tmall-2025").cycle.window_closes


# --- no value of a rule file reaches an internal error -----------------------------------


@pytest.mark.parametrize(
    ("old", "new", "key", "value"),
    [
        (
            "window_opens = 2024-11-20T12:00:00+08:00",
            "window_opens = 0001-01-01T00:00:00+08:00",
            "cycle.window_opens",
            "0001-01-01T00:00:00+08:00",
        ),
        (
            "contract_year_ends = 2026-01-01T00:00:00+08:00",
            "contract_year_ends = 9999-12-31T23:59:59+08:00",
            "cycle.contract_year_ends",
            "9999-12-31T23:59:59+08:00",
        ),
        (
            "published = 2025-08-31",
            "published = 9999-12-31",
            "sources.announcement.published",
            "9999-12-31",
        ),
    ],
    ids=["year-1", "year-9999", "published"],
)
def test_a_date_far_outside_any_renewal_is_refused_by_its_key(
    tmp_path: Path, old: str, new: str, key: str, value: str
) -> None:
    path = edited(tmp_path, "tmall-2025", (old, new))
    zh, en = refusal(path)
    assert (
        zh == f"{path}：{key}：{value} 不在 2000 到 2999 年之间，像是占位的日期；请写上实际的日期"
    )
    assert en == (
        f"{path}: {key}: {value} is not within the years 2000 to 2999: a placeholder? Write "
        "the actual date"
    )


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            "window_opens = 2024-11-20T12:00:00+08:00",
            "window_opens = 0001-01-01T00:00:00+08:00",
            "cycle.window_opens",
        ),
        (
            "contract_year_ends = 2026-01-01T00:00:00+08:00",
            "contract_year_ends = 9999-12-31T23:59:59-08:00",
            "cycle.contract_year_ends",
        ),
    ],
    ids=["0001", "9999-08"],
)
def test_no_command_ends_in_exit_3_on_a_placeholder_moment(
    tmp_path: Path, old: str, new: str, key: str
) -> None:
    """Before: `renewal 内部错误 … OverflowError`, exit 3, neither file nor key named (ex25 #3)."""
    path = edited(tmp_path, "tmall-2025", (old, new))
    for args in (
        ("validate-rules", path),
        ("check", CSV, "--rules", path, "--as-of", "2024-12-31", "--lang", "en"),
    ):
        said = one_line_error(renewal(*args))
        assert f"{path}" in said and f"{key}" in said, said


# --- a deposit row gives both trademark amounts, or one for any ----------------------------

R_ROW = 'store_type = "专营店"\naliases = ["specialty", "专营"]\nR = 100000\nTM = 150000'


@pytest.mark.parametrize(
    ("new", "written_", "missing"),
    [
        ('store_type = "专营店"\naliases = ["specialty", "专营"]\nTM = 150000', "TM", "R"),
        ('store_type = "专营店"\naliases = ["specialty", "专营"]\nR = 100000', "R", "TM"),
    ],
    ids=["TM-alone", "R-alone"],
)
def test_a_deposit_row_with_r_or_tm_alone_is_refused(
    tmp_path: Path, new: str, written_: str, missing: str
) -> None:
    """Before, it loaded, and every 专营店 of the other trademark status was an error telling
    the user to fix the export (ex25 #5). No bundled year has such a row."""
    path = edited(tmp_path, "tmall-2025", (R_ROW, new))
    line = header_line(path.read_text(encoding="utf-8"), "[[rules.DP01.table]]", 3)
    zh, en = refusal(path)
    assert zh == (
        f"{path}：第 3 个 [[rules.DP01.table]]（第 {line} 行）：只写了 {written_}，没写 {missing}："
        f"商标状态为 {missing} 的这类店铺会算不出保证金；R 和 TM 都写，或只写 any（不分商标）"
    )
    assert en == (
        f"{path}: the 3rd [[rules.DP01.table]] (line {line}): {written_} without {missing}: a "
        f"{missing} store of this type would have no deposit; give both R and TM, or any "
        "(whatever the trademark)"
    )
    # not the same mistake: a store type a special category's `by_store_type` leaves out
    # pays the general table's amount, as documented, so such a row is kept
    old = 'by_store_type = { "旗舰店" = 50000, "专卖店" = 50000, "专营店" = 100000 }'
    partial = edited(tmp_path, "tmall-2025", (old, 'by_store_type = { "专营店" = 100000 }'))
    assert load(str(partial)).rules["DP01"] is not None


# --- id, name and contract_year name one year -------------------------------------------

NAMED_2026 = [
    *NEXT_YEAR,
    ('name = "天猫2025年度商家续签"', 'name = "天猫2026年度商家续签"'),
    (
        'name_en = "Tmall 2025 contract-year renewal"',
        'name_en = "Tmall 2026 contract-year renewal"',
    ),
]
"""Next year's file as README step 1 writes it: id, name, name_en and contract_year."""

YEAR_HINT_ZH = "前后矛盾；id、name、name_en 和 contract_year 要一起改成同一年度"


def test_only_the_id_and_name_changed_is_refused_naming_both(tmp_path: Path) -> None:
    """Before, last year's dates ran under next year's label (ex25 #7, 14-only-id-changed)."""
    path = edited(
        tmp_path,
        "tmall-2025",
        ('id = "tmall-2025"', 'id = "tmall-2026"'),
        ('name = "天猫2025年度商家续签"', 'name = "天猫2026年度商家续签"'),
    )
    zh, en = refusal(path)
    assert (
        zh == f'{path}：id："tmall-2026" 说的是 2026 年度，但 contract_year 是 2025，{YEAR_HINT_ZH}'
    )
    assert en == (
        f'{path}: id: "tmall-2026" names the 2026 renewal, but contract_year is 2025: '
        "inconsistent; id, name, name_en and contract_year change together, to one year"
    )
    # all four changed, as README step 1 says, it loads; an id and name naming no year too
    assert load(str(edited(tmp_path, "tmall-2025", *NAMED_2026))).id == "tmall-2026"
    no_year = edited(
        tmp_path,
        "tmall-2025",
        ('id = "tmall-2025"', 'id = "my-rules"'),
        ('name = "天猫2025年度商家续签"', 'name = "天猫商家续签（草稿）"'),
    )
    assert load(str(no_year)).id == "my-rules"


@pytest.mark.parametrize(
    ("key", "old", "new"),
    [
        ("name", 'name = "天猫2026年度商家续签"', 'name = "天猫2025年度商家续签"'),
        (
            "name_en",
            'name_en = "Tmall 2026 contract-year renewal"',
            'name_en = "Tmall 2025 contract-year renewal"',
        ),
    ],
)
def test_a_name_naming_another_year_is_refused(
    tmp_path: Path, key: str, old: str, new: str
) -> None:
    changes = [(a, new if b == old else b) for a, b in NAMED_2026]
    path = edited(tmp_path, "tmall-2025", *changes)
    value = new.split(" = ", 1)[1]
    assert refusal(path)[0] == (
        f"{path}：{key}：{value} 说的是 2025 年度，但 contract_year 是 2026，{YEAR_HINT_ZH}"
    )


def test_a_file_named_otherwise_than_its_id_is_noted_not_refused(tmp_path: Path) -> None:
    text = edited(tmp_path, "tmall-2025", *NAMED_2026).read_text(encoding="utf-8")
    draft = written(tmp_path, text, "tmall-2026-draft.toml")
    run = renewal("validate-rules", draft)
    assert run.returncode == 0 and run.stdout.startswith(f"ok {draft}")
    assert run.stderr.strip() == (
        f"renewal: 注意：{draft} 的文件名是 tmall-2026-draft，id 却是 tmall-2026，报告中会称它为 "
        "tmall-2026；若是 tmall-2026 的草稿可以不管，否则请让文件名与 id 一致"
    )
    named = written(tmp_path, text, "tmall-2026.toml")
    quiet = renewal("validate-rules", named, "--lang", "en")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_two_files_of_one_id_are_noted(tmp_path: Path) -> None:
    first = edited(tmp_path, "tmall-2025", *NAMED_2026).read_text(encoding="utf-8")
    a = written(tmp_path, first, "tmall-2026.toml")
    (tmp_path / "v2").mkdir()
    b = written(tmp_path / "v2", first.replace("R = 100000", "R = 120000"), "tmall-2026.toml")
    run = renewal("validate-rules", a, b, a, "--lang", "en")  # a twice: one file, no note
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().splitlines() == [
        f"renewal: note: {b} and {a} both have the id tmall-2026 but differ; reports made with "
        "either would say tmall-2026, told apart only by the rule file's name and sha256. Give "
        "one of them an id of its own"
    ]


# --- rows are counted from 1, with the line of their header -----------------------------


def test_a_key_in_the_third_row_is_said_as_the_third_row_with_its_line(tmp_path: Path) -> None:
    """Before: `rules.AF01.tiers.2.fee`, and the analyst edited the row before it (ex25 #8)."""
    path = edited(tmp_path, "tmall-2023", ('category = "男装"\nfee = 60000', 'category = "男装"'))
    line = header_line(path.read_text(encoding="utf-8"), "[[rules.AF01.tiers]]", 3)
    zh, en = refusal(path)
    assert (
        zh
        == f"{path}：rules.AF01.tiers.fee（第 3 个 [[rules.AF01.tiers]]，第 {line} 行）：缺少这个键"
    )
    assert (
        en == f"{path}: rules.AF01.tiers.fee (the 3rd [[rules.AF01.tiers]], line {line}): missing"
    )


def test_both_rows_of_a_name_in_two_rows_are_counted_from_1(tmp_path: Path) -> None:
    path = edited(tmp_path, "tmall-2025", ('names = ["教育培训"]', 'names = ["教育培训", "旅游"]'))
    text = path.read_text(encoding="utf-8")
    eighth = header_line(text, "[[rules.DP01.categories]]", 8)
    fourth = header_line(text, "[[rules.DP01.categories]]", 4)
    zh, en = refusal(path)
    assert zh == (
        f"{path}：rules.DP01.categories.names 的第 2 项（第 8 个 [[rules.DP01.categories]]，"
        f"第 {eighth} 行）：'旅游' 已写在 rules.DP01.categories.names 的第 2 项（第 4 个 "
        f"[[rules.DP01.categories]]，第 {fourth} 行）：同一个名字写在两行，用哪一行说不清"
    )
    assert en.startswith(
        f"{path}: item 2 of rules.DP01.categories.names (the 8th [[rules.DP01.categories]], "
        f"line {eighth}): '旅游' is already in item 2 of rules.DP01.categories.names (the 4th "
        f"[[rules.DP01.categories]], line {fourth}): "
    )


def test_an_undeclared_source_in_a_row_is_counted_from_1(tmp_path: Path) -> None:
    old = 'category = "男装"\nfee = 60000\nsource = "fee_table_2022"'
    path = edited(tmp_path, "tmall-2023", (old, old.replace("fee_table_2022", "fee_tabel")))
    line = header_line(path.read_text(encoding="utf-8"), "[[rules.AF01.tiers]]", 3)
    assert refusal(path)[1] == (
        f"{path}: rules.AF01.tiers.source (the 3rd [[rules.AF01.tiers]], line {line}): "
        "'fee_tabel' is not declared under [sources]"
    )


@pytest.mark.parametrize(
    ("number", "said"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th")]
    + [(21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"), (111, "111th")],
)
def test_english_rows_are_ordinals(number: int, said: str) -> None:
    assert rule_errors.Row("t", number, 9).said("en") == f"the {said} [[t]]"


# --- encoding and a misspelt code in an array header --------------------------------------


def test_a_rule_file_in_gbk_says_where_and_how_to_fix_it(tmp_path: Path) -> None:
    """Before: `不是 UTF-8 文本`, no line and no fix (ex25 #9)."""
    path = tmp_path / "gbk.toml"
    path.write_bytes(bundled_text("tmall-2025").encode("gb18030"))
    zh, en = refusal(path)
    assert zh == (
        f"{path}：第 1 行：不是 UTF-8 文本（可能是以 GBK 等编码保存的）；"
        "请在编辑器中将文件另存为 UTF-8 编码"
    )
    assert en == (
        f"{path}: line 1: not UTF-8 text (saved as GBK or another encoding?); save the file "
        "as UTF-8 in your editor"
    )


def test_a_misspelt_code_in_an_array_header_is_named(tmp_path: Path) -> None:
    """Before: `rules.AF01.tiers：缺少这个键`, AFO1 never named (ex25 #9, 11b)."""
    text = bundled_text("tmall-2023").replace("[[rules.AF01.tiers]]", "[[rules.AFO1.tiers]]")
    path = written(tmp_path, text)
    zh, en = refusal(path)
    assert zh.startswith(f"{path}：rules.AFO1：没有这个规则代码（已知：AF01、")
    assert en.startswith(f"{path}: rules.AFO1: unknown rule code (known: AF01, ")
