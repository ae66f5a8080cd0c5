from __future__ import annotations

from typing import Any

import pytest

from catalog_sync.emulator.store import Store
from catalog_sync.engine.apply import apply_plan
from catalog_sync.engine.freshness import check_freshness
from catalog_sync.engine.live import read_live
from catalog_sync.engine.plan import Plan
from catalog_sync.engine.plan import build_plan
from catalog_sync.errors import StalePlanError
from tests.engine.harness import emulator_api
from tests.engine.harness import product
from tests.engine.harness import writes

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
            allow_delete=True,
            etags=fresh.etags,
            already_applied=fresh.already_applied,
        )
    assert fresh.already_applied == {"a", "c", "gone"}
    assert result.is_success
    assert writes(store) == []
