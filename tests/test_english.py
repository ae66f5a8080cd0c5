"""plural: the one inflection of a noun for a count."""

from __future__ import annotations

import pytest

from catalog_sync.english import plural


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "products"), (1, "product"), (2, "products")]
)
def test_plural_is_singular_only_for_one(count, expected):
    assert plural(count, "product") == expected


def test_plural_inflects_the_last_word_of_a_phrase():
    assert plural(3, "field change") == "field changes"
