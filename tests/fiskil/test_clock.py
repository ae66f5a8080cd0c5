"""The clocks: the real one waits (and not for nothing), the fake one only records."""

from __future__ import annotations

import time

from catalog_sync.fiskil.clock import FakeClock
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


def test_fake_clock_shows_its_time():
    clock = FakeClock(start=100.0)
    clock.sleep(2.5)
    assert repr(clock) == "FakeClock(now=102.5)"
    assert clock.sleeps == [2.5]
