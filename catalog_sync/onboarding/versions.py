"""Which CDS version a product's shape is: V3, V4, V5 (the pre-V6 fee, rate and tier
shapes), V6 or V7, from fields and values only some versions have. Each answer comes with
the evidence, because a product can be valid in several versions at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from catalog_sync.types import JSONObject

_LEGACY_FEE_FIELDS = ("amount", "balanceRate", "transactionRate", "accruedRate")
_V6_FEE_TYPES = frozenset(
    {
        "CASH_ADVANCE",
        "DISHONOUR",
        "ENQUIRY",
        "LATE_PAYMENT",
        "OTHER",
        "REPLACEMENT",
        "UPFRONT_PER_PLAN",
        "VARIATION",
    }
)


def detect_version(product: JSONObject) -> tuple[str, tuple[str, ...]]:
    """(`v3`..`v7`, evidence). Older shapes win over newer ones when both appear, since
    what must still be converted matters most; with no evidence at all the product is
    the same in every version and is called `v6` (nothing to convert)."""
    legacy = list(_legacy_evidence(product))
    if legacy:
        return _legacy_version(product), tuple(legacy)
    v7 = list(_v7_evidence(product))
    if v7:
        return "v7", tuple(v7)
    v6 = list(_v6_evidence(product))
    if v6:
        return "v6", tuple(v6)
    return "v6", (
        "no version-specific fields: the V6 and V7 shapes are identical here",
    )


def _legacy_version(product: JSONObject) -> str:
    """V5 if it uses V5's LVR constraints, else V4: a V3 product is also a valid V4 one
    (V4 only added options), so only `--from v3` can say a file is V3."""
    constraints = {str(c.get("constraintType")) for c in _items(product, "constraints")}
    return "v5" if constraints & {"MAX_LVR", "MIN_LVR"} else "v4"


def _legacy_evidence(product: JSONObject) -> Iterator[str]:
    for i, fee in enumerate(_items(product, "fees")):
        if "feeMethodUType" not in fee:
            yield f"fees[{i}] has no feeMethodUType"
        elif any(key in fee for key in _LEGACY_FEE_FIELDS):
            yield f"fees[{i}] has a pre-V6 amount or rate field"
        for j, discount in enumerate(_dicts(fee.get("discounts"))):
            if "discountMethodUType" not in discount:
                yield f"fees[{i}].discounts[{j}] has no discountMethodUType"
    for kind, i, rate in _rates(product):
        if "applicationType" not in rate:
            yield f"{kind}[{i}] has no applicationType"
        for j, tier in enumerate(_dicts(rate.get("tiers"))):
            if isinstance(tier.get("minimumValue"), (int, float)):
                yield f"{kind}[{i}].tiers[{j}].minimumValue is a number"
            if isinstance(tier.get("applicabilityConditions"), dict):
                yield f"{kind}[{i}].tiers[{j}].applicabilityConditions is an object"
    for i, art in enumerate(_items(product, "cardArt")):
        if "cardScheme" not in art and "cardType" not in art:
            yield f"cardArt[{i}] has no cardScheme or cardType"


def _v7_evidence(product: JSONObject) -> Iterator[str]:
    for key in ("brandGroup", "instalments"):
        if key in product:
            yield f"{key} (new in V7)"
    if product.get("productCategory") == "BUY_NOW_PAY_LATER":
        yield "productCategory BUY_NOW_PAY_LATER (new in V7)"
    for i, feature in enumerate(_items(product, "features")):
        if feature.get("featureType") == "EXTRA_DOWN_PAYMENT":
            yield f"features[{i}].featureType EXTRA_DOWN_PAYMENT (new in V7)"


def _v6_evidence(product: JSONObject) -> Iterator[str]:
    """Asked only when `_legacy_evidence` found nothing, so every fee has a
    feeMethodUType and every rate an applicationType."""
    for i, fee in enumerate(_items(product, "fees")):
        yield f"fees[{i}].feeMethodUType"
        if str(fee.get("feeType")) in _V6_FEE_TYPES:
            yield f"fees[{i}].feeType {fee['feeType']} (new in V6)"
    for kind, i, _rate in _rates(product):
        yield f"{kind}[{i}].applicationType"
    for i, art in enumerate(_items(product, "cardArt")):
        if "cardScheme" in art:
            yield f"cardArt[{i}].cardScheme"


def _rates(product: JSONObject) -> Iterator[tuple[str, int, JSONObject]]:
    for kind in ("depositRates", "lendingRates"):
        for i, rate in enumerate(_items(product, kind)):
            yield kind, i, rate


def _items(product: JSONObject, key: str) -> list[JSONObject]:
    return _dicts(product.get(key))


def _dicts(value: Any) -> list[JSONObject]:
    return (
        [item for item in value if isinstance(item, dict)]
        if isinstance(value, list)
        else []
    )
