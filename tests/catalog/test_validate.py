"""validate_document / validate_data: one located, plain-English problem per mistake."""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.catalog.document import Document
from catalog_sync.catalog.validate import validate_data
from catalog_sync.catalog.validate import validate_document

VALID: dict[str, Any] = {
    "productId": "everyday-saver",
    "productCategory": "TRANS_AND_SAVINGS_ACCOUNTS",
    "name": "Everyday Saver",
    "description": "A savings account with bonus interest.",
    "brand": "Wattle Bank",
    "brandName": "Wattle",
    "isTailored": False,
    "effectiveFrom": "2026-07-13T00:00:00+10:00",
    "applicationUri": "https://wattle.example.com.au/apply",
    "additionalInformation": {"overviewUri": "https://wattle.example.com.au/saver"},
    "features": [{"featureType": "DIGITAL_BANKING"}],
    "fees": [
        {
            "name": "Paper statement",
            "feeType": "EVENT",
            "feeMethodUType": "fixedAmount",
            "fixedAmount": {"amount": "2.50"},
            "currency": "AUD",
        }
    ],
    "depositRates": [
        {
            "depositRateType": "VARIABLE",
            "rate": "0.0525",
            "applicationType": "PERIODIC",
            "applicationFrequency": "P1M",
            "tiers": [
                {
                    "name": "Up to $250k",
                    "unitOfMeasure": "DOLLAR",
                    "minimumValue": "0.00",
                    "maximumValue": "250000.00",
                }
            ],
        }
    ],
}


def product(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def document(data: dict[str, Any], **tables: Any) -> Document:
    return Document(path=Path("x.yaml"), display_path="x.yaml", data=data, **tables)


def problems(data: dict[str, Any], schema: str = "cds-v7") -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in validate_document(document(data), schema)]


def test_valid_product_has_no_problems() -> None:
    assert validate_document(document(product()), "cds-v7") == []
    assert validate_document(document(product()), "cds-v6") == []


def test_explicit_nulls_for_optional_fields_are_absent() -> None:
    data = product(
        brandName=None, effectiveTo=None, additionalInformation=None, cardArt=None
    )
    data.update(
        brandName=None, effectiveTo=None, additionalInformation=None, cardArt=None
    )
    assert validate_document(document(data), "cds-v7") == []


def test_null_mandatory_field_is_a_problem() -> None:
    [problem] = validate_document(
        document(product(name=None) | {"name": None}), "cds-v7"
    )
    assert (problem.path, problem.code) == ("name", "schema.null")


def test_missing_fee_method_names_the_choices() -> None:
    data = product()
    del data["fees"][0]["feeMethodUType"]
    [problem] = validate_document(
        document(data, positions={("fees", 0): (20, 5)}), "cds-v7"
    )
    assert problem.path == "fees[0].feeMethodUType"
    assert (problem.line, problem.col) == (20, 5)
    assert (
        problem.hint == "add `feeMethodUType`: one of fixedAmount, rateBased, variable"
    )


def test_unknown_field_is_reported_at_its_key() -> None:
    data = product(colour="green")
    doc = document(
        data, key_positions={("colour",): (7, 1)}, positions={("colour",): (7, 9)}
    )
    [problem] = validate_document(doc, "cds-v7")
    assert (problem.line, problem.col, problem.path) == (7, 1, "colour")
    assert problem.code == "schema.unknown-field"


def test_last_updated_in_a_file_says_the_server_sets_it() -> None:
    data = product(lastUpdated="2026-01-01T00:00:00Z")
    [problem] = validate_document(document(data), "cds-v7")
    assert problem.path == "lastUpdated"
    assert "server" in problem.message
    assert problem.hint is not None
    assert "remove `lastUpdated`" in problem.hint


def test_validate_data_accepts_last_updated_from_the_server() -> None:
    data = product(lastUpdated="2026-01-01T00:00:00Z")
    assert validate_data(data, "cds-v7") == []
    [problem] = validate_data(product(lastUpdated="yesterday"), "cds-v7")
    assert (problem.file, problem.line, problem.path) == (
        "request body",
        0,
        "lastUpdated",
    )


def test_adversarial_long_string_fails_fast_on_max_length() -> None:
    data = product(productId="a" * 50_000 + "!")
    started = time.perf_counter()
    [problem] = validate_document(document(data), "cds-v7")
    assert time.perf_counter() - started < 1.0
    assert (problem.path, problem.code) == ("productId", "schema.too-long")


@pytest.mark.parametrize(
    "bad_id", ["../admin", "a/b", "%2e%2e", "a\x00b", "abc ", " abc", "ä"]
)
def test_unsafe_product_ids_are_rejected(bad_id: str) -> None:
    assert problems(product(productId=bad_id)) == [("productId", "schema.format")]
