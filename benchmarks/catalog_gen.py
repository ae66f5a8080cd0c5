"""Seeded generator of realistic, CDS V7-valid catalogs for the benchmarks: the example
catalog's products (valid shapes) padded to sizes drawn from the real bank captures in
../shared/cdr/products (about 10 KB of YAML each), written as catalog YAML and, for
seeding the emulator, as JSON.
"""

from __future__ import annotations

import copy
import functools
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CAPTURES = REPO.parent / "shared" / "cdr" / "products"
TARGET_BYTES = 10_000
# Real captures range from under 1 KB to 70 KB; the clamp keeps a few outliers from
# dominating a run while the mean stays near the captures' (about 10 KB).
SIZE_RANGE = (3_000, 30_000)
SIZE_BUCKETS = 8
# Lists whose entries can be repeated without breaking any CDS rule.
PADDABLE = (
    "features",
    "constraints",
    "eligibility",
    "fees",
    "depositRates",
    "lendingRates",
)
_BATCH = "BATCHNO"
_NAME_LINE = re.compile(r"^name: (.+)$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Variant:
    """One padded template: (brand, productId, YAML, JSON) with and without bundles,
    ids ending in the batch placeholder."""

    brand: str
    product_id: str
    linked_yaml: str
    unlinked_yaml: str
    linked_json: str
    unlinked_json: str


def load_templates() -> list[dict[str, Any]]:
    """The example catalog's products: real V7 shapes that validate cleanly."""
    paths = sorted((REPO / "products").rglob("*.yaml"))
    if not paths:
        raise SystemExit("no example products in products/: nothing to generate from")
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in paths]


def capture_sizes() -> list[int]:
    """YAML sizes of the real captures (clamped to SIZE_RANGE); [TARGET_BYTES] without them."""
    return list(_capture_sizes())


@functools.cache
def _capture_sizes() -> tuple[int, ...]:
    sizes = []
    for path in sorted(CAPTURES.rglob("*.json")) if CAPTURES.is_dir() else []:
        data = json.loads(path.read_text(encoding="utf-8"))
        size = len(dump(data.get("data", data) if isinstance(data, dict) else data))
        sizes.append(min(max(size, SIZE_RANGE[0]), SIZE_RANGE[1]))
    return tuple(sizes) or (TARGET_BYTES,)


def pad(product: dict[str, Any], target_bytes: int = TARGET_BYTES) -> dict[str, Any]:
    """Repeat list entries until the product is about `target_bytes` of YAML."""
    padded = copy.deepcopy(product)
    lists = [
        key for key in PADDABLE if isinstance(padded.get(key), list) and padded[key]
    ]
    originals = {key: list(padded[key]) for key in lists}
    turn = 0
    size = len(dump(padded))
    while lists and size < target_bytes:
        key = lists[turn % len(lists)]
        entry = copy.deepcopy(originals[key][turn % len(originals[key])])
        padded[key].append(entry)
        # Dumping the entry alone (not the whole product again) keeps padding linear;
        # it undercounts indentation a little, so products land slightly above target.
        size += len(dump([entry]))
        turn += 1
    return padded


def dump(product: Any) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(
        product, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100
    )
    return text


def variants(
    templates: list[dict[str, Any]], sizes: list[int] | None
) -> list[list[Variant]]:
    """Per template, its padded variants: one at TARGET_BYTES when `sizes` is None, else
    one per SIZE_BUCKETS quantile of `sizes` (so the mix follows the real captures)."""
    if sizes is None:
        targets = [TARGET_BYTES]
    else:
        ordered = sorted(sizes)
        targets = [
            ordered[int((i + 0.5) * len(ordered) / SIZE_BUCKETS)]
            for i in range(SIZE_BUCKETS)
        ]
    return [[_variant(pad(t, target)) for target in targets] for t in templates]


def generate(
    folder: Path,
    count: int,
    templates: list[dict[str, Any]],
    *,
    sizes: list[int] | None = None,
    seed: int = 0,
    seed_dir: Path | None = None,
) -> int:
    """Write `count` products under folder/products (ids unique, bundles resolvable);
    returns the total YAML bytes. With `seed_dir`, also write each as JSON there (for
    `catalog-sync emulator --seed`). Sizes: see `variants`; `seed` picks each product's.

    Each padded template is dumped once with a placeholder in its ids; copies differ
    only in that batch number. A last, partial batch drops its bundles, whose
    references could point at products that were not generated.
    """
    table = variants(templates, sizes)
    rng = random.Random(seed + 1)
    full_batches = count // len(templates)
    total = 0
    made_dirs: set[Path] = set()
    for i in range(count):
        batch, index = divmod(i, len(templates))
        variant = rng.choice(table[index])
        linked = batch < full_batches
        stamp = f"{batch:05d}"
        product_id = variant.product_id.replace(_BATCH, stamp)
        text = (variant.linked_yaml if linked else variant.unlinked_yaml).replace(
            _BATCH, stamp
        )
        path = folder / "products" / variant.brand / f"{product_id}.yaml"
        if path.parent not in made_dirs:
            path.parent.mkdir(parents=True, exist_ok=True)
            made_dirs.add(path.parent)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode())
        if seed_dir is not None:
            body = variant.linked_json if linked else variant.unlinked_json
            seed_dir.mkdir(parents=True, exist_ok=True)
            (seed_dir / f"{product_id}.json").write_text(
                body.replace(_BATCH, stamp), encoding="utf-8"
            )
    return total


def change_products(folder: Path, count: int, *, seed: int = 0) -> list[str]:
    """Edit `count` product files (seeded choice) the way a reviewer would: a new name.
    Returns the changed productIds (file names are productIds)."""
    paths = sorted((folder / "products").rglob("*.yaml"))
    chosen = random.Random(seed).sample(paths, min(count, len(paths)))
    changed = []
    for path in chosen:
        text = path.read_text(encoding="utf-8")
        line = _NAME_LINE.search(text)
        if line is None:
            raise ValueError(f"{path}: no top-level name line to change")
        renamed = _renamed(line.group(1))
        path.write_text(text[: line.start(1)] + renamed + text[line.end(1) :], "utf-8")
        changed.append(path.stem)
    return changed


def _renamed(value: str) -> str:
    """The YAML scalar `value` with " (renamed)" appended inside any quotes."""
    if value[:1] in "'\"" and len(value) > 1:
        return value[:-1] + " (renamed)" + value[-1]
    return value + " (renamed)"


def _variant(product: dict[str, Any]) -> Variant:
    product = copy.deepcopy(product)
    product["productId"] = f"{product['productId']}-{_BATCH}"
    for bundle in product.get("bundles") or []:
        bundle["productIds"] = [
            f"{pid}-{_BATCH}" for pid in bundle.get("productIds") or []
        ]
    linked_yaml, linked_json = dump(product), json.dumps(product)
    product.pop("bundles", None)
    return Variant(
        brand=str(product.get("brand", "brand")).lower(),
        product_id=product["productId"],
        linked_yaml=linked_yaml,
        unlinked_yaml=dump(product),
        linked_json=linked_json,
        unlinked_json=json.dumps(product),
    )
