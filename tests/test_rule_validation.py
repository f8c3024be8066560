"""A rule file that loads means what it says, as a maintainer writing next year's file from
this year's finds it: a year without its scope rule or any step, a date left over from last
year, an amount or threshold that is no amount (nan, inf, negative, zero, true, "12"), a
yes/no key written "no", an ambiguous table (one store type or category in two rows), a
block marked stronger than its source: each is refused at load, naming the file and the
dotted keys, in Chinese by default and in English, never with exit 3. TOML syntax errors
are said in the run's language; 24:00 gets the moment to write instead."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from conftest import CSV, renewal
from test_catalog import one_line_error

from renewal import rule_errors
from renewal.checks.deposit import DepositParams
from renewal.checks.registry import REGISTRY, Role
from renewal.rule_errors import RuleSetError
from renewal.ruleset import bundled_dir, bundled_ids, load
from renewal.timeutil import BEIJING


def bundled_text(ruleset: str) -> str:
    return (bundled_dir() / f"{ruleset}.toml").read_text(encoding="utf-8")


def edited(tmp_path: Path, ruleset: str, *changes: tuple[str, str]) -> Path:
    """A bundled rule file with each `old` (found exactly once) replaced by `new`."""
    text = bundled_text(ruleset)
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    return path


def without_blocks(tmp_path: Path, ruleset: str, codes: tuple[str, ...]) -> Path:
    """A bundled rule file with the blocks (and their sub-tables) of `codes` removed."""
    parts = re.split(r"(?m)^(?=\[)", bundled_text(ruleset))
    pattern = re.compile(r"\[\[?rules\.(" + "|".join(codes) + r")[\].]")
    path = tmp_path / "mine.toml"
    path.write_text("".join(p for p in parts if not pattern.match(p)), encoding="utf-8")
    return path


def refusal(path: Path) -> tuple[str, str]:
    """What loading `path` says, in Chinese and in English."""
    with pytest.raises(RuleSetError) as raised:
        load(str(path))
    return raised.value.message("zh"), raised.value.message("en")


def row_line(text: str, table: str, number: int) -> int:
    """The line of the `number`th (from 1) `[[table]]` header of the rule file `text`, the
    line a refusal names for a key in that row. Found in the edited text, not written down,
    so a change to a bundled file moves it along."""
    lines = [at for at, line in enumerate(text.splitlines(), 1) if line.strip() == f"[[{table}]]"]
    return lines[number - 1]


RowKey = tuple[str, int, str, int | None]
"""A key in a `[[…]]` row: the table, the row counted from 1, the key inside the row, and
the item counted from 1 when the key is an inline array's (None for the key itself)."""


def in_row(path: Path, key: RowKey) -> tuple[str, str]:
    """`key` as a refusal of the rule file at `path` names it, in Chinese and in English:
    `rules.DP01.table.R（第 1 个 [[rules.DP01.table]]，第 227 行）`."""
    table, number, name, item = key
    assert 0 < number < 20  # the ordinals written here: 1st, 2nd, 3rd, then …th
    line = row_line(path.read_text(encoding="utf-8"), table, number)
    ordinal = {1: "1st", 2: "2nd", 3: "3rd"}.get(number, f"{number}th")
    dotted = f"{table}.{name}"
    zh = dotted if item is None else f"{dotted} 的第 {item} 项"
    en = dotted if item is None else f"item {item} of {dotted}"
    return (
        f"{zh}（第 {number} 个 [[{table}]]，第 {line} 行）",
        f"{en} (the {ordinal} [[{table}]], line {line})",
    )


def codes_of(role: str) -> list[str]:
    return [code for code, rule in REGISTRY.items() if rule.role == role]


# --- a year needs its scope rule and a step ----------------------------------------------

STEPS_2025 = ("DL02", "DP01")


def test_a_year_without_any_step_is_refused(tmp_path: Path) -> None:
    """Before, every merchant in scope was `renewed`: a step is what must be done."""
    path = without_blocks(tmp_path, "tmall-2025", (*STEPS_2025, r"BL0\d"))
    zh, en = refusal(path)
    listed = "、".join(codes_of(Role.STEP))
    assert zh == (
        f"{path}：rules：没有启用的续签步骤（{listed} 都没有）；没有步骤，每个商家都会被判为已续签"
    )
    assert en.startswith(f"{path}: rules: no renewal step is enabled (none of ")
    assert "every merchant would count as renewed" in en


def test_a_year_whose_steps_are_all_turned_off_is_refused(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        "tmall-2025",
        *((f"[rules.{code}]\n", f"[rules.{code}]\nenabled = false\n") for code in STEPS_2025),
    )
    zh, _ = refusal(path)
    assert "rules：没有启用的续签步骤" in zh
    one_on = edited(tmp_path, "tmall-2025", ("[rules.DL02]\n", "[rules.DL02]\nenabled = false\n"))
    # without DL02 the 保证金履约险 goes too, as README's steps say (it is renewed before
    # signing; kept, it is refused: test_rule_file_mistakes)
    parts = re.split(r"(?m)^(?=\[)", one_on.read_text(encoding="utf-8"))
    kept = "".join(part for part in parts if not part.startswith("[rules.DP01.insurance"))
    one_on.write_text(kept, encoding="utf-8")
    assert load(str(one_on)).params("DL02") is None  # one step left: a year that means it


def test_a_year_without_its_scope_rule_is_refused(tmp_path: Path) -> None:
    """Before, a merchant whose contract began after the cut-off was not exempt."""
    path = without_blocks(tmp_path, "tmall-2025", ("SC01",))
    zh, en = refusal(path)
    assert zh.startswith(f"{path}：rules：没有启用的续签范围规则（SC01）")
    assert en.startswith(f"{path}: rules: no scope rule is enabled (SC01)")


def test_no_command_runs_a_year_without_steps(tmp_path: Path) -> None:
    path = without_blocks(tmp_path, "tmall-2025", (*STEPS_2025, r"BL0\d"))
    runs = [
        ("validate-rules", path),
        ("check", CSV, "--rules", path, "--as-of", "2025-01-05"),
        ("rules", "--rules", path),
        ("explain", "SC01", "--rules", path),
        ("template", tmp_path / "t.xlsx", "--rules", path),
    ]
    for args in runs:
        said = one_line_error(renewal(*args))
        assert f"{path}：rules：没有启用的续签步骤" in said, args
    assert not (tmp_path / "t.xlsx").exists()


# --- dates agree with contract_year ------------------------------------------------------


@pytest.mark.parametrize("ruleset", bundled_ids())
def test_every_bundled_year_terminates_on_1_january_of_its_contract_year(ruleset: str) -> None:
    loaded = load(ruleset)
    year = loaded.contract_year
    assert loaded.cycle.terminates_at == datetime(year, 1, 1, tzinfo=BEIJING)
    assert loaded.cycle.window_opens.year == year - 1
    cutoff = getattr(loaded.rules["SC01"], "signed_at_or_before", None)
    assert cutoff is not None and cutoff <= loaded.cycle.window_opens


NEXT_YEAR = [
    ('id = "tmall-2025"', 'id = "tmall-2026"'),
    ("contract_year = 2025", "contract_year = 2026"),
    ("window_opens = 2024-11-20T12:00:00+08:00", "window_opens = 2025-11-18T12:00:00+08:00"),
    ("window_closes = 2024-12-30T18:00:00+08:00", "window_closes = 2025-12-29T00:00:00+08:00"),
    ("terminates_at = 2025-01-01T00:00:00+08:00", "terminates_at = 2026-01-01T00:00:00+08:00"),
    (
        "contract_year_ends = 2026-01-01T00:00:00+08:00",
        "contract_year_ends = 2027-01-01T00:00:00+08:00",
    ),
    ('exit_from = "2025-01"', 'exit_from = "2026-01"'),
    (
        "signed_at_or_before = 2024-11-20T10:00:00+08:00",
        "signed_at_or_before = 2025-11-18T10:00:00+08:00",
    ),
    ("before = 2024-01-01T00:00:00+08:00", "before = 2025-01-01T00:00:00+08:00"),
    (
        "must_stay_valid_until = 2026-01-01T00:00:00+08:00",
        "must_stay_valid_until = 2027-01-01T00:00:00+08:00",
    ),
]
"""Next year's file as the README's steps write it from tmall-2025: every date moved (and
the year its names say: NAMES_2026)."""

NAMES_2026 = [
    ('name = "天猫2025年度商家续签"', 'name = "天猫2026年度商家续签"'),
    (
        'name_en = "Tmall 2025 contract-year renewal"',
        'name_en = "Tmall 2026 contract-year renewal"',
    ),
]
"""README step 1 changes `name` and `name_en` with `id` and `contract_year`: a name naming
another year than contract_year is refused."""


def test_next_years_file_written_by_the_readme_steps_loads(tmp_path: Path) -> None:
    loaded = load(str(edited(tmp_path, "tmall-2025", *NEXT_YEAR, *NAMES_2026)))
    assert loaded.contract_year == 2026
    assert loaded.cycle.window_closes == datetime(2025, 12, 29, tzinfo=BEIJING)


def next_year_but(tmp_path: Path, old: str, new: str) -> Path:
    """Next year's file with one change left undone (`old` kept) or done wrong (`new`)."""
    changes = [(a, new if a == old else b) for a, b in NEXT_YEAR]
    assert any(a == old for a, _ in NEXT_YEAR), old
    return edited(tmp_path, "tmall-2025", *changes)


@pytest.mark.parametrize(
    ("old", "key", "value"),
    [
        (
            "window_opens = 2024-11-20T12:00:00+08:00",
            "cycle.window_opens",
            "2024-11-20T12:00:00+08:00",
        ),
        (
            "signed_at_or_before = 2024-11-20T10:00:00+08:00",
            "rules.SC01.signed_at_or_before",
            "2024-11-20T10:00:00+08:00",
        ),
        (
            "before = 2024-01-01T00:00:00+08:00",
            "rules.DP01.insurance_earlier_year.before",
            "2024-01-01T00:00:00+08:00",
        ),
    ],
    ids=["window_opens", "cut-off", "insurance"],
)
def test_a_date_left_from_last_year_is_refused_naming_both_keys(
    tmp_path: Path, old: str, key: str, value: str
) -> None:
    """Before, a 13-month window or last year's cut-off changed verdicts silently."""
    path = next_year_but(tmp_path, old, old)
    zh, en = refusal(path)
    assert zh == (
        f"{path}：{key}：{value} 不在 2025 年（contract_year 2026 的前一年），前后矛盾；"
        "是不是沿用了去年的日期？"
    )
    assert en == (
        f"{path}: {key}: {value} is not in 2025, the year before contract_year 2026: "
        "inconsistent; left over from last year?"
    )


def test_a_copy_with_only_the_year_bumped_is_refused_at_its_termination(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        "tmall-2025",
        ("contract_year = 2025", "contract_year = 2026"),
        (
            "contract_year_ends = 2026-01-01T00:00:00+08:00",
            "contract_year_ends = 2027-01-01T00:00:00+08:00",
        ),
    )
    zh, en = refusal(path)
    assert zh == (
        f"{path}：cycle.terminates_at：2025-01-01T00:00:00+08:00，但 contract_year 是 2026："
        "旧合同应于 2026-01-01T00:00:00+08:00（2025-12-31 24时）终止，前后矛盾；"
        "是不是沿用了去年的日期？"
    )
    assert en.startswith(f"{path}: cycle.terminates_at: 2025-01-01T00:00:00+08:00, but ")


def test_a_termination_other_than_the_contract_years_start_is_refused(tmp_path: Path) -> None:
    path = next_year_but(
        tmp_path,
        "terminates_at = 2025-01-01T00:00:00+08:00",
        "terminates_at = 2026-06-01T00:00:00+08:00",
    )
    zh, _ = refusal(path)
    assert zh.startswith(f"{path}：cycle.terminates_at：2026-06-01T00:00:00+08:00，")
    assert zh.endswith("前后矛盾")  # later, not last year's: no "left over" hint


def test_the_window_may_close_at_the_termination(tmp_path: Path) -> None:
    """README: only a termination before the window closes is refused; 12-31 24时 as the
    deadline is the termination itself."""
    path = edited(
        tmp_path,
        "tmall-2025",
        ("window_closes = 2024-12-30T18:00:00+08:00", "window_closes = 2025-01-01T00:00:00+08:00"),
    )
    assert load(str(path)).cycle.window_closes == load(str(path)).cycle.terminates_at


@pytest.mark.parametrize(
    ("old", "new", "key", "zh_end"),
    [
        (
            'exit_from = "2025-01"',
            'exit_from = "2024-01"',
            "cycle.exit_from",
            '"2024-01" 不属于 contract_year 2025，前后矛盾；是不是沿用了去年的日期？',
        ),
        (
            'exit_from = "2025-01"',
            'exit_from = "January"',
            "cycle.exit_from",
            "应为年月，如 \"2026-01\"（写的是 'January'）",
        ),
    ],
)
def test_the_exit_month_is_a_month_of_the_contract_year(
    tmp_path: Path, old: str, new: str, key: str, zh_end: str
) -> None:
    path = edited(tmp_path, "tmall-2025", (old, new))
    zh, _ = refusal(path)
    assert zh == f"{path}：{key}：{zh_end}"


def test_the_annual_fee_is_for_the_contract_year(tmp_path: Path) -> None:
    path = edited(tmp_path, "tmall-2023", ("\nyear = 2023\n", "\nyear = 2022\n"))
    zh, en = refusal(path)
    assert zh.startswith(f"{path}：rules.AF01.year：2022 不属于 contract_year 2023，前后矛盾")
    assert en.startswith(f"{path}: rules.AF01.year: 2022 does not belong to contract_year 2023")


@pytest.mark.parametrize(
    ("before", "refused"),
    [
        ("2024-11-20T12:00:00", False),  # the opening itself: renewals in the window count
        ("2024-11-20T12:00:01", True),  # a renewal in the window's first second would not
        ("2025-03-01T00:00:00", True),  # after the window: no renewal could count
    ],
)
def test_the_insurance_bound_is_no_later_than_the_window_opens(
    tmp_path: Path, before: str, refused: bool
) -> None:
    path = edited(
        tmp_path,
        "tmall-2025",
        ("before = 2024-01-01T00:00:00+08:00", f"before = {before}+08:00"),
    )
    if not refused:
        assert load(str(path)).id == "tmall-2025"
        return
    zh, _ = refusal(path)
    assert zh.startswith(f"{path}：rules.DP01.insurance_earlier_year.before：{before}+08:00 ")
    assert "cycle.window_opens" in zh or "不在 2024 年" in zh


def test_the_transfer_entrance_opening_left_from_last_year_is_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, "tmall-2023", ("opens = 2022-11-21\n", "opens = 2021-11-21\n"))
    zh, _ = refusal(path)
    assert zh.startswith(f"{path}：rules.TB01.entrance.opens：2021-11-21 不在 2022 年")


# --- amounts, thresholds, days, years and yes/no keys ------------------------------------

R_ROW = 'store_type = "旗舰店"\naliases = ["flagship", "旗舰", "品牌旗舰店"]\nR = 50000'


def r_written(value: str) -> tuple[str, str]:
    return R_ROW, R_ROW.replace("R = 50000", f"R = {value}")


@pytest.mark.parametrize(
    ("written", "zh_problem", "en_problem"),
    [
        ("nan", "应为有限的数字（写的是 nan）", "expected a finite number (got nan)"),
        ("inf", "应为有限的数字（写的是 inf）", "expected a finite number (got inf)"),
        ("-inf", "应为有限的数字（写的是 -inf）", "expected a finite number (got -inf)"),
        ("-50000", "应大于 0（写的是 -50000）", "expected more than 0 (got -50000)"),
        ("0", "应大于 0（写的是 0）", "expected more than 0 (got 0)"),
        ("true", "应为数字（写的是 true）", "expected a number (got true)"),
    ],
)
def test_a_deposit_that_is_no_amount_is_refused(
    tmp_path: Path, written: str, zh_problem: str, en_problem: str
) -> None:
    """Before, nan passed everyone and inf ended in exit 3."""
    path = edited(tmp_path, "tmall-2025", r_written(written))
    line = row_line(path.read_text(encoding="utf-8"), "rules.DP01.table", 1)
    key_zh = f"rules.DP01.table.R（第 1 个 [[rules.DP01.table]]，第 {line} 行）"
    key_en = f"rules.DP01.table.R (the 1st [[rules.DP01.table]], line {line})"
    zh, en = refusal(path)
    assert zh == f"{path}：{key_zh}：{zh_problem}"
    assert en == f"{path}: {key_en}: {en_problem}"


@pytest.mark.parametrize(
    ("ruleset", "old", "new", "key"),
    [
        (
            "tmall-2025",
            'names = ["医药", "医疗服务"]\nany = 300000',
            'names = ["医药", "医疗服务"]\nany = 0',
            ("rules.DP01.categories", 5, "any", None),
        ),
        (
            "tmall-2025",
            '"专营店" = 100000 }',
            '"专营店" = nan }',
            ("rules.DP01.categories", 1, "by_store_type.专营店", None),
        ),
        (
            "tmall-2023",
            'aliases = ["服饰配件"]\nfee = 30000',
            'aliases = ["服饰配件"]\nfee = -30000',
            ("rules.AF01.tiers", 1, "fee", None),
        ),
    ],
    ids=["category-any", "by-store-type", "fee"],
)
def test_every_amount_is_finite_and_above_zero(
    tmp_path: Path, ruleset: str, old: str, new: str, key: RowKey
) -> None:
    path = edited(tmp_path, ruleset, (old, new))
    zh, _ = refusal(path)
    assert f"：{in_row(path, key)[0]}：" in zh


@pytest.mark.parametrize(
    ("written", "zh_problem"),
    [
        ('"12"', "应为数字，不加引号（写的是 '12'）"),
        ("true", "应为数字（写的是 true）"),
        ("-1", "应大于 0（写的是 -1）"),
        ("0", "应大于 0（写的是 0）"),
        ("nan", "应为有限的数字（写的是 nan）"),
    ],
)
def test_a_points_threshold_that_is_no_number_of_points_is_refused(
    tmp_path: Path, written: str, zh_problem: str
) -> None:
    """Before, -1 refused every merchant the fallback, and true was read as 1."""
    old = "serious_points_below = 12"
    path = edited(tmp_path, "tmall-2025", (old, f"serious_points_below = {written}"))
    zh, _ = refusal(path)
    assert zh == f"{path}：rules.TB01.serious_points_below：{zh_problem}"


def test_a_fractional_points_threshold_is_kept(tmp_path: Path) -> None:
    """An export's points may have a fraction, so 12.5 means what it says."""
    old = "serious_points_below = 12"
    loaded = load(str(edited(tmp_path, "tmall-2025", (old, "serious_points_below = 12.5"))))
    assert getattr(loaded.rules["TB01"], "serious_points_below", None) == 12.5


@pytest.mark.parametrize(
    ("written", "zh_problem"),
    [
        ("0", "应大于 0（写的是 0）"),
        ("365.0", "应为整数（写的是 365.0）"),
        ('"365"', "应为整数，不加引号（写的是 '365'）"),
        ("true", "应为整数（写的是 true）"),
        ("100000000", "应不大于 3660（写的是 100000000）"),  # before: exit 3, a date overflow
    ],
)
def test_a_number_of_days_is_a_bare_whole_number_up_to_ten_years(
    tmp_path: Path, written: str, zh_problem: str
) -> None:
    path = edited(tmp_path, "tmall-2025", ("window_days = 365", f"window_days = {written}"))
    zh, _ = refusal(path)
    assert zh == f"{path}：rules.TB01.window_days：{zh_problem}"


def test_a_year_written_as_a_decimal_is_refused(tmp_path: Path) -> None:
    path = edited(tmp_path, "tmall-2025", ("contract_year = 2025", "contract_year = 2025.0"))
    zh, en = refusal(path)
    assert zh == f"{path}：contract_year：应为整数（写的是 2025.0）"
    assert en == f"{path}: contract_year: expected a whole number (got 2025.0)"


@pytest.mark.parametrize(
    ("old", "key"),
    [
        ("appeal_pending_excludes = true", "rules.TB01.appeal_pending_excludes"),
        ("supervision = true", "cycle.supervision"),
        ("[rules.DL02]\n", "rules.DL02.enabled"),
    ],
)
@pytest.mark.parametrize(
    ("written", "shown"), [('"yes"', "'yes'"), ('"no"', "'no'"), ('"false"', "'false'"), ("0", "0")]
)
def test_a_yes_no_key_takes_true_or_false_only(
    tmp_path: Path, old: str, key: str, written: str, shown: str
) -> None:
    """Before, enabled = "no" turned a step off, and "false" was read as false."""
    name = key.rsplit(".", 1)[1]
    new = f"{old}{name} = {written}\n" if old.startswith("[") else f"{name} = {written}"
    path = edited(tmp_path, "tmall-2025", (old, new))
    zh, en = refusal(path)
    assert zh == f"{path}：{key}：应为 true 或 false（写的是 {shown}）"
    assert en == f"{path}: {key}: expected true or false (got {shown})"


@pytest.mark.parametrize(
    "path",
    [
        ("tmall-2025", "R = 50000\nTM = 100000", "R = inf\nTM = 100000"),
        ("tmall-2025", "R = 50000\nTM = 100000", "R = nan\nTM = 100000"),
        ("tmall-2025", "window_days = 365", "window_days = 100000000"),
    ],
    ids=["inf", "nan", "days"],
)
def test_no_command_ends_in_exit_3_on_a_figure_that_is_no_figure(
    tmp_path: Path, path: tuple[str, str, str]
) -> None:
    ruleset, old, new = path
    text = bundled_text(ruleset).replace(old, new, 1)
    broken = tmp_path / "mine.toml"
    broken.write_text(text, encoding="utf-8")
    runs = [
        ("check", CSV, "--rules", broken, "--as-of", "2024-12-10", "-f", "json"),
        ("rules", "--rules", broken),
        ("explain", "DP01", "--rules", broken),
        ("template", tmp_path / "t.xlsx", "--rules", broken),
    ]
    for args in runs:
        assert f"{broken}：rules." in one_line_error(renewal(*args)), args


# --- tables say one thing per row --------------------------------------------------------

FRANCHISE = 'store_type = "专卖店"\naliases = ["franchise", "专卖"]'


@pytest.mark.parametrize(
    ("ruleset", "old", "new", "key", "other", "name"),
    [
        (  # two rows for one store type: before, the first won silently
            "tmall-2025",
            FRANCHISE,
            'store_type = "旗舰店"\naliases = ["franchise", "专卖"]',
            ("rules.DP01.table", 2, "store_type", None),
            ("rules.DP01.table", 1, "store_type", None),
            "旗舰店",
        ),
        (  # in another letter case
            "tmall-2025",
            FRANCHISE,
            'store_type = "专卖店"\naliases = ["Flagship", "专卖"]',
            ("rules.DP01.table", 2, "aliases", 1),
            ("rules.DP01.table", 1, "aliases", 1),
            "Flagship",
        ),
        (  # an alias naming another row's store type
            "tmall-2025",
            FRANCHISE,
            'store_type = "专卖店"\naliases = ["franchise", "专卖", "专营店"]',
            ("rules.DP01.table", 3, "store_type", None),
            ("rules.DP01.table", 2, "aliases", 3),
            "专营店",
        ),
        (  # one category in two deposit rows
            "tmall-2025",
            'names = ["教育培训"]',
            'names = ["旅游"]',
            ("rules.DP01.categories", 8, "names", 1),
            ("rules.DP01.categories", 4, "names", 2),
            "旅游",
        ),
        (  # one category in two fee tiers
            "tmall-2023",
            'category = "男装"',
            'category = "女装"',
            ("rules.AF01.tiers", 3, "category", None),
            ("rules.AF01.tiers", 2, "aliases", 1),
            "女装",
        ),
        (  # one 资质类型 name in two consequences
            "tmall-2023",
            'names = ["品牌授权"]\noutcome',  # QL01's, not BL03's lapsed_documents
            'names = ["品牌授权", "店铺授权"]\noutcome',
            ("rules.QL01.consequences", 2, "names", 2),
            ("rules.QL01.consequences", 1, "names", 4),
            "店铺授权",
        ),
    ],
    ids=["store-type", "alias-case", "alias-is-store-type", "category", "fee-tier", "consequence"],
)
def test_a_name_in_two_rows_is_refused_naming_both(
    tmp_path: Path, ruleset: str, old: str, new: str, key: RowKey, other: RowKey, name: str
) -> None:
    path = edited(tmp_path, ruleset, (old, new))
    (key_zh, key_en), (other_zh, other_en) = in_row(path, key), in_row(path, other)
    zh, en = refusal(path)
    assert zh == f"{path}：{key_zh}：'{name}' 已写在 {other_zh}：同一个名字写在两行，用哪一行说不清"
    assert en.startswith(f"{path}: {key_en}: '{name}' is already in {other_en}: ")


def test_any_beside_a_trademark_amount_is_refused(tmp_path: Path) -> None:
    """Before, any won: every R 旗舰店 owed it."""
    row = R_ROW + "\nTM = 100000"
    path = edited(tmp_path, "tmall-2025", (row, R_ROW + "\nany = 70000"))
    line = row_line(path.read_text(encoding="utf-8"), "rules.DP01.table", 1)
    zh, en = refusal(path)
    assert zh.startswith(
        f"{path}：rules.DP01.table.any（第 1 个 [[rules.DP01.table]]，第 {line} 行）："
        "any（不分商标）与 R/TM 不能同时写"
    )
    assert en.startswith(
        f"{path}: rules.DP01.table.any (the 1st [[rules.DP01.table]], line {line}): "
        "any (whatever the trademark) and R/TM"
    )


def test_a_row_without_an_amount_is_refused(tmp_path: Path) -> None:
    row = R_ROW + "\nTM = 100000\n"
    path = edited(tmp_path, "tmall-2025", (row, R_ROW.replace("R = 50000", "")))
    line = row_line(path.read_text(encoding="utf-8"), "rules.DP01.table", 1)
    zh, _ = refusal(path)
    assert zh == (
        f"{path}：第 1 个 [[rules.DP01.table]]（第 {line} 行）：没有金额：写 any（不分商标），或 R 和 TM"
    )


@pytest.mark.parametrize(
    ("new", "key", "zh_end"),
    [
        (  # before: 专营店 fell back to the general table silently
            '"专营店店" = 100000 }',
            "by_store_type.专营店店",
            "'专营店店' 不是保证金表（table）中的店铺类型或别名（表中有：旗舰店、专卖店、专营店、"
            "卖场型旗舰店）",
        ),
        (  # one store type twice, by its name and an alias
            '"专营店" = 100000, "专营" = 80000 }',
            "by_store_type.专营",
            "'专营' 已写在 rules.DP01.categories.by_store_type.专营店{row}：同一个名字写在两行，"
            "用哪一行说不清",
        ),
    ],
)
def test_by_store_type_names_each_store_type_of_the_table_once(
    tmp_path: Path, new: str, key: str, zh_end: str
) -> None:
    """`key` and `{row}`: of the first [[rules.DP01.categories]], the row changed."""
    path = edited(tmp_path, "tmall-2025", ('"专营店" = 100000 }', new))
    line = row_line(path.read_text(encoding="utf-8"), "rules.DP01.categories", 1)
    row = f"（第 1 个 [[rules.DP01.categories]]，第 {line} 行）"
    zh, _ = refusal(path)
    assert zh == f"{path}：rules.DP01.categories.{key}{row}：{zh_end.format(row=row)}"


def test_by_store_type_may_name_a_store_type_by_its_alias(tmp_path: Path) -> None:
    path = edited(tmp_path, "tmall-2025", ('"专营店" = 100000 }', '"specialty" = 100000 }'))
    deposit = load(str(path)).rules["DP01"]
    assert isinstance(deposit, DepositParams)
    assert deposit.required_for("专营店", "R", "图书音像") == 100000


@pytest.mark.parametrize(
    ("old", "new", "key", "zh_problem"),
    [
        (
            'store_type = "专卖店"',
            'store_type = ""',
            ("rules.DP01.table", 2, "store_type", None),
            "''",
        ),
        (
            'store_type = "专卖店"',
            'store_type = "  "',
            ("rules.DP01.table", 2, "store_type", None),
            "'  '",
        ),
        ('names = ["教育培训"]', 'names = [""]', ("rules.DP01.categories", 8, "names", 1), "''"),
        ('label = "签署协议"', 'label = ""', "rules.DL02.label", "''"),
    ],
    ids=["store-type", "store-type-spaces", "category-name", "label"],
)
def test_blank_text_is_refused(
    tmp_path: Path, old: str, new: str, key: str | RowKey, zh_problem: str
) -> None:
    path = edited(tmp_path, "tmall-2025", (old, new))
    key_zh, key_en = (key, key) if isinstance(key, str) else in_row(path, key)
    zh, en = refusal(path)
    assert zh == f"{path}：{key_zh}：不能为空（写的是 {zh_problem}）"
    assert en == f"{path}: {key_en}: must not be blank (got {zh_problem})"


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('names = ["教育培训"]', "names = []", ("rules.DP01.categories", 8, "names", None)),
        (
            'blocks = ["DL02"]\nsource = "brief"',
            'blocks = []\nsource = "brief"',
            "rules.BL01.blocks",
        ),
    ],
    ids=["category-names", "blocks"],
)
def test_an_empty_list_of_names_is_refused(
    tmp_path: Path, old: str, new: str, key: str | RowKey
) -> None:
    text = bundled_text("tmall-2025").replace(old, new, 1)
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    said = key if isinstance(key, str) else in_row(path, key)[0]
    zh, _ = refusal(path)
    assert zh == f"{path}：{said}：至少要写一项（写的是 []）"


# --- a block is marked no stronger than its source ----------------------------------------


def test_a_block_marked_stronger_than_its_source_is_refused(tmp_path: Path) -> None:
    path = edited(
        tmp_path,
        "tmall-2025",
        (
            'source = "announcement"\nmark = "sourced"\nquote = "申请',
            'source = "brief"\nmark = "sourced"\nquote = "申请',
        ),
    )
    zh, en = refusal(path)
    assert zh == (
        f"{path}：rules.DL02.mark：标为 sourced，但它引用的来源 sources.brief 标为 inferred；"
        "一段内容的可信度不能高于它引用的来源"
    )
    assert en.startswith(f"{path}: rules.DL02.mark: marked sourced, but the source it cites, ")
    weaker = edited(
        tmp_path,
        "tmall-2025",
        (
            'source = "announcement"\nmark = "sourced"\nquote = "申请',
            'source = "announcement"\nmark = "sourced-weak"\nquote = "申请',
        ),
    )
    assert load(str(weaker)).id == "tmall-2025"  # weaker than the source is honest


# --- messages: the run's language, TOML's terms -------------------------------------------


def toml_reason(message: str) -> str:
    found = re.search(r"TOML 语法错误（(.*)）$", message)
    assert found is not None, message
    return found[1]


@pytest.mark.parametrize(
    ("old", "new", "zh", "en"),
    [
        (  # a table declared twice
            "[rules.SC01]\n",
            "[rules.DL02]\nenabled = true\n\n[rules.SC01]\n",
            "[rules.DL02] 写了两次",
            "[rules.DL02] is declared twice",
        ),
        (  # a key written twice
            'timezone = "Asia/Shanghai"',
            'timezone = "Asia/Shanghai"\ntimezone = "Asia/Shanghai"',
            "这个键已经有值，不能再写一次",
            "this key already has a value",
        ),
        (  # text after a value on its line
            'timezone = "Asia/Shanghai"',
            'timezone = "Asia/Shanghai" Beijing',
            "一条语句之后、换行之前还有多余的内容",
            "more text after a statement on the same line",
        ),
        (  # a string left open
            'timezone = "Asia/Shanghai"',
            'timezone = "Asia/Shanghai',
            "字符串缺少结尾的引号",
            "a string is missing its closing quote",
        ),
        (  # a statement that is none
            'timezone = "Asia/Shanghai"',
            '= "Asia/Shanghai"',
            "这一行不是合法的语句",
            "this line is not a statement",
        ),
    ],
    ids=["table-twice", "key-twice", "newline", "unclosed", "no-key"],
)
def test_a_toml_syntax_error_is_said_in_the_runs_language(
    tmp_path: Path, old: str, new: str, zh: str, en: str
) -> None:
    path = edited(tmp_path, "tmall-2025", (old, new))
    said_zh, said_en = refusal(path)
    assert re.match(rf"{re.escape(str(path))}：第 \d+ 行第 \d+ 列：TOML 语法错误（", said_zh)
    reason = toml_reason(said_zh)
    assert reason.startswith(zh)
    assert not re.search(r"[A-Za-z]{3,}", reason.replace("rules.DL02", "")), reason
    assert re.match(rf"{re.escape(str(path))}: line \d+, column \d+: TOML syntax error \(", said_en)
    assert f"({en}" in said_en and "('" not in said_en


def test_the_toml_reasons_are_worded_in_both_languages() -> None:
    words = rule_errors._TOML_WORDS
    assert words["zh"].keys() == words["en"].keys()
    kinds = {kind for _, kind in rule_errors._TOML_REASONS} | {"other", "string_end"}
    assert kinds == words["zh"].keys()
    assert rule_errors._HINTS["zh"].keys() == rule_errors._HINTS["en"].keys()
    assert "Invalid" not in rule_errors.TomlReason("Some new reason").said("zh")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """Notepad saves one; exports with one are read."""
    path = tmp_path / "mine.toml"
    path.write_bytes(b"\xef\xbb\xbf" + (bundled_dir() / "tmall-2025.toml").read_bytes())
    assert load(str(path)).cycle == load("tmall-2025").cycle


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ('"2024-12-30 24:00"', "'2024-12-30 24:00'"),
        ('"2024年12月30日24时"', "'2024年12月30日24时'"),
    ],
)
def test_24_hours_in_text_gets_the_moment_to_write(
    tmp_path: Path, written: str, shown: str
) -> None:
    old = "window_closes = 2024-12-30T18:00:00+08:00"
    path = edited(tmp_path, "tmall-2025", (old, f"window_closes = {written}"))
    zh, en = refusal(path)
    assert zh == (
        f"{path}：cycle.window_closes：「24时」要写成次日的 00:00，即 "
        f"2024-12-31T00:00:00+08:00（写的是 {shown}）"
    )
    assert en == (
        f"{path}: cycle.window_closes: 24:00 is written as the next day's 00:00, "
        f"2024-12-31T00:00:00+08:00 (got {shown})"
    )


def test_24_hours_in_a_toml_datetime_gets_the_key_and_the_moment_to_write(
    tmp_path: Path,
) -> None:
    """TOML has no hour 24: before, this was tomllib's 'Expected newline …' in English."""
    old = "window_closes = 2024-12-30T18:00:00+08:00"
    path = edited(tmp_path, "tmall-2025", (old, "window_closes = 2024-12-30T24:00:00+08:00"))
    zh, en = refusal(path)
    line = bundled_text("tmall-2025").splitlines().index(old) + 1
    assert zh == (
        f"{path}：第 {line} 行：cycle.window_closes：「24时」要写成次日的 00:00，即 "
        "2024-12-31T00:00:00+08:00（写的是 2024-12-30T24:00:00+08:00）"
    )
    assert en.startswith(f"{path}: line {line}: cycle.window_closes: 24:00 is written as")


def test_an_unknown_key_of_a_source_lists_or_suggests_the_known_ones(tmp_path: Path) -> None:
    """Before, sources.x.url2 ended with an empty list of known keys."""
    old = 'url = "https://wopengpower.com/thread-18195-1-1.html"'
    close = edited(tmp_path, "tmall-2025", (old, f"{old}\nurl2 = 1"))
    assert refusal(close)[0].endswith("sources.announcement.url2：未知的键；是不是「url」？")
    far = edited(tmp_path, "tmall-2025", (old, f"{old}\nzzz = 1"))
    assert refusal(far)[0].endswith(
        "sources.announcement.zzz：未知的键；可用的键：kind、mark、published、title、url"
    )


@pytest.mark.parametrize(
    ("change", "key", "zh_end"),
    [
        (('schema = "renewal-rules/1"\n', ""), "schema", "缺少这个键"),
        (
            ("[cycle]\n", "[[cycle]]\n"),
            "cycle",
            "应为表（写的是 [{window_opens = 2024-11-20T12:00:00+08:00, window_closes…）",
        ),
        (
            ('timezone = "Asia/Shanghai"', 'timezone = ["Asia/Shanghai", true]'),
            "timezone",
            '应为加引号的文本（写的是 ["Asia/Shanghai", true]）',
        ),
    ],
    ids=["missing", "array-of-tables", "array"],
)
def test_values_are_said_in_tomls_terms_never_pythons(
    tmp_path: Path, change: tuple[str, str], key: str, zh_end: str
) -> None:
    zh, en = refusal(edited(tmp_path, "tmall-2025", change))
    path = tmp_path / "mine.toml"
    assert zh == f"{path}：{key}：{zh_end}"
    for python in ("None", "datetime.datetime", "{'", "True", "False"):
        assert python not in zh and python not in en
