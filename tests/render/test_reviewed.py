"""The reviewed-plan check rendered for the terminal and the merged pull request."""

from __future__ import annotations

import copy
from typing import Any

from catalog_sync.plan.reviewed import ReviewedPlan
from catalog_sync.plan.reviewed import check_reviewed
from catalog_sync.render.reviewed import render_review
from tests.render.plans import make_plan
from tests.render.plans import product

LIVE = {"a": product("a"), "b": product("b")}


def _renamed(body: dict[str, Any], name: str) -> dict[str, Any]:
    return {**copy.deepcopy(body), "name": name}


def test_an_accepted_check_lists_what_is_already_live_in_both_formats():
    reviewed = ReviewedPlan(
        "PR #7", make_plan({"a": _renamed(LIVE["a"], "X"), "b": LIVE["b"]}, LIVE)
    )
    plan = make_plan({"a": LIVE["a"], "b": LIVE["b"]}, LIVE)
    check = check_reviewed(plan, [reviewed])
    text = render_review(plan, check, "text")
    assert text == (
        f"Every change of the plan was reviewed (digest {check.digest}).\n"
        "Reviewed but no longer needed (already live):\n"
        "  update a (PR #7)\n"
    )
    assert render_review(plan, check, "markdown") == (
        f"Every change of the plan was reviewed (digest {check.digest}).\n"
        "Reviewed but no longer needed (already live):\n"
        "- update a (PR #7)\n"
    )


def test_a_refusal_in_markdown_shows_the_plan_causes_and_way_forward():
    reviewed = ReviewedPlan("PR #7", make_plan({"a": LIVE["a"], "b": LIVE["b"]}, LIVE))
    plan = make_plan({"a": _renamed(LIVE["a"], "New"), "b": LIVE["b"]}, LIVE)
    check = check_reviewed(plan, [reviewed])
    text = render_review(plan, check, "markdown")
    assert text.startswith(
        "**1 change was not in any reviewed plan for staging; nothing was written.**"
    )
    assert "### catalog-sync plan for `staging`" in text
    assert "- update `a`: no reviewed plan shows it" in text
    assert (
        f"2. If it is right, run the apply workflow by hand (workflow_dispatch) with plan_digest {check.digest}"
        in text
    )
