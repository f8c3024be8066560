"""The renewal steps that are a single act at a moment: sign-up and signing the agreement."""

from __future__ import annotations

from datetime import datetime

from renewal import i18n
from renewal.checks.context import Context
from renewal.checks.evidence import StepState, said_at, source, step_state, unusable
from renewal.checks.registry import Role, rule
from renewal.model import Finding, Merchant, Status, finding
from renewal.ruleset import StepParams


def timed_step(
    code: str, field: str, at: datetime | None, merchant: Merchant, params: StepParams, ctx: Context
) -> Finding:
    """A step done by one act whose time must fall inside the window, both ends included."""
    problem = unusable(merchant, code, (field,), ctx)
    if problem is not None:
        return problem
    label = params.label_en if ctx.lang == "en" else params.label
    state = step_state(at, ctx)
    if state is StepState.DONE:
        message = ctx.constant("step.done", code, label=label)
        return finding(
            code, Status.PASS, message, ctx.cycle.window_closes, at, source(merchant, field, ctx)
        )
    deadline = ctx.deadline_text
    if state is StepState.MISSING and at is not None:
        # re-checking as of a moment before the step: not done yet then
        at_text = said_at(merchant, field, at)
        message = ctx.text("step.after_as_of", at=at_text, label=label, deadline=deadline)
    elif state is StepState.MISSING:
        key = "step.missed" if ctx.deadline_passed else "step.pending"
        message = ctx.constant(key, code, label=label, deadline=deadline)
    elif state is StepState.LATE:
        assert at is not None
        at_text = said_at(merchant, field, at)
        message = ctx.text("step.late", at=at_text, label=label, deadline=deadline)
    else:
        assert at is not None
        opens = i18n.moment(ctx.cycle.window_opens)
        message = ctx.text("step.early", at=said_at(merchant, field, at), opens=opens, label=label)
    found = finding(
        code, Status.FAIL, message, ctx.cycle.window_closes, at, source(merchant, field, ctx)
    )
    where = params.where_en if ctx.lang == "en" else params.where
    found["remedy"] = ctx.constant("step.remedy", code, label=label, where=where)
    return found


@rule("DL01", "step.signup", "deadline", Role.STEP, StepParams, reads=("signup_at",))
def signup(merchant: Merchant, params: StepParams, ctx: Context) -> Finding:
    """Renewal sign-up (续签报名) done inside the renewal window.

    Fails when: 续签报名时间 is blank, after the as-of (not done yet at that moment), before
    the window opened, or after the deadline. Before the deadline a missing sign-up leaves
    the merchant `pending`; after it, `failed`.
    Passes when: the sign-up time falls inside the window, both ends included.
    Not applicable when: the merchant is exempt (contract signed after the cut-off).
    Remediation: sign up in 商家中心-续签服务专区 before the deadline.
    Source: the announcement's 续签入口及流程 clause: 「续签流程包括“续签报名、签署协议、缴费”三个环节。」
    """
    return timed_step("DL01", "signup_at", merchant.signup_at, merchant, params, ctx)


@rule(
    "DL02", "step.agreement", "deadline", Role.STEP, StepParams, reads=("agreement_signed_at",)
)
def agreement(merchant: Merchant, params: StepParams, ctx: Context) -> Finding:
    """Renewal agreement (签署协议) signed inside the renewal window.

    Fails when: 协议签署时间 is blank, after the as-of, before the window opened, or after
    the deadline.
    Passes when: the agreement was signed inside the window, both ends included.
    Not applicable when: the merchant is exempt.
    Remediation: sign the agreement in 商家中心-续签服务专区 before the deadline.
    Source: the announcement's 续签入口及流程 clause: 「续签流程包括“续签报名、签署协议、缴费”三个环节。」
    """
    return timed_step(
        "DL02", "agreement_signed_at", merchant.agreement_signed_at, merchant, params, ctx
    )
