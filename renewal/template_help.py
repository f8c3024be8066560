# ruff: noqa: E501  (a catalogue of sentences: one a line reads better than a wrapped one)
"""The words of `renewal template`: what each column holds and where to find it, in Chinese
and English, and the template's own texts (status lines, instructions, list messages).

Where in 商家中心 a renewal step is done comes from the rule file (`where`), not from here.
The places named below for other columns are the usual ones ("通常 / usually"): no
announcement names them, so they are worded as a hint, not as a rule.
"""

from __future__ import annotations

HELP: dict[str, dict[str, tuple[str, str]]] = {
    "merchant": {
        "merchant_id": (
            "店铺的天猫商家ID（卖家ID）。每个店铺一行，不可重复。本列为文本格式，长数字不会丢位。通常在千牛/商家中心的账号信息中查看。",
            "The store's Tmall merchant (seller) id. One row per store, no repeats. The column is text-formatted so long ids keep every digit. Usually shown in the account information of 千牛 / 商家中心.",
        ),
        "shop_name": (
            "店铺名称，只在报告中显示。",
            "The store's name; only shown in reports.",
        ),
        "store_type": (
            "店铺类型。与商标状态、主营类目一起决定应缴保证金（「保证金应缴」留空时）。",
            "Store type. With the trademark status and the category it decides the required deposit when 保证金应缴 is blank.",
        ),
        "category": (
            "主营类目（一级类目），多个用 、 或 ， 分隔。通常在商家中心的店铺信息/经营类目中查看。",
            "Main category (一级类目); separate several with 、 or a comma. Usually under store information / business categories in 商家中心.",
        ),
        "trademark": (
            "商标状态：R（已注册）或 TM（只有注册申请受理通知书）。店铺有多个品牌时，只要有一个是 TM 就选 TM。",
            "Trademark status: R (registered) or TM (application accepted only). With several brands, choose TM if any of them is TM.",
        ),
        "contract_signed_at": (
            "店铺当前天猫合同的签署时间（北京时间）。晚于本年度截止点签署的，无需参加本次续签。通常在商家中心的续签服务专区或合同/协议页面查看。",
            "When the store's current Tmall contract was signed (Beijing time). A contract signed after this year's cut-off is not in this renewal. Usually shown in 商家中心's renewal area (续签服务专区) or its contract/agreement pages.",
        ),
        "signup_at": (
            "完成续签报名的时间；未报名留空。",
            "When the store signed up for renewal (续签报名); blank if not yet.",
        ),
        "agreement_signed_at": (
            "签署续签协议的时间；未签署留空。",
            "When the renewal agreement was signed (签署协议); blank if not yet.",
        ),
        "deposit_required": (
            "应缴保证金（元）。留空时按规则集的保证金表，由店铺类型、商标状态和主营类目计算；知道准确金额时再填。",
            "Required deposit (CNY). Leave blank to have it computed from the rule set's deposit table (store type, trademark status, category); fill it in when you know the exact figure.",
        ),
        "deposit_balance": (
            "保证金账户当前余额（元）。留空视为 0。",
            "Current balance of the deposit account (CNY). Blank counts as 0.",
        ),
        "deposit_topped_up_at": (
            "续签期内使余额补足的那次补缴保证金的时间；余额本来就够则留空。截止时间之后补缴的不计入。平台导出此列为最近一次补缴：截止后扣款又补缴、覆盖了计入的那次时，截止后核对会报数据错误，请改填续签期内补足的那次（余额本来就够则留空）。",
            "When the deposit was topped up to the required amount inside the renewal window; blank if the balance was already enough. A top-up after the deadline does not count. Platform exports hold the latest top-up here: when a top-up after the deadline (after a deduction) has replaced the one that counted, a check after the deadline reports a data error; put the top-up inside the window that made the balance enough instead (blank if it was already enough).",
        ),
        "deposit_insurance_renewed_at": (
            "保证金履约险计入本次续签的那次续保时间，即签署协议前的那次（用履约险代替现金保证金的店铺）。须在签署协议之前、截止时间之前续保，往年的续保不计入；现金余额已够时不看此列；未投保留空。平台导出此列为最近一次续保：截止后又续保、覆盖了签署前那次时，截止后核对会报数据错误（现金余额已够时除外），请改填签署前的那次。",
            "When the deposit performance-bond insurance (保证金履约险) was renewed for this renewal, the renewal before the agreement was signed, for stores insured instead of paying cash. It must be renewed before the agreement is signed and by the deadline; an earlier year's renewal does not count; not needed when the cash balance is enough; blank if not insured. Platform exports hold the latest renewal here: when a renewal after the deadline has replaced the one before signing, a check after the deadline reports a data error (unless the cash balance is enough); put the renewal before signing instead.",
        ),
        "annual_fee_required": (
            "新年度应缴的软件服务年费（元）。留空时按规则集的年费表、由主营类目计算。",
            "The new year's annual software fee due (CNY). Leave blank to have it computed from the rule set's fee table by category.",
        ),
        "annual_fee_paid": (
            "新年度已缴的年费（元）。留空视为 0。",
            "The new year's annual fee paid so far (CNY). Blank counts as 0.",
        ),
        "annual_fee_paid_at": (
            "缴纳新年度年费的时间；未缴留空。",
            "When the new year's annual fee was paid; blank if not yet.",
        ),
        "appeal_pending": (
            "是否有处罚正在申诉中。申诉中的店铺不能转入淘宝企业店铺。「违规记录」表中任一条为申诉中，也视为申诉中。",
            "Whether a penalty appeal is pending. A store with a pending appeal cannot move to a 淘宝企业店铺. A 申诉中 row on the 违规记录 sheet counts too.",
        ),
        "serious_points": (
            "计分期间（近365天；2019年度为2018年全年）严重违规累计扣分（已汇总）。另有「违规记录」表时，取本列与该表期间内合计的较大者，任一来源达到上限都不可转入。通常在千牛/商家中心的体检中心查看。",
            "Serious-violation points of the rule's period (the last 365 days; all of 2018 for 2019年度), already summed. Beside a 违规记录 sheet, the larger of this column and the sheet's total for the period counts, so either can exclude. Usually under 体检中心 in 千牛 / 商家中心.",
        ),
        "general_points": (
            "计分期间（近365天；2019年度为2018年全年）一般违规累计扣分（已汇总）。另有「违规记录」表时，取本列与该表期间内合计的较大者，任一来源达到上限都不可转入。",
            "General-violation points of the rule's period (the last 365 days; all of 2018 for 2019年度), already summed. Beside a 违规记录 sheet, the larger of this column and the sheet's total for the period counts, so either can exclude.",
        ),
        "experience_score": (
            "店铺体验分（店铺真实体验分或基础服务考核分），仅供参考。通常在千牛的店铺体验或考核看板中查看。",
            "Experience score (店铺真实体验分 or 基础服务考核分), for reference only. Usually on 千牛's store experience page or the assessment board.",
        ),
        "service_opened_at": (
            "店铺服务开通（开店）时间。",
            "When the store's service opened (the store went live).",
        ),
        "assessment_failed": (
            "店铺是否考核不达标。",
            "Whether the store fails the merchant assessment (考核不达标).",
        ),
        "software_fee_unpaid": (
            "是否有未缴清的类目软件服务费或基础软件服务费。",
            "Whether a category or basic software service fee is unpaid.",
        ),
        "no_brand_authorization": (
            "旗舰店、专卖店、专营店是否缺少品牌授权。",
            "Whether the store (旗舰店, 专卖店, 专营店) lacks a brand authorisation.",
        ),
        "exit_in_progress": (
            "店铺是否处于退出流程中。",
            "Whether the store is in an exit process.",
        ),
        "entity_change_in_progress": (
            "是否在主体变更流程中。",
            "Whether a change of legal entity (主体变更) is in progress.",
        ),
        "taobao_transfer_in_progress": (
            "是否正在转入淘宝企业店铺。",
            "Whether the store is moving to a 淘宝企业店铺.",
        ),
        "annual_inspection_pending": (
            "年检信息是否待更新。",
            "Whether the annual inspection information is due for an update (年检信息待更新).",
        ),
    },
    "violation": {
        "merchant_id": (
            "受处罚店铺的商家ID，与「商家」表一致。每条处罚一行。",
            "The penalised store's merchant id, as on the 商家 sheet. One row per penalty.",
        ),
        "penalized_on": ("处罚（扣分）日期。", "The day of the penalty (points deducted)."),
        "violation_type": ("严重违规还是一般违规。", "Serious (严重违规) or general (一般违规)."),
        "points": ("这次处罚扣的分。", "The points this penalty deducted."),
        "appeal_status": (
            "申诉状态，留空视为无。申诉成功的处罚不计分；申诉中的店铺不能转入淘宝企业店铺。",
            "Appeal status; blank means none (无). A penalty whose appeal succeeded does not count; a pending appeal rules out the Taobao transfer.",
        ),
    },
    "qualification": {
        "merchant_id": (
            "资质所属店铺的商家ID，与「商家」表一致。每份资质一行。",
            "The store's merchant id, as on the 商家 sheet. One row per document.",
        ),
        "qualification_type": (
            "资质名称，如 营业执照、品牌授权书、商标注册证、质检报告。店铺授权、品牌授权过期后的处理按名称判断。",
            "The document, e.g. 营业执照, 品牌授权书, 商标注册证, 质检报告. What a lapse leads to (store or brand authorisation) is told from the name.",
        ),
        "certificate_no": ("证书编号，可留空。", "Certificate number; may be blank."),
        "expires_on": ("到期日期。", "The day the document expires."),
    },
}
"""Sheet kind -> column key -> (zh, en): what to enter, and where it is usually found."""

CATEGORY_DECIDES: dict[str, tuple[str, str]] = {
    "DP01": ("特殊类目的保证金", "special-category deposits"),
    "AF01": ("年费档位", "the annual fee tier"),
    "QR01": ("是否须资质审核", "whether the qualification review applies"),
    "TB01": ("能否转入淘宝企业店铺", "the Taobao-transfer exclusions"),
}
"""Rule code -> (zh, en): what 主营类目 decides for that rule, said only for the rules the
rule set has (no annual fee tier in a year without an annual fee)."""

SHEET_HELP: dict[str, tuple[str, str]] = {
    "violation": (
        "违规与扣分记录通常在千牛/商家中心的体检中心查看。没有处罚可不填本表，此时读取「商家」表的扣分列。",
        "Penalties and points are usually under 体检中心 in 千牛 / 商家中心. With no penalty, leave this sheet empty: the points columns of the 商家 sheet are read instead.",
    ),
    "qualification": (
        "资质通常在「商家中心-综合资质预警-我的资质管理」查看和更新。",
        "Documents are usually shown and updated in 商家中心-综合资质预警-我的资质管理 (qualification management).",
    ),
}

TEXT: dict[str, dict[str, str]] = {
    "zh": {
        "required": "必填。",
        "required_here": "本表必填。",
        "used": "{ruleset} 使用本列（{codes}）。",
        "unused": "{ruleset} 不使用本列，可留空。",
        "sheet_unused": "{ruleset} 不使用本表，可不填。",
        "where": "「{label}」在「{where}」办理和查看。",
        "blocker": "选「是」表示{label}：无法{blocks}。解决办法：{fix}。",
        "valid_until": "须有效至 {day}（新合同年度结束），之前到期会提示。",
        "pick": "从下拉列表选择：{words}。",
        "pick_or_type": "从下拉列表选择：{words}（其他写法会提示）。",
        "category_decides": "{ruleset} 按它判断：{what}。",
        "kind.datetime": "填日期和时间，如 {datetime}（北京时间）；只写日期也可以，但当天几点影响结果时，该格无法判断。",
        "kind.datetime.days": "填日期和时间，如 {datetime}（北京时间）；只写日期也可以，但 {days} 当天几点会影响结果，须写上时间，否则该格无法判断。",
        "kind.date": "填日期，如 {date}。",
        "kind.expiry": "填到期日期，如 {expiry}（当天全天有效，次日 0:00 失效）；写了时间则在该时刻失效（北京时间，24时即次日 0:00）；长期有效的写「长期」。",
        "kind.amount": "金额（元），如 50000；写 5万 或 ¥60,000.00 也可以。",
        "kind.due": "金额（元），不能为负，如 50000；写 5万 或 ¥60,000.00 也可以。",
        "kind.points": "数字，如 12。",
        "kind.score": "数字，如 4.8。",
        "kind.bool": "留空视为「否」。",
        "list_title": "请从列表中选择",
        "list_stop": "可填的值：{words}",
        "list_warning": "不在 {ruleset} 的保证金表中：这样的店铺须自己填写「保证金应缴」。可选：{words}",
        "example_shop": "示例店铺（此行不参与检查）",
        "example_document": "营业执照",
        "example_certificate": "（证书编号）",
        "example_note": "示例行：商家ID 为「示例」的行不是商家，check 不读取（计入跳过的行）。可保留或删除；照着填时，复制到下一行并把「示例」改成真实的商家ID。",
        "instructions_sheet": "说明",
        "title": "天猫续签自查模板：{name}（{ruleset}）",
        "steps": "{ruleset} 的续签步骤：",
        "step": "{code} {label}：在「{where}」办理",
    },
    "en": {
        "required": "Required.",
        "required_here": "Required on this sheet.",
        "used": "Used by {ruleset} ({codes}).",
        "unused": "Not used by {ruleset}; may be left blank.",
        "sheet_unused": "{ruleset} does not use this sheet; it may stay empty.",
        "where": "{label}: done and shown in {where}.",
        "blocker": "是 (yes) means {label}: {blocks} cannot be done. To clear it: {fix}.",
        "valid_until": "Must stay valid through {day} (end of the new contract year); an earlier expiry is flagged.",
        "pick": "Pick from the list: {words}.",
        "pick_or_type": "Pick from the list: {words} (anything else gets a warning).",
        "category_decides": "In {ruleset} it decides: {what}.",
        "kind.datetime": "Date and time, e.g. {datetime} (Beijing time); a date alone will do, except where the time that day decides: then the cell cannot be judged.",
        "kind.datetime.days": "Date and time, e.g. {datetime} (Beijing time); a date alone will do, except on {days}, when the time that day decides: write it, or the cell cannot be judged.",
        "kind.date": "A date, e.g. {date}.",
        "kind.expiry": "The expiry date, e.g. {expiry} (valid through that whole day, lapsing at 00:00 of the next); with a time it lapses at that moment (Beijing time; 24:00 is 00:00 of the next day); 长期 for a document with no expiry.",
        "kind.amount": "Amount in CNY, e.g. 50000; 5万 or ¥60,000.00 also work.",
        "kind.due": "Amount in CNY, not negative, e.g. 50000; 5万 or ¥60,000.00 also work.",
        "kind.points": "A number, e.g. 12.",
        "kind.score": "A number, e.g. 4.8.",
        "kind.bool": "是 = yes, 否 = no; blank counts as 否.",
        "list_title": "Pick a value from the list",
        "list_stop": "Accepted values: {words}",
        "list_warning": "Not in the deposit table of {ruleset}: such a store must fill in 保证金应缴 itself. Listed: {words}",
        "example_shop": "Example store (not checked)",
        "example_document": "营业执照",
        "example_certificate": "(certificate no.)",
        "example_note": "Example row: a row whose 商家ID is 示例 is not a merchant; check skips it (counted as a skipped line). Keep or delete it; to copy it, paste it on the next row and replace 示例 with the real merchant id.",
        "instructions_sheet": "Instructions",
        "title": "Tmall renewal self-check template: {name} ({ruleset})",
        "steps": "The renewal steps of {ruleset}:",
        "step": "{code} {label}: in {where}",
    },
}
"""Language -> the template's own texts: status lines, hints by column kind (their example
times, {datetime} {date} {expiry}, are the rule set's own: `template.example_times`), list
messages, the example, and the instructions sheet's title and steps."""

INSTRUCTIONS: dict[str, tuple[str, ...]] = {
    "zh": (
        "续签期：{opens} 至 {closes}（北京时间）。合同签署时间不晚于 {cutoff} 的店铺须参加本次续签。",
        "1. 在「{merchants}」表中每个店铺填一行，从第 {first_row} 行起。第 {example_row} 行是示例（商家ID 为「{example}」），检查时不读取，可保留或删除。",
        "2. 把鼠标停在表头上，可看到每列填什么、在商家中心哪里查。红色表头必填；灰色表头的列 {ruleset} 不使用，可留空；未完成的步骤留空。",
        "3. 时间按北京时间填，如 {datetime}；金额以元为单位。有下拉列表的列，从列表中选择。",
        "4. 「{violations}」表：每条处罚一行，用于判断未续签时能否转入淘宝企业店铺；没有处罚可不填，此时读取「{merchants}」表的扣分列。",
        "5. 「{qualifications}」表：每份资质一行，填到期日期。",
        "6. 表头、工作表名称和下拉选项请保持原样：check 按表头文字识别各列。",
        "填好后检查：renewal check {file} --rules {ref}",
    ),
    "en": (
        "Renewal window: {opens} to {closes} (Beijing time). Stores whose contract was signed at or before {cutoff} must take part.",
        "1. On the {merchants} sheet, fill in one row per store, from row {first_row}. Row {example_row} is an example (商家ID {example}); check skips it, so keep or delete it.",
        "2. Hover over a header to see what to enter and where in 商家中心 to find it. Red headers are required; grey ones are not used by {ruleset} and may stay blank; leave a step that is not done blank.",
        "3. Times are Beijing time, e.g. {datetime}; amounts are in CNY. Where a column has a drop-down list, pick from it.",
        "4. {violations} sheet: one row per penalty; it decides whether a store that does not renew may move to a 淘宝企业店铺. With no penalty leave it empty: the points columns of the {merchants} sheet are read instead.",
        "5. {qualifications} sheet: one row per document, with its expiry date.",
        "6. Keep the headers, sheet names and list words as they are (Chinese): check finds the columns by their headers.",
        "Then check it: renewal check {file} --rules {ref} --lang en",
    ),
}
"""The instructions sheet, a paragraph a line."""
