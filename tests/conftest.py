"""Shared fixtures: an emulator store with a fake clock, the emulator over loopback HTTP,
and httpx clients for it in-process. Other helpers may append fixtures below."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from hypothesis import HealthCheck
from hypothesis import settings

from catalog_sync.emulator.app import make_app
from catalog_sync.emulator.server import serve_in_thread
from catalog_sync.emulator.store import LOCAL_CLIENT_ID
from catalog_sync.emulator.store import LOCAL_CLIENT_SECRET
from catalog_sync.emulator.store import Store
from catalog_sync.emulator.transport import EmulatorTransport

EMULATOR_BASE_URL = "http://emulator.test"

# Every run draws the same examples, so `make test` means the same thing for everyone and
# the 100 % coverage gate cannot move between runs: no example database, no deadline and no
# too-slow health check, which depend on what the machine is doing. Ask for new examples
# explicitly with HYPOTHESIS_PROFILE=explore (it prints a reproducer for any failure).
settings.register_profile(
    "deterministic",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("explore", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


class FakeClock:
    """The tests' one clock: `now()` is the time, `sleep` moves it at once and is
    recorded in `sleeps`, `advance` moves it without a sleep (the test's own passage
    of time). Shared by threads: a sleep in one moves time for all, as a real one would.
    """

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._lock = threading.Lock()
        self._now = start
        self.sleeps: list[float] = []

    def now(self) -> float:
        with self._lock:
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self._now += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += seconds


@dataclass(frozen=True, slots=True)
class RunningEmulator:
    """The emulator served on loopback: `base_url` to call, `store` to script and inspect."""

    base_url: str
    store: Store


# Variables a CI runner sets that change what the code does (the validation cache, GitHub
# annotations, job summaries, colour). Tests that need one set it themselves.
_RUNNER_VARIABLES = ("CI", "NO_COLOR", "FORCE_COLOR")


@pytest.fixture(autouse=True)
def _same_environment_everywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same environment on a laptop and on a CI runner."""
    for name in list(os.environ):
        if name in _RUNNER_VARIABLES or name.startswith(("GITHUB_", "RUNNER_")):
            monkeypatch.delenv(name)


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emulator_store(fake_clock: FakeClock) -> Iterator[Store]:
    """An in-memory store holding the local client (`local` / `local-secret`, read and
    write scopes), on `fake_clock`."""
    store = Store(now=fake_clock.now)
    yield store
    store.close()


@pytest.fixture
def emulator_server(emulator_store: Store) -> Iterator[RunningEmulator]:
    """`emulator_store` served over real HTTP on 127.0.0.1 from a thread."""
    with serve_in_thread(make_app(emulator_store)) as base_url:
        yield RunningEmulator(base_url, emulator_store)


def emulator_client(
    store: Store, *, token: str | None = None, validate: bool = True
) -> httpx.Client:
    """An httpx.Client talking to `store` in-process (EmulatorTransport); with `token`
    it sends that bearer token. The caller closes it."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    transport = EmulatorTransport(make_app(store, validate=validate))
    return httpx.Client(
        transport=transport, base_url=EMULATOR_BASE_URL, headers=headers
    )


def issue_token(
    store: Store,
    client_id: str = LOCAL_CLIENT_ID,
    secret: str = LOCAL_CLIENT_SECRET,
) -> str:
    """A bearer token for a client straight from the store (no HTTP, no ledger entry)."""
    issued = store.issue_token(client_id, secret)
    assert issued is not None, "unknown client or wrong secret"
    return issued.token


@pytest.fixture
def emulator_http(emulator_store: Store) -> Iterator[Callable[..., httpx.Client]]:
    """A factory of in-process clients for `emulator_store` (closed at teardown):
    `emulator_http()` unauthenticated, `emulator_http(token=...)` with a token."""
    clients: list[httpx.Client] = []

    def factory(*, token: str | None = None, validate: bool = True) -> httpx.Client:
        client = emulator_client(emulator_store, token=token, validate=validate)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()
