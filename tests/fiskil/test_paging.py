"""`api.paging: next-link`: the client follows links.next (a cursor) to the end, and never
to another host."""

from __future__ import annotations

import httpx
import pytest

from catalog_sync.emulator.faults import World
from catalog_sync.errors import ApiError
from catalog_sync.fiskil.paging import same_origin_url
from tests.fiskil.conftest import PRODUCTS
from tests.fiskil.conftest import Harness
from tests.fiskil.conftest import product

BASE = httpx.URL("http://emulator.localhost/")


def test_next_link_paging_reads_a_cursor_paged_catalog_over_http(
    harness: Harness, served
):
    harness.store.world = World(cursor=True)
    harness.store.seed([product(f"p{n:02}") for n in range(7)])
    api = harness.client(
        base_url=served,
        transport=httpx.HTTPTransport(),
        paging="next-link",
        page_size=3,
    )
    ids = [p["productId"] for p in api.iter_products()]
    assert ids == [f"p{n:02}" for n in range(7)]
    queries = [e.query for e in harness.store.ledger.entries("GET", PRODUCTS)]
    assert queries[0] == "page-size=3"  # no page number
    assert all("cursor=" in q for q in queries[1:])
    assert len(queries) == 3


def test_page_numbers_repeat_on_a_cursor_paged_catalog(harness: Harness):
    harness.store.world = World(cursor=True)
    harness.store.seed([product(f"p{n:02}") for n in range(7)])
    api = harness.client(page_size=3)
    with pytest.raises(ApiError, match="page 2 repeats page 1"):
        list(api.iter_products())


def test_a_cursor_the_emulator_did_not_issue_is_400(harness: Harness):
    harness.store.world = World(cursor=True)
    api = harness.client()
    for cursor in ("A", "b2Zmc2V0Ong=", "!"):
        response = api.http.get(PRODUCTS, params={"cursor": cursor})
        assert response.status_code == 400, cursor


def test_next_link_to_another_host_is_refused(harness: Harness):
    page = {
        "data": {"products": [product("a")]},
        "links": {"next": "https://evil.test/x"},
    }
    harness.store.faults.fail_next("GET", PRODUCTS, status=200, body=page)
    api = harness.client(paging="next-link")
    with pytest.raises(ApiError, match=r"links\.next points to https://evil\.test"):
        list(api.iter_products())


def test_same_origin_url_resolves_relative_links_and_refuses_bad_ones():
    assert same_origin_url(BASE, "/v1/p?cursor=x", what="GET") == BASE.join(
        "/v1/p?cursor=x"
    )
    with pytest.raises(ApiError, match="is not a valid URL"):
        same_origin_url(BASE, "http://[::1", what="GET")
