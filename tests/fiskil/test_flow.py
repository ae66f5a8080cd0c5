"""FlowControl (fiskil.flow): the pace learned from a server's 429s (the estimate, the
burst after a pause, the whole client against the emulator's token bucket on a fake
clock), and the adaptive limit on requests in flight (its ceiling, its probe, and slots
handed out in arrival order: at a limit of 1 after a 429, a thread that had just
released used to starve a retried request into five 429s and a failed apply)."""

from __future__ import annotations

import itertools
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
from catalog_sync.fiskil.flow import FlowControl
from catalog_sync.fiskil.flow import InFlightLimit
from catalog_sync.fiskil.flow import RatePacer
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.retry import RetryBudget
from catalog_sync.fiskil.retry import RetryPolicy
from catalog_sync.fiskil.waits import WaitMeter
from catalog_sync.targets import open_products_api
from tests.conftest import FakeClock


def test_nothing_is_paced_before_two_refusals_tell_the_rate(clock):
    pacer = RatePacer(clock)
    assert pacer.try_start() == 0.0
    pacer.throttled()  # one refusal says nothing about the rate
    for _ in range(100):
        pacer.accepted()
    assert (pacer.rate, pacer.try_start()) == (None, 0.0)


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


def test_too_few_accepted_requests_give_a_floor_that_doubles_each_second(clock):
    """A small burst: one request through per Retry-After pause says only that the
    server allows at least that. The pace starts there, requests are spaced one by one,
    and the pace doubles per second's worth of accepted requests (slow start), until a
    429 ends the ramp at the spacing before the refused one."""
    pacer = RatePacer(clock)
    pacer.throttled()
    pacer.accepted()
    clock.advance(1.0)
    pacer.throttled()
    assert pacer.rate == pytest.approx(1.0)
    started = clock.now()
    starts: list[float] = []
    while (pacer.rate or 0) < 10:
        wait = pacer.try_start()
        if wait:
            clock.advance(wait)
            continue
        starts.append(clock.now())
        pacer.accepted()
    assert 3 < clock.now() - started < 4  # 1 to 10 requests/s: a little over 3 s
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert gaps == sorted(gaps, reverse=True)  # one at a time, ever closer
    clock.advance(pacer.try_start())
    assert pacer.try_start() == 0.0
    pacer.throttled()  # this start was too close
    assert pacer.rate == pytest.approx(1 / gaps[-1])


def test_after_a_pause_a_burst_starts_at_once_then_requests_are_spaced(clock):
    pacer = RatePacer(clock)
    pacer.throttled()
    for _ in range(50):
        pacer.accepted()
    clock.advance(1.0)
    pacer.throttled()  # 50 per second
    clock.advance(5.0)  # idle: the server's allowance is full again
    burst = round(BURST_SECONDS * 50)
    assert [pacer.try_start() for _ in range(burst)] == [0.0] * burst
    for _ in range(10):
        wait = pacer.try_start()
        assert wait == pytest.approx(0.02, abs=1e-6)
        assert pacer.try_start() == pytest.approx(wait)  # nothing claimed ahead
        clock.advance(wait)
        assert pacer.try_start() == 0.0


def test_a_refusal_while_paced_halves_the_burst(clock):
    """A server whose burst is smaller than ours refuses the rest of ours: after each
    refusal while paced, fewer start at once (never fewer than one)."""
    pacer = RatePacer(clock)
    pacer.throttled()
    for _ in range(20):
        pacer.accepted()
    clock.advance(2.0)
    pacer.throttled()  # 10 per second: a burst of 9
    for _ in range(5):
        clock.advance(1.0)
        pacer.throttled()
    clock.advance(60.0)
    started = 0
    while pacer.try_start() == 0.0:
        started += 1
    assert started == 1


def test_a_refusal_while_far_above_the_limit_paces_to_what_was_accepted(clock):
    """The limit fell to a tenth mid-run: most requests are refused, so what the server
    accepted over the window is its rate (5 % steps would take dozens of windows)."""
    pacer = RatePacer(clock)
    pacer.throttled()
    for _ in range(100):
        pacer.accepted()
    clock.advance(1.0)
    pacer.throttled()  # 100 per second
    clock.advance(2.0)
    pacer.throttled()
    for _ in range(30):
        clock.advance(0.01)
        pacer.throttled()  # the same refusal: counted as refused
    for _ in range(20):
        pacer.accepted()
    clock.advance(1.7)
    pacer.throttled()
    assert pacer.rate == pytest.approx(10.0)


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
    assert 50 * 1.2 < pacer.rate < 50 * 1.25  # 1 % per second's worth


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
    # One thread: each late refusal idles it for its Retry-After (1 s).
    assert ideal <= elapsed < ideal * 1.1


def test_a_refusal_near_the_pace_slows_it_by_a_step(clock):
    """Few refused: the pace was a shade fast, so it only backs off, even with enough
    accepted requests to estimate from (they read low: the pace was below the limit
    for most of the window)."""
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


def test_a_429_pause_holds_everyone_only_until_a_pace_is_known(clock):
    """Before the rate is known, a 429's Retry-After holds every request (so a large
    burst is not answered with a 429 each); once paced, only the refused request
    waits, and a 503's Retry-After still holds everyone."""
    flow = FlowControl(Retrier(RetryPolicy(), budget=RetryBudget(0), clock=clock))
    flow.cool_down(clock.now() + 3, everyone=False)
    flow.wait_turn("GET /x")
    assert clock.sleeps == [3]
    flow.pacer.throttled()
    for _ in range(20):
        flow.answered(200)
    clock.advance(1.0)
    flow.answered(429)  # 20 per second
    flow.cool_down(clock.now() + 3, everyone=False)
    flow.wait_turn("GET /x")
    assert clock.sleeps == [3]
    flow.cool_down(clock.now() + 2, everyone=True)
    flow.wait_turn("GET /x")
    assert clock.sleeps[1] == pytest.approx(2)
    waits = flow.waits()
    assert waits.refused == 1
    assert waits.waited_seconds == pytest.approx(5)
    assert waits.pace == pytest.approx(20)


def test_waiting_time_is_wall_time_however_many_wait_at_once(clock):
    meter = WaitMeter(clock)
    with meter.waiting():
        clock.advance(1.0)
        with meter.waiting():  # a second thread waits meanwhile
            clock.advance(2.0)
        assert meter.read(None).waited_seconds == pytest.approx(3.0)  # still waiting
        clock.advance(1.0)
    clock.advance(10.0)  # nobody waiting
    meter.refused()
    waits = meter.read(5.0)
    assert (waits.refused, waits.pace) == (1, 5.0)
    assert waits.waited_seconds == pytest.approx(4.0)
