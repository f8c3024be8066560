"""The export's columns: Chinese header, English key, accepted aliases, and how to read a cell.

Headers are matched after normalisation (full-width to half-width, spaces and line breaks
removed, case folded), so `保证金 余额` and `deposit_balance` find the same column; a 是/否
column is found under the question that asks it too (`是否处罚申诉中`, `处罚申诉中？`).

What trails a header, in brackets (`保证金余额（万元）`, `保证金（应缴）`) or as a unit after a
slash or a space (`保证金余额/万元`), is read, not dropped (`read_header`): on an amount
column it is the unit its amounts are written in, or a word that says which amount the
column is; on any other column (`扣分(分)`, `时间(北京时间)`) it says nothing renewal needs.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
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
    Column(
        "deposit_balance",
        "保证金余额",
        "amount",
        ("保证金", "已缴保证金", "保证金已缴", "保证金账户余额"),
    ),
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
    "source_sheet",
    "source_row",
)
"""The columns renewal's xlsx and CSV reports append to the export's own, in order; their
headers are the i18n catalogue's `annotated.*` texts. A report leaves out 应缴年费 in a
year without an annual fee and 原工作表 when every merchant row is on one sheet
(renewal.render.annotated). A report checked again is read without them
(header.report_columns_at)."""

MERCHANT_SHEETS = ("商家", "merchants", "商家列表", "续签名单")
VIOLATION_SHEETS = ("违规记录", "violations", "违规", "违规明细", "违规清单", "处罚记录")
QUALIFICATION_SHEETS = ("资质", "qualifications", "资质记录", "资质明细", "资质清单", "资质信息")
"""The first of each is the name renewal's template and reports give the sheet; each is
also found as `sheet_stem` folds it (违规记录表, 资质 - 表格 1)."""

HEADER_OF: dict[str, str] = {column.key: column.header for column in MERCHANT_COLUMNS}

MONEY_KINDS = frozenset({"amount", "due"})
"""The kinds whose cells are amounts of money: a unit in their header is read."""

_BRACKET = re.compile(r"[(\[【]([^)\]】]*)[)\]】]$")
"""A trailing bracket, as NFKC leaves it: （…） and ［…］ fold to (…) and […], 【…】 stays."""
_SPACE = re.compile(f"[\\s{INVISIBLE}]+")
"""Spaces, and the characters that show as nothing (values.INVISIBLE)."""

_YUAN = r"(?:人民币|rmb|cny|¥)"
_YUAN_UNIT = re.compile(rf"{_YUAN}?(?P<scale>万|千|w)?元?{_YUAN}?", re.IGNORECASE)
"""元, 人民币, RMB, CNY, ¥ (￥ folds to it), each alone or with 万 or 千 before 元 (万元,
人民币万元, 千元), or 万, 千, w alone: the units an amount column's header may give."""
_SCALES = {"": 1, "万": 10_000, "w": 10_000, "千": 1_000}
"""Yuan per unit, by the scale word of `_YUAN_UNIT` (casefolded)."""
_FOREIGN_UNIT = re.compile(
    r"(?:万|千|w)?(?:美元|美金|usd|us\$|\$|港币|港元|hkd|hk\$|欧元|eur|€|日元|jpy|英镑|gbp|£"
    r"|新台币|台币|twd|ntd|澳元|aud|加元|cad|韩元|krw|卢布|rub|新加坡元|sgd|外币)",
    re.IGNORECASE,
)
"""Currencies other than the yuan: amounts in them cannot be read as yuan."""
_TRAILING_UNIT = re.compile(
    rf"(?P<name>.*\S)\s*(?:/\s*|\s)(?P<unit>{_YUAN_UNIT.pattern}|{_FOREIGN_UNIT.pattern})",
    re.IGNORECASE,
)
"""A unit after a slash or a space, without brackets: 保证金余额/万元, 保证金余额 万元."""
_UNIT_LABEL = re.compile(r"单位:?")
"""(单位：万元): the unit, labelled as one."""
_REMARK = re.compile(r"[,;、]")
"""What separates a unit from a remark on it: (万元，含利息)."""
_WHICH_AMOUNT = re.compile(r"[应已缴补差欠余退扣付]")
"""Words of a remark that say which amount a column is (应补, 差额, 欠缴, 已退 …), not how
it is counted (含利息): such a remark cannot be dropped."""


@dataclass(frozen=True, slots=True)
class Heading:
    """What a header cell names: the column it is (None: none renewal reads) and, for an
    amount column, the unit its header writes the amounts in."""

    column: Column | None
    factor: int = 1
    """Yuan per unit of the column's amounts: 10,000 under 万元, 1,000 under 千元."""
    foreign: bool = False
    """The header gives the amounts in another currency (美元, USD): none can be read."""


def split_header(text: str) -> tuple[str, str]:
    """A header's folded name (see `normalize_header`) and what trails it, folded: the text
    of a trailing bracket (元 of 保证金余额(元), 应缴 of 保证金(应缴)), or a unit after a
    slash or a space (保证金余额/万元, 保证金余额 万元); "" when nothing does."""
    folded = unicodedata.normalize("NFKC", text).strip()
    if folded.isalnum():  # nothing trails, nothing to drop: a plain name, or an id below
        return folded.casefold(), ""  # the header asked whether it is one (spelt_again)
    tail = ""
    trailing = _TRAILING_UNIT.fullmatch(folded)
    if trailing is not None:
        folded, tail = trailing["name"], trailing["unit"]
    folded = _SPACE.sub("", folded).strip("*:")
    if not tail:
        bracket = _BRACKET.search(folded)
        if bracket is not None:
            folded, tail = folded[: bracket.start()], bracket[1]
    return folded.strip("*:").casefold(), tail.casefold()


def normalize_header(text: str) -> str:
    """The form headers are compared in: half-width, no spaces, case folded, without what
    trails the name (`split_header`) and without a form's marks: the star of a required
    column (`*商家ID`) and a closing colon (`商家ID：`)."""
    return split_header(text)[0]


def read_header(text: str, aliases: Mapping[str, Column]) -> Heading:
    """The column a header cell names among `aliases` (`alias_table`), with what trails its
    name read rather than dropped.

    On an amount column (MONEY_KINDS) a trailing unit is read: yuan (元, 人民币, RMB, CNY,
    ¥) as it always was, 万元 or 万 or w as 10,000 yuan, 千元 or 千 as 1,000, another
    currency (美元, USD …) as one that cannot be read. A unit may be labelled (单位：万元)
    and followed by a remark (万元，含利息): one that, after the name, names an amount
    column is that column (保证金(万元，应缴) is 保证金应缴); one that says which amount
    otherwise (万元，应补) leaves the column unknown; any other is dropped. What is not a
    unit is part of the name: 保证金（应缴） is 保证金应缴, 保证金（已缴） 保证金已缴 (the
    balance, as 已缴保证金 is), and 保证金（应补）, 保证金（差额） are no column renewal
    reads; never 保证金, the balance. A bracket with no word saying which amount is a
    remark on the column it follows: 保证金余额（截至12月） is 保证金余额. A name may have its own bracket before the unit:
    年费（已缴）（万元）. On any other column what trails its name is dropped, as a unit
    (扣分(分)) or a remark (合同签署时间(北京时间)), unless the name with it is a column
    of its own (年费(已缴) is 年费已缴)."""
    name, tail = split_header(text)
    column = aliases.get(name)
    if not tail:
        return Heading(column)
    if column is None and _BRACKET.search(name):  # 年费(已缴) of 年费(已缴)(万元)
        inner = read_header(name, aliases)
        column = inner.column if inner.factor == 1 and not inner.foreign else None
    if column is None or column.kind not in MONEY_KINDS:
        return Heading(aliases.get(name + tail) or column)
    body, *rest = _REMARK.split(_UNIT_LABEL.sub("", tail, count=1), maxsplit=1)
    remark = rest[0] if rest else ""
    scale = _YUAN_UNIT.fullmatch(body) if body else None
    foreign = _FOREIGN_UNIT.fullmatch(body) is not None
    if scale is None and not foreign:
        # no unit: part of the name (保证金（应缴）), or a word saying which amount that is
        # no column (保证金（应补）: unknown), or else a remark on the column it follows
        # (保证金余额（截至12月）)
        named = aliases.get(name + tail)
        if named is not None or _WHICH_AMOUNT.search(tail):
            return Heading(named)
        return Heading(column)
    if remark:
        remarked = aliases.get(name + remark)
        if remarked is not None and remarked.kind in MONEY_KINDS:
            column = remarked
        elif _WHICH_AMOUNT.search(remark):
            return Heading(None)
    if scale is None:
        return Heading(column, foreign=True)
    return Heading(column, _SCALES[scale["scale"] or ""])


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
