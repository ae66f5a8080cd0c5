"""Policy gates over real plans: each rule's result, blocking and overriding."""

from __future__ import annotations

import pytest

from catalog_sync.config.model import Policy
from catalog_sync.errors import PolicyBlockedError
from catalog_sync.plan.policy import check_policy
from catalog_sync.plan.policy import evaluate_policy
from tests.render.plans import make_plan
from tests.render.plans import product


def _rate_plan(new_rate: str):
    edited = product("a")
    edited["lendingRates"][0]["rate"] = new_rate
    return make_plan({"a": edited}, {"a": product("a")})


def test_no_adverse_changes_pass_every_rule():
    verdict = evaluate_policy(_rate_plan("0.0500"), Policy("block", 100))
    assert verdict.outcome == "pass"
    assert [(r.rule, r.outcome, r.summary) for r in verdict.rules] == [
        ("adverse_changes", "pass", "no adverse changes"),
        ("max_rate_change_bp", "pass", "no rate moves more than 100 bp"),
    ]


@pytest.mark.parametrize(
    ("setting", "outcome", "summary"),
    [
        ("allow", "pass", "1 adverse or unclassified change allowed"),
        ("warn", "warn", "1 adverse or unclassified change to review"),
        ("block", "block", "1 adverse or unclassified change blocked"),
    ],
)
def test_adverse_changes_setting(setting, outcome, summary):
    verdict = evaluate_policy(_rate_plan("0.0549"), Policy(setting))
    rule = verdict.rules[0]
    assert (rule.outcome, rule.summary) == (outcome, summary)
    assert rule.findings == ("a: Variable rate, P&I, owner occupied · rate (adverse)",)
    assert verdict.outcome == outcome
    assert verdict.blocked is (outcome == "block")


def test_a_rate_moving_more_than_the_limit_blocks_either_way():
    verdict = evaluate_policy(_rate_plan("0.0374"), Policy("allow", 100))
    rule = verdict.rules[1]
    assert (rule.setting, rule.outcome) == ("100 bp", "block")
    assert rule.findings == ("a: Variable rate, P&I, owner occupied -150 bp",)
    assert (
        evaluate_policy(_rate_plan("0.0624"), Policy("allow", 100)).rules[1].outcome
        == "pass"
    )


def test_removals_count_as_adverse_and_findings_are_cut():
    live = {f"p{i}": product(f"p{i}") for i in range(8)}
    verdict = evaluate_policy(make_plan({}, live, removal="delete"), Policy("block"))
    findings = verdict.rules[0].findings
    assert findings[:2] == ("p0: deleted", "p1: deleted")
    assert findings[-1] == "… and 3 more"


def test_check_policy_refuses_unless_overridden_with_a_reason():
    plan = _rate_plan("0.0374")
    policy = Policy("warn", 100)
    with pytest.raises(PolicyBlockedError, match="max_rate_change_bp: 1 rate moving"):
        check_policy(plan, policy, override=None)
    with pytest.raises(PolicyBlockedError):
        check_policy(plan, policy, override="   ")
    assert check_policy(plan, policy, override="approved").blocked


def test_rates_that_are_not_numbers_or_were_added_are_not_moves():
    edited = product("a")
    edited["lendingRates"][0]["rate"] = "n/a"
    edited["lendingRates"][0]["comparisonRate"] = "0.09"
    plan = make_plan({"a": edited}, {"a": product("a")})
    assert evaluate_policy(plan, Policy("allow", 1)).rules[1].outcome == "pass"
