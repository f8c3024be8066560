"""The money owed over many merchants, summed one way: the report's summary (and so its
table, HTML page and workbook) and `renewal diff`'s totals both come from `owed_totals`,
so two outputs of the same night never give two totals.

A merchant owes a deposit shortfall and an annual fee, each known or not. Each part is
summed over the merchants whose part is known, and the merchants whose part is not are
counted beside it: a merchant whose fee is known but whose deposit is not still counts
its fee, and is named as one whose deposit is unknown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def owed_totals(deposits: Sequence[float], fees: Sequence[float]) -> dict[str, float | int]:
    """Each part's known total, then how many merchants' part is unknown, under the keys
    and in the order of the report's summary. An unknown amount is NaN (as the engine's
    tally holds one): counted apart, never summed."""
    return {
        "deposit_shortfall_total": _known_total(deposits),
        "annual_fee_due_total": _known_total(fees),
        "deposit_shortfall_unknown": _unknown_count(deposits),
        "annual_fee_due_unknown": _unknown_count(fees),
    }


def _known_total(amounts: Sequence[float]) -> float:
    """The sum of the amounts that are known."""
    return round(sum(amount for amount in amounts if not math.isnan(amount)), 2)


def _unknown_count(amounts: Sequence[float]) -> int:
    """How many merchants owe an amount that cannot be told (an error row, an unreadable
    balance, a top-up after the as-of): left out of the total, and said so."""
    return sum(1 for amount in amounts if math.isnan(amount))
