"""`FlowControl`: the one place that decides when a request to the API may start.

Three rules, one object per client, shared by every thread:

- **cool-down**: after a 429 or 503 with a `Retry-After`, no request starts before it
  has passed (the server said so for all of them, not only the refused one);
- **pace**: Fiskil publishes no rate limit and sends no rate-limit headers
  (docs/api-contract.md), so the sustained rate is learned from the 429s. Between the
  first 429s of two refusals the server's allowance went from empty to empty, so what it
  accepted in between, over the time between, is its rate; requests then start no
  faster than that, with a burst of up to BURST_SECONDS of them after a pause (a token
  bucket refills while nothing is sent). The pace creeps up on every accepted request,
  so a low estimate or a raised limit is found again by the next 429, which re-estimates;
- **in flight** (optional): at most N requests at once, halved on a 429 and grown back
  by AIMD, as for TCP congestion control.

Waits go through the retrier, so they use its clock and end at once on `interrupt()`.
"""

from __future__ import annotations

import threading
from typing import Final

from catalog_sync.fiskil.clock import Clock
from catalog_sync.fiskil.retry import Retrier

MIN_WINDOW_SECONDS: Final = 0.5
"""429s closer than this to the window's first one belong to the same refusal."""
ESTIMATE_WINDOW_SECONDS: Final = 2.0
"""A shorter window between refusals is mostly the Retry-After pause (whose jitter the
server's allowance cannot hold), so its rate reads low: keep the estimate then."""
MIN_ACCEPTED: Final = 10
"""Fewer accepted requests between two refusals say too little to estimate from."""
PROBE_STEP: Final = 0.9998
"""The interval shrinks by this factor per accepted request: +1 %/s at 50/s."""
BURST_SECONDS: Final = 0.9
"""After a pause, up to this many seconds' worth of requests start at once: a little
under the second a Retry-After of 1 refills, so a pace a shade fast has a margin."""
BACK_OFF: Final = 1.05
"""A refusal too soon to re-estimate from slows the pace by this factor."""
PROBE_AFTER: Final = 50
"""Successes per request in flight, without a 429, before the ceiling is raised by one."""


class FlowControl:
    """Thread-safe. Per attempt: `wait_turn`, `acquire`, send, `release`, `answered`;
    `cool_down` when a response asks for a pause."""

    def __init__(self, retrier: Retrier, *, max_in_flight: int | None = None) -> None:
        self._retrier = retrier
        self.pacer = RatePacer(retrier.clock)
        self.limit = InFlightLimit(max_in_flight) if max_in_flight else None
        self._resume_lock = threading.Lock()
        self._resume_at = 0.0

    def wait_turn(self, what: str) -> None:
        """Wait out any cool-down, then claim a start time at the pace and wait for it."""
        with self._resume_lock:
            resume_at = self._resume_at
        wait = resume_at - self._retrier.clock.now()
        if wait > 0:
            self._retrier.wait(wait, what=what)
        pace = self.pacer.delay()
        if pace > 0:
            self._retrier.wait(pace, what=what)

    def acquire(self) -> None:
        """Take a slot in flight (at once without a limit)."""
        if self.limit is not None:
            self.limit.acquire()

    def release(self, *, throttled: bool) -> None:
        """Give the slot back; `throttled` when the server answered 429."""
        if self.limit is not None:
            self.limit.release(throttled=throttled)

    def answered(self, status: int) -> None:
        """The pace learns from every response that arrived."""
        if status == 429:
            self.pacer.throttled()
        else:
            self.pacer.accepted()

    def cool_down(self, until: float) -> None:
        """No request starts before `until` (clock seconds); a later one wins."""
        with self._resume_lock:
            self._resume_at = max(self._resume_at, until)


class RatePacer:
    """The pace: `delay()` before each request, then `accepted()` or `throttled()`."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._interval: float | None = None
        self._due = 0.0  # when the next request is due at the pace (GCRA's TAT)
        self._window_start: float | None = None
        self._accepted = 0

    @property
    def rate(self) -> float | None:
        """The requests per second being kept to, once learned."""
        with self._lock:
            return None if self._interval is None else 1 / self._interval

    def delay(self) -> float:
        """Seconds to wait before sending, claiming the next start time."""
        with self._lock:
            if self._interval is None:
                return 0.0
            now = self._clock.now()
            due = max(now, self._due)
            start = max(now, due - (BURST_SECONDS - self._interval))
            self._due = due + self._interval
            return start - now

    def accepted(self) -> None:
        with self._lock:
            self._accepted += 1
            if self._interval is not None:
                self._interval *= PROBE_STEP

    def throttled(self) -> None:
        with self._lock:
            now = self._clock.now()
            started = self._window_start
            if started is not None and now - started < MIN_WINDOW_SECONDS:
                return  # the same refusal
            self._interval = self._paced_after_refusal(now, started)
            self._window_start = now
            self._accepted = 0

    def _paced_after_refusal(self, now: float, started: float | None) -> float | None:
        """The new interval: the window's estimate when it says enough, else the old
        one backed off (or still none)."""
        if started is not None and self._accepted >= MIN_ACCEPTED:
            window = now - started
            if self._interval is None or window >= ESTIMATE_WINDOW_SECONDS:
                return window / self._accepted
        return None if self._interval is None else self._interval * BACK_OFF


class InFlightLimit:
    """At most `allowed` requests in flight, handed out in arrival order. A 429 halves
    the limit and successes grow it back by one per `limit` successes (AIMD), never
    above the configured maximum, and not back to a number in flight the server has
    answered 429 to until PROBE_AFTER times that many requests have succeeded since.

    The ceiling keeps the oldest waiter from retaking the refused slot and being
    refused again until it runs out of attempts; the probe keeps a rate limit (whose
    429 says nothing about concurrency) from pinning the run to one request in flight.
    Arrival order matters at a limit of 1: with notify_all alone, the thread that has
    just released re-acquires before the woken waiters, starving a retried request."""

    def __init__(self, maximum: int) -> None:
        self._maximum = maximum
        self._ceiling = float(maximum)
        self._limit = float(maximum)
        self._clean = 0  # successes since the last 429
        self._in_flight = 0
        self._condition = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    @property
    def allowed(self) -> int:
        """Requests currently allowed in flight."""
        with self._condition:
            return max(1, int(self._limit))

    def acquire(self) -> None:
        with self._condition:
            ticket = self._next_ticket
            self._next_ticket += 1
            while ticket != self._serving or self._in_flight >= max(
                1, int(self._limit)
            ):
                self._condition.wait()
            self._serving += 1
            self._in_flight += 1
            self._condition.notify_all()  # the next ticket may fit too

    def release(self, *, throttled: bool) -> None:
        with self._condition:
            if throttled:
                refused_at = float(max(2, self._in_flight))
                self._ceiling = min(self._ceiling, refused_at - 1)
                self._limit = max(1.0, self._limit / 2)
                self._clean = 0
            else:
                self._limit = min(self._ceiling, self._limit + 1 / self._limit)
                self._clean += 1
                if self._clean >= PROBE_AFTER * self._ceiling:
                    self._ceiling = min(float(self._maximum), self._ceiling + 1)
                    self._clean = 0
            self._in_flight -= 1
            self._condition.notify_all()
