"""Where product files go: `<out>/<brand-folder>/<productId>.yaml`. The one place that
decides a product's file path, and that refuses, before anything is written, a
productId that cannot be a file name, two files that differ only in case, and a path
that a symlinked folder would lead outside the output folder. Used by export and import.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from catalog_sync.catalog.rules import product_id_problem
from catalog_sync.errors import CatalogSyncError


def product_file(product: Mapping[str, Any], out_dir: Path) -> Path | str:
    """Where `product` is written, or why its productId cannot be a file name."""
    pid = product.get("productId")
    if not isinstance(pid, str):
        return "productId is not a string"
    problem = file_name_problem(pid)
    if problem is not None:
        return f"{problem}: it cannot be a file name"
    return out_dir / brand_folder(product) / f"{pid}.yaml"


def file_name_problem(product_id: str) -> str | None:
    """Why `product_id` cannot name a file, or None. A valid productId is one safe URL
    path segment; it must also not start with a dot, or the loader (which skips
    dot-files) would silently never read it back."""
    problem = product_id_problem(product_id)
    if problem is None and product_id.startswith("."):
        return "productId starts with a dot"
    return problem


def brand_folder(product: Mapping[str, Any]) -> str:
    """`Wattle Bank` -> `wattle-bank` (from brandName, else brand)."""
    raw = str(product.get("brandName") or product.get("brand") or "unbranded")
    ascii_text = (
        unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "unbranded"


def check_destinations(
    files: Iterable[tuple[str, Path]], out_dir: Path, *, action: str
) -> None:
    """Refuse (CatalogSyncError) the whole set of (productId, path) before any is
    written when two paths differ only in case or one leads outside `out_dir`.

    Files equal but for case are one file on macOS and Windows: the second would
    overwrite the first, and the next plan would retire or delete the lost product.
    The names are checked already, but a brand folder can still be a symlink."""
    files = list(files)
    seen: dict[str, str] = {}
    clashes: list[str] = []
    for pid, path in files:
        first = seen.setdefault(path.as_posix().casefold(), pid)
        if first != pid:
            clashes.append(f"{first!r} and {pid!r}")
    if clashes:
        raise CatalogSyncError(
            f"cannot {action} productIds that differ only in case into one folder: "
            f"{', '.join(clashes[:10])}; nothing was written",
            hint=f"rename one of each pair in the console, or {action} the others "
            "by hand",
        )
    root = out_dir.resolve()
    outside = [path for _, path in files if not path.resolve().is_relative_to(root)]
    if outside:
        raise CatalogSyncError(
            f"refusing to write {outside[0]} outside {out_dir} (a symlinked folder?); "
            "nothing was written",
            hint=f"{action} into a folder without symlinks, or remove them from {out_dir}",
        )
