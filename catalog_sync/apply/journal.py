"""The crash-safe apply journal: one JSON line per intent and outcome, fsynced before and
after every write, so that the run after a crash can say what the crashed run completed.
Concurrent appends share fsyncs (group commit): each append still returns only once its
own line is on disk, but eight writers no longer queue for eight fsyncs in turn.

Recovery itself needs no journal: plans are computed from live state, so the next plan
holds only the remainder. The journal is for telling the user what happened.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import Literal

from catalog_sync.english import plural

JournalEvent = Literal["begin", "intent", "done", "failed"]


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One operation as the journal saw it; `outcome` is None when the run stopped
    between announcing the write and learning its result."""

    product_id: str
    action: str
    outcome: Literal["done", "failed"] | None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class InterruptedApply:
    """What a leftover journal says about the apply that did not finish."""

    path: Path
    total: int
    plan_digest: str | None
    entries: tuple[JournalEntry, ...]

    @property
    def completed(self) -> tuple[JournalEntry, ...]:
        return tuple(e for e in self.entries if e.outcome == "done")

    @property
    def failed(self) -> tuple[JournalEntry, ...]:
        return tuple(e for e in self.entries if e.outcome == "failed")

    @property
    def in_doubt(self) -> tuple[JournalEntry, ...]:
        """Writes that were sent but never confirmed: they may or may not have landed."""
        return tuple(e for e in self.entries if e.outcome is None)

    def describe(self) -> str:
        """A paragraph for the user, e.g. "the previous apply was interrupted: 7 of 10
        operations completed: …"."""
        done = self.completed
        lines = [
            f"the previous apply was interrupted: {len(done)} of {self.total} "
            f"{plural(self.total, 'operation')} completed" + (":" if done else ".")
        ]
        lines.extend(f"  done     {e.action} {e.product_id}" for e in done)
        lines.extend(
            f"  failed   {e.action} {e.product_id}: {e.error}" for e in self.failed
        )
        lines.extend(
            f"  unknown  {e.action} {e.product_id} (sent, result never seen)"
            for e in self.in_doubt
        )
        lines.append(
            "The plan is computed from the live catalog, so it now holds only what "
            "is left to do."
        )
        return "\n".join(lines)


def journal_path(state_dir: Path, environment: str) -> Path:
    """`<root>/.catalog-sync/journal-<env>.jsonl`."""
    return state_dir / f"journal-{environment}.jsonl"


class Journal:
    """Append-only, fsynced JSON lines; thread-safe because writes run in a pool.

    `fsync` is the call that makes the file durable (os.fsync; tests pass a slower or
    failing one)."""

    def __init__(self, path: Path, *, fsync: Callable[[int], None] = os.fsync) -> None:
        self.path = path
        self._fsync = fsync
        self._condition = threading.Condition()
        self._written = 0  # lines appended so far (the last one's sequence number)
        self._synced = 0  # every line up to this one is on disk
        self._syncing = False

    def begin(self, *, total: int, plan_digest: str | None) -> None:
        """Start a fresh journal for a run of `total` operations."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._condition:
            self.path.write_text("", encoding="utf-8")
        self._append({"event": "begin", "total": total, "plan_digest": plan_digest})

    def intent(self, product_id: str, action: str) -> None:
        """Recorded (and on disk) before the write is sent."""
        self._append({"event": "intent", "product_id": product_id, "action": action})

    def done(self, product_id: str, action: str) -> None:
        self._append({"event": "done", "product_id": product_id, "action": action})

    def failed(self, product_id: str, action: str, error: str) -> None:
        self._append(
            {
                "event": "failed",
                "product_id": product_id,
                "action": action,
                "error": error,
            }
        )

    def clear(self) -> None:
        """Remove the journal after a run that finished (cleanly or with reported
        failures): nothing is left in doubt."""
        with self._condition:
            self.path.unlink(missing_ok=True)

    def _append(self, record: dict[str, Any]) -> None:
        """Write the line, then return only once an fsync that began after the write
        has finished. One thread at a time runs the fsync, outside the lock, for every
        line written so far; the threads that wrote meanwhile wait for the next one."""
        line = (json.dumps(record, sort_keys=True) + "\n").encode("utf-8")
        with self._condition:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line)
                self._written += 1
                mine = self._written
                while self._synced < mine:
                    if self._syncing:
                        self._condition.wait()
                    else:
                        self._sync_written(fd)
            finally:
                os.close(fd)

    def _sync_written(self, fd: int) -> None:
        """fsync every line written so far; called holding the lock, which it lets go
        for the fsync itself. fsync is per file, not per descriptor: this caller's own
        descriptor flushes the other threads' lines too. If it fails, the error goes to
        this caller and the waiting threads try again themselves."""
        self._syncing = True
        covered = self._written
        try:
            self._condition.release()
            try:
                self._fsync(fd)
            finally:
                self._condition.acquire()
            self._synced = max(self._synced, covered)
        finally:
            self._syncing = False
            self._condition.notify_all()


def read_interrupted(path: Path) -> InterruptedApply | None:
    """The leftover journal of a run that did not finish, or None if there is none.

    A torn last line (the process died mid-write) is ignored: the intent it would
    have recorded was never followed by a write.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    records = list(_parse_lines(text.splitlines()))
    if not records:
        return None
    begin = records[0] if records[0].get("event") == "begin" else {}
    entries: dict[tuple[str, str], JournalEntry] = {}
    for record in records:
        key = (str(record.get("product_id")), str(record.get("action")))
        match record.get("event"):
            case "intent":
                entries[key] = JournalEntry(key[0], key[1], None)
            case "done":
                entries[key] = JournalEntry(key[0], key[1], "done")
            case "failed":
                entries[key] = JournalEntry(
                    key[0], key[1], "failed", str(record.get("error"))
                )
    total = begin.get("total")
    return InterruptedApply(
        path=path,
        total=total if isinstance(total, int) else len(entries),
        plan_digest=begin.get("plan_digest"),
        entries=tuple(entries.values()),
    )


def _parse_lines(lines: Iterable[str]) -> Iterable[dict[str, Any]]:
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict):
            yield record
