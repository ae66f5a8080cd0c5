"""Learn a server's sustained request rate from its 429s and space requests to it.

Fiskil publishes no rate limit and sends no rate-limit headers (docs/api-contract.md),
so the only signal is a 429. Honouring each Retry-After is not enough at the limit: the
client drains the server's allowance, is refused, pauses, drains it again, and a 429 in
the last second of a run leaves it idle for a whole Retry-After with little left to send
(about 1.3 s of a 1,000-write apply at 50 requests/s). Between the first 429s of two
refusals the server's allowance went from empty to empty, so what it accepted in between,
over the time between, is its sustained rate; requests are then started no faster than
that, with a burst of up to BURST_SECONDS of them after a pause (a token bucket's
allowance refills while nothing is sent: a cool-down is not wasted). Until the first
such estimate nothing is paced; afterwards the pace creeps up (PROBE_STEP per accepted
request), so a low estimate or a raised limit is found again by the next 429, which
re-estimates.
"""

from __future__ import annotations

import threading
from typing import Final

from catalog_sync.fiskil.clock import Clock

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


class RatePacer:
    """Thread-safe: `delay()` before each request, then `accepted()` or `throttled()`."""

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
