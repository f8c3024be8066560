"""Rule sets: one TOML file per renewal year, validated at load time.

Every date, amount, threshold and step of a year lives in `rules/tmall-YYYY.toml` together
with the sentence it comes from and a mark saying whether the figure is sourced or
inferred. A typo fails here, naming the file and the key, never later inside a check.
"""

from __future__ import annotations

import difflib
import hashlib
import operator
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    ValidationError,
    field_validator,
)
from pydantic_core import PydanticCustomError

from renewal.rule_errors import RuleSetError, UnknownRuleSet, first_problem, toml_error
from renewal.timeutil import BEIJING, BEIJING_NAME, to_beijing

SCHEMA = "renewal-rules/1"


class Mark(StrEnum):
    """How far a figure can be trusted, as marked in ../shared/domain.md."""

    SOURCED = "sourced"
    SOURCED_WEAK = "sourced-weak"
    INFERRED = "inferred"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """A document a rule set cites."""

    title: str
    url: str
    published: date | None = None
    mark: Mark


class Clause(Strict):
    """Any block of a rule file: the figures in it come from `quote` in source `source`."""

    source: str
    mark: Mark
    quote: str
    note: str | None = None


_BARE_DATE = re.compile(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*")
_HAS_TIME = re.compile(r"\d:\d\d")


def _with_time(value: object) -> object:
    """A moment must say its time. pydantic would read a bare date (TOML `2026-12-26`, or the
    text "2026-12-26") as 00:00, which moves an 18:00 deadline 18 hours earlier, and a number
    as Unix time: both are refused (the error types are said by rule_errors)."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, date) or (isinstance(value, str) and _BARE_DATE.fullmatch(value)):
        raise PydanticCustomError("moment_without_time", "a date without a time of day")
    if isinstance(value, int | float) or (isinstance(value, str) and not _HAS_TIME.search(value)):
        raise PydanticCustomError("datetime_type", "Input should be a valid datetime")
    return value


Moment = Annotated[datetime, BeforeValidator(_with_time), AfterValidator(to_beijing)]
"""A point in time in a rule file (a window end, a cut-off): date and time, read as Beijing
time when written without an offset. A key that means a whole day (`published`,
`TB01.period_from`) is a `date` instead."""


def _bare(quoted: str, not_bool: str, says: str) -> Callable[[object], object]:
    """A validator refusing what pydantic would quietly take for a number: "2027" or
    "60000" in quotes, or true (1). A rule file writes numbers bare. `quoted` and
    `not_bool` are the error types rule_errors words; `says` names the number."""

    def bare(value: object) -> object:
        if isinstance(value, str):
            raise PydanticCustomError(quoted, f"{says} in quotes")
        if isinstance(value, bool):
            raise PydanticCustomError(not_bool, f"Input should be {says}")
        return value

    return bare


Year = Annotated[int, BeforeValidator(_bare("whole_quoted", "int_type", "a whole number"))]
"""A year in a rule file (`contract_year`, `AF01.year`): a bare whole number."""

Amount = Annotated[float, BeforeValidator(_bare("number_quoted", "float_type", "a number"))]
"""An amount of money in a rule file (a deposit, a fee): a bare number."""


class MissedDeadline(Clause):
    """What a merchant that has not renewed by the deadline is told it loses, in the
    announcement's words: the agreement that ends at `terminates_at`, and what 监管 means."""

    agreement: str
    """The agreement that terminates, as the announcement names it (《天猫商户服务协议》)."""
    agreement_en: str
    supervision_means: str
    """What the store can no longer do under 监管 (「即无法正常交易」)."""
    supervision_means_en: str


class Cycle(Clause):
    """The renewal window and what happens to those who miss it."""

    window_opens: Moment
    window_closes: Moment
    terminates_at: Moment
    contract_year_ends: Moment
    supervision: bool
    exit_from: str
    missed: MissedDeadline | None = None
    """Optional, so a rule file written before it existed still loads."""


class RuleParams(Clause):
    """Parameters every rule block may carry; each rule extends this with its own."""

    enabled: bool = True


class StepParams(RuleParams):
    """A renewal step: its name in both languages and where in 商家中心 it is done."""

    label: str
    label_en: str
    where: str
    where_en: str


class RuleSet(Strict):
    """One renewal year."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: str
    id: str
    name: str
    name_en: str
    contract_year: Year
    timezone: str
    """Always Asia/Shanghai: every time in a rule file is Beijing time (timeutil.BEIJING), so
    the key documents the clock rather than choosing one."""
    sources: dict[str, Source]
    cycle: Cycle
    rules: dict[str, RuleParams]
    path: str
    sha256: str

    @field_validator("timezone")
    @classmethod
    def _beijing_only(cls, value: str) -> str:
        if value != BEIJING_NAME:
            raise PydanticCustomError("beijing_only", "rule times are Beijing time")
        return value

    def params(self, code: str) -> RuleParams | None:
        """The enabled parameters of rule `code`, or None when this year has no such rule."""
        found = self.rules.get(code)
        return found if found is not None and found.enabled else None


def bundled_dir() -> Path:
    """Where the shipped rule files live: inside the wheel, or `rules/` in a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "rules"
    return packaged if packaged.is_dir() else here.parent / "rules"


def bundled_ids() -> list[str]:
    return sorted(p.stem for p in bundled_dir().glob("tmall-*.toml"))


def resolve(ref: str | None) -> Path:
    """A rule set id (`tmall-2022`) or a path to a TOML file; None means the newest bundled."""
    ids = bundled_ids()
    if ref is None:
        if not ids:
            raise RuleSetError("no_bundled", where=bundled_dir())
        return bundled_dir() / f"{ids[-1]}.toml"
    candidate = Path(ref)
    if candidate.suffix == ".toml" or candidate.exists():
        if not candidate.is_file():
            raise RuleSetError("not_found", path=ref)
        return candidate
    # any case, and a bare year: TMALL-2022 and 2022 are tmall-2022
    wanted = ref.strip().casefold()
    for id_ in ids:
        if wanted in (id_.casefold(), id_.rpartition("-")[2]):
            return bundled_dir() / f"{id_}.toml"
    raise UnknownRuleSet(ref, _nearest_ids(ref, ids))


def _nearest_ids(ref: str, ids: list[str]) -> list[str]:
    """For `tmall-2020`: the bundled years just before and after it; else every id."""
    wanted = re.search(r"(\d{4})$", ref)
    years = {int(match.group(1)): id_ for id_ in ids if (match := re.search(r"(\d{4})$", id_))}
    if wanted is None or not years:
        return ids
    year = int(wanted.group(1))
    below = [y for y in years if y < year]
    above = [y for y in years if y > year]
    return [years[y] for y in (max(below, default=None), min(above, default=None)) if y is not None]


@dataclass(frozen=True)
class Selection:
    """The rule set a run uses, and how it was chosen: `given` by --rules, `as-of` because
    its contract year is running at the as-of, or `nearest` when no bundled cycle covers
    the as-of (which the run must say, so nobody takes another year's rules for this one)."""

    ruleset: RuleSet
    how: str


def contract_year(ruleset: RuleSet) -> tuple[datetime, datetime]:
    """The year a cycle covers: the year that ends at its termination. The start is
    excluded and the end included, so the termination moment belongs to the cycle that
    ends there."""
    end = ruleset.cycle.terminates_at
    return end.replace(year=end.year - 1), end


def choose(as_of: datetime) -> Selection:
    """The bundled cycle whose old contracts run out in the year `as_of` is in (the year
    ending at its termination: tmall-2022 for any moment of 2021), else the nearest one."""
    rulesets = [load(id_) for id_ in bundled_ids()]
    if not rulesets:
        raise RuleSetError("no_bundled", where=bundled_dir())

    def covers(ruleset: RuleSet) -> bool:
        start, end = contract_year(ruleset)
        return start < as_of <= end

    def distance(ruleset: RuleSet) -> tuple[bool, float]:
        """Covering first; else the nearest, by how far the as-of is from its year (the
        start itself is the year before's: 0 s away, but not covered)."""
        start, end = contract_year(ruleset)
        away = start - as_of if as_of <= start else as_of - end
        return not covers(ruleset), away.total_seconds()

    nearest = min(rulesets, key=lambda r: (distance(r), r.id))
    return Selection(nearest, "as-of" if covers(nearest) else "nearest")


def _key_path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc)


def _invalid(
    path: Path, prefix: str, error: ValidationError, model: type[BaseModel]
) -> RuleSetError:
    """The first problem pydantic found, naming the file and the dotted key; an unknown key
    with the closest known name."""
    first = first_problem(error.errors())
    loc = first["loc"]
    key = _key_path((prefix, *loc) if prefix else loc).replace("schema_", "schema")
    if first["type"] == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        if close:
            return RuleSetError("unknown_key", path=path, key=key, close=close[0])
        return RuleSetError("unknown_key_of", path=path, key=key, known=known)
    return RuleSetError("invalid", path=path, key=key, problem=dict(first))


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The field names of the (nested) model that `loc` points into."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            return []
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        current = next((a for a in (annotation, *args) if hasattr(a, "model_fields")), None)
        if current is None:
            return []
    return sorted(current.model_fields) if hasattr(current, "model_fields") else []


def load(ref: str | None) -> RuleSet:
    """Load and validate a rule set; raise RuleSetError naming the file and key on any problem."""
    from renewal.checks import registry

    path = resolve(ref)
    try:
        raw_bytes = path.read_bytes()
        document = tomllib.loads(raw_bytes.decode("utf-8"))
    except OSError as exc:
        raise RuleSetError("unreadable", path=path, detail=exc.strerror or exc) from exc
    except UnicodeDecodeError as exc:
        raise RuleSetError("not_utf8", path=path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(path, exc) from exc

    raw_rules: Any = document.pop("rules", {})
    if not isinstance(raw_rules, dict):
        raise RuleSetError("not_table", path=path)
    rules: dict[str, RuleParams] = {}
    for code, block in raw_rules.items():
        rule = registry.REGISTRY.get(code)
        if rule is None:
            known = sorted(registry.REGISTRY)
            raise RuleSetError("unknown_code", path=path, code=code, known=known)
        try:
            rules[code] = rule.params.model_validate(block)
        except ValidationError as exc:
            raise _invalid(path, f"rules.{code}", exc, rule.params) from exc

    document["rules"] = rules
    document["schema_"] = document.pop("schema", None)
    document["path"] = str(path)
    document["sha256"] = hashlib.sha256(raw_bytes).hexdigest()
    try:
        ruleset = RuleSet.model_validate(document)
    except ValidationError as exc:
        raise _invalid(path, "", exc, RuleSet) from exc
    if ruleset.schema_ != SCHEMA:
        raise RuleSetError("schema", path=path, expected=SCHEMA, got=ruleset.schema_)
    _check_references(path, ruleset)
    _check_blocked_steps(path, ruleset)
    _check_order(path, ruleset)
    return ruleset


def _check_references(path: Path, ruleset: RuleSet) -> None:
    """Every clause cites a declared source."""
    blocks: list[tuple[str, Clause]] = [("cycle", ruleset.cycle)]
    blocks += [(f"rules.{code}", params) for code, params in ruleset.rules.items()]
    for where, block in blocks:
        for key, clause in _clauses(where, block):
            if clause.source not in ruleset.sources:
                raise RuleSetError("undeclared_source", path=path, key=key, source=clause.source)


def _check_blocked_steps(path: Path, ruleset: RuleSet) -> None:
    """A blocker's `blocks` names steps of this rule set: a code that is not one would block
    nothing, and the merchant would be told to do a step the blocker stops."""
    from renewal.checks.registry import REGISTRY, Role

    steps = [code for code in ruleset.rules if REGISTRY[code].role == Role.STEP]
    for code, params in ruleset.rules.items():
        for step in getattr(params, "blocks", ()):
            if step not in steps:
                key = f"rules.{code}.blocks"
                raise RuleSetError("unknown_step", path=path, key=key, step=step, steps=steps)


_OUT_OF_ORDER: dict[str, Callable[[datetime, datetime], bool]] = {
    "not_later_than": operator.le,
    "earlier_than": operator.lt,
    "later_than": operator.gt,
}
"""A message key of rule_errors, and when a moment is out of order against another."""


def _check_order(path: Path, ruleset: RuleSet) -> None:
    """The moments of a year in the order they happen; a pair out of order names both keys
    and both values. Equal moments are allowed where an end is included (the window may
    close at the termination, the scope cut-off may be the closing moment). Qualifications
    must stay valid into the new contract year, not only to the old one's end, and the new
    year ends on 31 December of `contract_year`: the two slips of a file copied from last
    year's and half updated."""
    cycle = ruleset.cycle
    opens = ("cycle.window_opens", cycle.window_opens)
    closes = ("cycle.window_closes", cycle.window_closes)
    terminates = ("cycle.terminates_at", cycle.terminates_at)
    year_ends = ("cycle.contract_year_ends", cycle.contract_year_ends)
    pairs = [
        (closes, "not_later_than", opens),
        (terminates, "earlier_than", closes),
        (year_ends, "not_later_than", terminates),
    ]
    cutoff = getattr(ruleset.rules.get("SC01"), "signed_at_or_before", None)
    if isinstance(cutoff, datetime):
        pairs.append((("rules.SC01.signed_at_or_before", cutoff), "later_than", closes))
    valid_until = getattr(ruleset.rules.get("QL01"), "must_stay_valid_until", None)
    if isinstance(valid_until, datetime):  # the new contract year's end, not the old one's
        key = "rules.QL01.must_stay_valid_until"
        pairs.append(((key, valid_until), "not_later_than", terminates))
        pairs.append(((key, valid_until), "later_than", year_ends))
    entrance = getattr(ruleset.rules.get("TB01"), "entrance", None)
    opens_day, closes_day = getattr(entrance, "opens", None), getattr(entrance, "closes", None)
    if isinstance(opens_day, date) and isinstance(closes_day, date) and closes_day < opens_day:
        raise RuleSetError(  # whole days: the entrance may open and close on one day
            "earlier_than",
            path=path,
            key="rules.TB01.entrance.closes",
            value=closes_day.isoformat(),
            other="rules.TB01.entrance.opens",
            other_value=opens_day.isoformat(),
        )
    for (key, value), relation, (other, other_value) in pairs:
        if _OUT_OF_ORDER[relation](value, other_value):
            raise RuleSetError(
                relation,
                path=path,
                key=key,
                value=value.isoformat(),
                other=other,
                other_value=other_value.isoformat(),
            )
    last_day = (cycle.contract_year_ends - timedelta(microseconds=1)).astimezone(BEIJING)
    if last_day.year != ruleset.contract_year:
        raise RuleSetError(
            "contract_year",
            path=path,
            year=ruleset.contract_year,
            value=cycle.contract_year_ends.isoformat(),
        )


def _clauses(where: str, block: Clause) -> list[tuple[str, Clause]]:
    found = [(where, block)]
    for name in type(block).model_fields:
        value = getattr(block, name)
        if isinstance(value, Clause):
            found += _clauses(f"{where}.{name}", value)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Clause):
                    found += _clauses(f"{where}.{name}.{index}", item)
    return found
