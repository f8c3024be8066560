"""`renewal check` as a user runs it: a real process, its exit code, stdout and stderr."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from conftest import (
    AFTER_DEADLINE,
    CSV,
    EXPORT_HEADER,
    MID_WINDOW,
    ROOT,
    XLSX,
    digest,
    renewal,
    renewed_row,
    run_file,
)
from rich.cells import cell_len

AFTER = ["--rules", "tmall-2022", "--as-of", "2021-12-27 00:00"]


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_json_equals_the_engine_report(tmp_path):
    out = tmp_path / "report.json"
    result = renewal("check", XLSX, *AFTER, "-o", out)
    assert result.returncode == 1  # the fixture has failed and error rows
    document = json.loads(out.read_text(encoding="utf-8"))
    engine = run_file(XLSX, AFTER_DEADLINE)
    assert document["merchants"] == json.loads(orjson.dumps(engine.results))
    assert document["summary"] == json.loads(orjson.dumps(engine.summary))
    assert document["schema"] == "renewal-report/1"
    assert document["ruleset"]["id"] == "tmall-2022"
    assert document["as_of"] == "2021-12-27T00:00:00+08:00"
    assert document["input"]["sha256"] == digest(XLSX)


def test_json_is_byte_stable_and_the_same_on_stdout(tmp_path):
    first = tmp_path / "a.json"
    renewal("check", XLSX, *AFTER, "-o", first)
    again = renewal("check", XLSX, *AFTER, "--format", "json")
    assert first.read_bytes() == again.stdout.encode("utf-8")


def test_jsonl_has_one_merchant_per_line(tmp_path):
    out = tmp_path / "report.jsonl"
    renewal("check", CSV, *AFTER, "-o", out)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 43
    assert [json.loads(line)["row"] for line in lines] == list(range(2, 45))


def test_table_lists_what_needs_attention():
    result = renewal("check", XLSX, *AFTER, "--limit", "0")
    assert result.returncode == 1
    assert "未续签 (failed)" in result.stdout
    assert "failed-no-signup" in result.stdout
    assert "renewed-all-steps" not in result.stdout  # clean merchants are not listed


def test_table_in_english():
    result = renewal("check", XLSX, *AFTER, "--lang", "en", "--limit", "3")
    assert "Merchants" in result.stdout
    assert "more merchants need attention" in result.stdout
    assert result.stdout.startswith("Tmall 2022 contract-year renewal (tmall-2022)")
    assert "│ failed " in result.stdout and "(failed)" not in result.stdout  # said once


def test_the_count_of_merchants_not_listed_is_grouped_and_singular_for_one(tmp_path):
    import csv

    from conftest import EXPORT_HEADER, renewed_row

    rows = []
    for n in range(1002):
        row = renewed_row(f"{6000 + n}")
        row[5] = ""  # no sign-up: failed after the deadline
        rows.append(row)
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([EXPORT_HEADER, *rows])
    many = renewal("check", export, *AFTER, "--limit", "1")
    assert "另有 1,001 个商家需要处理" in many.stdout, many.stdout
    one = renewal("check", export, *AFTER, "--limit", "1001", "--lang", "en")
    assert "1 more merchant needs attention;" in one.stdout, one.stdout[-400:]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_narrow_terminal_lists_each_merchant_as_a_block(tmp_path, lang):
    """On 80 columns a six-column table leaves the reason a few characters wide: each
    merchant gets a line naming its row, id, shop and outcome, with its reason and next
    action below it. No line is wider than the terminal, the title's moments are not
    broken, and a shop name that looks like terminal markup is shown as typed."""
    import csv

    from conftest import EXPORT_HEADER, renewed_row
    from rich.cells import cell_len

    unsigned = renewed_row("8001")
    unsigned[5] = ""  # no sign-up: failed after the deadline
    rows = [[*unsigned, "[red]红[/red]店"], [*renewed_row("8002"), "乙店"]]
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([[*EXPORT_HEADER, "店铺名称"], *rows])
    result = renewal("check", export, *AFTER, "--lang", lang, columns=80)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80, result.stdout
    assert "2021-12-27 00:00" in lines[1] and "2021-12-26 18:00" in lines[1]  # the moments
    (head,) = [line for line in lines if "8001" in line]
    row, outcome = ("第 2 行", "未续签") if lang == "zh" else ("Row 2", "failed")
    assert head.startswith(row) and "[red]红[/red]店" in head and head.endswith(outcome)
    below = lines[lines.index(head) + 1 : lines.index(head) + 3]
    reason, action = ("原因", "下一步") if lang == "zh" else ("Reason", "Next action")
    assert below[0].lstrip().startswith(reason) and below[1].lstrip().startswith(action)
    assert "8002" not in result.stdout  # renewed: nothing to do


def test_no_english_message_names_an_internal_field():
    """Field names such as contract_signed_at are the program's, not the export's: only the
    waiver file's accepted headers use them (the reminder CSV's merge fields are no message:
    renewal.render.reminders.CSV_KEYS; its table and workbook say words)."""
    import re

    from renewal import i18n

    machine = {"waiver.no_header"}
    for key, text in i18n.catalog("en").items():
        words = re.findall(r"\b[a-z]+_[a-z_]+\b", re.sub(r"\{[^}]*\}", "", text))
        assert key in machine or not words, (key, words)


def test_english_messages_name_columns_as_the_export_does():
    """An English message names a column by the export's own (Chinese) header, never by an
    internal field name."""
    result = renewal("check", XLSX, *AFTER, "--lang", "en", "--limit", "0")
    assert "合同签署时间 (contract signed at) is blank" in result.stdout
    assert "年费应缴 (annual fee due) is blank" in result.stdout
    for internal in (
        "contract_signed_at",
        "annual_fee_required",
        "deposit_required",
        "merchant_id",
    ):
        assert internal not in result.stdout


@pytest.mark.parametrize(
    ("fail_on", "as_of", "code"),
    [
        ("never", "2021-12-27 00:00", 0),
        ("failed", "2021-12-27 00:00", 1),
        ("pending", "2021-12-01 12:00", 1),
        ("warn", "2021-12-27 00:00", 1),
    ],
)
def test_fail_on_levels(fail_on, as_of, code):
    result = renewal(
        "check", XLSX, "--rules", "tmall-2022", "--as-of", as_of, "--fail-on", fail_on, "-f", "json"
    )
    assert result.returncode == code


def clean_csv(tmp_path: Path, rows: list[str]) -> Path:
    header = "商家ID,店铺类型,商标状态,主营类目,合同签署时间,续签报名时间,协议签署时间,保证金余额,年费已缴,年费缴纳时间,处罚申诉中,严重违规扣分,一般违规扣分"
    path = tmp_path / "export.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


RENEWED = "m1,旗舰店,R,男装,2020-01-01 10:00,2021-11-20 10:00,2021-11-20 10:00,50000,60000,2021-11-20 10:00,否,0,0"
PENDING = "m2,旗舰店,R,男装,2020-01-01 10:00,,,50000,0,,否,0,0"


def test_exit_zero_when_every_merchant_renewed(tmp_path):
    path = clean_csv(tmp_path, [RENEWED])
    assert renewal("check", path, *AFTER).returncode == 0


def test_pending_only_passes_default_but_not_fail_on_pending(tmp_path):
    path = clean_csv(tmp_path, [RENEWED, PENDING])
    mid = ["--rules", "tmall-2022", "--as-of", "2021-12-01 12:00"]
    assert renewal("check", path, *mid).returncode == 0
    assert renewal("check", path, *mid, "--fail-on", "pending").returncode == 1


def test_as_of_forms_agree(tmp_path):
    path = clean_csv(tmp_path, [PENDING])
    outputs = set()
    for form in (
        "2021-12-01 12:00",
        "2021-12-01T12:00:00+08:00",
        "2021-12-01T04:00:00Z",
        "2021年12月1日 12:00",
    ):
        result = renewal("check", path, "--rules", "tmall-2022", "--as-of", form, "-f", "json")
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1
    bare = renewal("check", path, "--rules", "tmall-2022", "--as-of", "2021-12-01", "-f", "json")
    assert json.loads(bare.stdout)["as_of"] == "2021-12-01T00:00:00+08:00"


def test_rules_from_any_directory(tmp_path):
    result = renewal("check", XLSX.resolve(), *AFTER, "-f", "json", cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["summary"]["merchants"] == 43


def test_python_dash_m_and_version():
    result = renewal("--version")
    assert result.returncode == 0 and result.stdout.startswith("renewal ")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["check", "no-such-file.xlsx", *AFTER], "no-such-file.xlsx：文件不存在"),
        (["check", XLSX, "--rules", "tmall-2022", "--as-of", "tomorrow"], "--as-of 无法解析"),
        (
            ["check", XLSX, "--rules", "tmall-1999"],
            "没有规则集 tmall-1999（未找到该年度的续签公告）；最接近的：tmall-2019",
        ),
        (  # a typo is no year without an announcement
            ["check", XLSX, "--rules", "tmal-2o22"],
            "没有规则集 tmal-2o22，也没有这个文件；内置规则集：tmall-2019、",
        ),
        (["check", XLSX, "--rules", ROOT / "rules"], "是目录，不是规则文件"),
        (
            ["check", XLSX, *AFTER, "--format", "pdf"],
            "--format 'pdf' 不可用：可选 table、json、jsonl、junit、xlsx、csv、html",
        ),
        (
            ["remind", XLSX, *AFTER, "--format", "pdf"],
            "--format 'pdf' 不可用：可选 table、csv、xlsx",
        ),
        (["rules", "--format", "xml"], "--format 'xml' 不可用：可选 table、json"),
        (["check", XLSX, *AFTER, "-o", XLSX], "输出文件就是输入文件"),
        (["check", XLSX, *AFTER, "-o", ROOT / "fixtures"], "输出路径是一个目录"),
        (["check", XLSX, *AFTER, "-o", "report.pdf"], "无法从输出文件扩展名判断格式"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args, expected):
    assert expected in one_line_error(renewal(*args))


def test_usage_errors_in_english():
    line = one_line_error(renewal("check", "no-such-file.xlsx", *AFTER, "--lang", "en"))
    assert line == "renewal: no-such-file.xlsx: no such file"
    line = one_line_error(renewal("check", XLSX, *AFTER, "--format", "pdf", "--lang", "en"))
    assert line == (
        "renewal: --format 'pdf' is not one of: table, json, jsonl, junit, xlsx, csv, html"
    )


def test_missing_required_column_names_sheet_and_column(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("商家ID,店铺名称\nm1,某店\n", encoding="utf-8")
    line = one_line_error(renewal("check", path, *AFTER))
    assert "export.csv" in line and "合同签署时间" in line and "第 1 行" in line


def test_broken_rule_file_names_file_and_key(tmp_path):
    text = (ROOT / "rules" / "tmall-2022.toml").read_text(encoding="utf-8")
    broken = tmp_path / "tmall-2027.toml"
    broken.write_text(
        text.replace("serious_points_below = 12", "serious_points_bellow = 12"), encoding="utf-8"
    )
    line = one_line_error(renewal("check", XLSX, "--rules", broken, "--as-of", "2021-12-27"))
    assert line.startswith("renewal: 规则文件错误：") and "tmall-2027.toml" in line
    assert "rules.TB01.serious_points_bellow：未知的键；是不是「serious_points_below」？" in line
    args = ("check", XLSX, "--rules", broken, "--as-of", "2021-12-27", "--lang", "en")
    line = one_line_error(renewal(*args))
    assert line.startswith("renewal: rule set error: ") and "tmall-2027.toml" in line
    assert (
        "rules.TB01.serious_points_bellow: unknown key; did you mean 'serious_points_below'?"
        in line
    )


def test_output_is_atomic_and_keeps_the_previous_report_on_failure(tmp_path):
    out = tmp_path / "report.json"
    out.write_text("previous report", encoding="utf-8")
    broken = tmp_path / "broken.csv"
    broken.write_text("商家ID\nm1\n", encoding="utf-8")
    assert renewal("check", broken, *AFTER, "-o", out).returncode == 2
    assert out.read_text(encoding="utf-8") == "previous report"
    assert renewal("check", XLSX, *AFTER, "-o", out).returncode == 1
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["merchants"] == 43
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.csv", "report.json"]


def test_input_copied_elsewhere_is_not_modified(tmp_path):
    copy = tmp_path / "export.xlsx"
    shutil.copy(XLSX, copy)
    before = digest(copy)
    renewal("check", copy, *AFTER, "-o", tmp_path / "r.json")
    assert digest(copy) == before


def test_mid_window_json_reports_time_left(tmp_path):
    result = renewal(
        "check", XLSX, "--rules", "tmall-2022", "--as-of", "2021-12-01 12:00", "-f", "json"
    )
    document = json.loads(result.stdout)
    pending = [m for m in document["merchants"] if m["outcome"] == "pending"]
    assert pending and all(m["time_left_seconds"] == 25 * 86400 + 6 * 3600 for m in pending)
    assert len(pending) == run_file(XLSX, MID_WINDOW).summary["outcomes"]["pending"]  # type: ignore[index]


def test_several_outputs_from_one_run(tmp_path):
    outputs = [tmp_path / "r.json", tmp_path / "r.jsonl", tmp_path / "r.txt"]
    result = renewal("check", XLSX, *AFTER, *[arg for path in outputs for arg in ("-o", path)])
    assert result.returncode == 1
    assert all(path.exists() for path in outputs)
    alone = tmp_path / "alone.json"
    renewal("check", XLSX, *AFTER, "-o", alone)
    assert outputs[0].read_bytes() == alone.read_bytes()
    assert len(outputs[1].read_text(encoding="utf-8").splitlines()) == 43
    assert "未续签 (failed)" in outputs[2].read_text(encoding="utf-8")
    assert result.stderr.count("已写入") == 3


def test_an_explicit_format_applies_where_the_extension_names_none(tmp_path):
    out = tmp_path / "report.out"
    renewal("check", XLSX, *AFTER, "--format", "json", "-o", out)
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["merchants"] == 43
    # an extension naming another format is refused, not written in --format's
    txt = tmp_path / "report.txt"
    line = one_line_error(renewal("check", XLSX, *AFTER, "--format", "json", "-o", txt))
    assert "report.txt" in line and "--format json" in line
    assert not txt.exists()


def test_the_same_output_twice_is_refused(tmp_path):
    out = tmp_path / "r.json"
    line = one_line_error(
        renewal("check", XLSX, *AFTER, "-o", out, "-o", tmp_path / "." / "r.json")
    )
    assert "同一个输出文件给了两次" in line
    assert not out.exists()


def test_baseline_and_fail_on_new(tmp_path):
    """A nightly job pages on news, not on the backlog: --fail-on new with --baseline."""
    export = clean_csv(tmp_path, [RENEWED, PENDING])
    night1 = tmp_path / "night1.json"
    renewal("check", export, *AFTER, "-o", night1)
    # nothing changed: the pending merchant is still failed, but that is not news
    same = renewal(
        "check",
        export,
        *AFTER,
        "--baseline",
        night1,
        "--fail-on",
        "new",
        "-f",
        "json",
    )
    assert same.returncode == 0, same.stderr
    assert json.loads(same.stdout)["summary"]["outcomes"]["failed"] == 1
    # the renewed merchant loses its agreement: worse since the baseline
    night2 = tmp_path / "night2"
    night2.mkdir()
    lost = RENEWED.replace(",2021-11-20 10:00,2021-11-20 10:00,", ",2021-11-20 10:00,,", 1)
    worse_export = clean_csv(night2, [lost, PENDING])
    worse = renewal(
        "check",
        worse_export,
        *AFTER,
        "--baseline",
        night1,
        "--fail-on",
        "new",
    )
    assert worse.returncode == 1
    assert "有变差" in worse.stderr
    # without --fail-on new the baseline only informs; the usual level decides
    informed = renewal(
        "check",
        export,
        *AFTER,
        "--baseline",
        night1,
        "--fail-on",
        "never",
    )
    assert informed.returncode == 0
    assert "无变差" in informed.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "night1.json", "night2"]


def test_fail_on_new_needs_a_readable_baseline(tmp_path):
    line = one_line_error(renewal("check", XLSX, *AFTER, "--fail-on", "new"))
    assert "--fail-on new 需要 --baseline" in line
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    line = one_line_error(renewal("check", XLSX, *AFTER, "--baseline", broken))
    assert "broken.json" in line


def test_a_failed_run_leaves_no_scratch_report(tmp_path, monkeypatch):
    """With --baseline and no JSON output, the run writes a report for the diff in a
    scratch directory; a run that fails before the diff removes it too."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    night1 = tmp_path / "night1.json"
    renewal("check", XLSX, *AFTER, "-o", night1)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    line = one_line_error(renewal("check", empty, *AFTER, "--baseline", night1))
    assert "empty.csv" in line
    done = renewal("check", XLSX, *AFTER, "--baseline", night1, "--fail-on", "new")
    assert done.returncode == 0, done.stderr
    assert "无变差" in done.stderr
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--lang", "en"], "renewal: renewal internal error (a bug, please report it): "),
        (["--lang=en"], "renewal: renewal internal error (a bug, please report it): "),
        (
            ["--lang", "zh", "--lang=en"],
            "renewal: renewal internal error (a bug, please report it): ",
        ),
        (["--lang=en", "--lang", "zh"], "renewal: renewal 内部错误（这是一个缺陷，请报告）："),
        (["-o", "en"], "renewal: renewal 内部错误（这是一个缺陷，请报告）："),
        ([], "renewal: renewal 内部错误（这是一个缺陷，请报告）："),
    ],
)
def test_an_internal_error_is_one_line_in_the_language_asked_for(
    monkeypatch, capsys, args, expected
):
    import sys

    import renewal.cli as cli

    def broken(**_options: object) -> None:  # main() calls app(standalone_mode=False)
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "app", broken)
    monkeypatch.setattr(sys, "argv", ["renewal", "check", "export.csv", *args])
    monkeypatch.delenv("RENEWAL_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == 3
    assert capsys.readouterr().err == expected + "RuntimeError('boom')\n"


def test_messages_name_a_column_by_the_alias_the_export_used(tmp_path):
    """An export may say 商户ID, 签约时间, 应缴保证金 or 应缴年费 for our 商家ID, 合同签署时间,
    保证金应缴 and 年费应缴: a message names the column the user can find in the file."""
    import csv

    header = ["商户ID", "店铺类型", "商标状态", "主营类目", "签约时间", "应缴保证金", "保证金余额"]
    header += ["应缴年费", "年费已缴", "年费缴纳时间", "处罚申诉中", "严重违规扣分", "一般违规扣分"]
    base = ["", "旗舰店", "R", "男装", "2020-01-01", "", "0", "", "0", "", "否", "0", "0"]
    rows = [
        base,  # no id
        ["1.2E+15", *base[1:]],  # an id whose digits are lost
        ["3001", *base[1:4], "", *base[5:]],  # no contract time
        ["3002", *base[1:4], "2020-13-45", *base[5:]],  # no such date
        # neither amount can be told (¥45,000 paid: one fee tier's, not the other's)
        ["3003", "奇怪店", "R", "火星用品", *base[4:8], "45000", *base[9:]],
    ]
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([header, *rows])
    messages = {}
    for lang in ("zh", "en"):
        out = tmp_path / f"{lang}.json"
        result = renewal("check", export, *AFTER, "--lang", lang, "-o", out, "-q")
        assert result.returncode == 1, result.stderr
        merchants = json.loads(out.read_text(encoding="utf-8"))["merchants"]
        messages[lang] = [
            {f["rule"]: f["message"] for f in m["findings"] if f["status"] == "error"}
            for m in merchants
        ]
    zh, en = messages["zh"], messages["en"]
    assert zh[0]["LD01"] == "「商户ID」为空，无法评估此行"
    assert en[0]["LD01"] == "商户ID (merchant id) is blank: the row cannot be evaluated"
    assert zh[1]["LD01"].startswith("「商户ID」的值「1.2E+15」无法读取：ID 是科学计数法")
    assert en[1]["LD01"].startswith("Cannot read 商户ID (merchant id) '1.2E+15': id in scientific")
    assert zh[2]["LD02"] == "「签约时间」为空，无法判断是否须续签"
    assert en[2]["LD02"].startswith("签约时间 (contract signed at) is blank")
    assert zh[3]["LD02"] == "「签约时间」的值「2020-13-45」无法读取：日历上没有这一天"
    assert (
        en[3]["LD02"]
        == "Cannot read 签约时间 (contract signed at) '2020-13-45': no such calendar date"
    )
    assert zh[4]["DP01"].startswith("无法确定应缴保证金：「应缴保证金」为空")
    assert zh[4]["AF01"].startswith("无法确定应缴年费：「应缴年费」为空")
    assert en[4]["DP01"].startswith("Cannot tell the required deposit: 应缴保证金 (deposit due)")
    assert en[4]["AF01"].startswith(
        "Cannot tell the required annual fee: 应缴年费 (annual fee due)"
    )


def test_the_table_counts_each_row_of_a_duplicated_id_once(tmp_path):
    """Rows that already needed attention when read, and then turn out to carry a
    duplicated id, are not counted twice in "N more merchants need attention"."""
    import csv

    from conftest import EXPORT_HEADER, renewed_row

    def unsigned(merchant_id: str) -> list[object]:
        row = renewed_row(merchant_id)
        row[5] = ""  # no sign-up: failed after the deadline
        return row

    rows = [unsigned("6001") for _ in range(12)] + [renewed_row(f"700{n}") for n in range(3)]
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([EXPORT_HEADER, *rows])
    result = renewal("check", export, *AFTER, "--limit", "5")
    assert result.returncode == 1, result.stderr
    assert "另有 7 个商家需要处理" in result.stdout, result.stdout
    assert result.stdout.count("│ 6001 ") == 5, result.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_table_names_the_shop_of_every_row_of_a_duplicated_id(tmp_path, jobs):
    """Rows that carry one id are all errors (LD03). The table keeps only the rows that
    needed attention while it read, so a row that looked renewed until the duplicate was
    found is named from the export again, not left without its shop."""
    import csv

    from conftest import EXPORT_HEADER, renewed_row

    export = tmp_path / "export.csv"
    rows = [
        [*renewed_row("5001"), "甲店"],
        [*renewed_row("5002"), "乙店"],
        [*renewed_row("5001"), "丙店"],
    ]
    with export.open("w", encoding="utf-8-sig", newline="") as out:
        csv.writer(out).writerows([[*EXPORT_HEADER, "店铺名称"], *rows])
    result = renewal("check", export, *AFTER, "--jobs", jobs)
    assert result.returncode == 1, result.stderr
    listed = [line for line in result.stdout.splitlines() if "5001" in line or "5002" in line]
    assert len(listed) == 2, result.stdout
    assert "│  2 │ 5001 " in listed[0] and "甲店" in listed[0], listed
    assert "│  4 │ 5001 " in listed[1] and "丙店" in listed[1], listed


@pytest.mark.parametrize("command", ["check", "remind", "self-check", "rules", "diff", "template"])
def test_help_names_what_an_option_takes_not_its_python_type(command):
    result = subprocess.run(
        [sys.executable, "-m", "renewal", command, "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for python_type in ("<str>", "<list[Path]>", "<list[str]>", "<int>", "<path>  "):
        assert python_type not in result.stdout.split("Options")[1], python_type
    if command == "check":
        assert (
            "FILE" in result.stdout and "ID|FILE" in result.stdout and "csv | html" in result.stdout
        )


HELPED = ["check", "rules", "explain", "validate-rules", "years", "template", "diff"]
HELPED += ["self-check", "remind"]


def test_every_help_text_is_in_chinese_and_in_english():
    """--help is bilingual by design, "中文 / English", whatever --lang: every option and
    argument of every command, the help option itself included (typer's is English only)."""
    import typer

    from renewal.cli import app

    root = typer.main.get_command(app)
    commands = {"": root, **getattr(root, "commands", {})}
    for name, command in commands.items():
        context = typer.Context(command, info_name=name or "renewal")
        for param in command.get_params(context):
            text = getattr(param, "help", None) or ""
            chinese, _, english = text.partition("/ ")  # after a space, or after ）
            assert re.search(r"[\u4e00-\u9fff]", chinese), (name, param.name, text)
            assert re.search(r"[A-Za-z]{3,}", english), (name, param.name, text)


@pytest.mark.parametrize("lang", [[], ["--lang", "en"]])
@pytest.mark.parametrize("command", ["", *HELPED])
def test_help_shows_no_python_flag_type_and_no_english_only_line(command, lang):
    if not command and lang:
        pytest.skip("--lang is an option of each command, not of renewal itself")
    result = renewal(*([command] if command else []), *lang, "--help", columns=120)
    assert result.returncode == 0, result.stderr
    assert "<bool>" not in result.stdout and "Show this message" not in result.stdout
    assert "显示本帮助并退出 / show this help and exit" in result.stdout


@pytest.mark.parametrize("columns", [60, 70, 80])
@pytest.mark.parametrize("command", ["", *HELPED])
def test_help_on_a_narrow_terminal_is_folded_never_cut(command, columns):
    """A help text wider than its cell goes on to the next line, whole: a run of Chinese
    (no space to break at) is folded between two characters, not cut with "…"."""
    result = renewal(*([command] if command else []), "--help", columns=columns)
    assert result.returncode == 0, result.stderr
    assert "…" not in result.stdout, result.stdout
    assert all(cell_len(line) <= columns for line in result.stdout.splitlines())


def test_a_reader_that_stops_early_ends_the_run_by_sigpipe_not_exit_1(tmp_path):
    """`renewal check … | head`: exit 1 would read as "a merchant reached --fail-on"."""
    export = tmp_path / "export.csv"
    with export.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(EXPORT_HEADER)
        writer.writerows(renewed_row(f"m{index:04d}") for index in range(2000))
    args = [sys.executable, "-m", "renewal", "check", export, *AFTER, "--format", "json"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(100).startswith(b"{")  # 4 MB of report: far more than a pipe holds
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == -signal.SIGPIPE
    assert stderr == b""
