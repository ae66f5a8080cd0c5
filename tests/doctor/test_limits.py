"""The rate-limits check reads the responses doctor's requests met."""

from __future__ import annotations

from catalog_sync.doctor.limits import check_rate_limits
from catalog_sync.doctor.model import Status
from catalog_sync.doctor.observe import Seen

NOW = 1_800_000_000.0


def _seen(status: int, **headers: str) -> Seen:
    return Seen(
        "GET", "/p", status, {k.replace("_", "-"): v for k, v in headers.items()}, NOW
    )


def test_rate_limits_names_headers_and_retry_after_formats():
    found = check_rate_limits(
        [
            _seen(200, ratelimit_remaining="9", x_ratelimit_limit="10"),
            _seen(429, retry_after="2"),
            _seen(429, retry_after="Wed, 21 Oct 2026 07:28:00 GMT"),
            _seen(429),
        ]
    )
    assert found.status is Status.OK
    assert found.observed == (
        "rate-limit headers ratelimit-remaining, x-ratelimit-limit (not read: pacing "
        "learns from 429s); 3 responses 429 with Retry-After as an HTTP date and in "
        "seconds and missing"
    )


def test_rate_limits_unparseable_retry_after_cannot_tell():
    found = check_rate_limits([_seen(429, retry_after="soon")])
    assert found.status is Status.UNKNOWN
    assert found.observed.endswith("1 responses 429 with Retry-After unparseable")
