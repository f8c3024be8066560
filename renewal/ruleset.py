"""Rule sets: one TOML file per renewal year, validated at load time.

Every date, amount, threshold and step of a year lives in `rules/tmall-YYYY.toml` together
with the sentence it comes from and a mark saying whether the figure is sourced or
inferred. A typo fails here, naming the file and the key, never later inside a check.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import operator
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    field_validator,
)
from pydantic import Strict as NoCoercion
from pydantic_core import PydanticCustomError

from renewal.rule_errors import (
    Hint,
    Key,
    RuleSetError,
    UnknownRuleSet,
    first_problem,
    key_in,
    next_midnight,
    toml_error,
)
from renewal.timeutil import BEIJING, BEIJING_NAME, BEIJING_OFFSET, to_beijing

SCHEMA = "renewal-rules/1"


class Mark(StrEnum):
    """How far a figure can be trusted, as marked in ../shared/domain.md."""

    SOURCED = "sourced"
    SOURCED_WEAK = "sourced-weak"
    INFERRED = "inferred"

    @property
    def strength(self) -> int:
        """inferred < sourced-weak < sourced."""
        return _STRENGTH[self]

    def stronger_than(self, other: Mark) -> bool:
        """A block marked `self` citing a source marked `other` claims more than its source
        supports: a block is marked no stronger than the source it cites."""
        return self.strength > other.strength


_STRENGTH = {Mark.INFERRED: 0, Mark.SOURCED_WEAK: 1, Mark.SOURCED: 2}


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "blank text")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
"""Text a rule file must say something in (a label, a store type, a name, a quote): blank
or spaces only is refused, as a row named "" would match nothing or everything."""

Names = Annotated[list[Text], Field(min_length=1)]
"""A list of names (categories, aliases of nothing): at least one, none blank."""


def names_and_aliases(rows: Sequence[Any], main: str) -> Iterator[tuple[int, str, str]]:
    """Each row's `main` name and its `aliases`, as (row, key, name) for `unique_names`."""
    for index, row in enumerate(rows):
        yield index, f"{index}.{main}", getattr(row, main)
        for at, alias in enumerate(row.aliases):
            yield index, f"{index}.aliases.{at}", alias


def unique_names(names: Iterable[tuple[int, str, str]]) -> None:
    """Each name belongs to one row of a table, in any letter case: `names` are (row, key
    relative to the table, name). A name in two rows is refused naming both keys (which row
    would count is not said); one repeated in its own row is harmless."""
    owner: dict[str, tuple[int, str]] = {}
    for row, key, name in names:
        found = owner.setdefault(name.casefold(), (row, key))
        if found[0] != row:
            raise PydanticCustomError(
                "duplicate_name", "a name in two rows", {"at": key, "other": found[1], "name": name}
            )


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceKind(StrEnum):
    """What a source's quotes are. A document's are its own words (原文). The project's
    brief of the rules across years (`kind = "brief"`) is a file no user has, whose quotes
    are its summary of the announcements, often in English: it is shown by name, not by
    its path, and its quotes as a summary (摘要), never as a document's text."""

    DOCUMENT = "document"
    BRIEF = "brief"


class Source(Strict):
    """A document a rule set cites."""

    title: Text
    url: Text
    published: date | None = None
    mark: Mark
    kind: SourceKind = SourceKind.DOCUMENT


class Clause(Strict):
    """Any block of a rule file: the figures in it come from `quote` in source `source`."""

    source: Text
    mark: Mark
    quote: Text
    note: str | None = None


_BARE_DATE = re.compile(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*")
_HAS_TIME = re.compile(r"\d:\d\d")


def _with_time(value: object) -> object:
    """A moment must say its time. pydantic would read a bare date (TOML `2026-12-26`, or the
    text "2026-12-26") as 00:00, which moves an 18:00 deadline 18 hours earlier, and a number
    as Unix time: both are refused (the error types are said by rule_errors). So is 24:00
    (24时) in text, with the moment to write instead: a rule file writes TOML datetimes."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and (midnight := next_midnight(value)) is not None:
        raise PydanticCustomError("moment_24h", "24:00 is the next day's 00:00", {"next": midnight})
    if isinstance(value, date) or (isinstance(value, str) and _BARE_DATE.fullmatch(value)):
        raise PydanticCustomError("moment_without_time", "a date without a time of day")
    if isinstance(value, int | float) or (isinstance(value, str) and not _HAS_TIME.search(value)):
        raise PydanticCustomError("datetime_type", "Input should be a valid datetime")
    return value


def _beijing(moment: datetime) -> datetime:
    """Every time in a rule file is Beijing time, written without an offset or with +08:00.
    Another offset (Z, +00:00, -05:00: an ISO time pasted from elsewhere) is refused, not
    converted: `2025-12-26T18:00:00Z` written for an 18:00 deadline would silently move it to
    02:00 the next day. Taking the offset as written, nothing is converted, so a moment at the
    calendar's ends (0001-01-01T00:00:00+08:00) cannot overflow here: `_check_calendar`
    refuses it by its key."""
    offset = moment.utcoffset()
    if offset is not None and offset != BEIJING_OFFSET:
        raise PydanticCustomError("moment_offset", "not Beijing time")
    return moment.replace(tzinfo=BEIJING)


Moment = Annotated[datetime, BeforeValidator(_with_time), AfterValidator(_beijing)]
"""A point in time in a rule file (a window end, a cut-off): date and time, Beijing time,
written without an offset or with +08:00. A key that means a whole day (`published`,
`TB01.period_from`) is a `date` instead."""


def _bare(quoted: str, not_bool: str, says: str) -> Callable[[object], object]:
    """A validator refusing what pydantic would quietly take for a number: "2027" or
    "60000" in quotes, or true (1). A rule file writes numbers bare, and finite (TOML's nan
    and inf are numbers too). `quoted` and `not_bool` are the error types rule_errors
    words; `says` names the number."""

    def bare(value: object) -> object:
        if isinstance(value, str):
            raise PydanticCustomError(quoted, f"{says} in quotes")
        if isinstance(value, bool):
            raise PydanticCustomError(not_bool, f"Input should be {says}")
        if isinstance(value, float) and not math.isfinite(value):
            raise PydanticCustomError("finite_number", "Input should be a finite number")
        return value

    return bare


Year = Annotated[
    int, BeforeValidator(_bare("whole_quoted", "int_type", "a whole number")), NoCoercion()
]
"""A year in a rule file (`contract_year`, `AF01.year`): a bare whole number (2026, not
2026.0)."""

MAX_DAYS = 3660
"""Ten years: no period of a rule is longer, and a longer one would overflow the calendar."""

Days = Annotated[
    int,
    BeforeValidator(_bare("whole_quoted", "int_type", "a whole number")),
    NoCoercion(),
    Field(gt=0, le=MAX_DAYS),
]
"""A number of days (`TB01.window_days`, `QL01.consequences.days`): a bare whole number,
1 to MAX_DAYS."""

Amount = Annotated[
    float,
    BeforeValidator(_bare("number_quoted", "float_type", "a number")),
    Field(gt=0, allow_inf_nan=False),
]
"""An amount of money in a rule file (a deposit, a fee): a bare, finite number above zero
(a deposit or fee of ¥0 would pass everyone; nan and inf compare as nothing does)."""

Points = Amount
"""A points threshold (`TB01.serious_points_below`): as an amount, a bare finite number above
zero (at 0 or below, nobody is eligible, not even a merchant with no points). A fraction
is kept: the export's points may have one."""

Flag = StrictBool
"""A yes/no key: TOML's true or false only; "yes", "false", 0 and 1 are refused."""

_YEAR_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def _year_month(value: str) -> str:
    if not _YEAR_MONTH.fullmatch(value):
        raise PydanticCustomError("year_month", "a month such as 2026-01")
    return value


YearMonth = Annotated[str, AfterValidator(_year_month)]
"""A month, written "2026-01"."""


class MissedDeadline(Clause):
    """What a merchant that has not renewed by the deadline is told it loses, in the
    announcement's words: the agreement that ends at `terminates_at`, and what 监管 means."""

    agreement: Text
    """The agreement that terminates, as the announcement names it (《天猫商户服务协议》)."""
    agreement_en: Text
    supervision_means: Text
    """What the store can no longer do under 监管 (「即无法正常交易」)."""
    supervision_means_en: Text


class Cycle(Clause):
    """The renewal window and what happens to those who miss it."""

    window_opens: Moment
    window_closes: Moment
    terminates_at: Moment
    contract_year_ends: Moment
    supervision: Flag
    exit_from: YearMonth
    """The month Tmall starts assisting the exit of stores that did not renew ("2026-01"),
    in `contract_year`."""
    missed: MissedDeadline | None = None
    """Optional, so a rule file written before it existed still loads."""


class RuleParams(Clause):
    """Parameters every rule block may carry; each rule extends this with its own."""

    enabled: Flag = True
    """`enabled = false` turns the rule off for the year without deleting its block."""


class StepParams(RuleParams):
    """A renewal step: its name in both languages and where in 商家中心 it is done."""

    label: Text
    label_en: Text
    where: Text
    where_en: Text


class RuleSet(Strict):
    """One renewal year."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_: str
    id: Text
    name: Text
    name_en: Text
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
    """A rule set id (`tmall-2022`) or a path to a TOML file; None means the newest bundled.

    A value with a path separator or ending in .toml is a path (`./2025`, `rules.toml`).
    Any other value naming a bundled id is that id, even beside a file or folder of that
    name in the working directory: a `2025/` folder of exports must not take `--rules 2025`
    over (`passed_over` finds such a file, for a note). Only a value naming no bundled id
    is looked for as a file. An empty value (an unset `$RULES` in a script) is refused, not
    read as the working directory or as "no --rules", which would change the year."""
    ids = bundled_ids()
    if ref is None:
        if not ids:
            raise RuleSetError("no_bundled", where=bundled_dir())
        return bundled_dir() / f"{ids[-1]}.toml"
    if not ref.strip():
        raise UnknownRuleSet(ref, ids)
    bundled = None if names_a_path(ref) else bundled_id(ref)
    if bundled is not None:
        return bundled_dir() / f"{bundled}.toml"
    candidate = Path(ref)
    if names_a_path(ref) or candidate.exists():
        if candidate.is_dir():
            raise RuleSetError("is_dir", path=ref)
        if not candidate.exists():
            raise RuleSetError("not_found", path=ref)
        if not candidate.is_file():  # /dev/null, a pipe: there, but no file to read
            raise RuleSetError("not_regular", path=ref)
        return candidate
    raise UnknownRuleSet(ref, _nearest_ids(ref, ids), _local_rule_file(ref))


def names_a_path(ref: str) -> bool:
    """A --rules value that can only be a path: it has a path separator or ends in .toml."""
    separators = [sep for sep in ("/", os.sep, os.altsep) if sep]
    return any(sep in ref for sep in separators) or ref.strip().casefold().endswith(".toml")


def bundled_id(ref: str) -> str | None:
    """The bundled rule set `ref` names, in any case and by its bare year (TMALL-2022 and
    2022 are tmall-2022); None when it names none."""
    wanted = ref.strip().casefold()
    for id_ in bundled_ids():
        if wanted in (id_.casefold(), id_.rpartition("-")[2]):
            return id_
    return None


def passed_over(ref: str | None) -> Path | None:
    """The file of the working directory that `resolve` passed over for the bundled id of
    the same name (`--rules 2025` beside a file `2025`), so the run can say which was used
    and how to name the file; None when nothing was passed over. A folder is not said: a
    `2025/` of exports is no rule file."""
    if ref is None or not ref.strip() or names_a_path(ref) or bundled_id(ref) is None:
        return None
    candidate = Path(ref)
    return candidate if candidate.is_file() else None


def _local_rule_file(ref: str) -> str | None:
    """For a --rules value naming no bundled id (`2026`, `tmall-2026`): the rule file of
    the working directory the user most likely meant, as a path to give instead
    (`./tmall-2026.toml`, `./2026.toml`); None when there is none."""
    wanted = ref.strip()
    names = [f"{wanted}.toml"]
    year = re.search(r"(?<!\d)(\d{4})$", wanted)
    if year is not None:
        names += [f"tmall-{year[1]}.toml", f"{year[1]}.toml"]
    found = next((name for name in names if Path(name).is_file()), None)
    return None if found is None else f".{os.sep}{found}"


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


_Loc = tuple[str | int, ...]
"""A key of the file as parts, a row by its index (`("rules", "AF01", "tiers", 2)`)."""


def _key(path: Path, loc: Sequence[str | int]) -> Key | str:
    """A key as its user finds it (`rule_errors.key_in`): one inside `[[…]]` rows with each
    row counted from 1 and the line of its header. Only then is the file read again, to
    count the headers: a refusal is said once, and the checks that find one keep no text."""
    text = ""
    if any(isinstance(part, int) for part in loc):
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            pass  # said without the line
    return key_in(loc, text)


def _relative(key: object) -> tuple[str | int, ...]:
    """A key a table's validator gives relative to the table (`1.aliases.2`), as parts."""
    return tuple(int(part) if part.isdigit() else part for part in str(key).split(".") if part)


def _invalid(
    path: Path, prefix: tuple[str, ...], error: ValidationError, model: type[BaseModel]
) -> RuleSetError:
    """The first problem pydantic found, naming the file and the dotted key; an unknown key
    with the closest known name. A validator of a whole table (two rows for one store type)
    says in its context which key inside it is at fault (`at`) and which other key it
    clashes with (`other`), both relative to the table: they become keys of the file too."""
    first = first_problem(error.errors())
    loc = first["loc"]
    where = tuple("schema" if part == "schema_" else part for part in (*prefix, *loc))
    if first["type"] == "extra_forbidden":
        key = _key(path, where)
        known = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        if close:
            return RuleSetError("unknown_key", path=path, key=key, close=close[0])
        if not known:
            return RuleSetError("unknown_key_bare", path=path, key=key)
        return RuleSetError("unknown_key_of", path=path, key=key, known=known)
    problem = dict(first)
    context = dict(first.get("ctx") or {})
    if "other" in context:
        context["other"] = _key(path, (*where, *_relative(context["other"])))
    if "at" in context:
        where = (*where, *_relative(context.pop("at")))
    problem["ctx"] = context
    return RuleSetError("invalid", path=path, key=_key(path, where), problem=problem)


def _fields_at(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    """The field names of the (nested) model that `loc` points into: through fields, the
    rows of a list and the entries of a table keyed by name (`sources.announcement`)."""
    current: Any = model
    keyed = False  # the part after a dict field is an entry's name, not a field
    for part in loc:
        if isinstance(part, int) or keyed:
            keyed = False
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            return []
        annotation = field.annotation
        keyed = get_origin(annotation) is dict
        args = get_args(annotation)
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
        text = raw_bytes.decode("utf-8-sig")  # a byte order mark, as Notepad saves, is fine
        document = tomllib.loads(text)
    except OSError as exc:
        raise RuleSetError("unreadable", path=path, detail=exc.strerror or exc) from exc
    except UnicodeDecodeError as exc:  # saved as GBK, most likely: said with the line
        line = raw_bytes[: exc.start].count(b"\n") + 1
        raise RuleSetError("not_utf8", path=path, line=line) from exc
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(path, exc, text) from exc

    raw_rules: Any = document.pop("rules", {})
    if not isinstance(raw_rules, dict):
        raise RuleSetError("not_table", path=path)
    # every code before any block: a misspelt [[rules.AFO1.tiers]] leaves AF01 without its
    # tiers, and that block's missing key is the symptom, not the slip
    for code in raw_rules:
        if code not in registry.REGISTRY:
            known = sorted(registry.REGISTRY)
            raise RuleSetError("unknown_code", path=path, code=code, known=known)
    rules: dict[str, RuleParams] = {}
    for code, block in raw_rules.items():
        rule = registry.REGISTRY[code]
        try:
            rules[code] = rule.params.model_validate(block)
        except ValidationError as exc:
            raise _invalid(path, ("rules", code), exc, rule.params) from exc

    document["rules"] = rules
    if "schema" in document:  # absent, it is said missing like any other key
        document["schema_"] = document.pop("schema")
    document["path"] = str(path)
    document["sha256"] = hashlib.sha256(raw_bytes).hexdigest()
    try:
        ruleset = RuleSet.model_validate(document)
    except ValidationError as exc:
        raise _invalid(path, (), exc, RuleSet) from exc
    if ruleset.schema_ != SCHEMA:
        raise RuleSetError("schema", path=path, expected=SCHEMA, got=ruleset.schema_)
    _check_calendar(path, ruleset)
    _check_references(path, ruleset)
    _check_marks(path, ruleset)
    _check_required_rules(path, ruleset)
    _check_blocked_steps(path, ruleset)
    _check_insurance_signing(path, ruleset)
    _check_order(path, ruleset)
    _check_year_named(path, ruleset)
    return ruleset


YEARS = range(2000, 3000)
"""The years a rule file's dates and moments may fall in. Every renewal does; a date outside
is a placeholder (0001-01-01, 9999-12-31), and near the calendar's ends the arithmetic done
on a year's moments (a year of days added for the template's examples, a day taken off for
a deadline's date) would overflow: an internal error where the key should be named."""


def _check_calendar(path: Path, ruleset: RuleSet) -> None:
    """Every date and moment of the file falls in YEARS, before anything compares or counts
    with it; one that does not is refused by its key."""
    for loc, value in _dates(ruleset, ()):
        if value.year not in YEARS:
            raise RuleSetError(
                "out_of_years",
                path=path,
                key=_key(path, loc),
                value=value.isoformat(),
                first=YEARS[0],
                last=YEARS[-1],
            )


def _dates(value: object, loc: _Loc) -> Iterator[tuple[_Loc, date]]:
    """Every date and moment inside a validated block, by its key."""
    if isinstance(value, date):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _dates(getattr(value, name), (*loc, name.removesuffix("_")))
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from _dates(item, (*loc, str(name)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _dates(item, (*loc, index))


_TMALL_ID = re.compile(r"tmall-(\d{4})", re.IGNORECASE)
_YEAR_WRITTEN = re.compile(r"(?<!\d)\d{4}(?!\d)")


def _check_year_named(path: Path, ruleset: RuleSet) -> None:
    """`id`, `name` and `name_en` name the year `contract_year` is, where they name one: the
    README's first step changes the four together, and a copy with only the id and name
    changed would run last year's dates under next year's label, as no date disagrees with
    the contract_year left beside them. An id tmall-YYYY names its year (another id names
    none); a name, the years written in it (天猫2026年度商家续签), refused when none of them
    is contract_year. Which of the two is stale is not said: both are named. Checked after
    the dates, which name contract_year too when they disagree with it."""
    year = ruleset.contract_year
    found = _TMALL_ID.fullmatch(ruleset.id.strip())
    named = [("id", ruleset.id, [int(found[1])] if found is not None else [])]
    for key in ("name", "name_en"):
        text = getattr(ruleset, key)
        named.append((key, text, [int(written) for written in _YEAR_WRITTEN.findall(text)]))
    for key, text, years in named:
        if years and year not in years:
            value = json.dumps(text, ensure_ascii=False)
            raise RuleSetError(
                "year_named", path=path, key=key, value=value, named=years[0], year=year
            )


def _check_references(path: Path, ruleset: RuleSet) -> None:
    """Every clause cites a declared source."""
    for loc, clause in _all_clauses(ruleset):
        if clause.source not in ruleset.sources:
            key = _key(path, (*loc, "source"))
            raise RuleSetError("undeclared_source", path=path, key=key, source=clause.source)


def _check_marks(path: Path, ruleset: RuleSet) -> None:
    """Every clause is marked no stronger than the source it cites: a figure taken from a
    page marked inferred is no better than inferred (the rule tests/test_rule_provenance.py
    applies to the bundled files, here for any file)."""
    for loc, clause in _all_clauses(ruleset):
        cited = ruleset.sources[clause.source].mark
        if clause.mark.stronger_than(cited):
            raise RuleSetError(
                "mark_stronger",
                path=path,
                key=_key(path, (*loc, "mark")),
                mark=clause.mark.value,
                source=clause.source,
                source_mark=cited.value,
            )


def _check_required_rules(path: Path, ruleset: RuleSet) -> None:
    """A year has its scope cut-off and at least one step, enabled: without the cut-off
    every merchant must renew (none is exempt), without a step every merchant in scope
    counts as renewed."""
    from renewal.checks.registry import REGISTRY, Role

    enabled = [code for code, params in ruleset.rules.items() if params.enabled]
    for role in (Role.SCOPE, Role.STEP):
        if not any(REGISTRY[code].role == role for code in enabled):
            codes = [code for code, rule in REGISTRY.items() if rule.role == role]
            raise RuleSetError(f"no_{role}", path=path, codes=codes)


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


def _check_insurance_signing(path: Path, ruleset: RuleSet) -> None:
    """A year whose deposit a 保证金履约险 may meet (DP01's `insurance`) keeps its agreement
    step: the policy counts only if renewed before the agreement is signed
    (「需提前完成续保或用现金缴纳才能签订续签协议」), so DP01 reads 协议签署时间 to judge it
    (`checks.deposit._policy` and `_insurance`). Without an enabled DL02 the year has no
    signing and the template calls that column unused, yet a time in it would fail the
    policy and claim the whole cash deposit, and an unreadable one make the row an error."""
    deposit = ruleset.params("DP01")
    if getattr(deposit, "insurance", None) is not None and ruleset.params("DL02") is None:
        raise RuleSetError("insurance_without_signing", path=path)


_OUT_OF_ORDER: dict[str, Callable[[Any, Any], bool]] = {
    "not_later_than": operator.le,
    "earlier_than": operator.lt,
    "later_than": operator.gt,
}
"""A message key of rule_errors, and when a moment (or a day) is out of order against
another."""

_Keyed = tuple[str, datetime | date]


def _rule_value(ruleset: RuleSet, code: str, *names: str) -> Any:
    """A parameter of rule `code` (through nested blocks), None when the year has none."""
    found: Any = ruleset.rules.get(code)
    for name in names:
        found = getattr(found, name, None)
    return found


def _check_order(path: Path, ruleset: RuleSet) -> None:
    """The moments of a year in the order they happen; a pair out of order names both keys
    and both values. Equal moments are allowed where an end is included (the window may
    close at the termination, the scope cut-off may be the opening moment). The scope
    cut-off is no later than the window's opening (10:00 on the opening day in every known
    year), so nobody whose contract began during the window is asked to renew it.
    Qualifications must stay valid into the new contract year, not only to the old one's
    end, and the new year ends on 31 December of `contract_year`: the two slips of a file
    copied from last year's and half updated. A 保证金履约险 renewal bound is no later than
    the window's opening (else a renewal inside the window would not count); TB01's days
    come in order. Between the cycle's own order and the rest, its dates are checked
    against `contract_year` (`_check_years`), so a date left from last year is said as
    that rather than as out of order."""
    cycle = ruleset.cycle
    opens = ("cycle.window_opens", cycle.window_opens)
    closes = ("cycle.window_closes", cycle.window_closes)
    terminates = ("cycle.terminates_at", cycle.terminates_at)
    year_ends = ("cycle.contract_year_ends", cycle.contract_year_ends)
    _out_of_order(
        path,
        [
            (closes, "not_later_than", opens),
            (terminates, "earlier_than", closes),
            (year_ends, "not_later_than", terminates),
        ],
    )
    last_day = (cycle.contract_year_ends - timedelta(microseconds=1)).astimezone(BEIJING)
    if last_day.year != ruleset.contract_year:
        raise RuleSetError(
            "contract_year",
            path=path,
            year=ruleset.contract_year,
            value=cycle.contract_year_ends.isoformat(),
        )
    _check_years(path, ruleset)
    pairs: list[tuple[_Keyed, str, _Keyed]] = []
    cutoff = _rule_value(ruleset, "SC01", "signed_at_or_before")
    if isinstance(cutoff, datetime):
        pairs.append((("rules.SC01.signed_at_or_before", cutoff), "later_than", opens))
    valid_until = _rule_value(ruleset, "QL01", "must_stay_valid_until")
    if isinstance(valid_until, datetime):  # the new contract year's end, not the old one's
        key = "rules.QL01.must_stay_valid_until"
        pairs.append(((key, valid_until), "not_later_than", terminates))
        pairs.append(((key, valid_until), "later_than", year_ends))
    before = _rule_value(ruleset, "DP01", "insurance_earlier_year", "before")
    if isinstance(before, datetime):
        key = "rules.DP01.insurance_earlier_year.before"
        pairs.append(((key, before), "later_than", opens))
    # whole days: the entrance may open and close on one day, a period be one day long
    for first, last in (("entrance.opens", "entrance.closes"), ("period_from", "period_to")):
        first_day = _rule_value(ruleset, "TB01", *first.split("."))
        last_day = _rule_value(ruleset, "TB01", *last.split("."))
        if isinstance(first_day, date) and isinstance(last_day, date):
            later = (f"rules.TB01.{last}", last_day)
            pairs.append((later, "earlier_than", (f"rules.TB01.{first}", first_day)))
    _out_of_order(path, pairs)


def _out_of_order(path: Path, pairs: list[tuple[_Keyed, str, _Keyed]]) -> None:
    """The first pair out of order, naming both keys and both values."""
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


def _check_years(path: Path, ruleset: RuleSet) -> None:
    """The dates of a year agree with `contract_year`, so one left over from last year's
    file is refused rather than used: the old contracts terminate at the start of the
    contract year (its 1 January 00:00, the year before's 12-31 24时); the window's opening,
    the scope cut-off, the 保证金履约险 bound and the transfer entrance's opening fall in the
    year before (the window's close then does too, up to 12-31 24时); Tmall assists exits
    from a month of the contract year, whose annual fee (AF01.year) is charged. Every bundled
    year has these."""
    year = ruleset.contract_year
    cycle = ruleset.cycle
    starts = datetime(year, 1, 1, tzinfo=BEIJING)
    if cycle.terminates_at != starts:
        raise RuleSetError(
            "terminates_at",
            path=path,
            value=cycle.terminates_at.isoformat(),
            year=year,
            expected=starts.isoformat(),
            last_year=year - 1,
            hint=Hint("stale" if cycle.terminates_at < starts else ""),
        )
    in_year_before: list[tuple[str, datetime | date | None]] = [
        ("cycle.window_opens", cycle.window_opens),
        ("rules.SC01.signed_at_or_before", _rule_value(ruleset, "SC01", "signed_at_or_before")),
        (
            "rules.DP01.insurance_earlier_year.before",
            _rule_value(ruleset, "DP01", "insurance_earlier_year", "before"),
        ),
        ("rules.TB01.entrance.opens", _rule_value(ruleset, "TB01", "entrance", "opens")),
    ]
    for key, value in in_year_before:
        if value is None:
            continue
        day = to_beijing(value).date() if isinstance(value, datetime) else value
        if day.year != year - 1:
            raise RuleSetError(
                "not_year_before",
                path=path,
                key=key,
                value=value.isoformat(),
                year=year,
                last_year=year - 1,
                hint=Hint("stale" if day.year < year - 1 else ""),
            )
    in_year: list[tuple[str, object, int]] = [
        ("cycle.exit_from", f'"{cycle.exit_from}"', int(cycle.exit_from[:4]))
    ]
    fee_year = _rule_value(ruleset, "AF01", "year")
    if isinstance(fee_year, int):
        in_year.append(("rules.AF01.year", fee_year, fee_year))
    for key, written, its_year in in_year:
        if its_year != year:
            hint = Hint("stale" if its_year < year else "")
            raise RuleSetError(
                "not_contract_year", path=path, key=key, value=written, year=year, hint=hint
            )


def _all_clauses(ruleset: RuleSet) -> list[tuple[_Loc, Clause]]:
    """Every block of the file with a source, mark and quote, by its key."""
    found = _clauses(("cycle",), ruleset.cycle)
    for code, params in ruleset.rules.items():
        found += _clauses(("rules", code), params)
    return found


def _clauses(where: _Loc, block: Clause) -> list[tuple[_Loc, Clause]]:
    found = [(where, block)]
    for name in type(block).model_fields:
        value = getattr(block, name)
        if isinstance(value, Clause):
            found += _clauses((*where, name), value)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Clause):
                    found += _clauses((*where, name, index), item)
    return found
