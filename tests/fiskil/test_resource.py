"""A product as an API resource: its path is exactly one encoded segment."""

from __future__ import annotations

import pytest

from catalog_sync.fiskil.resource import product_path

PRODUCTS = "/v1/data-provider/cdr/products"


@pytest.mark.parametrize(
    ("product_id", "segment"),
    [
        ("plain-id", "plain-id"),
        ("a/b", "a%2Fb"),
        ("../admin", "..%2Fadmin"),
        ("..", "%2E%2E"),
        ("%2e", "%252e"),
        ("with space", "with%20space"),
    ],
)
def test_product_id_is_one_encoded_path_segment(product_id: str, segment: str):
    assert product_path(PRODUCTS, product_id) == f"{PRODUCTS}/{segment}"
