"""`RetryTransport`: an httpx transport that retries only what is safe to retry.

Connection failures (the request never reached the server) and 429/503 ("not processed,
come back later") are retried for every method. 500/502/504, timeouts and truncated bodies
are ambiguous (the server may have acted), so they are retried only for idempotent
requests; a POST gets its response or exception back and the products client reconciles
by reading the product before it creates again. Bodies are read here, so a truncated
response is detected while it can still be retried.
"""

from __future__ import annotations

import logging
import ssl
import threading

import httpx

from catalog_sync.errors import RateLimitedError
from catalog_sync.fiskil.pacing import RatePacer
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.retry import format_retry_at
from catalog_sync.fiskil.retry import parse_retry_after

logger = logging.getLogger("catalog_sync.fiskil.transport")

RETRY_SAFE = "catalog_sync.retry_safe"
"""Request extension: True marks a POST as safe to resend (the token request)."""

ALWAYS_RETRY_STATUSES = frozenset({429, 503})
IDEMPOTENT_RETRY_STATUSES = frozenset({500, 502, 504})
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_AMBIGUOUS = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)
_KEPT_EXTENSIONS = ("http_version", "reason_phrase")


def is_idempotent(request: httpx.Request) -> bool:
    """Safe to resend after an ambiguous failure: GET/PUT/DELETE, PATCH with If-Match,
    or a request explicitly marked retry-safe."""
    if request.extensions.get(RETRY_SAFE):
        return True
    if request.method in _IDEMPOTENT_METHODS:
        return True
    return request.method == "PATCH" and "if-match" in request.headers


def describe_request(request: httpx.Request) -> str:
    """`METHOD /path?query` for messages and logs (never headers)."""
    return f"{request.method} {request.url.raw_path.decode('ascii', 'replace')}"


def is_tls_verification_failure(exc: BaseException) -> bool:
    """True when a connect error was a refused certificate: retrying cannot help."""
    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


PROBE_AFTER = 50
"""Successes per request in flight, without a 429, before the ceiling is raised by one."""


class _AdaptiveLimit:
    """At most `limit` requests in flight; a 429 halves the limit and successes grow it
    back by one per `limit` successes (AIMD), never above the configured maximum nor
    back to a number in flight the server has answered 429 to, until PROBE_AFTER times
    that many requests have succeeded since the last 429. Without the ceiling the limit
    kept regrowing into the refused slot, and the request waiting longest took it and
    was refused again until it ran out of attempts. Without the probe, a rate limit
    (whose 429 says nothing about concurrency) pinned the run to one request in flight
    for good: 10 requests/s at 100 ms round trips, whatever rate the server allows."""

    def __init__(self, maximum: int) -> None:
        self._maximum = maximum
        self._ceiling = float(maximum)
        self._limit = float(maximum)
        self._clean = 0  # successes since the last 429
        self._in_flight = 0
        self._condition = threading.Condition()
        # Slots go out in arrival order: with notify_all alone, a thread that has just
        # released re-acquires before the woken waiters, so at a limit of 1 a request
        # retried after a 429 lost every race until the server refused it five times.
        self._next_ticket = 0
        self._serving = 0

    @property
    def allowed(self) -> int:
        """Requests currently allowed in flight."""
        with self._condition:
            return max(1, int(self._limit))

    def acquire(self) -> None:
        with self._condition:
            ticket = self._next_ticket
            self._next_ticket += 1
            while ticket != self._serving or self._in_flight >= max(
                1, int(self._limit)
            ):
                self._condition.wait()
            self._serving += 1
            self._in_flight += 1
            self._condition.notify_all()  # the next ticket may fit too

    def release(self, *, throttled: bool) -> None:
        with self._condition:
            if throttled:
                refused_at = float(max(2, self._in_flight))
                self._ceiling = min(self._ceiling, refused_at - 1)
                self._limit = max(1.0, self._limit / 2)
                self._clean = 0
            else:
                self._limit = min(self._ceiling, self._limit + 1 / self._limit)
                self._clean += 1
                if self._clean >= PROBE_AFTER * self._ceiling:
                    self._ceiling = min(float(self._maximum), self._ceiling + 1)
                    self._clean = 0
            self._in_flight -= 1
            self._condition.notify_all()


class RetryTransport(httpx.BaseTransport):
    """Wraps another transport with the retry rules above, a shared cool-down after a
    Retry-After, pacing to the rate the server's 429s reveal (fiskil.pacing), and an
    optional adaptive limit on requests in flight."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        retrier: Retrier,
        max_in_flight: int | None = None,
    ) -> None:
        self._inner = inner
        self._retrier = retrier
        self._limit = _AdaptiveLimit(max_in_flight) if max_in_flight else None
        self._pacer = RatePacer(retrier.clock)
        self._resume_lock = threading.Lock()
        self._resume_at = 0.0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        policy = self._retrier.policy
        what = describe_request(request)
        attempt = 1
        while True:
            throttled = False
            self._wait_for_cool_down(what)
            pace = self._pacer.delay()
            if pace > 0:
                self._retrier.wait(pace, what=what)
            try:
                response = self._send_once(request)
            except _NEVER_SENT as exc:
                if is_tls_verification_failure(exc) or attempt >= policy.max_attempts:
                    raise
                delay, reason = self._retrier.backoff(attempt), type(exc).__name__
            except _AMBIGUOUS as exc:
                if not is_idempotent(request) or attempt >= policy.max_attempts:
                    raise
                delay, reason = self._retrier.backoff(attempt), type(exc).__name__
            else:
                status = response.status_code
                throttled = status == 429
                if throttled:
                    self._pacer.throttled()
                else:
                    self._pacer.accepted()
                if not self._should_retry(request, status):
                    return response
                delay = self._delay_for(request, response, attempt)
                if attempt >= policy.max_attempts:
                    return response
                reason = f"HTTP {status}"
            self._retrier.pause(
                what=what,
                reason=reason,
                attempt=attempt,
                delay=delay,
                spend=not throttled,
            )
            attempt += 1

    def close(self) -> None:
        self._inner.close()

    @staticmethod
    def _should_retry(request: httpx.Request, status: int) -> bool:
        if status in ALWAYS_RETRY_STATUSES:
            return True
        return status in IDEMPOTENT_RETRY_STATUSES and is_idempotent(request)

    def _delay_for(
        self, request: httpx.Request, response: httpx.Response, attempt: int
    ) -> float:
        now = self._retrier.clock.now()
        wait = parse_retry_after(
            response.headers.get("retry-after"),
            response_date=response.headers.get("date"),
            now=now,
        )
        if wait is None or wait <= 0:
            return self._retrier.backoff(attempt)
        cap = self._retrier.policy.retry_after_cap_seconds
        if wait > cap:
            retry_at = format_retry_at(now + wait)
            raise RateLimitedError(
                f"{describe_request(request)}: rate limited; retry after {retry_at} "
                f"(the server asked for {wait:.0f} s, above the {cap:.0f} s cap)",
                status=response.status_code,
                method=request.method,
                url=request.url.raw_path.decode("ascii", "replace"),
                retry_at=retry_at,
                hint="run again after that time",
            )
        delay = wait * (1 + self._retrier.jitter_fraction(0.05))
        with self._resume_lock:
            self._resume_at = max(self._resume_at, now + delay)
        return delay

    def _wait_for_cool_down(self, what: str) -> None:
        with self._resume_lock:
            resume_at = self._resume_at
        wait = resume_at - self._retrier.clock.now()
        if wait > 0:
            self._retrier.wait(wait, what=what)

    def _send_once(self, request: httpx.Request) -> httpx.Response:
        if self._limit is not None:
            self._limit.acquire()
        throttled = False
        try:
            response = self._inner.handle_request(request)
            throttled = response.status_code == 429
            try:
                # A response built in memory (MockTransport) arrives already read.
                consumed = response.is_stream_consumed
                body = response.content if consumed else b"".join(response.iter_raw())
            finally:
                response.close()
        finally:
            if self._limit is not None:
                self._limit.release(throttled=throttled)
        extensions = {
            key: response.extensions[key]
            for key in _KEPT_EXTENSIONS
            if key in response.extensions
        }
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(body),
            extensions=extensions,
            request=request,
        )
