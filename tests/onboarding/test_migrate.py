"""migrate_product: mechanical conversions, evidence-derived facts, placeholders, idempotence."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from catalog_sync.catalog.validate import validate_data
from catalog_sync.onboarding.migrate import find_placeholders
from catalog_sync.onboarding.migrate import migrate_product
from catalog_sync.onboarding.notes import PLACEHOLDER
from catalog_sync.onboarding.notes import NoteKind


def _product(**extra: Any) -> dict[str, Any]:
    base = {
        "productId": "td-1",
        "lastUpdated": "2024-05-01T00:00:00Z",
        "productCategory": "TERM_DEPOSITS",
        "name": "Term Deposit",
        "description": "A term deposit.",
        "brand": "ACME",
        "isTailored": False,
    }
    return {**base, **extra}


def _fee(**fields: Any) -> dict[str, Any]:
    return {"name": "Fee", "feeType": "EVENT", **fields}


def test_migrate_product_fee_amount_becomes_fixed_amount():
    result = migrate_product(_product(fees=[_fee(amount="5.00", currency="AUD")]))
    assert result.data["fees"] == [
        {
            "name": "Fee",
            "feeType": "EVENT",
            "currency": "AUD",
            "feeMethodUType": "fixedAmount",
            "fixedAmount": {"amount": "5.00"},
        }
    ]
    assert result.source_version in ("v3", "v4")


@pytest.mark.parametrize(
    ("legacy", "rate_type"),
    [
        ("balanceRate", "BALANCE"),
        ("transactionRate", "TRANSACTION"),
        ("accruedRate", "INTEREST_ACCRUED"),
    ],
)
def test_migrate_product_fee_rates_become_rate_based(legacy, rate_type):
    fee = _fee(**{legacy: "0.015", "accrualFrequency": "P1D"})
    migrated = migrate_product(_product(fees=[fee])).data["fees"][0]
    assert migrated["feeMethodUType"] == "rateBased"
    assert migrated["rateBased"] == {
        "rateType": rate_type,
        "rate": "0.015",
        "accrualFrequency": "P1D",
    }
    assert legacy not in migrated
    assert "accrualFrequency" not in migrated


def test_migrate_product_discount_fee_rate_becomes_rate_based_fee():
    fee = _fee(
        amount="8.00",
        discounts=[
            {"description": "Waived", "discountType": "BALANCE", "feeRate": "1.0"}
        ],
    )
    discount = migrate_product(_product(fees=[fee])).data["fees"][0]["discounts"][0]
    assert discount["discountMethodUType"] == "rateBased"
    assert discount["rateBased"] == {"rateType": "FEE", "rate": "1.0"}


def test_migrate_product_variable_fee_type_uses_name_evidence_or_placeholder():
    fees = [
        _fee(name="Late Payment Fee", feeType="VARIABLE"),
        _fee(name="Stamp Duty", feeType="VARIABLE"),
    ]
    result = migrate_product(_product(fees=fees))
    derived, unknown = result.data["fees"]
    assert derived["feeType"] == "LATE_PAYMENT"
    assert derived["feeMethodUType"] == "variable"
    assert derived["variable"] == {}
    assert unknown["feeType"] == PLACEHOLDER
    [note] = [
        n for n in result.of_kind(NoteKind.DERIVED) if n.path == ("fees", 0, "feeType")
    ]
    assert note.evidence == 'the fee\'s name says "Late Payment Fee"'


def test_migrate_product_zero_extra_method_value_is_dropped_and_noted():
    fee = _fee(amount="600.00", transactionRate="0.00")
    result = migrate_product(_product(fees=[fee]))
    assert result.data["fees"][0]["fixedAmount"] == {"amount": "600.00"}
    assert any("transactionRate '0.00'" in n.message for n in result.notes)


def test_migrate_product_two_real_method_values_are_kept_for_a_human():
    fee = _fee(
        amount="30.00",
        discounts=[
            {
                "description": "Waived",
                "discountType": "ELIGIBILITY_ONLY",
                "amount": "30.00",
                "feeRate": "1.0",
                "eligibility": [{"discountEligibilityType": "STAFF"}],
            }
        ],
    )
    result = migrate_product(_product(fees=[fee]))
    discount = result.data["fees"][0]["discounts"][0]
    assert discount["discountMethodUType"] == PLACEHOLDER
    assert (discount["amount"], discount["feeRate"]) == ("30.00", "1.0")
    problems = validate_data(result.data, "cds-v7")
    assert {p.path for p in problems} >= {
        "fees[0].discounts[0].discountMethodUType",
        "fees[0].discounts[0].amount",
        "fees[0].discounts[0].feeRate",
    }


def test_migrate_product_fee_without_any_method_is_a_placeholder():
    result = migrate_product(_product(fees=[_fee(feeType="PERIODIC")]))
    assert result.data["fees"][0]["feeMethodUType"] == PLACEHOLDER
    assert [n.path for n in result.of_kind(NoteKind.NEEDS_HUMAN)] == [
        ("fees", 0, "feeMethodUType")
    ]


def test_migrate_product_tier_bounds_become_strings_in_unit_format():
    rate = {
        "depositRateType": "FIXED",
        "rate": "0.04",
        "applicationFrequency": "P1M",
        "tiers": [
            {
                "name": "$",
                "unitOfMeasure": "DOLLAR",
                "minimumValue": 5000,
                "maximumValue": 1999999.99,
            },
            {
                "name": "m",
                "unitOfMeasure": "MONTH",
                "minimumValue": 3,
                "maximumValue": 6.0,
            },
            {"name": "d", "unitOfMeasure": "DAY", "minimumValue": 30},
        ],
    }
    tiers = migrate_product(_product(depositRates=[rate])).data["depositRates"][0][
        "tiers"
    ]
    assert [(t["minimumValue"], t.get("maximumValue")) for t in tiers] == [
        ("5000.00", "1999999.99"),
        ("3", "6"),
        ("30", None),
    ]


def test_migrate_product_percent_tiers_written_as_percentages_become_fractions():
    rate = {
        "lendingRateType": "VARIABLE",
        "rate": "0.0589",
        "repaymentType": "PRINCIPAL_AND_INTEREST",
        "loanPurpose": "OWNER_OCCUPIED",
        "tiers": [
            {
                "name": "LVR",
                "unitOfMeasure": "PERCENT",
                "minimumValue": 0,
                "maximumValue": 70,
            },
            {
                "name": "LVR",
                "unitOfMeasure": "PERCENT",
                "minimumValue": 70.01,
                "maximumValue": 80,
            },
        ],
    }
    result = migrate_product(
        _product(productCategory="RESIDENTIAL_MORTGAGES", lendingRates=[rate])
    )
    tiers = result.data["lendingRates"][0]["tiers"]
    assert [(t["minimumValue"], t["maximumValue"]) for t in tiers] == [
        ("0", "0.7"),
        ("0.7001", "0.8"),
    ]
    assert any("percentages" in n.message for n in result.of_kind(NoteKind.DERIVED))


def test_migrate_product_percent_tiers_already_fractions_are_kept():
    rate = {
        "lendingRateType": "FIXED",
        "rate": "0.06",
        "tiers": [
            {
                "name": "LVR",
                "unitOfMeasure": "PERCENT",
                "minimumValue": 0.001,
                "maximumValue": 0.95,
            }
        ],
    }
    tier = migrate_product(_product(lendingRates=[rate])).data["lendingRates"][0][
        "tiers"
    ][0]
    assert (tier["minimumValue"], tier["maximumValue"]) == ("0.001", "0.95")


def test_migrate_product_tier_condition_object_becomes_typed_list():
    tier = {
        "name": "All",
        "unitOfMeasure": "DOLLAR",
        "minimumValue": 0,
        "applicabilityConditions": {
            "additionalInfo": "Paid at maturity",
            "additionalInfoUri": "https://x.example/a",
        },
    }
    empty = {**tier, "applicabilityConditions": {}}
    only_uri = {
        **tier,
        "applicabilityConditions": {"additionalInfoUri": "https://x.example/a"},
    }
    rate = {
        "depositRateType": "FIXED",
        "rate": "0.04",
        "tiers": [tier, empty, only_uri],
    }
    result = migrate_product(_product(depositRates=[rate]))
    tiers = result.data["depositRates"][0]["tiers"]
    assert tiers[0]["applicabilityConditions"] == [
        {
            "rateApplicabilityType": "OTHER",
            "additionalInfo": "Paid at maturity",
            "additionalInfoUri": "https://x.example/a",
        }
    ]
    assert "applicabilityConditions" not in tiers[1]
    needs = [n.path for n in result.of_kind(NoteKind.NEEDS_HUMAN)]
    assert (
        "depositRates",
        0,
        "tiers",
        2,
        "applicabilityConditions",
        0,
        "additionalInfo",
    ) in needs


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        ({"applicationFrequency": "P1M"}, "PERIODIC"),
        (
            {
                "applicationFrequency": "P6M",
                "additionalInfo": "Interest paid at maturity",
            },
            "MATURITY",
        ),
        ({"additionalInfo": "Interest paid monthly or at maturity"}, PLACEHOLDER),
        ({}, PLACEHOLDER),
    ],
)
def test_migrate_product_application_type_needs_evidence(rate, expected):
    full = {"depositRateType": "FIXED", "rate": "0.04", **rate}
    migrated = migrate_product(_product(depositRates=[full])).data["depositRates"][0]
    assert migrated["applicationType"] == expected


@pytest.mark.parametrize(
    ("name", "info", "repayment", "purpose"),
    [
        (
            "Home Loan",
            "Principal and Interest, owner occupied",
            "PRINCIPAL_AND_INTEREST",
            "OWNER_OCCUPIED",
        ),
        (
            "Home Loan",
            "Interest only for 5 years, for investors",
            "INTEREST_ONLY",
            "INVESTMENT",
        ),
        # The product's name is never evidence for a rate's facts.
        ("Investment Home Loan (Owner Occupied) P&I", None, PLACEHOLDER, PLACEHOLDER),
        (
            "Investment Home Loan",
            "Interest only for 5 years",
            "INTEREST_ONLY",
            PLACEHOLDER,
        ),
        (
            "Home Loan",
            "Principal & Interest or Interest Only",
            PLACEHOLDER,
            PLACEHOLDER,
        ),
        ("Car Loan", None, PLACEHOLDER, PLACEHOLDER),
    ],
)
def test_migrate_product_lending_facts_come_from_evidence_only(
    name, info, repayment, purpose
):
    rate = {
        "lendingRateType": "VARIABLE",
        "rate": "0.06",
        "applicationFrequency": "P1M",
    }
    if info:
        rate["additionalInfo"] = info
    result = migrate_product(
        _product(name=name, productCategory="PERS_LOANS", lendingRates=[rate])
    )
    migrated = result.data["lendingRates"][0]
    assert (migrated["repaymentType"], migrated["loanPurpose"]) == (repayment, purpose)


def test_migrate_product_card_art_scheme_and_type_from_title_or_placeholder():
    arts = [
        {
            "title": "Westpac Business Debit Mastercard",
            "imageUri": "https://x.example/a.png",
        },
        {"title": "Travel Money Card", "imageUri": "https://x.example/b.png"},
    ]
    result = migrate_product(_product(productCategory="TRAVEL_CARDS", cardArt=arts))
    first, second = result.data["cardArt"]
    assert (first["cardScheme"], first["cardType"]) == ("MASTERCARD", "DEBIT")
    assert (second["cardScheme"], second["cardType"]) == (PLACEHOLDER, PLACEHOLDER)


def test_migrate_product_card_art_entry_that_is_not_a_mapping_is_left_alone():
    arts = ["not card art", {"title": "Travel Money Card", "imageUri": "u"}]
    result = migrate_product(_product(productCategory="TRAVEL_CARDS", cardArt=arts))
    assert result.data["cardArt"][0] == "not card art"
    assert result.data["cardArt"][1]["cardScheme"] == PLACEHOLDER


def test_migrate_product_card_art_facts_never_come_from_the_name_or_the_category():
    # CRED_AND_CHRG_CARDS holds credit and charge cards: the category does not say which.
    arts = [{"title": "Qantas Platinum", "imageUri": "https://x.example/a.visa.png"}]
    product = _product(
        productCategory="CRED_AND_CHRG_CARDS",
        name="Platinum Visa Credit Card",
        cardArt=arts,
    )
    result = migrate_product(product)
    art = result.data["cardArt"][0]
    assert (art["cardScheme"], art["cardType"]) == (PLACEHOLDER, PLACEHOLDER)
    assert result.of_kind(NoteKind.DERIVED) == []


def test_migrate_product_drops_nulls_empty_uris_and_last_updated():
    product = _product(
        applicationUri="",
        effectiveTo=None,
        additionalInformation={"overviewUri": "https://x.example", "termsUri": ""},
        features=[
            {"featureType": "OTHER", "additionalInfo": "x", "additionalValue": None}
        ],
    )
    data = migrate_product(product).data
    assert "lastUpdated" not in data
    assert "applicationUri" not in data
    assert "effectiveTo" not in data
    assert data["additionalInformation"] == {"overviewUri": "https://x.example"}
    assert data["features"] == [{"featureType": "OTHER", "additionalInfo": "x"}]


def test_migrate_product_loose_amounts_become_amount_strings():
    product = _product(
        constraints=[
            {"constraintType": "MIN_LIMIT", "additionalValue": "3,000"},
            {"constraintType": "MAX_LIMIT", "additionalValue": "50000"},
            {
                "constraintType": "OTHER",
                "additionalValue": "50000",
                "additionalInfo": "x",
            },
        ],
        eligibility=[{"eligibilityType": "MIN_AGE", "additionalValue": "18 years old"}],
    )
    data = migrate_product(product).data
    assert [c["additionalValue"] for c in data["constraints"]] == [
        "3000.00",
        "50000.00",
        "50000",
    ]
    assert data["eligibility"][0]["additionalValue"] == "18 years old"


def test_migrate_product_missing_is_tailored_is_a_placeholder():
    product = _product()
    del product["isTailored"]
    result = migrate_product(product)
    assert result.data["isTailored"] == PLACEHOLDER
    assert [p.path for p in validate_data(result.data, "cds-v7")] == ["isTailored"]


def test_migrate_product_never_modifies_its_input():
    product = _product(
        fees=[_fee(amount="5.00")],
        lendingRates=[{"lendingRateType": "FIXED", "rate": "0.05"}],
    )
    before = copy.deepcopy(product)
    migrate_product(product)
    assert product == before


def test_migrate_product_twice_is_a_no_op():
    product = _product(
        fees=[_fee(amount="5.00"), _fee(feeType="VARIABLE", name="Valuation")],
        depositRates=[
            {
                "depositRateType": "FIXED",
                "rate": "0.04",
                "tiers": [{"name": "t", "unitOfMeasure": "MONTH", "minimumValue": 3}],
            }
        ],
    )
    once = migrate_product(product)
    twice = migrate_product(once.data)
    assert once.changed
    assert not twice.changed
    assert twice.data == once.data
    assert twice.notes == ()


def test_migrate_product_valid_v7_product_is_unchanged():
    product = _product()
    del product["lastUpdated"]
    result = migrate_product(product)
    assert not result.changed
    assert result.notes == ()


def test_migrate_product_to_v6_removes_v7_only_fields_and_marks_the_rest():
    product = _product(
        brandGroup="acme-group",
        productCategory="BUY_NOW_PAY_LATER",
        instalments={"minimumSplit": 4, "maximumSplit": 4},
        features=[{"featureType": "EXTRA_DOWN_PAYMENT"}],
    )
    result = migrate_product(product, to="cds-v6")
    assert "brandGroup" not in result.data
    assert "instalments" not in result.data
    assert result.data["productCategory"] == PLACEHOLDER
    assert sorted(map(tuple, find_placeholders(result.data))) == [
        ("features", 0, "featureType"),
        ("productCategory",),
    ]
    assert any("acme-group" in n.message for n in result.notes)
    problems = validate_data(result.data, "cds-v6")
    assert {p.path for p in problems} == {"productCategory", "features[0].featureType"}


def test_migrate_product_declared_v6_skips_pre_v6_conversions():
    product = _product(fees=[_fee(amount="5.00")])
    result = migrate_product(product, source_version="v6")
    assert result.source_version == "v6"
    assert result.data["fees"][0] == {
        "name": "Fee",
        "feeType": "EVENT",
        "amount": "5.00",
    }


def test_migrate_product_rejects_unknown_target_and_version():
    with pytest.raises(ValueError, match="target"):
        migrate_product(_product(), to="cds-v5")
    with pytest.raises(ValueError, match="version"):
        migrate_product(_product(), source_version="v9")


def test_migrate_product_notes_missing_text_facts_on_every_run():
    product = _product(
        features=[{"featureType": "OTHER", "additionalInfoUri": "https://x.example"}],
        fees=[
            {
                "name": "Fee",
                "feeType": "EVENT",
                "feeMethodUType": "fixedAmount",
                "fixedAmount": {"amount": "5.00"},
                "discounts": [
                    {
                        "description": "Waived for staff",
                        "discountType": "ELIGIBILITY_ONLY",
                        "discountMethodUType": "fixedAmount",
                        "fixedAmount": {"amount": "5.00"},
                        "eligibility": [],
                    }
                ],
            }
        ],
    )
    del product["lastUpdated"]
    result = migrate_product(product)
    assert not result.changed
    assert [n.path for n in result.of_kind(NoteKind.NEEDS_HUMAN)] == [
        ("features", 0, "additionalInfo"),
        ("fees", 0, "discounts", 0, "eligibility"),
    ]
    problems = {p.path for p in validate_data(result.data, "cds-v7")}
    assert problems == {
        "features[0].additionalInfo",
        "fees[0].discounts[0].eligibility",
    }


def test_migrate_product_empty_rate_becomes_a_placeholder():
    rate = {"lendingRateType": "FIXED", "rate": "", "applicationFrequency": "P1M"}
    result = migrate_product(_product(lendingRates=[rate]))
    assert result.data["lendingRates"][0]["rate"] == PLACEHOLDER
    assert ("lendingRates", 0, "rate") in [
        n.path for n in result.of_kind(NoteKind.NEEDS_HUMAN)
    ]


def test_migrate_product_unplaceable_accrual_frequency_stays_and_is_noted():
    fee = _fee(name="Audit", amount="60.00", accrualFrequency="PT1H")
    result = migrate_product(_product(fees=[fee]))
    migrated = result.data["fees"][0]
    assert migrated["fixedAmount"] == {"amount": "60.00"}
    assert migrated["accrualFrequency"] == "PT1H"
    [note] = result.of_kind(NoteKind.NEEDS_HUMAN)
    assert note.path == ("fees", 0)
    assert "accrualFrequency 'PT1H'" in note.message
    again = migrate_product(result.data)
    assert [n.path for n in again.of_kind(NoteKind.NEEDS_HUMAN)] == [("fees", 0)]


def test_migrate_product_a_null_method_is_absent_on_the_first_run_too():
    # Found by the idempotence property: detection used to see `feeMethodUType: null`
    # as V6, so the placeholder only appeared on a second run.
    first = migrate_product({"fees": [{"feeMethodUType": None}]})
    assert first.data["fees"] == [{"feeMethodUType": PLACEHOLDER}]
    assert not migrate_product(first.data).changed


def test_migrate_product_keeps_the_method_a_fee_or_discount_already_has():
    discount = {
        "description": "Waived above $1,000",
        "discountType": "BALANCE",
        "discountMethodUType": "fixedAmount",
        "fixedAmount": {"amount": "1.00"},
    }
    done = _fee(
        feeMethodUType="fixedAmount",
        fixedAmount={"amount": "1.00"},
        discounts=[discount],
    )
    result = migrate_product(_product(fees=[_fee(amount="5.00"), done]))
    assert result.source_version == "v4"
    assert result.data["fees"][1] == done
    assert [n.path for n in result.notes if n.path[:2] == ("fees", 1)] == []


def test_migrate_product_a_non_numeric_extra_method_value_is_kept_for_a_human():
    fee = _fee(amount="5.00", transactionRate="n/a")
    migrated = migrate_product(_product(fees=[fee])).data["fees"][0]
    assert migrated["feeMethodUType"] == PLACEHOLDER
    assert (migrated["amount"], migrated["transactionRate"]) == ("5.00", "n/a")


def test_migrate_product_keeps_a_stated_application_type_and_odd_month_bounds():
    rate = {
        "depositRateType": "FIXED",
        "rate": "0.04",
        "applicationType": "MATURITY",
        "tiers": [{"name": "t", "unitOfMeasure": "MONTH", "minimumValue": 1.5}],
    }
    result = migrate_product(_product(depositRates=[rate]))
    migrated = result.data["depositRates"][0]
    assert migrated["applicationType"] == "MATURITY"
    assert migrated["tiers"][0]["minimumValue"] == "1.5"
    assert [n.path for n in result.notes if n.path] == [
        ("depositRates", 0, "tiers", 0, "minimumValue")
    ]


def test_migrate_product_lending_evidence_skips_odd_tiers_and_reads_conditions():
    rate = {
        "lendingRateType": "VARIABLE",
        "rate": "0.06",
        "applicationType": "PERIODIC",
        "applicationFrequency": "P1M",
        "tiers": [
            "not a tier",
            {
                "unitOfMeasure": "DOLLAR",
                "minimumValue": 0,
                "applicabilityConditions": {
                    "additionalInfo": "Interest only, for investors"
                },
            },
        ],
    }
    result = migrate_product(
        _product(name="Home Loan", productCategory="PERS_LOANS", lendingRates=[rate])
    )
    migrated = result.data["lendingRates"][0]
    assert (migrated["repaymentType"], migrated["loanPurpose"]) == (
        "INTEREST_ONLY",
        "INVESTMENT",
    )
    assert migrated["tiers"][0] == "not a tier"


def test_migrate_product_card_art_naming_two_schemes_or_keeping_one_is_not_guessed():
    arts = [
        {"title": "Visa or Mastercard Debit", "imageUri": "https://x.example/a.png"},
        {"title": "Card", "cardScheme": "EFTPOS", "imageUri": "https://x.example/b"},
    ]
    product = _product(
        name="Visa Everyday", productCategory="TRANS_AND_SAVINGS_ACCOUNTS"
    )
    result = migrate_product({**product, "cardArt": arts})
    first, second = result.data["cardArt"]
    # The title's two schemes contradict each other: the product name is not asked.
    assert (first["cardScheme"], first["cardType"]) == (PLACEHOLDER, "DEBIT")
    assert (second["cardScheme"], second["cardType"]) == ("EFTPOS", PLACEHOLDER)
    assert ("cardArt", 1, "cardScheme") not in [n.path for n in result.notes]


def test_migrate_product_to_v6_leaves_features_v6_has():
    product = _product(
        features=[{"featureType": "CARD_ACCESS"}, {"featureType": "EXTRA_DOWN_PAYMENT"}]
    )
    result = migrate_product(product, to="cds-v6")
    assert result.data["features"] == [
        {"featureType": "CARD_ACCESS"},
        {"featureType": PLACEHOLDER},
    ]


def test_migrate_product_leaves_a_wordy_amount_and_odd_list_entries_alone():
    product = _product(
        constraints=[{"constraintType": "MIN_LIMIT", "additionalValue": "ask us"}],
        fees=["not an object"],
        cardArt=[
            {"title": "Debit Mastercard", "imageUri": "https://x.example/a.png"},
            "not an object",
        ],
    )
    result = migrate_product(copy.deepcopy(product))
    assert result.data["constraints"][0]["additionalValue"] == "ask us"
    assert result.data["fees"] == ["not an object"]
    assert result.data["cardArt"][1] == "not an object"
