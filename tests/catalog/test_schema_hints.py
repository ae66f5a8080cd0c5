"""Hints for schema problems where the shipped schemas do not (yet) exercise them."""

from __future__ import annotations

import pytest

from catalog_sync.catalog.schema_hints import enum_problem
from catalog_sync.catalog.schema_hints import expected_value
from catalog_sync.catalog.schema_hints import misplaced_text
from catalog_sync.catalog.schema_hints import unknown_field


def test_enum_problem_under_a_prose_rule_names_the_rule_and_the_closest_value() -> None:
    message, hint, code = enum_problem(
        "per month", ["DAILY", "PER_MONTH"], "only monthly fees have a frequency"
    )
    assert message == (
        '"per month" is not an allowed value (only monthly fees have a frequency)'
    )
    assert hint == "did you mean `PER_MONTH`? one of DAILY, PER_MONTH"
    assert code == "schema.enum"


def test_expected_value_of_a_property_without_a_type_adds_nothing() -> None:
    assert expected_value({}) == ""
    assert expected_value({"type": ["boolean", "null"]}) == ": true or false"


KNOWN = {
    "lastUpdated": {"not": {}, "x-rule": "set by the server, not in files"},
    "effectiveFrom": {"type": "string"},
    "additionalInfo": {"type": "string"},
    "additionalInfoUri": {"type": "string"},
    "rate": {"type": "string"},
}


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        # A field the file may not have is never the suggestion ...
        ("lastUpdatedBy", "remove it: the CDS has no `lastUpdatedBy` here; "),
        ("lastUpdate", "remove it: the CDS has no `lastUpdate` here; "),
        # ... nor one the key only extends with a word; a typo still gets one.
        ("additionalInfoUrl", "did you mean `additionalInfoUri`?"),
        ("rates", "did you mean `rate`?"),
        ("effectivefrom", "did you mean `effectiveFrom`?"),
    ],
)
def test_unknown_field_suggests_only_allowed_names_that_look_like_typos(
    key: str, hint: str
) -> None:
    found = unknown_field(key, KNOWN, ())
    # A "remove it" hint goes on to say how holder data of its own is published.
    assert found.startswith(hint) if hint.endswith("; ") else found == hint


RATE_BASED = "CDS V6 replaced it: set feeMethodUType and put the value in rateBased: {accrualFrequency: ...}"
NOT_RATE_BASED = (
    "only a rateBased fee has an accrualFrequency, and this fee is not one: remove "
    "it, or say how often the fee is charged in additionalInfo"
)


@pytest.mark.parametrize(
    ("container", "item", "hint"),
    [
        ("fees", {"feeMethodUType": "rateBased"}, RATE_BASED),
        ("fees", {"transactionRate": "0.01"}, RATE_BASED),  # a pre-V6 rate fee
        ("fees", {"feeMethodUType": "fixedAmount"}, NOT_RATE_BASED),
        ("fees", {"feeMethodUType": "variable"}, NOT_RATE_BASED),
        ("fees", {"amount": "5.00"}, NOT_RATE_BASED),  # a pre-V6 fixed fee
        (
            "fees",
            {"feeType": "PERIODIC", "feeMethodUType": "fixedAmount"},
            "only a rateBased fee has an accrualFrequency: the period of a PERIODIC "
            "fee goes in `additionalValue` (an ISO 8601 duration like P1M); remove it",
        ),
        (
            "discounts",
            {"discountMethodUType": "rateBased"},
            "a discount has no accrualFrequency in CDS V6: it applies as often as its "
            "fee; remove it (or say otherwise in additionalInfo)",
        ),
    ],
)
def test_accrual_frequency_goes_where_the_fee_method_allows(
    container: str, item: dict[str, str], hint: str
) -> None:
    path = (container, 0)
    assert unknown_field("accrualFrequency", {}, path, item) == hint


def test_accrual_frequency_without_the_object_is_treated_as_not_rate_based() -> None:
    assert unknown_field("accrualFrequency", {}, ("fees", 0)) == NOT_RATE_BASED


def test_misplaced_text_only_for_a_missing_additional_info_beside_text() -> None:
    assert misplaced_text("additionalInfo", {"additionalValue": "Courier fee"})
    assert misplaced_text("additionalInfo", {"additionalValue": " "}) is None
    assert misplaced_text("additionalInfo", {"additionalValue": 5}) is None
    assert misplaced_text("additionalInfo", "not an object") is None
    assert misplaced_text("rateBased", {"additionalValue": "x"}) is None
