"""When and how long to wait before trying again: full-jitter capped exponential backoff,
`Retry-After` in seconds or as an HTTP date, and a run-wide retry budget shared by threads.

`Retrier` bundles policy, clock, randomness and budget; the transport and the products
client share one, so every retry of a run draws on the same budget.
"""

from __future__ import annotations

import logging
import random
import threading
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from email.utils import parsedate_to_datetime

from catalog_sync.config.model import ApiContract
from catalog_sync.errors import RetryBudgetExhausted
from catalog_sync.errors import TransportError
from catalog_sync.fiskil.clock import Clock
from catalog_sync.fiskil.clock import SystemClock

logger = logging.getLogger("catalog_sync.fiskil.retry")

_MAX_EXPONENT = (
    60  # 2**60 * any sane base is far above every cap; avoids float overflow
)
# 9999-12-31T23:59:59Z: datetime cannot go further.
_LAST_TIMESTAMP = 253402300799.0


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Limits for one logical request: attempts, backoff window and the Retry-After cap."""

    max_attempts: int = 5
    backoff_base_seconds: float = 0.5
    backoff_cap_seconds: float = 30.0
    retry_after_cap_seconds: float = 120.0

    @classmethod
    def from_contract(cls, api: ApiContract) -> RetryPolicy:
        return cls(
            max_attempts=api.max_attempts,
            backoff_base_seconds=api.backoff_base_seconds,
            backoff_cap_seconds=api.backoff_cap_seconds,
            retry_after_cap_seconds=api.retry_after_cap_seconds,
        )


def backoff_ceiling(attempt: int, *, base: float, cap: float) -> float:
    """The top of the jitter window after failed attempt `attempt` (1-based)."""
    exponent = min(max(attempt - 1, 0), _MAX_EXPONENT)
    return max(0.0, min(cap, base * 2.0**exponent))


def backoff_delay(
    attempt: int, *, base: float, cap: float, rng: random.Random, floor: float = 0.0
) -> float:
    """Full jitter (AWS architecture blog): uniform in [floor, min(cap, base * 2^(n-1))]."""
    ceiling = max(floor, backoff_ceiling(attempt, base=base, cap=cap))
    return rng.uniform(floor, ceiling)


def parse_retry_after(
    value: str | None, *, response_date: str | None, now: float
) -> float | None:
    """Seconds to wait from a Retry-After header, or None when absent or unparseable.

    An HTTP date is measured from the response's own `Date` header when there is one, so a
    skewed local clock does not change the wait. A date in the past gives 0.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if seconds == seconds else None  # NaN is unparseable
    target = _http_date(text)
    if target is None:
        return None
    reference = _http_date(response_date) if response_date else None
    base = reference if reference is not None else now
    return max(0.0, target - base)


def _http_date(text: str) -> float | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def format_retry_at(when: float) -> str:
    """An absolute time for messages: `2026-11-27T22:05:00Z`. A time past the calendar
    (a server asking for 10^14 s, or inf) is shown as the last representable second
    instead of crashing the run."""
    try:
        moment = datetime.fromtimestamp(min(when, _LAST_TIMESTAMP), tz=UTC)
    except (OverflowError, ValueError, OSError):
        moment = datetime.max.replace(microsecond=0, tzinfo=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class RetryBudget:
    """How many retries the whole run may still make; thread-safe."""

    def __init__(self, total: int) -> None:
        self._lock = threading.Lock()
        self._total = total
        self._left = total

    @property
    def remaining(self) -> int:
        with self._lock:
            return self._left

    @property
    def exhausted(self) -> bool:
        return self.remaining <= 0

    def spend(self, what: str) -> None:
        """Take one retry, or raise RetryBudgetExhausted naming what wanted it."""
        with self._lock:
            if self._left <= 0:
                raise RetryBudgetExhausted(
                    f"{what}: retry budget of {self._total} retries is spent; "
                    "the API is failing systemically",
                    hint="wait, check the API's status, then run again",
                )
            self._left -= 1

    def __repr__(self) -> str:
        return f"RetryBudget(remaining={self.remaining}, total={self._total})"


class Retrier:
    """Policy + clock + seeded randomness + budget: decides delays and performs the waits."""

    def __init__(
        self,
        policy: RetryPolicy,
        *,
        budget: RetryBudget,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.policy = policy
        self.budget = budget
        self.clock: Clock = clock or SystemClock()
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        self._interrupted = threading.Event()

    @classmethod
    def from_contract(
        cls,
        api: ApiContract,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
    ) -> Retrier:
        return cls(
            RetryPolicy.from_contract(api),
            budget=RetryBudget(api.retry_budget),
            clock=clock,
            rng=rng,
        )

    def backoff(self, attempt: int) -> float:
        with self._rng_lock:
            return backoff_delay(
                attempt,
                base=self.policy.backoff_base_seconds,
                cap=self.policy.backoff_cap_seconds,
                rng=self._rng,
            )

    def jitter_fraction(self, fraction: float) -> float:
        """A small uniform extra in [0, fraction], so threads told the same Retry-After
        do not all return in the same instant."""
        with self._rng_lock:
            return self._rng.uniform(0.0, fraction)

    def pause(self, *, what: str, reason: str, attempt: int, delay: float) -> None:
        """Spend one retry from the budget (failures only: a 429 is flow control and
        waits in FlowControl.hold), log it (INFO, no headers) and wait."""
        if self._interrupted.is_set():
            raise TransportError(f"{what}: not retried; the run was interrupted")
        self.budget.spend(what)
        logger.info(
            "retrying %s after %s (attempt %d of %d) in %.2f s",
            what,
            reason,
            attempt + 1,
            self.policy.max_attempts,
            delay,
        )
        self.wait(delay, what=what)

    def wait(self, seconds: float, *, what: str) -> None:
        """Sleep on the clock; on the real clock, `interrupt()` ends the wait at once
        and the caller gets TransportError instead of retrying."""
        if seconds > 0:
            if isinstance(self.clock, SystemClock):
                self._interrupted.wait(seconds)
            else:
                self.clock.sleep(seconds)
        if self._interrupted.is_set():
            raise TransportError(f"{what}: not retried; the run was interrupted")

    def interrupt(self) -> None:
        """Ctrl-C: every thread waiting to retry gives up now (a Retry-After can be
        two minutes), so the run can stop with only in-flight requests to finish."""
        self._interrupted.set()

    def __repr__(self) -> str:
        return f"Retrier({self.policy!r}, budget={self.budget!r})"
