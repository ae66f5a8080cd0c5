"""Observe every HTTP call a client makes, one attempt at a time (a retry is another
call): an `ObservedTransport` sits below the retries and tells a `CallObserver` when a
request leaves and when its answer (or failure) comes back. Only the method, the path,
the status, the duration and the server's request-id header are told: never another
header, never a body, so nothing an observer sees can hold a credential (the audit
record of an apply is built from these)."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

REQUEST_ID_HEADERS = (
    "x-request-id",
    "request-id",
    "x-fapi-interaction-id",
    "x-amzn-requestid",
    "x-correlation-id",
)
"""Response headers that name the server's record of a request, first match wins."""

MAX_REQUEST_ID_CHARS = 128


@dataclass(frozen=True, slots=True)
class CallSent:
    """A request is about to leave; `call` numbers the calls of one client from 1."""

    call: int
    method: str
    path: str


@dataclass(frozen=True, slots=True)
class CallAnswered:
    """The answer to call `call`: its status, or `error` (the exception's type name)
    when none came; `seconds` from sending to the end of the response."""

    call: int
    status: int | None
    seconds: float
    request_id: str | None = None
    error: str | None = None


CallEvent = CallSent | CallAnswered
CallObserver = Callable[[CallEvent], None]


def request_id_of(headers: httpx.Headers) -> str | None:
    """The first request-id header's value, printable ASCII only and at most
    MAX_REQUEST_ID_CHARS long (a server's header is not ours to trust)."""
    for name in REQUEST_ID_HEADERS:
        value = headers.get(name)
        if value:
            kept = "".join(ch for ch in value if " " < ch < "\x7f")
            return kept[:MAX_REQUEST_ID_CHARS] or None
    return None


def path_of(request: httpx.Request) -> str:
    """`/path?query` as sent (percent-encoded); no host, no header."""
    return request.url.raw_path.decode("ascii", "replace")


class ObservedTransport(httpx.BaseTransport):
    """Passes every request to `inner`, telling `observer` about it before and after."""

    def __init__(self, inner: httpx.BaseTransport, observer: CallObserver) -> None:
        self._inner = inner
        self._observer = observer
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            call = next(self._numbers)
        self._observer(CallSent(call, request.method, path_of(request)))
        started = time.perf_counter()
        try:
            response = self._inner.handle_request(request)
            try:
                response.read()  # the duration covers the body, as the retries read it
            except BaseException:
                response.close()
                raise
        except BaseException as exc:
            seconds = time.perf_counter() - started
            self._observer(CallAnswered(call, None, seconds, error=type(exc).__name__))
            raise
        self._observer(
            CallAnswered(
                call,
                response.status_code,
                time.perf_counter() - started,
                request_id_of(response.headers),
            )
        )
        return response

    def close(self) -> None:
        self._inner.close()
