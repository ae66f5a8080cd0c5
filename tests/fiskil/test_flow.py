"""FlowControl (fiskil.flow): the pace learned from a server's 429s (the estimate, the
burst after a pause, the whole client against the emulator's token bucket on a fake
clock), and the adaptive limit on requests in flight (its ceiling, its probe, and slots
handed out in arrival order: at a limit of 1 after a 429, a thread that had just
released used to starve a retried request into five 429s and a failed apply)."""

from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import pytest

from catalog_sync.config.model import default_config
from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport
from catalog_sync.fiskil.connect import ClientOptions
from catalog_sync.fiskil.flow import BACK_OFF
from catalog_sync.fiskil.flow import BURST_SECONDS
from catalog_sync.fiskil.flow import MIN_ACCEPTED
from catalog_sync.fiskil.flow import PROBE_AFTER
from catalog_sync.fiskil.flow import InFlightLimit
from catalog_sync.fiskil.flow import RatePacer
from catalog_sync.targets import open_products_api
from tests.conftest import FakeClock


def test_nothing_is_paced_before_two_refusals_tell_the_rate(clock):
    pacer = RatePacer(clock)
    assert pacer.delay() == 0.0
    pacer.throttled()  # one refusal says nothing about the rate
    for _ in range(100):
        pacer.accepted()
    assert (pacer.rate, pacer.delay()) == (None, 0.0)


def test_the_rate_is_what_was_accepted_between_two_refusals(clock):
    pacer = RatePacer(clock)
    pacer.throttled()
    clock.advance(0.1)
    pacer.throttled()  # the same refusal: the window still starts at the first 429
    for _ in range(MIN_ACCEPTED * 10):
        pacer.accepted()
    clock.advance(1.9)
    pacer.throttled()
    assert pacer.rate == pytest.approx(50.0)


def test_too_few_accepted_requests_leave_the_pace_alone(clock):
    pacer = RatePacer(clock)
    pacer.throttled()
    for _ in range(MIN_ACCEPTED - 1):
        pacer.accepted()
    clock.advance(5)
    pacer.throttled()
    assert pacer.rate is None


def test_after_a_pause_one_seconds_worth_starts_at_once_then_requests_are_spaced(
    clock,
):
    pacer = RatePacer(clock)
    pacer.throttled()
    for _ in range(50):
        pacer.accepted()
    clock.advance(1.0)
    pacer.throttled()  # 50 per second
    clock.advance(5.0)  # idle: the server's allowance is full again
    delays = [pacer.delay() for _ in range(60)]
    burst = round(BURST_SECONDS * 50)
    assert delays[:burst] == [0.0] * burst
    expected = [0.02 * k for k in range(1, 60 - burst + 1)]
    assert delays[burst:] == pytest.approx(expected, abs=1e-5)


def test_accepted_requests_creep_the_pace_up(clock):
    pacer = RatePacer(clock)
    pacer.throttled()
    for _ in range(50):
        pacer.accepted()
    clock.advance(1.0)
    pacer.throttled()
    for _ in range(1000):
        pacer.accepted()
    assert pacer.rate is not None
    assert 50 * 1.2 < pacer.rate < 50 * 1.25  # 0.02 % per request


def _client(store: Store, clock: FakeClock):
    config = default_config(Path("/nonexistent-catalog-root"))
    return open_products_api(
        config,
        config.environment(None),
        need="read",
        options=ClientOptions(
            clock=clock,
            rng=random.Random(7),
            transport=EmulatorTransport(make_app(store)),
        ),
    )


@pytest.mark.parametrize("rate", [20.0, 50.0])
def test_a_client_faster_than_the_limit_stops_being_refused_and_runs_at_the_limit(
    clock, rate
):
    """Every request costs no (fake) time, so the client could send without end. The
    first refusals teach it the rate; after that it keeps to it, with the occasional
    probe above, and the whole run takes about what the limit allows."""
    store = Store(now=clock.now, rate_limit=rate, burst=rate)
    count = 20 * int(rate)
    started = clock.now()
    with _client(store, clock) as api:
        for _ in range(count):
            assert api.get_product("absent") is None
    elapsed = clock.now() - started
    statuses = [e.status for e in store.ledger.entries() if "absent" in e.path]
    store.close()
    refused = [i for i, status in enumerate(statuses) if status == 429]
    late = [i for i in refused if i > len(statuses) // 4]
    assert len(statuses) - len(refused) == count
    assert len(late) <= 4, refused  # unpaced: one refusal per `rate` requests
    ideal = (count - rate) / rate  # the burst, then the sustained rate
    assert ideal <= elapsed < ideal * 1.05


def test_a_refusal_too_soon_to_re_estimate_from_slows_the_pace(clock):
    """A second window shorter than ESTIMATE_WINDOW_SECONDS keeps the estimate and only
    backs it off, even with enough accepted requests to estimate from."""
    pacer = RatePacer(clock)
    pacer.throttled()
    for _ in range(50):
        pacer.accepted()
    clock.advance(1.0)
    pacer.throttled()  # 50 per second
    for _ in range(MIN_ACCEPTED * 2):
        pacer.accepted()
    before = pacer.rate
    assert before is not None
    clock.advance(1.0)  # 20 accepted in 1 s would read as 20 per second
    pacer.throttled()
    assert pacer.rate == pytest.approx(before / BACK_OFF)


def _succeed(limit: InFlightLimit, times: int) -> None:
    for _ in range(times):
        limit.acquire()
        limit.release(throttled=False)


def test_adaptive_limit_does_not_regrow_soon_to_a_concurrency_the_server_refused():
    """A 429 seen with 3 requests in flight means 3 is too many: growing back to 3 after
    a few successes made the oldest waiter take that slot and be refused again, until
    it ran out of attempts (a spurious rate-limit failure of the whole apply)."""
    limit = InFlightLimit(8)
    for _ in range(3):
        limit.acquire()
    limit.release(throttled=True)  # refused with 3 in flight
    limit.release(throttled=False)
    limit.release(throttled=False)
    _succeed(limit, PROBE_AFTER * 2 - 3)
    assert limit.allowed == 2


def test_adaptive_limit_probes_one_more_in_flight_after_a_long_clean_run():
    """A rate limit's 429 comes at whatever concurrency the run has: without a probe,
    a few of them left one request in flight for good (10 requests/s at 100 ms round
    trips). After PROBE_AFTER successes per slot with no 429, one more is tried; a 429
    there puts the ceiling back."""
    limit = InFlightLimit(4)
    limit.acquire()
    limit.acquire()
    limit.release(throttled=True)  # refused with 2 in flight: ceiling 1
    limit.release(throttled=False)
    _succeed(limit, PROBE_AFTER - 2)
    assert limit.allowed == 1
    _succeed(limit, 2)
    assert limit.allowed == 2  # probing 2 again
    limit.acquire()
    limit.acquire()
    limit.release(throttled=True)  # refused again at 2
    limit.release(throttled=False)
    _succeed(limit, PROBE_AFTER - 2)
    assert limit.allowed == 1
    _succeed(limit, 4 * PROBE_AFTER * 4)
    assert limit.allowed == 4  # never above the configured maximum


def test_a_waiting_request_gets_the_slot_before_the_releaser_takes_it_back():
    limit = InFlightLimit(1)
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
