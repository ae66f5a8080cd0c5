"""build_plan: which action each product gets, fingerprints and digests."""

from __future__ import annotations

import copy
import random
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from catalog_sync.cds.desired import DesiredProduct
from catalog_sync.cds.fingerprint import fingerprint
from catalog_sync.config.model import Removal
from catalog_sync.errors import PlanError
from catalog_sync.plan.build import build_plan
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Plan
from tests.cds.product_strategies import catalogs
from tests.cds.product_strategies import respell

NOW = "2026-07-01T00:00:00Z"


def product(pid: str, **extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "productId": pid,
        "lastUpdated": "2026-01-01T00:00:00Z",
        "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
        "name": f"Account {pid}",
        "description": "An account",
        "brand": "Example",
        "isTailored": False,
        "fees": [
            {
                "name": "Monthly fee",
                "feeType": "PERIODIC",
                "feeMethodUType": "fixedAmount",
                "fixedAmount": {"amount": "5.00"},
            }
        ],
    }
    body.update(extra)
    return body


def plan_for(
    desired: Mapping[str, Any], live: Mapping[str, Any], removal: Removal = "retire"
) -> Plan:
    return build_plan(
        desired,
        live,
        removal=removal,
        environment="local",
        base_url="embedded",
        schema="cds-v7",
        now=NOW,
    )


def test_build_plan_same_catalog_is_empty():
    catalog = {pid: product(pid) for pid in ("a", "b")}
    plan = plan_for(catalog, copy.deepcopy(catalog))
    assert not plan.has_changes
    assert set(plan.live_fingerprints) == {"a", "b"}


def test_build_plan_creates_updates_and_removes():
    live = {"a": product("a"), "gone": product("gone")}
    edited = product("a")
    edited["fees"][0]["fixedAmount"]["amount"] = "6.00"  # type: ignore[index]
    desired = {"a": DesiredProduct(edited, "products/x/a.yaml"), "new": product("new")}
    plan = plan_for(desired, live)
    actions = [(c.action, c.product_id) for c in plan.changes]
    assert actions == [
        (Action.CREATE, "new"),
        (Action.UPDATE, "a"),
        (Action.RETIRE, "gone"),
    ]
    update = plan.changes[1]
    assert update.file == "products/x/a.yaml"
    assert update.live_fingerprint == fingerprint(live["a"])
    assert [(f.label, f.before, f.after) for f in update.field_changes] == [
        ('fees["Monthly fee"].fixedAmount.amount', "5.00", "6.00")
    ]
    retire = plan.changes[2]
    assert retire.after is not None
    assert retire.after["effectiveTo"] == NOW
    assert plan.summary.create == 1
    assert plan.summary.update == 1
    assert plan.summary.retire == 1
    assert plan.summary.delete == 0


@pytest.mark.parametrize(
    ("removal", "expected"), [("delete", [Action.DELETE]), ("keep", [])]
)
def test_build_plan_removal_policy(removal, expected):
    plan = plan_for({}, {"gone": product("gone")}, removal=removal)
    assert [c.action for c in plan.changes] == expected


def test_build_plan_already_retired_product_is_left_alone():
    live = {"old": product("old", effectiveTo="2026-06-30T23:59:59+00:00")}
    assert not plan_for({}, live).has_changes


def test_build_plan_future_end_date_is_retired_now():
    live = {"old": product("old", effectiveTo="2027-01-01T00:00:00Z")}
    assert [c.action for c in plan_for({}, live).changes] == [Action.RETIRE]


def test_build_plan_rejects_a_naive_now():
    with pytest.raises(PlanError, match="RFC 3339"):
        build_plan(
            {},
            {},
            removal="retire",
            environment="local",
            base_url="embedded",
            schema="cds-v7",
            now="2026-07-01 00:00",
        )


def test_fingerprint_ignores_last_updated_but_not_how_live_stores_the_product():
    a = product("a")
    assert fingerprint(a) == fingerprint({**a, "lastUpdated": "2030-01-01T00:00:00Z"})
    assert fingerprint(a) == fingerprint(dict(reversed(list(a.items()))))
    # A stored null, or any respelling, is a change to the stored product: a saved
    # plan made before it is refused rather than applied over it.
    assert fingerprint(a) != fingerprint({**a, "brandName": None})
    assert fingerprint(a) != fingerprint({**a, "cardArt": []})


@settings(max_examples=60, deadline=None)
@given(catalogs(), st.integers(0, 2**32))
def test_build_plan_of_a_catalog_against_itself_is_empty(catalog, seed):
    rng = random.Random(seed)
    live = {pid: respell(body, rng) for pid, body in catalog.items()}
    assert plan_for(catalog, live).changes == ()
    assert plan_for(catalog, live, removal="delete").changes == ()


@settings(max_examples=40, deadline=None)
@given(catalogs(), catalogs())
def test_build_plan_touches_exactly_the_differing_products(desired, live):
    plan = plan_for(desired, live, removal="delete")
    touched = {c.product_id for c in plan.changes}
    differing = {
        pid
        for pid in set(desired) | set(live)
        if pid not in desired
        or pid not in live
        or fingerprint(desired[pid]) != fingerprint(live[pid])
    }
    assert touched == differing
    assert set(plan.live_fingerprints) == set(live)
    for change in plan.changes:
        if change.action is Action.UPDATE:
            assert change.field_changes


def test_retiring_a_product_not_yet_effective_ends_it_before_it_starts():
    """Only setting effectiveTo would leave effectiveTo before effectiveFrom: still listed
    as FUTURE publicly, and a file our own rules reject. effectiveFrom moves back to
    one second before the retirement, so the product is never effective."""
    live = {"soon": product("soon", effectiveFrom="2027-03-01T00:00:00+10:00")}
    (retire,) = plan_for({}, live).changes
    assert retire.action is Action.RETIRE
    assert retire.after is not None
    assert retire.after["effectiveTo"] == NOW
    assert retire.after["effectiveFrom"] < NOW
    assert {c.label for c in retire.field_changes} == {"effectiveFrom", "effectiveTo"}
    assert not plan_for({}, {"soon": retire.after}).has_changes


def test_a_future_product_ended_in_the_past_is_retired_properly():
    """effectiveTo in the past does not retire a product whose effectiveFrom is still
    ahead (older versions left such products behind): it is still listed as FUTURE."""
    live = {
        "soon": product(
            "soon",
            effectiveFrom="2027-03-01T00:00:00Z",
            effectiveTo="2026-06-30T00:00:00Z",
        )
    }
    (retire,) = plan_for({}, live).changes
    assert retire.after is not None
    assert retire.after["effectiveFrom"] < retire.after["effectiveTo"] == NOW


def test_build_plan_rejects_a_now_that_is_not_a_date():
    with pytest.raises(PlanError, match="'yesterday' is not an RFC 3339") as caught:
        build_plan(
            {},
            {},
            removal="retire",
            environment="local",
            base_url="embedded",
            schema="cds-v7",
            now="yesterday",
        )
    assert caught.value.hint == "write it like 2026-07-01T00:00:00Z"


def test_a_live_end_date_that_is_not_a_date_does_not_count_as_retired():
    """The server's effectiveTo is not ours to trust: unreadable means not ended, so
    the product is retired properly (effectiveTo set to now) rather than skipped."""
    live = {"old": product("old", effectiveTo="end of June")}
    (retire,) = plan_for({}, live).changes
    assert retire.action is Action.RETIRE
    assert retire.after is not None
    assert retire.after["effectiveTo"] == NOW


@pytest.mark.parametrize(("written", "stored"), [(-0.0, 0.0), (0.0, -0.0)])
def test_build_plan_a_zero_that_differs_only_in_sign_is_no_update(written, stored):
    """YAML and JSON both keep -0.0, so the canonical texts differ ("-0.0", "0.0"),
    but the values are equal and the diff finds no field to show: an update nobody
    could review is not planned."""
    desired = {"p": product("p", instalments={"maximumSplit": written})}
    live = {"p": product("p", instalments={"maximumSplit": stored})}
    assert plan_for(desired, live).changes == ()
