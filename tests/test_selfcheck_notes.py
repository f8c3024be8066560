"""`self-check FILE --all` says when merchant rows were not read (ex23): the checklists
look like the whole file's, and a store on a second merchant sheet would otherwise be
missing without a word. Asked for one id that is found, nothing more is said."""

from __future__ import annotations

from pathlib import Path

from conftest import renewal
from test_agency_findings import MID_WINDOW, RULES, UNREAD_SHEET, two_merchant_sheets


def test_all_checklists_say_a_merchant_sheet_was_not_read(tmp_path: Path) -> None:
    path = two_merchant_sheets(tmp_path / "two.xlsx")
    run = renewal("self-check", path, *RULES, "--as-of", MID_WINDOW, "--all")
    assert run.returncode == 0, run.stderr
    assert UNREAD_SHEET in run.stderr and UNREAD_SHEET not in run.stdout
    assert run.stderr.startswith("renewal: ")


def test_one_found_merchant_is_shown_without_the_note(tmp_path: Path) -> None:
    path = two_merchant_sheets(tmp_path / "two.xlsx")
    run = renewal("self-check", path, *RULES, "--as-of", MID_WINDOW, "-m", "m-old")
    assert run.returncode == 0, run.stderr
    assert "续签自查清单：商家 m-old" in run.stdout
    assert run.stderr == ""
