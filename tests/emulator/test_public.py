"""The public PRD endpoints: no auth, x-v negotiation, effective filtering, filters, paging."""

from __future__ import annotations

import httpx
import pytest

from tests.emulator.test_app import product

LIST = "/cds-au/v1/banking/products"
PAST = "2020-01-01T00:00:00Z"
FUTURE = "2030-01-01T00:00:00+10:00"


@pytest.fixture
def public(emulator_store, emulator_http):
    emulator_store.seed(
        [
            product("current", features=[{"featureType": "CARD_ACCESS"}]),
            product("started", effectiveFrom=PAST, brand="KOALA"),
            product("future", effectiveFrom=FUTURE),
            product("retired", effectiveTo=PAST, productCategory="TERM_DEPOSITS"),
        ]
    )
    return emulator_http()


def ids(response: httpx.Response) -> list[str]:
    return [p["productId"] for p in response.json()["data"]["products"]]


def test_list_defaults_to_current_products_as_summaries(public):
    response = public.get(LIST, headers={"x-v": "5"})
    assert response.status_code == 200
    assert response.headers["x-v"] == "5"
    assert ids(response) == ["current", "started"]
    assert "features" not in response.json()["data"]["products"][0]
    assert response.json()["meta"] == {"totalRecords": 2, "totalPages": 1}
    assert response.json()["links"]["self"] == "http://emulator.test" + LIST


@pytest.mark.parametrize(
    ("effective", "expected"),
    [
        ("CURRENT", ["current", "started"]),
        ("FUTURE", ["future"]),
        ("ALL", ["current", "future", "retired", "started"]),
        ("all", ["current", "future", "retired", "started"]),
    ],
)
def test_list_effective_filter(public, effective, expected):
    response = public.get(LIST, params={"effective": effective}, headers={"x-v": "5"})
    assert ids(response) == expected


def test_list_future_product_becomes_current_on_the_clock(public, fake_clock):
    fake_clock.advance(1_900_000_000.0 - fake_clock.now())  # 2030-03-17
    assert "future" in ids(public.get(LIST, headers={"x-v": "5"}))


def test_list_brand_category_and_updated_since_filters(public, emulator_store):
    headers = {"x-v": "5"}
    query = {"effective": "ALL", "brand": "koala"}
    assert ids(public.get(LIST, params=query, headers=headers)) == ["started"]
    query = {"effective": "ALL", "product-category": "TERM_DEPOSITS"}
    assert ids(public.get(LIST, params=query, headers=headers)) == ["retired"]
    query = {"effective": "ALL", "updated-since": "2027-01-15T08:00:01Z"}
    assert ids(public.get(LIST, params=query, headers=headers)) == []


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"effective": "SOMETIMES"}, 400, "Field/Invalid"),
        ({"updated-since": "yesterday"}, 400, "Field/Invalid"),
        ({"page-size": "2000"}, 422, "Field/InvalidPageSize"),
        ({"page": "3"}, 422, "Field/InvalidPage"),
    ],
)
def test_list_rejects_bad_parameters(public, params, status, code):
    response = public.get(LIST, params=params, headers={"x-v": "5"})
    assert response.status_code == status
    assert response.json()["errors"][0]["code"] == f"urn:au-cds:error:cds-all:{code}"


def test_list_pages(public):
    query = {"effective": "ALL", "page-size": "3", "page": "2"}
    response = public.get(LIST, params=query, headers={"x-v": "5"})
    assert ids(response) == ["started"]
    assert response.json()["meta"] == {"totalRecords": 4, "totalPages": 2}
    assert "page=1" in response.json()["links"]["prev"]


@pytest.mark.parametrize(
    ("headers", "status", "served"),
    [
        ({"x-v": "4"}, 200, "4"),
        ({"x-v": "9", "x-min-v": "3"}, 200, "5"),
        ({"x-v": "7"}, 406, None),
        ({"x-v": "7", "x-min-v": "6"}, 406, None),
        ({"x-v": "5", "x-min-v": "9"}, 200, "5"),
        ({}, 400, None),
        ({"x-v": "abc"}, 400, None),
        ({"x-v": "0"}, 400, None),
        # a huge range is answered at once (it was walked one version at a time)
        ({"x-v": "99999999999999", "x-min-v": "1"}, 200, "5"),
        ({"x-v": "99999999999999", "x-min-v": "99999999999"}, 406, None),
    ],
)
@pytest.mark.timeout(5)
def test_list_version_negotiation(public, headers, status, served):
    response = public.get(LIST, headers=headers)
    assert response.status_code == status
    assert response.headers.get("x-v") == served


def test_detail_returns_full_product_without_auth(public):
    response = public.get(f"{LIST}/current", headers={"x-v": "7"})
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["features"] == [{"featureType": "CARD_ACCESS"}]
    assert body["links"]["self"].endswith(f"{LIST}/current")
    assert body["meta"] == {}
    assert public.get(f"{LIST}/future", headers={"x-v": "6"}).status_code == 200


def test_detail_errors(public):
    assert public.get(f"{LIST}/missing", headers={"x-v": "7"}).status_code == 404
    assert public.get(f"{LIST}/current", headers={"x-v": "5"}).status_code == 406
    assert public.get(f"{LIST}/a%00b", headers={"x-v": "7"}).status_code == 400
    assert public.get(f"{LIST}/a/b", headers={"x-v": "7"}).status_code == 404
    assert public.post(LIST, json={}).status_code == 405


def test_a_latin_1_digit_in_x_v_is_400_not_a_crash(emulator_store):
    """`x-v: ²` (byte 0xB2) reaches the server as a digit that int() refuses."""
    import socket

    from catalog_sync.emulator.app import make_app
    from catalog_sync.emulator.server import serve_in_thread

    with serve_in_thread(make_app(emulator_store)) as base_url:
        url = httpx.URL(base_url)
        with socket.create_connection((url.host, url.port or 80), timeout=5) as sock:
            sock.sendall(
                b"GET /cds-au/v1/banking/products HTTP/1.1\r\nHost: x\r\n"
                b"x-v: \xb2\r\nConnection: close\r\n\r\n"
            )
            status_line = sock.recv(64).split(b"\r\n")[0]
    assert status_line.split()[1] == b"400"
