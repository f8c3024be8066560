"""Build the legacy .xls fixture of tests/test_workbook_kinds.py: `python
tests/corpus/kinds/build.py` (needs LibreOffice's `soffice`, which CI does not have: the
.xls it makes is committed beside this script).

`date1904.xls` is a workbook in the 1904 date system (Mac Excel's) whose dates are serials
held as plain numbers in General cells, as "paste values" leaves them: a 商家 sheet with one
merchant that renewed on 2021-11-20 10:00 and a 违规记录 sheet with one penalty on
2021-06-01. openpyxl writes it as an xlsx, LibreOffice saves that as an xls (keeping its
date system: the xls's DATEMODE record is 1). Python writes no xls of its own.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = Path(__file__).resolve().parent

MERCHANT_HEADER = ["商家ID", "店铺类型", "商标状态", "主营类目", "合同签署时间", "续签报名时间"]
MERCHANT_HEADER += ["协议签署时间", "保证金余额", "年费已缴", "年费缴纳时间", "处罚申诉中"]
VIOLATION_HEADER = ["商家ID", "处罚日期", "违规类型", "扣分", "申诉状态"]

CONTRACT = datetime(2020, 1, 1, 10, 0)
RENEWED = datetime(2021, 11, 20, 10, 0)
PENALIZED = datetime(2021, 6, 1)


def serial_1904(moment: datetime) -> float:
    """The 1904 date system's serial of `moment`: days since 1904-01-01."""
    return (moment - datetime(1904, 1, 1)) / timedelta(days=1)


def build_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    merchants = book.active
    merchants.title = "商家"
    merchants.append(MERCHANT_HEADER)
    contract, renewed = serial_1904(CONTRACT), serial_1904(RENEWED)
    merchants.append(
        ["100000000001", "旗舰店", "R", "男装", contract, renewed, renewed, 50000, 60000]
        + [renewed, "否"]
    )
    violations = book.create_sheet("违规记录")
    violations.append(VIOLATION_HEADER)
    violations.append(["100000000001", serial_1904(PENALIZED), "一般违规", 2, "无"])
    book.save(path)
    return path


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = build_xlsx(Path(folder) / "date1904.xlsx")
        profile = Path(folder, "profile").as_uri()
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless"]
            + ["--convert-to", "xls", "--outdir", str(HERE), str(source)],
            check=True,
            stdout=sys.stderr,
        )


if __name__ == "__main__":
    main()
