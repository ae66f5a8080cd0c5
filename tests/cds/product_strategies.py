"""Hypothesis strategies for CDS-shaped products and for harmless re-spellings of them
(reordered arrays, extra trailing zeros, explicit nulls, a new lastUpdated)."""

from __future__ import annotations

import copy
import random
from typing import Any

from hypothesis import strategies as st

_NAMES = st.sampled_from(["Monthly fee", "Exit fee", "Late fee", "Card fee", "Fee"])
_RATE = st.decimals(
    min_value=0, max_value=1, places=4, allow_nan=False, allow_infinity=False
).map(str)
_AMOUNT = st.decimals(
    min_value=0, max_value=10_000, places=2, allow_nan=False, allow_infinity=False
).map(lambda d: f"{d:.2f}")
_DECIMAL_FIELDS = frozenset({"rate", "comparisonRate", "amount", "feeCap"})
_TEXT = st.text(alphabet="abc xyz", max_size=8)


def _fee() -> st.SearchStrategy[dict[str, Any]]:
    fixed = st.fixed_dictionaries(
        {
            "name": _NAMES,
            "feeType": st.sampled_from(["PERIODIC", "EXIT", "OTHER"]),
            "feeMethodUType": st.just("fixedAmount"),
            "fixedAmount": st.fixed_dictionaries({"amount": _AMOUNT}),
        },
        optional={"additionalInfo": _TEXT, "additionalValue": st.just("P1M")},
    )
    rate_based = st.fixed_dictionaries(
        {
            "name": _NAMES,
            "feeType": st.sampled_from(["TRANSACTION", "PURCHASE"]),
            "feeMethodUType": st.just("rateBased"),
            "rateBased": st.fixed_dictionaries(
                {"rateType": st.just("TRANSACTION"), "rate": _RATE}
            ),
        }
    )
    return st.one_of(fixed, rate_based)


def _tier() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "name": st.sampled_from(["LVR", "Balance", "Term"]),
            "unitOfMeasure": st.sampled_from(["PERCENT", "DOLLAR"]),
            "minimumValue": _RATE,
        },
        optional={"maximumValue": _RATE},
    )


def _lending_rate() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "lendingRateType": st.sampled_from(["FIXED", "VARIABLE"]),
            "rate": _RATE,
            "applicationType": st.just("PERIODIC"),
            "applicationFrequency": st.just("P1M"),
            "repaymentType": st.sampled_from(
                ["PRINCIPAL_AND_INTEREST", "INTEREST_ONLY"]
            ),
            "loanPurpose": st.sampled_from(["OWNER_OCCUPIED", "INVESTMENT"]),
        },
        optional={
            "comparisonRate": _RATE,
            "additionalValue": st.sampled_from(["P1Y", "P2Y", "P3Y"]),
            "tiers": st.lists(_tier(), max_size=2),
        },
    )


def _feature() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"featureType": st.sampled_from(["OFFSET", "REDRAW", "BONUS_REWARDS"])},
        optional={"additionalValue": _TEXT},
    )


def products(product_id: str) -> st.SearchStrategy[dict[str, Any]]:
    """One valid-looking BankingProductDetailV7 with the arrays that matter for diffs."""
    return st.fixed_dictionaries(
        {
            "productId": st.just(product_id),
            "lastUpdated": st.just("2026-01-01T00:00:00Z"),
            "productCategory": st.sampled_from(
                ["RESIDENTIAL_MORTGAGES", "TRANS_AND_SAVINGS_ACCOUNTS"]
            ),
            "name": _TEXT.map(lambda text: f"Product {text}"),
            "description": _TEXT,
            "brand": st.sampled_from(["Example", "Other"]),
            "isTailored": st.booleans(),
        },
        optional={
            "fees": st.lists(_fee(), max_size=4),
            "lendingRates": st.lists(_lending_rate(), max_size=4),
            "features": st.lists(_feature(), max_size=3),
            "cardArt": st.just([]),
            "brandName": st.none(),
        },
    )


@st.composite
def catalogs(draw: st.DrawFn, max_size: int = 5) -> dict[str, dict[str, Any]]:
    """A catalog keyed by productId."""
    ids = draw(
        st.lists(
            st.sampled_from([f"p{i}" for i in range(12)]),
            max_size=max_size,
            unique=True,
        )
    )
    return {pid: draw(products(pid)) for pid in ids}


def respell(value: Any, rng: random.Random) -> Any:
    """The same product written differently: arrays shuffled, decimals padded with a
    zero, nulls added, lastUpdated moved. Normalisation must undo all of it."""
    if isinstance(value, dict):
        out = {key: _respell_field(key, item, rng) for key, item in value.items()}
        if "lastUpdated" in out:
            out["lastUpdated"] = "2030-12-31T23:59:59Z"
        if rng.random() < 0.3 and "additionalInfoUri" not in out:
            out["additionalInfoUri"] = None
        keys = list(out)
        rng.shuffle(keys)
        return {key: out[key] for key in keys}
    if isinstance(value, list):
        items = [respell(item, rng) for item in value]
        rng.shuffle(items)
        return items
    return copy.deepcopy(value)


def _respell_field(key: str, value: Any, rng: random.Random) -> Any:
    # Only fields that are rates or amounts whatever their context may be padded.
    if key in _DECIMAL_FIELDS and isinstance(value, str) and _is_decimal(value):
        return value + "0" if "." in value else value + ".00"
    return respell(value, rng)


def _is_decimal(text: str) -> bool:
    return text.replace(".", "", 1).isdigit()
