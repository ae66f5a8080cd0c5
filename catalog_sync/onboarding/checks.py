"""Facts the standard requires that a product leaves out, found on every run (not only
when something is converted): an `OTHER` type without the `additionalInfo` saying what it
is, an `ELIGIBILITY_ONLY` discount without its eligibility. No value can stand in for a
sentence, so these are open items with a comment, never placeholders."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from catalog_sync.onboarding.notes import Recorder
from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import PathKey

# list key -> the field naming the item's type
_TYPED_LISTS = {
    "features": "featureType",
    "constraints": "constraintType",
    "eligibility": "eligibilityType",
    "fees": "feeType",
    "applicabilityConditions": "rateApplicabilityType",
    "discounts": "discountType",
}


_LEGACY_FIELDS = {
    "fees": (
        "amount",
        "balanceRate",
        "transactionRate",
        "accruedRate",
        "accrualFrequency",
    ),
    "discounts": ("amount", "balanceRate", "transactionRate", "accruedRate", "feeRate"),
}


def note_missing_facts(data: JSONObject, notes: Recorder) -> None:
    """Add a needs-human note for every fact of this kind the product lacks, and for
    every pre-V6 field migrate had to leave in place."""
    for path, item, type_field in _typed_items(data, ()):
        _legacy_leftovers(path, item, notes)
        if item.get(type_field) == "OTHER" and not item.get("additionalInfo"):
            notes.needs_human(
                (*path, "additionalInfo"),
                f"{type_field} OTHER needs additionalInfo saying what it is; the source "
                "has none: describe it (see additionalInfoUri, if any)",
            )
        if item.get("discountType") == "ELIGIBILITY_ONLY" and not item.get(
            "eligibility"
        ):
            notes.needs_human(
                (*path, "eligibility"),
                "an ELIGIBILITY_ONLY discount needs its eligibility criteria (a list of "
                "discountEligibilityType entries); the source gives none",
            )


def _legacy_leftovers(path: PathKey, item: JSONObject, notes: Recorder) -> None:
    kind = str(path[-2]) if len(path) >= 2 else ""
    left = [key for key in _LEGACY_FIELDS.get(kind, ()) if key in item]
    if not left:
        return
    given = ", ".join(f"{key} {item[key]!r}" for key in left)
    notes.needs_human(
        path,
        f"pre-V6 field(s) {given} have no place in V6/V7: choose the method they "
        "describe, say the rest in additionalInfo, then remove them",
    )


def _typed_items(
    value: Any, path: PathKey
) -> Iterator[tuple[PathKey, JSONObject, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, list) and key in _TYPED_LISTS:
                type_field = _TYPED_LISTS[key]
                for index, entry in enumerate(item):
                    if isinstance(entry, dict):
                        yield (
                            (*path, key, index),
                            entry,
                            _type_field(key, entry, type_field),
                        )
            yield from _typed_items(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _typed_items(item, (*path, index))


def _type_field(key: str, entry: JSONObject, default: str) -> str:
    # A discount's eligibility list uses discountEligibilityType.
    if key == "eligibility" and "discountEligibilityType" in entry:
        return "discountEligibilityType"
    return default
