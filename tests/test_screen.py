"""Export text shown on a terminal stays text: no escape sequence, no markup, one line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row

from renewal.screen import printable

NASTY = "红\x1b[31m店\x1b[0m\x1b[2J\x1b[1A\x1b[2K\x07\x9b名\n第二行\\"
"""Colours, clear screen, cursor up and erase line, a bell, a C1 CSI, a line break and a
trailing backslash (which rich's markup escaping doubles)."""


def test_printable_keeps_text_and_neutralises_controls() -> None:
    assert printable("织锦旗舰店 [bold]x[/] \\") == "织锦旗舰店 [bold]x[/] \\"
    shown = printable(NASTY)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in shown)
    assert shown == "红\ufffd[31m店\ufffd[0m\ufffd[2J\ufffd[1A\ufffd[2K\ufffd\ufffd名 第二行\\"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    rows = [renewed_row("m1"), renewed_row("\x1b[2Jm2")]
    rows[0][EXPORT_HEADER.index("协议签署时间")] = ""  # pending: listed
    rows[1][EXPORT_HEADER.index("协议签署时间")] = ""
    path = tmp_path / "nasty.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, "店铺名称"])
        writer.writerow([*rows[0], NASTY])
        writer.writerow([*rows[1], "[red]标记[/red]"])
    return path


@pytest.mark.parametrize("columns", [80, 200])
def test_the_table_and_the_blocks_print_no_control_characters(export: Path, columns: int) -> None:
    run = renewal(
        "check", export, "--rules", "tmall-2022", "--as-of", "2021-12-20", columns=columns
    )
    assert run.returncode == 0, run.stderr
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout and "\x9b" not in run.stdout
    assert "[red]标记[/red]" in run.stdout  # markup shown as typed
    # the trailing backslash shown once (a line may break inside the name, before 行\)
    assert "行\\" in run.stdout and "\\\\" not in run.stdout
    assert "\ufffd[2Jm2" in run.stdout


def test_remind_self_check_and_diff_print_no_control_characters(
    export: Path, tmp_path: Path
) -> None:
    common = ["--rules", "tmall-2022", "--as-of", "2021-12-20"]
    for columns in (80, 200):
        run = renewal("remind", export, *common, columns=columns)
        assert run.returncode == 0 and "\x1b" not in run.stdout and "\ufffd[2Jm2" in run.stdout
    run = renewal("self-check", export, "--all", *common)
    assert run.returncode == 0 and "\x1b" not in run.stdout and "\ufffd[2Jm2" in run.stdout
    before, after = tmp_path / "before.json", tmp_path / "after.json"
    renewal("check", export, "--rules", "tmall-2022", "--as-of", "2021-11-01", "-o", before)
    renewal("check", export, *common, "-o", after)
    for form in ("table", "markdown"):
        run = renewal("diff", before, after, "--format", form)
        assert "\x1b" not in run.stdout and "\ufffd[2Jm2" in run.stdout, run.stdout
