"""The export's columns: Chinese header, English key, accepted aliases, and how to read a cell.

Headers are matched after normalisation (full-width to half-width, spaces and line breaks
removed, a trailing unit such as `(元)` dropped, case folded), so `保证金余额(元)`,
`保证金 余额` and `deposit_balance` all find the same column; a 是/否 column is found under
the question that asks it too (`是否处罚申诉中`, `处罚申诉中？`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from renewal.intake.values import INVISIBLE


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    # id | text | name | datetime | date | expiry | amount | due | points | score | bool | trademark
    kind: str
    aliases: tuple[str, ...] = ()
    required: bool = False


MERCHANT_COLUMNS: tuple[Column, ...] = (
    Column(
        "merchant_id", "商家ID", "id", ("商家id", "商户ID", "卖家ID", "店铺ID", "seller_id"), True
    ),
    Column("shop_name", "店铺名称", "name", ("店铺名", "店铺")),
    Column("store_type", "店铺类型", "text", ("店铺类别",)),
    Column("category", "主营类目", "text", ("一级类目", "经营类目", "类目")),
    Column("trademark", "商标状态", "trademark", ("商标类型", "商标")),
    Column("contract_signed_at", "合同签署时间", "datetime", ("合同签订时间", "签约时间"), True),
    Column("signup_at", "续签报名时间", "datetime", ("报名时间",)),
    Column("agreement_signed_at", "协议签署时间", "datetime", ("签署协议时间", "续签协议签署时间")),
    Column("deposit_required", "保证金应缴", "due", ("应缴保证金", "保证金应缴金额")),
    Column("deposit_balance", "保证金余额", "amount", ("保证金", "已缴保证金", "保证金账户余额")),
    Column("deposit_topped_up_at", "保证金补缴时间", "datetime", ("补缴时间", "保证金缴存时间")),
    Column(
        "deposit_insurance_renewed_at",
        "保证金履约险续保时间",
        "datetime",
        ("履约险续保时间", "保证金保险续保时间"),
    ),
    Column("annual_fee_required", "年费应缴", "due", ("应缴年费", "软件服务年费应缴")),
    Column("annual_fee_paid", "年费已缴", "due", ("已缴年费", "软件服务年费已缴")),
    Column("annual_fee_paid_at", "年费缴纳时间", "datetime", ("年费缴费时间", "缴费时间")),
    Column("appeal_pending", "处罚申诉中", "bool", ("申诉中", "是否申诉中")),
    Column("serious_points", "严重违规扣分", "points", ("严重违规分",)),
    Column("general_points", "一般违规扣分", "points", ("一般违规分",)),
    Column("experience_score", "体验分", "score", ("店铺真实体验分", "基础服务考核分")),
    Column("service_opened_at", "服务开通时间", "datetime", ("店铺开通时间", "开店时间")),
    # signup blockers (2023年度 on): 是/否
    Column("assessment_failed", "考核不达标", "bool", ("经营考核不达标", "考核不合格")),
    Column(
        "software_fee_unpaid",
        "软件服务费未缴清",
        "bool",
        ("店铺存在软件服务费未缴清", "未缴清类目软件服务费或基础软件服务费"),
    ),
    Column(
        "no_brand_authorization",
        "无品牌授权",
        "bool",
        ("旗舰店、专卖店、专营店无品牌授权", "品牌授权缺失"),
    ),
    Column("exit_in_progress", "退出流程中", "bool", ("店铺处于退出流程中",)),
    Column("entity_change_in_progress", "主体变更中", "bool", ("主体变更流程中",)),
    Column(
        "taobao_transfer_in_progress",
        "转淘宝企业店铺中",
        "bool",
        ("转入淘宝网企业店铺流程中", "转入淘宝企业店铺流程中", "转淘宝企业店铺流程中"),
    ),
    Column("annual_inspection_pending", "年检信息待更新", "bool", ("年检待更新",)),
)

BLOCKER_FIELDS = (
    "assessment_failed",
    "software_fee_unpaid",
    "no_brand_authorization",
    "exit_in_progress",
    "entity_change_in_progress",
    "taobao_transfer_in_progress",
    "annual_inspection_pending",
)
"""The 是/否 columns that can stop a merchant from signing up or signing (2023年度 on)."""

VIOLATION_COLUMNS: tuple[Column, ...] = (
    Column("merchant_id", "商家ID", "id", ("商家id", "商户ID", "卖家ID", "店铺ID"), True),
    Column("penalized_on", "处罚日期", "date", ("处罚时间", "扣分日期", "penalty_date"), True),
    Column("violation_type", "违规类型", "text", ("违规类别", "type"), True),
    Column("points", "扣分", "points", ("扣分分值", "分值"), True),
    Column("appeal_status", "申诉状态", "text", ("申诉",)),
)

QUALIFICATION_COLUMNS: tuple[Column, ...] = (
    Column("merchant_id", "商家ID", "id", ("商家id", "商户ID", "卖家ID", "店铺ID"), True),
    Column("qualification_type", "资质类型", "text", ("资质名称", "type"), True),
    Column("certificate_no", "证书编号", "text", ("编号", "certificate_number")),
    Column("expires_on", "到期日期", "expiry", ("有效期至", "到期时间", "expires_at"), True),
)

REPORT_COLUMNS = (
    "outcome",
    "problems",
    "deposit_due",
    "fee_due",
    "deadline",
    "time_left",
    "transfer",
    "next_action",
    "source_row",
)
"""The columns renewal's xlsx and CSV reports append to the export's own, in order; their
headers are the i18n catalogue's `annotated.*` texts. A report checked again is read
without them (header.report_columns_at)."""

MERCHANT_SHEETS = ("商家", "merchants", "商家列表", "续签名单")
VIOLATION_SHEETS = ("违规记录", "violations", "违规", "违规明细", "违规清单", "处罚记录")
QUALIFICATION_SHEETS = ("资质", "qualifications", "资质记录", "资质明细", "资质清单", "资质信息")
"""The first of each is the name renewal's template and reports give the sheet; each is
also found as `sheet_stem` folds it (违规记录表, 资质 - 表格 1)."""

HEADER_OF: dict[str, str] = {column.key: column.header for column in MERCHANT_COLUMNS}

_UNIT = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]$")
_SPACE = re.compile(f"[\\s{INVISIBLE}]+")
"""Spaces, and the characters that show as nothing (values.INVISIBLE)."""


def normalize_header(text: str) -> str:
    """The form headers are compared in: half-width, no spaces or unit, case folded, without
    a form's marks: the star of a required column (`*商家ID`) and a closing colon
    (`商家ID：`)."""
    folded = unicodedata.normalize("NFKC", text).strip()
    folded = _SPACE.sub("", folded)
    folded = _UNIT.sub("", folded.strip("*:"))
    return folded.strip("*:").casefold()


@functools.cache
def alias_table(columns: tuple[Column, ...]) -> dict[str, Column]:
    """Each column under every folded name it may have; a yes/no column also under the
    question that asks it (`asked`). A name a column has outright is never another
    column's question: the question only fills names no column has."""
    table: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, column.key, *column.aliases):
            table[normalize_header(name)] = column
    for column in columns:
        if column.kind == "bool":
            for name in (column.header, *column.aliases):
                for form in asked(normalize_header(name)):
                    table.setdefault(form, column)
    return table


def asked(name: str) -> list[str]:
    """A yes/no column's folded name as a header asks it: 是否 before it or inside it
    (是否处罚申诉中, 处罚是否申诉中), a question mark after it (处罚申诉中?, 申诉中？ once
    folded), or both. A question is the usual way to head a 是/否 column, so every such
    column is found under it rather than under a list of spellings. An English name
    (appeal_pending) is asked in English, not so."""
    if name.isascii():
        return [f"{name}?"]
    forms = [f"{name}?"]
    for at in range(len(name)):  # not after the last character: 处罚申诉中是否 is no question
        question = f"{name[:at]}是否{name[at:]}"
        forms += [question, f"{question}?"]
    return forms


def normalize_sheet(name: str) -> str:
    """Sheet names compare half-width, without spaces, case folded; a trailing (2) is part
    of a sheet's name (a continuation), not a unit."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name)).casefold()


_NUMBERS_TABLE = re.compile(r"-(?:表格|table)\d+$")
"""Apple Numbers exports each table as a worksheet named `sheet - table`: 商家 - 表格 1,
Merchants - Table 1 (as normalize_sheet folds them)."""


def sheet_stem(name: str) -> str:
    """A sheet's name as a sheet of a known kind is looked for once its own name is not
    found: folded (normalize_sheet), without the table name Numbers adds (违规记录 - 表格 1)
    or a trailing 表 (违规记录表, 资质表, 商家表)."""
    stem = _NUMBERS_TABLE.sub("", normalize_sheet(name))
    return stem[:-1] if len(stem) > 1 and stem.endswith("表") else stem
