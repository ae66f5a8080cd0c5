"""The emulator over real loopback HTTP: every fault type, rate limiting, the ledger and
concurrency, as a client would meet them."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC
from datetime import datetime
from email.utils import format_datetime
from email.utils import parsedate_to_datetime

import httpx
import pytest

from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.faults import World
from catalog_sync.emulator.server import EmulatorServer
from catalog_sync.emulator.server import check_bind_host
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import Store
from tests.conftest import issue_token
from tests.emulator.test_app import PRODUCTS
from tests.emulator.test_app import product


@pytest.fixture
def api(emulator_server):
    token = issue_token(emulator_server.store)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=emulator_server.base_url, headers=headers) as client:
        yield client


def test_serves_over_loopback_with_keep_alive(emulator_server, api):
    assert emulator_server.base_url.startswith("http://127.0.0.1:")
    first = api.post(PRODUCTS, json=product())
    assert first.status_code == 201
    assert int(first.headers["content-length"]) == len(first.content)
    assert "date" in first.headers
    second = api.get(f"{PRODUCTS}/p-1")
    assert second.json()["data"]["productId"] == "p-1"
    assert api.delete(f"{PRODUCTS}/p-1").status_code == 204


def test_head_sends_headers_only_and_the_connection_stays_usable(api):
    head = api.head(PRODUCTS)
    assert head.status_code == 405
    assert head.headers["allow"] == "GET, POST"
    assert int(head.headers["content-length"]) > 0  # the length a GET body would have
    assert head.content == b""
    # A body sent after HEAD's headers would be read as the start of the next response.
    assert api.get(PRODUCTS).status_code == 200


def test_token_over_http(emulator_server):
    with httpx.Client(base_url=emulator_server.base_url) as client:
        response = client.post(
            "/v1/token", json={"client_id": "local", "client_secret": "local-secret"}
        )
    assert response.status_code == 200
    assert response.json()["token"]


def test_fail_next_returns_status_and_retry_after_then_recovers(emulator_server, api):
    emulator_server.store.faults.fail_next(
        "POST", f"{PRODUCTS}*", status=503, times=2, retry_after=2
    )
    statuses = [api.post(PRODUCTS, json=product()) for _ in range(3)]
    assert [r.status_code for r in statuses] == [503, 503, 201]
    assert statuses[0].headers["retry-after"] == "2"
    assert emulator_server.store.ledger.count("POST", PRODUCTS) == 3


def test_fail_next_with_http_date_and_custom_body(emulator_server, api):
    when = format_datetime(datetime(2030, 1, 1, tzinfo=UTC), usegmt=True)
    emulator_server.store.faults.fail_next(
        "GET", None, status=429, retry_after=when, body={"error": "slow down"}
    )
    response = api.get(PRODUCTS)
    assert response.status_code == 429
    assert response.headers["retry-after"] == when
    assert response.json() == {"error": "slow down"}
    assert api.get(PRODUCTS).status_code == 200


def test_fail_next_only_matches_method_and_path(emulator_server, api):
    emulator_server.store.faults.fail_next("DELETE", f"{PRODUCTS}/*", status=500)
    assert api.post(PRODUCTS, json=product()).status_code == 201
    assert api.get(f"{PRODUCTS}/p-1").status_code == 200
    assert api.delete(f"{PRODUCTS}/p-1").status_code == 500
    assert api.delete(f"{PRODUCTS}/p-1").status_code == 204


def test_drop_after_commit_leaves_the_product_created(emulator_server, api):
    store = emulator_server.store
    store.faults.drop_after_commit("POST", PRODUCTS)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(PRODUCTS, json=product(), headers={"Idempotency-Key": "k1"})
    assert list(store.products()) == ["p-1"]
    (entry,) = store.ledger.entries("POST")
    assert entry.dropped
    assert entry.status == 201
    retried = api.post(PRODUCTS, json=product(), headers={"Idempotency-Key": "k1"})
    assert retried.status_code == 201
    assert list(store.products()) == ["p-1"]


def test_drop_after_commit_ignores_failed_writes(emulator_server, api):
    emulator_server.store.faults.drop_after_commit("PUT", f"{PRODUCTS}/*")
    assert api.put(f"{PRODUCTS}/ghost", json=product("ghost")).status_code == 404
    api.post(PRODUCTS, json=product())
    with pytest.raises(httpx.RemoteProtocolError):
        api.put(f"{PRODUCTS}/p-1", json=product(name="new"))
    assert emulator_server.store.products()["p-1"]["name"] == "new"


def test_latency_delays_matching_requests(emulator_server, api):
    emulator_server.store.faults.add_latency(0.3, "GET", f"{PRODUCTS}/*", times=1)
    with pytest.raises(httpx.ReadTimeout):
        api.get(f"{PRODUCTS}/p-1", timeout=0.05)
    assert api.get(f"{PRODUCTS}/p-1", timeout=5).status_code == 404


def test_rate_limit_answers_429_with_retry_after(emulator_server, api, fake_clock):
    emulator_server.store.set_rate_limit(2, burst=2)
    statuses = [api.get(PRODUCTS).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = api.get(PRODUCTS)
    assert limited.headers["retry-after"] == "1"
    assert limited.json()["error"] == "rate_limited"
    fake_clock.advance(1)
    assert api.get(PRODUCTS).status_code == 200


def test_concurrency_limit_and_max_in_flight(emulator_server, api):
    store = emulator_server.store
    store.concurrency_limit = 2
    store.faults.add_latency(0.2, "GET")
    barrier = threading.Barrier(4)

    def call(_):
        barrier.wait()
        return api.get(PRODUCTS).status_code

    with ThreadPoolExecutor(4) as pool:
        statuses = sorted(pool.map(call, range(4)))
    assert store.ledger.max_in_flight >= 3
    assert 429 in statuses
    assert statuses.count(200) >= 2


def test_ledger_redacts_authorization_and_keeps_idempotency_key(emulator_server, api):
    api.post(PRODUCTS, json=product(), headers={"Idempotency-Key": "abc"})
    with httpx.Client(base_url=emulator_server.base_url) as client:
        client.post(
            "/v1/token", json={"client_id": "local", "client_secret": "local-secret"}
        )
    create, token = emulator_server.store.ledger.entries()
    assert create.headers["authorization"] == "Bearer <redacted>"
    assert create.idempotency_key == "abc"
    assert create.body["productId"] == "p-1"
    assert token.body == {"client_id": "local", "client_secret": "<redacted>"}
    everything = repr(emulator_server.store.ledger.to_json())
    assert "local-secret" not in everything
    assert api.headers["authorization"].split()[1] not in everything


def test_many_threads_writing_distinct_ids_lose_nothing(emulator_server, api):
    def create(n):
        return api.post(PRODUCTS, json=product(f"p-{n:03}")).status_code

    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(create, range(120)))
    assert statuses == [201] * 120
    assert len(emulator_server.store.products()) == 120
    versions = {api.get(f"{PRODUCTS}/p-{n:03}").headers["etag"] for n in range(120)}
    assert len(versions) == 120


def test_racing_creates_of_one_id_yield_one_product(emulator_server, api):
    barrier = threading.Barrier(8)

    def create(_):
        barrier.wait()
        return api.post(PRODUCTS, json=product()).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(create, range(8)))
    assert statuses == [201] + [409] * 7


def test_server_close_ends_idle_keep_alive_connections():
    store = Store()
    with serve_in_thread(make_app(store)) as base_url, httpx.Client() as client:
        assert client.get(
            f"{base_url}/cds-au/v1/banking/products", headers={"x-v": "5"}
        )
    store.close()


def test_unexpected_app_error_is_a_500(emulator_store):
    def broken(environ, start_response):
        raise RuntimeError("boom")

    with serve_in_thread(broken) as base_url, httpx.Client() as client:
        assert client.get(base_url).status_code == 500


def test_chunked_request_bodies_are_refused(emulator_server):
    with httpx.Client(base_url=emulator_server.base_url) as client:
        response = client.post("/v1/token", content=iter([b"{}"]))
    assert response.status_code == 411


def test_binding_beyond_loopback_needs_allow_remote():
    check_bind_host("127.0.0.1", allow_remote=False)
    check_bind_host("0.0.0.0", allow_remote=True)
    with pytest.raises(ValueError, match="--allow-remote"):
        check_bind_host("0.0.0.0", allow_remote=False)


def test_server_base_url_for_ipv6():
    store = Store()
    try:
        server = EmulatorServer(make_app(store), "::1", 0)
    except OSError:
        pytest.skip("no IPv6 loopback")
    assert server.base_url.startswith("http://[::1]:")
    server.close()
    store.close()


def test_ledger_hides_other_credential_headers_and_counts_in_flight(emulator_server):
    with httpx.Client(base_url=emulator_server.base_url) as client:
        client.get(PRODUCTS, headers={"X-Api-Key": "k-123", "Cookie": "session=abc"})
    (entry,) = emulator_server.store.ledger.entries()
    assert entry.headers["x-api-key"] == "<redacted>"
    assert entry.headers["cookie"] == "<redacted>"
    assert emulator_server.store.ledger.in_flight == 0


def test_truncated_get_is_a_short_body_over_the_socket(emulator_server, api):
    api.post(PRODUCTS, json=product())
    emulator_server.store.faults.truncate_next("GET", f"{PRODUCTS}/*", keep=5)
    with pytest.raises(httpx.RemoteProtocolError):
        api.get(f"{PRODUCTS}/p-1")
    assert api.get(f"{PRODUCTS}/p-1").status_code == 200
    truncated = emulator_server.store.ledger.entries("GET")[0]
    assert truncated.dropped
    assert truncated.status == 200


def test_truncated_create_response_still_commits(emulator_server, api):
    emulator_server.store.faults.truncate_next("POST", PRODUCTS)
    with pytest.raises(httpx.RemoteProtocolError):
        api.post(PRODUCTS, json=product())
    assert list(emulator_server.store.products()) == ["p-1"]


def test_fail_next_can_redirect_elsewhere(emulator_server, api):
    emulator_server.store.faults.fail_next(
        "GET", PRODUCTS, status=302, headers={"Location": "http://127.0.0.2:1/steal"}
    )
    response = api.get(PRODUCTS)
    assert response.status_code == 302
    assert response.headers["location"] == "http://127.0.0.2:1/steal"


def test_ledger_keeps_the_raw_path_over_the_socket(emulator_server, api):
    api.get(f"{PRODUCTS}/a%20b", params={"x": "1"})
    (entry,) = emulator_server.store.ledger.entries("GET")
    assert (entry.path, entry.raw_path) == (f"{PRODUCTS}/a b", f"{PRODUCTS}/a%20b")
    assert entry.query == "x=1"


def test_every_response_has_one_date_header_control_routes_included():
    store = Store()
    store.world = World(date_skew=86_400)
    with (
        serve_in_thread(make_app(store, control=True)) as base_url,
        httpx.Client(base_url=base_url) as client,
    ):
        control = client.get("/_emulator/ledger")
        api = client.get("/cds-au/v1/banking/products", headers={"x-v": "5"})
    store.close()
    assert len(control.headers.get_list("date")) == 1
    assert len(api.headers.get_list("date")) == 1
    skewed = parsedate_to_datetime(api.headers["date"]).timestamp()
    server = parsedate_to_datetime(control.headers["date"]).timestamp()
    assert 86_000 < skewed - server < 86_800
