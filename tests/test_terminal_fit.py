"""`renewal rules` and `renewal remind` on terminals of every width: an amount, a date-time,
a time left, an e-mail address or a phone number is never broken over two lines, a table
is used only when its unbroken columns fit whole, and the words are the language's."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, get_args

import pytest
from conftest import EXPORT_HEADER, renewal, renewed_row
from rich.cells import cell_len
from rich.console import Console

from renewal import briefs, i18n
from renewal.catalog import LOAD, bundled_ids, load_ruleset, rule_rows
from renewal.checks import REGISTRY
from renewal.pipeline import check_file
from renewal.render.fitted import Column, fill, fit_table
from renewal.render.reminders import ReminderRenderer, period_text
from renewal.render.rulebook import draw_rules
from renewal.ruleset import Clause, load
from renewal.timeutil import BEIJING

AMOUNT = r"-?¥\d[\d,]*(?:\.\d+)?"
MOMENT = r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?"
WHOLE = re.compile(rf"{AMOUNT}|{MOMENT}|\d+(?:\.\d+)?%|\b[A-Z]{{2}}\d{{2}}\b")
"""What must appear in a terminal view exactly as the source wrote it."""


def console(width: int) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(
        file=out,
        width=width,
        soft_wrap=False,
        highlight=False,
        markup=False,
        emoji=False,
        no_color=True,
    ), out


def whole(texts: list[str]) -> Counter[str]:
    return Counter(found for text in texts for found in WHOLE.findall(text))


def rule_texts(rows: list[dict[str, Any]]) -> list[str]:
    texts = []
    for row in rows:
        texts += [row["code"], row["title"], *row["brief"]]
        if row["role"] != LOAD:
            texts += [row["mark_summary"], row["quote"]]
    return texts


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("ruleset_id", bundled_ids())
def test_rules_never_break_an_amount_or_a_date_time(ruleset_id: str, lang: str) -> None:
    ruleset = load_ruleset(ruleset_id, lang)
    rows = rule_rows(ruleset, lang)
    expected = whole(rule_texts(rows))
    assert expected  # the figures are there to be broken
    for width in range(60, 201):
        screen, out = console(width)
        draw_rules(screen, f"{ruleset.name} ({ruleset.id})", rows, lang)
        shown = out.getvalue()
        lines = shown.splitlines()
        assert max(cell_len(line) for line in lines) <= width, width
        assert whole(lines) == expected, (ruleset_id, lang, width)
        # from TABLE_WIDTH on, a table (README: "a block each on a terminal narrower than 140")
        assert ("┏" in lines[1]) == (width >= 140), (ruleset_id, lang, width)


def test_the_reported_widths_keep_the_figures_whole() -> None:
    """The tester's commands: at 140 and 150 columns 蛋糕面包's ¥100,000 read ¥1 / 00,000
    and 电子票务凭证's ¥10,000 read ¥10 / ,000."""
    expected = whole(rule_texts(rows_2022()))
    for columns in (140, 150, 159):
        run = renewal("rules", "--rules", "2022", columns=columns)
        assert run.returncode == 0, run.stderr
        assert "┏" in run.stdout  # the table layout, where the amounts were broken
        assert whole(run.stdout.splitlines()) == expected, columns
        assert run.stdout.count("¥100,000") == expected["¥100,000"] > 0
        assert run.stdout.count("¥10,000") == expected["¥10,000"] > 0


def rows_2022() -> list[dict[str, Any]]:
    return rule_rows(load_ruleset("tmall-2022", "zh"), "zh")


# --- the mark column in Chinese ---------------------------------------------------------

MARKS = re.compile(r"sourced-weak|sourced|inferred")


@pytest.mark.parametrize("ruleset_id", bundled_ids())
def test_zh_marks_name_their_fields_in_chinese(ruleset_id: str) -> None:
    """The marks stay codes (the README and the rule files spell them so); the fields
    they count (categories, tiers …) are named in Chinese."""
    rows = rule_rows(load_ruleset(ruleset_id, "zh"), "zh")
    for row in rows:
        if row["role"] == LOAD:
            continue
        rest = MARKS.sub("", row["mark_summary"])
        assert not re.search(r"[A-Za-z_]", rest), (row["code"], row["mark_summary"])
    english = {row["code"]: row["mark_summary"] for row in rule_rows(load(ruleset_id), "en")}
    if ruleset_id == "tmall-2022":
        assert english["AF01"] == "sourced; tiers: 5/9 inferred"
        zh = {row["code"]: row["mark_summary"] for row in rows}
        assert zh["AF01"] == "sourced；年费档位：5/9 inferred"
        assert zh["DP01"] == "sourced；保证金表：1/4 inferred；特殊类目：8/8 inferred"


def _clause_fields() -> set[str]:
    """Every field of every registered rule's parameters that can hold a block citing its
    own source (a Clause, or a list of them)."""

    def holds_clause(annotation: object) -> bool:
        if isinstance(annotation, type) and issubclass(annotation, Clause):
            return True
        return any(holds_clause(arg) for arg in get_args(annotation))

    found = set()
    for rule in REGISTRY.values():
        for name, field in rule.params.model_fields.items():
            if holds_clause(field.annotation):
                found.add(name)
    return found


def test_every_field_that_cites_a_source_has_a_chinese_name() -> None:
    fields = _clause_fields()
    assert {"tiers", "categories", "consequences", "excluded_categories"} <= fields
    assert fields <= set(briefs.FIELD_ZH)


def test_zh_explain_names_the_nested_blocks_in_chinese() -> None:
    run = renewal("explain", "AF01", "--rules", "2022", "--lang", "zh")
    assert run.returncode == 0, run.stderr
    assert "年费档位 " in run.stdout and "\n  tiers " not in run.stdout
    english = renewal("explain", "AF01", "--rules", "2022", "--lang", "en")
    assert "\n  tiers " in english.stdout


# --- fitting a table --------------------------------------------------------------------


def test_fill_breaks_between_pieces_only() -> None:
    assert fill("购物提货券、蛋糕面包：¥100,000", 24)[-1].endswith("¥100,000")
    assert fill("截止 2021-12-26 18:00，评估", 18) == ["截止", "2021-12-26 18:00，", "评估"]
    text = "特殊类目 服务大类、电子票务凭证：¥10,000 / 旗舰店 ¥50,000 / 2021-11-19 10:00"
    for width in range(16, 60):
        lines = fill(text, width)
        assert max(cell_len(line) for line in lines) <= width
        assert whole(lines) == whole([text]), width
    # a piece wider than the column is cut: the last resort
    assert fill("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_a_styled_cell_is_filled_as_a_plain_one_and_keeps_its_styles() -> None:
    from rich.text import Text

    from renewal.render.fitted import filled

    cell = Text.assemble("签署协议，截止 2021-12-26 18:00（还剩 8小时，", ("即将截止", "bold red"), "）")
    for width in range(8, 50):
        out = filled(cell, width)
        assert out.plain.split("\n") == fill(cell.plain, width), width
        marked = [out.plain[span.start : span.end] for span in out.spans if span.style]
        assert "".join(marked).replace("\n", "") == "即将截止", (width, marked)


def test_a_table_that_cannot_keep_its_unbroken_columns_whole_is_refused() -> None:
    columns = [Column("id", unbroken=True), Column("what"), Column("amount", unbroken=True)]
    rows = [["x" * 40, "缴存保证金；缴纳年费", "¥100,000"]]
    # borders and padding: 3 a column and 1; 40 + 10 + 8 = 58 cells of text
    assert fit_table(columns, rows, 58 + 10) is not None
    assert fit_table(columns, rows, 58 + 9) is None
    screen, out = console(68)
    screen.print(fit_table(columns, rows, 68))
    assert "x" * 40 in out.getvalue() and "¥100,000" in out.getvalue()


# --- remind -----------------------------------------------------------------------------

AS_OF = datetime(2021, 12, 20, 12, 0, tzinfo=BEIJING)
CONTACTS = ["店铺名称", "联系人", "联系电话", "邮箱"]
COLUMN = {name: index for index, name in enumerate(EXPORT_HEADER)}


def agency(path: Path, merchant_ids: list[str] | None = None) -> Path:
    """An agency's export: stores with a step or money outstanding, each with a contact."""
    ids = merchant_ids or [f"A{n:02d}" for n in range(1, 9)]
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*EXPORT_HEADER, *CONTACTS])
        for index, merchant_id in enumerate(ids):
            row = renewed_row(merchant_id)
            if index % 3 == 0:
                row[COLUMN["协议签署时间"]] = ""
            elif index % 3 == 1:
                row[COLUMN["保证金余额"]] = "20000"
            else:
                row[COLUMN["年费已缴"]] = "0"
                row[COLUMN["年费缴纳时间"]] = ""
            email = f"{merchant_id.lower()}@example.com"
            writer.writerow(
                [*row, f"{'织锦' * (index % 4 + 1)}旗舰店", "李四", "13800000000", email]
            )
    return path


def reminders(
    path: Path, lang: str = "zh", within: timedelta = timedelta(days=7)
) -> ReminderRenderer:
    ruleset = load("tmall-2022")
    found = ReminderRenderer(ruleset, AS_OF, within, lang)
    check_file(path, ruleset, AS_OF, lang, [found], jobs=1)
    return found


def drawn(found: ReminderRenderer, width: int) -> list[str]:
    screen, out = console(width)
    found.draw(screen)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_remind_never_breaks_what_is_copied_or_read_as_a_figure(tmp_path, lang) -> None:
    """From 60 to 200 columns: ids, phones, e-mails, amounts, times left and the title's
    date-times and count come out whole, in a table when it fits, else in blocks."""
    found = reminders(agency(tmp_path / "agency.csv"), lang)
    cells = [found._table_cells(r, i18n.catalog(lang)) for r in found.reminders()]
    fields = found.fields()
    unbroken = ("merchant_id", "phone", "email", "amount", "left")
    kept = [
        cell for row in cells for field, cell in zip(fields, row, strict=True) if field in unbroken
    ]
    title = found.title()
    counted = re.compile(rf"{MOMENT}|\d+ 个|\d+ merchants")
    tables = 0
    for width in range(60, 201):
        lines = drawn(found, width)
        text = "\n".join(lines)
        assert max(cell_len(line) for line in lines) <= width, width
        for cell in set(kept):
            # every e-mail, id, amount, time left on one line, as often as the rows hold it
            assert sum(line.count(cell) for line in lines) >= kept.count(cell), (width, cell)
        assert Counter(counted.findall(text)) >= Counter(counted.findall(title)), width
        tables += "┏" in text
    assert 0 < tables < 141  # blocks on the narrow terminals, a table on the wide ones


def test_the_table_is_chosen_by_whether_its_unbroken_columns_fit(tmp_path) -> None:
    """A merchant id of 43 characters made every other column 5-7 cells wide: now the
    table is used only where the id, phone, e-mail, amount and time left fit whole and
    the shop and the missing steps have at least 10 cells (or what they need)."""
    long_id = "renewed-at-deadline-exactly-but-much-longer"
    found = reminders(agency(tmp_path / "long.csv", [long_id, "A02", "A03"]))
    assert len(long_id) == 43
    narrow = "\n".join(drawn(found, 100))
    assert "┏" not in narrow and long_id in narrow  # blocks
    wide = drawn(found, 200)
    assert "┏" in "\n".join(wide)
    header = next(line for line in wide if "店铺名称" in line)
    cells = [part.strip() for part in header.strip("┃").split("┃")]
    assert cells[0] == "商家ID"
    widths = [cell_len(part) for part in wide[2].strip("┃").split("┃")]
    assert widths[0] == 43 + 2  # the id whole, with its padding
    assert min(widths) >= 6


def test_remind_table_columns_at_100_to_130(tmp_path) -> None:
    """The tester's report: at 100-130 columns 剩余时间 read 6天6小 / 时 and e-mails were
    split. Wherever a table is drawn, each row's time left and e-mail are on one line."""
    found = reminders(agency(tmp_path / "agency.csv"))
    for width in range(100, 131):
        lines = drawn(found, width)
        table = "┏" in "\n".join(lines)
        for reminder in found.reminders():
            email = reminder.contacts["email"]
            if table:  # the row's own line holds both
                assert any(email in line and "6天6小时" in line for line in lines), (width, email)
            else:
                assert any(email in line for line in lines), (width, email)
        assert sum("6天6小时" in line for line in lines) == len(found.reminders()), width


def test_the_title_keeps_a_count_with_its_unit_and_a_date_with_its_time(tmp_path) -> None:
    found = reminders(agency(tmp_path / "agency.csv"))
    count = len(found.reminders())
    for width in range(60, 201):
        title = drawn(found, width)[:4]
        text = "\n".join(title)
        assert f"{count} 个" in text, width
        assert "2021-12-20 12:00" in text and "2021-12-26 18:00" in text, width


def test_the_title_says_the_period_asked_for_exactly(tmp_path) -> None:
    path = agency(tmp_path / "agency.csv")
    asked = "6天5小时59分钟"
    run = renewal(
        "remind",
        path,
        "--rules",
        "2022",
        "--as-of",
        "2021-12-20 12:00",
        "--within",
        asked,
        "-o",
        tmp_path / "out.csv",
    )
    assert run.returncode == 0, run.stderr
    assert f"{asked}内截止" in run.stderr
    assert period_text(int(timedelta(days=6, hours=5, minutes=59).total_seconds()), "zh") == asked
    assert period_text(90 * 60, "en") == "1h 30m"
    assert period_text(0, "zh") == "0天" and period_text(0, "en") == "0d"  # not a time left's 0秒
    assert period_text(7 * 86400, "zh") == "7天"
    assert period_text(86400 + 1, "en") == "1d 1s"


def test_one_row_with_a_data_error_is_said_in_the_singular(tmp_path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(EXPORT_HEADER)
        for merchant_id in ("ok-1", "bad-1", "bad-2"):
            row = renewed_row(merchant_id)
            if merchant_id.startswith("bad"):
                # nothing certainly outstanding beside the data error: left out, counted
                row[COLUMN["店铺类型"]] = "无此类型"
                row[COLUMN["保证金余额"]] = "0"
            else:
                row[COLUMN["协议签署时间"]] = ""
            writer.writerow(row)
    args = ("remind", path, "--rules", "2022", "--as-of", "2021-12-20 12:00", "--lang", "en")
    two = renewal(*args, "-o", tmp_path / "two.csv")
    assert "2 more rows have data errors" in two.stderr, two.stderr
    assert "1 merchant with something outstanding" in two.stderr
    path.write_text(
        "\n".join(path.read_text(encoding="utf-8").splitlines()[:-1]) + "\n", encoding="utf-8"
    )
    one = renewal(*args, "-o", tmp_path / "one.csv")
    assert "1 more row has a data error" in one.stderr, one.stderr


@pytest.mark.parametrize("width", [60, 80, 100, 130, 200])  # blocks below 100, then a table
def test_check_keeps_a_day_with_its_24_hour_mark(width: int) -> None:
    """The merchant blocks `check` prints on a narrow terminal, and its table on a wide one
    (`fitted.fit_table`), fold a reason between pieces (`fitted.fill`), as remind's do:
    「早于合同年度结束（2022-12-31 24时）」 is never cut between the day and its 24时, which
    rich's own folding did at a space."""
    from conftest import XLSX

    args = ("--rules", "tmall-2022", "--as-of", "2021-12-27 00:00", "--fail-on", "never")
    out = renewal("check", XLSX, *args, "--limit", "100", columns=width).stdout
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert "2022-12-31 24时" in out, out
    assert not any(line.rstrip(" │").endswith("2022-12-31") for line in lines)
    # blocks below 100 columns; a table once the fixture's long ids fit whole beside it
    assert ("┃ 商家ID" in out) == (width >= 130) or width == 100


@pytest.mark.parametrize("width", [50, 60, 70, 80])
def test_check_summary_lines_keep_amounts_and_counts_whole(width: int) -> None:
    """The amounts-owed line and the due-soon sentence fold between pieces, as the merchant
    blocks do: never ¥90,0 / 00, nor 另有 6 / 家."""
    from conftest import XLSX

    args = ("--rules", "tmall-2022", "--as-of", "2021-12-25 10:00", "--fail-on", "never")
    out = renewal("check", XLSX, *args, "--limit", "1", columns=width).stdout
    lines = [line.rstrip() for line in out.splitlines()]
    assert max(cell_len(line) for line in lines) <= width
    head = "\n".join(lines[: lines.index(next(x for x in lines if x.startswith("需要处理")))])
    # the fee: renewed-at-deadline-exactly's, paid in full after the as-of, is unknown
    for amount in ("¥70,000", "¥90,000"):
        assert amount in head, head
    assert not re.search(r"\d\n[家个]", head), head
    assert "另有 8 家金额未知" in head.replace("\n", "") and "18 个待完成商家" in head
