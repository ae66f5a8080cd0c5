"""The reviewed-plan check on plan values built by the real build_plan."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest

from catalog_sync.errors import PlanError
from catalog_sync.plan.digest import change_set_digest
from catalog_sync.plan.plan import Action
from catalog_sync.plan.reviewed import ReviewedPlan
from catalog_sync.plan.reviewed import check_reviewed
from tests.render.plans import make_plan
from tests.render.plans import product


def _fee(body: dict[str, Any], amount: str) -> dict[str, Any]:
    edited = copy.deepcopy(body)
    edited["fees"][0]["fixedAmount"]["amount"] = amount
    return edited


def _rate(body: dict[str, Any], rate: str) -> dict[str, Any]:
    edited = copy.deepcopy(body)
    edited["lendingRates"][0]["rate"] = rate
    return edited


LIVE = {"a": product("a"), "b": product("b"), "old": product("old")}


def _reviewed(
    desired: dict[str, Any], live: dict[str, Any] = LIVE, label: str = "PR #1"
) -> ReviewedPlan:
    return ReviewedPlan(label, make_plan(desired, live))


def test_the_same_plan_passes():
    desired = {"a": _fee(LIVE["a"], "6.00"), "b": LIVE["b"], "n": product("n")}
    plan = make_plan(desired, LIVE)
    check = check_reviewed(plan, [_reviewed(desired)])
    assert check.ok
    assert check.digest == change_set_digest(plan)
    assert check.no_longer_needed == ()


def test_a_subset_passes_and_reports_what_is_already_live():
    reviewed = _reviewed(
        {"a": _fee(LIVE["a"], "6.00"), "b": LIVE["b"], "n": product("n")}
    )
    now_live = {**LIVE, "n": product("n")}  # the create happened meanwhile
    plan = make_plan(
        {"a": _fee(LIVE["a"], "6.00"), "b": LIVE["b"], "n": product("n")}, now_live
    )
    check = check_reviewed(plan, [reviewed])
    assert check.ok
    assert [
        (i.label, i.change.action, i.change.product_id) for i in check.no_longer_needed
    ] == [("PR #1", Action.CREATE, "n")]


def test_an_extra_change_is_unreviewed_because_of_another_merge():
    reviewed = _reviewed({"a": _fee(LIVE["a"], "6.00"), "b": LIVE["b"]})
    plan = make_plan(
        {"a": _fee(LIVE["a"], "6.00"), "b": _rate(LIVE["b"], "0.06")}, LIVE
    )
    check = check_reviewed(plan, [reviewed])
    assert not check.ok
    [item] = check.unreviewed
    assert (item.change.product_id, item.cause) == ("b", "not-reviewed")
    # Both plans retire "old" (it has no file), so that retirement was reviewed.
    assert [c.action for c in plan.changes].count(Action.RETIRE) == 1


def test_a_changed_value_is_unreviewed_and_only_that_field_is_named():
    reviewed = _reviewed({"a": _rate(_fee(LIVE["a"], "6.00"), "0.06"), "b": LIVE["b"]})
    plan = make_plan(
        {"a": _rate(_fee(LIVE["a"], "6.00"), "0.07"), "b": LIVE["b"]}, LIVE
    )
    [item] = check_reviewed(plan, [reviewed]).unreviewed
    assert [f.after for f in item.change.field_changes] == ["0.07"]
    assert item.cause == "not-reviewed"


def test_a_live_edit_since_the_review_is_named_as_the_cause():
    desired = {"a": _fee(LIVE["a"], "6.00"), "b": LIVE["b"]}
    reviewed = _reviewed(desired)
    console = {**LIVE, "b": _rate(LIVE["b"], "0.09")}
    plan = make_plan(desired, console)
    [item] = check_reviewed(plan, [reviewed]).unreviewed
    assert (item.change.product_id, item.cause) == ("b", "live-changed")
    assert [(f.before, f.after) for f in item.change.field_changes] == [
        ("0.09", "0.0524")
    ]


def test_two_reviewed_plans_together_cover_one_update_of_two_fields():
    first = _reviewed({"a": _fee(LIVE["a"], "6.00"), "b": LIVE["b"]}, label="PR #1")
    second = _reviewed({"a": _rate(LIVE["a"], "0.06"), "b": LIVE["b"]}, label="PR #2")
    plan = make_plan(
        {"a": _rate(_fee(LIVE["a"], "6.00"), "0.06"), "b": LIVE["b"]}, LIVE
    )
    assert check_reviewed(plan, [first]).unreviewed[0].change.product_id == "a"
    assert check_reviewed(plan, [first, second]).ok


def test_a_retirement_matches_whatever_its_time():
    reviewed = ReviewedPlan("r", make_plan({"a": LIVE["a"], "b": LIVE["b"]}, LIVE))
    later = replace(
        make_plan({"a": LIVE["a"], "b": LIVE["b"]}, LIVE),
    )
    later = replace(
        later,
        changes=tuple(
            replace(c, after={**(c.after or {}), "effectiveTo": "2030-01-01T00:00:00Z"})
            for c in later.changes
        ),
    )
    assert check_reviewed(later, [reviewed]).ok


def test_another_environment_or_base_url_or_nothing_is_refused():
    plan = make_plan({"a": LIVE["a"]}, LIVE)
    other_env = ReviewedPlan("x.json", replace(plan, environment="production"))
    with pytest.raises(
        PlanError,
        match=r"x\.json: the reviewed plan was made for environment .production.",
    ):
        check_reviewed(plan, [other_env])
    public = ReviewedPlan("fork.json", replace(plan, base_url="https://public.example"))
    with pytest.raises(
        PlanError, match=r"made against https://public\.example"
    ) as info:
        check_reviewed(plan, [public])
    assert "fork" in str(info.value)
    assert check_reviewed(make_plan(LIVE, LIVE), []).ok
    assert [
        (item.change.product_id, item.cause)
        for item in check_reviewed(plan, []).unreviewed
    ] == [("b", "not-reviewed"), ("old", "not-reviewed")]


def test_an_unreviewed_create_is_named_whole():
    reviewed = _reviewed({"a": LIVE["a"], "b": LIVE["b"]})
    plan = make_plan({"a": LIVE["a"], "b": LIVE["b"], "n": product("n")}, LIVE)
    [item] = check_reviewed(plan, [reviewed]).unreviewed
    assert (item.change.action, item.change.product_id) == (Action.CREATE, "n")
    assert item.change == next(c for c in plan.changes if c.product_id == "n")
