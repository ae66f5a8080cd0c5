"""The product files already in a folder, indexed by productId, so `export` can update
each product in the file that holds it (wherever that is) instead of writing a second
copy beside it. Read like validation reads: no symlinks, size caps, the hardened loader."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalog_sync.catalog.sources import find_sources
from catalog_sync.catalog.sources import load_sources
from catalog_sync.config.model import Config
from catalog_sync.problems import Problem
from catalog_sync.types import JSONObject


@dataclass(frozen=True, slots=True)
class ExistingFile:
    """A product file as found: where, its text, what it holds."""

    path: Path
    text: str
    data: JSONObject


@dataclass(frozen=True, slots=True)
class ExistingFiles:
    """Files by the productId they hold (the first by path when two hold one), the
    paths of every file found, and the problems of the files that could not be read."""

    by_product_id: dict[str, ExistingFile]
    paths: frozenset[Path]
    problems: tuple[Problem, ...]


def index_existing(folder: Path, config: Config) -> ExistingFiles:
    """Every readable product file under `folder` (nothing when it does not exist)."""
    if not folder.is_dir():
        return ExistingFiles({}, frozenset(), ())
    found = find_sources(
        folder, root=config.root, max_files=config.max_files, paths=[folder]
    )
    problems = list(found.problems)
    by_id: dict[str, ExistingFile] = {}
    loaded = load_sources(
        found.sources, max_file_bytes=config.max_file_bytes, problems=problems
    )
    for source, data, doc in loaded:
        product_id = str(doc.data.get("productId", ""))
        by_id.setdefault(product_id, ExistingFile(source.path, data.decode(), doc.data))
    paths = frozenset(source.path for source in found.sources)
    return ExistingFiles(by_id, paths, tuple(problems))
