"""The real clock waits, and not for nothing."""

from __future__ import annotations

import time

from catalog_sync.fiskil.clock import SystemClock


def test_system_clock_waits_only_for_a_positive_time():
    clock = SystemClock()
    clock.sleep(0)
    clock.sleep(-5)  # time.sleep would raise ValueError
    started = time.monotonic()
    clock.sleep(0.02)
    assert time.monotonic() - started >= 0.02
    assert abs(clock.now() - time.time()) < 60
    assert repr(clock) == "SystemClock()"
