"""Write imported products as files in the repository's layout (`catalog.layout`),
exactly as served: `migrate` upgrades them.

Never overwrites a file unless asked (so a re-run resumes and never clobbers edits), never
writes outside `out`, and reports every product it skipped, with the reason."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from pathlib import Path

from catalog_sync.catalog.layout import check_destinations
from catalog_sync.catalog.layout import product_file
from catalog_sync.catalog.writer import dump_product_yaml
from catalog_sync.onboarding.saved import SavedProduct
from catalog_sync.onboarding.saved import read_saved_products
from catalog_sync.problems import Problem


@dataclass(frozen=True, slots=True)
class Imported:
    """A product file written (or left alone because it already existed)."""

    product_id: str
    path: Path
    source: str
    written: bool


@dataclass(frozen=True, slots=True)
class Skipped:
    """A product that was read but not written, and why."""

    source: str
    product_id: str
    reason: str
    chosen: bool = False
    """True when leaving it out was asked for (--brand) or a newer copy of the same
    product was written instead. Any other skip loses a product: import exits 1."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Everything an import did: files, skipped products, unreadable sources."""

    imported: tuple[Imported, ...]
    skipped: tuple[Skipped, ...]
    problems: tuple[Problem, ...]


def import_from_dir(
    directory: Path,
    out_dir: Path,
    *,
    brand: str | None = None,
    overwrite: bool = False,
    max_file_bytes: int = 4 * 1024 * 1024,
    schema_file: Path | None = None,
) -> ImportResult:
    """Import every saved product under `directory` into `out_dir`. Sources are named
    relative to the folder's parent (`captures/up/up-saver.json`)."""
    products, problems = read_saved_products(
        directory, root=directory.parent, max_file_bytes=max_file_bytes
    )
    result = write_products(
        products, out_dir, brand=brand, overwrite=overwrite, schema_file=schema_file
    )
    return ImportResult(result.imported, result.skipped, (*problems, *result.problems))


def write_products(
    products: Sequence[SavedProduct],
    out_dir: Path,
    *,
    brand: str | None = None,
    overwrite: bool = False,
    schema_file: Path | None = None,
) -> ImportResult:
    """Write `products` as files; with duplicates, the newest `lastUpdated` wins.
    With `schema_file`, each file's first line points editors at it."""
    skipped: list[Skipped] = []
    chosen: dict[str, SavedProduct] = {}
    for product in products:
        pid = str(product.data.get("productId"))
        path = product_file(product.data, Path())
        if isinstance(path, str):
            skipped.append(Skipped(product.source, pid, path))
            continue
        if not _of_brand(product, brand):
            skipped.append(
                Skipped(product.source, pid, f"brand is not {brand!r}", chosen=True)
            )
            continue
        kept, dropped = _newer(chosen.get(pid), product)
        chosen[pid] = kept
        if dropped is not None:
            skipped.append(
                Skipped(
                    dropped.source,
                    pid,
                    f"duplicate productId: kept {kept.source} (newer lastUpdated)",
                    chosen=True,
                )
            )
    ordered = sorted(chosen.items())
    check_destinations(
        ((pid, _path(product, out_dir)) for pid, product in ordered),
        out_dir,
        action="import",
    )
    imported = [
        _write(product, out_dir, overwrite=overwrite, schema_file=schema_file)
        for _, product in ordered
    ]
    return ImportResult(tuple(imported), tuple(skipped), ())


def _of_brand(product: SavedProduct, brand: str | None) -> bool:
    return brand is None or brand.casefold() in {
        str(product.data.get(key, "")).casefold() for key in ("brand", "brandName")
    }


def _newer(
    current: SavedProduct | None, candidate: SavedProduct
) -> tuple[SavedProduct, SavedProduct | None]:
    if current is None:
        return candidate, None
    if _last_updated(candidate) > _last_updated(current):
        return candidate, current
    return current, candidate


def _last_updated(product: SavedProduct) -> datetime:
    """The product's lastUpdated in UTC; unreadable or missing sorts first."""
    try:
        moment = datetime.fromisoformat(str(product.data.get("lastUpdated")))
    except ValueError:
        return datetime.min
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def _path(product: SavedProduct, out_dir: Path) -> Path:
    path = product_file(product.data, out_dir)
    assert isinstance(path, Path), "write_products refuses unsafe productIds first"
    return path


def _write(
    product: SavedProduct, out_dir: Path, *, overwrite: bool, schema_file: Path | None
) -> Imported:
    pid = str(product.data["productId"])
    path = _path(product, out_dir)
    if path.exists() and not overwrite:
        return Imported(pid, path, product.source, written=False)
    modeline = [] if schema_file is None else [_modeline(schema_file, path)]
    header = [
        *modeline,
        f"Imported from {product.source} by catalog-sync import, as served.",
        "Run `catalog-sync migrate` to bring it to the current CDS version.",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_product_yaml(product.data, header=header), encoding="utf-8")
    return Imported(pid, path, product.source, written=True)


def _modeline(schema_file: Path, path: Path) -> str:
    """`yaml-language-server: $schema=…` (the writer adds the `# `), relative to the
    file's folder, for editors."""
    relative = os.path.relpath(schema_file, start=path.parent.resolve())
    return f"yaml-language-server: $schema={Path(relative).as_posix()}"
