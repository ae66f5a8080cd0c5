"""Which direction of a product change is worse for the customer: the domain table of
`docs/reading-plans.md` ("Impact classes") as data. `catalog_sync.plan.impact` applies it.

Each entry names the direction that is *adverse*; the opposite direction is favourable,
and anything the table does not name is `review` (a person judges; policy counts it as
adverse). Type names are the CDS enum values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

Impact = Literal["adverse", "review", "favourable", "neutral"]
IMPACTS: tuple[Impact, ...] = ("adverse", "review", "favourable", "neutral")
"""Worst first: a product's (and a plan's) class is the worst of its changes."""

Direction = Literal["up", "down"]
"""The direction of a value that is adverse: `up` (more, longer) or `down`."""

_DEPOSIT_RATE_TYPES = (
    "FIXED", "FLOATING", "MARKET_LINKED", "VARIABLE", "BONUS", "BUNDLE_BONUS",
    "INTRODUCTORY",
)  # fmt: skip
_LENDING_COSTS = (
    "FIXED", "FLOATING", "MARKET_LINKED", "VARIABLE", "PURCHASE", "CASH_ADVANCE",
    "BALANCE_TRANSFER", "PENALTY",
)  # fmt: skip
_LENDING_REDUCTIONS = (
    "DISCOUNT", "BUNDLE_DISCOUNT_FIXED", "BUNDLE_DISCOUNT_VARIABLE", "INTRODUCTORY",
)  # fmt: skip

RATE_DIRECTIONS: Mapping[tuple[str, str], Direction] = {
    **{("depositRates", t): "down" for t in _DEPOSIT_RATE_TYPES},
    **{("lendingRates", t): "up" for t in _LENDING_COSTS},
    **{("lendingRates", t): "down" for t in _LENDING_REDUCTIONS},
}
"""A rate's `rate` field, by (array, rate type)."""

RATE_ITEM_ADDED: Mapping[tuple[str, str], Impact] = {
    ("depositRates", "BONUS"): "favourable",
    ("depositRates", "BUNDLE_BONUS"): "favourable",
    ("depositRates", "INTRODUCTORY"): "favourable",
    ("lendingRates", "DISCOUNT"): "favourable",
    ("lendingRates", "BUNDLE_DISCOUNT_FIXED"): "favourable",
    ("lendingRates", "BUNDLE_DISCOUNT_VARIABLE"): "favourable",
    ("lendingRates", "INTRODUCTORY"): "favourable",
    ("lendingRates", "PENALTY"): "adverse",
}
"""A rate item added (removed is the reverse); a new base rate replaces another: review."""

TIGHTENING_CONDITIONS: Mapping[str, Direction | None] = {
    "MIN_DEPOSITS": "up",
    "MIN_DEPOSIT_AMOUNT": "up",
    "DEPOSIT_BALANCE_INCREASED": "up",
    "MIN_PURCHASES": "up",
    "MAX_WITHDRAWALS": "down",
    "MAX_WITHDRAWAL_AMOUNT": "down",
    "NEW_CUSTOMER": None,
    "NEW_ACCOUNTS": None,
    "ONLINE_ONLY": None,
}
"""Rate conditions that restrict who gets a rate: adding one is adverse, removing one
favourable; the direction is how its `additionalValue` tightens (None: no value)."""

FEE_VALUE_FIELDS = frozenset(
    {
        "fixedAmount.amount",
        "rateBased.rate",
        "variable.feeMinimum",
        "variable.feeMaximum",
        "feeCap",
    }
)
"""Fee fields where up is adverse."""

FEE_ADDITIONAL_VALUE: Mapping[str, Direction] = {
    "PERIODIC": "down",  # the period: shorter means charged more often
    "LATE_PAYMENT": "down",  # days late before the fee
}

DISCOUNT_VALUE_FIELDS = frozenset({"fixedAmount.amount", "rateBased.rate"})
"""Discount fields where down is adverse."""

DISCOUNT_ADDITIONAL_VALUE: Mapping[str, Direction] = {
    "BALANCE": "up",  # the threshold to qualify
    "DEPOSITS": "up",
    "PAYMENTS": "up",
}

CONSTRAINT_DIRECTIONS: Mapping[str, Direction] = {
    "MIN_BALANCE": "up",
    "OPENING_BALANCE": "up",
    "MIN_LIMIT": "up",
    "MAX_BALANCE": "down",
    "MAX_LIMIT": "down",
    "MAX_LVR": "down",
    "MIN_LVR": "up",
}

ELIGIBILITY_DIRECTIONS: Mapping[str, Direction] = {
    "MIN_AGE": "up",
    "MIN_INCOME": "up",
    "MIN_TURNOVER": "up",
    "MAX_AGE": "down",
}

FEATURE_DIRECTIONS: Mapping[str, Direction] = {
    "FREE_TXNS": "down",
    "FREE_TXNS_ALLOWANCE": "down",
    "CASHBACK_OFFER": "down",
    "BONUS_REWARDS": "down",
    "ADDITIONAL_CARDS": "down",
    "INTEREST_FREE": "down",  # the period gets shorter
    "INTEREST_FREE_TRANSFERS": "down",
    "FUNDS_AVAILABLE_AFTER": "up",  # the wait gets longer
}

NEUTRAL_PRODUCT_FIELDS = frozenset(
    {
        "name",
        "description",
        "brandName",
        "additionalInformation",
        "additionalInfo",
        "additionalInfoUri",
        "applicationUri",
        "cardArt",
    }
)
"""Product fields (the first segment of a path) that change no term of the offer."""

REVIEW_PRODUCT_FIELDS = frozenset({"productCategory", "brand", "bundles", "isTailored"})

NEUTRAL_ELEMENT_FIELDS = frozenset({"additionalInfo", "additionalInfoUri", "title"})
"""Inside any array element: explanatory text and links."""

NEUTRAL_ARRAYS = frozenset(
    {
        "cardArt",
        "additionalOverviewUris",
        "additionalTermsUris",
        "additionalEligibilityUris",
        "additionalFeesAndPricingUris",
        "additionalBundleUris",
    }
)


def worst(impacts: tuple[Impact, ...] | list[Impact]) -> Impact:
    """adverse > review > favourable > neutral; `neutral` for none."""
    return min(impacts, key=IMPACTS.index, default="neutral")


def reverse(impact: Impact) -> Impact:
    """The class of the opposite change (an item removed instead of added)."""
    if impact == "adverse":
        return "favourable"
    if impact == "favourable":
        return "adverse"
    return impact
