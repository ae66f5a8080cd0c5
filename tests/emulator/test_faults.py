"""Fault rules, their text specs, and the token-bucket rate limit."""

from __future__ import annotations

import pytest

from catalog_sync.emulator.faults import Faults
from catalog_sync.emulator.faults import FaultSpecError
from catalog_sync.emulator.faults import TokenBucket
from tests.conftest import FakeClock


def test_fail_next_counts_down_and_matches_globs():
    faults = Faults()
    faults.fail_next("post", "/v1/*", status=503, times=2, retry_after=2)
    assert faults.take_failure("GET", "/v1/x") is None
    first = faults.take_failure("POST", "/v1/x")
    assert first is not None
    assert (first.status, first.retry_after) == (503, "2")
    assert faults.take_failure("POST", "/v1/y") is not None
    assert faults.take_failure("POST", "/v1/z") is None


def test_times_none_fails_until_cleared():
    faults = Faults()
    faults.fail_next(status=500, times=None)
    assert all(faults.take_failure("GET", f"/{n}") for n in range(5))
    faults.clear()
    assert faults.take_failure("GET", "/") is None


def test_rules_apply_in_order():
    faults = Faults()
    faults.fail_next("GET", "/a", status=500)
    faults.fail_next("GET", "/*", status=502)
    assert faults.take_failure("GET", "/a").status == 500  # type: ignore[union-attr]
    assert faults.take_failure("GET", "/a").status == 502  # type: ignore[union-attr]


def test_latency_and_drop_rules():
    faults = Faults()
    faults.add_latency(0.5, "GET", times=1)
    faults.drop_after_commit("POST", "/p", times=2)
    assert faults.latency_for("POST", "/p") == 0.0
    assert faults.latency_for("GET", "/p") == 0.5
    assert faults.latency_for("GET", "/p") == 0.0
    assert [faults.take_drop("POST", "/p") for _ in range(3)] == [True, True, False]


@pytest.mark.parametrize(
    ("spec", "method", "path", "status", "times", "retry_after"),
    [
        ("POST /v1/data-provider/cdr/products* 503 x2 retry-after=2",
         "POST", "/v1/data-provider/cdr/products/x", 503, 2, "2"),
        ("GET /v1/token 429", "GET", "/v1/token", 429, 1, None),
        ("* * 500 always", "DELETE", "/anything", 500, None, None),
        ("/v1/* 502", "PUT", "/v1/x", 502, 1, None),
        ("GET /v1/token 429 x3 retry-after=Wed, 21 Oct 2026 07:28:00 GMT",
         "GET", "/v1/token", 429, 3, "Wed, 21 Oct 2026 07:28:00 GMT"),
    ],
)  # fmt: skip
def test_fail_spec(spec, method, path, status, times, retry_after):
    faults = Faults()
    faults.apply_spec("fail", spec)
    taken = 0
    while faults.take_failure(method, path) is not None and taken < 10:
        taken += 1
    assert taken == (times or 10)
    faults.apply_spec("fail", spec)
    failure = faults.take_failure(method, path)
    assert failure is not None
    assert (failure.status, failure.retry_after) == (status, retry_after)


def test_truncate_specs():
    faults = Faults()
    faults.apply_spec("truncate", "GET /v1/* x2 keep=3")
    faults.apply_spec("truncate", "POST")
    assert [faults.take_truncation("GET", "/v1/x") for _ in range(3)] == [3, 3, None]
    assert faults.take_truncation("POST", "/any") == 10
    faults.truncate_next(keep=0)
    faults.clear()
    assert faults.take_truncation("GET", "/") is None


def test_latency_and_drop_specs():
    faults = Faults()
    faults.apply_spec("latency", "0.25 GET /v1/*")
    faults.apply_spec("latency", "1")
    faults.apply_spec("drop", "POST /v1/data-provider/cdr/products x2")
    assert faults.latency_for("GET", "/v1/x") == 0.25
    assert faults.latency_for("PUT", "/other") == 1.0
    assert faults.take_drop("POST", "/v1/data-provider/cdr/products")
    assert faults.take_drop("POST", "/v1/data-provider/cdr/products")
    assert not faults.take_drop("POST", "/v1/data-provider/cdr/products")


@pytest.mark.parametrize(
    ("kind", "spec"),
    [
        ("fail", "POST /x"),
        ("fail", "POST /x 200"),
        ("fail", "POST /x 503 twice"),
        ("fail", "POST /x -5"),
        ("latency", "soon"),
        ("latency", ""),
        ("drop", "POST /x x2 extra"),
        ("truncate", "GET /x keep=lots"),
        ("explode", "POST /x"),
    ],
)
def test_bad_specs_are_refused(kind, spec):
    with pytest.raises(FaultSpecError):
        Faults().apply_spec(kind, spec)


def test_token_bucket_allows_burst_then_refills_on_the_clock():
    clock = FakeClock()
    bucket = TokenBucket(2, burst=3, now=clock.now)
    assert [bucket.acquire() for _ in range(4)] == [None, None, None, 1]
    clock.advance(0.5)
    assert bucket.acquire() is None
    assert bucket.acquire() == 1
    slow = TokenBucket(0.1, now=clock.now)
    assert slow.acquire() is None
    assert slow.acquire() == 10


def test_token_bucket_needs_a_positive_rate():
    with pytest.raises(ValueError, match="positive"):
        TokenBucket(0)
