"""The paging check's edges: one page, a page 2 error, a server without links (names
found by trying), links that do not page, and next-link mode."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import httpx

from catalog_sync.doctor.model import Status
from catalog_sync.doctor.pages import Page
from catalog_sync.doctor.paging import _changed_in_next
from catalog_sync.doctor.paging import check_paging
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.faults import World
from catalog_sync.emulator.transport import EmulatorTransport
from tests.doctor.conftest import EXAMPLES
from tests.doctor.conftest import PRODUCTS
from tests.doctor.conftest import connect


class NoLinks(httpx.BaseTransport):
    """The emulator, but the list pages by `pageNo` and sends no links or meta."""

    def __init__(self, store) -> None:
        self.inner = EmulatorTransport(make_app(store))

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method != "GET" or request.url.path != PRODUCTS:
            return self.inner.handle_request(request)
        query = {k: v[0] for k, v in parse_qs(request.url.query.decode()).items()}
        size, number = int(query.get("page-size", 25)), int(query.get("pageNo", 1))
        items = EXAMPLES[(number - 1) * size : number * size]
        return httpx.Response(200, json={"data": {"products": items}})


def test_paging_cannot_tell_on_one_page(store):
    store.reset()
    store.seed(EXAMPLES[:2])
    with connect(store) as api:
        found = check_paging(api, "page-size")
    assert found.status is Status.UNKNOWN


def test_paging_page_two_error_fails(store):
    store.faults.fail_next(
        "GET", PRODUCTS, status=200, body={"data": {"products": EXAMPLES[:3]}}
    )
    store.faults.fail_next("GET", PRODUCTS, status=400)
    with connect(store) as api:
        found = check_paging(api, "page-size")
    assert found.status is Status.FAIL
    assert "400" in found.observed


def test_paging_finds_the_page_name_by_trying_when_there_are_no_links(store):
    with connect(store, transport=NoLinks(store)) as api:
        found = check_paging(api, "page-size")
    assert found.status is Status.FAIL
    assert dict(found.suggest) == {"api.page_param": "pageNo"}


def test_paging_that_never_pages_names_no_value(store):
    same = {"data": {"products": EXAMPLES[:3]}}
    store.faults.fail_next("GET", PRODUCTS, status=200, body=same, times=None)
    with connect(store) as api:
        found = check_paging(api, "page-size")
    assert found.status is Status.FAIL
    assert found.suggest == {}
    assert found.fix is not None
    assert "did not page either" in found.fix


def test_changed_in_next_ignores_an_invalid_link():
    page = Page({}, 200, body={"links": {"next": "http://[::1"}})
    assert _changed_in_next(page) == {}


def test_next_link_mode_follows_page_numbers_too(store):
    with connect(store, paging="next-link") as api:
        found = check_paging(api, "page-size")
    assert found.status is Status.OK


def test_next_link_mode_cannot_tell_on_one_page(store):
    store.world = World(cursor=True)
    store.reset()
    store.seed(EXAMPLES[:2])
    with connect(store, paging="next-link") as api:
        assert check_paging(api, "page-size").status is Status.UNKNOWN


def test_next_link_mode_fails_when_the_link_answers_an_error(store):
    store.world = World(cursor=True)
    page = {
        "data": {"products": EXAMPLES[:3]},
        "links": {"next": f"{PRODUCTS}?cursor=!"},
    }
    store.faults.fail_next("GET", PRODUCTS, status=200, body=page)
    with connect(store, paging="next-link") as api:
        found = check_paging(api, "page-size")
    assert found.status is Status.FAIL
    assert found.fix == "api.paging: page (page by number)"


def test_next_link_mode_fails_when_the_link_does_not_page(store):
    page = {
        "data": {"products": EXAMPLES[:3]},
        "links": {"next": f"{PRODUCTS}?again=1"},
    }
    store.faults.fail_next("GET", PRODUCTS, status=200, body=page, times=2)
    with connect(store, paging="next-link") as api:
        found = check_paging(api, "page-size")
    assert found.status is Status.FAIL
    assert dict(found.suggest) == {"api.paging": "page"}
    assert json.dumps(dict(found.suggest))
