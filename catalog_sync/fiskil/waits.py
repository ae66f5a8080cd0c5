"""How long a run was held back by the server's rate limit, for the apply report: the
wall-clock time during which at least one request was waiting (for a `Retry-After`, the
learned pace or a cool-down), not the sum over threads, and how many 429s there were."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from catalog_sync.fiskil.clock import Clock


@dataclass(frozen=True, slots=True)
class RateLimitWaits:
    """`refused`: responses of 429; `waited_seconds`: wall time some request spent
    waiting on the limit; `pace`: the requests per second kept to, once learned."""

    refused: int = 0
    waited_seconds: float = 0.0
    pace: float | None = None


class WaitMeter:
    """Thread-safe union of waiting intervals on a clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._waiting = 0
        self._since = 0.0
        self._total = 0.0
        self._refused = 0

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Time spent inside counts, once however many threads wait at once."""
        with self._lock:
            if self._waiting == 0:
                self._since = self._clock.now()
            self._waiting += 1
        try:
            yield
        finally:
            with self._lock:
                self._waiting -= 1
                if self._waiting == 0:
                    self._total += max(0.0, self._clock.now() - self._since)

    def refused(self) -> None:
        with self._lock:
            self._refused += 1

    def read(self, pace: float | None) -> RateLimitWaits:
        with self._lock:
            total = self._total
            if self._waiting:
                total += max(0.0, self._clock.now() - self._since)
            return RateLimitWaits(self._refused, total, pace)
