"""User-facing text: Chinese by default, English with `--lang en`.

Identifiers stay English; only what a person reads goes through this catalogue. Times are
shown in Beijing time, to the minute unless the seconds matter.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import lru_cache

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
    "step.after_as_of": "{label}时间 {at} 晚于评估时间，评估时尚未{label}（截止 {deadline}）",
    "step.remedy": "在「{where}」{label}",
    "column.missing": "导出缺少「{column}」列，无法判断",
    "cell.unreadable": "「{column}」的值「{raw}」无法读取",
    "cell.undecided_day": "「{column}」的值「{raw}」{reason}",
    "cell.day_alone": "只有日期没有时刻：{why}，要看当天几点",
    # deposit
    "DP01.ok": "保证金余额不低于应缴金额",
    "DP01.short": "保证金余额 {balance}，应缴 {required}，尚差 {owed}",
    "DP01.short_missed": "截止 {deadline} 时保证金余额 {balance}，低于应缴 {required}，差 {owed}",
    "DP01.late": "保证金于 {at} 补缴，晚于截止时间 {deadline}，不计入",
    "DP01.late_unknown": "「{column}」为 {at}，晚于截止时间 {deadline}；该列是最近一次补缴的时间，无法判断截止时保证金余额是否已足额：若截止前余额已够（之后扣款又补缴），此步已完成；若正是这笔补缴才补足，则未在截止前补足",
    "DP01.remedy_late_unknown": "核对保证金账户流水，在「{column}」填续签期内使余额补足的那笔补缴时间；若截止前余额本来就够，留空",
    "DP01.after_as_of": "保证金补缴时间 {at} 晚于评估时间，补缴前余额未知，按未补足处理",
    "DP01.after_as_of_short": "保证金补缴时间 {at} 晚于评估时间，补缴前余额未知；补缴后余额 {balance} 仍低于应缴 {required}，评估时至少尚差 {owed}",
    "DP01.unknown": "无法确定应缴保证金：「{column}」为空，且店铺类型「{store_type}」、商标状态「{trademark}」不在规则表中",
    "DP01.unknown_no_column": "无法确定应缴保证金：导出没有「{column}」列，且店铺类型「{store_type}」、商标状态「{trademark}」不在规则表中",
    "DP01.unknown.answers": "无法确定应缴保证金：规则表中没有这种店铺类型、商标和类目的金额，你也不知道应缴多少",
    # the forms of the two above when a cell they quote is blank, and the cells' names
    "DP01.unknown.if_blank": "无法确定应缴保证金：「{column}」为空，{blank}也为空{given}",
    "DP01.unknown_no_column.if_blank": "无法确定应缴保证金：导出没有「{column}」列，且{blank}为空{given}",
    "blank.store_type": "店铺类型",
    "blank.trademark": "商标状态",
    "blank.category": "主营类目",
    "blank.quoted": "{name}「{value}」",
    "blank.given": "（{given}）",
    "DP01.remedy": "在「{where}」一次性补足保证金 {owed}",
    "DP01.remedy_unknown": "在「{where}」将保证金补足至应缴 {required}",
    "DP01.insurance_ok": "已在签署协议前续保保证金履约险",
    "DP01.insurance_after_signing": "保证金履约险于 {at} 续保，晚于签署协议 {signed}：须在签署前续保",
    "DP01.insurance_late_unknown": "「{column}」为 {at}，晚于截止时间 {deadline}；该列是最近一次续保的时间，无法判断签署协议前、截止前是否已续保（之后又续保）：若已续保，履约险计入；若这次是唯一一次续保，则不计入",
    "DP01.remedy_insurance_late_unknown": "核对保证金履约险的续保记录，在「{column}」填计入本次续签的那次续保（签署协议前的那次）的时间；签署前没有续保则留空",
    "DP01.insurance_late": "保证金履约险于 {at} 续保，晚于截止时间 {deadline}，不计入",
    "DP01.insurance_early": "保证金履约险续保时间 {at} 早于 {since}，是往年的续保，不计入",
    "DP01.insurance_none": "「{column}」为「{raw}」，不是续保时间：没有可计入的保证金履约险",
    "DP01.neither": "{insurance}；{cash}",
    "DP01.remedy_or_insurance": "{cash}，或在签署协议前续保保证金履约险",
    "DP01.unread_time_short": "保证金余额 {balance}，应缴 {required}，至少尚差 {owed}；「{column}」的值「{raw}」无法读取，若该笔补缴在评估时间之后，当时所差更多",
    "DP01.remedy_unread_time": "修正「{column}」，并在「{where}」一次性补足保证金，至少 {owed}",
    # annual fee
    "AF01.ok": "已在续签期内缴清{year}年度软件服务年费",
    "AF01.nothing_due": "{year}年度软件服务年费应缴 ¥0，无需缴纳",
    "AF01.unpaid": "{year}年度软件服务年费 {required} 尚未缴纳，截止 {deadline}",
    "AF01.partial": "{year}年度软件服务年费已缴 {paid}，应缴 {required}，尚差 {owed}",
    "AF01.missed": "截止 {deadline} 前未缴清{year}年度软件服务年费（已缴 {paid}，应缴 {required}）",
    "AF01.late": "年费于 {at} 缴纳，晚于截止时间 {deadline}，不计入",
    "AF01.early": "年费缴纳时间 {at} 早于续签开始 {opens}，不是{year}年度年费",
    "AF01.unknown": "无法确定应缴年费：「{column}」为空，且主营类目「{category}」不在年费表中",
    "AF01.unknown_no_column": "无法确定应缴年费：导出没有「{column}」列，且主营类目「{category}」不在年费表中",
    "AF01.unknown.answers": "无法确定应缴年费：主营类目「{category}」不在年费表中，你也不知道应缴多少",
    "AF01.unknown.if_blank": "无法确定应缴年费：「{column}」为空，{blank}也为空{given}",
    "AF01.unknown_no_column.if_blank": "无法确定应缴年费：导出没有「{column}」列，且{blank}为空{given}",
    "AF01.remedy": "在「{where}」缴纳{year}年度软件服务年费 {owed}",
    "AF01.no_time": "已缴 {paid}，但「{column}」为空，无法确认是在续签期内缴纳的（截止 {deadline}）",
    "AF01.after_as_of": "年费缴纳时间 {at} 晚于评估时间，评估时尚未缴纳（截止 {deadline}）",
    # 年费已缴 is the total up to that latest payment: what was paid before it is unknown
    "AF01.after_as_of_unknown": "年费缴纳时间 {at} 晚于评估时间，该次缴纳前已缴多少未知，按未缴清处理（截止 {deadline}）",
    "AF01.after_as_of_short": "年费缴纳时间 {at} 晚于评估时间，该次缴纳前已缴多少未知；连同该次共缴 {paid}，仍低于应缴 {required}，评估时至少尚差 {owed}（截止 {deadline}）",
    "AF01.remedy_unknown": "在「{where}」缴清{year}年度软件服务年费（应缴 {required}）",
    # a category the fee table does not list: the fee is one of its tiers, which one unknown
    "AF01.between": "{least} 至 {most}",
    "AF01.tier_open": "{message}；主营类目「{category}」不在年费表中，年费视其档位而定",
    "AF01.tier_open.if_blank": "{message}；{blank}为空，年费视其档位而定",
    "AF01.remedy_no_time": "如已缴纳，补填「{column}」；如未缴纳，在「{where}」缴纳{year}年度软件服务年费 {owed}",
    "AF01.no_time_short": "已缴 {paid}，应缴 {required}，但「{column}」为空：若是在续签期内缴纳的，尚差 {owed}，否则须缴全额 {required}（截止 {deadline}）",
    "AF01.remedy_no_time_short": "如已在续签期内缴纳，补填「{column}」并在「{where}」补缴 {owed}；否则缴纳{year}年度软件服务年费 {required}",
    "AF01.unread_time_short": "已缴 {paid}，应缴 {required}，但「{column}」的值「{raw}」无法读取：至少尚差 {owed}，若不是在续签期内缴纳的，须缴全额 {required}（截止 {deadline}）",
    "AF01.remedy_unread_time_short": "修正「{column}」，并在「{where}」至少补缴 {owed}；若该笔不是在续签期内缴纳的，须缴纳{year}年度软件服务年费 {required}",
    "AF01.unread_time_early": "已缴 {paid}，「{column}」的值「{raw}」无法读取；续签 {opens} 才开始，此前缴纳的不是{year}年度年费，评估时尚未缴纳",
    # 2019年度 reviews
    "AS01.unknown": "「{column}」为空，无法判断是否须参加{label}",
    "AS01.passed_either_way": "「{column}」为空，但{label}未见不达标：无论是否须参加，均不影响续签",
    "AS01.unreadable_either_way": "「{column}」的值「{raw}」无法读取，但{label}未见不达标：无论是否须参加，均不影响续签",
    "AS01.not_needed": "服务开通不早于 {before}，无需参加运营能力考核",
    "AS01.failed": "{label}不达标，无法续签",
    "AS01.passed": "{label}未见不达标",
    "AS01.remedy": "在「{where}」查看考核情况；考核不达标无法续签",
    "AS01.failed_final": "{label}不达标，无法续签：考核期已于 {ends} 结束，本次续签中无法补救",
    "AS01.remedy_final": "本次续签中无法补救；截止后如符合条件，可申请转入淘宝企业店铺",
    # 2022年度: the day-to-day assessment, a warning
    "AS02.failed": "「{column}」为是：{label}在日常进行，考核不达标将{outcome}；本年度续签不设考核环节，续签结论不因此改变",
    "AS02.failed.answers": "你回答店铺{label}不达标：{label}在日常进行，考核不达标将{outcome}；本年度续签不设考核环节，续签结论不因此改变",
    "AS02.unreadable": "「{column}」的值「{raw}」无法读取，不知{label}是否达标（考核不达标将{outcome}）",
    "AS02.passed": "未见{label}不达标",
    "AS02.no_column": "导出没有「{column}」列，{label}未检查",
    "AS02.remedy": "在「{where}」关注考核情况，达到考核标准",
    "QR01.not_needed": "不属于须资质审核的类目",
    "QR01.no_sheet": "类目「{category}」须资质审核，但导出没有「资质」表，无法判断",
    "QR01.passed": "资质审核类目：全部资质有效至截止时间 {deadline}",
    "QR01.expired": "类目「{category}」须资质审核，资质「{kind}」已于 {on} 过期",
    "QR01.expiring": "类目「{category}」须资质审核，资质「{kind}」将于 {on} 到期，早于截止时间 {deadline}",
    "QR01.remedy": "在「商家中心-资质管理」更新截止前失效的资质并通过审核",
    "QR01.no_documents": "类目「{category}」须资质审核，但「资质」表中没有该商家的资质记录，无法判断",
    "QR01.remedy_documents": "在「资质」表补上该商家的资质（商家ID、资质类型、到期日期）后重新检查",
    "QR01.unreadable": "类目「{category}」须资质审核，但「{sheet}」表第 {row} 行「{column}」无法读取，无法判断",
    "QR01.unreadable_either_way": "「{column}」的值「{raw}」无法读取，但全部资质有效至截止时间 {deadline}：无论是否须资质审核，均不影响续签",
    # blockers
    "blocker.on": "{label}：清除前无法完成续签",
    "blocker.done_anyway": "{label}，但导出显示它限制的环节已在续签期内完成（{steps}）：该标记可能是之后才有的，请核实",
    "blocker.done_anyway.answers": "{label}，但你的回答显示它限制的环节已在续签期内完成（{steps}）：这种情况可能是办完之后才有的，请核实",
    "blocker.step": "{code} {label}",
    "blocker.step.answers": "{label}",
    "blocker.unread_done_anyway": "{said}；它限制的环节已在续签期内完成（{steps}），按已完成计，请核实该单元格",
    "blocker.off": "无「{label}」",
    "blocker.no_column": "导出没有「{column}」列，未检查",
    "blocker.lapsed": "「{column}」为否或空，但资质「{kind}」已于 {on} 过期：请核对本列；若确已{label}，则无法完成续签",
    "blocker.lapsed_no_column": "导出没有「{column}」列，但资质「{kind}」已于 {on} 过期：若确已{label}，则无法完成续签",
    "blocker.lapsed_renewed": "「{column}」为否或空；资质「{kind}」已于 {on} 过期，但{other}：若那就是这份续期后的新证，则无需处理；若不是，请核对本列，若确已{label}，则无法完成续签",
    "blocker.lapsed_no_column_renewed": "导出没有「{column}」列；资质「{kind}」已于 {on} 过期，但{other}：若那就是这份续期后的新证，则无需处理；若不是且确已{label}，则无法完成续签",
    "blocker.fix": "先{fix}",
    "blocker.fix_renewed": "核对已过期的「{kind}」是否已续期为「{sheet}」表第 {row} 行那份；若不是，{fix}",
    "step.blocked": "因 {code}（{label}）无法办理",
    "step.blocked.answers": "因「{label}」无法办理",
    # qualifications
    "QL01.ok": "全部资质有效至 {until}（合同年度结束）",
    "QL01.expired": "资质「{kind}」已于 {on} 过期",
    "QL01.expiring": "资质「{kind}」将于 {on} 到期，早于合同年度结束（{until}）",
    "QL01.day_end": "{day} 24时",
    "QL01.none": "无资质记录，未检查",
    "QL01.consequence": "（失效后{outcome}，须在 {act_by} 前凭有效文件申诉，{days}天）",
    "QL01.no_sheet": "导出没有「资质」表，未检查",
    "QL01.unread": "「{sheet}」表第 {rows} 行的资质无法读取，其有效期未检查",
    "QL01.unread.one": "「{sheet}」表第 {rows} 行的资质无法读取，其有效期未检查",
    "QL01.remedy": "在「商家中心-资质管理」更新资质（续签不审查资质，但失效会影响经营）",
    "QL01.remedy_reviewed": "在「商家中心-资质管理」更新资质（资质审核要求全部资质有效至截止时间 {deadline}，此后失效也会影响经营）",
    "QL01.remedy_maybe_reviewed": "在「商家中心-资质管理」更新资质（失效会影响经营）",
    "QL01.renewed": "，但{other}：若那就是这份资质续期后的新证，则无需处理",
    "QL01.other": "「{sheet}」表第 {row} 行另有一份「{kind}」{number}{valid}",
    "QL01.other_number": "（证书编号 {number}）",
    "QL01.other_until": "有效至 {until}",
    "QL01.other_no_expiry": "长期有效",
    "QL01.remedy_if_renewed": "核对过期的资质是否已由同类的新证续期；若不是，{remedy}",
    # transfer
    "TB01.eligible": "可转入淘宝企业店铺：{period}严重违规 {serious} 分（<{serious_limit}），一般违规 {general} 分（<{general_limit}），无申诉中的处罚",
    "TB01.eligible_rows": "可转入淘宝企业店铺：{period}严重违规 {serious} 分（<{serious_limit}），一般违规 {general} 分（<{general_limit}），违规记录中没有申诉中的处罚（导出没有「处罚申诉中」列，违规记录以外的申诉未核对）",
    "TB01.ineligible": "不可转入淘宝企业店铺：{reasons}",
    "TB01.serious": "{period}严重违规 {serious} 分，达到 {serious_limit} 分",
    "TB01.general": "{period}一般违规 {general} 分，达到 {general_limit} 分",
    "TB01.window": "近{days}天",
    "TB01.period": "{start}至{end}期间",
    "TB01.closed": "不可转入淘宝企业店铺：转入入口只开放至 {closes}，已关闭，不能再申请",
    "TB01.opens": "；转入入口 {opens} 起开放，现在尚未开放",
    "TB01.close_unknown": "；合同已终止，本年度转入入口何时关闭没有来源，申请前请先确认入口仍开放",
    "TB01.appeal": "处罚申诉中",
    "TB01.category": "特殊类目「{category}」除外",
    "TB01.na": "已续签或无需续签，不适用",
    "TB01.waived": "已豁免，不适用",
    "TB01.verdict_unknown": "；续签结果无法判断（见数据错误），本项仅在最终未完成续签时适用",
    "TB01.verdict_unknown.answers": "；续签结果无法判断（见上面无法判断的项目），本项仅在最终未完成续签时适用",
    "TB01.transferring": "已在转入淘宝企业店铺流程中，不再重复判断",
    "TB01.unknown": "无违规数据（没有「违规记录」表，也没有扣分列），无法判断",
    "TB01.bad_record": "违规记录无法读取，无法判断",
    # intake: one line that names the file, sheet, row or column
    "intake.no_file": "{path}：文件不存在",
    "intake.is_dir": "{path}：是目录，不是导出文件",
    "intake.unreadable": "{path}：无法读取（{reason}）",
    "intake.empty": "{path}：文件为空",
    "intake.not_file": "{path}：不是文件，也不是管道（是终端或设备），无法作为导出读取；请给出导出文件的路径，或用管道传入（… | renewal check -）",
    "intake.stream_too_big": "{path}：从管道读入已超过 {limit} MB 仍未结束，不像是导出，已停止读取（确属正常可用 --max-inflated-mb 提高上限）",
    "intake.spool_failed": "{path}：管道传入的导出无法暂存到临时目录 {directory}（{reason}）；可用 TMPDIR 指定另一个目录",
    "intake.not_workbook": "{path}：不是可读取的工作簿（{reason}）",
    "intake.no_sheets": "{path}：工作簿中没有工作表",
    "intake.sheet_unreadable": "{path}：工作表「{sheet}」无法读取（{reason}）",
    "intake.sheet_empty": "{path}：工作表「{sheet}」为空",
    "intake.changed": "{path}：检查期间文件被改动，无法把本次读取的违规记录、资质表附入报告；请在文件不再改动时重新检查",
    "intake.no_header": "{path}：工作表「{sheet}」前 {rows} 行中找不到包含 {names} 的表头",
    "intake.no_header_any": "{path}：各工作表（{sheets}）前 {rows} 行中都找不到包含 {names} 的表头",
    "intake.merchant_sheets": "{path}：工作表 {sheets} 都有商家表头，又不是同一张表的续表，不知道该检查哪一张{hidden}；请用 renewal {command} --sheet 指定一张（如 --sheet {first}），或把其余的删去、改名",
    "intake.hidden_among.hidden": "（其中 {hidden} 是隐藏的工作表，Excel 不显示它，可右键工作表标签「取消隐藏」）",
    "intake.hidden_among.very_hidden": "（其中 {very_hidden} 是深度隐藏（very hidden）的工作表：Excel 不显示它，「取消隐藏」里也找不到，只有 VBA 能改）",
    "intake.hidden_among.both": "（其中 {hidden} 是隐藏的工作表，{very_hidden} 是深度隐藏（very hidden）的工作表：Excel 都不显示，深度隐藏的在「取消隐藏」里也找不到，只有 VBA 能改）",
    "intake.supporting_sheets": "{path}：没有名为「{name}」的工作表，而工作表 {sheets} 都有{table}表头，又不是同一张表的续表，不知道该读哪一张{hidden}；请把要读的那张改名为「{name}」，或把其余的删去、改名",
    "intake.merchants_elsewhere": "{path}：工作表「{sheet}」{state}，而工作表 {sheets} 有商家表头和商家行；若要检查的是它，请用 renewal {command} --sheet {first}",
    "intake.holds_none.empty": "为空",
    "intake.holds_none.header_only": "第 {row} 行是表头，但下面没有商家数据",
    "intake.sheet_copy": "{path}：工作表「{copy}」从第一个商家起与「{sheet}」相同（多半是 Excel「移动或复制」做的副本），却又不是「{sheet}」的原样（第 {row} 行不同），不知道以哪张为准；请用 renewal {command} --sheet {sheet} 只检查其中一张，或把副本删去、改名",
    "sheet.violations": "违规记录",
    "sheet.qualifications": "资质",
    "intake.no_such_sheet": "{path}：没有名为「{sheet}」的工作表（有 {sheets}）",
    "intake.sheet_of_text": "{path} 是文本文件（CSV），没有工作表，--sheet {sheet} 无从选起；请去掉 --sheet",
    "intake.continued_columns": "{path}：工作表「{sheet}」续接「{first}」，但第 {row} 行的表头与「{first}」的列不同（{names} 只在其中一张上）；请让两张工作表的列相同，或用 renewal {command} --sheet 只检查其中一张",
    "intake.no_header_file": "{path}：文件前 {rows} 行中找不到包含 {names} 的表头",
    "intake.missing_column": "{path}：工作表「{sheet}」第 {row} 行：缺少必需列 {names}",
    "intake.duplicate_column": "{path}：工作表「{sheet}」第 {row} 行：{first_letter} 列「{first}」与 {second_letter} 列「{second}」都是「{column}」列，无法判断该读哪一列；请删去其中一列或改名",
    "intake.not_yuan": "{path}：工作表「{sheet}」第 {row} 行：{letter} 列「{column}」的金额不是人民币：金额须以元计（表头写明万元或千元的也可以）；请换算成元后再检查",
    "intake.other_units": "{path}：工作表「{sheet}」第 {row} 行是另一份表头，其 {letter} 列「{column}」与第 {header} 行的「{first}」金额单位不同（多半是另一份导出粘贴在下面）；其下各行无法按第 {header} 行的单位读取，请把两份导出分开检查，或先统一单位",
    "intake.continued_units": "{path}：工作表「{sheet}」续接「{first}」，但第 {row} 行的表头中 {names} 的金额单位与「{first}」不同；请让两张工作表的单位相同，或用 renewal {command} --sheet 只检查其中一张",
    "intake.other_layout": "{path}：工作表「{sheet}」第 {row} 行是另一份表头，列的位置与第 {header} 行的表头不同（多半是另一份导出粘贴在下面）；其下各行无法按第 {header} 行的列读取，请把两份导出分开检查，或先把列排成同样的顺序",
    "intake.bad_text": "{path}：第 {row} 行：不是有效的 {encoding} 文本（{reason}）",
    "intake.csv": "{path}：第 {row} 行：CSV 格式有误，无法解析；请用 Excel 打开该文件，另存为 .xlsx 后再检查",
    "intake.csv_field": "{path}：第 {row} 行：有单元格超过 {limit:,} 个字符，无法读取；多半是引号没有闭合",
    "intake.nul": "{path}：第 {row} 行含有 NUL 字节，不是文本导出（文件可能已损坏）",
    "intake.no_rows": "{path}：工作表「{sheet}」第 {row} 行是表头，但下面没有商家数据",
    "intake.too_big": "{path}：解压后 {inflated} MB，超过上限 {limit} MB，疑似压缩炸弹，未读取（确属正常可用 --max-inflated-mb 提高上限）",
    "intake.bomb": "{path}：其中「{entry}」压缩比 {ratio}:1，解压后 {inflated} MB，疑似压缩炸弹，未读取",
    "intake.encrypted": "{path}：工作簿有密码保护，请在 Excel 中取消密码后另存再检查",
    "intake.html": "{path}：这是网页（HTML）格式的表格，不是 Excel 工作簿；请用 Excel 打开它，另存为 .xlsx 后再检查",
    "intake.xml_spreadsheet": "{path}：这是 Excel 2003 XML 格式的表格，无法读取；请用 Excel 打开它，另存为 .xlsx 后再检查",
    "intake.renewal_report": "{path}：这是 renewal 的检查报告（JSON），不是商家导出；比较两次检查请用 renewal diff 旧报告 新报告，或在 check 时用 --baseline 指定它",
    "note.formulas": "工作表「{sheet}」有 {count:,} 个公式单元格没有保存计算结果（{cells}），这些单元格无法读取；请在 Excel 中打开该文件、保存后再检查",
    "note.formulas.one": "工作表「{sheet}」有 {count:,} 个公式单元格没有保存计算结果（{cells}），这个单元格无法读取；请在 Excel 中打开该文件、保存后再检查",
    "note.unknown_blocker": "「{column}」列是 {ruleset} 没有的续签限制条件，本次检查忽略该列",
    "note.errors_unseen": "这是 {format} 格式的工作簿：其中的 Excel 错误值（#N/A、#DIV/0! 等）读出来与空白单元格无法区分，空白的金额会按 ¥0 计、空白的时间按未完成计；请在文件中核对这些单元格，或在 Excel 中另存为 .xlsx 后再检查",
    "note.hidden_sheet": "商家数据读自隐藏的工作表「{sheet}」（Excel 不显示它）；若要检查的是别的工作表，请取消隐藏后删除或改名",
    "note.continued": "工作表「{sheet}」续接在 {sheets} 上：按一张表读取，行号按各自的工作表计",
    "note.merged": "工作表「{sheet}」表头以下有 {count} 处合并单元格（{cells}），合并区域的每一行都按其左上角的值读取，与 Excel 显示的一致",
    "note.merged.one": "工作表「{sheet}」表头以下有 {count} 处合并单元格（{cells}），合并区域的每一行都按其左上角的值读取，与 Excel 显示的一致",
    "note.report_again": "「{sheet}」是 renewal 的检查报告：第 {column} 列起（检查结果 … 原行号）是上次检查的结果，没有当作导出数据读取，已由本次结果替换",
    "note.after_total": "第 {total} 行是合计行，但其下第 {rows} 行（共 {count:,} 行）仍像商家行，已照常检查",
    "note.after_total.one": "第 {total} 行是合计行，但其下第 {rows} 行仍像商家行，已照常检查",
    # rows after the 合计 line on the sheet that continues it: after it, not below it
    "note.after_total.continued": "第 {total} 行是合计行，但其后第 {rows} 行（共 {count:,} 行）仍像商家行，已照常检查",
    "note.after_total.continued.one": "第 {total} 行是合计行，但其后第 {rows} 行仍像商家行，已照常检查",
    "note.header_again": "第 {rows} 行又是一遍表头（共 {count:,} 行，多半是几份导出拼在了一起），不是商家，已跳过",
    "note.header_again.one": "第 {rows} 行又是一遍表头（多半是几份导出拼在了一起），不是商家，已跳过",
    "note.helper_rows": "第 {rows} 行（共 {count:,} 行）只在 renewal 不读取的列（{columns}）有内容，读取的列全空：多半是序号、备注一类的列填到了数据以下，不是商家，已跳过",
    "note.helper_rows.one": "第 {rows} 行只在 renewal 不读取的列（{columns}）有内容，读取的列全空：多半是序号、备注一类的列填到了数据以下，不是商家，已跳过",
    "note.helper_records": "第 {rows} 行（共 {count:,} 行）只在 renewal 不读取的列（{columns}）有内容，读取的列全空：多半是序号、备注一类的列填到了数据以下，不是任何商家的记录，已跳过",
    "note.helper_records.one": "第 {rows} 行只在 renewal 不读取的列（{columns}）有内容，读取的列全空：多半是序号、备注一类的列填到了数据以下，不是任何商家的记录，已跳过",
    "note.multiline": "CSV 有 {count:,} 行的单元格含换行，一行占了文件的多行（第 {rows} 行）；已各按一行读取，与 Excel 打开时一样，行号也按 Excel 的行计",
    "note.multiline.one": "CSV 第 {rows} 行的单元格含换行，一行占了文件的多行；已按一行读取，与 Excel 打开时一样，行号也按 Excel 的行计",
    "note.open_quote": "CSV 第 {rows} 行（共 {count:,} 行）的引号多半没有闭合：字段数与表头的 {width} 个不符，或单元格的换行之后是一整行数据；其后的行被并进了这些行，没有单独检查，请在文本编辑器中查看这些行的引号",
    "note.open_quote.one": "CSV 第 {rows} 行的引号多半没有闭合：字段数与表头的 {width} 个不符，或单元格的换行之后是一整行数据；其后的行被并进了这一行，没有单独检查，请在文本编辑器中查看该行的引号",
    "note.cut_short": "{file} 的最后一行（第 {row} 行）没有换行结尾，只有 {found} 个字段，表头有 {expected} 个：文件多半被截断了（传输中断，或导出尚未完成），其后的商家可能缺失；该行按读到的内容检查，缺少的单元格按空白处理",
    "note.text_named_workbook": "文件扩展名是 {suffix}，内容却是文本（以逗号、制表符或分号分隔），不是 Excel 工作簿：已按文本读取",
    "note.workbook_named_text": "文件扩展名是 {suffix}，内容却是 Excel 工作簿：已按工作簿读取",
    "note.workbook_named_other": "文件扩展名是 {suffix}，内容却是 {kind} 工作簿：已按 {kind} 读取",
    "note.violations_by_header": "没有名为「{name}」的工作表，工作表 {sheets} 的表头是违规记录的（商家ID、处罚日期、违规类型、扣分）：已作为违规记录读取",
    "note.qualifications_by_header": "没有名为「{name}」的工作表，工作表 {sheets} 的表头是资质的（商家ID、资质类型、到期日期）：已作为资质读取",
    "note.violations_unread": "工作表 {sheets} 也有违规记录的表头，但没有读取：违规记录读自「{sheet}」；若其中有要核对的处罚，请并入「{sheet}」",
    "note.violations_unread.one": "工作表「{sheets}」也有违规记录的表头，但没有读取：违规记录读自「{sheet}」；若其中有要核对的处罚，请并入「{sheet}」",
    "note.qualifications_unread": "工作表 {sheets} 也有资质的表头，但没有读取：资质读自「{sheet}」；若其中有要核对的资质，请并入「{sheet}」",
    "note.qualifications_unread.one": "工作表「{sheets}」也有资质的表头，但没有读取：资质读自「{sheet}」；若其中有要核对的资质，请并入「{sheet}」",
    "note.merchants_unread": "工作表 {sheets} 也有商家的表头，但没有读取：商家读自「{sheet}」，这些工作表的商家不在本报告中（请并入「{sheet}」，或用 --sheet 单独检查）",
    "note.merchants_unread.one": "工作表「{sheets}」也有商家的表头，但没有读取：商家读自「{sheet}」，该表的商家不在本报告中（请并入「{sheet}」，或用 --sheet 单独检查）",
    "note.report_alone": "「{sheet}」是只含商家行的 renewal 检查报告，没有导出的违规记录和资质工作表：转淘宝企业店铺和资质检查只按本表的列判断，结论可能与按导出检查不同；请检查原导出，或带有这两张表的 xlsx 报告",
    "note.sheet_copy": "工作表「{copy}」的商家行就是「{sheet}」的（多半是 Excel「移动或复制」留下的副本），不是续表：没有读取",
    "note.scaled_columns": "工作表「{sheet}」{letters} 列（{columns}）的表头写明了金额单位：其中的数都乘以 {factor:,} 换算成元；自带单位的值（如 5万、50,000元、¥50,000）按其自身的单位读",
    "note.scaled_columns.one": "工作表「{sheet}」{letters} 列「{columns}」的表头写明了金额单位：其中的数都乘以 {factor:,} 换算成元；自带单位的值（如 5万、50,000元、¥50,000）按其自身的单位读",
    "note.appeals_unread": "导出没有「处罚申诉中」列，工作表「{sheet}」也没有「申诉状态」列：无从得知处罚是否在申诉中，转淘宝企业店铺（TB01）没有核对申诉",
    "ruleset.nearest": "没有覆盖评估时间 {as_of} 的规则集，使用最近的 {id}（{name}，其续签周期到 {ends} 旧合同终止为止）；其规则可能与当年不同，截止时间（{deadline}）和剩余时间也都按 {id} 计，不是当年的；可用 --rules 指定其他规则文件",
    "ruleset.passed_over": "--rules {ref} 用的是内置规则集 {id}，不是当前目录下的文件 {ref}；要用这个文件，请写 --rules {path}",
    # waivers (--waivers): on a finding, on stderr, and the file's problems
    "waiver.applied": "已豁免：{reason}（审批人 {approver}，{valid}）",
    "waiver.applied_ticket": "已豁免：{reason}（审批人 {approver}，工单 {ticket}，{valid}）",
    "waiver.expired": "豁免{lapsed}（{reason}，审批人 {approver}），不再适用",
    # a waiver's end: a date alone is valid through that day (有效至 says so), a moment until it
    "waiver.valid.day": "有效至 {expires}",
    "waiver.valid.moment": "有效至 {expires}",
    "waiver.lapsed.day": "已于 {expires} 到期",
    "waiver.lapsed.moment": "已于 {expires} 到期",
    "waiver.note.summary": "豁免：{applied} 项检查已豁免；{expired} 条已过期，{expiring} 条 7 天内到期，{unused} 条未使用，{not_in_export}",
    "waiver.note.summary.not_in_export": "{count:,} 条的商家不在导出中",
    "waiver.note.summary.not_in_export.one": "{count:,} 条的商家不在导出中",
    "waiver.note.expiring": "豁免即将到期：{file} {where}（商家 {merchant_id}，{rule}）{valid}",
    "waiver.note.expired": "豁免已过期：{file} {where}（商家 {merchant_id}，{rule}）{lapsed}，不再适用",
    "waiver.note.unused": "豁免未使用：{file} {where}（商家 {merchant_id}，{rule}）没有对应的未通过或警告项",
    "waiver.note.not_in_export": "豁免的商家不在导出中：{file} {where}（商家 {merchant_id}，{rule}）；导出中没有这个商家ID，请核对是否写错",
    "waiver.at.row": "第 {row} 行",
    "waiver.at.sheet_row": "工作表「{sheet}」第 {row} 行",
    "waiver.at.entry": "第 {row} 条 [[waiver]]",
    "waiver.at.file": "文件",
    "waiver.at.sheet": "工作表「{sheet}」",
    "waiver.is_dir": "{path}：是目录，不是豁免清单",
    "waiver.no_header": "{path}：{where}前 {rows} 行中找不到包含 商家ID 和 规则 的表头",
    "waiver.missing_column": "{path}：{where}：缺少必需列 {names}",
    "waiver.duplicate_column": "{path}：{where}：列 {column} 出现两次",
    "waiver.blank": "{path}：{where}：{column} 为空；每条豁免都须写明商家ID、规则、原因、审批人和到期时间",
    "waiver.unreadable": "{path}：{where}：{column} 的值「{raw}」无法读取：{reason}",
    "waiver.unknown_rule": "{path}：{where}：没有规则「{rule}」；可豁免的规则：{known}",
    "waiver.not_waivable": "{path}：{where}：{rule} 不能豁免（「{role}」类规则决定是否须续签或能否转淘宝，不是续签步骤）",
    "waiver.not_waivable_load": "{path}：{where}：{rule} 是数据问题，不能豁免，请修正导出",
    "waiver.not_in_ruleset": "{path}：{where}：规则集 {ruleset} 没有规则 {rule}，这条豁免永远不会生效；{ruleset} 可豁免的规则：{known}",
    "waiver.duplicate": "{path}：{where}：商家 {merchant_id} 的 {rule} 豁免与{first_where}重复；同一商家同一规则只能有一条",
    "waiver.toml": "{path}：不是有效的 TOML（{reason}）",
    "waiver.toml_key": "{path}：未知的表 {name}；豁免写成 [[waiver]]",
    "waiver.toml_shape": "{path}：{name} 应是表的数组（[[waiver]]）",
    "waiver.unknown_key": "{path}：{where}：未知的键 {name}",
    # renewal template
    "template.exists": "{path}：文件已存在，未覆盖（确要覆盖请加 --force）",
    "template.suffix": "{path}：模板须写成 .xlsx 文件",
    "template.is_dir": "{path}：是目录，不能写成模板",
    "template.no_dir": "{path}：所在目录不存在",
    "template.written": "已写入模板 {path}（规则集 {ruleset}）。填好「商家」表后检查：renewal check {path} --rules {ruleset}",
    # load problems
    "LD01.missing": "「{column}」为空，无法评估此行",
    "LD01.unreadable": "「{column}」的值「{raw}」无法读取：{reason}",
    "LD02.missing": "「{column}」为空，无法判断是否须续签",
    "LD02.unreadable": "「{column}」的值「{raw}」无法读取：{reason}",
    "LD03": "商家ID {merchant_id} 在第 {rows} 行重复出现，无法确定以哪一行为准",
    "LD03.many": "商家ID {merchant_id} 在 {count:,} 行重复出现（第 {rows} 行），无法确定以哪一行为准",
    "LD03.sheets": "商家ID {merchant_id} 在{rows}重复出现，无法确定以哪一行为准",
    "LD03.sheets.many": "商家ID {merchant_id} 在 {count:,} 行重复出现（{rows}），无法确定以哪一行为准",
    "LD03.place": "工作表「{sheet}」第 {row} 行",
    "LD04": "「{column}」的值「{raw}」无法读取：{reason}",
    "LD04.sheet": "「{sheet}」表第 {row} 行「{column}」的值「{raw}」无法读取：{reason}",
    "LD05": "「{sheet}」表第 {row} 行的商家ID {merchant_id} 不在商家表中",
    # self-check: one merchant's checklist (renewal self-check)
    "sc.title": "续签自查清单：商家 {merchant}{shop}",
    "sc.blank_id": "第 {row} 行（商家ID为空）",
    "sc.ruleset": "规则：{name}（{id}）　评估时间：{as_of}（北京时间）",
    "sc.outcome": "结论：{outcome}",
    "sc.outcome.answers_error": "无法判断",
    "sc.outstanding": "，还有 {count} 项没有完成",
    "sc.outstanding_missed": "，有 {count} 项没有按时完成",
    "sc.outstanding_final": "，{count} 项本次续签中已无法补救，无法续签",
    "sc.opens": "续签开放：{opens}（{until}后）；开放前的{steps}不计入本次续签",
    "sc.opens.one": "续签开放：{opens}（{until}后）；开放前的{steps}不计入本次续签",
    "sc.deadline": "截止时间：{deadline}，{left}",
    "sc.deadline_only": "截止时间：{deadline}",
    "sc.steps": "续签步骤：",
    "sc.state.done": "已完成",
    "sc.state.missing": "未完成",
    "sc.state.late": "逾期",
    "sc.state.blocked": "受阻",
    "sc.state.na": "不适用",
    "sc.state.error": "无法判断",
    "sc.state.warn": "提醒",
    "sc.state.final": "无法补救",
    "sc.owed": "还需缴纳：{amount}",
    "sc.owed_unknown": "还需缴纳：金额无法确定",
    "sc.at_least": "至少 {amount}",
    "sc.unpaid": "截止时未缴：{amount}",
    "sc.where": "去哪里办：{where}",
    "sc.fix": "怎么办：{fix}",
    "sc.late_note": "截止后才办理，不计入本次续签",
    "sc.blockers": "不能续签的情况（有任何一项，就无法完成续签）：",
    "sc.blocker.on": "有",
    "sc.blocker.off": "没有",
    "sc.blocker.unchecked": "未检查",
    "sc.total": "还需缴纳合计：{total}（{parts}）",
    "sc.total.deposit": "保证金 {amount}",
    "sc.total.fee": "年费 {amount}",
    "sc.total.none": "还需缴纳合计：无",
    "sc.total.missed": "截止时未缴合计：{total}（{parts}）",
    "sc.total.unknown": "还需缴纳合计：有金额无法确定，见上面各步骤",
    "sc.total.partly": "还需缴纳：{parts}，另有{unknown}金额无法确定，见上面各步骤",
    "sc.total.partly_missed": "截止时未缴：{parts}，另有{unknown}金额无法确定，见上面各步骤",
    "sc.total.unknown.deposit": "保证金",
    "sc.total.unknown.fee": "年费",
    "sc.next": "下一步：{action}",
    "sc.missed.if": "如果截止前没有全部完成：",
    "sc.missed.did": "截止前没有全部完成，因此：",
    "sc.missed.final": "本次续签已无法完成，截止后：",
    "sc.missed.ends": "{agreement}将于 {at} 终止，{year}年度无法继续使用天猫服务",
    "sc.missed.ended": "{agreement}已于 {at} 终止，{year}年度无法继续使用天猫服务",
    "sc.missed.supervision": "店铺同时进入监管状态（{means}）",
    "sc.missed.supervision_plain": "店铺同时进入监管状态",
    "sc.missed.exit": "天猫自 {exit_from} 起协助退出天猫",
    "sc.missed.contract": "天猫合同",
    "sc.midnight": "{day} 24时",
    "sc.transfer": "淘宝企业店铺（未完成续签时的去处）：",
    "sc.transfer.open": "可以转入",
    "sc.transfer.open_until": "可以转入，最晚 {closes} 申请",
    "sc.transfer.closed": "不能转入",
    "sc.transfer.unknown": "无法判断",
    "sc.transfer.if": "如果没有完成续签",
    "sc.transfer.after": "截止后",
    "sc.transfer.na": "不需要：{why}",
    "sc.transfer.absent": "本年度规则没有转入淘宝企业店铺的条件",
    "sc.renewed": "全部续签步骤已在续签期内完成，合同延续至 {until}",
    "sc.error": "这一行数据有问题，无法判断：",
    "sc.error_answers": "根据你的回答，以下项目无法判断：",
    "sc.other": "其他提醒：",
    "sc.other.item": "[{state}] {rule} {message}",
    "sc.other.item.answers": "[{state}] {message}",
    "sc.unknown_id": "{path}：没有商家ID {ids}；文件中的商家ID：{known}",
    "sc.waivers_need_file": "--waivers 需要商家导出文件；逐项提问时没有可豁免的记录",
    "sc.sheet_need_file": "--sheet 需要商家导出文件（工作簿）；逐项提问时没有工作表可选：请去掉 --sheet，或给出导出文件",
    "sc.several": "{path}：文件中有 {count} 个商家{repeated}，请用 --merchant 指定（可重复），或用 --all 列出全部清单。商家ID：{known}",
    "sc.repeated_ids": "（共 {rows} 行，重复的商家ID：{ids}）",
    "sc.repeated_ids.one": "（共 {rows} 行，重复的商家ID：{ids}）",
    "sc.repeated_id": "{id}（{n} 行）",
    "sc.more_ids": "……共 {count} 个",
    # self-check without a file: the questions
    "ask.intro": "回答几个问题，生成续签自查清单（{name}，截止 {deadline}）。直接回车使用方括号中的默认值；Ctrl-C 退出。",
    "ask.store_type": "店铺类型（{choices}；输入名称或序号）",
    "ask.trademark": "商标状态（R 已注册 / TM 申请中；有一个品牌是 TM 就填 TM）",
    "ask.category": "主营类目（按商家中心的名称，多个用、分隔；普通类目可填「其他」）",
    "ask.category_optional": "主营类目（按商家中心的名称，多个用、分隔；普通类目可填「其他」；可留空）",
    "ask.category_unlisted": "「{categories}」与本规则集列出的类目都不符：请按商家中心的名称用中文填写（如 {examples}）；不在其中的普通类目填「其他」",
    "ask.contract": "合同签署时间（如 {example}）",
    "ask.exempt": "合同签署时间晚于 {cutoff}，无需参加本次续签。",
    "ask.blocker": "店铺目前是否存在「{label}」的情况？",
    "ask.step_done": "是否已完成「{label}」？",
    "ask.step_at": "「{label}」的完成时间（如 {example}）",
    "ask.deposit_required": "应缴保证金（元；规则表中没有这种店铺类型、商标和类目的金额；不知道请直接回车）",
    "ask.deposit_balance": "当前保证金余额（元）",
    "ask.deposit_topped_up": "最近一次补缴保证金的时间（没有补缴直接回车）",
    "ask.deposit_late": "这次补缴（{at}）在截止时间之后，不计入本次续签；截止时的余额决定这一步。",
    "ask.deposit_at_deadline": "截止时（{deadline}）的保证金余额（元）",
    "ask.insurance": "是否用保证金履约险代替现金保证金？",
    "ask.insurance_at": "本次续签的履约险续保时间（签署续签协议前的那次，之后又续保的不算；如 {example}；还没续保直接回车）",
    "ask.insurance_none": "履约险还没有续保：保证金按现金余额判断。",
    "ask.insurance_uncounted": "{at} 的履约险续保不计入本次续签（原因见清单）：保证金按现金余额判断。",
    "ask.review": "这个类目续签时要经过「{label}」：有资质已过期则不通过。",
    "ask.review_kind": "最早到期的资质名称（如 营业执照；都长期有效直接回车）",
    "ask.review_expires": "「{kind}」的到期日期（如 {example}）",
    "ask.fee_required": "应缴{year}年度年费（元；年费表中没有这个类目；不知道请直接回车）",
    "ask.fee_paid": "已缴{year}年度年费（元，没缴填 0）",
    "ask.fee_paid_at": "年费缴纳时间（如 {example}）",
    "ask.service_opened": "服务开通时间（如 2016-05-01）",
    "ask.assessment": "运营能力考核是否不达标？",
    "ask.daily_assessment": "{where}上的「{label}」目前是否不达标？",
    "ask.transfer": "以下问题用于判断没有完成续签时能否转入淘宝企业店铺：",
    "ask.serious": "{period}严重违规扣分",
    "ask.general": "{period}一般违规扣分",
    "ask.appeal": "是否有处罚正在申诉中？",
    "ask.yes_no": "是/否",
    "ask.not_yes_no": "不是是/否值（应为 是/否 或 Y/N）",
    "ask.again": "输入有误：{reason}。请重新输入",
    "ask.required": "必须填写",
    "ask.future": "晚于评估时间 {as_of}，那时还没有发生",
    "ask.choice": "请输入列出的选项或序号",
    "ask.eof": "输入已结束，问答没有完成，未生成清单",
    "ask.adrift": "从管道或文件读入的回答连续两次无法读取（{reason}）：后面的回答多半已与问题错位，未生成清单；请改正回答文件，或在终端中回答",
    "ask.merchant_id": "自查",
    "ask.unreadable": "无法识别这个回答",
    "ask.day_only": "只填了日期 {day}，无法判断是否计入：{why}，要看当天几点。",
    "ask.time_of_day": "「{what}」{day} 几点（如 14:30、下午2:30）",
    "ask.time_again": "不是时间（示例：14:30、下午2:30、14时30分）",
    "ask.why_opens": "续签 {at} 开始",
    "ask.why_closes": "截止时间是 {at}",
    "ask.why_as_of": "评估时间是 {at}，之后办的还不算",
    "ask.why_cutoff": "合同签署时间在 {at} 之前（含）才参加本次续签",
    "ask.why_opened": "服务开通时间在 {at} 之前的店铺才参加考核",
    "ask.why_earlier": "{at} 之前的续保属于往年",
    "ask.why_signed": "协议签署于 {at}，履约险须在签署协议前续保",
    "ask.why_insured": "履约险续保于 {at}，须在签署协议前续保才计入",
    "ask.answers": "自查回答",
    # the questions when the as-of is not now: about that moment (ex22 §3)
    "ask.as_of": "评估时间是 {as_of}：金额和是否的问题都按那时的情况回答。",
    "ask.blocker_as_of": "店铺在评估时间 {as_of} 是否存在「{label}」的情况？",
    "ask.step_done_as_of": "截至评估时间 {as_of}，是否已完成「{label}」？",
    "ask.deposit_balance_as_of": "截至评估时间 {as_of} 的保证金余额（元）",
    "ask.deposit_topped_up_as_of": "截至评估时间 {as_of}，最近一次补缴保证金的时间（没有补缴直接回车）",
    "ask.fee_paid_as_of": "截至评估时间 {as_of} 已缴{year}年度年费（元，没缴填 0）",
    "ask.daily_assessment_as_of": "在评估时间 {as_of}，{where}上的「{label}」是否不达标？",
    "ask.serious_as_of": "截至评估时间 {as_of}，{period}严重违规扣分",
    "ask.general_as_of": "截至评估时间 {as_of}，{period}一般违规扣分",
    "ask.appeal_as_of": "在评估时间 {as_of} 是否有处罚正在申诉中？",
    # an answer understood but refused (needed, or after the as-of): not 输入有误 (ex22 §9)
    "ask.again_refused": "请重新输入：{reason}",
    "ask.undecodable": "回答中有无法识别的字符，请检查文件编码（应为 UTF-8）",
    "ask.undecodable_typed": "回答中有无法识别的字符，请检查终端的字符编码（应为 UTF-8）",
    # remind: reminders for merchants whose deadline is near (renewal remind)
    "rm.merchant_id": "商家ID",
    "rm.shop_name": "店铺名称",
    "rm.contact": "联系人",
    "rm.phone": "联系电话",
    "rm.email": "邮箱",
    "rm.missing": "待完成事项",
    "rm.amount": "应缴金额(元)",
    "rm.amount_unknown": "金额未知项",
    "rm.part.deposit": "保证金",
    "rm.part.fee": "年费",
    "rm.sheet": "提醒名单",
    "rm.deadline": "截止时间",
    "rm.left": "剩余时间",
    "rm.source_sheet": "原工作表",
    "rm.row": "原行号",
    "rm.data_error": "数据错误",
    "rm.title.flawed": "，其中 {count} 个有数据错误，只列确定未完成的事项（见「数据错误」列）",
    "rm.about": "说明",
    "rm.blocked": "{label}（受阻：{blocker}）",
    "rm.blocker": "先处理：{label}",
    "rm.unknown": "未知",
    "rm.title": "{name}（{id}）截止 {deadline}，评估时间 {as_of}：{within}内截止且仍有未完成事项的商家 {count} 个",
    "rm.errors": "另有 {count} 行数据错误，未列入提醒（用 renewal check 查看）",
    "rm.title.one": "{name}（{id}）截止 {deadline}，评估时间 {as_of}：{within}内截止且仍有未完成事项的商家 {count} 个",
    "rm.errors.one": "另有 {count} 行数据错误，未列入提醒（用 renewal check 查看）",
    "rm.more": "另有 {count:,} 个商家须提醒，未列出；用 --limit 0 列出全部，或用 -o reminders.csv、-o reminders.xlsx 写出完整名单",
    "rm.more.one": "另有 1 个商家须提醒，未列出；用 --limit 0 列出全部，或用 -o reminders.csv、-o reminders.xlsx 写出完整名单",
    "rm.final": "另有 {count} 个商家本次续签已无法完成（某项已无法补救），未列入提醒（用 renewal check 查看）",
    "rm.final.one": "另有 {count} 个商家本次续签已无法完成（某项已无法补救），未列入提醒（用 renewal check 查看）",
    "rm.bad_within": "--within 无法解析：{value!r}（示例：7天、72小时、1天12小时、7d、72h；单位：周、天/日、小时、分钟、秒）",
    # next action / misc
    "next.fix_data": "修正第 {row} 行数据后重新检查",
    "next.fix_data_sheet": "修正工作表「{sheet}」第 {row} 行数据后重新检查",
    "next.fix_answers": "查明上面无法判断的项目后重新自查",
    "next.fix_data_and": "{fix}；{action}",
    "next.by": "{action}，截止 {deadline}",
    "next.when_open": "续签 {opens} 开放后：{action}，截止 {deadline}",
    "next.none": "",
    "next.transfer": "续签已截止：{closure}；可申请转入淘宝企业店铺",
    "next.transfer.ended": "续签已截止：{closure}；可申请转入淘宝企业店铺（本年度转入入口何时关闭没有来源，申请前请先确认入口仍开放）",
    "next.exit": "续签已截止：{closure}，{exit_from}起协助退出天猫",
    "next.undecided": "续签已截止：{closure}；能否转入淘宝企业店铺无法判断",
    "next.transfer_until": "续签已截止：{closure}；可在 {closes} 前（含当天）申请转入淘宝企业店铺",
    "next.exit_closed": "续签已截止：{closure}，{exit_from}起协助退出天猫；转入淘宝企业店铺的入口只开放至 {closes}，已关闭",
    "next.transferring": "续签已截止：{closure}；已在转入淘宝企业店铺流程中",
    "next.closure": "合同于 {terminates} 终止、店铺进入监管",
    "next.closure.ended": "合同已于 {terminates} 终止、店铺已进入监管",
    "next.final": "{said}。截止（{deadline}）后：{then}",
    # time left (i18n.duration / time_left / time_left_phrase; the HTML page's script too)
    "left.d": "{n}天",
    "left.h": "{n}小时",
    "left.m": "{n}分钟",
    "left.s": "{n}秒",
    "left.join": "",
    "left.left": "还剩 {left}",
    "left.now": "现在截止",
    "left.passed": "已截止",
    "left.ago": "已截止（已过 {ago}）",
    # outcomes, as the annotated reports label them
    "outcome.error": "数据错误",
    "outcome.failed": "未续签",
    "outcome.pending": "待完成",
    "outcome.waived": "已豁免",
    "outcome.renewed": "已续签",
    "outcome.exempt": "无需续签",
    # finding statuses and the annotated reports' own columns
    "status.pass": "通过",
    "status.fail": "未通过",
    "status.warn": "警告",
    "status.skip": "不适用",
    "status.error": "错误",
    "status.waived": "已豁免",
    "listing.row": "行",
    "listing.merchant_id": "商家ID",
    "listing.shop": "店铺名称",
    "listing.reason": "原因",
    "xlsx.too_wide": "导出有 {width} 列，其后放不下 {appended} 列检查结果（Excel 每个工作表最多 {limit} 列）；请删去导出末尾多余的列，或改用 --format csv / json",
    "annotated.outcome": "检查结果",
    "annotated.problems": "问题",
    "annotated.deposit_due": "应补保证金",
    "annotated.fee_due": "应缴年费",
    "annotated.deadline": "截止时间",
    "annotated.time_left": "剩余时间",
    "annotated.transfer": "可转淘宝企业店",
    "annotated.next_action": "下一步",
    "annotated.source_sheet": "原工作表",
    "annotated.source_row": "原行号",
    "annotated.yes": "是",
    "annotated.no": "否",
    "annotated.source": "{sheet} 第{row}行「{column}」",
    "annotated.source_row_only": "{sheet} 第{row}行",
    "annotated.due_soon": "{left}（即将截止）",
    "summary.due_soon": "{count:,} 个待完成商家距截止不足 {within}（--due-soon）",
    "summary.due_soon.one": "{count:,} 个待完成商家距截止不足 {within}（--due-soon）",
    # a finding's evidence in words (renewal.render.evidence)
    "evidence.serious": "严重违规扣分 {value}",
    "evidence.serious_below": "严重违规扣分低于 {value}",
    "evidence.general": "一般违规扣分 {value}",
    "evidence.general_below": "一般违规扣分低于 {value}",
    "evidence.appeal_pending": "处罚申诉中：{value}",
    "evidence.other": "{key}：{value}",
    "evidence.join": "；",
    # JUnit: the labels of a failure's text and the notes on its message
    "junit.none": "（无）",
    "junit.blank_id": "（商家ID为空）",
    "junit.expected": "应为：{value}",
    "junit.actual": "实际：{value}",
    "junit.source": "来源：「{sheet}」表第 {row} 行「{column}」",
    "junit.source_row": "来源：「{sheet}」表第 {row} 行",
    "junit.owed": "尚欠：{value}",
    "junit.remedy": "处理：{value}",
    "junit.waiver": "豁免：{reason}（审批人 {approver}；{state}）",
    "junit.waiver_ticket": "豁免：{reason}（审批人 {approver}，工单 {ticket}；{state}）",
    "junit.waived": "已豁免：{message}",
    "junit.due_soon": "即将截止：{left}",
    "junit.deadline": "{soon}（截止 {deadline}）",
    "junit.noted": "{message}（{note}）",
    "junit.merchant": "商家：{merchant}（「{sheet}」表第 {row} 行）",
    # command-line usage errors (renewal/cli/usage_errors.py)
    "usage.hint": "运行 '{command} {help}' 查看用法",
    "usage.no_such_option": "没有 {option} 这个选项",
    "usage.no_such_command": "没有 {command} 这个命令",
    "usage.did_you_mean": "{problem}（是不是要用 {matches}？）",
    "usage.missing_argument": "缺少参数 {argument}",
    "usage.missing_option": "缺少选项 {option}",
    "usage.missing_command": "缺少命令",
    "usage.needs_value": "选项 {option} 后面要跟一个值",
    "usage.needs_values": "选项 {option} 后面要跟 {count} 个值",
    "usage.takes_no_value": "选项 {option} 不带值",
    "usage.extra_arguments": "多余的参数：{extra}",
    "usage.bad_choice": "{option} {value} 不可用：可选 {choices}",
    "usage.bad_value": "{option} 的值 {value} 无效：{reason}",
    "usage.envvar": "环境变量 {name}",
    "usage.not_integer": "应为整数",
    "usage.not_number": "应为数字",
    "usage.at_least": "不能小于 {limit}",
    "usage.more_than": "应大于 {limit}",
    "usage.at_most": "不能大于 {limit}",
    "usage.less_than": "应小于 {limit}",
    "usage.other": "命令行用法错误：{detail}",
    "usage.aborted": "已中止",
    # why the system refused a file (OSError), in words: see os_reason
    "os.ENOENT": "没有这个文件或目录",
    "os.EACCES": "没有权限",
    "os.EPERM": "不允许这样操作（没有权限）",
    "os.ENOSPC": "磁盘空间已满",
    "os.EDQUOT": "超出磁盘配额",
    "os.EFBIG": "文件超过了允许的大小：ulimit -f 或文件系统的上限",
    "os.EIO": "输入/输出错误：磁盘或网络存储出了故障",
    "os.EROFS": "文件系统是只读的",
    "os.EISDIR": "这是一个目录",
    "os.ENOTDIR": "路径中有一级不是目录",
    # why a workbook cannot be opened, in words (renewal.intake.tables)
    "workbook.cut": "文件不完整或已损坏，可能没有下载或复制完；请重新导出",
    "workbook.zip_not_workbook": "这是一个 zip 压缩包，但里面没有 Excel 工作簿",
    "workbook.not_a_workbook": "内容既不是 xlsx 也不是 xls 格式",
    "workbook.corrupt_zip": "文件已损坏：压缩的内容解不开，或与压缩包目录所记不符，可能没有下载或复制完整；请重新导出",
    "workbook.corrupt_content": "文件已损坏：工作簿内部的数据不完整或前后矛盾；请用 Excel 打开后另存为 .xlsx，或重新导出",
    "workbook.damaged": "文件已损坏；读取库的说明：“{said}”",
    "workbook.macro_sheet": "文件本身没有损坏，但其中有 Excel 4.0 宏表 {sheets}（可能是隐藏的），含这种宏表的工作簿无法读取；请在 Excel 中删除该宏表，或把工作簿另存为 .xlsx（宏表不会存入）后再检查",
    # why a line of a CSV is not text in its encoding (renewal.intake.tables)
    "text.bad_byte": "该行第 {byte} 个字节无法解码",
    "text.cut": "文件在一个字符的中间结束，可能不完整",
    "text.surrogate": "有不成对的 UTF-16 代理字符",
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
    "step.after_as_of": "{label} at {at}, after the evaluation time: not done yet at that moment (deadline {deadline})",
    "step.remedy": "{label} in {where}",
    "column.missing": "The export has no column {column} ({gloss}): cannot decide",
    "cell.unreadable": "Cannot read {column} value {raw!r}",
    "cell.undecided_day": "{column} value {raw!r} is {reason}",
    "cell.day_alone": "a day with no time of day: {why}, so the time that day decides",
    "DP01.ok": "Deposit balance covers the required amount",
    "DP01.short": "Deposit balance {balance}, required {required}: {owed} short",
    "DP01.short_missed": "At the deadline {deadline} the deposit balance {balance} was below the required {required}: {owed} short",
    "DP01.late": "Deposit topped up at {at}, after the deadline {deadline}: does not count",
    "DP01.late_unknown": "{column} (deposit topped up at) is {at}, after the deadline {deadline}; the column holds the latest top-up, so whether the balance was already enough by the deadline cannot be told: if it was (topped up again after a deduction), the step was done; if this top-up is what made it enough, it was not made up in time",
    "DP01.remedy_late_unknown": "Check the deposit account's history and put in {column} the top-up inside the renewal window that made the balance enough; leave it blank if the balance was already enough",
    "DP01.after_as_of": "Deposit top-up time {at} is after the evaluation time; the balance before it is unknown, treated as not topped up",
    "DP01.after_as_of_short": "Deposit top-up time {at} is after the evaluation time, so the balance before it is unknown; even after it the balance {balance} is below the required {required}: at least {owed} short at the evaluation time",
    "DP01.unknown": "Cannot tell the required deposit: {column} (deposit due) is blank and store type {store_type!r} / trademark {trademark!r} is not in the rule table",
    "DP01.unknown_no_column": "Cannot tell the required deposit: the export has no {column} (deposit due) column and store type {store_type!r} / trademark {trademark!r} is not in the rule table",
    "DP01.unknown.answers": "Cannot tell the required deposit: the rule table has no amount for this store type, trademark and category, and you did not know the amount due",
    "DP01.unknown.if_blank": "Cannot tell the required deposit: {column} (deposit due) is blank, and so is {blank}{given}",
    "DP01.unknown_no_column.if_blank": "Cannot tell the required deposit: the export has no {column} (deposit due) column, and {blank} is blank{given}",
    "blank.store_type": "店铺类型 (store type)",
    "blank.trademark": "商标状态 (trademark)",
    "blank.category": "主营类目 (category)",
    "blank.quoted": "{name} {value!r}",
    "blank.given": ", with {given}",
    "DP01.remedy": "Top up the deposit by {owed} in one payment in {where}",
    "DP01.remedy_unknown": "Top up the deposit to the required {required} in {where}",
    "DP01.insurance_ok": "Deposit insurance renewed before the agreement was signed",
    "DP01.insurance_after_signing": "Deposit insurance renewed at {at}, after the agreement was signed at {signed}: it must be renewed before signing",
    "DP01.insurance_late_unknown": "{column} (deposit insurance renewed at) is {at}, after the deadline {deadline}; the column holds the latest renewal, so whether the policy was renewed before the agreement was signed and by the deadline (and renewed again later) cannot be told: if it was, the policy counts; if this is its only renewal, it does not",
    "DP01.remedy_insurance_late_unknown": "Check the insurance's renewal record and put in {column} the renewal that counts for this renewal (the one before the agreement was signed); leave it blank if there was none before signing",
    "DP01.insurance_late": "Deposit insurance renewed at {at}, after the deadline {deadline}: does not count",
    "DP01.insurance_early": "Deposit insurance renewed at {at}, before {since}: an earlier year's renewal, does not count",
    "DP01.insurance_none": "{column} says {raw!r}, not a renewal time: no deposit insurance counts",
    "DP01.neither": "{insurance}; {cash}",
    "DP01.remedy_or_insurance": "{cash}, or renew the deposit insurance (保证金履约险) before signing the agreement",
    "DP01.unread_time_short": "Deposit balance {balance}, required {required}: at least {owed} short; {column} (deposit topped up at) value {raw!r} cannot be read, and if that top-up came after the evaluation time, more was short then",
    "DP01.remedy_unread_time": "Correct {column} and top up the deposit in one payment in {where}, at least {owed}",
    "AF01.ok": "{year} annual software fee paid in full inside the renewal window",
    "AF01.nothing_due": "The {year} annual software fee due is ¥0: nothing to pay",
    "AF01.unpaid": "{year} annual software fee {required} not paid; deadline {deadline}",
    "AF01.partial": "{year} annual software fee: {paid} paid of {required}, {owed} still due",
    "AF01.missed": "{year} annual software fee not paid in full by the deadline {deadline} (paid {paid} of {required})",
    "AF01.late": "Annual fee paid at {at}, after the deadline {deadline}: does not count",
    "AF01.early": "Annual fee paid at {at}, before the window opened at {opens}: not the {year} fee",
    "AF01.unknown": "Cannot tell the required annual fee: {column} (annual fee due) is blank and category {category!r} is not in the fee table",
    "AF01.unknown_no_column": "Cannot tell the required annual fee: the export has no {column} (annual fee due) column and category {category!r} is not in the fee table",
    "AF01.unknown.answers": "Cannot tell the required annual fee: category {category!r} is not in the fee table, and you did not know the amount due",
    "AF01.unknown.if_blank": "Cannot tell the required annual fee: {column} (annual fee due) is blank, and so is {blank}{given}",
    "AF01.unknown_no_column.if_blank": "Cannot tell the required annual fee: the export has no {column} (annual fee due) column, and {blank} is blank{given}",
    "AF01.remedy": "Pay the {year} annual software fee of {owed} in {where}",
    "AF01.no_time": "{paid} paid, but {column} (annual fee paid at) is blank: cannot tell it was paid inside the window (deadline {deadline})",
    "AF01.after_as_of": "Annual fee paid at {at}, after the evaluation time: not paid yet at that moment (deadline {deadline})",
    "AF01.after_as_of_unknown": "Annual fee paid at {at}, after the evaluation time; how much was paid before that payment is unknown, treated as not paid in full (deadline {deadline})",
    "AF01.after_as_of_short": "Annual fee paid at {at}, after the evaluation time, so how much was paid before it is unknown; even with it {paid} is paid of the required {required}: at least {owed} still due at the evaluation time (deadline {deadline})",
    "AF01.remedy_unknown": "Pay the {year} annual software fee in full ({required}) in {where}",
    "AF01.between": "{least} to {most}",
    "AF01.tier_open": "{message}; category {category!r} is not in the fee table, so the fee depends on its tier",
    "AF01.tier_open.if_blank": "{message}; {blank} is blank, so the fee depends on its tier",
    "AF01.remedy_no_time": "If it was paid, fill in {column}; if not, pay the {year} annual software fee of {owed} in {where}",
    "AF01.no_time_short": "{paid} paid of {required}, but {column} (annual fee paid at) is blank: {owed} still due if it was paid inside the window, else the whole {required} (deadline {deadline})",
    "AF01.remedy_no_time_short": "If it was paid inside the window, fill in {column} and pay the remaining {owed} in {where}; if not, pay the {year} annual software fee of {required}",
    "AF01.unread_time_short": "{paid} paid of {required}, but {column} (annual fee paid at) value {raw!r} cannot be read: at least {owed} still due, the whole {required} if it was not paid inside the window (deadline {deadline})",
    "AF01.remedy_unread_time_short": "Correct {column} and pay at least the remaining {owed} in {where}; if that payment was not inside the window, pay the {year} annual software fee of {required}",
    "AF01.unread_time_early": "{paid} paid, but {column} (annual fee paid at) value {raw!r} cannot be read; renewal opens at {opens}, and anything paid before it is not the {year} fee: not paid yet at the evaluation time",
    "AS01.unknown": "{column} (service opened at) is blank: cannot tell whether the {label} step applies",
    "AS01.passed_either_way": "{column} (service opened at) is blank, but the {label} was not failed: passes whether or not it applies",
    "AS01.unreadable_either_way": "{column} (service opened at) value {raw!r} cannot be read, but the {label} was not failed: passes whether or not it applies",
    "AS01.not_needed": "Service opened on or after {before}: no operating assessment needed",
    "AS01.failed": "{label} failed: cannot renew",
    "AS01.passed": "{label}: not failed",
    "AS01.remedy": "See the assessment in {where}; a store that fails it cannot renew",
    "AS01.failed_final": "{label} failed: cannot renew; the assessment period ended at {ends}, so this cannot be made good in this renewal",
    "AS01.remedy_final": "Nothing in this renewal can make it good; after the deadline the store may move to a Taobao enterprise store, if the transfer test allows",
    "AS02.failed": "{column} (assessment failed) is yes: the {label} runs day to day, and a store that fails it {outcome}; it is not a renewal step, so the renewal verdict does not change",
    "AS02.failed.answers": "You answered that the store is failing the {label}: it runs day to day, and a store that fails it {outcome}; it is not a renewal step, so the renewal verdict does not change",
    "AS02.unreadable": "{column} (assessment failed) value {raw!r} cannot be read: whether the {label} was failed is not known (a store that fails it {outcome})",
    "AS02.passed": "The {label} was not failed",
    "AS02.no_column": "The export has no column {column} ({gloss}); the {label} is not checked",
    "AS02.remedy": "Watch the assessment on {where} and meet its standard",
    "QR01.not_needed": "Not a category with a qualification review",
    "QR01.no_sheet": "Category {category!r} has a qualification review, but the export has no qualifications sheet: cannot decide",
    "QR01.passed": "Reviewed category: every qualification valid through the deadline {deadline}",
    "QR01.expired": "Category {category!r} has a qualification review and {kind!r} expired on {on}",
    "QR01.expiring": "Category {category!r} has a qualification review and {kind!r} expires on {on}, before the deadline {deadline}",
    "QR01.remedy": "Renew the qualifications that lapse before the deadline in 商家中心-资质管理 (Merchant Center, qualifications) and pass the review",
    "QR01.no_documents": "Category {category!r} has a qualification review, but the qualifications sheet (资质) has no documents for this merchant: cannot decide",
    "QR01.remedy_documents": "Add the merchant's documents (商家ID, 资质类型, 到期日期) to the qualifications sheet and check again",
    "QR01.unreadable": "Category {category!r} has a qualification review, but sheet {sheet} row {row} ({column}) cannot be read: cannot decide",
    "QR01.unreadable_either_way": "{column} value {raw!r} cannot be read, but every qualification is valid through the deadline {deadline}: passes whether or not the category has a review",
    "blocker.on": "{label}: cannot renew until this is cleared",
    "blocker.done_anyway": "{label}, but the export shows the steps it stops done inside the window ({steps}): the flag may have been set afterwards; check it",
    "blocker.done_anyway.answers": "{label}, but your answers say the steps it stops were done inside the window ({steps}): it may have arisen after they were done; check it",
    "blocker.step": "{code} {label}",
    "blocker.step.answers": "{label}",
    "blocker.unread_done_anyway": "{said}; the steps it stops were done inside the window ({steps}), so they count; check the cell",
    "blocker.off": "Not flagged: {label}",
    "blocker.no_column": "The export has no column {column} ({gloss}); not checked",
    "blocker.lapsed": "{column} is no or blank, but qualification {kind!r} expired on {on}: check the column; with {label}, the renewal cannot be completed",
    "blocker.lapsed_no_column": "The export has no column {column} ({gloss}), but qualification {kind!r} expired on {on}: with {label}, the renewal cannot be completed",
    "blocker.lapsed_renewed": "{column} is no or blank; qualification {kind!r} expired on {on}, but {other}: if that is this one renewed, nothing is to be done; if not, check the column: with {label}, the renewal cannot be completed",
    "blocker.lapsed_no_column_renewed": "The export has no column {column} ({gloss}); qualification {kind!r} expired on {on}, but {other}: if that is this one renewed, nothing is to be done; if not, with {label}, the renewal cannot be completed",
    "blocker.fix": "First {fix}",
    "blocker.fix_renewed": "Check whether the expired {kind!r} was renewed as the one on sheet {sheet} row {row}; if not, {fix}",
    "step.blocked": "Blocked by {code} ({label})",
    "step.blocked.answers": "Blocked: {label}",
    "QL01.ok": "Every qualification is valid through {until}, the end of the contract year",
    "QL01.expired": "Qualification {kind!r} expired on {on}",
    "QL01.expiring": "Qualification {kind!r} expires on {on}, before the contract year ends at {until}",
    "QL01.day_end": "the end of {day}",
    "QL01.none": "No qualification records; not checked",
    "QL01.consequence": " (once lapsed: {outcome}; appeal with a valid document by {act_by}, {days} days)",
    "QL01.no_sheet": "The export has no qualifications sheet; not checked",
    "QL01.unread": "Sheet {sheet} rows {rows}: qualifications that cannot be read; their expiry is not checked",
    "QL01.unread.one": "Sheet {sheet} row {rows}: a qualification that cannot be read; its expiry is not checked",
    "QL01.remedy": "Update the qualification in 商家中心-资质管理 (Merchant Center, qualifications); renewal does not review it, but an expired one affects trading",
    "QL01.remedy_reviewed": "Update the qualification in 商家中心-资质管理 (Merchant Center, qualifications); the qualification review requires every document valid through the deadline {deadline}, and one that lapses later still affects trading",
    "QL01.remedy_maybe_reviewed": "Update the qualification in 商家中心-资质管理 (Merchant Center, qualifications); an expired one affects trading",
    "QL01.renewed": ", but {other}: if that is this one renewed, nothing is to be done",
    "QL01.other": "sheet {sheet} row {row} holds another {kind!r}{number}, {valid}",
    "QL01.other_number": " (certificate {number})",
    "QL01.other_until": "valid through {until}",
    "QL01.other_no_expiry": "with no expiry",
    "QL01.remedy_if_renewed": "Check whether the expired document was renewed by the newer one of its type; if not, {remedy}",
    "TB01.eligible": "May move to a Taobao enterprise store: {serious} serious points (<{serious_limit}) and {general} general points (<{general_limit}) {period}, no appeal pending",
    "TB01.eligible_rows": "May move to a Taobao enterprise store: {serious} serious points (<{serious_limit}) and {general} general points (<{general_limit}) {period}, no appeal pending in the violations sheet (the export has no 处罚申诉中 column: appeals not in the sheet were not checked)",
    "TB01.ineligible": "May not move to a Taobao enterprise store: {reasons}",
    "TB01.serious": "{serious} serious-violation points {period} reach {serious_limit}",
    "TB01.general": "{general} general-violation points {period} reach {general_limit}",
    "TB01.window": "in {days} days",
    "TB01.period": "from {start} to {end}",
    "TB01.closed": "May not move to a Taobao enterprise store: the transfer entrance was open until {closes} and has closed; applications are no longer taken",
    "TB01.opens": "; the transfer entrance opens on {opens} and is not open yet",
    "TB01.close_unknown": "; the contracts have ended and no source gives the day this year's entrance closes: check that it is still open before applying",
    "TB01.appeal": "a penalty appeal is pending",
    "TB01.category": "special category {category!r} is excluded",
    "TB01.na": "Renewed or not in scope; not applicable",
    "TB01.waived": "Waived; not applicable",
    "TB01.verdict_unknown": "; the renewal verdict cannot be decided (see the data errors), so this applies only if the renewal turns out not completed",
    "TB01.verdict_unknown.answers": "; the renewal verdict cannot be decided (see what could not be judged above), so this applies only if the renewal turns out not completed",
    "TB01.transferring": "Already moving to a Taobao enterprise store; not judged again",
    "TB01.unknown": "No violation data (no violations sheet and no point columns): cannot decide",
    "TB01.bad_record": "A violation record could not be read: cannot decide",
    "intake.no_file": "{path}: no such file",
    "intake.is_dir": "{path}: is a directory, not an export file",
    "intake.unreadable": "{path}: cannot be read ({reason})",
    "intake.empty": "{path}: the file is empty",
    "intake.not_file": "{path}: neither a file nor a pipe (a terminal or a device), so no export to read; give the export's path, or pipe it in (… | renewal check -)",
    "intake.stream_too_big": "{path}: more than {limit} MB came down the pipe without an end, which is no export; reading stopped (raise the limit with --max-inflated-mb if it is genuine)",
    "intake.spool_failed": "{path}: the piped export could not be kept in the temporary directory {directory} ({reason}); TMPDIR names another",
    "intake.not_workbook": "{path}: not a readable workbook ({reason})",
    "intake.no_sheets": "{path}: the workbook has no sheets",
    "intake.sheet_unreadable": "{path}: sheet {sheet}: cannot be read ({reason})",
    "intake.sheet_empty": "{path}: sheet {sheet} is empty",
    "intake.changed": "{path}: the file changed during the run, so the report cannot carry its violation and qualification sheets as this run read them; check it again once it no longer changes",
    "intake.no_header": "{path}: sheet {sheet}: no header row naming {names} in the first {rows} rows",
    "intake.no_header_any": "{path}: no sheet ({sheets}) has a header naming {names} in its first {rows} rows",
    "intake.merchant_sheets": "{path}: sheets {sheets} all have the merchant header, and none continues another: which one to check cannot be told{hidden}; name it with renewal {command} --sheet (--sheet {first}, say), or delete or rename the others",
    "intake.hidden_among.hidden": " ({hidden}: hidden, so Excel does not show it; right-click a sheet tab and choose Unhide)",
    "intake.hidden_among.very_hidden": " ({very_hidden}: very hidden, so Excel does not show it and its Unhide list does not offer it either; only VBA can change that)",
    "intake.hidden_among.both": " ({hidden}: hidden; {very_hidden}: very hidden; Excel shows neither, and its Unhide list does not offer a very hidden sheet: only VBA can change that)",
    "intake.supporting_sheets": "{path}: no sheet is named {name}, and sheets {sheets} all have the {table} header, and none continues another: which one to read cannot be told{hidden}; rename the one to read {name}, or delete or rename the others",
    "intake.merchants_elsewhere": "{path}: sheet {sheet} {state}, but sheet {sheets} has the merchant header and merchant rows; if that is the one to check, name it with renewal {command} --sheet {first}",
    "intake.holds_none.empty": "is empty",
    "intake.holds_none.header_only": "has the header on row {row} and no merchant rows below it",
    "intake.sheet_copy": "{path}: sheet {copy} starts with the merchant rows of sheet {sheet} (most likely a copy made with Excel's Move or Copy), but is not the same (row {row} differs): which one holds the rows meant cannot be told; check one with renewal {command} --sheet {sheet}, or delete or rename the copy",
    "sheet.violations": "violations sheet (违规记录)",
    "sheet.qualifications": "qualifications sheet (资质)",
    "intake.no_such_sheet": "{path}: no sheet is named {sheet} (the sheets are {sheets})",
    "intake.sheet_of_text": "{path} is a text file (CSV) and has no sheets to pick with --sheet {sheet}: leave --sheet out",
    "intake.continued_columns": "{path}: sheet {sheet} continues sheet {first}, but its header at row {row} has other columns ({names} on one of them only): give the two sheets the same columns, or check one of them with renewal {command} --sheet",
    "intake.no_header_file": "{path}: no header row naming {names} in the first {rows} rows of the file",
    "intake.missing_column": "{path}: sheet {sheet}: row {row}: missing required column {names}",
    "intake.duplicate_column": "{path}: sheet {sheet}: row {row}: columns {first_letter} ({first}) and {second_letter} ({second}) are both column {column}: which one to read cannot be told; delete or rename one of them",
    "intake.not_yuan": "{path}: sheet {sheet}: row {row}: column {letter} ({column}) gives its amounts in another currency than the yuan: amounts must be in yuan (or in 万元 or 千元, said in the header); convert them to yuan and check again",
    "intake.other_units": "{path}: sheet {sheet}: row {row} is another header, whose column {letter} ({column}) gives its amounts in another unit than {first} of the header at row {header} (most likely another export pasted below); the rows under it cannot be read in the units of row {header}: check the two exports separately, or give them the same units first",
    "intake.continued_units": "{path}: sheet {sheet} continues sheet {first}, but its header at row {row} gives {names} in another unit than sheet {first} does: give the two sheets the same units, or check one of them with renewal {command} --sheet",
    "intake.other_layout": "{path}: sheet {sheet}: row {row} is another header, with its columns in other places than the header at row {header} (most likely another export pasted below); the rows under it cannot be read by the columns of row {header}: check the two exports separately, or put their columns in the same order first",
    "intake.bad_text": "{path}: row {row}: not valid {encoding} text ({reason})",
    "intake.csv": "{path}: row {row}: cannot parse CSV ({reason})",
    "intake.csv_field": "{path}: row {row}: a cell is longer than {limit:,} characters; most likely a quote is left open",
    "intake.nul": "{path}: row {row} contains NUL bytes: not a text export (the file may be corrupt)",
    "intake.no_rows": "{path}: sheet {sheet}: row {row} is the header, but no merchant rows follow",
    "intake.too_big": "{path}: inflates to {inflated} MB, over the {limit} MB limit; refused as a possible zip bomb (raise it with --max-inflated-mb if the file is genuine)",
    "intake.bomb": "{path}: entry {entry} inflates {ratio}:1 to {inflated} MB; refused as a possible zip bomb",
    "intake.encrypted": "{path}: the workbook is password-protected; remove the password in Excel, save, and check again",
    "intake.html": "{path}: this is a web page (HTML) table, not an Excel workbook; open it in Excel, save it as .xlsx, and check again",
    "intake.xml_spreadsheet": "{path}: this is an Excel 2003 XML spreadsheet, which cannot be read; open it in Excel, save it as .xlsx, and check again",
    "intake.renewal_report": "{path}: this is a renewal report (JSON), not a merchant export; compare two runs with renewal diff OLD NEW, or give it to check as --baseline",
    "note.formulas": "Sheet {sheet} has {count:,} formula cells whose result the file does not keep ({cells}); they cannot be read: open the file in Excel, save it, and check again",
    "note.formulas.one": "Sheet {sheet} has {count:,} formula cell whose result the file does not keep ({cells}); it cannot be read: open the file in Excel, save it, and check again",
    "note.unknown_blocker": "Column {column} is a renewal blocker that {ruleset} does not have; ignored for this check",
    "note.errors_unseen": "This workbook is in the {format} format, where an Excel error value (#N/A, #DIV/0! …) cannot be told from a blank cell: a blank amount is read as ¥0 and a blank time as a step not done; check such cells in the file, or save it as .xlsx in Excel and check again",
    "note.hidden_sheet": "The merchants were read from sheet {sheet}, which is hidden (Excel does not show it); if another sheet was meant, unhide this one and delete or rename it",
    "note.continued": "Sheet {sheet} continues on {sheets}: read as one table, each row numbered as on its own sheet",
    "note.merged": "Sheet {sheet}, merged areas below the header: {count} ({cells}); each row of a merged area is read with the value in its top-left cell, as Excel shows it",
    "note.merged.one": "Sheet {sheet} has a merged area below the header ({cells}); each of its rows is read with the value in its top-left cell, as Excel shows it",
    "note.report_again": "{sheet} is a renewal report: its columns from column {column} on (Outcome … Source row) are an earlier check's results, not export data; this run's results replace them",
    "note.after_total": "Row {total} is a 合计 (totals) line, but rows {rows} below it ({count:,} in all) look like merchant rows: checked as usual",
    "note.after_total.one": "Row {total} is a 合计 (totals) line, but row {rows} below it looks like a merchant row: checked as usual",
    "note.after_total.continued": "Row {total} is a 合计 (totals) line, but rows {rows} after it ({count:,} in all) look like merchant rows: checked as usual",
    "note.after_total.continued.one": "Row {total} is a 合计 (totals) line, but row {rows} after it looks like a merchant row: checked as usual",
    "note.header_again": "The header appears again below it, at rows {rows} ({count:,} in all; most likely several exports pasted together): not merchants, skipped",
    "note.header_again.one": "The header appears again below it, at row {rows} (most likely several exports pasted together): not a merchant, skipped",
    "note.helper_rows": "Rows {rows} ({count:,} in all) hold something only in columns renewal does not read ({columns}), every column it reads blank: most likely a 序号 or notes column filled down past the data; not merchants, skipped",
    "note.helper_rows.one": "Row {rows} holds something only in columns renewal does not read ({columns}), every column it reads blank: most likely a 序号 or notes column filled down past the data; not a merchant, skipped",
    "note.helper_records": "Rows {rows} ({count:,} in all) hold something only in columns renewal does not read ({columns}), every column it reads blank: most likely a 序号 or notes column filled down past the records; no merchant's record, skipped",
    "note.helper_records.one": "Row {rows} holds something only in columns renewal does not read ({columns}), every column it reads blank: most likely a 序号 or notes column filled down past the records; no merchant's record, skipped",
    "note.multiline": "{count:,} CSV rows run over several lines of the file (a cell with a line break): rows {rows}; each is read as one row, as Excel reads it, and rows are numbered as Excel numbers them",
    "note.multiline.one": "A CSV row runs over several lines of the file (a cell with a line break): row {rows}; it is read as one row, as Excel reads it, and rows are numbered as Excel numbers them",
    "note.open_quote": "CSV rows {rows} ({count:,} in all) most likely have a quote left open: their number of fields is not the header's {width}, or a line break in a cell is followed by a whole row of data; the lines after them were merged into those rows, not checked on their own: look at their quotes in a text editor",
    "note.open_quote.one": "CSV row {rows} most likely has a quote left open: its number of fields is not the header's {width}, or a line break in a cell is followed by a whole row of data; the lines after it were merged into that row, not checked on their own: look at its quotes in a text editor",
    "note.cut_short": "The last line of {file} (row {row}) has no line end and only {found} of the header's {expected} fields: the file was most likely cut short (a transfer cut off, or an export not yet finished), and merchants after it may be missing; the row is checked as read, its missing cells as blank",
    "note.text_named_workbook": "The file is named {suffix} but holds text (comma-, tab- or semicolon-separated values), not a workbook: read as text",
    "note.workbook_named_text": "The file is named {suffix} but is an Excel workbook: read as a workbook",
    "note.workbook_named_other": "The file is named {suffix} but is an {kind} workbook: read as {kind}",
    "note.violations_by_header": "No sheet is named {name}; sheet {sheets} has the violations header (商家ID, 处罚日期, 违规类型, 扣分): read as the violations",
    "note.qualifications_by_header": "No sheet is named {name}; sheet {sheets} has the qualifications header (商家ID, 资质类型, 到期日期): read as the qualifications",
    "note.violations_unread": "Sheets {sheets} also have the violations header but were not read: the violations were read from {sheet}; move any penalty to check into {sheet}",
    "note.violations_unread.one": "Sheet {sheets} also has the violations header but was not read: the violations were read from {sheet}; move any penalty to check into {sheet}",
    "note.qualifications_unread": "Sheets {sheets} also have the qualifications header but were not read: the qualifications were read from {sheet}; move any document to check into {sheet}",
    "note.qualifications_unread.one": "Sheet {sheets} also has the qualifications header but was not read: the qualifications were read from {sheet}; move any document to check into {sheet}",
    "note.merchants_unread": "Sheets {sheets} also have the merchant header but were not read: the merchants were read from {sheet}; their merchants are not in this report (move them into {sheet}, or check a sheet with --sheet)",
    "note.merchants_unread.one": "Sheet {sheets} also has the merchant header but was not read: the merchants were read from {sheet}; its merchants are not in this report (move them into {sheet}, or check that sheet with --sheet)",
    "note.report_alone": "{sheet} is a renewal report holding the merchant rows alone, without the export's 违规记录 and 资质 sheets: the transfer test and the qualification checks see only its columns, and may judge otherwise than on the export; check the export, or the xlsx report, which carries those sheets",
    "note.sheet_copy": "Sheet {copy} holds the merchant rows of sheet {sheet} (most likely a copy left by Excel's Move or Copy), not their continuation: not read",
    "note.scaled_columns": "Sheet {sheet}, columns {letters} ({columns}): their headers give the unit of their amounts: each figure was multiplied by {factor:,} into yuan; a value that names its own unit (5万, 50,000元, ¥50,000) is read in that unit",
    "note.scaled_columns.one": "Sheet {sheet}, column {letters} ({columns}): its header gives the unit of its amounts: each figure was multiplied by {factor:,} into yuan; a value that names its own unit (5万, 50,000元, ¥50,000) is read in that unit",
    "note.appeals_unread": "The export has no 处罚申诉中 (appeal pending) column, and sheet {sheet} no 申诉状态 (appeal status) column: whether a penalty is under appeal cannot be known, and the transfer test (TB01) did not check appeals",
    "ruleset.nearest": "No bundled rule set covers {as_of}; using the nearest, {id} ({name}, whose cycle runs until the old contracts end at {ends}): its rules may differ from that year's, and its deadline ({deadline}) and the time left are that cycle's, not that year's; give --rules to use another rule file",
    "ruleset.passed_over": "--rules {ref} is the bundled rule set {id}, not the file {ref} in this directory; to use the file, write --rules {path}",
    "waiver.applied": "waived: {reason} (approved by {approver}, {valid})",
    "waiver.applied_ticket": "waived: {reason} (approved by {approver}, ticket {ticket}, {valid})",
    "waiver.expired": "waiver {lapsed} ({reason}, approved by {approver}); no longer applies",
    "waiver.valid.day": "valid through {expires}",
    "waiver.valid.moment": "valid until {expires}",
    "waiver.lapsed.day": "expired at the end of {expires}",
    "waiver.lapsed.moment": "expired at {expires}",
    "waiver.note.summary": "waivers: {applied} applied; {expired} expired, {expiring} ending within 7 days, {unused} unused, {not_in_export}",
    "waiver.note.summary.not_in_export": "{count:,} for merchants not in the export",
    "waiver.note.summary.not_in_export.one": "{count:,} for a merchant not in the export",
    "waiver.note.expiring": "waiver ending soon: {file} {where} (merchant {merchant_id}, {rule}) {valid}",
    "waiver.note.expired": "waiver expired: {file} {where} (merchant {merchant_id}, {rule}) {lapsed}; no longer applies",
    "waiver.note.unused": "waiver unused: {file} {where} (merchant {merchant_id}, {rule}) matched no failing or warning finding",
    "waiver.note.not_in_export": "waiver for a merchant not in the export: {file} {where} (merchant {merchant_id}, {rule}); no row has this merchant id: check it for a typo",
    "waiver.at.row": "row {row}",
    "waiver.at.sheet_row": "sheet {sheet} row {row}",
    "waiver.at.entry": "[[waiver]] #{row}",
    "waiver.at.file": "the file",
    "waiver.at.sheet": "sheet {sheet}",
    "waiver.is_dir": "{path}: a directory, not a waiver list",
    "waiver.no_header": "{path}: {where}: no header row naming 商家ID/merchant_id and 规则/rule in the first {rows} rows",
    "waiver.missing_column": "{path}: {where}: missing required column {names}",
    "waiver.duplicate_column": "{path}: {where}: column {column} appears twice",
    "waiver.blank": "{path}: {where}: {column} is blank; every waiver needs a merchant id, rule, reason, approver and expiry",
    "waiver.unreadable": "{path}: {where}: cannot read {column} value {raw!r}: {reason}",
    "waiver.unknown_rule": "{path}: {where}: no rule {rule!r}; rules that can be waived: {known}",
    "waiver.not_waivable": "{path}: {where}: {rule} cannot be waived (a {role} rule decides whether a merchant must renew or may move to Taobao, not a renewal step)",
    "waiver.not_waivable_load": "{path}: {where}: {rule} is a data problem and cannot be waived; fix the export",
    "waiver.not_in_ruleset": "{path}: {where}: rule set {ruleset} has no rule {rule}, so this waiver could never apply; rules of {ruleset} that can be waived: {known}",
    "waiver.duplicate": "{path}: {where}: merchant {merchant_id} already has a {rule} waiver at {first_where}; one waiver per merchant and rule",
    "waiver.toml": "{path}: not valid TOML ({reason})",
    "waiver.toml_key": "{path}: unknown table {name}; write waivers as [[waiver]]",
    "waiver.toml_shape": "{path}: {name} must be an array of tables ([[waiver]])",
    "waiver.unknown_key": "{path}: {where}: unknown key {name}",
    "template.exists": "{path}: the file exists and was left as it is (add --force to write over it)",
    "template.suffix": "{path}: a template must be an .xlsx file",
    "template.is_dir": "{path}: is a directory, not a file to write the template to",
    "template.no_dir": "{path}: the directory does not exist",
    "template.written": "wrote the template {path} (rule set {ruleset}). Fill in the 商家 sheet, then: renewal check {path} --rules {ruleset} --lang en",
    "LD01.missing": "{column} (merchant id) is blank: the row cannot be evaluated",
    "LD01.unreadable": "Cannot read {column} (merchant id) {raw!r}: {reason}",
    "LD02.missing": "{column} (contract signed at) is blank: cannot tell whether the merchant must renew",
    "LD02.unreadable": "Cannot read {column} (contract signed at) {raw!r}: {reason}",
    "LD03": "Merchant id {merchant_id} appears on rows {rows}: cannot tell which row is right",
    "LD03.many": "Merchant id {merchant_id} appears on {count:,} rows ({rows}): cannot tell which row is right",
    "LD03.sheets": "Merchant id {merchant_id} appears on {rows}: cannot tell which row is right",
    "LD03.sheets.many": "Merchant id {merchant_id} appears on {count:,} rows ({rows}): cannot tell which row is right",
    "LD03.place": "sheet {sheet} row {row}",
    "LD04": "Cannot read {column} value {raw!r}: {reason}",
    "LD04.sheet": "Sheet {sheet} row {row}: cannot read {column} value {raw!r}: {reason}",
    "LD05": "Merchant id {merchant_id} on sheet {sheet} row {row} is not in the merchants sheet",
    # self-check: one merchant's checklist (renewal self-check)
    "sc.title": "Renewal checklist: merchant {merchant}{shop}",
    "sc.blank_id": "row {row} (blank merchant id)",
    "sc.ruleset": "Rules: {name} ({id})  as of {as_of} (Beijing time)",
    "sc.outcome": "Verdict: {outcome}",
    "sc.outcome.answers_error": "cannot tell yet",
    "sc.outstanding": "; {count} still to do",
    "sc.outstanding_missed": "; {count} not done in time",
    "sc.outstanding_final": "; {count} failed for good (cannot be made good in this renewal), so the store cannot renew",
    "sc.opens": "Renewal opens: {opens} (in {until}); {steps} done before then do not count",
    "sc.opens.one": "Renewal opens: {opens} (in {until}); {steps} done before then does not count",
    "sc.deadline": "Deadline: {deadline}, {left}",
    "sc.deadline_only": "Deadline: {deadline}",
    "sc.steps": "Renewal steps:",
    "sc.state.done": "done",
    "sc.state.missing": "missing",
    "sc.state.late": "late",
    "sc.state.blocked": "blocked",
    "sc.state.na": "not applicable",
    "sc.state.error": "cannot tell",
    "sc.state.warn": "warning",
    "sc.state.final": "cannot be made good",
    "sc.owed": "Still to pay: {amount}",
    "sc.owed_unknown": "Still to pay: amount unknown",
    "sc.at_least": "at least {amount}",
    "sc.unpaid": "Unpaid at the deadline: {amount}",
    "sc.where": "Where: {where}",
    "sc.fix": "What to do: {fix}",
    "sc.late_note": "Done after the deadline: does not count for this renewal",
    "sc.blockers": "What stops a renewal (any one of these, and the merchant cannot renew):",
    "sc.blocker.on": "yes",
    "sc.blocker.off": "no",
    "sc.blocker.unchecked": "not checked",
    "sc.total": "Total still to pay: {total} ({parts})",
    "sc.total.deposit": "deposit {amount}",
    "sc.total.fee": "annual fee {amount}",
    "sc.total.none": "Total still to pay: nothing",
    "sc.total.missed": "Total unpaid at the deadline: {total} ({parts})",
    "sc.total.unknown": "Total still to pay: some amounts are unknown, see the steps above",
    "sc.total.partly": "Still to pay: {parts}, and the {unknown} amount is unknown, see the steps above",
    "sc.total.partly_missed": "Unpaid at the deadline: {parts}, and the {unknown} amount is unknown, see the steps above",
    "sc.total.unknown.deposit": "deposit",
    "sc.total.unknown.fee": "annual fee",
    "sc.next": "Next: {action}",
    "sc.missed.if": "If anything is still missing at the deadline:",
    "sc.missed.did": "Not everything was done by the deadline, so:",
    "sc.missed.final": "This renewal can no longer be completed, so after the deadline:",
    "sc.missed.ends": "{agreement} ends at {at}, and the store cannot use Tmall in the {year} contract year",
    "sc.missed.ended": "{agreement} ended at {at}, and the store cannot use Tmall in the {year} contract year",
    "sc.missed.supervision": "the store goes under supervision (监管: {means}) at the same time",
    "sc.missed.supervision_plain": "the store goes under supervision (监管) at the same time",
    "sc.missed.exit": "Tmall assists its exit from {exit_from}",
    "sc.missed.contract": "the Tmall contract",
    "sc.midnight": "the end of {day}",
    "sc.transfer": "Taobao enterprise store (淘宝企业店铺, the fallback when the renewal is not completed):",
    "sc.transfer.open": "open",
    "sc.transfer.open_until": "eligible; apply by {closes}",
    "sc.transfer.closed": "not eligible",
    "sc.transfer.unknown": "cannot tell",
    "sc.transfer.if": "if the renewal is not completed",
    "sc.transfer.after": "after the deadline",
    "sc.transfer.na": "not needed: {why}",
    "sc.transfer.absent": "this year's rules have no conditions for moving to a Taobao enterprise store",
    "sc.renewed": "Every renewal step was done inside the window; the contract runs to {until}",
    "sc.error": "This row's data has a problem, so it cannot be judged:",
    "sc.error_answers": "From your answers, these cannot be judged:",
    "sc.other": "Other notes:",
    "sc.other.item": "[{state}] {rule} {message}",
    "sc.other.item.answers": "[{state}] {message}",
    "sc.unknown_id": "{path}: no merchant id {ids}; the file has: {known}",
    "sc.waivers_need_file": "--waivers needs a merchant export; the questions in the terminal have nothing to waive",
    "sc.sheet_need_file": "--sheet needs a merchant export (a workbook); the questions in the terminal have no sheets to pick from: leave --sheet out, or give the export",
    "sc.several": "{path}: the file has {count} merchants{repeated}; name one with --merchant (repeatable), or use --all for every checklist. Merchant ids: {known}",
    "sc.repeated_ids": " ({rows} rows; merchant ids on more than one row: {ids})",
    "sc.repeated_ids.one": " ({rows} rows; a merchant id on more than one row: {ids})",
    "sc.repeated_id": "{id} ({n} rows)",
    "sc.more_ids": "... {count} in all",
    "ask.intro": "Answer a few questions for a renewal checklist ({name}, deadline {deadline}). Press Enter for the default in brackets; Ctrl-C to quit.",
    "ask.store_type": "Store type, by name or number — {choices}",
    "ask.trademark": "Trademark status (R registered / TM applied for; TM if any brand is TM)",
    "ask.category": "Main category (主营类目, in Chinese as 商家中心 names it, or \"other\" for an ordinary one; several separated by commas)",
    "ask.category_optional": "Main category (主营类目, in Chinese as 商家中心 names it, or \"other\" for an ordinary one; several separated by commas; may be blank)",
    "ask.category_unlisted": 'no category this rule set lists matches {categories!r}: answer in Chinese as 商家中心 names it (e.g. {examples}), or "other" for a store in an ordinary category not among them',
    "ask.contract": "Contract signing time (e.g. {example})",
    "ask.exempt": "The contract was signed after {cutoff}: not in this renewal.",
    "ask.blocker": "Does this apply to the store now: {label}?",
    "ask.step_done": 'Is "{label}" done?',
    "ask.step_at": 'When was "{label}" done (e.g. {example})',
    "ask.deposit_required": "Required deposit (CNY; the rule table has no amount for this store type, trademark and category; press Enter if you do not know)",
    "ask.deposit_balance": "Current deposit balance (CNY)",
    "ask.deposit_topped_up": "When was the deposit last topped up (Enter if never)",
    "ask.deposit_late": "That top-up ({at}) came after the deadline and does not count for this renewal; the balance at the deadline decides this step.",
    "ask.deposit_at_deadline": "Deposit balance at the deadline ({deadline}) (CNY)",
    "ask.insurance": "Does a performance-bond insurance (保证金履约险) stand in for the cash deposit?",
    "ask.insurance_at": "When was the insurance renewed for this renewal (the renewal before the agreement was signed, not a later one; e.g. {example}; Enter if not yet)",
    "ask.insurance_none": "The insurance is not renewed yet: the cash balance decides the deposit.",
    "ask.insurance_uncounted": "The insurance renewal at {at} does not count for this renewal (the checklist says why): the cash balance decides the deposit.",
    "ask.review": "This renewal's \"{label}\" covers this category: an expired qualification fails it.",
    "ask.review_kind": "The qualification that expires first (资质, e.g. 营业执照; Enter if none expires)",
    "ask.review_expires": "When does \"{kind}\" expire (e.g. {example})",
    "ask.fee_required": "Required {year} annual fee (CNY; the fee table does not list this category; press Enter if you do not know)",
    "ask.fee_paid": "{year} annual fee paid (CNY, 0 if none)",
    "ask.fee_paid_at": "When was the annual fee paid (e.g. {example})",
    "ask.service_opened": "When did the store's service open (e.g. 2016-05-01)",
    "ask.assessment": "Did the store fail the operating assessment?",
    "ask.daily_assessment": "Is the store failing the {label} on the {where} now?",
    "ask.transfer": "These tell whether the store may move to a Taobao enterprise store if it does not renew:",
    "ask.serious": "Serious-violation points {period}",
    "ask.general": "General-violation points {period}",
    "ask.appeal": "Is a penalty appeal pending?",
    "ask.yes_no": "y/n",
    "ask.not_yes_no": "not a yes/no answer (expected y or n)",
    "ask.again": "Not understood: {reason}. Please try again",
    "ask.required": "an answer is needed",
    "ask.future": "that is after the evaluation time {as_of}, so it had not happened yet",
    "ask.choice": "type one of the choices or its number",
    "ask.eof": "input ended before the questions were answered; no checklist",
    "ask.adrift": "An answer read from a pipe or a file was refused twice running ({reason}): the answers after it are most likely out of step with the questions, so no checklist was made; correct the answers file, or answer at a terminal",
    "ask.merchant_id": "self-check",
    "ask.unreadable": "this answer cannot be read",
    "ask.day_only": "Only the day {day} was given, which cannot tell whether it counts: {why}, so the time that day decides.",
    "ask.time_of_day": "{what}: what time on {day} (e.g. 14:30, 2:30 PM)",
    "ask.time_again": "not a time of day (e.g. 14:30, 2:30 PM)",
    "ask.why_opens": "the renewal opened at {at}",
    "ask.why_closes": "the deadline is {at}",
    "ask.why_as_of": "the evaluation time is {at}, and what was done after it does not count yet",
    "ask.why_cutoff": "only contracts signed at or before {at} are in this renewal",
    "ask.why_opened": "only stores whose service opened before {at} are assessed",
    "ask.why_earlier": "a renewal before {at} is an earlier year's",
    "ask.why_signed": "the agreement was signed at {at}, and the insurance counts only if renewed before the signing",
    "ask.why_insured": "the insurance was renewed at {at}, which counts only if that was before the signing",
    "ask.answers": "the self-check answers",
    # the questions when the as-of is not now: about that moment (ex22 §3)
    "ask.as_of": "The evaluation time is {as_of}: answer the amounts and the yes/no questions as they stood then.",
    "ask.blocker_as_of": "Did this apply to the store at the evaluation time {as_of}: {label}?",
    "ask.step_done_as_of": 'Was "{label}" done by the evaluation time {as_of}?',
    "ask.deposit_balance_as_of": "Deposit balance at the evaluation time {as_of} (CNY)",
    "ask.deposit_topped_up_as_of": "When was the deposit last topped up by the evaluation time {as_of} (Enter if never)",
    "ask.fee_paid_as_of": "{year} annual fee paid by the evaluation time {as_of} (CNY, 0 if none)",
    "ask.daily_assessment_as_of": "Was the store failing the {label} on the {where} at the evaluation time {as_of}?",
    "ask.serious_as_of": "Serious-violation points {period} up to the evaluation time {as_of}",
    "ask.general_as_of": "General-violation points {period} up to the evaluation time {as_of}",
    "ask.appeal_as_of": "Was a penalty appeal pending at the evaluation time {as_of}?",
    # an answer understood but refused (needed, or after the as-of): not "Not understood"
    "ask.again_refused": "Please try again: {reason}",
    "ask.undecodable": "the answer has characters that cannot be read; check the file's encoding (it should be UTF-8)",
    "ask.undecodable_typed": "the answer has characters that cannot be read; check the terminal's character encoding (it should be UTF-8)",
    "rm.merchant_id": "Merchant id",
    "rm.shop_name": "Shop name",
    "rm.contact": "Contact",
    "rm.phone": "Phone",
    "rm.email": "Email",
    "rm.missing": "Still to do",
    "rm.amount": "Amount due in CNY",
    "rm.amount_unknown": "Amount unknown for",
    "rm.part.deposit": "deposit",
    "rm.part.fee": "annual fee",
    "rm.sheet": "Reminders",
    "rm.deadline": "Deadline",
    "rm.left": "Time left",
    "rm.source_sheet": "Source sheet",
    "rm.row": "Source row",
    "rm.data_error": "Data error",
    "rm.title.flawed": ", {count} of them with a data error, listing only what is certainly outstanding (see Data error)",
    "rm.about": "About",
    "rm.blocked": "{label} (blocked by: {blocker})",
    "rm.blocker": "First clear: {label}",
    "rm.unknown": "unknown",
    "rm.title": "{name} ({id}) deadline {deadline}, as of {as_of}: {count} merchants with something outstanding and the deadline within {within}",
    "rm.errors": "{count} more rows have data errors and are not in the reminders (see renewal check)",
    "rm.title.one": "{name} ({id}) deadline {deadline}, as of {as_of}: {count} merchant with something outstanding and the deadline within {within}",
    "rm.errors.one": "{count} more row has a data error and is not in the reminders (see renewal check)",
    "rm.more": "{count:,} more merchants to remind, not listed; use --limit 0 to list all, or -o reminders.csv, -o reminders.xlsx for the full list",
    "rm.more.one": "1 more merchant to remind, not listed; use --limit 0 to list all, or -o reminders.csv, -o reminders.xlsx for the full list",
    "rm.final": "{count} more merchants cannot complete this renewal (a step can no longer be made good) and are not in the reminders (see renewal check)",
    "rm.final.one": "{count} more merchant cannot complete this renewal (a step can no longer be made good) and is not in the reminders (see renewal check)",
    "rm.bad_within": "cannot read --within {value!r} (examples: 7d, 72h, 1d12h, 90m, or in Chinese 7天, 72小时, 1天12小时)",
    "next.fix_data": "Fix the data on row {row} and check again",
    "next.fix_data_sheet": "Fix the data on row {row} of sheet {sheet} and check again",
    "next.fix_answers": "Find out what could not be judged above and run the self-check again",
    "next.fix_data_and": "{fix}; {action}",
    "next.by": "{action}, by {deadline}",
    "next.when_open": "once renewal opens at {opens}: {action}, by {deadline}",
    "next.none": "",
    "next.transfer": "Renewal closed: {closure}; it may move to a Taobao enterprise store",
    "next.transfer.ended": "Renewal closed: {closure}; it may move to a Taobao enterprise store (no source gives the day this year's transfer entrance closes: check that it is still open before applying)",
    "next.exit": "Renewal closed: {closure}; exit is assisted from {exit_from}",
    "next.undecided": "Renewal closed: {closure}; transfer eligibility is undecided",
    "next.transfer_until": "Renewal closed: {closure}; it may apply to move to a Taobao enterprise store until {closes} (that day included)",
    "next.exit_closed": "Renewal closed: {closure}; exit is assisted from {exit_from}; the entrance for moving to a Taobao enterprise store was open until {closes} and has closed",
    "next.transferring": "Renewal closed: {closure}; it is already moving to a Taobao enterprise store",
    "next.closure": "the contract ends at {terminates} and the store goes under supervision",
    "next.closure.ended": "the contract ended at {terminates} and the store is under supervision",
    "next.final": "{said}. After the deadline ({deadline}): {then}",
    # time left (i18n.duration / time_left / time_left_phrase; the HTML page's script too)
    "left.d": "{n}d",
    "left.h": "{n}h",
    "left.m": "{n}m",
    "left.s": "{n}s",
    "left.join": " ",
    "left.left": "{left} left",
    "left.now": "due now",
    "left.passed": "deadline passed",
    "left.ago": "deadline passed ({ago} ago)",
    # outcomes, as the annotated reports label them
    "outcome.error": "error",
    "outcome.failed": "failed",
    "outcome.pending": "pending",
    "outcome.waived": "waived",
    "outcome.renewed": "renewed",
    "outcome.exempt": "exempt",
    # finding statuses and the annotated reports' own columns
    "status.pass": "pass",
    "status.fail": "fail",
    "status.warn": "warning",
    "status.skip": "not applicable",
    "status.error": "error",
    "status.waived": "waived",
    "listing.row": "Row",
    "listing.merchant_id": "Merchant id",
    "listing.shop": "Shop name",
    "listing.reason": "Reason",
    "xlsx.too_wide": "the export has {width} columns, leaving no room after them for the {appended} result columns (Excel allows {limit} columns a sheet); delete the unused columns at the end of the export, or use --format csv or json",
    "annotated.outcome": "Outcome",
    "annotated.problems": "Problems",
    "annotated.deposit_due": "Deposit due",
    "annotated.fee_due": "Annual fee due",
    "annotated.deadline": "Deadline",
    "annotated.time_left": "Time left",
    "annotated.transfer": "Taobao transfer",
    "annotated.next_action": "Next action",
    "annotated.source_sheet": "Source sheet",
    "annotated.source_row": "Source row",
    "annotated.yes": "yes",
    "annotated.no": "no",
    "annotated.source": "{sheet} row {row}, {column}",
    "annotated.source_row_only": "{sheet} row {row}",
    "annotated.due_soon": "{left} (due soon)",
    "summary.due_soon": "{count:,} pending merchants have less than {within} left (--due-soon)",
    "summary.due_soon.one": "{count:,} pending merchant has less than {within} left (--due-soon)",
    "evidence.serious": "serious violation points {value}",
    "evidence.serious_below": "serious violation points below {value}",
    "evidence.general": "general violation points {value}",
    "evidence.general_below": "general violation points below {value}",
    "evidence.appeal_pending": "penalty appeal pending: {value}",
    "evidence.other": "{key}: {value}",
    "evidence.join": "; ",
    "junit.none": "(none)",
    "junit.blank_id": "(blank id)",
    "junit.expected": "expected: {value}",
    "junit.actual": "actual: {value}",
    "junit.source": "source: sheet {sheet}, row {row}, column {column}",
    "junit.source_row": "source: sheet {sheet}, row {row}",
    "junit.owed": "owed: {value}",
    "junit.remedy": "remedy: {value}",
    "junit.waiver": "waiver: {reason} (approved by {approver}; {state})",
    "junit.waiver_ticket": "waiver: {reason} (approved by {approver}, ticket {ticket}; {state})",
    "junit.waived": "waived: {message}",
    "junit.due_soon": "due soon: {left}",
    "junit.deadline": "{soon} (deadline {deadline})",
    "junit.noted": "{message} ({note})",
    "junit.merchant": "merchant: {merchant} (sheet {sheet}, row {row})",
    # command-line usage errors (renewal/cli/usage_errors.py)
    "usage.hint": "Try '{command} {help}' for help.",
    "usage.no_such_option": "no such option: {option}",
    "usage.no_such_command": "no such command: {command}",
    "usage.did_you_mean": "{problem} (did you mean {matches}?)",
    "usage.missing_argument": "missing argument {argument}",
    "usage.missing_option": "missing option {option}",
    "usage.missing_command": "missing command",
    "usage.needs_value": "option {option} needs a value",
    "usage.needs_values": "option {option} needs {count} values",
    "usage.takes_no_value": "option {option} does not take a value",
    "usage.extra_arguments": "unexpected extra argument(s): {extra}",
    "usage.bad_choice": "{option} {value} is not one of: {choices}",
    "usage.bad_value": "invalid value {value} for {option}: {reason}",
    "usage.envvar": "the environment variable {name}",
    "usage.not_integer": "not a whole number",
    "usage.not_number": "not a number",
    "usage.at_least": "must be at least {limit}",
    "usage.more_than": "must be more than {limit}",
    "usage.at_most": "must be at most {limit}",
    "usage.less_than": "must be less than {limit}",
    "usage.other": "usage error: {detail}",
    "usage.aborted": "aborted",
    # why the system refused a file (OSError), in words: see os_reason
    "os.ENOENT": "no such file or directory",
    "os.EACCES": "permission denied",
    "os.EPERM": "operation not permitted",
    "os.ENOSPC": "no space left on the device",
    "os.EDQUOT": "disk quota exceeded",
    "os.EFBIG": "the file grew past the size allowed: ulimit -f or the file system's limit",
    "os.EIO": "input/output error: a failing disk or network storage",
    "os.EROFS": "read-only file system",
    "os.EISDIR": "is a directory",
    "os.ENOTDIR": "a part of the path is not a directory",
    # why a workbook cannot be opened, in words (renewal.intake.tables)
    "workbook.cut": "cut short or damaged, as by an unfinished download or copy; export it again",
    "workbook.zip_not_workbook": "a zip archive with no Excel workbook inside",
    "workbook.not_a_workbook": "its content is neither xlsx nor xls",
    "workbook.corrupt_zip": "the file is damaged: its compressed content does not inflate, or not to what the archive's directory declares, as after an incomplete download or copy; export it again",
    "workbook.corrupt_content": "the file is damaged: the workbook's content is incomplete or contradicts itself; open it in Excel and save it as .xlsx, or export it again",
    "workbook.damaged": "the file is damaged; the reading library says: \"{said}\"",
    "workbook.macro_sheet": "the file is not damaged, but it holds an Excel 4.0 macro sheet {sheets} (perhaps hidden), and a workbook with one cannot be read; delete that sheet in Excel, or save the workbook as .xlsx (which leaves macro sheets out), and check again",
    # why a line of a CSV is not text in its encoding (renewal.intake.tables)
    "text.bad_byte": "byte {byte} of the line cannot be decoded",
    "text.cut": "the file ends in the middle of a character; it may be cut short",
    "text.surrogate": "an unpaired UTF-16 surrogate",
}

assert _ZH.keys() == _EN.keys(), set(_ZH) ^ set(_EN)


# --- English casing and blank values, said the same way in every message ------------------

_NAMES = frozenset({"Tmall", "Taobao", "Alipay", "Excel", "Beijing"})
"""Capitalised words that stay capitalised inside a sentence."""
_FIRST_WORD = re.compile(r"[A-Za-z]+")


def sentence(text: str, lang: str) -> str:
    """A message as a sentence of its own (a cell, a line): in English its first letter
    upper case, whatever message or label it starts with (BL01's label `failing the
    merchant assessment`); Chinese has no case."""
    if lang == "en" and "a" <= text[:1] <= "z":
        return text[0].upper() + text[1:]
    return text


def clause(text: str, lang: str) -> str:
    """A message joined into another sentence after its first clause: in English its first
    letter lower case (`…; deposit balance ¥0 …`), unless its first word is a name (Tmall)
    or a code (DL02, TM)."""
    if lang != "en" or not ("A" <= text[:1] <= "Z" and "a" <= text[1:2] <= "z"):
        return text
    word = _FIRST_WORD.match(text)
    if word is not None and word.group() in _NAMES:
        return text
    return text[0].lower() + text[1:]


def clauses(parts: Iterable[str], lang: str) -> str:
    """Messages joined into one sentence as the language joins clauses (；/; ): the first a
    sentence, the others clauses. Every join of whole messages goes through here."""
    said = list(parts)
    if not said:
        return ""
    joint = "; " if lang == "en" else "；"
    return joint.join([sentence(said[0], lang), *(clause(part, lang) for part in said[1:])])


class _Clauses(str):
    """An English template that only joins messages (`{insurance}; {cash}`): filled, it is
    said by `clauses`, so a message after the first reads as a clause of the sentence."""

    def format(self, *args: object, **values: object) -> str:
        return clauses([str.format(part, *args, **values) for part in self.split("; ")], "en")


class _Sentence(str):
    """An English message that starts with a rule's label, which is written for the middle
    of a sentence (`{label}: cannot renew until this is cleared`): filled, it starts with a
    capital letter."""

    def format(self, *args: object, **values: object) -> str:
        return sentence(str.format(self, *args, **values), "en")


class _BlankAware(str):
    """A message quoting cells that may be blank (店铺类型「{store_type}」): with a blank one,
    its `KEY.if_blank` form is said instead, naming what is blank (`blank.NAME`: 商标状态也为
    空 / and so is 商标状态 (trademark)) beside what is not (`blank.given`), never as empty
    quotes (「」, '')."""

    form: str
    names: dict[str, str]
    said: dict[str, str]
    lang: str

    def format(self, *args: object, **values: object) -> str:
        shown = {key: str(values.get(key) or "").strip() for key in self.names}
        blank = [self.names[key] for key, value in shown.items() if not value]
        if not blank:
            return str.format(self, *args, **values)
        given = [
            self.said["quoted"].format(name=self.names[key], value=value)
            for key, value in shown.items()
            if value
        ]
        beside = self.said["given"].format(given=listed(given, self.lang)) if given else ""
        return self.form.format(*args, blank=listed(blank, self.lang), given=beside, **values)


def _phrased(texts: dict[str, str], lang: str) -> None:
    """Give the templates above their way of being filled, by their shape: one with a
    `.if_blank` form is `_BlankAware`; in English, one that only joins messages is `_Clauses`,
    and a message starting with a label is a `_Sentence`. Others stay plain `str.format`:
    a path, a column or a cell's value is never recased."""
    for key, template in list(texts.items()):
        form = texts.get(f"{key}.if_blank")
        if form is not None:
            fields = [field for _, field, _, _ in string.Formatter().parse(template) if field]
            phrased = _BlankAware(template)
            phrased.form, phrased.lang = form, lang
            phrased.names = {f: texts[f"blank.{f}"] for f in fields if f"blank.{f}" in texts}
            phrased.said = {"quoted": texts["blank.quoted"], "given": texts["blank.given"]}
            texts[key] = phrased
        elif lang == "en" and _JOINED.fullmatch(template):
            texts[key] = _Clauses(template)
        elif lang == "en" and template.startswith("{label}"):
            texts[key] = _Sentence(template)


_JOINED = re.compile(r"\{\w+\}(?:; \{\w+\})+")
_phrased(_ZH, "zh")
_phrased(_EN, "en")

ANSWERS_FORM = ".answers"
"""`KEY.answers` is how KEY is said to a merchant who answered the self-check's questions
(renewal/interview.py), where KEY's own words are a file's: there is no export, column or
cell to name, and a rule code means nothing to a shop owner (ex22 §7)."""


def _for_answers(texts: dict[str, str]) -> dict[str, str]:
    """`texts` with each `KEY.answers` form in KEY's place, so a check says KEY as it
    always does and a run of the answers reads it in their words."""
    cut = len(ANSWERS_FORM)
    return {**texts, **{k[:-cut]: v for k, v in texts.items() if k.endswith(ANSWERS_FORM)}}


_ZH_ANSWERS = _for_answers(_ZH)
_EN_ANSWERS = _for_answers(_EN)


def catalog(lang: str, answers: bool = False) -> dict[str, str]:
    """The messages in `lang`; with `answers`, as the self-check's answers say them (see
    ANSWERS_FORM): only a run of the interview's answers asks for them, so `check` and
    `self-check FILE` keep a file's words."""
    if answers:
        return _EN_ANSWERS if lang == "en" else _ZH_ANSWERS
    return _EN if lang == "en" else _ZH


_OS_ERRORS = (
    "ENOENT", "EACCES", "EPERM", "ENOSPC", "EDQUOT", "EROFS", "EISDIR", "ENOTDIR", "EFBIG", "EIO"
)
"""The system's refusals said in words (`os.NAME`); any other is said as the system does."""


def os_reason(reason: object, lang: str) -> str:
    """Why the system refused a file, in the reader's language: an OSError, or its
    strerror as a message carries it (No such file or directory). The common cases in
    words; a rare one as the system said it (C's English: the words a search finds)."""
    import errno
    import os

    code = reason.errno if isinstance(reason, OSError) else None
    text = str(reason.strerror or reason) if isinstance(reason, OSError) else str(reason)
    for name in _OS_ERRORS:
        number = getattr(errno, name, None)
        if number is not None and (code == number or text == os.strerror(number)):
            return catalog(lang)[f"os.{name}"]
    return text


def listed(items: list[str], lang: str) -> str:
    """Names in a sentence, as each language lists them: 商家ID、规则 / 商家ID, 规则. A last
    item "…" says the list goes on: A4、A5 … / A4, A5 …"""
    more = bool(items) and items[-1] == "…"
    shown = ("、" if lang == "zh" else ", ").join(items[:-1] if more else items)
    return f"{shown} …" if more else shown


NAMED_AT_MOST = 10
"""A message names at most this many rows or cells, then says the list goes on."""


def first_named(items: list[str], total: int | None = None) -> list[str]:
    """The first NAMED_AT_MOST of `items`, ending in "…" (see `listed`) when there are more:
    more items than that, or a `total` beyond the items kept."""
    shown = items[:NAMED_AT_MOST]
    more = (len(items) if total is None else total) > len(shown)
    return [*shown, "…"] if more else shown


def formatted(key: str, values: Mapping[str, object], lang: str) -> str:
    """The message `key` with its values; a list value (columns, cells) is listed as the
    language lists things. A message with a `KEY.one` form says it when `count` is 1
    (1 formula cell, not 1 formula cells)."""
    texts = catalog(lang)
    return filled(texts[counted_key(texts, key, values.get("count"))], values, lang)


def counted_key(texts: Mapping[str, str], key: str, count: object) -> str:
    """`key`, or its `KEY.one` form in `texts` when `count` is 1 and it has one: for this
    catalogue and for a renderer's own table of sentences alike."""
    return f"{key}.one" if count == 1 and f"{key}.one" in texts else key


def filled(template: str, values: Mapping[str, object], lang: str) -> str:
    """`template` with its values, a list value listed as the language lists things: for
    a message from any catalogue."""
    shown = {name: listed(v, lang) if isinstance(v, list) else v for name, v in values.items()}
    return template.format(**shown)


def outcome_label(outcome: str, lang: str) -> str:
    """A merchant outcome as every view names it (an unknown one by its own name)."""
    return catalog(lang).get(f"outcome.{outcome}", outcome)


def status_label(status: str, lang: str) -> str:
    """A finding's status as every view names it (an unknown one by its own name)."""
    return catalog(lang).get(f"status.{status}", status)


_LISTING_KEYS = {
    "row": "listing.row",
    "merchant_id": "listing.merchant_id",
    "shop": "listing.shop",
    "reason": "listing.reason",
    "deposit": "annotated.deposit_due",
    "fee": "annotated.fee_due",
    "transfer": "annotated.transfer",
    "next": "annotated.next_action",
    "left": "annotated.time_left",
}


def listing_labels(lang: str) -> dict[str, str]:
    """The columns that every list of merchants names alike: the terminal table, the HTML
    page and the workbook (whose appended columns these are)."""
    found = catalog(lang)
    return {name: found[key] for name, key in _LISTING_KEYS.items()}


def moment(value: datetime) -> str:
    """A Beijing time to the minute, to the second when the seconds are not zero, and
    with its fraction of a second when that is not zero (read from text, a time keeps it,
    and the checks compare it), so a time after 18:00 never reads as 18:00:00."""
    local = value if value.tzinfo is BEIJING else to_beijing(value)
    # the day and the clock apart: isoformat of the aware moment would also work out its
    # offset, only to be cut off (measured: 0.44 against 0.76 us; strftime is slower still)
    clock = local.time().isoformat()
    if local.microsecond:  # 18:00:00.5: a time a fraction after the deadline shows it
        return f"{local.date().isoformat()} {clock.rstrip('0')}"
    return f"{local.date().isoformat()} {clock[:8] if local.second else clock[:5]}"


def day(value: date) -> str:
    return value.isoformat()


def money(value: float) -> str:
    """50000 -> '50,000'; 50000.5 -> '50,000.50'."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}"


def yuan(value: float) -> str:
    """An amount as every message and view says it, the one place the currency sign is
    put: ¥50,000, ¥50,000.50, and a negative amount (a deposit balance below zero is
    allowed) -¥5, the minus before the sign, never ¥-5. Rounded to the fen first, so a
    rounding remnant is ¥0, not -¥0."""
    cents = round(value, 2)
    if cents < 0:
        return f"-¥{money(-cents)}"
    return f"¥{money(abs(cents))}"


def points(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


@lru_cache(maxsize=1024)
def duration(seconds: int, lang: str) -> str:
    """A span of time as every output writes it: 2天23小时 / 2d 23h.

    The single source of the wording and the rounding of a time left (or of a time since
    the deadline, or of a --due-soon / --within period), in every Python output; the HTML
    page's script (render/assets/report.js, `span`) mirrors it, and a test holds the two
    equal. Days with hours, hours with minutes, minutes alone under an hour, seconds alone
    under a minute; a lower part that is zero is left out (3天, not 3天0小时).

    Rounding: always truncated, never rounded up. Each part is the whole number of its
    unit, so what is shown is the span rounded down to the smallest unit shown: it never
    claims more time than there is (2d 23h 59m 30s reads 2d 23h; 30 s reads 30s, not 1m).
    A negative span counts as none (0s).
    """
    texts = catalog(lang)
    days, rest = divmod(max(seconds, 0), 86400)
    hours, rest = divmod(rest, 3600)
    minutes, rest = divmod(rest, 60)
    if days:
        parts = [("d", days), ("h", hours)]
    elif hours:
        parts = [("h", hours), ("m", minutes)]
    elif minutes:
        parts = [("m", minutes)]
    else:
        parts = [("s", rest)]
    return texts["left.join"].join(
        texts[f"left.{unit}"].format(n=n) for index, (unit, n) in enumerate(parts) if n or not index
    )


@lru_cache(maxsize=1024)
def time_left(seconds: int | None, lang: str) -> str:
    """The time left before the deadline as a cell shows it (a report's 剩余时间 column,
    the reminders' list, the page): `duration` while there is time left; 现在截止 / due
    now at the deadline itself (0 s left: the merchant is still pending, and nothing is
    "due soon" any more, it is due); 已截止 / deadline passed after it; "" for none (a
    merchant that is not pending has no time left)."""
    if seconds is None:
        return ""
    if seconds > 0:
        return duration(seconds, lang)
    return catalog(lang)["left.now" if seconds == 0 else "left.passed"]


def time_left_phrase(seconds: int, lang: str) -> str:
    """The time left as a sentence says it: 还剩 2天3小时 / 2d 3h left; at the deadline
    现在截止 / due now; after it 已截止（已过 6小时） / deadline passed (6h ago).
    Negative seconds are the time since the deadline."""
    texts = catalog(lang)
    if seconds > 0:
        return texts["left.left"].format(left=duration(seconds, lang))
    if seconds == 0:
        return texts["left.now"]
    return texts["left.ago"].format(ago=duration(-seconds, lang))


def marked_due_soon(seconds: int | None, due_soon: bool) -> bool:
    """Whether an output adds its "due soon" mark (即将截止 / due soon) to the time left.

    Only while some time is left: at the deadline itself the time left already reads
    现在截止 / due now, and "(due soon)" beside it would contradict it. The JSON's
    `due_soon` is still true there (less than --due-soon is left, so --fail-on due-soon
    counts it), and the outputs still show it as urgent (red, a JUnit note)."""
    return due_soon and seconds is not None and seconds > 0
