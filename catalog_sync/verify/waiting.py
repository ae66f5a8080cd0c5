"""Read, compare, and with a wait read again with backoff the products that do not match
yet, until all match or the time is up; note when each product first matched. The
clock is injected, so tests wait on a fake one."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Collection
from dataclasses import dataclass
from dataclasses import replace
from datetime import UTC
from datetime import datetime

from catalog_sync.fiskil.clock import Clock
from catalog_sync.plan.plan import Plan
from catalog_sync.verify.compare import STATUSES
from catalog_sync.verify.compare import Comparison
from catalog_sync.verify.compare import Expectation
from catalog_sync.verify.compare import ProductCheck
from catalog_sync.verify.compare import Reading
from catalog_sync.verify.compare import Status

FIRST_DELAY = 2.0
MAX_DELAY = 15.0
"""Seconds between readings: 2, 4, 8, then every 15 (a publish step that lags by a
minute is seen within 15 s of it catching up, at four requests a minute per product)."""

Reader = Callable[[Collection[str] | None], Reading]
Judge = Callable[[Expectation, Reading, str], Comparison]


@dataclass(frozen=True, slots=True)
class Verification:
    """What verify found: every product's check (by productId), the plan of the
    differences still seen at the last reading, how long it waited (seconds, at most
    `wait_limit`) and how many readings it took."""

    environment: str
    public_base_url: str
    schema: str
    wanted_version: int
    checks: tuple[ProductCheck, ...]
    differences: Plan
    wait_limit: float
    elapsed: float
    readings: int

    @property
    def all_match(self) -> bool:
        return all(check.status == "matches" for check in self.checks)

    @property
    def has_errors(self) -> bool:
        return any(check.status == "unreadable" for check in self.checks)

    def counts(self) -> dict[Status, int]:
        counts: dict[Status, int] = dict.fromkeys(STATUSES, 0)
        for check in self.checks:
            counts[check.status] += 1
        return counts


def rfc3339(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_until_matching(
    expected: Expectation,
    read: Reader,
    judge: Judge,
    *,
    wait: float,
    clock: Clock,
) -> tuple[Comparison, float, int]:
    """(the last comparison with `appeared_after` set, seconds waited, readings)."""
    start = clock.now()
    reading = dict(read(expected.scope))
    comparison = judge(expected, reading, rfc3339(start))
    # Later readings re-read only what does not match, so the scope is fixed now.
    expected = replace(expected, scope=[c.product_id for c in comparison.checks])
    appeared = {c.product_id: 0.0 for c in comparison.checks if _ok(c)}
    readings, delay = 1, FIRST_DELAY
    while True:
        pending = [c.product_id for c in comparison.checks if not _ok(c)]
        remaining = start + wait - clock.now()
        if not pending or remaining <= 0:
            break
        clock.sleep(min(delay, remaining))
        delay = min(delay * 2, MAX_DELAY)
        reading.update(read(pending))
        readings += 1
        now = clock.now()
        comparison = judge(expected, reading, rfc3339(now))
        for check in comparison.checks:
            if _ok(check):
                appeared.setdefault(check.product_id, now - start)
    checks = tuple(
        replace(c, appeared_after=appeared.get(c.product_id) if _ok(c) else None)
        for c in comparison.checks
    )
    return replace(comparison, checks=checks), clock.now() - start, readings


def _ok(check: ProductCheck) -> bool:
    return check.status == "matches"
