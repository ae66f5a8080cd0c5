"""Tables the schema generator applies on top of the DSB OpenAPI files: the CDS primitive
formats as patterns, Fiskil's limits, and the rules the CDS states only in prose.

Sources: `standards/_types.md` (formats), `banking/_product_components.md` (prose rules,
summarised in ../shared/docs/cds-products.md §3) and the Fiskil product-fields page. The
additionalValue and OTHER rules are read from the tables themselves (product_components.py).
"""

from __future__ import annotations

from typing import Any

from catalog_sync.catalog import iso4217

_DIGITS = "[0-9]{1,16}"
_YEAR = "[0-9]{4}"
_LEAP_YEAR = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)"
_DATE = (
    f"({_YEAR}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
    f"|{_YEAR}-(0[13-9]|1[0-2])-(29|30)"
    f"|{_YEAR}-(0[13578]|1[02])-31"
    f"|{_LEAP_YEAR}-02-29)"
)
"""A real Gregorian calendar date: 30 days hath September, and 29 February only in a
leap year (every 4th, except centuries not divisible by 400; the year 0000 is one)."""
_TIME = "([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?"
_OFFSET = "([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])"
_NUM = "[0-9]{1,9}"


def _part(designator: str) -> str:
    """One duration part, `12M`; a fraction (`0.5M`) only when nothing follows it
    (ISO 8601: the smallest part present may have a decimal fraction)."""
    return f"({_NUM}([.,][0-9]{{1,9}}(?={designator}$))?{designator})"


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
            f"^P(?!$){_part('Y')}?{_part('M')}?{_part('W')}?{_part('D')}?"
            f"(T(?=[0-9]){_part('H')}?{_part('M')}?{_part('S')}?)?$"
        ),
        "maxLength": 64,
        "x-hint": (
            "an ISO 8601 duration like P1M (monthly), P1Y, P12M, P1DT12H or P0.5M "
            "(only the last part may have a fraction)"
        ),
    },
    "CurrencyString": {
        "pattern": f"^({'|'.join(sorted(iso4217.CODES))})$",
        "maxLength": 16,
        "x-hint": "CurrencyString: an ISO 4217 currency code in capitals like AUD",
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
        "pattern": "^[\\x20-\\x7E]+$",
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
