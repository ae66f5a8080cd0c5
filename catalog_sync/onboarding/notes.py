"""What a migration did to one product: each conversion, derivation and open question,
located by field path, so the files' comments and the report say the same thing."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from enum import StrEnum

from catalog_sync.catalog.placeholders import PLACEHOLDER as PLACEHOLDER
from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import PathKey
from catalog_sync.yaml.document import format_path

VERSIONS = ("v3", "v4", "v5", "v6", "v7")
TARGETS = ("cds-v7", "cds-v6")


class NoteKind(StrEnum):
    """Converted: mechanical, meaning unchanged. Derived: a fact the product states
    explicitly, never its name (the evidence is named). Needs-human: a placeholder or a
    value that could not be placed (the comment says why nothing was derived)."""

    CONVERTED = "converted"
    DERIVED = "derived"
    NEEDS_HUMAN = "needs-human"


@dataclass(frozen=True, slots=True)
class Note:
    """One thing the migration did or could not do, at `path` in the migrated product."""

    kind: NoteKind
    path: PathKey
    message: str
    evidence: str | None = None

    @property
    def where(self) -> str:
        """The field path as `fees[2].feeMethodUType` (`(product)` for the root)."""
        return format_path(self.path) or "(product)"

    def comment(self) -> str:
        """The text of the YAML comment written above the field."""
        text = f"migrate ({self.kind.value}): {self.message}"
        return f"{text}; evidence: {self.evidence}" if self.evidence else text


@dataclass(frozen=True, slots=True)
class Migration:
    """The result of migrating one product: new data, what happened, and from what."""

    data: JSONObject
    source_version: str
    version_evidence: tuple[str, ...]
    target: str
    notes: tuple[Note, ...] = ()
    changed: bool = False

    def of_kind(self, kind: NoteKind) -> list[Note]:
        """The notes of one kind, in the order they were made."""
        return [note for note in self.notes if note.kind is kind]


@dataclass(slots=True)
class Recorder:
    """Collects notes while one product is migrated (one per product, never shared)."""

    notes: list[Note] = field(default_factory=list)

    def converted(self, path: PathKey, message: str) -> None:
        self.notes.append(Note(NoteKind.CONVERTED, path, message))

    def derived(self, path: PathKey, message: str, evidence: str) -> None:
        self.notes.append(Note(NoteKind.DERIVED, path, message, evidence))

    def needs_human(self, path: PathKey, message: str) -> None:
        self.notes.append(Note(NoteKind.NEEDS_HUMAN, path, message))
