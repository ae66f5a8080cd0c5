"""`RetryTransport`: an httpx transport that retries only what is safe to retry.

Connection failures (the request never reached the server) and 429/503 ("not processed,
come back later") are retried for every method. 500/502/504, timeouts and truncated bodies
are ambiguous (the server may have acted), so they are retried only for idempotent
requests; a POST gets its response or exception back and the products client reconciles
by reading the product before it creates again. Bodies are read here, so a truncated
response is detected while it can still be retried.

A 429 is the server pacing us, not a failure: it uses no attempt and no retry budget,
and the request is sent again after its `Retry-After` (or a backoff) until it gets
through. It gives up only when the server asks for a wait above
`retry_after_cap_seconds`, or has refused that one request for longer than
`THROTTLE_PATIENCE` times that cap (a server that accepts nothing).
"""

from __future__ import annotations

import logging
import ssl

import httpx

from catalog_sync.errors import RateLimitedError
from catalog_sync.fiskil.flow import FlowControl
from catalog_sync.fiskil.retry import Retrier
from catalog_sync.fiskil.retry import format_retry_at
from catalog_sync.fiskil.retry import parse_retry_after

logger = logging.getLogger("catalog_sync.fiskil.transport")

RETRY_SAFE = "catalog_sync.retry_safe"
"""Request extension: True marks a POST as safe to resend (the token request)."""

ALWAYS_RETRY_STATUSES = frozenset({429, 503})
IDEMPOTENT_RETRY_STATUSES = frozenset({500, 502, 504})
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Failures before the request reached the server: always safe to retry."""
_AMBIGUOUS = (
    httpx.ReadTimeout,
    httpx.WriteTimeout,
    httpx.ReadError,
    httpx.WriteError,
    httpx.RemoteProtocolError,
)
_KEPT_EXTENSIONS = ("http_version", "reason_phrase")
THROTTLE_PATIENCE = 2
"""A request refused with 429 for this many times `retry_after_cap_seconds` stops."""


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


class RetryTransport(httpx.BaseTransport):
    """Wraps another transport with the retry rules above; when each attempt may start
    is up to its `FlowControl` (cool-down, pace, requests in flight)."""

    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        retrier: Retrier,
        max_in_flight: int | None = None,
        flow: FlowControl | None = None,
    ) -> None:
        self._inner = inner
        self._retrier = retrier
        self.flow = flow or FlowControl(retrier, max_in_flight=max_in_flight)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        policy = self._retrier.policy
        what = describe_request(request)
        attempt = 1  # failures only; 429s are counted apart
        refusals: list[float] = []  # when each 429 of this request came
        while True:
            self.flow.wait_turn(what)
            try:
                response = self._send_once(request)
            except NEVER_SENT as exc:
                if is_tls_verification_failure(exc) or attempt >= policy.max_attempts:
                    raise
                delay, reason = self._retrier.backoff(attempt), type(exc).__name__
            except _AMBIGUOUS as exc:
                if not is_idempotent(request) or attempt >= policy.max_attempts:
                    raise
                delay, reason = self._retrier.backoff(attempt), type(exc).__name__
            else:
                status = response.status_code
                self.flow.answered(status)
                if status == 429:
                    refusals.append(self._retrier.clock.now())
                    delay = self._throttled_delay(request, response, refusals)
                    self.flow.hold(what=what, refused=len(refusals), delay=delay)
                    continue
                if not self._should_retry(request, status):
                    return response
                delay = self._delay_for(request, response, attempt)
                if attempt >= policy.max_attempts:
                    return response
                reason = f"HTTP {status}"
            self._retrier.pause(what=what, reason=reason, attempt=attempt, delay=delay)
            attempt += 1

    def close(self) -> None:
        self._inner.close()

    @staticmethod
    def _should_retry(request: httpx.Request, status: int) -> bool:
        if status in ALWAYS_RETRY_STATUSES:
            return True
        return status in IDEMPOTENT_RETRY_STATUSES and is_idempotent(request)

    def _throttled_delay(
        self, request: httpx.Request, response: httpx.Response, refusals: list[float]
    ) -> float:
        """How long a refused request waits; RateLimitedError when the server has
        refused it for longer than the patience (nothing gets through)."""
        delay = self._delay_for(request, response, len(refusals))
        refused_for = refusals[-1] - refusals[0]
        patience = THROTTLE_PATIENCE * self._retrier.policy.retry_after_cap_seconds
        if refused_for <= patience:
            return delay
        retry_at = format_retry_at(refusals[-1] + delay)
        raise RateLimitedError(
            f"{describe_request(request)}: rate limited; retry after {retry_at} "
            f"(refused {len(refusals)} times over {refused_for:.0f} s)",
            status=429,
            method=request.method,
            url=request.url.raw_path.decode("ascii", "replace"),
            retry_at=retry_at,
            hint="the server accepts nothing at the moment; run again after that time",
        )

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
        self.flow.cool_down(now + delay, everyone=response.status_code != 429)
        return delay

    def _send_once(self, request: httpx.Request) -> httpx.Response:
        self.flow.acquire()
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
            self.flow.release(throttled=throttled)
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
