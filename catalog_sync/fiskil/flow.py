"""`FlowControl`: the one place that decides when a request to the API may start.

Three rules, one object per client, shared by every thread:

- **cool-down**: after a 503 with a `Retry-After`, no request starts before it has
  passed. After a 429 the same holds only while no pace is known: once it is, the
  refused request alone waits its `Retry-After` and the pace keeps the others below
  the limit (pausing everyone wasted what a small-burst server allowed meanwhile: at
  10 requests/s with a burst of 1, a 1 s pause lets one request through);
- **pace**: Fiskil publishes no rate limit and sends no rate-limit headers
  (docs/api-contract.md), so the sustained rate is learned from the 429s. Between the
  first 429s of two refusals the server's allowance went from empty to empty, so what it
  accepted in between, over the time between, is its rate; when too few were accepted to
  tell (a small burst), that figure is a floor and the pace doubles every second (slow
  start) until the next 429, then steps back. Requests start no faster than the pace,
  with a burst after a pause that halves on every refusal. The pace creeps up by 1 % a
  second, so a low estimate or a raised limit is found by the next 429, which backs the
  pace off 5 % (or to the measured rate, when the server was refusing much of what was
  sent);
- **in flight** (optional): at most N requests at once, halved on a 429 and grown back
  by AIMD, as for TCP congestion control.

Waits go through the retrier, so they use its clock and end at once on `interrupt()`;
`waits()` says how long requests were held back, for the apply report.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from typing import Final

from catalog_sync.fiskil.clock import Clock
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.waits import RateLimitWaits
from catalog_sync.fiskil.waits import WaitMeter

logger = logging.getLogger("catalog_sync.fiskil.flow")

MIN_WINDOW_SECONDS: Final = 0.5
"""429s closer than this to the window's first one belong to the same refusal."""
MIN_ACCEPTED: Final = 10
"""Fewer accepted requests between two refusals say too little to estimate from."""
CREEP_PER_SECOND: Final = 0.99
"""While paced, the interval shrinks by this factor per second's worth of accepted
requests: the pace rises 1 % a second, whatever the rate."""
RAMP_PER_SECOND: Final = 0.5
"""In slow start the interval halves per second's worth of accepted requests."""
BURST_SECONDS: Final = 0.9
"""After a pause, up to this many seconds' worth of requests start at once: a little
under the second a Retry-After of 1 refills, so a pace a shade fast has a margin.
Halved on every refusal while paced (a server with a small burst refuses the rest)."""
BACK_OFF: Final = 1.05
"""A refusal while paced slows the pace by this factor."""
SATURATED: Final = 0.25
"""Refused over accepted in a window above which the server was refusing much of what
was sent: the accepted rate is then the limit itself, however far above it we were."""
PROBE_AFTER: Final = 50
"""Successes per request in flight, without a 429, before the ceiling is raised by one."""


class FlowControl:
    """Thread-safe. Per attempt: `wait_turn`, `acquire`, send, `release`, `answered`;
    `cool_down` when a response asks for a pause; `hold` for a refused request's own
    wait."""

    def __init__(self, retrier: Retrier, *, max_in_flight: int | None = None) -> None:
        self._retrier = retrier
        self.pacer = RatePacer(retrier.clock)
        self.limit = InFlightLimit(max_in_flight) if max_in_flight else None
        self.meter = WaitMeter(retrier.clock)
        self._resume_lock = threading.Lock()
        self._resume_at = 0.0  # everyone (503)
        self._throttled_until = 0.0  # everyone while no pace is known (429)

    def wait_turn(self, what: str) -> None:
        """Wait out any cool-down, then for a start time at the pace."""
        with self._resume_lock:
            resume_at = self._resume_at
            if self.pacer.rate is None:
                resume_at = max(resume_at, self._throttled_until)
        wait = resume_at - self._retrier.clock.now()
        if wait > 0:
            with self.meter.waiting():
                self._retrier.wait(wait, what=what)
        while (pace := self.pacer.try_start()) > 0:
            with self.meter.waiting():
                self._retrier.wait(pace, what=what)

    def hold(self, *, what: str, refused: int, delay: float) -> None:
        """The refused request's own wait before it is sent again: one INFO line (no
        headers), no retry budget, no attempt used."""
        logger.info(
            "rate limited: %s answered 429 (%d for this request); sending it again "
            "in %.2f s",
            what,
            refused,
            delay,
        )
        with self.meter.waiting():
            self._retrier.wait(delay, what=what)

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
            self.meter.refused()
            self.pacer.throttled()
        else:
            self.pacer.accepted()

    def cool_down(self, until: float, *, everyone: bool) -> None:
        """No request starts before `until` (clock seconds); a later one wins. Not
        `everyone` (a 429): only while no pace is known."""
        with self._resume_lock:
            if everyone:
                self._resume_at = max(self._resume_at, until)
            else:
                self._throttled_until = max(self._throttled_until, until)

    def waits(self) -> RateLimitWaits:
        """The 429s so far, how long requests were held back, and the pace."""
        return self.meter.read(self.pacer.rate)


class RatePacer:
    """The pace: `try_start()` before each request, then `accepted()` or `throttled()`."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._interval: float | None = None
        self._ramping = False  # slow start: the pace is a floor, doubling each second
        self._burst = BURST_SECONDS
        self._due = 0.0  # when the next request is due at the pace (GCRA's TAT)
        self._starts: deque[float] = deque(maxlen=3)  # the last starts at the pace
        self._window_start: float | None = None
        self._accepted = 0
        self._refused = 0  # in the window, after its first 429

    @property
    def rate(self) -> float | None:
        """The requests per second being kept to, once learned."""
        with self._lock:
            return None if self._interval is None else 1 / self._interval

    def try_start(self) -> float:
        """0 and the start claimed when a request may start now, else the seconds to
        wait before asking again (nothing is claimed ahead: a pace that rises while
        requests wait applies to them at once)."""
        with self._lock:
            if self._interval is None:
                return 0.0
            now = self._clock.now()
            start = self._due - max(0.0, self._burst - self._interval)
            if start > now:
                return start - now
            self._due = max(now, self._due) + self._interval
            self._starts.append(now)
            return 0.0

    def accepted(self) -> None:
        with self._lock:
            self._accepted += 1
            if self._interval is not None:
                step = RAMP_PER_SECOND if self._ramping else CREEP_PER_SECOND
                self._interval *= step**self._interval

    def throttled(self) -> None:
        with self._lock:
            now = self._clock.now()
            started = self._window_start
            if started is not None and now - started < MIN_WINDOW_SECONDS:
                self._refused += 1
                return  # the same refusal
            if started is not None:
                self._interval = self._paced_after_refusal(now - started)
            self._window_start = now
            self._accepted = 0
            self._refused = 0

    def _paced_after_refusal(self, window: float) -> float:
        """The new interval after a refusal `window` seconds after the last one."""
        measured = window / max(1, self._accepted)
        if self._interval is None:
            # Learning: the accepted rate, or a floor to ramp up from, one at a time.
            self._ramping = self._accepted < MIN_ACCEPTED
            self._burst = 0.0 if self._ramping else BURST_SECONDS
            return measured
        self._burst = max(self._interval, self._burst / 2)
        if self._ramping and self._accepted:
            # Back to the gap before the last start's, which was too close.
            self._ramping = False
            starts = self._starts
            accepted_gap = starts[1] - starts[0] if len(starts) == 3 else 0.0
            return max(self._interval * BACK_OFF, accepted_gap)
        if (
            self._accepted >= MIN_ACCEPTED
            and self._refused > SATURATED * self._accepted
        ):
            return max(self._interval * BACK_OFF, measured)
        return self._interval * BACK_OFF


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
