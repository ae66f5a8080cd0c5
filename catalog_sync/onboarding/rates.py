"""V3-V5 deposit and lending rates to the V6/V7 shape: `applicationType`, `repaymentType`
and `loanPurpose` (derived from evidence or left as placeholders), tier bounds as strings
in the unit's format, and tier conditions as a list of typed conditions."""

from __future__ import annotations

from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from catalog_sync.onboarding import evidence
from catalog_sync.onboarding.evidence import Finding
from catalog_sync.onboarding.notes import PLACEHOLDER
from catalog_sync.onboarding.notes import Recorder
from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import PathKey

_APPLICATION_TYPES = "MATURITY, PERIODIC or UPFRONT"
BOUNDS = ("minimumValue", "maximumValue")


def migrate_rate(
    rate: JSONObject, path: PathKey, notes: Recorder, *, lending: bool
) -> JSONObject:
    """One deposit (`lending=False`) or lending rate in V6/V7 shape (a new dict)."""
    out = dict(rate)
    if out.get("rate") == "":
        out["rate"] = PLACEHOLDER
        notes.needs_human(
            (*path, "rate"), 'the source publishes the rate as "": give the rate'
        )
    if "applicationType" not in out:
        _fill(
            out,
            "applicationType",
            evidence.application_type(rate),
            path,
            notes,
            f"how the rate is applied: {_APPLICATION_TYPES} (PERIODIC also needs "
            "applicationFrequency)",
        )
    if lending:
        _lending_facts(out, rate, path, notes)
    tiers = out.get("tiers")
    if isinstance(tiers, list):
        percent_scale = _percent_scale(tiers, (*path, "tiers"), notes)
        out["tiers"] = [
            migrate_tier(tier, (*path, "tiers", i), notes, percent_scale=percent_scale)
            if isinstance(tier, dict)
            else tier
            for i, tier in enumerate(tiers)
        ]
    return out


def migrate_tier(
    tier: JSONObject, path: PathKey, notes: Recorder, *, percent_scale: bool | None
) -> JSONObject:
    """Numeric bounds become strings in the unit's format; a single condition object
    becomes a list of one OTHER condition. PERCENT bounds stay numbers when
    `percent_scale` is None (their rate's tiers disagree on the scale)."""
    out = dict(tier)
    unit = out.get("unitOfMeasure")
    keys = () if unit == "PERCENT" and percent_scale is None else BOUNDS
    for key in keys:
        value = out.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = bound_text(value, unit, percent_scale=bool(percent_scale))
            out[key] = text
            scaled = " (percent / 100)" if unit == "PERCENT" and percent_scale else ""
            notes.converted((*path, key), f"{value!r} became {text!r}{scaled}")
    condition = out.get("applicabilityConditions")
    if isinstance(condition, dict):
        out["applicabilityConditions"] = _conditions(condition, path, notes)
        if not out["applicabilityConditions"]:
            del out["applicabilityConditions"]
    return out


def bound_text(value: float | int, unit: Any, *, percent_scale: bool) -> str:
    """A V4 numeric tier bound as a V6 string: AmountString for DOLLAR, RateString for
    PERCENT (divided by 100 when the product used percentages), digits for DAY/MONTH."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if unit == "DOLLAR":
        return _amount(number)
    if unit == "PERCENT":
        return _plain(number / 100 if percent_scale else number)
    if unit in ("DAY", "MONTH") and number == number.to_integral_value():
        return str(int(number))
    return _plain(number)


def _percent_scale(tiers: list[Any], path: PathKey, notes: Recorder) -> bool | None:
    """Whether the rate's numeric PERCENT tier bounds are percentages (70 for 70%), which
    V6 writes as fractions (0.70): yes when a bound is above 1, unless another of the
    rate's tiers reads as fractions (non-zero bounds, none above 1); then None, and a
    human decides."""
    percentages: list[str] = []
    fractions: list[str] = []
    for tier in tiers:
        if not isinstance(tier, dict) or tier.get("unitOfMeasure") != "PERCENT":
            continue
        bounds = [
            (f"tier {tier.get('name')!r} {key} {value}", value)
            for key in BOUNDS
            if isinstance(value := tier.get(key), (int, float))
            and not isinstance(value, bool)
            and value != 0
        ]
        if any(value > 1 for _, value in bounds):
            percentages += [said for said, value in bounds if value > 1]
        else:
            fractions += [said for said, _ in bounds]
    if not percentages:
        return False
    if fractions:
        notes.needs_human(
            path,
            "V6 writes PERCENT tier bounds as fractions (0.70 for 70%), and this rate's "
            f"tiers disagree on how the source wrote them: {percentages[0]} is a "
            f"percentage, {fractions[0]} a fraction; migrate left them as numbers: "
            "write each as a RateString",
        )
        return None
    notes.derived(
        path,
        "PERCENT tier bounds were written as percentages (70 = 70%); V6 writes them as "
        "fractions (0.70), so each was divided by 100",
        percentages[0],
    )
    return True


def _lending_facts(
    out: JSONObject, rate: JSONObject, path: PathKey, notes: Recorder
) -> None:
    if "repaymentType" not in out:
        _fill(
            out,
            "repaymentType",
            evidence.repayment_type(rate),
            path,
            notes,
            "the repayment type: PRINCIPAL_AND_INTEREST, INTEREST_ONLY, "
            "UNCONSTRAINED (any) or OTHER",
        )
    if "loanPurpose" not in out:
        _fill(
            out,
            "loanPurpose",
            evidence.loan_purpose(rate),
            path,
            notes,
            "the loan purpose: OWNER_OCCUPIED, INVESTMENT, UNCONSTRAINED (any) or OTHER",
        )


def _fill(
    out: JSONObject,
    key: str,
    found: Finding,
    path: PathKey,
    notes: Recorder,
    needed: str,
) -> None:
    if found.value is not None:
        out[key] = found.value
        notes.derived((*path, key), f"{key} {found.value}", found.evidence)
    else:
        out[key] = PLACEHOLDER
        notes.needs_human((*path, key), f"V6 needs {needed}; {found.why_not}")


def _conditions(
    condition: JSONObject, path: PathKey, notes: Recorder
) -> list[JSONObject]:
    where = (*path, "applicabilityConditions")
    if not condition:
        notes.converted(where, "empty applicabilityConditions removed")
        return []
    converted = {"rateApplicabilityType": "OTHER", **condition}
    notes.converted(
        (*where, 0),
        "the V4 condition became a list of one condition of rateApplicabilityType "
        "OTHER (V4 conditions are free text)",
    )
    return [converted]


def _amount(number: Decimal) -> str:
    text = _plain(number)
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def _plain(number: Decimal) -> str:
    try:
        text = format(number, "f")
    except InvalidOperation:  # pragma: no cover - finite floats always format
        return str(number)
    if "." in text:
        text = text.rstrip("0").rstrip(".") or "0"
    return text
