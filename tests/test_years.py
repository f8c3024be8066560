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


def flags(*headers: str) -> tuple[tuple[str, str, str], ...]:
    """是/否 columns: 否 for an ordinary merchant, 是 for the one that must be stopped."""
    return tuple((header, "否", "是") for header in headers)


# year: (scope cut-off, window opens, window closes, termination, extra columns as
# (header, ordinary value, value that stops the merchant))
YEARS = {
    "tmall-2019": (
        "2018-10-18 10:00",
        "2018-10-18 10:00",
        "2018-12-26 18:00",
        "2019-01-01 00:00",
        (("服务开通时间", "2018-03-01 09:00", "2016-05-01 09:00"), *flags("考核不达标")),
    ),
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
        flags(
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
        flags(
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
    merchant_id: str,
    signed: datetime,
    steps: datetime,
    extra: tuple[tuple[str, str, str], ...] = (),
    stopped: bool = False,
) -> list[object]:
    cells = renewed_row(merchant_id)
    cells[4] = signed.strftime("%Y-%m-%d %H:%M:%S")
    done = steps.strftime("%Y-%m-%d %H:%M:%S")
    cells[5] = cells[6] = cells[9] = done
    return [*cells, *(stopping if stopped else ordinary for _, ordinary, stopping in extra)]


@pytest.mark.parametrize("year", bundled_ids())
def test_the_english_place_names_the_same_place(year):
    """An English `where` is the Chinese path with a gloss: 2023's said 商家中心 where the
    Chinese said 商家中心(旧版), the old centre, the only one that could renew."""
    for code, params in load(year).rules.items():
        where, where_en = getattr(params, "where", None), getattr(params, "where_en", None)
        if where and where_en:
            assert where_en.startswith(where), (year, code, where, where_en)


@pytest.mark.parametrize("year", sorted(YEARS))
def test_each_year_at_its_boundaries(tmp_path, year):
    cutoff, opens, closes, terminates, extra = YEARS[year]
    headers = [header for header, _, _ in extra]
    inside = at(opens) + timedelta(days=3)
    rows = [
        merchant("at-cutoff", at(cutoff), inside, extra),
        merchant("after-cutoff", at(cutoff) + SECOND, inside, extra),
        merchant("at-opening", at(cutoff), at(opens), extra),
        merchant("before-opening", at(cutoff), at(opens) - SECOND, extra),
        merchant("at-deadline", at(cutoff), at(closes), extra),
        merchant("after-deadline", at(cutoff), at(closes) + SECOND, extra),
    ]
    if extra:
        stopped = merchant("stopped", at(cutoff), inside, extra, stopped=True)
        # a blocker stops a step not yet done (one done in the window counts: it warns)
        stopped[6] = ""
        rows.append(stopped)
    after = at(closes) + timedelta(hours=6)  # before termination, after the deadline
    assert after < at(terminates)
    run = run_file(export(tmp_path, rows, headers), after, rules=year)
    outcomes = {r["merchant_id"]: r["outcome"] for r in run.results}
    expected = {
        "at-cutoff": "renewed",
        "after-cutoff": "exempt",
        "at-opening": "renewed",
        "before-opening": "failed",
        "at-deadline": "renewed",
        "after-deadline": "failed",
    }
    if extra:
        expected["stopped"] = "failed"
    assert outcomes == expected
    assert run.header is not None and run.header.ruleset["id"] == year


@pytest.mark.parametrize("year", sorted(YEARS))
def test_as_of_inside_the_window_chooses_that_year(tmp_path, year):
    _, opens, _, _, extra = YEARS[year]
    rows = [merchant("m1", at(opens) - timedelta(days=400), at(opens) + timedelta(days=1), extra)]
    from renewal.ruleset import choose

    selection = choose(at(opens) + timedelta(days=2))
    assert (selection.ruleset.id, selection.how) == (year, "as-of")
    assert (
        run_file(
            export(tmp_path, rows, [header for header, _, _ in extra]),
            at(opens) + timedelta(days=2),
            rules=year,
        ).results[0]["outcome"]
        == "renewed"
    )


INSURANCE_HEADER = [*EXPORT_HEADER, "保证金履约险续保时间"]


@pytest.mark.parametrize(
    ("renewed", "balance", "outcome"),
    [
        ("2024-11-25 10:00:00", "0", "renewed"),  # at the moment of signing
        ("2024-11-25 10:00:01", "0", "failed"),  # after signing
        ("2024-11-15 10:00:00", "0", "renewed"),  # in advance (「提前」), before the window
        ("2023-12-31 23:59:59", "0", "failed"),  # an earlier year's renewal (inferred bound)
        ("", "0", "failed"),  # no insurance, no cash: 0 < 50,000
        ("2024-11-25 10:00:01", "50000", "renewed"),  # cash is the alternative
        ("2023-12-31 23:59:59", "50000", "renewed"),
        ("2024-12-30 18:00:01", "50000", "renewed"),  # the policy after the deadline
    ],
)
def test_2025_deposit_met_by_insurance_or_cash(tmp_path, renewed, balance, outcome):
    cells = renewed_row("insured")
    cells[6] = "2024-11-25 10:00:00"  # 协议签署时间
    cells[7] = balance
    path = tmp_path / "export.csv"
    rows = [INSURANCE_HEADER, [*cells, renewed]]
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    (result,) = run_file(path, at("2024-12-31 00:00"), rules="tmall-2025").results
    assert result["outcome"] == outcome
    deposit = next(f for f in result["findings"] if f["rule"] == "DP01")
    assert deposit["status"] == ("pass" if outcome == "renewed" else "fail")
    by_policy = outcome == "renewed" and balance == "0"
    assert deposit["source"]["column"] == ("保证金履约险续保时间" if by_policy else "保证金余额")
    # failed through the policy or not, the cash shortfall is owed
    assert result["deposit_shortfall"] == (0 if outcome == "renewed" else 50000)


@pytest.mark.parametrize(
    ("renewed", "signed", "policy_offered"),
    [
        ("2023-11-15 10:00:00", "", True),  # an earlier year's policy, the agreement unsigned
        ("2024-11-26 10:00:00", "2024-11-25 10:00:00", False),  # renewed after signing
    ],
)
def test_2025_pending_merchant_whose_policy_does_not_count_is_told_what_to_pay(
    tmp_path, renewed, signed, policy_offered
):
    cells = renewed_row("insured")
    cells[5] = ""  # 2025年度 has no sign-up step
    cells[6] = signed
    cells[7] = "0"
    path = tmp_path / "export.csv"
    rows = [INSURANCE_HEADER, [*cells, renewed]]
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    (result,) = run_file(path, at("2024-12-20 12:00"), rules="tmall-2025").results
    assert result["outcome"] == "pending"
    assert result["deposit_shortfall"] == 50000
    deposit = next(f for f in result["findings"] if f["rule"] == "DP01")
    assert deposit["owed"] == 50000
    assert "¥50,000" in deposit["remedy"]
    assert ("履约险" in deposit["remedy"]) is policy_offered
    if signed:  # the deposit is the one step left: it is the next action, with the deadline
        action = result["next_action"]
        assert action is not None and "¥50,000" in action and "2024-12-30 18:00" in action


def test_2025_deposit_comes_before_signing(tmp_path):
    """「需提前完成续保或用现金缴纳才能签订续签协议」: with neither done, the deposit is the
    first step listed and the next action, not the agreement it must precede."""
    cells = renewed_row("unsigned")
    cells[5] = ""  # no sign-up step in 2025年度
    cells[6] = ""  # agreement not signed
    cells[7] = "0"  # no cash, no policy
    path = tmp_path / "export.csv"
    rows = [INSURANCE_HEADER, [*cells, ""]]
    path.write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    (result,) = run_file(path, at("2024-12-20 12:00"), rules="tmall-2025").results
    steps = [f["rule"] for f in result["findings"] if f["rule"] in ("DP01", "DL02")]
    assert steps == ["DP01", "DL02"]
    assert "保证金" in result["next_action"] and "¥50,000" in result["next_action"]


@pytest.mark.parametrize(
    ("penalized_on", "eligible"),
    [("2017-12-31", True), ("2018-01-01", False), ("2018-12-26", False), ("2018-12-28", True)],
)
def test_2019_transfer_counts_the_calendar_year_2018_up_to_the_as_of(
    tmp_path, penalized_on, eligible
):
    import openpyxl

    header = [*EXPORT_HEADER, "服务开通时间", "考核不达标"]
    cells = renewed_row("m1")
    cells[4] = "2016-01-01 10:00"
    cells[5] = ""  # no sign-up: failed, so the transfer is judged
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "商家"
    sheet.append(header)
    sheet.append([*cells, "2018-03-01 09:00", "否"])
    violations = book.create_sheet("违规记录")
    violations.append(["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"])
    violations.append(["m1", penalized_on, "严重违规", 12, "无"])
    path = tmp_path / "export.xlsx"
    book.save(path)
    (result,) = run_file(path, at("2018-12-27 00:00"), rules="tmall-2019").results
    assert result["outcome"] == "failed"
    assert result["transfer_eligible"] is eligible


@pytest.mark.parametrize("year", ["tmall-2023", "tmall-2025"])
@pytest.mark.parametrize(
    "category",
    [
        "OTC药品",
        "OTC药品/国际医药",
        "隐形眼镜护理液",
        "隐形眼镜/护理液",
        "中药饮片/精制中药材",
        "生鲜/大闸蟹/粮油米面提货券",
    ],
)
def test_the_300k_categories_cited_for_2023_hold_in_2023_and_after(year, category):
    """The ¥300,000 categories cited for 2023 (domain.md §2.1), as Tmall writes them (also
    隐形眼镜/护理液, two levels); 2025 carries them (nothing in the brief lowers them)."""
    deposit = load(year).params("DP01")
    assert deposit.required_for("旗舰店", "R", category) == 300000
    assert deposit.required_for("旗舰店", "R", "护理液") == 50000  # not 隐形眼镜护理液
