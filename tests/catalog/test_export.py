from __future__ import annotations

from typing import Any

import pytest
import yaml

from catalog_sync.catalog.export import dump_product
from catalog_sync.catalog.export import export_catalog
from catalog_sync.catalog.layout import brand_folder
from catalog_sync.config.model import default_config
from catalog_sync.errors import CatalogSyncError


def _live(pid: str, brand_name: str = "Wattle Bank") -> dict[str, Any]:
    return {
        "lastUpdated": "2026-07-13T00:00:00Z",
        "name": f"Product {pid}",
        "productId": pid,
        "brandName": brand_name,
        "brand": "WATTLE",
        "isTailored": False,
        "effectiveTo": None,
        "fees": [
            {"amount": "10.00", "name": "Monthly", "feeType": "PERIODIC"},
        ],
        "description": "Two\nlines",
    }


def test_export_catalog_writes_a_folder_per_brand_and_a_file_per_product(tmp_path):
    live = {"b-1": _live("b-1"), "k-1": _live("k-1", "Koala Digital")}
    written = export_catalog(live, tmp_path / "out", config=default_config(tmp_path))
    assert [
        (f.product_id, f.path.relative_to(tmp_path / "out").as_posix()) for f in written
    ] == [
        ("b-1", "wattle-bank/b-1.yaml"),
        ("k-1", "koala-digital/k-1.yaml"),
    ]
    data = yaml.safe_load((tmp_path / "out/wattle-bank/b-1.yaml").read_text())
    assert list(data) == [
        "productId",
        "name",
        "description",
        "brand",
        "brandName",
        "isTailored",
        "fees",
    ]
    assert "lastUpdated" not in data
    assert data["fees"] == [
        {"name": "Monthly", "feeType": "PERIODIC", "amount": "10.00"}
    ]
    assert data["description"] == "Two\nlines"


@pytest.mark.parametrize(
    ("pid", "why"),
    [
        ("", "productId is empty"),
        ("x\x00y", "the control character U+0000"),
        ("\u00e9", "the non-ASCII character"),
        ("/" * 90, "its file name would be 275 bytes long"),
    ],
)
def test_export_catalog_refuses_ids_that_cannot_be_file_names_before_writing(
    tmp_path, pid, why
):
    live = {"ok": _live("ok"), pid: _live(pid)}
    with pytest.raises(CatalogSyncError, match="cannot be file names") as info:
        export_catalog(live, tmp_path / "out", config=default_config(tmp_path))
    assert why in str(info.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("pid", "name"),
    [
        ("../admin", "%2E.%2Fadmin.yaml"),
        ("a/b", "a%2Fb.yaml"),
        (".hidden", "%2Ehidden.yaml"),
        ("HOME EQUITY P", "HOME EQUITY P.yaml"),
        ("trailing ", "trailing%20.yaml"),
        ("%2e%2e", "%252e%252e.yaml"),
    ],
)
def test_export_catalog_writes_every_printable_ascii_id_under_its_encoded_name(
    tmp_path, pid, name
):
    [written] = export_catalog(
        {pid: _live(pid)}, tmp_path / "out", config=default_config(tmp_path)
    )
    assert written.path == tmp_path / "out" / "wattle-bank" / name
    assert yaml.safe_load(written.path.read_text())["productId"] == pid


def test_dump_product_keeps_ambiguous_strings_strings():
    text = dump_product(
        {"productId": "p", "brand": "NO", "name": "0123", "rate": "1.10"}
    )
    assert yaml.safe_load(text) == {
        "productId": "p",
        "brand": "NO",
        "name": "0123",
        "rate": "1.10",
    }
    assert text.startswith("# Exported from the live catalog")


def test_brand_folder_slugifies_and_falls_back():
    assert brand_folder({"brandName": "Bank of Wattle & Co."}) == "bank-of-wattle-co"
    assert brand_folder({"brand": "ÉCLAIR"}) == "eclair"
    assert brand_folder({}) == "unbranded"
    assert brand_folder({"brandName": "!!!"}) == "unbranded"


def test_export_catalog_accepts_every_valid_product_id(tmp_path):
    # Suncorp publishes `FX5FHB150K+`: a valid productId must always be exportable.
    written = export_catalog(
        {"FX5FHB150K+": _live("FX5FHB150K+")},
        tmp_path / "out",
        config=default_config(tmp_path),
    )
    assert [f.path.name for f in written] == ["FX5FHB150K+.yaml"]


def test_export_catalog_refuses_product_ids_equal_but_for_case(tmp_path):
    """On a case-insensitive file system (macOS, Windows) `Save.yaml` would overwrite
    `save.yaml`, and the next plan would retire or delete the lost product."""
    live = {"Save": _live("Save"), "save": _live("save"), "ok": _live("ok")}
    with pytest.raises(CatalogSyncError, match="differ only in case") as info:
        export_catalog(live, tmp_path / "out", config=default_config(tmp_path))
    assert "'Save' and 'save'" in str(info.value)
    assert not (tmp_path / "out").exists()


def test_export_catalog_does_not_follow_a_brand_folder_symlink_out_of_the_folder(
    tmp_path,
):
    """A brand folder that is a symlink elsewhere (left by hand, or planted) would
    write product files outside the export folder: refused, and nothing written there."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "wattle-bank").symlink_to(elsewhere, target_is_directory=True)
    # "a-1" (another brand, sorted first) is safe; it must not be written either.
    live = {"a-1": {**_live("a-1"), "brandName": "Koala"}, "b-1": _live("b-1")}
    with pytest.raises(CatalogSyncError, match="cannot read 1 existing file"):
        export_catalog(live, out, config=default_config(tmp_path))
    # --force writes past unreadable files, but never through a symlink.
    with pytest.raises(CatalogSyncError, match="refusing to write") as info:
        export_catalog(live, out, config=default_config(tmp_path), force=True)
    assert str(info.value).startswith(
        f"refusing to write {out / 'wattle-bank' / 'b-1.yaml'} outside {out}"
    )
    assert info.value.message.endswith("nothing was written")
    assert list(elsewhere.iterdir()) == []
    assert sorted(p.name for p in out.iterdir()) == ["wattle-bank"]
