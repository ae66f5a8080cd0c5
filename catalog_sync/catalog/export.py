"""Write the live catalog as product files: a folder per brand, a file per productId, keys
in CDS order, server-managed fields and nulls dropped, so that planning the exported
folder against the same live catalog shows no changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from catalog_sync.catalog.layout import check_destinations
from catalog_sync.catalog.layout import product_file
from catalog_sync.catalog.writer import dump_product_yaml
from catalog_sync.cds.normalize import SERVER_MANAGED_FIELDS
from catalog_sync.errors import CatalogSyncError
from catalog_sync.types import JSONObject


@dataclass(frozen=True, slots=True)
class ExportedFile:
    product_id: str
    path: Path


def export_catalog(live: Mapping[str, JSONObject], out_dir: Path) -> list[ExportedFile]:
    """Write one YAML file per product under `out_dir` (`catalog.layout`); returns what
    was written. Every path is checked before anything is written, so a productId that
    cannot be a file name (not printable ASCII, or a name too long for a file system)
    leaves the folder untouched."""
    paths = {pid: product_file(live[pid], out_dir) for pid in sorted(live)}
    unsafe = [f"{pid!r} ({why})" for pid, why in paths.items() if isinstance(why, str)]
    if unsafe:
        raise CatalogSyncError(
            f"cannot export productIds that cannot be file names: "
            f"{'; '.join(unsafe[:10])}; nothing was written",
            hint="rename those products in the console, or export the others by hand",
        )
    files = [(pid, path) for pid, path in paths.items() if isinstance(path, Path)]
    check_destinations(files, out_dir, action="export")
    written = []
    for pid, path in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_product(live[pid]), encoding="utf-8")
        written.append(ExportedFile(pid, path))
    return written


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
