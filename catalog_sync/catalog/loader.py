"""Load a tree of product files into `Document`s: every file found safely (`sources`),
each parsed by the hardened YAML loader, all problems at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from catalog_sync.catalog.sources import find_sources
from catalog_sync.catalog.sources import read_source
from catalog_sync.problems import Problem
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes
from catalog_sync.yaml.loader import sorted_problems


@dataclass(frozen=True, slots=True)
class LoadResult:
    """Every document that loaded cleanly, and every problem found on the way."""

    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]


def load_tree(
    products_dir: Path,
    *,
    root: Path,
    max_file_bytes: int,
    max_files: int,
    paths: Sequence[Path] | None = None,
) -> LoadResult:
    """Load `products_dir/**/*.y{a,}ml` (or just `paths`), sorted by display path.

    Caps apply before any parsing: more than `max_files` files loads nothing, and a file
    over `max_file_bytes` is never read. Symlinks are reported and never opened.
    """
    found = find_sources(products_dir, root=root, max_files=max_files, paths=paths)
    problems = list(found.problems)
    documents: list[Document] = []
    if found.too_many:
        return LoadResult((), tuple(problems))
    for source in found.sources:
        data = read_source(source, max_file_bytes=max_file_bytes)
        if isinstance(data, Problem):
            problems.append(data)
            continue
        loaded = load_yaml_bytes(data, source.display_path, path=source.path)
        if isinstance(loaded, Document):
            documents.append(loaded)
        else:
            problems.extend(loaded)
    return LoadResult(tuple(documents), tuple(sorted_problems(problems)))
