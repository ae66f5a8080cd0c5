"""Write the live catalog as product files: a folder per brand, a file per productId, keys
in CDS order, server-managed fields and nulls dropped, so that planning the exported
folder against the same live catalog shows no changes. Files that exist are updated in
place (round trip: comments and layout kept), never replaced wholesale."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import Literal

from catalog_sync.catalog.existing import ExistingFile
from catalog_sync.catalog.existing import index_existing
from catalog_sync.catalog.formatting import modeline_for
from catalog_sync.catalog.formatting import replace_file
from catalog_sync.catalog.layout import check_destinations
from catalog_sync.catalog.layout import product_file
from catalog_sync.catalog.roundtrip import rewrite_product
from catalog_sync.catalog.writer import dump_product_yaml
from catalog_sync.cds.normalize import SERVER_MANAGED_FIELDS
from catalog_sync.config.model import Config
from catalog_sync.errors import CatalogSyncError
from catalog_sync.types import JSONObject


@dataclass(frozen=True, slots=True)
class ExportedFile:
    product_id: str
    path: Path
    status: Literal["created", "updated", "unchanged"]


def export_catalog(
    live: Mapping[str, JSONObject],
    out_dir: Path,
    *,
    config: Config,
    force: bool = False,
) -> list[ExportedFile]:
    """Write each live product under `out_dir`; returns what was done to each.

    A product that a file already holds (wherever it is) is updated in that file: only
    the values that differ change, its comments and layout stay. A new product gets
    `<brand>/<productId>.yaml`. Nothing is written at all when a file cannot be read
    (it may hold a product), or a new file's path is taken, unless `force`, which
    overwrites those. Every productId is checked first: an unsafe one (`../x`, `a/b`, a
    leading dot) leaves the folder untouched.
    """
    existing = index_existing(out_dir, config)
    if existing.problems and not force:
        listed = "\n  ".join(p.format_text() for p in existing.problems[:10])
        raise CatalogSyncError(
            f"cannot read {len(existing.problems)} existing file(s) in {out_dir}, so "
            f"export cannot tell which products they hold; nothing was written:\n  "
            f"{listed}",
            hint="fix them (catalog-sync validate shows how), or pass --force to "
            "write the live products anyway",
        )
    new = {pid: p for pid, p in live.items() if pid not in existing.by_product_id}
    destinations = {pid: product_file(product, out_dir) for pid, product in new.items()}
    unsafe = sorted(pid for pid, path in destinations.items() if isinstance(path, str))
    if unsafe:
        raise CatalogSyncError(
            "cannot export productIds that cannot be file names: "
            + "; ".join(f"{pid!r} ({destinations[pid]})" for pid in unsafe[:10])
            + "; nothing was written",
            hint="rename those products in the console, or export the others by hand",
        )
    planned = [
        (pid, path, new[pid])
        for pid, path in sorted(destinations.items())
        if isinstance(path, Path)
    ]
    check_destinations(
        [(pid, path) for pid, path, _ in planned], out_dir, action="export"
    )
    holders = {file.path: pid for pid, file in existing.by_product_id.items()}
    for _, path, _ in planned:
        if path in holders:
            raise CatalogSyncError(
                f"{path} holds productId {holders[path]!r}, not the one its name "
                "says; nothing was written",
                hint="rename the file after the productId it holds, then export again",
            )
    # A new product's path cannot be taken here without `force`: a file there either
    # holds a product (indexed above) or could not be read (refused above).
    results = [
        _update(pid, existing.by_product_id[pid], product, config)
        for pid, product in sorted(live.items())
        if pid in existing.by_product_id
    ]
    for pid, path, product in planned:
        text = dump_product(product)
        canonical = rewrite_product(
            text, exportable(product), modeline=modeline_for(path, config)
        )
        results.append(_Pending(pid, path, canonical, "created"))
    for result in results:
        if result.status != "unchanged":
            result.path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(result.path, result.text)
    return sorted(
        (ExportedFile(r.product_id, r.path, r.status) for r in results),
        key=lambda exported: exported.product_id,
    )


@dataclass(frozen=True, slots=True)
class _Pending:
    product_id: str
    path: Path
    text: str
    status: Literal["created", "updated", "unchanged"]


def _update(
    product_id: str, existing: ExistingFile, product: JSONObject, config: Config
) -> _Pending:
    modeline = modeline_for(existing.path, config)
    text = rewrite_product(existing.text, exportable(product), modeline=modeline)
    status: Literal["updated", "unchanged"] = (
        "unchanged" if text == existing.text else "updated"
    )
    return _Pending(product_id, existing.path, text, status)


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
