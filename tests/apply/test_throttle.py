from __future__ import annotations

import threading

import pytest

from catalog_sync.apply.throttle import AdaptiveLimit


def test_adaptive_limit_halves_on_throttle_and_creeps_back():
    limit = AdaptiveLimit(8)
    limit.throttled()
    assert limit.limit == 4
    limit.throttled()
    limit.throttled()
    limit.throttled()
    assert limit.limit == 1
    assert limit.lowest_limit == 1
    for _ in range(40):
        limit.succeeded()
    assert limit.limit == 8  # never above the configured maximum


def test_adaptive_limit_rejects_a_zero_maximum():
    with pytest.raises(ValueError, match="at least 1"):
        AdaptiveLimit(0)


def test_adaptive_limit_blocks_beyond_the_current_limit():
    limit = AdaptiveLimit(2)
    limit.throttled()  # now 1
    limit.acquire()
    entered = threading.Event()

    def second() -> None:
        limit.acquire()
        entered.set()
        limit.release()

    worker = threading.Thread(target=second)
    worker.start()
    assert not entered.wait(0.05)
    limit.release()
    assert entered.wait(5)
    worker.join()
    assert limit.peak_in_flight == 1
