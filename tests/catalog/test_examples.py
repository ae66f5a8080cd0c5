"""The example catalog in products/ is valid CDS V7 and shows off what the standard offers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from catalog_sync.catalog.pipeline import load_tree
from catalog_sync.catalog.pipeline import validate_catalog
from catalog_sync.config.load import load_config
from catalog_sync.yaml.document import Document

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def documents() -> tuple[Document, ...]:
    config = load_config(REPO_ROOT / "catalog-sync.yaml")
    loaded = load_tree(
        config.products_dir,
        root=config.root,
        max_file_bytes=config.max_file_bytes,
        max_files=config.max_files,
    )
    assert loaded.problems == ()
    return loaded.documents


def _all(documents: tuple[Document, ...], key: str) -> list[dict[str, Any]]:
    return [item for doc in documents for item in doc.data.get(key, [])]


@pytest.mark.parametrize("schema", ["cds-v7"])
def test_examples_are_valid_through_the_validate_pipeline(schema):
    config = load_config(REPO_ROOT / "catalog-sync.yaml")
    result = validate_catalog(config, schema=schema, use_cache=False)
    assert [p.format_text() for p in result.problems] == []
    assert result.files_checked >= 14
    assert result.schema == schema


def test_examples_config_uses_cds_v7_and_retire():
    config = load_config(REPO_ROOT / "catalog-sync.yaml")
    assert (config.schema, config.removal) == ("cds-v7", "retire")
    assert config.environment("local").target == "embedded"
    assert {"staging", "production"} <= set(config.environments)


def test_examples_are_many_and_cover_eight_categories(documents):
    assert len(documents) >= 14
    categories = {doc.data["productCategory"] for doc in documents}
    assert len(categories) >= 8
    assert "BUY_NOW_PAY_LATER" in categories
    assert len({doc.data["brand"] for doc in documents}) == 2


def test_examples_never_carry_server_managed_last_updated(documents):
    assert [d.display_path for d in documents if "lastUpdated" in d.data] == []


def test_examples_use_all_fee_and_discount_methods(documents):
    fees = _all(documents, "fees")
    assert {fee["feeMethodUType"] for fee in fees} == {
        "fixedAmount",
        "rateBased",
        "variable",
    }
    discounts = [d for fee in fees for d in fee.get("discounts", [])]
    assert {d["discountMethodUType"] for d in discounts} == {"fixedAmount", "rateBased"}
    assert any(
        d["discountType"] == "ELIGIBILITY_ONLY" and d["eligibility"] for d in discounts
    )


def test_examples_show_rates_with_tiers_and_conditions(documents):
    deposit = _all(documents, "depositRates")
    lending = _all(documents, "lendingRates")
    for rates in (deposit, lending):
        assert any(rate.get("tiers") for rate in rates)
        assert any(rate.get("applicabilityConditions") for rate in rates)
        assert {"PERIODIC", "MATURITY"} & {r["applicationType"] for r in rates}
    units = {t["unitOfMeasure"] for r in deposit + lending for t in r.get("tiers", [])}
    assert units == {"DAY", "DOLLAR", "MONTH", "PERCENT"}


def test_examples_bundles_resolve_to_catalog_products(documents):
    ids = {doc.data["productId"] for doc in documents}
    bundled = {
        pid
        for bundle in _all(documents, "bundles")
        for pid in bundle.get("productIds", [])
    }
    assert bundled
    assert bundled <= ids


def test_examples_file_stem_is_the_product_id(documents):
    assert all(doc.path.stem == doc.data["productId"] for doc in documents)


def test_examples_have_card_art_features_constraints_eligibility(documents):
    card_art = _all(documents, "cardArt")
    assert {art["cardType"] for art in card_art} >= {"CREDIT", "DEBIT"}
    for key in ("features", "constraints", "eligibility"):
        assert all(doc.data.get(key) for doc in documents), key
    assert any("instalments" in doc.data for doc in documents)
