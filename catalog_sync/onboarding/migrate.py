"""Migrate one product (plain data, no I/O) from V3, V4, V5 or V6 shape to V7, or to V6.

Mechanical where the standard's meaning is clear; where V6/V7 needs a fact the source
does not carry, it is derived from explicit evidence the product states (never its name,
never when the evidence disagrees; see `evidence` and `cards`) or left as the
`PLACEHOLDER` that `validate` reports. Migrating a migrated product changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from catalog_sync.catalog.placeholders import find_placeholders as find_placeholders
from catalog_sync.onboarding.amounts import normalise_amounts
from catalog_sync.onboarding.cards import card_scheme
from catalog_sync.onboarding.cards import card_type
from catalog_sync.onboarding.checks import note_missing_facts
from catalog_sync.onboarding.fees import migrate_fee
from catalog_sync.onboarding.notes import PLACEHOLDER
from catalog_sync.onboarding.notes import TARGETS
from catalog_sync.onboarding.notes import VERSIONS
from catalog_sync.onboarding.notes import Migration
from catalog_sync.onboarding.notes import Recorder
from catalog_sync.onboarding.rates import migrate_rate
from catalog_sync.onboarding.versions import detect_version
from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import PathKey

SERVER_SET = ("lastUpdated",)
# Optional text fields where "" can only mean "no value" (a URI, a frequency, a note).
_EMPTY_MEANS_ABSENT = frozenset(
    {
        "additionalInfo",
        "additionalValue",
        "accrualFrequency",
        "applicationFrequency",
        "calculationFrequency",
        "comparisonRate",
        "brandName",
        "title",
        "effectiveFrom",
        "effectiveTo",
    }
)
_REQUIRED_TOP = ("productId", "productCategory", "name", "description", "brand")


def migrate_product(
    product: JSONObject, *, to: str = "cds-v7", source_version: str | None = None
) -> Migration:
    """Migrate `product` (never modified) to the `to` schema shape.

    `source_version` (`v3`..`v7`) overrides detection; a product declared V6 or V7 gets
    no pre-V6 conversions, so any leftovers stay for `validate` to report.
    """
    if to not in TARGETS:
        raise ValueError(f"unknown target {to!r}")
    if source_version is not None and source_version not in VERSIONS:
        raise ValueError(f"unknown source version {source_version!r}")
    notes = Recorder()
    data = _cleaned(product, notes)
    # Detect on the cleaned product: an explicit null (`feeMethodUType: null`) is absent,
    # and must not make a V4 fee look V6 on the first run but not on the second.
    detected, version_evidence = detect_version(data)
    version = source_version or detected
    if version in ("v3", "v4", "v5"):
        data = _upgrade_legacy(data, notes)
    normalise_amounts(data, notes)
    _required_facts(data, notes)
    note_missing_facts(data, notes)
    if to == "cds-v6":
        _downgrade_to_v6(data, notes)
    return Migration(
        data=data,
        source_version=version,
        version_evidence=version_evidence,
        target=to,
        notes=tuple(notes.notes),
        changed=data != product,
    )


def _cleaned(product: JSONObject, notes: Recorder) -> JSONObject:
    """Explicit nulls, empty optional strings and server-set fields removed."""
    nulls: list[PathKey] = []
    data = _without_empty(product, (), notes, nulls)
    assert isinstance(data, dict)
    if nulls:
        notes.converted((), f"{len(nulls)} explicit null(s) removed (null = absent)")
    for key in SERVER_SET:
        if key in data:
            notes.converted((), f"{key} {data.pop(key)!r} removed: the server sets it")
    return data


def _without_empty(
    value: Any, path: PathKey, notes: Recorder, nulls: list[PathKey]
) -> Any:
    if isinstance(value, list):
        kept = [item for item in value if item is not None]
        nulls.extend([path] * (len(value) - len(kept)))
        return [_without_empty(v, (*path, i), notes, nulls) for i, v in enumerate(kept)]
    if not isinstance(value, dict):
        return value
    out: JSONObject = {}
    for key, item in value.items():
        if item is None:
            nulls.append((*path, key))
        elif item == "" and _empty_means_absent(key):
            notes.converted((*path, key), f'empty {key} "" removed (no value)')
        else:
            out[key] = _without_empty(item, (*path, key), notes, nulls)
    return out


def _empty_means_absent(key: str) -> bool:
    return key in _EMPTY_MEANS_ABSENT or key.endswith("Uri")


def _upgrade_legacy(data: JSONObject, notes: Recorder) -> JSONObject:
    if isinstance(data.get("fees"), list):
        data["fees"] = [
            migrate_fee(fee, ("fees", i), notes) if isinstance(fee, dict) else fee
            for i, fee in enumerate(data["fees"])
        ]
    for kind, lending in (("depositRates", False), ("lendingRates", True)):
        if isinstance(data.get(kind), list):
            data[kind] = [
                migrate_rate(rate, (kind, i), notes, lending=lending)
                if isinstance(rate, dict)
                else rate
                for i, rate in enumerate(data[kind])
            ]
    _card_art(data, notes)
    return data


def _card_art(data: JSONObject, notes: Recorder) -> None:
    arts = data.get("cardArt")
    if not isinstance(arts, list):
        return
    for i, art in enumerate(arts):
        if not isinstance(art, dict):
            continue
        facts = (
            ("cardScheme", card_scheme, "AMEX, EFTPOS, MASTERCARD, VISA or OTHER"),
            ("cardType", card_type, "CREDIT, DEBIT or CHARGE"),
        )
        arts[i] = art = dict(art)
        for key, derive, choices in facts:
            if key in art:
                continue
            where = ("cardArt", i, key)
            found = derive(art, data)
            if found.value is not None:
                art[key] = found.value
                notes.derived(where, f"{key} {found.value}", found.evidence)
            else:
                art[key] = PLACEHOLDER
                notes.needs_human(
                    where,
                    f"V6 needs the card's {key} ({choices}); {found.why_not}",
                )


def _required_facts(data: JSONObject, notes: Recorder) -> None:
    """Mandatory top-level fields some holders omit: a placeholder, never a guess."""
    if "isTailored" not in data:
        data["isTailored"] = PLACEHOLDER
        notes.needs_human(
            ("isTailored",),
            "isTailored is mandatory: true if fees and rates are negotiated per "
            "customer, else false",
        )
    for key in _REQUIRED_TOP:
        if key not in data:
            data[key] = PLACEHOLDER
            notes.needs_human((key,), f"{key} is mandatory and the source has none")


def _downgrade_to_v6(data: JSONObject, notes: Recorder) -> None:
    for key in ("brandGroup", "instalments"):
        if key in data:
            kept = json.dumps(data.pop(key), sort_keys=True)
            notes.converted((), f"V6 has no {key}: removed (it was {kept})")
    if data.get("productCategory") == "BUY_NOW_PAY_LATER":
        data["productCategory"] = PLACEHOLDER
        notes.needs_human(
            ("productCategory",),
            "V6 has no BUY_NOW_PAY_LATER: choose the closest V6 category "
            "(e.g. PERS_LOANS or CRED_AND_CHRG_CARDS)",
        )
    features = data.get("features")
    for i, feature in enumerate(features if isinstance(features, list) else ()):
        if (
            isinstance(feature, dict)
            and feature.get("featureType") == "EXTRA_DOWN_PAYMENT"
        ):
            feature["featureType"] = PLACEHOLDER
            notes.needs_human(
                ("features", i, "featureType"),
                "V6 has no EXTRA_DOWN_PAYMENT: use OTHER and describe it in additionalInfo",
            )
