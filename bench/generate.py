"""Seeded generator of large, realistic 2022年度 renewal exports for benchmarks.

    python bench/generate.py --rows 10000 [--out bench/data] [--seed 1]
                             [--formats xlsx,csv,csv-gb18030]

writes `export-10k.xlsx` (sheets 商家, 违规记录, 资质, with a shared-strings table as Excel
saves it), `export-10k.csv` (商家 only, UTF-8 with BOM) and `export-10k-gb18030.csv` (the
same, GB18030, no BOM); 100000 rows are named `100k`, 1000000 `1m`.

Every format replays the same seeded rows, so the CSVs hold exactly the xlsx's 商家 sheet.
The mix, as of 2021-12-27 00:00: about 55% renewed, 15% failed (a step late, short or
partial), 10% exempt, 15% missing one step, 2% error rows (with a handful of duplicate
ids), 3% missing several steps. Values are as messy as real exports: some ids stored as
numbers, amounts as '50,000元' / '¥60,000.00' / '5万', dates as datetime cells or as text
in three layouts, Y/N beside 是/否, blanks where exports leave them.

Memory: CSV streams. The xlsx is written by xlsxwriter in its default mode (shared
strings; constant_memory would write inline strings), which keeps every cell until close:
measured 0.38 GiB / 13 s at 100k rows and 0.9 GiB / 33 s at 250k, so about 3.6 GiB and
2.5 minutes at 1M. At 1M the 资质 sheet passes Excel's 1,048,576 rows and continues on a
sheet named 资质2.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import resource
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import xlsxwriter

MERCHANT_HEADERS: tuple[str, ...] = (
    "商家ID",
    "店铺名称",
    "店铺类型",
    "主营类目",
    "商标状态",
    "合同签署时间",
    "续签报名时间",
    "协议签署时间",
    "保证金应缴",
    "保证金余额",
    "保证金补缴时间",
    "年费应缴",
    "年费已缴",
    "年费缴纳时间",
    "处罚申诉中",
    "严重违规扣分",
    "一般违规扣分",
    "体验分",
)
VIOLATION_HEADERS = ("商家ID", "处罚日期", "违规类型", "扣分", "申诉状态")
QUALIFICATION_HEADERS = ("商家ID", "资质类型", "证书编号", "到期日期")

Cell = str | int | float | datetime | date | None
Row = tuple[Cell, ...]
Style = Callable[[Cell], Cell]

# 2022年度 moments (naive Beijing time).
CUTOFF = datetime(2021, 11, 19, 10, 0, 0)
OPENS = datetime(2021, 11, 19, 12, 0, 0)
DEADLINE = datetime(2021, 12, 26, 18, 0, 0)
WINDOW_SECONDS = int((DEADLINE - OPENS).total_seconds())
TRANSFER_LAST_DAY = date(2021, 12, 27)
TRANSFER_FIRST_DAY = TRANSFER_LAST_DAY - timedelta(days=364)
EARLIEST_CONTRACT = datetime(2012, 1, 1, 9, 0, 0)
CONTRACT_SPAN = int((CUTOFF - EARLIEST_CONTRACT).total_seconds())
MINUTE = 60  # late/early/exempt times sit at least a minute past a boundary, so text
# dates written to the minute cannot fall back across it

# Outcome mix: (kind, cumulative probability).
KINDS: tuple[tuple[str, float], ...] = (
    ("renewed", 0.55),
    ("failed", 0.70),
    ("exempt", 0.80),
    ("missing-one-step", 0.95),
    ("error", 0.97),
    ("missing-several", 1.00),
)
DUPLICATE_RATE = 1 / 2000  # a row reusing an earlier row's id: both become errors

STORE_TYPES = ("旗舰店",) * 9 + ("专卖店",) * 4 + ("专营店",) * 6 + ("卖场型旗舰店",)
DEPOSIT = {  # store type -> (R, TM)
    "旗舰店": (50000, 100000),
    "专卖店": (50000, 100000),
    "专营店": (100000, 150000),
    "卖场型旗舰店": (150000, 150000),
}
TIERED_CATEGORIES = (  # in the tmall-2022 fee tiers: 年费应缴 may be left blank
    ("女装/女士精品", 60000),
    ("女装/女士精品", 60000),
    ("男装", 60000),
    ("服饰配件/皮带/帽子/围巾", 30000),
    ("女士内衣/男士内衣/家居服", 60000),
)
OTHER_CATEGORIES = (  # not in the tiers: the export always states 年费应缴
    ("女鞋", 60000),
    ("流行男鞋", 60000),
    ("箱包皮具/热销女包/男包", 60000),
    ("运动服/休闲服装", 60000),
    ("童装/婴儿装/亲子装", 30000),
    ("美容护肤/美体/精油", 30000),
    ("零食/坚果/特产", 30000),
    ("家居饰品", 30000),
)
UNKNOWN_STORE_TYPES = ("官方直营店", "品牌店", "企业店")
UNREADABLE_DATES = ("待补录", "见合同", "不详", "2021-13-01")

BRAND_FIRST = "锦素云青墨拾棉衣柒暖山初木若听半知清雅鹿归朗沐南北星月花溪林语悦橙"
BRAND_SECOND = "语裳禾染光澜阳岚见槿水雨夏瑟欢韵野棠逸风栀麓辰影间诗屿遇恋舍集"
TRADE_NAMES = (
    "恒润",
    "鑫源",
    "泽丰",
    "瑞祥",
    "华晟",
    "永盛",
    "嘉禾",
    "隆兴",
    "聚德",
    "汇通",
    "博雅",
    "盛世",
)
GOODS = ("服饰", "鞋包", "家居", "美妆", "食品", "母婴")
BRANDS = tuple(a + b for a in BRAND_FIRST for b in BRAND_SECOND)

EXCEL_EPOCH = datetime(1899, 12, 30)
EXCEL_EPOCH_ORDINAL = EXCEL_EPOCH.toordinal()
EXCEL_MAX_ROWS = 1_048_576
FILE_NAMES = {
    "xlsx": "export-{label}.xlsx",
    "csv": "export-{label}.csv",
    "csv-gb18030": "export-{label}-gb18030.csv",
}


def size_label(rows: int) -> str:
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}m"
    if rows % 1000 == 0:
        return f"{rows // 1000}k"
    return str(rows)


def merchant_id_map(seed: int) -> tuple[int, int]:
    """An affine map i -> 10**12 + (a*i + b) mod 9*10**12: unique 13-digit ids, no set kept."""
    rng = random.Random(f"ids-{seed}")
    modulus = 9 * 10**12
    while True:
        a = rng.randrange(10**11, 10**12)
        if math.gcd(a, modulus) == 1:
            return a, rng.randrange(modulus)


class Generator:
    """Yields (商家 row, its 违规记录 rows, its 资质 rows, kind) for each merchant.

    All the randomness of a run comes from one `random.Random(seed)`, consumed in the same
    order whatever is written, so every format gets the same rows.
    """

    def __init__(self, rows: int, seed: int) -> None:
        self.rows = rows
        self.rng = random.Random(seed)
        self.id_a, self.id_b = merchant_id_map(seed)

    def merchant_id(self, index: int) -> str:
        return str(10**12 + (self.id_a * index + self.id_b) % (9 * 10**12))

    def __iter__(self) -> Iterator[tuple[Row, list[Row], list[Row], str]]:
        for index in range(self.rows):
            yield self.merchant(index)

    def merchant(self, index: int) -> tuple[Row, list[Row], list[Row], str]:
        """One merchant: a renewed recipe, then the change its kind makes, then how its
        source system happened to write the values."""
        rnd, randrange, choice = self.rng.random, self.rng.randrange, self.rng.choice
        draw = rnd()
        kind = next(name for name, limit in KINDS if draw < limit)
        key = self.merchant_id(index)
        if index > 0 and rnd() < DUPLICATE_RATE:
            key = self.merchant_id(randrange(index))
            kind = "duplicate"
        # Some systems store the id as a number (in all three sheets).
        merchant_id: str | int | None = int(key) if rnd() < 0.05 else key

        store_type = choice(STORE_TYPES)
        trademark = "TM" if rnd() < 0.2 else "R"
        if rnd() < 0.75:
            category, fee = choice(TIERED_CATEGORIES)
            fee_required: int | None = None if rnd() < 0.15 else fee
        else:
            category, fee = choice(OTHER_CATEGORIES)
            fee_required = fee
        deposit = DEPOSIT[store_type][trademark == "TM"]
        deposit_required: int | None = None if rnd() < 0.12 else deposit
        balance = deposit + (choice((10000, 20000, 50000)) if rnd() < 0.1 else 0)
        shop = self.shop_name(store_type)

        # The renewed recipe. Most merchants act in the first days of the window.
        signed = EARLIEST_CONTRACT + timedelta(seconds=randrange(CONTRACT_SPAN))
        signed_up = OPENS + timedelta(seconds=int(WINDOW_SECONDS * rnd() ** 3))
        agreed = min(DEADLINE, signed_up + timedelta(seconds=randrange(30, 86400)))
        paid = min(DEADLINE, agreed + timedelta(seconds=randrange(30, 3 * 86400)))
        contract: datetime | str | None = signed
        signup: datetime | None = signed_up
        agreement: datetime | None = agreed
        fee_paid_at: datetime | None = paid
        fee_paid: int | None = fee
        topup_at: datetime | None = None
        if rnd() < 0.18:  # topped up to the required amount, mostly inside the window
            inside = rnd() < 0.8
            offset = randrange(WINDOW_SECONDS) if inside else -randrange(MINUTE, 90 * 86400)
            topup_at = OPENS + timedelta(seconds=offset)

        if kind == "exempt":
            contract = CUTOFF + timedelta(seconds=randrange(MINUTE, 31 * 86400))
            signup = agreement = fee_paid_at = fee_paid = topup_at = None
        elif kind == "failed":
            late = DEADLINE + timedelta(seconds=randrange(MINUTE, 4 * 86400))
            how = randrange(7)
            if how == 0:
                signup = late
            elif how == 1:
                agreement = late
            elif how == 2:
                fee_paid_at = late
            elif how == 3:
                topup_at = late
            elif how == 4:
                fee_paid = fee // 2
            elif how == 5:
                fee_paid_at = OPENS - timedelta(seconds=randrange(MINUTE, 300 * 86400))
            else:
                balance = deposit - choice((10000, 20000, 50000))
                topup_at = None
        elif kind == "missing-one-step":
            how = randrange(4)
            if how == 0:
                signup = None
            elif how == 1:
                agreement = None
            elif how == 2:
                fee_paid = fee_paid_at = None
            else:
                balance = 0 if rnd() < 0.3 else deposit - 20000
                topup_at = None
        elif kind == "missing-several":
            agreement = fee_paid = fee_paid_at = None
            if rnd() < 0.5:
                signup = None
        elif kind == "error":
            how = randrange(5)
            if how == 0:
                merchant_id = None
            elif how == 1:
                contract = None
            elif how == 2:
                contract = choice(UNREADABLE_DATES)
            elif how == 3:
                store_type = choice(UNKNOWN_STORE_TYPES)
                deposit_required = None
            else:
                category, _ = choice(OTHER_CATEGORIES)
                fee_required = None

        violations, serious, general, appeal = self.violations(merchant_id)
        appeal_flag = ("Y" if appeal else "N") if rnd() < 0.05 else ("是" if appeal else "否")
        serious_cell: int | None = serious
        general_cell: int | None = general
        if serious == 0 and general == 0 and rnd() < 0.3:
            serious_cell = general_cell = None
        score: float | None = None if rnd() < 0.05 else round(3.6 + rnd() * 1.4, 2)

        # How this row's source system happened to write amounts and moments.
        amounts = money_style(rnd())
        times = time_style(rnd())
        row: Row = (
            merchant_id,
            shop,
            store_type,
            category,
            trademark,
            times(contract),
            times(signup),
            times(agreement),
            amounts(deposit_required),
            amounts(balance),
            times(topup_at),
            amounts(fee_required),
            amounts(fee_paid),
            times(fee_paid_at),
            appeal_flag,
            serious_cell,
            general_cell,
            score,
        )
        qualifications = self.qualifications(merchant_id)
        return row, violations, qualifications, kind

    def shop_name(self, store_type: str) -> str:
        """品牌+旗舰店, 品牌+商号+专卖店, 商号+品牌+类目+专营店: composed from small pools."""
        randrange, choice = self.rng.randrange, self.rng.choice
        if store_type == "专卖店":
            return f"{choice(BRANDS)}{choice(TRADE_NAMES)}专卖店"
        if store_type == "专营店":
            return f"{choice(TRADE_NAMES)}{choice(BRANDS)}{choice(GOODS)}专营店"
        suffix = "旗舰店" if randrange(4) else "官方旗舰店"
        if store_type == "卖场型旗舰店":
            suffix = "卖场型旗舰店"
        return f"{choice(BRANDS)}{choice(BRANDS)[0]}{suffix}"

    def violations(self, merchant_id: str | int | None) -> tuple[list[Row], int, int, bool]:
        """About 0.4 penalty rows per merchant; returns them with the 365-day point totals
        (申诉成功 left out) and whether an appeal is pending."""
        rnd, randrange = self.rng.random, self.rng.randrange
        rows: list[Row] = []
        serious = general = 0
        appeal = False
        if rnd() >= 0.2:
            return rows, 0, 0, False
        for _ in range(1 + randrange(3)):
            on = TRANSFER_LAST_DAY - timedelta(days=randrange(1, 480))
            if rnd() < 0.2:
                kind, points = "严重违规", (2, 6, 6, 12)[randrange(4)]
            else:
                kind, points = "一般违规", (1, 2, 3, 4, 6, 12)[randrange(6)]
            draw = rnd()
            status = (
                "无"
                if draw < 0.85
                else "申诉失败"
                if draw < 0.9
                else "申诉成功"
                if draw < 0.95
                else "申诉中"
            )
            appeal = appeal or status == "申诉中"
            if status != "申诉成功" and TRANSFER_FIRST_DAY <= on <= TRANSFER_LAST_DAY:
                if kind == "严重违规":
                    serious += points
                else:
                    general += points
            if merchant_id is not None:
                day: Cell = on.isoformat() if rnd() < 0.1 else on
                rows.append((merchant_id, day, kind, points, status))
        return rows, serious, general, appeal

    def qualifications(self, merchant_id: str | int | None) -> list[Row]:
        """A 营业执照 for every merchant and a second document for half: ~1.5 rows each;
        about 6% lapse before 2023-01-01 (a warning only)."""
        rnd, randrange = self.rng.random, self.rng.randrange
        if merchant_id is None:
            return []
        rows: list[Row] = []
        count = 2 if rnd() < 0.5 else 1
        for n in range(count):
            if n == 0:
                kind, number = "营业执照", f"9133{randrange(16**12):012X}{randrange(100):02d}"
            elif rnd() < 0.6:
                kind, number = "商标注册证", str(randrange(10_000_000, 60_000_000))
            else:
                kind, number = "品牌授权书", f"SQ{randrange(2018, 2022)}-{randrange(10**6):06d}"
            if rnd() < 0.06:
                expires = date(2021, 6, 1) + timedelta(days=randrange(578))  # before 2023
            else:
                expires = date(2023, 1, 1) + timedelta(days=randrange(4700))
            day: Cell = expires.isoformat() if rnd() < 0.1 else expires
            rows.append((merchant_id, kind, number, day))
        return rows


def money_style(draw: float) -> Style:
    """How one row writes its amounts: mostly numbers, some as text the intake must parse."""
    if draw < 0.94:
        return _plain
    if draw < 0.97:
        return _yuan
    if draw < 0.99:
        return _rmb
    return _wan


def _plain(value: Cell) -> Cell:
    return value


def _yuan(value: Cell) -> Cell:
    return None if value is None else f"{value:,}元"


def _rmb(value: Cell) -> Cell:
    return None if value is None else f"¥{value:,.2f}"


def _wan(value: Cell) -> Cell:
    if isinstance(value, int) and value % 10000 == 0:
        return f"{value // 10000}万"
    return value


def time_style(draw: float) -> Style:
    """How one row writes its moments: datetime cells, or text in one of three layouts."""
    if draw < 0.70:
        return _plain
    if draw < 0.92:
        return _iso
    if draw < 0.98:
        return _slash
    return _chinese


def _iso(value: Cell) -> Cell:
    return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime) else value


def _slash(value: Cell) -> Cell:
    return value.strftime("%Y/%m/%d %H:%M") if isinstance(value, datetime) else value


def _chinese(value: Cell) -> Cell:
    return value.strftime("%Y年%m月%d日 %H:%M") if isinstance(value, datetime) else value


# --- writers ----------------------------------------------------------------------------


def write_csv(path: Path, rows: int, seed: int, encoding: str) -> Counter[str]:
    """Stream the 商家 rows; csv writes None as '' and a datetime as 'YYYY-MM-DD HH:MM:SS'."""
    kinds: Counter[str] = Counter()
    with path.open("w", encoding=encoding, newline="", buffering=1 << 20) as handle:
        writer = csv.writer(handle)
        writer.writerow(MERCHANT_HEADERS)
        for row, _violations, _qualifications, kind in Generator(rows, seed):
            writer.writerow(row)
            kinds[kind] += 1
    return kinds


class SheetWriter:
    """Appends rows to a worksheet, converting Python values to Excel cells; past Excel's
    row limit it continues on a new sheet named `<name>2`, `<name>3`, ..."""

    def __init__(self, workbook: xlsxwriter.Workbook, name: str, headers: tuple[str, ...]) -> None:
        self.workbook = workbook
        self.name = name
        self.headers = headers
        self.sheets = 0
        self.row = EXCEL_MAX_ROWS
        self.datetime_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.id_format = workbook.add_format({"num_format": "0"})
        self.header_format = workbook.add_format({"bold": True})
        self.new_sheet()

    def new_sheet(self) -> None:
        self.sheets += 1
        suffix = "" if self.sheets == 1 else str(self.sheets)
        self.sheet = self.workbook.add_worksheet(f"{self.name}{suffix}")
        self.sheet.write_row(0, 0, self.headers, self.header_format)
        self.sheet.freeze_panes(1, 0)
        self.sheet.set_column(0, 1, 20)
        self.sheet.set_column(2, len(self.headers) - 1, 14)
        self.row = 1

    def append(self, values: Row) -> None:
        if self.row >= EXCEL_MAX_ROWS:
            self.new_sheet()
        sheet, row = self.sheet, self.row
        for column, value in enumerate(values):
            if isinstance(value, str):
                sheet.write_string(row, column, value)
            elif isinstance(value, datetime):
                serial = (value - EXCEL_EPOCH).total_seconds() / 86400
                sheet.write_number(row, column, serial, self.datetime_format)
            elif isinstance(value, (int, float)):
                big = column == 0 and isinstance(value, int)
                sheet.write_number(row, column, value, self.id_format if big else None)
            elif isinstance(value, date):
                serial = value.toordinal() - EXCEL_EPOCH_ORDINAL
                sheet.write_number(row, column, serial, self.date_format)
            # None: no cell, as an export leaves a blank
        self.row = row + 1

    @property
    def data_rows(self) -> int:
        """Rows written below the headers, across all of this writer's sheets."""
        return (self.sheets - 1) * (EXCEL_MAX_ROWS - 1) + self.row - 1


def write_xlsx(path: Path, rows: int, seed: int) -> tuple[Counter[str], list[str]]:
    """Three sheets with a shared-strings table (xlsxwriter's default mode keeps every cell
    in memory until close; constant_memory would write inline strings instead)."""
    kinds: Counter[str] = Counter()
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"created": datetime(2021, 12, 27), "author": "bench/generate.py"})
    merchants = SheetWriter(workbook, "商家", MERCHANT_HEADERS)
    violations = SheetWriter(workbook, "违规记录", VIOLATION_HEADERS)
    qualifications = SheetWriter(workbook, "资质", QUALIFICATION_HEADERS)
    for row, violation_rows, qualification_rows, kind in Generator(rows, seed):
        merchants.append(row)
        for violation in violation_rows:
            violations.append(violation)
        for qualification in qualification_rows:
            qualifications.append(qualification)
        kinds[kind] += 1
    filled = time.perf_counter()
    workbook.close()
    notes = [
        f"违规记录 {violations.data_rows:,} rows, 资质 {qualifications.data_rows:,} rows; "
        f"close() took {time.perf_counter() - filled:.1f} s"
    ]
    for writer in (merchants, violations, qualifications):
        if writer.sheets > 1:
            notes.append(
                f"{writer.name} passed Excel's {EXCEL_MAX_ROWS:,} rows and continues on "
                f"{writer.sheets - 1} more sheet(s): {writer.name}2 ..."
            )
    return kinds, notes


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10000)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--formats", default="xlsx,csv,csv-gb18030")
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = set(formats) - set(FILE_NAMES)
    if unknown:
        parser.error(f"unknown format(s): {', '.join(sorted(unknown))}")
    args.out.mkdir(parents=True, exist_ok=True)
    label = size_label(args.rows)
    # CSVs first: peak RSS is per process, so each CSV line still shows what streaming costs.
    for name in sorted(formats, key=lambda f: f == "xlsx"):
        path = args.out / FILE_NAMES[name].format(label=label)
        started = time.perf_counter()
        notes: list[str] = []
        if name == "xlsx":
            kinds, notes = write_xlsx(path, args.rows, args.seed)
        else:
            encoding = "utf-8-sig" if name == "csv" else "gb18030"
            kinds = write_csv(path, args.rows, args.seed, encoding)
        seconds = time.perf_counter() - started
        size = path.stat().st_size
        print(
            f"{path}: {size / 1e6:,.1f} MB, {args.rows:,} merchants in {seconds:.1f} s "
            f"({args.rows / seconds:,.0f} rows/s), peak RSS {peak_rss_mib():,.0f} MiB"
        )
        for note in notes:
            print(f"  {note}")
        mix = ", ".join(f"{kind} {n:,} ({n / args.rows:.1%})" for kind, n in kinds.most_common())
        print(f"  mix: {mix}")


if __name__ == "__main__":
    main()
