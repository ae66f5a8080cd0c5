"""The stale-public fault: after a write, the public PRD endpoints keep serving what they
served before it for `seconds` (a cache or a lagging publish step in front of the real
endpoint), so `verify --wait` can be tested. The management API is never stale.

Only writes made while the fault is on are delayed; seeding is immediate.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from catalog_sync.types import JSONObject

Version = tuple[float, JSONObject | None]  # (written at, body; None: deleted or absent)


class PublicLag:
    """Per product, the bodies written while the fault is on, for the public view."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.seconds = 0.0
        self._history: dict[str, list[Version]] = {}

    def set(self, seconds: float) -> None:
        """Serve stale public data for `seconds` after each write (0 turns it off and
        forgets the history)."""
        with self._lock:
            self.seconds = max(0.0, seconds)
            if not self.seconds:
                self._history.clear()

    def wrote(
        self,
        product_id: str,
        before: JSONObject | None,
        after: JSONObject | None,
        at: float,
    ) -> None:
        """Note a write made at `at` (no-op while the fault is off)."""
        with self._lock:
            if not self.seconds:
                return
            history = self._history.setdefault(product_id, [(float("-inf"), before)])
            history.append((at, after))

    def view(
        self, product_id: str, current: JSONObject | None, now: float
    ) -> JSONObject | None:
        """What the public endpoint serves for `product_id` at `now`."""
        with self._lock:
            history = self._history.get(product_id)
            if history is None:
                return current
            cutoff = now - self.seconds
            served = [body for at, body in history if at <= cutoff]
            return served[-1]

    def lagging_ids(self) -> tuple[str, ...]:
        """Products with a write history (some may exist publicly only as history)."""
        with self._lock:
            return tuple(self._history)


def public_view(
    lag: PublicLag,
    current: dict[str, JSONObject],
    now: Callable[[], float],
) -> dict[str, JSONObject]:
    """Every product the public endpoint serves at `now()`, by productId, sorted."""
    moment = now()
    ids = set(current) | set(lag.lagging_ids())
    served = {pid: lag.view(pid, current.get(pid), moment) for pid in sorted(ids)}
    return {pid: body for pid, body in served.items() if body is not None}
