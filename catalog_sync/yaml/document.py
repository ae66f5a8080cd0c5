"""A loaded product file: its data plus the source position of every node."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

from catalog_sync.types import JSONObject

PathKey = tuple[str | int, ...]
"""A field path as a tuple of mapping keys and sequence indexes, `()` for the root."""


@dataclass(frozen=True, slots=True)
class Document:
    """One product file as loaded: `data` is plain JSON-compatible data.

    `positions` maps a field path to the 1-based (line, col) of its *value* in the file;
    `key_positions` maps it to the position of its key (for "unknown field" problems).
    `scalar_text` keeps the literal source text of every plain (unquoted) scalar that was
    resolved to a non-string (number, boolean, null), so that a type error can say
    "quote this value: '0123'" with the exact text the user wrote. `digest` is the
    sha256 of the file's bytes.
    """

    path: Path
    display_path: str
    data: JSONObject
    positions: Mapping[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: Mapping[PathKey, tuple[int, int]] = field(default_factory=dict)
    scalar_text: Mapping[PathKey, str] = field(default_factory=dict)
    digest: str = ""

    def position_of(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that has one."""
        table = self.key_positions if key else self.positions
        for end in range(len(path), -1, -1):
            found = table.get(path[:end]) or self.positions.get(path[:end])
            if found:
                return found
        return (1, 1)


def format_path(path: PathKey) -> str:
    """`("fees", 2, "amount")` -> `fees[2].amount`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
