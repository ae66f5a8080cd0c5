"""Token handling (reliability checklist items 16-25 and 27) against the emulator on the
shared fake clock; JWT scope claims and odd token responses through MockTransport."""

from __future__ import annotations

import base64
import contextlib
import io
import json
import logging
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from catalog_sync.config.model import ApiContract
from catalog_sync.config.model import default_config
from catalog_sync.errors import AuthError
from catalog_sync.errors import RateLimitedError
from catalog_sync.errors import ScopeError
from catalog_sync.fiskil.auth import token_lifetime
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.connect import Credentials
from catalog_sync.fiskil.connect import connect_products
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.redact import Secret
from catalog_sync.fiskil.scopes import Need
from catalog_sync.targets import open_products_api
from tests.conftest import FakeClock
from tests.fiskil.conftest import PRODUCTS
from tests.fiskil.conftest import READONLY_ID
from tests.fiskil.conftest import READONLY_SECRET
from tests.fiskil.conftest import TOKEN
from tests.fiskil.conftest import Harness
from tests.fiskil.conftest import product

ONE = f"{PRODUCTS}/*"
WRITE = "api:provider.products.write"


def test_one_token_for_many_calls(harness: Harness):
    """Item 16."""
    api = harness.client()
    for n in range(50):
        api.get_product(f"p{n}")
    assert harness.count("POST", TOKEN) == 1
    assert harness.count("GET", ONE) == 50


def test_token_is_refreshed_before_it_expires(harness: Harness):
    """Item 17: at expires_in - skew + 1 s the next call refreshes first."""
    api = harness.client()
    api.get_product("p1")
    harness.clock.advance(900 - 120 + 1)
    api.get_product("p1")
    assert harness.count("POST", TOKEN) == 2
    methods = [e.method for e in harness.store.ledger.entries()]
    assert methods == ["POST", "GET", "POST", "GET"]
    assert all(e.status != 401 for e in harness.store.ledger.entries())
    first, second = harness.recorder.auth_of("GET", f"{PRODUCTS}/p1")
    assert first != second


def test_concurrent_workers_share_one_refresh(harness: Harness):
    """Item 18: 20 workers, expired token, exactly one token request."""
    api = harness.client()
    api.get_product("warm-up")
    harness.clock.advance(901)
    start = threading.Barrier(20)

    def work(n: int) -> None:
        start.wait()
        api.get_product(f"p{n}")

    with ThreadPoolExecutor(max_workers=20) as pool:
        list(pool.map(work, range(20)))
    assert harness.count("POST", TOKEN) == 2
    assert all(e.status != 401 for e in harness.store.ledger.entries())
    sent = [
        a
        for m, p, a in harness.recorder.sent
        if m == "GET" and p != f"{PRODUCTS}/warm-up"
    ]
    assert len(sent) == 20
    assert len(set(sent)) == 1
    assert sent[0] != harness.recorder.auth_of("GET", f"{PRODUCTS}/warm-up")[0]


def test_revoked_token_is_refreshed_once_and_replayed(harness: Harness):
    """Item 19."""
    api = harness.client()
    api.get_product("p1")
    harness.store.revoke_tokens()
    api.get_product("p1")
    assert harness.count("POST", TOKEN) == 2
    statuses = [e.status for e in harness.store.ledger.entries("GET")]
    assert statuses == [404, 401, 404]


def test_401_after_refresh_is_final(harness: Harness):
    """Item 20: no refresh loop."""
    api = harness.client()
    harness.store.faults.fail_next(
        "GET", ONE, status=401, times=None, body={"error": "invalid_token"}
    )
    with pytest.raises(AuthError, match="authentication rejected after refresh"):
        api.get_product("p1")
    assert harness.count("POST", TOKEN) == 2
    assert harness.count("GET", ONE) == 2


def test_in_flight_401s_share_one_refresh(harness: Harness):
    """Item 21: 10 requests with the same stale token -> a single refresh."""
    api = harness.client()
    api.get_product("warm-up")
    stale = harness.recorder.auth_of("GET", f"{PRODUCTS}/warm-up")[0]
    harness.store.revoke_tokens()
    harness.store.faults.add_latency(0.05, "GET", ONE, times=10)
    start = threading.Barrier(10)

    def work(n: int) -> None:
        start.wait()
        api.get_product(f"p{n}")

    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(work, range(10)))
    assert harness.count("POST", TOKEN) == 2
    gets = [a for m, _, a in harness.recorder.sent if m == "GET"][1:]
    replays = [a for a in gets if a != stale]
    stale_sends = len(gets) - len(replays)
    assert len(replays) == 10
    assert len(set(replays)) == 1
    assert stale_sends >= 1
    assert harness.store.ledger.count("GET", ONE) == 1 + len(gets)
    assert [e.status for e in harness.store.ledger.entries("GET")].count(401) == (
        stale_sends
    )


def test_invalid_client_is_final_and_says_nothing_secret(harness: Harness):
    """Item 22."""
    api = harness.client(secret="wrong-secret-0d9a7")
    with pytest.raises(AuthError) as info:
        api.get_product("p1")
    assert harness.count("POST", TOKEN) == 1
    assert harness.count("GET", ONE) == 0
    text = str(info.value)
    assert "invalid_client" in text
    assert "wrong-secret-0d9a7" not in text
    assert "client_secret" not in text
    assert "The client credentials are invalid" not in text  # the body is never quoted


def test_token_endpoint_429_is_waited_out(harness: Harness):
    """Item 23."""
    harness.store.faults.fail_next("POST", TOKEN, status=429, retry_after=1)
    harness.client().get_product("p1")
    assert harness.count("POST", TOKEN) == 2
    assert harness.clock.sleeps
    assert harness.clock.sleeps[0] >= 1.0


def test_token_endpoint_429s_use_no_attempts(harness: Harness):
    """Checklist 56: the token endpoint paces like the rest. More 429s than
    max_attempts are waited out, with no retry budget spent."""
    harness.store.faults.fail_next("POST", TOKEN, status=429, times=6, retry_after=1)
    api = harness.client(max_attempts=2, retry_budget=0)
    assert api.get_product("p1") is None
    assert harness.count("POST", TOKEN) == 7


def test_403_on_first_write_stops_all_writes(harness: Harness):
    """Item 24: no retry, no refresh, later writes fail without a request; reading
    (what plan needs) works with the same read-only client."""
    api = harness.client(client_id=READONLY_ID, secret=READONLY_SECRET)
    assert api.auth is not None
    assert not api.auth.writes_denied
    with pytest.raises(ScopeError) as info:
        api.create_product(product("p1"))
    assert api.auth.writes_denied
    assert info.value.scope == WRITE
    assert WRITE in str(info.value)
    assert "generate new credentials with that scope" in str(info.value)
    with pytest.raises(ScopeError, match="not sent"):
        api.update_product("p2", product("p2"))
    with pytest.raises(ScopeError, match="not sent"):
        api.delete_product("p3")
    assert harness.count("POST", PRODUCTS) == 1
    assert harness.count("PUT", ONE) == 0
    assert harness.count("DELETE", ONE) == 0
    assert harness.count("POST", TOKEN) == 1
    assert harness.clock.sleeps == []
    assert list(api.iter_products()) == []


@pytest.mark.parametrize("expires_in", [None, -5, "900", 10**9, True, 0])
def test_odd_expires_in_uses_the_default_lifetime(clock, caplog, expires_in):
    """Item 25."""
    body = {"token": "opaque-token-1"}
    if expires_in is not None:
        body["expires_in"] = expires_in

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN:
            return httpx.Response(200, json=body)
        return httpx.Response(404)

    api = _mock_api(clock, handler)
    with caplog.at_level(logging.WARNING, logger="catalog_sync"):
        assert api.get_product("p1") is None
    assert api.auth is not None
    assert api.auth.seconds_left() == ApiContract().default_token_lifetime_seconds
    assert any("expires_in" in r.getMessage() for r in caplog.records)


def test_token_lifetime_accepts_sane_values():
    assert token_lifetime(900, default=300) == (900.0, None)
    assert token_lifetime(3600.5, default=300) == (3600.5, None)


def _jwt(claims: dict[str, object]) -> str:
    def part(value: object) -> str:
        raw = json.dumps(value).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'none'})}.{part(claims)}.c2ln"


def test_jwt_scope_claim_is_checked_before_the_first_call(clock):
    calls: list[str] = []
    token = _jwt({"scope": "api:provider.products.read", "sub": "x"})

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}")
        if request.url.path == TOKEN:
            return httpx.Response(200, json={"access_token": token, "expires_in": 900})
        return httpx.Response(200, json={"data": {"products": []}, "links": {}})

    with pytest.raises(ScopeError, match=WRITE) as info:
        list(_mock_api(clock, handler, need="write").iter_products())
    assert info.value.scope == WRITE
    assert calls == [f"POST {TOKEN}"]
    reader = _mock_api(clock, handler, need="read")
    assert list(reader.iter_products()) == []
    with pytest.raises(ScopeError, match="not sent"):
        reader.delete_product("p1")
    assert not any(c.startswith("DELETE") for c in calls)


def test_scp_list_claim_grants_write(clock):
    token = _jwt({"scp": ["api:provider.products.read", WRITE]})

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == TOKEN:
            return httpx.Response(200, json={"token": token, "expires_in": 900})
        return httpx.Response(204)

    api = _mock_api(clock, handler, need="write")
    api.delete_product("p1")
    assert api.auth is not None
    assert api.auth.scopes == frozenset({"api:provider.products.read", WRITE})


def test_github_actions_masks_each_new_token_first(tmp_path: Path, clock):
    """Item 27: `::add-mask::<token>` precedes every other line that could carry it,
    once per newly issued token (here: the first and one after a refresh)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.DEBUG)
    config = default_config(tmp_path)
    try:
        with (
            contextlib.redirect_stdout(stream),
            open_products_api(
                config,
                config.environment(None),
                need="write",
                environ={"GITHUB_ACTIONS": "true"},
                options=ClientOptions(clock=clock),
            ) as api,
        ):
            api.get_product("p1")
            clock.advance(10_000)
            api.get_product("p1")
            assert api.auth is not None
            assert api.auth.tokens_issued == 2
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    lines = stream.getvalue().splitlines()
    masks = [line for line in lines if line.startswith("::add-mask::")]
    assert len(masks) == 2
    for mask in masks:
        token = mask.removeprefix("::add-mask::")
        first_use = next(i for i, line in enumerate(lines) if token in line)
        assert lines[first_use] == mask


def test_no_mask_outside_github_actions(tmp_path: Path):
    stream = io.StringIO()
    config = default_config(tmp_path)
    with (
        contextlib.redirect_stdout(stream),
        open_products_api(
            config, config.environment(None), need="read", environ={}
        ) as api,
    ):
        api.get_product("p1")
    assert stream.getvalue() == ""


def _mock_api(clock: FakeClock, handler: Any, *, need: Need = "read") -> ProductsClient:
    return connect_products(
        "https://api.example.test",
        Credentials("cid", Secret("mock-secret")),
        api=ApiContract(),
        need=need,
        options=ClientOptions(
            clock=clock, rng=random.Random(1), transport=httpx.MockTransport(handler)
        ),
    )


def test_failed_token_request_does_not_hold_the_refresh_lock(harness: Harness):
    api = harness.client()
    assert api.auth is not None
    harness.store.faults.fail_next("POST", TOKEN, status=429, retry_after=3600)
    with pytest.raises(RateLimitedError) as info:  # keeps the failed frame alive
        api.auth.ensure_token(api.http)
    auth, http = api.auth, api.http
    worker = threading.Thread(target=lambda: auth.ensure_token(http), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "the refresh lock was still held"
    assert api.auth.tokens_issued == 1
    assert info.value.retry_at


def test_failed_refresh_inside_a_call_releases_the_lock(harness: Harness):
    api = harness.client()
    harness.store.faults.fail_next("POST", TOKEN, status=429, retry_after=3600)
    with pytest.raises(RateLimitedError) as info:
        api.get_product("p1")
    worker = threading.Thread(target=lambda: api.get_product("p1"), daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "the refresh lock was still held"
    assert info.value.status == 429
    assert harness.count("GET", ONE) == 1


@pytest.mark.parametrize(
    "token",
    [
        "opaque-token",  # not a JWT at all
        "aGVhZA.not*base64!.c2ln",  # three parts, the claims undecodable
        f"aGVhZA.{base64.urlsafe_b64encode(b'[1, 2]').decode()}.c2ln",  # not an object
        _jwt({"sub": "x", "scope": 7}),  # neither claim usable
    ],
)
def test_a_token_without_readable_scopes_leaves_the_check_to_the_server(clock, token):
    """No client-side ScopeError: the write is sent and the server decides."""
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(f"{request.method} {request.url.path}")
        if request.url.path == TOKEN:
            return httpx.Response(200, json={"token": token, "expires_in": 900})
        return httpx.Response(204)

    api = _mock_api(clock, handler, need="write")
    api.delete_product("p1")
    assert api.auth is not None
    assert api.auth.scopes is None
    assert calls == [f"POST {TOKEN}", f"DELETE {PRODUCTS}/p1"]


@pytest.mark.parametrize(
    "reply",
    [
        httpx.Response(200, text="<html>welcome</html>"),
        httpx.Response(200, json={"expires_in": 900}),
        httpx.Response(200, json={"token": ""}),
        httpx.Response(200, json=["token"]),
    ],
)
def test_a_token_response_without_a_token_is_an_auth_error(
    clock: FakeClock, reply: httpx.Response
):
    def handler(request: httpx.Request) -> httpx.Response:
        return reply

    with pytest.raises(
        AuthError, match=f"POST {TOKEN}: the token response has no token"
    ):
        list(_mock_api(clock, handler).iter_products())
