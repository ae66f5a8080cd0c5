"""Misbehaviour on demand: scripted failures, latency, connection drops after a committed
write, truncated responses, and a token-bucket rate limit. Set per test through `store.faults` or from the CLI
with specs such as `POST /v1/data-provider/cdr/products* 503 x2 retry-after=2`. A `World`
is a service that differs from the assumed contract (for `catalog-sync doctor` to find).
"""

from __future__ import annotations

import fnmatch
import math
import threading
import time
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any


@dataclass(frozen=True, slots=True)
class World:
    """How the served API differs from the assumed contract: the management list's paging
    parameter names, or a cursor in `links.next` instead of page numbers; no `ETag` on a
    product; the product-detail `x-v` versions the public endpoint serves; and how far
    the `Date` header is from the store's clock, in seconds."""

    page_param: str = "page"
    page_size_param: str = "page-size"
    cursor: bool = False
    etag: bool = True
    public_versions: frozenset[int] = frozenset({6, 7})
    date_skew: float = 0.0


class FaultSpecError(ValueError):
    """A fault spec from the command line or control endpoint could not be parsed."""


@dataclass(slots=True)
class _Rule:
    method: str | None
    path: str | None
    times: int | None  # None: every matching request, forever
    status: int = 0
    retry_after: str | None = None
    body: Any = None
    seconds: float = 0.0
    keep: int = 0
    headers: Mapping[str, str] = field(default_factory=dict)

    def matches(self, method: str, path: str) -> bool:
        return (self.method is None or self.method == method) and (
            self.path is None or fnmatch.fnmatchcase(path, self.path)
        )


@dataclass(frozen=True, slots=True)
class Failure:
    """What a matching `fail_next` rule answers instead of the real response."""

    status: int
    retry_after: str | None
    body: Any
    headers: Mapping[str, str]


class Faults:
    """Thread-safe fault rules; the first matching rule with uses left wins."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: list[_Rule] = []
        self._latencies: list[_Rule] = []
        self._drops: list[_Rule] = []
        self._truncations: list[_Rule] = []

    def fail_next(
        self,
        method: str | None = None,
        path: str | None = None,
        *,
        status: int = 503,
        times: int | None = 1,
        retry_after: str | int | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Answer the next `times` requests matching `method` and the `path` glob with
        `status` (and `Retry-After` if given; seconds or an HTTP date; extra `headers`
        such as a redirect's Location) without handling them. `times=None` fails every
        matching request until `clear()`."""
        after = None if retry_after is None else str(retry_after)
        rule = _Rule(_upper(method), path, times, status, after, body)
        rule.headers = dict(headers or {})
        with self._lock:
            self._failures.append(rule)

    def add_latency(
        self,
        seconds: float,
        method: str | None = None,
        path: str | None = None,
        *,
        times: int | None = None,
    ) -> None:
        """Delay matching requests by `seconds` (real time) before handling them."""
        rule = _Rule(_upper(method), path, times, seconds=seconds)
        with self._lock:
            self._latencies.append(rule)

    def drop_after_commit(
        self, method: str | None = "POST", path: str | None = None, times: int = 1
    ) -> None:
        """Perform the next `times` matching writes, then close the connection without
        a response: the client cannot know whether the write happened."""
        with self._lock:
            self._drops.append(_Rule(_upper(method), path, times))

    def truncate_next(
        self,
        method: str | None = None,
        path: str | None = None,
        times: int = 1,
        *,
        keep: int = 10,
    ) -> None:
        """Handle the next `times` matching requests (writes commit), then send the
        response headers and only the first `keep` body bytes before closing."""
        with self._lock:
            self._truncations.append(_Rule(_upper(method), path, times, keep=keep))

    def clear(self) -> None:
        with self._lock:
            for rules in (
                self._failures,
                self._latencies,
                self._drops,
                self._truncations,
            ):
                rules.clear()

    def take_failure(self, method: str, path: str) -> Failure | None:
        rule = self._take(self._failures, method, path)
        if rule is None:
            return None
        return Failure(rule.status, rule.retry_after, rule.body, rule.headers)

    def latency_for(self, method: str, path: str) -> float:
        rule = self._take(self._latencies, method, path)
        return 0.0 if rule is None else rule.seconds

    def take_drop(self, method: str, path: str) -> bool:
        return self._take(self._drops, method, path) is not None

    def take_truncation(self, method: str, path: str) -> int | None:
        """How many body bytes to send, if a truncate rule matches."""
        rule = self._take(self._truncations, method, path)
        return None if rule is None else rule.keep

    def _take(self, rules: list[_Rule], method: str, path: str) -> _Rule | None:
        with self._lock:
            for rule in rules:
                if rule.matches(method, path):
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times <= 0:
                            rules.remove(rule)
                    return rule
        return None

    def apply_spec(self, kind: str, spec: str) -> None:
        """Add a rule from its text form; `kind` is `fail`, `latency`, `drop` or
        `truncate` (`METHOD PATH [xN] [keep=BYTES]`)."""
        words = spec.split()
        if kind == "latency":
            seconds = _number(words[0], spec) if words else None
            if seconds is None:
                raise FaultSpecError(
                    f"latency spec {spec!r}: expected SECONDS [METHOD] [PATH-GLOB] [xN]"
                )
            method, path, rest = _method_path(words[1:], spec)
            self.add_latency(seconds, method, path, times=_times(rest, spec, None))
            return
        method, path, rest = _method_path(words, spec)
        if kind in ("drop", "truncate"):
            keep = (
                [w for w in rest if w.startswith("keep=")] if kind == "truncate" else []
            )
            times = _times([w for w in rest if w not in keep], spec, 1) or 1
            if kind == "drop":
                self.drop_after_commit(method, path, times)
            else:
                bytes_kept = (
                    _number(keep[-1].removeprefix("keep="), spec) if keep else 10
                )
                if bytes_kept is None:
                    raise FaultSpecError(
                        f"truncate spec {spec!r}: keep= needs a number"
                    )
                self.truncate_next(method, path, times, keep=int(bytes_kept))
            return
        if kind != "fail":
            raise FaultSpecError(f"unknown fault kind {kind!r}")
        status = _number(rest[0], spec) if rest else None
        if status is None or not 400 <= status <= 599:
            raise FaultSpecError(
                f"fail spec {spec!r}: expected METHOD PATH STATUS [xN|always] [retry-after=V]"
            )
        # retry-after= comes last and takes the rest: an HTTP date contains spaces.
        marker = " retry-after="
        retry_after = spec.split(marker, 1)[1].strip() if marker in spec else None
        others = " ".join(rest[1:]).split("retry-after=", 1)[0].split()
        self.fail_next(
            method,
            path,
            status=int(status),
            times=_times(others, spec, 1),
            retry_after=retry_after,
        )


def _upper(method: str | None) -> str | None:
    return None if method is None or method == "*" else method.upper()


def _number(word: str, spec: str) -> float | None:
    try:
        value = float(word)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        raise FaultSpecError(f"spec {spec!r}: {word!r} must be a non-negative number")
    return value


def _method_path(
    words: list[str], spec: str
) -> tuple[str | None, str | None, list[str]]:
    method = path = None
    if words and (words[0].isalpha() or words[0] == "*"):
        method, words = words[0], words[1:]
    if words and (words[0].startswith("/") or words[0] == "*"):
        path, words = words[0], words[1:]
    return method, path, words


def _times(words: list[str], spec: str, default: int | None) -> int | None:
    if not words:
        return default
    if len(words) == 1 and words[0] == "always":
        return None
    if len(words) == 1 and words[0].startswith("x") and words[0][1:].isdigit():
        return max(1, int(words[0][1:]))
    raise FaultSpecError(f"spec {spec!r}: unexpected {' '.join(words)!r}")


class TokenBucket:
    """A rate limit of `rate` requests per second with bursts up to `burst`."""

    def __init__(
        self,
        rate: float,
        burst: float | None = None,
        *,
        now: Callable[[], float] = time.time,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = max(1.0, burst if burst is not None else rate)
        self._now = now
        self._tokens = self.burst
        self._updated = now()
        self._lock = threading.Lock()

    def acquire(self) -> int | None:
        """Take one token; None if allowed, else the whole seconds to wait (>= 1)."""
        with self._lock:
            now = self._now()
            elapsed = max(0.0, now - self._updated)
            self._tokens = min(self.burst, self._tokens + elapsed * self.rate)
            self._updated = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return None
            return max(1, math.ceil((1.0 - self._tokens) / self.rate))
