"""The adaptive in-flight limit hands out slots in arrival order: a thread that has just
released cannot jump ahead of one already waiting (at a limit of 1 after a 429, that
starved a retried request into five 429s and a failed apply)."""

from __future__ import annotations

import threading
import time

from catalog_sync.fiskil.transport import _AdaptiveLimit


def test_a_waiting_request_gets_the_slot_before_the_releaser_takes_it_back():
    limit = _AdaptiveLimit(1)
    order: list[str] = []
    limit.acquire()

    def waiter() -> None:
        limit.acquire()
        order.append("waiter")
        limit.release(throttled=False)

    thread = threading.Thread(target=waiter)
    thread.start()
    deadline = time.monotonic() + 5
    while limit._next_ticket < 2 and time.monotonic() < deadline:  # waiter queued
        time.sleep(0.001)
    limit.release(throttled=False)
    limit.acquire()
    order.append("releaser")
    limit.release(throttled=False)
    thread.join(timeout=5)
    assert order == ["waiter", "releaser"]
