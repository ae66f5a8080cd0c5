"""V3-V5 fees and discounts to the V6/V7 shape: the method fields (`amount`, `balanceRate`,
`transactionRate`, `accruedRate`, `feeRate`) become `feeMethodUType` / `discountMethodUType`
with the matching object, and `feeType: VARIABLE` becomes the `variable` method."""

from __future__ import annotations

from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from catalog_sync.onboarding import evidence
from catalog_sync.onboarding.notes import PLACEHOLDER
from catalog_sync.onboarding.notes import Recorder
from catalog_sync.types import JSONObject
from catalog_sync.yaml.document import PathKey

# legacy field -> (method, rateType or None)
_FEE_FIELDS = {
    "amount": ("fixedAmount", None),
    "balanceRate": ("rateBased", "BALANCE"),
    "transactionRate": ("rateBased", "TRANSACTION"),
    "accruedRate": ("rateBased", "INTEREST_ACCRUED"),
}
_DISCOUNT_FIELDS = {**_FEE_FIELDS, "feeRate": ("rateBased", "FEE")}


def migrate_fee(fee: JSONObject, path: PathKey, notes: Recorder) -> JSONObject:
    """One fee in V6/V7 shape (a new dict); its discounts are migrated too."""
    out = dict(fee)
    if "feeMethodUType" not in out:
        _fee_method(out, path, notes)
    if out.get("feeType") == "VARIABLE":
        _variable_fee_type(out, path, notes)
    discounts = out.get("discounts")
    if isinstance(discounts, list):
        out["discounts"] = [
            migrate_discount(item, (*path, "discounts", i), notes)
            if isinstance(item, dict)
            else item
            for i, item in enumerate(discounts)
        ]
    return out


def migrate_discount(
    discount: JSONObject, path: PathKey, notes: Recorder
) -> JSONObject:
    """One discount in V6/V7 shape (a new dict)."""
    out = dict(discount)
    if "discountMethodUType" in out:
        return out
    chosen = _choose(out, _DISCOUNT_FIELDS, path, notes, "discount")
    if chosen is None:
        out["discountMethodUType"] = PLACEHOLDER
        notes.needs_human(
            (*path, "discountMethodUType"),
            "V6 needs the discount method (fixedAmount with amount, or rateBased with "
            "rateType and rate); the source gives "
            + _described(discount, _DISCOUNT_FIELDS),
        )
        return out
    _apply(out, chosen, _DISCOUNT_FIELDS, "discountMethodUType", path, notes)
    return out


def _fee_method(out: JSONObject, path: PathKey, notes: Recorder) -> None:
    chosen = _choose(out, _FEE_FIELDS, path, notes, "fee")
    if chosen is not None:
        _apply(out, chosen, _FEE_FIELDS, "feeMethodUType", path, notes)
        _accrual_frequency(out, path, notes)
        return
    if out.get("feeType") == "VARIABLE" and not _present(out, _FEE_FIELDS):
        out["feeMethodUType"] = "variable"
        out["variable"] = {}
        notes.converted(
            (*path, "feeMethodUType"),
            "feeType VARIABLE without an amount became feeMethodUType variable",
        )
        _accrual_frequency(out, path, notes)
        return
    out["feeMethodUType"] = PLACEHOLDER
    notes.needs_human(
        (*path, "feeMethodUType"),
        "V6 needs how this fee is charged (fixedAmount, rateBased or variable); the "
        "source gives " + _described(out, _FEE_FIELDS),
    )


def _variable_fee_type(out: JSONObject, path: PathKey, notes: Recorder) -> None:
    where = (*path, "feeType")
    found = evidence.fee_type_from_name(str(out.get("name", "")))
    if found.value is not None:
        out["feeType"] = found.value
        notes.derived(where, f"feeType VARIABLE became {found.value}", found.evidence)
        return
    out["feeType"] = PLACEHOLDER
    notes.needs_human(
        where,
        "V6 has no feeType VARIABLE (the variable amount is now feeMethodUType "
        f"variable): choose what the fee is for, e.g. UPFRONT, EVENT, EXIT, OTHER; "
        f"{found.why_not}",
    )


def _choose(
    item: JSONObject,
    fields: dict[str, tuple[str, str | None]],
    path: PathKey,
    notes: Recorder,
    what: str,
) -> str | None:
    """The one legacy field that carries the value; zero-valued extras are dropped (and
    noted) only when exactly one field is non-zero."""
    present = _present(item, fields)
    if len(present) == 1:
        return present[0]
    nonzero = [key for key in present if not _is_zero(item[key])]
    if len(present) > 1 and len(nonzero) == 1:
        for key in present:
            if key != nonzero[0]:
                notes.converted(
                    path,
                    f"dropped {key} {item.pop(key)!r}: zero, beside the {what}'s "
                    f"{nonzero[0]}",
                )
        return nonzero[0]
    return None  # several real values: checks.py asks a human to choose


def _apply(
    out: JSONObject,
    key: str,
    fields: dict[str, tuple[str, str | None]],
    utype_key: str,
    path: PathKey,
    notes: Recorder,
) -> None:
    method, rate_type = fields[key]
    value = out.pop(key)
    out[utype_key] = method
    if rate_type is None:
        out[method] = {"amount": value}
        notes.converted((*path, method), f"{key} {value!r} became fixedAmount.amount")
    else:
        out[method] = {"rateType": rate_type, "rate": value}
        notes.converted(
            (*path, method),
            f"{key} {value!r} became rateBased (rateType {rate_type})",
        )


def _accrual_frequency(out: JSONObject, path: PathKey, notes: Recorder) -> None:
    if "accrualFrequency" not in out:
        return
    method = out.get("rateBased")
    if out.get("feeMethodUType") == "rateBased" and isinstance(method, dict):
        method["accrualFrequency"] = out.pop("accrualFrequency")
        notes.converted((*path, "rateBased"), "accrualFrequency moved into rateBased")
        return
    # Left in place: checks.py asks a human to move it into additionalInfo.


def _present(item: JSONObject, fields: dict[str, tuple[str, str | None]]) -> list[str]:
    return [key for key in fields if item.get(key) is not None]


def _described(item: JSONObject, fields: dict[str, tuple[str, str | None]]) -> str:
    given = [f"{key} {item[key]!r}" for key in _present(item, fields)]
    return ", ".join(given) if given else "no amount or rate"


def _is_zero(value: Any) -> bool:
    try:
        return Decimal(str(value)) == 0
    except InvalidOperation:
        return False
