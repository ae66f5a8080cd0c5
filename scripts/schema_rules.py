"""Build the `if`/`then` rules the CDS states only in prose, for the schema generator.

Each `then` part carries `x-rule` (the rule in words) and, where useful, `x-hint`;
catalog_sync's validate uses them as the message and hint. Tables: scripts/cds_rules.py and,
for additionalValue and OTHER, the DSB's own tables (scripts/product_components.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scripts import cds_rules
from scripts.cds_rules import FORMATS
from scripts.product_components import NOT_APPLICABLE
from scripts.product_components import REQUIRED
from scripts.product_components import TEXT
from scripts.product_components import Tables
from scripts.product_components import Usage

JSON = dict[str, Any]


def _enum(prop: JSON) -> list[str]:
    return [v for v in prop.get("enum", []) if v is not None]


def _format(cds_type: str, rule: str) -> JSON:
    """A format constraint for a rule; the base property already fixes the JSON type."""
    return {"x-cds-type": cds_type, "x-rule": rule, **FORMATS[cds_type]}


def _when(field: str, values: Sequence[str], then: JSON, rule: str) -> JSON:
    """if `field` is one of `values` then `then`; every part of `then` names the rule."""
    for sub in then.get("properties", {}).values():
        sub.setdefault("x-rule", rule)
    condition = {"properties": {field: {"enum": list(values)}}, "required": [field]}
    return {"if": condition, "then": {**then, "x-rule": rule}}


def prose_rules(props: JSON, defs: JSON, tables: Tables) -> list[JSON]:
    """The prose-only rules (cds-products.md §3) that apply to an object with `props`;
    `tables` are the DSB's additionalValue tables (scripts/product_components.py)."""
    rules: list[JSON] = []
    for field, table in sorted(tables.items()):
        if field not in props:
            continue
        allowed = _enum(props[field])
        for value in sorted(v for v, use in table.items() if use.needs_info):
            if value in allowed:
                rules.append(_needs_info(field, value))
        if "additionalValue" in props:
            for value, use in sorted(table.items()):
                if value in allowed and use.presence != NOT_APPLICABLE:
                    rules.append(_additional_value(field, value, use))
    rules += _union_rules(props, defs)
    rules += _structural_rules(props)
    return rules


def _needs_info(field: str, value: str) -> JSON:
    text = f"{field} {value} needs additionalInfo saying what it is"
    info = {"type": "string", "minLength": 1}
    then = {"required": ["additionalInfo"], "properties": {"additionalInfo": info}}
    return _when(field, [value], then, text)


def _additional_value(field: str, value: str, use: Usage) -> JSON:
    """The rule for one row of a "Use of additionalValue Field" table."""
    if use.presence == REQUIRED:
        text = f"{field} {value} needs additionalValue: {use.what}"
    else:
        text = f"with {field} {value}, additionalValue is optional: {use.what}"
    if use.form == TEXT:
        form: JSON = {"minLength": 1, "x-hint": use.what, "x-rule": text}
    else:
        assert use.form is not None
        form = _format(use.form, text)
    then: JSON = {"properties": {"additionalValue": form}}
    if use.presence == REQUIRED:
        form["type"] = "string"  # present and not null
        then["required"] = ["additionalValue"]
    return _when(field, [value], then, text)


def _union_rules(props: JSON, defs: JSON) -> list[JSON]:
    rules = []
    for field in sorted(set(props) & set(cds_rules.UNIONS)):
        members = _enum(props[field])
        for member in members:
            shapes: JSON = {
                member: {"type": "object", "x-hint": _shape_hint(props[member], defs)}
            }
            for other in members:
                if other != member:
                    shapes[other] = {
                        "type": "null",
                        "x-rule": f"{other} is not allowed when {field} is {member}",
                    }
            then = {"required": [member], "properties": shapes}
            text = f"{field} {member} needs a {member} object (and no other)"
            rules.append(_when(field, [member], then, text))
    return rules


def _shape_hint(prop: JSON, defs: JSON) -> str:
    """'a mapping with `amount`' from the union member's definition."""
    ref = next(part["$ref"] for part in prop["anyOf"] if "$ref" in part)
    target = defs[ref.removeprefix("#/$defs/")]
    if target["required"]:
        return "a mapping with " + " and ".join(f"`{n}`" for n in target["required"])
    return "a mapping, optionally with " + " and ".join(
        f"`{n}`" for n in sorted(target["properties"])
    )


def _structural_rules(props: JSON) -> list[JSON]:
    rules = []
    if "applicationType" in props and "applicationFrequency" in props:
        text = (
            "applicationType PERIODIC needs applicationFrequency (an ISO 8601 duration)"
        )
        then = {
            "required": ["applicationFrequency"],
            "properties": {
                "applicationFrequency": {
                    "type": "string",
                    "x-hint": FORMATS["ExternalRef"]["x-hint"],
                }
            },
        }
        rules.append(_when("applicationType", ["PERIODIC"], then, text))
    if "discountType" in props and "eligibility" in props:
        text = "discountType ELIGIBILITY_ONLY needs a non-empty eligibility list"
        then = {
            "required": ["eligibility"],
            "properties": {
                "eligibility": {
                    "type": "array",
                    "minItems": 1,
                    "x-hint": "list who qualifies, e.g. `- discountEligibilityType: STAFF`",
                }
            },
        }
        rules.append(_when("discountType", ["ELIGIBILITY_ONLY"], then, text))
    for field, values in sorted(cds_rules.ADJUSTMENT_RATES.items()):
        if field in props:
            text = f"a {field} of {', '.join(values)} adjusts a base rate: its rate is zero or positive"
            rate = _format("RateString", text)
            rate["pattern"] = rate["pattern"].replace("^-?", "^")
            then = {"properties": {"rate": rate}}
            rules.append(_when(field, values, then, text))
    if "unitOfMeasure" in props and "minimumValue" in props:
        for unit, cds_type in cds_rules.TIER_UNITS.items():
            text = f"with unitOfMeasure {unit}, minimumValue and maximumValue are {cds_type}"
            bounds = {
                "minimumValue": _format(cds_type, text),
                "maximumValue": _format(cds_type, text),
            }
            rules.append(_when("unitOfMeasure", [unit], {"properties": bounds}, text))
    for extra, primary in cds_rules.PRIMARY_URIS.items():
        if extra in props and primary in props:
            text = f"a non-empty {extra} needs {primary}"
            has_extra = {
                "properties": {extra: {"type": "array", "minItems": 1}},
                "required": [extra],
            }
            then = {
                "required": [primary],
                "properties": {primary: {"type": "string", "x-rule": text}},
            }
            rules.append({"if": has_extra, "then": {**then, "x-rule": text}})
    return rules
