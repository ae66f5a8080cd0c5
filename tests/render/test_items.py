"""Array elements and new products described in a reviewer's words."""

from __future__ import annotations

import pytest

from catalog_sync.render.context import RenderContext
from catalog_sync.render.items import array_of
from catalog_sync.render.items import describe_item
from catalog_sync.render.items import labelled_item
from catalog_sync.render.items import product_summary
from tests.render.plans import bonus_saver


@pytest.mark.parametrize(
    ("element", "words"),
    [
        (
            {
                "lendingRateType": "VARIABLE",
                "rate": "0.0599",
                "comparisonRate": "0.061",
            },
            "5.99 % (comparison 6.10 %)",
        ),
        (
            {
                "feeType": "EVENT",
                "feeMethodUType": "variable",
                "variable": {"feeMinimum": "1", "feeMaximum": "10"},
            },
            "$1.00 to $10.00",
        ),
        (
            {"feeType": "EVENT", "feeMethodUType": "variable", "variable": {}},
            "variable",
        ),
        (
            {
                "feeType": "EVENT",
                "feeMethodUType": "fixedAmount",
                "fixedAmount": {"amount": "2"},
                "feeCap": "20",
            },
            "$2.00, capped at $20.00",
        ),
        ({"feeType": "EVENT"}, "(no amount)"),
        (
            {
                "discountType": "BALANCE",
                "discountMethodUType": "rateBased",
                "rateBased": {"rateType": "FEE", "rate": "0.5"},
            },
            "discount 50.00 % of fee",
        ),
        ({"featureType": "OFFSET"}, "yes"),
        ({"featureType": "OTHER", "additionalInfo": "A free coffee"}, "A free coffee"),
        ({"featureType": "OTHER", "additionalInfo": "x" * 70}, "x" * 59 + "…"),
        ({"constraintType": "MIN_BALANCE", "additionalValue": "1000"}, "$1,000.00"),
        ({"something": 1, "else": 2}, "(2 fields)"),
        ({"one": 1}, "(1 field)"),
        ("OFFSET", "OFFSET"),
    ],
)
def test_describe_item(element, words):
    assert describe_item(element) == words


def test_labelled_item_and_array_of():
    assert labelled_item({"featureType": "OFFSET"}) == "Offset: yes"
    assert labelled_item("x") == "x: x"
    assert array_of({"unitOfMeasure": "DOLLAR"}) == "tiers"
    assert array_of({}) is None


def test_product_summary_lists_rates_fees_constraints_and_eligibility():
    body = {**bonus_saver(), "isTailored": True, "features": "not a list"}
    assert product_summary(body) == [
        ("Category", "Trans and savings accounts"),
        ("Variable rate", "1.00 %, paid every month"),
        ("Bonus rate, balances up to $250,000", "3.50 %, paid every month"),
        ("Fee: Monthly fee", "$5.00 every month"),
        ("Constraint: Minimum balance", "$1,000.00"),
        ("Eligibility: Minimum age", "18"),
        ("Tailored", "yes: customers may get other rates and fees"),
    ]
    assert product_summary({}) == []


def test_render_context_in_the_banks_time_zone():
    context = RenderContext("abcdef0123456789", "2026-07-01T02:30:00Z")
    assert context.when("Australia/Sydney") == "1 July 2026, 12:30 AEST"
    assert context.short_commit() == "abcdef012345"
    assert RenderContext().when("Australia/Sydney") is None
    assert RenderContext().short_commit() is None
