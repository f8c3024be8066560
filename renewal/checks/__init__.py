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
from renewal.checks.categories import is_one_of
from renewal.checks.registry import REGISTRY, Role, Rule
from renewal.ruleset import RuleParams, RuleSet

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


def _enabled(rules: RuleSet) -> list[RuleParams]:
    return [params for params in rules.rules.values() if params.enabled]


def category_names(rules: RuleSet) -> tuple[str, ...]:
    """Every category name and alias the year's tables keyed by 主营类目 list, once each:
    the special ones first (the deposit's special categories, the transfer's excluded ones,
    the qualification review's), then the annual fee's tiers. These are the categories a
    rule tells apart; any other is judged as a general category, as a blank 主营类目 is."""
    special: list[str] = []
    tiers: list[str] = []
    for params in _enabled(rules):
        if isinstance(params, deposit.DepositParams):
            special += params.special_words
        elif isinstance(params, transfer.TransferParams):
            special += params.excluded_categories.words
        elif isinstance(params, assessment.ReviewParams):
            special += params.words
        elif isinstance(params, fee.AnnualFeeParams):
            tiers += params.words
    return tuple(dict.fromkeys([*special, *tiers]))


def lists_category(rules: RuleSet, category: str) -> bool:
    """Whether one of the tables `category_names` reads lists `category` (one name, which
    may be a path of levels), each matched as its own rule matches it: 度假线路/签证送关/
    旅游服务 is the deposit's and the transfer's 旅游, 天猫国际进口 the transfer's 天猫国际,
    女装/女士精品/连衣裙 the fee's 女装/女士精品. Asked of the self-check's answer, so that a
    category typed as no table writes it (`travel`) is not taken for a general one unseen."""
    for params in _enabled(rules):
        if isinstance(params, deposit.DepositParams):
            found = bool(params.specials_for(category))
        elif isinstance(params, transfer.TransferParams):
            excluded = params.excluded_categories
            found = is_one_of(category, excluded.words, excluded.channel_words)
        elif isinstance(params, assessment.ReviewParams):
            found = is_one_of(category, params.words)
        elif isinstance(params, fee.AnnualFeeParams):
            found = params.fee_for(category) is not None
        else:
            found = False
        if found:
            return True
    return False


__all__ = [
    "FAMILIES",
    "REGISTRY",
    "Role",
    "Rule",
    "category_names",
    "has_fee",
    "lists_category",
    "reviewed_categories",
]
