"""The stale-public fault: the public endpoints serve what they served before each write
for N seconds after it; the management API and seeding are never delayed."""

from __future__ import annotations

import httpx
import pytest

from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport
from tests.apply.harness import product
from tests.conftest import FakeClock

PUBLIC = "/cds-au/v1/banking/products"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(clock):
    store = Store(now=clock.now)
    yield store
    store.close()


def _public(store: Store) -> httpx.Client:
    return httpx.Client(
        transport=EmulatorTransport(make_app(store, control=True)),
        base_url="http://e",
        headers={"x-v": "7", "x-min-v": "5"},
    )


def _names(client: httpx.Client) -> dict[str, str]:
    listed = client.get(PUBLIC, params={"effective": "ALL"}).json()["data"]["products"]
    return {p["productId"]: p["name"] for p in listed}


def test_writes_reach_the_public_endpoints_only_after_the_lag(store, clock):
    store.seed([product("a", name="A0"), product("b"), product("c")])
    store.public_lag.set(30)
    store.replace_product("a", product("a", name="A1"))
    clock.advance(10)
    store.patch_product("a", {"name": "A2"})
    store.create_product(product("new"))
    store.delete_product("b")
    with _public(store) as client:
        assert _names(client) == {"a": "A0", "b": "Product b", "c": "Product c"}
        assert client.get(f"{PUBLIC}/new").status_code == 404
        clock.advance(20)  # 30 s after the first write, 20 s after the others
        assert _names(client)["a"] == "A1"
        assert client.get(f"{PUBLIC}/a").json()["data"]["name"] == "A1"
        clock.advance(10)
        assert _names(client) == {"a": "A2", "c": "Product c", "new": "Product new"}
        assert client.get(f"{PUBLIC}/b").status_code == 404
    assert store.products()["a"]["name"] == "A2"  # management is never stale


def test_turning_the_fault_off_serves_the_current_data(store, clock):
    store.seed([product("a", name="A0")])
    store.public_lag.set(30)
    store.replace_product("a", product("a", name="A1"))
    store.public_lag.set(0)
    store.replace_product("a", product("a", name="A2"))  # no history while off
    with _public(store) as client:
        assert _names(client) == {"a": "A2"}


def test_the_control_endpoint_sets_and_clears_the_fault(store, clock):
    store.seed([product("a", name="A0")])
    with _public(store) as client:
        assert (
            client.post("/_emulator/faults", json={"stale-public": 60}).status_code
            == 204
        )
        store.replace_product("a", product("a", name="A1"))
        assert _names(client) == {"a": "A0"}
        assert client.delete("/_emulator/faults").status_code == 204
        assert _names(client) == {"a": "A1"}
        for bad in (-1, "10", True):
            response = client.post("/_emulator/faults", json={"stale-public": bad})
            assert response.status_code == 400
            assert "stale-public must be a number of seconds" in response.text
        client.post("/_emulator/faults", json={"stale-public": 5})
        client.post("/_emulator/reset")
        assert store.public_lag.seconds == 0.0
