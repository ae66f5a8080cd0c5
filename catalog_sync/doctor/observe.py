"""Every response doctor's requests met, recorded beneath the retries (so a 429 that was
waited out still counts): status, the local time it arrived, and the headers the clock
and rate-limit checks read. Nothing secret is kept: no request headers, no bodies."""

from __future__ import annotations

import threading
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from catalog_sync.fiskil.clock import Clock

Wrap = Callable[[httpx.BaseTransport], httpx.BaseTransport]

_KEPT = frozenset({"date", "retry-after", "etag"})
_RATE_LIMIT_PREFIXES = ("ratelimit", "x-ratelimit", "x-rate-limit")


@dataclass(frozen=True, slots=True)
class Seen:
    """One response: `at` is this machine's clock when it arrived."""

    method: str
    path: str
    status: int
    headers: Mapping[str, str]
    at: float


def is_rate_limit_header(name: str) -> bool:
    return name.lower().startswith(_RATE_LIMIT_PREFIXES)


class Observations:
    """Collects `Seen` responses from every transport `wrap` returned."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._seen: list[Seen] = []

    def wrap(self, inner: httpx.BaseTransport) -> httpx.BaseTransport:
        return _Watching(inner, self)

    def record(self, request: httpx.Request, response: httpx.Response) -> None:
        kept = {
            name.lower(): value
            for name, value in response.headers.items()
            if name.lower() in _KEPT or is_rate_limit_header(name)
        }
        seen = Seen(
            request.method,
            request.url.path,
            response.status_code,
            kept,
            self.clock.now(),
        )
        with self._lock:
            self._seen.append(seen)

    @property
    def seen(self) -> tuple[Seen, ...]:
        with self._lock:
            return tuple(self._seen)


class _Watching(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport, observations: Observations) -> None:
        self._inner = inner
        self._observations = observations

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        self._observations.record(request, response)
        return response

    def close(self) -> None:
        self._inner.close()
