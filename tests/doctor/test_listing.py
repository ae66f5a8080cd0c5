"""The list and page-size checks against odd list responses (emulator faults)."""

from __future__ import annotations

from catalog_sync.doctor.listing import check_list
from catalog_sync.doctor.listing import check_page_size
from catalog_sync.doctor.model import Status
from catalog_sync.emulator.faults import World
from tests.doctor.conftest import EXAMPLES
from tests.doctor.conftest import PRODUCTS
from tests.doctor.conftest import connect


def test_list_404_names_products_path(store):
    store.faults.fail_next("GET", PRODUCTS, status=404)
    with connect(store) as api:
        found, page = check_list(api)
    assert page is None
    assert found.status is Status.FAIL
    assert found.fix == "check api.products_path (now /v1/data-provider/cdr/products)"


def test_list_403_says_which_scope(store):
    store.faults.fail_next(
        "GET", PRODUCTS, status=403, body={"error": "insufficient_scope"}
    )
    with connect(store) as api:
        found, _ = check_list(api)
    assert found.status is Status.FAIL
    assert "lack api:provider.products.read" in found.observed


def test_list_without_data_products_names_the_keys(store):
    store.faults.fail_next("GET", PRODUCTS, status=200, body={"items": [], "total": 0})
    with connect(store) as api:
        found, page = check_list(api)
    assert page is None
    assert found.status is Status.FAIL
    assert found.observed.endswith("(top-level keys: items, total)")


def test_list_that_is_not_json(store):
    store.faults.fail_next("GET", PRODUCTS, status=200, body=b"<html>")
    with connect(store) as api:
        found, _ = check_list(api)
    assert found.observed.endswith("the response is not JSON")


def test_list_as_a_bare_data_list_without_links(store):
    store.faults.fail_next("GET", PRODUCTS, status=200, body={"data": EXAMPLES[:2]})
    with connect(store) as api:
        found, page = check_list(api)
    assert found.status is Status.OK
    assert found.observed.endswith(
        "2 products in data as a bare list, without links or meta"
    )
    assert page is not None


def test_page_size_ignored_under_every_name_names_the_key(store):
    store.world = World(page_size_param="zz")
    with connect(store) as api:
        first = check_list(api)[1]
        assert first is not None
        found, name = check_page_size(api, first)
    assert name == "page-size"
    assert found.status is Status.DIFFERS  # links tell the client a page follows
    assert found.fix is not None
    assert found.fix.startswith("set api.page_size_param")


def test_page_size_ignored_without_links_fails(store):
    store.world = World(page_size_param="pageSize")
    store.faults.fail_next(
        "GET", PRODUCTS, status=200, body={"data": {"products": EXAMPLES}}
    )
    with connect(store) as api:
        first = check_list(api)[1]
        assert first is not None
        found, name = check_page_size(api, first)
    assert name == "pageSize"
    assert found.status is Status.FAIL


def test_page_size_capped_by_the_server_suggests_page_size(store):
    capped = {"data": {"products": EXAMPLES[:10]}, "links": {"next": "x"}}
    store.faults.fail_next("GET", PRODUCTS, status=200, body=capped)
    with connect(store) as api:
        first = check_list(api)[1]
        assert first is not None
        found, _ = check_page_size(api, first)
    assert found.status is Status.DIFFERS
    assert dict(found.suggest) == {"api.page_size": 10}


def test_page_size_cannot_tell_on_a_tiny_catalog(store):
    store.reset()
    store.seed(EXAMPLES[:2])
    with connect(store) as api:
        first = check_list(api)[1]
        assert first is not None
        found, _ = check_page_size(api, first)
    assert found.status is Status.UNKNOWN
