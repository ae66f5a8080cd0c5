"""The change-set digest: content decides, display, time and order do not."""

from __future__ import annotations

import copy
import hashlib
from dataclasses import replace

from catalog_sync.cds.desired import DesiredProduct
from catalog_sync.cds.identity import canonical_json
from catalog_sync.plan.digest import canonical_change
from catalog_sync.plan.digest import change_set_digest
from catalog_sync.plan.digest import change_units
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.planfile import plan_from_json
from catalog_sync.plan.planfile import plan_to_json
from tests.render.plans import make_plan
from tests.render.plans import mixed_plan
from tests.render.plans import product


def test_digest_of_no_changes_is_the_hash_of_an_empty_list():
    plan = make_plan({"a": product("a")}, {"a": product("a")})
    expected = "sha256:" + hashlib.sha256(b"[]").hexdigest()
    assert change_set_digest(plan) == expected
    assert change_set_digest([]) == expected


def test_digest_is_stable_through_the_plan_file_and_ignores_display_fields():
    plan = mixed_plan()
    digest = change_set_digest(plan)
    assert digest.startswith("sha256:")
    assert len(digest) == 7 + 64
    assert change_set_digest(plan_from_json(plan_to_json(plan))) == digest
    relabelled = tuple(
        replace(change, name="Other", file="x.yaml", brand=None, live_fingerprint="f")
        for change in reversed(plan.changes)
    )
    assert change_set_digest(relabelled) == digest


def test_a_retirement_counts_by_product_and_action_not_by_its_time():
    live = {"gone": product("gone")}
    early = make_plan({}, live)
    late = replace(
        early,
        changes=tuple(
            replace(c, after={**(c.after or {}), "effectiveTo": "2027-01-01T00:00:00Z"})
            for c in early.changes
        ),
    )
    assert [c.action for c in early.changes] == [Action.RETIRE]
    assert canonical_change(early.changes[0]) == {
        "action": "retire",
        "product_id": "gone",
    }
    assert change_set_digest(early) == change_set_digest(late)


def test_any_reviewed_value_changes_the_digest():
    plan = mixed_plan()
    digest = change_set_digest(plan)
    update = next(c for c in plan.changes if c.action is Action.UPDATE)
    first = update.field_changes[0]
    for edited_field in (
        replace(first, after="9.99"),
        replace(first, before="1.00"),
        replace(first, path=first.path + ".x"),
        replace(first, kind="added"),
    ):
        edited = replace(
            update, field_changes=(edited_field, *update.field_changes[1:])
        )
        changes = tuple(edited if c is update else c for c in plan.changes)
        assert change_set_digest(changes) != digest
    create = next(c for c in plan.changes if c.action is Action.CREATE)
    other = replace(create, after={**(create.after or {}), "name": "Else"})
    assert (
        change_set_digest(tuple(other if c is create else c for c in plan.changes))
        != digest
    )
    assert (
        change_set_digest(
            tuple(
                replace(c, action=Action.DELETE) if c is create else c
                for c in plan.changes
            )
        )
        != digest
    )


def test_a_create_counts_its_normalised_content():
    spelled = copy.deepcopy(product("n"))
    spelled["lendingRates"][0]["rate"] = "0.05240"
    one = make_plan({"n": DesiredProduct(product("n"), "a.yaml")}, {})
    two = make_plan({"n": DesiredProduct(spelled, "b.yaml")}, {})
    assert change_set_digest(one) == change_set_digest(two)


def test_units_split_an_update_by_field_and_keep_other_changes_whole():
    plan = mixed_plan()
    update = next(c for c in plan.changes if c.action is Action.UPDATE)
    assert len(change_units(update)) == len(update.field_changes) == 3
    retire = next(c for c in plan.changes if c.action is Action.RETIRE)
    assert change_units(retire) == (canonical_json(canonical_change(retire)),)
    empty = Change(Action.UPDATE, "p", None, None, None, None, {}, {"a": 1})
    assert change_units(empty) == (
        canonical_json({"action": "update", "field_changes": [], "product_id": "p"}),
    )
