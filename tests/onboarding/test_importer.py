"""import_from_dir: one file per product in the repository layout, as served; duplicates,
brand filter, unsafe ids and existing files are reported, never silently lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_sync.errors import CatalogSyncError
from catalog_sync.onboarding.importer import import_from_dir
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes


def _save(folder: Path, file_name: str, **product) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / file_name).write_text(json.dumps({"data": product}))


def test_import_from_dir_writes_products_as_served(tmp_path):
    saved = tmp_path / "captures"
    product = {
        "productId": "HL1",
        "lastUpdated": "2024-01-01T00:00:00Z",
        "brand": "WBC",
        "brandName": "Westpac",
        "fees": [
            {"name": "f", "feeType": "EVENT", "amount": "5.00", "balanceRate": None}
        ],
        "lendingRates": [{"tiers": [{"minimumValue": 70.01}]}],
    }
    _save(saved, "hl1.json", **product)
    result = import_from_dir(saved, tmp_path / "products")
    [item] = result.imported
    assert item.path == tmp_path / "products" / "westpac" / "HL1.yaml"
    assert item.written
    assert item.source == "captures/hl1.json"
    text = item.path.read_text()
    assert text.startswith("# Imported from captures/hl1.json")
    doc = load_yaml_bytes(text.encode(), "x")
    assert isinstance(doc, Document)
    assert doc.data == product


def test_import_from_dir_keeps_the_newest_of_duplicate_product_ids(tmp_path):
    saved = tmp_path / "captures"
    _save(
        saved,
        "old.json",
        productId="A",
        brand="B",
        lastUpdated="2024-01-01T00:00:00+10:00",
        name="old",
    )
    _save(
        saved,
        "new.json",
        productId="A",
        brand="B",
        lastUpdated="2026-03-09T00:00:00Z",
        name="new",
    )
    result = import_from_dir(saved, tmp_path / "out")
    assert [i.source for i in result.imported] == ["captures/new.json"]
    assert [(s.source, s.product_id) for s in result.skipped] == [
        ("captures/old.json", "A")
    ]
    assert "newer lastUpdated" in result.skipped[0].reason


def test_import_from_dir_filters_by_brand_and_refuses_unsafe_ids(tmp_path):
    saved = tmp_path / "captures"
    _save(saved, "a.json", productId="A", brand="ACME")
    _save(saved, "b.json", productId="B", brand="Other")
    _save(saved, "c.json", productId="C\x00", brand="ACME")
    _save(saved, "d.json", productId="../D", brand="ACME")
    result = import_from_dir(saved, tmp_path / "out", brand="acme")
    assert [i.product_id for i in result.imported] == ["../D", "A"]
    assert result.imported[0].path == tmp_path / "out" / "acme" / "%2E.%2FD.yaml"
    reasons = {s.product_id: (s.reason, s.chosen) for s in result.skipped}
    assert reasons["B"] == ("brand is not 'acme'", True)
    assert reasons["C\x00"] == (
        "productId cannot contain the control character U+0000: "
        "it cannot be a file name",
        False,
    )
    assert sorted(p.name for p in tmp_path.rglob("*.yaml")) == [
        "%2E.%2FD.yaml",
        "A.yaml",
    ]


def test_import_from_dir_keeps_existing_files_unless_overwrite(tmp_path):
    saved = tmp_path / "captures"
    _save(saved, "a.json", productId="A", brand="ACME")
    out = tmp_path / "out"
    first = import_from_dir(saved, out)
    path = first.imported[0].path
    path.write_text("# edited by hand\nproductId: A\n")
    again = import_from_dir(saved, out)
    assert not again.imported[0].written
    assert path.read_text().startswith("# edited by hand")
    forced = import_from_dir(saved, out, overwrite=True)
    assert forced.imported[0].written
    assert path.read_text().startswith("# Imported from")


def test_import_from_dir_reports_unreadable_sources(tmp_path):
    saved = tmp_path / "captures"
    saved.mkdir()
    (saved / "broken.json").write_text("{")
    result = import_from_dir(saved, tmp_path / "out")
    assert result.imported == ()
    assert [p.file for p in result.problems] == ["captures/broken.json"]


def test_import_from_dir_an_unreadable_last_updated_loses_to_any_date(tmp_path):
    saved = tmp_path / "captures"
    _save(saved, "a.json", productId="A", brand="B", lastUpdated="soon", name="a")
    _save(saved, "b.json", productId="A", brand="B", lastUpdated="2025-01-01T00:00:00")
    _save(saved, "c.json", productId=5, brand="B")
    result = import_from_dir(saved, tmp_path / "out")
    assert [i.source for i in result.imported] == ["captures/b.json"]
    assert [(s.source, s.product_id, s.reason) for s in result.skipped] == [
        (
            "captures/a.json",
            "A",
            "duplicate productId: kept captures/b.json (newer lastUpdated)",
        ),
        ("captures/c.json", "5", "productId is not a string"),
    ]


def test_import_from_dir_refuses_product_ids_equal_but_for_case(tmp_path):
    """The same layout rules as export (catalog.layout): on macOS or Windows `Save.yaml`
    would overwrite `save.yaml`, so nothing is written."""
    saved = tmp_path / "captures"
    _save(saved, "a.json", productId="Save", brand="B")
    _save(saved, "b.json", productId="save", brand="B")
    with pytest.raises(CatalogSyncError, match="cannot import productIds that differ"):
        import_from_dir(saved, tmp_path / "products")
    assert not (tmp_path / "products").exists()


def test_import_from_dir_does_not_follow_a_brand_folder_symlink(tmp_path):
    saved = tmp_path / "captures"
    _save(saved, "a.json", productId="A", brand="B")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "products"
    out.mkdir()
    (out / "b").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(CatalogSyncError, match="refusing to write"):
        import_from_dir(saved, out)
    assert list(elsewhere.iterdir()) == []
