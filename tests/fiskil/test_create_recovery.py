"""`create_product` after an interrupted attempt: a write that never left is not read
back, a 409 after an ambiguous failure is resolved by reading the product, and a write
that landed on the last attempt is found by the final read-back."""

from __future__ import annotations

import logging

import httpx
import pytest

from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.transport import EmulatorTransport
from catalog_sync.errors import TransportError
from tests.fiskil.conftest import PRODUCTS
from tests.fiskil.conftest import Harness
from tests.fiskil.conftest import product

ONE = f"{PRODUCTS}/p1"


class RefusePosts(httpx.BaseTransport):
    """The emulator, except that every product POST fails to connect."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path == PRODUCTS:
            raise httpx.ConnectError("connection refused", request=request)
        return self.inner.handle_request(request)


def test_a_create_that_never_connected_is_not_read_back(harness: Harness):
    inner = EmulatorTransport(make_app(harness.store))
    api = harness.client(need="write", transport=RefusePosts(inner), max_attempts=2)
    with pytest.raises(TransportError, match=f"POST {PRODUCTS}.*could not connect"):
        api.create_product(product("p1"))
    methods = [m for m, p, _ in harness.recorder.sent if p != "/v1/token"]
    assert methods == ["POST", "POST"]  # the transport's retries; no GET read-back
    assert harness.store.products() == {}


def test_a_409_after_an_interrupted_create_reads_the_product_back(
    harness: Harness, caplog
):
    """The first POST fails (502); the read-back is answered before the product is
    visible (404), so the second POST meets it (409): the next read-back settles it
    and the create counts as done instead of failing as a conflict."""
    harness.store.seed([product("p1")])
    harness.store.faults.fail_next("POST", PRODUCTS, status=502)
    harness.store.faults.fail_next("GET", ONE, status=404)
    api = harness.client(need="write", max_attempts=3)
    with caplog.at_level(logging.INFO, logger="catalog_sync.fiskil.products"):
        created = api.create_product(product("p1"))
    assert created["productId"] == "p1"
    calls = _api_calls(harness)
    assert calls == [("POST", 502), ("GET", 404), ("POST", 409), ("GET", 200)]
    assert "an earlier attempt landed; counted as created" in caplog.text


def test_a_create_landing_on_the_last_attempt_is_found_by_the_final_read_back(
    harness: Harness,
):
    harness.store.faults.fail_next("POST", PRODUCTS, status=502)
    harness.store.faults.drop_after_commit("POST", PRODUCTS)
    api = harness.client(need="write", max_attempts=2)
    created = api.create_product(product("p1"))
    assert created["productId"] == "p1"
    calls = _api_calls(harness)
    assert calls == [("POST", 502), ("GET", 404), ("POST", 201), ("GET", 200)]


def _api_calls(harness: Harness) -> list[tuple[str, int]]:
    """(method, status) of every request but the token's, in order."""
    return [
        (e.method, e.status)
        for e in harness.store.ledger.entries()
        if e.path != "/v1/token"
    ]
