"""The shipped ISO 4217 list: the codes CurrencyString accepts, and the same set the
generated schemas' CurrencyString pattern spells out."""

from __future__ import annotations

import re

import pytest

from catalog_sync.catalog.iso4217 import CODES
from catalog_sync.catalog.schema import load_schema


def test_the_list_is_list_one_plus_the_later_additions() -> None:
    assert len(CODES) == 181
    assert all(re.fullmatch("[A-Z]{3}", code) for code in CODES)
    assert {"AUD", "USD", "NZD", "EUR", "XAU", "XCG", "XAD", "ZWG"} <= CODES
    # Historic codes (ISO 4217 list three) and look-alikes are not currencies.
    assert not {"DEM", "FRF", "ZWL", "AUS", "ABC", "XYZ"} & CODES


@pytest.mark.parametrize("name", ["cds-v7", "cds-v6"])
def test_the_schemas_currency_pattern_holds_exactly_the_list(name: str) -> None:
    fee = load_schema(name)["$defs"]["BankingProductFeeV2"]
    pattern = fee["properties"]["currency"]["pattern"]
    assert set(pattern.removeprefix("^(").removesuffix(")$").split("|")) == CODES
