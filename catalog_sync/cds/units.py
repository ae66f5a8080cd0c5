"""Which CDS fields hold rates, amounts or durations, and the canonical form of rate and
amount strings, so normalisation compares them by value and renderers can format them.

The table is explicit and small on purpose: the CDS states these meanings in prose
(`banking/_product_components.md`), not in the schema, so we cannot derive them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any
from typing import Literal

Unit = Literal["rate", "amount", "duration", "date"]

# A plain decimal as RateString and AmountString allow it: no exponent, no grouping.
# Used with fullmatch: `$` would also match before a trailing newline.
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")

# The V4/V5 fee and discount rate fields are kept so older-shaped files compare too.
RATE_FIELDS = frozenset(
    {
        "rate",
        "comparisonRate",
        "balanceRate",
        "transactionRate",
        "accruedRate",
        "feeRate",
    }
)
AMOUNT_FIELDS = frozenset(
    {
        "amount",
        "feeMinimum",
        "feeMaximum",
        "feeCap",
        "discountMinimum",
        "discountMaximum",
        "instalmentsLimit",
        "minimumPlanValue",
        "maximumPlanValue",
    }
)
DURATION_FIELDS = frozenset(
    {"calculationFrequency", "applicationFrequency", "feeCapPeriod", "accrualFrequency"}
)
DATE_FIELDS = frozenset({"effectiveFrom", "effectiveTo", "lastUpdated"})
TIER_BOUND_FIELDS = frozenset({"minimumValue", "maximumValue"})
TIER_UNITS: Mapping[str, Unit] = {"PERCENT": "rate", "DOLLAR": "amount"}

# additionalValue's meaning depends on the array it sits in and the element's type.
# Keys: (array field name, value of the element's *Type field).
ADDITIONAL_VALUE_UNITS: Mapping[tuple[str, str], Unit] = {
    ("constraints", "MAX_LVR"): "rate",
    ("constraints", "MIN_LVR"): "rate",
    ("constraints", "MAX_BALANCE"): "amount",
    ("constraints", "MIN_BALANCE"): "amount",
    ("constraints", "MAX_LIMIT"): "amount",
    ("constraints", "MIN_LIMIT"): "amount",
    ("constraints", "OPENING_BALANCE"): "amount",
    ("eligibility", "MIN_INCOME"): "amount",
    ("eligibility", "MIN_TURNOVER"): "amount",
    ("eligibility", "INTRODUCTORY"): "duration",
    ("discounts", "BALANCE"): "amount",
    ("discounts", "DEPOSITS"): "amount",
    ("discounts", "PAYMENTS"): "amount",
    ("discounts", "FEE_CAP"): "duration",
    ("features", "CASHBACK_OFFER"): "amount",
    ("features", "FREE_TXNS_ALLOWANCE"): "amount",
    ("features", "FUNDS_AVAILABLE_AFTER"): "duration",
    ("features", "INTEREST_FREE"): "duration",
    ("features", "INTEREST_FREE_TRANSFERS"): "duration",
    ("applicabilityConditions", "MIN_DEPOSIT_AMOUNT"): "amount",
    ("applicabilityConditions", "DEPOSIT_BALANCE_INCREASED"): "amount",
    ("applicabilityConditions", "MAX_WITHDRAWAL_AMOUNT"): "amount",
    ("fees", "PERIODIC"): "duration",
    ("depositRates", "FIXED"): "duration",
    ("depositRates", "INTRODUCTORY"): "duration",
    ("lendingRates", "FIXED"): "duration",
    ("lendingRates", "INTRODUCTORY"): "duration",
}

# The field naming an element's type, per array (the discriminator additionalValue keys on).
TYPE_FIELDS: Mapping[str, tuple[str, ...]] = {
    "constraints": ("constraintType",),
    "eligibility": ("eligibilityType", "discountEligibilityType"),
    "discounts": ("discountType",),
    "features": ("featureType",),
    "applicabilityConditions": ("rateApplicabilityType",),
    "fees": ("feeType",),
    "depositRates": ("depositRateType",),
    "lendingRates": ("lendingRateType",),
}


def value_unit(
    field: str, parent: Mapping[str, Any], array_name: str | None
) -> Unit | None:
    """The unit of `parent[field]`; `array_name` is the array `parent` is an element of
    (None when `parent` is not an array element, e.g. `fixedAmount`)."""
    if field in RATE_FIELDS:
        return "rate"
    if field in AMOUNT_FIELDS:
        return "amount"
    if field in DURATION_FIELDS:
        return "duration"
    if field in DATE_FIELDS:
        return "date"
    if field in TIER_BOUND_FIELDS and array_name == "tiers":
        return TIER_UNITS.get(str(parent.get("unitOfMeasure")))
    if field == "additionalValue" and array_name is not None:
        for type_field in TYPE_FIELDS.get(array_name, ()):
            unit = ADDITIONAL_VALUE_UNITS.get((array_name, str(parent.get(type_field))))
            if unit is not None:
                return unit
    return None


MAX_EXPONENT = 30
"""A value beyond 10^30 is no rate or amount; written out in full, `1e999999999` would
be a billion digits (a fork's preview plan is rendered on the trusted side)."""


def number_of(value: Any) -> Decimal | None:
    """`value` (a string or number, not a boolean) as a finite Decimal of a sensible
    size, or None when it is not one."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or abs(number.adjusted()) > MAX_EXPONENT:
        return None
    return number


def canonical_decimal(value: Any, unit: Unit | None) -> Any:
    """The canonical form of a rate or amount string; anything else is returned as is.

    Rates lose trailing zeros ("0.0500" -> "0.05", "1.00" -> "1"); amounts keep at
    least two decimals ("5" -> "5.00", "5.000" -> "5.00", "5.125" stays), which keeps
    them valid AmountStrings. Strings that are not plain decimals are left for the
    validator to report.
    """
    if unit not in ("rate", "amount") or not isinstance(value, str):
        return value
    if not _DECIMAL.fullmatch(value):
        return value
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid decimals
        return value
    text = format(number.normalize(), "f")
    if text in ("-0", "-0.0"):
        text = "0"
    if unit == "amount":
        whole, _, fraction = text.partition(".")
        text = f"{whole}.{fraction.ljust(2, '0')}"
    return text
