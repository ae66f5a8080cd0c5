"""Likely productId renames: a create and a removal with the same name and brand."""

from __future__ import annotations

from catalog_sync.plan.renames import LikelyRename
from catalog_sync.plan.renames import likely_renames
from tests.render.plans import make_plan
from tests.render.plans import product


def test_same_name_and_brand_is_a_likely_rename():
    plan = make_plan(
        {"new": product("new", name="Home loan old")}, {"old": product("old")}
    )
    assert likely_renames(plan) == (LikelyRename("old", "new", "Home loan old"),)


def test_other_brand_or_two_candidates_or_no_name_is_not_guessed():
    other = make_plan(
        {"new": product("new", name="Home loan old", brand="Other")},
        {"old": product("old")},
    )
    assert likely_renames(other) == ()
    two = make_plan(
        {
            "n1": product("n1", name="Home loan old"),
            "n2": product("n2", name="Home loan old"),
        },
        {"old": product("old")},
        removal="delete",
    )
    assert likely_renames(two) == ()
    nameless = make_plan({"n": {"productId": "n"}}, {"o": {"productId": "o"}})
    assert likely_renames(nameless) == ()
