"""Plain-English messages and fix-it hints for schema problems: what validate.py says about
a wrong type, enum, format or unknown field. Pure functions over values and schema parts.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from collections.abc import Sequence
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from catalog_sync.catalog import format_hints
from catalog_sync.catalog.extensions import extension_hint
from catalog_sync.catalog.extensions import own_field_hint
from catalog_sync.yaml.document import PathKey

_FORMAT_NAMES = {
    "ExternalRef": "ISO 8601 duration",
    "ProductId": "productId",
    "IntegerString": "whole number (as a string)",
    "PositiveIntegerString": "positive whole number (as a string)",
}

_V6_FEE_SHAPE = "CDS V6 replaced it: set {utype} and put the value in {where}"
_LEGACY_FEE_FIELDS = {
    "amount": "fixedAmount: {amount: ...}",
    "balanceRate": "rateBased: {rateType: BALANCE, rate: ...}",
    "transactionRate": "rateBased: {rateType: TRANSACTION, rate: ...}",
    "accruedRate": "rateBased: {rateType: INTEREST_ACCRUED, rate: ...}",
    "feeRate": "rateBased: {rateType: FEE, rate: ...}",
    "accrualFrequency": "rateBased: {accrualFrequency: ...}",
}
_V7_ONLY = ("brandGroup", "instalments")
_REMOVED_VALUES = {
    ("feeType", "VARIABLE"): (
        "CDS V6 removed feeType VARIABLE: pick the feeType of the event charged "
        "(e.g. EVENT, EXIT, OTHER) and set feeMethodUType: variable"
    ),
    (
        "productCategory",
        "BUY_NOW_PAY_LATER",
    ): "it exists from CDS V7: validate with --schema cds-v7",
    (
        "featureType",
        "EXTRA_DOWN_PAYMENT",
    ): "it exists from CDS V7: validate with --schema cds-v7",
}


def short(value: Any) -> str:
    """A value as JSON (strings in double quotes), cut to a readable length."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:36] + '..."'[: 4 if text[0] == '"' else 3]


def expected_value(prop: Mapping[str, Any]) -> str:
    """': one of A, B' / ': <format hint>' / '' for the `add field` hint of a property."""
    allowed = [v for v in prop.get("enum", ()) if v is not None]
    if allowed:
        return ": one of " + ", ".join(allowed)
    if "x-hint" in prop:
        return f": {prop['x-hint']}"
    if "boolean" in _types(prop.get("type")):
        return ": true or false"
    return ""


def unknown_field(
    key: str,
    known: Mapping[str, Any],
    path: PathKey,
    instance: Mapping[str, Any] | None = None,
) -> str:
    """How to fix an unknown field `key` inside the object `instance` at `path`."""
    extension = extension_hint(key)
    if extension is not None:
        return extension
    container = path[-2] if len(path) >= 2 else None
    if key == "accrualFrequency" and container in ("fees", "discounts"):
        return _accrual_frequency(str(container), instance or {})
    if key in _LEGACY_FEE_FIELDS and container in ("fees", "discounts"):
        utype = "feeMethodUType" if container == "fees" else "discountMethodUType"
        return _V6_FEE_SHAPE.format(utype=utype, where=_LEGACY_FEE_FIELDS[key])
    if key in _V7_ONLY and not path:
        return (
            f"`{key}` exists from CDS V7: validate with --schema cds-v7, or remove it"
        )
    # Never suggest a field the file may not have (lastUpdated), nor one that `key`
    # only extends with another word (lastUpdatedBy is no typo of lastUpdated).
    names = [
        name
        for name, prop in known.items()
        if not (isinstance(prop, Mapping) and "not" in prop)
        and not (key.startswith(name) and key[len(name) : len(name) + 1].isupper())
    ]
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f"did you mean `{close[0]}`?"
    return f"remove it: the CDS has no `{key}` here; {own_field_hint(key)}"


def _accrual_frequency(container: str, item: Mapping[str, Any]) -> str:
    """Where a pre-V6 `accrualFrequency` goes: only a rateBased fee has one in V6."""
    if container == "discounts":
        return (
            "a discount has no accrualFrequency in CDS V6: it applies as often as its "
            "fee; remove it (or say otherwise in additionalInfo)"
        )
    method = item.get("feeMethodUType")
    rated = any(k in item for k in ("balanceRate", "transactionRate", "accruedRate"))
    if method == "rateBased" or (method is None and rated):
        where = _LEGACY_FEE_FIELDS["accrualFrequency"]
        return _V6_FEE_SHAPE.format(utype="feeMethodUType", where=where)
    if item.get("feeType") == "PERIODIC":
        return (
            "only a rateBased fee has an accrualFrequency: the period of a PERIODIC "
            "fee goes in `additionalValue` (an ISO 8601 duration like P1M); remove it"
        )
    return (
        "only a rateBased fee has an accrualFrequency, and this fee is not one: remove "
        "it, or say how often the fee is charged in additionalInfo"
    )


def misplaced_text(key: str, item: Any) -> str | None:
    """The hint for a missing `additionalInfo` whose text sits in `additionalValue`
    (an OTHER feature, fee, ...: additionalValue is N/A there), else None."""
    value = item.get("additionalValue") if isinstance(item, Mapping) else None
    if key != "additionalInfo" or not isinstance(value, str) or not value.strip():
        return None
    return (
        "move the text from `additionalValue` to `additionalInfo`: for this type the "
        "description belongs in additionalInfo, and additionalValue is not used"
    )


def type_problem(
    expected: Any, value: Any, literal: str | None, rule: str | None
) -> tuple[str, str | None, str]:
    """(message, hint, code) for a value of the wrong JSON type."""
    names = [t for t in _types(expected) if t != "null"]
    if rule:
        hint = "remove it" if not names else None
        return rule, hint, "schema.rule"
    if value is None:
        return (
            "must not be null: this field is mandatory",
            "give it a value",
            "schema.null",
        )
    message = f"expected {_a(names)}, got {_describe(value)}"
    if "string" in names and not isinstance(value, (dict, list)):
        text = literal if literal is not None else short(value)
        return message, f'quote this value: "{text}"', "schema.type"
    if "boolean" in names:
        return message, "write true or false (without quotes)", "schema.type"
    if "integer" in names:
        return message, "write a whole number without quotes, like 4", "schema.type"
    if "array" in names:
        return (
            message,
            "write a list: one item per line, each starting with `- `",
            "schema.type",
        )
    return message, None, "schema.type"


def enum_problem(
    value: Any, allowed: Sequence[Any], rule: str | None, field: str = ""
) -> tuple[str, str, str]:
    """(message, hint, code) for a value outside an enum: suggest the closest one."""
    choices = [str(v) for v in allowed if v is not None]
    removed = _REMOVED_VALUES.get((field, value)) if isinstance(value, str) else None
    if removed:
        return f"{short(value)} is not an allowed value here", removed, "schema.enum"
    message = f"{short(value)} is not an allowed value"
    if rule:
        message += f" ({rule})"
    guess = re.sub(r"[\s-]+", "_", str(value).strip()).upper()
    close = difflib.get_close_matches(guess, choices, n=1, cutoff=0.5)
    listed = "one of " + ", ".join(choices)
    hint = f"did you mean `{close[0]}`? {listed}" if close else listed
    return message, hint, "schema.enum"


def format_problem(
    value: Any, schema: Mapping[str, Any], rule: str | None
) -> tuple[str, str | None, str]:
    """(message, hint, code) for a string that does not match its CDS format; dates,
    currencies and durations have codes of their own (format_hints)."""
    cds_type = str(schema.get("x-cds-type", "format"))
    text = str(value)
    message = f"{short(value)} is not a valid {_FORMAT_NAMES.get(cds_type, cds_type)}"
    if cds_type == "DateTimeString" and (why := format_hints.not_a_date(text)):
        message = f"{short(value)} is not a real date: {why}"
    if cds_type == "CurrencyString" and format_hints.is_unknown_currency(text):
        message = f"{short(value)} is not an ISO 4217 currency code"
    if rule:
        message += f" ({rule})"
    hint = schema.get("x-hint")
    fix = _suggest(cds_type, text, schema)
    if fix:
        hint = f"{fix}; {hint}" if hint else fix
    return message, hint, format_hints.problem_code(cds_type)


def _suggest(cds_type: str, value: str, schema: Mapping[str, Any]) -> str | None:
    """A concrete corrected value for common slips, or None (`schema` has the pattern
    that `value` failed)."""
    text = value.strip()
    if not text:
        return "an empty string is not absent: remove the field (or write null) if there is none"
    if cds_type == "AmountString" and re.fullmatch(r"-?[0-9]+(\.[0-9])?", text):
        return f'write "{Decimal(text).quantize(Decimal("0.01"))}"'
    if cds_type == "RateString" and text.endswith("%"):
        try:
            rate = Decimal(text[:-1].strip()) / 100
        except InvalidOperation:
            return None
        return f'write "{rate.normalize():f}" ({text} as a fraction of 1)'
    if cds_type == "CurrencyString":
        return format_hints.currency_fix(text)
    if cds_type == "ExternalRef":
        return format_hints.duration_fix(text, str(schema["pattern"]))
    if cds_type == "DateTimeString" and re.fullmatch(
        r"[0-9-]{10}([Tt ][0-9:.]+)?", text
    ):
        return "add the time and a UTC offset (Z or +10:00)"
    return None


def _types(declared: Any) -> list[str]:
    if declared is None:
        return []
    return [declared] if isinstance(declared, str) else [str(t) for t in declared]


def _a(names: Sequence[str]) -> str:
    words = {"object": "a mapping", "array": "a list", "integer": "a whole number"}
    return " or ".join(words.get(n, f"a {n}") for n in names) or "nothing"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"the string {short(value)}"
