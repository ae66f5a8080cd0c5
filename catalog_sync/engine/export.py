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

import yaml

from catalog_sync.errors import CatalogSyncError
from catalog_sync.types import JSONObject

SERVER_MANAGED_FIELDS = frozenset({"lastUpdated"})

# BankingProductDetailV7 in the order the standard lists its fields.
TOP_LEVEL_ORDER = (
    "productId",
    "effectiveFrom",
    "effectiveTo",
    "productCategory",
    "name",
    "description",
    "brand",
    "brandName",
    "brandGroup",
    "applicationUri",
    "isTailored",
    "additionalInformation",
    "cardArt",
    "bundles",
    "features",
    "constraints",
    "eligibility",
    "fees",
    "depositRates",
    "lendingRates",
    "instalments",
)
# Inside nested objects: the identifying fields first, the rest alphabetically.
NESTED_LEADING = (
    "name",
    "title",
    "description",
    "featureType",
    "constraintType",
    "eligibilityType",
    "feeType",
    "discountType",
    "depositRateType",
    "lendingRateType",
    "rateApplicationMethod",
    "unitOfMeasure",
    "minimumValue",
    "maximumValue",
    "rate",
    "amount",
)
_SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


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
    root = out_dir.resolve()
    written = []
    for pid, path, product in planned:
        if not path.resolve().is_relative_to(root):  # belt and braces after the check
            raise CatalogSyncError(f"refusing to write {path} outside {out_dir}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_product(product), encoding="utf-8")
        written.append(ExportedFile(pid, path))
    return written


def is_safe_file_name(product_id: str) -> bool:
    """Letters, digits, `.`, `_`, `-`; not starting with a dot; at most 128 characters."""
    return bool(_SAFE_ID.match(product_id)) and product_id not in (".", "..")


def brand_folder(product: Mapping[str, Any]) -> str:
    """`Wattle Bank` -> `wattle-bank` (from brandName, else brand)."""
    raw = str(product.get("brandName") or product.get("brand") or "unbranded")
    ascii_text = (
        unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode("ascii")
    )
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "unbranded"


def exportable(product: Mapping[str, Any]) -> JSONObject:
    """The product as a file should hold it: server fields and nulls gone, keys ordered."""
    trimmed = {k: v for k, v in product.items() if k not in SERVER_MANAGED_FIELDS}
    ordered = _order(trimmed, TOP_LEVEL_ORDER)
    assert isinstance(ordered, dict)
    return ordered


def dump_product(product: Mapping[str, Any]) -> str:
    """YAML text: block style, insertion order kept, strings quoted where YAML 1.1 would
    read them as something else."""
    header = "# Exported from the live catalog by catalog-sync export.\n"
    body = yaml.dump(
        exportable(product),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return header + body


def _order(value: Any, leading: tuple[str, ...] = NESTED_LEADING) -> Any:
    if isinstance(value, Mapping):
        kept = {k: v for k, v in value.items() if v is not None}
        keys = [k for k in leading if k in kept]
        keys += sorted(k for k in kept if k not in leading)
        return {k: _order(kept[k]) for k in keys}
    if isinstance(value, list):
        return [_order(item) for item in value if item is not None]
    return value


class _Dumper(yaml.SafeDumper):
    """SafeDumper quotes any string YAML 1.1 would read as something else (`NO`,
    `0123`, `1.10`); multi-line text is written as a literal block."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_str(data)


_Dumper.add_representer(str, _represent_str)
