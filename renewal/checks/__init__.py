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

FAMILIES = (scope, blockers, steps, deposit, fee, assessment, qualifications, transfer)

__all__ = ["FAMILIES", "REGISTRY", "Role", "Rule"]
