"""Short, stable names for array elements in the words a product reviewer uses: "Bonus
rate, balances up to $250,000", "Monthly account fee", "Minimum balance".

A label is built from the element's identity only (its type, the tier or term that tells
it apart, a fee's name), never from the values people edit, so an element keeps its label
when its rate or amount changes. The full identity stays in the plan's exact `path`.
Every renderer (text, Markdown, JSON, drift) shows the same label.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from catalog_sync.cds.durations import duration_words
from catalog_sync.english import plural

_MAX_LABEL = 80

RATE_TYPE_WORDS: Mapping[str, str] = {
    "FIXED": "Fixed rate",
    "FLOATING": "Floating rate",
    "MARKET_LINKED": "Market-linked rate",
    "VARIABLE": "Variable rate",
    "BONUS": "Bonus rate",
    "BUNDLE_BONUS": "Bundle bonus rate",
    "INTRODUCTORY": "Introductory rate",
    "PURCHASE": "Purchase rate",
    "CASH_ADVANCE": "Cash advance rate",
    "BALANCE_TRANSFER": "Balance transfer rate",
    "PENALTY": "Penalty rate",
    "DISCOUNT": "Rate discount",
    "BUNDLE_DISCOUNT_FIXED": "Bundle discount (fixed)",
    "BUNDLE_DISCOUNT_VARIABLE": "Bundle discount (variable)",
}
_REPAYMENT_WORDS = {
    "PRINCIPAL_AND_INTEREST": "P&I",
    "INTEREST_ONLY": "interest only",
}
_PURPOSE_WORDS = {"OWNER_OCCUPIED": "owner occupied", "INVESTMENT": "investment"}
_TIER_NOUNS = {"DOLLAR": "balances", "PERCENT": "LVR", "MONTH": "term", "DAY": "term"}
_COUNT_UNITS = {"MONTH": "month", "DAY": "day"}
_WORD_OVERRIDES = {
    "TXNS": "transactions",
    "LVR": "LVR",
    "NPP": "NPP",
    "PAYID": "PayID",
    "CUST": "customer",
    "MIN": "minimum",
    "MAX": "maximum",
}
_URI_ARRAYS = frozenset(
    {
        "additionalOverviewUris",
        "additionalTermsUris",
        "additionalEligibilityUris",
        "additionalFeesAndPricingUris",
        "additionalBundleUris",
    }
)
_TYPE_FIELD = {
    "features": "featureType",
    "constraints": "constraintType",
    "applicabilityConditions": "rateApplicabilityType",
}


def enum_words(value: Any) -> str:
    """`MIN_DEPOSIT_AMOUNT` -> `Minimum deposit amount`; `FREE_TXNS` -> `Free
    transactions`. Anything that is not an upper-case enum is returned as text."""
    text = str(value)
    if not text or not text.replace("_", "").isalnum() or text.upper() != text:
        return text
    words = [_WORD_OVERRIDES.get(part, part.lower()) for part in text.split("_")]
    first = words[0]
    return " ".join([first[:1].upper() + first[1:], *words[1:]])


def short_label(array_name: str, element: Any) -> str:
    """The short name of one element of the array stored under `array_name`."""
    if not isinstance(element, Mapping):
        return _cut(element if isinstance(element, str) else str(element))
    if array_name in ("depositRates", "lendingRates"):
        return _cut(_rate_label(array_name, element))
    if array_name == "tiers":
        return _cut(tier_words(element))
    if array_name in ("fees", "bundles"):
        return _cut(_text(element.get("name")) or "unnamed")
    if array_name == "discounts":
        return _cut(_text(element.get("description")) or "unnamed discount")
    if array_name == "eligibility":
        kind = element.get("eligibilityType") or element.get("discountEligibilityType")
        return _cut(enum_words(kind) if kind else "Eligibility")
    if array_name == "cardArt":
        parts = [element.get("cardScheme"), element.get("cardType"), "card art"]
        return _cut(" ".join(enum_words(p).lower() for p in parts if p).capitalize())
    if array_name in _URI_ARRAYS:
        return _cut(_text(element.get("additionalInfoUri")) or "link")
    type_field = _TYPE_FIELD.get(array_name)
    if type_field is not None and element.get(type_field):
        return _cut(enum_words(element[type_field]))
    return "item"


def _rate_label(array_name: str, rate: Mapping[str, Any]) -> str:
    type_field = (
        "depositRateType" if array_name == "depositRates" else "lendingRateType"
    )
    kind = str(rate.get(type_field) or "")
    parts = [RATE_TYPE_WORDS.get(kind, enum_words(kind) or "Rate")]
    if kind in ("FIXED", "INTRODUCTORY") and rate.get("additionalValue"):
        parts[0] += " " + duration_words(rate["additionalValue"])
    if array_name == "lendingRates":
        for field, words in (
            ("repaymentType", _REPAYMENT_WORDS),
            ("loanPurpose", _PURPOSE_WORDS),
        ):
            shown = words.get(str(rate.get(field)))
            if shown:
                parts.append(shown)
    tiers = rate.get("tiers")
    if isinstance(tiers, list):
        parts += [tier_words(t) for t in tiers if isinstance(t, Mapping)]
    return ", ".join(parts)


def tier_words(tier: Mapping[str, Any]) -> str:
    """`balances up to $250,000`, `LVR 80% to 90%`, `term 3 to 6 months`."""
    unit = str(tier.get("unitOfMeasure"))
    noun = _TIER_NOUNS.get(unit, _text(tier.get("name")) or "tier")
    low, high = tier.get("minimumValue"), tier.get("maximumValue")
    if high is None:
        return f"{noun} from {_bound(low, unit)}"
    if low == high:
        return f"{noun} {_bound(high, unit)}"
    if _is_zero(low):
        return f"{noun} up to {_bound(high, unit)}"
    return f"{noun} {_bound(low, unit, bare=True)} to {_bound(high, unit)}"


def _bound(value: Any, unit: str, *, bare: bool = False) -> str:
    number = _number(value)
    if number is None:
        return str(value)
    if unit == "DOLLAR":
        return f"${_grouped(number)}"
    if unit == "PERCENT":
        return f"{format((number * 100).normalize(), 'f')}%"
    if unit in _COUNT_UNITS and not bare:
        noun = _COUNT_UNITS[unit]
        return f"{_grouped(number)} {plural(number, noun)}"
    return _grouped(number)


def _grouped(number: Decimal) -> str:
    if number == number.to_integral_value():
        return f"{int(number):,}"
    whole, _, fraction = format(number.normalize(), "f").partition(".")
    return f"{int(whole):,}.{fraction.ljust(2, '0')}"


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _is_zero(value: Any) -> bool:
    number = _number(value)
    return number is not None and number == 0


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _cut(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= _MAX_LABEL else one_line[: _MAX_LABEL - 1] + "…"
