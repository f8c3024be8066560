"""The rule registry and the rule file's validation: codes, docstrings, strict parameters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_rule_validation import row_line

from renewal.checks import REGISTRY
from renewal.checks.registry import Role, rule
from renewal.model import Finding, Merchant, Status, finding
from renewal.rule_errors import RuleSetError
from renewal.ruleset import RuleParams, bundled_dir, load

RULES_FILE = bundled_dir() / "tmall-2022.toml"
RULES_TEXT = RULES_FILE.read_text(encoding="utf-8")
SECTIONS = ("Fails when:", "Passes when:", "Not applicable when:", "Remediation:", "Source:")


# --- codes -------------------------------------------------------------------------------


def test_codes_are_two_letters_two_digits() -> None:
    assert REGISTRY
    for code, registered in REGISTRY.items():
        assert re.fullmatch(r"[A-Z]{2}\d{2}", code), code
        assert registered.code == code


def test_codes_and_slugs_are_unique() -> None:
    codes = [registered.code for registered in REGISTRY.values()]
    slugs = [registered.slug for registered in REGISTRY.values()]
    assert len(set(codes)) == len(codes)
    assert len(set(slugs)) == len(slugs)


def _noop(merchant: Merchant, params: RuleParams, ctx: object) -> Finding:
    return finding("XX99", Status.SKIP, "")


@pytest.mark.parametrize("code", ["DP01", "dp01", "DP1", "DPX01", "D01"])
def test_register_rejects_a_duplicate_or_malformed_code(code: str) -> None:
    before = dict(REGISTRY)
    with pytest.raises(ValueError):
        rule(code, "test.noop", "test", Role.ADVISORY, RuleParams)(_noop)
    assert REGISTRY == before


# --- docstrings --------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_docstring_has_title_and_sections_in_order(code: str) -> None:
    doc = REGISTRY[code].doc
    lines = [line.strip() for line in doc.splitlines()]
    title = lines[0] if lines else ""
    assert title, f"{code}: no title line"
    assert not title.startswith(SECTIONS), f"{code}: the first line must be a title"
    assert REGISTRY[code].title == title
    starts = []
    for section in SECTIONS:
        found = [i for i, line in enumerate(lines) if line.startswith(section)]
        assert len(found) == 1, f"{code}: section {section!r} found {len(found)} times"
        assert lines[found[0]].removeprefix(section).strip(), f"{code}: empty {section!r}"
        starts.append(found[0])
    assert starts == sorted(starts), f"{code}: sections out of order"
    assert starts[0] > 0


# --- the rule file -----------------------------------------------------------------------


def write_variant(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tmall-2022.toml"
    path.write_text(text, encoding="utf-8")
    return path


RULE_FILES = (
    RULES_FILE,
    RULES_FILE.with_name("tmall-2023.toml"),
    RULES_FILE.with_name("tmall-2025.toml"),
    RULES_FILE.with_name("tmall-2019.toml"),
)


def text_with(header: str) -> str:
    """The text of the first rule file that has the block `header` (2022, then 2023, …)."""
    for path in RULE_FILES:
        text = path.read_text(encoding="utf-8")
        if f"\n{header}\n" in text:
            return text
    raise AssertionError(f"no rule file has {header}")


def in_block(header: str, old: str, new: str) -> str:
    """That rule file's text with the first `old` after the line `header` replaced by `new`."""
    text = text_with(header)
    start = text.index(f"\n{header}\n") + 1
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old) :]


def load_error(path: Path) -> str:
    with pytest.raises(RuleSetError) as raised:
        load(str(path))
    message = str(raised.value)
    assert str(path) in message, message
    return message


def names_key(message: str, key: str) -> bool:
    """`key` appears whole in `message` (not as the prefix of a longer key)."""
    return re.search(rf"(?<![\w.]){re.escape(key)}(?![\w.])", message) is not None


def test_an_unmodified_copy_loads_and_every_rule_has_a_block_somewhere(tmp_path: Path) -> None:
    ruleset = load(str(write_variant(tmp_path, RULES_TEXT)))
    assert ruleset.path == str(tmp_path / "tmall-2022.toml")
    in_some_file = set().union(*(load(str(path)).rules for path in RULE_FILES))
    assert in_some_file == set(REGISTRY)


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_an_unknown_key_in_a_rule_block_is_rejected(code: str, tmp_path: Path) -> None:
    """`enabeld` next to the (optional) keys: only a model that forbids extras catches it."""
    header = f"[rules.{code}]"
    text = in_block(header, header + "\n", header + "\nenabeld = false\n")
    message = load_error(write_variant(tmp_path, text))
    assert names_key(message, f"rules.{code}.enabeld"), message


@pytest.mark.parametrize("code", sorted(REGISTRY))
def test_a_misspelt_key_is_named_rather_than_the_missing_one(code: str, tmp_path: Path) -> None:
    """The block's first key renamed by swapping two letters: report the misspelling."""
    header = f"[rules.{code}]"
    text = text_with(header)
    start = text.index(f"\n{header}\n") + len(header) + 2
    key = text[start:].split("=", 1)[0].strip()
    misspelt = key[0] + key[2] + key[1] + key[3:]
    assert misspelt != key
    text = in_block(header, f"\n{key} =", f"\n{misspelt} =")
    message = load_error(write_variant(tmp_path, text))
    assert names_key(message, f"rules.{code}.{misspelt}"), message


def test_misspelt_table_array_names_the_dotted_key(tmp_path: Path) -> None:
    text = RULES_TEXT.replace("[[rules.DP01.table]]", "[[rules.DP01.tabel]]")
    assert text != RULES_TEXT
    message = load_error(write_variant(tmp_path, text))
    assert names_key(message, "rules.DP01.tabel"), message


def test_unknown_key_in_a_nested_row_names_its_index(tmp_path: Path) -> None:
    header = "[[rules.AF01.tiers]]"
    text = RULES_TEXT.replace(header + "\n", header + "\nfees = 1\n", 2)
    message = load_error(write_variant(tmp_path, text))
    line = row_line(text, "rules.AF01.tiers", 1)
    said = f"rules.AF01.tiers.fees (the 1st [[rules.AF01.tiers]], line {line})"
    assert names_key(message, said), message


def test_source_not_declared_is_rejected(tmp_path: Path) -> None:
    text = in_block("[rules.SC01]", 'source = "announcement"', 'source = "annoucement"')
    message = load_error(write_variant(tmp_path, text))
    assert names_key(message, "rules.SC01.source"), message
    assert "annoucement" in message


def test_source_not_declared_in_a_table_row_is_rejected(tmp_path: Path) -> None:
    text = in_block("[[rules.DP01.table]]", 'source = "deposit_rules"', 'source = "deposit"')
    message = load_error(write_variant(tmp_path, text))
    line = row_line(text, "rules.DP01.table", 1)
    said = f"rules.DP01.table.source (the 1st [[rules.DP01.table]], line {line})"
    assert names_key(message, said), message


def test_clause_without_source_is_rejected(tmp_path: Path) -> None:
    text = in_block("[rules.QL01]", 'source = "announcement"\n', "")
    message = load_error(write_variant(tmp_path, text))
    assert names_key(message, "rules.QL01.source"), message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # opens and closes swapped
        (
            "window_opens = 2021-11-19T12:00:00+08:00\nwindow_closes = 2021-12-26T18:00:00+08:00",
            "window_opens = 2021-12-26T18:00:00+08:00\nwindow_closes = 2021-11-19T12:00:00+08:00",
        ),
        # a window of no length
        (
            "window_closes = 2021-12-26T18:00:00+08:00",
            "window_closes = 2021-11-19T12:00:00+08:00",
        ),
        # closing after the contract terminates
        (
            "window_closes = 2021-12-26T18:00:00+08:00",
            "window_closes = 2022-01-01T00:00:01+08:00",
        ),
    ],
    ids=["swapped", "empty", "closes-after-termination"],
)
def test_window_out_of_order_is_rejected(old: str, new: str, tmp_path: Path) -> None:
    assert old in RULES_TEXT
    message = load_error(write_variant(tmp_path, RULES_TEXT.replace(old, new)))
    assert "cycle.window_closes" in message
    assert "cycle.window_opens" in message or "cycle.terminates_at" in message
