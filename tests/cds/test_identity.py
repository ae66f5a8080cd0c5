"""identity: keys and human labels for elements of each CDS array."""

from __future__ import annotations

from catalog_sync.cds.identity import IDENTITIES
from catalog_sync.cds.identity import element_key
from catalog_sync.cds.identity import identity_of
from catalog_sync.cds.identity import sort_key
from catalog_sync.cds.labels import short_label


def test_identity_fee_key_is_name_and_type_not_method():
    fixed = {"name": "Card fee", "feeType": "PURCHASE", "feeMethodUType": "fixedAmount"}
    rated = {"name": "Card fee", "feeType": "PURCHASE", "feeMethodUType": "rateBased"}
    assert element_key("fees", fixed) == element_key("fees", rated)
    assert element_key("fees", fixed) != element_key(
        "fees", {**fixed, "feeType": "EXIT"}
    )


def test_identity_lending_rate_key_and_label():
    rate = {
        "lendingRateType": "FIXED",
        "repaymentType": "INTEREST_ONLY",
        "loanPurpose": "INVESTMENT",
        "additionalValue": "P2Y",
        "rate": "0.06",
        "tiers": [
            {
                "name": "LVR",
                "unitOfMeasure": "PERCENT",
                "minimumValue": "0",
                "maximumValue": "0.8",
            }
        ],
    }
    assert element_key("lendingRates", rate) == (
        '"FIXED"',
        '"INTEREST_ONLY"',
        '"INVESTMENT"',
    )
    assert short_label("lendingRates", rate) == (
        "Fixed rate 2 years, interest only, investment, LVR up to 80%"
    )


def test_identity_eligibility_covers_product_and_discount_eligibility():
    assert element_key("eligibility", {"eligibilityType": "MIN_AGE"}) == (
        '"MIN_AGE"',
        "null",
    )
    assert element_key("eligibility", {"discountEligibilityType": "STAFF"}) == (
        "null",
        '"STAFF"',
    )


def test_identity_scalars_and_unknown_arrays():
    assert element_key("productIds", "abc") == ('"abc"',)
    assert identity_of("somethingNew").noun == "item"
    assert element_key("somethingNew", {"a": 1}) == ()


def test_identity_sort_key_orders_by_key_then_content():
    items = [
        {"featureType": "OFFSET"},
        {"featureType": "CARD_ACCESS", "additionalValue": "VISA"},
    ]
    assert (
        sorted(items, key=lambda i: sort_key("features", i))[0]["featureType"]
        == "CARD_ACCESS"
    )


def test_identity_every_cds_array_has_a_rule():
    arrays = {
        "fees",
        "discounts",
        "eligibility",
        "depositRates",
        "lendingRates",
        "tiers",
        "applicabilityConditions",
        "features",
        "constraints",
        "bundles",
        "cardArt",
        "additionalOverviewUris",
        "additionalTermsUris",
        "additionalEligibilityUris",
        "additionalFeesAndPricingUris",
        "additionalBundleUris",
    }
    assert arrays <= set(IDENTITIES)
