"""A rule file that loads must mean what it says: values pydantic would quietly reinterpret
(a deadline without its time, a quoted year, another timezone), a blocker naming a step
the year does not have, and moments out of order are refused, naming the file, the dotted
key and the value written, in Chinese by default and in English."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ROOT, renewal
from test_catalog import one_line_error
from test_rule_validation import row_line

from renewal.checks.registry import REGISTRY, Role
from renewal.rule_errors import RuleSetError
from renewal.ruleset import bundled_dir, load
from renewal.timeutil import BEIJING


def broken_copy(tmp_path: Path, ruleset: str, old: str, new: str) -> Path:
    """A bundled rule file with one line changed, as a user's copy of it."""
    text = (bundled_dir() / f"{ruleset}.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "mine.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def refusal(path: Path) -> tuple[str, str]:
    """What loading `path` says, in Chinese and in English."""
    with pytest.raises(RuleSetError) as raised:
        load(str(path))
    return raised.value.message("zh"), raised.value.message("en")


# --- moments need their time ------------------------------------------------------------

# (rule set, dotted key, the line as the bundled file writes it): every key typed as a
# moment in the rule models, each in a bundled file that has it.
MOMENTS = [
    ("tmall-2025", "cycle.window_opens", "window_opens = 2024-11-20T12:00:00+08:00"),
    ("tmall-2025", "cycle.window_closes", "window_closes = 2024-12-30T18:00:00+08:00"),
    ("tmall-2025", "cycle.terminates_at", "terminates_at = 2025-01-01T00:00:00+08:00"),
    ("tmall-2025", "cycle.contract_year_ends", "contract_year_ends = 2026-01-01T00:00:00+08:00"),
    (
        "tmall-2025",
        "rules.SC01.signed_at_or_before",
        "signed_at_or_before = 2024-11-20T10:00:00+08:00",
    ),
    (
        "tmall-2025",
        "rules.QL01.must_stay_valid_until",
        "must_stay_valid_until = 2026-01-01T00:00:00+08:00",
    ),
    ("tmall-2019", "rules.AS01.opened_before", "opened_before = 2017-07-01T00:00:00+08:00"),
]


def without_time(line: str) -> tuple[str, str]:
    """`key = 2024-12-30T18:00:00+08:00` as `key = 2024-12-30`, and the date written."""
    name, moment = line.split(" = ")
    day = moment.split("T")[0]
    return f"{name} = {day}", day


@pytest.mark.parametrize(("ruleset", "key", "line"), MOMENTS, ids=[m[1] for m in MOMENTS])
def test_a_moment_written_as_a_bare_date_is_refused(
    tmp_path: Path, ruleset: str, key: str, line: str
) -> None:
    bare, day = without_time(line)
    path = broken_copy(tmp_path, ruleset, line, bare)
    zh, en = refusal(path)
    assert zh.startswith(f"{path}：{key}：") and zh.endswith(f"（写的是 {day}）")
    assert "时间" in zh and "00:00" in zh
    assert en.startswith(f"{path}: {key}: ") and en.endswith(f"(got {day})")
    assert "add the time" in en and "00:00" in en


@pytest.mark.parametrize(
    ("written", "shown_en"),
    [
        ('"2024-12-30"', "(got '2024-12-30')"),  # a date in quotes is still a bare date
        ("1735552800", "(got 1735552800)"),  # pydantic would read Unix time
    ],
)
def test_a_moment_in_quotes_without_a_time_or_as_a_number_is_refused(
    tmp_path: Path, written: str, shown_en: str
) -> None:
    line = "window_closes = 2024-12-30T18:00:00+08:00"
    path = broken_copy(tmp_path, "tmall-2025", line, f"window_closes = {written}")
    zh, en = refusal(path)
    assert zh.startswith(f"{path}：cycle.window_closes：")
    assert en.startswith(f"{path}: cycle.window_closes: ") and en.endswith(shown_en)


def test_keys_that_mean_a_day_keep_their_dates_while_a_moment_needs_its_time(
    tmp_path: Path,
) -> None:
    bundled = load("tmall-2019")
    assert bundled.sources["transfer_2019"].published == date(2018, 10, 11)
    assert getattr(bundled.rules["TB01"], "period_from", None) == date(2018, 1, 1)
    line = "opened_before = 2017-07-01T00:00:00+08:00"
    path = broken_copy(tmp_path, "tmall-2019", line, "opened_before = 2017-07-01")
    zh, _ = refusal(path)
    assert "rules.AS01.opened_before" in zh


def test_a_moment_without_an_offset_is_beijing_time(tmp_path: Path) -> None:
    """Before, a cut-off without +08:00 stayed naive and `check` crashed comparing it."""
    line = "signed_at_or_before = 2024-11-20T10:00:00+08:00"
    path = broken_copy(tmp_path, "tmall-2025", line, "signed_at_or_before = 2024-11-20T10:00:00")
    cutoff = getattr(load(str(path)).rules["SC01"], "signed_at_or_before", None)
    assert cutoff == datetime(2024, 11, 20, 10, 0, tzinfo=BEIJING)
    assert cutoff is not None and cutoff.utcoffset() == timedelta(hours=8)


# --- timezone ----------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Mars/Base", "UTC", "Asia/Tokyo", "asia/shanghai"])
def test_a_timezone_other_than_beijing_is_refused(tmp_path: Path, zone: str) -> None:
    line = 'timezone = "Asia/Shanghai"'
    path = broken_copy(tmp_path, "tmall-2025", line, f'timezone = "{zone}"')
    zh, en = refusal(path)
    assert zh.startswith(f"{path}：timezone：") and zh.endswith(f"（写的是 '{zone}'）")
    assert "北京时间" in zh and '"Asia/Shanghai"' in zh
    assert en.startswith(f"{path}: timezone: ") and en.endswith(f"(got '{zone}')")
    assert "Beijing time" in en and '"Asia/Shanghai"' in en


# --- a blocker blocks steps of its own year ----------------------------------------------


def steps_of(ruleset: str) -> list[str]:
    return [code for code in load(ruleset).rules if REGISTRY[code].role == Role.STEP]


@pytest.mark.parametrize(
    ("ruleset", "written", "unknown"),
    [
        ("tmall-2025", '["DL09"]', "DL09"),  # no such step anywhere
        ("tmall-2025", '["DL01"]', "DL01"),  # a step, but 2025年度 has no sign-up
        ("tmall-2025", '["BL02"]', "BL02"),  # a rule of the year, but a blocker
        ("tmall-2023", '["DL01", "DP09"]', "DP09"),  # the second of two
    ],
)
def test_a_blocker_naming_a_step_the_year_lacks_is_refused(
    tmp_path: Path, ruleset: str, written: str, unknown: str
) -> None:
    text = (bundled_dir() / f"{ruleset}.toml").read_text(encoding="utf-8")
    first = text.index("[rules.BL01]")
    line = text[first:].split("blocks = ", 1)[1].split("\n", 1)[0]
    old = text[first : text.index(f"blocks = {line}", first) + len(f"blocks = {line}")]
    path = broken_copy(
        tmp_path, ruleset, old, old.replace(f"blocks = {line}", f"blocks = {written}")
    )
    zh, en = refusal(path)
    steps = steps_of(ruleset)
    assert steps and unknown not in steps
    assert zh.startswith(f"{path}：rules.BL01.blocks：") and unknown in zh
    assert zh.endswith("（已有的步骤：" + "、".join(steps) + "）")
    assert en.startswith(f"{path}: rules.BL01.blocks: ") and unknown in en
    assert en.endswith("(its steps: " + ", ".join(steps) + ")")


# --- years and amounts are written as numbers --------------------------------------------


@pytest.mark.parametrize(
    ("ruleset", "old", "new", "key", "written"),
    [
        ("tmall-2025", "contract_year = 2025", 'contract_year = "2025"', "contract_year", "2025"),
        ("tmall-2023", "\nyear = 2023\n", '\nyear = "2023"\n', "rules.AF01.year", "2023"),
    ],
)
def test_a_year_in_quotes_is_refused(
    tmp_path: Path, ruleset: str, old: str, new: str, key: str, written: str
) -> None:
    path = broken_copy(tmp_path, ruleset, old, new)
    zh, en = refusal(path)
    assert zh == f"{path}：{key}：应为整数，不加引号（写的是 '{written}'）"
    assert en == f"{path}: {key}: expected a whole number without quotes (got '{written}')"


def first_row_line(ruleset: str, header: str, name: str) -> str:
    """The `name = …` line of the first `[[header]]` row, with the row header before it, so
    the replacement touches that row only."""
    text = (bundled_dir() / f"{ruleset}.toml").read_text(encoding="utf-8")
    start = text.index(f"[[{header}]]")
    end = text.index(f"\n{name} = ", start)
    return text[start : text.index("\n", end + 1)]


@pytest.mark.parametrize(
    ("ruleset", "header", "name"),
    [
        ("tmall-2023", "rules.AF01.tiers", "fee"),
        ("tmall-2025", "rules.DP01.table", "R"),
        ("tmall-2025", "rules.DP01.table", "TM"),
    ],
)
@pytest.mark.parametrize("kind", ["quoted", "bool"])
def test_an_amount_in_quotes_or_as_true_is_refused(
    tmp_path: Path, ruleset: str, header: str, name: str, kind: str
) -> None:
    block = first_row_line(ruleset, header, name)
    amount = block.rsplit(" = ", 1)[1]
    written = f'"{amount}"' if kind == "quoted" else "true"
    path = broken_copy(tmp_path, ruleset, block, f"{block.rsplit(' = ', 1)[0]} = {written}")
    line = row_line(path.read_text(encoding="utf-8"), header, 1)
    key_zh = f"{header}.{name}（第 1 个 [[{header}]]，第 {line} 行）"
    key_en = f"{header}.{name} (the 1st [[{header}]], line {line})"
    zh, en = refusal(path)
    if kind == "quoted":
        assert zh == f"{path}：{key_zh}：应为数字，不加引号（写的是 '{amount}'）"
        assert en == f"{path}: {key_en}: expected a number without quotes (got '{amount}')"
    else:  # pydantic would take true for 1 yuan; said as TOML writes it
        assert zh == f"{path}：{key_zh}：应为数字（写的是 true）"
        assert en == f"{path}: {key_en}: expected a number (got true)"


def test_an_amount_in_quotes_in_a_category_table_is_refused(tmp_path: Path) -> None:
    old = 'by_store_type = { "旗舰店" = 50000,'
    path = broken_copy(tmp_path, "tmall-2025", old, 'by_store_type = { "旗舰店" = "50000",')
    line = row_line(path.read_text(encoding="utf-8"), "rules.DP01.categories", 1)
    zh, en = refusal(path)
    assert zh.startswith(
        f"{path}：rules.DP01.categories.by_store_type.旗舰店"
        f"（第 1 个 [[rules.DP01.categories]]，第 {line} 行）："
    )
    assert en.endswith("expected a number without quotes (got '50000')")


# --- moments in order --------------------------------------------------------------------

CLOSES = "2024-12-30T18:00:00+08:00"


@pytest.mark.parametrize(
    ("old", "new", "key", "value", "other", "other_value", "zh_word", "en_word"),
    [
        (
            "window_closes = " + CLOSES,
            "window_closes = 2024-11-01T18:00:00+08:00",
            "cycle.window_closes",
            "2024-11-01T18:00:00+08:00",
            "cycle.window_opens",
            "2024-11-20T12:00:00+08:00",
            "不晚于",
            "is not after",
        ),
        (
            "window_closes = " + CLOSES,
            "window_closes = 2024-11-20T12:00:00+08:00",  # a window of no length
            "cycle.window_closes",
            "2024-11-20T12:00:00+08:00",
            "cycle.window_opens",
            "2024-11-20T12:00:00+08:00",
            "不晚于",
            "is not after",
        ),
        (
            "terminates_at = 2025-01-01T00:00:00+08:00",
            "terminates_at = 2024-12-30T17:59:59+08:00",  # a second before the window closes
            "cycle.terminates_at",
            "2024-12-30T17:59:59+08:00",
            "cycle.window_closes",
            CLOSES,
            "早于",
            "is before",
        ),
        (
            "contract_year_ends = 2026-01-01T00:00:00+08:00",
            "contract_year_ends = 2025-01-01T00:00:00+08:00",  # copied from terminates_at
            "cycle.contract_year_ends",
            "2025-01-01T00:00:00+08:00",
            "cycle.terminates_at",
            "2025-01-01T00:00:00+08:00",
            "不晚于",
            "is not after",
        ),
        (
            "signed_at_or_before = 2024-11-20T10:00:00+08:00",
            "signed_at_or_before = 2024-11-20T12:00:01+08:00",  # a second after it opens
            "rules.SC01.signed_at_or_before",
            "2024-11-20T12:00:01+08:00",
            "cycle.window_opens",
            "2024-11-20T12:00:00+08:00",
            "晚于",
            "is after",
        ),
        (
            "must_stay_valid_until = 2026-01-01T00:00:00+08:00",
            "must_stay_valid_until = 2025-01-01T00:00:00+08:00",  # last year's, not updated
            "rules.QL01.must_stay_valid_until",
            "2025-01-01T00:00:00+08:00",
            "cycle.terminates_at",
            "2025-01-01T00:00:00+08:00",
            "不晚于",
            "is not after",
        ),
        (
            "must_stay_valid_until = 2026-01-01T00:00:00+08:00",
            "must_stay_valid_until = 2026-01-01T00:00:01+08:00",
            "rules.QL01.must_stay_valid_until",
            "2026-01-01T00:00:01+08:00",
            "cycle.contract_year_ends",
            "2026-01-01T00:00:00+08:00",
            "晚于",
            "is after",
        ),
    ],
    ids=[
        "closes-before-opens",
        "empty",
        "terminates-before-closes",
        "year-ends",
        "cut-off",
        "qualifications-to-last-year",
        "qualifications-past-the-year",
    ],
)
def test_moments_out_of_order_name_both_keys_and_values(
    tmp_path: Path,
    old: str,
    new: str,
    key: str,
    value: str,
    other: str,
    other_value: str,
    zh_word: str,
    en_word: str,
) -> None:
    path = broken_copy(tmp_path, "tmall-2025", old, new)
    zh, en = refusal(path)
    assert zh == f"{path}：{key}：{value} {zh_word} {other}（{other_value}），前后矛盾"
    assert en == f"{path}: {key}: {value} {en_word} {other} ({other_value}): inconsistent"


@pytest.mark.parametrize("year", ["2024", "2026"])
def test_a_contract_year_the_cycle_does_not_end_in_is_refused(tmp_path: Path, year: str) -> None:
    path = broken_copy(tmp_path, "tmall-2025", "contract_year = 2025", f"contract_year = {year}")
    zh, en = refusal(path)
    ends = "2026-01-01T00:00:00+08:00"
    assert zh == (
        f"{path}：contract_year：{year} 年度应于 {year}-12-31 24时结束，"
        f"但 cycle.contract_year_ends 是 {ends}，前后矛盾"
    )
    assert en.startswith(f"{path}: contract_year: the {year} contract year should end at")


@pytest.mark.parametrize(
    ("cutoff", "refused"),
    [("2024-11-20T11:59:59", False), ("2024-11-20T12:00:00", False), ("2024-11-20T12:00:01", True)],
)
def test_the_scope_cut_off_may_be_the_opening_moment_but_not_after(
    tmp_path: Path, cutoff: str, refused: bool
) -> None:
    """domain.md §1.3: the cut-off is 10:00 on the day the window opens, in every year."""
    line = "signed_at_or_before = 2024-11-20T10:00:00+08:00"
    path = broken_copy(tmp_path, "tmall-2025", line, f"signed_at_or_before = {cutoff}+08:00")
    if refused:
        zh, _ = refusal(path)
        assert "rules.SC01.signed_at_or_before" in zh and "cycle.window_opens" in zh
    else:
        assert load(str(path)).id == "tmall-2025"


# --- as a user runs it -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "zh", "en"),
    [
        (
            "window_closes = " + CLOSES,
            "window_closes = 2024-12-30",
            "cycle.window_closes：只写了日期，还需写时间",
            "cycle.window_closes: a date alone: add the time",
        ),
        (
            'timezone = "Asia/Shanghai"',
            'timezone = "Mars/Base"',
            "timezone：规则中的时间都是北京时间",
            "timezone: rule times are Beijing time",
        ),
        (
            "contract_year = 2025",
            'contract_year = "2025"',
            "contract_year：应为整数，不加引号（写的是 '2025'）",
            "contract_year: expected a whole number without quotes (got '2025')",
        ),
    ],
)
def test_validate_rules_and_check_refuse_in_the_users_language(
    tmp_path: Path, old: str, new: str, zh: str, en: str
) -> None:
    path = broken_copy(tmp_path, "tmall-2025", old, new)
    said_zh = one_line_error(renewal("validate-rules", path))
    said_en = one_line_error(renewal("validate-rules", path, "--lang", "en"))
    assert said_zh.startswith(f"renewal: {path}：") and zh in said_zh
    assert said_en.startswith(f"renewal: {path}: ") and en in said_en
    export = ROOT / "fixtures" / "merchants-2022.csv"
    check = renewal("check", export, "--rules", path, "--as-of", "2024-12-20")
    assert zh in one_line_error(check)


def test_a_blocker_naming_an_unknown_step_is_refused_by_validate_rules(tmp_path: Path) -> None:
    text = (bundled_dir() / "tmall-2025.toml").read_text(encoding="utf-8")
    path = tmp_path / "mine.toml"
    path.write_text(text.replace('blocks = ["DL02"]', 'blocks = ["DL09"]', 1), encoding="utf-8")
    said = one_line_error(renewal("validate-rules", path, "--lang", "en"))
    assert said == f"renewal: {path}: rules.BL01.blocks: this rule set has no step DL09 " + (
        "(its steps: " + ", ".join(steps_of("tmall-2025")) + ")"
    )


def test_a_changed_copy_keeping_the_bundled_id_is_valid_but_warned_about(tmp_path: Path) -> None:
    """Next year's file begun as a copy of this year's: it loads, but until its id changes
    its reports would say they were made with the bundled rule set."""
    path = broken_copy(
        tmp_path,
        "tmall-2025",
        "window_closes = " + CLOSES,
        "window_closes = " + "2024-12-30T20:00:00+08:00",
    )
    run = renewal("validate-rules", path)
    assert run.returncode == 0 and run.stdout.startswith(f"ok {path}")
    assert run.stderr.strip() == (
        f"renewal: 注意：{path} 的 id 是内置规则集的 tmall-2025，内容却不同；"
        "用它写的报告会被当作内置的 tmall-2025。请改用新的 id"
    )
    renamed = tmp_path / "my-2025.toml"  # named as its id: another name is noted
    renamed.write_text(
        path.read_text(encoding="utf-8").replace('id = "tmall-2025"', 'id = "my-2025"'),
        encoding="utf-8",
    )
    unchanged = tmp_path / "same.toml"
    unchanged.write_bytes((bundled_dir() / "tmall-2025.toml").read_bytes())
    for quiet in (renamed, unchanged):
        run = renewal("validate-rules", quiet)
        assert run.returncode == 0 and run.stderr == "", run.stderr
