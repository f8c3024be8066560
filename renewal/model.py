"""The records that flow through renewal: intake -> engine -> render.

`Merchant` is what intake hands the engine; `Finding` and `MerchantResult` are what the
engine hands every renderer. A million-row run builds millions of findings, so they are
TypedDicts (plain dicts at run time, typed for mypy) built by small constructors that fix
their key order: orjson writes a dict five times faster than a dataclass, and the fixed
order keeps the JSON report byte-stable. pydantic stays at the boundaries (rule files).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NotRequired, TypedDict

from renewal.timeutil import lapse_of, valid_through


class Status(StrEnum):
    """The status of one rule for one merchant. "Could not decide" is `error`, never `pass`."""

    PASS = "pass"
    FAIL = "fail"
    WARN = "warn"
    SKIP = "skip"
    ERROR = "error"
    WAIVED = "waived"
    """A fail or warn that an approved exception (`--waivers`) covers at the as-of."""


class Outcome(StrEnum):
    """The verdict for one merchant row."""

    EXEMPT = "exempt"
    RENEWED = "renewed"
    PENDING = "pending"
    FAILED = "failed"
    ERROR = "error"
    WAIVED = "waived"
    """Would be failed or pending, but every finding holding it back is waived."""


OUTCOME_ORDER: tuple[Outcome, ...] = (
    Outcome.ERROR,
    Outcome.FAILED,
    Outcome.PENDING,
    Outcome.WAIVED,
    Outcome.RENEWED,
    Outcome.EXEMPT,
)
"""Most urgent first: the order of summary counts and of the terminal table."""


class SourceRef(TypedDict):
    """Where a value was read: sheet name, 1-based spreadsheet row, column header."""

    sheet: str
    row: int
    column: str | None


def source_ref(sheet: str, row: int, column: str | None = None) -> SourceRef:
    return {"sheet": sheet, "row": row, "column": column}


class WaiverNote(TypedDict):
    """The exception (`--waivers`) that covers a finding, or covered it until it expired."""

    reason: str
    approver: str
    ticket: str | None
    expires: str
    """ISO date (valid through that whole day, Beijing time) or ISO moment with its offset."""
    expired: bool


class Finding(TypedDict):
    """One rule's result for one merchant, with the evidence it read."""

    rule: str
    status: Status
    message: str
    expected: object
    actual: object
    source: SourceRef | None
    owed: float | None
    """CNY still owed for this rule at the as-of, for the money steps."""
    remedy: str | None
    """What to do about it, for a finding that is not a pass."""
    owed_at_least: NotRequired[bool]
    """Only on a money step's failure whose `owed` is the least still owed, not the whole
    of it (a payment or top-up time that cannot be read beside an amount short of what is
    due: the rest is owed whatever the time, more if that payment does not count; a top-up
    dated after the as-of that still leaves the balance short: the balance before it was
    lower still). Absent otherwise, so every other finding keeps its bytes."""
    final: NotRequired[bool]
    """Only on a step's failure that nothing done by the deadline can make good (AS01 once
    its assessment period is over): the merchant is `pending` until the deadline makes it
    `failed`, but is not told, nor reminded, to do that step. Absent otherwise."""
    waiver: NotRequired[WaiverNote]
    """Only on a finding a waiver matched: status `waived`, or its real status once the
    waiver has expired. Absent otherwise, so runs without waivers keep their bytes."""
    open_until: NotRequired[date]
    """Only on a fallback finding (TB01) whose route has a known last day: the last Beijing
    day (included) one may apply, passed or not, so the engine and the renderers say until
    when it is open, or that it has closed, without knowing the rule. Absent when the rule
    set gives no such day."""


def finding(
    rule: str,
    status: Status,
    message: str,
    expected: object = None,
    actual: object = None,
    source: SourceRef | None = None,
    owed: float | None = None,
    remedy: str | None = None,
) -> Finding:
    return {
        "rule": rule,
        "status": status,
        "message": message,
        "expected": expected,
        "actual": actual,
        "source": source,
        "owed": owed,
        "remedy": remedy,
    }


@dataclass(slots=True, frozen=True)
class CellProblem:
    """A cell of a supporting sheet (违规记录, 资质) that could not be read."""

    source: SourceRef
    raw: str
    reason: str


@dataclass(slots=True, frozen=True)
class ViolationProblem(CellProblem):
    """A 违规记录 row that could not be read whole, with what its readable cells still say
    of an appeal: a 申诉状态 of 申诉中 refuses the transfer (TB01) whatever the others hold,
    as an appeal typed on a row of its own (商家ID and 申诉中, the rest blank) is."""

    appeal: SourceRef | None = None
    """Its 申诉状态 cell when that reads 申诉中; None for any other state, or none read."""
    penalized_on: date | None = None
    """Its 处罚日期 when that can be read; None when blank or unreadable."""


@dataclass(slots=True)
class Violation:
    """One penalty record (sheet 违规记录)."""

    penalized_on: date
    kind: str  # "serious" | "general"
    points: float
    appeal: str  # "none" | "pending" | "succeeded" | "failed"
    source: SourceRef


@dataclass(slots=True)
class Qualification:
    """One qualification document (sheet 资质)."""

    kind: str
    number: str | None
    expires: date | datetime
    """Its 到期日期 as written: a day (valid through that whole day), a moment in Beijing
    time (it lapses then; 24时 is 00:00 of the next day) or `timeutil.NO_EXPIRY` (长期)."""
    source: SourceRef

    @property
    def lapses_at(self) -> datetime:
        """The first moment it is no longer valid (`timeutil.NEVER` for 长期)."""
        return lapse_of(self.expires)

    @property
    def valid_through(self) -> date | datetime:
        """Its expiry as messages say it, the same however the same moment was written:
        a day for a lapse at 00:00 (`2022-12-31 24:00` and `2022-12-31` are both valid
        through 2022-12-31), otherwise the moment it lapses."""
        if not isinstance(self.expires, datetime):
            return self.expires  # a day is valid through itself
        return valid_through(self.expires)


@dataclass
class Merchant:
    """One merchant row of the export, typed. `unreadable` maps a field to the raw text that
    could not be read and why, so a check can say which cell was bad instead of guessing.

    Not slotted on purpose: the defaults live on the class, so intake can fill a merchant by
    updating its `__dict__` with the cells that hold something (see `intake.export`), which
    is five times cheaper than the keyword constructor on a million rows.
    """

    sheet: str
    row: int
    merchant_id: str | None = None
    shop_name: str | None = None
    store_type: str | None = None
    category: str | None = None
    trademark: str | None = None
    contract_signed_at: datetime | None = None
    signup_at: datetime | None = None
    agreement_signed_at: datetime | None = None
    deposit_required: float | None = None
    deposit_balance: float | None = None
    deposit_topped_up_at: datetime | None = None
    deposit_insurance_renewed_at: datetime | None = None
    annual_fee_required: float | None = None
    annual_fee_paid: float | None = None
    annual_fee_paid_at: datetime | None = None
    appeal_pending: bool | None = None
    serious_points: float | None = None
    general_points: float | None = None
    experience_score: float | None = None
    service_opened_at: datetime | None = None
    assessment_failed: bool | None = None
    software_fee_unpaid: bool | None = None
    no_brand_authorization: bool | None = None
    exit_in_progress: bool | None = None
    entity_change_in_progress: bool | None = None
    taobao_transfer_in_progress: bool | None = None
    annual_inspection_pending: bool | None = None
    violations: list[Violation] | None = None
    qualifications: list[Qualification] | None = None
    unreadable: dict[str, tuple[str, str]] = field(default_factory=dict)
    violation_problems: tuple[CellProblem, ...] = ()
    qualification_problems: tuple[CellProblem, ...] = ()
    day_only: tuple[tuple[str, str], ...] = ()
    """The moment cells that gave a day and no time of day, each (field, raw text): read as
    that day's 00:00 until the engine judges whether the time decides a verdict there
    (renewal/checks/decisive.py). Set by intake only on a row that has one."""


class MerchantResult(TypedDict):
    """The verdict for one merchant row: what every report format shows."""

    merchant_id: str | None
    row: int
    sheet: str
    shop_name: str | None
    outcome: Outcome
    transfer_eligible: bool | None
    deposit_shortfall: float | None
    annual_fee_due: float | None
    deadline: datetime | None
    time_left_seconds: int | None
    due_soon: bool
    """Pending with less than the run's --due-soon threshold left before the deadline."""
    next_action: str | None
    findings: list[Finding]
