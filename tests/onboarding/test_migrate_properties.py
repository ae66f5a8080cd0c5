"""Properties of migrate_product on arbitrary product-shaped data: it never raises, never
modifies its input, and a second migration changes nothing."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from catalog_sync.onboarding.files import render_migrated
from catalog_sync.onboarding.migrate import migrate_product
from catalog_sync.yaml.document import Document
from catalog_sync.yaml.loader import load_yaml_bytes

_KEYS = [
    "productId", "name", "productCategory", "fees", "discounts", "amount", "feeRate",
    "balanceRate", "transactionRate", "accruedRate", "accrualFrequency", "feeType",
    "feeMethodUType", "depositRates", "lendingRates", "tiers", "minimumValue",
    "maximumValue", "unitOfMeasure", "applicabilityConditions", "additionalInfo",
    "additionalInfoUri", "additionalValue", "applicationFrequency", "cardArt", "title",
    "constraints", "constraintType", "featureType", "features", "eligibility",
    "discountType", "rate", "lastUpdated", "brandGroup", "instalments",
]  # fmt: skip
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["", "0.00", "5", "3,000", "VARIABLE", "OTHER", "PERCENT", "DOLLAR",
                     "MONTH", "ELIGIBILITY_ONLY", "P1M", "at maturity", "Visa Debit",
                     "TODO(migrate)", "null"]),
    st.text(max_size=8),
)  # fmt: skip
_JSON: Any = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(_KEYS), inner, max_size=5),
    ),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=8))
def test_migrate_product_never_raises_and_is_idempotent(product):
    before = copy.deepcopy(product)
    once = migrate_product(product)
    assert product == before
    twice = migrate_product(once.data)
    assert not twice.changed
    assert twice.data == once.data


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=8))
def test_migrate_product_to_v6_is_idempotent_too(product):
    once = migrate_product(product, to="cds-v6")
    assert not migrate_product(once.data, to="cds-v6").changed


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(_KEYS), _JSON, max_size=8))
def test_migrated_file_text_loads_back_to_the_migrated_data(product):
    once = migrate_product(product)
    text = render_migrated(once, previous="# Imported from somewhere\n")
    loaded = load_yaml_bytes(text.encode("utf-8"), "p.yaml")
    assert isinstance(loaded, Document)
    assert loaded.data == once.data
