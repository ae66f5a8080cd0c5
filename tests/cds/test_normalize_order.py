"""normalize's array order (sorted by identity, whole content only where identities
collide) is exactly the documented order: sorted by `identity.sort_key`."""

from __future__ import annotations

import random
from typing import Any

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from catalog_sync.cds.identity import sort_key
from catalog_sync.cds.normalize import normalize
from tests.cds.product_strategies import products


def _arrays(value: Any, field: str = "") -> list[tuple[str, list[Any]]]:
    """Every (field, array) in a normalized value, nested ones included."""
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in _arrays(item, key)]
    if isinstance(value, list):
        return [(field, value)] + [
            pair for item in value for pair in _arrays(item, field)
        ]
    return []


@settings(deadline=None)  # per-example time swings on a shared machine
@given(products("p"), st.integers(0, 2**32))
def test_arrays_come_out_in_sort_key_order(product, seed):
    rng = random.Random(seed)
    for key in ("fees", "features", "lendingRates"):
        if isinstance(product.get(key), list):
            duplicated = product[key] + product[key][:1]  # a repeated identity too
            rng.shuffle(duplicated)
            product[key] = duplicated
    for field, array in _arrays(normalize(product)):
        assert array == sorted(array, key=lambda element: sort_key(field, element))


def test_unique_identities_order_by_identity_alone():
    product = {
        "features": [
            {"featureType": "OTHER", "additionalInfo": "z"},
            {"featureType": "CARD_ACCESS", "additionalInfo": "y"},
        ],
        "fees": [
            {"name": "b", "feeType": "PERIODIC", "amount": "1.00"},
            {"name": "a", "feeType": "PERIODIC", "amount": "2.00"},
            {"name": "a", "feeType": "PERIODIC", "amount": "1.00"},
        ],
    }
    result = normalize(product)
    assert [f["featureType"] for f in result["features"]] == ["CARD_ACCESS", "OTHER"]
    assert [(f["name"], f["amount"]) for f in result["fees"]] == [
        ("a", "1.00"),
        ("a", "2.00"),
        ("b", "1.00"),
    ]
