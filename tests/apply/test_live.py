from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from catalog_sync.apply.live import iter_live
from catalog_sync.apply.live import read_live
from catalog_sync.config.model import ApiContract
from catalog_sync.emulator.store import Store
from catalog_sync.errors import ApiError
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.retry import Retrier
from tests.apply.harness import emulator_api
from tests.apply.harness import product
from tests.conftest import FakeClock


def _client_listing(products: list[dict[str, Any]]) -> ProductsClient:
    """A ProductsClient whose server lists exactly `products` on one page."""

    def handler(request: httpx.Request) -> httpx.Response:
        body = {"data": {"products": products}, "links": {}, "meta": {"totalPages": 1}}
        return httpx.Response(200, json=body)

    api = ApiContract()
    http = httpx.Client(
        transport=httpx.MockTransport(handler), base_url="https://x.test"
    )
    return ProductsClient(
        http, api=api, retrier=Retrier.from_contract(api, clock=FakeClock())
    )


def test_read_live_returns_every_product_by_product_id():
    store = Store()
    try:
        store.seed([product("b"), product("a")])
        with emulator_api(store) as api:
            live = read_live(api)
        assert sorted(live) == ["a", "b"]
        assert live["a"]["name"] == "Product a"
    finally:
        store.close()


def test_read_live_refuses_a_duplicate_product_id():
    with (
        _client_listing([product("a"), product("a", name="Twin")]) as api,
        pytest.raises(ApiError, match="productId 'a'"),
    ):
        read_live(api)


def test_read_live_refuses_a_product_without_an_id():
    with (
        _client_listing([{"name": "anonymous"}]) as api,
        pytest.raises(ApiError, match="without a productId"),
    ):
        read_live(api)


class _Listing:
    """A ProductsApi that lists `products` as given: iter_live's own guard, for any
    implementation (ProductsClient's page guard would catch a duplicate first)."""

    def __init__(self, products: list[dict[str, Any]]) -> None:
        self._products = products

    def iter_products(self) -> Iterator[dict[str, Any]]:
        yield from self._products


def test_iter_live_refuses_a_duplicate_from_any_products_api_after_yielding_the_first():
    pairs = iter_live(_Listing([product("a"), product("b"), product("a")]))  # type: ignore[arg-type]
    assert [pid for pid, _ in itertools.islice(pairs, 2)] == ["a", "b"]
    with pytest.raises(ApiError, match="productId 'a' twice"):
        next(pairs)
