"""The rule registry: each check is a pure function registered with a stable code.

A code is a family prefix plus a number (`DP01`) and is never reused. The check's docstring
is its documentation: the first line is the title, then the sections `Fails when:`,
`Passes when:`, `Not applicable when:`, `Remediation:` and `Source:`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

if TYPE_CHECKING:
    from renewal.checks.context import Context
    from renewal.model import Finding, Merchant
    from renewal.ruleset import RuleParams

CODE_PATTERN = re.compile(r"^[A-Z]{2}\d{2}$")

P = TypeVar("P", bound="RuleParams")


class Role:
    """What a rule's result means for the outcome."""

    SCOPE = "scope"  # decides whether the merchant must renew at all
    BLOCKER = "blocker"  # stops a merchant from completing the steps it lists
    STEP = "step"  # a renewal step; every step must pass for `renewed`
    ADVISORY = "advisory"  # warns, never changes the outcome
    FALLBACK = "fallback"  # the 淘宝企业店铺 transfer, for failed or pending merchants


@dataclass(frozen=True)
class Rule(Generic[P]):
    code: str
    slug: str
    family: str
    role: str
    params: type[P]
    check: Callable[[Merchant, P, Context], Finding]
    reads: tuple[str, ...] = ()
    """The merchant columns (intake field names) the rule reads, beyond what its parameters
    name (a blocker's `column`, DP01's 保证金履约险 when the year has `insurance`). The
    template's comments say from them which columns a year uses, and a blocker column read
    here is used in every year that has the rule, never "ignored"."""

    @property
    def doc(self) -> str:
        return (self.check.__doc__ or "").strip()

    @property
    def title(self) -> str:
        return self.doc.splitlines()[0] if self.doc else self.slug


REGISTRY: dict[str, Rule[Any]] = {}


def rule(
    code: str, slug: str, family: str, role: str, params: type[P], reads: tuple[str, ...] = ()
) -> Callable[
    [Callable[[Merchant, P, Context], Finding]], Callable[[Merchant, P, Context], Finding]
]:
    """Register a check under `code`; a malformed or duplicate code is a programming error."""

    def register(
        check: Callable[[Merchant, P, Context], Finding],
    ) -> Callable[[Merchant, P, Context], Finding]:
        if not CODE_PATTERN.match(code):
            raise ValueError(f"rule code {code!r} does not match {CODE_PATTERN.pattern}")
        if code in REGISTRY:
            raise ValueError(f"rule code {code} registered twice")
        REGISTRY[code] = Rule(code, slug, family, role, params, check, reads)
        return check

    return register
