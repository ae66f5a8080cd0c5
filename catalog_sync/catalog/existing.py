"""The product files already in a folder, indexed by productId, so `export` can update
each product in the file that holds it (wherever that is) instead of writing a second
copy beside it. Read like validation reads: no symlinks, size caps, the hardened loader."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from catalog_sync.catalog.sources import find_sources
from catalog_sync.catalog.sources import read_source
from catalog_sync.config.model import Config
from catalog_sync.problems import Problem
from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes


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
    for source in found.sources:
        data = read_source(source, max_file_bytes=config.max_file_bytes)
        if isinstance(data, Problem):
            problems.append(data)
            continue
        loaded = load_yaml_bytes(data, source.display_path, path=source.path)
        if not isinstance(loaded, Document):
            problems.extend(loaded)
            continue
        product_id = str(loaded.data.get("productId", ""))
        existing = ExistingFile(source.path, data.decode("utf-8"), loaded.data)
        by_id.setdefault(product_id, existing)
    paths = frozenset(source.path for source in found.sources)
    return ExistingFiles(by_id, paths, tuple(problems))
