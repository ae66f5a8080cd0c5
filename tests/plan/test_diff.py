"""diff_products: field-level changes with arrays matched by identity."""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.cds.normalize import normalize
from catalog_sync.plan.diff import diff_products
from tests.cds.product_strategies import respell

REAL_PRODUCTS = Path(__file__).resolve().parents[3] / "shared" / "cdr" / "products"


def fee(name: str, amount: str, fee_type: str = "PERIODIC") -> dict[str, Any]:
    return {
        "name": name,
        "feeType": fee_type,
        "feeMethodUType": "fixedAmount",
        "fixedAmount": {"amount": amount},
    }


def fixed_rate(term: str, rate: str) -> dict[str, Any]:
    return {
        "lendingRateType": "FIXED",
        "rate": rate,
        "repaymentType": "PRINCIPAL_AND_INTEREST",
        "loanPurpose": "OWNER_OCCUPIED",
        "additionalValue": term,
        "additionalInfo": f"Fixed for {term}",
    }


def diff(before: dict[str, Any], after: dict[str, Any]):
    return diff_products(normalize(before), normalize(after))


def test_diff_equal_products_have_no_changes():
    product = {"productId": "p", "fees": [fee("Monthly fee", "5.00")]}
    assert diff(product, copy.deepcopy(product)) == ()


def test_diff_edited_fee_is_one_change_not_remove_and_add():
    before = {"fees": [fee("Monthly fee", "5.00"), fee("Exit fee", "30.00", "EXIT")]}
    after = {"fees": [fee("Exit fee", "30.00", "EXIT"), fee("Monthly fee", "6.00")]}
    (change,) = diff(before, after)
    assert change.kind == "changed"
    assert (
        change.path == 'fees[name="Monthly fee",feeType="PERIODIC"].fixedAmount.amount'
    )
    assert change.label == 'fees["Monthly fee"].fixedAmount.amount'
    assert change.subject == "Monthly fee"
    assert change.impact == "adverse"
    assert change.field == "fixedAmount.amount"
    assert (change.before, change.after, change.unit) == ("5.00", "6.00", "amount")


def test_diff_reordering_is_no_change():
    before = {"fees": [fee("A", "1.00"), fee("B", "2.00"), fee("C", "3.00")]}
    after = {"fees": list(reversed(before["fees"]))}
    assert diff(before, after) == ()


def test_diff_added_and_removed_elements():
    before = {"fees": [fee("A", "1.00"), fee("B", "2.00")]}
    after = {"fees": [fee("B", "2.00"), fee("C", "3.00")]}
    changes = diff(before, after)
    assert [(c.kind, c.subject, c.field, c.impact) for c in changes] == [
        ("removed", "A", "", "favourable"),
        ("added", "C", "", "adverse"),
    ]
    assert changes[1].after == normalize({"fees": [fee("C", "3.00")]})["fees"][0]


def test_diff_fee_changing_method_stays_one_fee():
    before = {"fees": [fee("Card fee", "1.00", "TRANSACTION")]}
    rate_based = {
        "name": "Card fee",
        "feeType": "TRANSACTION",
        "feeMethodUType": "rateBased",
        "rateBased": {"rateType": "TRANSACTION", "rate": "0.03"},
    }
    changes = diff(before, {"fees": [rate_based]})
    assert {c.subject for c in changes} == {"Card fee"}
    assert {(c.field, c.kind) for c in changes} == {
        ("feeMethodUType", "changed"),
        ("fixedAmount", "removed"),
        ("rateBased", "added"),
    }


def test_diff_rate_hike_across_look_alike_rates_pairs_each_with_its_term():
    terms = ["P1Y", "P2Y", "P3Y", "P5Y"]
    before = {
        "lendingRates": [fixed_rate(t, f"0.06{i + 1}") for i, t in enumerate(terms)]
    }
    after = {
        "lendingRates": [fixed_rate(t, f"0.07{i + 1}") for i, t in enumerate(terms)]
    }
    changes = diff(before, after)
    assert [(c.field, c.before, c.after, c.unit) for c in changes] == [
        ("rate", f"0.06{i + 1}", f"0.07{i + 1}", "rate") for i in range(4)
    ]
    words = ["1 year", "2 years", "3 years", "5 years"]
    assert [c.subject for c in changes] == [
        f"Fixed rate {w}, P&I, owner occupied" for w in words
    ]
    assert {c.impact for c in changes} == {"adverse"}  # a lending rate went up


def test_diff_tier_bound_change_is_nested_under_its_rate():
    rate = fixed_rate("P1Y", "0.06")
    rate["tiers"] = [
        {
            "name": "LVR",
            "unitOfMeasure": "PERCENT",
            "minimumValue": "0",
            "maximumValue": "0.8",
        }
    ]
    edited = copy.deepcopy(rate)
    edited["tiers"][0]["maximumValue"] = "0.90"
    (change,) = diff({"lendingRates": [rate]}, {"lendingRates": [edited]})
    assert change.subject == (
        "Fixed rate 1 year, P&I, owner occupied, LVR up to 90% > LVR up to 90%"
    )
    assert change.impact == "review"  # tier bound moves need a person
    assert (change.field, change.before, change.after, change.unit) == (
        "maximumValue",
        "0.8",
        "0.9",
        "rate",
    )


def test_diff_top_level_fields_and_type_changes():
    changes = diff(
        {"name": "A", "isTailored": False}, {"name": "B", "isTailored": "no"}
    )
    assert [(c.label, c.subject, c.kind) for c in changes] == [
        ("isTailored", "product", "changed"),
        ("name", "product", "changed"),
    ]


def test_diff_scalar_arrays_are_sets():
    before = {"bundles": [{"name": "b", "description": "d", "productIds": ["x", "y"]}]}
    after = {"bundles": [{"name": "b", "description": "d", "productIds": ["y", "z"]}]}
    changes = diff(before, after)
    assert [(c.label, c.kind) for c in changes] == [
        ('bundles["b"].productIds["x"]', "removed"),
        ('bundles["b"].productIds["z"]', "added"),
    ]


def test_diff_duplicate_identities_get_distinct_paths():
    before = {"fees": [fee("Fee", "1.00"), fee("Fee", "2.00")]}
    after = {"fees": [fee("Fee", "1.00"), fee("Fee", "3.00")]}
    (change,) = diff(before, after)
    assert (change.before, change.after) == ("2.00", "3.00")
    assert change.path.startswith('fees[name="Fee",feeType="PERIODIC",#')


def real_products() -> list[Path]:
    if not REAL_PRODUCTS.is_dir():
        return []
    return sorted(REAL_PRODUCTS.glob("*/*.json"))


@pytest.mark.skipif(not real_products(), reason="../shared/cdr/products is absent")
def test_diff_real_products_respelled_have_no_changes():
    for path in real_products():
        product = json.loads(path.read_text(encoding="utf-8"))
        respelled = respell(product, random.Random(path.name))
        assert diff(product, respelled) == (), path.name


@pytest.mark.skipif(not real_products(), reason="../shared/cdr/products is absent")
def test_diff_real_products_one_rate_edit_is_one_change():
    for path in real_products():
        product = json.loads(path.read_text(encoding="utf-8"))
        for array in ("lendingRates", "depositRates"):
            if not product.get(array):
                continue
            edited = copy.deepcopy(product)
            target = random.Random(path.name).choice(edited[array])
            target["rate"] = "0.4242"
            changes = diff(product, edited)
            assert [(c.field, c.after) for c in changes] == [("rate", "0.4242")], (
                path.name
            )


def test_diff_unit_of_additional_value_comes_from_the_element_type():
    before = {
        "constraints": [{"constraintType": "MIN_BALANCE", "additionalValue": "100.00"}]
    }
    after = {
        "constraints": [{"constraintType": "MIN_BALANCE", "additionalValue": "250.00"}]
    }
    (change,) = diff(before, after)
    assert (change.subject, change.field, change.unit) == (
        "Minimum balance",
        "additionalValue",
        "amount",
    )
    assert change.impact == "adverse"


def test_diff_one_and_true_are_different_values():
    (change,) = diff({"isTailored": 1}, {"isTailored": True})
    assert (change.before, change.after) == (1, True)


def test_diff_unit_of_a_frequency_is_duration():
    before = {"fees": [{**fee("Monthly fee", "5.00"), "applicationFrequency": "P1M"}]}
    after = {"fees": [{**fee("Monthly fee", "5.00"), "applicationFrequency": "P3M"}]}
    (change,) = diff(before, after)
    assert (change.field, change.before, change.after, change.unit) == (
        "applicationFrequency",
        "P1M",
        "P3M",
        "duration",
    )


def test_diff_scalar_replaced_by_an_object_with_its_key_is_one_change():
    (change,) = diff(
        {"features": ["OFFSET"]}, {"features": [{"featureType": "OFFSET"}]}
    )
    assert (change.kind, change.subject, change.before, change.after) == (
        "changed",
        "Offset",
        "OFFSET",
        {"featureType": "OFFSET"},
    )


def test_diff_very_many_look_alike_elements_are_still_paired_not_dropped():
    """101 x 101 candidates is past the similarity-scoring limit: pairing falls back to
    sorted order, which still reads as one change per fee."""

    def card_fee(amount: str) -> dict[str, Any]:
        return fee("Card fee", amount, "TRANSACTION")

    before = {"fees": [card_fee(f"{i}.00") for i in range(101)]}
    after = {"fees": [card_fee(f"{i}.50") for i in range(101)]}
    changes = diff(before, after)
    assert len(changes) == 101
    assert all(
        (c.kind, c.field, c.after)
        == ("changed", "fixedAmount.amount", f"{c.before[:-3]}.50")
        for c in changes
    )
    fewer = diff(before, {"fees": after["fees"][:100]})
    assert sorted({c.kind for c in fewer}) == ["changed", "removed"]
    assert sum(c.kind == "removed" for c in fewer) == 1
