"""Amounts written loosely (`"50000"`, `"3,000"`, `"$500"`, `"5.5"`) in fields where the CDS
requires an AmountString become `"50000.00"`: same number, the standard's format. Anything
that is not plainly a number (`"18 years old"`) is left for `validate` to report."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from catalog_sync.cds.units import AMOUNT_FIELDS
from catalog_sync.onboarding.notes import Recorder
from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import PathKey

_AMOUNT = re.compile(r"-?[0-9]{1,16}\.[0-9]{2,16}")
_LOOSE = re.compile(
    r"\s*\$?\s*(-?)\$?((?:[0-9]{1,3}(?:,[0-9]{3})+)|[0-9]+)(?:\.([0-9]*))?\s*"
)
# additionalValue is an amount for these types (cds-products.md, additionalValue rules).
_AMOUNT_TYPED = {
    "constraintType": {
        "MAX_BALANCE",
        "MAX_LIMIT",
        "MIN_BALANCE",
        "MIN_LIMIT",
        "OPENING_BALANCE",
    },
    "featureType": {"CASHBACK_OFFER", "FREE_TXNS_ALLOWANCE"},
    "eligibilityType": {"MIN_INCOME", "MIN_TURNOVER"},
    "discountEligibilityType": {"MIN_INCOME", "MIN_TURNOVER"},
    "discountType": {"BALANCE", "DEPOSITS", "PAYMENTS"},
    "rateApplicabilityType": {
        "MIN_DEPOSIT_AMOUNT",
        "DEPOSIT_BALANCE_INCREASED",
        "MAX_WITHDRAWAL_AMOUNT",
    },
}


def normalise_amounts(data: JSONObject, notes: Recorder) -> None:
    """Rewrite, in place, every loosely written amount in an AmountString position."""
    for obj, key, path in _amount_fields(data, ()):
        value = obj[key]
        fixed = amount_string(value)
        if fixed is not None and fixed != value:
            obj[key] = fixed
            notes.converted(path, f"{value!r} became {fixed!r} (AmountString format)")


def amount_string(value: Any) -> str | None:
    """`value` as an AmountString, or None if it is not plainly a number."""
    if not isinstance(value, str) or _AMOUNT.fullmatch(value):
        return value if isinstance(value, str) else None
    match = _LOOSE.fullmatch(value)
    if match is None:
        return None
    sign, whole, fraction = (
        match.group(1),
        match.group(2).replace(",", ""),
        match.group(3),
    )
    return f"{sign}{whole}.{(fraction or '').ljust(2, '0')}"


def _amount_fields(
    value: Any, path: PathKey
) -> Iterator[tuple[JSONObject, str, PathKey]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from _amount_fields(item, (*path, index))
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if isinstance(item, str) and (
            key in AMOUNT_FIELDS or _typed_amount(value, key)
        ):
            yield value, key, (*path, key)
        elif isinstance(item, (dict, list)):
            yield from _amount_fields(item, (*path, key))


def _typed_amount(obj: JSONObject, key: str) -> bool:
    if key != "additionalValue":
        return False
    return any(
        isinstance(obj.get(field), str) and obj[field] in kinds
        for field, kinds in _AMOUNT_TYPED.items()
    )
