"""Impact classes: each row of the domain table (docs/reading-plans.md), through the real
diff so the chain of elements is what the plan sees."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from catalog_sync.cds.impact import reverse
from catalog_sync.cds.impact import worst
from catalog_sync.cds.normalize import normalize
from catalog_sync.plan.diff import diff_products
from catalog_sync.plan.impact import classify


def impacts(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [c.impact for c in diff_products(normalize(before), normalize(after))]


def rate(array: str, kind: str, value: str = "0.05", **extra: Any) -> dict[str, Any]:
    field = "depositRateType" if array == "depositRates" else "lendingRateType"
    return {field: kind, "rate": value, "applicationType": "PERIODIC", **extra}


def fee(**extra: Any) -> dict[str, Any]:
    body = {
        "name": "Fee",
        "feeType": "PERIODIC",
        "feeMethodUType": "fixedAmount",
        "fixedAmount": {"amount": "5.00"},
    }
    body.update(extra)
    return body


@pytest.mark.parametrize(
    ("array", "kind", "before", "after", "impact"),
    [
        ("depositRates", "VARIABLE", "0.05", "0.04", "adverse"),
        ("depositRates", "BONUS", "0.01", "0.02", "favourable"),
        ("lendingRates", "VARIABLE", "0.05", "0.06", "adverse"),
        ("lendingRates", "PENALTY", "0.05", "0.04", "favourable"),
        ("lendingRates", "DISCOUNT", "0.01", "0.005", "adverse"),
        ("lendingRates", "INTRODUCTORY", "0.01", "0.02", "favourable"),
    ],
)
def test_rate_direction_depends_on_the_rate_type(array, kind, before, after, impact):
    assert impacts(
        {array: [rate(array, kind, before)]}, {array: [rate(array, kind, after)]}
    ) == [impact]


@pytest.mark.parametrize(
    ("array", "kind", "added"),
    [
        ("depositRates", "BONUS", "favourable"),
        ("lendingRates", "DISCOUNT", "favourable"),
        ("lendingRates", "PENALTY", "adverse"),
        ("depositRates", "VARIABLE", "review"),
    ],
)
def test_rate_items_added_and_removed(array, kind, added):
    base = {array: [rate(array, "FIXED", additionalValue="P1Y")]}
    more = {array: [*base[array], rate(array, kind)]}
    assert impacts(base, more) == [added]
    assert impacts(more, base) == [reverse(added)]


def test_comparison_rate_and_introductory_period_and_frequencies():
    before = rate(
        "lendingRates", "INTRODUCTORY", comparisonRate="0.06", additionalValue="P6M"
    )
    after = {**before, "comparisonRate": "0.061", "additionalValue": "P3M"}
    assert impacts({"lendingRates": [before]}, {"lendingRates": [after]}) == [
        "adverse",  # additionalValue: a shorter introductory period
        "adverse",  # comparisonRate up
    ]
    freq = {**before, "applicationFrequency": "P1M"}
    assert impacts({"lendingRates": [before]}, {"lendingRates": [freq]}) == ["review"]
    fixed = rate("lendingRates", "FIXED", additionalValue="P1Y")
    longer = {**fixed, "additionalValue": "P2Y"}
    assert impacts({"lendingRates": [fixed]}, {"lendingRates": [longer]}) == ["review"]


def test_rate_conditions_and_tiers():
    tier = {
        "name": "T",
        "unitOfMeasure": "DOLLAR",
        "minimumValue": "0",
        "maximumValue": "100",
    }
    cond = {"rateApplicabilityType": "MIN_DEPOSIT_AMOUNT", "additionalValue": "200.00"}
    base = rate("depositRates", "BONUS", tiers=[tier])
    with_cond = {**base, "applicabilityConditions": [cond]}
    assert impacts({"depositRates": [base]}, {"depositRates": [with_cond]}) == [
        "adverse"
    ]
    assert impacts({"depositRates": [with_cond]}, {"depositRates": [base]}) == [
        "favourable"
    ]
    higher = copy.deepcopy(with_cond)
    higher["applicabilityConditions"][0]["additionalValue"] = "500.00"
    assert impacts({"depositRates": [with_cond]}, {"depositRates": [higher]}) == [
        "adverse"
    ]
    existing = {
        **base,
        "applicabilityConditions": [{"rateApplicabilityType": "EXISTING_CUST"}],
    }
    assert impacts({"depositRates": [base]}, {"depositRates": [existing]}) == ["review"]
    wider = copy.deepcopy(base)
    wider["tiers"][0]["maximumValue"] = "200"
    assert impacts({"depositRates": [base]}, {"depositRates": [wider]}) == ["review"]


def test_fees():
    assert impacts({}, {"fees": [fee()]}) == ["adverse"]
    assert impacts({"fees": [fee()]}, {}) == ["favourable"]
    dearer = fee(fixedAmount={"amount": "6.00"})
    assert impacts({"fees": [fee()]}, {"fees": [dearer]}) == ["adverse"]
    assert impacts({"fees": [fee()]}, {"fees": [fee(feeCap="50.00")]}) == ["favourable"]
    assert impacts({"fees": [fee(feeCap="50.00")]}, {"fees": [fee()]}) == ["adverse"]
    assert impacts(
        {"fees": [fee(feeCap="50.00")]}, {"fees": [fee(feeCap="40.00")]}
    ) == ["favourable"]
    assert impacts(
        {"fees": [fee(additionalValue="P1M")]}, {"fees": [fee(additionalValue="P1W")]}
    ) == ["adverse"]
    late = fee(feeType="LATE_PAYMENT", additionalValue="14")
    assert impacts({"fees": [late]}, {"fees": [{**late, "additionalValue": "7"}]}) == [
        "adverse"
    ]
    event = fee(feeType="EVENT", additionalValue="x")
    assert impacts(
        {"fees": [event]}, {"fees": [{**event, "additionalValue": "y"}]}
    ) == ["review"]
    assert impacts(
        {"fees": [fee(additionalInfo="a")]}, {"fees": [fee(additionalInfo="b")]}
    ) == ["neutral"]
    assert impacts(
        {"fees": [fee(currency="USD")]}, {"fees": [fee(currency="NZD")]}
    ) == ["review"]


def test_discounts():
    discount = {
        "description": "Waiver",
        "discountType": "DEPOSITS",
        "discountMethodUType": "fixedAmount",
        "fixedAmount": {"amount": "5.00"},
        "additionalValue": "2000.00",
    }
    base = fee(discounts=[discount])
    assert impacts({"fees": [fee()]}, {"fees": [base]}) == ["favourable"]
    assert impacts({"fees": [base]}, {"fees": [fee()]}) == ["adverse"]
    smaller = fee(discounts=[{**discount, "fixedAmount": {"amount": "4.00"}}])
    assert impacts({"fees": [base]}, {"fees": [smaller]}) == ["adverse"]
    harder = fee(discounts=[{**discount, "additionalValue": "3000.00"}])
    assert impacts({"fees": [base]}, {"fees": [harder]}) == ["adverse"]
    eligible = fee(
        discounts=[
            {**discount, "eligibility": [{"discountEligibilityType": "STUDENT"}]}
        ]
    )
    assert impacts({"fees": [base]}, {"fees": [eligible]}) == ["adverse"]
    renamed = fee(discounts=[{**discount, "discountMethodUType": "rateBased"}])
    assert impacts({"fees": [base]}, {"fees": [renamed]}) == ["review"]


@pytest.mark.parametrize(
    ("array", "kind", "before", "after", "impact"),
    [
        ("constraints", "MIN_BALANCE", "100.00", "200.00", "adverse"),
        ("constraints", "MAX_LVR", "0.8", "0.9", "favourable"),
        ("constraints", "OTHER", "a", "b", "review"),
        ("eligibility", "MIN_AGE", "18", "21", "adverse"),
        ("eligibility", "MAX_AGE", "65", "70", "favourable"),
        ("eligibility", "RESIDENCY_STATUS", "a", "b", "review"),
        ("features", "FREE_TXNS", "10", "5", "adverse"),
        ("features", "INTEREST_FREE", "P55D", "P44D", "adverse"),
        ("features", "FUNDS_AVAILABLE_AFTER", "P2D", "P1D", "favourable"),
        ("features", "FREE_TXNS", "10", "10.0", "neutral"),
        ("features", "FREE_TXNS", "ten", "5", "review"),
        ("features", "OTHER", "a", "b", "review"),
    ],
)
def test_constraints_eligibility_features(array, kind, before, after, impact):
    field = {
        "constraints": "constraintType",
        "eligibility": "eligibilityType",
        "features": "featureType",
    }[array]
    one = {array: [{field: kind, "additionalValue": before}]}
    two = {array: [{field: kind, "additionalValue": after}]}
    assert impacts(one, two) == [impact]


def test_items_added_and_removed_by_array():
    assert impacts({}, {"constraints": [{"constraintType": "MIN_BALANCE"}]}) == [
        "adverse"
    ]
    assert impacts({"eligibility": [{"eligibilityType": "STAFF"}]}, {}) == [
        "favourable"
    ]
    assert impacts({}, {"features": [{"featureType": "OFFSET"}]}) == ["favourable"]
    assert impacts({"features": [{"featureType": "OFFSET"}]}, {}) == ["adverse"]
    assert impacts({}, {"bundles": [{"name": "b", "description": "d"}]}) == ["review"]
    assert impacts({}, {"cardArt": [{"imageUri": "https://x.test/i"}]}) == ["neutral"]
    links = {
        "additionalInformation": {
            "additionalTermsUris": [{"additionalInfoUri": "https://a.test"}]
        }
    }
    more = copy.deepcopy(links)
    more["additionalInformation"]["additionalTermsUris"].append(
        {"additionalInfoUri": "https://b.test"}
    )
    assert impacts(links, more) == ["neutral"]


def test_product_fields():
    assert impacts({"name": "A"}, {"name": "B"}) == ["neutral"]
    assert impacts({}, {"effectiveTo": "2026-07-01T00:00:00Z"}) == ["adverse"]
    assert impacts({"effectiveTo": "2026-07-01T00:00:00Z"}, {}) == ["favourable"]
    assert impacts(
        {"effectiveTo": "2026-07-01T00:00:00Z"}, {"effectiveTo": "2026-06-01T00:00:00Z"}
    ) == ["adverse"]
    assert impacts(
        {"effectiveFrom": "2026-07-01T00:00:00Z"},
        {"effectiveFrom": "2026-08-01T00:00:00Z"},
    ) == ["adverse"]
    assert impacts(
        {"effectiveFrom": "soon"}, {"effectiveFrom": "2026-08-01T00:00:00Z"}
    ) == ["review"]
    assert impacts({}, {"effectiveFrom": "2026-08-01T00:00:00Z"}) == ["review"]
    assert impacts({"isTailored": False}, {"isTailored": True}) == ["review"]
    assert impacts({"productCategory": "A"}, {"productCategory": "B"}) == ["review"]


def test_classify_equal_times_and_unknown_arrays():
    when = "2026-07-01T00:00:00Z"
    assert (
        classify([], "effectiveTo", "changed", when, "2026-07-01T10:00:00+10:00")
        == "neutral"
    )
    assert classify([("unknown", {})], "x", "changed", "a", "b") == "review"
    assert classify([("unknown", {})], "", "added", None, {}) == "review"
    assert classify([], "fees", "added", None, ["not an element"]) == "neutral"


def test_worst_orders_classes():
    assert worst(["neutral", "favourable"]) == "favourable"
    assert worst(["favourable", "review"]) == "review"
    assert worst(["review", "adverse"]) == "adverse"
    assert worst([]) == "neutral"
