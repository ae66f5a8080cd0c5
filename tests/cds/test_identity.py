"""identity: keys and human labels for elements of each CDS array."""

from __future__ import annotations

from catalog_sync.cds.identity import IDENTITIES
from catalog_sync.cds.identity import element_key
from catalog_sync.cds.identity import element_label
from catalog_sync.cds.identity import identity_of
from catalog_sync.cds.identity import sort_key


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
    assert (
        element_label("lendingRates", rate)
        == "FIXED · INTEREST_ONLY · INVESTMENT · P2Y · LVR 0%-80%"
    )


def test_identity_eligibility_covers_product_and_discount_eligibility():
    assert (
        element_label(
            "eligibility", {"eligibilityType": "MIN_AGE", "additionalValue": "18"}
        )
        == "MIN_AGE · 18"
    )
    assert element_label("eligibility", {"discountEligibilityType": "STAFF"}) == "STAFF"


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


def test_identity_label_shows_an_unknown_object_as_json():
    rate = {
        "depositRateType": "BONUS",
        "applicabilityConditions": [{"additionalInfo": "Deposit monthly"}],
    }
    assert (
        element_label("depositRates", rate)
        == 'BONUS · {"additionalInfo":"Deposit monthly"}'
    )


def test_identity_label_shows_a_tier_bound_that_is_not_a_number_as_written():
    tier = {
        "name": "LVR",
        "unitOfMeasure": "PERCENT",
        "minimumValue": "low",
        "maximumValue": "0.8",
    }
    assert element_label("tiers", tier) == "LVR low-80%"


def test_identity_deposit_rate_label_names_its_conditions():
    rate = {
        "depositRateType": "BONUS",
        "rate": "0.01",
        "applicabilityConditions": [
            {"rateApplicabilityType": "MIN_DEPOSITS", "additionalValue": "5"},
            {"rateApplicabilityType": "NEW_CUSTOMER"},
        ],
    }
    assert (
        element_label("depositRates", rate) == "BONUS · MIN_DEPOSITS · 5, NEW_CUSTOMER"
    )
