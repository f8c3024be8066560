"""User-facing text: Chinese by default, English with `--lang en`.

Identifiers stay English; only what a person reads goes through this catalogue. Times are
shown in Beijing time, to the minute unless the seconds matter.
"""

from __future__ import annotations

from datetime import date, datetime

from renewal.timeutil import BEIJING, to_beijing

LANGS = ("zh", "en")

_ZH: dict[str, str] = {
    # scope
    "SC01.in": "合同签署时间不晚于 {cutoff}，须参加本次续签",
    "SC01.out": "合同签署于 {signed}，晚于 {cutoff}，无需参加本次续签（合同有效期至 {valid_until}）",
    "exempt": "无需参加本次续签，不适用",
    # steps
    "step.done": "已在续签期内完成{label}",
    "step.pending": "尚未{label}，截止 {deadline}",
    "step.missed": "截止 {deadline} 前未{label}",
    "step.late": "{label}于 {at} 完成，晚于截止时间 {deadline}，不计入",
    "step.early": "{label}时间 {at} 早于续签开始 {opens}，不计入本次续签",
    "step.remedy": "在「{where}」{label}",
    "column.missing": "导出缺少「{column}」列，无法判断",
    "cell.unreadable": "「{column}」的值「{raw}」无法读取",
    # deposit
    "DP01.ok": "保证金余额不低于应缴金额",
    "DP01.short": "保证金余额 ¥{balance}，应缴 ¥{required}，尚差 ¥{owed}",
    "DP01.short_missed": "截止 {deadline} 时保证金余额 ¥{balance}，低于应缴 ¥{required}，差 ¥{owed}",
    "DP01.late": "保证金于 {at} 补缴，晚于截止时间 {deadline}，不计入",
    "DP01.after_as_of": "保证金补缴时间 {at} 晚于评估时间，补缴前余额未知，按未补足处理",
    "DP01.unknown": "无法确定应缴保证金：「保证金应缴」为空，且店铺类型「{store_type}」、商标状态「{trademark}」不在规则表中",
    "DP01.remedy": "在「{where}」一次性补足保证金 ¥{owed}",
    "DP01.remedy_unknown": "在「{where}」将保证金补足至应缴 ¥{required}",
    "DP01.insurance_ok": "已在续签期内、签署协议前续保保证金履约险",
    "DP01.insurance_after_signing": "保证金履约险于 {at} 续保，晚于签署协议 {signed}：须在签署前续保",
    "DP01.insurance_late": "保证金履约险于 {at} 续保，晚于截止时间 {deadline}，不计入",
    "DP01.insurance_early": "保证金履约险续保时间 {at} 早于续签开始 {opens}，不是本次续保",
    # annual fee
    "AF01.ok": "已在续签期内缴清{year}年度软件服务年费",
    "AF01.unpaid": "{year}年度软件服务年费 ¥{required} 尚未缴纳，截止 {deadline}",
    "AF01.partial": "{year}年度软件服务年费已缴 ¥{paid}，应缴 ¥{required}，尚差 ¥{owed}",
    "AF01.missed": "截止 {deadline} 前未缴清{year}年度软件服务年费（已缴 ¥{paid}，应缴 ¥{required}）",
    "AF01.late": "年费于 {at} 缴纳，晚于截止时间 {deadline}，不计入",
    "AF01.early": "年费缴纳时间 {at} 早于续签开始 {opens}，不是{year}年度年费",
    "AF01.unknown": "无法确定应缴年费：「年费应缴」为空，且主营类目「{category}」不在年费表中",
    "AF01.remedy": "在「{where}」缴纳{year}年度软件服务年费 ¥{owed}",
    # 2019年度 reviews
    "AS01.unknown": "「服务开通时间」为空，无法判断是否须参加{label}",
    "AS01.not_needed": "服务开通不早于 {before}，无需参加运营能力考核",
    "AS01.failed": "{label}不达标，无法续签",
    "AS01.passed": "{label}未见不达标",
    "AS01.remedy": "在「{where}」查看考核情况；考核不达标无法续签",
    "QR01.not_needed": "不属于须资质审核的类目",
    "QR01.no_sheet": "类目「{category}」须资质审核，但导出没有「资质」表，无法判断",
    "QR01.passed": "资质审核类目：全部资质在评估时有效",
    "QR01.expired": "类目「{category}」须资质审核，资质「{kind}」已于 {on} 过期",
    "QR01.remedy": "在「商家中心-资质管理」更新过期资质并通过审核",
    # blockers
    "blocker.on": "{label}：无法报名或签署续签协议",
    "blocker.off": "无「{label}」",
    "blocker.no_column": "导出没有「{column}」列，未检查",
    "blocker.fix": "先{fix}",
    "step.blocked": "因 {code}（{label}）无法办理",
    # qualifications
    "QL01.ok": "全部资质有效至 {until}（合同年度结束）",
    "QL01.expired": "资质「{kind}」已于 {on} 过期",
    "QL01.expiring": "资质「{kind}」将于 {on} 到期，早于合同年度结束 {until}",
    "QL01.none": "无资质记录，未检查",
    "QL01.consequence": "（失效后{outcome}，须在 {act_by} 前凭有效文件申诉，{days}天）",
    "QL01.no_sheet": "导出没有「资质」表，未检查",
    "QL01.remedy": "在「商家中心-资质管理」更新资质（续签不审查资质，但失效会影响经营）",
    # transfer
    "TB01.eligible": "可转入淘宝企业店铺：近{days}天严重违规 {serious} 分（<{serious_limit}），一般违规 {general} 分（<{general_limit}），无申诉中的处罚",
    "TB01.ineligible": "不可转入淘宝企业店铺：{reasons}",
    "TB01.serious": "近{days}天严重违规 {serious} 分，达到 {serious_limit} 分",
    "TB01.general": "近{days}天一般违规 {general} 分，达到 {general_limit} 分",
    "TB01.appeal": "处罚申诉中",
    "TB01.category": "特殊类目「{category}」除外",
    "TB01.na": "已续签或无需续签，不适用",
    "TB01.transferring": "已在转入淘宝企业店铺流程中，不再重复判断",
    "TB01.unknown": "无违规数据（没有「违规记录」表，也没有扣分列），无法判断",
    "TB01.bad_record": "违规记录无法读取，无法判断",
    # intake: one line that names the file, sheet, row or column
    "intake.no_file": "{path}：文件不存在",
    "intake.is_dir": "{path}：是目录，不是导出文件",
    "intake.unreadable": "{path}：无法读取（{reason}）",
    "intake.empty": "{path}：文件为空",
    "intake.not_workbook": "{path}：不是可读取的工作簿（{reason}）",
    "intake.no_sheets": "{path}：工作簿中没有工作表",
    "intake.sheet_unreadable": "{path}：工作表「{sheet}」无法读取（{reason}）",
    "intake.sheet_empty": "{path}：工作表「{sheet}」为空",
    "intake.no_header": "{path}：工作表「{sheet}」前 {rows} 行中找不到包含 {names} 的表头",
    "intake.missing_column": "{path}：工作表「{sheet}」第 {row} 行：缺少必需列 {names}",
    "intake.duplicate_column": "{path}：工作表「{sheet}」第 {row} 行：列「{column}」出现两次（第 {first} 列与第 {second} 列）",
    "intake.bad_text": "{path}：第 {row} 行：不是有效的 {encoding} 文本（{reason}）",
    "intake.csv": "{path}：第 {row} 行：无法解析 CSV（{reason}）",
    "intake.nul": "{path}：第 {row} 行含有 NUL 字节，不是文本导出（文件可能已损坏）",
    "intake.no_rows": "{path}：工作表「{sheet}」第 {row} 行是表头，但下面没有商家数据",
    "intake.too_big": "{path}：解压后 {inflated} MB，超过上限 {limit} MB，疑似压缩炸弹，未读取（确属正常可用 --max-inflated-mb 提高上限）",
    "intake.bomb": "{path}：其中「{entry}」压缩比 {ratio}:1，解压后 {inflated} MB，疑似压缩炸弹，未读取",
    "intake.encrypted": "{path}：工作簿有密码保护，请在 Excel 中取消密码后另存再检查",
    "note.formulas": "工作表「{sheet}」有 {count} 个公式单元格没有缓存值（{cells}），已按空白读取；请在 Excel 中打开该文件、保存后再检查",
    "note.unknown_blocker": "「{column}」列是 {ruleset} 没有的续签限制条件，本次检查忽略该列",
    "ruleset.nearest": "没有覆盖评估时间 {as_of} 的规则集，使用最近的 {id}（{name}，合同年度截至 {ends}）；其规则可能与当年不同",
    "ruleset.unknown": "没有规则集 {ref}（未找到该年度的续签公告）；最接近的：{nearest}",
    # load problems
    "LD01.missing": "「商家ID」为空，无法评估此行",
    "LD01.unreadable": "「商家ID」的值「{raw}」无法读取：{reason}",
    "LD02.missing": "「合同签署时间」为空，无法判断是否须续签",
    "LD02.unreadable": "「合同签署时间」的值「{raw}」无法读取：{reason}",
    "LD03": "商家ID {merchant_id} 在第 {rows} 行重复出现，无法确定以哪一行为准",
    "LD04": "「{column}」的值「{raw}」无法读取：{reason}",
    "LD04.sheet": "「{sheet}」表第 {row} 行「{column}」的值「{raw}」无法读取：{reason}",
    "LD05": "「{sheet}」表第 {row} 行的商家ID {merchant_id} 不在商家表中",
    # next action / misc
    "next.fix_data": "修正第 {row} 行数据后重新检查",
    "next.by": "{action}，截止 {deadline}",
    "next.none": "",
    "next.transfer": "续签已截止：合同于 {terminates} 终止、店铺进入监管；可申请转入淘宝企业店铺",
    "next.exit": "续签已截止：合同于 {terminates} 终止、店铺进入监管，{exit_from}起协助退出天猫",
    "next.undecided": "续签已截止：合同于 {terminates} 终止、店铺进入监管；能否转入淘宝企业店铺无法判断",
    "left.days": "{days}天{hours}小时",
    "left.hours": "{hours}小时{minutes}分",
    "left.minutes": "{minutes}分钟",
    "left.passed": "已截止",
}

_EN: dict[str, str] = {
    "SC01.in": "Contract signed at or before {cutoff}: must renew",
    "SC01.out": "Contract signed {signed}, after {cutoff}: not in this renewal (contract runs to {valid_until})",
    "exempt": "Not in this renewal; not applicable",
    "step.done": "{label} done inside the renewal window",
    "step.pending": "{label} not done yet; deadline {deadline}",
    "step.missed": "{label} not done by the deadline {deadline}",
    "step.late": "{label} done at {at}, after the deadline {deadline}: does not count",
    "step.early": "{label} time {at} is before the window opened at {opens}: does not count",
    "step.remedy": "{label} in {where}",
    "column.missing": "The export has no column {column}: cannot decide",
    "cell.unreadable": "Cannot read {column} value {raw!r}",
    "DP01.ok": "Deposit balance covers the required amount",
    "DP01.short": "Deposit balance ¥{balance}, required ¥{required}: ¥{owed} short",
    "DP01.short_missed": "At the deadline {deadline} the deposit balance ¥{balance} was below the required ¥{required}: ¥{owed} short",
    "DP01.late": "Deposit topped up at {at}, after the deadline {deadline}: does not count",
    "DP01.after_as_of": "Deposit top-up time {at} is after the evaluation time; the balance before it is unknown, treated as not topped up",
    "DP01.unknown": "Cannot tell the required deposit: deposit_required is blank and store type {store_type!r} / trademark {trademark!r} is not in the rule table",
    "DP01.remedy": "Top up the deposit by ¥{owed} in one payment in {where}",
    "DP01.remedy_unknown": "Top up the deposit to the required ¥{required} in {where}",
    "DP01.insurance_ok": "Deposit insurance renewed inside the window, before signing",
    "DP01.insurance_after_signing": "Deposit insurance renewed at {at}, after the agreement was signed at {signed}: it must be renewed before signing",
    "DP01.insurance_late": "Deposit insurance renewed at {at}, after the deadline {deadline}: does not count",
    "DP01.insurance_early": "Deposit insurance renewed at {at}, before the window opened at {opens}: not this renewal",
    "AF01.ok": "{year} annual software fee paid in full inside the renewal window",
    "AF01.unpaid": "{year} annual software fee ¥{required} not paid; deadline {deadline}",
    "AF01.partial": "{year} annual software fee: ¥{paid} paid of ¥{required}, ¥{owed} still due",
    "AF01.missed": "{year} annual software fee not paid in full by the deadline {deadline} (paid ¥{paid} of ¥{required})",
    "AF01.late": "Annual fee paid at {at}, after the deadline {deadline}: does not count",
    "AF01.early": "Annual fee paid at {at}, before the window opened at {opens}: not the {year} fee",
    "AF01.unknown": "Cannot tell the required annual fee: annual_fee_required is blank and category {category!r} is not in the fee table",
    "AF01.remedy": "Pay the {year} annual software fee of ¥{owed} in {where}",
    "AS01.unknown": "service_opened_at is blank: cannot tell whether the {label} applies",
    "AS01.not_needed": "Service opened on or after {before}: no operating assessment needed",
    "AS01.failed": "{label} failed: cannot renew",
    "AS01.passed": "{label}: not failed",
    "AS01.remedy": "See the assessment in {where}; a store that fails it cannot renew",
    "QR01.not_needed": "Not a category with a qualification review",
    "QR01.no_sheet": "Category {category!r} has a qualification review, but the export has no qualifications sheet: cannot decide",
    "QR01.passed": "Reviewed category: every qualification valid at the as-of",
    "QR01.expired": "Category {category!r} has a qualification review and {kind!r} expired on {on}",
    "QR01.remedy": "Renew the expired qualifications in 商家中心-资质管理 and pass the review",
    "blocker.on": "{label}: cannot sign up or sign the renewal agreement",
    "blocker.off": "Not {label}",
    "blocker.no_column": "The export has no column {column}; not checked",
    "blocker.fix": "First {fix}",
    "step.blocked": "Blocked by {code} ({label})",
    "QL01.ok": "Every qualification is valid through {until}, the end of the contract year",
    "QL01.expired": "Qualification {kind!r} expired on {on}",
    "QL01.expiring": "Qualification {kind!r} expires on {on}, before the contract year ends at {until}",
    "QL01.none": "No qualification records; not checked",
    "QL01.consequence": " (once lapsed: {outcome}; appeal with a valid document by {act_by}, {days} days)",
    "QL01.no_sheet": "The export has no qualifications sheet; not checked",
    "QL01.remedy": "Update the qualification in 商家中心-资质管理 (renewal does not review it, but an expired one affects trading)",
    "TB01.eligible": "May move to a Taobao enterprise store: {serious} serious points (<{serious_limit}) and {general} general points (<{general_limit}) in {days} days, no appeal pending",
    "TB01.ineligible": "May not move to a Taobao enterprise store: {reasons}",
    "TB01.serious": "{serious} serious-violation points in {days} days reach {serious_limit}",
    "TB01.general": "{general} general-violation points in {days} days reach {general_limit}",
    "TB01.appeal": "a penalty appeal is pending",
    "TB01.category": "special category {category!r} is excluded",
    "TB01.na": "Renewed or not in scope; not applicable",
    "TB01.transferring": "Already moving to a Taobao enterprise store; not judged again",
    "TB01.unknown": "No violation data (no violations sheet and no point columns): cannot decide",
    "TB01.bad_record": "A violation record could not be read: cannot decide",
    "intake.no_file": "{path}: no such file",
    "intake.is_dir": "{path}: is a directory, not an export file",
    "intake.unreadable": "{path}: cannot be read ({reason})",
    "intake.empty": "{path}: the file is empty",
    "intake.not_workbook": "{path}: not a readable workbook ({reason})",
    "intake.no_sheets": "{path}: the workbook has no sheets",
    "intake.sheet_unreadable": "{path}: sheet {sheet}: cannot be read ({reason})",
    "intake.sheet_empty": "{path}: sheet {sheet} is empty",
    "intake.no_header": "{path}: sheet {sheet}: no header row naming {names} in the first {rows} rows",
    "intake.missing_column": "{path}: sheet {sheet}: row {row}: missing required column {names}",
    "intake.duplicate_column": "{path}: sheet {sheet}: row {row}: column {column} appears twice (columns {first} and {second})",
    "intake.bad_text": "{path}: row {row}: not valid {encoding} text ({reason})",
    "intake.csv": "{path}: row {row}: cannot parse CSV ({reason})",
    "intake.nul": "{path}: row {row} contains NUL bytes: not a text export (the file may be corrupt)",
    "intake.no_rows": "{path}: sheet {sheet}: row {row} is the header, but no merchant rows follow",
    "intake.too_big": "{path}: inflates to {inflated} MB, over the {limit} MB limit; refused as a possible zip bomb (raise it with --max-inflated-mb if the file is genuine)",
    "intake.bomb": "{path}: entry {entry} inflates {ratio}:1 to {inflated} MB; refused as a possible zip bomb",
    "intake.encrypted": "{path}: the workbook is password-protected; remove the password in Excel, save, and check again",
    "note.formulas": "Sheet {sheet} has {count} formula cells with no cached value ({cells}), read as blank; open the file in Excel, save it, and check again",
    "note.unknown_blocker": "Column {column} is a renewal blocker that {ruleset} does not have; ignored for this check",
    "ruleset.nearest": "No bundled rule set covers {as_of}; using the nearest, {id} ({name}, contract year ending {ends}): its rules may differ from that year's",
    "ruleset.unknown": "No rule set {ref} (no renewal announcement was found for that year); nearest bundled: {nearest}",
    "LD01.missing": "merchant_id is blank: the row cannot be evaluated",
    "LD01.unreadable": "Cannot read merchant_id {raw!r}: {reason}",
    "LD02.missing": "contract_signed_at is blank: cannot tell whether the merchant must renew",
    "LD02.unreadable": "Cannot read contract_signed_at {raw!r}: {reason}",
    "LD03": "merchant_id {merchant_id} appears on rows {rows}: cannot tell which row is right",
    "LD04": "Cannot read {column} value {raw!r}: {reason}",
    "LD04.sheet": "Sheet {sheet} row {row}: cannot read {column} value {raw!r}: {reason}",
    "LD05": "merchant_id {merchant_id} on sheet {sheet} row {row} is not in the merchants sheet",
    "next.fix_data": "Fix the data on row {row} and check again",
    "next.by": "{action}, by {deadline}",
    "next.none": "",
    "next.transfer": "Renewal closed: the contract ends at {terminates} and the store goes under supervision; it may move to a Taobao enterprise store",
    "next.exit": "Renewal closed: the contract ends at {terminates}, the store goes under supervision and exit is assisted from {exit_from}",
    "next.undecided": "Renewal closed: the contract ends at {terminates} and the store goes under supervision; transfer eligibility is undecided",
    "left.days": "{days}d {hours}h",
    "left.hours": "{hours}h {minutes}m",
    "left.minutes": "{minutes}m",
    "left.passed": "deadline passed",
}

assert _ZH.keys() == _EN.keys(), set(_ZH) ^ set(_EN)


def catalog(lang: str) -> dict[str, str]:
    return _EN if lang == "en" else _ZH


def moment(value: datetime) -> str:
    """A Beijing time to the minute, or to the second when the seconds are not zero."""
    local = value if value.tzinfo is BEIJING else to_beijing(value)
    text = local.isoformat(" ")  # isoformat is C; strftime is three times slower
    return text[:19] if local.second or local.microsecond else text[:16]


def day(value: date) -> str:
    return value.isoformat()


def money(value: float) -> str:
    """50000 -> '50,000'; 50000.5 -> '50,000.50'."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}"


def points(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def time_left(seconds: int | None, lang: str) -> str:
    """Whole days and hours left, as a person counts them."""
    texts = catalog(lang)
    if seconds is None:
        return ""
    if seconds <= 0:
        return texts["left.passed"]
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return texts["left.days"].format(days=days, hours=hours)
    if hours:
        return texts["left.hours"].format(hours=hours, minutes=minutes)
    return texts["left.minutes"].format(minutes=max(minutes, 1))
