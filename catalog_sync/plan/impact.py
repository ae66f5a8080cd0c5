"""Classify one field change as adverse, favourable, neutral or review for the customer,
by the domain table in `catalog_sync.cds.impact`. Pure: the diff calls it for every field
change it reports, with the chain of array elements the change sits in.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from catalog_sync.cds import impact as table
from catalog_sync.cds.durations import duration_days
from catalog_sync.cds.identity import IDENTITIES
from catalog_sync.cds.impact import Direction
from catalog_sync.cds.impact import Impact
from catalog_sync.cds.impact import reverse
from catalog_sync.cds.impact import worst
from catalog_sync.cds.units import TYPE_FIELDS
from catalog_sync.cds.units import number_of
from catalog_sync.plan.retirement import time_or_none

Chain = Sequence[tuple[str, Mapping[str, Any]]]
"""The array elements a change sits in, outermost first: (array name, element)."""

_RATES = ("depositRates", "lendingRates")


def classify(chain: Chain, field: str, kind: str, before: Any, after: Any) -> Impact:
    """The class of the change of `field` (the path below the innermost element of
    `chain`, empty when that element itself was added or removed)."""
    last = field.rsplit(".", 1)[-1]
    value = after if kind == "added" else before
    if last in IDENTITIES and isinstance(value, list):
        # A whole array appeared or went: each element was added or removed.
        return worst(
            [
                classify([*chain, (last, item)], "", kind, None, None)
                for item in value
                if isinstance(item, Mapping)
            ]
        )
    if not chain:
        return _product_field(field, kind, before, after)
    array, element = chain[-1]
    if array in table.NEUTRAL_ARRAYS or any(
        a in table.NEUTRAL_ARRAYS for a, _ in chain
    ):
        return "neutral"
    if field in table.NEUTRAL_ELEMENT_FIELDS:
        return "neutral"
    if not field:
        added = _item_added(array, element)
        return added if kind == "added" else reverse(added)
    return _element_field(array, element, field, before, after)


def _product_field(field: str, kind: str, before: Any, after: Any) -> Impact:
    first = field.split(".", 1)[0]
    if first in table.NEUTRAL_PRODUCT_FIELDS:
        return "neutral"
    if first == "effectiveTo":
        if kind == "added":
            return "adverse"
        if kind == "removed":
            return "favourable"
        return _times(before, after, adverse="down")
    if first == "effectiveFrom" and kind == "changed":
        return _times(before, after, adverse="up")
    return "review"


def _item_added(array: str, element: Mapping[str, Any]) -> Impact:
    """The class of `element` added to `array`; removing it is the reverse."""
    if array in _RATES:
        return table.RATE_ITEM_ADDED.get((array, _type(array, element)), "review")
    if array == "applicabilityConditions":
        kind = str(element.get("rateApplicabilityType"))
        return "adverse" if kind in table.TIGHTENING_CONDITIONS else "review"
    if array in ("fees", "constraints", "eligibility"):
        return "adverse"
    if array in ("discounts", "features"):
        return "favourable"
    return "review"


def _element_field(
    array: str,
    element: Mapping[str, Any],
    field: str,
    before: Any,
    after: Any,
) -> Impact:
    kind = _type(array, element)
    direction: Direction | None = None
    if array in _RATES:
        if field == "rate":
            direction = table.RATE_DIRECTIONS.get((array, kind))
        elif field == "comparisonRate":
            direction = "up"
        elif field == "additionalValue" and kind == "INTRODUCTORY":
            direction = "down"
    elif array == "fees":
        if field == "feeCap" and before is None:
            return "favourable"  # a new cap limits what the customer pays
        if field == "feeCap" and after is None:
            return "adverse"
        if field in table.FEE_VALUE_FIELDS:
            direction = "up"
        elif field == "additionalValue":
            direction = table.FEE_ADDITIONAL_VALUE.get(kind)
    elif array == "discounts":
        if field in table.DISCOUNT_VALUE_FIELDS:
            direction = "down"
        elif field == "additionalValue":
            direction = table.DISCOUNT_ADDITIONAL_VALUE.get(kind)
    elif field == "additionalValue":
        direction = {
            "constraints": table.CONSTRAINT_DIRECTIONS,
            "eligibility": table.ELIGIBILITY_DIRECTIONS,
            "features": table.FEATURE_DIRECTIONS,
            "applicabilityConditions": table.TIGHTENING_CONDITIONS,
        }.get(array, {}).get(kind)
    if direction is None:
        return "review"
    return _compare(before, after, adverse=direction)


def _type(array: str, element: Mapping[str, Any]) -> str:
    fields = TYPE_FIELDS.get(array, ())
    return next((str(element[f]) for f in fields if element.get(f)), "")


def _compare(before: Any, after: Any, *, adverse: Direction) -> Impact:
    """Numbers (rates, amounts, counts) or durations; anything else is review."""
    low, high = number_of(before), number_of(after)
    if low is None or high is None:
        low, high = _days(before), _days(after)
    if low is None or high is None:
        return "review"
    if low == high:
        return "neutral"
    went_up = high > low
    return "adverse" if went_up == (adverse == "up") else "favourable"


def _times(before: Any, after: Any, *, adverse: Direction) -> Impact:
    low, high = time_or_none(before), time_or_none(after)
    if low is None or high is None:
        return "review"
    if low == high:
        return "neutral"
    return "adverse" if (high > low) == (adverse == "up") else "favourable"


def _days(value: Any) -> Decimal | None:
    days = duration_days(value)
    return None if days is None else Decimal(str(days))
