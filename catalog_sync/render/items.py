"""An array element's values in a reviewer's words, for an item that was added or
removed ("$5.00 every month", "3.75 %") and for a new product's summary (its rates,
fees, constraints and eligibility). The array is recognised by the element's own type
field, so a renderer needs nothing beyond the plan."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from catalog_sync.cds.durations import frequency_words
from catalog_sync.cds.labels import short_label
from catalog_sync.cds.units import value_unit
from catalog_sync.english import plural
from catalog_sync.render.units import format_dollars
from catalog_sync.render.units import format_percent
from catalog_sync.render.units import format_value

_ARRAY_BY_TYPE_FIELD = (
    ("depositRateType", "depositRates"),
    ("lendingRateType", "lendingRates"),
    ("feeType", "fees"),
    ("discountType", "discounts"),
    ("constraintType", "constraints"),
    ("eligibilityType", "eligibility"),
    ("discountEligibilityType", "eligibility"),
    ("featureType", "features"),
    ("rateApplicabilityType", "applicabilityConditions"),
    ("unitOfMeasure", "tiers"),
)

SUMMARY_ARRAYS = (
    ("depositRates", ""),
    ("lendingRates", ""),
    ("fees", "Fee"),
    ("constraints", "Constraint"),
    ("eligibility", "Eligibility"),
    ("features", "Feature"),
)
"""What a new product's summary lists, in this order."""


def array_of(element: Mapping[str, Any]) -> str | None:
    """The CDS array an element belongs to, from its type field."""
    return next((array for key, array in _ARRAY_BY_TYPE_FIELD if key in element), None)


def describe_item(element: Any) -> str:
    """What an element offers or costs, without its label: `$5.00 every month`."""
    if not isinstance(element, Mapping):
        return str(element)
    array = array_of(element)
    if array in ("depositRates", "lendingRates"):
        return _rate(element)
    if array == "fees":
        return _fee(element)
    if array == "discounts":
        return _discount(element)
    if array is not None:
        value = element.get("additionalValue")
        if value is None:
            return _text(element.get("additionalInfo")) or "yes"
        return format_value(value, value_unit("additionalValue", element, array))
    size = len(element)
    return f"({size} {plural(size, 'field')})"


def labelled_item(element: Any) -> str:
    """`Monthly account fee: $5.00 every month`."""
    array = array_of(element) if isinstance(element, Mapping) else None
    label = short_label(array or "", element)
    return f"{label}: {describe_item(element)}"


def product_summary(product: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(what, value) rows that sum up a new product for a reviewer."""
    rows: list[tuple[str, str]] = []
    category = product.get("productCategory")
    if category:
        rows.append(("Category", format_value(category, None)))
    for field, heading in SUMMARY_ARRAYS:
        items = product.get(field)
        if isinstance(items, list):
            rows += [
                (f"{heading}: {label}" if heading else label, value)
                for label, value in _items(field, items)
            ]
    if product.get("isTailored") is True:
        rows.append(("Tailored", "yes: customers may get other rates and fees"))
    return rows


def _items(array: str, items: list[Any]) -> list[tuple[str, str]]:
    return [
        (short_label(array, item), describe_item(item))
        for item in items
        if isinstance(item, Mapping)
    ]


def _rate(rate: Mapping[str, Any]) -> str:
    text = format_percent(rate.get("rate"))
    if rate.get("comparisonRate") is not None:
        text += f" (comparison {format_percent(rate['comparisonRate'])})"
    frequency = rate.get("applicationFrequency")
    if frequency:
        text += f", paid {frequency_words(frequency)}"
    return text


def _fee(fee: Mapping[str, Any]) -> str:
    text = _method(fee, fee.get("feeMethodUType"), "fee")
    if fee.get("feeType") == "PERIODIC" and fee.get("additionalValue"):
        text += f" {frequency_words(fee['additionalValue'])}"
    if fee.get("feeCap") is not None:
        text += f", capped at {format_dollars(fee['feeCap'])}"
    return text


def _discount(discount: Mapping[str, Any]) -> str:
    return "discount " + _method(
        discount, discount.get("discountMethodUType"), "discount"
    )


def _method(item: Mapping[str, Any], method: Any, kind: str) -> str:
    if method == "rateBased" and isinstance(item.get("rateBased"), Mapping):
        based = item["rateBased"]
        basis = format_value(based.get("rateType"), None).lower()
        return f"{format_percent(based.get('rate'))} of {basis}"
    if method == "variable" and isinstance(item.get("variable"), Mapping):
        low = item["variable"].get(f"{kind}Minimum")
        high = item["variable"].get(f"{kind}Maximum")
        if low is not None and high is not None:
            return f"{format_dollars(low)} to {format_dollars(high)}"
        return "variable"
    fixed = item.get("fixedAmount")
    if isinstance(fixed, Mapping) and fixed.get("amount") is not None:
        return format_dollars(fixed["amount"])
    return "(no amount)"


def _text(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    one_line = " ".join(value.split())
    return one_line if len(one_line) <= 60 else one_line[:59] + "…"
