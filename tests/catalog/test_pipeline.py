from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from catalog_sync.catalog.cache import cache_key
from catalog_sync.catalog.pipeline import load_desired_products
from catalog_sync.catalog.pipeline import validate_catalog
from catalog_sync.catalog.schema import schema_fingerprint
from catalog_sync.config.model import Config
from catalog_sync.errors import ConfigError
from catalog_sync.errors import ValidationFailed

PRODUCT = """\
productId: {pid}
productCategory: TRANS_AND_SAVINGS_ACCOUNTS
name: {name}
description: An everyday account.
brand: WATTLE
brandName: Wattle Bank
isTailored: false
"""


def write_product(
    root: Path, pid: str, *, name: str = "Everyday", file: str | None = None
) -> Path:
    path = root / "products" / f"{file or pid}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PRODUCT.format(pid=pid, name=name))
    return path


def config_for(root: Path, **changes) -> Config:
    return Config(root=root, products_dir=root / "products", **changes)


def run(root: Path, **kwargs):
    kwargs.setdefault("use_cache", True)
    return validate_catalog(config_for(root), **kwargs)


def test_validate_catalog_returns_products_for_a_valid_catalog(tmp_path):
    write_product(tmp_path, "a")
    write_product(tmp_path, "b")
    result = run(tmp_path)
    assert result.ok
    assert result.files_checked == 2
    assert sorted(result.products) == ["a", "b"]
    assert [d.display_path for d in result.documents] == [
        "products/a.yaml",
        "products/b.yaml",
    ]


def test_validate_catalog_sorts_every_kind_of_problem_by_file_and_line(tmp_path):
    write_product(tmp_path, "b", file="zz")  # filename mismatch
    bad = write_product(tmp_path, "a")
    bad.write_text(
        bad.read_text().replace("isTailored: false", "isTailored: on\nextra: 1")
    )
    (tmp_path / "products" / "broken.yaml").write_text("a: 1\na: 2\n")
    result = run(tmp_path)
    where = [(p.file, p.line, p.code) for p in result.problems]
    assert where == sorted(where)
    assert {p.code for p in result.problems} >= {
        "rules.filename",
        "yaml.duplicate-key",
        "schema.unknown-field",
    }
    assert result.files_with_problems == 3


def test_validate_catalog_with_paths_checks_only_those_files(tmp_path):
    one = write_product(tmp_path, "one")
    (tmp_path / "products" / "broken.yaml").write_text("- not a product\n")
    result = run(tmp_path, paths=[one])
    assert result.ok
    assert result.files_checked == 1


def test_validate_catalog_reports_an_unsafe_product_id_once(tmp_path):
    path = tmp_path / "products" / "x.yaml"
    path.parent.mkdir()
    path.write_text(PRODUCT.format(pid='"a\\tb"', name="x"))
    result = run(tmp_path)
    id_problems = [p for p in result.problems if p.path == "productId"]
    assert [p.code for p in id_problems] == ["rules.product-id"]


def test_validate_catalog_refuses_an_unknown_schema(tmp_path):
    with pytest.raises(ConfigError, match="unknown schema"):
        run(tmp_path, schema="cds-v99")


def test_validate_catalog_stops_before_parsing_when_there_are_too_many_files(tmp_path):
    for i in range(3):
        (tmp_path / "products").mkdir(exist_ok=True)
        (tmp_path / "products" / f"p{i}.yaml").write_text("[broken\n")
    result = validate_catalog(config_for(tmp_path, max_files=2), use_cache=True)
    assert [p.code for p in result.problems] == ["file.too-many"]
    assert result.files_checked == 0


def test_validate_catalog_warm_run_answers_from_the_cache_without_parsing(tmp_path):
    write_product(tmp_path, "a")
    bad = write_product(tmp_path, "b", file="wrong-name")
    cold = run(tmp_path)
    warm = run(tmp_path, need_documents=False)
    assert warm.problems == cold.problems
    assert [p.code for p in warm.problems] == ["rules.filename"]
    assert warm.documents == ()  # nothing was parsed
    assert cold.documents != ()
    bad.rename(bad.with_name("b.yaml"))  # a move changes no bytes: rules still rerun
    assert run(tmp_path, need_documents=False).ok


def test_validate_catalog_cache_is_invalidated_by_an_edit(tmp_path):
    path = write_product(tmp_path, "a")
    assert run(tmp_path, need_documents=False).ok
    path.write_text(path.read_text() + "surprise: true\n")
    (problem,) = run(tmp_path, need_documents=False).problems
    assert problem.code == "schema.unknown-field"


def test_validate_catalog_ignores_a_cache_made_for_another_schema_or_version(tmp_path):
    path = write_product(tmp_path, "a")
    run(tmp_path, need_documents=False)
    cache_file = tmp_path / ".catalog-sync" / "validate-cache-cds-v7.json"
    saved = json.loads(cache_file.read_text())
    assert saved["key"] == cache_key("cds-v7", schema_fingerprint("cds-v7"))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    stale_problem = [1, 1, "", "stale", None, "schema.stale"]
    saved["entries"][digest]["problems"] = [stale_problem]
    saved["key"] = cache_key("cds-v7", "a-previous-schema")
    cache_file.write_text(json.dumps(saved))
    assert run(tmp_path, need_documents=False).ok
    assert json.loads(cache_file.read_text())["key"] == cache_key(
        "cds-v7", schema_fingerprint("cds-v7")
    )


def test_validate_catalog_ignores_a_forged_cache_in_ci(tmp_path, monkeypatch):
    path = write_product(tmp_path, "a")
    run(tmp_path, need_documents=False)
    path.write_text(path.read_text() + "surprise: true\n")
    cache_file = tmp_path / ".catalog-sync" / "validate-cache-cds-v7.json"
    forged = json.loads(cache_file.read_text())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    (clean,) = forged["entries"].values()
    forged["entries"][digest] = clean
    cache_file.write_text(json.dumps(forged))
    assert run(tmp_path, need_documents=False).ok  # a trusted cache is believed...
    monkeypatch.setenv("CI", "true")
    result = validate_catalog(config_for(tmp_path), need_documents=False)
    assert [p.code for p in result.problems] == ["schema.unknown-field"]  # ...not in CI


def test_validate_catalog_survives_a_corrupt_cache(tmp_path):
    write_product(tmp_path, "a")
    state = tmp_path / ".catalog-sync"
    state.mkdir()
    (state / "validate-cache-cds-v7.json").write_bytes(b"\x00garbage{")
    assert run(tmp_path).ok


_WARM_RUN = """
import sys
from pathlib import Path
from catalog_sync.catalog.pipeline import validate_catalog
from catalog_sync.config.model import Config
root = Path(sys.argv[1])
config = Config(root=root, products_dir=root / "products")
result = validate_catalog(config, need_documents=False, use_cache=True)
print(result.ok, result.files_checked, "jsonschema" in sys.modules)
"""


def test_validate_catalog_warm_run_of_many_files_validates_none_of_them(tmp_path):
    # How fast a warm run is, benchmarks/ measures. Here, deterministically: every file
    # is answered from the cache, so the schema validator is never even imported.
    for i in range(300):
        write_product(tmp_path, f"p{i:03d}")
    assert run(tmp_path, need_documents=False).ok
    warm = subprocess.run(
        [sys.executable, "-c", _WARM_RUN, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert warm.stdout.split() == ["True", "300", "False"]


def test_load_desired_products_returns_the_catalog_or_raises_with_every_problem(
    tmp_path,
):
    write_product(tmp_path, "a", name="Alpha")
    desired = load_desired_products(config_for(tmp_path))
    assert desired["a"].data["name"] == "Alpha"
    assert desired["a"].file == "products/a.yaml"
    write_product(tmp_path, "b", file="c")
    with pytest.raises(ValidationFailed) as caught:
        load_desired_products(config_for(tmp_path))
    assert [p.code for p in caught.value.problems] == ["rules.filename"]


def test_validate_catalog_without_use_cache_writes_nothing(tmp_path):
    write_product(tmp_path, "a")
    validate_catalog(config_for(tmp_path), use_cache=False)
    assert not os.path.exists(tmp_path / ".catalog-sync")


def test_validate_catalog_preserves_yaml_1_1_traps_or_asks_to_quote_them(tmp_path):
    path = tmp_path / "products" / "a.yaml"
    path.parent.mkdir()
    path.write_text(
        PRODUCT.format(pid="a", name="1.10")
        .replace("brand: WATTLE", "brand: NO")
        .replace("description: An everyday account.", "description: 12:30")
        .replace("brandName: Wattle Bank", "brandName: 2024-01-01")
    )
    result = run(tmp_path)
    (problem,) = result.problems
    assert (problem.path, problem.line, problem.col) == ("name", 3, 7)
    assert "1.10" in (problem.hint or "")
    assert "quote" in (problem.hint or "")
    (document,) = result.documents
    assert document.data["brand"] == "NO"
    assert document.data["description"] == "12:30"
    assert document.data["brandName"] == "2024-01-01"


def test_validate_catalog_does_not_cascade_a_load_error_into_bundle_references(
    tmp_path,
):
    bundle = '\nbundles:\n  - name: Pack\n    description: Both\n    productIds: ["a", "b"]\n'
    a = write_product(tmp_path, "a")
    a.write_text(a.read_text() + bundle)
    b = write_product(tmp_path, "b")
    assert run(tmp_path).ok
    b.write_text(b.read_text() + "name: twice\n")
    assert [p.code for p in run(tmp_path).problems] == ["yaml.duplicate-key"]
    b.unlink()
    (problem,) = run(tmp_path).problems
    assert problem.code == "rules.bundle-reference"


def test_validate_catalog_refuses_an_oversized_file_and_checks_the_rest(tmp_path):
    write_product(tmp_path, "a")
    big = write_product(tmp_path, "b")
    big.write_text(big.read_text() + "# padding\n" * 200)
    result = validate_catalog(config_for(tmp_path, max_file_bytes=1000))
    assert [(p.file, p.code) for p in result.problems] == [
        ("products/b.yaml", "file.too-large")
    ]
    assert sorted(result.products) == ["a"]


def test_validate_catalog_warm_run_repeats_a_cached_load_error(tmp_path):
    write_product(tmp_path, "a")
    (tmp_path / "products" / "broken.yaml").write_text("a: 1\na: 2\n")
    cold = run(tmp_path, need_documents=False)
    warm = run(tmp_path, need_documents=False)
    assert [(p.file, p.code) for p in cold.problems] == [
        ("products/broken.yaml", "yaml.duplicate-key")
    ]
    assert warm.problems == cold.problems


def test_validate_catalog_products_leave_out_a_non_string_product_id(tmp_path):
    write_product(tmp_path, "a")
    (tmp_path / "products" / "n.yaml").write_text(PRODUCT.format(pid=5, name="N"))
    result = run(tmp_path)
    assert "schema.type" in {p.code for p in result.problems if p.path == "productId"}
    assert [d.display_path for d in result.documents] == [
        "products/a.yaml",
        "products/n.yaml",
    ]
    assert list(result.products) == ["a"]


def test_changing_extension_prefixes_invalidates_the_cache(tmp_path):
    path = write_product(tmp_path, "a")
    path.write_text(path.read_text() + "WBC-code: x\n")
    plain = config_for(tmp_path)
    extended = config_for(tmp_path, extension_prefixes=("WBC",))
    first = validate_catalog(plain, use_cache=True, need_documents=False)
    assert [p.code for p in first.problems] == ["schema.unknown-field"]
    assert validate_catalog(extended, use_cache=True, need_documents=False).ok
    again = validate_catalog(plain, use_cache=True, need_documents=False)
    assert again.problems == first.problems
