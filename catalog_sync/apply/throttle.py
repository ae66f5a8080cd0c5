"""An AIMD concurrency limit shared by apply's workers: halve the permitted number of
writes in flight whenever the server says 429, creep back up on success, never above
the configured parallelism (the TCP congestion-control idea, applied to a worker pool)."""

from __future__ import annotations

import threading


class AdaptiveLimit:
    """A counting gate whose capacity shrinks on throttling and grows on success.

    `acquire`/`release` bracket one write. `throttled()` is the signal from the client's
    retry loop (each 429 it sees) or from a RateLimitedError; `succeeded()` adds
    1/limit per success, i.e. about one extra slot per round of `limit` writes.
    """

    def __init__(self, maximum: int) -> None:
        if maximum < 1:
            raise ValueError("maximum must be at least 1")
        self.maximum = maximum
        self._limit = float(maximum)
        self._in_flight = 0
        self._peak = 0
        self._lowest = maximum
        self._condition = threading.Condition()

    @property
    def limit(self) -> int:
        """Writes currently allowed in flight."""
        with self._condition:
            return max(1, int(self._limit))

    @property
    def peak_in_flight(self) -> int:
        with self._condition:
            return self._peak

    @property
    def lowest_limit(self) -> int:
        """The smallest limit reached during the run (for reports and tests)."""
        with self._condition:
            return self._lowest

    def acquire(self) -> None:
        with self._condition:
            while self._in_flight >= max(1, int(self._limit)):
                self._condition.wait()
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)

    def release(self) -> None:
        with self._condition:
            self._in_flight -= 1
            self._condition.notify_all()

    def throttled(self) -> None:
        with self._condition:
            self._limit = max(1.0, self._limit / 2)
            self._lowest = min(self._lowest, int(self._limit))

    def succeeded(self) -> None:
        with self._condition:
            self._limit = min(float(self.maximum), self._limit + 1 / self._limit)
            self._condition.notify_all()
