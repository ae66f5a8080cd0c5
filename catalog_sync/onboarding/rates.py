"""V3-V5 deposit and lending rates to the V6/V7 shape: `applicationType`, `repaymentType`
and `loanPurpose` (derived from evidence or left as placeholders), tier bounds as strings
in the unit's format, and tier conditions as a list of typed conditions."""

from __future__ import annotations

from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from catalog_sync.onboarding import evidence
from catalog_sync.onboarding.notes import PLACEHOLDER
from catalog_sync.onboarding.notes import Recorder
from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import PathKey

_APPLICATION_TYPES = "MATURITY, PERIODIC or UPFRONT"


def migrate_rate(
    rate: JSONObject,
    path: PathKey,
    notes: Recorder,
    *,
    lending: bool,
    product_name: str,
    percent_scale: bool,
) -> JSONObject:
    """One deposit (`lending=False`) or lending rate in V6/V7 shape (a new dict).

    `percent_scale` says the product writes PERCENT tier bounds as percentages (70 for
    70%), which V6 writes as fractions (0.70); the caller decides it once per product.
    """
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
        _lending_facts(out, rate, path, notes, product_name)
    tiers = out.get("tiers")
    if isinstance(tiers, list):
        out["tiers"] = [
            migrate_tier(tier, (*path, "tiers", i), notes, percent_scale=percent_scale)
            if isinstance(tier, dict)
            else tier
            for i, tier in enumerate(tiers)
        ]
    return out


def migrate_tier(
    tier: JSONObject, path: PathKey, notes: Recorder, *, percent_scale: bool
) -> JSONObject:
    """Numeric bounds become strings in the unit's format; a single condition object
    becomes a list of one OTHER condition."""
    out = dict(tier)
    unit = out.get("unitOfMeasure")
    for key in ("minimumValue", "maximumValue"):
        value = out.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = bound_text(value, unit, percent_scale=percent_scale)
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


def uses_percent_scale(product: JSONObject) -> tuple[bool, str | None]:
    """Whether the product's numeric PERCENT tier bounds are percentages, with the
    evidence: any bound above 1 cannot be a fraction of a loan-to-value ratio."""
    for kind in ("depositRates", "lendingRates"):
        for rate in _list(product.get(kind)):
            for tier in _list(rate.get("tiers")) if isinstance(rate, dict) else ():
                if not isinstance(tier, dict) or tier.get("unitOfMeasure") != "PERCENT":
                    continue
                for key in ("minimumValue", "maximumValue"):
                    value = tier.get(key)
                    if isinstance(value, (int, float)) and value > 1:
                        return True, f"{kind} tier {tier.get('name')!r} {key} {value}"
    return False, None


def _lending_facts(
    out: JSONObject,
    rate: JSONObject,
    path: PathKey,
    notes: Recorder,
    product_name: str,
) -> None:
    if "repaymentType" not in out:
        _fill(
            out,
            "repaymentType",
            evidence.repayment_type(rate, product_name),
            path,
            notes,
            "the repayment type: PRINCIPAL_AND_INTEREST, INTEREST_ONLY, "
            "UNCONSTRAINED (any) or OTHER",
        )
    if "loanPurpose" not in out:
        _fill(
            out,
            "loanPurpose",
            evidence.loan_purpose(rate, product_name),
            path,
            notes,
            "the loan purpose: OWNER_OCCUPIED, INVESTMENT, UNCONSTRAINED (any) or OTHER",
        )


def _fill(
    out: JSONObject,
    key: str,
    derived: tuple[str, str] | None,
    path: PathKey,
    notes: Recorder,
    needed: str,
) -> None:
    if derived:
        out[key] = derived[0]
        notes.derived((*path, key), f"{key} {derived[0]}", derived[1])
    else:
        out[key] = PLACEHOLDER
        notes.needs_human((*path, key), f"V6 needs {needed}; the source does not say")


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


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
