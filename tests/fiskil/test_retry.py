"""Retries and rate limits (reliability checklist items 1-7, 11, 13, 15), against the
emulator in-process on the fake clock: recorded sleeps are asserted, nothing waits."""

from __future__ import annotations

import logging
import random
import threading
import time
from email.utils import formatdate
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from catalog_sync.config.model import ApiContract
from catalog_sync.errors import ConflictError
from catalog_sync.errors import NotFoundError
from catalog_sync.errors import RateLimitedError
from catalog_sync.errors import RetryBudgetExhausted
from catalog_sync.errors import ServerValidationError
from catalog_sync.errors import StatusError
from catalog_sync.errors import TransportError
from catalog_sync.fiskil.products import ProductsClient
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.retry import RetryBudget
from catalog_sync.fiskil.retry import RetryPolicy
from catalog_sync.fiskil.retry import backoff_ceiling
from catalog_sync.fiskil.retry import backoff_delay
from catalog_sync.fiskil.retry import format_retry_at
from catalog_sync.fiskil.retry import parse_retry_after
from catalog_sync.fiskil.session import build_http_client
from tests.conftest import FakeClock
from tests.fiskil.conftest import PRODUCTS
from tests.fiskil.conftest import SEED
from tests.fiskil.conftest import TOKEN
from tests.fiskil.conftest import Harness
from tests.fiskil.conftest import product

ONE = f"{PRODUCTS}/*"


def test_429_with_retry_after_is_waited_out_and_logged(harness: Harness, caplog):
    """Item 1."""
    harness.store.seed([product()])
    harness.store.faults.fail_next("GET", PRODUCTS, status=429, times=3, retry_after=2)
    api = harness.client()
    with caplog.at_level(logging.INFO, logger="catalog_sync"):
        assert [p["productId"] for p in api.iter_products()] == ["wattle-everyday"]
    assert harness.count("GET", PRODUCTS) == 4
    assert len(harness.clock.sleeps) == 3
    assert all(2.0 <= s <= 2.2 for s in harness.clock.sleeps)
    retries = [r for r in caplog.records if r.name == "catalog_sync.fiskil.flow"]
    assert len(retries) == 3
    assert all(r.levelno == logging.INFO for r in retries)
    text = "\n".join(r.getMessage() for r in caplog.records).lower()
    assert "authorization" not in text
    assert "bearer" not in text


def test_429_on_create_reuses_the_idempotency_key(harness: Harness):
    """Item 2."""
    harness.store.faults.fail_next("POST", PRODUCTS, status=429, times=3, retry_after=2)
    harness.client(need="write").create_product(product("p1"))
    posts = harness.store.ledger.entries("POST", PRODUCTS)
    assert len(posts) == 4
    keys = {entry.idempotency_key for entry in posts}
    assert len(keys) == 1
    assert None not in keys
    assert list(harness.store.products()) == ["p1"]


@pytest.mark.parametrize("skew", [-60.0, 0.0, 60.0])
def test_retry_after_http_date_is_relative_to_the_response_date(clock, skew):
    """Item 3: a date 3 s after the response's Date means 3 s, whatever our clock says."""
    server_now = clock.now()
    clock.advance(skew)
    replies = iter(
        [
            httpx.Response(
                503,
                headers={
                    "Date": formatdate(server_now, usegmt=True),
                    "Retry-After": formatdate(server_now + 3, usegmt=True),
                },
            ),
            httpx.Response(200, json={"data": {"products": []}, "links": {}}),
        ]
    )
    api = _mock_client(clock, lambda request: next(replies))
    assert list(api.iter_products()) == []
    assert len(clock.sleeps) == 1
    assert 3.0 <= clock.sleeps[0] <= 3.15


@pytest.mark.parametrize("value", ["Wed, 21 Oct 2015 07:28:00 GMT", "soon", "-5", ""])
def test_past_or_unparseable_retry_after_falls_back_to_backoff(clock, value):
    """Item 3: no negative sleep, no exception; the full-jitter window applies."""
    replies = iter(
        [
            httpx.Response(503, headers={"Retry-After": value}),
            httpx.Response(200, json={"data": {"products": []}, "links": {}}),
        ]
    )
    api = _mock_client(clock, lambda request: next(replies))
    assert list(api.iter_products()) == []
    assert len(clock.sleeps) == 1
    assert 0.0 <= clock.sleeps[0] <= 0.5


def test_retry_after_above_the_cap_stops_with_retry_time(harness: Harness):
    """Item 4: no hour-long sleep; RateLimitedError says when to retry."""
    harness.store.faults.fail_next("GET", PRODUCTS, status=429, retry_after=3600)
    api = harness.client()
    with pytest.raises(RateLimitedError, match="rate limited; retry after 20") as info:
        list(api.iter_products())
    assert info.value.retry_at is not None
    assert harness.count("GET", PRODUCTS) == 1
    assert all(s < 120 for s in harness.clock.sleeps)


def test_503_without_retry_after_uses_full_jitter_backoff(harness: Harness):
    """Item 5: sleeps within [0, min(cap, base * 2^n)], reproducible for the seed."""
    harness.store.faults.fail_next("GET", PRODUCTS, status=503, times=2)
    assert list(harness.client().iter_products()) == []
    rng = random.Random(SEED)
    expected = [rng.uniform(0, 0.5), rng.uniform(0, 1.0)]
    assert harness.clock.sleeps == pytest.approx(expected)
    assert 0 <= harness.clock.sleeps[0] <= 0.5
    assert 0 <= harness.clock.sleeps[1] <= 1.0


def test_persistent_503_stops_after_max_attempts(harness: Harness):
    """Item 6: five requests, bounded fake time, the error names endpoint and status."""
    harness.store.faults.fail_next("GET", PRODUCTS, status=503, times=None)
    start = harness.clock.now()
    with pytest.raises(StatusError) as info:
        list(harness.client().iter_products())
    assert harness.count("GET", PRODUCTS) == 5
    assert harness.clock.now() - start < 0.5 + 1 + 2 + 4 + 0.001
    assert info.value.status == 503
    assert f"GET {PRODUCTS}" in str(info.value)
    assert "503" in str(info.value)


def test_persistent_500_on_put_is_retried_to_the_limit(harness: Harness):
    """Item 7, idempotent half."""
    harness.store.seed([product("p1")])
    harness.store.faults.fail_next("PUT", ONE, status=500, times=None)
    with pytest.raises(StatusError) as info:
        harness.client(need="write").update_product("p1", product("p1", name="New"))
    assert info.value.status == 500
    assert harness.count("PUT", ONE) == 5


def test_500_on_create_reconciles_before_any_resend(harness: Harness):
    """Item 7, create half: the create landed (server committed, then failed); the
    reconcile GET finds it equal, so it is a success with no second POST."""
    harness.store.seed([product("p1", lendingRates=[])])
    harness.store.faults.fail_next("POST", PRODUCTS, status=500)
    created = harness.client(need="write").create_product(product("p1"))
    assert created["productId"] == "p1"
    assert harness.count("POST", PRODUCTS) == 1
    assert harness.count("GET", f"{PRODUCTS}/p1") == 1
    assert list(harness.store.products()) == ["p1"]


def test_500_on_create_that_did_not_land_creates_once(harness: Harness):
    harness.store.faults.fail_next("POST", PRODUCTS, status=500)
    harness.client(need="write").create_product(product("p1"))
    methods = [e.method for e in harness.store.ledger.entries(path=f"{PRODUCTS}*")]
    assert methods == ["POST", "GET", "POST"]
    assert list(harness.store.products()) == ["p1"]


def test_create_landing_with_different_content_is_a_conflict(harness: Harness):
    harness.store.seed([product("p1", name="Someone else's")])
    harness.store.faults.fail_next("POST", PRODUCTS, status=502)
    with pytest.raises(ConflictError, match="re-plan"):
        harness.client(need="write").create_product(product("p1"))
    assert harness.count("POST", PRODUCTS) == 1


def test_final_statuses_are_not_retried(harness: Harness):
    """Item 11: 400, 404 on update, 409, 412, 422: exactly one request each."""
    harness.store.seed([product("p1")])
    api = harness.client(need="write")
    harness.store.faults.fail_next("GET", ONE, status=400)
    with pytest.raises(ServerValidationError):
        api.get_product("p1")
    with pytest.raises(NotFoundError):
        api.update_product("absent", product("absent"))
    with pytest.raises(ConflictError, match="changed underneath us, re-plan"):
        api.create_product(product("p1", name="Not what is live"))
    with pytest.raises(ConflictError, match="changed underneath us, re-plan"):
        api.update_product("p1", product("p1", name="Ours"), if_match='"stale"')
    with pytest.raises(ServerValidationError) as info:
        api.create_product({"productId": "p2", "name": "no category"})
    assert info.value.status == 422
    assert info.value.messages
    # the 409 and the 412 read the product back once each (is live already what was
    # sent?); no retry
    assert harness.count("GET", f"{PRODUCTS}/p1") == 3
    assert harness.count("PUT", f"{PRODUCTS}/absent") == 1
    assert harness.count("POST", PRODUCTS) == 2
    assert harness.count("PUT", f"{PRODUCTS}/p1") == 1
    assert harness.clock.sleeps == []


def test_consecutive_failures_empty_the_run_wide_budget(harness: Harness):
    """Item 13: 5xx across operations spend one shared budget; then nothing new runs."""
    harness.store.faults.fail_next("GET", ONE, status=503, times=None)
    api = harness.client(retry_budget=10)
    attempted = 0
    exhausted = False
    for n in range(30):
        attempted += 1
        try:
            api.get_product(f"p{n}")
        except RetryBudgetExhausted:
            exhausted = True
            break
        except StatusError:
            continue
    assert exhausted
    assert api.retrier.budget.exhausted
    assert attempted == 3
    assert harness.count("GET", ONE) <= 10 + attempted


@settings(max_examples=200, deadline=None)
@given(
    attempt=st.integers(min_value=1, max_value=10_000),
    seed=st.integers(min_value=0, max_value=2**32),
    base=st.floats(min_value=0.001, max_value=10),
    cap=st.floats(min_value=0.01, max_value=300),
)
def test_backoff_delay_stays_in_the_window(attempt, seed, base, cap):
    """Item 15: delay in [floor, cap] for any attempt and seed."""
    delay = backoff_delay(attempt, base=base, cap=cap, rng=random.Random(seed))
    assert 0.0 <= delay <= min(cap, backoff_ceiling(attempt, base=base, cap=cap))
    assert delay <= cap


@given(attempt=st.integers(min_value=2, max_value=50))
def test_backoff_has_jitter_across_seeds(attempt):
    """Item 15: across many seeds the delays are not all equal."""
    delays = {
        backoff_delay(attempt, base=0.5, cap=30, rng=random.Random(seed))
        for seed in range(20)
    }
    assert len(delays) > 1


def test_parse_retry_after_forms():
    now = 1_800_000_000.0
    assert parse_retry_after("7", response_date=None, now=now) == 7.0
    assert parse_retry_after(None, response_date=None, now=now) is None
    assert parse_retry_after("nan", response_date=None, now=now) is None
    date = formatdate(now + 10, usegmt=True)
    assert parse_retry_after(date, response_date=None, now=now) == 10.0


def _mock_client(clock: FakeClock, handler: Any) -> ProductsClient:
    api = ApiContract()
    retrier = Retrier.from_contract(api, clock=clock, rng=random.Random(SEED))
    http = build_http_client(
        "https://api.example.test",
        api=api,
        retrier=retrier,
        transport=httpx.MockTransport(handler),
    )
    return ProductsClient(http, api=api, retrier=retrier)


def test_token_request_is_not_counted_as_a_product_call(harness: Harness):
    list(harness.client().iter_products())
    assert harness.count("POST", TOKEN) == 1


def test_429s_use_no_attempts_and_no_retry_budget(harness: Harness):
    """Checklist 56: a 429 with Retry-After is the server pacing us. Ten of them on one
    request, with max_attempts 3, are waited out and the request succeeds."""
    harness.store.seed([product("p1")])
    harness.store.faults.fail_next("GET", ONE, status=429, times=10, retry_after=1)
    api = harness.client(max_attempts=3)
    assert api.get_product("p1") is not None
    assert harness.count("GET", ONE) == 11
    assert api.retrier.budget.remaining == ApiContract().retry_budget


def test_a_server_that_accepts_nothing_stops_with_when_to_retry(harness: Harness):
    """Refused for longer than THROTTLE_PATIENCE times the Retry-After cap: the request
    stops as rate limited, with a retry time on the run's clock, said once."""
    harness.store.faults.fail_next("GET", ONE, status=429, times=None, retry_after=1)
    api = harness.client(retry_after_cap_seconds=5)
    with pytest.raises(RateLimitedError) as info:
        api.get_product("p1")
    refused = harness.count("GET", ONE)
    assert 5 < refused < 20  # about 10 s of 1 s waits (and a slowing pace)
    assert info.value.retry_at is not None
    assert info.value.retry_at.startswith("2027-")  # the fake clock's year, not today's
    assert str(info.value).count("retry after") == 1
    assert api.retrier.budget.remaining == ApiContract().retry_budget  # 429s are free


@pytest.mark.parametrize("value", ["99999999999999", "1e400", "inf"])
def test_absurd_retry_after_is_a_rate_limit_not_a_crash(harness: Harness, value):
    """A Retry-After too far ahead for a calendar date (hostile or broken server) still
    stops the operation as rate limited, with a retry time that can be printed."""
    harness.store.faults.fail_next("GET", PRODUCTS, status=429, retry_after=value)
    with pytest.raises(RateLimitedError, match="rate limited; retry after") as info:
        list(harness.client().iter_products())
    assert info.value.retry_at is not None
    assert harness.count("GET", PRODUCTS) == 1


def test_retried_delete_answered_412_because_it_is_gone_counts_as_deleted():
    """RFC 9110: If-Match on a resource that no longer exists is false, so a server may
    answer a retried DELETE (whose first response was lost) with 412, not 404."""
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.method)
        if request.method == "DELETE":
            return httpx.Response(412, json={"error": "precondition_failed"})
        return httpx.Response(404, json={"errors": []})

    _mock_client(FakeClock(), handler).delete_product("p1", if_match='"7"')
    assert seen == ["DELETE", "GET"]


def test_412_on_delete_of_a_product_that_still_exists_is_a_conflict():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "DELETE":
            return httpx.Response(412, json={"error": "precondition_failed"})
        return httpx.Response(200, json={"data": {"productId": "p1"}})

    with pytest.raises(ConflictError, match="changed underneath us"):
        _mock_client(FakeClock(), handler).delete_product("p1", if_match='"7"')


def test_server_messages_cannot_drive_the_terminal():
    """The server's error text reaches stderr and reports: control characters in it
    (ESC, CR, C1 CSI) are shown as escapes."""

    def handler(request: httpx.Request) -> httpx.Response:
        detail = "bad\x1b[2J\rname\x9b"
        return httpx.Response(422, json={"errors": [{"title": "t", "detail": detail}]})

    with pytest.raises(ServerValidationError) as info:
        _mock_client(FakeClock(), handler).update_product("p1", product("p1"))
    assert info.value.messages == ("t: bad\\x1b[2J\\rname\\x9b",)
    assert "\x1b" not in str(info.value)


def test_retry_after_date_without_a_zone_is_utc(monkeypatch):
    """RFC 5322's `-0000` zone parses as a naive time: read it as UTC, not local time."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        wait = parse_retry_after(
            "Wed, 21 Oct 2015 07:28:03 -0000",
            response_date="Wed, 21 Oct 2015 07:28:00 GMT",
            now=0.0,
        )
    finally:
        monkeypatch.undo()
        time.tzset()
    assert wait == 3.0


@pytest.mark.parametrize("when", [float("inf"), 1e20, float("nan")])
def test_a_retry_time_past_the_calendar_shows_the_last_second(when):
    assert format_retry_at(when) == "9999-12-31T23:59:59Z"


def test_a_zero_wait_does_not_sleep_and_a_positive_one_sleeps_on_the_clock(clock):
    retrier = Retrier(RetryPolicy(), budget=RetryBudget(3), clock=clock)
    retrier.wait(0, what="GET /p")
    assert clock.sleeps == []
    retrier.wait(1.5, what="GET /p")
    assert clock.sleeps == [1.5]


def test_an_interrupted_retrier_refuses_even_a_zero_wait(clock):
    """After Ctrl-C a retry with no delay (Retry-After: 0) must not go out either."""
    retrier = Retrier(RetryPolicy(), budget=RetryBudget(3), clock=clock)
    retrier.wait(0, what="GET /p")
    retrier.interrupt()
    with pytest.raises(
        TransportError, match="GET /p: not retried; the run was interrupted"
    ):
        retrier.wait(0, what="GET /p")
    assert clock.sleeps == []


def test_an_interrupt_ends_a_wait_on_the_real_clock_at_once():
    """On the real clock a long Retry-After wait is an Event wait, so Ctrl-C (another
    thread calling interrupt) ends it without sleeping the rest."""
    retrier = Retrier(RetryPolicy(), budget=RetryBudget(3))
    timer = threading.Timer(0.05, retrier.interrupt)
    started = time.monotonic()
    timer.start()
    try:
        with pytest.raises(TransportError, match="the run was interrupted"):
            retrier.wait(60, what="GET /p")
    finally:
        timer.cancel()
    assert time.monotonic() - started < 30


def test_retry_state_reprs_name_policy_and_budget_left(clock):
    budget = RetryBudget(2)
    budget.spend("GET /p")
    assert repr(budget) == "RetryBudget(remaining=1, total=2)"
    retrier = Retrier(RetryPolicy(max_attempts=3), budget=budget, clock=clock)
    assert repr(retrier) == (
        f"Retrier({RetryPolicy(max_attempts=3)!r}, budget=RetryBudget(remaining=1, total=2))"
    )


def test_a_wait_on_the_real_clock_sleeps_until_interrupted():
    """On the system clock a wait blocks on the interrupt event: it sleeps its time when
    nothing interrupts it (this used to be covered only by timing-dependent CLI runs)."""
    retrier = Retrier(RetryPolicy(), budget=RetryBudget(3))
    started = time.monotonic()
    retrier.wait(0.02, what="GET /p")
    assert time.monotonic() - started >= 0.02
