"""`make bench` cannot rot: the generator makes valid, seeded catalogs, and the plan
scenario runs end to end (real CLI, emulator process) at a tiny scale."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.catalog_gen import capture_sizes
from benchmarks.catalog_gen import change_products
from benchmarks.catalog_gen import generate
from benchmarks.catalog_gen import load_templates
from benchmarks.emulator_throughput import synthetic_product
from benchmarks.report import FIGURES
from benchmarks.report import REPRODUCE
from benchmarks.report import record
from benchmarks.scenarios import plan_at_scale
from catalog_sync.catalog.validate import validate_data


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_generator_is_seeded_and_sized(tmp_path):
    templates, sizes = load_templates(), capture_sizes()
    first, second = tmp_path / "a", tmp_path / "b"
    total = generate(first, 40, templates, sizes=sizes, seed=3, seed_dir=first / "s")
    generate(second, 40, templates, sizes=sizes, seed=3, seed_dir=second / "s")
    assert _tree(first) == _tree(second)
    assert len(list((first / "products").rglob("*.yaml"))) == 40
    assert len(list((first / "s").glob("*.json"))) == 40
    assert 2_000 < total / 40 < 40_000
    changed = change_products(first, 4, seed=1)
    assert len(set(changed)) == 4
    renamed = [p for p in (first / "products").rglob("*.yaml") if p.stem in changed]
    assert all("(renamed)" in p.read_text() for p in renamed)


def test_plan_scenario_runs_end_to_end(tmp_path):
    figures = plan_at_scale(tmp_path, 16)
    assert figures["unchanged"]["summary"] == (0, 0)
    assert list(figures["unchanged"]["timings"]) == ["validate", "fetch", "diff"]
    assert figures["unchanged"]["run"].peak_mb > 0
    assert figures["changed"]["summary"] == (0, figures["changed_expected"])
    assert figures["naive_plan"].to_update == 0
    assert figures["naive_plan"].requests == 17  # a token, then one GET per product


def test_record_keeps_other_sections(tmp_path):
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# Benchmarks\n\nIntro.\n\n## validate\n\nTheirs.\n")
    record(doc, f"{FIGURES}\n\nfirst\n")
    record(doc, f"{FIGURES}\n\nsecond\n")
    text = doc.read_text()
    assert text.count(REPRODUCE) == 1
    assert text.count(FIGURES) == 1
    assert "Theirs." in text
    assert "second" in text
    assert "first" not in text
    assert text.index(REPRODUCE) < text.index("## validate") < text.index(FIGURES)


def test_benchmark_products_are_valid_cds_v7(tmp_path):
    # Both product sources the benchmarks use: the padded example templates and the
    # emulator throughput run's synthetic product.
    templates = load_templates()
    generate(tmp_path, len(templates), templates, seed_dir=tmp_path / "s")
    bodies = [json.loads(p.read_text()) for p in sorted((tmp_path / "s").glob("*"))]
    assert len(bodies) == len(templates)
    for body in [*bodies, synthetic_product(0)]:
        assert validate_data(body, "cds-v7") == [], body["productId"]
