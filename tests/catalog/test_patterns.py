"""Schema patterns keep ECMA-262 anchors: `$` is the end of the string, so an amount,
rate or duration with a trailing newline is refused (Python's `$` alone accepts it)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from catalog_sync.catalog.patterns import ecma_pattern
from catalog_sync.catalog.validate import validate_data
from catalog_sync.catalog.validate import validate_document
from catalog_sync.yaml.document import Document
from tests.catalog.test_validate import VALID


@pytest.mark.parametrize(
    ("pattern", "text", "matches"),
    [
        (r"^[0-9]+\.[0-9]{2}$", "5.00", True),
        (r"^[0-9]+\.[0-9]{2}$", "5.00\n", False),
        (r"^a[$]$", "a$", True),  # a `$` in a class is a character
        (r"^a\$$", "a$", True),  # so is an escaped one
        (r"^a\$$", "a$\n", False),
        (r"^a[\]$]$", "a]", True),  # `]` escaped inside a class does not close it
        (r"^P(?!$)([0-9]M)?$", "P", False),
        (r"^P(?!$)([0-9]M)?$", "P1M", True),
        (r"^P(?!$)([0-9]M)?$", "P1M\n", False),
    ],
)
def test_dollar_is_the_end_of_the_string(pattern, text, matches):
    assert (ecma_pattern(pattern).search(text) is not None) is matches


def _with_amount(amount: str) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    data["fees"][0]["fixedAmount"]["amount"] = amount
    return data


@pytest.mark.parametrize("amount", ["2.50\n", "2.50\r\n"])
def test_a_trailing_newline_in_an_amount_is_a_located_problem(amount):
    doc = Document(
        path=Path("x.yaml"), display_path="x.yaml", data=_with_amount(amount)
    )
    [problem] = validate_document(doc, "cds-v7")
    assert problem.path == "fees[0].fixedAmount.amount"
    assert "AmountString" in problem.message


def test_the_emulator_refuses_it_too():
    [problem] = validate_data(_with_amount("2.50\n"), "cds-v7")
    assert problem.path == "fees[0].fixedAmount.amount"
    assert validate_data(_with_amount("2.50"), "cds-v7") == []
