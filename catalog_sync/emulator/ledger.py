"""The emulator's request ledger: every request it saw, with secrets redacted, plus the
number of requests in flight, so tests can assert counts, headers, ordering and concurrency.
"""

from __future__ import annotations

import fnmatch
import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict
from dataclasses import dataclass
from typing import Any

REDACTED = "<redacted>"
_SECRET_HEADERS = frozenset({"cookie", "proxy-authorization", "x-api-key"})
_SECRET_BODY_FIELDS = frozenset({"client_secret", "token", "access_token"})


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One finished request. `path` is percent-decoded, `raw_path` as sent on the wire
    (`/v1/data-provider/cdr/products/a%20b`). `headers` keys are lower-case; `body` is the parsed JSON
    request body (None if absent or not JSON); `at` is the store clock when it arrived and
    `in_flight` how many requests were being served at that moment, this one included.
    `seq` counts completions, `arrival` arrivals. `dropped` means the response was never
    sent, or cut short (a drop-after-commit or truncate fault)."""

    seq: int
    arrival: int
    method: str
    path: str
    raw_path: str
    query: str
    status: int
    headers: Mapping[str, str]
    body: Any
    at: float
    elapsed: float
    in_flight: int
    dropped: bool = False

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Lower-case the names and hide credentials: a Bearer value becomes `<redacted>`."""
    redacted: dict[str, str] = {}
    for name, value in headers.items():
        key = name.lower()
        if key == "authorization":
            scheme = value.split(" ", 1)[0] if " " in value else ""
            redacted[key] = f"{scheme} {REDACTED}".strip()
        elif key in _SECRET_HEADERS:
            redacted[key] = REDACTED
        else:
            redacted[key] = value
    return redacted


def redact_body(body: Any) -> Any:
    """A copy of a parsed body with secret fields (client_secret, tokens) hidden."""
    if isinstance(body, dict):
        return {
            key: REDACTED if key in _SECRET_BODY_FIELDS else redact_body(value)
            for key, value in body.items()
        }
    if isinstance(body, list):
        return [redact_body(item) for item in body]
    return body


class Ledger:
    """Thread-safe record of the last `max_entries` requests plus the live and maximum
    in-flight counts (a long-running emulator must not grow without bound)."""

    def __init__(self, max_entries: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._entries: deque[LedgerEntry] = deque(maxlen=max_entries)
        self._arrived = self._finished = self._in_flight = self._max_in_flight = 0

    def begin(self) -> tuple[int, int]:
        """Count a request as in flight; returns (its arrival number, the in-flight
        count including it)."""
        with self._lock:
            self._arrived += 1
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
            return self._arrived, self._in_flight

    def finish(self, **fields: Any) -> LedgerEntry:
        """Record a request that `begin` counted (LedgerEntry's fields but `seq`)."""
        with self._lock:
            self._in_flight -= 1
            self._finished += 1
            entry = LedgerEntry(seq=self._finished, **fields)
            self._entries.append(entry)
            return entry

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    @property
    def max_in_flight(self) -> int:
        """The most requests ever served at once since the last `clear`."""
        with self._lock:
            return self._max_in_flight

    def entries(
        self, method: str | None = None, path: str | None = None
    ) -> list[LedgerEntry]:
        """Entries in completion order, optionally filtered by method and path glob
        (`/v1/data-provider/cdr/products*`); sort by `arrival` for arrival order."""
        with self._lock:
            entries = list(self._entries)
        return [
            entry
            for entry in entries
            if (method is None or entry.method == method.upper())
            and (path is None or fnmatch.fnmatchcase(entry.path, path))
        ]

    def count(self, method: str | None = None, path: str | None = None) -> int:
        return len(self.entries(method, path))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._max_in_flight = self._in_flight

    def to_json(self) -> list[dict[str, Any]]:
        """The entries as JSON-ready dicts (for the control endpoint)."""
        return [asdict(entry) for entry in self.entries()]
