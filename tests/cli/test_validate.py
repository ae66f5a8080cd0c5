from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from catalog_sync.cli import cli

REPO = Path(__file__).resolve().parents[2]
PRODUCT = """\
productId: {pid}
productCategory: TRANS_AND_SAVINGS_ACCOUNTS
name: Everyday
description: An everyday account.
brand: WATTLE
brandName: Wattle Bank
isTailored: false
"""


@pytest.fixture
def catalog(tmp_path, monkeypatch):
    (tmp_path / "products" / "wattle").mkdir(parents=True)
    for pid in ("a", "b"):
        (tmp_path / "products" / "wattle" / f"{pid}.yaml").write_text(
            PRODUCT.format(pid=pid)
        )
    (tmp_path / "catalog-sync.yaml").write_text("products_dir: products\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str):
    return CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)


def test_validate_a_clean_catalog_exits_0_with_a_count(catalog):
    result = invoke()
    assert result.exit_code == 0
    assert result.output == "2 products valid\n"


def test_validate_lists_every_problem_sorted_and_exits_1(catalog):
    (catalog / "products" / "wattle" / "a.yaml").write_text(
        PRODUCT.format(pid="a").replace("isTailored: false", "isTailored: on")
        + "name: again\n"
    )
    (catalog / "products" / "wattle" / "c.yaml").write_text(PRODUCT.format(pid="b"))
    result = invoke()
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "products/wattle/a.yaml:8:1: error: name: duplicate key 'name'"
    )
    assert any(
        line.startswith("products/wattle/b.yaml:1:12: error: productId:")
        for line in lines
    )
    assert any(
        "products/wattle/c.yaml:1:12: error: productId:" in line for line in lines
    )
    assert lines[-1] == "4 problems in 3 files"


def test_validate_json_output_is_versioned(catalog):
    (catalog / "products" / "wattle" / "b.yaml").write_text("- oops\n")
    result = invoke("--format", "json")
    assert result.exit_code == 1
    body = json.loads(result.output)
    assert body["format_version"] == 1
    assert [p["code"] for p in body["problems"]] == ["yaml.not-mapping"]


def test_validate_github_format_prints_annotations(catalog):
    (catalog / "products" / "wattle" / "b.yaml").write_text(
        "productId: b\nproductId: b\n"
    )
    result = invoke("--format", "github")
    assert result.exit_code == 1
    assert result.output.startswith("::error file=products/wattle/b.yaml,line=2,col=1,")


def test_validate_paths_may_be_files_or_folders(catalog):
    (catalog / "products" / "broken.yaml").write_text("[")
    assert invoke("products/wattle").output == "2 products valid\n"
    assert invoke("products/wattle/a.yaml").output == "1 product valid\n"
    result = invoke("products/wattle/a.yaml", "products/missing.yaml")
    assert result.exit_code == 1
    assert "products/missing.yaml: error: no such file or directory" in result.output


def test_validate_refuses_a_symlink_given_as_a_path(catalog):
    link = catalog / "products" / "link.yaml"
    link.symlink_to("/proc/self/environ")
    result = invoke("products/link.yaml")
    assert result.exit_code == 1
    assert "products/link.yaml: error: symbolic links are not allowed" in result.output


def test_validate_reads_defaults_from_catalog_sync_yaml(catalog):
    (catalog / "products").rename(catalog / "catalog")
    (catalog / "catalog-sync.yaml").write_text(
        "products_dir: catalog\nschema: cds-v6\n"
    )
    result = invoke("--format", "json")
    body = json.loads(result.output)
    assert body["schema"] == "cds-v6"
    assert body["summary"]["files_checked"] == 2
    assert (
        json.loads(invoke("--format", "json", "--schema", "cds-v7").output)["schema"]
        == "cds-v7"
    )


def test_validate_uses_and_can_skip_the_cache(catalog):
    assert invoke().exit_code == 0
    assert (catalog / ".catalog-sync" / "validate-cache-cds-v7.json").exists()
    shutil.rmtree(catalog / ".catalog-sync")
    assert invoke("--no-cache").exit_code == 0
    assert not (catalog / ".catalog-sync").exists()


def test_validate_rejects_a_python_tag_and_runs_nothing(catalog, tmp_path):
    canary = tmp_path / "pwned"
    (catalog / "products" / "wattle" / "a.yaml").write_text(
        f'productId: a\nx: !!python/object/apply:os.system ["touch {canary}"]\n'
    )
    result = invoke()
    assert result.exit_code == 1
    assert "tags are not allowed" in result.output
    assert not canary.exists()


def test_validate_a_depth_bomb_exits_1_without_a_traceback(catalog):
    (catalog / "products" / "wattle" / "a.yaml").write_bytes(b"x: " + b"[" * 10_000)
    completed = subprocess.run(
        [sys.executable, "-m", "catalog_sync", "validate", "--no-cache"],
        cwd=catalog,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 1
    assert "nesting is deeper than 64 levels" in completed.stdout
    assert "Traceback" not in completed.stderr + completed.stdout
    assert "RecursionError" not in completed.stderr + completed.stdout


def test_validate_the_example_catalog_if_present(monkeypatch):
    if not (REPO / "products").is_dir() or not any((REPO / "products").rglob("*.yaml")):
        pytest.skip("the example catalog is not present")
    monkeypatch.chdir(REPO)
    result = invoke("--no-cache")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("products valid\n")


def test_validate_reports_hidden_and_odd_entries_by_path(catalog):
    wattle = catalog / "products" / "wattle"
    (wattle / "a.yaml").rename(wattle / ".a.yaml")
    (wattle / "...yaml").write_text(PRODUCT.format(pid="c"))
    (wattle / "d.yaml").mkdir()
    result = invoke()
    assert result.exit_code == 1
    for path in ("products/wattle/.a.yaml", "products/wattle/...yaml"):
        assert f"{path}: error: a hidden file in the catalog" in result.output
    assert "products/wattle/d.yaml: error: a folder named like a product file" in (
        result.output
    )
