"""Where product files go: `<out>/<brand-folder>/<file name of the productId>.yaml`. The
one place that decides a product's file path (export, import, and validate's file-name
rule), and that refuses, before anything is written, a productId that cannot be a file,
two files that differ only in case, and a path a symlinked folder leads outside the output.

The file name is the productId with exactly these characters percent-encoded (`%XX`) and
nothing else: `%`, `/`, `\\`, control characters, `< > : " | ? *`, a leading `.`, and a
trailing space or dot. So `HOME EQUITY P` is `HOME EQUITY P.yaml`, `a/b` is `a%2Fb.yaml`,
`.hidden` is `%2Ehidden.yaml`; no product file starts with a dot, and since `%` itself is
encoded, `product_id_of` turns every such name back into its productId.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from typing import Final
from urllib.parse import unquote

from catalog_sync.cds.product_id import product_id_problem
from catalog_sync.errors import CatalogSyncError

SUFFIX: Final = ".yaml"
MAX_FILE_NAME_BYTES: Final = 255
"""NAME_MAX of ext4, APFS and NTFS (in bytes or UTF-16 units; our names are ASCII)."""

_ENCODED: Final = frozenset('%/\\<>:"|?*')


def file_stem(product_id: str) -> str:
    """The file name of `product_id` without its `.yaml` suffix (see the module doc)."""
    last = len(product_id) - 1
    return "".join(
        _encode(char)
        if char in _ENCODED
        or not " " <= char <= "~"
        or (i == 0 and char == ".")
        or (i == last and char in " .")
        else char
        for i, char in enumerate(product_id)
    )


def product_id_of(stem: str) -> str:
    """The productId a file name (without suffix) stands for: `file_stem` undone."""
    return unquote(stem)


def file_name_problem(product_id: str) -> str | None:
    """Why `product_id` cannot name a product file, or None: it is no productId at all,
    or its encoded name is longer than file systems allow."""
    problem = product_id_problem(product_id)
    if problem is not None:
        return problem
    size = len(file_stem(product_id)) + len(SUFFIX)
    if size > MAX_FILE_NAME_BYTES:
        return (
            f"its file name would be {size} bytes long (an encoded character takes "
            f"3), over the {MAX_FILE_NAME_BYTES} most file systems allow"
        )
    return None


def product_file(product: Mapping[str, Any], out_dir: Path) -> Path | str:
    """Where `product` is written, or why its productId cannot be a file name."""
    pid = product.get("productId")
    if not isinstance(pid, str):
        return "productId is not a string"
    problem = file_name_problem(pid)
    if problem is not None:
        return f"{problem}: it cannot be a file name"
    return out_dir / brand_folder(product) / f"{file_stem(pid)}{SUFFIX}"


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


def _encode(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))
