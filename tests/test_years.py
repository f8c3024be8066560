"""Every bundled year at its own boundaries: cut-off minute, both window ends, blockers.

The expected times are typed in from ../shared/domain.md §1.1, not read from the rule
files, so a typo in a rule file fails here."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from conftest import EXPORT_HEADER, renewed_row, run_file

from renewal.ruleset import bundled_ids, load
from renewal.timeutil import BEIJING

SECOND = timedelta(seconds=1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


# year: (scope cut-off, window opens, window closes, termination, blocker columns)
YEARS = {
    "tmall-2021": (
        "2020-11-19 10:00",
        "2020-11-19 10:00",
        "2020-12-26 18:00",
        "2021-01-01 00:00",
        (),
    ),
    "tmall-2022": (
        "2021-11-19 10:00",
        "2021-11-19 12:00",
        "2021-12-26 18:00",
        "2022-01-01 00:00",
        (),
    ),
    "tmall-2023": (
        "2022-11-21 10:00",
        "2022-11-21 12:00",
        "2022-12-26 18:00",
        "2023-01-01 00:00",
        (
            "考核不达标",
            "软件服务费未缴清",
            "无品牌授权",
            "退出流程中",
            "主体变更中",
            "转淘宝企业店铺中",
        ),
    ),
    "tmall-2025": (
        "2024-11-20 10:00",
        "2024-11-20 12:00",
        "2024-12-30 18:00",  # the 30th, not the 26th
        "2025-01-01 00:00",
        (
            "考核不达标",
            "软件服务费未缴清",
            "无品牌授权",
            "退出流程中",
            "主体变更中",
            "转淘宝企业店铺中",
            "年检信息待更新",
        ),
    ),
}


def test_every_bundled_year_is_checked_here():
    assert set(bundled_ids()) == set(YEARS)


@pytest.mark.parametrize("year", sorted(YEARS))
def test_the_rule_file_matches_the_brief(year):
    cutoff, opens, closes, terminates, _ = YEARS[year]
    ruleset = load(year)
    assert ruleset.params("SC01").signed_at_or_before == at(cutoff)  # type: ignore[union-attr]
    assert (ruleset.cycle.window_opens, ruleset.cycle.window_closes) == (at(opens), at(closes))
    assert ruleset.cycle.terminates_at == at(terminates)


def export(tmp_path, rows, extra_header=()):
    path = tmp_path / "export.csv"
    lines = [",".join([*EXPORT_HEADER, *extra_header])] + [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def merchant(
    merchant_id: str, signed: datetime, steps: datetime, blockers: int = 0, blocked: bool = False
) -> list[object]:
    cells = renewed_row(merchant_id)
    cells[4] = signed.strftime("%Y-%m-%d %H:%M:%S")
    done = steps.strftime("%Y-%m-%d %H:%M:%S")
    cells[5] = cells[6] = cells[9] = done
    flags = ["是" if blocked and index == 0 else "否" for index in range(blockers)]
    return [*cells, *flags]


@pytest.mark.parametrize("year", sorted(YEARS))
def test_each_year_at_its_boundaries(tmp_path, year):
    cutoff, opens, closes, terminates, blocker_columns = YEARS[year]
    n = len(blocker_columns)
    inside = at(opens) + timedelta(days=3)
    rows = [
        merchant("at-cutoff", at(cutoff), inside, n),
        merchant("after-cutoff", at(cutoff) + SECOND, inside, n),
        merchant("at-opening", at(cutoff), at(opens), n),
        merchant("before-opening", at(cutoff), at(opens) - SECOND, n),
        merchant("at-deadline", at(cutoff), at(closes), n),
        merchant("after-deadline", at(cutoff), at(closes) + SECOND, n),
    ]
    if n:
        rows.append(merchant("blocked", at(cutoff), inside, n, blocked=True))
    after = at(closes) + timedelta(hours=6)  # before termination, after the deadline
    assert after < at(terminates)
    run = run_file(export(tmp_path, rows, blocker_columns), after, rules=year)
    outcomes = {r["merchant_id"]: r["outcome"] for r in run.results}
    expected = {
        "at-cutoff": "renewed",
        "after-cutoff": "exempt",
        "at-opening": "renewed",
        "before-opening": "failed",
        "at-deadline": "renewed",
        "after-deadline": "failed",
    }
    if n:
        expected["blocked"] = "failed"
    assert outcomes == expected
    assert run.header is not None and run.header.ruleset["id"] == year


@pytest.mark.parametrize("year", sorted(YEARS))
def test_as_of_inside_the_window_chooses_that_year(tmp_path, year):
    _, opens, _, _, _ = YEARS[year]
    rows = [merchant("m1", at(opens) - timedelta(days=400), at(opens) + timedelta(days=1))]
    from renewal.ruleset import choose

    selection = choose(at(opens) + timedelta(days=2))
    assert (selection.ruleset.id, selection.how) == (year, "as-of")
    assert (
        run_file(export(tmp_path, rows), at(opens) + timedelta(days=2), rules=year).results[0][
            "outcome"
        ]
        == "renewed"
    )


INSURANCE_HEADER = [*EXPORT_HEADER, "保证金履约险续保时间"]


@pytest.mark.parametrize(
    ("renewed", "signed", "outcome"),
    [
        ("2024-11-25 10:00:00", "2024-11-25 10:00:00", "renewed"),  # at the moment of signing
        ("2024-11-25 10:00:01", "2024-11-25 10:00:00", "failed"),  # after signing
        ("2024-11-20 11:59:59", "2024-11-25 10:00:00", "failed"),  # before the window
        ("", "2024-11-25 10:00:00", "failed"),  # no insurance, no cash: 0 < 50,000
    ],
)
def test_2025_deposit_met_by_insurance_renewed_before_signing(tmp_path, renewed, signed, outcome):
    cells = renewed_row("insured")
    cells[6] = signed  # 协议签署时间
    cells[7] = "0"  # no cash deposit at all
    path = tmp_path / "export.csv"
    rows = [INSURANCE_HEADER, [*cells, renewed]]
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    (result,) = run_file(path, at("2024-12-31 00:00"), rules="tmall-2025").results
    assert result["outcome"] == outcome
    deposit = next(f for f in result["findings"] if f["rule"] == "DP01")
    assert deposit["status"] == ("pass" if outcome == "renewed" else "fail")
    if renewed:
        assert deposit["source"]["column"] == "保证金履约险续保时间"
