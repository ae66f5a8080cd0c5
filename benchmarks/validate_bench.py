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
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.catalog_gen import generate
from benchmarks.catalog_gen import load_templates

REPO = Path(__file__).resolve().parent.parent

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
    from catalog_sync.config.model import Config
    config = Config(root=folder, products_dir=folder / "products")
    count = len(load_desired_products(config))
else:
    from catalog_sync.catalog.pipeline import validate_catalog
    from catalog_sync.config.model import Config
    config = Config(root=folder, products_dir=folder / "products")
    result = validate_catalog(config, use_cache=mode == "warm", need_documents=False)
    count = len(result.problems)
elapsed = time.perf_counter() - started
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_mb": peak_kb / 1024, "problems": count}))
"""


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
