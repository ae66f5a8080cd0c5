"""The generator's reading of the DSB's additionalValue tables (scripts/product_components):
the wording it classifies, and wording it refuses to guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.product_components import NOT_APPLICABLE
from scripts.product_components import OPTIONAL
from scripts.product_components import REQUIRED
from scripts.product_components import TEXT
from scripts.product_components import UnclassifiedError
from scripts.product_components import Usage
from scripts.product_components import classify
from scripts.product_components import parse_tables
from scripts.product_components import read_tables

SPEC_DIR = Path(__file__).resolve().parents[3] / "shared" / "cdr" / "spec"

TABLE = """\
Description of the usage of the _featureType_ field as it applies to products.

| Value | Description | Use of _additionalValue_ Field |
| ----- | ----------- | ------------------------------ |
| OTHER | Another feature. The _additionalInfo_ field is mandatory for this type. | N/A |
| FREE_TXNS | Free transactions. | The number of free transactions. |

Description of the usage of the _maturityInstructions_ field as it applies to accounts.

| Value | Description | Use of _additionalValue_ Field |
| ----- | ----------- | ------------------------------ |
| ROLLED_OVER | Rolled over. | N/A |
"""


def test_parse_tables_reads_product_tables_and_skips_account_ones() -> None:
    assert parse_tables(TABLE.splitlines()) == {
        "featureType": {
            "OTHER": Usage(NOT_APPLICABLE, None, "", needs_info=True),
            "FREE_TXNS": Usage(
                REQUIRED, "IntegerString", "the number of free transactions"
            ),
        }
    }


@pytest.mark.parametrize(
    ("cell", "usage"),
    [
        (
            "The maximum balance in [AmountString](#common-field-types) format.",
            Usage(REQUIRED, "AmountString", "the maximum balance"),
        ),
        (
            "The amount of the cashback offer (in AUD).",
            Usage(
                REQUIRED, "AmountString", "the amount of the cashback offer (in AUD)"
            ),
        ),
        (
            "The maximum LVR in [RateString](#common-field-types) format.",
            Usage(REQUIRED, "RateString", "the maximum LVR"),
        ),
        (
            "The period of charge. Formatted according to [ISO 8601 Durations](https://en.wikipedia.org/wiki/ISO_8601#Durations).",
            Usage(REQUIRED, "ExternalRef", "the period of charge"),
        ),
        (
            "The maximum age in years.",
            Usage(REQUIRED, "IntegerString", "the maximum age in years"),
        ),
        (
            "The maximum number of additional cards. If no maximum then should be set to `null`.",
            Usage(
                OPTIONAL,
                "IntegerString",
                "the maximum number of additional cards. If no maximum then should "
                "be set to null",
            ),
        ),
        ("Optional name of the service.", Usage(OPTIONAL, TEXT, "name of the service")),
        (
            "Optional. If present, **MUST** contain a description of which pensions qualify.",
            Usage(
                OPTIONAL,
                TEXT,
                "if present, MUST contain a description of which pensions qualify",
            ),
        ),
        (
            "Details of the float parameters.",
            Usage(REQUIRED, TEXT, "details of the float parameters"),
        ),
    ],
)
def test_classify_reads_presence_form_and_words(cell: str, usage: Usage) -> None:
    assert classify(cell) == usage


@pytest.mark.parametrize(
    "cell", ["The fee amount.", "Days until the rate applies.", "A percentage."]
)
def test_classify_refuses_to_guess_the_form_of_new_wording(cell: str) -> None:
    with pytest.raises(UnclassifiedError, match="wording with no known form"):
        classify(cell)


def test_a_row_without_three_cells_stops_the_generator() -> None:
    lines = [TABLE.splitlines()[0], "| FREE_TXNS | Free transactions. |"]
    with pytest.raises(UnclassifiedError, match="without 3 cells"):
        parse_tables(lines)


@pytest.mark.skipif(not SPEC_DIR.is_dir(), reason="../shared/cdr/spec is absent")
def test_the_dsb_file_has_nine_product_tables_of_117_type_values() -> None:
    tables = read_tables(SPEC_DIR)
    assert list(tables) == [
        "featureType",
        "constraintType",
        "eligibilityType",
        "feeType",
        "discountType",
        "discountEligibilityType",
        "depositRateType",
        "lendingRateType",
        "rateApplicabilityType",
    ]
    assert sum(len(rows) for rows in tables.values()) == 117
    needs_info = sorted(f for f, rows in tables.items() if rows.get("OTHER", None))
    assert all(tables[f]["OTHER"].needs_info for f in needs_info)
    assert len(needs_info) == 6
