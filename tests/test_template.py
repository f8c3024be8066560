"""`renewal template`: the blank export a merchant fills in by hand, and what `check` makes
of it once filled in (here with openpyxl, as a script or a person at Excel would)."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import renewal, run_file
from openpyxl.utils import column_index_from_string

from renewal.checks import REGISTRY
from renewal.checks.blockers import BlockerParams
from renewal.checks.deposit import DepositParams
from renewal.intake.columns import MERCHANT_COLUMNS, QUALIFICATION_COLUMNS, VIOLATION_COLUMNS
from renewal.ruleset import bundled_ids, choose, load
from renewal.template import used_columns
from renewal.timeutil import BEIJING

SHEETS = {"商家": MERCHANT_COLUMNS, "违规记录": VIOLATION_COLUMNS, "资质": QUALIFICATION_COLUMNS}
MID_WINDOW_2022 = "2021-12-01 12:00"
AFTER_2022 = "2021-12-27 00:00"


def make_template(path: Path, *args: str) -> Path:
    done = renewal("template", path, *args)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return path


def keyed(sheet: Any) -> dict[str, int]:
    """Column key -> 1-based column, read from the template's hidden key row."""
    return {cell.value: cell.column for cell in sheet[2] if cell.value}


def fill(
    template: Path,
    out: Path,
    merchants: list[dict[str, object]],
    violations: list[dict[str, object]] = (),  # type: ignore[assignment]
    qualifications: list[dict[str, object]] = (),  # type: ignore[assignment]
) -> Path:
    """Type rows in below the example row, by column key, and save under a new name."""
    book = openpyxl.load_workbook(template)
    for name, rows in (("商家", merchants), ("违规记录", violations), ("资质", qualifications)):
        sheet = book[name]
        columns = keyed(sheet)
        for offset, row in enumerate(rows):
            for key, value in row.items():
                sheet.cell(row=4 + offset, column=columns[key], value=value)
    book.save(out)
    return out


def check_json(path: Path, *args: str) -> dict[str, Any]:
    done = renewal("check", path, "--format", "json", "--fail-on", "never", *args)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def validations(sheet: Any) -> dict[int, tuple[list[str], str, str]]:
    """1-based column -> (the list's words, the range it covers, its error style)."""
    found: dict[int, tuple[list[str], str, str]] = {}
    for rule in sheet.data_validations.dataValidation:
        assert rule.type == "list"
        words = rule.formula1.strip('"').split(",")
        for ref in str(rule.sqref).split():
            start = ref.split(":")[0]
            column = column_index_from_string("".join(c for c in start if c.isalpha()))
            found[column] = (words, ref, rule.errorStyle or "stop")
    return found


def problems(report: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Every error or unreadable-cell finding: what a filled template must not produce."""
    return [
        (merchant["merchant_id"], found["rule"], found["message"])
        for merchant in report["merchants"]
        for found in merchant["findings"]
        if found["status"] == "error" or found["rule"] == "LD04"
    ]


# -- the workbook itself -----------------------------------------------------------------


@pytest.fixture(scope="module")
def template_2022(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_template(tmp_path_factory.mktemp("t") / "t.xlsx", "--rules", "tmall-2022")


def test_every_intake_column_under_its_header_with_its_key_in_a_hidden_row(
    template_2022: Path,
) -> None:
    book = openpyxl.load_workbook(template_2022)
    for name, columns in SHEETS.items():
        sheet = book[name]
        assert [c.value for c in sheet[1]] == [c.header for c in columns]
        assert [c.value for c in sheet[2]] == [c.key for c in columns]
        assert sheet.row_dimensions[2].hidden
        assert not sheet.row_dimensions[1].hidden and not sheet.row_dimensions[3].hidden
        for cell, column in zip(sheet[1], columns, strict=True):
            assert cell.comment is not None, (name, column.key)
            assert column.key in cell.comment.text
    # the merchant sheet comes first, so a reader that takes the first sheet finds it too
    assert book.sheetnames[0] == "商家"


def test_an_unfilled_template_names_its_visible_header_row(template_2022: Path) -> None:
    """Checked before any store is typed in, the template is refused for holding no
    merchant, and the refusal names row 1, the Chinese names the user sees, not the hidden
    row of English keys under them that ends the header."""
    done = renewal("check", template_2022, "--rules", "tmall-2022", "--as-of", AFTER_2022)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "工作表「商家」第 1 行是表头，但下面没有商家数据" in done.stderr


def test_choice_columns_offer_the_words_intake_accepts(template_2022: Path) -> None:
    book = openpyxl.load_workbook(template_2022)
    deposit = load("tmall-2022").rules["DP01"]
    assert isinstance(deposit, DepositParams)
    expected: dict[str, list[str]] = {"store_type": [t.store_type for t in deposit.table]}
    expected |= {c.key: ["是", "否"] for c in MERCHANT_COLUMNS if c.kind == "bool"}
    expected["trademark"] = ["R", "TM"]
    merchants = book["商家"]
    lists = validations(merchants)
    by_key = {key: lists.get(column) for key, column in keyed(merchants).items()}
    assert {key: found[0] for key, found in by_key.items() if found} == expected
    # the list reaches the example row and every row below it
    for key in expected:
        ref = by_key[key]
        assert ref is not None and ref[1].endswith("1048576") and ref[1].split(":")[0][-1] == "3"
    # a store type outside the deposit table is allowed with a warning (保证金应缴 then says)
    assert by_key["store_type"] is not None and by_key["store_type"][2] == "warning"
    assert by_key["trademark"] is not None and by_key["trademark"][2] == "stop"
    penalties = book["违规记录"]
    lists = validations(penalties)
    by_key = {key: lists.get(column) for key, column in keyed(penalties).items()}
    assert {key: found[0] for key, found in by_key.items() if found} == {
        "violation_type": ["严重违规", "一般违规"],
        "appeal_status": ["无", "申诉中", "申诉成功", "申诉失败"],
    }
    assert not validations(book["资质"])


def test_dates_amounts_and_ids_are_formatted(template_2022: Path) -> None:
    book = openpyxl.load_workbook(template_2022)
    for name, columns in SHEETS.items():
        sheet = book[name]
        for cell, column in zip(sheet[3], columns, strict=True):
            fmt = cell.number_format
            if column.kind == "datetime":
                assert "yyyy" in fmt and "hh:mm" in fmt, (name, column.key, fmt)
            elif column.kind == "date":
                assert fmt == "yyyy-mm-dd", (name, column.key, fmt)
            elif column.kind == "amount":
                assert "#,##0" in fmt, (name, column.key, fmt)
            elif column.kind == "id":
                assert fmt == "@", (name, column.key, fmt)  # long ids stay text


def test_example_row_is_marked_on_every_sheet(template_2022: Path) -> None:
    book = openpyxl.load_workbook(template_2022)
    for name in SHEETS:
        assert book[name]["A3"].value == "示例"
    assert book["商家"]["A3"].comment is not None
    assert "示例" in book["商家"]["A3"].comment.text


# -- filled in by hand, then checked --------------------------------------------------------

RENEWED = {
    "merchant_id": "2088000000000001",
    "shop_name": "织锦旗舰店",
    "store_type": "旗舰店",
    "trademark": "R",
    "category": "男装",
    "contract_signed_at": datetime(2020, 3, 1, 10, 0),
    "signup_at": datetime(2021, 11, 22, 9, 30),
    "agreement_signed_at": "2021-11-22 09:45",  # typed as text: read the same
    "deposit_balance": 50000,
    "annual_fee_required": 60000,
    "annual_fee_paid": 60000,
    "annual_fee_paid_at": datetime(2021, 11, 22, 10, 0),
    "appeal_pending": "否",
}
SHORT_DEPOSIT = {
    **RENEWED,
    "merchant_id": "2088000000000002",
    "shop_name": "短缺专营店",
    "store_type": "专营店",
    "trademark": "TM",
    "deposit_balance": 100000,
}
NOTHING_DONE = {
    "merchant_id": "2088000000000003",
    "shop_name": "未办理专卖店",
    "store_type": "专卖店",
    "trademark": "R",
    "category": "男装",
    "contract_signed_at": datetime(2019, 6, 1, 9, 0),
    "deposit_balance": 50000,
    "annual_fee_required": 60000,
}
PENALTIES = [
    {
        "merchant_id": "2088000000000002",
        "penalized_on": datetime(2021, 10, 1),
        "violation_type": "严重违规",
        "points": 12,
        "appeal_status": "无",
    },
    {
        "merchant_id": "2088000000000003",
        "penalized_on": datetime(2021, 9, 1),
        "violation_type": "一般违规",
        "points": 6,
        "appeal_status": "申诉成功",
    },
]
DOCUMENTS = [
    {
        "merchant_id": "2088000000000001",
        "qualification_type": "营业执照",
        "certificate_no": "91330106MA2H7K3P1X",
        "expires_on": datetime(2030, 1, 1),
    },
    {
        "merchant_id": "2088000000000001",
        "qualification_type": "品牌授权书",
        "expires_on": datetime(2022, 6, 30),
    },
]


def by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["merchant_id"]: m for m in report["merchants"]}


def finding_of(merchant: dict[str, Any], code: str) -> dict[str, Any]:
    return next(f for f in merchant["findings"] if f["rule"] == code)


@pytest.fixture(scope="module")
def filled_2022(template_2022: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("filled") / "filled.xlsx"
    return fill(template_2022, out, [RENEWED, SHORT_DEPOSIT, NOTHING_DONE], PENALTIES, DOCUMENTS)


def test_filled_template_mid_window(filled_2022: Path) -> None:
    report = check_json(filled_2022, "--rules", "tmall-2022", "--as-of", MID_WINDOW_2022)
    merchants = by_id(report)
    assert {k: m["outcome"] for k, m in merchants.items()} == {
        "2088000000000001": "renewed",
        "2088000000000002": "pending",
        "2088000000000003": "pending",
    }
    # 专营店 TM owes 150,000 by the rule set's table; 100,000 is in the account
    assert merchants["2088000000000002"]["deposit_shortfall"] == 50000
    assert finding_of(merchants["2088000000000001"], "QL01")["status"] == "warn"
    assert problems(report) == []
    # no surprises: the blocker columns 2022 does not use are empty, so no note about them
    assert report["summary"]["notes"] == []


def test_filled_template_after_the_deadline(filled_2022: Path) -> None:
    report = check_json(filled_2022, "--rules", "tmall-2022", "--as-of", AFTER_2022)
    merchants = by_id(report)
    assert {k: (m["outcome"], m["transfer_eligible"]) for k, m in merchants.items()} == {
        "2088000000000001": ("renewed", None),
        # 12 serious points in the last 365 days: no Taobao transfer
        "2088000000000002": ("failed", False),
        # the appeal against the 6 general points succeeded: they do not count anyway
        "2088000000000003": ("failed", True),
    }
    summary = report["summary"]
    assert summary["merchants"] == summary["rows_read"] == 3
    assert summary["other_lines_skipped"] == 1  # the example row, and only it
    assert summary["blank_rows_skipped"] == 0
    assert summary["unmatched_supporting_rows"] == []  # the example rows of 违规记录 and 资质
    # the hidden key row belongs to the header; the visible Chinese names are what is
    # quoted, and their row, the first, is the header's row the report names
    assert report["input"]["sheet"] == "商家" and report["input"]["header_row"] == 1
    signup = finding_of(merchants["2088000000000001"], "DL01")
    assert signup["source"] == {"sheet": "商家", "row": 4, "column": "续签报名时间"}
    assert problems(report) == []


def test_an_unfilled_penalty_sheet_leaves_the_points_columns_in_charge(
    template_2022: Path, tmp_path: Path
) -> None:
    heavy = {**NOTHING_DONE, "serious_points": 12, "general_points": 0}
    light = {**NOTHING_DONE, "merchant_id": "2088000000000004", "serious_points": 0}
    out = fill(template_2022, tmp_path / "points.xlsx", [heavy, light])
    merchants = by_id(check_json(out, "--rules", "tmall-2022", "--as-of", AFTER_2022))
    assert merchants["2088000000000003"]["transfer_eligible"] is False
    assert merchants["2088000000000004"]["transfer_eligible"] is True


def test_every_drop_down_word_is_read_without_surprise(tmp_path: Path) -> None:
    """Each word of each list, typed into its column, is read: no LD04, no error, and a
    blocker set to 是 does block."""
    template = make_template(tmp_path / "t.xlsx", "--rules", "tmall-2023")
    ruleset = load("tmall-2023")
    book = openpyxl.load_workbook(template)
    base = {
        **RENEWED,
        "contract_signed_at": datetime(2021, 3, 1, 10, 0),
        "signup_at": datetime(2022, 11, 22, 9, 30),
        "agreement_signed_at": datetime(2022, 11, 22, 9, 45),
        "annual_fee_paid_at": datetime(2022, 11, 22, 10, 0),
        "deposit_required": 50000,
    }
    merchants: list[dict[str, object]] = []
    picked: dict[str, tuple[str, str]] = {}
    sheet = book["商家"]
    key_of = {column: key for key, column in keyed(sheet).items()}
    for column, (words, _, _) in validations(sheet).items():
        for word in words:
            merchant_id = str(2088000000100000 + len(merchants))
            merchants.append({**base, "merchant_id": merchant_id, key_of[column]: word})
            picked[merchant_id] = (key_of[column], word)
    penalties: list[dict[str, object]] = []
    sheet = book["违规记录"]
    key_of = {column: key for key, column in keyed(sheet).items()}
    plain = {**PENALTIES[1], "merchant_id": merchants[0]["merchant_id"]}
    for column, (words, _, _) in validations(sheet).items():
        penalties += [{**plain, key_of[column]: word} for word in words]
    assert len(merchants) > 20 and len(penalties) == 6  # the lists are really there
    out = fill(template, tmp_path / "every-word.xlsx", merchants, penalties)
    report = check_json(out, "--rules", "tmall-2023", "--as-of", "2022-12-01 12:00")
    assert problems(report) == []
    assert report["summary"]["merchants"] == len(merchants)
    assert report["summary"]["unmatched_supporting_rows"] == []
    blockers = {
        params.column: code
        for code, params in ruleset.rules.items()
        if isinstance(params, BlockerParams)
    }
    checked = 0
    for merchant in report["merchants"]:
        key, word = picked[merchant["merchant_id"]]
        if key in blockers:
            status = finding_of(merchant, blockers[key])["status"]
            # 是 is read as set: every step it blocks is done in the window, so it warns
            assert status == ("warn" if word == "是" else "pass"), (key, word)
            checked += 1
    assert checked == 2 * len(blockers)


@pytest.mark.parametrize("ruleset_id", bundled_ids())
def test_the_example_row_renews_under_its_rule_set(ruleset_id: str, tmp_path: Path) -> None:
    """Copied with a real id, the example is a merchant that renews: it shows a row that
    works for the year the template was written for."""
    template = make_template(tmp_path / "t.xlsx", "--rules", ruleset_id)
    book = openpyxl.load_workbook(template)
    for name in SHEETS:
        sheet = book[name]
        for cell in sheet[3]:
            sheet.cell(row=4, column=cell.column, value=cell.value)
        sheet["A4"] = "2088000000009999"
    out = tmp_path / "copied.xlsx"
    book.save(out)
    ruleset = load(ruleset_id)
    deadline = ruleset.cycle.window_closes.astimezone(BEIJING) + timedelta(minutes=1)
    report = check_json(out, "--rules", ruleset_id, "--as-of", deadline.strftime("%Y-%m-%d %H:%M"))
    (merchant,) = report["merchants"]
    assert merchant["merchant_id"] == "2088000000009999"
    assert merchant["outcome"] == "renewed"
    assert [f for f in merchant["findings"] if f["status"] in ("fail", "warn", "error")] == []
    assert report["summary"]["other_lines_skipped"] == 1


# -- what the rule set uses ----------------------------------------------------------------


def test_every_rule_says_which_columns_it_reads() -> None:
    """A new rule must name in `@rule(reads=...)` the merchant columns it reads (blockers name
    their column in the rule file; QL01 reads only the 资质 sheet)."""
    keys = {c.key for c in MERCHANT_COLUMNS}
    for code, rule in REGISTRY.items():
        assert set(rule.reads) <= keys, code
        if rule.params is not BlockerParams and code != "QL01":
            assert rule.reads, code
    for ruleset_id in bundled_ids():
        for key in used_columns(load(ruleset_id)):
            assert key in {c.key for c in MERCHANT_COLUMNS}, (ruleset_id, key)


def test_comments_say_which_columns_the_year_uses(tmp_path: Path) -> None:
    comments = {}
    for ruleset_id in ("tmall-2022", "tmall-2025"):
        book = openpyxl.load_workbook(
            make_template(tmp_path / f"{ruleset_id}.xlsx", "-r", ruleset_id)
        )
        sheet = book["商家"]
        comments[ruleset_id] = {c.value: c.comment.text for c in sheet[1]}
    # 2025年度 has no sign-up step and no annual fee; 2022年度 has both
    assert "tmall-2025 不使用本列" in comments["tmall-2025"]["续签报名时间"]
    assert "tmall-2025 不使用本列" in comments["tmall-2025"]["年费已缴"]
    assert "tmall-2022 使用本列（DL01）" in comments["tmall-2022"]["续签报名时间"]
    # a step's column names where in 商家中心 it is done, from the rule file
    assert "商家中心-资金管理-保证金账户" in comments["tmall-2025"]["保证金余额"]
    # a blocker's column says what it blocks and how to clear it (2025年度's BL07 is new)
    assert "签署协议" in comments["tmall-2025"]["年检信息待更新"]
    assert "tmall-2022 不使用本列" in comments["tmall-2022"]["年检信息待更新"]


# -- the command --------------------------------------------------------------------------


def test_refuses_to_write_over_a_file_without_force(tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"hours of someone's typing")
    done = renewal("template", target)
    assert done.returncode == 2
    assert "--force" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert target.read_bytes() == b"hours of someone's typing"
    done = renewal("template", target, "--force")
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(target).sheetnames[:3] == list(SHEETS)


@pytest.mark.parametrize("name", ["template.csv", "no-such-dir/t.xlsx", "folder.xlsx"])
def test_unusable_targets_exit_2(name: str, tmp_path: Path) -> None:
    (tmp_path / "folder.xlsx").mkdir()
    done = renewal("template", tmp_path / name)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder.xlsx"]


def test_unknown_rule_set_exits_2(tmp_path: Path) -> None:
    done = renewal("template", tmp_path / "t.xlsx", "--rules", "tmall-2024")
    assert done.returncode == 2
    assert "tmall-2023" in done.stderr and "tmall-2025" in done.stderr
    assert not (tmp_path / "t.xlsx").exists()


def test_english_comments_chinese_headers(tmp_path: Path) -> None:
    zh = openpyxl.load_workbook(make_template(tmp_path / "zh.xlsx", "-r", "tmall-2022"))
    en = openpyxl.load_workbook(
        make_template(tmp_path / "en.xlsx", "-r", "tmall-2022", "--lang", "en")
    )
    for name in SHEETS:
        assert [c.value for c in en[name][1]] == [c.value for c in zh[name][1]]
        assert validations(en[name]).keys() == validations(zh[name]).keys()
    assert en["商家"]["A1"].comment.text.splitlines()[1] == "Required."
    assert zh["商家"]["A1"].comment.text.splitlines()[1] == "必填。"
    assert "Instructions" in en.sheetnames and "说明" in zh.sheetnames


def test_default_rule_set_is_the_one_check_picks_now(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    done = renewal("template", target)
    assert done.returncode == 0, done.stderr
    expected = choose(datetime.now(BEIJING)).ruleset.id
    instructions = openpyxl.load_workbook(target)["说明"]
    assert expected in instructions["A1"].value
    assert f"--rules {expected}" in done.stderr


# -- intake: the two pieces of a template it must understand ---------------------------------


def write_csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


ROW = ["1234567890123", "2020-01-01 10:00", "2021-11-20 10:00"]


@pytest.mark.parametrize("keys_first", [False, True])
def test_a_header_spelt_twice_is_one_header(keys_first: bool, tmp_path: Path) -> None:
    chinese = ["商家ID", "合同签署时间", "续签报名时间"]
    english = ["merchant_id", "contract_signed_at", "signup_at"]
    header = [english, chinese] if keys_first else [chinese, english]
    path = write_csv(tmp_path / "two.csv", [*header, ROW])
    collect = run_file(path, datetime(2021, 12, 27, tzinfo=BEIJING))
    assert [r["merchant_id"] for r in collect.results] == ["1234567890123"]
    signup = next(f for f in collect.results[0]["findings"] if f["rule"] == "DL01")
    assert signup["status"] == "pass"
    # whichever row comes first names the columns in messages
    assert signup["source"]["column"] == header[0][2]
    assert collect.summary["other_lines_skipped"] == 0


def test_only_the_example_marker_itself_is_skipped(tmp_path: Path) -> None:
    header = ["商家ID", "合同签署时间", "续签报名时间"]
    rows = [["示例", *ROW[1:]], [" Example ", *ROW[1:]], ["示例店", *ROW[1:]], ROW]
    collect = run_file(
        write_csv(tmp_path / "ex.csv", [header, *rows]), datetime(2021, 12, 27, tzinfo=BEIJING)
    )
    assert [r["merchant_id"] for r in collect.results] == ["示例店", "1234567890123"]
    assert collect.summary["other_lines_skipped"] == 2


def test_a_blocker_comment_lists_the_steps_it_stops_in_its_language(tmp_path: Path) -> None:
    """2023年度's blockers stop both sign-up and signing: the English comment lists them as
    English does, not with the Chinese 、."""
    comments = {}
    for lang in ("zh", "en"):
        path = make_template(tmp_path / f"{lang}.xlsx", "-r", "tmall-2023", "--lang", lang)
        sheet = openpyxl.load_workbook(path)["商家"]
        comments[lang] = {c.value: c.comment.text for c in sheet[1]}["考核不达标"]
    assert "无法续签报名、签署协议" in comments["zh"]
    assert "Renewal sign-up, Agreement signing cannot be done" in comments["en"]


def test_a_moment_column_names_the_days_a_date_alone_cannot_be_judged(tmp_path: Path) -> None:
    """The template names the days on which a date alone leaves the row undecided, and
    they are the days `check` refuses a date alone on (2025年度: the window opens
    2024-11-20 12:00, closes 2024-12-30 18:00)."""
    import csv as _csv

    from conftest import EXPORT_HEADER, renewed_row

    book = openpyxl.load_workbook(make_template(tmp_path / "t.xlsx", "-r", "tmall-2025"))
    comments = {c.value: c.comment.text for c in book["商家"][1]}
    assert "但 2024-11-20、2024-12-30 当天几点会影响结果" in comments["协议签署时间"]
    assert "但 2024-12-30 当天几点会影响结果" in comments["保证金补缴时间"]
    english = openpyxl.load_workbook(
        make_template(tmp_path / "en.xlsx", "-r", "tmall-2025", "--lang", "en")
    )
    en = {c.value: c.comment.text for c in english["商家"][1]}
    assert "except on 2024-11-20, 2024-12-30, when the time that day decides" in en["协议签署时间"]

    signed = EXPORT_HEADER.index("协议签署时间")
    days = ["2024-11-19", "2024-11-20", "2024-11-21", "2024-12-29", "2024-12-30"]
    rows = []
    for day in days:
        row = renewed_row(f"m-{day}")
        row[signed] = day
        rows.append(row)
    export = tmp_path / "e.csv"
    with export.open("w", encoding="utf-8", newline="") as stream:
        _csv.writer(stream).writerows([EXPORT_HEADER, *rows])
    ran = renewal("check", export, "--rules", "tmall-2025", "--as-of", "2025-01-05", "-f", "json")
    merchants = json.loads(ran.stdout)["merchants"]
    undecided = {
        m["merchant_id"][2:]
        for m in merchants
        if any(f["rule"] == "DL02" and f["status"] == "error" for f in m["findings"])
    }
    assert undecided == {"2024-11-20", "2024-12-30"}
