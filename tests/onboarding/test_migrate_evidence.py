"""migrate derives a fact only from evidence in the object the fact belongs to (or, for a
card, what the product says about its card), never from the product's name, and nothing
when the evidence disagrees; each placeholder then says why. Small synthetic products, and
the real captures that showed each mistake."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.catalog.validate import validate_data
from catalog_sync.onboarding.migrate import migrate_product
from catalog_sync.onboarding.notes import PLACEHOLDER
from catalog_sync.onboarding.notes import Migration
from catalog_sync.onboarding.notes import NoteKind

CAPTURES = Path(__file__).resolve().parents[3] / "shared" / "cdr" / "products"
real_data = pytest.mark.skipif(not CAPTURES.is_dir(), reason="../shared is absent")


def _product(**extra: Any) -> dict[str, Any]:
    base = {
        "productId": "p-1",
        "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
        "name": "Product",
        "description": "A product.",
        "brand": "ACME",
        "isTailored": False,
    }
    return {**base, **extra}


def _capture(name: str) -> Migration:
    return migrate_product(json.loads((CAPTURES / name).read_text(encoding="utf-8")))


def _note(result: Migration, *path: Any) -> str:
    [note] = [n for n in result.notes if n.path == path]
    return f"{note.kind.value}: {note.message} / {note.evidence}"


# Fee types -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Break Costs",  # charged when a fixed rate is broken early, not for closing
        "Break Cost",
        "Early Repayment Cost",  # a full or a partial early repayment
        "Discharge fee",  # other banks file discharge fees as EVENT
        "Breaking TD Term - Interest Adjustment",
    ],
)
def test_fee_names_that_do_not_say_closing_are_not_exit_fees(name):
    fee = {"name": name, "feeType": "VARIABLE"}
    result = migrate_product(_product(fees=[fee]))
    assert result.data["fees"][0]["feeType"] == PLACEHOLDER
    assert _note(result, "fees", 0, "feeType").endswith(
        "the source does not say / None"
    )


def test_a_fee_name_with_words_of_two_types_derives_neither_and_says_why():
    fee = {
        "name": "Non Suncorp Bank ATM withdrawals & enquiries",
        "feeType": "VARIABLE",
    }
    result = migrate_product(_product(fees=[fee]))
    assert result.data["fees"][0]["feeType"] == PLACEHOLDER
    note = _note(result, "fees", 0, "feeType")
    assert note.startswith("needs-human: V6 has no feeType VARIABLE")
    assert (
        'migrate derived nothing because the evidence disagrees: ENQUIRY ("enquiries" '
        'in the fee\'s name "Non Suncorp Bank ATM withdrawals & enquiries"); '
        'WITHDRAWAL ("withdrawals" in the fee\'s name' in note
    )


@pytest.mark.parametrize(
    ("name", "fee_type"),
    [
        ("Account closure fee", "EXIT"),
        ("Exit fee", "EXIT"),
        ("Dishonour fee", "DISHONOUR"),
        ("Card replacement", "REPLACEMENT"),
        ("Cash advance fee", "CASH_ADVANCE"),
        ("Establishment fee", "UPFRONT"),
        ("Balance enquiry", "ENQUIRY"),
        ("Non-ACME ATM withdrawal", "WITHDRAWAL"),
    ],
)
def test_a_fee_name_in_the_standards_words_for_one_type_derives_it(name, fee_type):
    result = migrate_product(_product(fees=[{"name": name, "feeType": "VARIABLE"}]))
    assert result.data["fees"][0]["feeType"] == fee_type
    assert _note(result, "fees", 0, "feeType") == (
        f'derived: feeType VARIABLE became {fee_type} / the fee\'s name says "{name}"'
    )


@real_data
def test_real_break_costs_and_withdrawals_and_enquiries_are_left_to_a_human():
    novated = _capture("westpac/westpacnovatedlease.json")
    assert novated.data["fees"][4]["name"] == "Break Costs"
    assert novated.data["fees"][4]["feeType"] == PLACEHOLDER
    everyday = _capture("suncorp-bank/edo.json")
    assert everyday.data["fees"][17]["feeType"] == PLACEHOLDER
    assert "ENQUIRY" in _note(everyday, "fees", 17, "feeType")
    assert "WITHDRAWAL" in _note(everyday, "fees", 17, "feeType")


# Lending facts: the rate's own text, never the product's name ------------------------


def _overdraft(**rate: Any) -> dict[str, Any]:
    return {
        "lendingRateType": "VARIABLE",
        "rate": "0.12",
        "applicationFrequency": "P1M",
        **rate,
    }


def test_a_savings_accounts_overdraft_rate_gets_no_loan_purpose_from_the_name():
    product = _product(
        name="Commonwealth Direct Investment Account",
        lendingRates=[
            _overdraft(
                additionalInfo="The interest rate that applies to overdrawn amounts"
            ),
            _overdraft(
                additionalInfo="SMSF Commonwealth direct investment account option - "
                "the interest rate that applies to overdrawn amounts"
            ),
        ],
    )
    result = migrate_product(product)
    assert [r["loanPurpose"] for r in result.data["lendingRates"]] == [PLACEHOLDER] * 2
    assert _note(result, "lendingRates", 0, "loanPurpose").endswith(
        "the source does not say / None"
    )


@pytest.mark.parametrize(
    ("info", "repayment", "purpose"),
    [
        ("Available for investment property loans", PLACEHOLDER, "INVESTMENT"),
        ("Interest only repayments are not available", PLACEHOLDER, PLACEHOLDER),
        # A negated mention is no evidence for its value, yet still counts against
        # another: a negation read wrongly must not hide one side of a conflict.
        (
            "Not for investment loans. Owner occupied, principal & interest",
            "PRINCIPAL_AND_INTEREST",
            PLACEHOLDER,
        ),
        (
            "Owner occupied loans with no annual fee; investment loans also available",
            PLACEHOLDER,
            PLACEHOLDER,
        ),
        ("Owner occupiers and investors", PLACEHOLDER, PLACEHOLDER),
    ],
)
def test_lending_facts_read_the_rates_words_and_never_a_negated_one(
    info, repayment, purpose
):
    result = migrate_product(_product(lendingRates=[_overdraft(additionalInfo=info)]))
    migrated = result.data["lendingRates"][0]
    assert (migrated["repaymentType"], migrated["loanPurpose"]) == (repayment, purpose)


def test_a_negated_mention_is_quoted_as_negated():
    rate = _overdraft(additionalInfo="Interest only repayments are not available")
    result = migrate_product(_product(lendingRates=[rate]))
    assert _note(result, "lendingRates", 0, "repaymentType").endswith(
        'the evidence disagrees: INTEREST_ONLY ("Interest only" negated in the rate '
        '"Interest only repayments are not available") / None'
    )


def test_a_rate_naming_two_purposes_says_which_words_disagree():
    rate = _overdraft(
        additionalInfo="Owner occupied",
        tiers=[{"name": "Investor rate", "unitOfMeasure": "DOLLAR", "minimumValue": 0}],
    )
    result = migrate_product(_product(lendingRates=[rate]))
    assert _note(result, "lendingRates", 0, "loanPurpose").endswith(
        'the evidence disagrees: INVESTMENT ("Investor" in the rate\'s tier '
        '"Investor rate"); OWNER_OCCUPIED ("Owner occupied" in the rate "Owner '
        'occupied") / None'
    )


@real_data
def test_real_investment_account_and_investment_loan_rates_get_no_purpose_from_names():
    account = _capture("commbank/da527ba1942246edac4d5da36dbc1da8.json")
    assert account.data["productCategory"] == "TRANS_AND_SAVINGS_ACCOUNTS"
    assert {r["loanPurpose"] for r in account.data["lendingRates"]} == {PLACEHOLDER}
    loan = _capture("westpac/btabsoluteinvestmentloan.json")
    assert {r["loanPurpose"] for r in loan.data["lendingRates"]} == {PLACEHOLDER}
    derived = [str(n.evidence) for n in [*account.notes, *loan.notes]]
    assert not [e for e in derived if "product name" in e]


# applicationType ---------------------------------------------------------------------


def _deposit(**rate: Any) -> dict[str, Any]:
    return {"depositRateType": "FIXED", "rate": "0.04", **rate}


@pytest.mark.parametrize("frequency", ["P0D", "PT0S", "month", "P"])
def test_a_frequency_that_is_no_period_is_no_evidence_for_periodic(frequency):
    result = migrate_product(
        _product(depositRates=[_deposit(applicationFrequency=frequency)])
    )
    assert result.data["depositRates"][0]["applicationType"] == PLACEHOLDER
    assert (
        f"applicationFrequency {frequency!r} is not a period, so it is no evidence"
        in _note(result, "depositRates", 0, "applicationType")
    )


@pytest.mark.parametrize(
    ("frequency", "term", "expected"),
    [
        ("P1M", "P12M", "PERIODIC"),
        ("P1Y", "P2Y", "PERIODIC"),
        ("P6M", "P6M", PLACEHOLDER),  # applied once, at the end of the term
        ("P1Y", "P12M", PLACEHOLDER),
        ("P1Y", "P1M", PLACEHOLDER),
        ("P4W", "P1M", PLACEHOLDER),  # a month may be 28 days
        ("P1M", "P90D", "PERIODIC"),
        ("P1D", "not a term", "PERIODIC"),
    ],
)
def test_a_frequency_counts_only_when_shorter_than_the_fixed_term(
    frequency, term, expected
):
    rate = _deposit(applicationFrequency=frequency, additionalValue=term)
    result = migrate_product(_product(depositRates=[rate]))
    assert result.data["depositRates"][0]["applicationType"] == expected


def test_a_frequency_as_long_as_the_term_says_why_nothing_was_derived():
    rate = _deposit(applicationFrequency="P6M", additionalValue="P6M")
    result = migrate_product(_product(depositRates=[rate]))
    assert _note(result, "depositRates", 0, "applicationType").endswith(
        "applicationFrequency P6M is not shorter than the fixed term P6M "
        "(additionalValue), so it does not show that the rate is applied more than "
        "once (MATURITY if it is applied at the end of the term) / None"
    )


@pytest.mark.parametrize(
    ("rate", "expected"),
    [
        # The V4 habit: an at-maturity rate's frequency is its term.
        (
            {
                "applicationFrequency": "P6M",
                "additionalValue": "P6M",
                "additionalInfo": "Interest paid at maturity",
            },
            "MATURITY",
        ),
        (
            {
                "applicationFrequency": "P1M",
                "additionalValue": "P12M",
                "additionalInfo": "Interest paid at maturity",
            },
            PLACEHOLDER,
        ),
        (
            {
                "additionalInfo": "Interest paid at maturity",
                "tiers": [{"name": "Monthly interest", "unitOfMeasure": "MONTH"}],
            },
            PLACEHOLDER,
        ),
        (
            {
                "applicationFrequency": "P1M",
                "additionalInfo": "Interest paid monthly or at maturity",
            },
            "PERIODIC",
        ),
        ({"additionalInfo": "Interest is not paid at maturity"}, PLACEHOLDER),
    ],
)
def test_maturity_text_is_evidence_unless_other_evidence_disagrees(rate, expected):
    result = migrate_product(_product(depositRates=[_deposit(**rate)]))
    assert result.data["depositRates"][0]["applicationType"] == expected


def test_maturity_text_against_a_shorter_frequency_quotes_both():
    rate = _deposit(
        applicationFrequency="P1M",
        additionalValue="P12M",
        additionalInfo="Interest paid at maturity",
    )
    result = migrate_product(_product(depositRates=[rate]))
    assert _note(result, "depositRates", 0, "applicationType").endswith(
        'migrate derived nothing because the rate says "Interest paid at maturity" '
        "but applicationFrequency P1M, shorter than the fixed term P12M (applied "
        "periodically) / None"
    )


@real_data
def test_real_term_deposits_whose_frequency_is_not_shorter_than_the_term():
    commbank = _capture("commbank/5669534e63ea45d0b9c0b58ead071748.json")
    one_month = commbank.data["depositRates"][13]
    assert (one_month["additionalValue"], one_month["applicationFrequency"]) == (
        "P1M",
        "P1Y",
    )
    assert one_month["applicationType"] == PLACEHOLDER
    bendigo = _capture("bendigo-bank/bd41ed42-262c-4445-a7f6-f3b61314ec0c.json")
    assert bendigo.data["depositRates"][0]["applicationType"] == PLACEHOLDER
    westpac = _capture("westpac/tdbustermdeposit.json")
    monthly, at_maturity = westpac.data["depositRates"][32:34]
    assert (monthly["applicationType"], at_maturity["applicationType"]) == (
        "PERIODIC",
        PLACEHOLDER,
    )


# Card art: the card's title, else what the product says about its card ---------------


def _card_product(title: str | None = None, **extra: Any) -> dict[str, Any]:
    art = {"imageUri": "https://x.example/card.png"}
    if title is not None:
        art["title"] = title
    return _product(cardArt=[art], **extra)


def _card(result: Migration) -> tuple[str, str]:
    art = result.data["cardArt"][0]
    return art["cardScheme"], art["cardType"]


@pytest.mark.parametrize(
    ("features", "description", "expected"),
    [
        (
            [{"featureType": "OTHER", "additionalInfo": "A Mastercard® card"}],
            "",
            ("MASTERCARD", PLACEHOLDER),
        ),
        (
            [{"featureType": "CARD_ACCESS", "additionalValue": "Visa payWave"}],
            "",
            ("VISA", PLACEHOLDER),
        ),
        ([], "Comes with a Wise debit card.", (PLACEHOLDER, "DEBIT")),
        ([], "The Travel Money Card is a prepaid Visa card.", ("VISA", PLACEHOLDER)),
    ],
)
def test_card_facts_come_from_what_the_product_says_about_its_card(
    features, description, expected
):
    product = _card_product("Everyday card", features=features)
    if description:
        product["description"] = description
    result = migrate_product(product)
    assert _card(result) == expected
    derived = result.of_kind(NoteKind.DERIVED)
    assert derived
    for note in derived:
        assert 'the card title "Everyday card" does not say' in str(note.evidence)


def test_a_card_title_decides_when_the_product_also_names_its_other_card():
    features = [
        {
            "featureType": "CARD_ACCESS",
            "additionalValue": "EFTPOS Debit Card for Ages 11-15",
        },
        {
            "featureType": "CARD_ACCESS",
            "additionalValue": "Visa Debit for Ages 16 and older",
        },
    ]
    result = migrate_product(_card_product("Visa Debit", features=features))
    assert _card(result) == ("VISA", "DEBIT")
    assert _note(result, "cardArt", 0, "cardScheme") == (
        'derived: cardScheme VISA / the card title says "Visa Debit"'
    )


def test_a_card_title_the_product_contradicts_derives_nothing():
    features = [{"featureType": "OTHER", "additionalInfo": "Mastercard Zero Liability"}]
    result = migrate_product(_card_product("Visa Debit", features=features))
    assert _card(result) == (PLACEHOLDER, "DEBIT")
    assert _note(result, "cardArt", 0, "cardScheme").endswith(
        'the evidence disagrees: MASTERCARD ("Mastercard" in features[0].additionalInfo '
        '"Mastercard Zero Liability"); VISA ("Visa" in the card title "Visa Debit") / None'
    )


def test_a_product_naming_two_schemes_and_a_title_naming_none_derives_nothing():
    description = "Choose a Visa Debit card or a Debit Mastercard."
    result = migrate_product(_card_product("Card", description=description))
    assert _card(result) == (PLACEHOLDER, "DEBIT")
    assert "MASTERCARD" in _note(result, "cardArt", 0, "cardScheme")


def test_visas_of_another_kind_terminals_and_negated_cards_are_not_evidence():
    product = _card_product(
        None,
        description="Available to valid visa holders. Use ATM and EFTPOS terminals.",
        features=[
            "not a feature",
            {"featureType": "OTHER", "additionalInfo": "No access to debit card"},
            {"featureType": "OTHER", "additionalValue": "Pay by visa"},
        ],
        eligibility=[
            {
                "eligibilityType": "RESIDENCY_STATUS",
                "additionalValue": "Visa Debit card holders",
            }
        ],
        fees=[
            {"name": "Mastercard ATM fee", "feeType": "WITHDRAWAL", "amount": "2.00"}
        ],
    )
    assert _card(migrate_product(product)) == (PLACEHOLDER, PLACEHOLDER)


def test_card_art_without_a_title_takes_what_the_product_says():
    result = migrate_product(_card_product(None, description="A Visa Debit card."))
    assert _card(result) == ("VISA", "DEBIT")
    assert _note(result, "cardArt", 0, "cardType") == (
        'derived: cardType DEBIT / the product description says "A Visa Debit card."'
    )


def test_a_card_title_the_product_denies_derives_nothing():
    features = [{"featureType": "OTHER", "additionalInfo": "No access to a debit card"}]
    result = migrate_product(_card_product("Visa Debit", features=features))
    assert _card(result) == ("VISA", PLACEHOLDER)


def test_card_titles_naming_two_schemes_are_not_guessed():
    result = migrate_product(_card_product("Visa or Amex Credit Card"))
    assert _card(result) == (PLACEHOLDER, "CREDIT")


@real_data
def test_real_card_schemes_come_from_features_and_descriptions_not_names():
    business = _capture("westpac/ccbuschoicerewardsplat.json")
    assert _card(business) == ("MASTERCARD", "CREDIT")
    assert "features[1].additionalInfo says" in _note(
        business, "cardArt", 0, "cardScheme"
    )
    travel = _capture("commbank/0f55775f416844b19c1f0cebb8d157a1.json")
    assert _card(travel) == ("VISA", PLACEHOLDER)
    retirement = _capture("st-george-bank/stgtrretirementaccess.json")
    assert _card(retirement) == ("VISA", "DEBIT")
    amplify = _capture("st-george-bank/stgccamplifyplatinumcardfrequentflyer.json")
    # "Look for the Visa and Mastercard signs": two schemes, so none is chosen.
    assert _card(amplify) == (PLACEHOLDER, "CREDIT")
    assert "product description says" in _note(amplify, "cardArt", 0, "cardType")


# PERCENT tier bounds: each rate's own tiers say how they were written -----------------


def _lvr_rate(*bounds: tuple[float, float]) -> dict[str, Any]:
    tiers = [
        {
            "name": f"LVR {i}",
            "unitOfMeasure": "PERCENT",
            "minimumValue": low,
            "maximumValue": high,
        }
        for i, (low, high) in enumerate(bounds)
    ]
    return {
        "lendingRateType": "VARIABLE",
        "rate": "0.06",
        "applicationType": "PERIODIC",
        "applicationFrequency": "P1M",
        "repaymentType": "PRINCIPAL_AND_INTEREST",
        "loanPurpose": "OWNER_OCCUPIED",
        "tiers": tiers,
    }


def _bounds(rate: dict[str, Any]) -> list[tuple[Any, Any]]:
    return [(t["minimumValue"], t["maximumValue"]) for t in rate["tiers"]]


def test_percentages_in_one_rate_do_not_rescale_fractions_in_another():
    product = _product(
        productCategory="RESIDENTIAL_MORTGAGES",
        lendingRates=[_lvr_rate((0, 70), (70.01, 80)), _lvr_rate((0.001, 0.95))],
    )
    result = migrate_product(product)
    percentages, fractions = result.data["lendingRates"]
    assert _bounds(percentages) == [("0", "0.7"), ("0.7001", "0.8")]
    assert _bounds(fractions) == [("0.001", "0.95")]
    assert _note(result, "lendingRates", 0, "tiers").endswith(
        "so each was divided by 100 / tier 'LVR 0' maximumValue 70"
    )
    assert [n.path for n in result.of_kind(NoteKind.DERIVED)] == [
        ("lendingRates", 0, "tiers")
    ]


def test_a_rate_whose_tiers_disagree_on_the_scale_keeps_its_numbers_for_a_human():
    result = migrate_product(_product(lendingRates=[_lvr_rate((0, 0.6), (60.01, 80))]))
    rate = result.data["lendingRates"][0]
    assert _bounds(rate) == [(0, 0.6), (60.01, 80)]
    assert _note(result, "lendingRates", 0, "tiers").startswith(
        "needs-human: V6 writes PERCENT tier bounds as fractions (0.70 for 70%), and "
        "this rate's tiers disagree on how the source wrote them: tier 'LVR 1' "
        "minimumValue 60.01 is a percentage, tier 'LVR 0' maximumValue 0.6 a fraction"
    )
    problems = {p.path for p in validate_data(result.data, "cds-v7")}
    assert "lendingRates[0].tiers[1].minimumValue" in problems
    again = migrate_product(result.data)
    assert not again.changed
    assert [n.path for n in again.of_kind(NoteKind.NEEDS_HUMAN)] == [
        ("lendingRates", 0, "tiers")
    ]
