"""Read saved product-detail responses from a folder: JSON or YAML, with or without the
`{data: ...}` envelope (a list response's `data.products` works too). Never follows a
symlink; every unreadable file becomes a located problem, never an exception."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog_sync.catalog.sources import SourceFile
from catalog_sync.catalog.sources import display_path_for
from catalog_sync.catalog.sources import read_source
from catalog_sync.problems import Problem
from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes

SAVED_SUFFIXES = (".json", ".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class SavedProduct:
    """One product read from a saved response, and where it came from."""

    source: str
    data: JSONObject


def read_saved_products(
    directory: Path, *, root: Path, max_file_bytes: int
) -> tuple[list[SavedProduct], list[Problem]]:
    """Every product in `directory/**/*.{json,yaml,yml}`, in path order, and the problems
    of the files that could not be read as products."""
    products: list[SavedProduct] = []
    problems: list[Problem] = []
    files = list(_saved_files(directory, root, problems))
    if not files and not problems:
        problems.append(
            Problem(
                display_path_for(directory, root),
                0,
                0,
                "",
                "no saved responses (*.json, *.yaml, *.yml) in this folder",
                "point --from-dir at the folder that holds the saved product details",
                "import.empty",
            )
        )
    for source in files:
        raw = read_source(source, max_file_bytes=max_file_bytes)
        if isinstance(raw, Problem):
            problems.append(raw)
            continue
        parsed = _parse(raw, source)
        if isinstance(parsed, Problem):
            problems.append(parsed)
            continue
        found = unwrap_response(parsed)
        if isinstance(found, str):
            problems.append(
                Problem(
                    source.display_path, 1, 1, "", found, None, "import.not-a-product"
                )
            )
            continue
        products.extend(SavedProduct(source.display_path, item) for item in found)
    return products, problems


def unwrap_response(raw: Any) -> list[JSONObject] | str:
    """The product(s) in a saved body, or why there are none. Accepts a bare product,
    `{data: product}` and `{data: {products: [...]}}`."""
    body = (
        raw.get("data", raw)
        if isinstance(raw, dict) and "productId" not in raw
        else raw
    )
    if isinstance(body, dict) and isinstance(body.get("products"), list):
        items = [item for item in body["products"] if isinstance(item, dict)]
        return items or "the products list is empty"
    if isinstance(body, dict) and "productId" in body:
        return [body]
    return "not a product: no productId (expected a product, {data: product} or {data: {products: [...]}})"


def _parse(raw: bytes, source: SourceFile) -> Any:
    if source.path.suffix != ".json":
        loaded = load_yaml_bytes(raw, source.display_path, path=source.path)
        return loaded.data if isinstance(loaded, Document) else loaded[0]
    where = source.display_path
    try:
        # A byte-order mark is how some Windows tools save UTF-8; it is not content.
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        return json.loads(text, parse_constant=_no_constant)
    except UnicodeDecodeError as exc:
        message, line, col = f"not UTF-8 at byte {exc.start}", 1, 1
    except json.JSONDecodeError as exc:
        message, line, col = f"invalid JSON: {exc.msg}", exc.lineno, exc.colno
    except (ValueError, RecursionError) as exc:
        message, line, col = f"invalid JSON: {exc}", 1, 1
    code = "import.encoding" if message.startswith("not UTF-8") else "import.json"
    return Problem(where, line, col, "", message, None, code)


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (RFC 8259) and no CDS field can hold them.
    raise ValueError(f"{name} is not a JSON value")


def _saved_files(
    directory: Path, root: Path, problems: list[Problem]
) -> Iterator[SourceFile]:
    shown = display_path_for(directory, root)
    if not directory.is_dir() or directory.is_symlink():
        problems.append(
            Problem(
                shown,
                0,
                0,
                "",
                "not a folder (or a symbolic link)",
                "point --from-dir at a folder of saved responses",
                "import.not-a-folder",
            )
        )
        return
    for folder, dirs, files in os.walk(
        directory
    ):  # os.walk never follows symlinked dirs
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.startswith(".") or not name.endswith(SAVED_SUFFIXES):
                continue
            if path.is_symlink():
                problems.append(
                    Problem(
                        display_path_for(path, root),
                        0,
                        0,
                        "",
                        "symbolic links are not followed",
                        None,
                        "file.symlink",
                    )
                )
                continue
            yield SourceFile(path, display_path_for(path, root), path.lstat().st_size)
