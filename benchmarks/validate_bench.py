"""How fast is `validate`? Generates N realistic product files (the example catalog's
products, padded to ~10 KB like the real captures) and measures, each in a fresh process:
PyYAML's C loader parsing them (the baseline), a cold validate (no cache), a warm
validate (cache filled, nothing changed), and peak memory validating 10,000 products.

Run: `.venv/bin/python -m benchmarks.validate_bench [--n 1000] [--big 10000] [--record]`.
`--record` rewrites the "validate" section of docs/benchmarks.md. Targets (2 cores):
cold <= 2x parse, warm < 0.5 s, 10k peak RSS < 500 MB.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
TARGET_BYTES = 10_000
# Lists whose entries can be repeated without breaking any CDS rule.
PADDABLE = (
    "features",
    "constraints",
    "eligibility",
    "fees",
    "depositRates",
    "lendingRates",
)

# Each child prints one JSON object: seconds for the measured call, and peak RSS.
CHILD = """
import json, resource, sys, time
from pathlib import Path
mode, folder = sys.argv[1], Path(sys.argv[2])
started = time.perf_counter()
if mode == "parse":
    import yaml
    for path in sorted(folder.rglob("*.yaml")):
        yaml.load(path.read_bytes(), Loader=yaml.CLoader)
    count = None
elif mode == "desired":
    from catalog_sync.catalog.pipeline import load_desired_products
    from catalog_sync.config import Config
    config = Config(root=folder, products_dir=folder / "products")
    count = len(load_desired_products(config))
else:
    from catalog_sync.catalog.pipeline import validate_catalog
    from catalog_sync.config import Config
    config = Config(root=folder, products_dir=folder / "products")
    result = validate_catalog(config, use_cache=mode == "warm", need_documents=False)
    count = len(result.problems)
elapsed = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_mb": peak_kb / 1024, "problems": count}))
"""


def load_templates() -> list[dict[str, Any]]:
    """The example catalog's products: real V7 shapes that validate cleanly."""
    paths = sorted((REPO / "products").rglob("*.yaml"))
    if not paths:
        raise SystemExit("no example products in products/: nothing to generate from")
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in paths]


def pad(product: dict[str, Any]) -> dict[str, Any]:
    """Repeat list entries until the product is about TARGET_BYTES of YAML."""
    padded = copy.deepcopy(product)
    lists = [
        key for key in PADDABLE if isinstance(padded.get(key), list) and padded[key]
    ]
    originals = {key: list(padded[key]) for key in lists}
    turn = 0
    while lists and len(dump(padded)) < TARGET_BYTES:
        key = lists[turn % len(lists)]
        padded[key].append(copy.deepcopy(originals[key][turn % len(originals[key])]))
        turn += 1
    return padded


def dump(product: dict[str, Any]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text: str = yaml.dump(
        product, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100
    )
    return text


def generate(folder: Path, count: int, templates: list[dict[str, Any]]) -> int:
    """Write `count` products (ids unique, bundles resolvable); returns total bytes.

    Each padded template is dumped once with a placeholder in its ids; copies differ
    only in that batch number. A last, partial batch drops its bundles, whose
    references could point at products that were not generated.
    """
    linked, unlinked = zip(
        *(_texts(pad(template)) for template in templates), strict=True
    )
    full_batches = count // len(templates)
    total = 0
    for i in range(count):
        batch, index = divmod(i, len(templates))
        texts = linked if batch < full_batches else unlinked
        brand, product_id, text = (
            part.replace(_BATCH, f"{batch:05d}") for part in texts[index]
        )
        path = folder / "products" / brand / f"{product_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        total += len(text.encode())
    return total


_BATCH = "BATCHNO"


def _texts(
    product: dict[str, Any],
) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """(brand, id, YAML) with and without bundles, ids ending in the batch placeholder."""
    product = copy.deepcopy(product)
    product["productId"] = f"{product['productId']}-{_BATCH}"
    for bundle in product.get("bundles") or []:
        bundle["productIds"] = [
            f"{pid}-{_BATCH}" for pid in bundle.get("productIds") or []
        ]
    brand = str(product.get("brand", "brand")).lower()
    linked = (brand, product["productId"], dump(product))
    product.pop("bundles", None)
    return linked, (brand, product["productId"], dump(product))


def child(mode: str, folder: Path) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("CI", None)
    completed = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def best_of(runs: int, mode: str, folder: Path) -> dict[str, Any]:
    results = [child(mode, folder) for _ in range(runs)]
    return min(results, key=lambda result: float(result["seconds"]))


def cli_wall_seconds(folder: Path) -> float:
    """Whole `catalog-sync validate` process, interpreter start-up included (warm)."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "catalog_sync", "validate"],
        cwd=folder,
        capture_output=True,
        check=False,
        env={
            **{k: v for k, v in os.environ.items() if k != "CI"},
            "PYTHONPATH": str(REPO),
        },
    )
    return time.perf_counter() - started


def measure(count: int, big: int, runs: int) -> dict[str, Any]:
    templates = load_templates()
    with (
        tempfile.TemporaryDirectory() as small_dir,
        tempfile.TemporaryDirectory() as big_dir,
    ):
        small = Path(small_dir)
        total = generate(small, count, templates)
        parse = best_of(runs, "parse", small)
        cold = best_of(runs, "cold", small)
        child("warm", small)  # fills the cache
        warm = best_of(runs, "warm", small)
        warm_cli = min(cli_wall_seconds(small) for _ in range(runs))
        generate(Path(big_dir), big, templates)
        large = child("cold", Path(big_dir))
        desired = child("desired", Path(big_dir))
    return {
        "count": count,
        "average_bytes": total / count,
        "parse": parse,
        "cold": cold,
        "warm": warm,
        "warm_cli": warm_cli,
        "big": big,
        "large": large,
        "desired": desired,
    }


def report(figures: dict[str, Any]) -> str:
    parse, cold, warm, large = (figures[k] for k in ("parse", "cold", "warm", "large"))
    ratio = cold["seconds"] / parse["seconds"]
    rows = [
        ("PyYAML CLoader, parse only", f"{parse['seconds']:.2f} s", "baseline"),
        (
            "cold validate (no cache)",
            f"{cold['seconds']:.2f} s ({ratio:.2f}x parse)",
            "<= 2x parse",
        ),
        (
            "warm validate (cache, nothing changed)",
            f"{warm['seconds']:.3f} s",
            "< 0.5 s",
        ),
        (
            "warm `catalog-sync validate`, whole process",
            f"{figures['warm_cli']:.3f} s",
            "-",
        ),
        (
            f"{figures['big']:,} products, peak RSS (cold)",
            f"{large['peak_mb']:.0f} MB",
            "< 500 MB",
        ),
        (
            f"{figures['big']:,} products loaded for plan (`load_desired_products`)",
            f"{figures['desired']['peak_mb']:.0f} MB peak RSS",
            "-",
        ),
    ]
    lines = [
        "## validate",
        "",
        f"`python -m benchmarks.validate_bench` on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {figures['count']:,} generated products of "
        f"{figures['average_bytes'] / 1000:.1f} KB YAML on average (the example catalog, "
        "padded to the size of the real captures); best of the runs, each in a fresh process, "
        "timing the call only (imports excluded) unless stated.",
        "",
        "| measurement | result | target |",
        "|---|---|---|",
        *[f"| {name} | {value} | {target} |" for name, value, target in rows],
        "",
        f"Problems found in the generated catalog: {cold['problems']} (it must be 0: the "
        "benchmark times the valid path).",
        "",
    ]
    return "\n".join(lines)


def record(section: str) -> None:
    """Replace (or append) the `## validate` section of docs/benchmarks.md."""
    path = REPO / "docs" / "benchmarks.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    start = text.find("## validate\n")
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="products for the timings")
    parser.add_argument(
        "--big", type=int, default=10_000, help="products for the memory run"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="repeat each timing, keep the best"
    )
    parser.add_argument(
        "--record", action="store_true", help="update docs/benchmarks.md"
    )
    args = parser.parse_args()
    section = report(measure(args.n, args.big, args.runs))
    sys.stdout.write(section)
    if args.record:
        record(section)


if __name__ == "__main__":
    main()
