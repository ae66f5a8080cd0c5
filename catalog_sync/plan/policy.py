"""Policy gates over a plan: each rule of the configured `Policy` passes, warns or
blocks. `plan` shows every rule's result; `apply` refuses a blocked plan unless the
user overrides it with a reason. Pure: the plan and the policy are values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any
from typing import Literal

from catalog_sync.cds.units import RATE_FIELDS
from catalog_sync.config.model import Policy
from catalog_sync.english import plural
from catalog_sync.errors import PolicyBlockedError
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan

Outcome = Literal["pass", "warn", "block"]
_SHOWN = 5
_OUTCOMES: dict[str, Outcome] = {"allow": "pass", "warn": "warn", "block": "block"}


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule's verdict; `findings` name what triggered it (product: change)."""

    rule: str
    setting: str
    outcome: Outcome
    summary: str
    findings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PolicyVerdict:
    """Every rule's result, in a fixed order."""

    rules: tuple[RuleResult, ...]

    @property
    def blocked(self) -> bool:
        return any(rule.outcome == "block" for rule in self.rules)

    @property
    def outcome(self) -> Outcome:
        """The worst rule outcome: block, warn or pass."""
        outcomes = {rule.outcome for rule in self.rules}
        return (
            "block" if "block" in outcomes else "warn" if "warn" in outcomes else "pass"
        )


def evaluate_policy(plan: Plan, policy: Policy) -> PolicyVerdict:
    """Each rule of `policy` applied to `plan`."""
    return PolicyVerdict((_adverse_rule(plan, policy), _rate_rule(plan, policy)))


def check_policy(plan: Plan, policy: Policy, *, override: str | None) -> PolicyVerdict:
    """The verdict; PolicyBlockedError (nothing written) if a rule blocks and no
    override reason is given."""
    verdict = evaluate_policy(plan, policy)
    if verdict.blocked and not (override and override.strip()):
        blocking = [r for r in verdict.rules if r.outcome == "block"]
        raise PolicyBlockedError(
            "the plan is blocked by policy: "
            + "; ".join(f"{r.rule}: {r.summary}" for r in blocking)
            + "; nothing was written",
            hint='review the changes, then re-run with --override-policy "REASON" '
            "if they are intended (the reason goes into the apply report)",
        )
    return verdict


def adverse_findings(plan: Plan) -> list[str]:
    """`product: change` for every change that is adverse or unclassified (review)."""
    found: list[str] = []
    for change in plan.changes:
        if change.action in (Action.RETIRE, Action.DELETE):
            found.append(f"{change.product_id}: {change.action.value}d")
            continue
        found += [
            f"{change.product_id}: {item.subject}"
            + (f" · {item.field}" if item.field else "")
            + f" ({item.impact})"
            for item in change.field_changes
            if item.impact in ("adverse", "review")
        ]
    return found


def _adverse_rule(plan: Plan, policy: Policy) -> RuleResult:
    found = adverse_findings(plan)
    setting = policy.adverse_changes
    if not found:
        return RuleResult("adverse_changes", setting, "pass", "no adverse changes")
    outcome = _OUTCOMES[setting]
    count = f"{len(found)} adverse or unclassified {plural(len(found), 'change')}"
    verb = {"allow": "allowed", "warn": "to review", "block": "blocked"}[setting]
    return RuleResult(
        "adverse_changes", setting, outcome, f"{count} {verb}", _cut(found)
    )


def _rate_rule(plan: Plan, policy: Policy) -> RuleResult:
    limit = policy.max_rate_change_bp
    setting = "no limit" if limit is None else f"{limit} bp"
    if limit is None:
        return RuleResult("max_rate_change_bp", setting, "pass", "no limit set")
    found = [
        f"{change.product_id}: {text}"
        for change in plan.changes
        for text in _big_moves(change, limit)
    ]
    if not found:
        return RuleResult(
            "max_rate_change_bp", setting, "pass", f"no rate moves more than {limit} bp"
        )
    count = f"{len(found)} {plural(len(found), 'rate')}"
    return RuleResult(
        "max_rate_change_bp",
        setting,
        "block",
        f"{count} moving more than {limit} bp",
        _cut(found),
    )


def _big_moves(change: Change, limit: int) -> list[str]:
    moves: list[str] = []
    for item in change.field_changes:
        if item.kind != "changed" or item.field.rsplit(".", 1)[-1] not in RATE_FIELDS:
            continue
        low, high = _number(item.before), _number(item.after)
        if low is None or high is None:
            continue
        delta = (high - low) * 10_000
        if abs(delta) > limit:
            sign = "+" if delta > 0 else "-"
            moves.append(
                f"{item.subject} {sign}{format(abs(delta).normalize(), 'f')} bp"
            )
    return moves


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _cut(found: list[str]) -> tuple[str, ...]:
    more = len(found) - _SHOWN
    return tuple(found[:_SHOWN]) + ((f"… and {more} more",) if more > 0 else ())
