"""The audit record of one apply: a single JSON document (docs/audit.md) written as the
apply happens, so a failed, interrupted or killed apply leaves every call it made.

The document is written append-only, one line per part:

```
{"format": "catalog-sync-audit", "format_version": 1, "header": {...}, "events": [
{"type": "call", ...}
,{"type": "answer", ...}
], "end": {...}}
```

Each line reaches the operating system as it happens (a killed process loses nothing);
the file is fsynced in groups of `SYNC_EVERY` lines and at the end (a power cut loses at
most the last group). A record without its last line is still readable line by line:
`catalog_sync.audit.reading` does that.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

from catalog_sync.fiskil.observe import CallAnswered
from catalog_sync.fiskil.observe import CallEvent
from catalog_sync.fiskil.observe import CallObserver

AUDIT_FORMAT = "catalog-sync-audit"
AUDIT_FORMAT_VERSION = 1
SYNC_EVERY = 64
"""Lines between fsyncs."""


def now_rfc3339() -> str:
    """Now, UTC, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class AuditLog:
    """Writes one record; thread-safe (calls arrive from the apply's worker threads)."""

    def __init__(self, path: Path, *, fsync: Callable[[int], None] = os.fsync) -> None:
        self.path = path
        self._fsync = fsync
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._events = 0
        self._unsynced = 0
        self._calls = 0

    def begin(self, header: dict[str, Any]) -> None:
        """Create the file (never overwriting one) with the header."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL
        self._fd = os.open(self.path, flags, 0o644)
        opening = {
            "format": AUDIT_FORMAT,
            "format_version": AUDIT_FORMAT_VERSION,
            "header": header,
        }
        # The opening object without its closing brace, then the events array.
        text = _dumps(opening)[:-1] + ', "events": [\n'
        self._write(text, sync=True)

    def event(self, kind: str, **fields: Any) -> None:
        """Append one event: `{"type": kind, "at": now, **fields}`."""
        line = _dumps({"type": kind, "at": now_rfc3339(), **fields})
        with self._lock:
            prefix = "," if self._events else ""
            self._events += 1
            self._write_locked(prefix + line + "\n", sync=False)

    def observer(self, phase: str) -> CallObserver:
        """A CallObserver for one client: its calls become `call`/`answer` events,
        numbered across the whole record, tagged with `phase` (apply, verify)."""
        numbers: dict[int, int] = {}

        def observe(event: CallEvent) -> None:
            if isinstance(event, CallAnswered):
                self.event(
                    "answer",
                    call=numbers.pop(event.call, 0),
                    status=event.status,
                    ms=round(event.seconds * 1000, 1),
                    request_id=event.request_id,
                    error=event.error,
                )
                return
            with self._lock:
                self._calls += 1
                numbers[event.call] = self._calls
            self.event(
                "call",
                call=numbers[event.call],
                phase=phase,
                method=event.method,
                path=event.path,
            )

        return observe

    def end(self, end: dict[str, Any]) -> None:
        """Close the events array and the document, fsync, and close the file."""
        with self._lock:
            if self._fd is None:
                return
            self._write_locked("], " + _dumps({"end": end})[1:] + "\n", sync=True)
            os.close(self._fd)
            self._fd = None

    def _write(self, text: str, *, sync: bool) -> None:
        with self._lock:
            self._write_locked(text, sync=sync)

    def _write_locked(self, text: str, *, sync: bool) -> None:
        if self._fd is None:
            return
        os.write(self._fd, text.encode("utf-8"))
        self._unsynced += 1
        if sync or self._unsynced >= SYNC_EVERY:
            self._fsync(self._fd)
            self._unsynced = 0


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
