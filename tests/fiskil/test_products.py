"""ProductsClient beyond faults: pagination and its guards, the summaries mode with bounded
detail fetches, PATCH updates, ETags, delete of a missing product, path encoding."""

from __future__ import annotations

import random

import httpx
import pytest

from catalog_sync.config.model import ApiContract
from catalog_sync.errors import ApiError
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.session import build_http_client
from tests.fiskil.conftest import PRODUCTS
from tests.fiskil.conftest import Harness
from tests.fiskil.conftest import product


def test_listing_follows_pages(harness: Harness):
    harness.store.seed([product(f"p{n:02d}") for n in range(7)])
    api = harness.client(page_size=3)
    ids = [p["productId"] for p in api.iter_products()]
    assert ids == [f"p{n:02d}" for n in range(7)]
    assert harness.count("GET", PRODUCTS) == 3


def test_summaries_mode_fetches_each_detail(harness: Harness):
    harness.store.summaries = True
    harness.store.seed(
        [product(f"p{n}", features=[{"featureType": "OFFSET"}]) for n in range(5)]
    )
    api = harness.client(list_returns_details=False, detail_concurrency=2, page_size=2)
    details = list(api.iter_products())
    assert [d["productId"] for d in details] == [f"p{n}" for n in range(5)]
    assert all(d.get("features") for d in details)
    assert harness.count("GET", f"{PRODUCTS}/*") == 5
    assert harness.store.ledger.max_in_flight <= 2


def _paged(pages: list[list[str]], *, links: bool = True) -> ProductsClient:
    def handler(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params["page"])
        ids = pages[min(page, len(pages)) - 1]
        body: dict[str, object] = {
            "data": {"products": [{"productId": i} for i in ids]}
        }
        if links:
            body["links"] = {"self": "x", "next": "y"}  # a server that never stops
        return httpx.Response(200, json=body)

    api = ApiContract(page_size=2, max_pages=4)
    retrier = Retrier.from_contract(api, rng=random.Random(0))
    http = build_http_client(
        "https://api.example.test",
        api=api,
        retrier=retrier,
        transport=httpx.MockTransport(handler),
    )
    return ProductsClient(http, api=api, retrier=retrier)


def test_a_repeated_page_is_an_error():
    with pytest.raises(ApiError, match="page 2 repeats page 1"):
        list(_paged([["a", "b"], ["a", "b"]]).iter_products())


def test_a_product_listed_twice_is_an_error():
    with pytest.raises(ApiError, match="'b' listed on page 1 and again on page 2"):
        list(_paged([["a", "b"], ["b", "c"]]).iter_products())


def test_endless_pages_stop_at_max_pages():
    pages = [[f"{n}a", f"{n}b"] for n in range(10)]
    with pytest.raises(ApiError, match="still more pages after 4"):
        list(_paged(pages).iter_products())


def test_without_links_a_short_page_ends_the_listing():
    ids = [
        p["productId"] for p in _paged([["a", "b"], ["c"]], links=False).iter_products()
    ]
    assert ids == ["a", "b", "c"]


def test_patch_update_and_etag_round_trip(harness: Harness):
    harness.store.seed([product("p1")])
    api = harness.client(need="write", update_method="PATCH")
    found = api.get_product_with_version("p1")
    assert found is not None
    body, etag = found
    assert etag
    updated = api.update_product("p1", {"name": "Patched"}, if_match=etag)
    assert updated["name"] == "Patched"
    assert updated["description"] == body["description"]
    entry = harness.store.ledger.entries("PATCH")[0]
    assert entry.headers["if-match"] == etag


def test_delete_of_a_missing_product_is_success(harness: Harness):
    api = harness.client(need="write")
    api.delete_product("never-existed")
    assert harness.count("DELETE", f"{PRODUCTS}/never-existed") == 1


def test_encoded_id_reaches_the_server_as_one_segment(harness: Harness):
    api = harness.client()
    assert api.get_product("a b") is None
    assert harness.store.ledger.entries("GET")[0].path == f"{PRODUCTS}/a b"
    assert harness.recorder.sent[-1][1] == f"{PRODUCTS}/a b"


@pytest.mark.parametrize(
    "body",
    [b"", b"<html>maintenance</html>", b'["p1"]', b'{"data": ["p1"]}'],
    ids=["empty", "not-json", "a-list", "data-not-an-object"],
)
def test_a_200_without_a_product_object_is_an_api_error(harness: Harness, body):
    harness.store.faults.fail_next("GET", f"{PRODUCTS}/p1", status=200, body=body)
    api = harness.client()
    with pytest.raises(ApiError, match=f"GET {PRODUCTS}/p1: .*no product object"):
        api.get_product("p1")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>maintenance</html>", "the response is not JSON"),
        (b'{"data": {"items": []}}', r"no product list .*expected data\.products"),
    ],
)
def test_a_list_page_without_products_is_an_api_error(harness: Harness, body, message):
    harness.store.faults.fail_next("GET", PRODUCTS, status=200, body=body)
    api = harness.client()
    with pytest.raises(ApiError, match=f"GET {PRODUCTS}: {message}"):
        list(api.iter_products())


def test_a_product_deleted_between_list_and_detail_is_not_live(harness: Harness):
    harness.store.summaries = True
    harness.store.seed([product(f"p{n}") for n in range(3)])
    harness.store.faults.fail_next("GET", f"{PRODUCTS}/p1", status=404)
    api = harness.client(list_returns_details=False)
    assert [d["productId"] for d in api.iter_products()] == ["p0", "p2"]
