from __future__ import annotations

import copy
import random
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from catalog_sync.apply.executor import apply_plan
from catalog_sync.apply.freshness import check_freshness
from catalog_sync.apply.freshness import is_applied
from catalog_sync.apply.freshness import is_as_planned
from catalog_sync.apply.freshness import staleness
from catalog_sync.apply.live import read_live
from catalog_sync.emulator.store import Store
from catalog_sync.errors import StalePlanError
from catalog_sync.errors import TransportError
from catalog_sync.plan.build import build_plan
from catalog_sync.plan.plan import Plan
from tests.apply.harness import PRODUCTS_PATH
from tests.apply.harness import emulator_api
from tests.apply.harness import product
from tests.apply.harness import writes
from tests.cds.product_strategies import catalogs
from tests.cds.product_strategies import respell

NOW = "2026-12-01T00:00:00Z"


@pytest.fixture
def store():
    store = Store()
    yield store
    store.close()


def _plan(store: Store, desired: dict[str, Any], removal: str = "delete") -> Plan:
    with emulator_api(store) as api:
        live = read_live(api)
    return build_plan(
        desired,
        live,
        removal=removal,  # type: ignore[arg-type]
        environment="local",
        base_url="http://embedded.localhost",
        schema="cds-v7",
        now=NOW,
    )


def test_check_freshness_returns_etags_for_an_unchanged_live_catalog(store):
    store.seed([product("a"), product("b")])
    plan = _plan(store, {"a": product("a", name="A2"), "c": product("c")})
    with emulator_api(store) as api:
        fresh = check_freshness(plan, api)
    assert set(fresh.etags) == {"a", "b"}
    assert fresh.already_applied == frozenset()


def test_saved_plan_is_refused_with_no_write_after_an_out_of_band_edit(store):
    store.seed([product("a"), product("b"), product("d")])
    plan = _plan(
        store,
        {
            "a": product("a", name="Ours"),
            "b": product("b", name="B2"),
            "c": product("c"),
            "d": product("d"),
        },
    )
    store.seed([product("a", name="Edited in the console")])  # new ETag
    store.seed([product("c", name="Theirs")])  # created out of band
    store.ledger.clear()

    with emulator_api(store) as api, pytest.raises(StalePlanError) as info:
        check_freshness(plan, api)

    message = str(info.value)
    assert "2 products changed since it was made; nothing was written" in message
    assert (
        "a: changed since the plan: name 'Product a' -> 'Edited in the console'"
        in message
    )
    assert "c: created out of band since the plan" in message
    assert "b:" not in message
    assert writes(store) == []


def test_check_freshness_reports_a_deleted_product(store):
    store.seed([product("a")])
    plan = _plan(store, {"a": product("a", name="New")})
    store.delete_product("a")
    with (
        emulator_api(store) as api,
        pytest.raises(StalePlanError, match="a: deleted since the plan"),
    ):
        check_freshness(plan, api)


def test_check_freshness_counts_changes_already_live_as_applied(store):
    store.seed([product("a"), product("gone")])
    plan = _plan(store, {"a": product("a", name="New"), "c": product("c")})
    # a crashed run already did two of the three writes
    store.seed([product("a", name="New"), product("c")])
    store.delete_product("gone")
    with emulator_api(store) as api:
        fresh = check_freshness(plan, api)
        store.ledger.clear()
        result = apply_plan(
            plan,
            api,
            etags=fresh.etags,
            already_applied=fresh.already_applied,
        )
    assert fresh.already_applied == {"a", "c", "gone"}
    assert result.is_success
    assert writes(store) == []


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    desired=catalogs(max_size=3),
    live_extra=catalogs(max_size=3),
    forms=st.lists(
        st.sampled_from(["respelled", "edited", "absent"]), min_size=3, max_size=3
    ),
    seed=st.integers(0, 2**32),
    removal=st.sampled_from(["retire", "delete"]),
)
def test_a_live_product_as_planned_is_neither_applied_nor_stale(
    desired, live_extra, forms, seed, removal
):
    # check_freshness skips the normalising is_applied for such a product: sound only
    # because a plan never holds a change whose live product already is its result.
    rng = random.Random(seed)
    live = {pid: p for pid, p in live_extra.items() if pid not in desired}
    for (pid, wanted), form in zip(desired.items(), forms, strict=False):
        if form == "respelled":
            live[pid] = respell(wanted, rng)
        elif form == "edited":
            live[pid] = {**respell(wanted, rng), "name": "Edited live"}
    plan = build_plan(
        {pid: copy.deepcopy(p) for pid, p in desired.items()},
        live,
        removal=removal,
        environment="local",
        base_url="http://embedded.localhost",
        schema="cds-v7",
        now=NOW,
    )
    for change in plan.changes:
        current = live.get(change.product_id)
        if is_as_planned(change, current):
            assert not is_applied(change, current)
            assert staleness(change, current) is None


def test_a_live_product_unchanged_since_the_plan_is_not_stale(store):
    store.seed([product("a")])
    (change,) = _plan(store, {"a": product("a", name="New")}).changes
    with emulator_api(store) as api:
        current = read_live(api)["a"]
    assert staleness(change, current) is None
    assert staleness(change, {**current, "name": "Edited live"}) is not None


def test_is_as_planned_only_for_the_product_the_plan_saw(store):
    store.seed([product("a"), product("b")])
    plan = _plan(store, {"a": product("a", name="New"), "c": product("c")})
    changes = {change.product_id: change for change in plan.changes}
    with emulator_api(store) as api:
        live = read_live(api)
    edited = {**live["a"], "name": "Edited in the console"}

    assert is_as_planned(changes["a"], live["a"])
    assert is_as_planned(changes["b"], live["b"])  # the delete
    assert not is_as_planned(changes["a"], edited)
    assert not is_as_planned(changes["a"], None)
    assert not is_as_planned(changes["c"], None)  # a create has no live product


def test_an_edit_that_only_respells_the_product_is_reported_as_differing(store):
    """The console re-saved the product in another spelling (a fee's default `AUD`
    written out): the fingerprint moved but no field did, so the message says so
    instead of listing nothing."""
    fee = {"name": "Monthly", "feeType": "PERIODIC", "amount": "5.00"}
    store.seed([product("a", fees=[fee])])
    plan = _plan(store, {"a": product("a", fees=[fee], name="New")})
    store.seed([product("a", fees=[{**fee, "currency": "AUD"}])])
    with (
        emulator_api(store) as api,
        pytest.raises(StalePlanError, match="a: changed since the plan: its content"),
    ):
        check_freshness(plan, api)


def test_a_field_added_out_of_band_shows_as_absent_before(store):
    store.seed([product("a")])
    plan = _plan(store, {"a": product("a", name="New")})
    store.seed([product("a", applicationUri="https://bank.example/apply")])
    with emulator_api(store) as api, pytest.raises(StalePlanError) as info:
        check_freshness(plan, api)
    assert "applicationUri (absent) -> 'https://bank.example/apply'" in str(info.value)


class _CtrlCOnRead(httpx.BaseTransport):
    """Ctrl-C arriving while the stale-plan check reads `product_id`."""

    def __init__(self, inner: httpx.BaseTransport, product_id: str) -> None:
        self._inner = inner
        self._path = f"{PRODUCTS_PATH}/{product_id}"

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path == self._path:
            raise KeyboardInterrupt
        return self._inner.handle_request(request)


def test_ctrl_c_during_the_check_makes_waiting_reads_give_up(store):
    """After Ctrl-C no read sits out a retry delay: the next one that fails is not
    retried, so the run stops with only in-flight requests to finish."""
    store.seed([product("a"), product("b")])
    plan = _plan(store, {"a": product("a", name="New")})
    with emulator_api(store, wrap=lambda inner: _CtrlCOnRead(inner, "a")) as api:
        with pytest.raises(KeyboardInterrupt):
            check_freshness(plan, api, parallelism=1)
        store.ledger.clear()
        store.faults.fail_next("GET", f"{PRODUCTS_PATH}/b", status=503)
        with pytest.raises(
            TransportError, match="not retried; the run was interrupted"
        ):
            api.get_product("b")
    reads_of_b = [
        e
        for e in store.ledger.entries()
        if e.method == "GET" and e.path == f"{PRODUCTS_PATH}/b"
    ]
    assert [e.status for e in reads_of_b] == [503]
