"""detect_version: the shape's version with the evidence that decided it."""

from __future__ import annotations

import pytest

from catalog_sync.onboarding.versions import detect_version

BASE = {"productId": "p", "name": "n", "productCategory": "PERS_LOANS"}


@pytest.mark.parametrize(
    ("extra", "version"),
    [
        ({"fees": [{"name": "f", "feeType": "EVENT", "amount": "1.00"}]}, "v4"),
        (
            {
                "fees": [{"name": "f", "feeType": "EVENT", "amount": "1.00"}],
                "constraints": [
                    {"constraintType": "MAX_LVR", "additionalValue": "0.8"}
                ],
            },
            "v5",
        ),
        (
            {"fees": [{"name": "f", "feeType": "EVENT", "feeMethodUType": "variable"}]},
            "v6",
        ),
        ({"brandGroup": "g"}, "v7"),
        ({"productCategory": "BUY_NOW_PAY_LATER"}, "v7"),
        ({}, "v6"),
    ],
)
def test_detect_version_from_version_specific_fields(extra, version):
    detected, evidence = detect_version({**BASE, **extra})
    assert detected == version
    assert evidence


def test_detect_version_legacy_leftovers_win_over_newer_fields():
    product = {
        **BASE,
        "brandGroup": "g",
        "fees": [{"name": "f", "feeType": "EVENT", "amount": "1.00"}],
    }
    version, evidence = detect_version(product)
    assert version == "v4"
    assert "fees[0] has no feeMethodUType" in evidence


def test_detect_version_a_fee_with_both_shapes_is_still_pre_v6():
    fee = {"name": "f", "feeType": "EVENT", "feeMethodUType": "fixedAmount"}
    version, evidence = detect_version({**BASE, "fees": [{**fee, "amount": "1.00"}]})
    assert version == "v4"
    assert evidence == ("fees[0] has a pre-V6 amount or rate field",)


def test_detect_version_card_art_with_only_a_card_type_is_no_evidence():
    version, evidence = detect_version({**BASE, "cardArt": [{"cardType": "DEBIT"}]})
    assert version == "v6"
    assert evidence == (
        "no version-specific fields: the V6 and V7 shapes are identical here",
    )


def test_detect_version_names_a_fee_type_new_in_v6():
    fee = {"name": "f", "feeType": "DISHONOUR", "feeMethodUType": "variable"}
    version, evidence = detect_version({**BASE, "fees": [fee]})
    assert version == "v6"
    assert evidence == (
        "fees[0].feeMethodUType",
        "fees[0].feeType DISHONOUR (new in V6)",
    )
