"""Write the live catalog as product files: a folder per brand, a file per productId, keys
in CDS order, server-managed fields and nulls dropped, so that planning the exported
folder against the same live catalog shows no changes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog_sync.catalog.rules import product_id_problem
from catalog_sync.catalog.writer import dump_product_yaml
from catalog_sync.cds.normalize import SERVER_MANAGED_FIELDS
from catalog_sync.errors import CatalogSyncError
from catalog_sync.types import JSONObject


@dataclass(frozen=True, slots=True)
class ExportedFile:
    product_id: str
    path: Path


def export_catalog(live: Mapping[str, JSONObject], out_dir: Path) -> list[ExportedFile]:
    """Write one YAML file per product under `out_dir`; returns what was written.

    Every productId is checked before anything is written, so an unsafe one (`../x`,
    `a/b`, a leading dot) leaves the folder untouched.
    """
    planned = [
        (pid, out_dir / brand_folder(product) / f"{pid}.yaml", product)
        for pid, product in sorted(live.items())
    ]
    unsafe = [pid for pid, _, _ in planned if not is_safe_file_name(pid)]
    if unsafe:
        raise CatalogSyncError(
            f"cannot export productIds that are unsafe as file names: "
            f"{', '.join(repr(pid) for pid in unsafe[:10])}; nothing was written",
            hint="rename those products in the console, or export the others by hand",
        )
    _refuse_case_collisions(planned)
    root = out_dir.resolve()
    # After the name checks, a brand folder can still be a symlink leading elsewhere.
    outside = [
        path for _, path, _ in planned if not path.resolve().is_relative_to(root)
    ]
    if outside:
        raise CatalogSyncError(
            f"refusing to write {outside[0]} outside {out_dir} (a symlinked folder?); "
            "nothing was written",
            hint=f"export into a folder without symlinks, or remove them from {out_dir}",
        )
    written = []
    for pid, path, product in planned:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_product(product), encoding="utf-8")
        written.append(ExportedFile(pid, path))
    return written


def _refuse_case_collisions(planned: list[tuple[str, Path, JSONObject]]) -> None:
    """Files equal but for case are one file on macOS and Windows: the second would
    overwrite the first, and the next plan would retire or delete the lost product."""
    seen: dict[str, str] = {}
    clashes: list[str] = []
    for pid, path, _ in planned:
        first = seen.setdefault(path.as_posix().casefold(), pid)
        if first != pid:
            clashes.append(f"{first!r} and {pid!r}")
    if clashes:
        raise CatalogSyncError(
            "cannot export productIds that differ only in case into one folder: "
            f"{', '.join(clashes[:10])}; nothing was written",
            hint="rename one of each pair in the console, or export the others by hand",
        )


def is_safe_file_name(product_id: str) -> bool:
    """A valid productId (one safe URL path segment) that also makes a visible file
    name: the loader skips dot-files, so a leading dot would silently vanish."""
    return product_id_problem(product_id) is None and not product_id.startswith(".")


def brand_folder(product: Mapping[str, Any]) -> str:
    """`Wattle Bank` -> `wattle-bank` (from brandName, else brand)."""
    raw = str(product.get("brandName") or product.get("brand") or "unbranded")
    ascii_text = (
        unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "unbranded"


def exportable(product: Mapping[str, Any]) -> JSONObject:
    """The product as a file should hold it: server-managed fields and nulls gone."""
    return {
        key: _without_nulls(value)
        for key, value in product.items()
        if key not in SERVER_MANAGED_FIELDS and value is not None
    }


def dump_product(product: Mapping[str, Any]) -> str:
    """YAML text in CDS field order, through the one product-file writer."""
    return dump_product_yaml(
        exportable(product),
        header=("Exported from the live catalog by catalog-sync export.",),
    )


def _without_nulls(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value if item is not None]
    return value
