from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.apply.freshness import check_freshness
from catalog_sync.apply.stale_check import choose_stale_check
from catalog_sync.config.model import ApiContract
from catalog_sync.config.model import Config
from catalog_sync.config.model import Environment
from catalog_sync.config.model import default_config
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport
from catalog_sync.errors import StalePlanError
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.scopes import Need
from catalog_sync.plan.plan import Action
from catalog_sync.plan.plan import Change
from catalog_sync.plan.plan import Plan
from catalog_sync.targets import open_products_api
from catalog_sync.workflow import ApplySettings
from catalog_sync.workflow import make_plan
from catalog_sync.workflow import run_apply
from tests.apply.harness import PRODUCTS_PATH
from tests.apply.harness import emulator_api
from tests.apply.harness import product
from tests.apply.harness import writes
from tests.conftest import FakeClock

NOW = "2026-12-01T00:00:00Z"


@pytest.fixture
def store():
    store = Store()
    yield store
    store.close()


def _config(tmp_path: Path, **api: Any) -> Config:
    config = replace(default_config(tmp_path), removal="delete")
    return replace(config, api=replace(ApiContract(), **api))


def _connector(store: Store, config: Config):
    def connect(
        env: Environment, need: Need, max_in_flight: int | None
    ) -> ProductsClient:
        return open_products_api(
            config,
            env,
            need=need,
            options=ClientOptions(
                clock=FakeClock(),
                transport=EmulatorTransport(make_app(store)),
                max_in_flight=max_in_flight,
            ),
        )

    return connect


def _plan(config: Config, store: Store, desired: dict[str, Any]) -> Plan:
    return make_plan(
        config, desired=desired, connect=_connector(store, config), now=NOW
    )


def _reads(store: Store) -> tuple[int, int]:
    """(GET /products/{id} count, list GET count) the store saw."""
    gets = [e.path for e in store.ledger.entries() if e.method == "GET"]
    each = sum(1 for path in gets if path.startswith(PRODUCTS_PATH + "/"))
    return each, sum(1 for path in gets if path == PRODUCTS_PATH)


def _if_match_sent(store: Store) -> list[bool]:
    return [
        "if-match" in e.headers
        for e in store.ledger.entries()
        if e.method in ("PUT", "DELETE") and e.path.startswith(PRODUCTS_PATH)
    ]


def _live(n: int) -> list[dict[str, Any]]:
    return [product(f"p{i:02}") for i in range(1, n + 1)]


def test_list_mode_refuses_a_stale_plan_naming_each_product_with_no_write(
    tmp_path, store
):
    config = _config(tmp_path, stale_check="auto")
    store.seed([product("a"), product("b"), product("gone")])
    desired = {
        "a": product("a", name="Ours"),
        "b": product("b", name="B2"),
        "c": product("c"),
        "gone": product("gone", name="Still here"),
    }
    plan = _plan(config, store, desired)
    store.seed([product("a", name="Edited in the console")])
    store.seed([product("c", name="Theirs")])  # created out of band
    store.delete_product("gone")  # deleted out of band
    store.ledger.clear()

    with emulator_api(store) as api, pytest.raises(StalePlanError) as info:
        check_freshness(plan, api, mode="list")

    message = str(info.value)
    assert "3 products changed since it was made; nothing was written" in message
    assert (
        "a: changed since the plan: name 'Product a' -> 'Edited in the console'"
        in message
    )
    assert "c: created out of band since the plan" in message
    assert "gone: deleted since the plan" in message
    assert "b:" not in message
    assert writes(store) == []
    assert _reads(store) == (0, 1)


def test_list_mode_counts_changes_already_live_as_applied_and_has_no_etags(
    tmp_path, store
):
    config = _config(tmp_path, stale_check="auto")
    store.seed([product("a"), product("b")])
    plan = _plan(config, store, {"a": product("a", name="New"), "b": product("b")})
    store.seed([product("a", name="New")])  # a crashed run already wrote it
    store.ledger.clear()
    with emulator_api(store) as api:
        fresh = check_freshness(plan, api, mode="list")
    assert fresh.already_applied == {"a"}
    assert fresh.etags == {}
    assert _reads(store) == (0, 1)


def test_auto_lists_for_a_large_plan_and_writes_go_without_if_match(tmp_path, store):
    config = _config(tmp_path, stale_check="auto")
    store.seed(_live(10))
    desired = {f"p{i:02}": product(f"p{i:02}", name="v2") for i in range(1, 11)}
    plan = _plan(config, store, desired)
    store.ledger.clear()

    result = run_apply(
        config, plan, settings=ApplySettings(), connect=_connector(store, config)
    )

    assert result.is_success
    assert _reads(store) == (0, 1)
    assert _if_match_sent(store) == [False] * 10


def test_auto_gets_each_product_for_a_small_plan_and_writes_carry_if_match(
    tmp_path, store
):
    config = _config(tmp_path, stale_check="auto")
    store.seed(_live(10))
    desired = {p["productId"]: p for p in _live(10)}
    desired["p03"] = product("p03", name="v2")
    desired["p07"] = product("p07", name="v2")
    plan = _plan(config, store, desired)
    store.ledger.clear()

    result = run_apply(
        config, plan, settings=ApplySettings(), connect=_connector(store, config)
    )

    assert result.is_success
    assert _reads(store) == (2, 0)
    assert _if_match_sent(store) == [True, True]


def test_stale_check_get_keeps_if_match_where_auto_would_list(tmp_path, store):
    config = _config(tmp_path, stale_check="get")
    store.seed(_live(3))
    desired = {f"p{i:02}": product(f"p{i:02}", name="v2") for i in range(1, 4)}
    plan = _plan(config, store, desired)
    assert choose_stale_check(plan, ApiContract(stale_check="auto")) == "list"
    store.ledger.clear()
    run_apply(config, plan, settings=ApplySettings(), connect=_connector(store, config))
    assert _reads(store) == (3, 0)
    assert _if_match_sent(store) == [True] * 3


def test_list_mode_refuses_in_run_apply_before_any_write(tmp_path, store):
    config = _config(tmp_path, stale_check="list")
    store.seed(_live(2))
    plan = _plan(config, store, {"p01": product("p01", name="v2"), "p02": _live(2)[1]})
    store.seed([product("p01", description="Console edit.")])
    store.ledger.clear()
    with pytest.raises(StalePlanError, match="p01: changed since the plan"):
        run_apply(
            config, plan, settings=ApplySettings(), connect=_connector(store, config)
        )
    assert writes(store) == []
    assert _reads(store) == (0, 1)


@pytest.mark.parametrize(
    ("live", "changes", "contract", "expected"),
    [
        # 250 products are 3 pages: auto lists only above 6 changes
        (250, 6, ApiContract(stale_check="auto"), "get"),
        (250, 7, ApiContract(stale_check="auto"), "list"),
        # an empty catalog still needs one page
        (0, 3, ApiContract(stale_check="auto"), "list"),
        (0, 2, ApiContract(stale_check="auto"), "get"),
        # a list of summaries fetches every detail anyway: auto never lists then
        (250, 7, ApiContract(stale_check="auto", list_returns_details=False), "get"),
        (250, 7, ApiContract(stale_check="get"), "get"),
        (250, 1, ApiContract(stale_check="list"), "list"),
    ],
)
def test_choose_stale_check_weighs_list_pages_against_gets(
    live, changes, contract, expected
):
    create = Change(Action.CREATE, "c", None, None, None, None, None, {})
    plan = Plan(
        environment="local",
        base_url="http://embedded.localhost",
        schema="cds-v7",
        removal="delete",
        desired_digest="",
        live_fingerprints={f"l{i}": "x" for i in range(live)},
        changes=(create,) * changes,
    )
    assert choose_stale_check(plan, contract) == expected


def test_the_default_keeps_if_match_on_every_write_whatever_the_plan_size():
    # A regulated catalog: never overwrite a console edit silently unless the bank
    # opts into the cheaper bulk re-read (`stale_check: auto` or `list`).
    assert ApiContract().stale_check == "get"
