"""Write the live catalog as product files: a folder per brand, a file per productId, keys
in CDS order, server-managed fields and nulls dropped, so that planning the exported
folder against the same live catalog shows no changes. Files that exist are updated in
place (round trip: comments and layout kept), never replaced wholesale."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from typing import Literal

from catalog_sync.catalog.existing import ExistingFile
from catalog_sync.catalog.existing import index_existing
from catalog_sync.catalog.formatting import modeline_for
from catalog_sync.catalog.formatting import replace_file
from catalog_sync.catalog.roundtrip import rewrite_product
from catalog_sync.catalog.rules import product_id_problem
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
    planned = [
        (pid, out_dir / brand_folder(product) / f"{pid}.yaml", product)
        for pid, product in sorted(new.items())
    ]
    _refuse_unsafe(planned, out_dir)
    holders = {file.path: pid for pid, file in existing.by_product_id.items()}
    for _, path, _ in planned:
        if path in holders:
            raise CatalogSyncError(
                f"{path} holds productId {holders[path]!r}, not the one its name "
                "says; nothing was written",
                hint="rename the file after the productId it holds, then export again",
            )
    taken = [path for _, path, _ in planned if path.exists()]
    if taken and not force:
        raise CatalogSyncError(
            f"refusing to overwrite {taken[0]}: it does not hold a live product's "
            "productId; nothing was written",
            hint="move or rename that file, or pass --force to overwrite it",
        )
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


def _refuse_unsafe(planned: list[tuple[str, Path, JSONObject]], out_dir: Path) -> None:
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
