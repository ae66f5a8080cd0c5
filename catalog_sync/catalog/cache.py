"""The validation cache: per-file results keyed by content hash, so an unchanged catalog
validates without parsing a single file.

One JSON file per schema in `.catalog-sync/`. Its key covers the cache format, the tool
version, the schema's fingerprint, the extension prefixes and the source of the modules
that produce problems, so edits, schema and config changes and upgrades all invalidate it. Entries store a file's load and
schema problems (without its path, which is re-attached on use) and the `ProductFacts`
the catalog rules need. A missing, corrupt or foreign cache is simply empty.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog_sync import __version__
from catalog_sync.catalog.rules import ProductFacts
from catalog_sync.problems import Problem

CACHE_FORMAT = 1
_CATALOG_PACKAGE = Path(__file__).resolve().parent


@dataclass(frozen=True, slots=True)
class CachedFile:
    """What validation found for one file's bytes: problems, and facts if it loaded."""

    problems: tuple[Problem, ...]
    facts: ProductFacts | None


def cache_key(
    schema_name: str, schema_fingerprint: str, extension_prefixes: Sequence[str] = ()
) -> str:
    """The key a cache must carry to be trusted for `schema_name` with this tool and
    these extension prefixes (they decide which fields are allowed)."""
    code = hashlib.sha256()
    for source in sorted(_CATALOG_PACKAGE.glob("*.py")):
        code.update(source.name.encode() + b"\0" + source.read_bytes())
    parts = [
        str(CACHE_FORMAT),
        __version__,
        schema_name,
        schema_fingerprint,
        ",".join(extension_prefixes),
    ]
    return hashlib.sha256("|".join([*parts, code.hexdigest()]).encode()).hexdigest()


class ValidationCache:
    """Entries by sha256 of file bytes; `save` writes atomically (tmp + os.replace)."""

    def __init__(self, path: Path, key: str, entries: dict[str, Any]) -> None:
        self.path = path
        self.key = key
        self._entries = entries
        self._used: set[str] = set()
        self._changed = False

    @classmethod
    def open(cls, state_dir: Path, *, schema_name: str, key: str) -> ValidationCache:
        """The cache for `schema_name` under `state_dir`; empty unless its key matches."""
        path = state_dir / f"validate-cache-{schema_name}.json"
        return cls(path, key, _read_entries(path, key))

    def get(self, digest: str, display_path: str) -> CachedFile | None:
        """The cached result for these bytes, now shown as `display_path`, if any."""
        raw = self._entries.get(digest)
        if raw is None:
            return None
        try:
            found = _decode(raw, display_path)
        except (KeyError, TypeError, ValueError, IndexError):
            return None  # a damaged entry is a miss, never an error
        self._used.add(digest)
        return found

    def put(
        self, digest: str, problems: Sequence[Problem], facts: ProductFacts | None
    ) -> None:
        """Remember the result for these bytes."""
        self._entries[digest] = {
            "problems": [_encode_problem(problem) for problem in problems],
            "facts": facts.to_json() if facts is not None else None,
        }
        self._used.add(digest)
        self._changed = True

    def save(self, *, prune: bool) -> None:
        """Write the cache if it changed; with `prune`, keep only entries used this run.

        Failing to write (read-only checkout, full disk) is ignored: it is only a cache.
        """
        if prune and set(self._entries) != self._used:
            self._entries = {d: e for d, e in self._entries.items() if d in self._used}
            self._changed = True
        if not self._changed:
            return
        body = json.dumps(
            {"format": CACHE_FORMAT, "key": self.key, "entries": self._entries},
            separators=(",", ":"),
        )
        try:
            _write_atomically(self.path, body)
        except OSError:
            return
        self._changed = False


def _read_entries(path: Path, key: str) -> dict[str, Any]:
    try:
        raw = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict) or raw.get("key") != key:
        return {}
    entries = raw.get("entries")
    return entries if isinstance(entries, dict) else {}


def _write_atomically(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise


def _encode_problem(problem: Problem) -> list[Any]:
    return [
        problem.line,
        problem.col,
        problem.path,
        problem.message,
        problem.hint,
        problem.code,
    ]


def _decode(raw: dict[str, Any], display_path: str) -> CachedFile:
    problems = tuple(_decode_problem(item, display_path) for item in raw["problems"])
    facts_raw = raw["facts"]
    facts = (
        ProductFacts.from_json(facts_raw, display_path)
        if facts_raw is not None
        else None
    )
    return CachedFile(problems, facts)


def _decode_problem(item: Iterable[Any], display_path: str) -> Problem:
    line, col, path, message, hint, code = item
    if not all(isinstance(v, str) for v in (path, message, code)):
        raise TypeError("malformed cached problem")
    return Problem(
        display_path,
        int(line),
        int(col),
        path,
        message,
        str(hint) if hint else None,
        code,
    )
