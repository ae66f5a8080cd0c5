"""normalize: one canonical form for both sides; idempotent and lossless."""

from __future__ import annotations

import json
import random
from types import MappingProxyType

import yaml
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from catalog_sync.cds.normalize import normalize
from tests.cds.product_strategies import products
from tests.cds.product_strategies import respell


def fee(amount: str, **extra: object) -> dict[str, object]:
    return {
        "name": "Monthly fee",
        "feeType": "PERIODIC",
        "feeMethodUType": "fixedAmount",
        "fixedAmount": {"amount": amount},
        **extra,
    }


def test_normalize_drops_nulls_empty_arrays_and_empty_objects():
    product = {
        "productId": "p",
        "brandName": None,
        "cardArt": [],
        "additionalInformation": {"overviewUri": None},
        "fees": [fee("5.00", additionalInfo=None, discounts=[])],
    }
    assert normalize(product) == {"productId": "p", "fees": [fee("5.00")]}


def test_normalize_drops_server_managed_last_updated():
    assert normalize({"productId": "p", "lastUpdated": "2026-01-01T00:00:00Z"}) == {
        "productId": "p"
    }


def test_normalize_rates_lose_trailing_zeros():
    rate = {
        "lendingRateType": "VARIABLE",
        "rate": "0.0500",
        "comparisonRate": "0.0135000000000000",
    }
    out = normalize({"lendingRates": [rate]})["lendingRates"][0]
    assert (out["rate"], out["comparisonRate"]) == ("0.05", "0.0135")


def test_normalize_rate_strings_equal_by_value_compare_equal():
    assert normalize(
        {"depositRates": [{"depositRateType": "BONUS", "rate": "0.0500"}]}
    ) == (normalize({"depositRates": [{"depositRateType": "BONUS", "rate": "0.05"}]}))


def test_normalize_amounts_keep_two_decimals():
    amounts = [
        normalize({"fees": [fee(a)]})["fees"][0]["fixedAmount"]["amount"]
        for a in ("5", "5.0", "5.000", "5.125", "0.00")
    ]
    assert amounts == ["5.00", "5.00", "5.00", "5.125", "0.00"]


def test_normalize_units_depend_on_context():
    product = {
        "constraints": [
            {"constraintType": "MAX_LVR", "additionalValue": "0.800"},
            {"constraintType": "MIN_BALANCE", "additionalValue": "100"},
        ],
        "lendingRates": [
            {
                "lendingRateType": "VARIABLE",
                "rate": "0.06",
                "tiers": [
                    {
                        "name": "LVR",
                        "unitOfMeasure": "PERCENT",
                        "minimumValue": "0.00",
                        "maximumValue": "0.70",
                    },
                    {
                        "name": "Bal",
                        "unitOfMeasure": "DOLLAR",
                        "minimumValue": "0",
                        "maximumValue": "1000.5",
                    },
                    {
                        "name": "Term",
                        "unitOfMeasure": "MONTH",
                        "minimumValue": "01",
                        "maximumValue": "12",
                    },
                ],
            }
        ],
        "features": [{"featureType": "FREE_TXNS", "additionalValue": "10.0"}],
    }
    out = normalize(product)
    assert [c["additionalValue"] for c in out["constraints"]] == ["0.8", "100.00"]
    tiers = {
        t["name"]: (t["minimumValue"], t["maximumValue"])
        for t in out["lendingRates"][0]["tiers"]
    }
    assert tiers == {
        "LVR": ("0", "0.7"),
        "Bal": ("0.00", "1000.50"),
        "Term": ("01", "12"),
    }
    assert out["features"][0]["additionalValue"] == "10.0"  # a count, not an amount


def test_normalize_leaves_invalid_decimals_for_the_validator():
    out = normalize({"fees": [fee("1e3"), {**fee("$5"), "name": "Other"}]})
    assert sorted(f["fixedAmount"]["amount"] for f in out["fees"]) == ["$5", "1e3"]


def test_normalize_drops_default_fee_currency_only():
    out = normalize(
        {
            "fees": [
                fee("5.00", currency="AUD"),
                {**fee("1.00", currency="USD"), "name": "FX"},
            ]
        }
    )
    assert [f.get("currency") for f in out["fees"]] == ["USD", None]  # sorted by name


def test_normalize_array_order_does_not_matter():
    one = {
        "fees": [fee("5.00"), {**fee("1.00"), "name": "Exit"}],
        "bundles": [{"name": "b", "productIds": ["z", "a"]}],
    }
    two = {
        "bundles": [{"productIds": ["a", "z"], "name": "b"}],
        "fees": [{**fee("1.00"), "name": "Exit"}, fee("5.00")],
    }
    assert json.dumps(normalize(one)) == json.dumps(normalize(two))


def test_normalize_does_not_modify_its_input():
    product = {"fees": [fee("5.0", currency=None)], "lastUpdated": "x"}
    before = json.dumps(product)
    normalize(product)
    assert json.dumps(product) == before


@settings(deadline=None)  # per-example time swings on a shared machine
@given(products("p"))
def test_normalize_is_idempotent(product):
    once = normalize(product)
    assert normalize(once) == once


@settings(deadline=None)  # per-example time swings on a shared machine
@given(products("p"))
def test_normalize_canonical_form_survives_a_json_round_trip(product):
    once = normalize(product)
    assert json.loads(json.dumps(once)) == once
    assert normalize(json.loads(json.dumps(once))) == once


@settings(deadline=None)  # per-example time swings on a shared machine
@given(products("p"), st.integers(0, 2**32))
def test_normalize_undoes_harmless_respelling(product, seed):
    assert normalize(respell(product, random.Random(seed))) == normalize(product)


@settings(deadline=None)  # per-example time swings on a shared machine
@given(products("p"))
def test_normalize_canonical_form_survives_a_yaml_round_trip(product):
    once = normalize(product)
    assert (
        yaml.safe_load(yaml.safe_dump(once, sort_keys=True, allow_unicode=True)) == once
    )


def test_normalize_negative_zero_is_zero():
    out = normalize(
        {
            "depositRates": [{"depositRateType": "VARIABLE", "rate": "-0.00"}],
            "fees": [fee("-0")],
        }
    )
    assert out["depositRates"][0]["rate"] == "0"
    assert out["fees"][0]["fixedAmount"]["amount"] == "0.00"


def test_normalize_drops_nulls_inside_arrays_and_nested_arrays():
    out = normalize({"productIds": [None, "b", None], "extra": [[None, "y"], []]})
    assert out == {"productIds": ["b"], "extra": [["y"]]}


class _Text(str):
    """A str subclass, as an enum or a YAML library's scalar type would be."""


def test_normalize_read_only_mappings_tuples_and_str_subclasses_like_plain_json():
    plain = {
        "fees": [fee("5.0", currency="AUD")],
        "features": [{"featureType": "OFFSET"}],
    }
    frozen = MappingProxyType(
        {
            "fees": (
                MappingProxyType(
                    {
                        **fee("5.0", currency=_Text("AUD")),
                        "fixedAmount": MappingProxyType({"amount": _Text("5.0")}),
                    }
                ),
            ),
            "features": ({"featureType": "OFFSET"}, None),
        }
    )
    assert normalize(frozen) == normalize(plain)
    assert normalize(frozen)["fees"][0]["fixedAmount"]["amount"] == "5.00"


def test_normalize_a_decimal_with_a_trailing_newline_is_not_a_plain_decimal():
    """`$` in a Python regex also matches before a final newline: "5.00\\n" is not an
    AmountString, so it must not be respelled into one and hide the difference."""
    out = normalize({"fees": [fee("5.00\n")], "depositRates": [{"rate": "0.050\n"}]})
    assert out["fees"][0]["fixedAmount"]["amount"] == "5.00\n"
    assert out["depositRates"][0]["rate"] == "0.050\n"
    assert normalize({"fees": [fee("5.00\n")]}) != normalize({"fees": [fee("5.00")]})
