"""The emulator's management routes in-process: tokens, scopes, CRUD, ETags, idempotency."""

from __future__ import annotations

import httpx
import pytest

from catalog_sync.emulator.store import READ_SCOPE
from catalog_sync.emulator.store import WRITE_SCOPE
from tests.conftest import issue_token

PRODUCTS = "/v1/data-provider/cdr/products"


def product(product_id: str = "p-1", **extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "productId": product_id,
        "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
        "name": f"Account {product_id}",
        "description": "An everyday account.",
        "brand": "WATTLE",
        "isTailored": False,
    }
    body.update(extra)
    return body


@pytest.fixture
def api(emulator_store, emulator_http):
    return emulator_http(token=issue_token(emulator_store))


def test_token_issues_bearer_with_lifetime(emulator_store, emulator_http):
    emulator_store.token_lifetime = 600
    client = emulator_http()
    response = client.post(
        "/v1/token", json={"client_id": "local", "client_secret": "local-secret"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 600
    assert body["token_type"] == "Bearer"
    assert emulator_store.check_token(body["token"]) is not None
    assert response.headers["cache-control"] == "no-store"


def test_token_accepts_form_encoding(emulator_http):
    response = emulator_http().post(
        "/v1/token", data={"client_id": "local", "client_secret": "local-secret"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("payload", "status", "error"),
    [
        ({"client_id": "local", "client_secret": "wrong"}, 401, "invalid_client"),
        ({"client_id": "nobody", "client_secret": "x"}, 401, "invalid_client"),
        ({"client_id": "local"}, 400, "invalid_request"),
        ([1, 2], 400, "invalid_request"),
    ],
)
def test_token_rejects_bad_credentials(emulator_http, payload, status, error):
    response = emulator_http().post("/v1/token", json=payload)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert "local-secret" not in response.text


def test_token_route_only_accepts_post(emulator_http):
    response = emulator_http().get("/v1/token")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"


@pytest.mark.parametrize("header", [None, "Bearer ", "Basic abc", "Bearer not-a-token"])
def test_missing_or_unknown_token_is_401(emulator_http, header):
    headers = {"Authorization": header} if header else {}
    response = emulator_http().get(PRODUCTS, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_token_expires_on_the_store_clock(emulator_store, emulator_http, fake_clock):
    client = emulator_http(token=issue_token(emulator_store))
    fake_clock.advance(899)
    assert client.get(PRODUCTS).status_code == 200
    fake_clock.advance(1)
    assert client.get(PRODUCTS).status_code == 401


def test_revoked_token_is_401(emulator_store, api):
    assert emulator_store.revoke_tokens() == 1
    assert api.get(PRODUCTS).status_code == 401


def test_read_only_client_cannot_write(emulator_store, emulator_http):
    emulator_store.add_client("reader", "r-secret", [READ_SCOPE])
    client = emulator_http(token=issue_token(emulator_store, "reader", "r-secret"))
    assert client.get(PRODUCTS).status_code == 200
    for response in (
        client.post(PRODUCTS, json=product()),
        client.put(f"{PRODUCTS}/p-1", json=product()),
        client.patch(f"{PRODUCTS}/p-1", json={"name": "x"}),
        client.delete(f"{PRODUCTS}/p-1"),
    ):
        assert response.status_code == 403
        assert response.json() == {
            "error": "insufficient_scope",
            "error_description": "The access token does not have the required scope",
            "scope": WRITE_SCOPE,
        }


def test_write_only_client_cannot_read(emulator_store, emulator_http):
    emulator_store.add_client("writer", "w-secret", [WRITE_SCOPE])
    client = emulator_http(token=issue_token(emulator_store, "writer", "w-secret"))
    response = client.get(f"{PRODUCTS}/p-1")
    assert response.status_code == 403
    assert response.json()["scope"] == READ_SCOPE


def test_create_get_replace_patch_delete(emulator_store, api, fake_clock):
    created = api.post(PRODUCTS, json=product(lastUpdated="1999-01-01T00:00:00Z"))
    assert created.status_code == 201
    assert created.json()["data"]["lastUpdated"] == "2027-01-15T08:00:00Z"
    assert created.headers["location"].endswith(f"{PRODUCTS}/p-1")
    etag = created.headers["etag"]

    fetched = api.get(f"{PRODUCTS}/p-1")
    assert fetched.status_code == 200
    assert fetched.headers["etag"] == etag
    assert fetched.json()["data"] == created.json()["data"]

    fake_clock.advance(60)
    replaced = api.put(f"{PRODUCTS}/p-1", json=product(name="Renamed"))
    assert replaced.status_code == 200
    assert replaced.json()["data"]["name"] == "Renamed"
    assert replaced.json()["data"]["lastUpdated"] == "2027-01-15T08:01:00Z"
    assert replaced.headers["etag"] != etag

    patched = api.patch(f"{PRODUCTS}/p-1", json={"brandName": "Wattle"})
    assert patched.status_code == 200
    assert patched.json()["data"]["brandName"] == "Wattle"
    assert patched.json()["data"]["name"] == "Renamed"
    patched = api.patch(f"{PRODUCTS}/p-1", json={"brandName": None})
    assert "brandName" not in patched.json()["data"]

    assert api.delete(f"{PRODUCTS}/p-1").status_code == 204
    assert api.get(f"{PRODUCTS}/p-1").status_code == 404
    assert emulator_store.products() == {}


def test_duplicate_create_is_409(api):
    assert api.post(PRODUCTS, json=product()).status_code == 201
    response = api.post(PRODUCTS, json=product(name="again"))
    assert response.status_code == 409
    assert response.json()["errors"][0]["title"] == "Conflict"


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE"])
def test_unknown_product_is_404(api, method):
    body = product("nope") if method in {"PUT", "PATCH"} else None
    response = api.request(method, f"{PRODUCTS}/nope", json=body)
    assert response.status_code == 404
    error = response.json()["errors"][0]
    assert error["code"] == "urn:au-cds:error:cds-all:Resource/NotFound"
    assert "nope" in error["detail"]


def test_if_match_guards_writes(api):
    etag = api.post(PRODUCTS, json=product()).headers["etag"]
    stale = '"999"'
    for method, body in (
        ("PUT", product()),
        ("PATCH", {"name": "x"}),
        ("DELETE", None),
    ):
        response = api.request(
            method, f"{PRODUCTS}/p-1", json=body, headers={"If-Match": stale}
        )
        assert response.status_code == 412, method
    updated = api.put(f"{PRODUCTS}/p-1", json=product(), headers={"If-Match": etag})
    assert updated.status_code == 200
    weak = f"W/{updated.headers['etag']}"
    assert api.delete(f"{PRODUCTS}/p-1", headers={"If-Match": weak}).status_code == 204


def test_recreated_product_never_reuses_an_etag(api):
    first = api.post(PRODUCTS, json=product()).headers["etag"]
    api.delete(f"{PRODUCTS}/p-1")
    second = api.post(PRODUCTS, json=product()).headers["etag"]
    assert first != second


def test_idempotency_key_replays_the_original_create(emulator_store, api):
    headers = {"Idempotency-Key": "key-1"}
    first = api.post(PRODUCTS, json=product(), headers=headers)
    again = api.post(PRODUCTS, json=product(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["idempotent-replayed"] == "true"
    assert list(emulator_store.products()) == ["p-1"]
    assert api.post(PRODUCTS, json=product()).status_code == 409


def test_idempotency_key_with_a_different_body_is_422(api):
    api.post(PRODUCTS, json=product(), headers={"Idempotency-Key": "k"})
    response = api.post(PRODUCTS, json=product("p-2"), headers={"Idempotency-Key": "k"})
    assert response.status_code == 422


def test_put_body_must_name_the_same_product(api):
    api.post(PRODUCTS, json=product())
    response = api.put(f"{PRODUCTS}/p-1", json=product("p-2"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["meta"] == {"path": "productId"}
    assert api.patch(f"{PRODUCTS}/p-1", json={"productId": "p-2"}).status_code == 422


@pytest.mark.parametrize(
    "content", [b"{not json", b"[1]", b'"text"'], ids=["garbage", "array", "string"]
)
def test_non_object_bodies_are_400(api, content):
    response = api.post(
        PRODUCTS, content=content, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"].endswith("Field/Invalid")


@pytest.mark.parametrize(
    "product_id", ["", "bad\x01id", "caf\u00e9", "x" * 101, 42, None]
)
def test_create_rejects_what_is_no_productid(api, product_id):
    response = api.post(PRODUCTS, json=product(product_id))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["meta"]["path"] == "productId"


@pytest.mark.parametrize(
    ("product_id", "segment"),
    [
        ("HOME EQUITY P", "HOME%20EQUITY%20P"),
        ("a/b", "a%2Fb"),
        ("..", "%2E%2E"),
        ("50%?", "50%25%3F"),
    ],
)
def test_any_printable_ascii_id_is_one_encoded_segment(api, product_id, segment):
    created = api.post(PRODUCTS, json=product(product_id))
    assert created.status_code == 201
    assert created.headers["Location"].endswith(f"{PRODUCTS}/{segment}")
    fetched = api.get(f"{PRODUCTS}/{segment}")
    assert fetched.json()["data"]["productId"] == product_id
    body = {**product(product_id), "name": "Renamed"}
    assert api.put(f"{PRODUCTS}/{segment}", json=body).status_code == 200
    assert api.delete(f"{PRODUCTS}/{segment}").status_code == 204


def test_a_path_of_two_segments_is_no_product(emulator_store, api):
    emulator_store.seed([product("a/b")])
    response = api.get(f"{PRODUCTS}/a/b")
    assert response.status_code == 404
    assert "no route" in response.json()["errors"][0]["detail"]
    assert api.get(f"{PRODUCTS}/").status_code == 404


def test_an_encoded_control_character_in_the_path_is_400(api):
    response = api.get(f"{PRODUCTS}/a%00b")
    assert response.status_code == 400
    assert "control character U+0000" in response.json()["errors"][0]["detail"]


def test_list_paginates_by_product_id(emulator_store, api):
    emulator_store.seed(product(f"p-{n:02}") for n in range(7))
    first = api.get(PRODUCTS, params={"page-size": 3}).json()
    assert [p["productId"] for p in first["data"]["products"]] == [
        "p-00",
        "p-01",
        "p-02",
    ]
    assert first["meta"] == {"totalRecords": 7, "totalPages": 3}
    assert first["links"]["next"].endswith("page-size=3&page=2")
    assert "prev" not in first["links"]
    last = api.get(first["links"]["last"]).json()
    assert [p["productId"] for p in last["data"]["products"]] == ["p-06"]
    assert "next" not in last["links"]
    assert "page=2&" in last["links"]["prev"]
    beyond = api.get(PRODUCTS, params={"page": 9, "page-size": 3}).json()
    assert beyond["data"]["products"] == []


@pytest.mark.parametrize(
    ("params", "status"),
    [({"page": "0"}, 400), ({"page": "x"}, 400), ({"page-size": "1001"}, 422)],
)
def test_list_rejects_bad_paging(api, params, status):
    assert api.get(PRODUCTS, params=params).status_code == status


def test_list_returns_details_or_summaries(emulator_store, api):
    features = [{"featureType": "CARD_ACCESS"}]
    emulator_store.seed([product(features=features)])
    listed = api.get(PRODUCTS).json()["data"]["products"][0]
    assert listed["features"] == features
    emulator_store.summaries = True
    listed = api.get(PRODUCTS).json()["data"]["products"][0]
    assert "features" not in listed
    assert api.get(f"{PRODUCTS}/p-1").json()["data"]["features"] == features


def test_unknown_route_is_404_and_wrong_method_405(api):
    assert api.get("/v2/nothing").status_code == 404
    assert api.put(PRODUCTS, json={}).status_code == 405
    assert api.post(f"{PRODUCTS}/p-1", json={}).status_code == 405


def test_invalid_body_is_422_with_every_problem(emulator_store, api):
    bad = product(productCategory="NOT_A_CATEGORY", isTailored="no")
    del bad["name"]
    response = api.post(PRODUCTS, json=bad)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert len(errors) >= 3
    assert {e["code"] for e in errors} == {
        "urn:au-cds:error:cds-all:Field/Invalid",
        "urn:au-cds:error:cds-all:Field/Missing",
    }
    paths = {e["meta"]["path"] for e in errors}
    assert {"productCategory", "isTailored"} <= paths
    assert all(e["title"] and e["detail"] for e in errors)
    assert emulator_store.products() == {}


def test_invalid_body_error_names_the_rule_and_a_hint_only_when_there_is_one(api):
    instalments = {"maximumSplit": 4, "minimumSplit": 0}
    bad = product(productCategory="BUY_NOW_PAY_LATER", instalments=instalments)
    bad["isTailored"] = "no"
    response = api.post(PRODUCTS, json=bad)
    assert response.status_code == 422
    errors = {e["meta"]["path"]: e for e in response.json()["errors"]}
    assert errors["instalments.minimumSplit"] == {
        "code": "urn:au-cds:error:cds-all:Field/Invalid",
        "title": "Invalid Field",
        "detail": "instalments.minimumSplit: 0 is less than the minimum of 1",
        "meta": {"path": "instalments.minimumSplit", "rule": "schema.minimum"},
    }
    assert errors["isTailored"]["meta"] == {
        "path": "isTailored",
        "rule": "schema.type",
        "hint": "write true or false (without quotes)",
    }


def test_invalid_put_and_patch_change_nothing(emulator_store, api):
    api.post(PRODUCTS, json=product())
    before = emulator_store.get_product("p-1")
    assert api.put(f"{PRODUCTS}/p-1", json=product(isTailored="no")).status_code == 422
    assert api.patch(f"{PRODUCTS}/p-1", json={"name": None}).status_code == 422
    assert emulator_store.get_product("p-1") == before


def test_validation_can_be_switched_off(emulator_store, emulator_http):
    client = emulator_http(token=issue_token(emulator_store), validate=False)
    assert client.post(PRODUCTS, json={"productId": "loose"}).status_code == 201


def test_drop_after_commit_in_process_is_a_transport_error(emulator_store, api):
    emulator_store.faults.drop_after_commit("DELETE", f"{PRODUCTS}/*")
    api.post(PRODUCTS, json=product())
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        api.delete(f"{PRODUCTS}/p-1")
    assert emulator_store.products() == {}
    assert emulator_store.ledger.entries("DELETE")[0].dropped


def test_token_with_a_non_json_body_is_400(emulator_http):
    response = emulator_http().post("/v1/token", content=b"client_id=local")
    assert response.status_code == 400


def test_patch_with_a_non_object_body_is_400(api):
    api.post(PRODUCTS, json=product())
    assert api.patch(f"{PRODUCTS}/p-1", json=["name"]).status_code == 400


def test_fault_body_may_be_raw_bytes(emulator_store, emulator_http):
    emulator_store.faults.fail_next(status=502, body=b"<html>Bad Gateway</html>")
    emulator_store.faults.fail_next(status=599)
    response = emulator_http().get(PRODUCTS)
    assert response.status_code == 502
    assert response.text == "<html>Bad Gateway</html>"
    assert emulator_http().get(PRODUCTS).status_code == 599


def test_store_rate_limit_from_the_constructor(fake_clock):
    from catalog_sync.emulator.store import Store

    store = Store(now=fake_clock.now, rate_limit=1, burst=1)
    assert store.rate_limiter is not None
    assert store.rate_limiter.acquire() is None
    assert store.rate_limiter.acquire() == 1
    store.close()


def test_truncated_response_in_process_is_a_transport_error(emulator_store, api):
    emulator_store.faults.truncate_next("GET", PRODUCTS)
    with pytest.raises(httpx.RemoteProtocolError, match="complete message body"):
        api.get(PRODUCTS)
    assert api.get(PRODUCTS).status_code == 200


@pytest.mark.parametrize(
    ("product_id", "raw"),
    [("a b", "/a%20b"), ("ü", "/%C3%BC"), ("x:y", "/x:y")],
)
def test_ledger_keeps_the_raw_path_in_process(emulator_store, api, product_id, raw):
    from urllib.parse import quote

    api.get(f"{PRODUCTS}/{quote(product_id, safe=':')}")
    (entry,) = emulator_store.ledger.entries("GET")
    assert entry.path == f"{PRODUCTS}/{product_id}"
    assert entry.raw_path == f"{PRODUCTS}{raw}"


def test_request_repr_hides_credentials():
    import io

    from catalog_sync.emulator.messages import Request

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/v1/token",
        "HTTP_AUTHORIZATION": "Bearer tok-123",
        "CONTENT_LENGTH": "30",
        "SERVER_NAME": "x",
        "SERVER_PORT": "80",
        "wsgi.input": io.BytesIO(b'{"client_secret": "sec-456"}  '),
    }
    text = repr(Request.from_environ(environ))
    assert "tok-123" not in text
    assert "sec-456" not in text


@pytest.mark.parametrize("page", ["99999999999999999999", "\u00b2", "\u0663"])
def test_absurd_page_numbers_are_400_not_a_crash(api, page):
    """A page past SQLite's integer range, or a non-ASCII digit, was a 500."""
    response = api.get(PRODUCTS, params={"page": page})
    assert response.status_code == 400
    assert "page must be a positive integer" in response.json()["errors"][0]["detail"]
