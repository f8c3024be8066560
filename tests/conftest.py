"""Shared helpers: run the real pipeline on a file and collect what a renderer would see."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from renewal.model import Merchant, MerchantResult
from renewal.pipeline import check_file
from renewal.report import ReportHeader
from renewal.ruleset import RuleSet, load
from renewal.timeutil import BEIJING

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
XLSX = FIXTURES / "merchants-2022.xlsx"
CSV = FIXTURES / "merchants-2022.csv"
CSV_GB = FIXTURES / "merchants-2022-gb18030.csv"
AFTER_DEADLINE = datetime(2021, 12, 27, 0, 0, tzinfo=BEIJING)
MID_WINDOW = datetime(2021, 12, 1, 12, 0, tzinfo=BEIJING)


EXPORT_HEADER = [
    "商家ID",
    "店铺类型",
    "商标状态",
    "主营类目",
    "合同签署时间",
    "续签报名时间",
    "协议签署时间",
    "保证金余额",
    "年费已缴",
    "年费缴纳时间",
    "处罚申诉中",
    "严重违规扣分",
    "一般违规扣分",
]
"""The columns of a small hand-made export (the bundled fixtures have more)."""


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """A UTF-8 CSV export: `header`, then `rows`."""
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def renewed_row(merchant_id: str) -> list[object]:
    """A row under EXPORT_HEADER for a 旗舰店 R merchant that renewed on 2021-11-20."""
    return [
        merchant_id,
        "旗舰店",
        "R",
        "男装",
        "2020-01-01 10:00",
        "2021-11-20 10:00",
        "2021-11-20 10:00",
        "50000",
        "60000",
        "2021-11-20 10:00",
        "否",
        "0",
        "0",
    ]


def renewal(
    *args: str | Path,
    cwd: Path | None = None,
    timeout: float = 120,
    columns: int = 250,
    answers: list[str] | None = None,
    prefix: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    """`renewal ARGS` as a user runs it: a real process, on a terminal `columns` wide (by
    default wide enough not to wrap tables), typing `answers` a line each when given;
    started through `prefix` when given (`unshare …`, a shell that closes stdout)."""
    env = {**os.environ, "COLUMNS": str(columns)}
    env.pop("RENEWAL_DEBUG", None)
    env.pop("RENEWAL_LANG", None)  # the default language is what a test means by none
    return subprocess.run(
        [*prefix, sys.executable, "-m", "renewal", *map(str, args)],
        input=None if answers is None else "".join(f"{answer}\n" for answer in answers),
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


class Collect:
    """A renderer that keeps every result in its canonical JSON form (what every renderer
    sees), with duplicate rows replaced as a real renderer does."""

    wants_cells = False
    wants_shop_names = False

    def __init__(self) -> None:
        self.header: ReportHeader | None = None
        self.results: list[dict[str, Any]] = []
        self.attention: list[bool] = []
        self.summary: dict[str, object] = {}

    def begin(self, header: ReportHeader) -> None:
        self.header = header

    def add(self, line: bytes, attention: bool, cells: list[object] | None) -> None:
        self.results.append(orjson.loads(line))
        self.attention.append(attention)

    def finish(self, summary: dict[str, object], fixes: dict[int, MerchantResult]) -> None:
        for index, fix in fixes.items():
            replaced = {**fix, "shop_name": self.results[index]["shop_name"]}
            self.results[index] = orjson.loads(orjson.dumps(replaced))
        self.summary = summary


def merchant_done_inside(ruleset: RuleSet, inside: datetime, **fields: Any) -> Merchant:
    """A merchant in scope (a 旗舰店 R in 男装, contracted long before) whose sign-up,
    signing and fee payment were all at `inside`; `fields` set the rest (the deposit, the
    fee's amounts, points …) or replace any of these."""
    done: dict[str, Any] = {
        "sheet": "商家",
        "row": 2,
        "merchant_id": "m",
        "store_type": "旗舰店",
        "trademark": "R",
        "category": "男装",
        "contract_signed_at": ruleset.cycle.window_opens - timedelta(days=900),
        "signup_at": inside,
        "agreement_signed_at": inside,
        "annual_fee_paid_at": inside,
    }
    return Merchant(**{**done, **fields})


def run_file(
    path: Path, as_of: datetime, rules: str = "tmall-2022", lang: str = "zh", jobs: int = 1
) -> Collect:
    collect = Collect()
    check_file(path, load(rules), as_of, lang, [collect], jobs=jobs)
    return collect


@pytest.fixture(scope="session")
def ruleset_2022() -> RuleSet:
    return load("tmall-2022")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(autouse=True)
def fixtures_untouched() -> Iterator[None]:
    """No test may change a bundled fixture: the input is never written over."""
    before = {p.name: digest(p) for p in FIXTURES.iterdir() if p.is_file()}
    yield
    after = {p.name: digest(p) for p in FIXTURES.iterdir() if p.is_file()}
    assert after == before


# --- a headless browser, for the HTML report's tests ---------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        problem: str | None = "the playwright package is not installed"
    else:
        problem = None if _chromium() else "chromium is not installed"
    if problem is not None:
        if os.environ.get("RENEWAL_REQUIRE_BROWSER") == "1":
            pytest.fail(f"RENEWAL_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
