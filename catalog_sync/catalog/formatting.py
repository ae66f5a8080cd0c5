"""`fmt`: every product file in the one canonical layout (see `roundtrip`), comments kept.
Files are found and read the way validation reads them (no symlinks, size caps) and parsed
by the hardened loader first; a file it refuses is reported, never rewritten."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from catalog_sync.catalog.roundtrip import rewrite_product
from catalog_sync.catalog.roundtrip import schema_modeline
from catalog_sync.catalog.sources import find_sources
from catalog_sync.catalog.sources import load_sources
from catalog_sync.config.model import Config
from catalog_sync.problems import Problem
from catalog_sync.yaml.loader import sorted_problems

SCHEMAS_FOLDER = "schemas"
"""Where `init` puts the editor's copy of the JSON Schemas, at the catalog root."""


@dataclass(frozen=True, slots=True)
class Formatted:
    """One product file whose canonical text differs from what is on disk."""

    path: Path
    display_path: str
    text: str


@dataclass(frozen=True, slots=True)
class FormatRun:
    """The files to rewrite, how many were looked at, and the files that could not be read."""

    changed: tuple[Formatted, ...]
    files_checked: int
    problems: tuple[Problem, ...]


def format_catalog(config: Config, paths: Sequence[Path] | None = None) -> FormatRun:
    """The canonical text of every product file (or of `paths`) that is not canonical.
    Pure apart from reading: the caller decides whether to write or only report."""
    found = find_sources(
        config.products_dir, root=config.root, max_files=config.max_files, paths=paths
    )
    problems = list(found.problems)
    changed: list[Formatted] = []
    sources = () if found.too_many else found.sources
    loaded = load_sources(
        sources, max_file_bytes=config.max_file_bytes, problems=problems
    )
    for source, data, doc in loaded:
        text = data.decode("utf-8")
        modeline = modeline_for(source.path, config)
        canonical = rewrite_product(text, doc.data, modeline=modeline)
        if canonical != text:
            changed.append(Formatted(source.path, source.display_path, canonical))
    return FormatRun(tuple(changed), len(sources), tuple(sorted_problems(problems)))


def modeline_for(path: Path, config: Config) -> str:
    """The `# yaml-language-server: $schema=…` line for a product file at `path`:
    the catalog's schema copy, relative to the file's folder."""
    schema = config.root / SCHEMAS_FOLDER / f"{config.schema}.json"
    relative = os.path.relpath(schema, start=path.parent.resolve())
    return schema_modeline(Path(relative).as_posix())


def replace_file(path: Path, text: str) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half of one.
    The temporary name starts with a dot, so the loader never reads it as a product."""
    temporary = path.with_name(f".{path.name}.catalog-sync-tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
