"""build_plan's shortcut for unchanged live products (live is, as JSON, the written
desired product, so neither is normalised) gives exactly what full normalisation gives,
and live products may arrive as a stream of pairs instead of a mapping."""

from __future__ import annotations

import copy
import random
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from catalog_sync.cds.desired import DesiredProduct
from catalog_sync.cds.fingerprint import catalog_digest
from catalog_sync.cds.fingerprint import fingerprint
from catalog_sync.cds.normalize import normalize
from catalog_sync.plan.build import build_plan
from catalog_sync.plan.plan import Plan
from tests.cds.product_strategies import products
from tests.cds.product_strategies import respell


def desired_digest(desired: dict[str, Any]) -> str:
    """The catalog digest by its definition: each product's canonical-JSON hash."""
    return catalog_digest({pid: fingerprint(data) for pid, data in desired.items()})


def _plan(desired: Any, live: Any) -> Plan:
    return build_plan(
        desired,
        live,
        removal="retire",
        environment="local",
        base_url="embedded",
        schema="cds-v7",
        now="2026-07-01T00:00:00Z",
    )


@given(
    products("p"),
    st.integers(0, 2**32),
    st.sampled_from(["same", "normal", "respelled"]),
)
def test_unchanged_live_plans_no_change_with_the_full_fingerprint(product, seed, form):
    live = {
        "same": copy.deepcopy(product),
        "normal": normalize(product),
        "respelled": respell(product, random.Random(seed)),
    }[form]
    live["lastUpdated"] = "2026-01-01T00:00:00Z"
    plan = _plan({"p": DesiredProduct(product, "p.yaml")}, {"p": live})
    assert plan.changes == ()
    assert plan.live_fingerprints == {"p": fingerprint(live)}
    assert plan.desired_digest == desired_digest({"p": product})


@given(products("p"))
def test_a_changed_live_product_is_still_an_update(product):
    live = normalize(product)
    live["name"] = "Renamed live"
    plan = _plan({"p": product}, {"p": live})
    assert [c.action.value for c in plan.changes] == ["update"]
    assert plan.changes[0].before == live
    assert plan.live_fingerprints == {"p": fingerprint(live)}


@given(products("p"), products("q"), st.sampled_from(["same", "normal", "renamed"]))
def test_live_as_a_stream_of_pairs_plans_as_the_mapping_does(p, q, form):
    live = {
        "same": copy.deepcopy(p),
        "normal": normalize(p),
        "renamed": {**p, "name": "Renamed live"},
    }[form]
    desired = {"p": DesiredProduct(p, "p.yaml")}
    mapping = {"p": live, "q": q}
    assert _plan(desired, iter(mapping.items())) == _plan(desired, mapping)


@given(products("p"))
def test_an_update_sends_the_product_as_written(product):
    live = {**normalize(product), "name": "Renamed live"}
    [change] = _plan({"p": product}, {"p": live}).changes
    # As written, less what the server manages.
    assert change.after == {k: v for k, v in product.items() if k != "lastUpdated"}
    assert change.before == normalize(live)
