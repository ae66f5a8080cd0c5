"""Tables the schema generator applies on top of the DSB OpenAPI files: the CDS primitive
formats as patterns, Fiskil's limits, and the rules the CDS states only in prose.

Sources: `standards/_types.md` (formats), `banking/_product_components.md` (prose rules,
summarised in ../shared/docs/cds-products.md §3) and the Fiskil product-fields page.
"""

from __future__ import annotations

from typing import Any

_DIGITS = "[0-9]{1,16}"
_DATE = "[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?"
_OFFSET = "([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
_NUM = "[0-9]{1,9}"
_URI_CHAR = "[A-Za-z0-9\\-._~:/?#\\[\\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}"

FREE_TEXT_MAX = 20000
"""A safety cap on prose fields the CDS leaves unbounded (real data peaks near 1,500)."""

FORMATS: dict[str, dict[str, Any]] = {
    "RateString": {
        "pattern": f"^-?{_DIGITS}(\\.{_DIGITS})?$",
        "maxLength": 40,
        "x-hint": "RateString: a decimal like 0.0525 where 1.0 = 100 % (quote it; no % sign)",
    },
    "AmountString": {
        "pattern": f"^-?{_DIGITS}\\.[0-9]{{2,16}}$",
        "maxLength": 40,
        "x-hint": "AmountString: a decimal with at least 2 fraction digits like 395.00 (quote it; no $ sign or commas)",
    },
    "DateTimeString": {
        "pattern": f"^{_DATE}[Tt]{_TIME}{_OFFSET}$",
        "maxLength": 40,
        "x-hint": "DateTimeString: an RFC 3339 date-time with an offset like 2026-07-13T00:00:00+10:00 or 2026-07-13T00:00:00Z (quote it)",
    },
    "ExternalRef": {
        "pattern": (
            f"^P(?!$)({_NUM}Y)?({_NUM}M)?({_NUM}W)?({_NUM}D)?"
            f"(T(?=[0-9])({_NUM}H)?({_NUM}M)?({_NUM}([.,][0-9]{{1,9}})?S)?)?$"
        ),
        "maxLength": 64,
        "x-hint": "an ISO 8601 duration like P1M (monthly), P1Y, P12M or P1DT12H",
    },
    "CurrencyString": {
        "pattern": "^[A-Z]{3}$",
        "maxLength": 16,
        "x-hint": "CurrencyString: an ISO 4217 code in capitals like AUD",
    },
    "URIString": {
        "pattern": f"^[A-Za-z][A-Za-z0-9+.\\-]*:({_URI_CHAR})+$",
        "maxLength": 2048,
        "x-hint": "URIString: an absolute URI like https://example.com.au/page (percent-encode spaces and non-ASCII)",
    },
    "ASCIIString": {
        "pattern": "^[\\x20-\\x7E]*$",
        "maxLength": 255,
        "x-hint": "ASCIIString: printable ASCII characters only",
    },
    "IntegerString": {
        "pattern": "^(0|[1-9][0-9]{0,8})$",
        "maxLength": 32,
        "x-hint": 'a whole number written as a string like "18"',
    },
    "PositiveIntegerString": {
        "pattern": "^[1-9][0-9]{0,8}$",
        "maxLength": 32,
        "x-hint": 'a positive whole number written as a string like "12"',
    },
    "ProductId": {
        "pattern": "^[\\x20-\\x7E]{1,100}$",
        "maxLength": 100,
        "x-hint": (
            "productId: 1-100 printable ASCII characters (the CDS ASCIIString, "
            "within Fiskil's limit)"
        ),
    },
}
"""x-cds-type -> pattern, maxLength and hint. ExternalRef is the CDS name for durations.

maxLength is there so that a huge string fails before any regex runs; it is set well
above the longest valid value so that ordinary slips get the clearer format message.
"""

INTEGER_MINIMUM = {"PositiveInteger": 1, "NaturalNumber": 0}

MAX_LENGTHS = {"name": 200, "description": 2000, "brand": 200, "brandName": 200}
"""Fiskil's limits on top-level product fields (product-fields reference)."""

SERVER_SET = ("lastUpdated",)
"""Fields the server sets: forbidden in a file, accepted (and ignored) in a request body."""

OTHER_NEEDS_INFO = (
    "featureType",
    "constraintType",
    "eligibilityType",
    "feeType",
    "discountEligibilityType",
    "rateApplicabilityType",
)
"""Discriminators whose value OTHER makes `additionalInfo` mandatory."""

_ELIGIBILITY_VALUES = {
    "MAX_AGE": ("IntegerString", "the age in years"),
    "MIN_AGE": ("IntegerString", "the age in years"),
    "MIN_INCOME": ("AmountString", "the minimum income"),
    "MIN_TURNOVER": ("AmountString", "the minimum turnover"),
}

ADDITIONAL_VALUE: dict[str, dict[str, tuple[str, str]]] = {
    "featureType": {
        "CASHBACK_OFFER": ("AmountString", "the cashback amount"),
        "FREE_TXNS": ("IntegerString", "the number of free transactions"),
        "FREE_TXNS_ALLOWANCE": ("AmountString", "the free transaction allowance"),
        "FUNDS_AVAILABLE_AFTER": ("ExternalRef", "the delay as a duration"),
        "INTEREST_FREE": ("ExternalRef", "the interest-free period"),
        "INTEREST_FREE_TRANSFERS": ("ExternalRef", "the interest-free period"),
    },
    "constraintType": {
        "MAX_BALANCE": ("AmountString", "the balance"),
        "MIN_BALANCE": ("AmountString", "the balance"),
        "MAX_LIMIT": ("AmountString", "the limit"),
        "MIN_LIMIT": ("AmountString", "the limit"),
        "OPENING_BALANCE": ("AmountString", "the opening balance"),
        "MAX_LVR": ("RateString", "the loan-to-value ratio"),
        "MIN_LVR": ("RateString", "the loan-to-value ratio"),
    },
    "eligibilityType": _ELIGIBILITY_VALUES,
    "discountEligibilityType": {
        **_ELIGIBILITY_VALUES,
        "INTRODUCTORY": ("ExternalRef", "the introductory period"),
    },
    "feeType": {"PERIODIC": ("ExternalRef", "the period of the fee")},
    "discountType": {
        "BALANCE": ("AmountString", "the balance that triggers the discount"),
        "DEPOSITS": ("AmountString", "the deposits that trigger the discount"),
        "PAYMENTS": ("AmountString", "the payments that trigger the discount"),
        "FEE_CAP": ("ExternalRef", "the period of the cap"),
    },
    "depositRateType": {
        "FIXED": ("ExternalRef", "the fixed period"),
        "INTRODUCTORY": ("ExternalRef", "the introductory period"),
    },
    "lendingRateType": {
        "FIXED": ("ExternalRef", "the fixed period"),
        "INTRODUCTORY": ("ExternalRef", "the introductory period"),
    },
    "rateApplicabilityType": {
        "MIN_DEPOSITS": ("IntegerString", "the number of deposits"),
        "MIN_PURCHASES": ("IntegerString", "the number of purchases"),
        "MAX_WITHDRAWALS": ("IntegerString", "the number of withdrawals"),
        "MIN_DEPOSIT_AMOUNT": ("AmountString", "the amount"),
        "DEPOSIT_BALANCE_INCREASED": ("AmountString", "the amount"),
        "MAX_WITHDRAWAL_AMOUNT": ("AmountString", "the amount"),
    },
}
"""discriminator -> value -> (format of additionalValue, what it holds), where the CDS fixes one."""

ADJUSTMENT_RATES = {
    "depositRateType": ("BONUS", "BUNDLE_BONUS", "INTRODUCTORY"),
    "lendingRateType": (
        "BUNDLE_DISCOUNT_FIXED",
        "BUNDLE_DISCOUNT_VARIABLE",
        "DISCOUNT",
        "INTRODUCTORY",
        "PENALTY",
    ),
}
"""Rate types that adjust a base rate: their `rate` is zero or positive."""

UNIONS = {"feeMethodUType": "fee", "discountMethodUType": "discount"}
"""`*UType` discriminators: the named sibling object is mandatory, the others absent."""

TIER_UNITS = {
    "DOLLAR": "AmountString",
    "PERCENT": "RateString",
    "DAY": "PositiveIntegerString",
    "MONTH": "PositiveIntegerString",
}
"""RateTier unitOfMeasure -> format of minimumValue / maximumValue."""

PRIMARY_URIS = {
    "additionalOverviewUris": "overviewUri",
    "additionalTermsUris": "termsUri",
    "additionalEligibilityUris": "eligibilityUri",
    "additionalFeesAndPricingUris": "feesAndPricingUri",
    "additionalBundleUris": "bundleUri",
}
"""AdditionalInformation: a non-empty secondary list needs its primary URI."""
