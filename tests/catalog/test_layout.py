from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalog_sync.catalog.layout import file_name_problem
from catalog_sync.catalog.layout import file_stem
from catalog_sync.catalog.layout import product_file
from catalog_sync.catalog.layout import product_id_of

PRINTABLE_ASCII = st.text(
    alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E),
    min_size=1,
    max_size=100,
)


@pytest.mark.parametrize(
    ("pid", "stem"),
    [
        ("HOME EQUITY P", "HOME EQUITY P"),
        ("wattle-everyday", "wattle-everyday"),
        ("a.b", "a.b"),
        ("../admin", "%2E.%2Fadmin"),
        (".hidden", "%2Ehidden"),
        ("..", "%2E%2E"),
        ("a\\b", "a%5Cb"),
        ("100%", "100%25"),
        ('<>:"|?*', "%3C%3E%3A%22%7C%3F%2A"),
        ("trailing ", "trailing%20"),
        ("trailing.", "trailing%2E"),
        (" leading", " leading"),
        ("tab\there", "tab%09here"),
        ("~+=#&'()[]{}!@$^,;`", "~+=#&'()[]{}!@$^,;`"),
    ],
)
def test_file_stem_encodes_exactly_the_characters_file_systems_refuse(pid, stem):
    assert file_stem(pid) == stem
    assert product_id_of(stem) == pid


@given(PRINTABLE_ASCII)
def test_file_stem_is_reversible_and_never_hidden(pid):
    stem = file_stem(pid)
    assert product_id_of(stem) == pid
    assert not stem.startswith(".")
    assert not stem.endswith((" ", "."))
    assert not set(stem) & set('/\\<>:"|?*')


def test_product_file_places_the_file_in_its_brand_folder(tmp_path):
    product = {"productId": "HOME EQUITY P", "brandName": "Wattle Bank"}
    assert product_file(product, tmp_path) == (
        tmp_path / "wattle-bank" / "HOME EQUITY P.yaml"
    )
    assert product_file({"productId": 7}, tmp_path) == "productId is not a string"


def test_a_name_too_long_for_file_systems_is_refused():
    assert file_name_problem("a" * 100) is None
    assert file_name_problem("/" * 83) is None  # 249 + len(".yaml")
    assert file_name_problem("/" * 84) == (
        "its file name would be 257 bytes long (an encoded character takes 3), "
        "over the 255 most file systems allow"
    )
