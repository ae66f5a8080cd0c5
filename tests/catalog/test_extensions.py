from __future__ import annotations

import pytest

from catalog_sync.catalog.extensions import extension_hint
from catalog_sync.catalog.extensions import is_extension
from catalog_sync.catalog.extensions import without_extensions


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("WBC-internalCode", True),
        ("WBC-", False),
        ("WBC", False),
        ("WBCX-code", False),
        ("wbc-code", False),  # a holder identifier is matched as written
        ("ANZ-code", False),
    ],
)
def test_is_extension_needs_a_listed_prefix_a_hyphen_and_a_name(key, expected):
    assert is_extension(key, ("WBC",)) is expected


def test_without_extensions_removes_them_at_any_depth_and_keeps_the_rest():
    data = {
        "productId": "p",
        "WBC-code": "x",
        "features": [{"featureType": "OTHER", "WBC-meta": {"rate": "1"}}, "text"],
        "ANZ-code": "kept: not ours",
    }
    assert without_extensions(data, ("WBC",)) == {
        "productId": "p",
        "features": [{"featureType": "OTHER"}, "text"],
        "ANZ-code": "kept: not ours",
    }
    assert data["WBC-code"] == "x"  # the input is left alone
    assert without_extensions(data, ()) is data


def test_extension_hint_only_for_names_shaped_like_extensions():
    assert extension_hint("lastUpdatedBy") is None
    assert extension_hint("-code") is None
    assert extension_hint("WATTLE-internalCode") == (
        "it looks like a holder extension field: if WATTLE is your holder "
        "identifier, add `extension_prefixes: [WATTLE]` to catalog-sync.yaml; "
        "otherwise remove it"
    )
