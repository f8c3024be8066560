"""How a rule's source is named to a reader: its title and web address, never a path into
the folder beside the project where its authors keep their copies (../shared/seeds,
../shared/domain.md), which a user does not have. A source held only as a file is named
by its title alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import XLSX, renewal

from renewal import catalog
from renewal.ruleset import bundled_dir, bundled_ids, load

PATH_LIKE = re.compile(r"\.\./|shared/|seeds/|file:|\.txt\b")
"""What a path into the authors' own folder looks like, in any output."""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("ruleset_id", bundled_ids())
def test_no_explained_source_names_a_path(ruleset_id: str, lang: str) -> None:
    """Every rule of every bundled year, as `explain` and the HTML report's rule details
    print it, and every source `rules --format json` gives."""
    ruleset = load(ruleset_id)
    for code in ruleset.rules:
        for _, line in catalog.explain_lines(code, ruleset, lang):
            if line.startswith(("Source", "出处")):
                assert not PATH_LIKE.search(line), (code, line)
        for row in catalog.rule_rows(ruleset, lang):
            source = row["source"]
            if source:
                assert not PATH_LIKE.search(source["title"] + source["url"]), (row["code"], source)


def test_tb01_2021_names_the_2022_announcement_by_title_and_address() -> None:
    """The case reported: the next year's announcement, held as a seed, shown as a reader
    can find it."""
    ruleset = load("tmall-2021")
    for code in ("TB01", "QL01"):
        lines = [text for _, text in catalog.explain_lines(code, ruleset, "en")]
        assert (
            "Source: 天猫2022年度商家续签公告 (the next year's) — "
            "https://www.maijiaw.com/article/503372"
        ) in lines, code


def test_a_source_held_only_as_a_file_is_named_by_its_title_alone(tmp_path: Path) -> None:
    """A saved page with no address (`url = "file:…"`): its title, no path, in `explain`
    and in `rules --format json` (an empty url)."""
    text = (bundled_dir() / "tmall-2022.toml").read_text(encoding="utf-8")
    held = text.replace(
        'url = "https://husay.cn/a/202210/2366378.html"',
        'url = "file:../shared/seeds/004_e9fd2a04f135effa.txt"',
    )
    assert held != text
    path = tmp_path / "tmall-2022-held.toml"
    path.write_text(held, encoding="utf-8")
    ruleset = load(str(path))
    cited = [
        (code, line)
        for code in ruleset.rules
        for _, line in catalog.explain_lines(code, ruleset, "en")
        if line.startswith("Source: 天猫2022年度商家续签公告 (repost)")
    ]
    assert cited and all(line == "Source: 天猫2022年度商家续签公告 (repost)" for _, line in cited)
    done = renewal("rules", "--rules", path, "--lang", "en", "--format", "json")
    assert done.returncode == 0, done.stderr
    sources = [row["source"] for row in json.loads(done.stdout) if row["source"]]
    repost = [s for s in sources if s["id"] == "announcement_repost"]
    assert {s["url"] for s in repost} == {""} and "seeds/" not in done.stdout
    assert "https://www.maijiaw.com/article/503372" in done.stdout  # an address stays


def test_the_html_report_s_rule_details_name_no_path(tmp_path: Path) -> None:
    """The page embeds each rule's explanation: the 2021 sources by title and address."""
    page = tmp_path / "r.html"
    done = renewal(
        "check", XLSX, "--rules", "tmall-2021", "--as-of", "2020-12-20 00:00",
        "--fail-on", "never", "-q", "-o", page,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    shown = "天猫2022年度商家续签公告 (the next year's) — https://www.maijiaw.com/article/503372"
    assert shown in html
    assert "shared/seeds" not in html and "004_e9fd2a04f135effa" not in html
    assert "file:../shared" not in html
