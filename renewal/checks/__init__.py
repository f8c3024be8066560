"""The checks, one module per rule family, imported by explicit list so the registry is
complete and ordered before any rule set is loaded."""

from renewal.checks import (
    assessment,
    blockers,
    deposit,
    fee,
    qualifications,
    scope,
    steps,
    transfer,
)
from renewal.checks.registry import REGISTRY, Role, Rule
from renewal.ruleset import RuleSet

FAMILIES = (scope, blockers, steps, deposit, fee, assessment, qualifications, transfer)


def has_fee(rules: RuleSet) -> bool:
    """Whether the year has an annual fee step (none from 2025年度: the fee was abolished),
    so the views that total the amounts owed show no annual fee where there is none."""
    return any(
        REGISTRY[code].family == "fee"
        for code, params in rules.rules.items()
        if params.enabled and code in REGISTRY
    )


def reviewed_categories(rules: RuleSet) -> tuple[str, ...]:
    """The categories the year's qualification review covers (QR01, 2019年度), none in a
    year without it: the checks are told (`Context.reviewed_categories`), so the advice on
    documents (QL01) does not say renewal leaves unreviewed what the review holds to the
    deadline."""
    review = rules.params("QR01")
    return review.words if isinstance(review, assessment.ReviewParams) else ()


__all__ = ["FAMILIES", "REGISTRY", "Role", "Rule", "has_fee", "reviewed_categories"]
