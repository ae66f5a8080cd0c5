"""Read a folder of product files (YAML as the catalog keeps them, or JSON) for seeding the
emulator as-is, e.g. to reproduce an exported catalog. Uses the project's hardened loader."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from catalog_sync.catalog.pipeline import load_tree
from catalog_sync.types import JSONObject

MAX_FILE_BYTES = 1_048_576
MAX_FILES = 20_000


class SeedError(ValueError):
    """A seed folder holds a file that is not a product."""


def load_seed_dir(directory: Path) -> list[JSONObject]:
    """Every product in `directory/**/*.{yaml,yml,json}`, sorted by path."""
    if not directory.is_dir():
        raise SeedError(f"{directory}: not a folder")
    products = _load_yaml(directory)
    for path in sorted(directory.rglob("*.json")):
        try:
            products.append(_product(json.loads(path.read_text("utf-8")), path))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SeedError(f"{path}: cannot read: {exc}") from exc
    return products


def _load_yaml(directory: Path) -> list[JSONObject]:
    result = load_tree(
        directory, root=directory, max_file_bytes=MAX_FILE_BYTES, max_files=MAX_FILES
    )
    if result.problems:
        lines = [problem.format_text() for problem in result.problems[:10]]
        raise SeedError("cannot seed from these files:\n" + "\n".join(lines))
    return [_product(doc.data, Path(doc.display_path)) for doc in result.documents]


def _product(data: Any, path: Path) -> JSONObject:
    if not isinstance(data, dict) or not isinstance(data.get("productId"), str):
        raise SeedError(f"{path}: not a product (a mapping with a productId string)")
    return dict(data)
