"""Migrate product files on disk: load each with the catalog loader, migrate it, write it
back (only if something changed, so a re-run is a no-op) and validate the result, so the
report can say exactly what is left for a human, with file and line."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from catalog_sync.catalog.sources import SourceFile
from catalog_sync.catalog.sources import find_sources
from catalog_sync.catalog.sources import read_source
from catalog_sync.catalog.validate import validate_document
from catalog_sync.catalog.writer import dump_product_yaml
from catalog_sync.onboarding.migrate import find_placeholders
from catalog_sync.onboarding.migrate import migrate_product
from catalog_sync.onboarding.notes import Migration
from catalog_sync.onboarding.notes import Note
from catalog_sync.onboarding.notes import NoteKind
from catalog_sync.problems import Problem
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.document import format_path
from catalog_sync.yaml.loader import load_yaml_bytes


@dataclass(frozen=True, slots=True)
class Open:
    """Something a human must decide, located in the migrated file."""

    line: int
    col: int
    path: str
    message: str


@dataclass(frozen=True, slots=True)
class FileMigration:
    """One file's migration: what was done, whether it was written, what is left."""

    display_path: str
    product_id: str | None
    migration: Migration | None
    written: bool
    open_items: tuple[Open, ...]
    problems: tuple[Problem, ...]

    @property
    def is_valid(self) -> bool:
        """The file now passes validate under the target schema."""
        return not self.problems


def migrate_files(
    products_dir: Path,
    *,
    root: Path,
    paths: Sequence[Path] | None = None,
    to: str = "cds-v7",
    source_version: str | None = None,
    dry_run: bool = False,
    max_file_bytes: int = 1_048_576,
    max_files: int = 20_000,
    extension_prefixes: Sequence[str] = (),
) -> tuple[list[FileMigration], list[Problem]]:
    """Migrate every product file under `products_dir` (or `paths`); also returns the
    problems met while finding files (symlinks, missing paths)."""
    found = find_sources(products_dir, root=root, max_files=max_files, paths=paths)
    if found.too_many:  # like validate: over the count cap, touch nothing
        return [], list(found.problems)
    results = [
        migrate_file(
            source,
            to=to,
            source_version=source_version,
            dry_run=dry_run,
            max_file_bytes=max_file_bytes,
            extension_prefixes=extension_prefixes,
        )
        for source in found.sources
    ]
    return results, list(found.problems)


def migrate_file(
    source: SourceFile,
    *,
    to: str,
    source_version: str | None,
    dry_run: bool,
    max_file_bytes: int,
    extension_prefixes: Sequence[str] = (),
) -> FileMigration:
    """Migrate one file (see `migrate_files`)."""
    raw = read_source(source, max_file_bytes=max_file_bytes)
    loaded = (
        raw
        if isinstance(raw, Problem)
        else load_yaml_bytes(raw, source.display_path, path=source.path)
    )
    if not isinstance(loaded, Document):
        problems = (loaded,) if isinstance(loaded, Problem) else tuple(loaded)
        return FileMigration(source.display_path, None, None, False, (), problems)
    migration = migrate_product(loaded.data, to=to, source_version=source_version)
    doc = loaded
    if migration.changed:
        assert isinstance(raw, bytes)
        # utf-8-sig: a byte-order mark must not hide the header comment after it.
        text = render_migrated(migration, previous=raw.decode("utf-8-sig"))
        reloaded = load_yaml_bytes(
            text.encode("utf-8"), source.display_path, path=source.path
        )
        # Checked before writing: a bug here must never replace the user's file.
        assert isinstance(reloaded, Document), "migrate wrote YAML the loader refuses"
        if not dry_run:
            _replace(source.path, text)
        doc = reloaded
    pid = doc.data.get("productId")
    return FileMigration(
        display_path=source.display_path,
        product_id=pid if isinstance(pid, str) else None,
        migration=migration,
        written=migration.changed and not dry_run,
        open_items=tuple(_open_items(doc, migration)),
        problems=tuple(
            validate_document(doc, to, extension_prefixes=extension_prefixes)
        ),
    )


def render_migrated(migration: Migration, *, previous: str = "") -> str:
    """The migrated file's text: the previous file's own header comments, a line saying
    what migrate did, the product, and comments on every derived or open field."""
    kept = _own_header(previous)
    counts = {kind: len(migration.of_kind(kind)) for kind in NoteKind}
    summary = (
        f"Migrated from CDS {migration.source_version.upper()} to {migration.target} by "
        f"catalog-sync migrate: {counts[NoteKind.CONVERTED]} converted, "
        f"{counts[NoteKind.DERIVED]} derived, {counts[NoteKind.NEEDS_HUMAN]} need a human "
        "(search for 'needs-human')."
    )
    notes = [
        n for n in migration.notes if n.kind is not NoteKind.CONVERTED or not n.path
    ]
    return dump_product_yaml(migration.data, header=[*kept, summary], notes=notes)


def _open_items(doc: Document, migration: Migration) -> list[Open]:
    notes = migration.of_kind(NoteKind.NEEDS_HUMAN)
    covered = {note.path for note in notes}
    items = [_located(doc, note) for note in notes]
    for path in find_placeholders(doc.data):
        if path not in covered:
            message = "placeholder left by migrate: replace it with the real value"
            items.append(_located(doc, Note(NoteKind.NEEDS_HUMAN, path, message)))
    return sorted(items, key=lambda item: (item.line, item.col, item.path))


def _located(doc: Document, note: Note) -> Open:
    line, col = doc.position_of(note.path, key=True)
    return Open(line, col, format_path(note.path), note.message)


def _own_header(text: str) -> list[str]:
    """The file's leading comments, without those an earlier migrate wrote (a wrapped
    comment's continuation lines are indented and go with their first line)."""
    kept: list[str] = []
    dropping = False
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].removeprefix(" ")
        if body.startswith("  "):
            if not dropping and kept:
                kept[-1] += " " + body.strip()
            continue
        dropping = body.startswith(("migrate", "Migrated"))
        if not dropping:
            kept.append(body.strip())
    return kept


def _replace(path: Path, text: str) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of one."""
    temporary = path.with_name(f".{path.name}.migrate-tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
