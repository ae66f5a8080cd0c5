"""Short labels for array elements, built from identity only."""

from __future__ import annotations

import pytest

from catalog_sync.cds.labels import enum_words
from catalog_sync.cds.labels import short_label
from catalog_sync.cds.labels import tier_words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("MIN_DEPOSIT_AMOUNT", "Minimum deposit amount"),
        ("FREE_TXNS", "Free transactions"),
        ("NPP_PAYID", "NPP PayID"),
        ("OFFSET", "Offset"),
        ("Mixed Case", "Mixed Case"),
        ("", ""),
        ("has space", "has space"),
    ],
)
def test_enum_words(value, words):
    assert enum_words(value) == words


@pytest.mark.parametrize(
    ("array", "element", "label"),
    [
        ("fees", {"name": "Monthly fee", "feeType": "PERIODIC"}, "Monthly fee"),
        ("fees", {"feeType": "PERIODIC"}, "unnamed"),
        ("bundles", {"name": "Home bundle"}, "Home bundle"),
        (
            "discounts",
            {"description": "Waived with $2k deposits"},
            "Waived with $2k deposits",
        ),
        ("discounts", {}, "unnamed discount"),
        ("eligibility", {"eligibilityType": "MIN_AGE"}, "Minimum age"),
        ("eligibility", {"discountEligibilityType": "STUDENT"}, "Student"),
        ("eligibility", {}, "Eligibility"),
        ("cardArt", {"cardScheme": "VISA", "cardType": "DEBIT"}, "Visa debit card art"),
        (
            "additionalTermsUris",
            {"additionalInfoUri": "https://x.test/t"},
            "https://x.test/t",
        ),
        ("additionalTermsUris", {}, "link"),
        ("features", {"featureType": "OFFSET"}, "Offset"),
        ("constraints", {"constraintType": "MIN_BALANCE"}, "Minimum balance"),
        (
            "applicabilityConditions",
            {"rateApplicabilityType": "MAX_WITHDRAWALS"},
            "Maximum withdrawals",
        ),
        ("features", {}, "item"),
        ("somethingElse", {"a": 1}, "item"),
        ("productIds", "x1", "x1"),
        ("productIds", 7, "7"),
        ("fees", {"name": "x" * 90}, "x" * 79 + "…"),
        ("fees", {"name": "two\nlines"}, "two lines"),
    ],
)
def test_short_label(array, element, label):
    assert short_label(array, element) == label


def test_short_label_of_rates_names_type_term_repayment_purpose_and_tiers():
    rate = {
        "lendingRateType": "FIXED",
        "additionalValue": "P2Y",
        "repaymentType": "INTEREST_ONLY",
        "loanPurpose": "INVESTMENT",
        "tiers": [
            {
                "name": "LVR",
                "unitOfMeasure": "PERCENT",
                "minimumValue": "0.8",
                "maximumValue": "0.9",
            },
            "not a tier",
        ],
    }
    assert short_label("lendingRates", rate) == (
        "Fixed rate 2 years, interest only, investment, LVR 80% to 90%"
    )
    assert (
        short_label(
            "lendingRates", {"lendingRateType": "ODD", "repaymentType": "OTHER"}
        )
        == "Odd"
    )
    assert short_label("depositRates", {}) == "Rate"


@pytest.mark.parametrize(
    ("tier", "words"),
    [
        (
            {
                "unitOfMeasure": "DOLLAR",
                "minimumValue": "0.00",
                "maximumValue": "250000.00",
            },
            "balances up to $250,000",
        ),
        (
            {"unitOfMeasure": "DOLLAR", "minimumValue": "10000.50"},
            "balances from $10,000.50",
        ),
        (
            {"unitOfMeasure": "MONTH", "minimumValue": "3", "maximumValue": "6"},
            "term 3 to 6 months",
        ),
        (
            {"unitOfMeasure": "DAY", "minimumValue": "1", "maximumValue": "1"},
            "term 1 day",
        ),
        (
            {
                "name": "Points",
                "unitOfMeasure": "OTHER",
                "minimumValue": "x",
                "maximumValue": "y",
            },
            "Points x to y",
        ),
        (
            {"unitOfMeasure": "OTHER", "minimumValue": "Infinity", "maximumValue": "z"},
            "tier Infinity to z",
        ),
    ],
)
def test_tier_words(tier, words):
    assert tier_words(tier) == words
