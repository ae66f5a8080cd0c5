"""How the elements of each CDS array are matched between the desired and live side.

Every CDS array is a set, not a sequence: no consumer reads meaning into its order. An
element's identity is a small natural key (a fee's name and type, a rate's type fields);
elements sharing a key are paired by similarity in `catalog_sync.plan.diff`. The
table is documented, one row per array, in docs/plan-format.md.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any


@dataclass(frozen=True, slots=True)
class ArrayIdentity:
    """`key_fields` decide which elements are the same thing; `label_fields` name an
    element for people and tell elements with the same key apart when pairing them."""

    noun: str
    key_fields: tuple[str, ...]
    label_fields: tuple[str, ...]


_RATE_LABEL = ("additionalValue", "tiers", "applicabilityConditions")
_URI = ArrayIdentity("link", ("additionalInfoUri",), ("additionalInfoUri",))

IDENTITIES: Mapping[str, ArrayIdentity] = {
    "fees": ArrayIdentity("fee", ("name", "feeType"), ("name",)),
    "discounts": ArrayIdentity(
        "discount", ("description", "discountType"), ("description",)
    ),
    # Product eligibility and a discount's eligibility share the array name; each element
    # carries exactly one of the two type fields, so one key covers both.
    "eligibility": ArrayIdentity(
        "eligibility",
        ("eligibilityType", "discountEligibilityType"),
        ("eligibilityType", "discountEligibilityType", "additionalValue"),
    ),
    "depositRates": ArrayIdentity(
        "deposit rate", ("depositRateType",), ("depositRateType", *_RATE_LABEL)
    ),
    "lendingRates": ArrayIdentity(
        "lending rate",
        ("lendingRateType", "repaymentType", "loanPurpose"),
        ("lendingRateType", "repaymentType", "loanPurpose", *_RATE_LABEL),
    ),
    "tiers": ArrayIdentity(
        "tier", ("name", "unitOfMeasure"), ("name", "minimumValue", "maximumValue")
    ),
    "applicabilityConditions": ArrayIdentity(
        "condition",
        ("rateApplicabilityType",),
        ("rateApplicabilityType", "additionalValue"),
    ),
    "features": ArrayIdentity(
        "feature", ("featureType",), ("featureType", "additionalValue")
    ),
    "constraints": ArrayIdentity(
        "constraint", ("constraintType",), ("constraintType", "additionalValue")
    ),
    "bundles": ArrayIdentity("bundle", ("name",), ("name",)),
    "cardArt": ArrayIdentity(
        "card art", ("cardScheme", "cardType"), ("cardScheme", "cardType", "title")
    ),
    "additionalOverviewUris": _URI,
    "additionalTermsUris": _URI,
    "additionalEligibilityUris": _URI,
    "additionalFeesAndPricingUris": _URI,
    "additionalBundleUris": _URI,
}

# Arrays we do not know (extra keys) are still sets: one group, paired by similarity.
FALLBACK = ArrayIdentity("item", (), ())


def identity_of(array_name: str) -> ArrayIdentity:
    """The identity rule for the array stored under `array_name`."""
    return IDENTITIES.get(array_name, FALLBACK)


# One stateless encoder, built once: json.dumps would build a new one per call.
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_json(value: Any) -> str:
    """Compact JSON with sorted keys: the one text form used for hashing and ordering."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:  # identity fields are often absent: skip the encoder call
        return "null"
    return _ENCODER.encode(value)


def element_key(array_name: str, element: Any) -> tuple[str, ...]:
    """The identity key of one element; scalars are their own key."""
    if not isinstance(element, Mapping):
        return (canonical_json(element),)
    fields = identity_of(array_name).key_fields
    return tuple(canonical_json(element.get(field)) for field in fields)


def sort_key(array_name: str, element: Any) -> tuple[tuple[str, ...], str]:
    """Orders an array by identity, then by content, so input order never matters."""
    return (element_key(array_name, element), canonical_json(element))
